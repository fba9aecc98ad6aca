//! `hfpapers search TEXT`: Hugging Face's search (online), with the
//! state of papers already stored; `hfpapers list --trending` prints
//! Hugging Face's other online list the same way ([`print_online`]).

use crate::cli::run::{Data, Exit};
use crate::library::online::{self, OnlineList};
use anyhow::Context;
use std::io::Write;

/// `hfpapers search TEXT`.
pub(crate) fn run(
    data: &Data,
    text: &str,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<Exit> {
    print_online(data, &OnlineList::Search(text.to_string()), json, out)
}

/// An online list, fetched and printed as `list` prints stored papers.
pub(crate) fn print_online(
    data: &Data,
    list: &OnlineList,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<Exit> {
    let lib = data.online()?;
    let client = lib.client.as_ref().context("no client")?;
    let results = data
        .rt
        .block_on(online::fetch(client, &lib.store, list))
        .with_context(|| {
            format!(
                "{} could not be fetched; check the network and HF_ENDPOINT",
                list.describe()
            )
        })?;
    super::output::print_entries(results.iter().map(|(e, _)| e), json, None, out)?;
    Ok(Exit::Ok)
}
