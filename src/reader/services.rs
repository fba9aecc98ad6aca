//! The reader's long-lived services, each behind a type with a request
//! and a result: the index over every stored day (built off the UI task
//! when first needed, kept in step with user changes) and the results of
//! the last search on Hugging Face. [`super::effects::Effects`] holds one
//! of each and dispatches to them.

use crate::app::rows::{Pages, Rows};
use crate::app::{Action, Outcome, ViewItem, ViewSpec};
use crate::domain::interests::Interests;
use crate::domain::model::{Day, Entry, Paper, PaperId, UserState};
use crate::search::index::{Index, Listing};
use crate::store::Store;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use tokio::sync::mpsc::UnboundedSender;

/// The index over all stored papers, once built. Clones share it.
#[derive(Clone, Default)]
pub struct IndexService {
    slot: Arc<RwLock<Option<Index>>>,
    /// A taste is being learned; another was asked for meanwhile.
    learning: Arc<std::sync::atomic::AtomicBool>,
    again: Arc<std::sync::atomic::AtomicBool>,
    /// Follows and mutes, which every view counts and hides by.
    interests: Arc<RwLock<Arc<Interests>>>,
}

impl IndexService {
    /// Requests a build off the UI task; the answer is `IndexReady` (with
    /// the tags in use) or `Failed`.
    pub fn request_build(&self, store: Store, tx: UnboundedSender<Action>) {
        let slot = self.slot.clone();
        tokio::task::spawn_blocking(move || {
            // A rebuild (a new or damaged index) says how far it has got,
            // every 10,000 papers.
            let mut told = 0;
            let mut progress = |p: crate::store::IndexProgress| {
                if p.done >= told + 10_000 && p.done < p.total {
                    told = p.done;
                    let _ = tx.send(Action::Done(Outcome::IndexBuilding {
                        done: p.done,
                        total: p.total,
                    }));
                }
            };
            let action = match Index::load_with(&store, &mut progress) {
                Ok(index) => {
                    let tags = index.tags().into_iter().map(|(t, _)| t).collect();
                    *slot.write().unwrap_or_else(PoisonError::into_inner) = Some(index);
                    Outcome::IndexReady { tags }
                }
                Err(e) => Outcome::Failed(format!("could not index the stored papers: {e}")),
            };
            let _ = tx.send(Action::Done(action));
        });
    }

    /// Builds the index now, on this thread (benches, tests).
    pub fn build_now(&self, store: &Store) -> Result<(), crate::store::StoreError> {
        *self.slot.write().unwrap_or_else(PoisonError::into_inner) = Some(Index::load(store)?);
        Ok(())
    }

    /// Learns the reader's taste off the UI task and ranks For you by it;
    /// the answer is `TasteLearned`. Asked again while learning, it learns
    /// once more when done (a burst of stars costs two trainings, not one
    /// each). The index is held only to choose the papers: the training
    /// itself (half a second at 100k papers) runs without it, so saving a
    /// change never waits for it.
    pub fn request_taste(&self, store: Store, tx: UnboundedSender<Action>) {
        use std::sync::atomic::Ordering;
        if self.learning.swap(true, Ordering::SeqCst) {
            self.again.store(true, Ordering::SeqCst);
            return;
        }
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            loop {
                this.again.store(false, Ordering::SeqCst);
                if let Some(outcome) = this.learn(&store) {
                    let _ = tx.send(Action::Done(outcome));
                }
                if !this.again.load(Ordering::SeqCst) {
                    this.learning.store(false, Ordering::SeqCst);
                    // Asked between the check and the store: take the
                    // work back, unless a new request already did.
                    if this.again.load(Ordering::SeqCst)
                        && !this.learning.swap(true, Ordering::SeqCst)
                    {
                        continue;
                    }
                    return;
                }
            }
        });
    }

    /// Adds a feature For you never counts (from the next learning on).
    pub fn add_muted(&self, feature: crate::domain::taste::Feature) {
        let mut interests = self
            .interests
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if !interests.foryou_mute.contains(&feature) {
            Arc::make_mut(&mut interests).foryou_mute.push(feature);
        }
    }

    /// Sets the follows and mutes views are computed with.
    pub fn set_interests(&self, interests: Arc<Interests>) {
        *self
            .interests
            .write()
            .unwrap_or_else(PoisonError::into_inner) = interests;
    }

    /// The follows and mutes in force.
    pub fn interests(&self) -> Arc<Interests> {
        self.interests
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn learn(&self, store: &Store) -> Option<Outcome> {
        use crate::search::foryou::{self, Trained};
        let (papers, rarity) = {
            let index = self.slot.read().unwrap_or_else(PoisonError::into_inner);
            let index = index.as_ref()?;
            (foryou::papers_of(index), index.rarity())
        };
        let muted = self.interests().foryou_mute.clone();
        let (ranker, liked, ready) = match foryou::learn(store, rarity, papers, muted) {
            Ok(Trained::Taste(t)) => {
                let liked = t.positives();
                (
                    Some(Arc::new(*t) as Arc<dyn crate::search::index::Ranker>),
                    liked,
                    true,
                )
            }
            Ok(Trained::ColdStart { liked }) => (None, liked, false),
            Err(e) => return Some(Outcome::Failed(format!("could not learn For you: {e}"))),
        };
        let index = self.slot.read().unwrap_or_else(PoisonError::into_inner);
        index.as_ref()?.set_ranker(ranker);
        Some(Outcome::TasteLearned { liked, ready })
    }

    /// Keeps the index in step with saved user states.
    pub fn set_states(&self, states: &[(PaperId, UserState)]) {
        if let Some(index) = self
            .slot
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
        {
            for (id, st) in states {
                index.set_state(id, st);
            }
        }
    }

    /// The list a view spec asks for. It runs where it is asked: it is the
    /// keystroke path of `/`, measured in milliseconds at 100k papers, and
    /// a hop off the UI task would cost a frame.
    pub fn run_view(
        &self,
        store: &Store,
        search: &SearchResults,
        spec: &ViewSpec,
        today: Day,
    ) -> Action {
        let index = self.slot.read().unwrap_or_else(PoisonError::into_inner);
        let pager = |listing: Listing| {
            Rows::Paged(Arc::new(IndexPages {
                slot: self.slot.clone(),
                listing,
            }))
        };
        let interests = self.interests();
        // The search engine is not ours: a panic in it (tantivy's
        // more-like-this had one) fails the view, never the reader.
        crate::platform::panics::contain(|| {
            // A debug-only path for the test that a view's panic is contained.
            #[cfg(debug_assertions)]
            assert!(
                std::env::var_os("HFPAPERS_TEST_VIEW_PANIC").is_none(),
                "a view panicking on purpose"
            );
            search.with(|results| {
                crate::search::views::run_view(
                    store,
                    index.as_ref(),
                    results,
                    spec,
                    today,
                    &pager,
                    &interests,
                )
            })
        })
        .unwrap_or_else(|panic| {
            Action::Done(Outcome::Failed(format!(
                "could not show this view: the search index failed ({}); everything else works, and `hfpapers index rebuild` writes the index anew",
                crate::domain::text::one_line(&panic)
            )))
        })
    }

    /// The sidebar's views with their counts.
    pub fn count_views(
        &self,
        store: &Store,
        saved: &[(String, String)],
        since: Option<i64>,
        today: Day,
    ) -> Vec<ViewItem> {
        let index = self.slot.read().unwrap_or_else(PoisonError::into_inner);
        let interests = self.interests();
        crate::search::views::count_views(store, index.as_ref(), saved, (since, today), &interests)
    }
}

