//! `hfpapers search TEXT`: Hugging Face's search (online), with the
//! state of papers already stored.

use crate::cli::run::{Data, Exit};
use crate::library::online::OnlineList;
use std::io::Write;

/// `hfpapers search TEXT`.
pub(crate) fn run(
    data: &Data,
    text: &str,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<Exit> {
    super::output::print_online(
        data,
        &OnlineList::Search(text.to_string()),
        super::output::Shape::json(json),
        out,
    )
}
