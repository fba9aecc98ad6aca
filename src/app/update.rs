//! `update`: one action in, state changed, effects out. Never awaits.

use super::{
    Action, AppState, Calendar, Effect, Net, PromptKind, Screen, SyncSummary, ViewKind, prompt,
    views,
};
use crate::app::{Command, Mouse, Outcome};
use crate::domain::model::{Day, Mark, UserState, fmt_day};
use crate::domain::model::{Direction, Period};
use chrono::Datelike;
use std::sync::Arc;

pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    let mut effects = handle(state, action);
    state.list.keep_selection_visible();
    // Whatever changed user state, an open sidebar counts again after it.
    let saves = effects
        .iter()
        .any(|e| matches!(e, Effect::SaveStates { .. }));
    if saves && state.sidebar.is_some() && !effects.contains(&Effect::CountViews) {
        effects.push(Effect::CountViews);
    }
    effects
}

fn handle(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Command(c) => command(state, c),
        Action::Input(key) => prompt::input(state, key),
        Action::Mouse(m) => mouse(state, m),
        Action::Done(o) => outcome(state, o),
    }
}

/// A bound command, routed by what has the keyboard: help, the calendar,
/// the focused sidebar, then the list or the paper.
fn command(state: &mut AppState, c: Command) -> Vec<Effect> {
    if state.help.shown {
        // While help is up, keys only close or scroll it (or quit).
        match c {
            Command::Quit => state.quit = true,
            Command::ToggleHelp | Command::Back => state.help.shown = false,
            Command::MoveDown => state.help.scroll = state.help.scroll.saturating_add(1),
            Command::MoveUp => state.help.scroll = state.help.scroll.saturating_sub(1),
            _ => {}
        }
        return Vec::new();
    }
    state.message = None;
    if state.screen == Screen::Calendar {
        return calendar_key(state, c);
    }
    if state.sidebar.as_ref().is_some_and(|s| s.focused)
        && let Some(effects) = views::sidebar_key(state, c)
    {
        return effects;
    }
    super::text::key(state, c)
        .or_else(|| navigate(state, c))
        .or_else(|| paper_command(state, c))
        .unwrap_or_else(|| list_command(state, c))
}

/// Moving through the list, the paper and the days; `None` for other
/// commands.
fn navigate(state: &mut AppState, c: Command) -> Option<Vec<Effect>> {
    match c {
        Command::MoveDown => move_by(state, 1),
        Command::MoveUp => move_by(state, -1),
        Command::PageDown => move_by(state, page(state)),
        Command::PageUp => move_by(state, -page(state)),
        Command::SelectFirst => match state.screen {
            Screen::Detail => state.detail.scroll = 0,
            _ => state.list.selected = 0,
        },
        Command::SelectLast => match state.screen {
            Screen::Detail => state.detail.scroll = state.detail.max_scroll,
            _ => state.list.selected = state.list.entries.len().saturating_sub(1),
        },
        Command::OpenDetail => return Some(open_detail(state)),
        Command::NextPaper | Command::PrevPaper => {
            let step = if c == Command::NextPaper { 1 } else { -1 };
            return Some(step_paper(state, |_, _| true, step));
        }
        Command::NextUnread | Command::PrevUnread => return Some(unread_paper(state, c)),
        Command::Back => {
            if state.screen == Screen::Detail {
                state.screen = Screen::List;
                state.detail.paper = None;
            } else {
                return Some(views::back(state));
            }
        }
        Command::PrevDay | Command::NextDay if state.period != Period::Day => {
            return Some(step_period(
                state,
                if c == Command::PrevDay { -1 } else { 1 },
            ));
        }
        Command::PrevDay | Command::NextDay => {
            let dir = if c == Command::PrevDay {
                Direction::Back
            } else {
                Direction::Forward
            };
            if state.sample {
                state.message =
                    Some("the sample digest has only one day; sync to read real ones".into());
            } else if let Some(from) = state.day {
                state.follow_latest = false;
                return Some(vec![Effect::StepDay { from, dir }]);
            }
        }
        _ => return None,
    }
    Some(Vec::new())
}

