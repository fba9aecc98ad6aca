//! Keeping the search index ([`super::fulltext`]) in step with the store.
//!
//! Every paper write takes a new *generation* (sled's monotonic id) and,
//! in the same transaction, queues the paper in the `unindexed` tree with
//! it. Indexing reads the queue, writes those papers to the index in one
//! commit that records the highest generation it covers, then takes each
//! paper off the queue unless it was written again meanwhile. So a crash
//! anywhere leaves at worst papers queued twice, never one missed; the
//! next open catches up. An index that is missing, unreadable, of an older
//! layout, or whose generation does not fit the store (ahead of it, or
//! behind it with nothing queued) is rebuilt from every stored paper.

use super::fulltext::{self, FullText, Payload};
use super::{Store, StoreError, decode};
use crate::domain::model::{Paper, Row};
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// The `meta` key of the store's generation (big-endian u64).
pub(super) const GENERATION: &str = "generation";

/// How far an index build has got: `done` of `total` papers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexProgress {
    pub done: usize,
    pub total: usize,
}

/// What brought the index up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatchUp {
    /// It was current.
    Current,
    /// It lagged; these papers were indexed.
    Indexed(usize),
    /// It was missing, unreadable, old or out of step: rebuilt whole.
    Rebuilt(usize),
}

/// While held, saved papers are queued but not indexed; the last batch
/// to end indexes them all in one commit (a sync of many days, the corpus
/// generator).
pub struct IndexBatch {
    /// `None` once the batch has ended.
    store: Option<Store>,
}

