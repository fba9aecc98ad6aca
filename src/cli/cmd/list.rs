//! `hfpapers list`: stored papers matching a query, or what is trending on Hugging Face.

use super::output::{config_or_say, invalid_query};
use crate::cli::args::Command;
use crate::cli::run::{Data, Exit};
use crate::domain::model::Day;
use crate::domain::query::{self, DateForm, DateSpec, Is, Query, QueryError, Term};
use std::io::Write;
use std::path::Path;

/// `hfpapers list` as typed.
pub(crate) fn run(
    data: &Data,
    config: Option<&Path>,
    command: Command,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<Exit> {
    let Command::List {
        query,
        date,
        week,
        month,
        trending,
        starred,
        unread,
        submitter,
        json,
        limit,
        quiet,
    } = command
    else {
        return Ok(Exit::Usage);
    };
    let filter = ListFilter {
        date,
        week,
        month,
        starred,
        unread,
        submitter,
    };
    list(
        data,
        config,
        query.as_deref(),
        (filter, trending),
        super::output::Shape {
            json,
            ids_only: quiet,
            limit,
            unread_first: false,
        },
        (out, err),
    )
}

/// `hfpapers list`: stored papers matching a query, or what is trending.
pub(crate) fn list(
    data: &Data,
    config: Option<&Path>,
    query: Option<&str>,
    (filter, trending): (ListFilter, bool),
    shape: super::output::Shape,
    (out, err): (&mut impl Write, &mut impl Write),
) -> anyhow::Result<Exit> {
    if trending {
        let list = crate::library::online::OnlineList::Trending;
        return super::output::print_online(data, &list, shape, out);
    }
    match super::list::list_query(query, filter) {
        Ok(q) if q.sort == Some(crate::domain::query::SortKey::ForYou) => {
            // Only For you reads the config (for its mutes).
            let Some(config) = config_or_say(config, err)? else {
                return Ok(Exit::Usage);
            };
            super::output::print_query(&data.lib.store, &q, &config.foryou_mute, shape, out, err)
                .map(|()| Exit::Ok)
        }
        Ok(q) => {
            super::output::print_query(&data.lib.store, &q, &[], shape, out, err).map(|()| Exit::Ok)
        }
        Err(e) => Ok(invalid_query(&e, err)),
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
pub(crate) fn list_query(text: Option<&str>, filter: ListFilter) -> Result<Query, QueryError> {
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
