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

/// The snapshot, if there is one for this stamp and it reads whole.
pub(super) fn read(store_dir: &Path, stamp: &[u8]) -> Option<Vec<(PaperId, UserState)>> {
    let bytes = std::fs::read(path(store_dir)).ok()?;
    let rest = bytes.strip_prefix(stamp)?;
    postcard::from_bytes(rest).ok()
}

/// Writes the snapshot for this stamp; best effort (a failure leaves the
/// next load to walk the tree again).
pub(super) fn write(store_dir: &Path, stamp: &[u8], states: &[(PaperId, UserState)]) {
    let Ok(body) = postcard::to_stdvec(states) else {
        return;
    };
    let mut bytes = stamp.to_vec();
    bytes.extend_from_slice(&body);
    if let Err(e) = super::files::write_atomic(&path(store_dir), &bytes) {
        tracing::debug!(error = %e, "the state snapshot was not written");
    }
}
