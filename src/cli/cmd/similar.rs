//! `hfpapers similar ID`: the stored papers most like one.

use crate::cli::run::Exit;
use crate::domain::model::PaperId;
use crate::domain::text::one_line;
use crate::search::index::Index;
use crate::store::Store;
use std::io::Write;

/// `hfpapers similar ID`: the stored papers most like one, best first.
pub(crate) fn run(
    store: &Store,
    id: &str,
    limit: usize,
    json: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let id = PaperId(id.trim().to_string());
    if store.row(&id)?.is_none() {
        writeln!(
            err,
            "hfpapers: no paper {} is stored; `hfpapers list QUERY` finds stored ids, `hfpapers sync --date D` fetches a day",
            one_line(id.as_str())
        )?;
        return Ok(Exit::Failure);
    }
    let index = Index::open(store)?;
    let entries = index.similar(&id, limit);
    super::output::print_entries(
        entries.iter().map(|e| &**e),
        super::output::Shape::json(json),
        None,
        out,
    )?;
    Ok(Exit::Ok)
}
