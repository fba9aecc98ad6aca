//! `hfpapers watch`: starred papers that gained code or weights.

use crate::domain::text::one_line;
use crate::store::Store;
use std::io::Write;

/// `hfpapers watch`: starred papers that gained code or weights, newest
/// first: id, the day it was seen, what it gained, title (or JSON).
pub(crate) fn run(store: &Store, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let releases = store.releases()?;
    if json {
        let items: Vec<serde_json::Value> = releases
            .iter()
            .map(|(id, r)| {
                let title = store.row(id).ok().flatten().map(|row| one_line(&row.title));
                serde_json::json!({
                    "id": id.as_str(),
                    "title": title,
                    "at": r.at,
                    "what": r.what.iter().map(|w| one_line(w)).collect::<Vec<_>>(),
                    "seen": r.seen,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &items)?;
        writeln!(out)?;
        return Ok(());
    }
    for (id, r) in &releases {
        let title = store.row(id)?.map(|row| row.title).unwrap_or_default();
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            one_line(id.as_str()),
            r.at.get(..10).unwrap_or(&r.at),
            r.describe(),
            one_line(&title)
        )?;
    }
    Ok(())
}
