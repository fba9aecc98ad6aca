//! Drawing: pure functions from `&AppState` to a frame, one module per
//! region. The only place besides `tui`/`runtime` that knows ratatui.

pub mod calendar;
pub mod detail;
pub mod help;
pub mod keymap;
pub mod list;
pub mod prompt;
pub mod sidebar;
pub mod status;

use crate::app::{Action, AppState, Screen};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Modifier, Style};

/// Draws the whole screen and reports what fitted, for
/// [`Action::Viewport`].
pub fn render(frame: &mut Frame, state: &AppState) -> Action {
    let area = frame.area();
    let line_rows = u16::from(state.message.is_some() || state.prompt.is_some());
    let [main, line_area, status_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(line_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    let main = match &state.sidebar {
        Some(_) if main.width > sidebar::WIDTH * 2 => {
            let [side, rest] =
                Layout::horizontal([Constraint::Length(sidebar::WIDTH), Constraint::Fill(1)])
                    .areas(main);
            sidebar::render(frame, side, state);
            rest
        }
        _ => main,
    };
    let mut list_rows = state.list_rows;
    let mut detail_max_scroll = state.detail_max_scroll;
    match state.screen {
        Screen::List => list_rows = list::render(frame, main, state),
        Screen::Detail => detail_max_scroll = detail::render(frame, main, state),
        Screen::Calendar => calendar::render(frame, main, state),
    }
    status::render(frame, status_area, state);
    match &state.prompt {
        Some(p) => prompt::render(frame, line_area, p),
        None => status::render_message(frame, line_area, state),
    }
    if state.help {
        help::render(frame, area, state.help_scroll);
    }
    Action::Viewport {
        list_rows,
        detail_max_scroll,
    }
}

/// The few styles the screens share, readable on dark and light terminals
/// (no background colours except for the selection).
pub struct Theme;

impl Theme {
    pub fn selected() -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub fn dim() -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }
    pub fn bold() -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn accent() -> Style {
        Style::new().fg(Color::Yellow)
    }
    pub fn heading() -> Style {
        Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn tag() -> Style {
        Style::new().fg(Color::Magenta)
    }
    pub fn error() -> Style {
        Style::new().fg(Color::Red)
    }
    pub fn matched() -> Style {
        Style::new()
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
}

/// Splits text into spans, marking every word that starts with one of
/// `words` (folded: case and accents do not matter).
pub fn highlight(text: &str, words: &[String]) -> Vec<ratatui::text::Span<'static>> {
    use ratatui::text::Span;
    if words.is_empty() {
        return vec![Span::raw(text.to_string())];
    }
    let mut spans = Vec::new();
    let mut plain = String::new();
    let mut word = String::new();
    let flush_word = |word: &mut String, plain: &mut String, spans: &mut Vec<Span<'static>>| {
        if word.is_empty() {
            return;
        }
        let folded = crate::text::fold(word);
        if words.iter().any(|w| folded.starts_with(w.as_str())) {
            if !plain.is_empty() {
                spans.push(Span::raw(std::mem::take(plain)));
            }
            spans.push(Span::styled(std::mem::take(word), Theme::matched()));
        } else {
            plain.push_str(word);
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush_word(&mut word, &mut plain, &mut spans);
            plain.push(c);
        }
    }
    flush_word(&mut word, &mut plain, &mut spans);
    if !plain.is_empty() {
        spans.push(Span::raw(plain));
    }
    spans
}

/// Cuts `text` to `width` terminal columns, ending with `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn truncation_respects_wide_characters_and_marks_the_cut() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("中文标题很长", 5), "中文…");
        assert_eq!(truncate("abc", 0), "");
    }
}
