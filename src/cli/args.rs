//! The command line: the reader (no subcommand) and the headless commands.

use crate::domain::model::{Day, parse_day};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "hfpapers",
    version,
    about = "A fast, offline-first terminal reader for the Hugging Face Daily Papers digest",
    after_help = "Without a subcommand, opens the reader on the latest stored day and fetches the latest digest in the background.\n\nExamples:\n  hfpapers                      read the latest digest\n  hfpapers --date 2025-09-10    open that day\n  hfpapers --offline            never touch the network\n  hfpapers sync && hfpapers list --unread\n\nExit codes: 0 ok, 1 failure, 2 usage or config error, 3 a sync where some requests failed.\nEnvironment: HF_ENDPOINT (default https://huggingface.co), HF_TOKEN, HFPAPERS_DATA_DIR."
)]
#[command(after_long_help = long_help())]
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
    /// Write how long each start-up phase took to FILE (as vim's flag).
    #[arg(long, value_name = "FILE")]
    pub startuptime: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Where the store lives.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        help = "Where the store lives (default: $HFPAPERS_DATA_DIR, else the platform data dir)"
    )]
    pub data_dir: Option<PathBuf>,
    /// The config file.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help = "The config file (default: $HFPAPERS_CONFIG, else config.toml in the platform config dir)"
    )]
    pub config: Option<PathBuf>,
}

