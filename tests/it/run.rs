//! Running the real binary from a test, as a user runs a command, and a
//! view as the reader computes it.

/// Runs `hfpapers ARGS` with the given endpoint and data dir (and no
/// config from the environment), off the async runtime.
pub async fn cli(endpoint: &str, data: &std::path::Path, args: &[&str]) -> std::process::Output {
    let (endpoint, data) = (endpoint.to_string(), data.to_path_buf());
    let args: Vec<String> = args.iter().map(std::string::ToString::to_string).collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_hfpapers"))
            .args(&args)
            .env("HF_ENDPOINT", endpoint)
            .env("HFPAPERS_DATA_DIR", data)
            .env_remove("HF_TOKEN")
            .env_remove("HFPAPERS_CONFIG")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

/// What a command printed on stdout.
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What a view shows, computed as the reader computes it (every row
/// held): the papers' ids in order, the status counts, the Watch notes.
pub struct Shown {
    pub ids: Vec<String>,
    pub marks: hfpapers::domain::interests::Marks,
    pub notes: Vec<(hfpapers::domain::model::PaperId, String)>,
}

/// Runs the view of `kind` (no filter, date order) over the store.
pub fn view(
    store: &hfpapers::store::Store,
    index: &hfpapers::search::index::Index,
    kind: hfpapers::app::ViewKind,
    today: hfpapers::domain::model::Day,
    interests: &hfpapers::domain::interests::Interests,
) -> Shown {
    let spec = hfpapers::app::ViewSpec {
        kind,
        filter: hfpapers::domain::query::Filter::default(),
        sort: hfpapers::domain::query::SortKey::Date,
        sample: false,
        period: hfpapers::domain::model::Period::Day,
    };
    let held = hfpapers::search::views::held(index);
    let action =
        hfpapers::search::views::run_view(store, Some(index), &[], &spec, today, &held, interests);
    let Ok(hfpapers::domain::view::Shown {
        entries,
        marks,
        notes,
        ..
    }) = action
    else {
        panic!("no results: {action:?}");
    };
    let ids = entries
        .all()
        .iter()
        .map(|e| e.row.id.as_str().to_string())
        .collect();
    Shown { ids, marks, notes }
}
