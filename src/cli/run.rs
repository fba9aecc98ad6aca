//! Runs a parsed command line: one function per subcommand, each ending in
//! a typed [`Exit`]. Commands that need no store run before it is opened
//! (and locked); the rest share one opened data dir ([`Data`]).

use super::args::{Cli, Command};
use super::cmd;
use crate::domain::text::one_line;
use crate::source::Client;
use crate::store::changelog::ChangeLog;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How a run ends, as the shell sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok,
    /// Something failed; the message says what.
    Failure,
    /// A usage or config error (a bad query, a bad config file).
    Usage,
    /// A sync where some requests failed but others landed.
    Partial,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(match e {
            Exit::Ok => 0,
            Exit::Failure => 1,
            Exit::Usage => 2,
            Exit::Partial => 3,
        })
    }
}

/// An opened data dir: the store, this device's change log, a runtime.
pub(crate) struct Data<'p> {
    /// The store, the data dir and the change log, as the library opened them.
    pub lib: crate::library::Library,
    /// The same change log (a command line always has one).
    pub log: Arc<ChangeLog>,
    pub rt: tokio::runtime::Runtime,
    /// Output goes to this process's terminal (not back to another
    /// process through the reader's socket): progress bars may be drawn.
    pub own_terminal: bool,
    /// Where a long command says how far it has got, for a command handed
    /// over by another process (which prints it as it comes).
    pub progress: Option<super::handoff::Progress<'p>>,
}

impl Data<'_> {
    /// The library with a client for Hugging Face (from `HF_ENDPOINT`).
    pub fn online(&self) -> anyhow::Result<crate::library::Library> {
        let mut lib = self.lib.clone();
        lib.client = Some(Client::from_env()?);
        Ok(lib)
    }
}

pub fn run(mut cli: Cli, started: std::time::Instant) -> anyhow::Result<Exit> {
    cli.global = cli.global.with_env();
    let mut timer = crate::reader::startup::StartupTimer::new(started, cli.startuptime.clone());
    timer.mark("parse command line", "");
    let dir = crate::platform::paths::data_dir(cli.global.data_dir.clone())?;
    if let Some(exit) = without_store(&cli, &dir) {
        return exit;
    }
    let private = crate::store::files::make_private(&dir);
    crate::platform::logging::init(&dir);
    let opened = match crate::library::open(crate::library::DataDir::new(&dir), None) {
        Ok(opened) => opened,
        // A reader has the store: it runs the command and says what it said.
        Err(
            e @ crate::store::userstate::StateError::Store(crate::store::StoreError::Locked(_)),
        ) if cli.command.is_some() => {
            return match super::handoff::hand_over(&dir, std::env::args().skip(1).collect()) {
                Ok(Some((out, err, code))) => {
                    print!("{out}");
                    eprint!("{err}");
                    Ok(match code {
                        0 => Exit::Ok,
                        2 => Exit::Usage,
                        3 => Exit::Partial,
                        _ => Exit::Failure,
                    })
                }
                Ok(None) => Err(e.into()),
                Err(super::handoff::NotAnswering::NotTaken) => Err(anyhow::anyhow!(
                    "the open reader does not answer; is it suspended (Ctrl-Z)? `fg` brings it back; nothing was changed"
                )),
                Err(super::handoff::NotAnswering::FellSilent) => Err(anyhow::anyhow!(
                    "the open reader took the command, then stopped answering; is it suspended (Ctrl-Z)? `fg` brings it back; what the command did before is kept, and running it again is safe"
                )),
            };
        }
        Err(e) => return Err(e.into()),
    };
    let (lib, mut notices) = (opened.library, opened.notices);
    notices.extend(private);
    let interactive = cli.command.is_none();
    if !interactive {
        cmd::output::warn_all(&notices, &mut std::io::stderr());
    }
    timer.mark("open store", "");
    let written = lib.store.written();
    let store_dir = lib.dir.store();
    let Some(log) = lib.log.clone() else {
        anyhow::bail!("the change log was not opened");
    };
    let data = Data {
        lib,
        log,
        rt: tokio::runtime::Runtime::new()?,
        own_terminal: true,
        progress: None,
    };
    let result = match cli.command {
        None => reader(data, &cli, timer, &notices),
        Some(command) => {
            let exit = with_store(
                &data,
                cli.global.config.as_deref(),
                command,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr(),
            );
            // Close the store (every handle) before settling it below.
            drop(data);
            exit
        }
    };
    // Every handle on the store is gone: let the storage engine write its
    // snapshot now, so the store still opens on a disk that fills later.
    if written.load(std::sync::atomic::Ordering::SeqCst) {
        crate::store::settle(&store_dir);
    }
    result
}