impl Global {
    /// The environment's `HFPAPERS_DATA_DIR` and `HFPAPERS_CONFIG` where no
    /// flag was given. Read here rather than by clap, whose usage line
    /// would show a flag set by the environment as if it were required.
    #[must_use]
    pub fn with_env(mut self) -> Global {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        self.data_dir = self.data_dir.or_else(|| var("HFPAPERS_DATA_DIR"));
        self.config = self.config.or_else(|| var("HFPAPERS_CONFIG"));
        self
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch digests into the store: the latest list plus every missing day since the last sync.
    #[command(
        after_help = "Prints one line per stored day (date, papers, new) and a total; a progress bar on a terminal.\nDays already stored are not fetched again, except the two most recent ones.\nExit codes: 0 everything fetched, 1 nothing could be fetched, 3 some requests failed.\n\nExamples:\n  hfpapers sync\n  hfpapers sync --date 2025-09-10\n  hfpapers sync --days 30\n  hfpapers sync --week 2025-W40\n  hfpapers sync --month 2025-09\n  hfpapers sync --since 2025-09-01 --until 2025-09-30"
    )]
    Sync {
        /// Fetch this day (YYYY-MM-DD), whatever the store holds.
        #[arg(long, value_parser = day_arg, conflicts_with_all = ["days", "since", "week", "month"])]
        date: Option<Day>,
        /// Fetch the missing days of this ISO week (YYYY-Www, e.g. 2026-W23).
        #[arg(long, value_parser = week_arg, value_name = "W", conflicts_with_all = ["days", "since", "month"])]
        week: Option<(Day, Day)>,
        /// Fetch the missing days of this month (YYYY-MM).
        #[arg(long, value_parser = month_arg, value_name = "M", conflicts_with_all = ["days", "since"])]
        month: Option<(Day, Day)>,
        /// Fetch the missing days among the last N.
        #[arg(long, value_name = "N", conflicts_with = "since",
              value_parser = clap::value_parser!(u32).range(1..=3660))]
        days: Option<u32>,
        /// Fetch the missing days from this day on.
        #[arg(long, value_parser = day_arg, value_name = "D")]
        since: Option<Day>,
        /// With --since: the last day (default: the latest published).
        #[arg(long, value_parser = day_arg, value_name = "D", requires = "since")]
        until: Option<Day>,
        /// Requests under way at once.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=16))]
        concurrency: u16,
        /// Fetch full texts even when the config says `fulltext = "none"` (then: starred papers).
        #[arg(long)]
        fulltext: bool,
    },
    /// List stored papers matching a query: id, date, upvotes, flags (N unread, * starred), title.
    #[command(
        after_help = "Lists matches across every stored day, newest first (or as the query's sort: says).\n\nQuery language: words and \"phrases\" (title, abstract, authors, AI keywords; case- and\naccent-insensitive), is:unread|read|starred, tag:NAME, author:NAME, org:NAME, kw:WORD,\nhas:code|project|summary, upvotes:|comments:|stars: with >N >=N <N <=N =N N or A..B,\ndate:YYYY-MM-DD|YYYY-Www|YYYY-MM|FROM..TO|today|7d, -term, OR, (groups), sort:upvotes|comments|stars|date|title|rank.\nA malformed query exits 2 and points at the column.\n\nExamples:\n  hfpapers list --date 2025-09-10\n  hfpapers list --week 2025-W40 --unread\n  hfpapers list 'diffusion is:unread upvotes:>20 sort:upvotes'\n  hfpapers list 'tag:rl date:30d' --json | jq '.[].title'"
    )]
    List {
        /// A filter-language query, e.g. 'diffusion is:unread upvotes:>20 sort:upvotes'
        /// (it may start with a minus: '-is:read').
        #[arg(allow_hyphen_values = true)]
        query: Option<String>,
        /// Only this digest day (YYYY-MM-DD).
        #[arg(long, value_parser = day_arg)]
        date: Option<Day>,
        /// Only this ISO week (YYYY-Www, e.g. 2026-W23).
        #[arg(long, value_parser = week_arg, value_name = "W", conflicts_with_all = ["date", "month"])]
        week: Option<(Day, Day)>,
        /// Only this month (YYYY-MM).
        #[arg(long, value_parser = month_arg, value_name = "M", conflicts_with = "date")]
        month: Option<(Day, Day)>,
        /// What is trending on Hugging Face now (online), instead of stored papers.
        #[arg(long, conflicts_with_all = ["query", "date", "week", "month", "starred", "unread"])]
        trending: bool,
        /// Only starred papers.
        #[arg(long)]
        starred: bool,
        /// Only unread papers.
        #[arg(long)]
        unread: bool,
        /// Only papers submitted by this Hugging Face user (the query's `submitter:NAME`).
        #[arg(long, value_name = "USER")]
        submitter: Option<String>,
        /// A JSON array instead of tab-separated lines.
        #[arg(long)]
        json: bool,
        /// At most this many papers (the first in the list's order).
        #[arg(long, short = 'n', value_name = "N")]
        limit: Option<usize>,
        /// Only the ids, one per line (for scripts: `hfpapers list -q is:starred | xargs …`).
        #[arg(long, short = 'q', conflicts_with = "json")]
        quiet: bool,
    },
    /// Export papers matching a query (default: all) as BibTeX, Markdown, JSON or CSV.
    #[command(
        after_help = "Examples:\n  hfpapers export is:starred --format bibtex -o starred.bib\n  hfpapers export 'tag:rl date:2025-09' --format markdown"
    )]
    Export {
        /// A filter-language query (it may start with a minus: '-is:read').
        #[arg(allow_hyphen_values = true)]
        query: Option<String>,
        #[arg(long, value_enum, default_value = "markdown")]
        format: crate::domain::export::Format,
        /// Write here instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The change log of your read, starred and tag state: rebuild, back up, restore.
    #[command(subcommand)]
    State(StateCommand),
    /// Exchange state with your other machines through a shared folder (Syncthing, Dropbox, a git repo…).
    #[command(
        after_help = "Each machine writes its own log into FOLDER and reads the others'; the newest change to\neach paper's read, starred or tag state wins. Set sync_dir in the config to do this on start and quit.\n\nExample:\n  hfpapers sync-state --dir ~/Sync/hfpapers"
    )]
    SyncState {
        #[arg(long, value_name = "FOLDER")]
        dir: PathBuf,
    },
    /// Papers most like one stored paper, across every stored day (title, abstract, keywords).
    #[command(
        after_help = "Examples:\n  hfpapers similar 2509.01234\n  hfpapers similar 2509.01234 --limit 25 --json"
    )]
    Similar {
        #[arg(value_parser = id_arg)]
        id: String,
        /// How many to list (1-1000).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
        limit: u16,
        #[arg(long)]
        json: bool,
    },
    /// For you: the latest day ranked by your taste, with the reasons (learned from your stars, tags and reads).
    #[command(
        after_help = "Examples:\n  hfpapers foryou\n  hfpapers foryou --json\n  hfpapers foryou --muted\n  hfpapers foryou --tag rl\n  hfpapers list 'date:7d sort:foryou'"
    )]
    Foryou {
        /// List the features the ranking never counts (`[foryou] mute` in the config).
        #[arg(long)]
        muted: bool,
        /// More like #TAG: unread papers of every stored day, ranked by a model of that tag.
        #[arg(long, value_name = "TAG", conflicts_with = "muted")]
        tag: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Print a paper's full text: the stored copy, else fetched (online) and kept.
    #[command(
        after_help = "Examples:\n  hfpapers read 2509.01234 | less\n  hfpapers read 2509.01234 --markdown > paper.md"
    )]
    Read {
        #[arg(value_parser = id_arg)]
        id: String,
        /// The Markdown as fetched, not rendered as text.
        #[arg(long)]
        markdown: bool,
        /// Wrap the text at this width.
        #[arg(long, default_value_t = 80, value_parser = clap::value_parser!(u16).range(20..=1000))]
        width: u16,
    },
    /// Starred papers that gained code or weights: what `sync` found, newest first.
    #[command(
        after_help = "For starred papers of the last 90 days, each sync asks Hugging Face for their details\n(GitHub repository, project page, linked models, datasets and Spaces) at most once a day each.\n\nExamples:\n  hfpapers watch\n  hfpapers watch --json"
    )]
    Watch {
        #[arg(long)]
        json: bool,
    },
    /// Follow papers matching a query: flagged `!`, counted in the status line, gathered in the Following view.
    #[command(
        after_help = "Without a query, lists the follows with how many stored papers each matches.\nThey are kept in the config file as [follow] queries.\n\nExamples:\n  hfpapers follow 'author:\"Albert Gu\"'\n  hfpapers follow org:nvidia\n  hfpapers follow kw:mamba\n  hfpapers follow --remove org:nvidia"
    )]
    Follow {
        /// A filter-language query, usually author:\"…\", org:… or kw:….
        #[arg(allow_hyphen_values = true)]
        query: Option<String>,
        /// Stop following it.
        #[arg(long, requires = "query")]
        remove: bool,
    },
    /// Mute papers matching a query: every view but All leaves them out (nothing is deleted).
    #[command(
        after_help = "Without a query, lists the mutes with how many stored papers each matches.\nThey are kept in the config file as [mute] queries.\n\nExamples:\n  hfpapers mute survey\n  hfpapers mute 'org:\"Example Lab\"'\n  hfpapers mute --remove survey"
    )]
    Mute {
        /// A filter-language query.
        #[arg(allow_hyphen_values = true)]
        query: Option<String>,
        /// Stop muting it.
        #[arg(long, requires = "query")]
        remove: bool,
    },
    /// The search index beside the store (a cache of it: rebuilding loses nothing).
    #[command(subcommand)]
    Index(IndexCommand),
    /// List tags in use with their paper counts.
    #[command(after_help = "Example:\n  hfpapers tags | sort -k2 -n -r")]
    Tags,
    /// Search Hugging Face for papers (online; /api/papers/search).
    #[command(after_help = "Example:\n  hfpapers search 'mixture of experts' --json")]
    Search {
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  hfpapers completions bash > ~/.local/share/bash-completion/completions/hfpapers\n  hfpapers completions zsh > \"${fpath[1]}/_hfpapers\"\n  hfpapers completions fish > ~/.config/fish/completions/hfpapers.fish"
    )]
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff), or write every page into a folder.
    #[command(
        after_help = "Examples:\n  hfpapers man > ~/.local/share/man/man1/hfpapers.1\n  hfpapers man --dir ~/.local/share/man/man1     # hfpapers.1 and hfpapers-sync.1, ..."
    )]
    Man {
        /// Write hfpapers.1 and one page per subcommand (hfpapers-sync.1, ...) here.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Print the documented default config file.
    #[command(
        after_help = "Example:\n  hfpapers config --default > ~/.config/hfpapers/config.toml"
    )]
    Config {
        /// Print the defaults (the only form for now).
        #[arg(long, required = true)]
        default: bool,
    },
    /// Check the setup: paths, versions, the store, and whether the endpoint answers.
    #[command(after_help = "Example:\n  hfpapers doctor   # paste its output into a bug report")]
    Doctor,
    /// Show everything stored about one paper.
    #[command(after_help = "Example:\n  hfpapers show 2509.01234 --json")]
    Show {
        #[arg(value_parser = id_arg)]
        id: String,
        #[arg(long)]
        json: bool,
        /// First fetch the paper's details (GitHub stars, linked models, datasets, Spaces).
        #[arg(long)]
        refresh: bool,
    },
    /// Change the read, starred or tag state of papers.
    #[command(
        after_help = "Examples:\n  hfpapers mark 2509.01234 --star\n  hfpapers mark 2509.01234 2509.05678 --read\n  hfpapers mark 2509.01234 --tag rl\n  hfpapers mark 2509.01234 --star --tag ssm --tag rl"
    )]
    Mark {
        #[arg(required = true, value_parser = id_arg)]
        ids: Vec<String>,
        #[command(flatten)]
        how: MarkHow,
    },
}

