//! User state kept in two places that must agree: the change log (the
//! truth, mergeable across machines) and the store (fast to read). This
//! module is where they meet: recording a change in both, bringing the
//! store up to date with the log when it opens, rebuilding it from the
//! log, and merging other devices' logs.
//!
//! The rule that keeps them in step: a change goes to the log first
//! (synced to disk), then to the store together with the log position it
//! brings the store to. Opening compares the store's position with the
//! log's; if the store lags (a kill between the two, a full disk, a store
//! moved aside, a merge cut short), it is rebuilt from the log before
//! anything is read or decided from it.

use crate::domain::model::{Mark, PaperId, UserState};
use crate::store::changelog::{self, ChangeLog, ImportError};
use crate::store::{Store, StoreError};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Nothing was written: the change is not acknowledged.
    #[error("{0}; the change was not saved")]
    DiskFull(String),
    #[error("cannot write the change log in {dir}: {source}; the change was not saved")]
    Log {
        dir: std::path::PathBuf,
        source: std::io::Error,
    },
    /// The change is safe in the log; the store catches up by itself.
    #[error(
        "the change is saved in the change log, but the store could not take it ({0}); it is applied as soon as the store can be written (at the latest on the next start)"
    )]
    StoreBehind(StoreError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot sync state through {dir}: {source}")]
    Folder {
        dir: std::path::PathBuf,
        source: std::io::Error,
    },
}

impl StateError {
    pub fn is_disk_full(&self) -> bool {
        match self {
            StateError::DiskFull(_) => true,
            StateError::Store(e) | StateError::StoreBehind(e) => e.is_disk_full(),
            _ => false,
        }
    }
}

fn log_error(log: &ChangeLog, e: std::io::Error) -> StateError {
    if crate::store::files::is_disk_full(&e) {
        StateError::DiskFull(crate::store::files::disk_full_message(log.dir()))
    } else {
        StateError::Log {
            dir: log.dir().to_path_buf(),
            source: e,
        }
    }
}

/// Opens everything in a data dir: the store (moved aside only when it is
/// proven not to be one; on a full disk, with the reserve given up so it
/// still opens), then the change log, and brings the store up to date
/// with the log. Returns what the user should be told.
pub fn open_data(data_dir: &Path) -> Result<(Store, ChangeLog, Vec<String>), StateError> {
    let dir = crate::store::store_dir(data_dir);
    let mut notices = Vec::new();
    let opened = match Store::open_or_recover(&dir) {
        Err(e) if e.is_disk_full() && crate::store::files::release_reserve(data_dir) => {
            notices.push(format!(
                "{}; hfpapers gave up its {} MB reserve so the store could open: reading works, and new papers are not stored until there is room",
                crate::store::files::disk_full_message(data_dir)
                    .trim_end_matches("; free some space and try again"),
                crate::store::files::RESERVE_BYTES / 1_000_000
            ));
            Store::open_or_recover(&dir)
        }
        other => other,
    };
    let (store, moved) = opened?;
    if let Some(aside) = moved {
        notices.push(format!(
            "the store could not be read and was moved to {}; started empty, with read/starred/tag state from the change log; papers are fetched again on the next sync",
            aside.display()
        ));
    }
    let (log, more) = open(&store, data_dir)?;
    notices.extend(more);
    crate::store::files::keep_reserve(data_dir);
    Ok((store, log, notices))
}

/// Opens this device's change log beside the store and brings the store
/// up to date with it. Returns the log and what the user should be told
/// (a torn line cut off, changes replayed, files skipped). When the store
/// cannot be written (a full disk), it stays readable as it is, the
/// notice says so, and the next change or start tries again.
pub fn open(store: &Store, data_dir: &Path) -> Result<(ChangeLog, Vec<String>), StateError> {
    let log = ChangeLog::open(data_dir).map_err(|e| StateError::Log {
        dir: data_dir.to_path_buf(),
        source: e,
    })?;
    let mut notices = log.notices().to_vec();
    match catch_up(store, &log) {
        Ok(more) => notices.extend(more),
        Err(e) => {
            log.set_store_behind(true);
            // Reading needs no room: the states the log holds are shown
            // from memory, and the store takes them once it can.
            let merged = changelog::read_all(log.dir(), log.wall_ms());
            store.hold_states(changelog::states(&merged.changes));
            notices.push(format!(
                "the read/starred/tag state could not be written to the store ({e}); showing it from the change log, and changes wait until there is room"
            ));
        }
    }
    Ok((log, notices))
}

