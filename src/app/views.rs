//! Views, the sidebar, state changes and their undo.

use super::rows::Rows;
use super::{AppState, Effect, ViewItem, ViewKind};
use crate::app::Command;
use crate::domain::model::{PaperId, UserState};

/// How many change groups `u` can walk back.
const UNDO_DEPTH: usize = 200;

/// Replaces the list, keeping the selected paper selected when it is still there.
pub fn show_entries(state: &mut AppState, entries: Rows) {
    let keep = state.selected_entry().map(|e| e.row.id.clone());
    state.list.entries = entries;
    state.list.selected = keep
        .and_then(|id| state.list.entries.position(&id))
        .unwrap_or(state.list.selected)
        .min(state.list.entries.len().saturating_sub(1));
}

/// Applies new states to papers, remembers the old ones for `u`, and asks
/// the runtime to save them. One call is one undo step.
pub fn change_states(state: &mut AppState, changes: Vec<(PaperId, UserState)>) -> Vec<Effect> {
    let group = state.list.entries.set_states(&changes);
    if group.is_empty() {
        return Vec::new();
    }
    let id = state.new_group();
    state.undo.stack.push((id.clone(), group));
    if state.undo.stack.len() > UNDO_DEPTH {
        state.undo.stack.remove(0);
    }
    if state.sample {
        // The sample lives in memory only.
        return Vec::new();
    }
    let finished = finish_new(state, &changes);
    let mut effects = vec![Effect::SaveStates {
        changes,
        group: id,
        undoes: None,
    }];
    effects.extend(finished);
    effects
}

/// Every paper of the New view read (one by one, or `R`): New is done
/// with up to the newest of them, and what arrives later is new again.
fn finish_new(state: &mut AppState, changes: &[(PaperId, UserState)]) -> Option<Effect> {
    if !matches!(state.view, ViewKind::New(_)) || state.list.entries.is_empty() {
        return None;
    }
    // A paged list shows the index's states, which take the change only
    // once it is saved: what is unread after it is read from both.
    let read_now = |id: &PaperId| changes.iter().find(|(c, _)| c == id).map(|(_, st)| st.read);
    if changes.iter().any(|(_, st)| !st.read)
        || state
            .list
            .entries
            .unread()
            .iter()
            .any(|e| read_now(&e.row.id) != Some(true))
    {
        return None;
    }
    let at = state
        .list
        .entries
        .all()
        .iter()
        .filter_map(|e| e.row.first_seen)
        .max()?;
    state.last_visit = Some(at);
    state.message = Some("caught up: New is empty until more papers arrive".into());
    Some(Effect::FinishNew(at))
}

/// `u`: restores the states before the last change (a star, a read, a tag
/// edit, or a whole mark-all-read).
pub fn undo(state: &mut AppState) -> Vec<Effect> {
    // Earlier sessions' changes are in the log, read on the first `u` only.
    if !state.undo.loaded && !state.sample {
        state.undo.pending = true;
        return vec![Effect::LoadUndo];
    }
    let Some((undone, group)) = state.undo.stack.pop() else {
        state.message = Some("nothing to undo".into());
        return Vec::new();
    };
    // Papers of the group that are not in this list are restored too:
    // the save below carries the whole group.
    let undid = state.list.entries.set_states(&group);
    state.message = Some(format!("undone: {}", undone_what(state, &undid, &group)));
    if state.sample {
        return Vec::new();
    }
    vec![Effect::SaveStates {
        changes: group,
        group: state.new_group(),
        undoes: Some(undone),
    }]
}

/// What an undo took back, in a few words: `star on "Rethinking…"`,
/// `read on 57 papers`, or how many changes when they differ.
fn undone_what(
    state: &AppState,
    undid: &[(PaperId, UserState)],
    restored: &[(PaperId, UserState)],
) -> String {
    let kinds: Vec<String> = undid
        .iter()
        .zip(restored)
        .map(|((_, was), (_, back))| change_name(back, was))
        .collect();
    let same = kinds.windows(2).all(|w| w[0] == w[1]);
    match (undid, kinds.first()) {
        ([(id, _)], Some(kind)) => {
            let title = state
                .list
                .entries
                .position(id)
                .and_then(|i| state.list.entries.get(i))
                .map_or_else(|| id.as_str().to_string(), |e| e.row.title.clone());
            let title = crate::domain::text::one_line(&title);
            let short: String = title.chars().take(40).collect();
            let cut = if short.len() < title.len() { "…" } else { "" };
            format!("{kind} on \"{short}{cut}\"")
        }
        (_, Some(kind)) if same => format!("{kind} on {} papers", undid.len()),
        _ => format!("{} changes", restored.len()),
    }
}

