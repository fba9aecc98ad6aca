//! Text to [`Query`]: a small lexer and a recursive-descent parser.
//!
//! ```text
//! query  := or
//! or     := and ("OR" and)*
//! and    := unary+
//! unary  := "-" unary | "(" or ")" | term
//! term   := word | "phrase" | field ":" value
//! ```

use super::{
    Cmp, CountField, DateForm, DateSpec, Day, Expr, Has, Is, Query, QueryError, SortKey, Term,
};
use crate::domain::model::parse_day;
use crate::domain::text::{fold, words};
use chrono::Datelike;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Minus,
    Or,
    Text {
        raw: String,
        quoted: bool,
    },
    Field {
        name: String,
        value: String,
        value_col: usize,
    },
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    col: usize,
    /// The source text of the token, for error messages.
    text: String,
}

fn err(term: &str, message: impl Into<String>, column: usize) -> QueryError {
    QueryError {
        term: term.to_string(),
        message: message.into(),
        column,
    }
}

fn lex(input: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let (tok, next) = match c {
            '(' => (Tok::LParen, i + 1),
            ')' => (Tok::RParen, i + 1),
            '-' if chars
                .get(i + 1)
                .is_some_and(|n| !n.is_whitespace() && *n != ')') =>
            {
                (Tok::Minus, i + 1)
            }
            '"' => {
                let (raw, next) = quoted(&chars, i)?;
                (Tok::Text { raw, quoted: true }, next)
            }
            _ => word(&chars, i)?,
        };
        out.push(Token {
            tok,
            col: i + 1,
            text: chars[i..next].iter().collect(),
        });
        i = next;
    }
    Ok(out)
}

/// Reads a quoted string starting at the opening quote at `i`; returns it
/// and where the next token starts.
fn quoted(chars: &[char], i: usize) -> Result<(String, usize), QueryError> {
    let mut j = i + 1;
    while j < chars.len() && chars[j] != '"' {
        j += 1;
    }
    if j >= chars.len() {
        let rest: String = chars[i..].iter().collect();
        return Err(err(&rest, "this quote is never closed", i + 1));
    }
    Ok((chars[i + 1..j].iter().collect(), j + 1))
}

/// Reads a run of text at `i`: a word, `OR`, or a `field:value` (the
/// value may be quoted).
fn word(chars: &[char], i: usize) -> Result<(Tok, usize), QueryError> {
    let col = i + 1;
    let mut j = i;
    while j < chars.len() && !chars[j].is_whitespace() && !matches!(chars[j], '(' | ')' | '"') {
        j += 1;
    }
    let run: String = chars[i..j].iter().collect();
    Ok(match run.find(':') {
        Some(k) if k > 0 => {
            let name = run[..k].to_string();
            let value = run[k + 1..].to_string();
            let value_col = col + run[..=k].chars().count();
            if value.is_empty() && chars.get(j) == Some(&'"') {
                let (value, next) = quoted(chars, j)?;
                let value_col = value_col + 1;
                (
                    Tok::Field {
                        name,
                        value,
                        value_col,
                    },
                    next,
                )
            } else {
                (
                    Tok::Field {
                        name,
                        value,
                        value_col,
                    },
                    j,
                )
            }
        }
        _ if run == "OR" => (Tok::Or, j),
        _ => (
            Tok::Text {
                raw: run,
                quoted: false,
            },
            j,
        ),
    })
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    sort: Option<SortKey>,
    /// Parentheses and negations open now: bounded, so a hostile query
    /// cannot exhaust the stack (here, in the printer or the matcher).
    depth: usize,
}

/// The most words and field terms a query may have.
pub const MAX_TERMS: usize = 256;

/// The deepest nesting of parentheses and negations a query may have.
pub const MAX_DEPTH: usize = 32;

/// The longest `date:Nd` accepted: a century.
pub const MAX_DAYS: u32 = 36_500;