/// What acts on the selected paper; `None` for other commands.
fn paper_command(state: &mut AppState, c: Command) -> Option<Vec<Effect>> {
    let effects = match c {
        Command::ToggleStar => toggle(state, |s| if s.starred { Mark::Unstar } else { Mark::Star }),
        Command::ToggleRead => toggle(state, |s| if s.read { Mark::Unread } else { Mark::Read }),
        Command::LessLikeThis => less_like_this(state),
        Command::MuteReason => mute_reason(state),
        Command::Follow => follow_menu(state),
        Command::OpenInBrowser => {
            let url = match (&state.detail.paper, state.selected_entry()) {
                (Some(paper), _) if state.screen == Screen::Detail => Some(paper.primary_link()),
                (_, Some(entry)) => Some(entry.row.stub().primary_link()),
                _ => None,
            };
            let mut effects: Vec<Effect> = url.map(Effect::OpenUrl).into_iter().collect();
            if state.mark_read_on_open && !effects.is_empty() {
                effects.extend(toggle(state, |_| Mark::Read));
            }
            effects
        }
        Command::EditTags => {
            let Some(entry) = state.selected_entry() else {
                return Some(Vec::new());
            };
            let tags = entry.state.tags.join(" ");
            let input = if tags.is_empty() { tags } else { tags + " " };
            prompt::open(state, PromptKind::Tags, input);
            // Tab completes from the tags in use, which the index knows.
            state.need_index().into_iter().collect()
        }
        Command::OpenLinks => state
            .selected_entry()
            .map(|e| Effect::LoadLinks(e.row.id.clone()))
            .into_iter()
            .collect(),
        Command::Copy => {
            copy_menu(state);
            Vec::new()
        }
        Command::Pipe => state
            .selected_entry()
            .map(|e| Effect::Pipe(e.row.id.clone()))
            .into_iter()
            .collect(),
        _ => return None,
    };
    Some(effects)
}

/// The `y` menu: what of the selected paper can be copied.
fn copy_menu(state: &mut AppState) {
    let Some(e) = state.selected_entry() else {
        return;
    };
    let row = &e.row;
    let mut choices = vec![
        ("id", row.id.to_string()),
        ("HF URL", row.stub().primary_link()),
    ];
    if !row.id.is_sample() {
        choices.push(("arXiv URL", row.id.arxiv_url()));
    }
    choices.push(("BibTeX", crate::domain::export::bibtex(row)));
    choices.push(("title", row.title.clone()));
    prompt::open(state, PromptKind::Copy(choices), String::new());
}

/// What acts on the list as a whole, and the screens it opens.
fn list_command(state: &mut AppState, c: Command) -> Vec<Effect> {
    match c {
        Command::ToggleHelp => state.help.shown = true,
        Command::Quit => state.quit = true,
        Command::OpenCalendar => return vec![Effect::LoadCalendar(state.day)],
        Command::OpenFilter => {
            prompt::open(state, PromptKind::Filter, state.filter.text().to_string());
            return state.need_index().into_iter().collect();
        }
        // Offline too: the words then search the stored papers.
        Command::FindOnline => prompt::open(state, PromptKind::Find, String::new()),
        Command::MarkAllRead => {
            let (unread, _) = state.list.entries.counts();
            if unread == 0 {
                state.message = Some("nothing unread here".into());
            } else {
                prompt::open(state, PromptKind::ConfirmReadAll(unread), String::new());
            }
        }
        Command::ToggleSidebar => return views::toggle_sidebar(state),
        Command::GoNew
        | Command::GoForYou
        | Command::GoStarred
        | Command::GoAll
        | Command::GoTrending
        | Command::GoWatch => return views::go_view(state, c),
        Command::ShowSimilar => return views::show_similar(state),
        Command::CyclePeriod => return cycle_period(state),
        Command::CycleSort => {
            state.sort = state.sort.next();
            state.message = Some(format!("sorted by {}", state.sort.name()));
            return vec![Effect::RunView(state.spec())];
        }
        Command::Undo => return views::undo(state),
        Command::ExportView => {
            let name = match &state.view {
                ViewKind::Day(_) => state.day.map_or_else(|| "day".into(), fmt_day),
                _ => state.view_name.clone(),
            };
            return vec![Effect::ExportView {
                name,
                entries: state.list.entries.all(),
            }];
        }
        // Handled by `navigate` and `paper_command`.
        _ => {}
    }
    Vec::new()
}

fn mouse(state: &mut AppState, m: Mouse) -> Vec<Effect> {
    match m {
        Mouse::Scroll(delta) => {
            if state.screen != Screen::Calendar && !state.help.shown {
                move_by(state, delta as isize * 3);
            }
        }
        Mouse::Click { row } => {
            // A click on a paper row selects it; on the selected one, opens it.
            if state.screen == Screen::List && row >= state.list.top {
                let i = state.list.offset + (row - state.list.top) as usize;
                if i < state.list.entries.len()
                    && (row - state.list.top) as usize <= state.list.rows
                {
                    if i == state.list.selected {
                        return open_detail(state);
                    }
                    state.list.selected = i;
                }
            }
        }
    }
    Vec::new()
}

