//! The only code that touches sled: a typed store of papers, digest days and
//! the user's state.
//!
//! Trees, one job each, so a re-fetch can never clobber what the user did:
//!
//! | tree     | key          | value                                    |
//! |----------|--------------|------------------------------------------|
//! | `papers` | paper id     | [`Paper`] (JSON), read only for details  |
//! | `rows`   | paper id     | [`Row`] (postcard): the compact index    |
//! | `days`   | `YYYY-MM-DD` | [`DayRecord`] (JSON): ordered ids        |
//! | `user`   | paper id     | [`UserState`] (postcard); absent = none  |
//! | `meta`   | name         | schema version, last sync time (JSON), the paper generation and state stamp (u64) |
//! | `unindexed` | paper id  | generation of a paper write the search index has not taken yet |
//!
//! Beside the trees, in the same folder: the full-text index
//! ([`fulltext`], kept in step by `indexing`) and a stamped snapshot of
//! every user state (`snapshot`), both caches of what the trees hold.
//!
//! Papers stay JSON: read one at a time, and tolerant of fields added later.
//! Rows and user state are read by the hundred thousand when the index
//! loads, so they use postcard, a compact binary encoding that decodes an
//! order of magnitude faster; their shape is pinned by [`SCHEMA_VERSION`].
//!
//! A fetched day is written in one transaction over `papers`, `rows` and
//! `days`, then flushed. A user change is flushed before it is reported done.

pub mod changelog;
pub mod files;
pub mod fulltext;
mod indexing;
pub mod layout;
mod snapshot;
pub use indexing::{CatchUp, IndexBatch, IndexProgress};
pub mod memory;
pub mod texts;
pub mod userstate;
pub mod watch;

use crate::domain::model::{Day, Entry, Paper, PaperId, Row, UserState, fmt_day, parse_day};
use crate::domain::model::{FetchedDay, HttpCache, Validators};
use crate::store::changelog::LogPos;
use serde::{Deserialize, Serialize};
use sled::Transactional;
use std::path::{Path, PathBuf};

/// The sled store lives in its own folder inside the data dir, leaving room
/// beside it for the change log, logs and exports.
pub fn store_dir(data_dir: &Path) -> PathBuf {
    layout::DataDir::new(data_dir).store()
}

/// The layout this build writes. Bump it, and add a migration, whenever a
/// stored value changes shape incompatibly.
pub const SCHEMA_VERSION: u64 = 1;

/// sled's page cache.
const CACHE_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "another hfpapers is already using {0} (the store is locked); close it, or pass --data-dir to use another store"
    )]
    Locked(PathBuf),
    #[error(
        "the store at {dir} was written by a newer hfpapers (layout {found}, this build reads up to {SCHEMA_VERSION}); upgrade hfpapers"
    )]
    TooNew { dir: PathBuf, found: u64 },
    #[error("cannot open the store at {dir}: {detail}")]
    Open { dir: PathBuf, detail: String },
    #[error("store error: {0}")]
    Sled(#[from] sled::Error),
    #[error("a stored value could not be read ({0}); the store may be damaged")]
    Corrupt(String),
    /// A write failed for lack of space; nothing of it was acknowledged.
    #[error("{0}")]
    DiskFull(String),
    /// The search index could not be opened or written. It is a cache:
    /// the store is intact, and `hfpapers index rebuild` makes it anew.
    #[error("{0}; `hfpapers index rebuild` makes the search index anew")]
    Index(String),
}

impl StoreError {
    /// Whether the error proves the store's files are not a store (as
    /// opposed to an I/O error, which must never get a store moved aside).
    fn is_format_error(&self) -> bool {
        matches!(
            self,
            StoreError::Corrupt(_) | StoreError::Sled(sled::Error::Corruption { .. })
        )
    }

    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::DiskFull(_) => true,
            StoreError::Sled(sled::Error::Io(e)) => crate::store::files::is_disk_full(e),
            _ => false,
        }
    }

    /// The error as the user should read it: a full disk says so, with
    /// the space left where the store is.
    fn located(self, dir: &Path) -> StoreError {
        if self.is_disk_full() && !matches!(self, StoreError::DiskFull(_)) {
            StoreError::DiskFull(crate::store::files::disk_full_message(dir))
        } else {
            self
        }
    }
}

/// The longest a flush is waited for: the storage engine's own writes
/// take milliseconds (p99 about 1 ms), a slow disk seconds.
const FLUSH_CEILING: std::time::Duration = std::time::Duration::from_secs(15);

