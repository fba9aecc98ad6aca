//! Plain data shared by every layer: papers, digest days, the user's state.
//!
//! No IO happens here. Values are what the parser produces, what the store
//! keeps and what the app shows; links are derived, never stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A digest day: the date a paper was put on Daily Papers (not its arXiv date).
pub type Day = NaiveDate;

/// Formats a day the one way this program writes dates: `YYYY-MM-DD`.
pub fn fmt_day(day: Day) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Parses `YYYY-MM-DD` strictly (zero-padded, as the API wants it).
pub fn parse_day(s: &str) -> Option<Day> {
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// What the day view shows: one digest day, the ISO week or the month
/// around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    Day,
    Week,
    Month,
}

impl Period {
    /// Day, week, month, day, ...
    #[must_use]
    pub fn next(self) -> Period {
        match self {
            Period::Day => Period::Week,
            Period::Week => Period::Month,
            Period::Month => Period::Day,
        }
    }

    /// What the period around `day` is called: `2025-09-12`, `2025-W37`,
    /// `September 2025`.
    pub fn name(self, day: Day) -> String {
        match self {
            Period::Day => fmt_day(day),
            Period::Week => day.format("%G-W%V").to_string(),
            Period::Month => day.format("%B %Y").to_string(),
        }
    }

    /// The first and last day of the period around `day`.
    pub fn span(self, day: Day) -> (Day, Day) {
        use chrono::Datelike;
        match self {
            Period::Day => (day, day),
            Period::Week => {
                let monday =
                    day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()));
                (monday, monday + chrono::Duration::days(6))
            }
            Period::Month => {
                let first = day.with_day(1).unwrap_or(day);
                let last = first
                    .checked_add_months(chrono::Months::new(1))
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(first);
                (first, last)
            }
        }
    }

    /// The same period, `steps` periods later (or earlier, when negative).
    pub fn step(self, day: Day, steps: i32) -> Day {
        match self {
            Period::Day => day + chrono::Duration::days(i64::from(steps)),
            Period::Week => day + chrono::Duration::days(7 * i64::from(steps)),
            Period::Month => {
                let months = chrono::Months::new(steps.unsigned_abs());
                let moved = if steps >= 0 {
                    day.checked_add_months(months)
                } else {
                    day.checked_sub_months(months)
                };
                moved.unwrap_or(day)
            }
        }
    }

    /// "Week 23 · 1-7 Jun 2026", "June 2026", or the day.
    pub fn title(self, day: Day) -> String {
        use chrono::Datelike;
        let (from, to) = self.span(day);
        match self {
            Period::Day => day.format("%a %-d %b %Y").to_string(),
            Period::Week if from.month() == to.month() => format!(
                "Week {} · {}-{}",
                from.iso_week().week(),
                from.day(),
                to.format("%-d %b %Y")
            ),
            Period::Week => format!(
                "Week {} · {} - {}",
                from.iso_week().week(),
                from.format("%-d %b"),
                to.format("%-d %b %Y")
            ),
            Period::Month => from.format("%B %Y").to_string(),
        }
    }
}

/// An ISO week, `2026-W23`: its Monday and Sunday.
pub fn parse_week(s: &str) -> Option<(Day, Day)> {
    let (year, week) = s.split_once("-W")?;
    if year.len() != 4 || week.len() != 2 {
        return None;
    }
    let monday =
        NaiveDate::from_isoywd_opt(year.parse().ok()?, week.parse().ok()?, chrono::Weekday::Mon)?;
    Some((monday, monday + chrono::Duration::days(6)))
}

/// A month, `2026-06`: its first and last day.
pub fn parse_month(s: &str) -> Option<(Day, Day)> {
    if s.len() != 7 {
        return None;
    }
    let first = parse_day(&format!("{s}-01"))?;
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())?;
    Some((first, last))
}

/// A paper id: an arXiv id for real papers, `sample-NN` for the bundled sample.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PaperId(pub String);