#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Write the search index anew from every stored paper, with a progress bar.
    #[command(
        after_help = "The index is rebuilt by itself when it is missing, damaged or of an older\nlayout; this does it now. Read, starred and tag state is not in it and is never touched.\n\nExample:\n  hfpapers index rebuild"
    )]
    Rebuild,
}

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// Recompute all user state from the change log (this machine's and the peers').
    Rebuild,
    /// Write every change to FILE (JSON Lines), a backup.
    #[command(after_help = "Example:\n  hfpapers state export ~/backups/hfpapers-state.jsonl")]
    Export { file: PathBuf },
    /// Merge the changes in FILE; newer changes here are never overwritten.
    #[command(after_help = "Example:\n  hfpapers state import ~/backups/hfpapers-state.jsonl")]
    Import { file: PathBuf },
}

#[derive(Debug, Args)]
#[group(required = true, multiple = true)]
pub struct MarkHow {
    /// Mark read.
    #[arg(long, conflicts_with = "unread")]
    pub read: bool,
    /// Mark unread.
    #[arg(long)]
    pub unread: bool,
    /// Star.
    #[arg(long, conflicts_with = "unstar")]
    pub star: bool,
    /// Remove the star.
    #[arg(long)]
    pub unstar: bool,
    /// Add a tag (lower-case letters, digits, -, _ or /); may be given again.
    #[arg(long, value_name = "T", value_parser = tag_arg)]
    pub tag: Vec<String>,
    /// Remove a tag; may be given again.
    #[arg(long, value_name = "T", value_parser = tag_arg)]
    pub untag: Vec<String>,
}

