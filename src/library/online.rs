//! Lists that live on Hugging Face, not in the store: a search and what
//! is trending. One type names them ([`OnlineList`]), one function
//! fetches either ([`fetch`]) with each paper's stored state joined in,
//! and [`OnlineResults`] holds the reader's last one, so a result opened,
//! read, starred or tagged is kept in the store like any paper
//! ([`OnlineResults::keep`]).

use crate::domain::model::{Entry, Paper, PaperId};
use crate::source::{Client, FetchError};
use crate::store::{Store, StoreError};
use std::sync::{Arc, Mutex, PoisonError};

/// A list on Hugging Face.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnlineList {
    /// `/api/papers/search?q=TEXT`.
    Search(String),
    /// What is trending now (a rolling list).
    Trending,
}

impl OnlineList {
    /// What it is, for a message: `the search for "diffusion"`.
    pub fn describe(&self) -> String {
        match self {
            OnlineList::Search(text) => format!("the search for \"{text}\""),
            OnlineList::Trending => "the trending list".into(),
        }
    }
}

/// Fetches a list: each paper with the entry it shows as (the stored row
/// and state when the paper is stored, in the service's order).
pub async fn fetch(
    client: &Client,
    store: &Store,
    list: &OnlineList,
) -> Result<Vec<(Entry, Paper)>, FetchError> {
    let papers = match list {
        OnlineList::Search(text) => client.search(text).await?,
        OnlineList::Trending => client.trending().await?,
    };
    Ok(papers
        .into_iter()
        .enumerate()
        .map(|(i, p)| (crate::search::index::search_entry(store, &p, i), p))
        .collect())
}

/// The last list fetched for the reader. Clones share it.
#[derive(Clone, Default)]
pub struct OnlineResults {
    slot: Arc<Mutex<Vec<(Entry, Paper)>>>,
}

impl OnlineResults {
    /// Fetches `list` and holds it as the results: how many it has.
    pub async fn fetch(
        &self,
        client: &Client,
        store: &Store,
        list: &OnlineList,
    ) -> Result<usize, FetchError> {
        let results = fetch(client, store, list).await?;
        let found = results.len();
        *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = results;
        Ok(found)
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

    /// Stores a result the store does not hold yet (it was opened, read,
    /// starred or tagged); `None` when it is not among the results.
    pub fn keep(&self, store: &Store, id: &PaperId) -> Option<Result<Paper, StoreError>> {
        let (entry, paper) = self.find(id)?;
        Some(store.save_loose(&paper, entry.row.day).map(|()| paper))
    }
}
