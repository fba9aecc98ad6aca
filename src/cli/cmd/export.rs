//! `hfpapers export`: a query's matches as BibTeX, Markdown, JSON or CSV.

use super::output::invalid_query;
use crate::cli::run::Exit;
use crate::domain::model::Entry;
use crate::domain::query::{Query, SortKey};
use crate::search::index::Index;
use crate::store::Store;
use std::io::Write;
use std::path::Path;

pub(crate) fn run(
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
    let n = super::export::write(store, &query, format, output, out)?;
    if let Some(path) = output {
        writeln!(err, "exported {n} papers to {}", path.display())?;
    }
    Ok(Exit::Ok)
}

/// `hfpapers export`: matches of a query in a format, to a file or `out`.
pub(crate) fn write(
    store: &Store,
    query: &Query,
    format: crate::domain::export::Format,
    file: Option<&std::path::Path>,
    out: &mut impl Write,
) -> anyhow::Result<usize> {
    let index = Index::open(store)?;
    let entries = index.query(query, SortKey::Date, chrono::Utc::now().date_naive());
    let refs: Vec<&Entry> = entries.iter().map(|e| &**e).collect();
    let text = crate::domain::export::render(&refs, format);
    match file {
        Some(path) => crate::store::files::write_output(path, text.as_bytes())?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(refs.len())
}
