//! The command line: the reader (no subcommand) and the headless commands.

use crate::model::{Day, parse_day};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "hfpapers",
    version,
    about = "A fast, offline-first terminal reader for the Hugging Face Daily Papers digest",
    after_help = "Without a subcommand, opens the reader on the latest stored day and fetches the latest digest in the background.\n\nExamples:\n  hfpapers                      read the latest digest\n  hfpapers --date 2025-09-10    open that day\n  hfpapers --offline            never touch the network\n  hfpapers sync && hfpapers list --unread\n\nExit codes: 0 ok, 1 failure, 2 usage error.\nEnvironment: HF_ENDPOINT (default https://huggingface.co), HF_TOKEN, HFPAPERS_DATA_DIR."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Open this digest day (YYYY-MM-DD) instead of the latest.
    #[arg(long, value_parser = day_arg, global = false)]
    pub date: Option<Day>,
    /// Never touch the network: read only what is stored.
    #[arg(long)]
    pub offline: bool,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Where the store lives (default: the platform data dir).
    #[arg(long, env = "HFPAPERS_DATA_DIR", global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch a digest into the store (the latest list by default).
    #[command(
        after_help = "Prints one line per day (date, papers, new) and a total.\n\nExamples:\n  hfpapers sync\n  hfpapers sync --date 2025-09-10"
    )]
    Sync {
        /// Fetch this day (YYYY-MM-DD) instead of the latest list.
        #[arg(long, value_parser = day_arg)]
        date: Option<Day>,
    },
    /// List stored papers: id, date, upvotes, flags (N new/unread, * starred), title.
    #[command(
        after_help = "Without --date, lists every stored day, newest first.\n\nExamples:\n  hfpapers list --date 2025-09-10\n  hfpapers list --starred --json | jq '.[].title'"
    )]
    List {
        /// Only this digest day (YYYY-MM-DD).
        #[arg(long, value_parser = day_arg)]
        date: Option<Day>,
        /// Only starred papers.
        #[arg(long)]
        starred: bool,
        /// Only unread papers.
        #[arg(long)]
        unread: bool,
        /// A JSON array instead of tab-separated lines.
        #[arg(long)]
        json: bool,
    },
    /// Show everything stored about one paper.
    #[command(after_help = "Example:\n  hfpapers show 2509.01234 --json")]
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Change the read or starred state of papers.
    #[command(
        after_help = "Examples:\n  hfpapers mark 2509.01234 --star\n  hfpapers mark 2509.01234 2509.05678 --read"
    )]
    Mark {
        #[arg(required = true)]
        ids: Vec<String>,
        #[command(flatten)]
        how: MarkHow,
    },
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct MarkHow {
    #[arg(long)]
    pub read: bool,
    #[arg(long)]
    pub unread: bool,
    #[arg(long)]
    pub star: bool,
    #[arg(long)]
    pub unstar: bool,
}

impl MarkHow {
    pub fn mark(&self) -> crate::model::Mark {
        use crate::model::Mark;
        match (self.read, self.unread, self.star) {
            (true, _, _) => Mark::Read,
            (_, true, _) => Mark::Unread,
            (_, _, true) => Mark::Star,
            _ => Mark::Unstar,
        }
    }
}

fn day_arg(s: &str) -> Result<Day, String> {
    parse_day(s).ok_or_else(|| format!("{s:?} is not a date; expected YYYY-MM-DD, e.g. 2025-09-10"))
}
