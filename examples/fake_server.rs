//! A fake Hugging Face on 127.0.0.1, to try the reader and catch-up
//! without the network:
//!
//! ```sh
//! cargo run --example fake_server -- --port 8765 --from 2025-10-01 --to 2025-11-14
//! HF_ENDPOINT=http://127.0.0.1:8765 cargo run --release
//! ```
//!
//! It serves `/api/daily_papers` (date, week, month, latest; paged) and the
//! HTML day pages, 50 papers per weekday. `--flaky` fails the first attempt
//! of every request and rate-limits every 9th; `--json-gone` leaves only
//! the HTML pages; `--latency-ms` delays every answer. `/api/papers/{id}`
//! answers too, with code and 2 models under `--released`.

// A tool for benchmarks and tests: it states its assumptions by unwrapping.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/it/common/mod.rs"]
mod common;

use clap::Parser;
use common::fake_hf::FakeHf;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 8765)]
    port: u16,
    #[arg(long, default_value = "2025-10-01")]
    from: String,
    #[arg(long, default_value = "2025-11-14")]
    to: String,
    #[arg(long, default_value_t = 50)]
    per_day: usize,
    #[arg(long)]
    flaky: bool,
    #[arg(long)]
    json_gone: bool,
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// `/api/papers/{id}` shows every paper with code and 2 models (the
    /// watch on starred papers then has news).
    #[arg(long)]
    released: bool,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let listener = std::net::TcpListener::bind(("127.0.0.1", args.port)).expect("port free");
    let server = MockServer::builder().listener(listener).start().await;
    let fake = FakeHf {
        fail_first: args.flaky,
        rate_limit_every: if args.flaky { 9 } else { 0 },
        json_gone: args.json_gone,
        released: args.released,
        delay: (args.latency_ms > 0).then(|| std::time::Duration::from_millis(args.latency_ms)),
        ..FakeHf::weekdays(&args.from, &args.to, args.per_day)
    };
    Mock::given(method("GET"))
        .respond_with(fake)
        .mount(&server)
        .await;
    println!("fake Hugging Face at {} (Ctrl-C to stop)", server.uri());
    tokio::signal::ctrl_c().await.expect("signal");
}
