//! `hfpapers index rebuild`: the search index written anew, with a progress bar.

use crate::cli::run::{Data, Exit};
use crate::store::Store;
use std::io::Write;

/// `hfpapers index rebuild`, with a progress bar on a terminal.
pub(crate) fn run(data: &Data, out: &mut impl Write) -> anyhow::Result<Exit> {
    let bar = data.own_terminal && std::io::IsTerminal::is_terminal(&std::io::stderr());
    super::index::rebuild(&data.lib.store, bar, out).map(|()| Exit::Ok)
}

/// `hfpapers index rebuild`: the search index anew, with a progress bar
/// on a terminal.
pub(crate) fn rebuild(
    store: &Store,
    progress_bar: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let bar = progress_bar.then(|| super::output::bar_of("papers indexed"));
    let n = store.rebuild_index(&mut |p| {
        if let Some(bar) = &bar {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let dir = crate::store::fulltext::index_dir(store.dir());
    writeln!(
        out,
        "indexed {} in {:.1} s; the index takes {:.1} MB at {}",
        crate::domain::text::count(n as u64, "paper"),
        started.elapsed().as_secs_f64(),
        crate::store::files::dir_bytes(&dir) as f64 / 1e6,
        dir.display()
    )?;
    Ok(())
}
