//! A fetcher that survives the real network: retries, rate limits,
//! conditional requests, broken and stalled servers, the HTML fallback.

use crate::common;

use common::fake_hf::FakeHf;
use hfpapers::domain::model::parse_day;
use hfpapers::source::retry::RetryPolicy;
use hfpapers::source::{Client, ClientConfig, FetchError, ListQuery, Listing};
use hfpapers::store::Store;
use serde_json::json;
use std::io::{Read, Write};
use std::time::{Duration, Instant};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(uri: &str, config: ClientConfig) -> Client {
    Client::with_config(uri, None, config).unwrap()
}

fn day(s: &str) -> hfpapers::domain::model::Day {
    parse_day(s).unwrap()
}

#[tokio::test]
async fn two_503s_then_a_200_succeed_after_three_requests() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(common::items(
            "2509",
            2,
            "2025-09-10",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server.uri(), common::fast());
    let fetched = c.day(day("2025-09-10")).await.unwrap();
    assert_eq!(fetched.papers.len(), 2);
    assert_eq!(c.requests_made(), 3);
}

#[tokio::test]
async fn a_429_with_retry_after_waits_at_least_that_long() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "2"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let c = client(&server.uri(), common::fast());
    let started = Instant::now();
    c.day(day("2025-09-13")).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(2), "retried after {waited:?}");
    assert!(
        waited < Duration::from_secs(4),
        "waited far longer than asked: {waited:?}"
    );
}

#[tokio::test]
async fn a_404_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server.uri(), common::fast());
    let err = c
        .list(ListQuery::Week(day("2025-09-15")), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::Status { status: 404, .. }),
        "{err:?}"
    );
    assert_eq!(c.requests_made(), 1);
}

#[tokio::test]
async fn a_400_is_not_retried_and_does_not_try_the_html_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "Invalid date"})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server.uri(), common::fast());
    assert!(c.day(day("2025-09-10")).await.is_err());
}

#[tokio::test]
async fn a_304_leaves_the_store_unchanged() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .and(header("if-none-match", "\"v1\""))
        .respond_with(ResponseTemplate::new(304))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("ETag", "\"v1\"")
                .set_body_json(common::items("2509", 3, "2025-09-10")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let dir = common::temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let c = client(&server.uri(), common::fast());
    let first = hfpapers::source::sync::run(
        &c,
        &store,
        hfpapers::source::sync::Range::CatchUp,
        4,
        &|_| {},
        &|_| {},
    )
    .await
    .unwrap();
    assert_eq!(first.papers(), 3);
    let before = store.day(day("2025-09-10")).unwrap().unwrap().fetched_at;
    let second = hfpapers::source::sync::run(
        &c,
        &store,
        hfpapers::source::sync::Range::CatchUp,
        4,
        &|_| {},
        &|_| {},
    )
    .await
    .unwrap();
    assert!(second.days.is_empty(), "{:?}", second.days);
    assert_eq!(
        store.day(day("2025-09-10")).unwrap().unwrap().fetched_at,
        before
    );
    assert_eq!(store.day_entries(day("2025-09-10")).unwrap().len(), 3);
}

/// A one-shot TCP server: answers every connection with `reply`, then
/// holds the socket open for `hold` (a stall) before closing it.
fn tcp_server(reply: &'static [u8], hold: Duration) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(reply);
                std::thread::sleep(hold);
            });
        }
    });
    format!("http://{addr}")
}

fn short_timeouts() -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(1),
        read_timeout: Duration::from_secs(1),
        total_timeout: Duration::from_secs(2),
        retry: RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        },
        ..ClientConfig::default()
    }
}

#[tokio::test]
async fn a_truncated_body_is_a_typed_error_within_the_timeout() {
    let uri = tcp_server(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n[{\"paper\": {\"id\"",
        Duration::from_millis(100),
    );
    let started = Instant::now();
    let err = client(&uri, short_timeouts())
        .day(day("2025-09-10"))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Truncated { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_stalled_server_is_a_timeout_within_the_timeout_plus_a_second() {
    let uri = tcp_server(b"", Duration::from_secs(10));
    let started = Instant::now();
    let err = client(&uri, short_timeouts())
        .day(day("2025-09-10"))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Timeout { .. }), "{err:?}");
    assert!(err.is_offline());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_html_page_fixture_parses_to_the_same_papers_as_its_json() {
    let html = std::fs::read_to_string(format!(
        "{}/tests/fixtures/daily_page.html",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let json = std::fs::read(format!(
        "{}/tests/fixtures/current.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let island = hfpapers::source::html::parse_page(&html).unwrap();
    assert_eq!(island.day, parse_day("2026-09-02"));
    assert_eq!(
        island.papers,
        hfpapers::domain::parse::parse_daily(&json).unwrap().papers
    );
}

#[tokio::test]
async fn with_the_json_api_gone_the_html_page_brings_the_day() {
    let server = MockServer::start().await;
    let fake = FakeHf {
        json_gone: true,
        ..FakeHf::weekdays("2025-09-08", "2025-09-12", 4)
    };
    Mock::given(method("GET"))
        .respond_with(fake)
        .mount(&server)
        .await;
    let c = client(&server.uri(), common::fast());
    match c
        .list(ListQuery::Day(day("2025-09-10")), None)
        .await
        .unwrap()
    {
        Listing::Fresh { days, via_html, .. } => {
            assert!(via_html);
            assert_eq!(days[0].papers.len(), 4);
            assert_eq!(days[0].papers[0].id.as_str(), "2509.10000");
        }
        Listing::NotModified => panic!("the page was read, not a 304"),
    }
}

#[tokio::test]
async fn a_details_request_brings_linked_counts_and_stars() {
    let server = MockServer::start().await;
    Mock::given(path("/api/papers/2509.00001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "2509.00001", "title": "T", "upvotes": 5, "githubStars": 1200.0,
            "numTotalModels": 3, "numTotalDatasets": 1, "numTotalSpaces": 7})))
        .mount(&server)
        .await;
    let p = client(&server.uri(), common::fast())
        .paper_details(&hfpapers::domain::model::PaperId("2509.00001".into()))
        .await
        .unwrap();
    assert_eq!(
        (
            p.github_stars,
            p.linked_models,
            p.linked_datasets,
            p.linked_spaces
        ),
        (Some(1200), Some(3), Some(1), Some(7))
    );
    assert!(p.details_fetched_at.is_some());
}

#[test]
fn pictures_come_only_over_https_from_hugging_face_hosts_or_from_the_endpoint_itself() {
    let client = hfpapers::source::Client::new("http://127.0.0.1:8765", None).unwrap();
    for (url, allowed) in [
        (
            "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2509.00001.png",
            true,
        ),
        ("https://huggingface.co/x.png", true),
        ("http://cdn-thumbnails.huggingface.co/x.png", false),
        ("https://huggingface.co.evil.example/x.png", false),
        ("https://evil.example/huggingface.co/x.png", false),
        ("http://127.0.0.1:8765/thumbs/a.png", true),
        ("http://127.0.0.1:8766/thumbs/a.png", false),
        ("file:///etc/passwd", false),
        ("not a url", false),
    ] {
        assert_eq!(client.image_url(url).is_some(), allowed, "{url}");
    }
}
