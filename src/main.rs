//! Entry point: parse the command line, open the store, dispatch.
//! Errors are printed before (or after) the terminal is taken over, never
//! on top of the reader's screen.

use clap::Parser;
use hfpapers::cli::{Cli, Command};
use hfpapers::commands::{self, ListFilter};
use hfpapers::source::Client;
use hfpapers::store::Store;
use hfpapers::{paths, runtime};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = std::io::stdout().flush();
            eprintln!("hfpapers: {}", hfpapers::text::one_line(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let data_dir = paths::data_dir(cli.global.data_dir)?;
    let store = Store::open(&paths::store_dir(&data_dir))?;
    let rt = tokio::runtime::Runtime::new()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        None => {
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
                },
            ))
        }
        Some(Command::Sync { date }) => {
            let client = Client::from_env()?;
            rt.block_on(commands::sync(&store, &client, date, &mut out))
        }
        Some(Command::List {
            date,
            starred,
            unread,
            json,
        }) => commands::list(
            &store,
            ListFilter {
                date,
                starred,
                unread,
            },
            json,
            &mut out,
        ),
        Some(Command::Show { id, json }) => commands::show(&store, &id, json, &mut out),
        Some(Command::Mark { ids, how }) => commands::mark(&store, &ids, how.mark(), &mut out),
    }
}