/// Makes the store reflect the log. Cheap when it already does (two
/// numbers compared); otherwise a rebuild, whose notices are returned.
pub fn catch_up(store: &Store, log: &ChangeLog) -> Result<Vec<String>, StateError> {
    let _one = log.exclusive();
    catch_up_locked(store, log)
}

fn catch_up_locked(store: &Store, log: &ChangeLog) -> Result<Vec<String>, StateError> {
    let now = log.position();
    match store.log_pos()? {
        // A clock far ahead of this machine's may have come from a peer
        // an older version believed: the rebuild checks every file again.
        Some(pos)
            if pos.covers(&now)
                && !log.store_behind()
                && pos.clock.ms <= changelog::Window::untrusted(log.wall_ms()).latest =>
        {
            log.observe(pos.clock);
            Ok(Vec::new())
        }
        None if now.own == 0 && !changelog::has_peers(log.dir()) => {
            // A new store, or one made before the log existed: what it
            // holds is recorded once, so a rebuild keeps it.
            baseline(store, log)?;
            store.set_states_at(&[], Some(&log.position()))?;
            Ok(Vec::new())
        }
        before => {
            let rebuilt = rebuild_locked(store, log)?;
            let mut notices = rebuilt.warnings;
            notices.push(match before {
                Some(_) => format!(
                    "the store had missed changes that the change log holds (hfpapers stopped between the two, or a write failed); replayed them: {} papers have state",
                    rebuilt.papers
                ),
                None => format!(
                    "rebuilt the read/starred/tag state of {} papers from the change log ({} changes)",
                    rebuilt.papers, rebuilt.changes
                ),
            });
            Ok(notices)
        }
    }
}

