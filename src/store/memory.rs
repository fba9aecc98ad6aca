//! The user-state half of the store as a trait, with an in-memory model.
//! The conformance suite (`tests/durability.rs`) runs the same checks on
//! the sled store and on this model, and the model-based property test
//! compares them operation by operation.

use super::{Store, StoreError};
use crate::domain::model::{PaperId, UserState};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Reading and writing user state.
pub trait StateStore {
    fn state(&self, id: &PaperId) -> Result<UserState, StoreError>;
    /// Writes states; durable when it returns.
    fn set_states(&self, states: &[(PaperId, UserState)]) -> Result<(), StoreError>;
    /// Every paper with a non-default state.
    fn all_states(&self) -> Result<Vec<(PaperId, UserState)>, StoreError>;
}

impl StateStore for Store {
    fn state(&self, id: &PaperId) -> Result<UserState, StoreError> {
        Store::state(self, id)
    }
    fn set_states(&self, states: &[(PaperId, UserState)]) -> Result<(), StoreError> {
        Store::set_states(self, states)
    }
    fn all_states(&self) -> Result<Vec<(PaperId, UserState)>, StoreError> {
        Store::all_states(self)
    }
}

/// A `BTreeMap` behind the same API: the model the store must agree with.
#[derive(Default)]
pub struct MemoryStore {
    states: Mutex<BTreeMap<PaperId, UserState>>,
}

impl StateStore for MemoryStore {
    fn state(&self, id: &PaperId) -> Result<UserState, StoreError> {
        Ok(self
            .states
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(id)
            .cloned()
            .unwrap_or_default())
    }
    fn set_states(&self, states: &[(PaperId, UserState)]) -> Result<(), StoreError> {
        let mut map = self
            .states
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = super::now_rfc3339();
        for (id, st) in states {
            let mut st = UserState {
                updated_at: Some(now.clone()),
                ..st.clone()
            };
            st.tags.sort();
            st.tags.dedup();
            map.insert(id.clone(), st);
        }
        Ok(())
    }
    fn all_states(&self) -> Result<Vec<(PaperId, UserState)>, StoreError> {
        Ok(self
            .states
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }
}
