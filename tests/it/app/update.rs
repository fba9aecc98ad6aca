//! The pure state machine: actions in, state and effects out.

use chrono::Datelike;
use hfpapers::app::{Action, AppState, DayCell, Effect, Net, Screen, SyncSummary, update};
use hfpapers::app::{Command, Mouse, Outcome};
use hfpapers::domain::model::{Entry, PaperId, Row, UserState, parse_day};
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
                ..Row::default()
            },
            state: UserState::default(),
        })
        .collect()
}

fn loaded(n: usize, sample: bool) -> AppState {
    let mut s = AppState::new(Net::Online, None, true);
    update(
        &mut s,
        Action::Done(Outcome::DayLoaded {
            day: parse_day("2025-09-10").unwrap(),
            entries: entries(n),
            sample,
        }),
    );
    s
}

#[test]
fn opening_a_paper_marks_it_read_saves_that_and_loads_its_detail() {
    let mut s = loaded(3, false);
    update(&mut s, Action::Command(Command::MoveDown));
    let effects = update(&mut s, Action::Command(Command::OpenDetail));
    let id = PaperId("2509.00001".into());
    assert!(s.list.entries.get(1).unwrap().state.read);
    assert_eq!(
        effects,
        [
            Effect::SaveStates {
                changes: vec![(id.clone(), s.list.entries.get(1).unwrap().state.clone())],
                group: "0-1".into(),
                undoes: None
            },
            Effect::LoadDetail(id)
        ]
    );
}

#[test]
fn minus_marks_a_paper_less_like_this_is_saved_and_undone_and_minus_again_takes_it_back() {
    let mut s = loaded(2, false);
    let tags = |s: &AppState| s.list.entries.get(0).unwrap().state.tags.clone();
    let on = update(&mut s, Action::Command(Command::LessLikeThis));
    assert_eq!(tags(&s), ["not-for-me"]);
    assert!(
        matches!(&on[..], [Effect::SaveStates { changes, .. }] if changes[0].1.tags == ["not-for-me"])
    );
    assert!(
        s.message.as_deref().unwrap().starts_with("less like this"),
        "{:?}",
        s.message
    );
    let undone = update(&mut s, Action::Command(Command::Undo));
    // The first `u` of a session reads the log first; then it undoes.
    if undone == [Effect::LoadUndo] {
        update(&mut s, Action::Done(Outcome::UndoLoaded(Vec::new())));
    }
    assert!(tags(&s).is_empty());
    update(&mut s, Action::Command(Command::LessLikeThis));
    let off = update(&mut s, Action::Command(Command::LessLikeThis));
    assert!(tags(&s).is_empty());
    assert!(
        matches!(&off[..], [Effect::SaveStates { changes, .. }] if changes[0].1.tags.is_empty())
    );
    assert_eq!(s.message.as_deref(), Some("no longer less like this"));
}

#[test]
fn star_toggles_and_is_saved_each_time() {
    let mut s = loaded(2, false);
    let on = update(&mut s, Action::Command(Command::ToggleStar));
    assert!(s.list.entries.get(0).unwrap().state.starred);
    assert!(matches!(&on[..], [Effect::SaveStates { changes, .. }] if changes[0].1.starred));
    let off = update(&mut s, Action::Command(Command::ToggleStar));
    assert!(!s.list.entries.get(0).unwrap().state.starred);
    assert!(
        matches!(&off[..], [Effect::SaveStates { changes, undoes: None, .. }] if !changes[0].1.starred)
    );
}

#[test]
fn the_sample_digest_never_asks_to_save_anything() {
    let mut s = loaded(2, true);
    assert!(update(&mut s, Action::Command(Command::ToggleStar)).is_empty());
    assert!(s.list.entries.get(0).unwrap().state.starred);
    assert!(s.message.as_deref().unwrap().contains("not saved"));
    let effects = update(&mut s, Action::Command(Command::OpenDetail));
    assert_eq!(effects, [Effect::LoadDetail(PaperId("2509.00000".into()))]);
}

