//! Fetching the digest over HTTP: the only code that talks to the network.
//!
//! `GET {HF_ENDPOINT}/api/daily_papers?date=D&limit=100&p=N`, paged until a
//! short page; the latest list is the same request without `date`, its day
//! taken from `paper.submittedOnDailyAt`. Every failure is a typed
//! [`FetchError`] whose message says what happened.

pub mod parse;

use crate::model::{Day, Paper, fmt_day};
use parse::{ParseError, daily_day, parse_daily};
use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

/// The Hugging Face convention for pointing clients at another server.
pub const DEFAULT_ENDPOINT: &str = "https://huggingface.co";
/// Items per page; the API refuses more than 100.
pub const PAGE_SIZE: usize = 100;
/// A guard against a server that keeps sending full pages.
const MAX_PAGES: usize = 20;
/// Larger bodies are refused rather than buffered.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("invalid endpoint {0:?}: expected an http(s) URL such as https://huggingface.co")]
    Endpoint(String),
    #[error("cannot reach {url}: {detail}")]
    Connect { url: String, detail: String },
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
    #[error("the latest list from {url} is empty")]
    EmptyLatest { url: String },
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

/// One digest day as fetched.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchedDay {
    pub day: Day,
    /// In digest order: most upvoted first, ties kept in the order sent.
    pub papers: Vec<Paper>,
}

/// An HTTP client bound to one endpoint.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: url::Url,
}

impl Client {
    /// Reads `HF_ENDPOINT` (default huggingface.co) and `HF_TOKEN`.
    pub fn from_env() -> Result<Client, FetchError> {
        let base = std::env::var("HF_ENDPOINT")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string());
        let token = std::env::var("HF_TOKEN")
            .ok()
            .filter(|s| !s.trim().is_empty());
        Client::new(&base, token.as_deref())
    }

    pub fn new(base: &str, token: Option<&str>) -> Result<Client, FetchError> {
        let mut base_url =
            url::Url::parse(base.trim()).map_err(|_| FetchError::Endpoint(base.to_string()))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(FetchError::Endpoint(base.to_string()));
        }
        // So that joining "api/daily_papers" keeps any path prefix.
        if !base_url.path().ends_with('/') {
            let path = format!("{}/", base_url.path());
            base_url.set_path(&path);
        }
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(token) = token {
            let value = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", token.trim()))
                .map_err(|_| {
                    FetchError::Endpoint("HF_TOKEN holds characters not allowed in a header".into())
                })?;
            headers.insert(reqwest::header::AUTHORIZATION, value);
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("hfpapers/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .connect_timeout(Duration::from_secs(5))
            .read_timeout(Duration::from_secs(15))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| FetchError::Endpoint(e.to_string()))?;
        Ok(Client {
            http,
            base: base_url,
        })
    }

    /// The endpoint this client talks to, for messages.
    pub fn endpoint(&self) -> &str {
        self.base.as_str()
    }

    /// Fetches one day's digest, all pages. An empty day is `Ok` with no papers.
    pub async fn day(&self, day: Day) -> Result<FetchedDay, FetchError> {
        let papers = self.all_pages(Some(day)).await?;
        Ok(FetchedDay {
            day,
            papers: digest_order(papers),
        })
    }

    /// Fetches the latest published list; its day is the one most of its
    /// papers carry in `submittedOnDailyAt`.
    pub async fn latest(&self) -> Result<FetchedDay, FetchError> {
        let papers = self.all_pages(None).await?;
        let mut votes: BTreeMap<Day, usize> = BTreeMap::new();
        for p in &papers {
            if let Some(d) = daily_day(p) {
                *votes.entry(d).or_default() += 1;
            }
        }
        // Most papers wins; on a tie the later day.
        let day = votes
            .iter()
            .max_by_key(|(d, n)| (**n, **d))
            .map(|(d, _)| *d);
        let Some(day) = day else {
            return Err(FetchError::EmptyLatest {
                url: self.url_for(None, 0).to_string(),
            });
        };
        // Papers that name another day belong to that day's list, not this one.
        let papers = papers
            .into_iter()
            .filter(|p| daily_day(p).is_none_or(|d| d == day))
            .collect();
        Ok(FetchedDay {
            day,
            papers: digest_order(papers),
        })
    }

    async fn all_pages(&self, day: Option<Day>) -> Result<Vec<Paper>, FetchError> {
        let mut seen = HashSet::new();
        let mut papers = Vec::new();
        for page in 0..MAX_PAGES {
            let url = self.url_for(day, page);
            let body = self.get(&url).await?;
            let parsed = parse_daily(&body).map_err(|source| FetchError::Parse {
                url: url.to_string(),
                source,
            })?;
            let count = parsed.papers.len() + parsed.skipped;
            for p in parsed.papers {
                if seen.insert(p.id.clone()) {
                    papers.push(p);
                }
            }
            if count < PAGE_SIZE {
                break;
            }
        }
        Ok(papers)
    }

    fn url_for(&self, day: Option<Day>, page: usize) -> url::Url {
        let mut url = self
            .base
            .join("api/daily_papers")
            .expect("relative path joins");
        {
            let mut q = url.query_pairs_mut();
            if let Some(day) = day {
                q.append_pair("date", &fmt_day(day));
            }
            q.append_pair("limit", &PAGE_SIZE.to_string());
            q.append_pair("p", &page.to_string());
        }
        url
    }

    /// One GET with a capped body. Non-2xx statuses become [`FetchError::Status`]
    /// carrying the service's `{"error": ...}` text when there is one.
    async fn get(&self, url: &url::Url) -> Result<Vec<u8>, FetchError> {
        let shown = url.to_string();
        let mut resp = self
            .http
            .get(url.clone())
            .send()
            .await
            .map_err(|e| transport_error(&shown, e))?;
        let status = resp.status();
        let mut body = Vec::new();
        if resp.content_length().is_some_and(|n| n as usize > MAX_BODY) {
            return Err(FetchError::TooLarge { url: shown });
        }
        while let Some(chunk) = resp.chunk().await.map_err(|e| transport_error(&shown, e))? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(FetchError::TooLarge { url: shown });
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            let message = match parse_daily(&body) {
                Err(ParseError::Api(msg)) => msg,
                _ => status
                    .canonical_reason()
                    .unwrap_or("unexpected status")
                    .to_string(),
            };
            return Err(FetchError::Status {
                url: shown,
                status: status.as_u16(),
                message,
            });
        }
        Ok(body)
    }
}

fn transport_error(url: &str, e: reqwest::Error) -> FetchError {
    if e.is_timeout() {
        FetchError::Timeout { url: url.into() }
    } else {
        // The innermost cause is the useful part ("Connection refused").
        let mut detail = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            detail = s.to_string();
            source = s.source();
        }
        FetchError::Connect {
            url: url.into(),
            detail: crate::text::one_line(&detail),
        }
    }
}

/// The service does not promise an order; the page ranks by upvotes.
fn digest_order(mut papers: Vec<Paper>) -> Vec<Paper> {
    papers.sort_by_key(|p| std::cmp::Reverse(p.upvotes));
    papers
}