/// Parses a query. Empty text is the query that keeps everything.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let tokens = lex(input)?;
    // Each term costs a search of the index (a prefix one, thousands of
    // words): a query of thousands, pasted or built from a long mute
    // list, would take minutes and gigabytes.
    if let Some(t) = tokens
        .iter()
        .filter(|t| matches!(t.tok, Tok::Text { .. } | Tok::Field { .. }))
        .nth(MAX_TERMS)
    {
        return Err(err(
            &t.text,
            format!("the query has more than {MAX_TERMS} terms, the most one may have"),
            t.col,
        ));
    }
    let mut p = Parser {
        tokens,
        pos: 0,
        sort: None,
        depth: 0,
    };
    let expr = if p.tokens.is_empty() { None } else { p.or()? };
    if let Some(t) = p.tokens.get(p.pos) {
        return Err(err(&t.text, "this ) has no matching (", t.col));
    }
    Ok(Query { expr, sort: p.sort })
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn or(&mut self) -> Result<Option<Expr>, QueryError> {
        let mut parts = Vec::new();
        if let Some(e) = self.and()? {
            parts.push(e);
        }
        while self.peek() == Some(&Tok::Or) {
            let or = self.tokens[self.pos].clone();
            self.pos += 1;
            match self.and()? {
                Some(e) => parts.push(e),
                None => return Err(err("OR", "expected a term after OR", or.col)),
            }
            if parts.len() < 2 {
                return Err(err("OR", "expected a term before OR", or.col));
            }
        }
        Ok(combine(parts, Expr::Or))
    }

    fn and(&mut self) -> Result<Option<Expr>, QueryError> {
        let mut parts = Vec::new();
        while let Some(tok) = self.peek() {
            if matches!(tok, Tok::Or | Tok::RParen) {
                break;
            }
            // `sort:` yields no term; it was recorded on the parser.
            if let Some(e) = self.unary()? {
                parts.push(e);
            }
        }
        Ok(combine(parts, Expr::And))
    }

    fn unary(&mut self) -> Result<Option<Expr>, QueryError> {
        let t = &self.tokens[self.pos];
        if !matches!(t.tok, Tok::Minus | Tok::LParen) {
            return self.unary_inner();
        }
        if self.depth >= MAX_DEPTH {
            return Err(err(
                &t.text,
                format!("the query nests deeper than {MAX_DEPTH} levels"),
                t.col,
            ));
        }
        self.depth += 1;
        let e = self.unary_inner();
        self.depth -= 1;
        e
    }

    fn unary_inner(&mut self) -> Result<Option<Expr>, QueryError> {
        let t = self.tokens[self.pos].clone();
        self.pos += 1;
        match t.tok {
            Tok::Minus => {
                if self.pos >= self.tokens.len() {
                    return Err(err("-", "expected a term after -", t.col + 1));
                }
                match self.unary()? {
                    Some(e) => Ok(Some(Expr::Not(Box::new(e)))),
                    None => Err(err("-", "sort: cannot be negated", t.col)),
                }
            }
            Tok::LParen => {
                let inner = self.or()?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(err("(", "this ( is never closed", t.col));
                }
                self.pos += 1;
                match inner {
                    Some(e) => Ok(Some(e)),
                    None => Err(err(
                        "()",
                        "expected a term inside the parentheses",
                        t.col + 1,
                    )),
                }
            }
            Tok::RParen => Err(err(")", "this ) has no matching (", t.col)),
            Tok::Or => Err(err("OR", "expected a term before OR", t.col)),
            Tok::Text { raw, quoted } => {
                let ws: Vec<String> = words(&raw).collect();
                match (ws.len(), quoted) {
                    (0, _) => Err(err(&t.text, "expected a word or a phrase", t.col)),
                    (1, false) => Ok(ws.into_iter().next().map(|w| Expr::Term(Term::Word(w)))),
                    _ => Ok(Some(Expr::Term(Term::Phrase(ws)))),
                }
            }
            Tok::Field {
                name,
                value,
                value_col,
            } => {
                let term = self.field(&t.text, &name, &value, value_col)?;
                Ok(term.map(Expr::Term))
            }
        }
    }

    /// The word or quoted phrase after `in:fulltext`.
    fn text_after(&mut self, text: &str, col: usize) -> Result<Vec<String>, QueryError> {
        let expected = || {
            err(
                text,
                "expected a word or a \"phrase\" after in:fulltext",
                col,
            )
        };
        let Some(Tok::Text { raw, .. }) = self.tokens.get(self.pos).map(|t| t.tok.clone()) else {
            return Err(expected());
        };
        self.pos += 1;
        let ws: Vec<String> = words(&raw).collect();
        if ws.is_empty() {
            return Err(expected());
        }
        Ok(ws)
    }

    fn field(
        &mut self,
        text: &str,
        name: &str,
        value: &str,
        col: usize,
    ) -> Result<Option<Term>, QueryError> {
        let folded = fold(
            value
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .as_str(),
        );
        let need = |what: &str| -> Result<String, QueryError> {
            if folded.is_empty() {
                Err(err(text, format!("expected {what} after \"{name}:\""), col))
            } else {
                Ok(folded.clone())
            }
        };
        Ok(Some(match name {
            "is" => Term::Is(match folded.as_str() {
                "unread" => Is::Unread,
                "read" => Is::Read,
                "starred" => Is::Starred,
                _ => return Err(err(text, "expected unread, read or starred", col)),
            }),
            "has" => Term::Has(match folded.as_str() {
                "code" => Has::Code,
                "project" => Has::Project,
                "summary" => Has::Summary,
                _ => return Err(err(text, "expected code, project or summary", col)),
            }),
            "tag" => Term::Tag(tag_value(text, need("a tag")?, col)?),
            "author" => Term::Author(need("a name")?),
            "org" => Term::Org(need("an organization")?),
            "submitter" => Term::Submitter(need("a username")?),
            "kw" => Term::Kw(need("a keyword")?),
            "in" if folded == "fulltext" => Term::InText(self.text_after(text, col)?),
            "in" => return Err(err(text, "expected in:fulltext", col)),
            "upvotes" => Term::Count(CountField::Upvotes, cmp(text, value, col)?),
            "comments" => Term::Count(CountField::Comments, cmp(text, value, col)?),
            "stars" => Term::Count(CountField::Stars, cmp(text, value, col)?),
            "date" => Term::Date(date(text, value, col)?),
            "sort" => {
                self.sort = Some(
                    SortKey::ALL
                        .into_iter()
                        .find(|k| k.name() == folded)
                        .ok_or_else(|| {
                            err(
                                text,
                                "expected upvotes, comments, stars, date, title, rank, relevance, foryou or rising",
                                col,
                            )
                        })?,
                );
                return Ok(None);
            }
            _ => {
                return Err(err(
                    text,
                    format!(
                        "unknown filter \"{name}:\" (known: is has tag author org kw upvotes comments stars date in sort)"
                    ),
                    col - name.chars().count() - 1,
                ));
            }
        }))
    }
}