impl MarkHow {
    /// Every change asked for, in a fixed order: read, star, tags added,
    /// tags removed.
    pub fn marks(&self) -> Vec<crate::domain::model::Mark> {
        use crate::domain::model::Mark;
        let flags = [
            (self.read, Mark::Read),
            (self.unread, Mark::Unread),
            (self.star, Mark::Star),
            (self.unstar, Mark::Unstar),
        ];
        let mut marks: Vec<Mark> = flags
            .into_iter()
            .filter_map(|(on, m)| on.then_some(m))
            .collect();
        marks.extend(self.tag.iter().cloned().map(Mark::Tag));
        marks.extend(self.untag.iter().cloned().map(Mark::Untag));
        marks
    }
}

/// The long help (`--help`, and the manual page): the reader's keys, from
/// the default keymap, and the query language.
fn long_help() -> String {
    use crate::app::keys::Mode;
    let keymap = crate::platform::config::Config::default().keymap;
    let mut text = String::from("Keys in the reader (the list; rebind them in the config file):\n");
    for (keys, help) in keymap.help(Mode::List) {
        text.push_str(&format!("  {keys:<14} {help}\n"));
    }
    text.push_str("On the paper screen also:\n");
    let list = keymap.help(Mode::List);
    for (keys, help) in keymap.help(Mode::Detail) {
        if !list.iter().any(|(k, h)| *k == keys && *h == help) {
            text.push_str(&format!("  {keys:<14} {help}\n"));
        }
    }
    text.push_str(
        "\nQuery language (/ in the reader, hfpapers list QUERY, saved views):\n  words and \"phrases\" (title, abstract, authors, AI keywords; case- and accent-insensitive),\n  in:fulltext WORD|\"PHRASE\" (the kept full texts), is:unread|read|starred, tag:NAME,\n  author:NAME, org:NAME, submitter:USER, kw:WORD, has:code|project|summary,\n  upvotes:|comments:|stars: with >N >=N <N <=N =N N or A..B,\n  date:YYYY-MM-DD|YYYY-Www|YYYY-MM|FROM..TO|today|7d, -term, OR, (groups),\n  sort:upvotes|comments|stars|date|title|rank|relevance|foryou|rising.\n\nExit codes: 0 ok, 1 failure, 2 usage or config error, 3 a sync where some requests failed.\nEnvironment: HF_ENDPOINT (default https://huggingface.co), HF_TOKEN, HFPAPERS_DATA_DIR, HFPAPERS_CONFIG, NO_COLOR.",
    );
    text
}