#[test]
fn the_cursor_stays_within_the_list_and_pages_by_the_visible_rows() {
    let mut s = loaded(30, false);
    update(
        &mut s,
        Action::Done(Outcome::Viewport {
            list_rows: 10,
            detail_max_scroll: 0,
            list_top: 2,
            text_matches: Vec::new(),
        }),
    );
    update(&mut s, Action::Command(Command::MoveUp));
    assert_eq!(s.list.selected, 0);
    update(&mut s, Action::Command(Command::PageDown));
    assert_eq!(s.list.selected, 9);
    update(&mut s, Action::Command(Command::SelectLast));
    assert_eq!(s.list.selected, 29);
    assert_eq!(s.list.offset, 20, "the selection stays on screen");
    update(&mut s, Action::Command(Command::MoveDown));
    assert_eq!(s.list.selected, 29);
    update(&mut s, Action::Command(Command::SelectFirst));
    assert_eq!((s.list.selected, s.list.offset), (0, 0));
}

#[test]
fn help_swallows_keys_until_closed() {
    let mut s = loaded(3, false);
    update(&mut s, Action::Command(Command::ToggleHelp));
    assert!(s.help.shown);
    assert!(update(&mut s, Action::Command(Command::ToggleStar)).is_empty());
    assert!(!s.list.entries.get(0).unwrap().state.starred);
    update(&mut s, Action::Command(Command::Back));
    assert!(!s.help.shown);
    assert!(!s.quit);
}

#[test]
fn reloading_the_same_day_keeps_the_selected_paper() {
    let mut s = loaded(5, false);
    update(&mut s, Action::Command(Command::MoveDown));
    update(&mut s, Action::Command(Command::MoveDown));
    let mut reordered = entries(5);
    reordered.reverse();
    update(
        &mut s,
        Action::Done(Outcome::DayLoaded {
            day: parse_day("2025-09-10").unwrap(),
            entries: reordered,
            sample: false,
        }),
    );
    assert_eq!(s.selected_entry().unwrap().row.id.as_str(), "2509.00002");
}

#[test]
fn a_stored_latest_day_replaces_the_sample_with_the_real_day() {
    let mut s = loaded(3, true);
    s.sync.running = true;
    let day = parse_day("2025-09-12").unwrap();
    let effects = update(
        &mut s,
        Action::Done(Outcome::DayStored {
            day,
            papers: 40,
            new: 40,
            latest: true,
            at: "2025-09-10T12:00:00Z".into(),
        }),
    );
    assert_eq!(effects, [Effect::LoadDay(day)]);
    assert_eq!(s.sync.net, Net::Online);
    assert!(s.sync.last.is_some());
    update(
        &mut s,
        Action::Done(Outcome::SyncFinished(SyncSummary {
            days: 1,
            papers: 40,
            new: 40,
            cached_days: 1,
            ..Default::default()
        })),
    );
    assert!(!s.sync.running);
    assert_eq!(s.message.as_deref(), Some("synced 1 day: 40 new papers"));
}

#[test]
fn a_newer_latest_day_is_followed_until_the_user_picks_a_day() {
    let newer = parse_day("2025-09-11").unwrap();
    let stored = Action::Done(Outcome::DayStored {
        day: newer,
        papers: 4,
        new: 4,
        latest: true,
        at: "2025-09-10T12:00:00Z".into(),
    });
    let mut s = loaded(3, false);
    assert_eq!(update(&mut s, stored.clone()), [Effect::LoadDay(newer)]);

    let mut s = loaded(3, false);
    let step = update(&mut s, Action::Command(Command::PrevDay));
    assert!(matches!(
        step[..],
        [Effect::StepDay {
            dir: Direction::Back,
            ..
        }]
    ));
    assert!(
        update(&mut s, stored).is_empty(),
        "the user chose a day; stay on it"
    );
}

#[test]
fn a_catch_up_of_another_day_does_not_move_the_reader_but_the_shown_day_reloads() {
    let mut s = loaded(3, false);
    let other = Action::Done(Outcome::DayStored {
        day: parse_day("2025-09-01").unwrap(),
        papers: 9,
        new: 9,
        latest: false,
        at: "2025-09-10T12:00:00Z".into(),
    });
    assert!(update(&mut s, other).is_empty());
    let shown = Action::Done(Outcome::DayStored {
        day: parse_day("2025-09-10").unwrap(),
        papers: 3,
        new: 0,
        latest: false,
        at: "2025-09-10T12:00:00Z".into(),
    });
    assert_eq!(
        update(&mut s, shown),
        [Effect::LoadDay(parse_day("2025-09-10").unwrap())]
    );
}

