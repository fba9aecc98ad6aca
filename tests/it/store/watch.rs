//! The watch on code and weights: a starred paper whose code or models
//! appear (on a list re-fetched, or in its details, asked for at most once
//! a day by `sync`) shows in the Watch view with what it gained, without
//! its read state changing.

use crate::common;
use hfpapers::app::ViewKind;
use hfpapers::domain::model::{FetchedDay, Paper, PaperId, UserState, parse_day};
use hfpapers::store::Store;
use serde_json::json;
use std::path::Path;
use std::process::Output;
use wiremock::matchers::{path, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn hfpapers(endpoint: &str, data: &Path, args: &[&str]) -> Output {
    crate::run::cli(endpoint, data, args).await
}

fn details(code: bool, models: u64) -> serde_json::Value {
    let mut v = json!({
        "id": "2509.00001", "title": "Paper 1 of 2025-09-10", "upvotes": 9,
        "numTotalModels": models, "numTotalDatasets": 0, "numTotalSpaces": 0,
    });
    if code {
        v["githubRepo"] = json!("https://github.com/example/tortoise");
    }
    v
}

/// Pretends the last details request was two days ago.
fn age_the_check(data: &Path) {
    let store = Store::open(&hfpapers::store::store_dir(data)).unwrap();
    let two_days_ago = chrono::Utc::now().timestamp() - 2 * 86_400;
    store
        .set_watch_checked(&PaperId("2509.00001".into()), two_days_ago)
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_starred_paper_whose_code_and_models_appear_shows_in_watch_checked_once_a_day() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .and(query_param_is_missing("date"))
        .respond_with(ResponseTemplate::new(200).set_body_json(common::items(
            "2509",
            2,
            "2025-09-10",
        )))
        .mount(&server)
        .await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .with_priority(10)
        .mount(&server)
        .await;
    // First asked: no code, no models (the baseline). Then both appear.
    Mock::given(path("/api/papers/2509.00001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(details(false, 0)))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/papers/2509.00001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(details(true, 2)))
        .with_priority(2)
        .expect(1)
        .mount(&server)
        .await;
    let data = common::temp_dir();
    let uri = server.uri();
    assert!(
        hfpapers(&uri, data.path(), &["sync"])
            .await
            .status
            .success()
    );
    for mark in ["--star", "--read"] {
        let out = hfpapers(&uri, data.path(), &["mark", mark, "2509.00001"]).await;
        assert!(out.status.success(), "{out:?}");
    }
    // The next sync asks for the starred paper's details: the baseline.
    let out = hfpapers(&uri, data.path(), &["sync"]).await;
    assert!(
        !crate::run::stdout(&out).contains("watch:"),
        "{}",
        crate::run::stdout(&out)
    );
    assert_eq!(
        crate::run::stdout(&hfpapers(&uri, data.path(), &["watch"]).await),
        ""
    );
    // A sync the same day does not ask again (the second mock expects one
    // request in all, the one below).
    hfpapers(&uri, data.path(), &["sync"]).await;
    age_the_check(data.path());
    let out = hfpapers(&uri, data.path(), &["sync"]).await;
    assert!(out.status.success(), "{out:?}");
    assert!(
        crate::run::stdout(&out)
            .contains("watch: 2509.00001: code released: github.com/example/tortoise; 2 models"),
        "{}",
        crate::run::stdout(&out)
    );
    hfpapers(&uri, data.path(), &["sync"]).await;
    let listed = crate::run::stdout(&hfpapers(&uri, data.path(), &["watch"]).await);
    assert!(
        listed.starts_with("2509.00001\t")
            && listed.contains(
                "\tcode released: github.com/example/tortoise; 2 models\tPaper 1 of 2025-09-10"
            ),
        "{listed}"
    );
    let json: serde_json::Value = serde_json::from_str(&crate::run::stdout(
        &hfpapers(&uri, data.path(), &["watch", "--json"]).await,
    ))
    .unwrap();
    assert_eq!(json[0]["what"][1], "2 models");

    // In the reader: the Watch view lists it with what it gained, and
    // the paper is still read and starred.
    let store = Store::open(&hfpapers::store::store_dir(data.path())).unwrap();
    let id = PaperId("2509.00001".into());
    let state = store.state(&id).unwrap();
    assert!(state.read && state.starred, "{state:?}");
    assert_eq!(store.unseen_releases().unwrap(), 1);
    let (entries, notes) = watch_view(&store);
    assert_eq!(entries, ["2509.00001"]);
    assert_eq!(
        notes,
        [(
            id,
            "code released: github.com/example/tortoise; 2 models".to_string()
        )]
    );
    assert!(
        store
            .row(&PaperId("2509.00001".into()))
            .unwrap()
            .unwrap()
            .has_code
    );
    server.verify().await;
}

fn watch_view(store: &Store) -> (Vec<String>, Vec<(PaperId, String)>) {
    let index = hfpapers::search::index::Index::open(store).unwrap();
    let today = parse_day("2025-09-12").unwrap();
    let interests = hfpapers::domain::interests::Interests::default();
    let shown = crate::run::view(store, &index, ViewKind::Watch, today, &interests);
    (shown.ids, shown.notes)
}

#[test]
fn a_list_refetched_with_a_starred_papers_code_is_a_release_and_an_unstarred_ones_is_not() {
    let data = common::temp_dir();
    let store = Store::open(&hfpapers::store::store_dir(data.path())).unwrap();
    let day = parse_day("2025-09-10").unwrap();
    let paper = |id: &str, code: bool| Paper {
        id: PaperId(id.into()),
        title: format!("Paper {id}"),
        github_repo: code.then(|| format!("https://github.com/example/{id}")),
        ..Paper::default()
    };
    store
        .save_day(&FetchedDay::new(
            day,
            vec![paper("a", false), paper("b", false)],
        ))
        .unwrap();
    store
        .set_state(
            &PaperId("a".into()),
            &UserState {
                starred: true,
                ..UserState::default()
            },
        )
        .unwrap();
    store
        .save_day(&FetchedDay::new(
            day,
            vec![paper("a", true), paper("b", true)],
        ))
        .unwrap();
    let releases = store.releases().unwrap();
    assert_eq!(releases.len(), 1, "{releases:?}");
    assert_eq!(releases[0].0.as_str(), "a");
    assert_eq!(
        releases[0].1.describe(),
        "code released: github.com/example/a"
    );
    // Shown once in the Watch view, it is seen: the status line stops
    // counting it, the view still lists it.
    assert_eq!(store.unseen_releases().unwrap(), 1);
    store.mark_releases_seen().unwrap();
    assert_eq!(store.unseen_releases().unwrap(), 0);
    assert_eq!(store.releases().unwrap().len(), 1);
}
