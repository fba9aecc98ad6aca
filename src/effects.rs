//! Carrying out the app's [`Effect`]s: the IO edge between the pure
//! `update` and the store, the network and the browser.
//!
//! Store reads and writes are quick (one day is at most a few hundred keys)
//! and run inline, answering with an [`Action`]. Fetches run as tokio tasks
//! that store what they got and send the outcome back on the channel.

use crate::app::{Action, AppState, Effect, FetchResult, FetchTarget, Net};
use crate::model::{Day, Entry, UserState};
use crate::sample;
use crate::source::Client;
use crate::store::Store;
use tokio::sync::mpsc::UnboundedSender;

pub struct Effects {
    pub store: Store,
    /// `None` with `--offline`.
    pub client: Option<Client>,
    pub tx: UnboundedSender<Action>,
}

impl Effects {
    /// What the first frame shows: `--date`'s day, else the latest stored
    /// day, else (empty store) the bundled sample digest.
    pub fn initial_day(&self, date: Option<Day>) -> Action {
        let result = (|| -> Result<Action, crate::store::StoreError> {
            if let Some(day) = date {
                return Ok(Action::DayLoaded {
                    day,
                    entries: self.store.day_entries(day)?,
                    sample: false,
                });
            }
            Ok(match self.store.latest_day()? {
                Some(day) => Action::DayLoaded {
                    day,
                    entries: self.store.day_entries(day)?,
                    sample: false,
                },
                None => sample_day(),
            })
        })();
        result.unwrap_or_else(|e| Action::Failed(e.to_string()))
    }

    /// Runs one effect; store effects answer at once, the rest later on the
    /// channel (or not at all).
    pub fn run(&self, effect: Effect) -> Option<Action> {
        match effect {
            Effect::LoadDay(day) => Some(self.load_day(day)),
            Effect::StepDay { from, dir } => Some(match self.store.step_day(Some(from), dir) {
                Ok(Some(day)) => self.load_day(day),
                Ok(None) => Action::NoDayThatWay(dir),
                Err(e) => Action::Failed(e.to_string()),
            }),
            Effect::LoadDetail(id) => Some(if id.is_sample() {
                match sample::sample_papers().iter().find(|p| p.id == id) {
                    Some(p) => Action::DetailLoaded(Box::new(p.clone())),
                    None => Action::Failed(format!("no sample paper {id}")),
                }
            } else {
                match self.store.paper(&id) {
                    Ok(Some(p)) => Action::DetailLoaded(Box::new(p)),
                    Ok(None) => Action::Failed(format!("paper {id} is not in the store")),
                    Err(e) => Action::Failed(e.to_string()),
                }
            }),
            Effect::SaveState(id, state) => {
                // Sample papers live in memory only; never let one into the store.
                if id.is_sample() {
                    return None;
                }
                self.save_state(&id, &state)
            }
            Effect::Fetch(target) => {
                self.spawn_fetch(target);
                None
            }
            Effect::OpenUrl(url) => Some(match crate::browser::open(&url) {
                Ok(link) => Action::Notice(format!("opened {link}")),
                Err(e) => Action::Failed(e),
            }),
        }
    }

    fn load_day(&self, day: Day) -> Action {
        match self.store.day_entries(day) {
            Ok(entries) => Action::DayLoaded {
                day,
                entries,
                sample: false,
            },
            Err(e) => Action::Failed(e.to_string()),
        }
    }

    fn save_state(&self, id: &crate::model::PaperId, state: &UserState) -> Option<Action> {
        match self.store.set_state(id, state) {
            Ok(()) => None,
            Err(e) => Some(Action::Failed(format!(
                "could not save the change to {id}: {e}; it is shown but not stored"
            ))),
        }
    }

    fn spawn_fetch(&self, target: FetchTarget) {
        let Some(client) = self.client.clone() else {
            return;
        };
        let store = self.store.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let result = fetch_and_store(&client, &store, target).await;
            let _ = tx.send(Action::Fetched { target, result });
        });
    }
}

/// Fetches a list and stores it; the outcome as the app sees it.
pub async fn fetch_and_store(client: &Client, store: &Store, target: FetchTarget) -> FetchResult {
    let fetched = match target {
        FetchTarget::Latest => client.latest().await,
        FetchTarget::Day(day) => client.day(day).await,
    };
    match fetched {
        Ok(fetched) => match store.save_day(&fetched) {
            Ok(report) => FetchResult::Stored {
                day: fetched.day,
                papers: report.papers,
                new: report.new,
            },
            Err(e) => FetchResult::Failed {
                offline: false,
                message: e.to_string(),
            },
        },
        Err(e) => FetchResult::Failed {
            offline: e.is_offline(),
            message: e.to_string(),
        },
    }
}

/// The sample digest as a loaded day.
pub fn sample_day() -> Action {
    let entries = sample::sample_papers()
        .iter()
        .enumerate()
        .map(|(i, p)| Entry {
            row: crate::model::Row::of(p, sample::sample_day(), i as u32 + 1),
            state: UserState::default(),
        })
        .collect();
    Action::DayLoaded {
        day: sample::sample_day(),
        entries,
        sample: true,
    }
}

/// The fetches a session starts with: the latest list, and the day asked
/// for with `--date`. None with `--offline`.
pub fn startup_fetches(state: &mut AppState, date: Option<Day>) -> Vec<Effect> {
    if state.net == Net::Disabled {
        return Vec::new();
    }
    let mut effects = vec![Effect::Fetch(FetchTarget::Latest)];
    if let Some(day) = date {
        effects.push(Effect::Fetch(FetchTarget::Day(day)));
    }
    state.net = Net::Connecting;
    state.syncing = effects.len();
    effects
}
