//! Entry point: parse the command line, open the store, dispatch.
//! Errors are printed before (or after) the terminal is taken over, never
//! on top of the reader's screen.

use clap::Parser;
use hfpapers::cli::args::{Cli, Command, StateCommand};
use hfpapers::cli::commands::{self, ListFilter};
use hfpapers::platform::paths;
use hfpapers::reader::runtime;
use hfpapers::source::Client;
use hfpapers::source::sync::Range;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    match run(cli, started) {
        Ok(code) => code,
        // A closed pipe (`hfpapers list | head`) is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = std::io::stdout().flush();
            eprintln!(
                "hfpapers: {}",
                hfpapers::domain::text::one_line(&format!("{e:#}"))
            );
            ExitCode::FAILURE
        }
    }
}

/// Exit code of a sync where some requests failed but others landed.
const PARTIAL: u8 = 3;

fn run(cli: Cli, started: std::time::Instant) -> anyhow::Result<ExitCode> {
    let mut timer = hfpapers::reader::startup::StartupTimer::new(started, cli.startuptime.clone());
    timer.mark("parse command line", "");
    let data_dir = paths::data_dir(cli.global.data_dir.clone())?;
    // Commands that need no store run before it is opened (and locked).
    match &cli.command {
        Some(Command::Completions { shell }) => {
            // Into a buffer first: the generator panics on a closed pipe.
            let mut script = Vec::new();
            clap_complete::generate(
                *shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "hfpapers",
                &mut script,
            );
            std::io::stdout().write_all(&script)?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Man) => {
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut std::io::stdout())?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Config { .. }) => {
            print!("{}", hfpapers::platform::config::DEFAULT);
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Doctor) => {
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(hfpapers::cli::doctor::run(
                &data_dir,
                cli.global.config.as_deref(),
                &mut std::io::stdout(),
            ))?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    hfpapers::platform::logging::init(&data_dir);
    let (store, log, notices) = hfpapers::store::userstate::open_data(&data_dir)?;
    let log = std::sync::Arc::new(log);
    let interactive = cli.command.is_none();
    for note in &notices {
        if !interactive {
            eprintln!("hfpapers: {}", hfpapers::domain::text::one_line(note));
        }
    }
    let recovered = (!notices.is_empty()).then(|| notices.join("; "));
    timer.mark("open store", "");
    let rt = tokio::runtime::Runtime::new()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = store.written();
    let store_dir = store.dir().to_path_buf();
    let result = (move || -> anyhow::Result<ExitCode> {
        match cli.command {
            None => {
                // A bad config file is a usage error, reported before the terminal is taken.
                let config = match hfpapers::platform::config::load(cli.global.config.as_deref()) {
                    Ok(c) => c,
                    Err(e) => {
                        eprintln!(
                            "hfpapers: {}",
                            hfpapers::domain::text::one_line(&format!("{e:#}"))
                        );
                        return Ok(ExitCode::from(2));
                    }
                };
                let client = if cli.offline {
                    None
                } else {
                    Some(Client::from_env()?)
                };
                drop(out);
                rt.block_on(runtime::run(
                    store,
                    runtime::Options {
                        date: cli.date,
                        client,
                        timer,
                        config,
                        data_dir: data_dir.clone(),
                        notice: recovered,
                        log,
                    },
                ))?;
                // A state sync still running in the background (a stalled
                // folder) must not hold the exit.
                rt.shutdown_timeout(std::time::Duration::from_millis(500));
                Ok(ExitCode::SUCCESS)
            }
            Some(Command::Sync {
                date,
                days,
                since,
                until,
                concurrency,
            }) => {
                let client = Client::from_env()?;
                let range = match (date, days, since) {
                    (Some(d), _, _) => Range::Day(d),
                    (_, Some(n), _) => Range::LastDays(n),
                    (_, _, Some(s)) => Range::Between(s, until),
                    _ => Range::CatchUp,
                };
                let bar = std::io::IsTerminal::is_terminal(&std::io::stdout());
                let outcome = rt.block_on(commands::sync(
                    &store,
                    &client,
                    range,
                    concurrency.into(),
                    bar,
                    &mut out,
                ))?;
                Ok(match outcome {
                    commands::SyncOutcome::Complete => ExitCode::SUCCESS,
                    commands::SyncOutcome::Partial => ExitCode::from(PARTIAL),
                })
            }
            Some(Command::List {
                query,
                date,
                starred,
                unread,
                json,
            }) => {
                let filter = ListFilter {
                    date,
                    starred,
                    unread,
                };
                let query = match commands::list_query(query.as_deref(), filter) {
                    Ok(q) => q,
                    Err(e) => {
                        eprintln!(
                            "hfpapers: invalid query: {}",
                            hfpapers::domain::text::one_line(&e.to_string())
                        );
                        return Ok(ExitCode::from(2));
                    }
                };
                commands::list(&store, &query, json, &mut out).map(|()| ExitCode::SUCCESS)
            }
            Some(Command::Tags) => commands::tags(&store, &mut out).map(|()| ExitCode::SUCCESS),
            Some(Command::Search { text, json }) => {
                let client = Client::from_env()?;
                rt.block_on(commands::search(&store, &client, &text, json, &mut out))
                    .map(|()| ExitCode::SUCCESS)
            }
            Some(
                Command::Completions { .. }
                | Command::Man
                | Command::Config { .. }
                | Command::Doctor,
            ) => {
                unreachable!("handled before the store is opened")
            }
            Some(Command::Show { id, json, refresh }) => {
                if refresh {
                    let client = Client::from_env()?;
                    let paper = rt
                        .block_on(client.paper_details(&hfpapers::domain::model::PaperId(
                            id.trim().to_string(),
                        )))
                        .map_err(|e| anyhow::anyhow!("could not refresh the details: {e}"))?;
                    if !store.save_details(&paper)? {
                        anyhow::bail!(
                            "no paper {} in the store; `hfpapers sync --date D` fetches its day",
                            id.trim()
                        );
                    }
                }
                commands::show(&store, &id, json, &mut out).map(|()| ExitCode::SUCCESS)
            }
            Some(Command::Mark { ids, how }) => {
                commands::mark(&store, &log, &ids, &how.mark(), &mut out)
                    .map(|()| ExitCode::SUCCESS)
            }
            Some(Command::Export {
                query,
                format,
                output,
            }) => {
                let query = match hfpapers::domain::query::parse(query.as_deref().unwrap_or("")) {
                    Ok(q) => q,
                    Err(e) => {
                        eprintln!(
                            "hfpapers: invalid query: {}",
                            hfpapers::domain::text::one_line(&e.to_string())
                        );
                        return Ok(ExitCode::from(2));
                    }
                };
                let n = commands::export(&store, &query, format, output.as_deref(), &mut out)?;
                if let Some(path) = output {
                    eprintln!("exported {n} papers to {}", path.display());
                }
                Ok(ExitCode::SUCCESS)
            }
            Some(Command::State(cmd)) => {
                match cmd {
                    StateCommand::Rebuild => {
                        let rebuilt = hfpapers::store::userstate::rebuild(&store, &log)?;
                        warn_all(&rebuilt.warnings);
                        writeln!(
                            out,
                            "rebuilt the state of {} papers from {} changes",
                            rebuilt.papers, rebuilt.changes
                        )?;
                    }
                    StateCommand::Export { file } => {
                        let changes = log.read_all()?;
                        let mut text = String::new();
                        for c in &changes {
                            text.push_str(&serde_json::to_string(c)?);
                            text.push('\n');
                        }
                        hfpapers::store::files::write_atomic(&file, text.as_bytes())
                            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
                        writeln!(out, "wrote {} changes to {}", changes.len(), file.display())?;
                    }
                    StateCommand::Import { file } => {
                        let merged = hfpapers::store::userstate::import(&store, &log, &file)?;
                        warn_all(&merged.warnings);
                        writeln!(
                            out,
                            "merged {} changes from {}; {} papers have state",
                            merged.read,
                            file.display(),
                            merged.papers
                        )?;
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            Some(Command::SyncState { dir }) => {
                let merged = hfpapers::store::userstate::sync_folder(&store, &log, &dir)?;
                warn_all(&merged.warnings);
                writeln!(
                    out,
                    "synced with {} other machine(s) through {}; {} papers have state",
                    merged.read,
                    dir.display(),
                    merged.papers
                )?;
                Ok(ExitCode::SUCCESS)
            }
        }
    })();
    // Every handle on the store is gone: let the storage engine write its
    // snapshot now, so the store still opens on a disk that fills later.
    if written.load(std::sync::atomic::Ordering::SeqCst) {
        hfpapers::store::settle(&store_dir);
    }
    result
}

/// Warnings go to stderr, one line each, sanitized.
fn warn_all(warnings: &[String]) {
    for w in warnings {
        eprintln!("hfpapers: {}", hfpapers::domain::text::one_line(w));
    }
}
