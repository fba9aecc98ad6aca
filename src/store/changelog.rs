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
//! their stamp, device and position gives last-writer-wins per (paper,
//! field); the fold is the same whatever order the files were merged in.
//!
//! Stamps come from a hybrid logical clock: the wall clock, unless a change
//! seen here is stamped later, in which case the new change takes that
//! time and a counter one higher (`"c"`). So a change made here always
//! sorts after everything this device had seen when it was made, whatever
//! any other device's clock says.
//!
//! This device's log is `DATA_DIR/changes.jsonl`; other devices' logs,
//! brought by `sync-state`, live in `DATA_DIR/peers/`. Every line read,
//! from any file, is checked (stamp, device, paper id, operation, tag)
//! and skipped with a count when it is not a valid change; a peer's file
//! is read only if it is a regular file under [`PEER_FILE_CAP`].

use crate::domain::model::{PaperId, UserState, is_tag};
use crate::store::files::{UntrustedError, read_untrusted, write_atomic};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The largest peer log or import read.
pub const PEER_FILE_CAP: u64 = 64 * 1024 * 1024;

/// The most bytes of peer logs (imports included) kept and read: about a
/// million changes, more than years of one reader's actions.
pub const PEER_TOTAL_CAP: u64 = 128 * 1024 * 1024;

/// The most peer logs kept and read (each device and import is one).
pub const MAX_PEER_FILES: usize = 64;

/// Changes from outside stamped further ahead of this machine's clock
/// than this are refused, with a warning naming their file, line and
/// device: they are held back until this clock catches up with them.
pub const AHEAD_LIMIT_MS: i64 = 24 * 3600 * 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// RFC 3339 with milliseconds, UTC: the wall-clock part of the stamp.
    pub t: String,
    /// The logical part of the stamp: 0 unless the clock had to move past
    /// a change stamped later than the wall clock.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub c: u32,
    pub dev: String,
    /// The group: one user action (a star, a bulk read, an undo).
    pub g: String,
    pub paper: PaperId,
    pub op: String,
    /// For an undo: the group it undoes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<String>,
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A reading of the hybrid logical clock: milliseconds since the epoch,
/// then a counter for changes made "at" a time that had already been seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Stamp {
    pub ms: i64,
    pub c: u32,
}

impl Stamp {
    /// The stamp for a change made at wall-clock time `now_ms`, after
    /// everything seen (`self`), inside `window`. It is always later than
    /// `self`: when the counter is used up, the time moves on by one
    /// millisecond instead (a counter that saturated would tie with a
    /// peer's stamp, and the tie could go to the peer). `None` only when
    /// `self` is the last stamp the window holds.
    pub fn next(self, now_ms: i64, window: Window) -> Option<Stamp> {
        let wall = now_ms.clamp(window.earliest, window.latest);
        if wall > self.ms {
            Some(Stamp { ms: wall, c: 0 })
        } else if self.c < u32::MAX {
            Some(Stamp {
                ms: self.ms,
                c: self.c + 1,
            })
        } else if self.ms < window.latest {
            Some(Stamp {
                ms: self.ms + 1,
                c: 0,
            })
        } else {
            None
        }
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// 2020-01-01T00:00:00Z: no change of hfpapers is older. (A machine whose
/// clock was reset to 1970 still writes valid changes: its stamps are
/// raised to this, and after what it has seen anyway.)
pub const EARLIEST_MS: i64 = 1_577_836_800_000;

/// 9999-12-31T00:00:00Z: the last stamp this device writes, so that every
/// stamp it writes prints with a four-digit year and parses back.
pub const LATEST_MS: i64 = 253_402_214_400_000;

/// The times a stamp may carry to be believed: this device's own log
/// holds anything it could have written; what comes from outside (a
/// peer's log, an import) may be at most [`AHEAD_LIMIT_MS`] ahead of this
/// machine's clock, so no file can stamp its changes past every change
/// this device will ever make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub earliest: i64,
    pub latest: i64,
}

impl Window {
    /// What this device's own log may hold: anything it could have
    /// written, a clock once reset to 1970 included (read, never lost).
    pub const OWN: Window = Window {
        earliest: 0,
        latest: LATEST_MS,
    };

    /// What this device writes: never a stamp its peers would refuse for
    /// being too old, whatever its clock says.
    pub const WRITE: Window = Window {
        earliest: EARLIEST_MS,
        latest: LATEST_MS,
    };