/// A view over every stored day, its rows read from the index as they
/// are shown (see [`crate::app::rows`]).
struct IndexPages {
    slot: Arc<RwLock<Option<Index>>>,
    listing: Listing,
}

impl IndexPages {
    fn with<T: Default>(&self, f: impl FnOnce(&Index) -> T) -> T {
        self.slot
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(f)
            .unwrap_or_default()
    }
}

impl Pages for IndexPages {
    fn len(&self) -> usize {
        self.listing.len()
    }

    fn rows(&self, range: std::ops::Range<usize>) -> Vec<Arc<Entry>> {
        self.with(|ix| ix.listing_rows(&self.listing, range))
    }

    fn position(&self, id: &PaperId) -> Option<usize> {
        self.with(|ix| ix.listing_position(&self.listing, id))
    }

    fn counts(&self) -> (usize, usize) {
        self.with(|ix| ix.listing_counts(&self.listing))
    }

    fn new_since(&self, since: i64) -> usize {
        self.listing.new_since(since)
    }

    fn unread(&self) -> Vec<Arc<Entry>> {
        self.with(|ix| ix.listing_unread(&self.listing))
    }

    fn state_of(&self, id: &PaperId) -> UserState {
        self.with(|ix| ix.state(id))
    }
}

/// The results of the last search on Hugging Face: each paper with the
/// entry it shows as (stored state when the paper is stored).
#[derive(Clone, Default)]
pub struct SearchResults {
    slot: Arc<Mutex<Vec<(Entry, Paper)>>>,
}

impl SearchResults {
    /// Requests a search off the UI task; the answer is `SearchDone` (the
    /// results are then here) or `Failed`.
    pub fn request(
        &self,
        client: crate::source::Client,
        store: Store,
        text: String,
        tx: UnboundedSender<Action>,
    ) {
        let slot = self.slot.clone();
        tokio::spawn(async move {
            let action = match client.search(&text).await {
                Ok(papers) => {
                    let found = papers.len();
                    let results = papers
                        .into_iter()
                        .enumerate()
                        .map(|(i, p)| (crate::search::index::search_entry(&store, &p, i), p))
                        .collect();
                    *slot.lock().unwrap_or_else(PoisonError::into_inner) = results;
                    Outcome::SearchDone { text, found }
                }
                Err(e) => Outcome::SearchFailed {
                    text,
                    error: e.to_string(),
                    offline: e.is_offline(),
                },
            };
            let _ = tx.send(Action::Done(action));
        });
    }

    /// Requests the trending list off the UI task; the answer is
    /// `TrendingDone` (the papers are then here) or `Failed`.
    pub fn request_trending(
        &self,
        client: crate::source::Client,
        store: Store,
        tx: UnboundedSender<Action>,
    ) {
        let slot = self.slot.clone();
        tokio::spawn(async move {
            let action = match client.trending().await {
                Ok(papers) => {
                    let found = papers.len();
                    let results = papers
                        .into_iter()
                        .enumerate()
                        .map(|(i, p)| (crate::search::index::search_entry(&store, &p, i), p))
                        .collect();
                    *slot.lock().unwrap_or_else(PoisonError::into_inner) = results;
                    Outcome::TrendingDone { found }
                }
                Err(e) => Outcome::Failed(format!("trending: {e}")),
            };
            let _ = tx.send(Action::Done(action));
        });
    }

    /// Runs `f` over the results, without copying them.
    pub fn with<T>(&self, f: impl FnOnce(&[(Entry, Paper)]) -> T) -> T {
        f(&self.slot.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// A result by id: its entry and paper.
    pub fn find(&self, id: &PaperId) -> Option<(Entry, Paper)> {
        self.slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|(e, _)| e.row.id == *id)
            .cloned()
    }
}
