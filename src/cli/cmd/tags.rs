//! `hfpapers tags`: the tags in use with their counts.

use crate::domain::text::one_line;
use crate::search::index::Index;
use crate::store::Store;
use std::io::Write;

/// `hfpapers tags`: each tag in use and how many papers carry it.
pub(crate) fn run(store: &Store, out: &mut impl Write) -> anyhow::Result<()> {
    let index = Index::open(store)?;
    for (tag, n) in index.tags() {
        writeln!(out, "{}\t{n}", one_line(&tag))?;
    }
    Ok(())
}
