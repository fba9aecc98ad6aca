//! Carrying out the app's [`Effect`]s: a table from each effect to a
//! [`Library`] call, and from its result to an [`Outcome`]. Quick calls
//! (store reads, a view) answer at once; fetches and trainings run as
//! tokio tasks and answer on the channel. The work and its policy live
//! in the library; what is here is the reader's: its channel, its
//! config-file edits (follows, mutes: `reader/interests.rs`), its hooks.

use crate::app::{Action, Effect, Outcome};
use crate::domain::model::{Day, PaperId, UserState};
use crate::library::Library;
use crate::library::online::OnlineList;
use crate::library::papers::DayList;
use crate::library::saving::Saved;
use crate::source::sync::Range;
use tokio::sync::mpsc::UnboundedSender;

pub struct Effects {
    pub lib: Library,
    pub tx: UnboundedSender<Action>,
    pub(super) setup: Setup,
    /// What "new" means now: `setup.since`, moved when New is finished.
    since: std::sync::Mutex<Option<i64>>,
}

/// What the reader's effects are set up with beside the library: the
/// config's saved views, hooks and path, and what "New" means.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    /// Saved views from the config file: (name, query).
    pub saved_views: Vec<(String, String)>,
    /// Papers first seen after this (Unix seconds) are what the New view
    /// shows: when New was last finished, else the previous session's start.
    pub since: Option<i64>,
    /// The config's hooks: `notify_command`, `pipe` and its format.
    pub hooks: Hooks,
    /// The config file `x` adds For you mutes to and `+` follows.
    pub config_path: Option<std::path::PathBuf>,
}

/// The hooks of the config file (see [`crate::platform::hooks`]).
#[derive(Debug, Clone, Default)]
pub struct Hooks {
    pub notify: Vec<String>,
    pub pipe: Vec<String>,
    /// `json` or `bibtex`.
    pub pipe_format: String,
}

pub(super) fn done(outcome: Outcome) -> Action {
    Action::Done(outcome)
}

pub(super) fn failed(e: impl std::fmt::Display) -> Action {
    done(Outcome::Failed(e.to_string()))
}

pub(super) fn notice(m: impl Into<String>) -> Action {
    done(Outcome::Notice(m.into()))
}

/// A day's list as the app takes it.
fn day_loaded(list: DayList) -> Action {
    done(Outcome::DayLoaded {
        day: list.day,
        entries: list.entries,
        sample: list.sample,
    })
}

impl Effects {
    pub fn new(lib: Library, tx: UnboundedSender<Action>, setup: Setup) -> Effects {
        let since = std::sync::Mutex::new(setup.since);
        Effects {
            lib,
            tx,
            setup,
            since,
        }
    }

    /// New was finished: kept in the store, and what the sidebar counts.
    fn finish_new(&self, at: i64) -> Option<Action> {
        if let Err(e) = self.lib.store.finish_new(at) {
            return Some(failed(format!("could not keep that New is done: {e}")));
        }
        *self
            .since
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(at);
        None
    }

