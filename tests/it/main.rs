//! The integration tests, in one binary so the suite links once. Each
//! module is one area, driven as a user drives it: the real binary against
//! fake servers on 127.0.0.1 and temporary data dirs, the library through
//! its public API, the reader in a pseudo-terminal.

// Test code states its assumptions by unwrapping, its helpers take owned
// values so that calls read as the data they pass, and a scenario reads
// top to bottom however long it is.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::needless_pass_by_value,
    clippy::too_many_lines
)]

mod common;
mod pty;
mod run;

mod app;
mod catchup;
mod cli;
mod daily;
mod doors;
mod durability;
mod e2e_pty;
mod fetcher;
mod follows;
mod foryou;
mod fulltext;
mod history;
mod hostile;
mod http;
mod never_lost;
mod parser;
mod parsers_never_panic;
mod query;
mod render;
mod search_index;
mod store;
mod structure;
mod undo;
mod watch;