impl IndexBatch {
    /// Ends the batch without indexing, as a process killed before its
    /// end would: the papers stay queued for the next catch-up.
    pub fn abandon(mut self) {
        if let Some(store) = self.store.take() {
            store.batching.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl Drop for IndexBatch {
    fn drop(&mut self) {
        if let Some(store) = self.store.take()
            && store.batching.fetch_sub(1, Ordering::SeqCst) == 1
        {
            store.index_soon();
        }
    }
}

fn index_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Index(e.to_string())
}

impl Store {
    /// Starts a batch: see [`IndexBatch`].
    pub fn index_batch(&self) -> IndexBatch {
        self.batching.fetch_add(1, Ordering::SeqCst);
        IndexBatch {
            store: Some(self.clone()),
        }
    }

    /// Indexes what was just saved, unless a batch is open. The save has
    /// already succeeded: a failure here leaves the papers queued for the
    /// next catch-up, and is logged, not returned.
    pub(super) fn index_soon(&self) {
        if self.batching.load(Ordering::SeqCst) > 0 {
            return;
        }
        if let Err(e) = self.catch_up_index(&mut |_| {}) {
            tracing::warn!(error = %e, "papers saved, not yet indexed; the next start indexes them");
        }
    }

    /// The store's generation: that of its last paper write.
    fn generation(&self) -> Result<u64, StoreError> {
        Ok(self
            .meta
            .get(GENERATION)?
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map_or(0, u64::from_be_bytes))
    }

    /// The search index, brought up to date first (see the module doc):
    /// the way every reader of the index gets it.
    pub fn search_index(
        &self,
        progress: &mut dyn FnMut(IndexProgress),
    ) -> Result<(Arc<FullText>, CatchUp), StoreError> {
        self.bring_up(progress, false)
    }

    /// Opens the index and catches it up, or (with `rebuild`, or when it
    /// does not fit the store) writes it anew.
    fn bring_up(
        &self,
        progress: &mut dyn FnMut(IndexProgress),
        rebuild: bool,
    ) -> Result<(Arc<FullText>, CatchUp), StoreError> {
        let mut slot = self
            .fulltext
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (ft, payload) = if let Some(ft) = slot.as_ref() {
            let payload = ft
                .index
                .load_metas()
                .ok()
                .and_then(|m| m.payload)
                .and_then(|p| serde_json::from_str::<Payload>(&p).ok());
            (ft.clone(), payload)
        } else {
            let (ft, payload) = FullText::open(&self.dir).map_err(index_error)?;
            let ft = Arc::new(ft);
            *slot = Some(ft.clone());
            (ft, payload)
        };
        let generation = self.generation()?;
        let fits = payload.is_some_and(|p| {
            p.layout == fulltext::LAYOUT
                && (p.generation == generation
                    || (p.generation < generation && !self.unindexed.is_empty()))
        });
        let done = if fits && !rebuild {
            match self.index_queued(&ft, payload.map_or(0, |p| p.generation))? {
                0 => CatchUp::Current,
                n => CatchUp::Indexed(n),
            }
        } else {
            CatchUp::Rebuilt(self.rebuild_into(&ft, generation, progress)?)
        };
        Ok((ft, done))
    }

    /// Brings the index up to date: [`Store::search_index`] without
    /// keeping the handle.
    pub fn catch_up_index(
        &self,
        progress: &mut dyn FnMut(IndexProgress),
    ) -> Result<CatchUp, StoreError> {
        self.search_index(progress).map(|(_, done)| done)
    }

    /// Rebuilds the index from every stored paper, whatever its state
    /// (`hfpapers index rebuild`).
    pub fn rebuild_index(
        &self,
        progress: &mut dyn FnMut(IndexProgress),
    ) -> Result<usize, StoreError> {
        match self.bring_up(progress, true)?.1 {
            CatchUp::Rebuilt(n) => Ok(n),
            CatchUp::Current | CatchUp::Indexed(_) => Ok(0),
        }
    }

    /// Indexes the queued papers; returns how many.
    fn index_queued(&self, ft: &FullText, covered: u64) -> Result<usize, StoreError> {
        let mut queued = Vec::new();
        for kv in &self.unindexed {
            let (id, generation) = kv?;
            queued.push((id, generation));
        }
        if queued.is_empty() {
            return Ok(0);
        }
        let highest = queued
            .iter()
            .filter_map(|(_, g)| <[u8; 8]>::try_from(g.as_ref()).ok())
            .map(u64::from_be_bytes)
            .max()
            .unwrap_or(0)
            .max(covered);
        let docs = queued.iter().filter_map(|(id, _)| self.document_of(ft, id));
        let payload = Payload {
            layout: fulltext::LAYOUT,
            generation: highest,
        };
        let n = ft
            .write(docs, false, payload, &mut |_| {})
            .map_err(index_error)?;
        self.dequeue(&queued)?;
        Ok(n)
    }

    /// Writes every stored paper to the index anew, in one commit.
    fn rebuild_into(
        &self,
        ft: &FullText,
        generation: u64,
        progress: &mut dyn FnMut(IndexProgress),
    ) -> Result<usize, StoreError> {
        let mut queued = Vec::new();
        for kv in &self.unindexed {
            queued.push(kv?);
        }
        let total = self.rows.len();
        progress(IndexProgress { done: 0, total });
        let docs = self
            .rows
            .iter()
            .filter_map(Result::ok)
            .filter_map(|(id, _)| self.document_of(ft, &id));
        let payload = Payload {
            layout: fulltext::LAYOUT,
            generation,
        };
        let n = ft
            .write(docs, true, payload, &mut |done| {
                progress(IndexProgress { done, total });
            })
            .map_err(index_error)?;
        self.dequeue(&queued)?;
        Ok(n)
    }

    /// The document for a stored paper; an unreadable one is an error
    /// (logged in the message), a vanished one is skipped.
    fn document_of(
        &self,
        ft: &FullText,
        id: &[u8],
    ) -> Option<Result<(String, tantivy::TantivyDocument), String>> {
        let read = || -> Result<Option<(Paper, Row)>, StoreError> {
            let (Some(p), Some(r)) = (self.papers.get(id)?, self.rows.get(id)?) else {
                return Ok(None);
            };
            Ok(Some((decode(&p)?, super::decode_row(&r)?)))
        };
        match read() {
            Ok(Some((paper, row))) => Some(Ok((
                paper.id.as_str().to_string(),
                fulltext::document(
                    &ft.fields,
                    &paper,
                    &row,
                    self.text(&paper.id).ok().flatten().as_deref(),
                ),
            ))),
            Ok(None) => None,
            Err(e) => {
                // One unreadable paper must not keep every other one out.
                tracing::warn!(id = %String::from_utf8_lossy(id), error = %e, "a stored paper could not be indexed");
                None
            }
        }
    }

    /// Takes indexed papers off the queue, each only if it was not written
    /// again since it was read (then it stays for the next catch-up).
    fn dequeue(&self, queued: &[(sled::IVec, sled::IVec)]) -> Result<(), StoreError> {
        for (id, generation) in queued {
            // Err(CompareAndSwapError) means it was written again: keep it.
            let _ = self
                .unindexed
                .compare_and_swap(id, Some(generation), None::<&[u8]>)?;
        }
        Ok(())
    }

    /// Papers saved and not yet in the search index.
    pub fn unindexed_count(&self) -> usize {
        self.unindexed.len()
    }
}