#[test]
fn sync_progress_shows_until_the_sync_ends() {
    let mut s = loaded(3, false);
    update(
        &mut s,
        Action::Done(Outcome::SyncProgress {
            done: 12,
            total: 30,
        }),
    );
    assert_eq!(s.sync.progress, Some((12, 30)));
    update(
        &mut s,
        Action::Done(Outcome::SyncFinished(SyncSummary::default())),
    );
    assert_eq!(s.sync.progress, None);
}

#[test]
fn a_network_failure_means_offline_with_the_cached_day_count() {
    let mut s = loaded(3, false);
    let down = SyncSummary {
        offline: true,
        cached_days: 30,
        failed: vec!["refused".into()],
        ..Default::default()
    };
    update(&mut s, Action::Done(Outcome::SyncFinished(down)));
    assert_eq!(s.sync.net, Net::Offline);
    assert_eq!(s.message.as_deref(), Some("offline — 30 days cached"));
    let partial = SyncSummary {
        days: 5,
        new: 50,
        failed: vec!["week 2025-W40: HTTP 500".into()],
        ..Default::default()
    };
    update(&mut s, Action::Done(Outcome::SyncFinished(partial)));
    assert_eq!(s.sync.net, Net::Online);
    assert_eq!(
        s.message.as_deref(),
        Some("synced 5 days, 50 new papers; 1 request(s) failed: week 2025-W40: HTTP 500")
    );
}

#[test]
fn the_calendar_moves_by_day_and_week_and_opens_a_day() {
    let mut s = loaded(3, false);
    let day = parse_day("2025-09-10").unwrap();
    let cells = day
        .with_day0(0)
        .unwrap()
        .iter_days()
        .take(30)
        .map(|d| {
            let fetched = d == parse_day("2025-09-17").unwrap();
            (
                d,
                if fetched {
                    DayCell::Unread(3)
                } else {
                    DayCell::NotFetched
                },
            )
        })
        .collect();
    update(
        &mut s,
        Action::Done(Outcome::CalendarLoaded(hfpapers::app::calendar_for(
            day, cells,
        ))),
    );
    assert_eq!(s.screen, Screen::Calendar);
    update(&mut s, Action::Command(Command::MoveDown));
    update(&mut s, Action::Command(Command::NextDay));
    assert_eq!(
        s.calendar.as_ref().unwrap().cursor,
        parse_day("2025-09-18").unwrap()
    );
    // Leaving the month asks for the next one.
    assert_eq!(
        update(&mut s, Action::Command(Command::PageDown)),
        [Effect::LoadCalendar(parse_day("2025-10-18"))]
    );
    // A day not fetched yet is fetched (#13: it used to open as empty).
    assert_eq!(
        update(&mut s, Action::Command(Command::OpenDetail)),
        [Effect::FetchDay(parse_day("2025-09-18").unwrap())]
    );
    assert_eq!(s.screen, Screen::List);
    // A fetched day is read from the store.
    update(
        &mut s,
        Action::Done(Outcome::CalendarLoaded(hfpapers::app::calendar_for(
            parse_day("2025-09-17").unwrap(),
            [(parse_day("2025-09-17").unwrap(), DayCell::Unread(3))].into(),
        ))),
    );
    assert_eq!(
        update(&mut s, Action::Command(Command::OpenDetail)),
        [Effect::LoadDay(parse_day("2025-09-17").unwrap())]
    );
}

#[test]
fn escape_leaves_the_detail_and_detail_keys_scroll_within_bounds() {
    let mut s = loaded(3, false);
    update(&mut s, Action::Command(Command::OpenDetail));
    let paper = hfpapers::domain::model::Paper {
        id: PaperId("2509.00000".into()),
        ..Default::default()
    };
    update(&mut s, Action::Done(Outcome::DetailLoaded(Box::new(paper))));
    assert_eq!(s.screen, Screen::Detail);
    update(
        &mut s,
        Action::Done(Outcome::Viewport {
            list_rows: 10,
            detail_max_scroll: 4,
            list_top: 2,
            text_matches: Vec::new(),
        }),
    );
    for _ in 0..10 {
        update(&mut s, Action::Command(Command::MoveDown));
    }
    assert_eq!(s.detail.scroll, 4);
    assert_eq!(
        s.list.selected, 0,
        "moving in the detail scrolls, it does not change paper"
    );
    update(&mut s, Action::Command(Command::Back));
    assert_eq!(s.screen, Screen::List);
}

