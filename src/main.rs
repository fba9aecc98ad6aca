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
        // A closed pipe (`hfpapers list | head`) ends output quietly.
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
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

/// Whether an error, or any error under it, is a closed pipe: writing JSON
/// wraps it in serde's error, and context may wrap either.
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        let io = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        io == Some(std::io::ErrorKind::BrokenPipe)
    })
}
