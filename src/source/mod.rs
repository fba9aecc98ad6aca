//! Fetching the digest over HTTP: the only code that talks to the network.
//!
//! `GET {HF_ENDPOINT}/api/daily_papers?date=D&limit=100&p=N` (or `week=`,
//! `month=`), paged until a short page; the latest list is the same request
//! without a period, its day taken from `paper.submittedOnDailyAt`. Requests
//! are paced, retried with backoff ([`retry`]) and conditional (`ETag` /
//! Last-Modified) where the caller keeps validators. When the JSON API
//! answers with something else than its documented JSON, the HTML page's
//! data island ([`html`]) is read instead. Every failure is a typed
//! [`FetchError`] whose message says what happened.

mod client;
use crate::domain::parse;
pub mod html;
pub mod plan;
pub mod retry;
pub mod sync;
pub mod texts;
pub mod thumbs;

pub use client::{Client, ClientConfig};

use crate::domain::model::{Day, Paper, fmt_day};
use chrono::Datelike;
use parse::ParseError;

/// The Hugging Face convention for pointing clients at another server.
pub const DEFAULT_ENDPOINT: &str = "https://huggingface.co";
/// Items per page; the API refuses more than 100.
pub const PAGE_SIZE: usize = 100;
/// Larger bodies are refused rather than buffered.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("invalid endpoint {0:?}: expected an http(s) URL such as https://huggingface.co")]
    Endpoint(String),
    #[error("cannot reach {url}: {detail}")]
    Connect { url: String, detail: String },
    /// A redirect off the hosts hfpapers fetches from: not followed.
    #[error("{url}: {detail}")]
    Redirected { url: String, detail: String },
    #[error("{url} did not answer in time")]
    Timeout { url: String },
    #[error("{url} answered HTTP {status}: {message}")]
    Status {
        url: String,
        status: u16,
        message: String,
    },
    #[error("{url} sent a bad response: {source}")]
    Parse { url: String, source: ParseError },
    #[error("{url} sent more than {} MiB", MAX_BODY / 1024 / 1024)]
    TooLarge { url: String },
    #[error("{url} broke off its answer: {detail}")]
    Truncated { url: String, detail: String },
    #[error(
        "rate limited by the server until {until} ({url}); what arrived is stored, try again then"
    )]
    RateLimited { url: String, until: String },
    #[error("the latest list from {url} is empty")]
    EmptyLatest { url: String },
    /// Not a source of the error chain: its text is part of this one's,
    /// so a chain printed whole says it once.
    #[error("could not store what was fetched: {0}")]
    Store(crate::store::StoreError),
    #[error("{json}; the HTML page did not help either ({html})")]
    Fallback {
        json: Box<FetchError>,
        html: Box<FetchError>,
    },
}

impl From<crate::store::StoreError> for FetchError {
    fn from(e: crate::store::StoreError) -> FetchError {
        FetchError::Store(e)
    }
}

impl FetchError {
    /// True when the network, not the service, is the problem: the app then
    /// says "offline" instead of reporting an error.
    pub fn is_offline(&self) -> bool {
        matches!(
            self,
            FetchError::Connect { .. } | FetchError::Timeout { .. }
        )
    }
}

pub use crate::domain::model::{FetchedDay, HttpCache, Validators};

/// Which list to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ListQuery {
    Latest,
    Day(Day),
    /// The ISO week holding this Monday.
    Week(Day),
    /// The month starting on this day.
    Month(Day),
}

impl ListQuery {
    /// The ISO week of `day`.
    pub fn week_of(day: Day) -> ListQuery {
        let monday = day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()));
        ListQuery::Week(monday)
    }

    pub fn month_of(day: Day) -> ListQuery {
        ListQuery::Month(day.with_day(1).unwrap_or(day))
    }

    fn api_param(self) -> Option<(&'static str, String)> {
        match self {
            ListQuery::Latest => None,
            ListQuery::Day(d) => Some(("date", fmt_day(d))),
            ListQuery::Week(m) => {
                let w = m.iso_week();
                Some(("week", format!("{}-W{:02}", w.year(), w.week())))
            }
            ListQuery::Month(m) => Some(("month", m.format("%Y-%m").to_string())),
        }
    }

    fn html_path(self) -> String {
        match self.api_param() {
            None => "papers".into(),
            Some(("date", v)) => format!("papers/date/{v}"),
            Some((kind, v)) => format!("papers/{kind}/{v}"),
        }
    }

    /// The digest days the answer covers (none for the latest list).
    pub fn days(&self) -> Vec<Day> {
        let (first, n) = match *self {
            ListQuery::Latest => return Vec::new(),
            ListQuery::Day(d) => (d, 1),
            ListQuery::Week(m) => (m, 7),
            ListQuery::Month(m) => {
                let next = if m.month() == 12 {
                    Day::from_ymd_opt(m.year() + 1, 1, 1)
                } else {
                    Day::from_ymd_opt(m.year(), m.month() + 1, 1)
                };
                (m, next.map_or(31, |n| (n - m).num_days()))
            }
        };
        (0..n).map(|i| first + chrono::Duration::days(i)).collect()
    }

    /// How a person would name it: `2025-09-10`, `week 2025-W37`, `month 2025-09`, `latest`.
    pub fn label(&self) -> String {
        match self.api_param() {
            None => "latest".into(),
            Some(("date", v)) => v,
            Some((kind, v)) => format!("{kind} {v}"),
        }
    }
}

/// What a list request brought.
#[derive(Debug, Clone, PartialEq)]
pub enum Listing {
    /// 304: nothing changed since the validators were kept.
    NotModified,
    Fresh {
        /// One entry per covered day, empty days included (week/month);
        /// for the latest list, the one day it turned out to be.
        days: Vec<FetchedDay>,
        /// To keep once `days` are stored, for the next conditional request.
        validators: Option<(String, Validators)>,
        /// Read from the HTML page because the JSON API failed.
        via_html: bool,
    },
}
