//! The one-line prompt: `/` filter, `t` tags, `F` find online, `R` confirm.

use super::{AppState, Effect, InputKey, Prompt, PromptKind, ViewKind, views};
use crate::domain::model::{PaperId, UserState, parse_tag};

pub fn open(state: &mut AppState, kind: PromptKind, input: String) {
    state.prompt = Some(Prompt {
        kind,
        input,
        error: None,
    });
}

/// A key typed while the prompt is open.
pub fn input(state: &mut AppState, key: InputKey) -> Vec<Effect> {
    let Some(prompt) = state.prompt.as_mut() else {
        return Vec::new();
    };
    if let PromptKind::Links(links) = &prompt.kind {
        let links = links.clone();
        return pick_link(state, &links, key);
    }
    if let PromptKind::Copy(choices) = &prompt.kind {
        let choices = choices.clone();
        state.prompt = None;
        return pick_copy(&choices, key);
    }
    if let PromptKind::Mute(choices) = &prompt.kind {
        let choices = choices.clone();
        return pick_mute(state, &choices, key);
    }
    if key == InputKey::Enter
        && matches!(
            prompt.kind,
            PromptKind::TextLink(_) | PromptKind::FindInText
        )
    {
        return super::text::entered(state);
    }
    if let PromptKind::Follow(choices) = &prompt.kind {
        let choices = choices.clone();
        state.prompt = None;
        let Some(query) = picked(&choices, key) else {
            state.message = Some("nothing followed".into());
            return Vec::new();
        };
        state.message = Some(format!("following {query}…"));
        return vec![Effect::Follow(query.clone())];
    }
    if let PromptKind::ConfirmReadAll(_) = prompt.kind {
        state.prompt = None;
        return if let InputKey::Char('y' | 'Y') = key {
            views::mark_all_read(state)
        } else {
            state.message = Some("nothing changed".into());
            Vec::new()
        };
    }
    match key {
        InputKey::Char(c) => prompt.input.push(c),
        InputKey::Backspace => {
            prompt.input.pop();
        }
        InputKey::Tab => {
            if prompt.kind == PromptKind::Tags {
                complete_tag(prompt, &state.index.tags);
            }
            return Vec::new();
        }
        InputKey::Esc => {
            let kind = prompt.kind.clone();
            state.prompt = None;
            // Esc on the filter clears it; elsewhere it just cancels.
            if kind == PromptKind::Filter && !state.filter.is_empty() {
                state.filter.clear();
                return vec![Effect::RunView(state.spec())];
            }
            return Vec::new();
        }
        InputKey::Enter => return enter(state),
    }
    if prompt.kind == PromptKind::Filter {
        return filter_changed(state);
    }
    prompt.error = None;
    Vec::new()
}

/// Results follow the typing; a query that does not parse keeps the last
/// results and shows why in the prompt.
fn filter_changed(state: &mut AppState) -> Vec<Effect> {
    let Some(prompt) = state.prompt.as_mut() else {
        return Vec::new();
    };
    match crate::domain::query::Filter::parse(&prompt.input) {
        Ok(filter) => {
            prompt.error = None;
            state.filter = filter;
            vec![Effect::RunView(state.spec())]
        }
        Err(e) => {
            prompt.error = Some(e.to_string());
            Vec::new()
        }
    }
}

fn enter(state: &mut AppState) -> Vec<Effect> {
    let Some(prompt) = state.prompt.take() else {
        return Vec::new();
    };
    match prompt.kind {
        PromptKind::Filter => {
            if prompt.error.is_some() {
                state.message = Some(format!("kept the last valid filter: {}", state.filter));
            }
            Vec::new()
        }
        PromptKind::Tags => match parse_tags(&prompt.input) {
            Ok(tags) => {
                let Some(entry) = state.selected_entry() else {
                    return Vec::new();
                };
                let new = UserState {
                    tags: tags.clone(),
                    ..entry.state.clone()
                };
                let id: PaperId = entry.row.id.clone();
                // New tags complete from now on too.
                state.index.tags.extend(tags);
                state.index.tags.sort();
                state.index.tags.dedup();
                views::change_states(state, vec![(id, new)])
            }
            Err(e) => {
                state.prompt = Some(Prompt {
                    error: Some(e),
                    ..prompt
                });
                Vec::new()
            }
        },
        PromptKind::Find => {
            let text = prompt.input.trim().to_string();
            if text.is_empty() {
                return Vec::new();
            }
            if state.sync.net == super::Net::Disabled {
                return views::search_stored(
                    state,
                    &text,
                    "--offline: searching the stored papers",
                );
            }
            state.view = ViewKind::Search(text.clone());
            state.view_name = format!("Search: {text}");
            state.filter.clear();
            state.list.entries.clear();
            state.list.selected = 0;
            state.screen = super::Screen::List;
            state.message = Some("searching Hugging Face…".into());
            vec![Effect::Search(text)]
        }
        PromptKind::ConfirmReadAll(_)
        | PromptKind::Links(_)
        | PromptKind::Copy(_)
        | PromptKind::Mute(_)
        | PromptKind::Follow(_)
        | PromptKind::FindInText
        | PromptKind::TextLink(_) => Vec::new(),
    }
}

