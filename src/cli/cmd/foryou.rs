//! `hfpapers foryou`: the latest stored day ranked by taste, its mutes, or more like #TAG.

use super::output::config_or_say;
use crate::cli::run::{Data, Exit};
use crate::domain::model::Entry;
use crate::domain::query::{self};
use crate::domain::text::one_line;
use crate::search::index::Index;
use crate::store::Store;
use std::io::Write;
use std::path::Path;

/// `hfpapers foryou`: the latest stored day ranked by taste, or the mutes.
pub(crate) fn run(
    data: &Data,
    config: Option<&Path>,
    muted: bool,
    json: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let Some(config) = config_or_say(config, err)? else {
        return Ok(Exit::Usage);
    };
    if muted {
        for f in &config.foryou_mute {
            writeln!(out, "{}", one_line(&crate::domain::taste::feature_name(f)))?;
        }
        return Ok(Exit::Ok);
    }
    let Some(day) = data.lib.store.latest_day()? else {
        writeln!(
            err,
            "hfpapers: nothing is stored yet; `hfpapers sync` fetches the latest digest"
        )?;
        return Ok(Exit::Failure);
    };
    let q = crate::domain::query::parse(&format!(
        "date:{} sort:foryou",
        crate::domain::model::fmt_day(day)
    ))?;
    super::output::print_query(
        &data.lib.store,
        &q,
        &config.foryou_mute,
        super::output::Shape {
            unread_first: true,
            ..super::output::Shape::json(json)
        },
        out,
        err,
    )
    .map(|()| Exit::Ok)
}

/// `hfpapers foryou --tag TAG`: unread papers ranked by a model of the
/// tag, with scores and reasons as `list 'sort:foryou'` prints them.
pub(crate) fn more_like(
    store: &Store,
    tag: &str,
    muted: &[crate::domain::taste::Feature],
    json: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let tag = tag.trim();
    if let Err(e) = query::parse(&format!("tag:{tag}")) {
        writeln!(
            err,
            "hfpapers: --tag {}: {}",
            one_line(tag),
            one_line(&e.to_string())
        )?;
        return Ok(Exit::Usage);
    }
    let index = Index::open(store)?;
    let today = chrono::Utc::now().date_naive();
    match crate::search::views::more_like(store, &index, tag, muted, today) {
        Ok((entries, explained)) => {
            let by_id: std::collections::HashMap<_, _> = explained.into_iter().collect();
            let scored = |e: &Entry| by_id.get(&e.row.id).cloned();
            super::output::print_entries(
                entries.into_iter(),
                super::output::Shape::json(json),
                Some(&scored),
                out,
            )?;
            Ok(Exit::Ok)
        }
        Err(why) => {
            writeln!(err, "hfpapers: {}", one_line(&why))?;
            Ok(Exit::Failure)
        }
    }
}
