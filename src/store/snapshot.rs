//! A snapshot of every user state in one file beside the store, so that
//! loading them all (the first `is:unread`, the sidebar's counts) reads
//! one file instead of walking sled's tree, which costs a microsecond a
//! paper (half a second at a million papers).
//!
//! It is a cache and never the truth: it carries the store's *state
//! stamp*, which every state write replaces (before writing the states),
//! and a snapshot whose stamp is not the store's is ignored and rewritten.

use crate::domain::model::{PaperId, UserState};
use std::path::{Path, PathBuf};

/// The `meta` key of the state stamp.
pub(super) const STAMP: &str = "state_stamp";

fn path(store_dir: &Path) -> PathBuf {
    store_dir.join("states.snapshot")
}

/// Reads the snapshot for this stamp, one state at a time (a million
/// states decoded into one vector first would double the peak memory of
/// whoever keeps them in another shape). False when there is none for this
/// stamp or it does not read whole; `f` may then have seen some states,
/// and the caller reads the tree after them, whose values win.
pub(super) fn read_each(
    store_dir: &Path,
    stamp: &[u8],
    f: &mut dyn FnMut(PaperId, UserState),
) -> bool {
    let Ok(bytes) = std::fs::read(path(store_dir)) else {
        return false;
    };
    let Some(rest) = bytes.strip_prefix(stamp) else {
        return false;
    };
    // postcard's sequence: its length, then each element.
    let Ok((count, mut rest)) = postcard::take_from_bytes::<usize>(rest) else {
        return false;
    };
    for _ in 0..count {
        match postcard::take_from_bytes::<(PaperId, UserState)>(rest) {
            Ok((state, more)) => {
                f(state.0, state.1);
                rest = more;
            }
            Err(_) => return false,
        }
    }
    rest.is_empty()
}

/// A snapshot written as states are walked: the same bytes as the whole
/// sequence encoded at once.
#[derive(Default)]
pub(super) struct Writer {
    body: Vec<u8>,
    count: usize,
    failed: bool,
}

impl Writer {
    pub(super) fn push(&mut self, id: &PaperId, state: &UserState) {
        let body = std::mem::take(&mut self.body);
        match postcard::to_extend(&(id, state), body) {
            Ok(body) => self.body = body,
            Err(_) => self.failed = true,
        }
        self.count += 1;
    }

    /// Writes the snapshot for this stamp; best effort (a failure leaves
    /// the next load to walk the tree again).
    pub(super) fn finish(self, store_dir: &Path, stamp: &[u8]) {
        if self.failed {
            return;
        }
        let Ok(mut bytes) = postcard::to_extend(&self.count, stamp.to_vec()) else {
            return;
        };
        bytes.extend_from_slice(&self.body);
        if let Err(e) = super::files::write_atomic(&path(store_dir), &bytes) {
            tracing::debug!(error = %e, "the state snapshot was not written");
        }
    }
}
