//! Lenient parsing of `/api/daily_papers` bodies into [`Paper`]s.
//!
//! The schema drifted over the years (see `docs/hf-api.md` in shared docs):
//! every field except `paper.id` may be missing, null or of another type, and
//! counts may be floats. So items are read as `serde_json::Value` and each
//! field is picked out by hand; a field of the wrong type counts as absent.
//! An item without an id is skipped, never fatal. Pure: `&[u8]` in, types out.

use crate::domain::model::{Day, Paper, PaperId, parse_day};
use crate::domain::text::one_line;
use serde_json::Value;

/// Why a body could not be read as a list of papers.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    /// The service answered with `{"error": "..."}`.
    #[error("the service said: {0}")]
    Api(String),
    #[error("the response is not valid JSON ({0})")]
    Json(String),
    #[error("the response is JSON but not a list of papers (got {0})")]
    Shape(&'static str),
}

/// The papers of one response, in the order the service sent them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub papers: Vec<Paper>,
    /// Items dropped because they had no usable `paper.id`.
    pub skipped: usize,
}

/// Parses a daily-papers body: an array of items, `[]` for an empty day, or
/// an error object.
pub fn parse_daily(body: &[u8]) -> Result<Parsed, ParseError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| ParseError::Json(e.to_string()))?;
    match value {
        Value::Array(items) => {
            let mut parsed = Parsed::default();
            for item in &items {
                match parse_item(item) {
                    Some(p) => parsed.papers.push(p),
                    None => parsed.skipped += 1,
                }
            }
            Ok(parsed)
        }
        Value::Object(map) => match map.get("error") {
            Some(err) => Err(ParseError::Api(error_text(err))),
            None => Err(ParseError::Shape("an object")),
        },
        other => Err(ParseError::Shape(kind(&other))),
    }
}

/// Reads one item of the list shape (`{paper: {...}, title, numComments, ...}`).
/// A bare paper object (the `/api/papers/{id}` shape) is accepted too.
pub fn parse_item(item: &Value) -> Option<Paper> {
    let paper = match item.get("paper") {
        Some(p) if p.is_object() => p,
        _ => item,
    };
    // An id goes into URLs, file names and BibTeX keys: one that is not
    // arXiv's shape is skipped (and counted) like a missing one.
    let id = PaperId::parse(str_at(paper, "id")?).ok()?;
    let text = |v: &Value, k: &str| str_at(v, k).map(one_line).filter(|s| !s.is_empty());
    let url = |v: &Value, k: &str| text(v, k).filter(|s| s.starts_with("http"));

    let authors = paper
        .get("authors")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter(|a| a.get("hidden").and_then(Value::as_bool) != Some(true))
                .filter_map(|a| text(a, "name"))
                .collect()
        })
        .unwrap_or_default();
    let ai_keywords = paper
        .get("ai_keywords")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(one_line)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    // An organization and a user each have a handle (`name`: what URLs
    // and searches use) and a name people read (`fullname`); both are kept.
    let org = [paper.get("organization"), item.get("organization")]
        .into_iter()
        .flatten()
        .find(|o| o.is_object());
    let organization = org.and_then(|o| text(o, "fullname").or_else(|| text(o, "name")));
    let org_handle = org.and_then(|o| text(o, "name"));
    let by = [paper.get("submittedOnDailyBy"), item.get("submittedBy")]
        .into_iter()
        .flatten()
        .find(|o| o.is_object());
    let submitted_by = by.and_then(|o| text(o, "fullname").or_else(|| text(o, "name")));
    let submitter = by.and_then(|o| text(o, "name"));

    Some(Paper {
        id,
        // paper.title may carry arXiv hard wraps; the item title is the fallback.
        title: text(paper, "title")
            .or_else(|| text(item, "title"))
            .unwrap_or_default(),
        summary: text(paper, "summary")
            .or_else(|| text(item, "summary"))
            .unwrap_or_default(),
        authors,
        published_at: text(paper, "publishedAt"),
        submitted_on_daily_at: text(paper, "submittedOnDailyAt"),
        submitted_by,
        submitter,
        upvotes: count_at(paper, "upvotes").unwrap_or(0),
        comments: count_at(item, "numComments").unwrap_or(0),
        ai_summary: text(paper, "ai_summary"),
        ai_keywords,
        github_repo: url(paper, "githubRepo"),
        github_stars: count_at(paper, "githubStars"),
        project_page: url(paper, "projectPage"),
        organization,
        org_handle,
        thumbnail: url(item, "thumbnail"),
        ..Paper::default()
    })
}

/// The digest day an item belongs to, from `paper.submittedOnDailyAt`.
pub fn daily_day(paper: &Paper) -> Option<Day> {
    let at = paper.submitted_on_daily_at.as_deref()?;
    parse_day(at.get(..10)?)
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)?.as_str()
}

/// Counts arrive as `12`, `12.0`, occasionally as strings; negatives and
/// non-numbers count as absent.
fn count_at(v: &Value, key: &str) -> Option<u64> {
    match v.get(key)? {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| f.round() as u64)
        }),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite() && *f >= 0.0)
            .map(|f| f.round() as u64),
        _ => None,
    }
}

fn error_text(err: &Value) -> String {
    match err {
        Value::String(s) => one_line(s),
        other => one_line(&other.to_string()),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