impl PaperId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Sample papers carry ids that can never be mistaken for arXiv ids.
    pub fn is_sample(&self) -> bool {
        self.0.starts_with("sample-")
    }

    /// The longest id accepted from outside.
    pub const MAX_LEN: usize = 64;

    /// The id as it goes into a URL's path: a valid id as it is (an
    /// old-style id keeps its `/`), anything else percent-encoded as one
    /// segment, so no id can climb out of the path (`../../x`) or end it.
    pub fn url_path(&self) -> String {
        if PaperId::parse(&self.0).is_ok_and(|p| p.0 == self.0) {
            return self.0.clone();
        }
        let mut out = String::with_capacity(self.0.len() * 3);
        for b in self.0.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~') {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    /// The paper's page on Hugging Face.
    pub fn hf_url(&self) -> String {
        format!("https://huggingface.co/papers/{}", self.url_path())
    }

    /// The paper's abstract page on arXiv.
    pub fn arxiv_url(&self) -> String {
        format!("https://arxiv.org/abs/{}", self.url_path())
    }

    /// The paper's PDF on arXiv.
    pub fn pdf_url(&self) -> String {
        format!("https://arxiv.org/pdf/{}", self.url_path())
    }

    /// Checks an id that came from outside (the network, a peer's log, an
    /// import, the command line): arXiv's new style (`2509.01234`,
    /// `2509.01234v2`), its old style (`cs/0112017`, `math.GT/0309136v1`),
    /// or the bundled sample's (`sample-07`). Anything else is refused, so
    /// an id can be put into a URL path, a file, a BibTeX key or a
    /// terminal as it is.
    pub fn parse(s: &str) -> Result<PaperId, String> {
        let s = s.trim();
        if s.len() <= Self::MAX_LEN && (is_new_arxiv(s) || is_old_arxiv(s) || is_sample_id(s)) {
            Ok(PaperId(s.to_string()))
        } else {
            Err(format!(
                "{:?} is not a paper id; expected an arXiv id such as 2509.01234",
                crate::domain::text::one_line(&s.chars().take(80).collect::<String>())
            ))
        }
    }
}

fn digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// `vN` at the end of an id, or nothing.
fn split_version(s: &str) -> Option<&str> {
    match s.rfind('v') {
        Some(i) if digits(&s[i + 1..], 1, 3) => Some(&s[..i]),
        Some(_) => None,
        None => Some(s),
    }
}

fn is_new_arxiv(s: &str) -> bool {
    let Some(s) = split_version(s) else {
        return false;
    };
    matches!(s.split_once('.'), Some((a, b)) if digits(a, 4, 4) && digits(b, 4, 5))
}

fn is_old_arxiv(s: &str) -> bool {
    let Some(s) = split_version(s) else {
        return false;
    };
    let Some((archive, number)) = s.split_once('/') else {
        return false;
    };
    let (name, class) = archive.split_once('.').unwrap_or((archive, "AA"));
    !name.is_empty()
        && name.len() <= 16
        && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && class.len() == 2
        && class.bytes().all(|b| b.is_ascii_uppercase())
        && digits(number, 7, 7)
}

fn is_sample_id(s: &str) -> bool {
    s.strip_prefix("sample-").is_some_and(|n| digits(n, 1, 3))
}

impl fmt::Display for PaperId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Everything known about one paper, as fetched. User state lives apart
/// ([`UserState`]) so a re-fetch can never clobber it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Paper {
    pub id: PaperId,
    pub title: String,
    /// The abstract.
    pub summary: String,
    pub authors: Vec<String>,
    /// The arXiv publication time (RFC 3339), when known.
    pub published_at: Option<String>,
    /// When the paper was put on the daily list (RFC 3339), when known.
    pub submitted_on_daily_at: Option<String>,
    pub submitted_by: Option<String>,
    /// The submitter's Hugging Face username (`akhaliq`), beside the name
    /// shown (`submitted_by`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitter: Option<String>,
    pub upvotes: u64,
    pub comments: u64,
    pub ai_summary: Option<String>,
    pub ai_keywords: Vec<String>,
    pub github_repo: Option<String>,
    pub github_stars: Option<u64>,
    pub project_page: Option<String>,
    pub organization: Option<String>,
    /// The organization's handle on the Hub (`huggingface`), beside its
    /// name (`Hugging Face`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_handle: Option<String>,
    /// From `/api/papers/{id}`, fetched on demand: linked repos on the Hub.
    pub linked_models: Option<u64>,
    pub linked_datasets: Option<u64>,
    pub linked_spaces: Option<u64>,
    /// When those details were fetched (RFC 3339).
    pub details_fetched_at: Option<String>,
    /// The item's thumbnail image (a URL, checked before use).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// Upvotes, comments and GitHub stars each time they were seen to
    /// change, oldest first (see [`Paper::record`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Point>,
}

