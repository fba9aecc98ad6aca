//! The watch on code and weights, kept per starred paper in its own tree:
//! when its details were last asked for, and what it last gained (see
//! [`crate::domain::watch`]). Derived data: losing it loses no user state.

use super::{Store, StoreError, decode, encode};
use crate::domain::model::{Day, Paper, PaperId};
use crate::domain::watch::{Release, Watch};

/// A paper's details are asked for at most this often (a daily sync a
/// little early still counts as the next day).
pub const WATCH_EVERY_SECS: i64 = 20 * 3600;

impl Store {
    /// What the watch knows of a paper.
    pub fn watch(&self, id: &PaperId) -> Result<Watch, StoreError> {
        Ok(self
            .watch
            .get(id.as_str())?
            .map(|v| decode(&v))
            .transpose()?
            .unwrap_or_default())
    }

    fn put_watch(&self, id: &PaperId, watch: &Watch) -> Result<(), StoreError> {
        self.check_headroom()?;
        self.watch.insert(id.as_str(), encode(watch))?;
        self.sync()
    }

    /// Notes that a paper's details were asked for at `at` (Unix seconds).
    pub fn set_watch_checked(&self, id: &PaperId, at: i64) -> Result<(), StoreError> {
        let mut watch = self.watch(id)?;
        watch.checked = at;
        self.put_watch(id, &watch)
    }

    /// When a starred paper gained code or weights between `old` and `new`,
    /// keeps it as its latest release, unseen. Returns what it gained.
    pub(crate) fn note_release(
        &self,
        old: &Paper,
        new: &Paper,
    ) -> Result<Option<Release>, StoreError> {
        let what = crate::domain::watch::gained(old, new);
        if what.is_empty() || !self.state(&new.id)?.starred {
            return Ok(None);
        }
        let mut watch = self.watch(&new.id)?;
        let release = Release {
            at: super::now_rfc3339(),
            what,
            seen: false,
        };
        watch.event = Some(release.clone());
        self.put_watch(&new.id, &watch)?;
        Ok(Some(release))
    }

    /// Every paper with a release, newest release first.
    pub fn releases(&self) -> Result<Vec<(PaperId, Release)>, StoreError> {
        let mut out = Vec::new();
        for kv in &self.watch {
            let (k, v) = kv?;
            let watch: Watch = decode(&v)?;
            if let Some(event) = watch.event {
                out.push((PaperId(String::from_utf8_lossy(&k).into_owned()), event));
            }
        }
        out.sort_by(|a, b| b.1.at.cmp(&a.1.at));
        Ok(out)
    }

    /// How many releases the Watch view has not shown yet.
    pub fn unseen_releases(&self) -> Result<usize, StoreError> {
        Ok(self.releases()?.iter().filter(|(_, r)| !r.seen).count())
    }

    /// The Watch view was shown: its releases are seen.
    pub fn mark_releases_seen(&self) -> Result<(), StoreError> {
        for (id, release) in self.releases()? {
            if !release.seen {
                let mut watch = self.watch(&id)?;
                if let Some(e) = watch.event.as_mut() {
                    e.seen = true;
                }
                self.put_watch(&id, &watch)?;
            }
        }
        Ok(())
    }

    /// Starred papers of the digest since `since` whose details were not
    /// asked for in the last [`WATCH_EVERY_SECS`] (at `now`), least
    /// recently asked first, at most `limit`.
    pub fn watch_due(
        &self,
        since: Day,
        now: i64,
        limit: usize,
    ) -> Result<Vec<PaperId>, StoreError> {
        let mut due = Vec::new();
        for kv in &self.user {
            let (k, v) = kv?;
            let state: crate::domain::model::UserState = super::decode_bin(&v)?;
            if !state.starred {
                continue;
            }
            let id = PaperId(String::from_utf8_lossy(&k).into_owned());
            let recent = self
                .row(&id)?
                .is_some_and(|r| r.day.is_some_and(|d| d >= since));
            let checked = self.watch(&id)?.checked;
            if recent && now - checked >= WATCH_EVERY_SECS {
                due.push((checked, id));
            }
        }
        due.sort();
        Ok(due.into_iter().take(limit).map(|(_, id)| id).collect())
    }
}