/// The change that took a paper from `before` to `after`: `star`,
/// `unstar`, `read`, `unread`, `tag rl`, `untag rl`, `not-for-me` (the
/// tag of `-`), or `tags` for several.
fn change_name(before: &UserState, after: &UserState) -> String {
    let mut parts = Vec::new();
    if before.starred != after.starred {
        parts.push(if after.starred { "star" } else { "unstar" }.to_string());
    }
    if before.read != after.read {
        parts.push(if after.read { "read" } else { "unread" }.to_string());
    }
    for t in after.tags.iter().filter(|t| !before.tags.contains(t)) {
        parts.push(if t == crate::domain::taste::LESS_TAG {
            t.clone()
        } else {
            format!("tag {t}")
        });
    }
    for t in before.tags.iter().filter(|t| !after.tags.contains(t)) {
        parts.push(format!("untag {t}"));
    }
    if parts.is_empty() {
        "a change".into()
    } else {
        parts.join(", ")
    }
}

/// A change group the store refused (a full disk): the screen shows
/// again what is saved, and the undo stack is as if the change had not
/// been made (an undo that failed can be tried again).
pub fn not_saved(
    state: &mut AppState,
    (group, undoes): (String, Option<String>),
    changes: Vec<(PaperId, UserState)>,
    saved: &[(PaperId, UserState)],
    message: &str,
) {
    state.list.entries.set_states(saved);
    let n = changes.len();
    match undoes {
        Some(undone) => state.undo.stack.push((undone, changes)),
        None => state.undo.stack.retain(|(g, _)| *g != group),
    }
    state.undo.refused += n;
    state.message = Some(format!(
        "not saved: {} ({message}); the list shows what is saved{}",
        match n {
            1 => "1 change".to_string(),
            n => format!("{n} changes"),
        },
        match state.undo.refused {
            total if total > n => format!(", {total} changes refused this session"),
            _ => String::new(),
        }
    ));
}

/// `R` confirmed: every unread paper in the list becomes read, as one undo step.
pub fn mark_all_read(state: &mut AppState) -> Vec<Effect> {
    let changes: Vec<(PaperId, UserState)> = state
        .list
        .entries
        .unread()
        .iter()
        .map(|e| {
            let mut st = e.state.clone();
            st.read = true;
            (e.row.id.clone(), st)
        })
        .collect();
    let n = changes.len();
    let effects = change_states(state, changes);
    let marked = format!(
        "marked {} read (u undoes)",
        crate::domain::text::count(n as u64, "paper")
    );
    let finished = effects.iter().any(|e| matches!(e, Effect::FinishNew(_)));
    state.message = Some(if finished {
        format!("{marked}; caught up: New is empty until more papers arrive")
    } else {
        marked
    });
    effects
}

/// `v`: shows the sidebar (focused) or hides it.
pub fn toggle_sidebar(state: &mut AppState) -> Vec<Effect> {
    if state.sidebar.take().is_some() {
        return Vec::new();
    }
    state.sidebar = Some(super::Sidebar {
        items: Vec::new(),
        selected: 0,
        focused: true,
    });
    let mut effects = vec![Effect::CountViews];
    effects.extend(state.need_index());
    effects
}

pub fn set_items(state: &mut AppState, mut items: Vec<ViewItem>) {
    // Trending is online only: listed unless the network is off for good.
    if state.sync.net != super::Net::Disabled {
        items.insert(
            items.len().min(1),
            ViewItem {
                name: "Trending".into(),
                kind: ViewKind::Trending,
                total: 0,
                unread: 0,
            },
        );
    }
    let shown = |kind: &ViewKind| match (kind, &state.view) {
        (ViewKind::New(_), ViewKind::New(_)) | (ViewKind::Day(_), ViewKind::Day(_)) => true,
        (a, b) => a == b,
    };
    let at = items.iter().position(|i| shown(&i.kind));
    if let Some(sidebar) = &mut state.sidebar {
        // Just opened: on the view shown; after that where the user moved.
        sidebar.selected = match (sidebar.items.is_empty(), at) {
            (true, Some(i)) => i,
            _ => sidebar.selected.min(items.len().saturating_sub(1)),
        };
        sidebar.items = items;
    }
}

/// Keys while the sidebar has focus; `None` lets the key through.
pub fn sidebar_key(state: &mut AppState, c: Command) -> Option<Vec<Effect>> {
    let sidebar = state.sidebar.as_mut()?;
    let last = sidebar.items.len().saturating_sub(1);
    match c {
        Command::MoveDown => sidebar.selected = (sidebar.selected + 1).min(last),
        Command::MoveUp => sidebar.selected = sidebar.selected.saturating_sub(1),
        Command::SelectFirst => sidebar.selected = 0,
        Command::SelectLast => sidebar.selected = last,
        Command::Back => sidebar.focused = false,
        Command::OpenDetail => {
            let item = sidebar.items.get(sidebar.selected)?.clone();
            sidebar.focused = false;
            return Some(open_view(state, item));
        }
        _ => return None,
    }
    Some(Vec::new())
}

/// `=`: the papers most like the selected one, as a view.
pub fn show_similar(state: &mut AppState) -> Vec<Effect> {
    let Some(entry) = state.selected_entry() else {
        state.message = Some("no paper selected".into());
        return Vec::new();
    };
    let item = ViewItem {
        name: format!(
            "Like “{}”",
            crate::domain::text::one_line(&entry.row.title)
                .chars()
                .take(40)
                .collect::<String>()
        ),
        kind: ViewKind::Similar(entry.row.id.clone()),
        total: 0,
        unread: 0,
    };
    open_view(state, item)
}