/// Which papers' full texts a sync fetches and keeps (`fulltext` in the
/// config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextPolicy {
    /// Starred papers (the default: what you mean to read).
    #[default]
    Starred,
    /// Starred papers and the unread papers of the last week.
    Unread,
    /// Starred papers and every paper of the latest day.
    Day,
    /// None.
    None,
}

impl TextPolicy {
    pub fn parse(s: &str) -> Option<TextPolicy> {
        Some(match s {
            "starred" => TextPolicy::Starred,
            "unread" => TextPolicy::Unread,
            "day" => TextPolicy::Day,
            "none" => TextPolicy::None,
            _ => return None,
        })
    }
}

/// A paper's popularity at one time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Point {
    /// When (Unix seconds).
    pub t: i64,
    pub upvotes: u64,
    pub comments: u64,
    pub stars: Option<u64>,
}

/// The most points a paper keeps: a year of daily changes.
pub const MAX_POINTS: usize = 366;

impl Paper {
    /// What links to the paper on the Hub, as `["3 models", "7 Spaces"]`.
    pub fn linked(&self) -> Vec<String> {
        [
            (self.linked_models, "model"),
            (self.linked_datasets, "dataset"),
            (self.linked_spaces, "Space"),
        ]
        .iter()
        .filter_map(|(n, what)| n.map(|n| crate::domain::text::count(n, what)))
        .collect()
    }

    /// Adds the paper's counts at `t` (Unix seconds) to its history, when
    /// they differ from the last point; the oldest go past [`MAX_POINTS`].
    pub fn record(&mut self, t: i64) {
        let now = Point {
            t,
            upvotes: self.upvotes,
            comments: self.comments,
            stars: self.github_stars,
        };
        let same =
            |p: &Point| (p.upvotes, p.comments, p.stars) == (now.upvotes, now.comments, now.stars);
        if self.history.last().is_some_and(same) {
            return;
        }
        self.history.push(now);
        if self.history.len() > MAX_POINTS {
            let extra = self.history.len() - MAX_POINTS;
            self.history.drain(..extra);
        }
    }

    /// Upvotes gained since `t` (Unix seconds): now against the last point
    /// at or before `t`, or the first point when all are later.
    pub fn gained_since(&self, t: i64) -> i64 {
        let then = self
            .history
            .iter()
            .rev()
            .find(|p| p.t <= t)
            .or(self.history.first());
        then.map_or(0, |p| self.upvotes as i64 - p.upvotes as i64)
    }

    /// Upvotes at the end of each of the last `days` days up to `today`
    /// (UTC), oldest first, from the first day the paper was seen: what the
    /// sparkline draws.
    pub fn upvotes_by_day(&self, today: Day, days: u32) -> Vec<u64> {
        let Some(first) = self.history.first() else {
            return Vec::new();
        };
        let day_of =
            |t: i64| chrono::DateTime::from_timestamp(t, 0).map_or(today, |d| d.date_naive());
        let start = today - chrono::Duration::days(i64::from(days.max(1)) - 1);
        let start = start.max(day_of(first.t));
        start
            .iter_days()
            .take_while(|d| *d <= today)
            .map(|d| {
                self.history
                    .iter()
                    .rev()
                    .find(|p| day_of(p.t) <= d)
                    .map_or(0, |p| p.upvotes)
            })
            .collect()
    }

