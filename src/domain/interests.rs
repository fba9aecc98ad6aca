//! Follows and mutes: newsboat's highlight and ignore-article, for papers.
//!
//! Both are queries of the filter language kept in the config file
//! (`[follow] queries`, `[mute] queries`). A followed paper is flagged `!`
//! in lists, counted in the status line and gathered in the Following view;
//! a muted paper is left out of every view but All (and counted, never
//! deleted). The usual terms are names (`author:"Albert Gu"`, `org:`,
//! `kw:`), which a row carries, so flags are decided on the rows drawn.
//! For you's muted features ride along: all that the reader said they do
//! not want counted.

use crate::domain::model::{Day, Entry};
use crate::domain::query::eval::{self, Ctx};
use crate::domain::query::{self, Expr, Query};

/// The reader's follows and mutes, parsed once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Interests {
    /// The follow queries as written in the config.
    pub follows: Vec<String>,
    /// The mute queries as written in the config.
    pub mutes: Vec<String>,
    follow: Option<Expr>,
    mute: Option<Expr>,
    /// For you's muted features (`[foryou] mute`): never counted in a score.
    pub foryou_mute: Vec<crate::domain::taste::Feature>,
}

impl Interests {
    /// Parses the queries; the first that does not parse is the error.
    pub fn new(follows: Vec<String>, mutes: Vec<String>) -> Result<Interests, String> {
        let follow = any_of(&follows)?;
        let mute = any_of(&mutes)?;
        Ok(Interests {
            follows,
            mutes,
            follow,
            mute,
            foryou_mute: Vec::new(),
        })
    }

    /// Does a follow query match this paper?
    pub fn is_followed(&self, entry: &Entry, today: Day) -> bool {
        self.follow
            .as_ref()
            .is_some_and(|x| eval::matches(x, entry, &Ctx::new(today)))
    }

    /// The first follow query that matches this paper, as written.
    pub fn followed_by(&self, entry: &Entry, today: Day) -> Option<&str> {
        let ctx = Ctx::new(today);
        self.follows.iter().map(String::as_str).find(|text| {
            query::parse(text)
                .ok()
                .and_then(|q| q.expr)
                .is_some_and(|x| eval::matches(&x, entry, &ctx))
        })
    }

    /// Does a mute query match this paper?
    pub fn is_muted(&self, entry: &Entry, today: Day) -> bool {
        self.mute
            .as_ref()
            .is_some_and(|x| eval::matches(x, entry, &Ctx::new(today)))
    }

    /// The Following view's query: any follow, or none when nothing is
    /// followed.
    pub fn following(&self) -> Option<Query> {
        self.follow.clone().map(|expr| Query {
            expr: Some(expr),
            sort: None,
        })
    }

    /// The papers a mute hides, as a query, or none.
    pub fn muted(&self) -> Option<Query> {
        self.mute.clone().map(|expr| Query {
            expr: Some(expr),
            sort: None,
        })
    }

    /// `q` without the muted papers.
    pub fn without_muted(&self, q: &Query) -> Query {
        let mut out = q.clone();
        if let Some(mute) = &self.mute {
            out.and_query(Query {
                expr: Some(Expr::Not(Box::new(mute.clone()))),
                sort: None,
            });
        }
        out
    }
}

impl Interests {
    /// How many of `entries` are followed, and how many muted (`today`
    /// decides date terms).
    pub fn mark(&self, entries: &[Entry], today: Day) -> Marks {
        Marks {
            followed: entries
                .iter()
                .filter(|e| self.is_followed(e, today))
                .count(),
            muted: entries.iter().filter(|e| self.is_muted(e, today)).count(),
        }
    }
}

/// What the status line counts about a list beside its papers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Marks {
    /// Papers a follow query matches (flagged `!`).
    pub followed: usize,
    /// Papers a mute query left out (All shows them).
    pub muted: usize,
}

/// How many authors the follow menu offers: a digit picks one, and the
/// prompt is one line.
const MENU: usize = 9;

