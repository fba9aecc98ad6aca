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

/// The reader as its user meets it: the state machine, the screens, undo,
/// the morning loop, the real binary in a terminal.
mod app {
    mod morning;
    mod render;
    mod terminal;
    mod undo;
    mod update;
}

/// The headless commands, run as a user runs them.
mod cli {
    mod commands;
}

/// Fetching: the HTTP source, the parser, catch-up, a hostile network.
mod source {
    mod catchup;
    mod fetcher;
    mod http;
    mod parser;
}

/// What the store keeps: papers and rows, their history, full texts, the
/// watch on code and weights.
mod store {
    mod fulltext;
    mod history;
    mod records;
    mod watch;
}

/// Finding papers: the index, the query language, For you, follows and
/// mutes.
mod search {
    mod follows;
    mod foryou;
    mod index;
    mod query;
}

/// Nothing acknowledged is lost: the store against a model, kills, full
/// disks, clocks, peers.
mod durability {
    mod model;
    mod never_lost;
}

/// Every door checks what comes in: hostile text, inputs at each door,
/// parsers that never panic.
mod input_safety {
    mod doors;
    mod hostile;
    mod parsers_never_panic;
}

mod structure;