#[test]
fn day_keys_on_the_sample_explain_instead_of_moving() {
    let mut s = loaded(3, true);
    assert!(update(&mut s, Action::Command(Command::NextDay)).is_empty());
    assert!(s.message.is_some());
}

#[test]
fn the_link_picker_opens_or_copies_by_number() {
    use hfpapers::app::{InputKey, PromptKind};
    use hfpapers::domain::model::Link;
    let mut s = loaded(3, false);
    assert_eq!(
        update(&mut s, Action::Command(Command::OpenLinks)),
        [Effect::LoadLinks(PaperId("2509.00000".into()))]
    );
    let links = vec![
        Link {
            label: "HF page",
            url: "https://huggingface.co/papers/2509.00000".into(),
        },
        Link {
            label: "arXiv",
            url: "https://arxiv.org/abs/2509.00000".into(),
        },
    ];
    update(&mut s, Action::Done(Outcome::LinksLoaded(links.clone())));
    assert!(matches!(&s.prompt.as_ref().unwrap().kind, PromptKind::Links(l) if l.len() == 2));
    assert_eq!(
        update(&mut s, Action::Input(InputKey::Char('2'))),
        [Effect::OpenUrl("https://arxiv.org/abs/2509.00000".into())]
    );
    update(&mut s, Action::Done(Outcome::LinksLoaded(links)));
    update(&mut s, Action::Input(InputKey::Char('y')));
    assert_eq!(
        update(&mut s, Action::Input(InputKey::Char('1'))),
        [Effect::CopyText {
            what: "HF page",
            text: "https://huggingface.co/papers/2509.00000".into()
        }]
    );
}

#[test]
fn copy_offers_id_urls_bibtex_and_title() {
    use hfpapers::app::InputKey;
    let mut s = loaded(2, false);
    update(&mut s, Action::Command(Command::Copy));
    let effects = update(&mut s, Action::Input(InputKey::Char('4')));
    match &effects[..] {
        [
            Effect::CopyText {
                what: "BibTeX",
                text,
            },
        ] => assert!(text.starts_with("@misc{2509.00000,"), "{text}"),
        other => panic!("{other:?}"),
    }
    update(&mut s, Action::Command(Command::Copy));
    assert_eq!(
        update(&mut s, Action::Input(InputKey::Char('1'))),
        [Effect::CopyText {
            what: "id",
            text: "2509.00000".into()
        }]
    );
}

#[test]
fn the_mouse_wheel_scrolls_and_a_click_selects_then_opens() {
    let mut s = loaded(30, false);
    update(
        &mut s,
        Action::Done(Outcome::Viewport {
            list_rows: 10,
            detail_max_scroll: 0,
            list_top: 2,
            text_matches: Vec::new(),
        }),
    );
    update(&mut s, Action::Mouse(Mouse::Scroll(1)));
    assert_eq!(s.list.selected, 3);
    update(&mut s, Action::Mouse(Mouse::Scroll(-1)));
    assert_eq!(s.list.selected, 0);
    assert!(update(&mut s, Action::Mouse(Mouse::Click { row: 5 })).is_empty());
    assert_eq!(s.list.selected, 3);
    let effects = update(&mut s, Action::Mouse(Mouse::Click { row: 5 }));
    assert!(effects.contains(&Effect::LoadDetail(PaperId("2509.00003".into()))));
    // A click on the border or header selects nothing.
    update(&mut s, Action::Command(Command::Back));
    update(&mut s, Action::Mouse(Mouse::Click { row: 1 }));
    assert_eq!(s.list.selected, 3);
}

#[test]
fn equals_opens_papers_like_the_selected_one_and_esc_comes_back_even_on_the_sample() {
    use hfpapers::app::ViewKind;
    for sample in [false, true] {
        let mut s = loaded(5, sample);
        s.index.ready = true;
        update(&mut s, Action::Command(Command::MoveDown));
        let effects = update(&mut s, Action::Command(Command::ShowSimilar));
        let Some(Effect::RunView(spec)) = effects.first() else {
            panic!("a view to run: {effects:?}");
        };
        assert_eq!(spec.kind, ViewKind::Similar(PaperId("2509.00001".into())));
        assert_eq!(
            spec.sample, sample,
            "the sample's papers are compared among themselves"
        );
        assert!(s.view_name.starts_with("Like “Paper 1"), "{}", s.view_name);

        let effects = update(&mut s, Action::Command(Command::Back));
        let back_to_day = effects.iter().any(|e| match e {
            Effect::RunView(spec) => matches!(spec.kind, ViewKind::Day(_)) && spec.sample,
            Effect::LoadDay(_) => !sample,
            _ => false,
        });
        assert!(back_to_day, "Esc goes back to the day: {effects:?}");
    }
}