    /// The one rule for a paper that a source (a day list, the details
    /// endpoint, a search or trending result, the HTML page) brings for a
    /// paper already stored: every field the source carries replaces the
    /// stored one; a field it does not carry (empty, absent, or a zero
    /// count: no source says a paper lost its every vote) keeps the
    /// stored value. So no field any source provided is lost, and the
    /// newest counts win. The popularity history is the store's.
    pub fn merge_onto(&mut self, old: &Paper) {
        fn keep<T: Clone>(new: &mut Option<T>, old: Option<&T>) {
            if new.is_none() {
                *new = old.cloned();
            }
        }
        if self.title.is_empty() {
            self.title.clone_from(&old.title);
        }
        if self.summary.is_empty() {
            self.summary.clone_from(&old.summary);
        }
        if self.authors.is_empty() {
            self.authors.clone_from(&old.authors);
        }
        if self.ai_keywords.is_empty() {
            self.ai_keywords.clone_from(&old.ai_keywords);
        }
        if self.upvotes == 0 {
            self.upvotes = old.upvotes;
        }
        if self.comments == 0 {
            self.comments = old.comments;
        }
        for (new, old) in [
            (&mut self.published_at, &old.published_at),
            (&mut self.submitted_on_daily_at, &old.submitted_on_daily_at),
            (&mut self.submitted_by, &old.submitted_by),
            (&mut self.ai_summary, &old.ai_summary),
            (&mut self.github_repo, &old.github_repo),
            (&mut self.project_page, &old.project_page),
            (&mut self.organization, &old.organization),
            (&mut self.org_handle, &old.org_handle),
            (&mut self.submitter, &old.submitter),
            (&mut self.details_fetched_at, &old.details_fetched_at),
            (&mut self.thumbnail, &old.thumbnail),
        ] {
            keep(new, old.as_ref());
        }
        for (new, old) in [
            (&mut self.github_stars, &old.github_stars),
            (&mut self.linked_models, &old.linked_models),
            (&mut self.linked_datasets, &old.linked_datasets),
            (&mut self.linked_spaces, &old.linked_spaces),
        ] {
            keep(new, old.as_ref());
        }
        if self.history.is_empty() {
            self.history.clone_from(&old.history);
        }
    }
}

/// One named link of a paper, in the order the detail pane shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub label: &'static str,
    pub url: String,
}

impl Paper {
    /// Links derived from the id and the fetched fields. Sample papers have no
    /// arXiv id, so their page link searches Hugging Face for the title.
    pub fn links(&self) -> Vec<Link> {
        let mut links = Vec::new();
        if self.id.is_sample() {
            links.push(Link {
                label: "HF search",
                url: hf_search_url(&self.title),
            });
        } else {
            links.push(Link {
                label: "HF page",
                url: self.id.hf_url(),
            });
            links.push(Link {
                label: "arXiv",
                url: self.id.arxiv_url(),
            });
            links.push(Link {
                label: "PDF",
                url: self.id.pdf_url(),
            });
        }
        if let Some(repo) = &self.github_repo {
            links.push(Link {
                label: "GitHub",
                url: repo.clone(),
            });
        }
        if let Some(page) = &self.project_page {
            links.push(Link {
                label: "Project",
                url: page.clone(),
            });
        }
        // A bare URL in the abstract (a project page, a dataset) too.
        for url in urls_in(&self.summary).into_iter().take(MAX_TEXT_LINKS) {
            if !links
                .iter()
                .any(|l| l.url.trim_end_matches('/') == url.trim_end_matches('/'))
            {
                links.push(Link {
                    label: "In abstract",
                    url,
                });
            }
        }
        links
    }

    /// The link `o` opens: the paper's Hugging Face page (or search, for samples).
    pub fn primary_link(&self) -> String {
        self.links()
            .into_iter()
            .next()
            .map(|l| l.url)
            .unwrap_or_default()
    }
}

fn hf_search_url(title: &str) -> String {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("q", title)
        .finish();
    format!("https://huggingface.co/papers?{query}")
}

/// A list of names held in one allocation (joined by newlines): rows are
/// kept by the hundred thousand, and a `Vec<String>` of authors costs an
/// allocation per name. Serialized as a plain list of strings.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Names(Box<str>);

