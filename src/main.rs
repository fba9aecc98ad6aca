//! Entry point: parse the command line and run it ([`hfpapers::cli::run`]).
//! Errors are printed before (or after) the terminal is taken over, never
//! on top of the reader's screen.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = hfpapers::cli::args::Cli::parse();
    match hfpapers::cli::run::run(cli, started) {
        Ok(exit) => exit.into(),
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
