//! `update`: one action in, state changed, effects out. Never awaits.

use super::{Action, AppState, Effect, FetchResult, FetchTarget, Net, Screen};
use crate::model::{Mark, fmt_day};
use crate::store::Direction;

pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    let effects = handle(state, action);
    keep_selection_visible(state);
    effects
}

/// Scrolls the list window just enough to keep the selection on screen.
fn keep_selection_visible(state: &mut AppState) {
    let rows = state.list_rows.max(1);
    let last_offset = state.entries.len().saturating_sub(rows);
    if state.selected < state.list_offset {
        state.list_offset = state.selected;
    } else if state.selected >= state.list_offset + rows {
        state.list_offset = state.selected + 1 - rows;
    }
    state.list_offset = state.list_offset.min(last_offset);
}

fn handle(state: &mut AppState, action: Action) -> Vec<Effect> {
    // While help is up, keys only close it (or quit).
    if state.help && is_key(&action) {
        match action {
            Action::Quit => state.quit = true,
            Action::ToggleHelp | Action::Back => state.help = false,
            _ => {}
        }
        return Vec::new();
    }
    if is_key(&action) {
        state.message = None;
    }
    match action {
        Action::MoveDown => move_by(state, 1),
        Action::MoveUp => move_by(state, -1),
        Action::PageDown => move_by(state, page(state)),
        Action::PageUp => move_by(state, -page(state)),
        Action::SelectFirst => match state.screen {
            Screen::List => state.selected = 0,
            Screen::Detail => state.detail_scroll = 0,
        },
        Action::SelectLast => match state.screen {
            Screen::List => state.selected = state.entries.len().saturating_sub(1),
            Screen::Detail => state.detail_scroll = state.detail_max_scroll,
        },
        Action::OpenDetail => return open_detail(state),
        Action::Back => match state.screen {
            Screen::Detail => {
                state.screen = Screen::List;
                state.detail = None;
            }
            Screen::List => {}
        },
        Action::PrevDay | Action::NextDay => {
            let dir = if action == Action::PrevDay {
                Direction::Back
            } else {
                Direction::Forward
            };
            if state.sample {
                state.message =
                    Some("the sample digest has only one day; sync to read real ones".into());
            } else if let Some(from) = state.day {
                state.follow_latest = false;
                return vec![Effect::StepDay { from, dir }];
            }
        }
        Action::ToggleStar => {
            return toggle(state, |s| if s.starred { Mark::Unstar } else { Mark::Star });
        }
        Action::ToggleRead => {
            return toggle(state, |s| if s.read { Mark::Unread } else { Mark::Read });
        }
        Action::OpenInBrowser => {
            let url = match (&state.detail, state.selected_entry()) {
                (Some(paper), _) if state.screen == Screen::Detail => Some(paper.primary_link()),
                (_, Some(entry)) => Some(
                    crate::model::Paper {
                        id: entry.row.id.clone(),
                        title: entry.row.title.clone(),
                        ..Default::default()
                    }
                    .primary_link(),
                ),
                _ => None,
            };
            if let Some(url) = url {
                return vec![Effect::OpenUrl(url)];
            }
        }
        Action::ToggleHelp => state.help = true,
        Action::Quit => state.quit = true,
        Action::DayLoaded {
            day,
            entries,
            sample,
        } => {
            let keep = (state.day == Some(day) && state.sample == sample)
                .then(|| state.selected_entry().map(|e| e.row.id.clone()))
                .flatten();
            if state.day != Some(day) || state.sample != sample {
                state.screen = Screen::List;
                state.detail = None;
            }
            state.day = Some(day);
            state.sample = sample;
            state.entries = entries;
            state.selected = keep
                .and_then(|id| state.entries.iter().position(|e| e.row.id == id))
                .unwrap_or(0);
        }
        Action::NoDayThatWay(dir) => {
            state.message = Some(match dir {
                Direction::Back => "no earlier stored day with papers".into(),
                Direction::Forward => "no later stored day with papers".into(),
            });
        }
        Action::DetailLoaded(paper) => {
            if state.selected_entry().is_some_and(|e| e.row.id == paper.id) {
                state.detail = Some(*paper);
                state.detail_scroll = 0;
                state.screen = Screen::Detail;
            }
        }
        Action::Fetched { target, result } => return fetched(state, target, result),
        Action::Failed(msg) | Action::Notice(msg) => state.message = Some(msg),
        Action::Viewport {
            list_rows,
            detail_max_scroll,
        } => {
            state.list_rows = list_rows.max(1);
            state.detail_max_scroll = detail_max_scroll;
            state.detail_scroll = state.detail_scroll.min(detail_max_scroll);
        }
    }
    Vec::new()
}

