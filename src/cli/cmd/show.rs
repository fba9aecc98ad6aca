//! `hfpapers show ID`: everything stored about one paper, its details refreshed first if asked.

use crate::cli::run::{Data, Exit};
use crate::domain::model::{Paper, PaperId, UserState, fmt_day};
use crate::domain::text::one_line;
use crate::source::Client;
use crate::store::Store;
use anyhow::bail;
use serde::Serialize;
use std::io::Write;

pub(crate) fn run(
    data: &Data,
    id: &str,
    json: bool,
    refresh: bool,
    out: &mut impl Write,
) -> anyhow::Result<Exit> {
    if refresh {
        let client = Client::from_env()?;
        let id = crate::domain::model::PaperId(id.trim().to_string());
        let paper = data
            .rt
            .block_on(client.paper_details(&id))
            .map_err(|e| anyhow::anyhow!("could not refresh the details: {e}"))?;
        if !data.lib.store.save_details(&paper)? {
            anyhow::bail!("no paper {id} in the store; `hfpapers sync --date D` fetches its day");
        }
    }
    super::show::print(&data.lib.store, id, json, out).map(|()| Exit::Ok)
}

/// `hfpapers show ID`.
pub(crate) fn print(
    store: &Store,
    id: &str,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let id = PaperId(id.trim().to_string());
    let Some(paper) = store.paper(&id)? else {
        bail!(
            "no paper {id} in the store; `hfpapers list` shows the stored ids, `hfpapers sync --date D` fetches a day"
        );
    };
    let state = store.state(&id)?;
    let row = store.row(&id)?.unwrap_or_default();
    if json {
        show_json(&paper, &row, &state, out)
    } else {
        show_text(&paper, &row, &state, out)
    }
}

pub(crate) fn show_json(
    paper: &Paper,
    row: &crate::domain::model::Row,
    state: &UserState,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    {
        #[derive(Serialize)]
        struct Show<'a> {
            #[serde(flatten)]
            paper: &'a Paper,
            date: Option<String>,
            rank: u32,
            read: bool,
            starred: bool,
            tags: &'a [String],
            state_updated_at: Option<&'a str>,
            links: Vec<(&'static str, String)>,
        }
        let show = Show {
            paper,
            date: row.day.map(fmt_day),
            rank: row.rank,
            read: state.read,
            starred: state.starred,
            tags: &state.tags,
            state_updated_at: state.updated_at.as_deref(),
            links: paper
                .links()
                .into_iter()
                .map(|l| (l.label, l.url))
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &show)?;
        writeln!(out)?;
        Ok(())
    }
}

pub(crate) fn show_text(
    paper: &Paper,
    row: &crate::domain::model::Row,
    state: &UserState,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let opt = |o: &Option<String>| o.as_deref().map_or_else(|| "-".into(), one_line);
    writeln!(out, "{}", one_line(&paper.title))?;
    writeln!(out, "id:        {}", one_line(paper.id.as_str()))?;
    writeln!(
        out,
        "date:      {}",
        row.day.map_or_else(|| "-".into(), fmt_day)
    )?;
    writeln!(out, "authors:   {}", one_line(&paper.authors.join(", ")))?;
    writeln!(out, "org:       {}", opt(&paper.organization))?;
    writeln!(out, "published: {}", opt(&paper.published_at))?;
    writeln!(out, "upvotes:   {}", paper.upvotes)?;
    writeln!(out, "comments:  {}", paper.comments)?;
    writeln!(
        out,
        "state:     {}{}",
        if state.read { "read" } else { "unread" },
        if state.starred { ", starred" } else { "" }
    )?;
    if !state.tags.is_empty() {
        writeln!(out, "tags:      {}", one_line(&state.tags.join(" ")))?;
    }
    writeln!(out, "submitted: {}", opt(&paper.submitted_by))?;
    if let Some(s) = &paper.ai_summary {
        writeln!(out, "ai summary: {}", one_line(s))?;
    }
    if !paper.ai_keywords.is_empty() {
        writeln!(
            out,
            "keywords:  {}",
            one_line(&paper.ai_keywords.join(", "))
        )?;
    }
    let linked = paper.linked();
    if !linked.is_empty() {
        writeln!(out, "on the Hub: {}", linked.join(", "))?;
    }
    if let Some(stars) = paper.github_stars {
        writeln!(out, "GitHub:    {stars} stars")?;
    }
    for link in paper.links() {
        writeln!(
            out,
            "{:<10} {}",
            format!("{}:", link.label),
            one_line(&link.url)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", one_line(&paper.summary))?;
    Ok(())
}
