//! Runs a parsed command line: one function per subcommand, each ending in
//! a typed [`Exit`]. Commands that need no store run before it is opened
//! (and locked); the rest share one opened data dir ([`Data`]).

use super::args::{Cli, Command, StateCommand};
use super::commands::{self, ListFilter};
use crate::domain::text::one_line;
use crate::source::Client;
use crate::source::sync::Range;
use crate::store::Store;
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
struct Data {
    dir: PathBuf,
    store: Store,
    log: Arc<ChangeLog>,
    rt: tokio::runtime::Runtime,
    /// Output goes to this process's terminal (not back to another
    /// process through the reader's socket): progress bars may be drawn.
    own_terminal: bool,
}

pub fn run(cli: Cli, started: std::time::Instant) -> anyhow::Result<Exit> {
    let mut timer = crate::reader::startup::StartupTimer::new(started, cli.startuptime.clone());
    timer.mark("parse command line", "");
    let dir = crate::platform::paths::data_dir(cli.global.data_dir.clone())?;
    if let Some(exit) = without_store(&cli, &dir) {
        return exit;
    }
    let private = crate::store::files::make_private(&dir);
    crate::platform::logging::init(&dir);
    let (store, log, mut notices) = match crate::store::userstate::open_data(&dir) {
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
                Err(super::handoff::NotAnswering) => Err(anyhow::anyhow!(
                    "the open reader does not answer; is it suspended (Ctrl-Z)? `fg` brings it back; nothing was changed"
                )),
            };
        }
        Err(e) => return Err(e.into()),
    };
    notices.extend(private);
    let interactive = cli.command.is_none();
    if !interactive {
        warn_all(&notices, &mut std::io::stderr());
    }
    timer.mark("open store", "");
    let written = store.written();
    let store_dir = store.dir().to_path_buf();
    let data = Data {
        dir,
        store,
        log: Arc::new(log),
        rt: tokio::runtime::Runtime::new()?,
        own_terminal: true,
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
        Some(Command::Man { dir }) => man_pages(dir.as_deref(), &mut out),
        Some(Command::Config { .. }) => out
            .write_all(crate::platform::config::DEFAULT.as_bytes())
            .map_err(anyhow::Error::from),
        Some(Command::Doctor) => {
            // A store the reader holds: the reader runs the report (handed
            // over like any command), whole.
            let store = match Store::open(&crate::store::store_dir(dir)) {
                Err(crate::store::StoreError::Locked(_)) => return None,
                opened => opened.ok(),
            };
            tokio::runtime::Runtime::new()
                .map_err(anyhow::Error::from)
                .and_then(|rt| {
                    rt.block_on(super::doctor::run(
                        dir,
                        cli.global.config.as_deref(),
                        store.as_ref(),
                        &mut out,
                    ))
                })
        }
        _ => return None,
    };
    Some(done.map(|()| Exit::Ok))
}

/// `hfpapers man`: the main page on stdout, or with `--dir` every page
/// (hfpapers.1 and hfpapers-SUBCOMMAND.1, which the main page refers to).
fn man_pages(dir: Option<&Path>, out: &mut impl Write) -> anyhow::Result<()> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    // Built, so the pages include clap's own `help` subcommand too.
    cmd.build();
    let Some(dir) = dir else {
        clap_mangen::Man::new(cmd).render(out)?;
        return Ok(());
    };
    std::fs::create_dir_all(dir)?;
    let page = |name: &str, cmd: clap::Command| -> anyhow::Result<()> {
        let mut roff = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut roff)?;
        crate::store::files::write_atomic_mode(&dir.join(format!("{name}.1")), &roff, 0o644)?;
        Ok(())
    };
    page("hfpapers", cmd.clone())?;
    for sub in cmd.get_subcommands() {
        let name = format!("hfpapers-{}", sub.get_name());
        page(&name, sub.clone().display_name(name.clone()))?;
    }
    writeln!(out, "wrote the manual pages to {}", dir.display())?;
    Ok(())
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
        data_dir: data.dir.clone(),
        notice: (!notices.is_empty()).then(|| notices.join("; ")),
        log: data.log,
        changed: Some(changed_rx),
    };
    data.rt
        .block_on(crate::reader::runtime::run(data.store, options))?;
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
    let (dir, store, log) = (data.dir.clone(), data.store.clone(), data.log.clone());
    let run = move |args: Vec<String>, cwd: Option<PathBuf>| -> (Vec<u8>, Vec<u8>, Exit) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let what = super::handoff::changed(&args);
        let exit = handed_over(&dir, &store, &log, (args, cwd), &mut out, &mut err);
        if what.is_some() {
            let _ = changed.send(crate::app::Outcome::ChangedElsewhere {
                what: super::handoff::summary(what.unwrap_or_default(), &out),
                synced_at: store.last_sync().ok().flatten(),
            });
        }
        (out, err, exit)
    };
    let listening = super::handoff::listen(&data.dir, run);
    if let Err(e) = &listening {
        tracing::warn!(error = %e, "no socket for commands beside the reader");
    }
    listening.ok()
}

