//! Catch-up against a fake Hugging Face: missing days come back with few
//! requests, an interrupted catch-up resumes without refetching, a flaky
//! service still yields every day, and the HTML pages stand in for a lost
//! JSON API.

use crate::common;

use chrono::Datelike;
use common::fake_hf::{FakeHf, serve};
use hfpapers::domain::model::{Day, parse_day};
use hfpapers::source::Client;
use hfpapers::source::sync::{Range, run};
use hfpapers::store::Store;
use std::sync::atomic::Ordering;

fn d(s: &str) -> Day {
    parse_day(s).unwrap()
}

/// Every weekday of the fake is stored with its papers; weekends are stored empty.
fn assert_all_days_stored(store: &Store, fake: &FakeHf, from: Day, to: Day) {
    for day in from.iter_days().take_while(|x| *x <= to) {
        let record = store
            .day(day)
            .unwrap()
            .unwrap_or_else(|| panic!("{day} was not fetched"));
        let want = fake.days.get(&day).map_or(0, Vec::len);
        assert_eq!(record.ids.len(), want, "{day}");
        if day.weekday().number_from_monday() > 5 {
            assert!(record.ids.is_empty());
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_weeks_behind_catches_up_with_far_fewer_requests_than_days() {
    let (server, fake) = serve(FakeHf::weekdays("2025-09-22", "2025-11-14", 50)).await;
    let dir = common::temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let client = Client::with_config(&server.uri(), None, common::fast()).unwrap();
    // A first sync, back then: the store holds up to 2025-09-26.
    run(
        &client,
        &store,
        Range::Between(d("2025-09-22"), Some(d("2025-09-26"))),
        4,
        &|_| {},
        &|_| {},
    )
    .await
    .unwrap();
    // Pretend the first sync happened when 09-26 was the newest day.
    let before = fake.requests.load(Ordering::SeqCst);

    let progress = std::sync::Mutex::new(Vec::new());
    let report = run(
        &client,
        &store,
        Range::Between(d("2025-09-27"), None),
        4,
        &|_| {},
        &|p| progress.lock().unwrap().push(p),
    )
    .await
    .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_all_days_stored(&store, &fake, d("2025-09-22"), d("2025-11-14"));
    let days = (d("2025-11-14") - d("2025-09-27")).num_days() as usize + 1;
    let requests = fake.requests.load(Ordering::SeqCst) - before;
    // One request per day would be 49 (weekends must be asked for too);
    // month and week requests, paged by 100, need well under two thirds of that.
    assert!(
        requests * 3 < days * 2,
        "{requests} requests for {days} days"
    );
    let last = *progress.lock().unwrap().last().unwrap();
    assert_eq!(last.done, last.total);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_catch_up_resumes_without_refetching_finished_days() {
    let (server, fake) = serve(FakeHf::weekdays("2025-10-01", "2025-10-31", 20)).await;
    let dir = common::temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let client = Client::with_config(&server.uri(), None, common::fast()).unwrap();
    // The first run got as far as 10-17 before it was killed.
    run(
        &client,
        &store,
        Range::Between(d("2025-10-01"), Some(d("2025-10-17"))),
        4,
        &|_| {},
        &|_| {},
    )
    .await
    .unwrap();
    let stored_before: Vec<_> = store.fetched_days().unwrap();
    assert!(
        stored_before
            .iter()
            .all(|(day, _)| *day <= d("2025-10-17") || *day == d("2025-10-31"))
    );

    let report = run(
        &client,
        &store,
        Range::Between(d("2025-10-01"), None),
        4,
        &|_| {},
        &|_| {},
    )
    .await
    .unwrap();
    let refetched: Vec<Day> = report
        .days
        .iter()
        .map(|s| s.day)
        .filter(|day| *day <= d("2025-10-17"))
        .collect();
    assert!(
        refetched.is_empty(),
        "finished days fetched again: {refetched:?}"
    );
    assert_all_days_stored(&store, &fake, d("2025-10-01"), d("2025-10-31"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flaky_rate_limiting_service_still_yields_every_day() {
    let fake = FakeHf {
        fail_first: true,
        rate_limit_every: 9,
        ..FakeHf::weekdays("2025-10-06", "2025-10-24", 30)
    };
    let (server, fake) = serve(fake).await;
    let dir = common::temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let client = Client::with_config(&server.uri(), None, common::fast()).unwrap();
    let report = run(
        &client,
        &store,
        Range::Between(d("2025-10-06"), None),
        4,
        &|_| {},
        &|_| {},
    )
    .await
    .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_all_days_stored(&store, &fake, d("2025-10-06"), d("2025-10-24"));
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_json_api_gone_the_html_pages_still_bring_the_digest() {
    let fake = FakeHf {
        json_gone: true,
        ..FakeHf::weekdays("2025-10-06", "2025-10-17", 10)
    };
    let (server, fake) = serve(fake).await;
    let dir = common::temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let client = Client::with_config(&server.uri(), None, common::fast()).unwrap();
    let report = run(
        &client,
        &store,
        Range::Between(d("2025-10-06"), None),
        4,
        &|_| {},
        &|_| {},
    )
    .await
    .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.latest, Some(d("2025-10-17")));
    assert_all_days_stored(&store, &fake, d("2025-10-06"), d("2025-10-17"));
}

#[tokio::test(flavor = "multi_thread")]
async fn days_after_the_latest_published_one_are_never_remembered_as_empty() {
    let (server, _fake) = serve(FakeHf::weekdays("2025-10-06", "2025-10-10", 5)).await;
    let dir = common::temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let client = Client::with_config(&server.uri(), None, common::fast()).unwrap();
    run(
        &client,
        &store,
        Range::Between(d("2025-10-06"), Some(d("2025-10-20"))),
        4,
        &|_| {},
        &|_| {},
    )
    .await
    .unwrap();
    assert!(store.day(d("2025-10-11")).unwrap().is_none());
    assert!(store.day(d("2025-10-13")).unwrap().is_none());
}
