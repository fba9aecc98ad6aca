//! Catch-up: fetch every missing day politely and store each as it arrives.
//!
//! The latest list comes first (it says which day is the newest published
//! one); then [`plan`](crate::source::plan::plan) decides the requests, which
//! run with bounded concurrency through the client's pacer. Each day is
//! saved in its own transaction the moment it arrives, so an interrupted
//! catch-up keeps what it got and the next one does not fetch it again. A
//! week or month request that fails falls back to its days one by one.

use crate::domain::model::Day;
use crate::source::{Client, FetchError, FetchedDay, ListQuery, Listing, plan};
use crate::store::{SaveReport, Store};
use futures::StreamExt;

/// The first Daily Papers digest (May 2023): no request asks for an
/// earlier day, whatever range is given.
pub const FIRST_DIGEST_DAY: Day = match Day::from_ymd_opt(2023, 5, 1) {
    Some(d) => d,
    None => Day::MIN,
};

/// Which days to bring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// From the newest stored day to the latest published one (the reader's
    /// start-up and a bare `hfpapers sync`).
    CatchUp,
    /// Exactly one day (`--date`).
    Day(Day),
    /// The last `n` days up to the latest published one (`--days N`).
    LastDays(u32),
    /// `--since D [--until D]`.
    Between(Day, Option<Day>),
}

/// Progress as days complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// One stored day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredDay {
    pub day: Day,
    pub report: SaveReport,
    /// This is the latest published list.
    pub latest: bool,
}

#[derive(Debug, Default)]
pub struct Report {
    /// Stored days, oldest first.
    pub days: Vec<StoredDay>,
    /// Requests that failed for good: what was asked and why.
    pub failed: Vec<(String, String)>,
    /// Why the sync stopped early: the store could not write (a full
    /// disk). What was stored before is in `days`.
    pub stopped: Option<String>,
    pub latest: Option<Day>,
    /// HTTP requests sent (pages and retries included).
    pub requests: usize,
    /// Every failure was the network being down.
    pub offline: bool,
    /// Starred papers whose details were asked for (the watch).
    pub watched: usize,
    /// What starred papers gained: code or weights (the watch).
    pub released: Vec<(crate::domain::model::PaperId, String)>,
}

impl Report {
    pub fn papers(&self) -> usize {
        self.days.iter().map(|d| d.report.papers).sum()
    }
    pub fn new_papers(&self) -> usize {
        self.days.iter().map(|d| d.report.new).sum()
    }
}