/// Completions, the man page, the default config and doctor: `None` for
/// the commands that need the store.
fn without_store(cli: &Cli, dir: &Path) -> Option<anyhow::Result<Exit>> {
    let mut out = std::io::stdout();
    let done = match &cli.command {
        Some(Command::Completions { shell }) => {
            // Into a buffer first: the generator panics on a closed pipe.
            let mut script = Vec::new();
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "hfpapers", &mut script);
            out.write_all(&script).map_err(anyhow::Error::from)
        }
        Some(Command::Man { dir }) => cmd::man::run(dir.as_deref(), &mut out),
        Some(Command::Config { .. }) => out
            .write_all(crate::platform::config::DEFAULT.as_bytes())
            .map_err(anyhow::Error::from),
        Some(Command::Doctor) => {
            super::doctor::standalone(dir, cli.global.config.as_deref(), &mut out)?
        }
        _ => return None,
    };
    Some(done.map(|()| Exit::Ok))
}

/// The reader. A bad config file is a usage error, said before the
/// terminal is taken.
fn reader(
    data: Data,
    cli: &Cli,
    timer: crate::reader::startup::StartupTimer,
    notices: &[String],
) -> anyhow::Result<Exit> {
    let config = match crate::platform::config::load(cli.global.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hfpapers: {}", one_line(&format!("{e:#}")));
            return Ok(Exit::Usage);
        }
    };
    let client = if cli.offline {
        None
    } else {
        Some(Client::from_env()?)
    };
    // Commands run beside the reader are handed to it through a socket.
    let (changed_tx, changed_rx) = tokio::sync::mpsc::unbounded_channel();
    let listening = serve_handoff(&data, changed_tx);
    let options = crate::reader::runtime::Options {
        date: cli.date,
        client,
        timer,
        config,
        data_dir: data.lib.dir.root().to_path_buf(),
        notice: (!notices.is_empty()).then(|| notices.join("; ")),
        log: data.log,
        changed: Some(changed_rx),
    };
    data.rt
        .block_on(crate::reader::runtime::run(data.lib.store, options))?;
    // A state sync still running in the background (a stalled folder)
    // must not hold the exit.
    data.rt
        .shutdown_timeout(std::time::Duration::from_millis(500));
    drop(listening);
    Ok(Exit::Ok)
}

/// Listens for commands other processes hand over while the reader holds
/// the store; each runs on the reader's store and change log, on a thread
/// of the listener's, with its output sent back. Without a socket (an
/// unusual file system), other commands say the store is locked, as before.
fn serve_handoff(
    data: &Data,
    changed: tokio::sync::mpsc::UnboundedSender<crate::app::Outcome>,
) -> Option<super::handoff::Listening> {
    let lib = data.lib.clone();
    let run = move |args: Vec<String>,
                    cwd: Option<PathBuf>,
                    progress: super::handoff::Progress|
          -> (Vec<u8>, Vec<u8>, Exit) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let what = super::handoff::changed(&args);
        let exit = handed_over(&lib, (args, cwd), progress, &mut out, &mut err);
        if what.is_some() {
            let _ = changed.send(crate::app::Outcome::ChangedElsewhere {
                what: super::handoff::summary(what.unwrap_or_default(), &out),
                synced_at: lib.store.last_sync().ok().flatten(),
            });
        }
        (out, err, exit)
    };
    let listening = super::handoff::listen(data.lib.dir.root(), run);
    if let Err(e) = &listening {
        tracing::warn!(error = %e, "no socket for commands beside the reader");
    }
    listening.ok()
}

/// Runs a handed-over command line on the reader's data.
fn handed_over(
    lib: &crate::library::Library,
    (args, cwd): (Vec<String>, Option<PathBuf>),
    progress: super::handoff::Progress,
    out: &mut Vec<u8>,
    err: &mut Vec<u8>,
) -> Exit {
    let mut cli = match <Cli as clap::Parser>::try_parse_from(
        std::iter::once("hfpapers".to_string()).chain(args),
    ) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = write!(err, "{e}");
            return Exit::Usage;
        }
    };
    cli.global = cli.global.with_env();
    // Files named on the command line are the typing shell's.
    match cwd {
        Some(cwd) => cli.resolve_paths(&cwd),
        None if cli.has_relative_path() => {
            let _ = writeln!(
                err,
                "hfpapers: the open reader cannot tell which folder a relative path means; give a full path"
            );
            return Exit::Usage;
        }
        None => {}
    }
    let Some(command) = cli.command else {
        let _ = writeln!(err, "hfpapers: a reader is already open on this data dir");
        return Exit::Failure;
    };
    let Ok(rt) = tokio::runtime::Runtime::new() else {
        return Exit::Failure;
    };
    let Some(log) = lib.log.clone() else {
        return Exit::Failure;
    };
    let data = Data {
        lib: lib.clone(),
        log,
        rt,
        // The reader's terminal is the reader's: no progress bar on it;
        // progress goes back to the waiting command instead.
        own_terminal: false,
        progress: Some(progress),
    };
    match with_store(&data, cli.global.config.as_deref(), command, out, err) {
        Ok(exit) => exit,
        Err(e) => {
            let _ = writeln!(err, "hfpapers: {}", one_line(&format!("{e:#}")));
            Exit::Failure
        }
    }
}

