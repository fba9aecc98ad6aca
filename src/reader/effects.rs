//! Carrying out the app's [`Effect`]s: the IO edge between the pure
//! `update` and the store, the network and the browser.
//!
//! Store reads and writes are quick (one day is at most a few hundred keys)
//! and run inline, answering with an [`Action`]. Fetches run as tokio tasks
//! that store what they got and send the outcome back on the channel.

use crate::app::Outcome;
use crate::app::{Action, AppState, Effect, Net, SyncSummary};
use crate::domain::model::{Day, Entry, Paper, PaperId, UserState};
use crate::domain::sample;
use crate::reader::services::{IndexService, SearchResults};
use crate::source::Client;
use crate::store::Store;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

pub struct Effects {
    pub store: Store,
    /// `None` with `--offline`.
    pub client: Option<Client>,
    pub tx: UnboundedSender<Action>,
    /// The index over all stored papers, once built.
    index: IndexService,
    /// The last search on Hugging Face, as entries with their papers.
    search: SearchResults,
    /// Saved views from the config file: (name, query).
    saved_views: Vec<(String, String)>,
    /// Where every user change is recorded before it is stored.
    log: Option<Arc<crate::store::changelog::ChangeLog>>,
    /// When the previous session started (Unix seconds): what "New" means.
    since: Option<i64>,
    /// The config's hooks: `notify_command`, `pipe` and its format.
    hooks: Hooks,
    /// The config file `x` adds For you mutes to.
    config_path: Option<std::path::PathBuf>,
    /// Whose full texts are kept, and the caps.
    texts: crate::source::texts::TextConfig,
}

/// The hooks of the config file (see [`crate::platform::hooks`]).
#[derive(Debug, Clone, Default)]
pub struct Hooks {
    pub notify: Vec<String>,
    pub pipe: Vec<String>,
    /// `json` or `bibtex`.
    pub pipe_format: String,
}

impl Effects {
    pub fn new(
        store: Store,
        client: Option<Client>,
        tx: UnboundedSender<Action>,
        saved_views: Vec<(String, String)>,
    ) -> Effects {
        Effects {
            store,
            client,
            tx,
            index: IndexService::default(),
            search: SearchResults::default(),
            saved_views,
            log: None,
            since: None,
            hooks: Hooks::default(),
            config_path: None,
            texts: crate::source::texts::TextConfig {
                policy: crate::domain::model::TextPolicy::Starred,
                max_bytes: 2048 * 1024,
                total_bytes: 1024 * 1024 * 1024,
            },
        }
    }

    /// Records every user change in this log before storing it.
    /// Papers first seen after `since` (the previous session's start) are
    /// what the New view shows.
    #[must_use]
    pub fn with_since(mut self, since: Option<i64>) -> Effects {
        self.since = since;
        self
    }

    #[must_use]
    pub fn with_hooks(mut self, hooks: Hooks) -> Effects {
        self.hooks = hooks;
        self
    }

    /// Whose full texts a sync keeps, and the caps.
    #[must_use]
    pub fn with_texts(mut self, texts: crate::source::texts::TextConfig) -> Effects {
        self.texts = texts;
        self
    }

    /// The config file `x` adds For you mutes to and `+` follows.
    #[must_use]
    pub fn with_config_path(mut self, config: Option<std::path::PathBuf>) -> Effects {
        self.config_path = config;
        self
    }

    /// The follows, mutes and For you's muted features views are computed
    /// with.
    #[must_use]
    pub fn with_interests(self, interests: Arc<crate::domain::interests::Interests>) -> Effects {
        self.index.set_interests(interests);
        self
    }

    /// The follows and mutes as the config file has them now, when they
    /// changed (a command handed over may have edited it).
    fn reload_interests(&self) -> Option<Action> {
        let path = self.config_path.as_deref().filter(|p| p.exists())?;
        let interests = Arc::new(crate::platform::config::load(Some(path)).ok()?.interests());
        if interests == self.index.interests() {
            return None;
        }
        self.index.set_interests(interests.clone());
        Some(Action::Done(Outcome::InterestsChanged(interests)))
    }

