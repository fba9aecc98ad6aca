//! The in-memory index that views, filters and `hfpapers list QUERY` run
//! over: every stored paper's row and user state, plus a word index of
//! titles, abstracts, authors and AI keywords.
//!
//! The word index maps each folded word to the set of documents (positions
//! in `entries`) that hold it, as a compressed bitmap (roaring); a bare query word matches every
//! word it starts, found by a binary search and a short scan of the sorted
//! terms. Phrases are narrowed by their words, then checked in order
//! against the paper's text from the store. Built once (in the background
//! for the reader); user changes are applied to it as they are saved.

use crate::domain::model::{Day, Entry, Paper, PaperId, UserState};
use crate::domain::query::eval::{self, Ctx, TextSource};
use crate::domain::query::{Query, SortKey};
use crate::domain::text::words;
use crate::store::{Store, StoreError};
use roaring::RoaringBitmap;
use std::collections::HashMap;
use std::sync::Arc;

pub struct Index {
    entries: Vec<Arc<Entry>>,
    by_id: IdMap,
    /// Folded word → documents holding it, sorted by word.
    terms: Vec<(Box<str>, RoaringBitmap)>,
    /// Where phrases are checked against full text: the store, or the
    /// papers themselves for an index held in memory.
    store: Option<Store>,
    held: Vec<Paper>,
}

impl Index {
    /// Loads what `query` needs: rows and states, and the text index only
    /// when the query has words or phrases.
    pub fn load_for(store: &Store, query: &Query) -> Result<Index, StoreError> {
        if query.needs_text() {
            return Index::load(store);
        }
        let entries = store.load_index()?;
        let by_id = IdMap::of(&entries);
        Ok(Index::assemble(
            entries,
            by_id,
            HashMap::new(),
            Some(store.clone()),
        ))
    }

    /// Loads every row and state, and indexes the text of every paper:
    /// rows and words stream from the store's index file, states come from
    /// the store.
    pub fn load(store: &Store) -> Result<Index, StoreError> {
        if !store.index_file_complete()? {
            store.rebuild_index_file()?;
        }
        let mut states: HashMap<PaperId, UserState> = store.all_states()?.into_iter().collect();
        let mut entries: Vec<Entry> = Vec::new();
        let mut by_id = IdMap::default();
        let mut postings: HashMap<String, Postings> = HashMap::new();
        let lines = store.for_each_indexed(|row, words| {
            // A later line of a paper (a re-fetch) replaces its row.
            let doc = if let Some(doc) = by_id.get(&row.id, |d| &entries[d].row.id) {
                entries[doc].row = row;
                doc
            } else {
                let doc = entries.len();
                by_id.insert(&row.id, doc, |d| &entries[d].row.id);
                let state = states.remove(&row.id).unwrap_or_default();
                entries.push(Entry { row, state });
                doc
            };
            for w in words.split(' ').filter(|w| !w.is_empty()) {
                add_word(&mut postings, w, doc as u32);
            }
        })?;
        // Re-fetches append; when most lines are repeats, write it anew.
        if lines > 10_000 && lines > entries.len() * 2 {
            store.rebuild_index_file()?;
        }
        Ok(Index::assemble(
            entries,
            by_id,
            postings,
            Some(store.clone()),
        ))
    }

    /// An index over papers held in memory (search results, tests).
    pub fn from_papers(items: Vec<(Entry, Paper)>) -> Index {
        let mut postings: HashMap<String, Postings> = HashMap::new();
        let mut entries = Vec::with_capacity(items.len());
        let mut held = Vec::with_capacity(items.len());
        for (doc, (entry, paper)) in items.into_iter().enumerate() {
            for w in word_set(&paper) {
                add_word(&mut postings, &w, doc as u32);
            }
            entries.push(entry);
            held.push(paper);
        }
        let by_id = IdMap::of(&entries);
        let mut index = Index::assemble(entries, by_id, postings, None);
        index.held = held;
        index
    }

