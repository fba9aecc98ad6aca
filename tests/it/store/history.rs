//! Popularity history: every refetch of a day keeps each paper's upvotes,
//! comments and GitHub stars when they changed; `sort:rising` orders by
//! upvotes gained in the last 24 hours; `show --json` has the points.

use crate::common;
use serde_json::json;
use std::path::Path;
use std::process::Output;
use wiremock::matchers::{path, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn hfpapers(endpoint: &str, data: &Path, args: &[&str]) -> Output {
    crate::run::cli(endpoint, data, args).await
}

/// The latest list: paper A and paper B of one day with these upvotes.
async fn serve(server: &MockServer, a: u64, b: u64) {
    server.reset().await;
    let items = json!([
        common::item("2509.00001", "Paper A", a, "2025-09-10"),
        common::item("2509.00002", "Paper B", b, "2025-09-10"),
    ]);
    Mock::given(path("/api/daily_papers"))
        .and(query_param_is_missing("date"))
        .respond_with(ResponseTemplate::new(200).set_body_json(items))
        .mount(server)
        .await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .with_priority(10)
        .mount(server)
        .await;
}

/// One sync per pair of upvotes (paper A's, paper B's), each succeeding.
async fn sync_with(server: &MockServer, data: &Path, upvotes: &[(u64, u64)]) {
    for (a, b) in upvotes {
        serve(server, *a, *b).await;
        let out = hfpapers(&server.uri(), data, &["sync"]).await;
        assert!(out.status.success(), "{out:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_syncs_with_changed_upvotes_give_two_points_and_rising_puts_the_climber_first() {
    let server = MockServer::start().await;
    let data = common::temp_dir();
    let uri = server.uri();
    // The same figures twice (no new point), then new ones.
    sync_with(&server, data.path(), &[(10, 50), (10, 50), (40, 52)]).await;

    let out = hfpapers(&uri, data.path(), &["show", "2509.00001", "--json"]).await;
    assert!(out.status.success(), "{out:?}");
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let history = shown["history"].as_array().unwrap();
    let upvotes: Vec<u64> = history
        .iter()
        .map(|p| p["upvotes"].as_u64().unwrap())
        .collect();
    assert_eq!(upvotes, [10, 40], "{shown}");
    assert!(
        history
            .iter()
            .all(|p| p["t"].as_i64().is_some() && p["comments"] == 1)
    );

    // By upvotes B leads; by what was gained A does.
    let by = |sort: &'static str| {
        let (uri, dir) = (uri.clone(), data.path().to_path_buf());
        async move {
            let out = hfpapers(&uri, &dir, &["list", sort]).await;
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(|l| l.split('\t').next().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(by("sort:upvotes").await, ["2509.00002", "2509.00001"]);
    assert_eq!(by("sort:rising").await, ["2509.00001", "2509.00002"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_paper_view_draws_the_points_two_syncs_kept_as_a_sparkline() {
    use hfpapers::app::{Action, AppState, Command, Net, Outcome, update};
    let server = MockServer::start().await;
    let data = common::temp_dir();
    sync_with(&server, data.path(), &[(10, 50), (40, 52)]).await;
    let store = hfpapers::store::Store::open(&hfpapers::store::store_dir(data.path())).unwrap();
    let day = hfpapers::domain::model::parse_day("2025-09-10").unwrap();
    let mut s = AppState::new(Net::Offline, None, true);
    update(
        &mut s,
        Action::Done(Outcome::DayLoaded {
            day,
            entries: store.day_entries(day).unwrap(),
            sample: false,
        }),
    );
    let a = hfpapers::domain::model::PaperId("2509.00001".into());
    s.list.selected = s.list.entries.position(&a).unwrap();
    update(&mut s, Action::Command(Command::OpenDetail));
    let paper = store.paper(&a).unwrap().unwrap();
    assert_eq!(paper.history.len(), 2);
    update(&mut s, Action::Done(Outcome::DetailLoaded(Box::new(paper))));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    terminal
        .draw(|f| {
            hfpapers::ui::render(f, &s, &hfpapers::ui::look::Look::default());
        })
        .unwrap();
    let screen = terminal.backend().to_string();
    // Both points are today's: one day, one bar; +30 within a day.
    assert!(
        screen.contains("Upvotes      ▁ +30 since yesterday"),
        "{screen}"
    );
}