    /// `+`: the follow into the config file, then into every view.
    fn follow(&self, query: &str) -> Action {
        let Some(path) = &self.config_path else {
            return Action::Done(Outcome::Failed(
                "no config file to keep the follow in (no config directory on this system)".into(),
            ));
        };
        let old = self.index.interests();
        let mut follows = old.follows.clone();
        follows.push(query.to_string());
        let interests = match crate::domain::interests::Interests::new(follows, old.mutes.clone()) {
            Ok(mut i) => {
                i.foryou_mute.clone_from(&old.foryou_mute);
                Arc::new(i)
            }
            Err(e) => return Action::Done(Outcome::Failed(format!("cannot follow {e}"))),
        };
        if let Err(e) = crate::platform::config::edit_list(path, ("follow", "queries"), query, true)
        {
            return Action::Done(Outcome::Failed(format!("could not follow {query}: {e}")));
        }
        self.index.set_interests(interests.clone());
        let _ = self
            .tx
            .send(Action::Done(Outcome::InterestsChanged(interests)));
        Action::Done(Outcome::Notice(format!(
            "following {query}: its papers are flagged ! and gathered in the Following view (v); kept in {}",
            path.display()
        )))
    }

    /// `x`: the mute into the config file, then the taste learned again.
    fn mute(&self, name: &str) -> Action {
        let Some(path) = &self.config_path else {
            return Action::Done(Outcome::Failed(
                "no config file to keep the mute in (no config directory on this system)".into(),
            ));
        };
        if let Err(e) = crate::platform::config::add_mute(path, name) {
            return Action::Done(Outcome::Failed(format!("could not mute {name}: {e}")));
        }
        if let Ok(feature) = crate::domain::taste::parse_feature(name) {
            self.index.add_muted(feature);
        }
        self.index
            .request_taste(self.store.clone(), self.tx.clone());
        Action::Done(Outcome::Notice(format!(
            "muted {name} for good (in {}); For you is ranked again",
            path.display()
        )))
    }

    #[must_use]
    pub fn with_log(mut self, log: Arc<crate::store::changelog::ChangeLog>) -> Effects {
        self.log = Some(log);
        self
    }

    /// What the first frame shows: `--date`'s day, else the latest stored
    /// day, else (empty store) the bundled sample digest.
    pub fn initial_day(&self, date: Option<Day>) -> Action {
        let result = (|| -> Result<Action, crate::store::StoreError> {
            if let Some(day) = date {
                return Ok(Action::Done(Outcome::DayLoaded {
                    day,
                    entries: self.store.day_entries(day)?,
                    sample: false,
                }));
            }
            Ok(match self.store.latest_day()? {
                Some(day) => Action::Done(Outcome::DayLoaded {
                    day,
                    entries: self.store.day_entries(day)?,
                    sample: false,
                }),
                None => sample_day(),
            })
        })();
        result.unwrap_or_else(|e| Action::Done(Outcome::Failed(e.to_string())))
    }

    /// Runs one effect; store effects answer at once, the rest later on the
    /// channel (or not at all).
    pub fn run(&self, effect: Effect) -> Option<Action> {
        let failed = |e: String| Action::Done(Outcome::Failed(e));
        match effect {
            Effect::LoadDay(day) => Some(self.load_day(day)),
            Effect::StepDay { from, dir } => Some(match self.store.step_day(Some(from), dir) {
                Ok(Some(day)) => self.load_day(day),
                Ok(None) => Action::Done(Outcome::NoDayThatWay(dir)),
                Err(e) => failed(e.to_string()),
            }),
            Effect::LoadDetail(id) => Some(self.load_detail(&id)),
            Effect::LoadText(id) => Some(self.load_text(id)),
            Effect::LoadThumbnail(id) => self.load_thumbnail(&id),
            Effect::LoadCalendar(around) => Some(self.load_calendar(around)),
            Effect::SaveStates {
                changes,
                group,
                undoes,
            } => self.save_states(changes, &group, undoes.as_deref()),
            Effect::RunView(spec) => Some(self.run_view(&spec)),
            Effect::CountViews => Some(self.count_views()),
            Effect::LoadUndo => self.load_undo(),
            Effect::LoadIndex => {
                self.spawn_index();
                None
            }
            e @ (Effect::MuteFeature(_)
            | Effect::Follow(_)
            | Effect::ReloadInterests
            | Effect::LearnTaste) => self.run_interests(e),
            Effect::Search(text) => {
                self.spawn_search(text);
                None
            }
            Effect::FetchTrending => {
                if let Some(client) = self.client.clone() {
                    self.search
                        .request_trending(client, self.store.clone(), self.tx.clone());
                }
                None
            }
            Effect::LoadLinks(id) => Some(match self.paper_anywhere(&id) {
                Some(p) => Action::Done(Outcome::LinksLoaded(p.links())),
                None => failed(format!("paper {id} is not in the store")),
            }),
            Effect::ExportView { name, entries } => Some(match self.export_view(&name, &entries) {
                Ok(path) => Action::Done(Outcome::Notice(format!(
                    "exported {} papers to {}",
                    entries.len(),
                    path.display()
                ))),
                Err(e) => failed(format!("could not export: {e}")),
            }),
            Effect::CopyText { what, text } => {
                Some(match crate::platform::clipboard::copy(&text) {
                    Ok(()) => Action::Done(Outcome::Notice(format!("copied the {what} (OSC 52)"))),
                    Err(e) => failed(format!("could not copy: {e}")),
                })
            }
            Effect::Pipe(id) => self.pipe(&id),
            Effect::Sync(day) => {
                let mut ranges = vec![crate::source::sync::Range::CatchUp];
                ranges.extend(day.map(crate::source::sync::Range::Day));
                self.spawn_sync(ranges);
                None
            }
            Effect::LoadPeriod { around, period } => Some(self.load_period(around, period)),
            Effect::FetchSpan { from, to } => {
                self.spawn_sync(vec![crate::source::sync::Range::Between(from, Some(to))]);
                None
            }
            Effect::FetchDay(day) => {
                self.spawn_sync(vec![crate::source::sync::Range::Day(day)]);
                None
            }
            Effect::OpenUrl(url) => Some(match crate::platform::browser::open(&url) {
                Ok(link) => Action::Done(Outcome::Notice(format!("opened {link}"))),
                Err(e) => failed(e.to_string()),
            }),
        }
    }