/// What IO brought back.
fn outcome(state: &mut AppState, o: Outcome) -> Vec<Effect> {
    match o {
        loaded @ Outcome::ResultsLoaded { .. } => results_loaded(state, loaded),
        Outcome::IndexReady { tags } => return index_ready(state, tags),
        Outcome::InterestsChanged(interests) => return interests_changed(state, interests),
        Outcome::TextLoaded { id, markdown } => super::text::loaded(state, &id, markdown),
        Outcome::ThumbnailLoaded { id, image }
            if state.detail.paper.as_ref().is_some_and(|p| p.id == id) =>
        {
            state.detail.thumbnail = Some((id, image));
        }
        Outcome::TasteLearned { liked, ready } => return taste_learned(state, liked, ready),
        Outcome::IndexBuilding { done, total } => {
            state.index.building = true;
            state.message = Some(format!(
                "building the search index: {done} of {total} papers (once; views fill in when it is ready)"
            ));
        }
        Outcome::ChangedElsewhere { what, synced_at } => {
            return changed_elsewhere(state, what, synced_at);
        }
        Outcome::ViewsCounted(items) => views::set_items(state, items),
        Outcome::UndoLoaded(groups) => return undo_loaded(state, groups),
        Outcome::StateMerged { peers, warnings } => return state_merged(state, peers, &warnings),
        Outcome::LinksLoaded(links) => prompt::open(state, PromptKind::Links(links), String::new()),
        Outcome::DayLoaded {
            day,
            entries,
            sample,
        } => return day_loaded(state, day, entries, sample),
        Outcome::NoDayThatWay(Direction::Back) => {
            // Walk on into days not fetched yet: the weekday before.
            if let Some(day) = state.day {
                let mut before = day.pred_opt().unwrap_or(day);
                while before.weekday().number_from_monday() > 5 {
                    before = before.pred_opt().unwrap_or(before);
                }
                return fetch_day(state, before);
            }
        }
        Outcome::NoDayThatWay(Direction::Forward) => {
            state.message = Some("no later day with papers".into());
        }
        Outcome::DetailLoaded(paper) => return detail_loaded(state, *paper),
        Outcome::DetailRefreshed(paper) => {
            if state.sync.net == Net::Offline {
                state.sync.net = Net::Online;
            }
            if state
                .detail
                .paper
                .as_ref()
                .is_some_and(|d| d.id == paper.id)
            {
                state.detail.paper = Some(*paper);
            }
        }
        Outcome::CalendarLoaded(calendar) => {
            state.calendar = Some(calendar);
            state.screen = Screen::Calendar;
        }
        _ => return sync_outcome(state, o),
    }
    Vec::new()
}

/// What the sync, the online lists and the frame report, and plain
/// messages.
fn sync_outcome(state: &mut AppState, o: Outcome) -> Vec<Effect> {
    // The service answered: online, whatever the last sync found.
    if matches!(o, Outcome::TrendingDone { .. } | Outcome::SearchDone { .. })
        && state.sync.net == Net::Offline
    {
        state.sync.net = Net::Online;
    }
    match o {
        Outcome::SearchFailed {
            text,
            error,
            offline,
        } => return views::search_failed(state, &text, &error, offline),
        Outcome::TrendingDone { found } => {
            state.message = Some(format!(
                "{} trending on Hugging Face (Esc goes back)",
                crate::domain::text::count(found as u64, "paper")
            ));
            if state.view == ViewKind::Trending {
                return vec![Effect::RunView(state.spec())];
            }
        }
        Outcome::SearchDone { text, found } => {
            state.message = Some(format!(
                "{} found on Hugging Face for {text:?}",
                crate::domain::text::count(found as u64, "paper")
            ));
            if state.view == ViewKind::Search(text) {
                return vec![Effect::RunView(state.spec())];
            }
        }

        Outcome::DayStored {
            day,
            papers,
            new,
            latest,
            at,
        } => return day_stored(state, day, papers, new, latest, at),
        Outcome::SyncProgress { done, total } => state.sync.progress = Some((done, total)),
        Outcome::SyncFinished(summary) => return sync_finished(state, &summary),
        Outcome::Failed(msg) | Outcome::Notice(msg) => state.message = Some(msg),
        Outcome::NotSaved {
            group,
            undoes,
            changes,
            saved,
            message,
        } => super::views::not_saved(state, (group, undoes), changes, &saved, &message),
        Outcome::Viewport {
            list_rows,
            detail_max_scroll,
            list_top,
            text_matches,
        } => {
            state.list.top = list_top;
            state.list.rows = list_rows.max(1);
            state.detail.max_scroll = detail_max_scroll;
            state.detail.scroll = state.detail.scroll.min(detail_max_scroll);
            if state.detail.text.as_ref().is_some_and(|t| t.shown) {
                super::text::found(state, text_matches);
            }
        }
        // Taken by `outcome`.
        _ => {}
    }
    Vec::new()
}

