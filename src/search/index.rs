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

use crate::domain::model::{Day, Entry, Paper, PaperId, Row, UserState};
use crate::domain::query::eval::{self, Ctx};
use crate::domain::query::{CountField, Expr, Has, Is, Query, SortKey, Term};
use crate::domain::text::words;
use crate::store::fulltext::{self, FullText, key_of};
use crate::store::{Store, StoreError};
use roaring::RoaringBitmap;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tantivy::query::{
    BooleanQuery, BoostQuery, EnableScoring, Occur, PhraseQuery, Query as TQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Searcher, SegmentReader};

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

/// An entry with its document number, to sort by rows and keep the number.
struct WithDoc(Entry, u32);

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
    snap: Snapshot,
    order: std::sync::Mutex<Order>,
    /// The same documents as a set, for counting against states.
    set: RoaringBitmap,
    /// Matches first seen after a time, for the time last asked.
    new: std::sync::Mutex<Option<(i64, usize)>>,
}

impl Listing {
    pub fn len(&self) -> usize {
        self.set.len() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// The documents at `range` of the order.
    fn docs(&self, range: std::ops::Range<usize>) -> Vec<u32> {
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
struct Order {
    keys: Vec<u128>,
    /// `keys[..sorted]` is in order and holds the smallest keys.
    sorted: usize,
}

impl Order {
    /// Documents already in their order.
    fn sorted(docs: impl Iterator<Item = u32>) -> Order {
        let keys: Vec<u128> = docs.map(u128::from).collect();
        Order {
            sorted: keys.len(),
            keys,
        }
    }

    /// The first `end` keys, in order.
    fn sorted_to(&mut self, end: usize) -> &[u128] {
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

/// A value per document number.
type DocMap<T> = HashMap<u32, T, std::hash::BuildHasherDefault<KeyHasher>>;

/// Where matched papers' rows come from.
enum Rows {
    Store(Store),
    /// An index over papers held in memory (search results, tests).
    /// Each paper's row, abstract (for similar papers) and state.
    Held(HashMap<PaperId, (Row, String, UserState)>),
}

/// A set of paper keys. Keys are already hashes ([`key_of`]), so the set
/// uses them as they are: checked once per document of a query, hashing
/// them again would cost more than the rest of the check.
type Keys = HashSet<u64, std::hash::BuildHasherDefault<KeyHasher>>;

#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed here; this folds anything else anyway.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn write_u32(&mut self, n: u32) {
        // Document numbers are dense: spread them over the whole word.
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The keys of the read and starred papers, and the tags of tagged ones:
/// what queries, counts and rows ask of user state. Each paper's whole
/// state kept here (with the time of its last change) was 100 MB at a
/// million papers.
#[derive(Default)]
struct States {
    read: Keys,
    starred: Keys,
    /// By id, hashed with FNV-1a: ids are hashed by the hundred thousand
    /// when the states load.
    tagged: crate::domain::hash::FnvMap<PaperId, Vec<String>>,
}

impl States {
    fn load(store: &Store) -> Result<States, StoreError> {
        let mut states = States::default();
        // `set`, not inserts alone: a paper may come twice (see
        // `for_each_state`), and the last state holds.
        store.for_each_state(&mut |id, st| states.set(id, &st))?;
        Ok(states)
    }

    fn set(&mut self, id: PaperId, st: &UserState) {
        let key = key_of(id.as_str());
        if st.read {
            self.read.insert(key);
        } else {
            self.read.remove(&key);
        }
        if st.starred {
            self.starred.insert(key);
        } else {
            self.starred.remove(&key);
        }
        if st.tags.is_empty() {
            self.tagged.remove(&id);
        } else {
            self.tagged.insert(id, st.tags.clone());
        }
    }

    fn state_of(&self, id: &PaperId) -> UserState {
        let key = key_of(id.as_str());
        UserState {
            read: self.read.contains(&key),
            starred: self.starred.contains(&key),
            tags: self.tagged.get(id).cloned().unwrap_or_default(),
            updated_at: None,
        }
    }

    fn tagged(&self, tag: &str) -> Keys {
        self.tagged
            .iter()
            .filter(|(_, tags)| tags.iter().any(|t| t == tag))
            .map(|(id, _)| key_of(id.as_str()))
            .collect()
    }
}

/// The searcher a query runs on, with each segment's first document number.
struct Snapshot {
    searcher: Searcher,
    bases: Vec<u32>,
    all: RoaringBitmap,
}

impl Snapshot {
    fn of(ft: &FullText) -> Snapshot {
        let searcher = ft.reader.searcher();
        let mut bases = Vec::new();
        let mut all = RoaringBitmap::new();
        let mut base = 0u32;
        for seg in searcher.segment_readers() {
            bases.push(base);
            match seg.alive_bitset() {
                None => {
                    all.insert_range(base..base + seg.max_doc());
                }
                Some(alive) => all.extend(
                    (0..seg.max_doc())
                        .filter(|d| alive.is_alive(*d))
                        .map(|d| base + d),
                ),
            }
            base += seg.max_doc();
        }
        Snapshot {
            searcher,
            bases,
            all,
        }
    }

    fn segments(&self) -> impl Iterator<Item = (u32, &SegmentReader)> {
        self.bases
            .iter()
            .copied()
            .zip(self.searcher.segment_readers())
    }

    /// The documents a tantivy query matches (deleted ones excluded).
    fn docs(&self, query: &dyn TQuery) -> RoaringBitmap {
        let mut out = RoaringBitmap::new();
        let Ok(weight) = query.weight(EnableScoring::disabled_from_searcher(&self.searcher)) else {
            return out;
        };
        for (base, seg) in self.segments() {
            let _ = weight.for_each_no_score(seg, &mut |docs: &[DocId]| {
                // Scorers give documents in increasing order: appending
                // them is several times cheaper than inserting each.
                if out.append(docs.iter().map(|d| base + d)).is_err() {
                    out.extend(docs.iter().map(|d| base + d));
                }
            });
        }
        out &= &self.all;
        out
    }

    /// The documents whose fast fields satisfy `keep`.
    fn filter(&self, keep: impl Fn(&Columns, DocId) -> bool) -> RoaringBitmap {
        let mut out = RoaringBitmap::new();
        for (base, seg) in self.segments() {
            let Some(cols) = Columns::of(seg) else {
                continue;
            };
            // In increasing order, after every earlier segment's: appended,
            // not inserted one by one.
            let docs = (0..seg.max_doc())
                .filter(|d| keep(&cols, *d))
                .map(|d| base + d);
            if out.append(docs.clone()).is_err() {
                out.extend(docs);
            }
        }
        out &= &self.all;
        out
    }

    /// The packed sort key of each document ([`sort_key`]), its document
    /// number in the low 32 bits.
    fn sort_keys(&self, docs: &RoaringBitmap, order: impl Fn(u32) -> (SortKey, f32)) -> Vec<u128> {
        let mut out = Vec::with_capacity(docs.len() as usize);
        for (base, seg) in self.segments() {
            let Some(cols) = Columns::of(seg) else {
                continue;
            };
            let range = base..base + seg.max_doc();
            for doc in docs.range(range) {
                let (sort, score) = order(doc);
                out.push(sort_key(&cols, doc - base, doc, sort, score));
            }
        }
        out
    }

    /// Each document's digest day (days from the common era; undated
    /// ones last), with the document.
    fn days_of(&self, docs: &RoaringBitmap) -> Vec<(i64, u32)> {
        let mut out = Vec::with_capacity(docs.len() as usize);
        for (base, seg) in self.segments() {
            let Some(cols) = Columns::of(seg) else {
                continue;
            };
            for doc in docs.range(base..base + seg.max_doc()) {
                out.push((cols.day.first(doc - base).unwrap_or(i64::MIN), doc));
            }
        }
        out
    }

    /// Splits a document number into its segment and its number there.
    fn locate(&self, doc: u32) -> (usize, DocId) {
        let seg = self.bases.partition_point(|b| *b <= doc) - 1;
        (seg, doc - self.bases[seg])
    }

    /// The rows of documents, in their order, from the index's document
    /// store: documents are read in order per segment, so each compressed
    /// block is opened once however many of its rows are wanted.
    fn rows(&self, docs: &[u32], fields: &fulltext::Fields) -> Vec<Option<Row>> {
        let mut out: Vec<Option<Row>> = vec![None; docs.len()];
        let mut by_seg: Vec<Vec<(DocId, usize)>> = vec![Vec::new(); self.bases.len()];
        for (at, doc) in docs.iter().enumerate() {
            let (seg, d) = self.locate(*doc);
            by_seg[seg].push((d, at));
        }
        for (seg, mut wanted) in by_seg.into_iter().enumerate() {
            if wanted.is_empty() {
                continue;
            }
            let Ok(store) = self.searcher.segment_readers()[seg].get_store_reader(4) else {
                continue;
            };
            wanted.sort_unstable();
            for (d, at) in wanted {
                if let Ok(doc) = store.get::<tantivy::TantivyDocument>(d) {
                    out[at] = fulltext::row_of(fields, &doc);
                }
            }
        }
        out
    }
}

/// One segment's fast fields.
struct Columns {
    key: tantivy::columnar::Column<u64>,
    day: tantivy::columnar::Column<i64>,
    rank: tantivy::columnar::Column<u64>,
    upvotes: tantivy::columnar::Column<u64>,
    comments: tantivy::columnar::Column<u64>,
    stars: tantivy::columnar::Column<u64>,
    flags: tantivy::columnar::Column<u64>,
    first_seen: tantivy::columnar::Column<i64>,
}

impl Columns {
    fn of(seg: &SegmentReader) -> Option<Columns> {
        let ff = seg.fast_fields();
        Some(Columns {
            key: ff.u64("key").ok()?,
            day: ff.i64("day").ok()?,
            rank: ff.u64("rank").ok()?,
            upvotes: ff.u64("upvotes").ok()?,
            comments: ff.u64("comments").ok()?,
            stars: ff.u64("stars").ok()?,
            flags: ff.u64("flags").ok()?,
            first_seen: ff.i64("first_seen").ok()?,
        })
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

    /// Every user state, loaded on first use.
    fn states(&self) -> &States {
        self.states.get_or_init(|| match &self.rows {
            Rows::Store(store) => States::load(store).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "user state could not be read");
                States::default()
            }),
            Rows::Held(held) => {
                let mut states = States::default();
                for (id, (_, _, st)) in held {
                    states.set(id.clone(), st);
                }
                states
            }
        })
    }

    /// One paper's user state.
    /// Once the states are loaded, from them (without the time of the
    /// last change, which no list shows and every save sets anew); before,
    /// from the store, a lookup a paper.
    fn state_of(&self, id: &PaperId) -> UserState {
        match (&self.rows, self.states.get()) {
            (Rows::Held(held), _) => held.get(id).map(|h| h.2.clone()).unwrap_or_default(),
            (Rows::Store(_), Some(states)) => states.state_of(id),
            (Rows::Store(store), None) => store.state(id).unwrap_or_default(),
        }
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

    /// The documents matching `query` (first seen after `since` if given),
    /// in the query's order: see [`Index::query`]. Only the title order
    /// reads rows; every other is a number per document from fast fields.
    fn ordered(
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
    fn order(
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

    /// The documents of read papers (cached: see `read_docs`).
    fn read_docs(&self, snap: &Snapshot) -> RoaringBitmap {
        Self::cached_keyed(&self.read_docs, snap, || &self.states().read)
    }

    /// The documents of starred papers (cached like `read_docs`).
    fn starred_docs(&self, snap: &Snapshot) -> RoaringBitmap {
        Self::cached_keyed(&self.starred_docs, snap, || &self.states().starred)
    }

    fn cached_keyed<'a>(
        slot: &std::sync::Mutex<Option<(u64, RoaringBitmap)>>,
        snap: &Snapshot,
        keys: impl FnOnce() -> &'a Keys,
    ) -> RoaringBitmap {
        let generation = snap.searcher.generation().generation_id();
        let mut slot = slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match slot.as_ref() {
            Some((g, docs)) if *g == generation => docs.clone(),
            _ => {
                let docs = Self::keyed(snap, keys());
                *slot = Some((generation, docs.clone()));
                docs
            }
        }
    }

    /// Applies a saved user change, so later queries see it. The cached
    /// read and starred documents are changed in place: recomputing them
    /// scans every document, at each `r` over a million-paper list.
    pub fn set_state(&mut self, id: &PaperId, state: &UserState) {
        if let Some(states) = self.states.get_mut() {
            states.set(id.clone(), state);
        }
        if let Rows::Held(held) = &mut self.rows
            && let Some(h) = held.get_mut(id)
        {
            h.2 = state.clone();
        }
        let snap = Snapshot::of(&self.ft);
        let generation = snap.searcher.generation().generation_id();
        let term = tantivy::Term::from_field_text(self.ft.fields.id, id.as_str());
        let doc = snap
            .docs(&TermQuery::new(term, IndexRecordOption::Basic))
            .min();
        for (slot, holds) in [
            (&mut self.read_docs, state.read),
            (&mut self.starred_docs, state.starred),
        ] {
            let slot = slot
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match (slot.as_mut(), doc) {
                (Some((g, docs)), Some(doc)) if *g == generation => {
                    if holds {
                        docs.insert(doc);
                    } else {
                        docs.remove(doc);
                    }
                }
                // Not indexed: no document to change.
                (Some((g, _)), None) if *g == generation => {}
                _ => *slot = None,
            }
        }
    }

    /// A paper's current user state.
    pub fn state(&self, id: &PaperId) -> UserState {
        self.state_of(id)
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

    /// What the reader did, as papers to learn a taste from, newest first
    /// and at most `cap` of each: the liked ones (starred or tagged), the
    /// read ones (neither), the skipped ones (untouched papers of the days
    /// on which something was liked or read), and the ones marked "less
    /// like this" (whatever else they are).
    pub fn taste_papers(&self, cap: usize) -> [Vec<PaperId>; 4] {
        let snap = Snapshot::of(&self.ft);
        let states = self.states();
        let less_tag = crate::domain::taste::LESS_TAG;
        let mut tagged: Keys = Keys::default();
        tagged.extend(
            states
                .tagged
                .iter()
                .filter(|(_, tags)| tags.iter().any(|t| t != less_tag))
                .map(|(id, _)| key_of(id.as_str())),
        );
        let less = Self::keyed(&snap, &states.tagged(less_tag));
        let liked = (self.starred_docs(&snap) | Self::keyed(&snap, &tagged)) - &less;
        let read = self.read_docs(&snap) - &liked - &less;
        let touched = &liked | &read | &less;
        let days: std::collections::HashSet<i64> = snap
            .days_of(&touched)
            .into_iter()
            .map(|(day, _)| day)
            .collect();
        let skipped =
            snap.filter(|c, d| c.day.first(d).is_some_and(|day| days.contains(&day))) - touched;
        [liked, read, skipped, less].map(|docs| {
            let mut by_day = snap.days_of(&docs);
            by_day.sort_unstable_by(|a, b| b.cmp(a));
            let newest: Vec<u32> = by_day.into_iter().take(cap).map(|(_, d)| d).collect();
            snap.rows(&newest, &self.ft.fields)
                .into_iter()
                .flatten()
                .map(|r| r.id)
                .collect()
        })
    }

    /// Word rarity as of now, for the taste model.
    pub fn rarity(&self) -> Rarity {
        Rarity {
            searcher: self.ft.reader.searcher(),
            field: self.ft.fields.abstract_,
        }
    }

    /// A paper's For you score and reasons, once a taste is learned.
    pub fn explain(&self, id: &PaperId) -> Option<crate::domain::taste::Scored> {
        self.ranker()?.explain(id)
    }

    /// What `sort:foryou` ranks by now, if a taste is learned.
    fn ranker(&self) -> Option<Arc<dyn Ranker>> {
        self.ranker
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Every tag in use with its paper count, by name.
    pub fn tags(&self) -> Vec<(String, usize)> {
        let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for tags in self.states().tagged.values() {
            for t in tags {
                *counts.entry(t.as_str()).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .map(|(t, n)| (t.to_string(), n))
            .collect()
    }

    /// The stored papers most like `id` (more-like-this over title,
    /// abstract and keywords: the words that are frequent in it and rare
    /// elsewhere), best first, the paper itself left out.
    pub fn similar(&self, id: &PaperId, limit: usize) -> Vec<Arc<Entry>> {
        self.similar_within(id, limit, &Query::default(), Day::default())
    }

    /// [`Index::similar`], kept to papers that match `filter`.
    pub fn similar_within(
        &self,
        id: &PaperId,
        limit: usize,
        filter: &Query,
        today: Day,
    ) -> Vec<Arc<Entry>> {
        let f = &self.ft.fields;
        let text: Vec<(Field, Vec<String>)> = match &self.rows {
            Rows::Store(store) => match store.paper(id) {
                Ok(Some(p)) => vec![
                    (f.title, vec![p.title]),
                    (f.abstract_, vec![p.summary]),
                    (f.keywords, p.ai_keywords),
                ],
                _ => return Vec::new(),
            },
            Rows::Held(rows) => match rows.get(id) {
                Some((row, summary, _)) => vec![
                    (f.title, vec![row.title.clone()]),
                    (f.abstract_, vec![summary.clone()]),
                    (
                        f.keywords,
                        row.ai_keywords.iter().map(str::to_string).collect(),
                    ),
                ],
                None => return Vec::new(),
            },
        };
        let snap = Snapshot::of(&self.ft);
        let mut order = similar_docs(&snap, &text, limit + 1);
        if filter.expr.is_some() {
            let keep = self.matching(&snap, filter, today);
            order.retain(|d| keep.contains(*d));
        }
        self.entries(&snap, &order)
            .into_iter()
            .filter(|e| e.row.id != *id)
            .take(limit)
            .collect()
    }

    /// The documents matching a query.
    fn matching(&self, snap: &Snapshot, query: &Query, today: Day) -> RoaringBitmap {
        match &query.expr {
            None => snap.all.clone(),
            Some(expr) => self.eval(snap, expr, today),
        }
    }

    fn eval(&self, snap: &Snapshot, expr: &Expr, today: Day) -> RoaringBitmap {
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

    fn term(&self, snap: &Snapshot, t: &Term, today: Day) -> RoaringBitmap {
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
    fn keyed(snap: &Snapshot, keys: &Keys) -> RoaringBitmap {
        if keys.is_empty() {
            return RoaringBitmap::new();
        }
        snap.filter(|c, d| c.key.first(d).is_some_and(|k| keys.contains(&k)))
    }

    /// A name term: the index narrows to papers holding words that contain
    /// the name's words; their rows decide, as the term is defined on them.
    fn by_row(
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
    fn entries(&self, snap: &Snapshot, docs: &[u32]) -> Vec<Arc<Entry>> {
        snap.rows(docs, &self.ft.fields)
            .into_iter()
            .flatten()
            .map(|row| {
                let state = self.state_of(&row.id);
                Arc::new(Entry { row, state })
            })
            .collect()
    }

    /// Ranks `sort:foryou` by `ranker` from now on (by upvotes without one).
    pub fn set_ranker(&self, ranker: Option<Arc<dyn Ranker>>) {
        *self
            .ranker
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = ranker;
    }

    /// The ranker's scores of documents (each paper's row read for its id).
    fn ranked(&self, snap: &Snapshot, docs: &RoaringBitmap, ranker: &dyn Ranker) -> DocMap<f32> {
        let order: Vec<u32> = docs.iter().collect();
        let rows = snap.rows(&order, &self.ft.fields);
        let (docs, ids): (Vec<u32>, Vec<PaperId>) = order
            .into_iter()
            .zip(rows)
            .filter_map(|(d, r)| Some((d, r?.id)))
            .unzip();
        docs.into_iter().zip(ranker.scores(&ids)).collect()
    }

    /// Upvotes each matched paper gained in the last 24 hours, from its
    /// history in the store; `None` for an index of papers held in memory,
    /// which have none. Ties (most papers gained nothing) go to the newest.
    fn rising(&self, snap: &Snapshot, docs: &RoaringBitmap) -> Option<DocMap<f32>> {
        let Rows::Store(store) = &self.rows else {
            return None;
        };
        let since = chrono::Utc::now().timestamp() - 24 * 3600;
        let order: Vec<u32> = docs.iter().collect();
        let rows = snap.rows(&order, &self.ft.fields);
        Some(
            order
                .into_iter()
                .zip(rows)
                .filter_map(|(d, r)| {
                    let paper = store.paper(&r?.id).ok()??;
                    Some((d, paper.gained_since(since).max(0) as f32))
                })
                .collect(),
        )
    }

    /// BM25 scores of the matched documents, by paper id: the query's
    /// words and phrases, a title match weighing most.
    fn scores(&self, snap: &Snapshot, query: &Query, docs: &RoaringBitmap) -> DocMap<f32> {
        let f = &self.ft.fields;
        let weighted = [
            (f.title, 3.0),
            (f.keywords, 1.5),
            (f.abstract_, 1.0),
            (f.authors, 1.0),
            // A word in the full text says less than one in the abstract.
            (f.text, 0.3),
        ];
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for (words, phrase) in query.positive_text() {
            for (field, boost) in weighted {
                let q: Option<Box<dyn TQuery>> = if phrase {
                    phrase_query(field, &words)
                } else {
                    // The word as typed scores by BM25; papers matched
                    // only by a longer word it starts rank after them.
                    Some(Box::new(TermQuery::new(
                        tantivy::Term::from_field_text(field, &words[0]),
                        IndexRecordOption::WithFreqs,
                    )))
                };
                if let Some(q) = q {
                    clauses.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
                }
            }
        }
        let mut by_doc = DocMap::default();
        let query = BooleanQuery::new(clauses);
        if let Ok(weight) = query.weight(EnableScoring::enabled_from_searcher(&snap.searcher)) {
            for (base, seg) in snap.segments() {
                let _ = weight.for_each(seg, &mut |d, score| {
                    if docs.contains(base + d) {
                        by_doc.insert(base + d, score);
                    }
                });
            }
        }
        by_doc
    }
}

/// A sort key that orders as [`eval::sort`] does (ties: newest day, then
/// rank), with the document number last so the order is total. Higher
/// counts and later days come first, so they are stored inverted.
fn sort_key(c: &Columns, d: DocId, doc: u32, sort: SortKey, score: f32) -> u128 {
    let day = c.day.first(d).map_or(0, |n| {
        u128::from(n.clamp(0, i64::from(u32::MAX - 1)) as u32 + 1)
    });
    let rank = u128::from(c.rank.first(d).unwrap_or(0).min(u64::from(u32::MAX)));
    let newest = ((u128::from(u32::MAX) - day) << 64) | (rank << 32);
    let count = |n: u64| u128::from(u32::MAX - n.min(u64::from(u32::MAX - 1)) as u32) << 96;
    let doc = u128::from(doc);
    match sort {
        SortKey::Upvotes => count(c.upvotes.first(d).unwrap_or(0)) | newest | doc,
        SortKey::Comments => count(c.comments.first(d).unwrap_or(0)) | newest | doc,
        SortKey::Stars => count(c.stars.first(d).map_or(0, |s| s.saturating_add(1))) | newest | doc,
        SortKey::Rank => (rank << 96) | ((u128::from(u32::MAX) - day) << 64) | doc,
        // Scores are never negative: their bits order as the numbers do.
        SortKey::Relevance | SortKey::ForYou | SortKey::Rising => {
            (u128::from(u32::MAX - score.max(0.0).to_bits()) << 96) | newest | doc
        }
        SortKey::Date | SortKey::Title => newest | doc,
    }
}

/// Documents this store first saw after `since` (Unix seconds).
fn seen_after(snap: &Snapshot, since: i64) -> RoaringBitmap {
    snap.filter(|c, d| c.first_seen.first(d).is_some_and(|seen| seen > since))
}

/// Words too common in any English text to say what a paper is about.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "that", "the", "their", "these", "this",
    "to", "we", "which", "while", "with", "both", "such", "than", "also", "not", "more", "via",
    "using", "based", "show", "propose", "paper", "results", "approach", "method", "new",
];

/// Documents most like this text, best first (see [`super::alike`]).
fn similar_docs(snap: &Snapshot, text: &[(Field, Vec<String>)], limit: usize) -> Vec<u32> {
    let opts = super::alike::Options {
        // A word shared with one other paper is the strongest hint.
        min_doc_frequency: 2,
        min_word_length: 3,
        max_query_terms: 30,
        stop_words: STOP_WORDS,
    };
    let Some(query) = super::alike::query(&snap.searcher, text, &opts) else {
        return Vec::new();
    };
    let collector = tantivy::collector::TopDocs::with_limit(limit.max(1)).order_by_score();
    let Ok(top) = snap.searcher.search(&query, &collector) else {
        return Vec::new();
    };
    top.into_iter()
        .map(|(_, addr)| snap.bases[addr.segment_ord as usize] + addr.doc_id)
        .collect()
}

/// Documents that `make` matches in any of `fields`.
fn any_field(
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
fn prefix_query(field: Field, prefix: &str) -> Option<Box<dyn TQuery>> {
    if prefix.is_empty() || !prefix.chars().all(char::is_alphanumeric) {
        return None;
    }
    let q = RegexQuery::from_pattern(&format!("{}.*", regex_escape(prefix)), field).ok()?;
    Some(Box::new(q))
}

/// These exact words, in this order.
fn phrase_query(field: Field, words: &[String]) -> Option<Box<dyn TQuery>> {
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
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
    use super::Order;

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
