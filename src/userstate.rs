//! User state kept in two places that must agree: the change log (the
//! truth, mergeable across machines) and the store (fast to read). This
//! module is where they meet: recording a change in both, rebuilding the
//! store from the log, and syncing logs through a shared folder.

use crate::changelog::{self, ChangeLog};
use crate::model::{Mark, PaperId, UserState};
use crate::store::Store;
use std::path::Path;

/// Records changes in the log (synced to disk), then in the store.
pub fn record(
    store: &Store,
    log: &ChangeLog,
    group: &str,
    undoes: Option<&str>,
    changes: &[(PaperId, UserState)],
) -> anyhow::Result<()> {
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
    log.append(group, undoes, &with_old)?;
    store.set_states(changes)?;
    Ok(())
}

/// A store that holds user state the log has never seen (made before the
/// log existed) gets it recorded once as a baseline, so a rebuild keeps it.
pub fn ensure_baseline(store: &Store, log: &ChangeLog) -> anyhow::Result<()> {
    // Cheap on every start: only an empty log can need a baseline.
    if !log.is_empty()? {
        return Ok(());
    }
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
        log.append("baseline", None, &existing)?;
    }
    Ok(())
}

/// Rebuilds the store's user state from every change known here. Returns
/// (papers with state, changes read).
pub fn rebuild(store: &Store, data_dir: &Path) -> anyhow::Result<(usize, usize)> {
    let changes = changelog::read_all(data_dir)?;
    let states = changelog::states(&changes);
    store.replace_states(&states)?;
    Ok((states.len(), changes.len()))
}

/// `hfpapers mark`: one group per command.
pub fn mark(
    store: &Store,
    log: &ChangeLog,
    id: &PaperId,
    mark: &Mark,
) -> anyhow::Result<Option<bool>> {
    if store.row(id)?.is_none() {
        return Ok(None);
    }
    let mut st = store.state(id)?;
    if !mark.apply(&mut st) {
        return Ok(Some(false));
    }
    let group = format!("cli-{}", chrono::Utc::now().timestamp_millis());
    record(store, log, &group, None, &[(id.clone(), st)])?;
    Ok(Some(true))
}

/// Exchanges logs with a shared folder, then rebuilds. Returns the number
/// of peer logs and the papers with state.
pub fn sync_folder(
    store: &Store,
    log: &ChangeLog,
    data_dir: &Path,
    folder: &Path,
) -> anyhow::Result<(usize, usize)> {
    let peers = changelog::sync_folder(data_dir, log.device(), folder)?;
    let (papers, _) = rebuild(store, data_dir)?;
    Ok((peers, papers))
}