/// A test hook (debug builds only): `HFPAPERS_TEST_FLUSH_STALL=N` makes
/// every flush after the first N of the process hang as sled's does after
/// a refused write, and the ceiling half a second.
fn test_flush_stall() -> bool {
    static FLUSHES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    if !cfg!(debug_assertions) {
        return false;
    }
    let Some(after) = std::env::var("HFPAPERS_TEST_FLUSH_STALL")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    else {
        return false;
    };
    FLUSHES.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= after
}

/// Below this much free space a fetched day is not stored: the space left
/// is for the storage engine's own bookkeeping and the user's changes.
const SAVE_HEADROOM: u64 = 16 * 1024 * 1024;

/// The least room a write to the storage engine leaves for its snapshot.
const SETTLE_MIN: u64 = 1024 * 1024;

/// The room a write must leave so that the storage engine can write its
/// snapshot afterwards: twice its newest snapshot, at least [`SETTLE_MIN`].
fn settle_room(dir: &Path) -> u64 {
    let newest = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("snap."))
        .filter_map(|e| e.metadata().ok().map(|m| m.len()))
        .max()
        .unwrap_or(0);
    (2 * newest).max(SETTLE_MIN)
}

/// What `days` holds for one date.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DayRecord {
    /// Paper ids in digest order; empty for a day known to have no papers.
    pub ids: Vec<PaperId>,
    pub fetched_at: Option<String>,
}

/// What saving a fetched day changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaveReport {
    pub papers: usize,
    /// Papers the store did not hold before.
    pub new: usize,
}

/// The store. Cheap to clone: all clones share one open database.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    papers: sled::Tree,
    rows: sled::Tree,
    days: sled::Tree,
    user: sled::Tree,
    meta: sled::Tree,
    dir: PathBuf,
    /// Paper id → generation of its last write, for papers written to
    /// sled and not yet to the search index: see [`indexing`].
    unindexed: sled::Tree,
    /// Paper id → what the watch on code and weights knows of it.
    watch: sled::Tree,
    /// Paper id → its full text, compressed (see [`texts`]).
    texts: sled::Tree,
    /// The search index, opened on first use.
    fulltext: std::sync::Arc<std::sync::Mutex<Option<std::sync::Arc<fulltext::FullText>>>>,
    /// Open [`indexing::IndexBatch`]es: while any is, saved papers wait
    /// for the batch to end to be indexed, in one commit.
    batching: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    /// Whether this process wrote anything: see [`settle`].
    wrote: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Set when a flush outlived [`FLUSH_CEILING`]: the storage engine
    /// waits forever on a write a full disk refused, so every later write
    /// fails at once instead of waiting too.
    stalled: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Every user state as the change log has it, held in memory while
    /// the store cannot take it (a full disk): reads see the log's truth,
    /// and the store catches up once there is room. See [`Store::hold_states`].
    held: std::sync::Arc<std::sync::RwLock<Option<std::collections::HashMap<PaperId, UserState>>>>,
    /// Last, so it drops after the database: see [`LockRelease`].
    _release: std::sync::Arc<LockRelease>,
}

/// Waits, as the last handle of a store goes, until sled has let go of its
/// file lock. sled's background work keeps the file open a moment after
/// the last `Db` drops, and a reopen in that moment (by this process, or
/// by the next command) would be told another instance holds the store.
struct LockRelease {
    db_file: PathBuf,
}

impl Drop for LockRelease {
    fn drop(&mut self) {
        // A ceiling: a handle kept elsewhere (a tree, an iterator) must
        // not hang the drop; the next open then reports the lock.
        for _ in 0..200 {
            if lock_is_free(&self.db_file) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

/// Whether nothing holds the store's file lock (probed by taking it and
/// letting it go at once). A file that cannot be opened holds no lock to
/// wait for.
fn lock_is_free(db_file: &Path) -> bool {
    let Ok(file) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(db_file)
    else {
        return true;
    };
    fs2::FileExt::try_lock_exclusive(&file).is_ok() && fs2::FileExt::unlock(&file).is_ok()
}

impl Store {
    /// Opens (or creates) the store in `dir`. Fails fast with
    /// [`StoreError::Locked`] when another process holds it.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
            dir: dir.to_path_buf(),
            detail: e.to_string(),
        })?;
        // Every write is flushed explicitly before it is acknowledged, so
        // sled's periodic flusher thread would only wake an idle reader.
        // sled caches up to 1 GB of pages by default, and indexing reads
        // every paper once: a small cache keeps the reader's memory small.
        let config = sled::Config::new()
            .path(dir)
            .flush_every_ms(None)
            .cache_capacity(CACHE_BYTES);
        let db = config.open().map_err(|e| match e {
            sled::Error::Io(ref io) if io.to_string().contains("could not acquire lock") => {
                StoreError::Locked(dir.to_path_buf())
            }
            other => StoreError::Sled(other).located(dir),
        })?;
        let store = Store {
            papers: db.open_tree("papers")?,
            rows: db.open_tree("rows")?,
            days: db.open_tree("days")?,
            user: db.open_tree("user")?,
            meta: db.open_tree("meta")?,
            unindexed: db.open_tree("unindexed")?,
            watch: db.open_tree("watch")?,
            texts: db.open_tree("texts")?,
            db,
            dir: dir.to_path_buf(),
            fulltext: std::sync::Arc::default(),
            batching: std::sync::Arc::default(),
            wrote: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
            stalled: std::sync::Arc::default(),
            held: std::sync::Arc::default(),
            _release: std::sync::Arc::new(LockRelease {
                db_file: dir.join("db"),
            }),
        };
        store.check_schema()?;
        Ok(store)
    }