#[test]
fn a_search_index_being_built_says_how_far_it_got_and_then_that_it_is_ready() {
    let mut s = loaded(3, false);
    update(
        &mut s,
        Action::Done(Outcome::IndexBuilding {
            done: 20_000,
            total: 100_000,
        }),
    );
    let shown = s.message.clone().unwrap();
    assert!(shown.contains("20000 of 100000"), "{shown}");
    update(
        &mut s,
        Action::Done(Outcome::IndexReady { tags: Vec::new() }),
    );
    assert_eq!(s.message.as_deref(), Some("the search index is ready"));
    // Without a rebuild, readiness is not news.
    let mut quiet = loaded(3, false);
    update(
        &mut quiet,
        Action::Done(Outcome::IndexReady { tags: Vec::new() }),
    );
    assert_eq!(quiet.message, None);
}

#[test]
fn a_handed_over_sync_moves_the_last_sync_time_and_an_answer_of_the_service_means_online() {
    use hfpapers::app::{Action, AppState, Net, Outcome, update};
    let mut s = AppState::new(Net::Offline, Some("2026-01-01T08:00:00Z".into()), true);
    update(
        &mut s,
        Action::Done(Outcome::ChangedElsewhere {
            what: "starred 2509.00001".into(),
            synced_at: Some("2026-01-01T08:00:00Z".into()),
        }),
    );
    assert_eq!(
        s.sync.net,
        Net::Offline,
        "a star brings no news of the network"
    );
    assert_eq!(s.message.as_deref(), Some("starred 2509.00001"));
    update(
        &mut s,
        Action::Done(Outcome::ChangedElsewhere {
            what: "synced 3 days: 45 new".into(),
            synced_at: Some("2026-01-01T09:30:00Z".into()),
        }),
    );
    assert_eq!(s.sync.net, Net::Online);
    assert_eq!(s.sync.last.as_deref(), Some("2026-01-01T09:30:00Z"));
    let mut s = AppState::new(Net::Offline, None, true);
    update(
        &mut s,
        Action::Done(Outcome::SearchDone {
            text: "x".into(),
            found: 2,
        }),
    );
    assert_eq!(s.sync.net, Net::Online, "a search that worked");
    let mut s = AppState::new(Net::Disabled, None, true);
    update(
        &mut s,
        Action::Done(Outcome::SearchDone {
            text: "x".into(),
            found: 2,
        }),
    );
    assert_eq!(s.sync.net, Net::Disabled, "--offline stays offline");
}

#[test]
fn a_day_list_after_a_visit_to_for_you_has_no_score_column() {
    let mut s = loaded(3, false);
    let spec = hfpapers::app::ViewSpec {
        kind: hfpapers::app::ViewKind::ForYou,
        ..s.spec()
    };
    s.view = hfpapers::app::ViewKind::ForYou;
    let scored = hfpapers::domain::taste::Scored {
        score: 0.5,
        reasons: Vec::new(),
    };
    update(
        &mut s,
        Action::Done(Outcome::ResultsLoaded {
            spec,
            entries: hfpapers::domain::rows::Rows::Held(
                entries(3).into_iter().map(std::sync::Arc::new).collect(),
            ),
            foryou: vec![(PaperId("2509.00000".into()), scored)],
            marks: hfpapers::domain::interests::Marks::default(),
            notes: Vec::new(),
        }),
    );
    assert_eq!(s.list.foryou.len(), 1, "For you shows its scores");
    update(
        &mut s,
        Action::Done(Outcome::DayLoaded {
            day: parse_day("2025-09-10").unwrap(),
            entries: entries(3),
            sample: false,
        }),
    );
    assert!(s.list.foryou.is_empty(), "the day is not ranked by For you");
}

