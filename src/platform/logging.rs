//! Logs go to `DATA_DIR/hfpapers.log`, never to the screen (the reader owns
//! it). `HFPAPERS_LOG` sets the level or a filter (`debug`,
//! `hfpapers=trace`); the default is `info`. A line that cannot be written
//! (a full disk) is dropped and counted, never reported on stderr (the
//! logging library would print a complaint for every line): the next line
//! that fits says how many were lost.

use std::path::{Path, PathBuf};

pub fn log_path(data_dir: &Path) -> PathBuf {
    crate::store::layout::DataDir::new(data_dir).log_file()
}

/// Starts logging to the file; without a writable file, logs are dropped.
pub fn init(data_dir: &Path) {
    use std::os::unix::fs::OpenOptionsExt;
    let _ = std::fs::create_dir_all(data_dir);
    let Ok(file) = std::fs::OpenOptions::new()
        .mode(crate::store::files::PRIVATE_FILE)
        .create(true)
        .append(true)
        .open(log_path(data_dir))
    else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("HFPAPERS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::sync::Mutex::new(Lossy { file, dropped: 0 }))
        .with_ansi(false)
        .try_init();
}

/// The log file, losing lines rather than failing.
struct Lossy<W> {
    file: W,
    dropped: u64,
}

impl<W: std::io::Write> std::io::Write for Lossy<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.dropped > 0 {
            let note = format!(
                "({} log line(s) dropped: the log could not be written)\n",
                self.dropped
            );
            if self.file.write_all(note.as_bytes()).is_ok() {
                self.dropped = 0;
            }
        }
        if self.dropped > 0 || self.file.write_all(buf).is_err() {
            self.dropped += 1;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = self.file.flush();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Lossy;
    use std::io::Write;

    /// Refuses writes while `full`.
    struct Disk {
        full: bool,
        text: Vec<u8>,
    }

    impl Write for Disk {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.full {
                return Err(std::io::Error::from_raw_os_error(libc::ENOSPC));
            }
            self.text.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_that_do_not_fit_are_dropped_quietly_and_counted_in_the_next_that_does() {
        let mut log = Lossy {
            file: Disk {
                full: true,
                text: Vec::new(),
            },
            dropped: 0,
        };
        for _ in 0..3 {
            assert!(log.write(b"lost\n").is_ok(), "never an error to the logger");
        }
        log.file.full = false;
        log.write_all(b"kept\n").unwrap();
        assert_eq!(
            String::from_utf8_lossy(&log.file.text),
            "(3 log line(s) dropped: the log could not be written)\nkept\n"
        );
    }
}