    /// Opens the store; one that cannot be read as a store (corrupt data,
    /// or sled panicking on it) is moved aside to `DIR.corrupt-<time>` and
    /// an empty one takes its place. Returns where the old one went, so the
    /// caller can say so and rebuild user state from the change log.
    ///
    /// Only a proven format error moves a store aside. An I/O error (a full
    /// disk, a permission) is returned as it is: the store is intact and
    /// opens once the cause is gone. A snapshot the storage engine left
    /// half-written (it writes one as it opens, and a full disk stops it)
    /// is removed and the open tried again before anything is judged.
    pub fn open_or_recover(dir: &Path) -> Result<(Store, Option<PathBuf>), StoreError> {
        let open = || std::panic::catch_unwind(|| Store::open(dir));
        let mut attempt = open();
        let failed = matches!(&attempt, Ok(Err(e)) if e.is_format_error()) || attempt.is_err();
        if failed && remove_unfinished_snapshots(dir) {
            attempt = open();
        }
        let broken = match attempt {
            Ok(Ok(store)) => return Ok((store, None)),
            Ok(Err(e)) if !e.is_format_error() => return Err(e),
            Ok(Err(e)) => e.to_string(),
            Err(_) => "the storage engine panicked reading it".to_string(),
        };
        // A full disk can look like damage (an empty snapshot file): never
        // move a store aside while there is no room to rebuild anyway.
        if crate::store::files::free_bytes(dir).is_some_and(|b| b < SAVE_HEADROOM) {
            return Err(StoreError::DiskFull(format!(
                "{} (the store could not be opened: {broken})",
                crate::store::files::disk_full_message(dir)
            )));
        }
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let aside = PathBuf::from(format!("{}.corrupt-{stamp}", dir.display()));
        std::fs::rename(dir, &aside).map_err(|e| StoreError::Open {
            dir: dir.to_path_buf(),
            detail: format!(
                "{broken}; moving it aside to {} failed too: {e}",
                aside.display()
            ),
        })?;
        tracing::error!(store = %dir.display(), moved_to = %aside.display(), reason = %broken, "store moved aside");
        Ok((Store::open(dir)?, Some(aside)))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Flushes to disk and notes that this process wrote. The flush runs
    /// on a thread of its own and is waited for at most [`FLUSH_CEILING`]:
    /// sled 0.34 can wait forever for a write that a full disk refused
    /// (`make_stable` on a condition nobody signals), and a command that
    /// hangs holding the store's lock locks every other one out. After
    /// that, writes fail at once; the process, ending, frees the lock.
    pub(crate) fn sync(&self) -> Result<(), StoreError> {
        use std::sync::atomic::Ordering;
        self.wrote.store(true, Ordering::SeqCst);
        if self.stalled.load(Ordering::SeqCst) {
            return Err(self.stalled_error());
        }
        let db = self.db.clone();
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let stall = test_flush_stall();
        std::thread::Builder::new()
            .name("store-flush".into())
            .spawn(move || {
                if stall {
                    std::thread::park();
                }
                let _ = tx.send(db.flush());
            })
            .map_err(|e| StoreError::Open {
                dir: self.dir.clone(),
                detail: format!("could not start a thread to write: {e}"),
            })?;
        let ceiling = if stall {
            std::time::Duration::from_millis(500)
        } else {
            FLUSH_CEILING
        };
        if let Ok(flushed) = rx.recv_timeout(ceiling) {
            flushed.map(drop).map_err(StoreError::from)
        } else {
            self.stalled.store(true, Ordering::SeqCst);
            tracing::error!(store = %self.dir.display(), "a flush outlived its ceiling");
            Err(self.stalled_error())
        }
    }

    fn stalled_error(&self) -> StoreError {
        let low = crate::store::files::free_bytes(&self.dir).is_some_and(|b| b < SAVE_HEADROOM);
        let what = format!(
            "the storage engine stopped writing (a flush took more than {} s); what it acknowledged before is kept, the rest of this command is not",
            FLUSH_CEILING.as_secs()
        );
        if low {
            StoreError::DiskFull(format!(
                "{}; {what}",
                crate::store::files::disk_full_message(&self.dir)
            ))
        } else {
            StoreError::Open {
                dir: self.dir.clone(),
                detail: format!("{what}; run the command again"),
            }
        }
    }

    /// Shared with every clone: whether any of them wrote. Read it after
    /// the last clone is gone to decide whether to [`settle`] the store.
    pub fn written(&self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        self.wrote.clone()
    }

    /// Where the change log stood when user state was last written: see
    /// [`LogPos`]. `None` for a new store, or one older than the log.
    pub fn log_pos(&self) -> Result<Option<LogPos>, StoreError> {
        self.meta.get("log_pos")?.map(|v| decode(&v)).transpose()
    }

    fn check_schema(&self) -> Result<(), StoreError> {
        if let Some(v) = self.meta.get("schema")? {
            let found: u64 = decode(&v)?;
            if found > SCHEMA_VERSION {
                return Err(StoreError::TooNew {
                    dir: self.dir.clone(),
                    found,
                });
            }
        } else {
            self.meta.insert("schema", encode(&SCHEMA_VERSION))?;
            self.sync()?;
        }
        Ok(())
    }

    /// Stores a fetched day in one transaction: paper fields are replaced
    /// (upvotes and comments move), user state is never touched.
    pub fn save_day(&self, fetched: &FetchedDay) -> Result<SaveReport, StoreError> {
        self.save_day_inner(fetched)
            .map_err(|e| e.located(&self.dir))
    }

    /// Refuses a bulk write when the disk is nearly full, before anything
    /// is written: what is stored stays readable and the user's own
    /// changes still have room.
    pub(crate) fn check_headroom(&self) -> Result<(), StoreError> {
        match crate::store::files::free_bytes(&self.dir) {
            Some(free) if free < SAVE_HEADROOM => Err(StoreError::DiskFull(
                crate::store::files::disk_full_message(&self.dir),
            )),
            _ => Ok(()),
        }
    }

    fn save_day_inner(&self, fetched: &FetchedDay) -> Result<SaveReport, StoreError> {
        self.check_headroom()?;
        let day = fetched.day;
        let now = now_rfc3339();
        let now_secs = chrono::Utc::now().timestamp();
        let mut new = 0;
        let mut encoded = Vec::with_capacity(fetched.papers.len());
        let mut changed = Vec::new();
        for (i, p) in fetched.papers.iter().enumerate() {
            let mut paper = p.clone();
            let old = self.paper(&p.id)?;
            if let Some(old) = &old {
                paper.merge_onto(old);
            } else {
                new += 1;
            }
            paper.record(now_secs);
            // The row is the merged paper's, so the two never disagree.
            let mut row = Row::of(&paper, day, i as u32 + 1);
            row.first_seen = match old {
                Some(old) => {
                    changed.push((old, paper.clone()));
                    self.row(&p.id)?.and_then(|r| r.first_seen)
                }
                None => Some(now_secs),
            };
            encoded.push((encode(&paper), encode_bin(&row)));
        }
        // The search index learns of these papers from `unindexed`, written
        // in the same transaction: a crash after it leaves them queued.
        let generation = self.db.generate_id()?.to_be_bytes();
        let record = encode(&DayRecord {
            ids: fetched.papers.iter().map(|p| p.id.clone()).collect(),
            fetched_at: Some(now.clone()),
        });
        (
            &self.papers,
            &self.rows,
            &self.days,
            &self.unindexed,
            &self.meta,
        )
            .transaction(|(papers, rows, days, unindexed, meta)| {
                for (p, (paper, row)) in fetched.papers.iter().zip(&encoded) {
                    papers.insert(p.id.as_str(), paper.as_slice())?;
                    rows.insert(p.id.as_str(), row.as_slice())?;
                    unindexed.insert(p.id.as_str(), &generation)?;
                }
                days.insert(fmt_day(day).as_str(), record.as_slice())?;
                meta.insert(indexing::GENERATION, &generation)?;
                Ok::<_, sled::transaction::ConflictableTransactionError<()>>(())
            })
            .map_err(transaction_error)?;
        self.meta.insert("last_sync", encode(&now))?;
        self.sync()?;
        self.index_soon();
        // A list re-fetched may bring a starred paper's code.
        for (old, new) in &changed {
            self.note_release(old, new)?;
        }
        Ok(SaveReport {
            papers: fetched.papers.len(),
            new,
        })
    }

    /// Stores what `/api/papers/{id}` brought for a paper already stored:
    /// its fields and linked counts replace the stored ones, the row follows.
    pub fn save_details(&self, paper: &Paper) -> Result<bool, StoreError> {
        Ok(self.save_details_noting(paper)?.is_some())
    }

    /// [`Store::save_details`], saying what a starred paper gained (see
    /// [`crate::domain::watch`]): `None` when the paper is not stored,
    /// `Some(None)` when it gained nothing worth saying.
    pub fn save_details_noting(
        &self,
        paper: &Paper,
    ) -> Result<Option<Option<crate::domain::watch::Release>>, StoreError> {
        let Some(stored) = self.row(&paper.id)? else {
            return Ok(None);
        };
        let mut merged = paper.clone();
        let old = self.paper(&paper.id)?;
        if let Some(old) = &old {
            // The details endpoint has no comment count, no thumbnail
            // and no submitter: the merge keeps what the lists brought.
            merged.merge_onto(old);
            merged.record(chrono::Utc::now().timestamp());
        }
        // The row is the merged paper's; its place in a day is the row's.
        let mut row = Row::of(&merged, stored.day.unwrap_or_default(), stored.rank);
        row.day = stored.day;
        row.first_seen = stored.first_seen;
        self.write_paper(&merged, &row)?;
        match old {
            Some(old) => Ok(Some(self.note_release(&old, &merged)?)),
            None => Ok(Some(None)),
        }
    }

    /// Stores a paper that is on no stored day (a search result the user
    /// starred or tagged), so its state has something to belong to.
    pub fn save_loose(&self, paper: &Paper, day: Option<Day>) -> Result<(), StoreError> {
        let mut row = Row::of(paper, day.unwrap_or_default(), 0);
        row.day = day;
        row.first_seen = Some(chrono::Utc::now().timestamp());
        self.write_paper(paper, &row)
    }

    /// Writes one paper and its row, queued for the search index, in one
    /// transaction; flushed, then indexed unless a batch is open.
    fn write_paper(&self, paper: &Paper, row: &Row) -> Result<(), StoreError> {
        let generation = self.db.generate_id()?.to_be_bytes();
        let (paper_bytes, row_bytes) = (encode(paper), encode_bin(row));
        (&self.papers, &self.rows, &self.unindexed, &self.meta)
            .transaction(|(papers, rows, unindexed, meta)| {
                papers.insert(paper.id.as_str(), paper_bytes.as_slice())?;
                rows.insert(paper.id.as_str(), row_bytes.as_slice())?;
                unindexed.insert(paper.id.as_str(), &generation)?;
                meta.insert(indexing::GENERATION, &generation)?;
                Ok::<_, sled::transaction::ConflictableTransactionError<()>>(())
            })
            .map_err(transaction_error)?;
        self.sync()?;
        self.index_soon();
        Ok(())
    }

    /// Keeps validators for a URL once what it answered is stored.
    pub fn set_validators(&self, url: &str, v: &Validators) -> Result<(), StoreError> {
        self.meta.insert(format!("http:{url}"), encode(v))?;
        self.wrote.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// Time the previous session started, and records this one's start.
    pub fn begin_visit(&self) -> Result<Option<String>, StoreError> {
        let previous = self.meta.get("visit")?.map(|v| decode(&v)).transpose()?;
        // A reader on a full disk still opens: this visit is not recorded
        // (the next one counts "new" from the last recorded one).
        if self.check_settle_room().is_err() {
            return Ok(previous);
        }
        self.meta.insert("visit", encode(&now_rfc3339()))?;
        self.wrote.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(previous)
    }

    /// Since when papers count as new (Unix seconds): when the New view
    /// was last finished (see [`Store::finish_new`]); `None` before that.
    pub fn new_since(&self) -> Result<Option<i64>, StoreError> {
        self.meta.get("new_since")?.map(|v| decode(&v)).transpose()
    }

    /// New was finished: papers first seen up to `at` are no longer new,
    /// across restarts. Flushed before it returns.
    pub fn finish_new(&self, at: i64) -> Result<(), StoreError> {
        self.check_settle_room()?;
        self.meta.insert("new_since", encode(&at))?;
        self.sync()
    }

    /// Every day ever fetched (with papers or known empty), oldest first.
    pub fn fetched_days(&self) -> Result<Vec<(Day, usize)>, StoreError> {
        let mut out = Vec::new();
        for kv in &self.days {
            let (k, v) = kv?;
            let record: DayRecord = decode(&v)?;
            if let Some(day) = key_day(&k) {
                out.push((day, record.ids.len()));
            }
        }
        Ok(out)
    }

    /// The record of a day, if it was ever fetched.
    pub fn day(&self, day: Day) -> Result<Option<DayRecord>, StoreError> {
        self.days.get(fmt_day(day))?.map(|v| decode(&v)).transpose()
    }

    /// The rows of a day in digest order, each with its user state.
    pub fn day_entries(&self, day: Day) -> Result<Vec<Entry>, StoreError> {
        let Some(record) = self.day(day)? else {
            return Ok(Vec::new());
        };
        let mut entries = Vec::with_capacity(record.ids.len());
        for (i, id) in record.ids.iter().enumerate() {
            let Some(mut row) = self.row(id)? else {
                continue;
            };
            // A paper listed on two days keeps one row; rank and day come
            // from the list being shown.
            row.rank = i as u32 + 1;
            row.day = Some(day);
            entries.push(Entry {
                state: self.state(id)?,
                row,
            });
        }
        Ok(entries)
    }

    pub fn row(&self, id: &PaperId) -> Result<Option<Row>, StoreError> {
        self.rows
            .get(id.as_str())?
            .map(|v| decode_row(&v))
            .transpose()
    }

    pub fn paper(&self, id: &PaperId) -> Result<Option<Paper>, StoreError> {
        self.papers
            .get(id.as_str())?
            .map(|v| decode(&v))
            .transpose()
    }

    pub fn state(&self, id: &PaperId) -> Result<UserState, StoreError> {
        if let Some(held) = &*self
            .held
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
        {
            return Ok(held.get(id).cloned().unwrap_or_default());
        }
        Ok(self
            .user
            .get(id.as_str())?
            .map(|v| decode_bin(&v))
            .transpose()?
            .unwrap_or_default())
    }

    /// Writes a user state and flushes it to disk before returning.
    pub fn set_state(&self, id: &PaperId, state: &UserState) -> Result<(), StoreError> {
        self.set_states(&[(id.clone(), state.clone())])
    }

    /// Writes many user states in one batch and one flush: bulk marks and
    /// imports cost one disk sync, not one per paper.
    pub fn set_states(&self, states: &[(PaperId, UserState)]) -> Result<(), StoreError> {
        self.set_states_at(states, None)
    }

    /// Writes user states and, after them, where the change log stands
    /// with them in it, then flushes once. sled recovers a prefix of its
    /// writes, so a recorded position always has its states on disk.
    pub fn set_states_at(
        &self,
        states: &[(PaperId, UserState)],
        pos: Option<&LogPos>,
    ) -> Result<(), StoreError> {
        self.write_states(states, pos)
            .map_err(|e| e.located(&self.dir))
    }

    fn write_states(
        &self,
        states: &[(PaperId, UserState)],
        pos: Option<&LogPos>,
    ) -> Result<(), StoreError> {
        self.check_settle_room()?;
        if self.is_holding() {
            // The store lags the log: it takes nothing until it has
            // caught up as a whole (see `hold_states`).
            return Err(StoreError::DiskFull(
                crate::store::files::disk_full_message(&self.dir),
            ));
        }
        self.restamp_states()?;
        let now = now_rfc3339();
        let mut batch = sled::Batch::default();
        for (id, state) in states {
            let mut state = state.clone();
            state.updated_at = Some(now.clone());
            // Tags are a set: kept sorted and unique, whoever wrote them.
            state.tags.sort();
            state.tags.dedup();
            batch.insert(id.as_str(), encode_bin(&state));
        }
        self.user.apply_batch(batch)?;
        if let Some(pos) = pos {
            self.meta.insert("log_pos", encode(pos))?;
        }
        self.sync()?;
        Ok(())
    }

    /// Replaces all user state with `states` (a rebuild from the change
    /// log), in one batch and one flush.
    pub fn replace_states(
        &self,
        states: &std::collections::BTreeMap<PaperId, UserState>,
        pos: &LogPos,
    ) -> Result<(), StoreError> {
        self.write_all_states(states, pos)
            .map_err(|e| e.located(&self.dir))
    }

    fn write_all_states(
        &self,
        states: &std::collections::BTreeMap<PaperId, UserState>,
        pos: &LogPos,
    ) -> Result<(), StoreError> {
        self.check_settle_room()?;
        self.restamp_states()?;
        let mut batch = sled::Batch::default();
        for kv in &self.user {
            let (k, _) = kv?;
            batch.remove(k);
        }
        for (id, st) in states {
            if *st != UserState::default() || st.updated_at.is_some() {
                batch.insert(id.as_str(), encode_bin(st));
            }
        }
        self.user.apply_batch(batch)?;
        self.meta.insert("log_pos", encode(pos))?;
        self.sync()?;
        // The store holds the log's truth again.
        *self
            .held
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        Ok(())
    }

    /// Holds every user state in memory, as the change log has it, while
    /// the store cannot be written: reads (`state`, `for_each_state`, the
    /// index's join) see them, state writes are refused until a rebuild
    /// writes them all (`replace_states`), and nothing is written now.
    pub fn hold_states(&self, states: std::collections::BTreeMap<PaperId, UserState>) {
        *self
            .held
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some(states.into_iter().collect());
    }

    /// Whether user state is held in memory (see [`Store::hold_states`]).
    pub fn is_holding(&self) -> bool {
        self.held
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some()
    }

    /// Refuses a write to the storage engine that would leave it unable
    /// to write its snapshot afterwards: a store whose log ran ahead of
    /// its snapshot must write one to open, and on a full disk it could
    /// not, so reading would need room. Below this, the user's changes go
    /// to the change log only, and the store catches up later.
    pub(crate) fn check_settle_room(&self) -> Result<(), StoreError> {
        match crate::store::files::free_bytes(&self.dir) {
            Some(free) if free < settle_room(&self.dir) => Err(StoreError::DiskFull(
                crate::store::files::disk_full_message(&self.dir),
            )),
            _ => Ok(()),
        }
    }

    /// Gives the user states a new stamp, before they change: a snapshot
    /// of the old ones is never taken for the new ones (see [`snapshot`]).
    fn restamp_states(&self) -> Result<(), StoreError> {
        let stamp = self.db.generate_id()?.to_be_bytes();
        self.meta.insert(snapshot::STAMP, &stamp)?;
        Ok(())
    }

    /// Every user state in the store, by paper: from the snapshot when it
    /// is current, else from the tree (and the snapshot is written anew).
    pub fn all_states(&self) -> Result<Vec<(PaperId, UserState)>, StoreError> {
        let mut all = std::collections::BTreeMap::new();
        self.for_each_state(&mut |id, st| {
            all.insert(id, st);
        })?;
        Ok(all.into_iter().collect())
    }

    /// Every user state, one at a time, so that a caller keeping them in
    /// its own shape never holds them twice. A paper may come more than
    /// once (a snapshot found damaged half way, then the tree); the last
    /// state given for it is the one that holds.
    pub fn for_each_state(&self, f: &mut dyn FnMut(PaperId, UserState)) -> Result<(), StoreError> {
        if let Some(held) = &*self
            .held
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
        {
            for (id, st) in held {
                f(id.clone(), st.clone());
            }
            return Ok(());
        }
        if self.meta.get(snapshot::STAMP)?.is_none() {
            self.restamp_states()?;
        }
        let stamp = self
            .meta
            .get(snapshot::STAMP)?
            .map(|s| s.to_vec())
            .unwrap_or_default();
        if snapshot::read_each(&self.dir, &stamp, f) {
            return Ok(());
        }
        let mut snap = snapshot::Writer::default();
        for kv in &self.user {
            let (k, v) = kv?;
            let id = PaperId(String::from_utf8_lossy(&k).into_owned());
            let st: UserState = decode_bin(&v)?;
            snap.push(&id, &st);
            f(id, st);
        }
        snap.finish(&self.dir, &stamp);
        Ok(())
    }

    /// Days that hold at least one paper, oldest first.
    pub fn days_with_papers(&self) -> Result<Vec<Day>, StoreError> {
        let mut out = Vec::new();
        for kv in &self.days {
            let (k, v) = kv?;
            let record: DayRecord = decode(&v)?;
            if let Some(day) = key_day(&k)
                && !record.ids.is_empty()
            {
                out.push(day);
            }
        }
        Ok(out)
    }

    pub fn latest_day(&self) -> Result<Option<Day>, StoreError> {
        self.step_day(None, Direction::Back)
    }

    /// The nearest day before (`Back`) or after (`Forward`) `from` that has
    /// papers; from `None`, the newest or oldest such day.
    pub fn step_day(&self, from: Option<Day>, dir: Direction) -> Result<Option<Day>, StoreError> {
        let key = from.map(fmt_day).unwrap_or_default();
        let iter: Box<dyn Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>> =
            match (dir, from) {
                (Direction::Back, Some(_)) => Box::new(self.days.range(..key.as_bytes()).rev()),
                (Direction::Back, None) => Box::new(self.days.iter().rev()),
                (Direction::Forward, Some(_)) => Box::new(self.days.range::<&[u8], _>((
                    std::ops::Bound::Excluded(key.as_bytes()),
                    std::ops::Bound::Unbounded,
                ))),
                (Direction::Forward, None) => Box::new(self.days.iter()),
            };
        for kv in iter {
            let (k, v) = kv?;
            let record: DayRecord = decode(&v)?;
            if !record.ids.is_empty()
                && let Some(day) = key_day(&k)
            {
                return Ok(Some(day));
            }
        }
        Ok(None)
    }

    /// Notes that a sync reached the service now, whether or not it
    /// brought anything new: the last-sync time the user sees.
    pub fn mark_synced(&self) -> Result<(), StoreError> {
        self.check_headroom()?;
        self.meta.insert("last_sync", encode(&now_rfc3339()))?;
        self.sync().map_err(|e| e.located(&self.dir))
    }

    /// When a sync last reached the service (RFC 3339).
    pub fn last_sync(&self) -> Result<Option<String>, StoreError> {
        self.meta.get("last_sync")?.map(|v| decode(&v)).transpose()
    }

    /// Number of stored papers. A count reads every row: for "is there
    /// anything", ask [`Store::has_papers`].
    pub fn paper_count(&self) -> usize {
        self.rows.len()
    }

    /// Whether any paper is stored (without counting them).
    pub fn has_papers(&self) -> bool {
        !self.rows.is_empty()
    }

    /// Forces everything to disk; called on quit and on signals.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.sync()?;
        Ok(())
    }
}

pub use crate::domain::model::{Direction, now_rfc3339};

/// Opens and closes a store that this process wrote and has closed, so
/// the storage engine writes its snapshot now, while the disk had room
/// for the writes just made. sled writes that snapshot on the first open
/// after any write, and cannot open at all when it fails for lack of
/// space: settled, the store opens to read on a disk that fills up later.
/// Best effort: a store still held (by a thread that outlived its wait)
/// is left as it is.
pub fn settle(dir: &Path) {
    for _ in 0..50 {
        let opened = sled::Config::new()
            .path(dir)
            .flush_every_ms(None)
            .cache_capacity(CACHE_BYTES)
            .open();
        match opened {
            Ok(db) => {
                drop(db);
                return;
            }
            Err(sled::Error::Io(ref io)) if io.to_string().contains("could not acquire lock") => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(_) => {
                // Most likely a full disk: leave no half snapshot behind.
                remove_unfinished_snapshots(dir);
                return;
            }
        }
    }
}

/// Removes `snap.*.generating` files: snapshots sled began and never
/// finished (it renames a finished one). sled takes the newest snapshot
/// file, finished or not, and calls an empty one corruption. Returns
/// whether there were any.
fn remove_unfinished_snapshots(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut removed = false;
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            removed |= std::fs::remove_file(e.path()).is_ok();
        }
    }
    removed
}