/// Switches the list to a view; the `/` filter is cleared.
fn open_view(state: &mut AppState, item: ViewItem) -> Vec<Effect> {
    state.filter.clear();
    state.list.selected = 0;
    state.list.offset = 0;
    state.screen = super::Screen::List;
    match item.kind {
        ViewKind::Day(day) => {
            state.follow_latest = day.is_none();
            match day.or(state.day) {
                Some(d) if !state.sample => vec![state.load_day(d)],
                // Back from a view of the sample digest: the sample again.
                _ if state.sample => {
                    state.view = ViewKind::Day(day);
                    vec![Effect::RunView(state.spec())]
                }
                _ => Vec::new(),
            }
        }
        ViewKind::Trending if state.sync.net == super::Net::Disabled => {
            state.message = Some("--offline: trending papers need the network".into());
            Vec::new()
        }
        ViewKind::Trending => {
            state.view = ViewKind::Trending;
            state.view_name = "Trending".into();
            state.sample = false;
            state.list.entries.clear();
            state.message =
                Some("fetching what is trending on Hugging Face… (Esc goes back)".into());
            vec![Effect::FetchTrending]
        }
        kind => {
            // Papers like one of the sample digest's are found among the
            // sample's; every other view is over the store.
            state.sample &= matches!(kind, ViewKind::Similar(_));
            let note = match (&kind, state.index.taste) {
                (ViewKind::ForYou, Some((ready, liked))) => {
                    super::update::for_you_note(liked, ready)
                }
                (ViewKind::ForYou, None) => "learning your taste… by upvotes until then".into(),
                _ => "Esc goes back to the day".into(),
            };
            state.view = kind;
            // "↳ more like #rl" is drawn under its tag; alone it is "more like #rl".
            state.view_name = item.name.trim_start_matches("↳ ").to_string();
            let mut effects = vec![Effect::RunView(state.spec())];
            if state.index.ready {
                state.message = Some(note);
            } else {
                state.message =
                    Some("indexing all stored papers… the view fills in when ready".into());
                effects.extend(state.need_index());
            }
            effects
        }
    }
}

/// `g n`, `g f`, `g s`, `g a`, `g t`, `g w`: a view in two keys, as the
/// sidebar would open it.
pub fn go_view(state: &mut AppState, c: Command) -> Vec<Effect> {
    let (name, kind) = match c {
        Command::GoNew => ("New", ViewKind::New(state.last_visit)),
        Command::GoForYou => ("For you", ViewKind::ForYou),
        Command::GoStarred => ("Starred", ViewKind::Query("is:starred".into())),
        Command::GoTrending => ("Trending", ViewKind::Trending),
        Command::GoWatch => ("Watch", ViewKind::Watch),
        _ => ("All", ViewKind::Query(String::new())),
    };
    state.sidebar = None;
    open_view(
        state,
        ViewItem {
            name: name.into(),
            kind,
            total: 0,
            unread: 0,
        },
    )
}

/// Esc on the list goes back one step: a kept filter is cleared first,
/// then a view or search results go back to the day.
pub fn back(state: &mut AppState) -> Vec<Effect> {
    if !state.filter.is_empty() {
        state.filter.clear();
        state.message = Some("filter cleared".into());
        return vec![Effect::RunView(state.spec())];
    }
    if matches!(state.view, ViewKind::Day(_)) {
        return Vec::new();
    }
    open_view(
        state,
        ViewItem {
            name: "Latest day".into(),
            kind: ViewKind::Day(None),
            total: 0,
            unread: 0,
        },
    )
}

/// A search on Hugging Face failed. Offline, the same words become a
/// local query over every stored paper, and the status line says so.
pub fn search_failed(state: &mut AppState, text: &str, error: &str, offline: bool) -> Vec<Effect> {
    if state.view != ViewKind::Search(text.to_string()) {
        state.message = Some(format!("search failed: {error}"));
        return Vec::new();
    }
    if !offline {
        state.message = Some(format!("search failed: {error} (Esc goes back)"));
        return Vec::new();
    }
    state.sync.net = super::Net::Offline;
    search_stored(
        state,
        text,
        "offline: Hugging Face cannot be reached; showing stored papers",
    )
}

/// The words of a search, run over the stored papers instead (offline):
/// `why` says so, with the words and how to go back.
pub fn search_stored(state: &mut AppState, text: &str, why: &str) -> Vec<Effect> {
    let words: Vec<String> = crate::domain::text::words(text).collect();
    let mut effects = open_view(
        state,
        ViewItem {
            name: format!("Stored: {}", words.join(" ")),
            kind: ViewKind::Query(words.join(" ")),
            total: 0,
            unread: 0,
        },
    );
    state.message = Some(format!(
        "{why} with {:?} instead of Hugging Face (Esc goes back)",
        words.join(" ")
    ));
    effects.extend(state.need_index());
    effects
}
