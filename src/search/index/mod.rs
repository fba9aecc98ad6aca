//! Running the query language over the full-text index
//! ([`crate::store::fulltext`]): every term becomes a set of documents,
//! combined as the expression says, and only the matches are read from
//! the store.
//!
//! - words and phrases: the index's terms (a bare word is a prefix, a
//!   phrase is exact and in order), in title, abstract, authors, keywords;
//! - `author:`, `org:`, `kw:` (a substring of a name): the index narrows to
//!   papers whose words contain the name's words, the stored rows decide;
//! - numbers, dates and links: the index's fast fields;
//! - `is:` and `tag:`: the user's state, held here by paper and joined to
//!   documents by [`key_of`] the id. State is not indexed because it
//!   changes at every keystroke; joined, a change costs nothing here.
//!
//! Sets are compressed bitmaps of document numbers: a segment's documents
//! are numbered after those of the segments before it.
//!
//! By job: [`evaluate`] (terms to document sets), [`states`] (the
//! user-state join), [`listing`] (a view's documents in order, read as
//! shown), [`rank`] (relevance, taste, rising, similar), [`segments`]
//! (the index as read at one moment); this file opens the index and
//! answers queries and counts.

use crate::domain::model::{Day, Entry, Paper, PaperId};
use crate::domain::query::{Query, SortKey};
use crate::store::fulltext::{self, FullText};
use crate::store::{Store, StoreError};
use roaring::RoaringBitmap;
use std::sync::Arc;
use tantivy::Searcher;
use tantivy::schema::Field;

mod evaluate;
mod listing;
mod rank;
mod segments;
mod states;

use evaluate::{phrase_query, seen_after};
pub use listing::Listing;
use rank::sort_key;
use segments::{Columns, Snapshot};
use states::{DocMap, Keys, Rows, States};

pub struct Index {
    ft: Arc<FullText>,
    rows: Rows,
    /// Loaded whole when first needed (a state term, a count); until
    /// then each match's state is read from the store on its own, which
    /// is cheaper for a query that asks nothing of state.
    states: std::sync::OnceLock<States>,
    /// The documents of read papers, for the searcher generation it was
    /// made for: every count's unread figure needs it, and the sidebar
    /// counts a dozen views at once. Dropped when a state changes.
    read_docs: std::sync::Mutex<Option<(u64, RoaringBitmap)>>,
    /// The same for starred papers (a paged list's count).
    starred_docs: std::sync::Mutex<Option<(u64, RoaringBitmap)>>,
    /// What `sort:foryou` ranks by, once a taste is learned.
    ranker: std::sync::RwLock<Option<Arc<dyn Ranker>>>,
}

/// Scores papers for `sort:foryou`: 0 to 1, higher first, each with the
/// reasons for its score.
pub trait Ranker: Send + Sync {
    /// Scores of papers, in their order.
    fn scores(&self, ids: &[PaperId]) -> Vec<f32>;
    /// One paper's score and its strongest reasons.
    fn explain(&self, id: &PaperId) -> Option<crate::domain::taste::Scored>;
}

/// How rare words are across the stored abstracts, from a searcher of its
/// own: usable without holding the index (training runs beside it).
pub struct Rarity {
    searcher: Searcher,
    field: Field,
}

impl Rarity {
    /// `ln((N + 1) / (df + 1)) + 1`, tf-idf's usual smoothing.
    pub fn idf(&self, word: &str) -> f32 {
        let n = self.searcher.num_docs() as f32;
        let term = tantivy::Term::from_field_text(self.field, word);
        let df = self.searcher.doc_freq(&term).unwrap_or(0) as f32;
        ((n + 1.0) / (df + 1.0)).ln() + 1.0
    }
}

impl Index {
    /// The index over every stored paper, caught up with the store first,
    /// with every user state loaded (the reader's: it counts and filters
    /// by state at every keystroke).
    pub fn load(store: &Store) -> Result<Index, StoreError> {
        Index::load_with(store, &mut |_| {})
    }

    /// [`Index::load`], told how a rebuild goes (when one is needed).
    pub fn load_with(
        store: &Store,
        progress: &mut dyn FnMut(crate::store::IndexProgress),
    ) -> Result<Index, StoreError> {
        let index = Index::open_with(store, progress)?;
        let _ = index.states.set(States::load(store)?);
        Ok(index)
    }

    /// The index, caught up, for one command: user state is read as the
    /// query needs it (see `states`).
    pub fn open(store: &Store) -> Result<Index, StoreError> {
        Index::open_with(store, &mut |_| {})
    }

