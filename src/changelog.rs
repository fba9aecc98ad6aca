//! The change log: every user state change, appended as a JSON line and
//! synced to disk before the change is reported done. User state is a
//! function of the log, so it can be rebuilt (`hfpapers state rebuild`),
//! undone across restarts, and merged with other machines' logs.
//!
//! ```text
//! {"t":"2026-11-26T05:00:00.123Z","dev":"3f9a1c0b7e21","g":"1764133200123-4","paper":"2509.01234","op":"star"}
//! {"t":"2026-11-26T05:00:03.001Z","dev":"3f9a1c0b7e21","g":"1764133200123-5","paper":"2509.01234","op":"unstar","undoes":"1764133200123-4"}
//! ```
//!
//! Each change sets one field of one paper: `read`/`unread`, `star`/
//! `unstar`, `tag:NAME`/`untag:NAME`. Folding all changes in order of
//! (time, device, position) gives last-writer-wins per (paper, field), with
//! the device id breaking ties; the fold is the same whatever order the
//! files were merged in. This device's log is `DATA_DIR/changes.jsonl`;
//! other devices' logs, brought by `sync-state`, live in `DATA_DIR/peers/`.

use crate::model::{PaperId, UserState};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// RFC 3339 with milliseconds, UTC: sorts as text.
    pub t: String,
    pub dev: String,
    /// The group: one user action (a star, a bulk read, an undo).
    pub g: String,
    pub paper: PaperId,
    pub op: String,
    /// For an undo: the group it undoes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<String>,
}

/// The field a change sets, and its new value.
fn field(op: &str) -> Option<(String, bool)> {
    Some(match op {
        "read" => ("read".into(), true),
        "unread" => ("read".into(), false),
        "star" => ("starred".into(), true),
        "unstar" => ("starred".into(), false),
        _ => match (op.strip_prefix("tag:"), op.strip_prefix("untag:")) {
            (Some(t), _) => (format!("tag:{t}"), true),
            (_, Some(t)) => (format!("tag:{t}"), false),
            _ => return None,
        },
    })
}

/// Applies one change to a state. Unknown operations (from a newer
/// version) are ignored rather than fatal.
pub fn apply(state: &mut UserState, op: &str) {
    let Some((field, on)) = field(op) else {
        return;
    };
    match field.as_str() {
        "read" => state.read = on,
        "starred" => state.starred = on,
        tag => {
            let tag = &tag["tag:".len()..];
            state.tags.retain(|t| t != tag);
            if on {
                state.tags.push(tag.to_string());
                state.tags.sort();
            }
        }
    }
}

/// The operations that turn `old` into `new`.
pub fn diff(old: &UserState, new: &UserState) -> Vec<String> {
    let mut ops = Vec::new();
    if old.read != new.read {
        ops.push(if new.read { "read" } else { "unread" }.to_string());
    }
    if old.starred != new.starred {
        ops.push(if new.starred { "star" } else { "unstar" }.to_string());
    }
    for t in &new.tags {
        if !old.tags.contains(t) {
            ops.push(format!("tag:{t}"));
        }
    }
    for t in &old.tags {
        if !new.tags.contains(t) {
            ops.push(format!("untag:{t}"));
        }
    }
    ops
}

/// Sorts changes into the one order every machine agrees on.
fn ordered(changes: &[Change]) -> Vec<&Change> {
    // Position within a device's file breaks ties of time, so changes in
    // the same millisecond keep the order they were made in.
    let mut indexed: Vec<(usize, &Change)> = changes.iter().enumerate().collect();
    indexed.sort_by(|(i, a), (j, b)| (&a.t, &a.dev, i).cmp(&(&b.t, &b.dev, j)));
    indexed.into_iter().map(|(_, c)| c).collect()
}

/// User state as the log says it is: last writer wins per (paper, field).
pub fn states(changes: &[Change]) -> BTreeMap<PaperId, UserState> {
    let mut out: BTreeMap<PaperId, UserState> = BTreeMap::new();
    for c in ordered(changes) {
        let st = out.entry(c.paper.clone()).or_default();
        apply(st, &c.op);
        st.updated_at = Some(c.t.clone());
    }
    out
}

/// A group `u` can still undo: its id and each paper's state before it.
pub type UndoGroup = (String, Vec<(PaperId, UserState)>);