/// A command run beside the reader changed the store: what is shown is
/// read again (the day, the index, the sidebar's counts).
fn changed_elsewhere(state: &mut AppState, what: String, synced_at: Option<String>) -> Vec<Effect> {
    state.message = Some(what);
    // A sync run for another command reached the service: this reader is
    // online, and synced then.
    if synced_at.is_some() && synced_at != state.sync.last {
        state.sync.last = synced_at;
        if state.sync.net != Net::Disabled {
            state.sync.net = Net::Online;
        }
    }
    // `hfpapers follow` or `mute` may have changed the config.
    let mut effects = vec![Effect::ReloadInterests];
    match (&state.view, state.day) {
        (ViewKind::Day(_), Some(day)) if !state.sample => effects.push(state.load_day(day)),
        (ViewKind::Day(_), _) => {}
        _ => effects.push(Effect::RunView(state.spec())),
    }
    if state.index.ready {
        effects.push(Effect::LoadIndex);
    }
    if state.sidebar.is_some() {
        effects.push(Effect::CountViews);
    }
    effects
}

fn index_ready(state: &mut AppState, tags: Vec<String>) -> Vec<Effect> {
    state.index.ready = true;
    state.index.loading = false;
    state.index.tags = tags;
    if std::mem::take(&mut state.index.building) {
        state.message = Some("the search index is ready".into());
    }
    let mut effects = vec![Effect::LearnTaste];
    if !matches!(state.view, ViewKind::Day(_)) || !state.filter.is_empty() {
        effects.push(Effect::RunView(state.spec()));
    }
    if state.sidebar.is_some() {
        effects.push(Effect::CountViews);
    }
    effects
}

/// The taste was learned again (after the index opened, or a change).
/// The For you view is ranked anew only when the taste first arrives: a
/// list reordering under the cursor at every star would be worse.
fn taste_learned(state: &mut AppState, liked: usize, ready: bool) -> Vec<Effect> {
    let first = state.index.taste.is_none_or(|(was, _)| was != ready);
    state.index.taste = Some((ready, liked));
    let rerank = std::mem::take(&mut state.index.rerank);
    if state.view != ViewKind::ForYou || !(first || rerank) {
        return Vec::new();
    }
    state.message = Some(if rerank {
        "For you is ranked again without the muted reason".into()
    } else {
        for_you_note(liked, ready)
    });
    vec![Effect::RunView(state.spec())]
}

/// What the For you view says of its ranking.
pub fn for_you_note(liked: usize, ready: bool) -> String {
    if ready {
        format!("ranked by your taste, learned from {liked} starred or tagged papers")
    } else {
        format!(
            "For you learns from starred or tagged papers: {liked} so far, {} needed; by upvotes until then",
            crate::domain::taste::MIN_POSITIVES
        )
    }
}

fn undo_loaded(state: &mut AppState, groups: Vec<crate::domain::model::UndoGroup>) -> Vec<Effect> {
    // Groups made in this session are already on the stack.
    let mine = format!("{}-", state.undo.session);
    let mut stack: Vec<_> = groups
        .into_iter()
        .filter(|(g, _)| !g.starts_with(&mine))
        .collect();
    stack.append(&mut state.undo.stack);
    state.undo.stack = stack;
    state.undo.loaded = true;
    if std::mem::take(&mut state.undo.pending) {
        return views::undo(state);
    }
    Vec::new()
}

fn state_merged(state: &mut AppState, peers: usize, warnings: &[String]) -> Vec<Effect> {
    state.message = Some(match warnings {
        [] => format!("merged state from {peers} other machine(s)"),
        [one] => format!("merged state from {peers} other machine(s); {one}"),
        [first, rest @ ..] => format!(
            "merged state from {peers} other machine(s); {first} (and {} more warnings: hfpapers sync-state shows them)",
            rest.len()
        ),
    });
    let mut effects: Vec<Effect> = if state.index.ready {
        vec![Effect::LoadIndex]
    } else {
        Vec::new()
    };
    if let (ViewKind::Day(_), Some(day)) = (&state.view, state.day)
        && !state.sample
    {
        effects.push(state.load_day(day));
    }
    effects
}