/// A `tag:` value: the tag characters only, or an error at the first other.
fn tag_value(text: &str, tag: String, col: usize) -> Result<String, QueryError> {
    match tag
        .chars()
        .position(|c| !crate::domain::model::is_tag_char(c))
    {
        Some(bad) => Err(err(
            text,
            "a tag holds lower-case letters, digits, -, _ or /",
            col + bad,
        )),
        None => Ok(tag),
    }
}

fn combine(mut parts: Vec<Expr>, make: fn(Vec<Expr>) -> Expr) -> Option<Expr> {
    // Flatten nested lists of the same kind so printing and re-parsing agree.
    let same = |e: &Expr| {
        matches!(
            (e, make(Vec::new())),
            (Expr::And(_), Expr::And(_)) | (Expr::Or(_), Expr::Or(_))
        )
    };
    let mut flat = Vec::new();
    for p in parts.drain(..) {
        if same(&p) {
            match p {
                Expr::And(inner) | Expr::Or(inner) => flat.extend(inner),
                _ => unreachable!(),
            }
        } else {
            flat.push(p);
        }
    }
    match flat.len() {
        0 => None,
        1 => flat.pop(),
        _ => Some(make(flat)),
    }
}

/// `>N`, `>=N`, `<N`, `<=N`, `=N`, `N`, or `A..B`.
fn cmp(text: &str, value: &str, col: usize) -> Result<Cmp, QueryError> {
    let number = |s: &str, at: usize, after: &str| -> Result<u64, QueryError> {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            let msg = if after.is_empty() {
                "expected a number".to_string()
            } else {
                format!("expected a number after \"{after}\"")
            };
            return Err(err(text, msg, at));
        }
        if digits.len() < s.len() {
            return Err(err(
                text,
                "expected only digits here",
                at + digits.chars().count(),
            ));
        }
        digits
            .parse()
            .map_err(|_| err(text, "this number is too large", at))
    };
    for (op, make) in [
        (">=", Cmp::Ge as fn(u64) -> Cmp),
        ("<=", Cmp::Le),
        (">", Cmp::Gt),
        ("<", Cmp::Lt),
        ("=", Cmp::Eq),
    ] {
        if let Some(rest) = value.strip_prefix(op) {
            return Ok(make(number(rest, col + op.len(), op)?));
        }
    }
    if let Some((a, b)) = value.split_once("..") {
        let lo = number(a, col, "")?;
        let hi = number(b, col + a.chars().count() + 2, "..")?;
        if lo > hi {
            return Err(err(text, "the range starts after it ends", col));
        }
        return Ok(Cmp::Range(lo, hi));
    }
    Ok(Cmp::Eq(number(value, col, "")?))
}

