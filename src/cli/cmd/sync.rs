//! `hfpapers sync`: fetch digests into the store, one line per stored day, a total, then the full texts.

use super::output::bar_of;
use crate::cli::run::{Data, Exit};
use crate::domain::model::{Day, fmt_day};
use crate::domain::text::one_line;
use crate::source::sync::{self, Range};
use crate::store::Store;
use std::io::Write;
use std::path::Path;

/// The days `hfpapers sync` was asked for: a date, a week or month (as
/// its first and last day), the last N days, a span, or else a catch-up.
pub(crate) fn range_of(
    date: Option<crate::domain::model::Day>,
    period: Option<(crate::domain::model::Day, crate::domain::model::Day)>,
    days: Option<u32>,
    (since, until): (
        Option<crate::domain::model::Day>,
        Option<crate::domain::model::Day>,
    ),
) -> Range {
    match (date, period, days, since) {
        (Some(d), ..) => Range::Day(d),
        (_, Some((from, to)), ..) => Range::Between(from, Some(to)),
        (_, _, Some(n), _) => Range::LastDays(n),
        (.., Some(s)) => Range::Between(s, until),
        _ => Range::CatchUp,
    }
}

/// `hfpapers sync`: one line per stored day and a total on `out`, then
/// the full texts; a progress bar on stderr when stdout is a terminal.
pub(crate) fn run(
    data: &Data,
    config: Option<&Path>,
    (range, concurrency, fulltext): (Range, usize, bool),
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    // The config is read for `notify_command`; a bad one is a usage error.
    let config = match crate::platform::config::load(config) {
        Ok(c) => c,
        Err(e) => {
            writeln!(err, "hfpapers: {}", one_line(&e.to_string()))?;
            return Ok(Exit::Usage);
        }
    };
    let mut texts = crate::source::texts::TextConfig {
        policy: config.fulltext,
        max_bytes: config.fulltext_max_bytes,
        total_bytes: config.fulltext_total_bytes,
    };
    if fulltext && texts.policy == crate::domain::model::TextPolicy::None {
        texts.policy = crate::domain::model::TextPolicy::Starred;
    }
    let lib = data.online()?.with_texts(texts);
    let progress_bar = data.own_terminal && std::io::IsTerminal::is_terminal(&std::io::stdout());
    let bar = progress_bar.then(|| bar_of("days"));
    let on_progress = |p: sync::Progress| {
        if let Some(bar) = &bar {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        }
    };
    // Handed over: each stored day is said to the waiting command.
    let on_day = |d: sync::StoredDay| {
        if let Some(say) = data.progress {
            say(&format!(
                "stored {}: {}, {} new",
                fmt_day(d.day),
                crate::domain::text::count(d.report.papers as u64, "paper"),
                d.report.new
            ));
        }
    };
    let synced = data
        .rt
        .block_on(lib.sync(&[range], concurrency, &on_day, &on_progress));
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = match synced.error {
        None => synced.reports.into_iter().next().unwrap_or_default(),
        // Not a failure of the network: the server said when to come back.
        Some(e @ crate::source::FetchError::RateLimited { .. }) => {
            writeln!(err, "hfpapers: {}", one_line(&e.to_string()))?;
            let mut report = sync::Report::default();
            report.failed.push(("the latest list".into(), e.to_string()));
            report
        }
        // The network worked: the store could not keep the answer.
        Some(e @ crate::source::FetchError::Store(_)) => {
            return Err(anyhow::Error::new(e).context("nothing was stored"));
        }
        Some(e) => return Err(anyhow::Error::new(e).context(
            "nothing could be fetched; check the network and HF_ENDPOINT, or read offline with `hfpapers --offline`",
        )),
    };
    say_days(&report, range, out, err)?;
    if let Some((day, new)) = synced.new_digest {
        notify_new_digest(day, new, &config.notify_command, err);
    }
    say_texts(&data.lib.store, &synced.texts, out, err)?;
    Ok(if report.failed.is_empty() {
        Exit::Ok
    } else {
        // Some requests failed for good; what arrived is stored.
        Exit::Partial
    })
}

/// One line per stored day, a total, and what else the sync found.
fn say_days(
    report: &sync::Report,
    range: Range,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<()> {
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
    say_ending(report, out, err)?;
    Ok(())
}

/// What a sync found besides days: releases, failures, an early stop.
pub(crate) fn say_ending(
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
pub(crate) fn say_texts(
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

/// Runs `notify_command` for new papers on the latest digest; a failing
/// hook is said, never fatal.
pub(crate) fn notify_new_digest(day: Day, new: usize, notify: &[String], err: &mut impl Write) {
    if notify.is_empty() {
        return;
    }
    if let Err(e) = crate::platform::hooks::notify(notify, &fmt_day(day), new) {
        let _ = writeln!(
            err,
            "hfpapers: notify_command: {}",
            one_line(&e.to_string())
        );
    }
}