fn day_loaded(
    state: &mut AppState,
    day: Day,
    entries: Vec<crate::domain::model::Entry>,
    sample: bool,
) -> Vec<Effect> {
    let same =
        state.day == Some(day) && state.sample == sample && matches!(state.view, ViewKind::Day(_));
    if !same {
        state.screen = Screen::List;
        state.detail.paper = None;
        state.list.selected = 0;
    }
    state.day = Some(day);
    state.sample = sample;
    state.view = ViewKind::Day(Some(day));
    state.view_name = "Day".into();
    // A day is not ranked by For you: its scores column goes.
    state.list.foryou.clear();
    let marks = state.interests.mark(&entries, day);
    state.list.marks = marks;
    views::show_entries(
        state,
        super::rows::Rows::Held(
            entries
                .into_iter()
                .filter(|e| marks.muted == 0 || !state.interests.is_muted(e, day))
                .map(Arc::new)
                .collect(),
        ),
    );
    state.shown_spec = Some(state.spec());
    if let Some(open) = state.seek_unread.take() {
        return seek_unread(state, day, open);
    }
    // A filter or a sort in force applies to the new day too.
    if !state.filter.is_empty() || state.sort != crate::domain::query::SortKey::Date {
        return vec![Effect::RunView(state.spec())];
    }
    Vec::new()
}

fn page(state: &AppState) -> isize {
    match state.screen {
        Screen::Detail => 10,
        _ => state.list.rows.saturating_sub(1).max(1) as isize,
    }
}

fn move_by(state: &mut AppState, delta: isize) {
    if state.screen == Screen::Detail {
        state.detail.scroll_by(delta);
    } else {
        state.list.move_by(delta);
    }
}

/// `p`: the day, its week, its month, and back to the day.
fn cycle_period(state: &mut AppState) -> Vec<Effect> {
    if state.sample {
        state.message = Some("the sample digest has only one day; sync to read real ones".into());
        return Vec::new();
    }
    state.period = state.period.next();
    let Some(day) = state.day else {
        return Vec::new();
    };
    state.view = ViewKind::Day(Some(day));
    show_period(state, day)
}

/// `[`/`]` in a week or a month: the one before or after.
fn step_period(state: &mut AppState, steps: i32) -> Vec<Effect> {
    let Some(day) = state.day else {
        return Vec::new();
    };
    state.follow_latest = false;
    let target = state.period.step(day, steps);
    state.day = Some(target);
    show_period(state, target)
}

/// Loads the period around `day` from the store, and fetches its missing
/// days in the background when online (the list fills in as they come).
fn show_period(state: &mut AppState, day: Day) -> Vec<Effect> {
    let mut effects = vec![state.load_day(day)];
    let (from, to) = state.period.span(day);
    if state.period != Period::Day && matches!(state.sync.net, Net::Online | Net::Connecting) {
        state.sync.running = true;
        effects.push(Effect::FetchSpan { from, to });
    }
    effects
}

/// Opens a day that is not fetched yet: it is fetched in the background
/// (the list fills in when it is stored); offline, the status line says
/// it is not fetched yet.
fn fetch_day(state: &mut AppState, day: Day) -> Vec<Effect> {
    match state.sync.net {
        Net::Disabled | Net::Offline => {
            state.message = Some(format!(
                "{} is not fetched yet; it is fetched when online",
                fmt_day(day)
            ));
            Vec::new()
        }
        Net::Online | Net::Connecting => {
            state.day = Some(day);
            state.sample = false;
            state.view = ViewKind::Day(Some(day));
            state.view_name = "Day".into();
            state.list.entries.clear();
            state.list.selected = 0;
            state.follow_latest = false;
            state.sync.running = true;
            state.message = Some(format!("fetching {}…", fmt_day(day)));
            vec![Effect::FetchDay(day)]
        }
    }
}

/// `N`, `J`, `K`: the next or previous unread paper; past the last unread
/// one of a day, on to the day before.
fn unread_paper(state: &mut AppState, c: Command) -> Vec<Effect> {
    let step = if c == Command::NextUnread { 1 } else { -1 };
    let unread = |e: &crate::domain::model::Entry, _: usize| !e.state.read;
    let from = state.list.selected as isize;
    // A view is a whole: past its last unread paper, back to its first.
    if c == Command::NextUnread
        && !matches!(state.view, ViewKind::Day(_))
        && state.list.entries.find_from(from + 1, 1, unread).is_none()
    {
        return match state.list.entries.find_from(0, 1, unread) {
            Some(i) if i as isize != from || state.screen == Screen::List => {
                state.list.selected = i;
                state.message = Some("back to the first unread paper of this view".into());
                if state.screen == Screen::Detail {
                    state.screen = Screen::List;
                    return open_detail(state);
                }
                Vec::new()
            }
            _ => {
                state.message = Some("nothing unread in this view".into());
                Vec::new()
            }
        };
    }
    let effects = step_paper(state, |e, _| !e.state.read, step);
    // No unread paper left on this day: on to the day before.
    let last_day = state
        .list
        .entries
        .find_from(state.list.selected as isize + 1, 1, |e, _| !e.state.read)
        .is_none();
    if c == Command::NextUnread
        && effects.is_empty()
        && last_day
        && !state.sample
        && state.period == Period::Day
        && matches!(state.view, ViewKind::Day(_))
        && state
            .list
            .entries
            .get(state.list.selected)
            .is_none_or(|e| e.state.read)
        && let Some(from) = state.day
    {
        state.seek_unread = Some(state.screen == Screen::Detail);
        // Leaving a day that held new papers for the days before it: the
        // first older day without new ones is said to be past what is new.
        state.leaving_new = state.list.entries.all().iter().any(|e| state.is_new(e));
        state.message = Some("nothing unread left here: the day before…".into());
        return vec![Effect::StepDay {
            from,
            dir: Direction::Back,
        }];
    }
    effects
}

