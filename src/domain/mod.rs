//! The domain: papers, user state and the rules about them, with no IO
//! beyond the bundled sample. Everything else builds on it; it imports
//! nothing of the crate outside itself.
//!
//! - [`model`]: papers, rows, user state, days, ids, fetched days;
//! - [`text`]: the sanitizer and the word folding search uses;
//! - [`parse`]: the lenient parser of the Daily Papers JSON;
//! - [`query`]: the filter language (lexer, parser, printer, matcher);
//! - [`export`]: BibTeX, Markdown, JSON and CSV, each escaped for its readers;
//! - [`interests`]: follows and mutes (queries from the config);
//! - [`markdown`]: a paper's full text as styled, wrapped lines;
//! - [`hash`]: FNV-1a, for keys and maps hashed by the hundred thousand;
//! - [`sample`]: the bundled sample digest;
//! - [`taste`]: the For you model (features, training, scores and reasons);
//! - [`view`], [`rows`]: what a list shows, and its papers (held or paged);
//! - [`watch`]: what a starred paper gained (code, weights) between fetches.

pub mod export;
pub mod hash;
pub mod interests;
pub mod markdown;
pub mod model;
pub mod parse;
pub mod query;
pub mod rows;
pub mod sample;
pub mod taste;
pub mod text;
pub mod view;
pub mod watch;
