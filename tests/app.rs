//! The pure state machine: actions in, state and effects out.

mod common;

use hfpapers::app::{Action, AppState, Effect, FetchResult, FetchTarget, Net, Screen, update};
use hfpapers::model::{Entry, PaperId, Row, UserState, parse_day};
use hfpapers::store::Direction;

fn entries(n: usize) -> Vec<Entry> {
    (0..n)
        .map(|i| Entry {
            row: Row {
                id: PaperId(format!("2509.{i:05}")),
                day: parse_day("2025-09-10"),
                rank: i as u32 + 1,
                title: format!("Paper {i}"),
                upvotes: 10,
                comments: 1,
            },
            state: UserState::default(),
        })
        .collect()
}

fn loaded(n: usize, sample: bool) -> AppState {
    let mut s = AppState::new(Net::Online, None, true);
    update(
        &mut s,
        Action::DayLoaded {
            day: parse_day("2025-09-10").unwrap(),
            entries: entries(n),
            sample,
        },
    );
    s
}

#[test]
fn opening_a_paper_marks_it_read_saves_that_and_loads_its_detail() {
    let mut s = loaded(3, false);
    update(&mut s, Action::MoveDown);
    let effects = update(&mut s, Action::OpenDetail);
    let id = PaperId("2509.00001".into());
    assert!(s.entries[1].state.read);
    assert_eq!(
        effects,
        [
            Effect::SaveState(id.clone(), s.entries[1].state.clone()),
            Effect::LoadDetail(id)
        ]
    );
}

#[test]
fn star_toggles_and_is_saved_each_time() {
    let mut s = loaded(2, false);
    let on = update(&mut s, Action::ToggleStar);
    assert!(s.entries[0].state.starred);
    assert!(matches!(&on[..], [Effect::SaveState(_, st)] if st.starred));
    let off = update(&mut s, Action::ToggleStar);
    assert!(!s.entries[0].state.starred);
    assert!(matches!(&off[..], [Effect::SaveState(_, st)] if !st.starred));
}

#[test]
fn the_sample_digest_never_asks_to_save_anything() {
    let mut s = loaded(2, true);
    assert!(update(&mut s, Action::ToggleStar).is_empty());
    assert!(s.entries[0].state.starred);
    assert!(s.message.as_deref().unwrap().contains("not saved"));
    let effects = update(&mut s, Action::OpenDetail);
    assert_eq!(effects, [Effect::LoadDetail(PaperId("2509.00000".into()))]);
}

#[test]
fn the_cursor_stays_within_the_list_and_pages_by_the_visible_rows() {
    let mut s = loaded(30, false);
    update(
        &mut s,
        Action::Viewport {
            list_rows: 10,
            detail_max_scroll: 0,
        },
    );
    update(&mut s, Action::MoveUp);
    assert_eq!(s.selected, 0);
    update(&mut s, Action::PageDown);
    assert_eq!(s.selected, 9);
    update(&mut s, Action::SelectLast);
    assert_eq!(s.selected, 29);
    assert_eq!(s.list_offset, 20, "the selection stays on screen");
    update(&mut s, Action::MoveDown);
    assert_eq!(s.selected, 29);
    update(&mut s, Action::SelectFirst);
    assert_eq!((s.selected, s.list_offset), (0, 0));
}

#[test]
fn help_swallows_keys_until_closed() {
    let mut s = loaded(3, false);
    update(&mut s, Action::ToggleHelp);
    assert!(s.help);
    assert!(update(&mut s, Action::ToggleStar).is_empty());
    assert!(!s.entries[0].state.starred);
    update(&mut s, Action::Back);
    assert!(!s.help);
    assert!(!s.quit);
}

#[test]
fn reloading_the_same_day_keeps_the_selected_paper() {
    let mut s = loaded(5, false);
    update(&mut s, Action::MoveDown);
    update(&mut s, Action::MoveDown);
    let mut reordered = entries(5);
    reordered.reverse();
    update(
        &mut s,
        Action::DayLoaded {
            day: parse_day("2025-09-10").unwrap(),
            entries: reordered,
            sample: false,
        },
    );
    assert_eq!(s.selected_entry().unwrap().row.id.as_str(), "2509.00002");
}

#[test]
fn a_successful_fetch_replaces_the_sample_with_the_real_day() {
    let mut s = loaded(3, true);
    s.syncing = 1;
    let day = parse_day("2025-09-12").unwrap();
    let effects = update(
        &mut s,
        Action::Fetched {
            target: FetchTarget::Latest,
            result: FetchResult::Stored {
                day,
                papers: 40,
                new: 40,
            },
        },
    );
    assert_eq!(effects, [Effect::LoadDay(day)]);
    assert_eq!((s.net, s.syncing), (Net::Online, 0));
    assert!(s.last_sync.is_some());
}

#[test]
fn a_newer_latest_day_is_followed_until_the_user_picks_a_day() {
    let mut s = loaded(3, false);
    let newer = parse_day("2025-09-11").unwrap();
    let stored = FetchResult::Stored {
        day: newer,
        papers: 4,
        new: 4,
    };
    let effects = update(
        &mut s,
        Action::Fetched {
            target: FetchTarget::Latest,
            result: stored.clone(),
        },
    );
    assert_eq!(effects, [Effect::LoadDay(newer)]);

    let mut s = loaded(3, false);
    let step = update(&mut s, Action::PrevDay);
    assert!(matches!(
        step[..],
        [Effect::StepDay {
            dir: Direction::Back,
            ..
        }]
    ));
    let effects = update(
        &mut s,
        Action::Fetched {
            target: FetchTarget::Latest,
            result: stored,
        },
    );
    assert!(effects.is_empty(), "the user chose a day; stay on it");
}

#[test]
fn a_network_failure_means_offline_and_a_service_failure_is_reported() {
    let mut s = loaded(3, false);
    update(
        &mut s,
        Action::Fetched {
            target: FetchTarget::Latest,
            result: FetchResult::Failed {
                offline: true,
                message: "refused".into(),
            },
        },
    );
    assert_eq!(s.net, Net::Offline);
    assert_eq!(s.message.as_deref(), Some("offline: showing stored papers"));
    update(
        &mut s,
        Action::Fetched {
            target: FetchTarget::Latest,
            result: FetchResult::Failed {
                offline: false,
                message: "HTTP 500".into(),
            },
        },
    );
    assert_eq!(s.message.as_deref(), Some("fetch failed: HTTP 500"));
}

#[test]
fn escape_leaves_the_detail_and_detail_keys_scroll_within_bounds() {
    let mut s = loaded(3, false);
    update(&mut s, Action::OpenDetail);
    let paper = hfpapers::model::Paper {
        id: PaperId("2509.00000".into()),
        ..Default::default()
    };
    update(&mut s, Action::DetailLoaded(Box::new(paper)));
    assert_eq!(s.screen, Screen::Detail);
    update(
        &mut s,
        Action::Viewport {
            list_rows: 10,
            detail_max_scroll: 4,
        },
    );
    for _ in 0..10 {
        update(&mut s, Action::MoveDown);
    }
    assert_eq!(s.detail_scroll, 4);
    assert_eq!(
        s.selected, 0,
        "moving in the detail scrolls, it does not change paper"
    );
    update(&mut s, Action::Back);
    assert_eq!(s.screen, Screen::List);
}

#[test]
fn day_keys_on_the_sample_explain_instead_of_moving() {
    let mut s = loaded(3, true);
    assert!(update(&mut s, Action::NextDay).is_empty());
    assert!(s.message.is_some());
}
