//! The library both frontends call: the reader (`reader/`) and the
//! command line (`cli/`) are thin shells over it, as gitui is over
//! `asyncgit` and trippy over `trippy-core`. Everything here returns
//! domain results: no `Action`, no terminal types, no printing. A result
//! that asks for more work (a saved star wants its details and text
//! fetched, the taste learned again) says so as named data
//! ([`saving::FollowUps`]), and the frontend decides when to run it.
//!
//! - [`Library`]: an opened data dir ([`DataDir`], [`open`]) with its store,
//!   change log, client, index and online results;
//! - [`index`]: the index over every stored day, its views and counts;
//! - [`online`]: search and trending ([`online::OnlineList`]);
//! - [`saving`]: user state changes, logged first, and their follow-ups;
//! - [`syncing`]: a catch-up or range, with full texts, summed up;
//! - [`papers`]: one paper's details, full text, picture; exports;
//! - [`panics`]: a panic in code we do not control fails one call only.

pub mod index;
pub mod online;
pub mod panics;
pub mod papers;
pub mod saving;
pub mod syncing;

pub use crate::store::layout::DataDir;

use crate::source::Client;
use crate::source::texts::TextConfig;
use crate::store::Store;
use crate::store::changelog::ChangeLog;
use crate::store::userstate::StateError;
use std::sync::Arc;

/// An opened data dir and the services over it. Clones share everything.
#[derive(Clone)]
pub struct Library {
    pub store: Store,
    pub dir: DataDir,
    /// `None` with `--offline`: nothing touches the network.
    pub client: Option<Client>,
    /// Where every user change is recorded before it is stored (`None`
    /// only in benches and tests that store directly).
    pub log: Option<Arc<ChangeLog>>,
    /// Whose full texts are kept, and the caps.
    pub texts: TextConfig,
    pub index: index::IndexService,
    pub online: online::OnlineResults,
}

/// The full texts kept when the config says nothing: starred papers',
/// at most 2 MiB each and 1 GiB in all.
pub const DEFAULT_TEXTS: TextConfig = TextConfig {
    policy: crate::domain::model::TextPolicy::Starred,
    max_bytes: 2048 * 1024,
    total_bytes: 1024 * 1024 * 1024,
};

/// A data dir opened, and what the user should be told about it (a
/// torn log line cut off, a store moved aside, the reserve given up).
pub struct Opened {
    pub library: Library,
    pub notices: Vec<String>,
}

/// Opens a data dir: its store and change log, the store brought up to
/// date with the log (see [`crate::store::userstate::open_data`]).
pub fn open(dir: DataDir, client: Option<Client>) -> Result<Opened, StateError> {
    let (store, log, notices) = crate::store::userstate::open_data(dir.root())?;
    Ok(Opened {
        library: Library::new(store, dir, client).with_log(Arc::new(log)),
        notices,
    })
}

impl Library {
    /// A library over a store opened elsewhere, without a change log yet
    /// (see [`Library::with_log`]).
    pub fn new(store: Store, dir: DataDir, client: Option<Client>) -> Library {
        Library {
            store,
            dir,
            client,
            log: None,
            texts: DEFAULT_TEXTS,
            index: index::IndexService::default(),
            online: online::OnlineResults::default(),
        }
    }

    /// Whose full texts a sync keeps, and the caps.
    #[must_use]
    pub fn with_texts(mut self, texts: TextConfig) -> Library {
        self.texts = texts;
        self
    }

    /// Records every user change in this log before storing it.
    #[must_use]
    pub fn with_log(mut self, log: Arc<ChangeLog>) -> Library {
        self.log = Some(log);
        self
    }
}
