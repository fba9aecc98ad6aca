//! The sled store on a temporary directory: re-fetches keep user state,
//! reopening keeps everything, a second opener is refused.

use crate::common;

use hfpapers::domain::model::{Mark, PaperId, UserState, parse_day};
use hfpapers::domain::parse::parse_daily;
use hfpapers::source::FetchedDay;
use hfpapers::store::{Direction, Store, StoreError};

fn fetched(day: &str, items: Vec<serde_json::Value>) -> FetchedDay {
    let body = serde_json::to_vec(&items).unwrap();
    FetchedDay::new(parse_day(day).unwrap(), parse_daily(&body).unwrap().papers)
}

/// A mark through the one path that changes user state: log, then store.
fn mark(
    store: &Store,
    dir: &std::path::Path,
    id: &PaperId,
    m: &Mark,
) -> Result<Option<bool>, hfpapers::store::userstate::StateError> {
    let log = hfpapers::store::changelog::ChangeLog::open(&dir.join("data")).unwrap();
    hfpapers::store::userstate::mark(store, &log, id, m).map(|m| m.map(|(changed, _)| changed))
}

fn id(s: &str) -> PaperId {
    PaperId(s.into())
}

#[test]
fn refetching_a_day_updates_counts_but_keeps_read_and_starred() {
    let dir = common::temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let first = store
        .save_day(&fetched(
            "2025-09-10",
            common::items("2509", 3, "2025-09-10"),
        ))
        .unwrap();
    assert_eq!((first.papers, first.new), (3, 3));
    mark(&store, dir.path(), &id("2509.00001"), &Mark::Star).unwrap();
    mark(&store, dir.path(), &id("2509.00001"), &Mark::Read).unwrap();

    let mut again = common::items("2509", 3, "2025-09-10");
    again[1]["paper"]["upvotes"] = 999.into();
    let second = store.save_day(&fetched("2025-09-10", again)).unwrap();
    assert_eq!((second.papers, second.new), (3, 0));

    let state = store.state(&id("2509.00001")).unwrap();
    assert!(state.starred && state.read);
    assert!(state.updated_at.is_some());
    assert_eq!(
        store.paper(&id("2509.00001")).unwrap().unwrap().upvotes,
        999
    );
}