    /// Papers first seen after this are new (Unix seconds).
    fn new_since(&self) -> Option<i64> {
        *self
            .since
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What the first frame shows: `--date`'s day, else the latest stored
    /// day, else (empty store) the bundled sample digest.
    pub fn initial_day(&self, date: Option<Day>) -> Action {
        self.lib.first_day(date).map_or_else(failed, day_loaded)
    }

    /// Runs one effect; quick ones answer at once, the rest later on the
    /// channel (or not at all).
    pub fn run(&self, effect: Effect) -> Option<Action> {
        let lib = &self.lib;
        Some(match effect {
            Effect::LoadDay(day) => lib.day(day).map_or_else(failed, day_loaded),
            Effect::StepDay { from, dir } => match lib.store.step_day(Some(from), dir) {
                Ok(Some(day)) => lib.day(day).map_or_else(failed, day_loaded),
                Ok(None) => done(Outcome::NoDayThatWay(dir)),
                Err(e) => failed(e),
            },
            Effect::LoadPeriod { around, period } => {
                lib.period(around, period).map_or_else(failed, day_loaded)
            }
            Effect::LoadDetail(id) => self.load_detail(&id),
            Effect::LoadText { id, offline } => self.load_text(id, offline),
            Effect::LoadThumbnail(id) => return self.load_thumbnail(id),
            Effect::LoadCalendar(around) => self.load_calendar(around),
            Effect::SaveStates {
                changes,
                group,
                undoes,
            } => return self.save_states(changes, &group, undoes.as_deref()),
            Effect::RunView(spec) => self.run_view(&spec),
            Effect::CountViews => done(Outcome::ViewsCounted(lib.index.count_views(
                &lib.store,
                &self.setup.saved_views,
                self.new_since(),
                today(),
            ))),
            Effect::FinishNew(at) => return self.finish_new(at),
            Effect::LoadUndo => {
                let lib = lib.clone();
                self.blocking(move || {
                    lib.undo_stack()
                        .map_or_else(Outcome::Failed, Outcome::UndoLoaded)
                });
                return None;
            }
            Effect::LoadIndex => {
                self.spawn_index();
                return None;
            }
            e @ (Effect::MuteFeature(_)
            | Effect::Follow(_)
            | Effect::ReloadInterests
            | Effect::LearnTaste) => return self.run_interests(e),
            Effect::Search(text) => return self.fetch_online(OnlineList::Search(text)),
            Effect::FetchTrending => return self.fetch_online(OnlineList::Trending),
            Effect::LoadLinks(id) => match lib.paper(&id) {
                Some(p) => done(Outcome::LinksLoaded(p.links())),
                None => failed(format!("paper {id} is not in the store")),
            },
            Effect::ExportView { name, entries } => match lib.export_list(&name, &entries) {
                Ok(path) => notice(format!(
                    "exported {} papers to {}",
                    entries.len(),
                    path.display()
                )),
                Err(e) => failed(format!("could not export: {e}")),
            },
            Effect::CopyText { what, text } => match crate::platform::clipboard::copy(&text) {
                Ok(()) => notice(format!("copied the {what} (OSC 52)")),
                Err(e) => failed(format!("could not copy: {e}")),
            },
            Effect::Pipe(id) => return self.pipe(&id),
            Effect::Sync(day) => {
                let mut ranges = vec![Range::CatchUp];
                ranges.extend(day.map(Range::Day));
                return self.spawn_sync(ranges);
            }
            Effect::FetchSpan { from, to } => {
                return self.spawn_sync(vec![Range::Between(from, Some(to))]);
            }
            Effect::FetchDay(day) => return self.spawn_sync(vec![Range::Day(day)]),
            Effect::OpenUrl(url) => match crate::platform::browser::open(&url) {
                Ok(link) => notice(format!("opened {link}")),
                Err(e) => failed(e),
            },
        })
    }

    /// The calendar month around a day (today, read here at the edge, when
    /// none is given).
    fn load_calendar(&self, around: Option<Day>) -> Action {
        let around = around.unwrap_or_else(|| chrono::Local::now().date_naive());
        match self.lib.calendar(around) {
            Ok(cells) => done(Outcome::CalendarLoaded(crate::app::calendar_for(
                around, cells,
            ))),
            Err(e) => failed(e),
        }
    }

    /// A paper for the detail screen, its details refreshed in the
    /// background when they are old (or it was just kept from a list).
    fn load_detail(&self, id: &PaperId) -> Action {
        match self.lib.open_paper(id) {
            Ok(Some((paper, refresh))) => {
                if refresh {
                    self.spawn_details(paper.id.clone());
                }
                done(Outcome::DetailLoaded(Box::new(paper)))
            }
            Ok(None) => failed(format!("paper {id} is not in the store")),
            Err(e) => failed(format!("could not keep {id}: {e}")),
        }
    }

    fn run_view(&self, spec: &crate::app::ViewSpec) -> Action {
        let shown = |lib: &Library, spec: &crate::app::ViewSpec| {
            let shown = lib.index.run_view(&lib.store, &lib.online, spec, today());
            match shown {
                Ok(s) => Outcome::ResultsLoaded {
                    spec: s.spec,
                    entries: s.entries,
                    foryou: s.foryou,
                    marks: s.marks,
                    notes: s.notes,
                },
                Err(crate::domain::view::NoView::NotYet(m)) => Outcome::Notice(m),
                Err(crate::domain::view::NoView::Failed(m)) => Outcome::Failed(m),
            }
        };
        // "More like #tag" trains a model first: off the UI task.
        if let crate::app::ViewKind::MoreLike(tag) = &spec.kind
            && tokio::runtime::Handle::try_current().is_ok()
        {
            let (lib, spec) = (self.lib.clone(), spec.clone());
            self.blocking(move || shown(&lib, &spec));
            return notice(format!(
                "learning what your #{} papers share…",
                crate::domain::text::one_line(tag)
            ));
        }
        let outcome = shown(&self.lib, spec);
        // The Watch view shown: its releases are seen (the status line
        // stops counting them).
        if spec.kind == crate::app::ViewKind::Watch
            && let Err(e) = self.lib.store.mark_releases_seen()
        {
            tracing::warn!(error = %e, "could not mark releases seen");
        }
        done(outcome)
    }

    /// Saves user states (flushed before this returns) and starts what
    /// the library says follows from them.
    fn save_states(
        &self,
        states: Vec<(PaperId, UserState)>,
        group: &str,
        undoes: Option<&str>,
    ) -> Option<Action> {
        match self.lib.save(states, group, undoes) {
            Saved::Nothing => None,
            Saved::Done { behind, follow_ups } => {
                self.follow_up(follow_ups);
                behind.map(notice)
            }
            Saved::Refused {
                changes,
                saved,
                message,
            } => Some(done(Outcome::NotSaved {
                group: group.to_string(),
                undoes: undoes.map(str::to_string),
                changes,
                saved,
                message,
            })),
        }
    }
}

fn today() -> Day {
    chrono::Utc::now().date_naive()
}

/// The sample digest as a loaded day.
pub fn sample_day() -> Action {
    day_loaded(DayList::sample())
}
