//! The HTTP client: one GET paced, retried and capped; lists paged, split
//! into days, and read from the HTML page when the JSON API fails.

use super::{
    DEFAULT_ENDPOINT, Datelike, Day, FetchError, FetchedDay, HttpCache, ListQuery, Listing,
    MAX_BODY, PAGE_SIZE, Paper, ParseError, Validators, fmt_day, html, parse, retry,
};
use crate::domain::model::PaperId;
use parse::{daily_day, parse_daily};
use retry::{Pacer, RetryPolicy};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A guard against a server that keeps sending full pages.
const MAX_PAGES: usize = 20;

/// Timeouts, retries and pacing of a client.
#[derive(Debug, Clone, Copy)]
pub struct ClientConfig {
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub total_timeout: Duration,
    pub retry: RetryPolicy,
    pub burst: f64,
    pub per_second: f64,
    /// The most a sync waits because servers asked it to (`Retry-After`,
    /// `RateLimit`), in all: a longer ask ends the request as rate limited.
    pub max_server_wait: Duration,
    /// One request, all its attempts and waits included, ends by then.
    pub deadline: Duration,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(15),
            total_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            burst: 60.0,
            per_second: 1.3,
            max_server_wait: Duration::from_secs(60),
            deadline: Duration::from_secs(120),
        }
    }
}

/// An HTTP client bound to one endpoint. Clones share the pacer and the
/// request counter.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: url::Url,
    config: ClientConfig,
    pacer: Arc<tokio::sync::Mutex<Pacer>>,
    requests: Arc<AtomicUsize>,
    /// What is left of [`ClientConfig::max_server_wait`] in this sync.
    wait_budget: Arc<std::sync::Mutex<Duration>>,
}

