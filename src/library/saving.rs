//! Saving the user's changes (read, starred, tags): recorded in the
//! change log first, which user state is rebuilt from, then in the store,
//! and the index kept in step. A search or trending result changed is
//! kept in the store first, so its state has a home. What a saved change
//! asks for next is returned as [`FollowUps`], never run here.

use super::Library;
use crate::domain::model::{PaperId, UserState};
use crate::store::userstate::StateError;

/// How many papers of one change get their details or text fetched at
/// once: a bulk change is no reason to flood the service.
const FOLLOW_UP_LIMIT: usize = 3;

/// What a saved change asks for next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUps {
    /// Stars, tags and reads are what the taste is learned from.
    pub learn: bool,
    /// Newly starred papers whose details were never fetched: what the
    /// watch compares later (linked models, datasets, Spaces) starts here.
    pub details: Vec<PaperId>,
    /// Newly starred papers without a kept full text, to read offline.
    pub texts: Vec<PaperId>,
}

/// How a change group ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Nothing to save (only sample papers, which live in memory).
    Nothing,
    /// Saved. `behind` says the store lags the log (safe in the log; it
    /// catches up by itself).
    Done {
        behind: Option<String>,
        follow_ups: FollowUps,
    },
    /// Refused, nothing written: the changes asked for, what the store
    /// holds for those papers, and why.
    Refused {
        changes: Vec<(PaperId, UserState)>,
        saved: Vec<(PaperId, UserState)>,
        message: String,
    },
}

impl Library {
    /// Saves one change group (`group` names it for undo; `undoes` is the
    /// group it takes back). Flushed before this returns.
    pub fn save(
        &self,
        states: Vec<(PaperId, UserState)>,
        group: &str,
        undoes: Option<&str>,
    ) -> Saved {
        let states: Vec<(PaperId, UserState)> = states
            .into_iter()
            .filter(|(id, _)| !id.is_sample())
            .collect();
        if states.is_empty() {
            return Saved::Nothing;
        }
        for (id, _) in &states {
            if matches!(self.store.row(id), Ok(None))
                && let Some(Err(e)) = self.online.keep(&self.store, id)
            {
                return self.refused(states, &e.into());
            }
        }
        let known: Vec<(PaperId, UserState)> = states
            .into_iter()
            .filter(|(id, _)| matches!(self.store.row(id), Ok(Some(_))))
            .collect();
        let saved = match &self.log {
            Some(log) => crate::store::userstate::record(&self.store, log, group, undoes, &known),
            None => (self.store.set_states(&known).map(|()| None)).map_err(StateError::from),
        };
        let behind = match saved {
            Ok(said) => said,
            Err(e @ StateError::StoreBehind(_)) => {
                Some(crate::domain::text::one_line(&e.to_string()))
            }
            Err(e) => return self.refused(known, &e),
        };
        self.index.set_states(&known);
        Saved::Done {
            behind,
            follow_ups: self.follow_ups(&known),
        }
    }

    fn refused(&self, changes: Vec<(PaperId, UserState)>, e: &StateError) -> Saved {
        tracing::error!(error = %e, "saving user state failed");
        let saved = changes
            .iter()
            .map(|(id, _)| (id.clone(), self.store.state(id).unwrap_or_default()))
            .collect();
        Saved::Refused {
            changes,
            saved,
            message: crate::domain::text::one_line(&e.to_string()),
        }
    }

    fn follow_ups(&self, known: &[(PaperId, UserState)]) -> FollowUps {
        let starred = || known.iter().filter(|(_, st)| st.starred).map(|(id, _)| id);
        let never_fetched = |id: &&PaperId| matches!(self.store.paper(id), Ok(Some(p)) if p.details_fetched_at.is_none());
        let no_text = |id: &&PaperId| matches!(self.store.text(id), Ok(None));
        let texts = if self.texts.policy == crate::domain::model::TextPolicy::None {
            Vec::new()
        } else {
            starred()
                .filter(no_text)
                .take(FOLLOW_UP_LIMIT)
                .cloned()
                .collect()
        };
        FollowUps {
            learn: true,
            details: starred()
                .filter(never_fetched)
                .take(FOLLOW_UP_LIMIT)
                .cloned()
                .collect(),
            texts,
        }
    }
}
