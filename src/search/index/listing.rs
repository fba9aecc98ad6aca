//! Listings: a view's documents in order, sorted only as far as they
//! are read, and their rows, counts and unread papers.

use super::{DocMap, Index, Snapshot, seen_after};
use crate::domain::model::{Day, Entry, PaperId, UserState};
use crate::domain::query::eval::{self};
use crate::domain::query::{Query, SortKey};
use roaring::RoaringBitmap;
use std::sync::Arc;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

/// An entry with its document number, to sort by rows and keep the number.
pub(super) struct WithDoc(Entry, u32);

impl AsRef<Entry> for WithDoc {
    fn as_ref(&self) -> &Entry {
        &self.0
    }
}

/// A query's matches in order, as document numbers of the searcher they
/// were found with: what a long list holds instead of its rows, which are
/// read only when shown ([`Index::listing_rows`]). A million matches are
/// 4 MB here; as rows they were a gigabyte.
pub struct Listing {
    pub(super) snap: Snapshot,
    pub(super) order: std::sync::Mutex<Order>,
    /// The same documents as a set, for counting against states.
    pub(super) set: RoaringBitmap,
    /// Matches first seen after a time, for the time last asked.
    pub(super) new: std::sync::Mutex<Option<(i64, usize)>>,
}

impl Listing {
    pub fn len(&self) -> usize {
        self.set.len() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// The documents at `range` of the order.
    pub(super) fn docs(&self, range: std::ops::Range<usize>) -> Vec<u32> {
        let mut order = self
            .order
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let end = range.end.min(order.keys.len());
        let start = range.start.min(end);
        order.sorted_to(end)[start..end]
            .iter()
            .map(|k| *k as u32)
            .collect()
    }
}

/// Sort keys of a list ([`sort_key`]: the document number in the low 32
/// bits), sorted only as far as the list has been read. A keystroke over a
/// million matches shows the first forty: selecting them costs a pass over
/// the keys, where sorting all of them cost ten.
pub(super) struct Order {
    pub(super) keys: Vec<u128>,
    /// `keys[..sorted]` is in order and holds the smallest keys.
    pub(super) sorted: usize,
}

impl Order {
    /// Documents already in their order.
    pub(super) fn sorted(docs: impl Iterator<Item = u32>) -> Order {
        let keys: Vec<u128> = docs.map(u128::from).collect();
        Order {
            sorted: keys.len(),
            keys,
        }
    }

    /// The first `end` keys, in order.
    pub(super) fn sorted_to(&mut self, end: usize) -> &[u128] {
        let len = self.keys.len();
        let end = end.min(len);
        if end > self.sorted {
            // Ahead of what is asked, so that scrolling on does not select
            // again at every page.
            let want = end.max(self.sorted * 2).max(256).min(len);
            let tail = &mut self.keys[self.sorted..];
            if want < len {
                tail.select_nth_unstable(want - self.sorted - 1);
            }
            self.keys[self.sorted..want].sort_unstable();
            self.sorted = want;
        }
        &self.keys[..end]
    }
}

impl Listing {
    /// How many matches this store first saw after `since` (Unix seconds).
    pub fn new_since(&self, since: i64) -> usize {
        let mut slot = self
            .new
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match *slot {
            Some((s, n)) if s == since => n,
            _ => {
                let n = seen_after(&self.snap, since).intersection_len(&self.set) as usize;
                *slot = Some((since, n));
                n
            }
        }
    }
}

impl Index {
    /// The matches of a query as a [`Listing`]: what a long list holds
    /// instead of its rows. `unread_first` puts unread papers first, the
    /// order kept within each part (the New view).
    pub fn listing(
        &self,
        query: &Query,
        since: Option<i64>,
        default_sort: SortKey,
        today: Day,
        unread_first: bool,
    ) -> Listing {
        let snap = Snapshot::of(&self.ft);
        let (mut order, set) = self.order(&snap, query, since, default_sort, today);
        if unread_first {
            let read = self.read_docs(&snap);
            let len = order.keys.len();
            let mut docs: Vec<u32> = order.sorted_to(len).iter().map(|k| *k as u32).collect();
            docs.sort_by_key(|d| read.contains(*d));
            order = Order::sorted(docs.into_iter());
        }
        Listing {
            set,
            order: std::sync::Mutex::new(order),
            snap,
            new: std::sync::Mutex::default(),
        }
    }