/// Runs a handed-over command line on the reader's data.
fn handed_over(
    dir: &Path,
    store: &Store,
    log: &Arc<ChangeLog>,
    (args, cwd): (Vec<String>, Option<PathBuf>),
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
    let data = Data {
        dir: dir.to_path_buf(),
        store: store.clone(),
        log: log.clone(),
        rt,
        // The reader's terminal is the reader's: no progress bar on it.
        own_terminal: false,
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
    let store = &data.store;
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
            let range = range_of(date, week.or(month), days, (since, until));
            sync(
                data,
                config,
                (range, concurrency.into(), fulltext),
                out,
                err,
            )
        }
        c @ Command::List { .. } => list_command(data, config, c, out, err),
        c @ (Command::Tags
        | Command::Foryou { .. }
        | Command::Watch { .. }
        | Command::Follow { .. }
        | Command::Mute { .. }) => personal(data, config, c, out, err),
        Command::Similar { id, limit, json } => {
            commands::similar(store, &id, usize::from(limit), json, out, err)
        }
        Command::Index(crate::cli::args::IndexCommand::Rebuild) => rebuild_index(data, out),
        Command::Search { text, json } => search(data, &text, json, out),
        Command::Show { id, json, refresh } => show(data, &id, json, refresh, out),
        Command::Read {
            id,
            markdown,
            width,
        } => read(data, config, &id, (markdown, width.into()), (out, err)),
        Command::Mark { ids, how } => {
            commands::mark(store, &data.log, &ids, &how.mark(), out).map(|()| Exit::Ok)
        }
        Command::Export {
            query,
            format,
            output,
        } => export(
            store,
            query.as_deref(),
            format,
            output.as_deref(),
            (out, err),
        ),
        Command::State(cmd) => state(data, cmd, out, err),
        Command::SyncState { dir } => sync_state(data, &dir, out, err),
        Command::Doctor => data
            .rt
            .block_on(super::doctor::run(&data.dir, config, Some(store), out))
            .map(|()| Exit::Ok),
        Command::Completions { .. } | Command::Man { .. } | Command::Config { .. } => Ok(Exit::Ok),
    }
}

/// `hfpapers index rebuild`, with a progress bar on a terminal.
fn rebuild_index(data: &Data, out: &mut impl Write) -> anyhow::Result<Exit> {
    let bar = data.own_terminal && std::io::IsTerminal::is_terminal(&std::io::stderr());
    commands::rebuild_index(&data.store, bar, out).map(|()| Exit::Ok)
}

/// `hfpapers search TEXT`: Hugging Face's search (online).
fn search(data: &Data, text: &str, json: bool, out: &mut impl Write) -> anyhow::Result<Exit> {
    let client = Client::from_env()?;
    (data.rt)
        .block_on(commands::search(&data.store, &client, text, json, out))
        .map(|()| Exit::Ok)
}

