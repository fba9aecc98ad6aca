//! The prompt line: what is being typed, and why it is not accepted.

use super::Theme;
use crate::app::{Prompt, PromptKind};
use crate::domain::text::one_line;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// `offline`: `--offline`, where a search runs over the stored papers.
pub fn render(frame: &mut Frame, area: Rect, prompt: &Prompt, offline: bool) {
    let label = match &prompt.kind {
        PromptKind::Find if offline => "find in the stored papers (--offline): ".to_string(),
        PromptKind::Filter => "/".to_string(),
        PromptKind::Tags => "tags: ".to_string(),
        PromptKind::Find => "find on Hugging Face: ".to_string(),
        PromptKind::FindInText => "find in the full text: ".to_string(),
        PromptKind::TextLink(links) => format!("open link (1-{}), Enter: ", links.len()),
        PromptKind::ConfirmReadAll(n) => format!(
            "mark {} read? (y/n) ",
            crate::domain::text::count(*n as u64, "paper")
        ),
        PromptKind::Links(links) => {
            let copying = prompt.input == "y";
            let list: Vec<String> = links
                .iter()
                .enumerate()
                .map(|(i, l)| format!("{} {}", i + 1, l.label))
                .collect();
            let verb = if copying { "copy" } else { "open (y: copy)" };
            format!("{verb}: {} ", list.join(" · "))
        }
        PromptKind::Mute(choices) => format!("mute for good: {} ", numbered(choices)),
        PromptKind::Follow(choices) => {
            // Authors by name alone, the rest by kind: the line is short.
            let shown: Vec<String> = choices
                .iter()
                .map(|q| {
                    let q = q.strip_prefix("author:").unwrap_or(q).replace('"', "");
                    q.replacen(':', " ", 1)
                })
                .collect();
            format!("follow: {} ", numbered(&shown))
        }
        PromptKind::Copy(choices) => {
            let list: Vec<String> = choices
                .iter()
                .enumerate()
                .map(|(i, (what, _))| format!("{} {what}", i + 1))
                .collect();
            format!("copy: {} ", list.join(" · "))
        }
    };
    // Pickers show their choices, not a typing cursor.
    if matches!(
        prompt.kind,
        PromptKind::Links(_) | PromptKind::Copy(_) | PromptKind::Mute(_) | PromptKind::Follow(_)
    ) {
        frame.render_widget(Paragraph::new(Span::styled(label, Theme::accent())), area);
        return;
    }
    let mut spans = vec![
        Span::styled(label, Theme::accent()),
        Span::raw(one_line(&prompt.input)),
        Span::styled("▏", Theme::accent()),
    ];
    if let Some(err) = &prompt.error {
        spans.push(Span::styled(format!("  {}", one_line(err)), Theme::error()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Choices as `1 a · 2 b`, each on one line.
fn numbered(choices: &[String]) -> String {
    let list: Vec<String> = choices
        .iter()
        .enumerate()
        .map(|(i, name)| format!("{} {}", i + 1, one_line(name)))
        .collect();
    list.join(" · ")
}
