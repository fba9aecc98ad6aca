//! Undo: any sequence of state changes, undone step by step, restores the
//! exact prior state; the saves it asks for carry those prior states.

use hfpapers::app::{Action, AppState, Effect, InputKey, Net, update};
use hfpapers::app::{Command, Outcome};
use hfpapers::domain::model::{Entry, PaperId, Row, UserState, parse_day};
use proptest::prelude::*;

fn loaded(states: &[UserState]) -> AppState {
    let mut s = AppState::new(Net::Offline, None, true);
    // As if the log held nothing from earlier sessions.
    s.undo.loaded = true;
    let entries = states
        .iter()
        .enumerate()
        .map(|(i, st)| Entry {
            row: Row {
                id: PaperId(format!("2509.{i:05}")),
                day: parse_day("2025-09-10"),
                rank: i as u32 + 1,
                ..Row::default()
            },
            state: st.clone(),
        })
        .collect();
    update(
        &mut s,
        Action::Done(Outcome::DayLoaded {
            day: parse_day("2025-09-10").unwrap(),
            entries,
            sample: false,
        }),
    );
    s
}

fn states(s: &AppState) -> Vec<UserState> {
    let mut v: Vec<(PaperId, UserState)> = s
        .list
        .entries
        .all()
        .iter()
        .map(|e| (e.row.id.clone(), strip(&e.state)))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v.into_iter().map(|(_, st)| st).collect()
}

fn strip(st: &UserState) -> UserState {
    UserState {
        updated_at: None,
        ..st.clone()
    }
}

#[derive(Debug, Clone)]
enum Step {
    Down,
    Up,
    Star,
    Read,
    Open,
    ReadAll,
    Tags(Vec<&'static str>),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        Just(Step::Down),
        Just(Step::Up),
        Just(Step::Star),
        Just(Step::Read),
        Just(Step::Open),
        Just(Step::ReadAll),
        proptest::sample::subsequence(vec!["rl", "llm", "to-read"], 0..3).prop_map(Step::Tags),
    ]
}

fn type_text(s: &mut AppState, text: &str) {
    for c in text.chars() {
        update(s, Action::Input(InputKey::Char(c)));
    }
}

fn apply(s: &mut AppState, step: &Step) {
    match step {
        Step::Down => drop(update(s, Action::Command(Command::MoveDown))),
        Step::Up => drop(update(s, Action::Command(Command::MoveUp))),
        Step::Star => drop(update(s, Action::Command(Command::ToggleStar))),
        Step::Read => drop(update(s, Action::Command(Command::ToggleRead))),
        Step::Open => {
            update(s, Action::Command(Command::OpenDetail));
        }
        Step::ReadAll => {
            update(s, Action::Command(Command::MarkAllRead));
            if s.prompt.is_some() {
                update(s, Action::Input(InputKey::Char('y')));
            }
        }
        Step::Tags(tags) => {
            update(s, Action::Command(Command::EditTags));
            // Clear what the prompt was filled with, then type the new tags.
            while s.prompt.as_ref().is_some_and(|p| !p.input.is_empty()) {
                update(s, Action::Input(InputKey::Backspace));
            }
            type_text(s, &tags.join(" "));
            update(s, Action::Input(InputKey::Enter));
        }
    }
}