/// Moves to the next (`step` 1) or previous (-1) paper of the list that
/// `wanted` accepts; on the paper screen, opens it.
fn step_paper(
    state: &mut AppState,
    wanted: impl Fn(&crate::domain::model::Entry, usize) -> bool,
    step: isize,
) -> Vec<Effect> {
    let from = state.list.selected as isize;
    let Some(i) = state.list.entries.find_from(from + step, step, wanted) else {
        state.message = Some(
            if step > 0 {
                "no further paper here; ] or [ move between days"
            } else {
                "no earlier paper here; [ or ] move between days"
            }
            .into(),
        );
        return Vec::new();
    };
    state.list.selected = i;
    if state.screen == Screen::Detail {
        state.screen = Screen::List;
        return open_detail(state);
    }
    Vec::new()
}

/// After `N` moved to the day before: its first unread paper, opened when
/// `N` was pressed on the paper screen; a day with nothing unread is
/// passed over to the one before it.
fn seek_unread(state: &mut AppState, day: Day, open: bool) -> Vec<Effect> {
    if let Some(i) = state.list.entries.find_from(0, 1, |e, _| !e.state.read) {
        state.list.selected = i;
        let new_here = (state.list.entries.all().iter()).any(|e| !e.state.read && state.is_new(e));
        if std::mem::take(&mut state.leaving_new) && !new_here {
            // Past what is new: said once, and N goes on from here.
            state.message = Some(format!(
                "caught up with what is new; {} is older: N goes on through its unread papers",
                fmt_day(day)
            ));
            return Vec::new();
        }
        state.message = Some(format!("next unread: {}", fmt_day(day)));
        return if open { open_detail(state) } else { Vec::new() };
    }
    state.seek_unread = Some(open);
    vec![Effect::StepDay {
        from: day,
        dir: Direction::Back,
    }]
}

fn open_detail(state: &mut AppState) -> Vec<Effect> {
    if state.screen == Screen::Detail {
        return Vec::new();
    }
    let Some(entry) = state.list.entries.get(state.list.selected) else {
        return Vec::new();
    };
    let id = entry.row.id.clone();
    // Opening a paper marks it read.
    let mut effects = toggle(state, |_| Mark::Read);
    effects.push(Effect::LoadDetail(id));
    effects
}

/// `-`: tags the paper "less like this" (a tag like any other: undoable,
/// listed by `tag:not-for-me`, carried to other machines), which For you
/// learns from as a paper not liked; `-` again takes it off.
fn less_like_this(state: &mut AppState) -> Vec<Effect> {
    let tag = crate::domain::taste::LESS_TAG.to_string();
    let effects = toggle(state, |s| {
        if s.tags.contains(&tag) {
            Mark::Untag(tag.clone())
        } else {
            Mark::Tag(tag.clone())
        }
    });
    let less = state.selected_entry().is_some_and(|e| {
        e.state
            .tags
            .iter()
            .any(|t| t == crate::domain::taste::LESS_TAG)
    });
    if !effects.is_empty() || state.sample {
        state.message = Some(if less {
            "less like this: For you ranks papers like it lower (- again takes it back)".into()
        } else {
            "no longer less like this".into()
        });
    }
    // Triage goes on: the next unread paper (`less_moves_on = false` in
    // the config keeps the cursor here). The message stays the tag's.
    if less && state.less_moves_on && !effects.is_empty() {
        let said = state.message.take();
        let mut more = step_paper(state, |e, _| !e.state.read, 1);
        if state.screen == Screen::List || !more.is_empty() {
            state.message = said;
        }
        let mut effects = effects;
        effects.append(&mut more);
        return effects;
    }
    effects
}

/// `x` in the paper view: pick one of its For you reasons to mute.
fn mute_reason(state: &mut AppState) -> Vec<Effect> {
    let reasons: Vec<String> = state
        .detail
        .paper
        .as_ref()
        .and_then(|p| state.list.foryou.get(&p.id))
        .map(|s| {
            s.reasons
                .iter()
                .map(|r| crate::domain::taste::feature_name(&(r.kind, r.feature.clone())))
                .collect()
        })
        .unwrap_or_default();
    if reasons.is_empty() {
        state.message = Some("no For you reasons here: open a paper from the For you view".into());
    } else {
        prompt::open(state, PromptKind::Mute(reasons), String::new());
    }
    Vec::new()
}

