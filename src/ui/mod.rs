//! Drawing: pure functions from `&AppState` to a frame, one module per
//! region. The only place besides `tui`/`runtime` that knows ratatui.

pub mod calendar;
pub mod detail;
pub mod help;
pub mod keymap;
pub mod list;
pub mod status;

use crate::app::{Action, AppState, Screen};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Modifier, Style};

/// Draws the whole screen and reports what fitted, for
/// [`Action::Viewport`].
pub fn render(frame: &mut Frame, state: &AppState) -> Action {
    let area = frame.area();
    let message_rows = u16::from(state.message.is_some());
    let [main, message_area, status_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(message_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut list_rows = state.list_rows;
    let mut detail_max_scroll = state.detail_max_scroll;
    match state.screen {
        Screen::List => list_rows = list::render(frame, main, state),
        Screen::Detail => detail_max_scroll = detail::render(frame, main, state),
        Screen::Calendar => calendar::render(frame, main, state),
    }
    status::render(frame, status_area, state);
    status::render_message(frame, message_area, state);
    if state.help {
        help::render(frame, area);
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
