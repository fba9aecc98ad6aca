//! The HTTP source against wiremock: paging, empty days, error bodies,
//! malformed JSON, the latest list, headers.

use crate::common;

use common::items;
use hfpapers::domain::model::parse_day;
use hfpapers::source::{Client, FetchError};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn day(s: &str) -> hfpapers::domain::model::Day {
    parse_day(s).unwrap()
}

#[tokio::test]
async fn a_day_is_paged_until_a_short_page() {
    let server = MockServer::start().await;
    let all = items("2509", 130, "2025-09-10");
    Mock::given(method("GET"))
        .and(path("/api/daily_papers"))
        .and(query_param("date", "2025-09-10"))
        .and(query_param("limit", "100"))
        .and(query_param("p", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&all[..100]))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/daily_papers"))
        .and(query_param("p", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&all[100..]))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), None).unwrap();
    let fetched = client.day(day("2025-09-10")).await.unwrap();
    assert_eq!(fetched.day, day("2025-09-10"));
    assert_eq!(fetched.papers.len(), 130);
    // Digest order: most upvoted first.
    assert_eq!(fetched.papers[0].id.as_str(), "2509.00000");
    assert!(
        fetched
            .papers
            .windows(2)
            .all(|w| w[0].upvotes >= w[1].upvotes)
    );
}

#[tokio::test]
async fn an_empty_day_is_ok_with_no_papers_after_one_request() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), None).unwrap();
    let fetched = client.day(day("2025-09-13")).await.unwrap();
    assert!(fetched.papers.is_empty());
}

#[tokio::test]
async fn a_400_with_an_error_body_reports_the_services_message() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"error": "Invalid date \u{2716}"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), None).unwrap();
    let err = client.day(day("2025-09-10")).await.unwrap_err();
    match &err {
        FetchError::Status {
            status, message, ..
        } => {
            assert_eq!(*status, 400);
            assert_eq!(message, "Invalid date ✖");
        }
        other => panic!("expected a status error, got {other:?}"),
    }
    assert!(!err.is_offline());
    assert!(
        err.to_string().contains("HTTP 400: Invalid date ✖"),
        "{err}"
    );
}

#[tokio::test]
async fn a_404_without_json_is_a_status_error_after_the_html_page_fails_too() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>not here</html>"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), None).unwrap();
    let err = client.day(day("2025-09-10")).await.unwrap_err();
    let FetchError::Fallback { json, .. } = &err else {
        panic!("expected the JSON error and the page's, got {err:?}");
    };
    assert!(
        matches!(**json, FetchError::Status { status: 404, .. }),
        "{json:?}"
    );
    assert!(err.to_string().contains("404: Not Found"), "{err}");
    assert!(
        err.to_string()
            .contains("the HTML page did not help either"),
        "{err}"
    );
}

#[tokio::test]
async fn malformed_json_is_a_parse_error_naming_the_url() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[{\"paper\": {\"id\": "))
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), None).unwrap();
    let err = client.day(day("2025-09-10")).await.unwrap_err();
    let FetchError::Fallback { json, .. } = &err else {
        panic!("expected the JSON error and the page's, got {err:?}");
    };
    assert!(matches!(**json, FetchError::Parse { .. }), "{json:?}");
    assert!(
        err.to_string()
            .contains("/api/daily_papers?date=2025-09-10"),
        "{err}"
    );
}

#[tokio::test]
async fn the_latest_list_takes_its_day_from_submitted_on_daily_at() {
    let server = MockServer::start().await;
    let mut list = items("2509", 3, "2025-09-12");
    // A straggler from an earlier list does not decide the day, and is left out.
    list.push(common::item("2509.99999", "Straggler", 500, "2025-09-11"));
    Mock::given(path("/api/daily_papers"))
        .and(query_param_is_missing("date"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), None).unwrap();
    let fetched = client.latest().await.unwrap();
    assert_eq!(fetched.day, day("2025-09-12"));
    assert_eq!(fetched.papers.len(), 3);
}

#[tokio::test]
async fn an_empty_latest_list_is_an_error_not_a_day() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), None).unwrap();
    assert!(matches!(
        client.latest().await,
        Err(FetchError::EmptyLatest { .. })
    ));
}

#[tokio::test]
async fn requests_carry_the_user_agent_and_the_token_when_set() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .and(header("authorization", "Bearer hf_secret"))
        .and(header(
            "user-agent",
            concat!("hfpapers/", env!("CARGO_PKG_VERSION")),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), Some("hf_secret")).unwrap();
    client.day(day("2025-09-10")).await.unwrap();
}

#[tokio::test]
async fn a_refused_connection_counts_as_offline() {
    // Bind then drop a listener: nothing answers on that port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::new(&format!("http://127.0.0.1:{port}"), None).unwrap();
    let err = client.latest().await.unwrap_err();
    assert!(err.is_offline(), "{err:?}");
}

#[test]
fn endpoints_that_are_not_http_urls_are_refused() {
    for bad in ["ftp://example.org", "not a url", "file:///tmp"] {
        assert!(
            matches!(Client::new(bad, None), Err(FetchError::Endpoint(_))),
            "{bad}"
        );
    }
    assert!(Client::new("http://127.0.0.1:1/prefix", None).is_ok());
}
