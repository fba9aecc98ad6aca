//! Logs go to `DATA_DIR/hfpapers.log`, never to the screen (the reader owns
//! it). `HFPAPERS_LOG` sets the level or a filter (`debug`,
//! `hfpapers=trace`); the default is `info`.

use std::path::{Path, PathBuf};

pub fn log_path(data_dir: &Path) -> PathBuf {
    data_dir.join("hfpapers.log")
}

/// Starts logging to the file; without a writable file, logs are dropped.
pub fn init(data_dir: &Path) {
    let _ = std::fs::create_dir_all(data_dir);
    let Ok(file) = std::fs::OpenOptions::new()
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
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init();
}