impl Names {
    pub fn new<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Names {
        let mut joined = String::new();
        for item in items {
            if !joined.is_empty() {
                joined.push('\n');
            }
            // A newline inside a name would split it; names are one line.
            joined.push_str(&item.as_ref().replace('\n', " "));
        }
        Names(joined.into_boxed_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split('\n').filter(|s| !s.is_empty())
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn join(&self, sep: &str) -> String {
        self.iter().collect::<Vec<_>>().join(sep)
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl fmt::Debug for Names {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Names {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Postcard needs the length up front.
        s.collect_seq(self.iter().collect::<Vec<_>>())
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Names, D::Error> {
        Ok(Names::new(Vec::<String>::deserialize(d)?))
    }
}

/// The compact form of a paper that lists and filters need: everything but
/// the abstract and the long tail of fields. Kept in its own store tree so
/// neither a list nor a filter over years of digests decodes an abstract.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Row {
    pub id: PaperId,
    pub day: Option<Day>,
    /// 1-based position in its day's digest.
    pub rank: u32,
    pub title: String,
    pub upvotes: u64,
    pub comments: u64,
    pub authors: Names,
    pub organization: Option<String>,
    pub ai_keywords: Names,
    pub github_stars: Option<u64>,
    pub has_code: bool,
    pub has_project: bool,
    pub has_summary: bool,
    /// When this store first saw the paper (Unix seconds): "new since last
    /// visit". A number, not text: rows are kept by the hundred thousand.
    pub first_seen: Option<i64>,
    /// Last, so that a row written before they existed still reads (see
    /// [`Row::decode`]).
    pub org_handle: Option<String>,
    pub submitter: Option<String>,
}

/// A row as hfpapers wrote it before the organization's handle and the
/// submitter were kept: read, never written (but by a test).
#[derive(Deserialize)]
#[cfg_attr(test, derive(Serialize))]
struct RowV1 {
    id: PaperId,
    day: Option<Day>,
    rank: u32,
    title: String,
    upvotes: u64,
    comments: u64,
    authors: Names,
    organization: Option<String>,
    ai_keywords: Names,
    github_stars: Option<u64>,
    has_code: bool,
    has_project: bool,
    has_summary: bool,
    first_seen: Option<i64>,
}

impl Row {
    /// A row from its stored bytes (postcard), of this layout or the one
    /// before: rows written by an older version read without a migration,
    /// and are written anew (with the new fields) at the next refetch.
    pub fn decode(bytes: &[u8]) -> Result<Row, postcard::Error> {
        postcard::from_bytes::<Row>(bytes).or_else(|e| {
            let old: RowV1 = postcard::from_bytes(bytes).map_err(|_| e)?;
            Ok(Row {
                id: old.id,
                day: old.day,
                rank: old.rank,
                title: old.title,
                upvotes: old.upvotes,
                comments: old.comments,
                authors: old.authors,
                organization: old.organization,
                ai_keywords: old.ai_keywords,
                github_stars: old.github_stars,
                has_code: old.has_code,
                has_project: old.has_project,
                has_summary: old.has_summary,
                first_seen: old.first_seen,
                org_handle: None,
                submitter: None,
            })
        })
    }

    pub fn of(paper: &Paper, day: Day, rank: u32) -> Row {
        Row {
            id: paper.id.clone(),
            day: Some(day),
            rank,
            title: paper.title.clone(),
            upvotes: paper.upvotes,
            comments: paper.comments,
            authors: Names::new(&paper.authors),
            organization: paper.organization.clone(),
            ai_keywords: Names::new(&paper.ai_keywords),
            github_stars: paper.github_stars,
            has_code: paper.github_repo.is_some(),
            has_project: paper.project_page.is_some(),
            has_summary: paper.ai_summary.is_some(),
            first_seen: None,
            org_handle: paper.org_handle.clone(),
            submitter: paper.submitter.clone(),
        }
    }

    /// What `o` and the list know about a paper without loading it.
    pub fn stub(&self) -> Paper {
        Paper {
            id: self.id.clone(),
            title: self.title.clone(),
            ..Paper::default()
        }
    }
}

/// What the user did with a paper. Absent means "unread, not starred, no tags".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UserState {
    pub read: bool,
    pub starred: bool,
    pub tags: Vec<String>,
    /// RFC 3339 time of the last change.
    pub updated_at: Option<String>,
}

/// A row plus its user state: what the list pane shows per line.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub row: Row,
    pub state: UserState,
}

/// The longest tag accepted.
pub const MAX_TAG_CHARS: usize = 64;

/// Whether `s` is a tag exactly as [`parse_tag`] would give it back: how
/// tags from outside (a peer's log, an import) are checked.
pub fn is_tag(s: &str) -> bool {
    parse_tag(s).is_ok_and(|t| t == s)
}

/// Tags are lower-case words; `-`, `_` and `/` are allowed too.
pub fn is_tag_char(c: char) -> bool {
    (c.is_alphanumeric() && !c.is_uppercase()) || matches!(c, '-' | '_' | '/')
}

/// Checks and normalises a tag typed by the user.
pub fn parse_tag(s: &str) -> Result<String, String> {
    let tag = s.trim().to_lowercase();
    if tag.is_empty() {
        return Err("a tag cannot be empty".into());
    }
    if tag.chars().count() > MAX_TAG_CHARS {
        return Err(format!("a tag has at most {MAX_TAG_CHARS} characters"));
    }
    match tag.chars().find(|c| !is_tag_char(*c)) {
        Some(c) => Err(format!(
            "{c:?} cannot be in a tag: use lower-case letters, digits, -, _ or /"
        )),
        None => Ok(tag),
    }
}

/// A user change that `mark` and the TUI apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    Read,
    Unread,
    Star,
    Unstar,
    Tag(String),
    Untag(String),
}

impl Mark {
    /// Applies the change; returns whether anything changed.
    pub fn apply(&self, state: &mut UserState) -> bool {
        let (field, value) = match self {
            Mark::Read => (&mut state.read, true),
            Mark::Unread => (&mut state.read, false),
            Mark::Star => (&mut state.starred, true),
            Mark::Unstar => (&mut state.starred, false),
            Mark::Tag(t) => {
                if state.tags.contains(t) {
                    return false;
                }
                state.tags.push(t.clone());
                state.tags.sort();
                return true;
            }
            Mark::Untag(t) => {
                let before = state.tags.len();
                state.tags.retain(|x| x != t);
                return state.tags.len() != before;
            }
        };
        let changed = *field != value;
        *field = value;
        changed
    }

