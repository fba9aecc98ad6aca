//! Matching a query against papers, and ordering the matches.
//!
//! Word and phrase terms are resolved to sets of documents once per query
//! ([`Ctx::prepare`], through a [`TextSource`] such as the text index), so
//! checking a paper is a few comparisons whatever the corpus size. Without
//! a text source, words are matched against what the row carries (title,
//! authors, AI keywords): enough for one day's list before the index is
//! ready.

use super::{Cmp, CountField, DateSpec, Expr, Has, Is, SortKey, Term};
use crate::domain::model::{Day, Entry};
use crate::domain::text::{fold, words};
use std::collections::HashMap;

/// Resolves words and phrases to documents (positions in the index).
pub trait TextSource {
    /// Documents holding a word that starts with `prefix`.
    fn prefix_docs(&self, prefix: &str) -> Vec<bool>;
    /// Documents holding these words in this order.
    fn phrase_docs(&self, words: &[String]) -> Vec<bool>;
}

/// Everything a query needs besides the paper itself.
pub struct Ctx {
    pub today: Day,
    words: HashMap<String, Vec<bool>>,
    phrases: HashMap<Vec<String>, Vec<bool>>,
    indexed: bool,
}

impl Ctx {
    /// Resolves the query's words and phrases up front.
    pub fn prepare(expr: Option<&Expr>, today: Day, text: Option<&dyn TextSource>) -> Ctx {
        let mut ctx = Ctx {
            today,
            words: HashMap::new(),
            phrases: HashMap::new(),
            indexed: text.is_some(),
        };
        if let (Some(expr), Some(text)) = (expr, text) {
            ctx.collect(expr, text);
        }
        ctx
    }

    fn collect(&mut self, expr: &Expr, text: &dyn TextSource) {
        match expr {
            Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| self.collect(p, text)),
            Expr::Not(inner) => self.collect(inner, text),
            Expr::Term(Term::Word(w)) => {
                if !self.words.contains_key(w) {
                    self.words.insert(w.clone(), text.prefix_docs(w));
                }
            }
            Expr::Term(Term::Phrase(ws)) => {
                if !self.phrases.contains_key(ws) {
                    self.phrases.insert(ws.clone(), text.phrase_docs(ws));
                }
            }
            Expr::Term(_) => {}
        }
    }
}

/// Does paper `doc` (its position in the index) match?
pub fn matches(expr: &Expr, doc: usize, entry: &Entry, ctx: &Ctx) -> bool {
    match expr {
        Expr::And(parts) => parts.iter().all(|p| matches(p, doc, entry, ctx)),
        Expr::Or(parts) => parts.iter().any(|p| matches(p, doc, entry, ctx)),
        Expr::Not(inner) => !matches(inner, doc, entry, ctx),
        Expr::Term(t) => term(t, doc, entry, ctx),
    }
}

fn term(t: &Term, doc: usize, e: &Entry, ctx: &Ctx) -> bool {
    let row = &e.row;
    let contains = |haystack: &str, needle: &str| fold(haystack).contains(needle);
    match t {
        Term::Word(w) if ctx.indexed => ctx
            .words
            .get(w)
            .is_some_and(|set| set.get(doc).copied().unwrap_or(false)),
        Term::Phrase(ws) if ctx.indexed => ctx
            .phrases
            .get(ws)
            .is_some_and(|set| set.get(doc).copied().unwrap_or(false)),
        Term::Word(w) => row_words(e).any(|x| x.starts_with(w.as_str())),
        Term::Phrase(ws) => {
            let all: Vec<String> = row_words(e).collect();
            all.windows(ws.len()).any(|win| win == ws.as_slice())
        }
        Term::Is(Is::Unread) => !e.state.read,
        Term::Is(Is::Read) => e.state.read,
        Term::Is(Is::Starred) => e.state.starred,
        Term::Tag(tag) => e.state.tags.iter().any(|t| t == tag),
        Term::Author(name) => row.authors.iter().any(|a| contains(a, name)),
        Term::Org(org) => row
            .organization
            .as_deref()
            .is_some_and(|o| contains(o, org)),
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
    match spec {
        DateSpec::Range { from, to, .. } => (from..=to).contains(&day),
        DateSpec::Today => day == today,
        DateSpec::LastDays(n) => {
            // The parser bounds n; a far bound still must not panic.
            let start = chrono::Duration::try_days(i64::from(n))
                .and_then(|d| today.checked_sub_signed(d))
                .unwrap_or(Day::MIN);
            day <= today && day > start
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
        SortKey::Upvotes => {
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
