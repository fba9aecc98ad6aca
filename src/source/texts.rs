//! Full texts, fetched ahead for reading offline: after a sync, the
//! Markdown of the papers the policy names (`fulltext` in the config),
//! a few requests at a time through the client's pacer, each stored as it
//! arrives. Papers already stored are skipped, so an interrupted round
//! resumes where it stopped.

use crate::domain::model::{PaperId, TextPolicy};
use crate::source::{Client, FetchError};
use crate::store::Store;
use crate::store::texts::Kept;
use futures::StreamExt;

/// At most this many texts per round; the rest wait for the next sync.
pub const PER_ROUND: usize = 200;

/// What to fetch and how much to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextConfig {
    pub policy: TextPolicy,
    pub max_bytes: usize,
    pub total_bytes: u64,
}

/// What a round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TextReport {
    pub fetched: usize,
    /// Kept cut at the size cap.
    pub cut: usize,
    /// Not indexed by Hugging Face (404).
    pub absent: usize,
    /// The total cap was reached: the round stopped.
    pub full: bool,
    /// What failed, and why.
    pub failed: Vec<(String, String)>,
}

/// Fetches the texts the policy wants and the store lacks.
pub async fn fetch_texts(
    client: &Client,
    store: &Store,
    config: TextConfig,
    concurrency: usize,
) -> TextReport {
    let mut report = TextReport::default();
    let wanted = match store.texts_wanted(config.policy, PER_ROUND) {
        Ok(ids) => ids,
        Err(e) => {
            report.failed.push(("full texts".into(), e.to_string()));
            return report;
        }
    };
    fetch_these(client, store, &wanted, config, concurrency, &mut report).await;
    report
}

/// Fetches and stores the texts of `ids`.
pub async fn fetch_these(
    client: &Client,
    store: &Store,
    ids: &[PaperId],
    config: TextConfig,
    concurrency: usize,
    report: &mut TextReport,
) {
    let answers = futures::stream::iter(ids.iter().cloned())
        .map(|id| async move {
            let got = client.fulltext(&id).await;
            (id, got)
        })
        .buffer_unordered(concurrency.max(1));
    futures::pin_mut!(answers);
    while let Some((id, got)) = answers.next().await {
        let kept = match got {
            Ok(Some(markdown)) => {
                store.save_text(&id, &markdown, (config.max_bytes, config.total_bytes))
            }
            Ok(None) => {
                report.absent += 1;
                store
                    .mark_text_absent(&id)
                    .map(|()| Kept::Stored { size: 0, kept: 0 })
            }
            Err(e) => {
                let offline = e.is_offline();
                report
                    .failed
                    .push((format!("full text of {id}"), e.to_string()));
                if offline || matches!(e, FetchError::RateLimited { .. }) {
                    return;
                }
                continue;
            }
        };
        match kept {
            Ok(Kept::Full) => {
                report.full = true;
                return;
            }
            Ok(Kept::Truncated { .. }) => {
                report.fetched += 1;
                report.cut += 1;
            }
            Ok(Kept::Stored { size, .. }) => report.fetched += usize::from(size > 0),
            Err(e) => {
                report
                    .failed
                    .push((format!("full text of {id}"), e.to_string()));
                return;
            }
        }
    }
}