    /// What a file from outside may hold, read at `now_ms` on this clock.
    pub fn untrusted(now_ms: i64) -> Window {
        Window {
            earliest: EARLIEST_MS,
            latest: now_ms.saturating_add(AHEAD_LIMIT_MS).min(LATEST_MS),
        }
    }

    pub fn contains(self, ms: i64) -> bool {
        (self.earliest..=self.latest).contains(&ms)
    }
}

/// Reads an RFC 3339 time (its offset applied) as milliseconds since the
/// epoch; `None` for anything else.
fn parse_ms(t: &str) -> Option<i64> {
    Some(
        chrono::DateTime::parse_from_rfc3339(t)
            .ok()?
            .timestamp_millis(),
    )
}

/// A time as the log writes it; a whole RFC 3339 string for any stamp in
/// [`Window::OWN`].
pub fn fmt_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn is_name(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Whether a device id is safe to use as a file name and to print.
pub fn is_device_id(s: &str) -> bool {
    is_name(s, 64) && !s.starts_with('.')
}

impl Change {
    /// The change's stamp; an unreadable time sorts first.
    pub fn stamp(&self) -> Stamp {
        Stamp {
            ms: parse_ms(&self.t).unwrap_or(i64::MIN),
            c: self.c,
        }
    }

    /// Whether this is a change this version can apply safely: a stamp
    /// inside `window`, a device id and group of safe characters, a paper
    /// id of arXiv's shape and a known operation with a well-formed tag.
    pub fn check(&self, window: Window) -> Result<(), &'static str> {
        match parse_ms(&self.t) {
            None => return Err("no valid time"),
            Some(ms) if !window.contains(ms) => {
                return Err("a time before 2020 or more than a day ahead of this clock");
            }
            Some(_) => {}
        }
        if !is_device_id(&self.dev) {
            return Err("no valid device id");
        }
        if !is_name(&self.g, 128) || !self.undoes.as_deref().is_none_or(|u| is_name(u, 128)) {
            return Err("no valid group");
        }
        if PaperId::parse(self.paper.as_str()).map_or(true, |p| p != self.paper) {
            return Err("no valid paper id");
        }
        let known = match self.op.as_str() {
            "read" | "unread" | "star" | "unstar" => true,
            op => op
                .strip_prefix("tag:")
                .or_else(|| op.strip_prefix("untag:"))
                .is_some_and(is_tag),
        };
        if !known {
            return Err("no known operation");
        }
        Ok(())
    }
}

/// What reading one log found: its valid changes, how many lines were
/// not valid changes (torn, not UTF-8, not JSON, or failing
/// [`Change::check`]), and the first of those by line number and reason.
#[derive(Debug, Default)]
pub struct LogText {
    pub changes: Vec<Change>,
    pub skipped: usize,
    pub first_skipped: Vec<(usize, &'static str)>,
}

/// How many skipped lines a warning names one by one.
const NAMED_LINES: usize = 3;

/// Reads log text line by line, each change checked against `window`; a
/// bad line is skipped and counted, never fatal.
pub fn parse(bytes: &[u8], window: Window) -> LogText {
    let mut out = LogText::default();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let change = std::str::from_utf8(line)
            .map_err(|_| "not UTF-8")
            .and_then(|l| serde_json::from_str::<Change>(l).map_err(|_| "not a change"))
            .and_then(|c| c.check(window).map(|()| c));
        match change {
            Ok(c) => out.changes.push(c),
            Err(why) => {
                out.skipped += 1;
                if out.first_skipped.len() < NAMED_LINES {
                    out.first_skipped.push((i + 1, why));
                }
            }
        }
    }
    out
}

/// Reads this device's log; a missing file is an empty log.
pub fn read_file(path: &Path) -> std::io::Result<Vec<Change>> {
    Ok(read_text(path, Window::OWN)?.changes)
}

fn read_text(path: &Path, window: Window) -> std::io::Result<LogText> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(parse(&bytes, window)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(LogText::default()),
        Err(e) => Err(e),
    }
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
    // Stamps are compared as times, not as text, so a stamp of another
    // shape can never sort after every date.
    let mut indexed: Vec<(Stamp, usize, &Change)> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.stamp(), i, c))
        .collect();
    indexed.sort_by(|(sa, i, a), (sb, j, b)| (sa, &a.dev, i).cmp(&(sb, &b.dev, j)));
    indexed.into_iter().map(|(_, _, c)| c).collect()
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

pub use crate::domain::model::UndoGroup;

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

