//! The index over every stored day as a long-lived service: built off
//! the caller's task when first needed, kept in step with user changes,
//! ranked by the taste learned from them, and asked for views and counts.
//! Answers are domain results handed to a callback; the frontend turns
//! them into its own vocabulary.

use super::online::OnlineResults;
use crate::domain::interests::Interests;
use crate::domain::model::{Day, Entry, PaperId, UserState};
use crate::domain::rows::{Pages, Rows};
use crate::domain::view::{NoView, Shown, ViewItem, ViewSpec};
use crate::search::index::{Index, Listing};
use crate::store::Store;
use std::sync::{Arc, PoisonError, RwLock};

/// What a build or a learning brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexEvent {
    /// A rebuild (a new or damaged index) has got this far.
    Building { done: usize, total: usize },
    /// The index is ready: the tags in use.
    Ready { tags: Vec<String> },
    /// The taste was learned again: from how many liked papers, and
    /// whether that was enough to rank by (else For you is by upvotes).
    Learned { liked: usize, ready: bool },
    /// The build or the learning failed: why, in a sentence.
    Failed(String),
}

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
    /// Requests a build off the caller's task; the answer is `Ready` (with
    /// the tags in use) or `Failed`, after `Building` now and then.
    pub fn request_build(&self, store: Store, tell: impl Fn(IndexEvent) + Send + 'static) {
        let slot = self.slot.clone();
        tokio::task::spawn_blocking(move || {
            // A rebuild (a new or damaged index) says how far it has got,
            // every 10,000 papers.
            let mut told = 0;
            let mut progress = |p: crate::store::IndexProgress| {
                if p.done >= told + 10_000 && p.done < p.total {
                    told = p.done;
                    tell(IndexEvent::Building {
                        done: p.done,
                        total: p.total,
                    });
                }
            };
            let event = match Index::load_with(&store, &mut progress) {
                Ok(index) => {
                    let tags = index.tags().into_iter().map(|(t, _)| t).collect();
                    *slot.write().unwrap_or_else(PoisonError::into_inner) = Some(index);
                    IndexEvent::Ready { tags }
                }
                Err(e) => IndexEvent::Failed(format!("could not index the stored papers: {e}")),
            };
            tell(event);
        });
    }

    /// Builds the index now, on this thread (benches, tests).
    pub fn build_now(&self, store: &Store) -> Result<(), crate::store::StoreError> {
        *self.slot.write().unwrap_or_else(PoisonError::into_inner) = Some(Index::load(store)?);
        Ok(())
    }

    /// Learns the reader's taste off the UI task and ranks For you by it;
    /// the answer is `Learned`. Asked again while learning, it learns
    /// once more when done (a burst of stars costs two trainings, not one
    /// each). The index is held only to choose the papers: the training
    /// itself (half a second at 100k papers) runs without it, so saving a
    /// change never waits for it.
    pub fn request_taste(&self, store: Store, tell: impl Fn(IndexEvent) + Send + 'static) {
        use std::sync::atomic::Ordering;
        if self.learning.swap(true, Ordering::SeqCst) {
            self.again.store(true, Ordering::SeqCst);
            return;
        }
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            loop {
                this.again.store(false, Ordering::SeqCst);
                if let Some(event) = this.learn(&store) {
                    tell(event);
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

    fn learn(&self, store: &Store) -> Option<IndexEvent> {
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
            Err(e) => return Some(IndexEvent::Failed(format!("could not learn For you: {e}"))),
        };
        let index = self.slot.read().unwrap_or_else(PoisonError::into_inner);
        index.as_ref()?.set_ranker(ranker);
        Some(IndexEvent::Learned { liked, ready })
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
        online: &OnlineResults,
        spec: &ViewSpec,
        today: Day,
    ) -> Result<Shown, NoView> {
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
        super::panics::contain(|| {
            // A debug-only path for the test that a view's panic is contained.
            #[cfg(debug_assertions)]
            assert!(
                std::env::var_os("HFPAPERS_TEST_VIEW_PANIC").is_none(),
                "a view panicking on purpose"
            );
            online.with(|results| {
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
            Err(NoView::Failed(format!(
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
/// are shown (see [`crate::domain::rows`]).
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
