//! The filter language shared by the TUI `/` prompt, views and
//! `hfpapers list QUERY`.
//!
//! ```text
//! diffusion "flow matching" is:unread tag:rl author:"Grace Hopper" org:meta kw:rlhf
//! has:code upvotes:>20 comments:5..10 stars:>=100 date:2025-09 date:7d
//! in:fulltext "state space"
//! -is:read (tag:rl OR tag:agents) sort:upvotes
//! ```
//!
//! [`parse`] turns text into a [`Query`] (an [`Expr`] tree and an optional
//! sort) or a [`QueryError`] that names the column; `Display` prints a
//! query back in a form that parses to the same tree. Matching lives in
//! [`eval`]. Pure: no IO, no terminal.

pub mod eval;
mod parse;

pub use parse::parse;

use crate::domain::model::Day;
use std::fmt;

/// A query as typed and as parsed, kept together so it is parsed once,
/// where it is typed (the `/` prompt), and carried in a view's spec to
/// where it runs. Two are equal when their texts are.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    text: String,
    query: Query,
}

impl Filter {
    /// The text (trimmed) and its query, or why it does not parse.
    pub fn parse(text: &str) -> Result<Filter, QueryError> {
        let text = text.trim();
        Ok(Filter {
            query: parse(text)?,
            text: text.to_string(),
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn query(&self) -> &Query {
        &self.query
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// No filter.
    pub fn clear(&mut self) {
        *self = Filter::default();
    }
}

impl PartialEq for Filter {
    fn eq(&self, other: &Filter) -> bool {
        self.text == other.text
    }
}

impl Eq for Filter {}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A parsed query: what to keep, and how to order it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// `None` keeps everything.
    pub expr: Option<Expr>,
    pub sort: Option<SortKey>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Every part must hold (terms side by side).
    And(Vec<Expr>),
    /// One part must hold (`OR` between terms).
    Or(Vec<Expr>),
    /// `-term`.
    Not(Box<Expr>),
    Term(Term),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// A bare word (folded): some word of the title, abstract, authors or
    /// AI keywords starts with it.
    Word(String),
    /// A quoted phrase (folded words): they appear in this order.
    Phrase(Vec<String>),
    /// `in:fulltext word` or `in:fulltext "a phrase"`: the word (or the
    /// phrase) in the paper's kept full text only.
    InText(Vec<String>),
    Is(Is),
    Tag(String),
    Author(String),
    Org(String),
    /// The submitter's Hugging Face username.
    Submitter(String),
    Kw(String),
    Has(Has),
    Count(CountField, Cmp),
    Date(DateSpec),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Is {
    Unread,
    Read,
    Starred,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Has {
    Code,
    Project,
    Summary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountField {
    Upvotes,
    Comments,
    Stars,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Gt(u64),
    Ge(u64),
    Lt(u64),
    Le(u64),
    Eq(u64),
    /// Inclusive range `a..b`.
    Range(u64, u64),
}

impl Cmp {
    pub fn holds(self, n: u64) -> bool {
        match self {
            Cmp::Gt(x) => n > x,
            Cmp::Ge(x) => n >= x,
            Cmp::Lt(x) => n < x,
            Cmp::Le(x) => n <= x,
            Cmp::Eq(x) => n == x,
            Cmp::Range(a, b) => (a..=b).contains(&n),
        }
    }
}

/// Which digest days a `date:` term keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSpec {
    /// `date:2025-09-10`, `date:2025-09`, `date:A..B`: an inclusive range,
    /// printed back in the form it was written.
    Range {
        from: Day,
        to: Day,
        form: DateForm,
    },
    Today,
    /// `date:7d`: today and the six days before.
    LastDays(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    Day,
    /// An ISO week, `date:2026-W23`.
    Week,
    Month,
    Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Newest day first, then the digest's rank.
    #[default]
    Date,
    Upvotes,
    Comments,
    Stars,
    Title,
    Rank,
    /// Best match first (BM25 over the index, title words weighing
    /// most): the default when a query has words.
    Relevance,
    /// The reader's taste first (a model learned from stars, tags and
    /// reads); most upvoted first until there is one.
    ForYou,
    /// Most upvotes gained in the last 24 hours first (the papers'
    /// popularity history); most upvoted first where there is none.
    Rising,
}

impl SortKey {
    pub const ALL: [SortKey; 9] = [
        SortKey::Date,
        SortKey::Upvotes,
        SortKey::Comments,
        SortKey::Stars,
        SortKey::Title,
        SortKey::Rank,
        SortKey::Relevance,
        SortKey::ForYou,
        SortKey::Rising,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SortKey::Upvotes => "upvotes",
            SortKey::Comments => "comments",
            SortKey::Stars => "stars",
            SortKey::Date => "date",
            SortKey::Title => "title",
            SortKey::Rank => "rank",
            SortKey::Relevance => "relevance",
            SortKey::ForYou => "foryou",
            SortKey::Rising => "rising",
        }
    }

    /// The next sort in `S`'s cycle.
    #[must_use]
    pub fn next(self) -> SortKey {
        let i = SortKey::ALL.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ALL[(i + 1) % SortKey::ALL.len()]
    }
}

/// A query that does not parse: where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{term} — {message} at column {column}")]
pub struct QueryError {
    /// The term (or text) the problem is in.
    pub term: String,
    pub message: String,
    /// 1-based, in characters.
    pub column: usize,
}

impl Query {
    /// Narrows the query by one more term.
    pub fn and(&mut self, term: Term) {
        let term = Expr::Term(term);
        self.expr = Some(match self.expr.take() {
            None => term,
            Some(Expr::And(mut parts)) => {
                parts.push(term);
                Expr::And(parts)
            }
            Some(other) => Expr::And(vec![other, term]),
        });
    }

    /// Narrows the query by another one; the other's sort wins.
    pub fn and_query(&mut self, other: Query) {
        if let Some(expr) = other.expr {
            self.expr = Some(match self.expr.take() {
                None => expr,
                Some(Expr::And(mut parts)) => {
                    parts.push(expr);
                    Expr::And(parts)
                }
                Some(mine) => Expr::And(vec![mine, expr]),
            });
        }
        self.sort = other.sort.or(self.sort);
    }

    /// Whether the query has words or phrases (and so needs the text index).
    pub fn needs_text(&self) -> bool {
        fn walk(e: &Expr) -> bool {
            match e {
                Expr::And(ps) | Expr::Or(ps) => ps.iter().any(walk),
                Expr::Not(inner) => walk(inner),
                Expr::Term(Term::Word(_) | Term::Phrase(_) | Term::InText(_)) => true,
                Expr::Term(_) => false,
            }
        }
        self.expr.as_ref().is_some_and(walk)
    }

    /// The words and phrases a match is ranked by: those not under a
    /// `-`, each with whether it is a phrase.
    pub fn positive_text(&self) -> Vec<(Vec<String>, bool)> {
        fn walk(e: &Expr, out: &mut Vec<(Vec<String>, bool)>) {
            match e {
                Expr::And(ps) | Expr::Or(ps) => ps.iter().for_each(|p| walk(p, out)),
                Expr::Not(_) | Expr::Term(_) => {}
            }
            match e {
                Expr::Term(Term::Word(w)) => out.push((vec![w.clone()], false)),
                Expr::Term(Term::Phrase(ws)) if !ws.is_empty() => out.push((ws.clone(), true)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        if let Some(e) = &self.expr {
            walk(e, &mut out);
        }
        out
    }

    /// The bare words and phrase words, for highlighting matches.
    pub fn highlight_words(&self) -> Vec<String> {
        fn walk(e: &Expr, out: &mut Vec<String>) {
            match e {
                Expr::And(ps) | Expr::Or(ps) => ps.iter().for_each(|p| walk(p, out)),
                Expr::Term(Term::Word(w)) => out.push(w.clone()),
                Expr::Term(Term::Phrase(ws) | Term::InText(ws)) => out.extend(ws.iter().cloned()),
                // Words under a minus are what the papers do not contain.
                Expr::Not(_) | Expr::Term(_) => {}
            }
        }
        let mut out = Vec::new();
        if let Some(e) = &self.expr {
            walk(e, &mut out);
        }
        out
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(e) = &self.expr {
            parts.push(e.to_string());
        }
        if let Some(s) = self.sort {
            parts.push(format!("sort:{}", s.name()));
        }
        f.write_str(&parts.join(" "))
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::And(parts) => join(f, parts, " "),
            Expr::Or(parts) => join(f, parts, " OR "),
            Expr::Not(inner) => match **inner {
                Expr::Term(_) | Expr::Not(_) => write!(f, "-{inner}"),
                _ => write!(f, "-({inner})"),
            },
            Expr::Term(t) => write!(f, "{t}"),
        }
    }
}

/// Writes the parts of an And or an Or; a nested Or is parenthesized (the
/// parser never nests an And directly in an And, nor an Or in an Or).
fn join(f: &mut fmt::Formatter<'_>, parts: &[Expr], sep: &str) -> fmt::Result {
    let shown: Vec<String> = parts
        .iter()
        .map(|p| match p {
            Expr::Or(_) => format!("({p})"),
            _ => p.to_string(),
        })
        .collect();
    f.write_str(&shown.join(sep))
}

/// A value as the query language writes it: bare when it is one plain
/// word, quoted otherwise.
fn value(v: &str) -> String {
    let plain = !v.is_empty()
        && v.chars()
            .all(|c| !c.is_whitespace() && !matches!(c, '"' | '(' | ')'))
        && v != "OR";
    if plain {
        v.to_string()
    } else {
        format!("\"{}\"", v.replace('"', ""))
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Word(w) => f.write_str(w),
            Term::Phrase(ws) => write!(f, "\"{}\"", ws.join(" ")),
            Term::InText(ws) if ws.len() == 1 => write!(f, "in:fulltext {}", ws[0]),
            Term::InText(ws) => write!(f, "in:fulltext \"{}\"", ws.join(" ")),
            Term::Is(Is::Unread) => f.write_str("is:unread"),
            Term::Is(Is::Read) => f.write_str("is:read"),
            Term::Is(Is::Starred) => f.write_str("is:starred"),
            Term::Tag(t) => write!(f, "tag:{}", value(t)),
            Term::Author(a) => write!(f, "author:{}", value(a)),
            Term::Org(o) => write!(f, "org:{}", value(o)),
            Term::Submitter(s) => write!(f, "submitter:{}", value(s)),
            Term::Kw(k) => write!(f, "kw:{}", value(k)),
            Term::Has(Has::Code) => f.write_str("has:code"),
            Term::Has(Has::Project) => f.write_str("has:project"),
            Term::Has(Has::Summary) => f.write_str("has:summary"),
            Term::Count(field, cmp) => {
                let name = match field {
                    CountField::Upvotes => "upvotes",
                    CountField::Comments => "comments",
                    CountField::Stars => "stars",
                };
                match cmp {
                    Cmp::Gt(n) => write!(f, "{name}:>{n}"),
                    Cmp::Ge(n) => write!(f, "{name}:>={n}"),
                    Cmp::Lt(n) => write!(f, "{name}:<{n}"),
                    Cmp::Le(n) => write!(f, "{name}:<={n}"),
                    Cmp::Eq(n) => write!(f, "{name}:{n}"),
                    Cmp::Range(a, b) => write!(f, "{name}:{a}..{b}"),
                }
            }
            Term::Date(DateSpec::Today) => f.write_str("date:today"),
            Term::Date(DateSpec::LastDays(n)) => write!(f, "date:{n}d"),
            Term::Date(DateSpec::Range { from, to, form }) => match form {
                DateForm::Day => write!(f, "date:{}", from.format("%Y-%m-%d")),
                DateForm::Week => write!(f, "date:{}", from.format("%G-W%V")),
                DateForm::Month => write!(f, "date:{}", from.format("%Y-%m")),
                DateForm::Span => write!(
                    f,
                    "date:{}..{}",
                    from.format("%Y-%m-%d"),
                    to.format("%Y-%m-%d")
                ),
            },
        }
    }
}

#[cfg(test)]
mod filter_tests {
    use super::{Filter, Is, Term};

    #[test]
    fn a_filter_is_parsed_once_as_typed_and_travels_with_its_text() {
        let f = Filter::parse("  is:unread diffusion ").unwrap();
        assert_eq!(f.text(), "is:unread diffusion");
        assert_eq!(f.to_string(), "is:unread diffusion");
        let expected = super::parse("is:unread diffusion").unwrap();
        assert_eq!(f.query(), &expected);
        assert!(format!("{:?}", f.query()).contains(&format!("{:?}", Term::Is(Is::Unread))));
        assert_eq!(
            f,
            Filter::parse("is:unread diffusion").unwrap(),
            "equal by text"
        );
        assert!(
            Filter::parse("upvotes:>").is_err(),
            "what does not parse is not a filter"
        );
        let mut f = f;
        f.clear();
        assert!(f.is_empty() && f.query().expr.is_none());
    }
}
