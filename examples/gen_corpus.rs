//! Fills a store with a generated corpus for benchmarks:
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --papers 100000 --data-dir DIR [--seed N]
//! ```
//!
//! The store goes where the reader looks for it (`DIR/store`), so
//! `hfpapers --data-dir DIR --offline` opens the corpus.

// A tool for benchmarks and tests: it states its assumptions by unwrapping.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;
use hfpapers::domain::model::parse_day;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser)]
struct Args {
    /// How many papers.
    #[arg(long, default_value_t = 100_000)]
    papers: usize,
    /// The data dir to fill (must not hold a store yet).
    #[arg(long)]
    data_dir: PathBuf,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The newest digest day.
    #[arg(long, default_value = "2026-11-20")]
    last_day: String,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let store_dir = hfpapers::store::store_dir(&args.data_dir);
    if store_dir.exists() {
        anyhow::bail!(
            "{} already holds a store; pick an empty --data-dir",
            store_dir.display()
        );
    }
    let last = parse_day(&args.last_day)
        .ok_or_else(|| anyhow::anyhow!("--last-day must be YYYY-MM-DD"))?;
    let store = hfpapers::store::Store::open(&store_dir)?;
    let started = Instant::now();
    let mut next_report = 10_000;
    let report = hfpapers::cli::corpus::generate(&store, args.papers, args.seed, last, |n| {
        if n >= next_report {
            eprintln!("{n} papers…");
            next_report += 10_000;
        }
    })?;
    store.flush()?;
    println!(
        "{} papers over {} days in {:.1} s; raw API JSON {:.1} MB; store at {}",
        report.papers,
        report.days,
        started.elapsed().as_secs_f64(),
        report.raw_json_bytes as f64 / 1e6,
        store_dir.display()
    );
    Ok(())
}