/// What `+` offers to follow on a paper, as queries: the organization,
/// the first authors and the last (often the lab's head), then keywords.
pub fn follow_choices(paper: &crate::domain::model::Paper) -> Vec<String> {
    let quoted = |field: &str, v: &str| {
        let v = crate::domain::text::one_line(v).replace('"', "");
        if v.chars().all(|c| c.is_alphanumeric() || c == '-') {
            format!("{field}:{v}")
        } else {
            format!("{field}:\"{v}\"")
        }
    };
    let mut out = Vec::new();
    if let Some(org) = paper
        .organization
        .as_deref()
        .filter(|o| !o.trim().is_empty())
    {
        out.push(quoted("org", org));
    }
    let authors = &paper.authors;
    let mut picked: Vec<&String> = authors.iter().take(5).collect();
    if let Some(last) = authors.last().filter(|_| authors.len() > 5) {
        picked.push(last);
    }
    out.extend(picked.iter().map(|a| quoted("author", a)));
    out.extend(paper.ai_keywords.iter().map(|k| quoted("kw", k)));
    // Only choices that parse back (a name of punctuation alone does not).
    out.retain(|q| query::parse(q).is_ok_and(|q| q.expr.is_some()));
    out.dedup();
    out.truncate(MENU);
    out
}

/// One expression true when any of the queries is (their sorts dropped).
fn any_of(texts: &[String]) -> Result<Option<Expr>, String> {
    let mut parts = Vec::new();
    for text in texts {
        let q = query::parse(text).map_err(|e| format!("{text:?}: {e}"))?;
        match q.expr {
            Some(expr) => parts.push(expr),
            None => return Err(format!("{text:?} matches every paper")),
        }
    }
    Ok(match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Expr::Or(parts)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Names, PaperId, Row, UserState};

    fn entry(authors: &[&str], org: Option<&str>) -> Entry {
        Entry {
            row: Row {
                id: PaperId("2501.00001".into()),
                title: "A paper".into(),
                authors: Names::new(authors),
                organization: org.map(str::to_string),
                ..Row::default()
            },
            state: UserState::default(),
        }
    }

    fn today() -> Day {
        Day::from_ymd_opt(2026, 1, 1).unwrap()
    }

    #[test]
    fn a_paper_by_a_followed_author_or_org_is_followed_and_others_are_not() {
        let i = Interests::new(
            vec!["author:\"Albert Gu\"".into(), "org:nvidia".into()],
            vec![],
        )
        .unwrap();
        assert!(i.is_followed(&entry(&["Albert Gu", "Tri Dao"], None), today()));
        assert!(i.is_followed(&entry(&["Someone"], Some("NVIDIA")), today()));
        assert!(!i.is_followed(&entry(&["Someone"], Some("Meta")), today()));
        assert_eq!(
            i.followed_by(&entry(&["Someone"], Some("NVIDIA")), today()),
            Some("org:nvidia")
        );
        assert!(!i.is_muted(&entry(&["Albert Gu"], None), today()));
    }

    #[test]
    fn without_muted_adds_the_negated_mutes_to_a_query() {
        let i = Interests::new(vec![], vec!["org:meta".into(), "survey".into()]).unwrap();
        let q = query::parse("is:unread").unwrap();
        assert_eq!(
            i.without_muted(&q).to_string(),
            "is:unread -(org:meta OR survey)"
        );
        assert!(i.is_muted(&entry(&["A"], Some("Meta AI")), today()));
        let none = Interests::default();
        assert_eq!(none.without_muted(&q), q);
    }

    #[test]
    fn a_query_that_does_not_parse_or_matches_everything_is_refused_by_name() {
        let e = Interests::new(vec!["author:".into()], vec![]).unwrap_err();
        assert!(e.contains("author:"), "{e}");
        let e = Interests::new(vec![], vec!["sort:upvotes".into()]).unwrap_err();
        assert!(e.contains("every paper"), "{e}");
    }
}