/// Where the log stood when the store last took it in: this device's log
/// length, a fingerprint of the peer logs, and the clock. The store keeps
/// it beside the user state, so an open can tell whether the store missed
/// changes (a kill between the log and the store) and replay them first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogPos {
    pub own: u64,
    pub peers: u64,
    pub clock: Stamp,
}

impl LogPos {
    /// Whether the store, at `self`, holds everything the log holds at `now`.
    pub fn covers(&self, now: &LogPos) -> bool {
        self.own == now.own && self.peers == now.peers
    }
}

/// This device's log, open for appending.
pub struct ChangeLog {
    dir: PathBuf,
    device: String,
    inner: Mutex<Inner>,
    notices: Vec<String>,
    /// Set when a change reached the log but not the store: the store must
    /// catch up before the next change is decided from it.
    store_behind: std::sync::atomic::AtomicBool,
    /// One writer of user state at a time (log and store together).
    writer: Mutex<()>,
}

struct Inner {
    file: std::fs::File,
    /// The length of the log's last whole line: what a failed append is
    /// cut back to.
    len: u64,
    clock: Stamp,
    /// Fault injection for tests: appends left before one fails.
    fail_in: Option<u32>,
    /// Test hook: how far this device's wall clock is off.
    skew_ms: i64,
}

impl ChangeLog {
    /// Opens (or starts) the log in the data dir; the device id is made
    /// once and kept in `DATA_DIR/device-id`. A torn last line (a kill or a
    /// full disk mid-append) is cut off and kept aside, with a notice.
    pub fn open(data_dir: &Path) -> std::io::Result<ChangeLog> {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::create_dir_all(data_dir)?;
        let id_path = crate::store::layout::DataDir::new(data_dir).device_id();
        let device = match std::fs::read_to_string(&id_path) {
            Ok(id) if is_device_id(id.trim()) => id.trim().to_string(),
            _ => {
                let id = random_id();
                write_atomic(&id_path, id.as_bytes())?;
                id
            }
        };
        let path = own_path(data_dir);
        let mut file = std::fs::OpenOptions::new()
            .mode(crate::store::files::PRIVATE_FILE)
            .create(true)
            .read(true)
            .append(true)
            .open(&path)?;
        let mut notices = Vec::new();
        let len = repair_tail(&mut file, &path, &mut notices)?;
        Ok(ChangeLog {
            dir: data_dir.to_path_buf(),
            device,
            inner: Mutex::new(Inner {
                file,
                len,
                clock: Stamp::default(),
                fail_in: None,
                skew_ms: 0,
            }),
            notices,
            store_behind: std::sync::atomic::AtomicBool::new(false),
            writer: Mutex::new(()),
        })
    }