fn initial_state() -> impl Strategy<Value = UserState> {
    (
        any::<bool>(),
        any::<bool>(),
        proptest::sample::subsequence(vec!["rl", "vision"], 0..2),
    )
        .prop_map(|(read, starred, tags)| UserState {
            read,
            starred,
            tags: tags.into_iter().map(String::from).collect(),
            updated_at: None,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn undoing_every_change_restores_the_exact_prior_state(
        start in proptest::collection::vec(initial_state(), 1..8),
        steps in proptest::collection::vec(step(), 0..30),
    ) {
        let mut s = loaded(&start);
        let before = states(&s);
        for st in &steps {
            apply(&mut s, st);
        }
        let groups = s.undo.stack.len();
        let mut last_saves = Vec::new();
        for _ in 0..groups {
            last_saves = update(&mut s, Action::Command(Command::Undo));
        }
        prop_assert_eq!(states(&s), before);
        // The last undo saves the states it restored.
        if let Some(Effect::SaveStates { changes: saved, .. }) = last_saves.first() {
            for (id, st) in saved {
                let shown = s.list.entries.get(s.list.entries.position(id).unwrap()).unwrap();
                prop_assert_eq!(strip(&shown.state), strip(st));
            }
        }
        prop_assert!(update(&mut s, Action::Command(Command::Undo)).is_empty(), "nothing left to undo");
    }
}

#[test]
fn a_bulk_read_is_one_undo_step() {
    let mut s = loaded(&[
        UserState::default(),
        UserState::default(),
        UserState {
            read: true,
            ..Default::default()
        },
    ]);
    update(&mut s, Action::Command(Command::MarkAllRead));
    assert!(s.prompt.is_some(), "asks first");
    let effects = update(&mut s, Action::Input(InputKey::Char('y')));
    assert!(matches!(&effects[..], [Effect::SaveStates { changes: v, .. }] if v.len() == 2));
    assert!(s.list.entries.all().iter().all(|e| e.state.read));
    let effects = update(&mut s, Action::Command(Command::Undo));
    assert!(matches!(&effects[..], [Effect::SaveStates { changes: v, .. }] if v.len() == 2));
    assert_eq!(
        s.list
            .entries
            .all()
            .iter()
            .filter(|e| !e.state.read)
            .count(),
        2
    );
}

#[test]
fn anything_but_y_cancels_the_bulk_read() {
    let mut s = loaded(&[UserState::default()]);
    update(&mut s, Action::Command(Command::MarkAllRead));
    assert!(update(&mut s, Action::Input(InputKey::Char('n'))).is_empty());
    assert!(!s.list.entries.get(0).unwrap().state.read);
    assert_eq!(s.message.as_deref(), Some("nothing changed"));
}

#[test]
fn a_bad_tag_keeps_the_prompt_open_with_the_reason() {
    let mut s = loaded(&[UserState::default()]);
    update(&mut s, Action::Command(Command::EditTags));
    type_text(&mut s, "ok Bad!");
    assert!(update(&mut s, Action::Input(InputKey::Enter)).is_empty());
    let prompt = s.prompt.as_ref().expect("still open");
    assert!(
        prompt
            .error
            .as_deref()
            .unwrap()
            .contains("'!' cannot be in a tag"),
        "{prompt:?}"
    );
}

#[test]
fn a_malformed_filter_keeps_the_last_results_and_shows_the_error() {
    let mut s = loaded(&[UserState::default(), UserState::default()]);
    update(&mut s, Action::Command(Command::OpenFilter));
    type_text(&mut s, "upvotes:>");
    let prompt = s.prompt.as_ref().unwrap();
    assert_eq!(
        prompt.error.as_deref(),
        Some("upvotes:> — expected a number after \">\" at column 10")
    );
    assert_eq!(s.list.entries.len(), 2);
    let effects = update(&mut s, Action::Input(InputKey::Char('5')));
    assert!(matches!(&effects[..], [Effect::RunView(spec)] if spec.filter.text() == "upvotes:>5"));
    assert!(s.prompt.as_ref().unwrap().error.is_none());
    // Esc clears the filter.
    let effects = update(&mut s, Action::Input(InputKey::Esc));
    assert!(matches!(&effects[..], [Effect::RunView(spec)] if spec.filter.is_empty()));
}

#[test]
fn tab_completes_tags_in_use() {
    let mut s = loaded(&[UserState::default()]);
    s.index.tags = vec!["reinforcement".into(), "rl".into(), "vision".into()];
    update(&mut s, Action::Command(Command::EditTags));
    type_text(&mut s, "vision r");
    update(&mut s, Action::Input(InputKey::Tab));
    assert_eq!(s.prompt.as_ref().unwrap().input, "vision r");
    assert_eq!(
        s.prompt.as_ref().unwrap().error.as_deref(),
        Some("reinforcement rl")
    );
    type_text(&mut s, "e");
    update(&mut s, Action::Input(InputKey::Tab));
    assert_eq!(s.prompt.as_ref().unwrap().input, "vision reinforcement ");
}

#[test]
fn the_first_undo_reads_the_log_then_undoes() {
    let mut s = AppState::new(Net::Offline, None, true);
    let entries = vec![Entry {
        row: Row {
            id: PaperId("2509.00000".into()),
            rank: 1,
            ..Row::default()
        },
        state: UserState {
            read: true,
            ..Default::default()
        },
    }];
    update(
        &mut s,
        Action::Done(Outcome::DayLoaded {
            day: parse_day("2025-09-10").unwrap(),
            entries,
            sample: false,
        }),
    );
    assert_eq!(
        update(&mut s, Action::Command(Command::Undo)),
        [Effect::LoadUndo]
    );
    // An earlier session had marked it read.
    let earlier = vec![(
        "7-1".to_string(),
        vec![(PaperId("2509.00000".into()), UserState::default())],
    )];
    let effects = update(&mut s, Action::Done(Outcome::UndoLoaded(earlier)));
    assert!(
        matches!(&effects[..], [Effect::SaveStates { undoes: Some(g), .. }] if g == "7-1"),
        "{effects:?}"
    );
    assert!(!s.list.entries.get(0).unwrap().state.read);
    assert!(
        update(&mut s, Action::Command(Command::Undo)).is_empty(),
        "nothing older left"
    );
}
