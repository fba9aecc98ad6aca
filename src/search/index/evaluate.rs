//! Query evaluation: every term of the query language becomes a set of
//! documents (words and phrases through the index's terms, numbers and
//! dates through its fast fields, names checked on the stored rows),
//! combined as the expression says.

use super::{Index, Keys, Snapshot};
use crate::domain::model::{Day, Entry, UserState};
use crate::domain::query::eval::{self, Ctx};
use crate::domain::query::{CountField, Expr, Has, Is, Query, Term};
use crate::domain::text::words;
use crate::store::fulltext::{self};
use roaring::RoaringBitmap;
use std::sync::Arc;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query as TQuery, RegexQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

/// Documents that `make` matches in any of `fields`.
pub(super) fn any_field(
    snap: &Snapshot,
    fields: &[Field],
    make: impl Fn(Field) -> Option<Box<dyn TQuery>>,
) -> RoaringBitmap {
    let clauses: Vec<(Occur, Box<dyn TQuery>)> = fields
        .iter()
        .filter_map(|f| make(*f))
        .map(|q| (Occur::Should, q))
        .collect();
    if clauses.is_empty() {
        return RoaringBitmap::new();
    }
    snap.docs(&BooleanQuery::new(clauses))
}

/// Words starting with `prefix`. A query word with anything but letters
/// and digits can match no indexed word (they are split there).
pub(super) fn prefix_query(field: Field, prefix: &str) -> Option<Box<dyn TQuery>> {
    if prefix.is_empty() || !prefix.chars().all(char::is_alphanumeric) {
        return None;
    }
    let q = RegexQuery::from_pattern(&format!("{}.*", regex_escape(prefix)), field).ok()?;
    Some(Box::new(q))
}

/// These exact words, in this order.
pub(super) fn phrase_query(field: Field, words: &[String]) -> Option<Box<dyn TQuery>> {
    let terms: Vec<tantivy::Term> = words
        .iter()
        .map(|w| tantivy::Term::from_field_text(field, w))
        .collect();
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            terms[0].clone(),
            IndexRecordOption::Basic,
        ))),
        _ => Some(Box::new(PhraseQuery::new(terms))),
    }
}

/// Escapes what a regular expression would read as syntax.
pub(super) fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Documents this store first saw after `since` (Unix seconds).
pub(super) fn seen_after(snap: &Snapshot, since: i64) -> RoaringBitmap {
    snap.filter(|c, d| c.first_seen.first(d).is_some_and(|seen| seen > since))
}

impl Index {
    /// The documents matching a query.
    pub(super) fn matching(&self, snap: &Snapshot, query: &Query, today: Day) -> RoaringBitmap {
        match &query.expr {
            None => snap.all.clone(),
            Some(expr) => self.eval(snap, expr, today),
        }
    }

    pub(super) fn eval(&self, snap: &Snapshot, expr: &Expr, today: Day) -> RoaringBitmap {
        match expr {
            Expr::And(parts) => {
                let mut sets = parts.iter().map(|p| self.eval(snap, p, today));
                let first = sets.next().unwrap_or_else(|| snap.all.clone());
                sets.fold(first, |acc, s| acc & s)
            }
            Expr::Or(parts) => parts
                .iter()
                .map(|p| self.eval(snap, p, today))
                .fold(RoaringBitmap::new(), |acc, s| acc | s),
            Expr::Not(inner) => &snap.all - self.eval(snap, inner, today),
            Expr::Term(t) => self.term(snap, t, today),
        }
    }