/// Runs a command on an open data dir, writing what it says to `out` and
/// `err`: the terminal, or (for a command handed over by another process
/// while the reader has the store) buffers sent back to it.
fn with_store(
    data: &Data,
    config: Option<&Path>,
    command: Command,
    mut out: &mut dyn Write,
    mut err: &mut dyn Write,
) -> anyhow::Result<Exit> {
    let (out, err) = (&mut out, &mut err);
    let store = &data.lib.store;
    match command {
        Command::Sync {
            date,
            week,
            month,
            days,
            since,
            until,
            concurrency,
            fulltext,
        } => {
            let range = cmd::sync::range_of(date, week.or(month), days, (since, until));
            cmd::sync::run(
                data,
                config,
                (range, concurrency.into(), fulltext),
                out,
                err,
            )
        }
        c @ Command::List { .. } => cmd::list::run(data, config, c, out, err),
        c @ (Command::Tags
        | Command::Foryou { .. }
        | Command::Watch { .. }
        | Command::Follow { .. }
        | Command::Mute { .. }) => personal(data, config, c, out, err),
        Command::Similar { id, limit, json } => {
            cmd::similar::run(store, &id, usize::from(limit), json, out, err)
        }
        Command::Index(crate::cli::args::IndexCommand::Rebuild) => cmd::index::run(data, out),
        Command::Search { text, json } => cmd::search::run(data, &text, json, out),
        Command::Show { id, json, refresh } => cmd::show::run(data, &id, json, refresh, out),
        Command::Read {
            id,
            markdown,
            width,
        } => cmd::read::run(data, config, &id, (markdown, width.into()), (out, err)),
        Command::Mark { ids, how } => {
            cmd::mark::run(store, &data.log, &ids, &how.marks(), (out, err)).map(|()| Exit::Ok)
        }
        Command::Export {
            query,
            format,
            output,
        } => cmd::export::run(
            store,
            query.as_deref(),
            format,
            output.as_deref(),
            (out, err),
        ),
        Command::State(cmd) => cmd::state::run(data, cmd, out, err),
        Command::SyncState { dir } => cmd::sync_state::run(data, &dir, out, err),
        Command::Doctor => data
            .rt
            .block_on(super::doctor::run(
                data.lib.dir.root(),
                config,
                Some(store),
                out,
            ))
            .map(|()| Exit::Ok),
        Command::Completions { .. } | Command::Man { .. } | Command::Config { .. } => Ok(Exit::Ok),
    }
}

/// The config, or `None` after saying on `err` why it does not load.
/// The commands about the reader's own interests: tags, For you, the
/// watch, follows and mutes.
fn personal(
    data: &Data,
    config: Option<&Path>,
    command: Command,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let store = &data.lib.store;
    match command {
        Command::Tags => cmd::tags::run(store, out).map(|()| Exit::Ok),
        Command::Foryou {
            tag: Some(tag),
            json,
            ..
        } => {
            let Some(config) = cmd::output::config_or_say(config, err)? else {
                return Ok(Exit::Usage);
            };
            cmd::foryou::more_like(store, &tag, &config.foryou_mute, json, out, err)
        }
        Command::Foryou { muted, json, .. } => {
            cmd::foryou::run(data, config, muted, json, out, err)
        }
        Command::Watch { json } => cmd::watch::run(store, json, out).map(|()| Exit::Ok),
        Command::Follow { query, remove } => cmd::follow::run(
            store,
            config,
            ("follow", query.as_deref(), remove),
            out,
            err,
        ),
        Command::Mute { query, remove } => {
            cmd::follow::run(store, config, ("mute", query.as_deref(), remove), out, err)
        }
        _ => Ok(Exit::Usage),
    }
}