/// Entries of `day`, first seen at `seen`, read as `read` says.
fn dated(day: &str, seen: i64, read: &[bool]) -> Vec<Entry> {
    read.iter()
        .enumerate()
        .map(|(i, r)| Entry {
            row: Row {
                id: PaperId(format!("{day}-{i}")),
                day: parse_day(day),
                rank: i as u32 + 1,
                title: format!("Paper {i} of {day}"),
                first_seen: Some(seen),
                ..Row::default()
            },
            state: UserState {
                read: *r,
                ..UserState::default()
            },
        })
        .collect()
}

#[test]
fn next_unread_in_a_view_wraps_to_its_first_unread_paper() {
    let mut s = AppState::new(Net::Online, None, true);
    s.view = hfpapers::app::ViewKind::Query(String::new());
    let spec = s.spec();
    update(
        &mut s,
        Action::Done(Outcome::ResultsLoaded {
            spec,
            entries: hfpapers::domain::rows::Rows::Held(
                dated("2025-09-10", 1, &[false, true, false])
                    .into_iter()
                    .map(std::sync::Arc::new)
                    .collect(),
            ),
            foryou: Vec::new(),
            marks: hfpapers::domain::interests::Marks::default(),
            notes: Vec::new(),
        }),
    );
    s.list.selected = 2;
    update(&mut s, Action::Command(Command::NextUnread));
    assert_eq!(s.list.selected, 0, "{:?}", s.message);
    assert_eq!(
        s.message.as_deref(),
        Some("back to the first unread paper of this view")
    );
    s.list.entries.set_states(&[
        (
            PaperId("2025-09-10-0".into()),
            UserState {
                read: true,
                ..UserState::default()
            },
        ),
        (
            PaperId("2025-09-10-2".into()),
            UserState {
                read: true,
                ..UserState::default()
            },
        ),
    ]);
    update(&mut s, Action::Command(Command::NextUnread));
    assert_eq!(s.message.as_deref(), Some("nothing unread in this view"));
}

#[test]
fn next_unread_past_the_new_papers_says_caught_up_once_then_goes_on_to_older_days() {
    let mut s = AppState::new(Net::Online, None, true);
    s.last_visit = Some(100);
    // The trip's day: new, all read now.
    update(
        &mut s,
        Action::Done(Outcome::DayLoaded {
            day: parse_day("2025-09-10").unwrap(),
            entries: dated("2025-09-10", 200, &[true, true]),
            sample: false,
        }),
    );
    s.list.selected = 1;
    let effects = update(&mut s, Action::Command(Command::NextUnread));
    assert!(
        matches!(&effects[..], [Effect::StepDay { .. }]),
        "{effects:?}"
    );
    // The day before is older than what is new: said, and not opened.
    let effects = update(
        &mut s,
        Action::Done(Outcome::DayLoaded {
            day: parse_day("2025-08-01").unwrap(),
            entries: dated("2025-08-01", 50, &[false, false]),
            sample: false,
        }),
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert!(
        s.message
            .as_deref()
            .is_some_and(|m| m.starts_with("caught up with what is new")),
        "{:?}",
        s.message
    );
    // A second N goes on through the older day.
    update(&mut s, Action::Command(Command::NextUnread));
    assert_eq!(s.list.selected, 1);
}

#[test]
fn find_with_offline_searches_the_stored_papers_and_the_keys_typed_go_into_the_prompt() {
    let mut s = AppState::new(Net::Disabled, None, true);
    update(
        &mut s,
        Action::Done(Outcome::DayLoaded {
            day: parse_day("2025-09-10").unwrap(),
            entries: entries(3),
            sample: false,
        }),
    );
    update(&mut s, Action::Command(Command::FindOnline));
    assert!(s.prompt.is_some(), "the prompt opens offline too");
    for c in "diffusion".chars() {
        assert!(
            update(&mut s, Action::Input(hfpapers::app::InputKey::Char(c))).is_empty(),
            "typed into the prompt, not run as a command"
        );
    }
    assert_eq!(s.screen, Screen::List, "no paper opened");
    let effects = update(&mut s, Action::Input(hfpapers::app::InputKey::Enter));
    assert_eq!(s.view, hfpapers::app::ViewKind::Query("diffusion".into()));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::RunView(_) | Effect::LoadIndex)),
        "{effects:?}"
    );
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Search(_))),
        "nothing asked of the network"
    );
    assert!(
        s.message.as_deref().is_some_and(
            |m| m.starts_with("--offline: searching the stored papers with \"diffusion\"")
        ),
        "{:?}",
        s.message
    );
}