    /// What `mark` prints: `starred`, `tagged rl`.
    pub fn past_tense(&self) -> String {
        match self {
            Mark::Read => "marked read".into(),
            Mark::Unread => "marked unread".into(),
            Mark::Star => "starred".into(),
            Mark::Unstar => "unstarred".into(),
            Mark::Tag(t) => format!("tagged {t}"),
            Mark::Untag(t) => format!("untagged {t}"),
        }
    }
}

/// One digest day as fetched.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchedDay {
    pub day: Day,
    /// In digest order: most upvoted first, ties kept in the order sent.
    pub papers: Vec<Paper>,
}

impl FetchedDay {
    /// Puts papers in digest order. The service promises no order; the web
    /// page ranks by upvotes, so that is the rank hfpapers shows.
    pub fn new(day: Day, mut papers: Vec<Paper>) -> FetchedDay {
        papers.sort_by_key(|p| std::cmp::Reverse(p.upvotes));
        FetchedDay { day, papers }
    }
}

/// HTTP validators kept per URL for conditional requests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Where a client finds validators from earlier answers (the store).
pub trait HttpCache: Send + Sync {
    fn validators(&self, url: &str) -> Option<Validators>;
}

/// Which way to step through days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Back,
    Forward,
}

/// The time now, RFC 3339 to the second, UTC: how times are kept.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A group of changes `u` can still undo: its id and each paper's state
/// before it.
pub type UndoGroup = (String, Vec<(PaperId, UserState)>);

/// How many URLs of an abstract the links picker offers.
const MAX_TEXT_LINKS: usize = 5;

