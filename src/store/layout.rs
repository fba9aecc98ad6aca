//! The data dir's layout, in one place: every file and folder hfpapers
//! keeps beside the store is named here, so a folder that moves, or a new
//! one, is one change. Paths only; what each holds is its module's job.
//!
//! ```text
//!   DATA_DIR/
//!     store/            sled store, search index, snapshot   (store)
//!     changes.jsonl     this device's change log             (store::changelog)
//!     device-id         this device's id in the logs         (store::changelog)
//!     peers/            other devices' logs, copied in       (store::changelog)
//!     reserve           room kept for the user's own changes (store::files)
//!     thumbnails/       cached paper pictures                (source::thumbs)
//!     exports/          reading lists written by `e`         (library)
//!     hfpapers.log      the log file                         (platform::logging)
//!     hfpapers.sock     the open reader's hand-over socket   (cli::handoff)
//! ```

use std::path::{Path, PathBuf};

/// A data dir, and where each thing lives inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The sled store's folder (and the index's, beside its files).
    pub fn store(&self) -> PathBuf {
        self.root.join("store")
    }

    /// This device's change log.
    pub fn change_log(&self) -> PathBuf {
        self.root.join("changes.jsonl")
    }

    /// This device's id, written once.
    pub fn device_id(&self) -> PathBuf {
        self.root.join("device-id")
    }

    /// Copies of other devices' logs.
    pub fn peers(&self) -> PathBuf {
        self.root.join("peers")
    }

    /// The file that keeps room on the disk for the user's own changes.
    pub fn reserve(&self) -> PathBuf {
        self.root.join("reserve")
    }

    /// The cached thumbnails.
    pub fn thumbnails(&self) -> PathBuf {
        self.root.join("thumbnails")
    }

    /// Reading lists exported from the reader.
    pub fn exports(&self) -> PathBuf {
        self.root.join("exports")
    }

    /// The log file.
    pub fn log_file(&self) -> PathBuf {
        self.root.join("hfpapers.log")
    }

    /// The open reader's socket, where other commands hand over.
    pub fn socket(&self) -> PathBuf {
        self.root.join("hfpapers.sock")
    }

    /// Where a reading list named `name` is written:
    /// `exports/NAME-YYYYMMDD-HHMMSS.md`, the name folded to a safe slug.
    pub fn export_file(&self, name: &str, now: chrono::DateTime<chrono::Local>) -> PathBuf {
        let slug: String = name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let stamp = now.format("%Y%m%d-%H%M%S");
        self.exports()
            .join(format!("{}-{stamp}.md", slug.trim_matches('-')))
    }
}
