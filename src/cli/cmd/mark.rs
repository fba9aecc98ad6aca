//! `hfpapers mark`: read, unread, starred, unstarred or tagged, every id checked first.

use crate::domain::model::{Mark, PaperId};
use crate::domain::text::one_line;
use crate::store::Store;
use anyhow::bail;
use std::io::Write;

/// `hfpapers mark ID... --read|--unread|--star|--unstar`. All ids are
/// checked before anything changes, so a typo changes nothing.
pub(crate) fn run(
    store: &Store,
    log: &crate::store::changelog::ChangeLog,
    ids: &[String],
    mark: &Mark,
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
        let changed = match crate::store::userstate::mark(store, log, id, mark) {
            Ok(Some((changed, said))) => {
                if let Some(said) = said {
                    writeln!(err, "hfpapers: {}", one_line(&said))?;
                }
                changed
            }
            Ok(None) => false,
            // In the change log, so saved: the store catches up later.
            Err(e @ crate::store::userstate::StateError::StoreBehind(_)) => {
                writeln!(err, "hfpapers: {}", one_line(&e.to_string()))?;
                true
            }
            Err(e) => return Err(e.into()),
        };
        let title = store.row(id)?.map(|r| r.title).unwrap_or_default();
        let verb = if changed {
            mark.past_tense().clone()
        } else {
            format!(
                "already {}",
                mark.past_tense().trim_start_matches("marked ")
            )
        };
        writeln!(
            out,
            "{verb}\t{}\t{}",
            one_line(id.as_str()),
            one_line(&title)
        )?;
    }
    Ok(())
}
