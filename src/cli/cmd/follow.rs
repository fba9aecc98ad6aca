//! `hfpapers follow` and `hfpapers mute`: one command over two lists of queries in the config file (add, remove, or list with counts).

use super::output::config_or_say;
use crate::cli::run::Exit;
use crate::domain::text::one_line;
use crate::search::index::Index;
use crate::store::Store;
use std::io::Write;
use std::path::Path;

/// `hfpapers follow` and `hfpapers mute`.
pub(crate) fn run(
    store: &Store,
    config: Option<&Path>,
    (section, query, remove): (&str, Option<&str>, bool),
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let Some(config) = config_to_edit(config, err)? else {
        return Ok(Exit::Usage);
    };
    super::follow::edit(store, &config, section, (query, remove), out, err)
}

/// The config a command adds to: as [`config_or_say`], except that a
/// named file that does not exist yet is made by the edit.
pub(crate) fn config_to_edit(
    path: Option<&Path>,
    err: &mut impl Write,
) -> anyhow::Result<Option<crate::platform::config::Config>> {
    match path {
        Some(p) if !p.exists() => Ok(Some(crate::platform::config::Config {
            path: Some(p.to_path_buf()),
            ..Default::default()
        })),
        _ => config_or_say(path, err),
    }
}

/// `hfpapers follow` and `hfpapers mute` (`section`): adds a query to the
/// config's list, removes one, or lists them with how many stored papers
/// each matches.
pub(crate) fn edit(
    store: &Store,
    config: &crate::platform::config::Config,
    section: &str,
    (query, remove): (Option<&str>, bool),
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let today = chrono::Utc::now().date_naive();
    let matching = |text: &str| -> anyhow::Result<usize> {
        let q = crate::domain::query::parse(text)?;
        Ok(Index::open(store)?.count(&q, today).0)
    };
    let listed = if section == "follow" {
        &config.follow
    } else {
        &config.mute
    };
    let Some(text) = query else {
        for q in listed {
            writeln!(out, "{}\t{}", one_line(q), matching(q)?)?;
        }
        return Ok(Exit::Ok);
    };
    let text = text.trim();
    if let Err(e) = crate::domain::interests::Interests::new(vec![text.to_string()], Vec::new()) {
        writeln!(err, "hfpapers: cannot {section} {}", one_line(&e))?;
        return Ok(Exit::Usage);
    }
    let Some(path) = config.path.as_deref() else {
        writeln!(
            err,
            "hfpapers: no config file to keep it in (no config directory on this system); use --config FILE"
        )?;
        return Ok(Exit::Failure);
    };
    let changed = crate::platform::config::edit_list(path, (section, "queries"), text, !remove)?;
    let verb = match (section, remove) {
        ("follow", false) => "following",
        ("follow", true) => "no longer following",
        (_, false) => "muted",
        (_, true) => "no longer muted",
    };
    let already = if changed { "" } else { " (already so)" };
    writeln!(
        out,
        "{verb} {}{already} ({} of the stored papers; kept in {})",
        one_line(text),
        matching(text)?,
        path.display()
    )?;
    Ok(Exit::Ok)
}
