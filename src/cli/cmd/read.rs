//! `hfpapers read ID`: a paper's full text, the stored copy or fetched and kept.

use super::output::config_or_say;
use crate::cli::run::{Data, Exit};
use crate::domain::text::one_line;
use std::io::Write;
use std::path::Path;

/// `hfpapers read ID`: the stored full text, else fetched and kept.
pub(crate) fn run(
    data: &Data,
    config: Option<&Path>,
    id: &str,
    (markdown, width): (bool, usize),
    (out, err): (&mut impl Write, &mut impl Write),
) -> anyhow::Result<Exit> {
    let id = crate::domain::model::PaperId(id.trim().to_string());
    let text = if let Some(text) = data.lib.store.text(&id)? {
        text
    } else {
        let Some(config) = config_or_say(config, err)? else {
            return Ok(Exit::Usage);
        };
        match fetch_text(data, &config, &id) {
            Ok(text) => text,
            Err(why) => {
                writeln!(err, "hfpapers: {}", one_line(&why))?;
                return Ok(Exit::Failure);
            }
        }
    };
    if markdown {
        out.write_all(crate::domain::text::sanitize(&text).as_bytes())?;
    } else {
        out.write_all(
            crate::domain::markdown::render(&text, width)
                .to_plain()
                .as_bytes(),
        )?;
    }
    Ok(Exit::Ok)
}

/// A full text not stored: fetched, kept, and given back; or why not.
fn fetch_text(
    data: &Data,
    config: &crate::platform::config::Config,
    id: &crate::domain::model::PaperId,
) -> Result<String, String> {
    use crate::library::papers::TextFetched;
    let lib = data.online().map_err(|e| e.to_string())?;
    let lib = lib.with_texts(crate::source::texts::TextConfig {
        policy: config.fulltext,
        max_bytes: config.fulltext_max_bytes,
        total_bytes: config.fulltext_total_bytes,
    });
    let why = match data.rt.block_on(lib.fetch_text(id)) {
        TextFetched::Kept(text) => return Ok(text),
        TextFetched::Absent => return Err(format!("Hugging Face has no full text for {id}")),
        TextFetched::Offline => "the network is down".to_string(),
        TextFetched::Failed(why) => why,
    };
    Err(format!(
        "the full text of {id} is not stored, and it could not be fetched: {why}. Star it and run `hfpapers sync` while online to keep it for offline reading"
    ))
}
