//! A sync as both frontends run it: the ranges asked for, one after the
//! other (stopping at the first that fails), then a round of full texts
//! as the config says, summed up in one [`SyncSummary`]. Progress comes
//! through the caller's callbacks; the new papers on the latest digest
//! are returned for `notify_command`, which the frontend runs.

use super::Library;
use crate::domain::model::Day;
use crate::source::FetchError;
use crate::source::sync::{Progress, Range, Report, StoredDay};
use crate::source::texts::TextReport;

/// How many full texts are fetched at once after a sync.
const TEXT_CONCURRENCY: usize = 2;

/// What a sync did.
#[derive(Debug, Default)]
pub struct Synced {
    /// One report per range that ran, in order.
    pub reports: Vec<Report>,
    /// The range that failed, and why (the later ones did not run).
    pub error: Option<FetchError>,
    /// The round of full texts (none when offline or failed).
    pub texts: TextReport,
    /// The latest digest's day and its new papers, when it brought any.
    pub new_digest: Option<(Day, usize)>,
    pub summary: SyncSummary,
}

impl Library {
    /// Runs `ranges` in order with `concurrency` requests at once; each
    /// stored day and the progress go to the callbacks as they happen.
    pub async fn sync(
        &self,
        ranges: &[Range],
        concurrency: usize,
        on_day: &(dyn Fn(StoredDay) + Send + Sync),
        on_progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Synced {
        let mut synced = Synced::default();
        let Some(client) = &self.client else {
            synced.summary.offline = true;
            return synced;
        };
        for range in ranges {
            match crate::source::sync::run(
                client,
                &self.store,
                *range,
                concurrency,
                on_day,
                on_progress,
            )
            .await
            {
                Ok(report) => {
                    add_report(&mut synced.summary, &report);
                    if synced.new_digest.is_none() {
                        synced.new_digest = report
                            .days
                            .iter()
                            .find(|d| d.latest && d.report.new > 0)
                            .map(|d| (d.day, d.report.new));
                    }
                    synced.reports.push(report);
                }
                Err(e) => {
                    synced.summary.offline |= e.is_offline();
                    synced.summary.failed.push(e.to_string());
                    synced.error = Some(e);
                    break;
                }
            }
        }
        if !synced.summary.offline && synced.error.is_none() {
            synced.texts = crate::source::texts::fetch_texts(
                client,
                &self.store,
                self.texts,
                TEXT_CONCURRENCY,
            )
            .await;
            synced.summary.texts = synced.texts.fetched;
        }
        synced.summary.cached_days = self.store.days_with_papers().map_or(0, |d| d.len());
        synced.summary.watch_unseen = self.store.unseen_releases().unwrap_or(0);
        synced.summary.synced_at = self.store.last_sync().ok().flatten();
        synced
    }
}

/// A range's report, added to the summary.
fn add_report(summary: &mut SyncSummary, report: &Report) {
    summary.days += report.days.len();
    summary.papers += report.papers();
    summary.new += report.new_papers();
    summary.offline |= report.offline;
    summary.released += report.released.len();
    summary.failed.extend(
        report
            .failed
            .iter()
            .map(|(what, why)| format!("{what}: {why}")),
    );
}

/// How a sync ended, summed over its ranges: what the status line and
/// the reader's notice say.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncSummary {
    pub days: usize,
    pub papers: usize,
    pub new: usize,
    /// One line per request that failed for good.
    pub failed: Vec<String>,
    /// The network, not the service, was the problem.
    pub offline: bool,
    /// Days with papers in the store now.
    pub cached_days: usize,
    /// Starred papers that gained code or weights in this sync.
    pub released: usize,
    /// Releases the Watch view has not shown yet.
    pub watch_unseen: usize,
    /// Full texts fetched and kept in this sync.
    pub texts: usize,
    /// When the service last answered (RFC 3339), for the status line.
    pub synced_at: Option<String>,
}
