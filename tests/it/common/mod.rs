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

pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
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
