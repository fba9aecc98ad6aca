//! `hfpapers doctor`: what a bug report needs. Paths, versions, the store's
//! size and contents, the config file, and whether the endpoint answers.

use crate::source::Client;
use crate::store::{Store, StoreError};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// `hfpapers doctor` on its own: the store is opened here to be read; a
/// store the open reader holds is `None`, and the command is handed over
/// to the reader instead (which runs [`run`] with its store).
pub fn standalone(
    data_dir: &Path,
    config: Option<&Path>,
    out: &mut impl Write,
) -> Option<anyhow::Result<()>> {
    let store = match Store::open(&crate::store::store_dir(data_dir)) {
        Err(StoreError::Locked(_)) => return None,
        opened => opened.ok(),
    };
    Some(
        tokio::runtime::Runtime::new()
            .map_err(anyhow::Error::from)
            .and_then(|rt| rt.block_on(run(data_dir, config, store.as_ref(), out))),
    )
}

/// The report; `store` is the open store when the caller holds it (the
/// reader, for a `doctor` handed over to it), else it is opened here.
pub async fn run(
    data_dir: &Path,
    config: Option<&Path>,
    store: Option<&Store>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "hfpapers {} ({}, {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )?;
    writeln!(out, "data dir:  {}", data_dir.display())?;
    store_lines(data_dir, store, out)?;
    config_line(config, out)?;
    writeln!(
        out,
        "log file:  {}",
        crate::platform::logging::log_path(data_dir).display()
    )?;
    endpoint_line(out).await?;
    writeln!(
        out,
        "token:     {}",
        if std::env::var("HF_TOKEN").is_ok_and(|t| !t.is_empty()) {
            "HF_TOKEN is set"
        } else {
            "none (anonymous limits)"
        }
    )?;
    Ok(())
}

/// The store: size, papers, days, last sync (or why it cannot be read).
fn store_lines(data_dir: &Path, held: Option<&Store>, out: &mut impl Write) -> anyhow::Result<()> {
    let store_dir = crate::store::store_dir(data_dir);
    let opened = match held {
        Some(store) => Ok(store.clone()),
        None => Store::open(&store_dir),
    };
    match opened {
        Ok(store) => {
            let days = store.days_with_papers().map_or(0, |d| d.len());
            let fetched = store.fetched_days().map_or(0, |d| d.len());
            writeln!(
                out,
                "store:     {} ({}, {} with papers, {} fetched, {:.1} MB on disk, layout {})",
                store_dir.display(),
                crate::domain::text::count(store.paper_count() as u64, "paper"),
                crate::domain::text::count(days as u64, "day"),
                crate::domain::text::count(fetched as u64, "day"),
                dir_size(&store_dir) as f64 / 1e6,
                crate::store::SCHEMA_VERSION
            )?;
            let index = crate::store::fulltext::index_dir(&store_dir);
            writeln!(
                out,
                "index:     {} ({:.1} MB, layout {}; {} saved and not yet indexed)",
                index.display(),
                crate::store::files::dir_bytes(&index) as f64 / 1e6,
                crate::store::fulltext::LAYOUT,
                crate::domain::text::count(store.unindexed_count() as u64, "paper"),
            )?;
            let (texts, text_bytes) = store.texts_size().unwrap_or_default();
            writeln!(
                out,
                "texts:     {} kept, {} compressed (caps: fulltext_max_kb, fulltext_total_mb)",
                crate::domain::text::count(texts as u64, "full text"),
                crate::domain::text::bytes(text_bytes),
            )?;
            writeln!(
                out,
                "last sync: {}",
                store
                    .last_sync()
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| "never".into())
            )?;
        }
        Err(StoreError::Locked(_)) => writeln!(
            out,
            "store:     {} (in use by a running hfpapers)",
            store_dir.display()
        )?,
        Err(e) => writeln!(out, "store:     {} — {e}", store_dir.display())?,
    }
    Ok(())
}

fn config_line(config: Option<&Path>, out: &mut impl Write) -> anyhow::Result<()> {
    let config_path = config
        .map(Path::to_path_buf)
        .or_else(crate::platform::config::default_path);
    match &config_path {
        Some(p) if p.exists() => match crate::platform::config::load(Some(p)) {
            Ok(_) => writeln!(out, "config:    {} (valid)", p.display())?,
            Err(e) => writeln!(out, "config:    {} — {e}", p.display())?,
        },
        Some(p) => writeln!(out, "config:    {} (absent: defaults in use)", p.display())?,
        None => writeln!(out, "config:    (no config dir: defaults in use)")?,
    }
    Ok(())
}

/// Whether `HF_ENDPOINT` answers, and how fast (10 s at most).
async fn endpoint_line(out: &mut impl Write) -> anyhow::Result<()> {
    match Client::from_env() {
        Ok(client) => {
            write!(out, "endpoint:  {} — ", client.endpoint())?;
            out.flush()?;
            let started = Instant::now();
            match tokio::time::timeout(Duration::from_secs(10), client.latest()).await {
                Ok(Ok(day)) => writeln!(
                    out,
                    "answers ({} ms; latest list {} with {} papers)",
                    started.elapsed().as_millis(),
                    crate::domain::model::fmt_day(day.day),
                    day.papers.len()
                )?,
                Ok(Err(e)) => writeln!(out, "does not answer as expected: {e}")?,
                Err(_) => writeln!(out, "no answer within 10 s")?,
            }
        }
        Err(e) => writeln!(out, "endpoint:  {e}")?,
    }
    Ok(())
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| match e.metadata() {
                Ok(m) if m.is_dir() => dir_size(&e.path()),
                Ok(m) => m.len(),
                Err(_) => 0,
            })
            .sum()
    })
}