    fn open_with(
        store: &Store,
        progress: &mut dyn FnMut(crate::store::IndexProgress),
    ) -> Result<Index, StoreError> {
        let (ft, _) = store.search_index(progress)?;
        Ok(Index {
            ft,
            rows: Rows::Store(store.clone()),
            states: std::sync::OnceLock::new(),
            read_docs: std::sync::Mutex::default(),
            starred_docs: std::sync::Mutex::default(),
            ranker: std::sync::RwLock::default(),
        })
    }

    /// An index over papers held in memory (search results, tests).
    pub fn from_papers(items: Vec<(Entry, Paper)>) -> Index {
        let ft = FullText::in_memory();
        let docs: Vec<_> = items
            .iter()
            .map(|(e, p)| {
                Ok((
                    p.id.as_str().to_string(),
                    fulltext::document(&ft.fields, p, &e.row, None),
                ))
            })
            .collect();
        let payload = fulltext::Payload {
            layout: fulltext::LAYOUT,
            generation: 0,
        };
        if let Err(e) = ft.write(docs.into_iter(), true, payload, &mut |_| {}) {
            tracing::warn!(error = %e, "search results could not be indexed");
        }
        let rows = items
            .into_iter()
            .map(|(e, p)| (e.row.id.clone(), (e.row, p.summary, e.state)))
            .collect();
        Index {
            ft: Arc::new(ft),
            rows: Rows::Held(rows),
            // Made from the held states when first asked for.
            states: std::sync::OnceLock::new(),
            read_docs: std::sync::Mutex::default(),
            starred_docs: std::sync::Mutex::default(),
            ranker: std::sync::RwLock::default(),
        }
    }

    /// Papers in the index.
    pub fn len(&self) -> usize {
        self.ft.len() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The papers matching `query`, in its sort order; without one, best
    /// match first when the query has words and `default_sort` is the
    /// plain date order, else `default_sort`.
    pub fn query(&self, query: &Query, default_sort: SortKey, today: Day) -> Vec<Arc<Entry>> {
        self.query_seen_after(query, None, default_sort, today)
    }

    /// [`Index::query`], kept to papers this store first saw after
    /// `since` (Unix seconds) when it is given: the New view.
    pub fn query_seen_after(
        &self,
        query: &Query,
        since: Option<i64>,
        default_sort: SortKey,
        today: Day,
    ) -> Vec<Arc<Entry>> {
        let snap = Snapshot::of(&self.ft);
        let docs = self.ordered(&snap, query, since, default_sort, today);
        self.entries(&snap, &docs)
    }

    /// How many papers match, and how many of those are unread.
    pub fn count(&self, query: &Query, today: Day) -> (usize, usize) {
        self.count_seen_after(query, None, today)
    }

    /// [`Index::count`], kept to papers first seen after `since` if given.
    pub fn count_seen_after(
        &self,
        query: &Query,
        since: Option<i64>,
        today: Day,
    ) -> (usize, usize) {
        let snap = Snapshot::of(&self.ft);
        let mut docs = self.matching(&snap, query, today);
        if let Some(since) = since {
            docs &= seen_after(&snap, since);
        }
        let read = self.read_docs(&snap);
        (docs.len() as usize, (docs - read).len() as usize)
    }
}

/// A search result as an entry: the stored row and state when the paper is
/// stored, else built from the result itself.
pub fn search_entry(store: &Store, p: &Paper, i: usize) -> Entry {
    let day = crate::domain::parse::daily_day(p).or_else(|| {
        p.published_at
            .as_deref()
            .and_then(|s| s.get(..10))
            .and_then(crate::domain::model::parse_day)
    });
    let row = if let Ok(Some(row)) = store.row(&p.id) {
        row
    } else {
        let mut row = crate::domain::model::Row::of(p, day.unwrap_or_default(), i as u32 + 1);
        row.day = day;
        row
    };
    Entry {
        state: store.state(&p.id).unwrap_or_default(),
        row,
    }
}

impl AsRef<Entry> for Entry {
    fn as_ref(&self) -> &Entry {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::listing::Order;

    #[test]
    fn a_list_sorted_as_far_as_it_is_read_reads_as_if_it_were_sorted_whole() {
        // Keys with many ties in the high bits, as sort keys have.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut keys: Vec<u128> = (0..5_000u32)
            .map(|doc| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (u128::from(x % 97) << 64) | u128::from(doc)
            })
            .collect();
        let mut order = Order {
            keys: keys.clone(),
            sorted: 0,
        };
        keys.sort_unstable();
        for end in [0, 1, 40, 41, 300, 299, 1_000, 4_999, 5_000, 9_000] {
            let got = order.sorted_to(end).to_vec();
            assert_eq!(got, keys[..end.min(keys.len())], "first {end}");
        }
    }
}
