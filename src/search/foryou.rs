//! For you: the reader's taste, learned from the store through the index
//! ([`crate::domain::taste`]), ranking papers with its reasons.
//!
//! What it learns from: starred or tagged papers (liked, weight 1), papers
//! read but neither starred nor tagged (liked, weight 0.3: opening a paper
//! says less than starring it), and the untouched papers of the days on
//! which something was liked or read (skipped, weight 0.5): arxiv-sanity's
//! "everything not tagged is a negative", kept to days the reader looked at.
//! The newest 2,000 of each, so training stays well under a second however
//! large the store grows.

use crate::domain::model::{Paper, PaperId};
use crate::domain::taste::{self, Example, FastMap, Feature, Model, Scored};
use crate::search::index::{Index, Ranker};
use crate::store::{Store, StoreError};
use std::sync::{Arc, Mutex};

/// Papers of each kind learned from, newest first.
const CAP: usize = 2_000;

/// A learned taste, with what it needs to score papers.
pub struct Taste {
    model: Model,
    store: Store,
    muted: Vec<Feature>,
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

/// Learns the reader's taste from the store.
pub fn train(store: &Store, index: &Index, muted: Vec<Feature>) -> Result<Trained, StoreError> {
    let [liked, read, skipped] = index.taste_papers(CAP);
    let idf = Mutex::new(FastMap::default());
    let mut examples = Vec::with_capacity(liked.len() + read.len() + skipped.len());
    for (ids, is_liked, weight) in [
        (&liked, true, 1.0),
        (&read, true, 0.3),
        (&skipped, false, 0.5),
    ] {
        for id in ids {
            if let Some(p) = store.paper(id)? {
                examples.push(Example {
                    features: taste::features(&p, &|w| cached_idf(index, &idf, w)),
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
            idf,
        })),
        None => Trained::ColdStart { liked: liked.len() },
    })
}

fn cached_idf(index: &Index, cache: &Mutex<FastMap<String, f32>>, word: &str) -> f32 {
    let mut cache = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(v) = cache.get(word) {
        return *v;
    }
    let v = index.idf(word);
    cache.insert(word.to_string(), v);
    v
}

impl Taste {
    /// A paper's score and its three strongest reasons (`index` says how
    /// rare its words are).
    pub fn score(&self, index: &Index, paper: &Paper) -> Scored {
        let features = taste::features(paper, &|w| cached_idf(index, &self.idf, w));
        self.model.score(&features, &self.muted)
    }

    /// A stored paper's score, if it is stored.
    pub fn score_id(&self, index: &Index, id: &PaperId) -> Option<Scored> {
        Some(self.score(index, &self.store.paper(id).ok()??))
    }

    /// How many liked papers it learned from.
    pub fn positives(&self) -> usize {
        self.model.positives
    }
}

impl Ranker for Taste {
    fn scores(&self, index: &Index, ids: &[PaperId]) -> Vec<f32> {
        ids.iter()
            .map(|id| self.score_id(index, id).map_or(0.0, |s| s.score))
            .collect()
    }
}
