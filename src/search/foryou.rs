//! For you: the reader's taste, learned from the store through the index
//! ([`crate::domain::taste`]), ranking papers with its reasons.
//!
//! What it learns from: starred or tagged papers (liked, weight 1), papers
//! read but neither starred nor tagged (liked, weight 0.3: opening a paper
//! says less than starring it), and the untouched papers of the days on
//! which something was liked or read (skipped, weight 0.5): arxiv-sanity's
//! "everything not tagged is a negative", kept to days the reader looked at;
//! and papers marked "less like this" (`-`, not liked, weight 1).
//! The newest 2,000 of each, so training stays well under a second however
//! large the store grows.

use crate::domain::model::{Paper, PaperId};
use crate::domain::taste::{self, Example, FastMap, Feature, Model, Scored};
use crate::search::index::{Index, Ranker, Rarity};
use crate::store::{Store, StoreError};
use std::sync::{Arc, Mutex};

/// Papers of each kind learned from, newest first.
const CAP: usize = 2_000;

/// A learned taste, with what it needs to score papers.
pub struct Taste {
    model: Model,
    store: Store,
    muted: Vec<Feature>,
    rarity: Rarity,
    /// Word rarity, looked up once a word.
    idf: Mutex<FastMap<String, f32>>,
}

/// What training gave.
pub enum Trained {
    Taste(Box<Taste>),
    /// Too few liked papers to learn from: how many there are.
    ColdStart {
        liked: usize,
    },
}

impl Trained {
    /// The taste as the index's ranker, or none (upvotes order).
    pub fn ranker(self) -> Option<Arc<dyn Ranker>> {
        match self {
            Trained::Taste(t) => Some(Arc::new(*t)),
            Trained::ColdStart { .. } => None,
        }
    }
}

/// The papers to learn from (see the module's note), newest first.
pub fn papers_of(index: &Index) -> [Vec<PaperId>; 4] {
    index.taste_papers(CAP)
}

/// Learns the reader's taste from the store. Only the choice of papers
/// needs the index; the rest (reading papers, training) runs without it,
/// so the reader can train while it keeps the index in step with changes.
pub fn train(store: &Store, index: &Index, muted: Vec<Feature>) -> Result<Trained, StoreError> {
    learn(store, index.rarity(), papers_of(index), muted)
}

/// [`train`] from the papers chosen.
pub fn learn(
    store: &Store,
    rarity: Rarity,
    [liked, read, skipped, less]: [Vec<PaperId>; 4],
    muted: Vec<Feature>,
) -> Result<Trained, StoreError> {
    let groups = [
        (liked, true, 1.0),
        (read, true, 0.3),
        (skipped, false, 0.5),
        // "Less like this" says as much as a star, the other way.
        (less, false, 1.0),
    ];
    learn_groups(store, rarity, &groups, muted)
}

/// A model of one tag, for "more like #rl": the papers with the tag are
/// liked; the reader's other liked papers (another interest, weight 0.5),
/// the ones read or skipped (0.3) and "less like this" (1) are not.
pub fn train_tag(
    store: &Store,
    index: &Index,
    tag: &str,
    muted: Vec<Feature>,
    today: crate::domain::model::Day,
) -> Result<Trained, StoreError> {
    let [liked, read, skipped, less] = papers_of(index);
    let q = crate::domain::query::Query {
        expr: Some(crate::domain::query::Expr::Term(
            crate::domain::query::Term::Tag(tag.to_string()),
        )),
        sort: None,
    };
    let tagged: Vec<PaperId> = index
        .query(&q, crate::domain::query::SortKey::Date, today)
        .iter()
        .take(CAP)
        .map(|e| e.row.id.clone())
        .collect();
    let with_tag: std::collections::HashSet<&PaperId> = tagged.iter().collect();
    let others = |ids: Vec<PaperId>| -> Vec<PaperId> {
        ids.into_iter()
            .filter(|id| !with_tag.contains(id))
            .collect()
    };
    let groups = [
        (others(liked), false, 0.5),
        (others(read), false, 0.3),
        (others(skipped), false, 0.3),
        (others(less), false, 1.0),
        (tagged.clone(), true, 1.0),
    ];
    learn_groups(store, index.rarity(), &groups, muted)
}

/// Trains on groups of papers: (ids, liked, weight).
fn learn_groups(
    store: &Store,
    rarity: Rarity,
    groups: &[(Vec<PaperId>, bool, f32)],
    muted: Vec<Feature>,
) -> Result<Trained, StoreError> {
    let idf = Mutex::new(FastMap::default());
    let mut examples = Vec::with_capacity(groups.iter().map(|g| g.0.len()).sum());
    let liked = groups
        .iter()
        .filter(|(_, liked, weight)| *liked && *weight >= 1.0)
        .map(|g| g.0.len())
        .sum();
    for &(ref ids, is_liked, weight) in groups {
        for id in ids {
            if let Some(p) = store.paper(id)? {
                examples.push(Example {
                    features: taste::features(&p, &|w| cached_idf(&rarity, &idf, w)),
                    liked: is_liked,
                    weight,
                });
            }
        }
    }
    Ok(match Model::train(&examples) {
        Some(model) => Trained::Taste(Box::new(Taste {
            model,
            store: store.clone(),
            muted,
            rarity,
            idf,
        })),
        None => Trained::ColdStart { liked },
    })
}

fn cached_idf(rarity: &Rarity, cache: &Mutex<FastMap<String, f32>>, word: &str) -> f32 {
    let mut cache = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(v) = cache.get(word) {
        return *v;
    }
    let v = rarity.idf(word);
    cache.insert(word.to_string(), v);
    v
}

impl Taste {
    /// A paper's score and its three strongest reasons.
    pub fn score(&self, paper: &Paper) -> Scored {
        let features = taste::features(paper, &|w| cached_idf(&self.rarity, &self.idf, w));
        self.model.score(&features, &self.muted)
    }

    /// A stored paper's score, if it is stored.
    pub fn score_id(&self, id: &PaperId) -> Option<Scored> {
        Some(self.score(&self.store.paper(id).ok()??))
    }

    /// How many liked papers it learned from.
    pub fn positives(&self) -> usize {
        self.model.positives
    }

    /// The `n` unmuted features that most say "liked", strongest first.
    pub fn strongest(&self, n: usize) -> Vec<Feature> {
        let mut out = self.model.strongest(n + self.muted.len());
        out.retain(|f| !self.muted.contains(f));
        out.truncate(n);
        out
    }
}

impl Ranker for Taste {
    fn scores(&self, ids: &[PaperId]) -> Vec<f32> {
        ids.iter()
            .map(|id| self.score_id(id).map_or(0.0, |s| s.score))
            .collect()
    }

    fn explain(&self, id: &PaperId) -> Option<Scored> {
        self.score_id(id)
    }
}