    pub fn device(&self) -> &str {
        &self.device
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What opening the log had to repair, for the user to read.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves the log as consistent as
        // a kill would; carry on.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether this device has recorded nothing yet.
    pub fn is_empty(&self) -> std::io::Result<bool> {
        Ok(self.inner().len == 0)
    }

    /// Where the log stands now.
    pub fn position(&self) -> LogPos {
        let inner = self.inner();
        LogPos {
            own: inner.len,
            peers: peers_signature(&self.dir),
            clock: inner.clock,
        }
    }

    /// Moves the clock past a change seen elsewhere (a rebuild or merge).
    /// A stamp no log may hold (one recorded by an older version that
    /// believed it) is not followed: the clock would stamp changes this
    /// device's own check refuses.
    pub fn observe(&self, seen: Stamp) {
        if !Window::OWN.contains(seen.ms) {
            tracing::warn!(
                ms = seen.ms,
                "a stamp outside every log's window not followed"
            );
            return;
        }
        let mut inner = self.inner();
        inner.clock = inner.clock.max(seen);
    }

    /// This machine's wall clock, in milliseconds (skewed in tests).
    pub fn wall_ms(&self) -> i64 {
        now_ms().saturating_add(self.inner().skew_ms)
    }

    /// Held while user state is written to the log and the store, so the
    /// position the store records is the one its states belong to.
    pub fn exclusive(&self) -> std::sync::MutexGuard<'_, ()> {
        self.writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn store_behind(&self) -> bool {
        self.store_behind.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn set_store_behind(&self, behind: bool) {
        self.store_behind
            .store(behind, std::sync::atomic::Ordering::SeqCst);
    }

    /// Test hook: runs this device's wall clock `ms` off the real one, as
    /// a machine with a wrong clock would.
    #[doc(hidden)]
    pub fn skew_clock(&self, ms: i64) {
        self.inner().skew_ms = ms;
    }

    /// Test hook: the append after `n` more succeed writes half its bytes
    /// and fails as a full disk would.
    #[doc(hidden)]
    pub fn fail_append_after(&self, n: u32) {
        self.inner().fail_in = Some(n);
    }

    /// Appends the changes that turn each `old` into its `new`, as one
    /// group stamped after everything seen here, and syncs them to disk.
    /// Returns the log's new position, or `None` when nothing changed. A
    /// failed append is cut back off the log, so the next one starts on a
    /// line of its own.
    pub fn append(
        &self,
        group: &str,
        undoes: Option<&str>,
        changes: &[(PaperId, UserState, UserState)],
    ) -> std::io::Result<Option<LogPos>> {
        let mut inner = self.inner();
        let stamp = inner
            .clock
            .next(now_ms().saturating_add(inner.skew_ms), Window::WRITE)
            .ok_or_else(|| {
                std::io::Error::other(
                    "the change log's clock has reached the year 9999 and can stamp no later change",
                )
            })?;
        let t = fmt_ms(stamp.ms);
        let mut text = String::new();
        for (paper, old, new) in changes {
            for op in diff(old, new) {
                let change = Change {
                    t: t.clone(),
                    c: stamp.c,
                    dev: self.device.clone(),
                    g: group.to_string(),
                    paper: paper.clone(),
                    op,
                    undoes: undoes.map(str::to_string),
                };
                text.push_str(&serde_json::to_string(&change).map_err(std::io::Error::other)?);
                text.push('\n');
            }
        }
        if text.is_empty() {
            return Ok(None);
        }
        let written = write_or_fault(&mut inner, text.as_bytes());
        if let Err(e) = written {
            // Cut back to the last whole line: a half-written change must
            // not glue itself to the next one. Truncating frees space, so
            // this works on a full disk too; if it fails, the next open
            // repairs the tail instead.
            let good = inner.len;
            let _ = inner
                .file
                .set_len(good)
                .and_then(|()| inner.file.sync_data());
            return Err(e);
        }
        inner.len += text.len() as u64;
        inner.clock = stamp;
        Ok(Some(LogPos {
            own: inner.len,
            peers: peers_signature(&self.dir),
            clock: stamp,
        }))
    }

    /// Every change known here: this device's and the peers'.
    pub fn read_all(&self) -> std::io::Result<Vec<Change>> {
        Ok(read_all(&self.dir, self.wall_ms()).changes)
    }
}

fn write_or_fault(inner: &mut Inner, bytes: &[u8]) -> std::io::Result<()> {
    match inner.fail_in {
        Some(0) => {
            inner.fail_in = None;
            inner.file.write_all(&bytes[..bytes.len() / 2])?;
            Err(std::io::Error::from_raw_os_error(libc::ENOSPC))
        }
        n => {
            inner.fail_in = n.map(|n| n - 1);
            inner.file.write_all(bytes)?;
            inner.file.sync_data()
        }
    }
}

/// Cuts a log that does not end in a newline back to its last whole line,
/// keeping the cut bytes in `changes.jsonl.torn-<time>`. Returns the
/// length of the log after the repair.
fn repair_tail(
    file: &mut std::fs::File,
    path: &Path,
    notices: &mut Vec<String>,
) -> std::io::Result<u64> {
    let len = file.metadata()?.len();
    let mut end = len;
    let mut buf = vec![0u8; 64 * 1024];
    // Walk back in chunks to the last newline.
    let cut = loop {
        if end == 0 {
            break 0;
        }
        let start = end.saturating_sub(buf.len() as u64);
        let n = usize::try_from(end - start).unwrap_or(buf.len());
        file.seek(std::io::SeekFrom::Start(start))?;
        file.read_exact(&mut buf[..n])?;
        if let Some(i) = buf[..n].iter().rposition(|b| *b == b'\n') {
            break start + i as u64 + 1;
        }
        end = start;
    };
    if cut == len {
        return Ok(len);
    }
    let mut tail = Vec::new();
    file.seek(std::io::SeekFrom::Start(cut))?;
    file.take(len - cut).read_to_end(&mut tail)?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let aside = PathBuf::from(format!("{}.torn-{stamp}", path.display()));
    let kept = write_atomic(&aside, &tail).is_ok();
    file.set_len(cut)?;
    file.sync_all()?;
    notices.push(format!(
        "the change log ended in half a change ({} bytes, from a crash or a full disk); it was cut back to the last whole change{}",
        len - cut,
        if kept {
            format!(" and the fragment kept in {}", aside.display())
        } else {
            String::new()
        }
    ));
    tracing::warn!(log = %path.display(), bytes = len - cut, "torn change log tail cut off");
    Ok(cut)
}

fn own_path(data_dir: &Path) -> PathBuf {
    crate::store::layout::DataDir::new(data_dir).change_log()
}

pub fn peers_dir(data_dir: &Path) -> PathBuf {
    crate::store::layout::DataDir::new(data_dir).peers()
}

/// The peer logs kept here, by name.
fn peer_files(data_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(peers_dir(data_dir)) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    paths.sort();
    paths
}

/// Whether any peer log is kept here.
pub fn has_peers(data_dir: &Path) -> bool {
    !peer_files(data_dir).is_empty()
}

/// A fingerprint of the peer logs kept here (names, sizes, times): it
/// changes whenever a merge or an import changes them.
fn peers_signature(data_dir: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in peer_files(data_dir) {
        p.file_name().hash(&mut h);
        if let Ok(m) = std::fs::symlink_metadata(&p) {
            m.len().hash(&mut h);
            m.modified().ok().hash(&mut h);
        }
    }
    h.finish()
}

/// What reading every log found: the changes, and what the user should
/// be told about the files they came from.
#[derive(Debug, Default)]
pub struct Merged {
    pub changes: Vec<Change>,
    pub warnings: Vec<String>,
}

impl Merged {
    /// The latest stamp among the changes: where the clock must be.
    pub fn latest(&self) -> Stamp {
        self.changes
            .iter()
            .map(Change::stamp)
            .max()
            .unwrap_or_default()
    }
}

/// This device's log and every peer log kept in the data dir, each line
/// checked again (a copy kept by an older version may hold what this one
/// refuses), read at `now_ms` on this machine's clock. Never fails: an
/// unreadable file or line is skipped and said in a warning, and so are
/// peer logs past [`MAX_PEER_FILES`] or [`PEER_TOTAL_CAP`].
pub fn read_all(data_dir: &Path, now_ms: i64) -> Merged {
    let mut out = Merged::default();
    match read_text(&own_path(data_dir), Window::OWN) {
        Ok(text) => {
            warn_skipped(&own_path(data_dir), &text, &mut out.warnings);
            out.changes.extend(text.changes);
        }
        Err(e) => out.warnings.push(format!(
            "could not read {}: {e}; skipped",
            own_path(data_dir).display()
        )),
    }
    let mut budget = PeerBudget::default();
    for path in peer_files(data_dir) {
        if let Err(w) = budget.admit(&path, file_len(&path)) {
            out.warnings.push(w);
            continue;
        }
        match read_untrusted(&path, PEER_FILE_CAP) {
            Ok(bytes) => {
                let text = parse(&bytes, Window::untrusted(now_ms));
                warn_skipped(&path, &text, &mut out.warnings);
                out.changes.extend(text.changes);
            }
            Err(e) => out.warnings.push(format!("{e}; skipped")),
        }
    }
    out
}

fn file_len(path: &Path) -> u64 {
    std::fs::symlink_metadata(path).map_or(0, |m| m.len())
}

/// Counts peer logs and their bytes against [`MAX_PEER_FILES`] and
/// [`PEER_TOTAL_CAP`], so no folder of logs can cost unbounded memory.
#[derive(Default)]
struct PeerBudget {
    files: usize,
    bytes: u64,
}

impl PeerBudget {
    fn admit(&mut self, path: &Path, len: u64) -> Result<(), String> {
        if self.files >= MAX_PEER_FILES {
            return Err(format!(
                "{}: skipped, more than {MAX_PEER_FILES} peer logs (the limit); remove old devices' logs from the folder",
                path.display()
            ));
        }
        if self.bytes.saturating_add(len) > PEER_TOTAL_CAP {
            return Err(format!(
                "{}: skipped, peer logs would exceed {} MiB in all (the limit); remove old devices' logs from the folder",
                path.display(),
                PEER_TOTAL_CAP >> 20
            ));
        }
        self.files += 1;
        self.bytes += len;
        Ok(())
    }
}

fn warn_skipped(path: &Path, text: &LogText, warnings: &mut Vec<String>) {
    if text.skipped == 0 {
        return;
    }
    let named: Vec<String> = text
        .first_skipped
        .iter()
        .map(|(line, why)| format!("line {line}: {why}"))
        .collect();
    let more = if text.skipped > named.len() {
        ", …"
    } else {
        ""
    };
    tracing::warn!(file = %path.display(), lines = ?text.first_skipped, skipped = text.skipped, "lines skipped");
    warnings.push(format!(
        "{}: skipped {} line(s) that are not valid changes ({}{more})",
        path.display(),
        text.skipped,
        named.join("; ")
    ));
}

/// Reads a file from outside as a log: its checked changes, and what the
/// user should be told about it: lines skipped, and stamps refused for
/// being more than [`AHEAD_LIMIT_MS`] ahead of this clock (held back, not
/// lost: the file is read again at every sync, and a change is taken once
/// this clock has caught up with it).
fn read_outside(bytes: &[u8], path: &Path, now_ms: i64, warnings: &mut Vec<String>) -> LogText {
    let text = parse(bytes, Window::untrusted(now_ms));
    warn_skipped(path, &text, warnings);
    let ahead = parse(bytes, Window::OWN)
        .changes
        .into_iter()
        .filter(|c| c.stamp().ms > Window::untrusted(now_ms).latest);
    let mut by_dev: BTreeMap<String, i64> = BTreeMap::new();
    for c in ahead {
        let ms = c.stamp().ms;
        let e = by_dev.entry(c.dev).or_insert(ms);
        *e = (*e).max(ms);
    }
    for (dev, ms) in by_dev {
        warnings.push(format!(
            "{}: device {dev} stamps changes up to {}, more than a day ahead of this clock ({}); they are held back until this clock catches up (check the clocks of both machines)",
            path.display(),
            fmt_ms(ms),
            fmt_ms(now_ms)
        ));
    }
    text
}

fn random_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    format!("{:012x}", h.finish() & 0xffff_ffff_ffff)
}

/// Changes as log text, one JSON line each.
pub fn to_text(changes: &[Change]) -> String {
    let mut text = String::new();
    for c in changes {
        if let Ok(line) = serde_json::to_string(c) {
            text.push_str(&line);
            text.push('\n');
        }
    }
    text
}

/// What a folder sync did.
#[derive(Debug, Default)]
pub struct FolderSync {
    /// Peer logs read.
    pub peers: usize,
    pub warnings: Vec<String>,
}

/// Brings the other devices' logs from a shared folder and leaves this
/// device's there: `hfpapers sync-state --dir FOLDER`. Everything in the
/// folder is untrusted: only regular files named `DEVICE.jsonl` are read,
/// without following links or blocking, up to [`PEER_FILE_CAP`] each and
/// [`MAX_PEER_FILES`] and [`PEER_TOTAL_CAP`] in all; only changes that
/// pass the check at `now_ms` are kept (re-written, so `peers/` holds clean
/// copies); a bad file is skipped with a warning naming it and the others
/// merge.
pub fn sync_folder(
    data_dir: &Path,
    device: &str,
    folder: &Path,
    now_ms: i64,
) -> std::io::Result<FolderSync> {
    std::fs::create_dir_all(folder)?;
    let own = std::fs::read(own_path(data_dir)).unwrap_or_default();
    write_atomic(&folder.join(format!("{device}.jsonl")), &own)?;
    let peers = peers_dir(data_dir);
    std::fs::create_dir_all(&peers)?;
    let mut out = FolderSync::default();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    // Imports kept here count against the same budget.
    let mut budget = PeerBudget::default();
    for kept in peer_files(data_dir) {
        let name = kept.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("import-") {
            let _ = budget.admit(&kept, file_len(&kept));
        }
    }
    for path in entries {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(dev) = name.strip_suffix(".jsonl") else {
            continue;
        };
        if dev == device || name.starts_with('.') {
            continue;
        }
        if !is_device_id(dev) {
            out.warnings.push(format!(
                "{}: not a device's log name; skipped",
                path.display()
            ));
            continue;
        }
        if let Err(w) = budget.admit(&path, file_len(&path)) {
            out.warnings.push(w);
            continue;
        }
        let text = match read_untrusted(&path, PEER_FILE_CAP) {
            Ok(bytes) => read_outside(&bytes, &path, now_ms, &mut out.warnings),
            Err(e) => {
                out.warnings.push(e.to_string());
                continue;
            }
        };
        // A peer's file only grows; keep our copy if it is ahead (a sync
        // tool may deliver an older version).
        let ours =
            read_text(&peers.join(name), Window::untrusted(now_ms)).map_or(0, |t| t.changes.len());
        if text.changes.len() >= ours {
            write_atomic(&peers.join(name), to_text(&text.changes).as_bytes())?;
        }
        out.peers += 1;
    }
    Ok(out)
}

/// Why an import was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Unreadable(#[from] UntrustedError),
    #[error(
        "{0} is not a hfpapers change log (no line of it is a change); nothing was merged. `hfpapers state export FILE` writes one"
    )]
    NotALog(PathBuf),
    #[error("{0}; nothing was merged")]
    Limit(String),
    #[error("cannot keep the import in {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Merges a backup (or another machine's log) into the peers: its checked
