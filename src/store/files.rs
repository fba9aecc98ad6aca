//! File helpers every layer shares: writes a reader never sees half of,
//! telling a full disk from other I/O errors (and saying how much is
//! free), the reserve that lets the store open on a full disk, and
//! reading files that come from elsewhere without following links,
//! blocking on FIFOs or reading without end.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Writes through a temporary file and a rename, so a reader never sees
/// half a file. The temporary name is unique, so two writers (or a file
/// that happens to be called `NAME.tmp`) never clobber each other.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_mode(path, bytes, PRIVATE_FILE)
}

/// The mode of the files hfpapers keeps: the reading history is the
/// user's alone.
pub const PRIVATE_FILE: u32 = 0o600;

/// [`write_atomic`] with the file's permission bits.
pub fn write_atomic_mode(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}-{}.tmp", std::process::id(), unique()));
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&tmp)?;
        // The umask may have taken bits the caller asked for.
        f.set_permissions(std::fs::Permissions::from_mode(mode))?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Writes `bytes` to `path` as a shell redirection (`> PATH`) would: a
/// link, FIFO or device at `path` is written through, never replaced; a
/// regular file (or none) is replaced whole through a unique temporary
/// file, so a reader never sees half of it. Errors name the path.
pub fn write_output(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let named =
        |e: std::io::Error| std::io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let through = std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_file());
    if through {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .map_err(named)?;
        f.write_all(bytes).and_then(|()| f.flush()).map_err(named)
    } else {
        write_atomic(path, bytes).map_err(named)
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    (u64::from(nanos) << 20) ^ NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Bytes the files directly in `dir` take (0 for what cannot be read).
pub fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .filter(std::fs::Metadata::is_file)
            .map(|m| m.len())
            .sum()
    })
}

/// Whether an I/O error means the disk (or the user's quota) is full.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
        || matches!(e.raw_os_error(), Some(libc::ENOSPC | libc::EDQUOT))
}

/// Bytes free for this user on the disk holding `dir` (or its nearest
/// existing ancestor).
pub fn free_bytes(dir: &Path) -> Option<u64> {
    let mut probe = Some(dir);
    while let Some(p) = probe {
        if let Ok(n) = fs2::available_space(p) {
            return Some(n);
        }
        probe = p.parent();
    }
    None
}

/// "disk full: 3 MB free in /home/ada/.local/share/hfpapers": what every
/// write that failed for lack of space says.
pub fn disk_full_message(dir: &Path) -> String {
    let free = free_bytes(dir).map_or_else(
        || "no space".to_string(),
        |b| format!("{} MB free", b / 1_000_000),
    );
    format!(
        "disk full: {free} in {}; free some space and try again",
        dir.display()
    )
}

/// Makes the data dir the user's alone: a new one is made `0700`; one
/// that other users can enter (made by an older version, or by hand) is
/// closed, with its folders `0700` and its files `0600`, once, and the
/// note says so. Files hfpapers writes are made `0600`; the storage
/// engine's own are shut in by the folder. Best effort: a folder that
/// cannot be changed is left as it is.
pub fn make_private(dir: &Path) -> Option<String> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    match std::fs::symlink_metadata(dir) {
        Err(_) => {
            if let Some(parent) = dir.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::DirBuilder::new().mode(0o700).create(dir);
            None
        }
        // Nothing for the group or others: private already.
        Ok(m) if !m.is_dir() || m.permissions().mode().trailing_zeros() >= 6 => None,
        Ok(_) => {
            tighten(dir, 0);
            Some(format!(
                "the data dir {} was readable by other users; it is now yours alone (0700, files 0600)",
                dir.display()
            ))
        }
    }
}

fn tighten(path: &Path, depth: usize) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    let mode = meta.permissions().mode() & 0o7777;
    if meta.is_dir() {
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700));
        if depth < 8
            && let Ok(entries) = std::fs::read_dir(path)
        {
            for e in entries.flatten() {
                tighten(&e.path(), depth + 1);
            }
        }
    } else if meta.is_file() {
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700));
    }
}

/// The reserve: a file of [`RESERVE_BYTES`] kept in the data dir while
/// the disk has room. The store cannot open on a completely full disk
/// (the storage engine writes a snapshot as it opens), so when that
/// happens the reserve is given up, the store opens, and the user can
/// read while they free space. Databases do the same with a ballast file.
pub const RESERVE_BYTES: u64 = 8 * 1024 * 1024;

