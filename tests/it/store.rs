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
    hfpapers::store::userstate::mark(store, &log, id, m)
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
