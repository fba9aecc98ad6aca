//! `hfpapers sync-state DIR`: state exchanged with other machines through a shared folder.

use super::output::warn_all;
use crate::cli::run::{Data, Exit};
use std::io::Write;
use std::path::Path;

pub(crate) fn run(
    data: &Data,
    dir: &Path,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let merged = crate::store::userstate::sync_folder(&data.lib.store, &data.log, dir)?;
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
