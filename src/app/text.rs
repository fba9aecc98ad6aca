//! The full text in the paper view: `f` switches between the abstract and
//! the paper's Markdown (loaded from the store, fetched when online and not
//! kept yet); while it shows, `/` searches inside it, `n`/`N` go to the
//! next and previous match, `L` opens a numbered link and `Esc` goes back
//! to the abstract. Which lines match is known only once drawn at the
//! terminal's width: the frame reports them (`Viewport`), and a jump asked
//! for waits for that report.

use super::{AppState, Command, Effect, FullText, PromptKind, Screen, prompt};
use crate::domain::model::PaperId;
use std::sync::Arc;

/// Keys that mean something else while the full text shows; `None` lets
/// the key through.
pub fn key(state: &mut AppState, c: Command) -> Option<Vec<Effect>> {
    if state.screen != Screen::Detail {
        return None;
    }
    if c == Command::ToggleFullText {
        return Some(toggle(state));
    }
    let text = state.detail.text.as_mut().filter(|t| t.shown)?;
    match c {
        Command::OpenFilter => {
            let search = text.search.clone();
            prompt::open(state, PromptKind::FindInText, search);
        }
        Command::NextPaper | Command::NextUnread => jump(state, true),
        Command::PrevPaper | Command::PrevUnread => jump(state, false),
        Command::OpenLinks => {
            let links = crate::domain::markdown::render(&text.markdown, 80).links;
            if links.is_empty() {
                state.message = Some("the full text has no links".into());
            } else {
                prompt::open(state, PromptKind::TextLink(links), String::new());
            }
        }
        Command::Back => {
            text.shown = false;
            state.detail.scroll = 0;
            state.message = Some("the abstract (f: the full text again)".into());
        }
        _ => return None,
    }
    Some(Vec::new())
}

/// `f`: the full text, or back to the abstract.
fn toggle(state: &mut AppState) -> Vec<Effect> {
    let Some(paper) = &state.detail.paper else {
        return Vec::new();
    };
    if let Some(text) = state.detail.text.as_mut().filter(|t| t.id == paper.id) {
        text.shown = !text.shown;
        state.detail.scroll = 0;
        return Vec::new();
    }
    state.message = Some("loading the full text…".into());
    vec![Effect::LoadText {
        id: paper.id.clone(),
        offline: matches!(state.sync.net, super::Net::Offline | super::Net::Disabled),
    }]
}

/// The text arrived: shown if its paper is still the one open.
pub fn loaded(state: &mut AppState, id: &PaperId, markdown: Arc<str>) {
    if state.detail.paper.as_ref().is_none_or(|p| p.id != *id) {
        return;
    }
    state.detail.text = Some(FullText {
        id: id.clone(),
        markdown,
        shown: true,
        search: String::new(),
        matches: Vec::new(),
        current: 0,
        jump: None,
    });
    state.detail.scroll = 0;
    state.message =
        Some("full text: / searches in it, n/N between matches, L links, Esc the abstract".into());
}

/// Enter in the full text's prompts: a link opened, or words searched.
pub fn entered(state: &mut AppState) -> Vec<Effect> {
    let Some(prompt) = state.prompt.take() else {
        return Vec::new();
    };
    if let PromptKind::TextLink(links) = prompt.kind {
        return open_link(state, &links, &prompt.input);
    }
    search(state, &prompt.input);
    Vec::new()
}

/// `/` in the full text, Enter: search for the words; the first match at
/// or after the top line is shown once the frame has found them.
fn search(state: &mut AppState, words: &str) {
    if let Some(text) = state.detail.text.as_mut() {
        text.search = words.trim().to_string();
        text.matches.clear();
        text.jump = (!text.search.is_empty()).then_some(true);
    }
}

/// `n`/`N`: the next or previous match, round the end.
fn jump(state: &mut AppState, forward: bool) {
    let Some(text) = state.detail.text.as_mut() else {
        return;
    };
    if text.search.is_empty() {
        state.message = Some("/ searches in the full text first".into());
        return;
    }
    let n = text.matches.len();
    if n == 0 {
        state.message = Some(format!(
            "{:?} is not in the full text",
            crate::domain::text::one_line(&text.search)
        ));
        return;
    }
    let next = if forward {
        (text.current + 1) % n
    } else {
        (text.current + n - 1) % n
    };
    if (forward && next < text.current) || (!forward && next > text.current) {
        state.message = Some(format!(
            "search went round to the {}",
            if forward { "top" } else { "bottom" }
        ));
    }
    text.current = next;
    state.detail.scroll = text.matches[next].min(state.detail.max_scroll);
}

/// The frame says which lines match: a jump waiting for them happens now.
pub fn found(state: &mut AppState, matches: Vec<u16>) {
    let Some(text) = state.detail.text.as_mut() else {
        return;
    };
    text.matches = matches;
    if text.jump.take().is_some() {
        let top = state.detail.scroll;
        if text.matches.is_empty() {
            state.message = Some(format!(
                "{:?} is not in the full text",
                crate::domain::text::one_line(&text.search)
            ));
            return;
        }
        text.current = text.matches.iter().position(|l| *l >= top).unwrap_or(0);
        state.detail.scroll = text.matches[text.current].min(state.detail.max_scroll);
    }
}

/// `L` in the full text: the link of that number, opened.
fn open_link(state: &mut AppState, links: &[String], typed: &str) -> Vec<Effect> {
    let n: Option<usize> = typed.trim().parse().ok();
    match n.and_then(|n| links.get(n.wrapping_sub(1))) {
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
            vec![Effect::OpenUrl(url.clone())]
        }
        Some(url) => {
            state.message = Some(format!(
                "link {} is not a web address: {}",
                typed.trim(),
                crate::domain::text::one_line(url)
            ));
            Vec::new()
        }
        None => {
            state.message = Some(format!("no link {} (1 to {})", typed.trim(), links.len()));
            Vec::new()
        }
    }
}
