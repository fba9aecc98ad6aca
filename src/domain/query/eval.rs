//! Matching a query against one paper's row and state, and ordering
//! matches.
//!
//! This is the query language's meaning, stated on rows: one day's list is
//! filtered with it before the index is open, and the index
//! ([`crate::search::index`]) uses it to decide name terms. Across every
//! stored day, words match titles, abstracts, authors and keywords through
//! the index; on a row alone they match what the row carries (title,
//! authors, AI keywords).

use super::{Cmp, CountField, DateSpec, Expr, Has, Is, SortKey, Term};
use crate::domain::model::{Day, Entry};
use crate::domain::text::{fold, words};

/// Everything a query needs besides the paper itself.
pub struct Ctx {
    pub today: Day,
}

impl Ctx {
    pub fn new(today: Day) -> Ctx {
        Ctx { today }
    }
}

/// Does this paper match?
pub fn matches(expr: &Expr, entry: &Entry, ctx: &Ctx) -> bool {
    match expr {
        Expr::And(parts) => parts.iter().all(|p| matches(p, entry, ctx)),
        Expr::Or(parts) => parts.iter().any(|p| matches(p, entry, ctx)),
        Expr::Not(inner) => !matches(inner, entry, ctx),
        Expr::Term(t) => term(t, entry, ctx),
    }
}

fn term(t: &Term, e: &Entry, ctx: &Ctx) -> bool {
    let row = &e.row;
    let contains = |haystack: &str, needle: &str| fold(haystack).contains(needle);
    match t {
        Term::Word(w) => row_words(e).any(|x| x.starts_with(w.as_str())),
        Term::Phrase(ws) => {
            let all: Vec<String> = row_words(e).collect();
            all.windows(ws.len()).any(|win| win == ws.as_slice())
        }
        // Rows carry no full text: only the index can say.
        Term::InText(_) => false,
        Term::Is(Is::Unread) => !e.state.read,
        Term::Is(Is::Read) => e.state.read,
        Term::Is(Is::Starred) => e.state.starred,
        Term::Tag(tag) => e.state.tags.iter().any(|t| t == tag),
        Term::Author(name) => row.authors.iter().any(|a| contains(a, name)),
        Term::Org(org) => [&row.organization, &row.org_handle]
            .into_iter()
            .flatten()
            .any(|o| contains(o, org)),
        Term::Submitter(user) => row.submitter.as_deref().is_some_and(|s| contains(s, user)),
        Term::Kw(kw) => row.ai_keywords.iter().any(|k| contains(k, kw)),
        Term::Has(Has::Code) => row.has_code,
        Term::Has(Has::Project) => row.has_project,
        Term::Has(Has::Summary) => row.has_summary,
        Term::Count(field, cmp) => {
            let n = match field {
                CountField::Upvotes => Some(row.upvotes),
                CountField::Comments => Some(row.comments),
                CountField::Stars => row.github_stars,
            };
            n.is_some_and(|n| Cmp::holds(*cmp, n))
        }
        Term::Date(spec) => row.day.is_some_and(|d| date_holds(*spec, d, ctx.today)),
    }
}

pub fn date_holds(spec: DateSpec, day: Day, today: Day) -> bool {
    let (from, to) = date_span(spec, today);
    (from..=to).contains(&day)
}

/// The first and last day a date term holds for (inclusive).
pub fn date_span(spec: DateSpec, today: Day) -> (Day, Day) {
    match spec {
        DateSpec::Range { from, to, .. } => (from, to),
        DateSpec::Today => (today, today),
        DateSpec::LastDays(n) => {
            // The parser bounds n; a far bound still must not panic.
            let start = chrono::Duration::try_days(i64::from(n))
                .and_then(|d| today.checked_sub_signed(d))
                .and_then(|d| d.succ_opt())
                .unwrap_or(Day::MIN);
            (start, today)
        }
    }
}

/// The folded words a row carries: title, authors, AI keywords.
fn row_words(e: &Entry) -> impl Iterator<Item = String> + '_ {
    words(&e.row.title)
        .chain(e.row.authors.iter().flat_map(words))
        .chain(e.row.ai_keywords.iter().flat_map(words))
}

/// Orders entries by a sort key; ties fall back to newest day, then rank.
pub fn sort<T: AsRef<Entry>>(items: &mut [T], key: SortKey) {
    use std::cmp::Reverse;
    let newest = |e: &Entry| (Reverse(e.row.day), e.row.rank);
    match key {
        // Relevance needs the index's scores; without them, newest first.
        SortKey::Date | SortKey::Relevance => items.sort_by_key(|e| newest(e.as_ref())),
        // Without the taste model (held here), most upvoted first.
        SortKey::Upvotes | SortKey::ForYou | SortKey::Rising => {
            items.sort_by_key(|e| (Reverse(e.as_ref().row.upvotes), newest(e.as_ref())));
        }
        SortKey::Comments => {
            items.sort_by_key(|e| (Reverse(e.as_ref().row.comments), newest(e.as_ref())));
        }
        SortKey::Stars => {
            items.sort_by_key(|e| (Reverse(e.as_ref().row.github_stars), newest(e.as_ref())));
        }
        SortKey::Rank => items.sort_by_key(|e| (e.as_ref().row.rank, Reverse(e.as_ref().row.day))),
        SortKey::Title => {
            items.sort_by_cached_key(|e| (fold(&e.as_ref().row.title), newest(e.as_ref())));
        }
    }
}