/// The http(s) URLs written out in a text, each once, without the
/// punctuation that ends the sentence around it; only what parses as a
/// URL with a host.
pub fn urls_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let Some(at) = word.find("https://").or_else(|| word.find("http://")) else {
            continue;
        };
        let url = word[at..].trim_end_matches(['.', ',', ';', ':', ')', ']', '}', '"', '\'', '>']);
        let parsed = url::Url::parse(url);
        if parsed.is_ok_and(|u| u.host_str().is_some()) && !out.iter().any(|u| u == url) {
            out.push(url.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_row_written_before_the_handle_and_submitter_were_kept_still_reads() {
        let old = RowV1 {
            id: PaperId("2509.00001".into()),
            day: parse_day("2025-09-10"),
            rank: 3,
            title: "Old".into(),
            upvotes: 7,
            comments: 1,
            authors: Names::new(["Ada"]),
            organization: Some("Hugging Face".into()),
            ai_keywords: Names::new(["kw"]),
            github_stars: Some(5),
            has_code: true,
            has_project: false,
            has_summary: true,
            first_seen: Some(1_700_000_000),
        };
        let bytes = postcard::to_stdvec(&old).unwrap();
        let row = Row::decode(&bytes).unwrap();
        assert_eq!((row.title.as_str(), row.rank, row.upvotes), ("Old", 3, 7));
        assert_eq!(row.organization.as_deref(), Some("Hugging Face"));
        assert_eq!((row.org_handle, row.submitter), (None, None));
        let new = Row {
            org_handle: Some("huggingface".into()),
            submitter: Some("akhaliq".into()),
            ..Row::default()
        };
        assert_eq!(
            Row::decode(&postcard::to_stdvec(&new).unwrap()).unwrap(),
            new
        );
        assert!(
            Row::decode(b"\xff\xff").is_err(),
            "garbage is still an error"
        );
    }

    use super::*;

    #[test]
    fn real_papers_link_to_hf_arxiv_and_pdf_then_code_and_project() {
        let p = Paper {
            id: PaperId("2509.01234".into()),
            github_repo: Some("https://github.com/a/b".into()),
            project_page: Some("https://example.org".into()),
            ..Paper::default()
        };
        let labels: Vec<_> = p.links().iter().map(|l| l.label).collect();
        assert_eq!(labels, ["HF page", "arXiv", "PDF", "GitHub", "Project"]);
        assert_eq!(p.primary_link(), "https://huggingface.co/papers/2509.01234");
    }

    #[test]
    fn a_bare_url_in_the_abstract_is_offered_too_once_without_its_punctuation() {
        let p = Paper {
            id: PaperId("2509.01234".into()),
            project_page: Some("https://example.org/proj".into()),
            summary: "Code at https://github.com/a/b. See (https://example.org/proj/) and \
                      http://data.example.com/x?y=1, not ftp://x nor https:// alone."
                .into(),
            ..Paper::default()
        };
        let links = p.links();
        let found: Vec<(&str, &str)> = links.iter().map(|l| (l.label, l.url.as_str())).collect();
        assert_eq!(
            found[3..],
            [
                ("Project", "https://example.org/proj"),
                ("In abstract", "https://github.com/a/b"),
                ("In abstract", "http://data.example.com/x?y=1"),
            ],
            "{found:?}"
        );
    }

    #[test]
    fn sample_papers_link_to_a_title_search_not_to_arxiv() {
        let p = Paper {
            id: PaperId("sample-01".into()),
            title: "On the Complexity & Things".into(),
            ..Paper::default()
        };
        let links = p.links();
        assert_eq!(links.len(), 1);
        assert_eq!(
            links[0].url,
            "https://huggingface.co/papers?q=On+the+Complexity+%26+Things"
        );
    }

    #[test]
    fn days_parse_only_zero_padded_iso_dates() {
        assert!(parse_day("2025-09-10").is_some());
        assert!(parse_day("2025-9-10").is_none());
        assert!(parse_day("2025-13-40").is_none());
    }

    #[test]
    fn marks_report_whether_they_changed_anything() {
        let mut s = UserState::default();
        assert!(Mark::Star.apply(&mut s));
        assert!(!Mark::Star.apply(&mut s));
        assert!(s.starred);
        assert!(Mark::Read.apply(&mut s));
        assert!(Mark::Unread.apply(&mut s));
        assert!(!s.read);
    }
}

#[cfg(test)]
mod id_tests {
    use super::*;

    #[test]
    fn arxiv_ids_of_both_styles_and_sample_ids_are_accepted() {
        for ok in [
            "2509.01234",
            "2509.0123",
            "2509.01234v2",
            "cs/0112017",
            "math.GT/0309136v1",
            "hep-th/9901001",
            "sample-07",
            " 2509.01234 ",
        ] {
            assert!(PaperId::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn ids_that_could_steer_a_path_a_key_or_a_terminal_are_refused() {
        for bad in [
            "",
            "..",
            "../../x",
            "2509.01234)",
            "2509.01234}",
            "2509.01234,x",
            "2509.01234/../x",
            "2509.01234v",
            "2509.01234v1234",
            "25091.01234",
            "p1",
            "cs/011201",
            "CS/0112017",
            "\u{1b}[2J2509.01234",
            "2509.0１234",
        ] {
            assert!(PaperId::parse(bad).is_err(), "{bad:?}");
        }
        assert!(PaperId::parse(&"1".repeat(1_000_000)).is_err());
    }

    #[test]
    fn tags_from_outside_must_already_be_in_their_normal_form() {
        assert!(is_tag("rl") && is_tag("café") && is_tag("to-read/2026"));
        for bad in [
            "",
            "RL",
            "a b",
            "x\u{1b}]52;c;AA\u{7}",
            "\u{202e}rl",
            "a\nb",
            &"x".repeat(65),
        ] {
            assert!(!is_tag(bad), "{bad:?}");
        }
    }
}