/// Below this much free space the reserve is not (re)made: it would only
/// take what the user's own work needs.
const RESERVE_ROOM: u64 = 64 * 1024 * 1024;

pub fn reserve_path(data_dir: &Path) -> PathBuf {
    crate::store::layout::DataDir::new(data_dir).reserve()
}

/// Makes the reserve if it is missing and the disk has room. Errors are
/// ignored: the reserve is a help, never a requirement.
pub fn keep_reserve(data_dir: &Path) {
    let path = reserve_path(data_dir);
    if path.exists() || free_bytes(data_dir).is_none_or(|b| b < RESERVE_ROOM) {
        return;
    }
    let made = std::fs::File::create(&path).and_then(|f| {
        fs2::FileExt::allocate(&f, RESERVE_BYTES)?;
        f.sync_all()
    });
    if made.is_err() {
        let _ = std::fs::remove_file(&path);
    }
}

/// Gives up the reserve; returns whether there was one.
pub fn release_reserve(data_dir: &Path) -> bool {
    std::fs::remove_file(reserve_path(data_dir)).is_ok()
}

/// Why a file from elsewhere was not read.
#[derive(Debug, thiserror::Error)]
pub enum UntrustedError {
    #[error("{0} is not a regular file (a link, folder, FIFO or device); skipped")]
    NotRegular(PathBuf),
    #[error("{path} is larger than {cap} MB; skipped", cap = .cap / 1_000_000)]
    TooLarge { path: PathBuf, cap: u64 },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Reads a file that someone else put there (a peer's log, an import):
/// only a regular file, opened without following a link and without
/// blocking (a FIFO would hang the reader), and at most `cap` bytes.
pub fn read_untrusted(path: &Path, cap: u64) -> Result<Vec<u8>, UntrustedError> {
    use std::os::unix::fs::OpenOptionsExt;
    let io = |source| UntrustedError::Io {
        path: path.to_path_buf(),
        source,
    };
    // lstat first: a FIFO is refused before it is opened at all.
    let meta = std::fs::symlink_metadata(path).map_err(io)?;
    if !meta.file_type().is_file() {
        return Err(UntrustedError::NotRegular(path.to_path_buf()));
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                UntrustedError::NotRegular(path.to_path_buf())
            } else {
                io(e)
            }
        })?;
    // And again on what was opened: the name may have changed meanwhile.
    let meta = file.metadata().map_err(io)?;
    if !meta.file_type().is_file() {
        return Err(UntrustedError::NotRegular(path.to_path_buf()));
    }
    if meta.len() > cap {
        return Err(UntrustedError::TooLarge {
            path: path.to_path_buf(),
            cap,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(cap + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(UntrustedError::TooLarge {
            path: path.to_path_buf(),
            cap,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_write_leaves_no_temporary_file_and_spares_a_file_named_like_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.md");
        std::fs::write(dir.path().join("out.tmp"), b"someone else's").unwrap();
        write_atomic(&target, b"hello").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"hello");
        assert_eq!(
            std::fs::read(dir.path().join("out.tmp")).unwrap(),
            b"someone else's"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn untrusted_reads_refuse_links_fifos_folders_and_oversized_files() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.jsonl");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_untrusted(&file, 10).unwrap(), b"0123456789");
        assert!(matches!(
            read_untrusted(&file, 9),
            Err(UntrustedError::TooLarge { .. })
        ));
        let link = dir.path().join("zero.jsonl");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(matches!(
            read_untrusted(&link, 1 << 20),
            Err(UntrustedError::NotRegular(_))
        ));
        let fifo = dir.path().join("x.jsonl");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        assert!(matches!(
            read_untrusted(&fifo, 1 << 20),
            Err(UntrustedError::NotRegular(_))
        ));
        assert!(matches!(
            read_untrusted(dir.path(), 1 << 20),
            Err(UntrustedError::NotRegular(_))
        ));
    }

    #[test]
    fn disk_full_is_told_apart_from_other_errors() {
        assert!(is_disk_full(&std::io::Error::from_raw_os_error(
            libc::ENOSPC
        )));
        assert!(!is_disk_full(&std::io::Error::from_raw_os_error(
            libc::EACCES
        )));
        let msg = disk_full_message(Path::new("/"));
        assert!(
            msg.starts_with("disk full: ") && msg.contains("MB free in /"),
            "{msg}"
        );
    }
}