    /// Entries `range` of a listing, with the states known now.
    pub fn listing_rows(
        &self,
        listing: &Listing,
        range: std::ops::Range<usize>,
    ) -> Vec<Arc<Entry>> {
        let docs = listing.docs(range);
        self.entries(&listing.snap, &docs)
    }

    /// Where a paper is in a listing.
    pub fn listing_position(&self, listing: &Listing, id: &PaperId) -> Option<usize> {
        let term = tantivy::Term::from_field_text(self.ft.fields.id, id.as_str());
        let q = TermQuery::new(term, IndexRecordOption::Basic);
        let doc = listing.snap.docs(&q).min()?;
        listing
            .docs(0..listing.len())
            .iter()
            .position(|d| *d == doc)
    }

    /// Unread and starred papers of a listing, now.
    pub fn listing_counts(&self, listing: &Listing) -> (usize, usize) {
        let read = self.read_docs(&listing.snap);
        let starred = self.starred_docs(&listing.snap);
        let total = listing.set.len();
        (
            (total - listing.set.intersection_len(&read)) as usize,
            listing.set.intersection_len(&starred) as usize,
        )
    }

    /// The unread papers of a listing, in its order.
    pub fn listing_unread(&self, listing: &Listing) -> Vec<Arc<Entry>> {
        let read = self.read_docs(&listing.snap);
        let mut docs = listing.docs(0..listing.len());
        docs.retain(|d| !read.contains(*d));
        self.entries(&listing.snap, &docs)
    }

    /// The documents matching `query` (first seen after `since` if given),
    /// in the query's order: see [`Index::query`]. Only the title order
    /// reads rows; every other is a number per document from fast fields.
    pub(super) fn ordered(
        &self,
        snap: &Snapshot,
        query: &Query,
        since: Option<i64>,
        default_sort: SortKey,
        today: Day,
    ) -> Vec<u32> {
        let (mut order, _) = self.order(snap, query, since, default_sort, today);
        let len = order.keys.len();
        order.sorted_to(len).iter().map(|k| *k as u32).collect()
    }

    /// [`Index::ordered`] before its sort: the sort key of every match,
    /// and the matches as a set.
    pub(super) fn order(
        &self,
        snap: &Snapshot,
        query: &Query,
        since: Option<i64>,
        default_sort: SortKey,
        today: Day,
    ) -> (Order, RoaringBitmap) {
        let mut docs = self.matching(snap, query, today);
        if let Some(since) = since {
            docs &= seen_after(snap, since);
        }
        // Words rank by relevance unless an order was chosen (in the
        // query, or a `default_sort` other than the plain newest-first).
        let sort = query
            .sort
            .unwrap_or(if query.needs_text() && default_sort == SortKey::Date {
                SortKey::Relevance
            } else {
                default_sort
            });
        if sort == SortKey::Title {
            // Titles are text: their order is the one rows give (eval's).
            let order: Vec<u32> = docs.iter().collect();
            let rows = snap.rows(&order, &self.ft.fields);
            let mut titled: Vec<WithDoc> = order
                .into_iter()
                .zip(rows)
                .filter_map(|(doc, row)| {
                    let entry = Entry {
                        row: row?,
                        state: UserState::default(),
                    };
                    Some(WithDoc(entry, doc))
                })
                .collect();
            eval::sort(&mut titled, sort);
            return (Order::sorted(titled.into_iter().map(|w| w.1)), docs);
        }
        let (sort, by_doc) = match (sort, self.ranker()) {
            (SortKey::Relevance, _) if query.needs_text() => {
                (sort, self.scores(snap, query, &docs))
            }
            (SortKey::ForYou, Some(ranker)) => (sort, self.ranked(snap, &docs, &*ranker)),
            // No taste learned yet: most upvoted first.
            (SortKey::ForYou, None) => (SortKey::Upvotes, DocMap::default()),
            (SortKey::Rising, _) => match self.rising(snap, &docs) {
                Some(gains) => (sort, gains),
                None => (SortKey::Upvotes, DocMap::default()),
            },
            _ => (sort, DocMap::default()),
        };
        // Packed keys sort several times faster than rows compared field
        // by field; they are sorted as far as they are read (see `Order`).
        let order = Order {
            keys: snap.sort_keys(&docs, |doc| {
                let score = by_doc.get(&doc).copied().unwrap_or(0.0);
                (sort, score)
            }),
            sorted: 0,
        };
        (order, docs)
    }
}