/// Runs a sync. `on_day` and `on_progress` are called as days are stored
/// (from the task running the sync). Fails only when the latest list could
/// not be had at all; later failures are listed in the report.
pub async fn run(
    client: &Client,
    store: &Store,
    range: Range,
    concurrency: usize,
    on_day: &(dyn Fn(StoredDay) + Send + Sync),
    on_progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Report, FetchError> {
    let before = client.requests_made();
    client.reset_wait_budget();
    let mut report = Report::default();
    let hooks = Hooks {
        on_day,
        on_progress,
    };
    // 1. The latest list: the newest published day, and usually most of what is new.
    let fetched_before = store.fetched_days().map_err(store_failure)?;
    let newest_stored = fetched_before.last().map(|(day, _)| *day);
    let (fresh_latest, latest_unchanged) = fetch_latest(client, store, &hooks, &mut report).await?;
    let Some(latest) = fresh_latest.or(newest_stored) else {
        return Err(FetchError::EmptyLatest {
            url: client.endpoint().to_string(),
        });
    };
    // 2. Plan the rest.
    let (from, to) = bounds(range, latest, &fetched_before);
    let have = |d: Day| matches!(store.day(d), Ok(Some(_)));
    let mut queries = match range {
        // An explicit day is always fetched, whatever the store holds.
        Range::Day(d) if d <= latest => vec![ListQuery::Day(d)],
        Range::Day(_) => Vec::new(),
        _ => plan::plan(from, to, latest, have),
    };
    // The latest list was just fetched (or is unchanged): asking for its
    // day again adds nothing.
    if fresh_latest.is_some() || latest_unchanged {
        queries.retain(|q| *q != ListQuery::Day(latest));
    }
    let within = |d: &Day| *d <= latest && *d >= from && *d <= to;
    // 3. Fetch, at most `concurrency` requests at a time; store each day as it comes.
    let offline = fetch_all(
        client,
        store,
        (queries, concurrency),
        &within,
        &hooks,
        &mut report,
    )
    .await;
    tracing::info!(
        days = report.days.len(),
        failed = report.failed.len(),
        requests = client.requests_made() - before,
        "sync finished"
    );
    for (what, why) in &report.failed {
        tracing::warn!(request = %what, error = %why, "request failed");
    }
    report.days.sort_by_key(|d| d.day);
    // 4. The watch: starred papers' code and weights, politely.
    if offline == 0 && report.stopped.is_none() {
        refresh_watched(client, store, latest, &mut report).await;
    }
    // The service answered the latest list: this is a sync, even when it
    // brought nothing new.
    if report.stopped.is_none() {
        let _ = store.mark_synced();
    }
    report.latest = Some(latest);
    report.requests = client.requests_made() - before;
    report.offline = offline > 0 && offline == report.failed.len();
    Ok(report)
}

/// How far back a starred paper is watched (by its digest day).
const WATCH_DAYS: i64 = 90;
/// At most this many details requests per sync; the rest wait for the next.
const WATCH_PER_SYNC: usize = 30;

/// Refreshes the details of starred papers of the last [`WATCH_DAYS`]
/// days, each at most once a day ([`crate::store::watch::WATCH_EVERY_SECS`]),
/// one request at a time through the client's pacer, noting what they
/// gained. A paper the service does not know (404) is asked again the
/// next day; the network going down ends the round.
async fn refresh_watched(client: &Client, store: &Store, latest: Day, report: &mut Report) {
    let since = latest - chrono::Duration::days(WATCH_DAYS);
    let now = chrono::Utc::now().timestamp();
    let due = match store.watch_due(since, now, WATCH_PER_SYNC) {
        Ok(due) => due,
        Err(e) => {
            tracing::warn!(error = %e, "the watch could not read the store");
            return;
        }
    };
    for id in due {
        if let Err(e) = store.set_watch_checked(&id, now) {
            tracing::warn!(error = %e, "the watch could not write the store");
            return;
        }
        report.watched += 1;
        match client.paper_details(&id).await {
            Ok(paper) => match store.save_details_noting(&paper) {
                Ok(Some(Some(release))) => report.released.push((id, release.describe())),
                Ok(_) => {}
                Err(e) => {
                    report
                        .failed
                        .push((format!("details of {id}"), e.to_string()));
                    return;
                }
            },
            Err(e) if e.is_offline() => return,
            Err(e) => tracing::info!(paper = %id, error = %e, "watch: no details"),
        }
    }
}

/// Fetches and stores the latest list. Returns its day when it brought
/// one, and whether it was unchanged (a 304).
async fn fetch_latest(
    client: &Client,
    store: &Store,
    hooks: &Hooks<'_>,
    report: &mut Report,
) -> Result<(Option<Day>, bool), FetchError> {
    let mut fresh_latest = None;
    match client.list(ListQuery::Latest, Some(store)).await? {
        Listing::Fresh {
            days, validators, ..
        } => {
            for fetched in &days {
                let saved = store.save_day(fetched).map_err(store_failure)?;
                hooks.stored(
                    StoredDay {
                        day: fetched.day,
                        report: saved,
                        latest: true,
                    },
                    report,
                );
                fresh_latest = Some(fetched.day);
            }
            if let Some((url, v)) = validators {
                let _ = store.set_validators(&url, &v);
            }
            Ok((fresh_latest, false))
        }
        Listing::NotModified => Ok((None, true)),
    }
}

/// The first and last day a range covers, given the latest published day.
fn bounds(range: Range, latest: Day, fetched_before: &[(Day, usize)]) -> (Day, Day) {
    let (from, to) = match range {
        // From the newest day stored before the latest list: a store that
        // has today's list but missed last week still fills last week.
        // A store that has something also refetches the recent days,
        // whose upvotes still move (the popularity history).
        Range::CatchUp => {
            let last_synced = fetched_before
                .iter()
                .rev()
                .map(|(d, _)| *d)
                .find(|d| *d < latest);
            let recent = latest - chrono::Duration::days(plan::RECENT_DAYS - 1);
            (last_synced.map_or(latest, |d| d.min(recent)), latest)
        }
        Range::Day(d) => (d, d),
        Range::LastDays(n) => (
            chrono::Duration::try_days(i64::from(n.max(1)) - 1)
                .and_then(|d| latest.checked_sub_signed(d))
                .unwrap_or(FIRST_DIGEST_DAY),
            latest,
        ),
        Range::Between(since, until) => (since, until.unwrap_or(latest)),
    };
    // Nothing is asked for before the digest existed.
    (from.max(FIRST_DIGEST_DAY), to)
}

/// Who hears about a sync as it goes.
struct Hooks<'a> {
    on_day: &'a (dyn Fn(StoredDay) + Send + Sync),
    on_progress: &'a (dyn Fn(Progress) + Send + Sync),
}