/// A store that holds user state the log has never seen (made before the
/// log existed) gets it recorded once as a baseline.
fn baseline(store: &Store, log: &ChangeLog) -> Result<(), StateError> {
    let existing: Vec<(PaperId, UserState, UserState)> = store
        .all_states()?
        .into_iter()
        .filter(|(_, st)| {
            *st != UserState {
                updated_at: st.updated_at.clone(),
                ..UserState::default()
            }
        })
        .map(|(id, st)| (id, UserState::default(), st))
        .collect();
    if !existing.is_empty() {
        log.append("baseline", None, &existing)
            .map_err(|e| log_error(log, e))?;
    }
    Ok(())
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Rebuilt {
    /// Papers with state.
    pub papers: usize,
    /// Changes read.
    pub changes: usize,
    /// About the files read: lines skipped, clocks far ahead.
    pub warnings: Vec<String>,
}

/// Rebuilds the store's user state from every change known here.
pub fn rebuild(store: &Store, log: &ChangeLog) -> Result<Rebuilt, StateError> {
    let _one = log.exclusive();
    rebuild_locked(store, log)
}

fn rebuild_locked(store: &Store, log: &ChangeLog) -> Result<Rebuilt, StateError> {
    let merged = changelog::read_all(log.dir(), log.wall_ms());
    let states = changelog::states(&merged.changes);
    log.observe(merged.latest());
    store.replace_states(&states, &log.position())?;
    log.set_store_behind(false);
    Ok(Rebuilt {
        papers: states.len(),
        changes: merged.changes.len(),
        warnings: merged.warnings,
    })
}

/// Records changes in the log (synced to disk), then in the store.
pub fn record(
    store: &Store,
    log: &ChangeLog,
    group: &str,
    undoes: Option<&str>,
    changes: &[(PaperId, UserState)],
) -> Result<Option<String>, StateError> {
    let _one = log.exclusive();
    let said = make_room(store, log);
    if log.store_behind() {
        // What the old states are is decided from the store: it must hold
        // every change the log has first.
        catch_up_locked(store, log)?;
    }
    // A paper changed twice in one group: its second change starts from
    // its first, not from the store.
    let mut current: std::collections::HashMap<&PaperId, UserState> =
        std::collections::HashMap::new();
    let mut with_old = Vec::with_capacity(changes.len());
    for (id, new) in changes {
        let old = match current.get(id) {
            Some(st) => st.clone(),
            None => store.state(id)?,
        };
        with_old.push((id.clone(), old, new.clone()));
        current.insert(id, new.clone());
    }
    let pos = log
        .append(group, undoes, &with_old)
        .map_err(|e| log_error(log, e))?;
    if let Err(e) = store.set_states_at(changes, pos.as_ref()) {
        log.set_store_behind(true);
        return Err(StateError::StoreBehind(e));
    }
    Ok(said)
}

/// A change about to find no room gets the reserve's: it is given up
/// (once: it is made again when there is room), and the user is told.
fn make_room(store: &Store, log: &ChangeLog) -> Option<String> {
    if store.check_settle_room().is_ok() || !crate::store::files::release_reserve(log.dir()) {
        return None;
    }
    Some(format!(
        "{}; hfpapers gave up its {} MB reserve so that your changes are saved: free some space",
        crate::store::files::disk_full_message(store.dir())
            .trim_end_matches("; free some space and try again"),
        crate::store::files::RESERVE_BYTES / 1_000_000
    ))
}

/// `hfpapers mark`: one group per command. `None` when the paper is not
/// stored, `Some((false, _))` when it already was as asked; with what the
/// user should be told (the reserve given up for it).
pub fn mark(
    store: &Store,
    log: &ChangeLog,
    id: &PaperId,
    mark: &Mark,
) -> Result<Option<(bool, Option<String>)>, StateError> {
    Ok(mark_all(store, log, id, std::slice::from_ref(mark))?
        .map(|(changed, said)| (changed[0], said)))
}

/// Which changes of a `mark` changed anything, in order, and what the
/// user should be told (the reserve given up for it).
pub type Marked = (Vec<bool>, Option<String>);

/// Several changes to one paper (`mark ID --star --tag ssm`), as one
/// change group: which of them changed anything, in order, and what the
/// user should be told. `None` when the paper is not stored.
pub fn mark_all(
    store: &Store,
    log: &ChangeLog,
    id: &PaperId,
    marks: &[Mark],
) -> Result<Option<Marked>, StateError> {
    if log.store_behind() {
        catch_up(store, log)?;
    }
    if store.row(id)?.is_none() {
        return Ok(None);
    }
    let mut st = store.state(id)?;
    let changed: Vec<bool> = marks.iter().map(|m| m.apply(&mut st)).collect();
    if !changed.contains(&true) {
        return Ok(Some((changed, None)));
    }
    let group = format!("cli-{}", chrono::Utc::now().timestamp_millis());
    let said = record(store, log, &group, None, &[(id.clone(), st)])?;
    Ok(Some((changed, said)))
}

/// What merging other devices' changes did.
#[derive(Debug, Default)]
pub struct Merge {
    /// Peer logs read (for a folder sync) or changes read (an import).
    pub read: usize,
    /// Papers with state afterwards.
    pub papers: usize,
    pub warnings: Vec<String>,
}

/// Exchanges logs with a shared folder, then rebuilds.
pub fn sync_folder(store: &Store, log: &ChangeLog, folder: &Path) -> Result<Merge, StateError> {
    let _one = log.exclusive();
    let synced =
        changelog::sync_folder(log.dir(), log.device(), folder, log.wall_ms()).map_err(|e| {
            if crate::store::files::is_disk_full(&e) {
                StateError::DiskFull(crate::store::files::disk_full_message(folder))
            } else {
                StateError::Folder {
                    dir: folder.to_path_buf(),
                    source: e,
                }
            }
        })?;
    let rebuilt = rebuild_locked(store, log)?;
    let mut warnings = synced.warnings;
    warnings.extend(rebuilt.warnings);
    warnings.dedup();
    Ok(Merge {
        read: synced.peers,
        papers: rebuilt.papers,
        warnings,
    })
}

/// `hfpapers state import FILE`: merges a backup or another machine's
/// log, then rebuilds.
pub fn import(store: &Store, log: &ChangeLog, file: &Path) -> Result<Merge, StateError> {
    let _one = log.exclusive();
    let (read, mut warnings) = changelog::import(log.dir(), file, log.wall_ms())?;
    let rebuilt = rebuild_locked(store, log)?;
    warnings.extend(rebuilt.warnings);
    warnings.dedup();
    Ok(Merge {
        read,
        papers: rebuilt.papers,
        warnings,
    })
}

/// `hfpapers state export FILE`: every change known here, as a change log
/// that `state import` (here or on another machine) reads back. Returns
/// how many changes were written.
pub fn export(log: &ChangeLog, file: &Path) -> Result<usize, StateError> {
    let changes = changelog::read_all(log.dir(), log.wall_ms()).changes;
    crate::store::files::write_output(file, changelog::to_text(&changes).as_bytes()).map_err(
        |source| StateError::Write {
            path: file.to_path_buf(),
            source,
        },
    )?;
    Ok(changes.len())
}