    /// The effects on the reader's interests: For you's taste and mutes,
    /// follows and mutes.
    fn run_interests(&self, effect: Effect) -> Option<Action> {
        match effect {
            Effect::MuteFeature(name) => Some(self.mute(&name)),
            Effect::Follow(query) => Some(self.follow(&query)),
            Effect::ReloadInterests => self.reload_interests(),
            Effect::LearnTaste => {
                self.index
                    .request_taste(self.store.clone(), self.tx.clone());
                None
            }
            _ => None,
        }
    }

    /// A paper for the detail screen: from the sample or the store, with
    /// its details refreshed in the background when they are old.
    fn load_detail(&self, id: &PaperId) -> Action {
        if id.is_sample() {
            return match sample::sample_papers().iter().find(|p| p.id == *id) {
                Some(p) => Action::Done(Outcome::DetailLoaded(Box::new(p.clone()))),
                None => Action::Done(Outcome::Failed(format!("no sample paper {id}"))),
            };
        }
        match self.store.paper(id) {
            Ok(Some(p)) => {
                if details_stale(&p) {
                    self.spawn_details(p.id.clone());
                }
                Action::Done(Outcome::DetailLoaded(Box::new(p)))
            }
            // A search or trending result opened is a paper like any
            // other: kept, so its read state and details have a home.
            Ok(None) => match self.keep_result(id) {
                Some(Ok(p)) => {
                    self.spawn_details(p.id.clone());
                    Action::Done(Outcome::DetailLoaded(Box::new(p)))
                }
                Some(Err(e)) => Action::Done(Outcome::Failed(format!("could not keep {id}: {e}"))),
                None => Action::Done(Outcome::Failed(format!("paper {id} is not in the store"))),
            },
            Err(e) => Action::Done(Outcome::Failed(e.to_string())),
        }
    }

    /// Stores a paper of the last online list (search or trending) that
    /// the store does not hold; `None` when it is in no such list.
    fn keep_result(&self, id: &PaperId) -> Option<Result<Paper, crate::store::StoreError>> {
        let (entry, paper) = self.search.find(id)?;
        Some(self.store.save_loose(&paper, entry.row.day).map(|()| paper))
    }

    /// The calendar month around a day (today, read here at the edge, when
    /// none is given).
    fn load_calendar(&self, around: Option<Day>) -> Action {
        let around = around.unwrap_or_else(|| chrono::Local::now().date_naive());
        match crate::search::views::calendar_cells(&self.store, around) {
            Ok(cells) => Action::Done(Outcome::CalendarLoaded(crate::app::calendar_for(
                around, cells,
            ))),
            Err(e) => Action::Done(Outcome::Failed(e.to_string())),
        }
    }

