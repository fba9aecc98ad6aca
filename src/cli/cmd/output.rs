//! What several subcommands print alike: a list of papers (tab-separated or JSON, with For you's scores), a query's matches, the markers, a progress bar; the config read or the reason it cannot be; warnings.

use crate::cli::run::Exit;
use crate::domain::export::{ForYouJson, PaperJson};
use crate::domain::model::{Entry, UserState, fmt_day};
use crate::domain::query::{Query, SortKey};
use crate::domain::text::one_line;
use crate::search::foryou::{self, Taste, Trained};
use crate::search::index::Index;
use crate::store::Store;
use std::io::Write;
use std::path::Path;

/// How many rows `list` reads at a time.
pub(crate) const LIST_BLOCK: usize = 65_536;

/// `hfpapers list [QUERY]`: matches across every stored day.
pub(crate) fn print_query(
    store: &Store,
    query: &Query,
    muted: &[crate::domain::taste::Feature],
    shape: Shape,
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
    let ranked = taste.is_some().then_some(&scored as ScoreOf);
    if shape.unread_first {
        // A day's list: held whole, then parted stably.
        let (unread, read): (Vec<_>, Vec<_>) = rows.partition(|e| !e.state.read);
        return print_entries(unread.into_iter().chain(read), shape, ranked, out);
    }
    print_entries(rows, shape, ranked, out)
}

/// Learns the reader's taste for `sort:foryou` and ranks by it; on a cold
/// start says why the order is by upvotes.
pub(crate) fn for_you(
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

/// How a list of papers is printed: tab-separated lines (or only the ids
/// with `-q`), or a JSON array; at most `limit` of them.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shape {
    pub json: bool,
    pub ids_only: bool,
    pub limit: Option<usize>,
    /// Unread papers first, read ones after, each part in the list's
    /// order (`hfpapers foryou`, as the For you view).
    pub unread_first: bool,
}

impl Shape {
    /// Every paper, as lines or as JSON.
    pub fn json(json: bool) -> Shape {
        Shape {
            json,
            ..Shape::default()
        }
    }
}

/// A For you score for a row, when the list is ranked by one.
pub(crate) type ScoreOf<'a> = &'a dyn Fn(&Entry) -> Option<crate::domain::taste::Scored>;

pub(crate) fn print_entries<E: std::ops::Deref<Target = Entry>>(
    entries: impl Iterator<Item = E>,
    shape: Shape,
    score: Option<ScoreOf>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let entries = entries.take(shape.limit.unwrap_or(usize::MAX));
    // Thousands of lines: one write per line would cost more than the query.
    let mut out = std::io::BufWriter::new(out);
    if shape.ids_only && !shape.json {
        for e in entries {
            writeln!(out, "{}", one_line(e.row.id.as_str()))?;
        }
        out.flush()?;
        return Ok(());
    }
    if shape.json {
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

/// `N` for unread, `*` for starred, `-` for neither: the list's markers.
pub(crate) fn flags(state: &UserState) -> String {
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

/// A progress bar counting `unit` (on stderr, where indicatif draws).
pub(crate) fn bar_of(unit: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{bar:30}} {{pos}}/{{len}} {unit} {{msg}}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

pub(crate) fn config_or_say(
    path: Option<&Path>,
    err: &mut impl Write,
) -> anyhow::Result<Option<crate::platform::config::Config>> {
    match crate::platform::config::load(path) {
        Ok(c) => Ok(Some(c)),
        Err(e) => {
            writeln!(err, "hfpapers: {}", one_line(&e.to_string()))?;
            Ok(None)
        }
    }
}

pub(crate) fn invalid_query(e: &crate::domain::query::QueryError, err: &mut impl Write) -> Exit {
    let _ = writeln!(err, "hfpapers: invalid query: {}", one_line(&e.to_string()));
    Exit::Usage
}

/// Warnings go to stderr, one line each, sanitized.
pub(crate) fn warn_all(warnings: &[String], err: &mut impl Write) {
    for w in warnings {
        let _ = writeln!(err, "hfpapers: {}", one_line(w));
    }
}

/// An online list, fetched and printed as `list` prints stored papers.
pub(crate) fn print_online(
    data: &crate::cli::run::Data,
    list: &crate::library::online::OnlineList,
    shape: Shape,
    out: &mut impl Write,
) -> anyhow::Result<Exit> {
    let lib = data.online()?;
    let client = lib
        .client
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("no client"))?;
    let results = data
        .rt
        .block_on(crate::library::online::fetch(client, &lib.store, list));
    let results = anyhow::Context::with_context(results, || {
        format!(
            "{} could not be fetched; check the network and HF_ENDPOINT",
            list.describe()
        )
    })?;
    print_entries(results.iter().map(|(e, _)| e), shape, None, out)?;
    Ok(Exit::Ok)
}
