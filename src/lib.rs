//! hfpapers: a fast, offline-first terminal reader for the Hugging Face
//! Daily Papers digest.
//!
//! The folders are the architecture. Each layer imports only the layers
//! below it, so there is no cycle between them, and only `reader` and
//! `ui` import the terminal crates (ratatui, crossterm):
//!
//! ```text
//!   cli        the command line: one file per subcommand              (top)
//!   reader ui  the terminal program: event loop, effects; drawing
//!   platform   paths, config file (keymap, theme, views), logs, browser, clipboard
//!   app        the reader's pure state machine: update(state, action) -> effects
//!   library    what both frontends call: open, views, online lists, saving, sync
//!   search     the index over every stored day, views and their counts
//!   source     HTTP client, catch-up planner and sync (fills the store)
//!   store      sled store, data dir layout, change log, user state, file helpers
//!   domain     model, sanitizer, parser, query language, exports, view types (bottom)
//! ```
//!
//! The library answers in the domain's vocabulary (a view is a
//! `domain::view::Shown`, a save is a `library::saving::Saved` with its
//! follow-ups as data), so `search` and `library` never name the reader's
//! `Action`; `app` sits above them and speaks their types. Both the
//! reader's effects and each CLI subcommand are thin shells over it.
//!
//! Data flow: `source` fetches and parses days into `store`; `search`
//! indexes what `store` holds; the `reader` turns terminal events into
//! actions for `app::update`, maps the effects it returns to `library`
//! calls, and draws `ui::render(&state)` only when something changed;
//! `cli` calls the same library headless.

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