    pub(super) fn term(&self, snap: &Snapshot, t: &Term, today: Day) -> RoaringBitmap {
        let f = &self.ft.fields;
        match t {
            Term::Word(w) => any_field(snap, &f.words(), |field| prefix_query(field, w)),
            Term::Phrase(ws) => any_field(snap, &f.words(), |field| phrase_query(field, ws)),
            Term::InText(ws) if ws.len() == 1 => {
                any_field(snap, &[f.text], |field| prefix_query(field, &ws[0]))
            }
            Term::InText(ws) => any_field(snap, &[f.text], |field| phrase_query(field, ws)),
            Term::Is(Is::Read) => self.read_docs(snap),
            Term::Is(Is::Unread) => &snap.all - self.read_docs(snap),
            Term::Is(Is::Starred) => Self::keyed(snap, &self.states().starred),
            Term::Tag(tag) => Self::keyed(snap, &self.states().tagged(tag)),
            Term::Author(name) => self.by_row(snap, t, f.authors, name, today),
            Term::Org(name) => self.by_row(snap, t, f.org, name, today),
            Term::Submitter(name) => self.by_row(snap, t, f.submitter, name, today),
            Term::Kw(name) => self.by_row(snap, t, f.keywords, name, today),
            Term::Has(has) => {
                let bit = match has {
                    Has::Code => fulltext::HAS_CODE,
                    Has::Project => fulltext::HAS_PROJECT,
                    Has::Summary => fulltext::HAS_SUMMARY,
                };
                snap.filter(|c, d| c.flags.first(d).is_some_and(|v| v & bit != 0))
            }
            Term::Count(field, cmp) => snap.filter(|c, d| {
                let col = match field {
                    CountField::Upvotes => &c.upvotes,
                    CountField::Comments => &c.comments,
                    CountField::Stars => &c.stars,
                };
                col.first(d).is_some_and(|n| cmp.holds(n))
            }),
            Term::Date(spec) => {
                // Compared as day numbers, as the fast field holds them: a
                // date per document made from its number cost more than
                // the rest of a day's query.
                let (from, to) = eval::date_span(*spec, today);
                let span = fulltext::day_number(from)..=fulltext::day_number(to);
                snap.filter(|c, d| c.day.first(d).is_some_and(|n| span.contains(&n)))
            }
        }
    }

    /// Documents whose key is in `keys`.
    pub(super) fn keyed(snap: &Snapshot, keys: &Keys) -> RoaringBitmap {
        if keys.is_empty() {
            return RoaringBitmap::new();
        }
        snap.filter(|c, d| c.key.first(d).is_some_and(|k| keys.contains(&k)))
    }

    /// A name term: the index narrows to papers holding words that contain
    /// the name's words; their rows decide, as the term is defined on them.
    pub(super) fn by_row(
        &self,
        snap: &Snapshot,
        t: &Term,
        field: Field,
        name: &str,
        today: Day,
    ) -> RoaringBitmap {
        let mut candidates = snap.all.clone();
        for w in words(name) {
            let pattern = format!(".*{}.*", regex_escape(&w));
            match RegexQuery::from_pattern(&pattern, field) {
                Ok(q) => candidates &= snap.docs(&q),
                Err(_) => return RoaringBitmap::new(),
            }
        }
        let order: Vec<u32> = candidates.iter().collect();
        let rows = snap.rows(&order, &self.ft.fields);
        let ctx = Ctx::new(today);
        let expr = Expr::Term(t.clone());
        order
            .into_iter()
            .zip(rows)
            .filter(|(_, row)| {
                row.clone().is_some_and(|row| {
                    let entry = Entry {
                        row,
                        state: UserState::default(),
                    };
                    eval::matches(&expr, &entry, &ctx)
                })
            })
            .map(|(doc, _)| doc)
            .collect()
    }

    /// The entries of documents, in their order (rows from the index's
    /// document store, state from here).
    pub(super) fn entries(&self, snap: &Snapshot, docs: &[u32]) -> Vec<Arc<Entry>> {
        snap.rows(docs, &self.ft.fields)
            .into_iter()
            .flatten()
            .map(|row| {
                let state = self.state_of(&row.id);
                Arc::new(Entry { row, state })
            })
            .collect()
    }
}