/// changes are kept as a peer log, so the fold applies last-writer-wins
/// and newer changes made here stay. Returns the changes merged and the
/// warnings about the file.
pub fn import(
    data_dir: &Path,
    file: &Path,
    now_ms: i64,
) -> Result<(usize, Vec<String>), ImportError> {
    let mut warnings = Vec::new();
    let text = read_outside(
        &read_untrusted(file, PEER_FILE_CAP)?,
        file,
        now_ms,
        &mut warnings,
    );
    if text.changes.is_empty() {
        return Err(ImportError::NotALog(file.to_path_buf()));
    }
    let peers = peers_dir(data_dir);
    let body = to_text(&text.changes);
    // Named by content, so importing the same file twice changes nothing.
    let name = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        body.hash(&mut h);
        format!("import-{:016x}.jsonl", h.finish())
    };
    let target = peers.join(name);
    if !target.exists() {
        let mut budget = PeerBudget::default();
        for kept in peer_files(data_dir) {
            let _ = budget.admit(&kept, file_len(&kept));
        }
        budget
            .admit(file, body.len() as u64)
            .map_err(ImportError::Limit)?;
    }
    std::fs::create_dir_all(&peers)
        .and_then(|()| write_atomic(&target, body.as_bytes()))
        .map_err(|source| ImportError::Write {
            path: target,
            source,
        })?;
    Ok((text.changes.len(), warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(t: &str, dev: &str, g: &str, paper: &str, op: &str) -> Change {
        Change {
            t: t.into(),
            c: 0,
            dev: dev.into(),
            g: g.into(),
            paper: PaperId(paper.into()),
            op: op.into(),
            undoes: None,
        }
    }

    /// A time as a hostile peer might write it: any year chrono reads,
    /// any offset, any counter.
    fn hostile_stamp() -> impl proptest::strategy::Strategy<Value = (String, u32)> {
        use proptest::prelude::*;
        (
            0i64..=9999,
            1u32..=12,
            1u32..=28,
            0u32..86_400,
            0u32..1000,
            -1439i32..=1439,
            prop_oneof![Just(0u32), Just(u32::MAX), Just(u32::MAX - 1), any::<u32>()],
        )
            .prop_map(|(y, mo, d, secs, ms, off, c)| {
                let sign = if off < 0 { '-' } else { '+' };
                let t = format!(
                    "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}{sign}{:02}:{:02}",
                    secs / 3600,
                    secs / 60 % 60,
                    secs % 60,
                    off.abs() / 60,
                    off.abs() % 60
                );
                (t, c)
            })
    }

    proptest::proptest! {
        #[test]
        fn whatever_peers_send_every_stamp_made_here_is_accepted_and_sorts_after_all_seen(
            now in EARLIEST_MS..4_102_444_800_000i64,
            sent in proptest::collection::vec(hostile_stamp(), 1..20),
            ours in 1usize..5,
        ) {
            let mut clock = Stamp::default();
            let mut seen = Vec::new();
            for (t, c) in sent {
                let mut change = c_at(&t, "zzzz");
                change.c = c;
                // What a peer's file or an import may bring in.
                if change.check(Window::untrusted(now)).is_ok() {
                    clock = clock.max(change.stamp());
                    seen.push(change);
                }
            }
            for _ in 0..ours {
                let next = clock.next(now, Window::WRITE);
                proptest::prop_assert!(next.is_some(), "the clock ran out after {clock:?}");
                let next = next.unwrap_or_default();
                let mut mine = c_at(&fmt_ms(next.ms), "0000");
                mine.c = next.c;
                proptest::prop_assert_eq!(mine.stamp(), next, "the stamp prints and parses back");
                proptest::prop_assert_eq!(mine.check(Window::OWN), Ok(()));
                // A peer whose clock is this one's takes it too.
                proptest::prop_assert_eq!(mine.check(Window::untrusted(now)), Ok(()));
                for s in &seen {
                    // Strictly after: device "0000" sorts first, so a tie
                    // would go to the peer.
                    proptest::prop_assert!(next > s.stamp(), "{next:?} after {:?}", s.stamp());
                }
                clock = next;
            }
        }
    }

    fn c_at(t: &str, dev: &str) -> Change {
        c(t, dev, "g", "2608.91000", "star")
    }

    #[test]
    fn a_stamp_past_the_year_9999_or_a_day_ahead_is_refused_at_the_door_and_said_by_line() {
        let now = parse_ms("2026-08-06T12:00:00Z").unwrap_or_default();
        let lines = [
            r#"{"t":"9999-12-31T23:59:59.999-23:59","dev":"aaaa","g":"x","paper":"2608.91000","op":"read"}"#,
            r#"{"t":"2026-08-08T12:00:00.000Z","dev":"aaaa","g":"x","paper":"2608.91000","op":"read"}"#,
            r#"{"t":"2026-08-07T11:00:00.000Z","dev":"aaaa","g":"x","paper":"2608.91001","op":"read"}"#,
            r#"{"t":"2019-12-31T23:59:59.999Z","dev":"aaaa","g":"x","paper":"2608.91002","op":"read"}"#,
        ];
        let text = parse(lines.join("\n").as_bytes(), Window::untrusted(now));
        assert_eq!(text.changes.len(), 1, "only the stamp within a day ahead");
        assert_eq!(text.changes[0].paper.as_str(), "2608.91001");
        assert_eq!(text.skipped, 3);
        assert_eq!(
            text.first_skipped
                .iter()
                .map(|(l, _)| *l)
                .collect::<Vec<_>>(),
            [1, 2, 4]
        );
        let mut warnings = Vec::new();
        read_outside(
            lines.join("\n").as_bytes(),
            Path::new("sd/aaaa.jsonl"),
            now,
            &mut warnings,
        );
        assert!(
            warnings[0].contains("sd/aaaa.jsonl: skipped 3 line(s)")
                && warnings[0].contains("line 1: a time before 2020 or more than a day ahead"),
            "{warnings:?}"
        );
        assert!(
            warnings[1].contains("up to 2026-08-08T12:00:00.000Z")
                && warnings[1].contains("held back"),
            "the whole time is said: {warnings:?}"
        );
    }

    #[test]
    fn peer_logs_past_the_number_or_the_total_are_skipped_naming_the_limit() {
        let mut budget = PeerBudget::default();
        for i in 0..MAX_PEER_FILES {
            assert!(budget.admit(Path::new(&format!("p{i}.jsonl")), 10).is_ok());
        }
        let err = budget.admit(Path::new("one-more.jsonl"), 10).unwrap_err();
        assert!(
            err.contains("one-more.jsonl") && err.contains("more than 64 peer logs"),
            "{err}"
        );
        let mut budget = PeerBudget::default();
        assert!(
            budget
                .admit(Path::new("a.jsonl"), PEER_TOTAL_CAP - 5)
                .is_ok()
        );
        let err = budget.admit(Path::new("b.jsonl"), 6).unwrap_err();
        assert!(
            err.contains("b.jsonl") && err.contains("128 MiB in all"),
            "{err}"
        );
        assert!(
            budget.admit(Path::new("c.jsonl"), 5).is_ok(),
            "what fits still merges"
        );
    }

    #[test]
    fn this_devices_own_change_from_a_clock_once_reset_to_1975_is_still_read_and_new_ones_are_not_old()
     {
        let line = r#"{"t":"1975-01-01T00:00:00.000Z","dev":"0000","g":"x","paper":"2608.91000","op":"star"}"#;
        assert_eq!(
            parse(line.as_bytes(), Window::OWN).changes.len(),
            1,
            "kept here"
        );
        assert_eq!(
            parse(line.as_bytes(), Window::untrusted(0)).changes.len(),
            0
        );
        let next = Stamp::default().next(157_766_400_000, Window::WRITE);
        assert_eq!(
            next.map(|s| s.ms),
            Some(EARLIEST_MS),
            "raised to 2020, which peers take"
        );
    }

    #[test]
    fn a_used_up_counter_moves_the_time_on_instead_of_tying() {
        let seen = Stamp {
            ms: 5_000_000_000_000,
            c: u32::MAX,
        };
        let next = seen.next(0, Window::WRITE).unwrap_or_default();
        assert_eq!(
            next,
            Stamp {
                ms: 5_000_000_000_001,
                c: 0
            }
        );
        let last = Stamp {
            ms: LATEST_MS,
            c: u32::MAX,
        };
        assert_eq!(
            last.next(0, Window::WRITE),
            None,
            "said, never a stamp that is refused"
        );
        assert!(fmt_ms(LATEST_MS).starts_with("9999-12-31T00:00:00.000Z"));
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
