//! The user-state join: read/starred/tag state held here by paper and
//! joined to documents by their id key (state is not indexed: it changes
//! at every keystroke, and joined, a change costs nothing here).

use super::{Index, Snapshot};
use crate::domain::model::{PaperId, Row, UserState};
use crate::store::fulltext::key_of;
use crate::store::{Store, StoreError};
use roaring::RoaringBitmap;
use std::collections::{HashMap, HashSet};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

/// A value per document number.
pub(super) type DocMap<T> = HashMap<u32, T, std::hash::BuildHasherDefault<KeyHasher>>;

/// Where matched papers' rows come from.
pub(super) enum Rows {
    Store(Store),
    /// An index over papers held in memory (search results, tests).
    /// Each paper's row, abstract (for similar papers) and state.
    Held(HashMap<PaperId, (Row, String, UserState)>),
}

/// A set of paper keys. Keys are already hashes ([`key_of`]), so the set
/// uses them as they are: checked once per document of a query, hashing
/// them again would cost more than the rest of the check.
pub(super) type Keys = HashSet<u64, std::hash::BuildHasherDefault<KeyHasher>>;

#[derive(Default)]
pub(super) struct KeyHasher(u64);

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
pub(super) struct States {
    pub(super) read: Keys,
    pub(super) starred: Keys,
    /// By id, hashed with FNV-1a: ids are hashed by the hundred thousand
    /// when the states load.
    pub(super) tagged: crate::domain::hash::FnvMap<PaperId, Vec<String>>,
}

impl States {
    pub(super) fn load(store: &Store) -> Result<States, StoreError> {
        let mut states = States::default();
        // `set`, not inserts alone: a paper may come twice (see
        // `for_each_state`), and the last state holds.
        store.for_each_state(&mut |id, st| states.set(id, &st))?;
        Ok(states)
    }

    pub(super) fn set(&mut self, id: PaperId, st: &UserState) {
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

    pub(super) fn state_of(&self, id: &PaperId) -> UserState {
        let key = key_of(id.as_str());
        UserState {
            read: self.read.contains(&key),
            starred: self.starred.contains(&key),
            tags: self.tagged.get(id).cloned().unwrap_or_default(),
            updated_at: None,
        }
    }

    pub(super) fn tagged(&self, tag: &str) -> Keys {
        self.tagged
            .iter()
            .filter(|(_, tags)| tags.iter().any(|t| t == tag))
            .map(|(id, _)| key_of(id.as_str()))
            .collect()
    }
}

impl Index {
    /// Every user state, loaded on first use.
    pub(super) fn states(&self) -> &States {
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
    pub(super) fn state_of(&self, id: &PaperId) -> UserState {
        match (&self.rows, self.states.get()) {
            (Rows::Held(held), _) => held.get(id).map(|h| h.2.clone()).unwrap_or_default(),
            (Rows::Store(_), Some(states)) => states.state_of(id),
            (Rows::Store(store), None) => store.state(id).unwrap_or_default(),
        }
    }

    /// The documents of read papers (cached: see `read_docs`).
    pub(super) fn read_docs(&self, snap: &Snapshot) -> RoaringBitmap {
        Self::cached_keyed(&self.read_docs, snap, || &self.states().read)
    }

    /// The documents of starred papers (cached like `read_docs`).
    pub(super) fn starred_docs(&self, snap: &Snapshot) -> RoaringBitmap {
        Self::cached_keyed(&self.starred_docs, snap, || &self.states().starred)
    }

    pub(super) fn cached_keyed<'a>(
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
}