fn is_key(action: &Action) -> bool {
    matches!(
        action,
        Action::MoveDown
            | Action::MoveUp
            | Action::SelectFirst
            | Action::SelectLast
            | Action::PageDown
            | Action::PageUp
            | Action::OpenDetail
            | Action::Back
            | Action::PrevDay
            | Action::NextDay
            | Action::ToggleStar
            | Action::ToggleRead
            | Action::OpenInBrowser
            | Action::ToggleHelp
            | Action::Quit
    )
}

fn page(state: &AppState) -> isize {
    match state.screen {
        Screen::List => state.list_rows.saturating_sub(1).max(1) as isize,
        Screen::Detail => 10,
    }
}

fn move_by(state: &mut AppState, delta: isize) {
    match state.screen {
        Screen::List => {
            let last = state.entries.len().saturating_sub(1) as isize;
            state.selected = (state.selected as isize + delta).clamp(0, last.max(0)) as usize;
        }
        Screen::Detail => {
            let max = state.detail_max_scroll as isize;
            state.detail_scroll = (state.detail_scroll as isize + delta).clamp(0, max) as u16;
        }
    }
}

fn open_detail(state: &mut AppState) -> Vec<Effect> {
    if state.screen == Screen::Detail {
        return Vec::new();
    }
    let Some(entry) = state.entries.get(state.selected) else {
        return Vec::new();
    };
    let id = entry.row.id.clone();
    // Opening a paper marks it read.
    let mut effects = toggle(state, |_| Mark::Read);
    effects.push(Effect::LoadDetail(id));
    effects
}

/// Applies a mark to the selected paper and asks the runtime to save it,
/// except for the sample digest, which lives in memory only.
fn toggle(state: &mut AppState, which: impl Fn(&crate::model::UserState) -> Mark) -> Vec<Effect> {
    let sample = state.sample;
    let Some(entry) = state.entries.get_mut(state.selected) else {
        return Vec::new();
    };
    let mark = which(&entry.state);
    if !mark.apply(&mut entry.state) {
        return Vec::new();
    }
    if sample {
        if matches!(mark, Mark::Star | Mark::Unstar) {
            state.message = Some("sample digest: stars here are not saved".into());
        }
        return Vec::new();
    }
    vec![Effect::SaveState(entry.row.id.clone(), entry.state.clone())]
}

fn fetched(state: &mut AppState, target: FetchTarget, result: FetchResult) -> Vec<Effect> {
    state.syncing = state.syncing.saturating_sub(1);
    match result {
        FetchResult::Stored { day, papers, new } => {
            state.net = Net::Online;
            state.last_sync = Some(crate::store::now_rfc3339());
            let newer_latest = target == FetchTarget::Latest
                && state.follow_latest
                && state.day.is_none_or(|shown| day > shown);
            let reload = state.sample || state.day == Some(day) || newer_latest;
            if papers == 0 {
                state.message = Some(format!("{}: no papers that day", fmt_day(day)));
            } else if newer_latest && !state.sample && state.day.is_some() {
                state.message = Some(format!("new digest {}: {papers} papers", fmt_day(day)));
            } else {
                state.message = Some(format!(
                    "fetched {}: {papers} papers, {new} new",
                    fmt_day(day)
                ));
            }
            if reload && (papers > 0 || !state.sample) {
                return vec![Effect::LoadDay(day)];
            }
        }
        FetchResult::Failed { offline, message } => {
            if offline {
                state.net = Net::Offline;
                state.message = Some(if state.sample {
                    "offline: showing the bundled sample digest".into()
                } else {
                    "offline: showing stored papers".into()
                });
            } else {
                state.net = Net::Online;
                state.message = Some(format!("fetch failed: {message}"));
            }
        }
    }
    Vec::new()
}
