//! Where hfpapers keeps its data, resolved once at start-up.
//!
//! Order: `--data-dir`, then `HFPAPERS_DATA_DIR`, then the platform data dir
//! from `directories` (`~/.local/share/hfpapers` on Linux, following XDG).

use std::path::PathBuf;

/// Resolves the data directory; `flag` is `--data-dir` (clap already folds
/// in `HFPAPERS_DATA_DIR`).
pub fn data_dir(flag: Option<PathBuf>) -> Result<PathBuf, NoHome> {
    if let Some(dir) = flag {
        return Ok(dir);
    }
    directories::ProjectDirs::from("", "", "hfpapers")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or(NoHome)
}

/// No home directory to keep data in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot find a home directory for the data; pass --data-dir or set HFPAPERS_DATA_DIR")]
pub struct NoHome;