/// This device's groups that are not undos and not undone yet, oldest
/// first, with the states before each: the undo stack after a restart.
pub fn undo_stack(changes: &[Change], device: &str, depth: usize) -> Vec<UndoGroup> {
    let undone: HashSet<&str> = changes.iter().filter_map(|c| c.undoes.as_deref()).collect();
    let mut state: BTreeMap<PaperId, UserState> = BTreeMap::new();
    let mut groups: Vec<UndoGroup> = Vec::new();
    for c in ordered(changes) {
        let st = state.entry(c.paper.clone()).or_default();
        let before = UserState {
            updated_at: None,
            ..st.clone()
        };
        let eligible = c.dev == device && c.undoes.is_none() && !undone.contains(c.g.as_str());
        if eligible {
            match groups.last_mut() {
                Some((g, papers)) if *g == c.g => {
                    if !papers.iter().any(|(p, _)| *p == c.paper) {
                        papers.push((c.paper.clone(), before));
                    }
                }
                _ => groups.push((c.g.clone(), vec![(c.paper.clone(), before)])),
            }
        }
        apply(st, &c.op);
    }
    let skip = groups.len().saturating_sub(depth);
    groups.into_iter().skip(skip).collect()
}

/// Reads a log file; a torn last line (a crash mid-write) is skipped.
pub fn read_file(path: &Path) -> std::io::Result<Vec<Change>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

/// This device's log, open for appending.
pub struct ChangeLog {
    dir: PathBuf,
    device: String,
    file: Mutex<std::fs::File>,
}

impl ChangeLog {
    /// Opens (or starts) the log in the data dir; the device id is made
    /// once and kept in `DATA_DIR/device-id`.
    pub fn open(data_dir: &Path) -> std::io::Result<ChangeLog> {
        std::fs::create_dir_all(data_dir)?;
        let id_path = data_dir.join("device-id");
        let device = match std::fs::read_to_string(&id_path) {
            Ok(id) if !id.trim().is_empty() => id.trim().to_string(),
            _ => {
                let id = random_id();
                write_atomic(&id_path, id.as_bytes())?;
                id
            }
        };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(own_path(data_dir))?;
        Ok(ChangeLog {
            dir: data_dir.to_path_buf(),
            device,
            file: Mutex::new(file),
        })
    }

    pub fn device(&self) -> &str {
        &self.device
    }

    /// Whether this device has recorded nothing yet.
    pub fn is_empty(&self) -> std::io::Result<bool> {
        Ok(std::fs::metadata(own_path(&self.dir))?.len() == 0)
    }

    /// Appends the changes that turn each `old` into its `new`, as one
    /// group, and syncs them to disk. Returns how many lines were written.
    pub fn append(
        &self,
        group: &str,
        undoes: Option<&str>,
        changes: &[(PaperId, UserState, UserState)],
    ) -> std::io::Result<usize> {
        let t = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let mut text = String::new();
        for (paper, old, new) in changes {
            for op in diff(old, new) {
                let change = Change {
                    t: t.clone(),
                    dev: self.device.clone(),
                    g: group.to_string(),
                    paper: paper.clone(),
                    op,
                    undoes: undoes.map(str::to_string),
                };
                text.push_str(&serde_json::to_string(&change).expect("changes serialize"));
                text.push('\n');
            }
        }
        if text.is_empty() {
            return Ok(0);
        }
        let mut file = self.file.lock().expect("not poisoned");
        file.write_all(text.as_bytes())?;
        file.sync_data()?;
        Ok(text.lines().count())
    }

    /// Every change known here: this device's and the peers'.
    pub fn read_all(&self) -> std::io::Result<Vec<Change>> {
        read_all(&self.dir)
    }
}

fn own_path(data_dir: &Path) -> PathBuf {
    data_dir.join("changes.jsonl")
}

pub fn peers_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("peers")
}

/// This device's log and every peer log kept in the data dir.
pub fn read_all(data_dir: &Path) -> std::io::Result<Vec<Change>> {
    let mut all = read_file(&own_path(data_dir))?;
    if let Ok(entries) = std::fs::read_dir(peers_dir(data_dir)) {
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        {
            all.extend(read_file(&p)?);
        }
    }
    Ok(all)
}

/// Writes through a temporary file and a rename, so a reader never sees
/// half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

fn random_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.write_u32(std::process::id());
    format!("{:012x}", h.finish() & 0xffff_ffff_ffff)
}