/// A paper for the paper screen arrived: shown if it is still the one
/// selected; its thumbnail asked for after (the text never waits for it).
fn detail_loaded(state: &mut AppState, paper: crate::domain::model::Paper) -> Vec<Effect> {
    if state.selected_entry().is_none_or(|e| e.row.id != paper.id) {
        return Vec::new();
    }
    // Another paper: its full text is not this one's.
    if state.detail.text.as_ref().is_some_and(|t| t.id != paper.id) {
        state.detail.text = None;
    }
    let wants_picture = state.images
        && paper.thumbnail.is_some()
        && state
            .detail
            .thumbnail
            .as_ref()
            .is_none_or(|(id, _)| *id != paper.id);
    let id = paper.id.clone();
    state.detail.paper = Some(paper);
    state.detail.scroll = 0;
    state.screen = Screen::Detail;
    if wants_picture {
        vec![Effect::LoadThumbnail(id)]
    } else {
        Vec::new()
    }
}

/// A view's list arrived: shown if it is still the view asked for.
fn results_loaded(state: &mut AppState, loaded: Outcome) {
    let Outcome::ResultsLoaded {
        spec,
        entries,
        foryou,
        marks,
        notes,
    } = loaded
    else {
        return;
    };
    if spec != state.spec() {
        return;
    }
    state.list.foryou = foryou.into_iter().collect();
    state.list.marks = marks;
    state.list.notes = notes.into_iter().collect();
    if spec.kind == ViewKind::Watch {
        state.watch_unseen = 0;
    }
    if let ViewKind::MoreLike(tag) = &spec.kind {
        state.message = Some(format!(
            "unread papers ranked by what your #{tag} papers share (the paper view says why)"
        ));
    }
    if state.shown_spec.as_ref() == Some(&spec) {
        views::show_entries(state, entries);
    } else {
        state.list.selected = 0;
        state.list.offset = 0;
        state.shown_spec = Some(spec);
        state.list.entries = entries;
    }
}

/// `+` on the paper screen: a menu of what of the paper can be followed.
fn follow_menu(state: &mut AppState) -> Vec<Effect> {
    let Some(paper) = state
        .detail
        .paper
        .as_ref()
        .filter(|_| state.screen == Screen::Detail)
    else {
        state.message = Some("open a paper (Enter) to follow its authors".into());
        return Vec::new();
    };
    let mut choices = crate::domain::interests::follow_choices(paper);
    // What is followed already is not offered again.
    choices.retain(|q| !state.interests.follows.contains(q));
    if choices.is_empty() {
        state.message = Some("this paper names no author, organization or keyword".into());
    } else {
        prompt::open(state, PromptKind::Follow(choices), String::new());
    }
    Vec::new()
}

/// Follows or mutes changed: flags and counts follow at once; the list
/// and the sidebar are computed again (a mute changes what they hold).
fn interests_changed(
    state: &mut AppState,
    interests: Arc<crate::domain::interests::Interests>,
) -> Vec<Effect> {
    state.interests = interests;
    let mut effects = vec![Effect::RunView(state.spec())];
    if state.sidebar.is_some() {
        effects.push(Effect::CountViews);
    }
    effects
}

/// Applies a mark to the selected paper and asks the runtime to save it,
/// except for the sample digest, which lives in memory only.
fn toggle(state: &mut AppState, which: impl Fn(&UserState) -> Mark) -> Vec<Effect> {
    let Some(entry) = state.list.entries.get(state.list.selected) else {
        return Vec::new();
    };
    let mut new = entry.state.clone();
    let mark = which(&new);
    if !mark.apply(&mut new) {
        return Vec::new();
    }
    if state.sample && matches!(mark, Mark::Star | Mark::Unstar) {
        state.message = Some("sample digest: stars here are not saved".into());
    }
    let id = entry.row.id.clone();
    views::change_states(state, vec![(id, new)])
}