    fn run_view(&self, spec: &crate::app::ViewSpec) -> Action {
        // "More like #tag" trains a model first: off the UI task.
        if let crate::app::ViewKind::MoreLike(tag) = &spec.kind
            && let Ok(rt) = tokio::runtime::Handle::try_current()
        {
            let (index, store, search) =
                (self.index.clone(), self.store.clone(), self.search.clone());
            let (tx, spec_sent) = (self.tx.clone(), spec.clone());
            rt.spawn_blocking(move || {
                let _ = tx.send(index.run_view(&store, &search, &spec_sent, today()));
            });
            return Action::Done(Outcome::Notice(format!(
                "learning what your #{} papers share…",
                crate::domain::text::one_line(tag)
            )));
        }
        let action = self
            .index
            .run_view(&self.store, &self.search, spec, today());
        // The Watch view shown: its releases are seen (the status line
        // stops counting them).
        if spec.kind == crate::app::ViewKind::Watch
            && let Err(e) = self.store.mark_releases_seen()
        {
            tracing::warn!(error = %e, "could not mark releases seen");
        }
        action
    }

    fn count_views(&self) -> Action {
        Action::Done(Outcome::ViewsCounted(self.index.count_views(
            &self.store,
            &self.saved_views,
            self.since,
            today(),
        )))
    }