/// Brings the other devices' logs from a shared folder and leaves this
/// device's there: `hfpapers sync-state --dir FOLDER`. Returns how many
/// peer logs were read.
pub fn sync_folder(data_dir: &Path, device: &str, folder: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(folder)?;
    let own = std::fs::read(own_path(data_dir)).unwrap_or_default();
    write_atomic(&folder.join(format!("{device}.jsonl")), &own)?;
    let peers = peers_dir(data_dir);
    std::fs::create_dir_all(&peers)?;
    let mut n = 0;
    for entry in std::fs::read_dir(folder)?.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !name.ends_with(".jsonl") || name == format!("{device}.jsonl") {
            continue;
        }
        // A peer's file only grows; keep the longer copy if ours is ahead
        // (a sync tool may deliver an older version).
        let theirs = std::fs::read(&path)?;
        let ours = std::fs::read(peers.join(name)).unwrap_or_default();
        if theirs.len() >= ours.len() {
            write_atomic(&peers.join(name), &theirs)?;
        }
        n += 1;
    }
    Ok(n)
}

/// Merges a backup (or another machine's log) into the peers: the file is
/// kept as a peer log, so the fold applies last-writer-wins and newer
/// changes made here stay. Returns the changes read.
pub fn import(data_dir: &Path, file: &Path) -> std::io::Result<usize> {
    let changes = read_file(file)?;
    if changes.is_empty() && !file.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{} does not exist", file.display()),
        ));
    }
    let peers = peers_dir(data_dir);
    std::fs::create_dir_all(&peers)?;
    let mut text = String::new();
    for c in &changes {
        text.push_str(&serde_json::to_string(c).expect("changes serialize"));
        text.push('\n');
    }
    // Named by content, so importing the same file twice changes nothing.
    let name = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        format!("import-{:016x}.jsonl", h.finish())
    };
    write_atomic(&peers.join(name), text.as_bytes())?;
    Ok(changes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(t: &str, dev: &str, g: &str, paper: &str, op: &str) -> Change {
        Change {
            t: t.into(),
            dev: dev.into(),
            g: g.into(),
            paper: PaperId(paper.into()),
            op: op.into(),
            undoes: None,
        }
    }

    #[test]
    fn the_last_writer_wins_per_paper_and_field() {
        let log = vec![
            c("2026-01-01T00:00:02.000Z", "b", "1", "p", "unstar"),
            c("2026-01-01T00:00:01.000Z", "a", "1", "p", "star"),
            c("2026-01-01T00:00:01.000Z", "a", "1", "p", "read"),
            c("2026-01-01T00:00:03.000Z", "a", "2", "p", "tag:rl"),
        ];
        let st = &states(&log)[&PaperId("p".into())];
        assert!(!st.starred && st.read);
        assert_eq!(st.tags, ["rl"]);
    }

    #[test]
    fn the_device_id_breaks_ties_of_time() {
        let t = "2026-01-01T00:00:01.000Z";
        let ab = vec![c(t, "b", "1", "p", "unstar"), c(t, "a", "1", "p", "star")];
        let ba = vec![c(t, "a", "1", "p", "star"), c(t, "b", "1", "p", "unstar")];
        assert_eq!(states(&ab), states(&ba));
        assert!(
            !states(&ab)[&PaperId("p".into())].starred,
            "device b sorts last and wins"
        );
    }

    #[test]
    fn diff_then_apply_reaches_the_new_state() {
        let old = UserState {
            read: true,
            starred: false,
            tags: vec!["a".into(), "b".into()],
            updated_at: None,
        };
        let new = UserState {
            read: false,
            starred: true,
            tags: vec!["b".into(), "c".into()],
            updated_at: None,
        };
        let mut st = old.clone();
        for op in diff(&old, &new) {
            apply(&mut st, &op);
        }
        assert_eq!(st, new);
    }

    #[test]
    fn the_undo_stack_skips_undone_groups_and_other_devices() {
        let mut log = vec![
            c("2026-01-01T00:00:01.000Z", "me", "g1", "p", "star"),
            c("2026-01-01T00:00:02.000Z", "other", "o1", "p", "read"),
            c("2026-01-01T00:00:03.000Z", "me", "g2", "p", "tag:x"),
            c("2026-01-01T00:00:03.000Z", "me", "g2", "q", "read"),
        ];
        let mut undo = c("2026-01-01T00:00:04.000Z", "me", "g3", "p", "untag:x");
        undo.undoes = Some("g2".into());
        log.push(undo);
        let stack = undo_stack(&log, "me", 10);
        assert_eq!(stack.len(), 1);
        assert_eq!(stack[0].0, "g1");
        assert_eq!(
            stack[0].1,
            vec![(PaperId("p".into()), UserState::default())]
        );
    }
}