/// The mute picker: a digit mutes that reason for good; anything else
/// mutes nothing.
fn pick_mute(state: &mut AppState, choices: &[String], key: InputKey) -> Vec<Effect> {
    state.prompt = None;
    let Some(name) = picked(choices, key) else {
        state.message = Some("nothing muted".into());
        return Vec::new();
    };
    state.index.rerank = true;
    state.message = Some(format!("muting {name}…"));
    vec![Effect::MuteFeature(name.clone())]
}

/// The copy picker: a digit copies that form of the paper.
fn pick_copy(choices: &[(&'static str, String)], key: InputKey) -> Vec<Effect> {
    match key {
        InputKey::Char(c) => match c
            .to_digit(10)
            .and_then(|d| choices.get((d as usize).wrapping_sub(1)))
        {
            Some((what, text)) => vec![Effect::CopyText {
                what,
                text: text.clone(),
            }],
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The choice a digit key picks (1 is the first), if any.
fn picked(choices: &[String], key: InputKey) -> Option<&String> {
    let InputKey::Char(c) = key else {
        return None;
    };
    c.to_digit(10)
        .and_then(|d| choices.get((d as usize).wrapping_sub(1)))
}

/// The link picker: a digit opens that link; `y` first makes it copy.
fn pick_link(
    state: &mut AppState,
    links: &[crate::domain::model::Link],
    key: InputKey,
) -> Vec<Effect> {
    let copying = state.prompt.as_ref().is_some_and(|p| p.input == "y");
    match key {
        InputKey::Char('y') if !copying => {
            if let Some(p) = state.prompt.as_mut() {
                p.input = "y".into();
            }
            Vec::new()
        }
        InputKey::Char(c) => {
            state.prompt = None;
            match c
                .to_digit(10)
                .and_then(|d| links.get((d as usize).wrapping_sub(1)))
            {
                Some(link) if copying => vec![Effect::CopyText {
                    what: link.label,
                    text: link.url.clone(),
                }],
                Some(link) => vec![Effect::OpenUrl(link.url.clone())],
                None => Vec::new(),
            }
        }
        _ => {
            state.prompt = None;
            Vec::new()
        }
    }
}

/// Space-separated tags, each checked; duplicates dropped, sorted.
fn parse_tags(input: &str) -> Result<Vec<String>, String> {
    let mut tags = input
        .split_whitespace()
        .map(parse_tag)
        .collect::<Result<Vec<_>, _>>()?;
    tags.sort();
    tags.dedup();
    Ok(tags)
}

/// Completes the word being typed from the tags in use.
fn complete_tag(prompt: &mut Prompt, known: &[String]) {
    let start = prompt.input.rfind(' ').map_or(0, |i| i + 1);
    let partial = prompt.input[start..].to_string();
    let matches: Vec<&String> = known.iter().filter(|t| t.starts_with(&partial)).collect();
    match matches.as_slice() {
        [] => prompt.error = Some(format!("no tag starts with {partial:?}")),
        [one] => {
            prompt.input.truncate(start);
            prompt.input.push_str(one);
            prompt.input.push(' ');
            prompt.error = None;
        }
        many => {
            // Extend to the longest common prefix and list the choices.
            let mut common = many[0].clone();
            for m in &many[1..] {
                while !m.starts_with(&common) {
                    common.pop();
                }
            }
            prompt.input.truncate(start);
            prompt.input.push_str(&common);
            let names: Vec<&str> = many.iter().map(|s| s.as_str()).collect();
            prompt.error = Some(names.join(" "));
        }
    }
}
