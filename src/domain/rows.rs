//! The list's papers: held in memory (a day, the sample, search results)
//! or paged from the index (views over every stored day), where only the
//! rows on screen are read.
//!
//! A paged list holds document numbers, not rows: All at a million papers
//! is 4 MB instead of a gigabyte, and `/` over it reads the forty rows on
//! screen instead of every match. Its states are the index's, which the
//! runtime keeps in step with every saved change before the next frame;
//! a held list applies changes to its own entries.

use crate::domain::model::{Entry, PaperId, UserState};
use std::ops::Range;
use std::sync::Arc;

/// A long list read on demand (implemented over the search index by the
/// reader's runtime, which owns the index).
pub trait Pages: Send + Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Entries `range` in the list's order, with their current states.
    fn rows(&self, range: Range<usize>) -> Vec<Arc<Entry>>;
    fn position(&self, id: &PaperId) -> Option<usize>;
    /// Unread and starred papers of the list, now.
    fn counts(&self) -> (usize, usize);
    /// Papers of the list this store first saw after `since` (Unix seconds).
    fn new_since(&self, since: i64) -> usize;
    /// The unread papers of the list, in its order.
    fn unread(&self) -> Vec<Arc<Entry>>;
    /// A paper's current state, in the list or not.
    fn state_of(&self, id: &PaperId) -> UserState;
}

/// The papers a list shows.
#[derive(Clone)]
pub enum Rows {
    Held(Vec<Arc<Entry>>),
    Paged(Arc<dyn Pages>),
}

impl Default for Rows {
    fn default() -> Rows {
        Rows::Held(Vec::new())
    }
}

impl std::fmt::Debug for Rows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rows::Held(v) => f.debug_tuple("Held").field(&v.len()).finish(),
            Rows::Paged(p) => f.debug_tuple("Paged").field(&p.len()).finish(),
        }
    }
}

impl PartialEq for Rows {
    fn eq(&self, other: &Rows) -> bool {
        match (self, other) {
            (Rows::Held(a), Rows::Held(b)) => a == b,
            (Rows::Paged(a), Rows::Paged(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// How many rows a scan reads at a time from a paged list.
const SCAN_CHUNK: usize = 64;

impl From<Vec<Arc<Entry>>> for Rows {
    fn from(entries: Vec<Arc<Entry>>) -> Rows {
        Rows::Held(entries)
    }
}

impl Rows {
    pub fn len(&self) -> usize {
        match self {
            Rows::Held(v) => v.len(),
            Rows::Paged(p) => p.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn clear(&mut self) {
        *self = Rows::default();
    }

    pub fn get(&self, i: usize) -> Option<Arc<Entry>> {
        match self {
            Rows::Held(v) => v.get(i).cloned(),
            Rows::Paged(p) => p.rows(i..i + 1).pop(),
        }
    }

    /// The entries of `range` (fewer at the end of the list).
    pub fn window(&self, range: Range<usize>) -> Vec<Arc<Entry>> {
        let end = range.end.min(self.len());
        let start = range.start.min(end);
        match self {
            Rows::Held(v) => v[start..end].to_vec(),
            Rows::Paged(p) => p.rows(start..end),
        }
    }

    pub fn position(&self, id: &PaperId) -> Option<usize> {
        match self {
            Rows::Held(v) => v.iter().position(|e| e.row.id == *id),
            Rows::Paged(p) => p.position(id),
        }
    }

    /// The first index from `from` on, stepping by `step` (1 or -1), whose
    /// entry `wanted` accepts.
    pub fn find_from(
        &self,
        from: isize,
        step: isize,
        wanted: impl Fn(&Entry, usize) -> bool,
    ) -> Option<usize> {
        let len = self.len() as isize;
        let mut i = from;
        while (0..len).contains(&i) {
            // Read a chunk in the direction of travel, then look through it.
            let (lo, hi) = if step > 0 {
                (i, (i + SCAN_CHUNK as isize).min(len))
            } else {
                ((i - SCAN_CHUNK as isize + 1).max(0), i + 1)
            };
            let chunk = self.window(lo as usize..hi as usize);
            while (lo..hi).contains(&i) {
                if chunk
                    .get((i - lo) as usize)
                    .is_some_and(|e| wanted(e, i as usize))
                {
                    return Some(i as usize);
                }
                i += step;
            }
        }
        None
    }

    /// Unread and starred papers.
    pub fn counts(&self) -> (usize, usize) {
        match self {
            Rows::Held(v) => (
                v.iter().filter(|e| !e.state.read).count(),
                v.iter().filter(|e| e.state.starred).count(),
            ),
            Rows::Paged(p) => p.counts(),
        }
    }

    /// Papers first seen after `since`.
    pub fn new_since(&self, since: i64) -> usize {
        match self {
            Rows::Held(v) => v
                .iter()
                .filter(|e| e.row.first_seen.is_some_and(|s| s > since))
                .count(),
            Rows::Paged(p) => p.new_since(since),
        }
    }

    /// The unread papers, in order.
    pub fn unread(&self) -> Vec<Arc<Entry>> {
        match self {
            Rows::Held(v) => v.iter().filter(|e| !e.state.read).cloned().collect(),
            Rows::Paged(p) => p.unread(),
        }
    }

    /// Every entry, read whole (an export).
    pub fn all(&self) -> Vec<Arc<Entry>> {
        self.window(0..self.len())
    }

    /// Applies new states; gives back the states they replace, for undo.
    /// A held list changes its entries (only papers in it); a paged list's
    /// states are the index's, changed by the save, so any paper counts.
    pub fn set_states(&mut self, changes: &[(PaperId, UserState)]) -> Vec<(PaperId, UserState)> {
        match self {
            Rows::Held(v) => {
                // One pass over the list, however many papers change: a
                // mark-all-read over 100,000 papers is one change each.
                let wanted: std::collections::HashMap<&PaperId, &UserState> =
                    changes.iter().map(|(id, st)| (id, st)).collect();
                let mut old = Vec::new();
                for e in v.iter_mut() {
                    if let Some(new) = wanted.get(&e.row.id) {
                        old.push((e.row.id.clone(), e.state.clone()));
                        Arc::make_mut(e).state = (*new).clone();
                    }
                }
                old
            }
            Rows::Paged(p) => changes
                .iter()
                .map(|(id, _)| (id.clone(), p.state_of(id)))
                .collect(),
        }
    }
}
