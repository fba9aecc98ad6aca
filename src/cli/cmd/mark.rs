//! `hfpapers mark`: read, unread, starred, unstarred or tagged, every id checked first.

use crate::domain::model::{Mark, PaperId};
use crate::domain::text::one_line;
use crate::store::Store;
use anyhow::bail;
use std::io::Write;

/// `hfpapers mark ID... --read|--unread|--star|--unstar|--tag T|--untag T`,
/// any of them together (one change group per paper). All ids are
/// checked before anything changes, so a typo changes nothing.
pub(crate) fn run(
    store: &Store,
    log: &crate::store::changelog::ChangeLog,
    ids: &[String],
    marks: &[Mark],
    (out, err): (&mut impl Write, &mut impl Write),
) -> anyhow::Result<()> {
    let ids: Vec<PaperId> = ids.iter().map(|s| PaperId(s.trim().to_string())).collect();
    let unknown: Vec<&str> = ids
        .iter()
        .filter(|id| !matches!(store.row(id), Ok(Some(_))))
        .map(PaperId::as_str)
        .collect();
    if !unknown.is_empty() {
        bail!(
            "unknown paper id{} {}; nothing was changed (`hfpapers list` shows the stored ids)",
            if unknown.len() > 1 { "s" } else { "" },
            one_line(&unknown.join(", "))
        );
    }
    for id in &ids {
        let changed = match crate::store::userstate::mark_all(store, log, id, marks) {
            Ok(Some((changed, said))) => {
                if let Some(said) = said {
                    writeln!(err, "hfpapers: {}", one_line(&said))?;
                }
                changed
            }
            Ok(None) => vec![false; marks.len()],
            // In the change log, so saved: the store catches up later.
            Err(e @ crate::store::userstate::StateError::StoreBehind(_)) => {
                writeln!(err, "hfpapers: {}", one_line(&e.to_string()))?;
                vec![true; marks.len()]
            }
            Err(e) => return Err(e.into()),
        };
        let title = store.row(id)?.map(|r| r.title).unwrap_or_default();
        writeln!(
            out,
            "{}\t{}\t{}",
            said(marks, &changed),
            one_line(id.as_str()),
            one_line(&title)
        )?;
    }
    Ok(())
}

/// What the changes did, in order: `starred, tagged ssm`; what was
/// already so is said last (`starred; already tagged ssm`).
fn said(marks: &[Mark], changed: &[bool]) -> String {
    let part = |want: bool| -> Vec<String> {
        marks
            .iter()
            .zip(changed)
            .filter(|(_, c)| **c == want)
            .map(|(m, _)| m.past_tense())
            .collect()
    };
    let (done, already) = (part(true), part(false));
    let already = already
        .iter()
        .map(|v| v.trim_start_matches("marked ").to_string())
        .collect::<Vec<_>>()
        .join(", ");
    match (done.is_empty(), already.is_empty()) {
        (_, true) => done.join(", "),
        (true, false) => format!("already {already}"),
        (false, false) => format!("{}; already {already}", done.join(", ")),
    }
}
