//! Helpers shared by the integration tests: JSON items in the API shape.
#![allow(dead_code)]

use serde_json::{Value, json};

/// One `/api/daily_papers` item.
pub fn item(id: &str, title: &str, upvotes: u64, day: &str) -> Value {
    json!({
        "paper": {
            "id": id,
            "title": title,
            "summary": format!("Abstract of {title}."),
            "authors": [{"_id": "x", "name": "Ada Lovelace", "hidden": false}],
            "upvotes": upvotes,
            "submittedOnDailyAt": format!("{day}T00:00:00.000Z"),
        },
        "title": title,
        "numComments": 1,
    })
}

/// `n` items for `day`, ids `{prefix}.{i:05}`, upvotes descending from `n`.
pub fn items(prefix: &str, n: usize, day: &str) -> Vec<Value> {
    (0..n)
        .map(|i| {
            item(
                &format!("{prefix}.{i:05}"),
                &format!("Paper {i} of {day}"),
                (n - i) as u64,
                day,
            )
        })
        .collect()
}

/// A folder of the test's own, private as hfpapers makes its data dir
/// (else the first command would say it closed it).
pub fn temp_dir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    dir
}
pub mod fake_hf;

/// A client config with quick retries, so tests do not sleep through real backoff.
pub fn fast() -> hfpapers::source::ClientConfig {
    hfpapers::source::ClientConfig {
        retry: hfpapers::source::retry::RetryPolicy {
            max_attempts: 4,
            base: std::time::Duration::from_millis(5),
            cap: std::time::Duration::from_millis(20),
        },
        ..hfpapers::source::ClientConfig::default()
    }
}

/// The reader's effects over a store opened by a test (its data dir is
/// the store's parent, as `Store::open(&store_dir(data))` makes it).
pub fn effects_over(
    store: hfpapers::store::Store,
    client: Option<hfpapers::source::Client>,
    tx: tokio::sync::mpsc::UnboundedSender<hfpapers::app::Action>,
    log: Option<std::sync::Arc<hfpapers::store::changelog::ChangeLog>>,
    hooks: hfpapers::reader::effects::Hooks,
) -> hfpapers::reader::effects::Effects {
    let dir = hfpapers::library::DataDir::new(store.dir().parent().unwrap_or(store.dir()));
    let mut lib = hfpapers::library::Library::new(store, dir, client);
    if let Some(log) = log {
        lib = lib.with_log(log);
    }
    let setup = hfpapers::reader::effects::Setup {
        hooks,
        ..Default::default()
    };
    hfpapers::reader::effects::Effects::new(lib, tx, setup)
}