    /// Reads this device's undo stack from the change log, off the UI task.
    fn load_undo(&self) -> Option<Action> {
        let Some(log) = self.log.clone() else {
            return Some(Action::Done(Outcome::UndoLoaded(Vec::new())));
        };
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            let action = match log.read_all() {
                Ok(changes) => Action::Done(Outcome::UndoLoaded(
                    crate::store::changelog::undo_stack(&changes, log.device(), 200),
                )),
                Err(e) => Action::Done(Outcome::Failed(format!(
                    "could not read the change log: {e}"
                ))),
            };
            let _ = tx.send(action);
        });
        None
    }

    /// `|`: the paper, as JSON or BibTeX, on the pipe command's standard
    /// input, off the UI task; the status line says how it went.
    fn pipe(&self, id: &PaperId) -> Option<Action> {
        if self.hooks.pipe.is_empty() {
            return Some(Action::Done(Outcome::Notice(
                "no pipe command: set pipe = [\"program\", \"arg\"] in the config".into(),
            )));
        }
        let paper = self.paper_anywhere(id)?;
        let input = if self.hooks.pipe_format == "bibtex" {
            // The row as stored carries the paper's day (its year); a paper
            // not stored has the day it was put on the daily list.
            let row = self.store.row(id).ok().flatten().unwrap_or_else(|| {
                let mut row = crate::domain::model::Row::of(&paper, Day::default(), 0);
                row.day = crate::domain::parse::daily_day(&paper);
                row
            });
            crate::domain::export::bibtex(&row)
        } else {
            serde_json::to_string(&paper).unwrap_or_default() + "\n"
        };
        let (argv, tx, id) = (self.hooks.pipe.clone(), self.tx.clone(), id.clone());
        tokio::task::spawn_blocking(move || {
            let said = match crate::platform::hooks::run(
                &argv,
                &[("id", id.as_str())],
                input.as_bytes(),
            ) {
                Ok(()) => Outcome::Notice(format!("piped {id} to {}", argv[0])),
                Err(e) => Outcome::Failed(format!("pipe: {e}")),
            };
            let _ = tx.send(Action::Done(said));
        });
        None
    }

    /// A paper from the sample, the store or the last online search.
    fn paper_anywhere(&self, id: &PaperId) -> Option<Paper> {
        if id.is_sample() {
            return sample::sample_papers()
                .iter()
                .find(|p| p.id == *id)
                .cloned();
        }
        self.store
            .paper(id)
            .ok()
            .flatten()
            .or_else(|| self.search.find(id).map(|(_, p)| p))
    }

    /// The stored days of a period as one list, newest day first.
    fn load_period(&self, around: Day, period: crate::domain::model::Period) -> Action {
        let (from, to) = period.span(around);
        let mut entries = Vec::new();
        let mut day = to;
        while day >= from {
            match self.store.day_entries(day) {
                Ok(mut e) => entries.append(&mut e),
                Err(e) => return Action::Done(Outcome::Failed(e.to_string())),
            }
            let Some(before) = day.pred_opt() else { break };
            day = before;
        }
        Action::Done(Outcome::DayLoaded {
            day: around,
            entries,
            sample: false,
        })
    }

    fn load_day(&self, day: Day) -> Action {
        // Back from a view on a first run: the day was the bundled sample.
        if day == sample::sample_day() && matches!(self.store.day(day), Ok(None)) {
            return sample_day();
        }
        match self.store.day_entries(day) {
            Ok(entries) => Action::Done(Outcome::DayLoaded {
                day,
                entries,
                sample: false,
            }),
            Err(e) => Action::Done(Outcome::Failed(e.to_string())),
        }
    }

    /// Saves user states (flushed before this returns) and keeps the index
    /// in step. A search result that gets starred or tagged is stored first.
    fn save_states(
        &self,
        states: Vec<(PaperId, UserState)>,
        group: &str,
        undoes: Option<&str>,
    ) -> Option<Action> {
        // Sample papers live in memory only; never let one into the store.
        let states: Vec<(PaperId, UserState)> = states
            .into_iter()
            .filter(|(id, _)| !id.is_sample())
            .collect();
        if states.is_empty() {
            return None;
        }
        // A search or trending result read, starred or tagged is kept.
        for (id, _) in &states {
            if matches!(self.store.row(id), Ok(None))
                && let Some(Err(e)) = self.keep_result(id)
            {
                // Refused like any change: the screen shows what is saved.
                return Some(self.not_saved(group, undoes, states, &e.into()));
            }
        }
        let known: Vec<(PaperId, UserState)> = states
            .into_iter()
            .filter(|(id, _)| matches!(self.store.row(id), Ok(Some(_))))
            .collect();
        // The log first (it is what user state is rebuilt from), then the store.
        let saved = match &self.log {
            Some(log) => crate::store::userstate::record(&self.store, log, group, undoes, &known),
            None => self
                .store
                .set_states(&known)
                .map_err(crate::store::userstate::StateError::from),
        };
        let mut behind = None;
        match saved {
            Ok(()) => {}
            // In the log, so kept: the screen stays as it is.
            Err(e @ crate::store::userstate::StateError::StoreBehind(_)) => {
                behind = Some(crate::domain::text::one_line(&e.to_string()));
            }
            Err(e) => return Some(self.not_saved(group, undoes, known, &e)),
        }
        self.index.set_states(&known);
        self.after_saved(&known);
        behind.map(|note| Action::Done(Outcome::Notice(note)))
    }

    /// What a refused change group tells the app: what the store holds.
    fn not_saved(
        &self,
        group: &str,
        undoes: Option<&str>,
        known: Vec<(PaperId, UserState)>,
        e: &crate::store::userstate::StateError,
    ) -> Action {
        tracing::error!(error = %e, "saving user state failed");
        let saved = known
            .iter()
            .map(|(id, _)| (id.clone(), self.store.state(id).unwrap_or_default()))
            .collect();
        Action::Done(Outcome::NotSaved {
            group: group.to_string(),
            undoes: undoes.map(str::to_string),
            changes: known,
            saved,
            message: crate::domain::text::one_line(&e.to_string()),
        })
    }

    /// What follows a saved change: the taste learned again, details and
    /// texts of newly starred papers fetched.
    fn after_saved(&self, known: &[(PaperId, UserState)]) {
        // Stars, tags and reads are what the taste is learned from.
        self.index
            .request_taste(self.store.clone(), self.tx.clone());
        // A paper starred online has its details fetched now: what the
        // watch compares later (linked models, datasets, Spaces) starts
        // from here. A few at a time: a bulk change is no reason to flood.
        let never_fetched = |id: &PaperId| matches!(self.store.paper(id), Ok(Some(p)) if p.details_fetched_at.is_none());
        known
            .iter()
            .filter(|(id, st)| st.starred && never_fetched(id))
            .take(3)
            .for_each(|(id, _)| self.spawn_details(id.clone()));
        // And its full text, to read offline (unless the config says none).
        let starred: Vec<PaperId> = known
            .iter()
            .filter(|(id, st)| st.starred && matches!(self.store.text(id), Ok(None)))
            .take(3)
            .map(|(id, _)| id.clone())
            .collect();
        if let Some(client) = self.client.clone()
            && !starred.is_empty()
            && self.texts.policy != crate::domain::model::TextPolicy::None
        {
            let (store, texts) = (self.store.clone(), self.texts);
            tokio::spawn(async move {
                let mut report = crate::source::texts::TextReport::default();
                crate::source::texts::fetch_these(&client, &store, &starred, texts, 1, &mut report)
                    .await;
            });
        }
    }

    /// Writes a list as a Markdown reading list in `DATA_DIR/exports/`.
    fn export_view(
        &self,
        name: &str,
        entries: &[Arc<Entry>],
    ) -> std::io::Result<std::path::PathBuf> {
        let data_dir = self.store.dir().parent().unwrap_or(self.store.dir());
        let path = crate::platform::paths::export_path(data_dir, name, chrono::Local::now());
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let refs: Vec<&Entry> = entries.iter().map(|e| &**e).collect();
        crate::store::files::write_atomic(
            &path,
            crate::domain::export::render(&refs, crate::domain::export::Format::Markdown)
                .as_bytes(),
        )?;
        Ok(path)
    }

    /// Builds the index now, on this thread (benches, tests).
    pub fn load_index_now(&self) -> Result<(), crate::store::StoreError> {
        self.index.build_now(&self.store)
    }

    /// Builds the index over all stored papers off the UI thread.
    pub fn spawn_index(&self) {
        self.index
            .request_build(self.store.clone(), self.tx.clone());
    }

    fn spawn_search(&self, text: String) {
        if let Some(client) = self.client.clone() {
            self.search
                .request(client, self.store.clone(), text, self.tx.clone());
        }
    }

    /// Catches up in the background, reporting each stored day and the
    /// progress as actions; then fetches `day` if asked.
    fn spawn_sync(&self, ranges: Vec<crate::source::sync::Range>) {
        let Some(client) = self.client.clone() else {
            return;
        };
        let store = self.store.clone();
        let tx = self.tx.clone();
        let notify = self.hooks.notify.clone();
        let texts = self.texts;
        tokio::spawn(async move {
            // The latest digest and its new papers, for `notify_command`.
            let new_digest = std::sync::Mutex::new(None);
            let on_day = |d: crate::source::sync::StoredDay| {
                if d.latest
                    && d.report.new > 0
                    && !notify.is_empty()
                    && let Ok(mut n) = new_digest.lock()
                {
                    *n = Some((d.day, d.report.new));
                }
                let _ = tx.send(Action::Done(Outcome::DayStored {
                    day: d.day,
                    papers: d.report.papers,
                    new: d.report.new,
                    latest: d.latest,
                    at: crate::domain::model::now_rfc3339(),
                }));
            };
            let on_progress = |p: crate::source::sync::Progress| {
                let _ = tx.send(Action::Done(Outcome::SyncProgress {
                    done: p.done,
                    total: p.total,
                }));
            };
            let mut summary = SyncSummary::default();
            for range in ranges {
                match crate::source::sync::run(&client, &store, range, 4, &on_day, &on_progress)
                    .await
                {
                    Ok(report) => add_report(&mut summary, &report),
                    Err(e) => {
                        summary.offline |= e.is_offline();
                        summary.failed.push(e.to_string());
                        break;
                    }
                }
            }
            // Full texts for reading offline, as the policy says.
            if !summary.offline {
                let done = crate::source::texts::fetch_texts(&client, &store, texts, 2).await;
                summary.texts = done.fetched;
            }
            summary.cached_days = store.days_with_papers().map_or(0, |d| d.len());
            summary.watch_unseen = store.unseen_releases().unwrap_or(0);
            if let Some((date, count)) = new_digest.lock().ok().and_then(|n| *n) {
                let argv = notify.clone();
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = crate::platform::hooks::notify(
                        &argv,
                        &crate::domain::model::fmt_day(date),
                        count,
                    ) {
                        tracing::warn!(error = %e, "notify_command");
                    }
                });
            }
            summary.synced_at = store.last_sync().ok().flatten();
            let _ = tx.send(Action::Done(Outcome::SyncFinished(summary)));
        });
    }

    /// A paper's thumbnail: from the disk cache at once, else fetched in
    /// the background when online (nothing when it cannot be had: the
    /// paper view simply has no picture).
    fn load_thumbnail(&self, id: &PaperId) -> Option<Action> {
        let data_dir = self
            .store
            .dir()
            .parent()
            .unwrap_or(self.store.dir())
            .to_path_buf();
        if let Some(bytes) = crate::source::thumbs::cached(&data_dir, id) {
            return Some(Action::Done(Outcome::ThumbnailLoaded {
                id: id.clone(),
                image: bytes.into(),
            }));
        }
        let client = self.client.clone()?;
        let paper = self.store.paper(id).ok()??;
        let tx = self.tx.clone();
        tokio::spawn(async move {
            match crate::source::thumbs::thumbnail(&client, &data_dir, &paper).await {
                Ok(bytes) => {
                    let _ = tx.send(Action::Done(Outcome::ThumbnailLoaded {
                        id: paper.id.clone(),
                        image: bytes.into(),
                    }));
                }
                Err(e) => tracing::info!(paper = %paper.id, error = %e, "no thumbnail"),
            }
        });
        None
    }

    /// A paper's full text: the stored copy at once, else fetched in the
    /// background (and kept) when online, else why there is none.
    fn load_text(&self, id: PaperId) -> Action {
        if id.is_sample() {
            return Action::Done(Outcome::Notice(
                "the bundled sample has abstracts only; sync to read papers in full".into(),
            ));
        }
        match self.store.text(&id) {
            Ok(Some(text)) => {
                return Action::Done(Outcome::TextLoaded {
                    id,
                    markdown: text.into(),
                });
            }
            Ok(None) => {}
            Err(e) => return Action::Done(Outcome::Failed(e.to_string())),
        }
        let Some(client) = self.client.clone() else {
            return Action::Done(Outcome::Notice(format!(
                "the full text of {id} is not stored (--offline); star it and sync while online to keep it"
            )));
        };
        let (store, tx, caps) = (self.store.clone(), self.tx.clone(), self.texts);
        let said_now = format!("fetching the full text of {id}…");
        tokio::spawn(async move {
            let said = match client.fulltext(&id).await {
                Ok(Some(markdown)) => {
                    let _ = store.save_text(&id, &markdown, (caps.max_bytes, caps.total_bytes));
                    Outcome::TextLoaded {
                        id,
                        markdown: markdown.into(),
                    }
                }
                Ok(None) => Outcome::Notice(format!("Hugging Face has no full text for {id}")),
                Err(e) if e.is_offline() => Outcome::Notice(format!(
                    "offline: the full text of {id} is not stored; star a paper and sync while online to keep its text"
                )),
                Err(e) => Outcome::Failed(format!("could not fetch the full text: {e}")),
            };
            let _ = tx.send(Action::Done(said));
        });
        Action::Done(Outcome::Notice(said_now))
    }

    /// Fetches `/api/papers/{id}` in the background and stores it.
    fn spawn_details(&self, id: crate::domain::model::PaperId) {
        let Some(client) = self.client.clone() else {
            return;
        };
        let store = self.store.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            // Details are a nicety: a failure leaves the stored paper as it is.
            if let Ok(paper) = client.paper_details(&id).await
                && store.save_details(&paper).unwrap_or(false)
                && let Ok(Some(stored)) = store.paper(&id)
            {
                let _ = tx.send(Action::Done(Outcome::DetailRefreshed(Box::new(stored))));
            }
        });
    }
}

