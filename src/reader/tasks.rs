//! The reader's background work: fetches, trainings and builds started
//! by [`Effects`], each a library call run as a task whose result comes
//! back on the channel as an [`Outcome`].

use super::effects::{Effects, done, failed, notice};
use crate::app::{Action, Outcome};
use crate::domain::model::PaperId;
use crate::library::index::IndexEvent;
use crate::library::online::OnlineList;
use crate::library::papers::TextFetched;
use crate::library::saving::FollowUps;
use crate::source::sync::Range;

impl Effects {
    /// Runs `work` off the UI task; its outcome comes back on the channel.
    pub(super) fn blocking(&self, work: impl FnOnce() -> Outcome + Send + 'static) {
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            let _ = tx.send(done(work()));
        });
    }

    /// Runs `work` as a task; its outcome (if any) comes back on the channel.
    pub(super) fn spawn(&self, work: impl Future<Output = Option<Outcome>> + Send + 'static) {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            if let Some(outcome) = work.await {
                let _ = tx.send(done(outcome));
            }
        });
    }

    /// Index events as the app takes them.
    pub(super) fn index_events(&self) -> impl Fn(IndexEvent) + Send + 'static {
        let tx = self.tx.clone();
        move |event| {
            let _ = tx.send(done(match event {
                IndexEvent::Building { done, total } => Outcome::IndexBuilding { done, total },
                IndexEvent::Ready { tags } => Outcome::IndexReady { tags },
                IndexEvent::Learned { liked, ready } => Outcome::TasteLearned { liked, ready },
                IndexEvent::Failed(why) => Outcome::Failed(why),
            }));
        }
    }

    pub(super) fn follow_up(&self, follow_ups: FollowUps) {
        if follow_ups.learn {
            self.learn_taste();
        }
        for id in follow_ups.details {
            self.spawn_details(id);
        }
        if !follow_ups.texts.is_empty() && self.lib.client.is_some() {
            let lib = self.lib.clone();
            tokio::spawn(async move { lib.fetch_texts_of(&follow_ups.texts).await });
        }
    }

    /// Learns the taste again, off the UI task.
    pub(super) fn learn_taste(&self) {
        (self.lib.index).request_taste(self.lib.store.clone(), self.index_events());
    }

    /// Builds the index now, on this thread (benches, tests).
    pub fn load_index_now(&self) -> Result<(), crate::store::StoreError> {
        self.lib.index.build_now(&self.lib.store)
    }

    /// Builds the index over all stored papers off the UI thread.
    pub fn spawn_index(&self) {
        (self.lib.index).request_build(self.lib.store.clone(), self.index_events());
    }

    /// A search or the trending list, fetched in the background.
    pub(super) fn fetch_online(&self, list: OnlineList) -> Option<Action> {
        let lib = self.lib.clone();
        lib.client.as_ref()?;
        self.spawn(async move {
            let client = lib.client.as_ref()?;
            let found = lib.online.fetch(client, &lib.store, &list).await;
            Some(match (list, found) {
                (OnlineList::Search(text), Ok(found)) => Outcome::SearchDone { text, found },
                (OnlineList::Search(text), Err(e)) => Outcome::SearchFailed {
                    text,
                    error: e.to_string(),
                    offline: e.is_offline(),
                },
                (OnlineList::Trending, Ok(found)) => Outcome::TrendingDone { found },
                (OnlineList::Trending, Err(e)) => Outcome::Failed(format!("trending: {e}")),
            })
        });
        None
    }

    /// A paper's thumbnail: from the disk cache at once, else fetched in
    /// the background when online (nothing when it cannot be had: the
    /// paper view simply has no picture).
    pub(super) fn load_thumbnail(&self, id: PaperId) -> Option<Action> {
        let loaded = |id, bytes: Vec<u8>| Outcome::ThumbnailLoaded {
            id,
            image: bytes.into(),
        };
        if let Some(bytes) = self.lib.cached_thumbnail(&id) {
            return Some(done(loaded(id, bytes)));
        }
        let lib = self.lib.clone();
        lib.client.as_ref()?;
        self.spawn(async move {
            match lib.fetch_thumbnail(&id).await {
                Ok(bytes) => Some(loaded(id, bytes)),
                Err(e) => {
                    tracing::info!(paper = %id, error = %e, "no thumbnail");
                    None
                }
            }
        });
        None
    }

    /// A paper's full text: the stored copy at once, else fetched in the
    /// background (and kept) when online, else why there is none.
    pub(super) fn load_text(&self, id: PaperId, offline: bool) -> Action {
        if id.is_sample() {
            return notice("the bundled sample has abstracts only; sync to read papers in full");
        }
        match self.lib.store.text(&id) {
            Ok(Some(text)) => {
                return done(Outcome::TextLoaded {
                    id,
                    markdown: text.into(),
                });
            }
            Ok(None) => {}
            Err(e) => return failed(e),
        }
        if self.lib.client.is_none() {
            return notice(format!(
                "the full text of {id} is not stored (--offline); star it and sync while online to keep it"
            ));
        }
        if offline {
            return notice(format!(
                "offline: the full text of {id} is not stored; star a paper and sync while online to keep its text"
            ));
        }
        let said_now = format!("fetching the full text of {id}…");
        let lib = self.lib.clone();
        self.spawn(async move {
            Some(match lib.fetch_text(&id).await {
                TextFetched::Kept(markdown) => Outcome::TextLoaded {
                    id,
                    markdown: markdown.into(),
                },
                TextFetched::Absent => {
                    Outcome::Notice(format!("Hugging Face has no full text for {id}"))
                }
                TextFetched::Offline => Outcome::Notice(format!(
                    "offline: the full text of {id} is not stored; star a paper and sync while online to keep its text"
                )),
                TextFetched::Failed(e) => {
                    Outcome::Failed(format!("could not fetch the full text: {e}"))
                }
            })
        });
        notice(said_now)
    }

    /// Fetches a paper's details in the background and stores them.
    pub(super) fn spawn_details(&self, id: PaperId) {
        let lib = self.lib.clone();
        self.spawn(async move {
            let stored = lib.refresh_details(&id).await?;
            Some(Outcome::DetailRefreshed(Box::new(stored)))
        });
    }

    /// Syncs in the background, each stored day and the progress told as
    /// they happen, then the summary; runs `notify_command` for a new
    /// digest.
    pub(super) fn spawn_sync(&self, ranges: Vec<Range>) -> Option<Action> {
        let lib = self.lib.clone();
        lib.client.as_ref()?;
        let (tx, notify) = (self.tx.clone(), self.setup.hooks.notify.clone());
        self.spawn(async move {
            let on_day = |d: crate::source::sync::StoredDay| {
                let _ = tx.send(done(Outcome::DayStored {
                    day: d.day,
                    papers: d.report.papers,
                    new: d.report.new,
                    latest: d.latest,
                    at: crate::domain::model::now_rfc3339(),
                }));
            };
            let on_progress = |p: crate::source::sync::Progress| {
                let (done_, total) = (p.done, p.total);
                let _ = tx.send(done(Outcome::SyncProgress { done: done_, total }));
            };
            let synced = lib.sync(&ranges, 4, &on_day, &on_progress).await;
            if let Some((day, count)) = synced.new_digest
                && !notify.is_empty()
            {
                tokio::task::spawn_blocking(move || {
                    let day = crate::domain::model::fmt_day(day);
                    if let Err(e) = crate::platform::hooks::notify(&notify, &day, count) {
                        tracing::warn!(error = %e, "notify_command");
                    }
                });
            }
            Some(Outcome::SyncFinished(synced.summary))
        });
        None
    }
    /// `|`: the paper, as JSON or BibTeX, on the pipe command's standard
    /// input, off the UI task; the status line says how it went.
    pub(super) fn pipe(&self, id: &PaperId) -> Option<Action> {
        if self.setup.hooks.pipe.is_empty() {
            return Some(notice(
                "no pipe command: set pipe = [\"program\", \"arg\"] in the config",
            ));
        }
        let input = self
            .lib
            .pipe_input(id, self.setup.hooks.pipe_format == "bibtex")?;
        let (argv, id) = (self.setup.hooks.pipe.clone(), id.clone());
        self.blocking(move || {
            match crate::platform::hooks::run(&argv, &[("id", id.as_str())], input.as_bytes()) {
                Ok(()) => Outcome::Notice(format!("piped {id} to {}", argv[0])),
                Err(e) => Outcome::Failed(format!("pipe: {e}")),
            }
        });
        None
    }
}