/// Calendar keys: j/k a week, [ ] a day, PgUp/PgDn a month, g/G the
/// month's first and last day, Enter opens the day, Esc goes back.
fn calendar_key(state: &mut AppState, c: Command) -> Vec<Effect> {
    let Some(cal) = &state.calendar else {
        state.screen = Screen::List;
        return Vec::new();
    };
    let cursor = cal.cursor;
    let target: Option<Day> = match c {
        Command::MoveDown => Some(cursor + chrono::Duration::days(7)),
        Command::MoveUp => Some(cursor - chrono::Duration::days(7)),
        Command::NextDay => cursor.succ_opt(),
        Command::PrevDay => cursor.pred_opt(),
        Command::PageDown => cursor.checked_add_months(chrono::Months::new(1)),
        Command::PageUp => cursor.checked_sub_months(chrono::Months::new(1)),
        Command::SelectFirst => cursor.with_day(1),
        Command::SelectLast => cal.cells.keys().next_back().copied(),
        Command::OpenDetail => {
            state.screen = Screen::List;
            state.follow_latest = false;
            if cal.cells.get(&cursor) == Some(&crate::app::DayCell::NotFetched) {
                return fetch_day(state, cursor);
            }
            return vec![state.load_day(cursor)];
        }
        Command::Back | Command::OpenCalendar => {
            state.screen = Screen::List;
            return Vec::new();
        }
        Command::Quit => {
            state.quit = true;
            return Vec::new();
        }
        Command::ToggleHelp => {
            state.help.shown = true;
            return Vec::new();
        }
        _ => None,
    };
    let Some(target) = target else {
        return Vec::new();
    };
    let same_month = target.year() == cal.month.year() && target.month() == cal.month.month();
    if same_month {
        if let Some(cal) = &mut state.calendar {
            cal.cursor = target;
        }
        Vec::new()
    } else {
        vec![Effect::LoadCalendar(Some(target))]
    }
}

/// Builds the calendar state for the month around `cursor`.
pub fn calendar_for(
    cursor: Day,
    cells: std::collections::BTreeMap<Day, super::DayCell>,
) -> Calendar {
    Calendar {
        month: cursor.with_day(1).unwrap_or(cursor),
        cursor,
        cells,
    }
}

fn day_stored(
    state: &mut AppState,
    day: Day,
    papers: usize,
    new: usize,
    latest: bool,
    at: String,
) -> Vec<Effect> {
    state.sync.net = Net::Online;
    state.sync.last = Some(at);
    let newer_latest = latest && state.follow_latest && state.day.is_none_or(|shown| day > shown);
    if latest && papers > 0 && newer_latest && !state.sample && state.day.is_some() {
        state.message = Some(format!(
            "new digest {}: {}, {new} new",
            fmt_day(day),
            crate::domain::text::count(papers as u64, "paper")
        ));
    }
    let in_day_view = matches!(state.view, ViewKind::Day(_));
    // A day of the period on screen arrived: the same period again.
    if let Some(shown) = state.day
        && in_day_view
        && !state.sample
    {
        let (from, to) = state.period.span(shown);
        if (from..=to).contains(&day) && !(newer_latest && papers > 0) {
            return vec![state.load_day(shown)];
        }
    }
    let reload = (state.sample && papers > 0) || (in_day_view && newer_latest && papers > 0);
    if reload {
        return vec![state.load_day(day)];
    }
    Vec::new()
}

fn sync_finished(state: &mut AppState, s: &SyncSummary) -> Vec<Effect> {
    if let Some(at) = &s.synced_at {
        state.sync.last = Some(at.clone());
    }
    state.sync.running = false;
    state.sync.progress = None;
    state.watch_unseen = s.watch_unseen;
    // New papers join the index (and so the views) once it is rebuilt.
    let reindex = if s.days > 0 && state.index.ready {
        vec![Effect::LoadIndex]
    } else {
        Vec::new()
    };
    if s.offline {
        state.sync.net = Net::Offline;
        state.message = Some(if state.sample {
            "offline: a bundled sample; run `hfpapers sync` online for the latest papers".into()
        } else {
            format!(
                "offline — {} cached",
                crate::domain::text::count(s.cached_days as u64, "day")
            )
        });
        return reindex;
    }
    state.sync.net = Net::Online;
    state.message = Some(match s.failed.first() {
        Some(first) => format!(
            "synced {}, {}; {} request(s) failed: {first}",
            crate::domain::text::count(s.days as u64, "day"),
            crate::domain::text::count(s.new as u64, "new paper"),
            s.failed.len()
        ),
        None if s.new == 0 => format!(
            "up to date ({} cached)",
            crate::domain::text::count(s.cached_days as u64, "day")
        ),
        None => format!(
            "synced {}: {}",
            crate::domain::text::count(s.days as u64, "day"),
            crate::domain::text::count(s.new as u64, "new paper")
        ),
    });
    if s.texts > 0
        && let Some(msg) = &mut state.message
    {
        msg.push_str(&format!(
            "; {} kept for offline reading",
            crate::domain::text::count(s.texts as u64, "full text")
        ));
    }
    if s.released > 0
        && let Some(msg) = &mut state.message
    {
        msg.push_str(&format!(
            "; code or weights released for {} (v: Watch)",
            crate::domain::text::count(s.released as u64, "starred paper")
        ));
    }
    reindex
}