impl Hooks<'_> {
    fn stored(&self, day: StoredDay, report: &mut Report) {
        report.days.push(day);
        (self.on_day)(day);
    }
}

/// Runs the planned requests, `concurrency` at a time, storing each day as
/// it comes and reporting progress; failures go to the report. Returns how
/// many failed because the network (not the service) was the problem.
async fn fetch_all(
    client: &Client,
    store: &Store,
    (queries, concurrency): (Vec<ListQuery>, usize),
    within: &(dyn Fn(&Day) -> bool + Sync),
    hooks: &Hooks<'_>,
    report: &mut Report,
) -> usize {
    let total: usize = queries
        .iter()
        .map(|q| q.days().iter().filter(|d| within(d)).count())
        .sum();
    let mut done = 0;
    (hooks.on_progress)(Progress { done: 0, total });
    let results = futures::stream::iter(queries)
        .map(|query| async move {
            let outcome = fetch_query(client, store, query, &within).await;
            (query, outcome)
        })
        .buffer_unordered(concurrency.max(1));
    futures::pin_mut!(results);
    let mut offline = 0;
    while let Some((query, outcome)) = results.next().await {
        match outcome {
            Ok(days) => {
                done += days.len();
                for day in days {
                    hooks.stored(day, report);
                }
            }
            Err(e) => {
                done += query.days().iter().filter(|d| within(d)).count();
                if e.is_offline() {
                    offline += 1;
                }
                report.failed.push((query.label(), e.to_string()));
                // A store that cannot write (a full disk) makes every
                // further request wasted: stop with what is stored.
                if let FetchError::Store(e) = e {
                    report.stopped = Some(e.to_string());
                    break;
                }
            }
        }
        (hooks.on_progress)(Progress { done, total });
    }
    offline
}

/// Fetches one planned request and stores its days; a failed week or month
/// is retried as single days.
async fn fetch_query(
    client: &Client,
    store: &Store,
    query: ListQuery,
    within: &(dyn Fn(&Day) -> bool + Sync),
) -> Result<Vec<StoredDay>, FetchError> {
    match store_listing(client, store, query, within).await {
        Err(e)
            if matches!(query, ListQuery::Week(_) | ListQuery::Month(_))
                && !e.is_offline()
                && !matches!(e, FetchError::Store(_)) =>
        {
            let mut out = Vec::new();
            for day in query.days().into_iter().filter(|d| within(d)) {
                out.extend(store_listing(client, store, ListQuery::Day(day), within).await?);
            }
            Ok(out)
        }
        other => other,
    }
}

async fn store_listing(
    client: &Client,
    store: &Store,
    query: ListQuery,
    within: &(dyn Fn(&Day) -> bool + Sync),
) -> Result<Vec<StoredDay>, FetchError> {
    let (days, validators) = match client.list(query, Some(store)).await? {
        Listing::NotModified => return Ok(Vec::new()),
        Listing::Fresh {
            days, validators, ..
        } => (days, validators),
    };
    let mut out = Vec::new();
    for fetched in days.iter().filter(|f| within(&f.day)) {
        out.push(save(store, fetched)?);
    }
    if let Some((url, v)) = validators {
        let _ = store.set_validators(&url, &v);
    }
    Ok(out)
}

fn save(store: &Store, fetched: &FetchedDay) -> Result<StoredDay, FetchError> {
    let report = store.save_day(fetched).map_err(store_failure)?;
    Ok(StoredDay {
        day: fetched.day,
        report,
        latest: false,
    })
}

fn store_failure(e: crate::store::StoreError) -> FetchError {
    FetchError::Store(e)
}