    fn assemble(
        entries: Vec<Entry>,
        by_id: IdMap,
        postings: HashMap<String, Postings>,
        store: Option<Store>,
    ) -> Index {
        let mut terms: Vec<(Box<str>, RoaringBitmap)> = postings
            .into_iter()
            .map(|(w, docs)| (w.into_boxed_str(), docs.finish()))
            .collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Index {
            entries: entries.into_iter().map(Arc::new).collect(),
            by_id,
            terms,
            store,
            held: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Distinct words and the bytes their document sets take (for sizing).
    pub fn word_stats(&self) -> (usize, usize) {
        (
            self.terms.len(),
            self.terms
                .iter()
                .map(|(t, d)| t.len() + d.serialized_size())
                .sum(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The papers matching `query`, in its sort order (or `default_sort`).
    pub fn query(&self, query: &Query, default_sort: SortKey, today: Day) -> Vec<Arc<Entry>> {
        let mut out: Vec<Arc<Entry>> = match &query.expr {
            None => self.entries.clone(),
            Some(expr) => {
                let ctx = Ctx::prepare(Some(expr), today, Some(self));
                self.entries
                    .iter()
                    .enumerate()
                    .filter(|(doc, e)| eval::matches(expr, *doc, e, &ctx))
                    .map(|(_, e)| e.clone())
                    .collect()
            }
        };
        eval::sort(&mut out, query.sort.unwrap_or(default_sort));
        out
    }

    /// How many papers match, and how many of those are unread.
    pub fn count(&self, query: &Query, today: Day) -> (usize, usize) {
        let Some(expr) = &query.expr else {
            return (
                self.entries.len(),
                self.entries.iter().filter(|e| !e.state.read).count(),
            );
        };
        let ctx = Ctx::prepare(Some(expr), today, Some(self));
        let mut total = 0;
        let mut unread = 0;
        for (doc, e) in self.entries.iter().enumerate() {
            if eval::matches(expr, doc, e, &ctx) {
                total += 1;
                unread += usize::from(!e.state.read);
            }
        }
        (total, unread)
    }

    /// Applies a saved user change, so later queries see it.
    pub fn set_state(&mut self, id: &PaperId, state: &UserState) {
        if let Some(i) = self.by_id.get(id, |d| &self.entries[d].row.id) {
            Arc::make_mut(&mut self.entries[i]).state = state.clone();
        }
    }

    pub fn get(&self, id: &PaperId) -> Option<&Arc<Entry>> {
        self.by_id
            .get(id, |d| &self.entries[d].row.id)
            .map(|i| &self.entries[i])
    }

    /// Every tag in use with its paper count, by name.
    pub fn tags(&self) -> Vec<(String, usize)> {
        let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for e in &self.entries {
            for t in &e.state.tags {
                *counts.entry(t.as_str()).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .map(|(t, n)| (t.to_string(), n))
            .collect()
    }
}

impl TextSource for Index {
    fn prefix_docs(&self, prefix: &str) -> Vec<bool> {
        let mut set = vec![false; self.entries.len()];
        let start = self.terms.partition_point(|(t, _)| t.as_ref() < prefix);
        for (term, docs) in &self.terms[start..] {
            if !term.starts_with(prefix) {
                break;
            }
            for d in docs {
                set[d as usize] = true;
            }
        }
        set
    }

    fn phrase_docs(&self, phrase: &[String]) -> Vec<bool> {
        let mut set = vec![true; self.entries.len()];
        for w in phrase {
            let docs = self.prefix_docs(w);
            for (s, d) in set.iter_mut().zip(docs) {
                *s &= d;
            }
        }
        // Candidates hold every word; keep those that hold them in order.
        for (doc, keep) in set.iter_mut().enumerate() {
            if !*keep {
                continue;
            }
            let entry = &self.entries[doc];
            let stored = match &self.store {
                Some(store) => store.paper(&entry.row.id).ok().flatten(),
                None => None,
            };
            let text: Vec<String> = match stored.as_ref().or(self.held.get(doc)) {
                Some(p) => paper_words(p).collect(),
                None => words(&entry.row.title).collect(),
            };
            *keep = text.windows(phrase.len()).any(|win| win == phrase);
        }
        set
    }
}

/// Paper id to document without a second copy of every id: a 64-bit hash
/// of the id leads to the document, whose entry holds the id to confirm;
/// the rare colliding id goes to a small exact map.
#[derive(Default)]
struct IdMap {
    by_hash: HashMap<u64, u32>,
    collided: HashMap<PaperId, u32>,
}

impl IdMap {
    fn of(entries: &[Entry]) -> IdMap {
        let mut map = IdMap::default();
        for (doc, e) in entries.iter().enumerate() {
            map.insert(&e.row.id, doc, |d| &entries[d].row.id);
        }
        map
    }

    fn hash(id: &PaperId) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        id.hash(&mut h);
        h.finish()
    }

    fn get<'a>(&self, id: &PaperId, id_of: impl Fn(usize) -> &'a PaperId) -> Option<usize> {
        match self.by_hash.get(&Self::hash(id)) {
            Some(&doc) if id_of(doc as usize) == id => Some(doc as usize),
            Some(_) => self.collided.get(id).map(|&d| d as usize),
            None => None,
        }
    }

    fn insert<'a>(&mut self, id: &PaperId, doc: usize, id_of: impl Fn(usize) -> &'a PaperId) {
        match self.by_hash.get(&Self::hash(id)) {
            Some(&other) if id_of(other as usize) != id => {
                self.collided.insert(id.clone(), doc as u32);
            }
            _ => {
                self.by_hash.insert(Self::hash(id), doc as u32);
            }
        }
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

pub use crate::domain::model::word_set;

/// A word's documents while the index is built: documents arrive in no
/// particular order (the index file is in fetch order), and inserting into
/// a bitmap out of order is slow, so they gather in a small buffer that is
/// sorted and merged in whole.
#[derive(Default)]
struct Postings {
    docs: RoaringBitmap,
    pending: Vec<u32>,
}

impl Postings {
    const BATCH: usize = 256;

    fn add(&mut self, doc: u32) {
        self.pending.push(doc);
        if self.pending.len() >= Self::BATCH {
            self.merge();
        }
    }

    fn merge(&mut self) {
        self.pending.sort_unstable();
        self.pending.dedup();
        // Sorted and deduplicated just above, so this cannot fail; were it
        // to, collecting one by one gives the same set.
        let batch = RoaringBitmap::from_sorted_iter(self.pending.iter().copied())
            .unwrap_or_else(|_| self.pending.iter().copied().collect());
        self.pending.clear();
        self.docs |= batch;
    }

    fn finish(mut self) -> RoaringBitmap {
        self.merge();
        self.docs
    }
}

fn add_word(postings: &mut HashMap<String, Postings>, w: &str, doc: u32) {
    if let Some(p) = postings.get_mut(w) {
        p.add(doc);
    } else {
        let mut p = Postings::default();
        p.add(doc);
        postings.insert(w.to_string(), p);
    }
}

/// The words a paper is found by, in reading order.
fn paper_words(p: &Paper) -> impl Iterator<Item = String> + '_ {
    words(&p.title)
        .chain(words(&p.summary))
        .chain(p.authors.iter().flat_map(|a| words(a)))
        .chain(p.ai_keywords.iter().flat_map(|k| words(k)))
}

impl AsRef<Entry> for Entry {
    fn as_ref(&self) -> &Entry {
        self
    }
}
