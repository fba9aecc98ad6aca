//! Catch-up speed: 60 days (about 43 weekdays of 50 papers) against a
//! loopback fake Hugging Face answering every request after 50 ms, with
//! default settings (4 at a time, the polite pacer, week/month requests).
//!
//! `cargo bench --bench catchup`. Prints the requests one catch-up makes.

// A tool for benchmarks and tests: it states its assumptions by unwrapping.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/it/common/mod.rs"]
mod common;

use common::fake_hf::FakeHf;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use hfpapers::domain::model::parse_day;
use hfpapers::source::Client;
use hfpapers::source::sync::{Range, run};
use hfpapers::store::Store;
use std::time::Duration;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

fn catch_up_60_days(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        let fake = FakeHf {
            delay: Some(Duration::from_millis(50)),
            ..FakeHf::weekdays("2025-09-29", "2025-11-28", 50)
        };
        Mock::given(method("GET"))
            .respond_with(fake)
            .mount(&server)
            .await;
        server
    });
    // A store that last synced on 2025-09-30: 58 days missing before the latest (11-28).
    let fresh_store = || {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let client = Client::new(&server.uri(), None).unwrap();
        // Stores 09-30 (and the latest list, as every sync starts with it):
        // the catch-up then fills 10-01..11-27.
        rt.block_on(run(
            &client,
            &store,
            Range::Day(parse_day("2025-09-30").unwrap()),
            4,
            &|_| {},
            &|_| {},
        ))
        .unwrap();
        (dir, store)
    };
    {
        let (_dir, store) = fresh_store();
        let client = Client::new(&server.uri(), None).unwrap();
        let started = std::time::Instant::now();
        let report = rt
            .block_on(run(&client, &store, Range::CatchUp, 4, &|_| {}, &|_| {}))
            .unwrap();
        eprintln!(
            "catch-up: {} days stored, {} papers, {} requests, {} failed, {:.2} s",
            report.days.len(),
            report.papers(),
            report.requests,
            report.failed.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let mut group = c.benchmark_group("catchup");
    group.sample_size(10);
    group.bench_function("60_days_50ms_latency", |b| {
        b.iter_batched(
            fresh_store,
            |(_dir, store)| {
                let client = Client::new(&server.uri(), None).unwrap();
                rt.block_on(run(&client, &store, Range::CatchUp, 4, &|_| {}, &|_| {}))
                    .unwrap()
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, catch_up_60_days);
criterion_main!(benches);
