//! hfpapers: a fast, offline-first terminal reader for the Hugging Face
//! Daily Papers digest.
//!
//! The folders are the architecture. Each layer imports only the layers
//! below it, so there is no cycle between them, and only `reader` and
//! `ui` import the terminal crates (ratatui, crossterm):
//!
//! ```text
//!   cli        the command line: one function per subcommand        (top)
//!   reader ui  the terminal program: event loop, effects; drawing
//!   platform   paths, config file (keymap, theme, views), logs, browser, clipboard
//!   search     the index over every stored day, views and their counts
//!   source     HTTP client, catch-up planner and sync (fills the store)
//!   store      sled store, change log, user state, file helpers
//!   app        the pure state machine: update(state, action) -> effects
//!   domain     model, sanitizer, parser, query language, exports  (bottom)
//! ```
//!
//! `app` sits low on purpose: it is pure and needs only `domain`, so
//! everything that runs its effects (search, reader) can speak its types.
//!
//! Data flow: `source` fetches and parses days into `store`; `search`
//! indexes what `store` holds; the `reader` turns terminal events into
//! actions for `app::update`, runs the effects it returns against `store`,
//! `source` and `platform`, and draws `ui::render(&state)` only when
//! something changed; `cli` runs the same library headless.

pub mod app;
pub mod cli;
pub mod domain;
pub mod library;
pub mod platform;
pub mod reader;
pub mod search;
pub mod source;
pub mod store;
pub mod ui;
