//! One file per subcommand: each parses what it was given, calls the
//! library, and prints. What several print alike is in [`output`].

pub(crate) mod export;
pub(crate) mod follow;
pub(crate) mod foryou;
pub(crate) mod index;
pub(crate) mod list;
pub(crate) mod man;
pub(crate) mod mark;
pub(crate) mod output;
pub(crate) mod read;
pub(crate) mod search;
pub(crate) mod show;
pub(crate) mod similar;
pub(crate) mod state;
pub(crate) mod sync;
pub(crate) mod sync_state;
pub(crate) mod tags;
pub(crate) mod watch;