fn key_day(k: &[u8]) -> Option<Day> {
    parse_day(std::str::from_utf8(k).ok()?)
}

fn transaction_error(e: sled::transaction::TransactionError<()>) -> StoreError {
    match e {
        sled::transaction::TransactionError::Storage(e) => StoreError::Sled(e),
        sled::transaction::TransactionError::Abort(()) => {
            StoreError::Corrupt("transaction aborted".into())
        }
    }
}

#[allow(
    clippy::expect_used,
    reason = "the model's types hold no map with non-string keys, so JSON always takes them"
)]
fn encode<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).expect("model types always serialize")
}

fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

#[allow(clippy::expect_used, reason = "postcard takes every type of the model")]
fn encode_bin<T: Serialize>(v: &T) -> Vec<u8> {
    postcard::to_stdvec(v).expect("model types always serialize")
}

/// A stored row, of this layout or the one before (see [`Row::decode`]).
fn decode_row(bytes: &[u8]) -> Result<Row, StoreError> {
    Row::decode(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn decode_bin<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, StoreError> {
    postcard::from_bytes(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl HttpCache for Store {
    fn validators(&self, url: &str) -> Option<Validators> {
        let v = self.meta.get(format!("http:{url}")).ok()??;
        decode(&v).ok()
    }
}
