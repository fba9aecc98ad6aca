//! For you against upvote order, on simulated readers (see
//! `hfpapers::cli::simulate`): precision@10 and nDCG@10 on the days held out.
//!
//! ```sh
//! cargo run --release --example foryou_sim -- [--readers 10] [--days 250] [--seed 7]
//! ```

// A tool for benchmarks: it states its assumptions by unwrapping.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 10)]
    readers: usize,
    /// Digest days (40 papers each); the last 20% are held out.
    #[arg(long, default_value_t = 250)]
    days: usize,
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

fn main() {
    let args = Args::parse();
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let results =
        hfpapers::cli::simulate::run(dir.path(), args.readers, args.days, args.seed).unwrap();
    println!(
        "| reader | starred | precision@10 For you | precision@10 upvotes | nDCG@10 For you | nDCG@10 upvotes |"
    );
    println!("|---|---|---|---|---|---|");
    for (i, r) in results.iter().enumerate() {
        println!(
            "| {} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
            i + 1,
            r.starred,
            r.precision_foryou,
            r.precision_upvotes,
            r.ndcg_foryou,
            r.ndcg_upvotes
        );
    }
    let n = results.len() as f64;
    let mean = |f: fn(&hfpapers::cli::simulate::ReaderResult) -> f64| {
        results.iter().map(f).sum::<f64>() / n
    };
    let (pf, pu) = (mean(|r| r.precision_foryou), mean(|r| r.precision_upvotes));
    println!(
        "| mean | | **{pf:.3}** | {pu:.3} | **{:.3}** | {:.3} |",
        mean(|r| r.ndcg_foryou),
        mean(|r| r.ndcg_upvotes)
    );
    println!(
        "\nprecision@10, For you / upvotes: {:.2}x ({} readers, {} days, {:.1} s)",
        pf / pu,
        results.len(),
        args.days,
        started.elapsed().as_secs_f64()
    );
}
