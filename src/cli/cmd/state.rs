//! `hfpapers state`: the change log rebuilt into the store, exported, or imported.

use super::output::warn_all;
use crate::cli::args::StateCommand;
use crate::cli::run::{Data, Exit};
use std::io::Write;

pub(crate) fn run(
    data: &Data,
    cmd: StateCommand,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let (store, log) = (&data.lib.store, &data.log);
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
