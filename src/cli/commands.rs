//! The headless commands: `sync`, `list`, `show`, `mark`.
//!
//! For scripts, and so that every behaviour can be tested without a
//! terminal. Output goes to the writer given; errors are returned with a
//! message that says what to do, and `main` turns them into exit codes.

use crate::domain::export::{ForYouJson, PaperJson};
use crate::domain::model::{Day, Entry, Mark, Paper, PaperId, UserState, fmt_day};
use crate::domain::query::{self, DateForm, DateSpec, Is, Query, QueryError, SortKey, Term};
use crate::domain::text::one_line;
use crate::search::foryou::{self, Taste, Trained};
use crate::search::index::Index;
use crate::source::Client;
use crate::source::sync::{self, Range};
use crate::store::Store;
use anyhow::{Context, bail};
use serde::Serialize;
use std::io::Write;

/// How `hfpapers sync` ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncOutcome {
    Complete,
    /// Some requests failed for good; what arrived is stored.
    Partial,
}

/// `hfpapers sync`: one line per stored day and a total on `out`; a
/// progress bar on stderr when `progress_bar` (stdout is a terminal).
pub async fn sync(
    store: &Store,
    client: &Client,
    range: Range,
    concurrency: usize,
    progress_bar: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<sync::Report> {
    let bar = progress_bar.then(|| bar_of("days"));
    let on_progress = |p: sync::Progress| {
        if let Some(bar) = &bar {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        }
    };
    let report = match sync::run(client, store, range, concurrency, &|_| {}, &on_progress).await {
        Ok(report) => report,
        // Not a failure of the network: the server said when to come back.
        Err(e @ crate::source::FetchError::RateLimited { .. }) => {
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            writeln!(err, "hfpapers: {}", one_line(&e.to_string()))?;
            let mut report = sync::Report::default();
            report.failed.push(("the latest list".into(), e.to_string()));
            return Ok(report);
        }
        // The network worked: the store could not keep the answer.
        Err(e @ crate::source::FetchError::Store(_)) => {
            return Err(anyhow::Error::new(e).context("nothing was stored"));
        }
        Err(e) => return Err(anyhow::Error::new(e).context(
            "nothing could be fetched; check the network and HF_ENDPOINT, or read offline with `hfpapers --offline`",
        )),
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for d in &report.days {
        writeln!(
            out,
            "{}\t{}\t{} new",
            fmt_day(d.day),
            crate::domain::text::count(d.report.papers as u64, "paper"),
            d.report.new
        )?;
    }
    let days = report.days.len();
    writeln!(
        out,
        "total: {}, {}, {} new, {} failed ({} request{})",
        crate::domain::text::count(days as u64, "day"),
        crate::domain::text::count(report.papers() as u64, "paper"),
        report.new_papers(),
        report.failed.len(),
        report.requests,
        if report.requests == 1 { "" } else { "s" },
    )?;
    if let (Range::Day(d), Some(latest)) = (range, report.latest)
        && d > latest
    {
        writeln!(
            err,
            "hfpapers: {} is after the latest published day {}; nothing to fetch for it yet",
            fmt_day(d),
            fmt_day(latest)
        )?;
    }
    say_ending(&report, out, err)?;
    Ok(report)
}

/// What a sync found besides days: releases, failures, an early stop.
fn say_ending(
    report: &sync::Report,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<()> {
    for (id, what) in &report.released {
        writeln!(out, "watch: {}: {}", one_line(id.as_str()), one_line(what))?;
    }
    for (what, why) in &report.failed {
        writeln!(err, "hfpapers: failed {what}: {}", one_line(why))?;
    }
    if report.stopped.is_some() {
        writeln!(
            err,
            "hfpapers: the sync stopped there: {} stored before it; free some space and run `hfpapers sync` again for the rest",
            crate::domain::text::count(report.days.len() as u64, "day")
        )?;
    }
    Ok(())
}

/// What a round of full texts did, on one line (when it did anything),
/// failures on stderr.
pub fn say_texts(
    store: &Store,
    done: &crate::source::texts::TextReport,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    if done.fetched + done.absent > 0 || done.full {
        let (count, bytes) = store.texts_size()?;
        writeln!(
            out,
            "full texts: {} fetched{}{}; {} stored, {}{}",
            done.fetched,
            if done.cut > 0 {
                format!(" ({} cut at the size cap)", done.cut)
            } else {
                String::new()
            },
            if done.absent > 0 {
                format!(", {} not on Hugging Face", done.absent)
            } else {
                String::new()
            },
            count,
            crate::domain::text::bytes(bytes),
            if done.full {
                " (the total cap is reached: fulltext_total_mb)"
            } else {
                ""
            },
        )?;
    }
    for (what, why) in &done.failed {
        writeln!(err, "hfpapers: failed {what}: {}", one_line(why))?;
    }
    Ok(())
}

/// Runs `notify_command` when a sync brought new papers on the latest
/// digest; a failing hook is said, never fatal.
pub fn notify_new_digest(report: &sync::Report, notify: &[String], err: &mut impl Write) {
    if notify.is_empty() {
        return;
    }
    if let Some(d) = report.days.iter().find(|d| d.latest && d.report.new > 0)
        && let Err(e) = crate::platform::hooks::notify(notify, &fmt_day(d.day), d.report.new)
    {
        let _ = writeln!(
            err,
            "hfpapers: notify_command: {}",
            one_line(&e.to_string())
        );
    }
}

/// How a sync ended, as its exit code says.
pub fn outcome(report: &sync::Report) -> SyncOutcome {
    if report.failed.is_empty() {
        SyncOutcome::Complete
    } else {
        SyncOutcome::Partial
    }
}

/// The flags `hfpapers list` takes besides a query.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub date: Option<Day>,
    pub week: Option<(Day, Day)>,
    pub month: Option<(Day, Day)>,
    pub starred: bool,
    pub unread: bool,
    /// Only papers this Hugging Face user submitted (as `hf papers ls`).
    pub submitter: Option<String>,
}

/// The query `list` runs: the text, narrowed by the flags.
pub fn list_query(text: Option<&str>, filter: ListFilter) -> Result<Query, QueryError> {
    let mut query = query::parse(text.unwrap_or(""))?;
    if let Some(day) = filter.date {
        query.and(Term::Date(DateSpec::Range {
            from: day,
            to: day,
            form: DateForm::Day,
        }));
    }
    for (period, form) in [
        (filter.week, DateForm::Week),
        (filter.month, DateForm::Month),
    ] {
        if let Some((from, to)) = period {
            query.and(Term::Date(DateSpec::Range { from, to, form }));
        }
    }
    if filter.starred {
        query.and(Term::Is(Is::Starred));
    }
    if filter.unread {
        query.and(Term::Is(Is::Unread));
    }
    if let Some(user) = filter.submitter {
        query.and(Term::Submitter(user));
    }
    Ok(query)
}

/// How many rows `list` reads at a time.
const LIST_BLOCK: usize = 65_536;

/// `hfpapers list [QUERY]`: matches across every stored day.
pub fn list(
    store: &Store,
    query: &Query,
    muted: &[crate::domain::taste::Feature],
    json: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    if !store.has_papers() {
        writeln!(
            err,
            "hfpapers: nothing is stored yet; `hfpapers sync` fetches the latest digest (`hfpapers sync --days 7` a week)"
        )?;
    }
    let index = Index::open(store)?;
    let taste = if query.sort == Some(SortKey::ForYou) {
        for_you(store, &index, muted, err)?
    } else {
        None
    };
    let listing = index.listing(
        query,
        None,
        SortKey::Date,
        chrono::Utc::now().date_naive(),
        false,
    );
    // Rows are read in blocks as they are printed, so a million matches
    // never sit in memory at once. A block is large: its rows are read in
    // document order, each compressed block of the index's store opened
    // once per block of rows, and small blocks would open them again and again.
    let rows = (0..listing.len())
        .step_by(LIST_BLOCK)
        .flat_map(|at| index.listing_rows(&listing, at..at + LIST_BLOCK));
    let scored = |e: &Entry| taste.as_ref()?.score_id(&e.row.id);
    print_entries(rows, json, taste.is_some().then_some(&scored), out)
}

/// Learns the reader's taste for `sort:foryou` and ranks by it; on a cold
/// start says why the order is by upvotes.
fn for_you(
    store: &Store,
    index: &Index,
    muted: &[crate::domain::taste::Feature],
    err: &mut impl Write,
) -> anyhow::Result<Option<std::sync::Arc<Taste>>> {
    match foryou::train(store, index, muted.to_vec())? {
        Trained::Taste(taste) => {
            let taste = std::sync::Arc::new(*taste);
            index.set_ranker(Some(taste.clone()));
            Ok(Some(taste))
        }
        Trained::ColdStart { liked } => {
            writeln!(
                err,
                "hfpapers: For you learns from starred or tagged papers: {liked} so far, {} needed; sorted by upvotes until then",
                crate::domain::taste::MIN_POSITIVES
            )?;
            Ok(None)
        }
    }
}

/// `hfpapers foryou --tag TAG`: unread papers ranked by a model of the
/// tag, with scores and reasons as `list 'sort:foryou'` prints them.
pub fn more_like(
    store: &Store,
    tag: &str,
    muted: &[crate::domain::taste::Feature],
    json: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<super::run::Exit> {
    let tag = tag.trim();
    if let Err(e) = query::parse(&format!("tag:{tag}")) {
        writeln!(
            err,
            "hfpapers: --tag {}: {}",
            one_line(tag),
            one_line(&e.to_string())
        )?;
        return Ok(super::run::Exit::Usage);
    }
    let index = Index::open(store)?;
    let today = chrono::Utc::now().date_naive();
    match crate::search::views::more_like(store, &index, tag, muted, today) {
        Ok((entries, explained)) => {
            let by_id: std::collections::HashMap<_, _> = explained.into_iter().collect();
            let scored = |e: &Entry| by_id.get(&e.row.id).cloned();
            print_entries(entries.into_iter(), json, Some(&scored), out)?;
            Ok(super::run::Exit::Ok)
        }
        Err(why) => {
            writeln!(err, "hfpapers: {}", one_line(&why))?;
            Ok(super::run::Exit::Failure)
        }
    }
}

/// A For you score for a row, when the list is ranked by one.
type ScoreOf<'a> = &'a dyn Fn(&Entry) -> Option<crate::domain::taste::Scored>;

fn print_entries<E: std::ops::Deref<Target = Entry>>(
    entries: impl Iterator<Item = E>,
    json: bool,
    score: Option<ScoreOf>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    // Thousands of lines: one write per line would cost more than the query.
    let mut out = std::io::BufWriter::new(out);
    if json {
        // One element at a time, the same text as a whole array written
        // at once.
        use serde::ser::{SerializeSeq, Serializer};
        let mut ser = serde_json::Serializer::pretty(&mut out);
        let mut seq = ser.serialize_seq(None)?;
        for e in entries {
            let mut item = PaperJson::of(&e);
            item.foryou = score.and_then(|f| f(&e)).map(|s| ForYouJson::of(&s));
            seq.serialize_element(&item)?;
        }
        seq.end()?;
        writeln!(out)?;
        out.flush()?;
        return Ok(());
    }
    for e in entries {
        write!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            one_line(e.row.id.as_str()),
            e.row.day.map(fmt_day).unwrap_or_default(),
            e.row.upvotes,
            flags(&e.state),
            one_line(&e.row.title)
        )?;
        // Ranked For you: the score and why, as a last column.
        if let Some(s) = score.and_then(|f| f(&e)) {
            let why: Vec<String> = s
                .reasons
                .iter()
                .map(crate::domain::taste::describe)
                .collect();
            write!(out, "\t{:.2} {}", s.score, one_line(&why.join(" · ")))?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}

/// `hfpapers export`: matches of a query in a format, to a file or `out`.
pub fn export(
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

/// `hfpapers watch`: starred papers that gained code or weights, newest
/// first: id, the day it was seen, what it gained, title (or JSON).
pub fn watch(store: &Store, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
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

/// `hfpapers follow` and `hfpapers mute` (`section`): adds a query to the
/// config's list, removes one, or lists them with how many stored papers
/// each matches.
pub fn interests(
    store: &Store,
    config: &crate::platform::config::Config,
    section: &str,
    (query, remove): (Option<&str>, bool),
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<super::run::Exit> {
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
        return Ok(super::run::Exit::Ok);
    };
    let text = text.trim();
    if let Err(e) = crate::domain::interests::Interests::new(vec![text.to_string()], Vec::new()) {
        writeln!(err, "hfpapers: cannot {section} {}", one_line(&e))?;
        return Ok(super::run::Exit::Usage);
    }
    let Some(path) = config.path.as_deref() else {
        writeln!(
            err,
            "hfpapers: no config file to keep it in (no config directory on this system); use --config FILE"
        )?;
        return Ok(super::run::Exit::Failure);
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
    Ok(super::run::Exit::Ok)
}

/// `hfpapers similar ID`: the stored papers most like one, best first.
pub fn similar(
    store: &Store,
    id: &str,
    limit: usize,
    json: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<super::run::Exit> {
    let id = PaperId(id.trim().to_string());
    if store.row(&id)?.is_none() {
        writeln!(
            err,
            "hfpapers: no paper {} is stored; `hfpapers list QUERY` finds stored ids, `hfpapers sync --date D` fetches a day",
            one_line(id.as_str())
        )?;
        return Ok(super::run::Exit::Failure);
    }
    let index = Index::open(store)?;
    let entries = index.similar(&id, limit);
    print_entries(entries.iter().map(|e| &**e), json, None, out)?;
    Ok(super::run::Exit::Ok)
}

/// `hfpapers index rebuild`: the search index anew, with a progress bar
/// on a terminal.
pub fn rebuild_index(
    store: &Store,
    progress_bar: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let bar = progress_bar.then(|| bar_of("papers indexed"));
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

/// A progress bar counting `unit` (on stderr, where indicatif draws).
fn bar_of(unit: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{bar:30}} {{pos}}/{{len}} {unit} {{msg}}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// `hfpapers tags`: each tag in use and how many papers carry it.
pub fn tags(store: &Store, out: &mut impl Write) -> anyhow::Result<()> {
    let index = Index::open(store)?;
    for (tag, n) in index.tags() {
        writeln!(out, "{}\t{n}", one_line(&tag))?;
    }
    Ok(())
}

/// `hfpapers search TEXT`: papers on Hugging Face, with the state of those
/// already stored.
pub async fn search(
    store: &Store,
    client: &Client,
    text: &str,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let papers = client
        .search(text)
        .await
        .with_context(|| "the search could not be done; check the network and HF_ENDPOINT")?;
    let entries: Vec<Entry> = papers
        .iter()
        .enumerate()
        .map(|(i, p)| crate::search::index::search_entry(store, p, i))
        .collect();
    print_entries(entries.iter(), json, None, out)
}

/// `hfpapers list --trending`: what is trending on Hugging Face now, with
/// the stored state of the papers that are stored.
pub async fn trending(
    store: &Store,
    client: &Client,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let papers = client.trending().await.with_context(
        || "the trending list could not be fetched; check the network and HF_ENDPOINT",
    )?;
    let entries: Vec<Entry> = papers
        .iter()
        .enumerate()
        .map(|(i, p)| crate::search::index::search_entry(store, p, i))
        .collect();
    print_entries(entries.iter(), json, None, out)
}

/// `N` for unread, `*` for starred, `-` for neither: the list's markers.
pub fn flags(state: &UserState) -> String {
    let mut f = String::new();
    if !state.read {
        f.push('N');
    }
    if state.starred {
        f.push('*');
    }
    if f.is_empty() {
        f.push('-');
    }
    f
}

/// `hfpapers show ID`.
pub fn show(store: &Store, id: &str, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
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

fn show_json(
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

fn show_text(
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

/// `hfpapers mark ID... --read|--unread|--star|--unstar`. All ids are
/// checked before anything changes, so a typo changes nothing.
pub fn mark(
    store: &Store,
    log: &crate::store::changelog::ChangeLog,
    ids: &[String],
    mark: &Mark,
    out: &mut impl Write,
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
        let changed = crate::store::userstate::mark(store, log, id, mark)?.unwrap_or(false);
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