enum Answer {
    NotModified,
    Body {
        bytes: Vec<u8>,
        validators: Validators,
    },
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
        Client::with_config(base, token, ClientConfig::default())
    }

    pub fn with_config(
        base: &str,
        token: Option<&str>,
        config: ClientConfig,
    ) -> Result<Client, FetchError> {
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
        let allowed = base_url.clone();
        // Every hop is checked as the first URL was: a redirect may not
        // carry a fetch (a thumbnail, a full text) to another host, nor
        // from https to http.
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
            } else if is_allowed(&allowed, attempt.url()) {
                attempt.follow()
            } else {
                let to = attempt.url().to_string();
                attempt.error(format!(
                    "redirected to {to}, which is neither Hugging Face (https) nor the endpoint; not followed"
                ))
            }
        });
        let http = reqwest::Client::builder()
            .redirect(redirects)
            .user_agent(concat!("hfpapers/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .timeout(config.total_timeout)
            .build()
            .map_err(|e| FetchError::Endpoint(e.to_string()))?;
        Ok(Client {
            http,
            base: base_url,
            config,
            pacer: Arc::new(tokio::sync::Mutex::new(Pacer::new(
                config.burst,
                config.per_second,
            ))),
            requests: Arc::new(AtomicUsize::new(0)),
            wait_budget: Arc::new(std::sync::Mutex::new(config.max_server_wait)),
        })
    }

    /// A path of the service under the endpoint. The endpoint is an http(s)
    /// base ending in `/` (checked in [`Client::with_config`]) and every path
    /// here is a relative one of ours, so joining cannot fail; were it to,
    /// the request goes to the endpoint itself and fails as a bad answer.
    fn at_path(&self, path: &str) -> url::Url {
        self.base.join(path).unwrap_or_else(|_| self.base.clone())
    }

    /// A new sync starts with the whole budget of server-asked waits.
    pub fn reset_wait_budget(&self) {
        *self
            .wait_budget
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = self.config.max_server_wait;
    }

    /// Takes `asked` from the budget of server-asked waits; false (taking
    /// nothing) when it does not fit.
    fn take_wait(&self, asked: Duration) -> bool {
        let mut left = self
            .wait_budget
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match left.checked_sub(asked) {
            Some(rest) => {
                *left = rest;
                true
            }
            None => false,
        }
    }

    /// The endpoint this client talks to, for messages.
    pub fn endpoint(&self) -> &str {
        self.base.as_str()
    }

    /// HTTP requests sent so far (retries and pages included).
    pub fn requests_made(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// Fetches one day's digest, all pages. An empty day is `Ok` with no papers.
    pub async fn day(&self, day: Day) -> Result<FetchedDay, FetchError> {
        self.single(ListQuery::Day(day)).await
    }

    /// Fetches the latest published list; its day is the one most of its
    /// papers carry in `submittedOnDailyAt`.
    pub async fn latest(&self) -> Result<FetchedDay, FetchError> {
        self.single(ListQuery::Latest).await
    }

    async fn single(&self, query: ListQuery) -> Result<FetchedDay, FetchError> {
        match self.list(query, None).await? {
            Listing::Fresh { mut days, .. } if !days.is_empty() => Ok(days.remove(0)),
            _ => Err(FetchError::EmptyLatest {
                url: self.api_url(query, 0).to_string(),
            }),
        }
    }

    /// Fetches a list. Day and latest lists fall back to the HTML page when
    /// the JSON API fails in a way the page may not (404, 5xx, wrong shape).
    pub async fn list(
        &self,
        query: ListQuery,
        cache: Option<&dyn HttpCache>,
    ) -> Result<Listing, FetchError> {
        let json_err = match self.json_pages(query, cache).await {
            Ok(None) => return Ok(Listing::NotModified),
            Ok(Some((papers, validators))) => {
                let days = self.split(query, papers)?;
                return Ok(Listing::Fresh {
                    days,
                    validators,
                    via_html: false,
                });
            }
            Err(e) => e,
        };
        let html_worth_trying = matches!(query, ListQuery::Latest | ListQuery::Day(_))
            && match &json_err {
                FetchError::Status { status, .. } => *status == 404 || *status >= 500,
                FetchError::Parse { .. } => true,
                _ => false,
            };
        if !html_worth_trying {
            return Err(json_err);
        }
        match self.html_list(query).await {
            Ok(days) => Ok(Listing::Fresh {
                days,
                validators: None,
                via_html: true,
            }),
            // The JSON error is the one worth reporting; say the page failed too.
            Err(html_err) => Err(FetchError::Fallback {
                json: Box::new(json_err),
                html: Box::new(html_err),
            }),
        }
    }

    /// `GET /api/papers/search?q=TEXT&limit=50`: papers on Hugging Face
    /// matching the text, in the service's order.
    pub async fn search(&self, text: &str) -> Result<Vec<Paper>, FetchError> {
        let mut url = self.at_path("api/papers/search");
        // The service takes at most 250 characters.
        let q: String = text.trim().chars().take(250).collect();
        url.query_pairs_mut()
            .append_pair("q", &q)
            .append_pair("limit", "50");
        let Answer::Body { bytes, .. } = self.get(&url, None).await? else {
            unreachable!("no validators were sent");
        };
        let parsed = parse_daily(&bytes).map_err(|source| FetchError::Parse {
            url: url.to_string(),
            source,
        })?;
        Ok(parsed.papers)
    }

    /// `GET /api/daily_papers?sort=trending`: the rolling list of papers
    /// trending on Hugging Face now (it ignores dates).
    pub async fn trending(&self) -> Result<Vec<Paper>, FetchError> {
        let mut url = self.at_path("api/daily_papers");
        url.query_pairs_mut()
            .append_pair("sort", "trending")
            .append_pair("limit", "50");
        let Answer::Body { bytes, .. } = self.get(&url, None).await? else {
            unreachable!("no validators were sent");
        };
        let parsed = parse_daily(&bytes).map_err(|source| FetchError::Parse {
            url: url.to_string(),
            source,
        })?;
        Ok(parsed.papers)
    }

    /// `GET /api/papers/{id}`: the paper with GitHub stars and its counts
    /// of linked models, datasets and Spaces.
    pub async fn paper_details(&self, id: &PaperId) -> Result<Paper, FetchError> {
        let mut url = self.at_path("api/papers/");
        // The base is an http(s) URL (checked when the client was made), so
        // it has path segments; the id is pushed as one, encoded.
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push(id.as_str());
        }
        let Answer::Body { bytes, .. } = self.get(&url, None).await? else {
            unreachable!("no validators were sent");
        };
        let shown = url.to_string();
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| FetchError::Parse {
                url: shown.clone(),
                source: ParseError::Json(e.to_string()),
            })?;
        let mut paper = parse::parse_item(&value).ok_or(FetchError::Parse {
            url: shown,
            source: ParseError::Shape("an object without a paper id"),
        })?;
        let count = |k: &str| {
            value
                .get(k)
                .and_then(serde_json::Value::as_f64)
                // Not a count of anything real: dropped, not saturated.
                .filter(|f| (0.0..=1e12).contains(f))
                .map(|f| f as u64)
        };
        paper.linked_models = count("numTotalModels");
        paper.linked_datasets = count("numTotalDatasets");
        paper.linked_spaces = count("numTotalSpaces");
        paper.details_fetched_at = Some(crate::store::now_rfc3339());
        Ok(paper)
    }

    /// `GET /papers/{id}.md`: the paper as Markdown (from arXiv's HTML
    /// version, else the paper page); `None` when Hugging Face has not
    /// indexed it (404). Bodies are capped like every other answer.
    pub async fn fulltext(&self, id: &PaperId) -> Result<Option<String>, FetchError> {
        let mut url = self.at_path("papers/");
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push(&format!("{}.md", id.as_str()));
        }
        match self.get(&url, None).await {
            Ok(Answer::Body { bytes, .. }) => {
                Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
            }
            Ok(_) => unreachable!("no validators were sent"),
            Err(FetchError::Status { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Whether an image may be fetched from `url`: https from a Hugging
    /// Face host, or the configured endpoint's own host (a local server).
    pub fn image_url(&self, url: &str) -> Option<url::Url> {
        let url = url::Url::parse(url).ok()?;
        is_allowed(&self.base, &url).then_some(url)
    }

    /// An image's bytes, at most `cap` of them, through the pacer.
    pub async fn image(&self, url: &url::Url, cap: usize) -> Result<Vec<u8>, FetchError> {
        let Answer::Body { bytes, .. } = self.get(url, None).await? else {
            unreachable!("no validators were sent");
        };
        if bytes.len() > cap {
            return Err(FetchError::TooLarge {
                url: url.to_string(),
            });
        }
        Ok(bytes)
    }

    /// All pages of a JSON list; `None` when page 0 was not modified.
    async fn json_pages(
        &self,
        query: ListQuery,
        cache: Option<&dyn HttpCache>,
    ) -> Result<Option<(Vec<Paper>, Option<(String, Validators)>)>, FetchError> {
        let mut seen = HashSet::new();
        let mut papers = Vec::new();
        let mut first_validators = None;
        for page in 0..MAX_PAGES {
            let url = self.api_url(query, page);
            // Only the first page is conditional: if it is unchanged, so is the list.
            let known = (page == 0)
                .then(|| cache.and_then(|c| c.validators(url.as_str())))
                .flatten();
            let (bytes, validators) = match self.get(&url, known.as_ref()).await? {
                Answer::NotModified => return Ok(None),
                Answer::Body { bytes, validators } => (bytes, validators),
            };
            if page == 0 && validators != Validators::default() {
                first_validators = Some((url.to_string(), validators));
            }
            let parsed = parse_daily(&bytes).map_err(|source| FetchError::Parse {
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
        Ok(Some((papers, first_validators)))
    }

    async fn html_list(&self, query: ListQuery) -> Result<Vec<FetchedDay>, FetchError> {
        let url = self.at_path(&query.html_path());
        let Answer::Body { bytes, .. } = self.get(&url, None).await? else {
            unreachable!("no validators were sent");
        };
        let page = String::from_utf8_lossy(&bytes);
        let island = html::parse_page(&page).map_err(|source| FetchError::Parse {
            url: url.to_string(),
            source,
        })?;
        if let ListQuery::Day(day) = query
            && island.day.is_some_and(|shown| shown != day)
        {
            // The page clamps unpublished dates to the latest day.
            return Err(FetchError::Status {
                url: url.to_string(),
                status: 404,
                message: format!(
                    "the page shows {} instead; that day is not published",
                    fmt_day(island.day.unwrap_or(day))
                ),
            });
        }
        self.split(query, island.papers)
    }

    /// Turns a list into digest days: one for a day query, the majority day
    /// for the latest list, every covered day for a week or month.
    fn split(&self, query: ListQuery, papers: Vec<Paper>) -> Result<Vec<FetchedDay>, FetchError> {
        match query {
            ListQuery::Day(day) => Ok(vec![FetchedDay::new(day, papers)]),
            ListQuery::Latest => {
                let mut votes: BTreeMap<Day, usize> = BTreeMap::new();
                for p in &papers {
                    if let Some(d) = daily_day(p) {
                        *votes.entry(d).or_default() += 1;
                    }
                }
                // Most papers wins; on a tie the later day.
                let Some(day) = votes
                    .iter()
                    .max_by_key(|(d, n)| (**n, **d))
                    .map(|(d, _)| *d)
                else {
                    return Err(FetchError::EmptyLatest {
                        url: self.api_url(query, 0).to_string(),
                    });
                };
                // Papers that name another day belong to that day's list.
                let papers = papers
                    .into_iter()
                    .filter(|p| daily_day(p).is_none_or(|d| d == day))
                    .collect();
                Ok(vec![FetchedDay::new(day, papers)])
            }
            ListQuery::Week(_) | ListQuery::Month(_) => {
                let mut by_day: BTreeMap<Day, Vec<Paper>> =
                    query.days().into_iter().map(|d| (d, Vec::new())).collect();
                for p in papers {
                    // Papers outside the period (the week answer may hold the
                    // Friday before) or without a day are left to their own list.
                    if let Some(list) = daily_day(&p).and_then(|d| by_day.get_mut(&d)) {
                        list.push(p);
                    }
                }
                Ok(by_day
                    .into_iter()
                    .map(|(d, ps)| FetchedDay::new(d, ps))
                    .collect())
            }
        }
    }

    fn api_url(&self, query: ListQuery, page: usize) -> url::Url {
        let mut url = self.at_path("api/daily_papers");
        {
            let mut q = url.query_pairs_mut();
            if let Some((k, v)) = query.api_param() {
                q.append_pair(k, &v);
            }
            q.append_pair("limit", &PAGE_SIZE.to_string());
            q.append_pair("p", &page.to_string());
        }
        url
    }

    /// One GET, paced and retried per [`retry`], within one deadline for
    /// all its attempts; a server that asks for a longer wait than the
    /// sync has left ends it as [`FetchError::RateLimited`].
    async fn get(&self, url: &url::Url, known: Option<&Validators>) -> Result<Answer, FetchError> {
        let start = std::time::Instant::now();
        let deadline = start + self.config.deadline;
        let timed_out = || FetchError::Timeout {
            url: url.to_string(),
        };
        let mut attempt = 1;
        loop {
            let wait = self.pacer.lock().await.take(std::time::Instant::now());
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let Ok((result, asked)) = tokio::time::timeout(left, self.get_once(url, known)).await
            else {
                return Err(timed_out());
            };
            let retry = match &result {
                Err(FetchError::Status { status, .. }) => retry::retryable_status(*status),
                Err(
                    FetchError::Connect { .. }
                    | FetchError::Timeout { .. }
                    | FetchError::Truncated { .. },
                ) => true,
                _ => false,
            };
            if !retry || attempt >= self.config.retry.max_attempts {
                if let Err(e) = &result {
                    tracing::debug!(url = %url, attempt, error = %e, "giving up");
                }
                return result;
            }
            if let Err(e) = &result {
                tracing::debug!(url = %url, attempt, error = %e, "retrying");
            }
            if let Some(asked) = asked {
                let fits = std::time::Instant::now()
                    .checked_add(asked)
                    .is_some_and(|end| end <= deadline);
                if !fits || !self.take_wait(asked) {
                    return Err(FetchError::RateLimited {
                        url: url.to_string(),
                        until: until(asked),
                    });
                }
            }
            let random = {
                use std::hash::{BuildHasher, Hasher};
                std::collections::hash_map::RandomState::new()
                    .build_hasher()
                    .finish()
            };
            let delay = self.config.retry.delay(attempt, asked, random);
            if std::time::Instant::now()
                .checked_add(delay)
                .is_none_or(|end| end > deadline)
            {
                return result;
            }
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt; also returns how long the server asked us to wait.
    async fn get_once(
        &self,
        url: &url::Url,
        known: Option<&Validators>,
    ) -> (Result<Answer, FetchError>, Option<Duration>) {
        use reqwest::header;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let shown = url.to_string();
        let mut request = self.http.get(url.clone());
        if let Some(v) = known {
            if let Some(etag) = &v.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &v.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, lm);
            }
        }
        let mut resp = match request.send().await {
            Ok(r) => r,
            Err(e) => return (Err(transport_error(&shown, &e)), None),
        };
        let status = resp.status();
        let text_header = |name: header::HeaderName| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let asked = retry::server_wait(
            text_header(header::RETRY_AFTER).as_deref(),
            text_header(header::HeaderName::from_static("ratelimit")).as_deref(),
        );
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return (Ok(Answer::NotModified), asked);
        }
        let validators = Validators {
            etag: text_header(header::ETAG),
            last_modified: text_header(header::LAST_MODIFIED),
        };
        let body = match read_body(&mut resp, &shown).await {
            Ok(body) => body,
            Err(e) => return (Err(e), asked),
        };
        if !status.is_success() {
            let message = match parse_daily(&body) {
                Err(ParseError::Api(msg)) => msg,
                _ => status
                    .canonical_reason()
                    .unwrap_or("unexpected status")
                    .to_string(),
            };
            return (
                Err(FetchError::Status {
                    url: shown,
                    status: status.as_u16(),
                    message,
                }),
                asked,
            );
        }
        (
            Ok(Answer::Body {
                bytes: body,
                validators,
            }),
            asked,
        )
    }
}

/// Reads a body up to [`MAX_BODY`]: a larger one (announced or sent),
/// a stall past the timeout or a broken connection fails the request.
async fn read_body(resp: &mut reqwest::Response, shown: &str) -> Result<Vec<u8>, FetchError> {
    let url = || shown.to_string();
    if resp.content_length().is_some_and(|n| n as usize > MAX_BODY) {
        return Err(FetchError::TooLarge { url: url() });
    }
    let mut body = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(FetchError::TooLarge { url: url() });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) if e.is_timeout() => return Err(FetchError::Timeout { url: url() }),
            Err(e) => {
                return Err(FetchError::Truncated {
                    url: url(),
                    detail: innermost(&e),
                });
            }
        }
    }
}

/// When a wait of `asked` from now ends, as the user reads a clock:
/// "14:05", or with the date when it is not today.
fn until(asked: Duration) -> String {
    let end = chrono::Duration::from_std(asked)
        .ok()
        .and_then(|d| chrono::Local::now().checked_add_signed(d));
    match end {
        Some(t) if t.date_naive() == chrono::Local::now().date_naive() => {
            t.format("%H:%M").to_string()
        }
        Some(t) if t.year() < 10_000 => t.format("%Y-%m-%d %H:%M").to_string(),
        _ => "a time too far ahead to say".to_string(),
    }
}

fn innermost(e: &dyn std::error::Error) -> String {
    let mut detail = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    crate::domain::text::one_line(&detail)
}

/// The most redirects one fetch follows.
const MAX_REDIRECTS: usize = 5;

/// Whether hfpapers fetches from `url`: https from a Hugging Face host, or
/// the configured endpoint's own scheme, host and port (a local server).
fn is_allowed(base: &url::Url, url: &url::Url) -> bool {
    let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
        return false;
    };
    let hugging_face =
        url.scheme() == "https" && (host == "huggingface.co" || host.ends_with(".huggingface.co"));
    let endpoint = url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default();
    hugging_face || endpoint
}

fn transport_error(url: &str, e: &reqwest::Error) -> FetchError {
    if e.is_redirect() {
        FetchError::Redirected {
            url: url.into(),
            detail: innermost(e),
        }
    } else if e.is_timeout() {
        FetchError::Timeout { url: url.into() }
    } else {
        // The innermost cause is the useful part ("Connection refused").
        FetchError::Connect {
            url: url.into(),
            detail: innermost(e),
        }
    }
}