/// `YYYY-MM-DD`, `YYYY-MM`, `FROM..TO`, `today`, `Nd`.
fn date(text: &str, value: &str, col: usize) -> Result<DateSpec, QueryError> {
    let expected = "expected YYYY-MM-DD, YYYY-Www, YYYY-MM, FROM..TO, today or Nd (e.g. 7d)";
    if value == "today" {
        return Ok(DateSpec::Today);
    }
    if let Some((from, to)) = crate::domain::model::parse_week(value) {
        return Ok(DateSpec::Range {
            from,
            to,
            form: DateForm::Week,
        });
    }
    if let Some(n) = value.strip_suffix('d')
        && !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit())
    {
        let n: u32 = n
            .parse()
            .ok()
            .filter(|n| *n <= MAX_DAYS)
            .ok_or_else(|| err(text, format!("at most {MAX_DAYS} days"), col))?;
        if n == 0 {
            return Err(err(
                text,
                "date:0d keeps nothing; use date:1d for today",
                col,
            ));
        }
        return Ok(DateSpec::LastDays(n));
    }
    // A day or a month, as the first or last day it covers.
    let bound = |s: &str, at: usize, last: bool| -> Result<(Day, bool), QueryError> {
        if let Some(d) = parse_day(s) {
            return Ok((d, false));
        }
        if s.len() == 7
            && let Some(first) = parse_day(&format!("{s}-01"))
        {
            let end = first
                .checked_add_months(chrono::Months::new(1))
                .and_then(|d| d.pred_opt())
                .unwrap_or(first);
            return Ok((if last { end } else { first }, true));
        }
        Err(err(text, expected, at))
    };
    if let Some((a, b)) = value.split_once("..") {
        let (from, _) = bound(a, col, false)?;
        let (to, _) = bound(b, col + a.chars().count() + 2, true)?;
        if from > to {
            return Err(err(text, "the range starts after it ends", col));
        }
        return Ok(DateSpec::Range {
            from,
            to,
            form: DateForm::Span,
        });
    }
    let (from, month) = bound(value, col, false)?;
    if month {
        let (to, _) = bound(value, col, true)?;
        debug_assert_eq!(from.day(), 1);
        return Ok(DateSpec::Range {
            from,
            to,
            form: DateForm::Month,
        });
    }
    Ok(DateSpec::Range {
        from,
        to: from,
        form: DateForm::Day,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Query {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn word(w: &str) -> Expr {
        Expr::Term(Term::Word(w.into()))
    }

    #[test]
    fn a_query_of_more_than_256_terms_is_refused_at_the_first_one_past_the_limit() {
        let most = vec!["w"; MAX_TERMS].join(" ");
        assert!(parse(&most).is_ok());
        let words: Vec<String> = (0..20_000).map(|i| format!("w{i}")).collect();
        let e = parse(&words.join(" ")).unwrap_err();
        assert_eq!(e.term, "w256");
        assert!(e.message.contains("more than 256 terms"), "{e}");
        let fields = vec!["tag:a OR -b"; 200].join(" ");
        assert!(
            parse(&fields).is_err(),
            "fields and negated words count too"
        );
    }

    #[test]
    fn words_and_terms_are_anded() {
        assert_eq!(
            p("Diffusion is:unread").expr,
            Some(Expr::And(vec![
                word("diffusion"),
                Expr::Term(Term::Is(Is::Unread))
            ]))
        );
    }

    #[test]
    fn or_binds_looser_than_and_and_parentheses_group() {
        assert_eq!(
            p("a b OR c").expr,
            Some(Expr::Or(vec![
                Expr::And(vec![word("a"), word("b")]),
                word("c")
            ]))
        );
        assert_eq!(
            p("a (b OR c)").expr,
            Some(Expr::And(vec![
                word("a"),
                Expr::Or(vec![word("b"), word("c")])
            ]))
        );
    }

    #[test]
    fn minus_negates_any_term_or_group() {
        assert_eq!(
            p("-is:read").expr,
            Some(Expr::Not(Box::new(Expr::Term(Term::Is(Is::Read)))))
        );
        assert_eq!(
            p("-(a OR b)").expr,
            Some(Expr::Not(Box::new(Expr::Or(vec![word("a"), word("b")]))))
        );
    }

    #[test]
    fn quoted_values_and_phrases_are_folded() {
        assert_eq!(
            p("author:\"Grace Hopper\"").expr,
            Some(Expr::Term(Term::Author("grace hopper".into())))
        );
        assert_eq!(
            p("\"Flow Matching\"").expr,
            Some(Expr::Term(Term::Phrase(vec![
                "flow".into(),
                "matching".into()
            ])))
        );
        assert_eq!(p("Zoë").expr, Some(word("zoe")));
    }

    #[test]
    fn counts_take_every_comparison_form() {
        let c = |s: &str| match p(s).expr {
            Some(Expr::Term(Term::Count(_, c))) => c,
            other => panic!("{other:?}"),
        };
        assert_eq!(c("upvotes:>20"), Cmp::Gt(20));
        assert_eq!(c("upvotes:>=20"), Cmp::Ge(20));
        assert_eq!(c("comments:<3"), Cmp::Lt(3));
        assert_eq!(c("comments:<=3"), Cmp::Le(3));
        assert_eq!(c("stars:=7"), Cmp::Eq(7));
        assert_eq!(c("stars:7"), Cmp::Eq(7));
        assert_eq!(c("upvotes:10..50"), Cmp::Range(10, 50));
    }

    #[test]
    fn dates_take_days_months_spans_today_and_last_days() {
        let d = |s: &str| match p(s).expr {
            Some(Expr::Term(Term::Date(d))) => d,
            other => panic!("{other:?}"),
        };
        let day = |s| parse_day(s).unwrap();
        assert_eq!(
            d("date:2025-09-10"),
            DateSpec::Range {
                from: day("2025-09-10"),
                to: day("2025-09-10"),
                form: DateForm::Day
            }
        );
        assert_eq!(
            d("date:2025-02"),
            DateSpec::Range {
                from: day("2025-02-01"),
                to: day("2025-02-28"),
                form: DateForm::Month
            }
        );
        assert_eq!(
            d("date:2025-09-01..2025-10"),
            DateSpec::Range {
                from: day("2025-09-01"),
                to: day("2025-10-31"),
                form: DateForm::Span
            }
        );
        assert_eq!(d("date:today"), DateSpec::Today);
        assert_eq!(d("date:7d"), DateSpec::LastDays(7));
    }

    #[test]
    fn sort_is_taken_out_of_the_filter() {
        let q = p("is:unread sort:upvotes");
        assert_eq!(q.sort, Some(SortKey::Upvotes));
        assert_eq!(q.expr, Some(Expr::Term(Term::Is(Is::Unread))));
        assert_eq!(p("sort:title").expr, None);
    }

    #[test]
    fn malformed_queries_say_what_is_wrong_and_where() {
        let e = |s: &str| parse(s).unwrap_err().to_string();
        assert_eq!(
            e("upvotes:>>"),
            "upvotes:>> — expected a number after \">\" at column 10"
        );
        assert_eq!(
            e("upvotes:1x"),
            "upvotes:1x — expected only digits here at column 10"
        );
        assert_eq!(
            e("is:maybe"),
            "is:maybe — expected unread, read or starred at column 4"
        );
        assert_eq!(e("a (b"), "( — this ( is never closed at column 3");
        assert_eq!(e("a b)"), ") — this ) has no matching ( at column 4");
        assert_eq!(
            e("\"open"),
            "\"open — this quote is never closed at column 1"
        );
        assert_eq!(e("a OR"), "OR — expected a term after OR at column 3");
        assert_eq!(e("OR a"), "OR — expected a term before OR at column 1");
        assert_eq!(
            e("color:red"),
            "color:red — unknown filter \"color:\" (known: is has tag author org kw upvotes comments stars date in sort) at column 1"
        );
        assert_eq!(
            e("date:2025-13"),
            "date:2025-13 — expected YYYY-MM-DD, YYYY-Www, YYYY-MM, FROM..TO, today or Nd (e.g. 7d) at column 6"
        );
        assert_eq!(
            e("tag:a+b"),
            "tag:a+b — a tag holds lower-case letters, digits, -, _ or / at column 6"
        );
        assert_eq!(
            e("upvotes:50..10"),
            "upvotes:50..10 — the range starts after it ends at column 9"
        );
        assert_eq!(e("!!!"), "!!! — expected a word or a phrase at column 1");
        assert_eq!(
            e("author:"),
            "author: — expected a name after \"author:\" at column 8"
        );
    }

    #[test]
    fn empty_queries_keep_everything() {
        assert_eq!(p(""), Query::default());
        assert_eq!(p("   "), Query::default());
    }

    #[test]
    fn printing_then_parsing_gives_the_same_query() {
        for s in [
            "diffusion \"flow matching\" is:unread tag:rl author:\"grace hopper\" org:meta kw:rlhf",
            "has:code upvotes:>20 comments:5..10 stars:>=100 date:2025-09 date:7d date:today",
            "-is:read (tag:rl OR tag:agents) -(a OR b) sort:upvotes",
            "date:2025-09-01..2025-09-30 upvotes:3 comments:<=2 stars:<5",
        ] {
            let q = p(s);
            assert_eq!(p(&q.to_string()), q, "{s} printed as {q}");
        }
    }
}