/// A paper id from the command line: checked before it reaches a URL.
fn id_arg(s: &str) -> Result<String, String> {
    crate::domain::model::PaperId::parse(s).map(|id| id.0)
}

fn tag_arg(s: &str) -> Result<String, String> {
    crate::domain::model::parse_tag(s)
}

fn week_arg(s: &str) -> Result<(Day, Day), String> {
    crate::domain::model::parse_week(s)
        .ok_or_else(|| format!("{s:?} is not an ISO week; expected YYYY-Www, e.g. 2026-W23"))
}

fn month_arg(s: &str) -> Result<(Day, Day), String> {
    crate::domain::model::parse_month(s)
        .ok_or_else(|| format!("{s:?} is not a month; expected YYYY-MM, e.g. 2026-06"))
}

fn day_arg(s: &str) -> Result<Day, String> {
    parse_day(s).ok_or_else(|| format!("{s:?} is not a date; expected YYYY-MM-DD, e.g. 2025-09-10"))
}

impl Cli {
    /// The paths named on the command line (files written or read).
    fn paths_mut(&mut self) -> Vec<&mut PathBuf> {
        let mut paths: Vec<&mut PathBuf> = Vec::new();
        paths.extend(self.global.config.as_mut());
        paths.extend(self.startuptime.as_mut());
        match &mut self.command {
            Some(Command::Export { output, .. }) => paths.extend(output.as_mut()),
            Some(
                Command::State(StateCommand::Export { file } | StateCommand::Import { file })
                | Command::SyncState { dir: file },
            ) => paths.push(file),
            Some(Command::Man { dir }) => paths.extend(dir.as_mut()),
            _ => {}
        }
        paths
    }

    /// Makes every relative path on the command line relative to `cwd`:
    /// a command handed over to the open reader (which runs in its own
    /// folder) reads and writes where it was typed.
    pub fn resolve_paths(&mut self, cwd: &std::path::Path) {
        for p in self.paths_mut() {
            if p.is_relative() {
                *p = cwd.join(&*p);
            }
        }
    }

    pub fn has_relative_path(&mut self) -> bool {
        self.paths_mut().iter().any(|p| p.is_relative())
    }
}

#[cfg(test)]
mod path_tests {
    use super::Cli;
    use clap::Parser;
    use std::path::Path;

    #[test]
    fn every_file_on_a_command_line_resolves_in_the_folder_it_was_typed_in() {
        for (args, want) in [
            (&["export", "-o", "rel.csv"][..], "/home/b/rel.csv"),
            (&["state", "export", "s.jsonl"], "/home/b/s.jsonl"),
            (&["state", "import", "sub/s.jsonl"], "/home/b/sub/s.jsonl"),
            (&["sync-state", "--dir", "sd"], "/home/b/sd"),
            (&["list", "--config", "c.toml"], "/home/b/c.toml"),
            (&["export", "-o", "/abs/x.csv"], "/abs/x.csv"),
        ] {
            let mut cli =
                Cli::try_parse_from(std::iter::once("hfpapers").chain(args.iter().copied()))
                    .unwrap_or_else(|e| panic!("{args:?}: {e}"));
            cli.resolve_paths(Path::new("/home/b"));
            let paths: Vec<String> = cli
                .paths_mut()
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            assert_eq!(paths, [want], "{args:?}");
        }
    }
}