#[test]
fn reopening_the_store_keeps_papers_days_and_state() {
    let dir = common::temp_dir();
    {
        let store = Store::open(dir.path()).unwrap();
        store
            .save_day(&fetched(
                "2025-09-10",
                common::items("2509", 5, "2025-09-10"),
            ))
            .unwrap();
        mark(&store, dir.path(), &id("2509.00004"), &Mark::Star).unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    let entries = store.day_entries(parse_day("2025-09-10").unwrap()).unwrap();
    assert_eq!(entries.len(), 5);
    assert_eq!(
        entries.iter().map(|e| e.row.rank).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    assert!(entries[4].state.starred);
    assert!(!entries[0].state.starred);
    assert!(store.last_sync().unwrap().is_some());
    assert_eq!(
        store.paper(&id("2509.00002")).unwrap().unwrap().summary,
        "Abstract of Paper 2 of 2025-09-10."
    );
}

#[test]
fn a_second_opener_is_refused_with_a_message_naming_the_dir() {
    let dir = common::temp_dir();
    let _first = Store::open(dir.path()).unwrap();
    let err = Store::open(dir.path())
        .err()
        .expect("second open must fail");
    assert!(matches!(err, StoreError::Locked(_)), "{err:?}");
    assert!(err.to_string().contains(&dir.path().display().to_string()));
    assert!(err.to_string().contains("another hfpapers"));
}

#[test]
fn day_navigation_skips_days_without_papers() {
    let dir = common::temp_dir();
    let store = Store::open(dir.path()).unwrap();
    store
        .save_day(&fetched(
            "2025-09-12",
            common::items("2508", 2, "2025-09-12"),
        ))
        .unwrap();
    store.save_day(&fetched("2025-09-13", vec![])).unwrap();
    store.save_day(&fetched("2025-09-14", vec![])).unwrap();
    store
        .save_day(&fetched(
            "2025-09-15",
            common::items("2509", 2, "2025-09-15"),
        ))
        .unwrap();
    let d = |s| parse_day(s).unwrap();
    assert_eq!(store.latest_day().unwrap(), Some(d("2025-09-15")));
    assert_eq!(
        store
            .step_day(Some(d("2025-09-15")), Direction::Back)
            .unwrap(),
        Some(d("2025-09-12"))
    );
    assert_eq!(
        store
            .step_day(Some(d("2025-09-12")), Direction::Forward)
            .unwrap(),
        Some(d("2025-09-15"))
    );
    assert_eq!(
        store
            .step_day(Some(d("2025-09-12")), Direction::Back)
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .step_day(Some(d("2025-09-15")), Direction::Forward)
            .unwrap(),
        None
    );
    // An empty day is remembered as fetched, with no papers.
    assert!(store.day(d("2025-09-13")).unwrap().unwrap().ids.is_empty());
}

#[test]
fn marking_an_unknown_paper_changes_nothing_and_says_so() {
    let dir = common::temp_dir();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(
        mark(&store, dir.path(), &id("0000.00000"), &Mark::Star).unwrap(),
        None
    );
    assert_eq!(
        store.state(&id("0000.00000")).unwrap(),
        UserState::default()
    );
}

/// A partial record of paper 2509.00001 as one source brings it: which
/// optional fields it carries is drawn at random.
fn partial() -> impl proptest::strategy::Strategy<Value = (bool, hfpapers::domain::model::Paper)> {
    use proptest::prelude::*;
    let word = || proptest::option::of("[a-z]{1,6}");
    (
        any::<bool>(),
        (word(), word(), word(), word(), word()),
        (word(), word(), word()),
        (
            proptest::option::of(1u64..500),
            proptest::option::of(1u64..50),
        ),
        (
            proptest::option::of(0u64..99),
            proptest::option::of(0u64..99),
        ),
    )
        .prop_map(
            |(
                is_list,
                (title, summary, thumb, by, org),
                (repo, page, kw),
                (up, com),
                (stars, models),
            )| {
                let p = hfpapers::domain::model::Paper {
                    id: id("2509.00001"),
                    title: title.unwrap_or_default(),
                    summary: summary.unwrap_or_default(),
                    thumbnail: thumb.map(|t| format!("https://huggingface.co/{t}.png")),
                    submitted_by: by,
                    organization: org,
                    github_repo: repo.map(|r| format!("https://github.com/x/{r}")),
                    project_page: page.map(|r| format!("https://{r}.io")),
                    ai_keywords: kw.into_iter().collect(),
                    upvotes: up.unwrap_or(0),
                    comments: com.unwrap_or(0),
                    github_stars: stars,
                    linked_models: models,
                    submitted_on_daily_at: Some("2025-09-10T00:00:00.000Z".into()),
                    ..Default::default()
                };
                (is_list, p)
            },
        )
}

/// The rule written out field by field, independently of the store's
/// code: the last value any source brought.
fn model(want: &mut hfpapers::domain::model::Paper, p: &hfpapers::domain::model::Paper) {
    fn last<T: Clone>(want: &mut Option<T>, p: Option<&T>) {
        if let Some(v) = p {
            *want = Some(v.clone());
        }
    }
    if !p.title.is_empty() {
        want.title.clone_from(&p.title);
    }
    if !p.summary.is_empty() {
        want.summary.clone_from(&p.summary);
    }
    if !p.ai_keywords.is_empty() {
        want.ai_keywords.clone_from(&p.ai_keywords);
    }
    if p.upvotes > 0 {
        want.upvotes = p.upvotes;
    }
    if p.comments > 0 {
        want.comments = p.comments;
    }
    last(&mut want.thumbnail, p.thumbnail.as_ref());
    last(&mut want.submitted_by, p.submitted_by.as_ref());
    last(&mut want.organization, p.organization.as_ref());
    last(&mut want.github_repo, p.github_repo.as_ref());
    last(&mut want.project_page, p.project_page.as_ref());
    last(&mut want.github_stars, p.github_stars.as_ref());
    last(&mut want.linked_models, p.linked_models.as_ref());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// Day lists and the details endpoint each bring part of a paper; the
    /// stored record keeps every field any of them brought, the newest
    /// value of each, whatever the order.
    #[test]
    fn no_field_any_source_brought_is_lost_and_the_newest_wins(
        sources in proptest::collection::vec(partial(), 1..8),
    ) {
        let dir = common::temp_dir();
        let store = Store::open(&dir.path().join("store")).unwrap();
        let day = parse_day("2025-09-10").unwrap();
        let mut want = hfpapers::domain::model::Paper::default();
        for (i, (is_list, p)) in sources.iter().enumerate() {
            if *is_list || i == 0 {
                store.save_day(&FetchedDay::new(day, vec![p.clone()])).unwrap();
            } else {
                store.save_details(p).unwrap();
            }
            model(&mut want, p);
        }
        let got = store.paper(&id("2509.00001")).unwrap().unwrap();
        // The row lists and filters read says what the paper says.
        let row = store.row(&id("2509.00001")).unwrap().unwrap();
        proptest::prop_assert_eq!(&row.organization, &got.organization);
        proptest::prop_assert_eq!(&row.submitter, &got.submitter);
        proptest::prop_assert_eq!(row.upvotes, got.upvotes);
        proptest::prop_assert_eq!(row.has_code, got.github_repo.is_some());
        for (name, got, want) in [
            ("title", &got.title, &want.title),
            ("summary", &got.summary, &want.summary),
        ] {
            proptest::prop_assert_eq!(got, want, "{}", name);
        }
        proptest::prop_assert_eq!(&got.thumbnail, &want.thumbnail);
        proptest::prop_assert_eq!(&got.submitted_by, &want.submitted_by);
        proptest::prop_assert_eq!(&got.organization, &want.organization);
        proptest::prop_assert_eq!(&got.github_repo, &want.github_repo);
        proptest::prop_assert_eq!(&got.project_page, &want.project_page);
        proptest::prop_assert_eq!(&got.ai_keywords, &want.ai_keywords);
        proptest::prop_assert_eq!(got.upvotes, want.upvotes);
        proptest::prop_assert_eq!(got.comments, want.comments);
        proptest::prop_assert_eq!(got.github_stars, want.github_stars);
        proptest::prop_assert_eq!(got.linked_models, want.linked_models);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn fetching_a_papers_details_keeps_its_picture_and_submitter_from_the_list() {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let mut item = common::item("2509.00001", "Pictured", 5, "2025-09-10");
    item["thumbnail"] = serde_json::json!(format!("{}/thumb.png", server.uri()));
    item["submittedBy"] = serde_json::json!({"name": "akhaliq", "fullname": "AK"});
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([item])))
        .mount(&server)
        .await;
    Mock::given(path("/api/papers/2509.00001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "2509.00001", "title": "Pictured", "upvotes": 9,
            "githubRepo": "https://github.com/x/y", "numTotalModels": 2
        })))
        .mount(&server)
        .await;
    let data = common::temp_dir();
    let uri = server.uri();
    let run = |args: &'static [&'static str]| crate::run::cli(&uri, data.path(), args);
    assert!(
        run(&["sync", "--date", "2025-09-10"])
            .await
            .status
            .success()
    );
    let shown = |o: std::process::Output| -> serde_json::Value {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let before = shown(run(&["show", "2509.00001", "--json"]).await);
    assert!(
        before["thumbnail"]
            .as_str()
            .is_some_and(|t| t.ends_with("/thumb.png")),
        "{before}"
    );
    let after = shown(run(&["show", "2509.00001", "--json", "--refresh"]).await);
    assert_eq!(after["thumbnail"], before["thumbnail"], "{after}");
    assert_eq!(after["submitted_by"], before["submitted_by"], "{after}");
    assert_eq!(after["upvotes"], 9, "the newest count wins");
    assert_eq!(after["linked_models"], 2);
    assert_eq!(
        after["comments"], before["comments"],
        "details carry no comment count"
    );
}
