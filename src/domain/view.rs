//! What a list shows, as data both frontends and the search read: the
//! view asked for ([`ViewSpec`]), a sidebar line ([`ViewItem`]), a
//! calendar day ([`DayCell`]). Pure types; computing a view is
//! [`crate::search::views`]'s job.

use crate::domain::model::Day;
use crate::domain::query::{Filter, SortKey};

/// What the calendar shows for one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayCell {
    NotFetched,
    /// Fetched: no papers that day (weekend, holiday).
    Empty,
    /// Fetched, with this many papers still unread.
    Unread(usize),
    /// Fetched, everything read.
    Done,
}

/// What a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewKind {
    /// One digest day (`None`: the latest stored one). `[`/`]` move it.
    Day(Option<Day>),
    /// A query over every stored day.
    Query(String),
    /// Results of a search on Hugging Face.
    Search(String),
    /// What is trending on Hugging Face now (online; a rolling list).
    Trending,
    /// Papers first seen after this time (Unix seconds: the previous
    /// session's start), across every day, unread first.
    New(Option<i64>),
    /// The papers most like this one, across every stored day.
    Similar(crate::domain::model::PaperId),
    /// The latest day (or its week or month) ranked by the reader's taste.
    ForYou,
    /// Starred papers that gained code or weights, newest first.
    Watch,
    /// Unread papers ranked by a model of one tag ("more like #rl").
    MoreLike(String),
}

/// What the runtime must compute for the list: a view, narrowed by the
/// `/` filter, in an order. Echoed back so stale results can be dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewSpec {
    pub kind: ViewKind,
    pub filter: Filter,
    pub sort: SortKey,
    pub sample: bool,
    /// For a day view: the day, its week or its month.
    pub period: crate::domain::model::Period,
}

/// One line of the views sidebar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewItem {
    pub name: String,
    pub kind: ViewKind,
    pub total: usize,
    pub unread: usize,
}

/// A view computed: its papers, For you's scores and reasons (the For
/// you view), how many are followed and how many a mute hid, and a line
/// about some papers (the Watch view: what each gained).
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub spec: ViewSpec,
    pub entries: crate::domain::rows::Rows,
    pub foryou: Vec<(crate::domain::model::PaperId, crate::domain::taste::Scored)>,
    pub marks: crate::domain::interests::Marks,
    pub notes: Vec<(crate::domain::model::PaperId, String)>,
}

/// Why a view shows no papers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoView {
    /// Not yet: the index is being built, or a model has too little to
    /// learn from. Said as a notice.
    NotYet(String),
    /// The store could not be read. Said as a failure.
    Failed(String),
}

impl NoView {
    /// What to tell the user.
    pub fn into_message(self) -> String {
        match self {
            NoView::NotYet(m) | NoView::Failed(m) => m,
        }
    }
}