/// The days `hfpapers sync` was asked for: a date, a week or month (as
/// its first and last day), the last N days, a span, or else a catch-up.
fn range_of(
    date: Option<crate::domain::model::Day>,
    period: Option<(crate::domain::model::Day, crate::domain::model::Day)>,
    days: Option<u32>,
    (since, until): (
        Option<crate::domain::model::Day>,
        Option<crate::domain::model::Day>,
    ),
) -> Range {
    match (date, period, days, since) {
        (Some(d), ..) => Range::Day(d),
        (_, Some((from, to)), ..) => Range::Between(from, Some(to)),
        (_, _, Some(n), _) => Range::LastDays(n),
        (.., Some(s)) => Range::Between(s, until),
        _ => Range::CatchUp,
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
    let store = &data.store;
    match command {
        Command::Tags => commands::tags(store, out).map(|()| Exit::Ok),
        Command::Foryou {
            tag: Some(tag),
            json,
            ..
        } => {
            let Some(config) = config_or_say(config, err)? else {
                return Ok(Exit::Usage);
            };
            commands::more_like(store, &tag, &config.foryou_mute, json, out, err)
        }
        Command::Foryou { muted, json, .. } => foryou(data, config, muted, json, out, err),
        Command::Watch { json } => commands::watch(store, json, out).map(|()| Exit::Ok),
        Command::Follow { query, remove } => interests(
            store,
            config,
            ("follow", query.as_deref(), remove),
            out,
            err,
        ),
        Command::Mute { query, remove } => {
            interests(store, config, ("mute", query.as_deref(), remove), out, err)
        }
        _ => Ok(Exit::Usage),
    }
}

/// `hfpapers follow` and `hfpapers mute`.
fn interests(
    store: &Store,
    config: Option<&Path>,
    (section, query, remove): (&str, Option<&str>, bool),
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let Some(config) = config_to_edit(config, err)? else {
        return Ok(Exit::Usage);
    };
    commands::interests(store, &config, section, (query, remove), out, err)
}

/// The config a command adds to: as [`config_or_say`], except that a
/// named file that does not exist yet is made by the edit.
fn config_to_edit(
    path: Option<&Path>,
    err: &mut impl Write,
) -> anyhow::Result<Option<crate::platform::config::Config>> {
    match path {
        Some(p) if !p.exists() => Ok(Some(crate::platform::config::Config {
            path: Some(p.to_path_buf()),
            ..Default::default()
        })),
        _ => config_or_say(path, err),
    }
}

fn config_or_say(
    path: Option<&Path>,
    err: &mut impl Write,
) -> anyhow::Result<Option<crate::platform::config::Config>> {
    match crate::platform::config::load(path) {
        Ok(c) => Ok(Some(c)),
        Err(e) => {
            writeln!(err, "hfpapers: {}", one_line(&e.to_string()))?;
            Ok(None)
        }
    }
}

/// `hfpapers foryou`: the latest stored day ranked by taste, or the mutes.
fn foryou(
    data: &Data,
    config: Option<&Path>,
    muted: bool,
    json: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let Some(config) = config_or_say(config, err)? else {
        return Ok(Exit::Usage);
    };
    if muted {
        for f in &config.foryou_mute {
            writeln!(out, "{}", one_line(&crate::domain::taste::feature_name(f)))?;
        }
        return Ok(Exit::Ok);
    }
    let Some(day) = data.store.latest_day()? else {
        writeln!(
            err,
            "hfpapers: nothing is stored yet; `hfpapers sync` fetches the latest digest"
        )?;
        return Ok(Exit::Failure);
    };
    let q = crate::domain::query::parse(&format!(
        "date:{} sort:foryou",
        crate::domain::model::fmt_day(day)
    ))?;
    commands::list(&data.store, &q, &config.foryou_mute, json, out, err).map(|()| Exit::Ok)
}

/// `hfpapers list` as typed.
fn list_command(
    data: &Data,
    config: Option<&Path>,
    command: Command,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let Command::List {
        query,
        date,
        week,
        month,
        trending,
        starred,
        unread,
        submitter,
        json,
    } = command
    else {
        return Ok(Exit::Usage);
    };
    let filter = ListFilter {
        date,
        week,
        month,
        starred,
        unread,
        submitter,
    };
    list(
        data,
        config,
        query.as_deref(),
        (filter, trending, json),
        out,
        err,
    )
}

/// `hfpapers list`: stored papers matching a query, or what is trending.
fn list(
    data: &Data,
    config: Option<&Path>,
    query: Option<&str>,
    (filter, trending, json): (ListFilter, bool, bool),
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    if trending {
        let client = Client::from_env()?;
        return (data.rt)
            .block_on(commands::trending(&data.store, &client, json, out))
            .map(|()| Exit::Ok);
    }
    match commands::list_query(query, filter) {
        Ok(q) if q.sort == Some(crate::domain::query::SortKey::ForYou) => {
            // Only For you reads the config (for its mutes).
            let Some(config) = config_or_say(config, err)? else {
                return Ok(Exit::Usage);
            };
            commands::list(&data.store, &q, &config.foryou_mute, json, out, err).map(|()| Exit::Ok)
        }
        Ok(q) => commands::list(&data.store, &q, &[], json, out, err).map(|()| Exit::Ok),
        Err(e) => Ok(invalid_query(&e, err)),
    }
}

fn sync(
    data: &Data,
    config: Option<&Path>,
    (range, concurrency, fulltext): (Range, usize, bool),
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    // The config is read for `notify_command`; a bad one is a usage error.
    let config = match crate::platform::config::load(config) {
        Ok(c) => c,
        Err(e) => {
            writeln!(err, "hfpapers: {}", one_line(&e.to_string()))?;
            return Ok(Exit::Usage);
        }
    };
    let client = Client::from_env()?;
    let bar = data.own_terminal && std::io::IsTerminal::is_terminal(&std::io::stdout());
    let report = data.rt.block_on(commands::sync(
        &data.store,
        &client,
        range,
        concurrency,
        bar,
        out,
        err,
    ))?;
    commands::notify_new_digest(&report, &config.notify_command, err);
    let mut texts = crate::source::texts::TextConfig {
        policy: config.fulltext,
        max_bytes: config.fulltext_max_bytes,
        total_bytes: config.fulltext_total_bytes,
    };
    if fulltext && texts.policy == crate::domain::model::TextPolicy::None {
        texts.policy = crate::domain::model::TextPolicy::Starred;
    }
    if !report.offline {
        let done = data.rt.block_on(crate::source::texts::fetch_texts(
            &client,
            &data.store,
            texts,
            2,
        ));
        commands::say_texts(&data.store, &done, out, err)?;
    }
    Ok(match commands::outcome(&report) {
        commands::SyncOutcome::Complete => Exit::Ok,
        commands::SyncOutcome::Partial => Exit::Partial,
    })
}

/// A full text not stored: fetched, kept, and given back; or why not.
fn fetch_text(
    data: &Data,
    config: &crate::platform::config::Config,
    id: &crate::domain::model::PaperId,
) -> Result<String, String> {
    let fetched = Client::from_env()
        .map_err(|e| e.to_string())
        .and_then(|client| {
            data.rt
                .block_on(client.fulltext(id))
                .map_err(|e| e.to_string())
        });
    match fetched {
        Ok(Some(text)) => {
            let caps = (config.fulltext_max_bytes, config.fulltext_total_bytes);
            data.store
                .save_text(id, &text, caps)
                .map_err(|e| e.to_string())?;
            Ok(data.store.text(id).ok().flatten().unwrap_or(text))
        }
        Ok(None) => Err(format!("Hugging Face has no full text for {id}")),
        Err(why) => Err(format!(
            "the full text of {id} is not stored, and it could not be fetched: {why}. Star it and run `hfpapers sync` while online to keep it for offline reading"
        )),
    }
}

/// `hfpapers read ID`: the stored full text, else fetched and kept.
fn read(
    data: &Data,
    config: Option<&Path>,
    id: &str,
    (markdown, width): (bool, usize),
    (out, err): (&mut impl Write, &mut impl Write),
) -> anyhow::Result<Exit> {
    let id = crate::domain::model::PaperId(id.trim().to_string());
    let text = if let Some(text) = data.store.text(&id)? {
        text
    } else {
        let Some(config) = config_or_say(config, err)? else {
            return Ok(Exit::Usage);
        };
        match fetch_text(data, &config, &id) {
            Ok(text) => text,
            Err(why) => {
                writeln!(err, "hfpapers: {}", one_line(&why))?;
                return Ok(Exit::Failure);
            }
        }
    };
    if markdown {
        out.write_all(crate::domain::text::sanitize(&text).as_bytes())?;
    } else {
        out.write_all(
            crate::domain::markdown::render(&text, width)
                .to_plain()
                .as_bytes(),
        )?;
    }
    Ok(Exit::Ok)
}

fn show(
    data: &Data,
    id: &str,
    json: bool,
    refresh: bool,
    out: &mut impl Write,
) -> anyhow::Result<Exit> {
    if refresh {
        let client = Client::from_env()?;
        let id = crate::domain::model::PaperId(id.trim().to_string());
        let paper = data
            .rt
            .block_on(client.paper_details(&id))
            .map_err(|e| anyhow::anyhow!("could not refresh the details: {e}"))?;
        if !data.store.save_details(&paper)? {
            anyhow::bail!("no paper {id} in the store; `hfpapers sync --date D` fetches its day");
        }
    }
    commands::show(&data.store, id, json, out).map(|()| Exit::Ok)
}

fn export(
    store: &Store,
    query: Option<&str>,
    format: crate::domain::export::Format,
    output: Option<&Path>,
    (out, err): (&mut impl Write, &mut impl Write),
) -> anyhow::Result<Exit> {
    let query = match crate::domain::query::parse(query.unwrap_or("")) {
        Ok(q) => q,
        Err(e) => return Ok(invalid_query(&e, err)),
    };
    let n = commands::export(store, &query, format, output, out)?;
    if let Some(path) = output {
        writeln!(err, "exported {n} papers to {}", path.display())?;
    }
    Ok(Exit::Ok)
}

fn state(
    data: &Data,
    cmd: StateCommand,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let (store, log) = (&data.store, &data.log);
    match cmd {
        StateCommand::Rebuild => {
            let rebuilt = crate::store::userstate::rebuild(store, log)?;
            warn_all(&rebuilt.warnings, err);
            writeln!(
                out,
                "rebuilt the state of {} papers from {} changes",
                rebuilt.papers, rebuilt.changes
            )?;
        }
        StateCommand::Export { file } => {
            let n = crate::store::userstate::export(log, &file)?;
            writeln!(out, "wrote {n} changes to {}", file.display())?;
        }
        StateCommand::Import { file } => {
            let merged = crate::store::userstate::import(store, log, &file)?;
            warn_all(&merged.warnings, err);
            writeln!(
                out,
                "merged {} changes from {}; {} papers have state",
                merged.read,
                file.display(),
                merged.papers
            )?;
        }
    }
    Ok(Exit::Ok)
}

fn sync_state(
    data: &Data,
    dir: &Path,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let merged = crate::store::userstate::sync_folder(&data.store, &data.log, dir)?;
    warn_all(&merged.warnings, err);
    writeln!(
        out,
        "synced with {} other machine(s) through {}; {} papers have state",
        merged.read,
        dir.display(),
        merged.papers
    )?;
    Ok(Exit::Ok)
}

fn invalid_query(e: &crate::domain::query::QueryError, err: &mut impl Write) -> Exit {
    let _ = writeln!(err, "hfpapers: invalid query: {}", one_line(&e.to_string()));
    Exit::Usage
}

/// Warnings go to stderr, one line each, sanitized.
fn warn_all(warnings: &[String], err: &mut impl Write) {
    for w in warnings {
        let _ = writeln!(err, "hfpapers: {}", one_line(w));
    }
}
