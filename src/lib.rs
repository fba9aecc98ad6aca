//! hfpapers: a fast, offline-first terminal reader for the Hugging Face
//! Daily Papers digest.
//!
//! ```text
//!  source (HTTP + lenient parser) ──► store (sled) ◄── commands (headless CLI)
//!                                       ▲   │
//!                          effects ─────┘   ▼
//!  crossterm events ─► runtime ─► app::update (pure) ─► Vec<Effect> ─► effects
//!                        │
//!                        └─► ui::render(&AppState)   (draw only when changed)
//! ```
//!
//! The core (`model`, `text`, `source`, `store`, `app`, `effects`,
//! `commands`) never imports ratatui or crossterm; `ui`, `tui` and `runtime`
//! are the terminal edge.

pub mod app;
pub mod browser;
pub mod changelog;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod config;
pub mod corpus;
pub mod doctor;
pub mod effects;
pub mod export;
pub mod files;
pub mod index;
pub mod keys;
pub mod logging;
pub mod model;
pub mod paths;
pub mod query;
pub mod runtime;
pub mod sample;
pub mod source;
pub mod startup;
pub mod store;
pub mod sync;
pub mod text;
pub mod tui;
pub mod ui;
pub mod userstate;
pub mod viewrun;