/// A sync's report, added to the reader's summary of the catch-up.
fn add_report(summary: &mut SyncSummary, report: &crate::source::sync::Report) {
    summary.days += report.days.len();
    summary.papers += report.papers();
    summary.new += report.new_papers();
    summary.offline |= report.offline;
    summary.released += report.released.len();
    summary.failed.extend(
        report
            .failed
            .iter()
            .map(|(what, why)| format!("{what}: {why}")),
    );
}

fn today() -> Day {
    chrono::Utc::now().date_naive()
}

/// Details older than a day (or never fetched) are worth refreshing.
fn details_stale(paper: &crate::domain::model::Paper) -> bool {
    let Some(at) = paper.details_fetched_at.as_deref() else {
        return true;
    };
    chrono::DateTime::parse_from_rfc3339(at).map_or(true, |t| {
        chrono::Utc::now().signed_duration_since(t) > chrono::Duration::days(1)
    })
}

/// The sample digest as a loaded day.
pub fn sample_day() -> Action {
    Action::Done(Outcome::sample_day())
}

/// The background work a session starts with: a catch-up, and the day
/// asked for with `--date`. Nothing with `--offline`.
pub fn startup_sync(state: &mut AppState, date: Option<Day>) -> Vec<Effect> {
    if state.sync.net == Net::Disabled {
        return Vec::new();
    }
    state.sync.net = Net::Connecting;
    state.sync.running = true;
    vec![Effect::Sync(date)]
}
