//! Drawing: pure functions from `&AppState` to a frame, one module per
//! region. The only place besides `tui`/`runtime` that knows ratatui.

pub mod calendar;
pub mod detail;
pub mod fulltext;
pub mod help;
pub mod keymap;
pub mod list;
pub mod look;
pub mod picture;
pub mod prompt;
pub mod sidebar;
pub mod status;

use crate::app::Outcome;
use crate::app::{Action, AppState, Screen};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};

/// Below this size the screen says it is too small.
pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 6;

/// Draws the whole screen and reports what fitted, for
/// [`Action::Done(Outcome::Viewport)`].
pub fn render(frame: &mut Frame, state: &AppState, look: &look::Look) -> Action {
    look::drawing(look, || draw(frame, state))
}

/// Help drawn above the message and status lines, so they stay readable,
/// unless the whole screen lets it show every key without scrolling.
fn help_over(frame: &mut Frame, state: &AppState, area: Rect, line_rows: u16) {
    let mode = keymap::mode(state.screen);
    let above = Rect {
        height: area.height.saturating_sub(line_rows + 1),
        ..area
    };
    let rows = help::rows(mode);
    let room = if rows > above.height && rows <= area.height {
        area
    } else {
        above
    };
    help::render(frame, room, state.help.scroll, mode);
}

fn draw(frame: &mut Frame, state: &AppState) -> Action {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        // Nothing useful fits; say so instead of drawing a broken screen.
        let text = format!(
            "terminal too small ({}×{}); hfpapers needs {MIN_WIDTH}×{MIN_HEIGHT}",
            area.width, area.height
        );
        frame.render_widget(
            ratatui::widgets::Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return Action::Done(Outcome::Viewport {
            list_rows: state.list.rows,
            detail_max_scroll: state.detail.max_scroll,
            list_top: state.list.top,
            text_matches: state
                .detail
                .text
                .as_ref()
                .map(|t| t.matches.clone())
                .unwrap_or_default(),
        });
    }
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
    let mut list_rows = state.list.rows;
    let mut detail_max_scroll = state.detail.max_scroll;
    let mut text_matches = Vec::new();
    let text = state
        .detail
        .text
        .as_ref()
        .filter(|t| t.shown && state.detail.paper.as_ref().is_some_and(|p| p.id == t.id));
    match (state.screen, text) {
        (Screen::List, _) => list_rows = list::render(frame, main, state),
        (Screen::Detail, Some(text)) => {
            (detail_max_scroll, text_matches) =
                fulltext::render(frame, main, text, state.detail.scroll);
        }
        (Screen::Detail, None) => detail_max_scroll = detail::render(frame, main, state),
        (Screen::Calendar, _) => calendar::render(frame, main, state),
    }
    status::render(frame, status_area, state);
    match &state.prompt {
        Some(p) => prompt::render(
            frame,
            line_area,
            p,
            state.sync.net == crate::app::Net::Disabled,
        ),
        None => status::render_message(frame, line_area, state),
    }
    if state.help.shown {
        help_over(frame, state, area, line_rows);
    }
    Action::Done(Outcome::Viewport {
        list_rows,
        detail_max_scroll,
        // Below the border and the header row.
        list_top: main.y + 2,
        text_matches,
    })
}

/// The few styles the screens share, readable on dark and light terminals
/// (no background colours except for the selection).
/// Colours come from the config's `[theme]`; with `NO_COLOR` there are
/// none, and bold, dim, reverse and underline carry the meaning alone.
pub struct Theme;

/// The colour of each theme role; `None` draws no colour.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Palette {
    accent: Option<Color>,
    heading: Option<Color>,
    tag: Option<Color>,
    error: Option<Color>,
    matched: Option<Color>,
}

pub(crate) fn palette(
    theme: &std::collections::BTreeMap<String, String>,
    no_color: bool,
) -> Palette {
    let get = |role: &str| {
        if no_color {
            return None;
        }
        theme.get(role).and_then(|name| colour(name))
    };
    Palette {
        accent: get("accent"),
        heading: get("heading"),
        tag: get("tag"),
        error: get("error"),
        matched: get("matched"),
    }
}

/// A colour as the config names it (validated by the config loader).
fn colour(name: &str) -> Option<Color> {
    let name = name.to_ascii_lowercase();
    if let Some(hex) = name.strip_prefix('#') {
        let v = u32::from_str_radix(hex, 16).ok()?;
        return Some(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
    }
    Some(match name.as_str() {
        "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" => Color::Gray,
        "darkgray" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

/// The palette of the look in force (see [`look`]).
fn current() -> Palette {
    look::in_force(|l| l.palette)
}

fn with(colour: Option<Color>) -> Style {
    match colour {
        Some(c) => Style::new().fg(c),
        None => Style::new(),
    }
}

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
        with(current().accent)
    }
    pub fn heading() -> Style {
        with(current().heading).add_modifier(Modifier::BOLD)
    }
    pub fn tag() -> Style {
        with(current().tag).add_modifier(Modifier::ITALIC)
    }
    pub fn error() -> Style {
        with(current().error).add_modifier(Modifier::BOLD)
    }
    pub fn matched() -> Style {
        with(current().matched).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
}

#[cfg(test)]
mod theme_tests {
    use super::*;

    #[test]
    fn no_color_leaves_only_modifiers() {
        let theme = crate::platform::config::Config::default().theme;
        let p = palette(&theme, true);
        assert!(
            p.accent.is_none()
                && p.heading.is_none()
                && p.tag.is_none()
                && p.error.is_none()
                && p.matched.is_none()
        );
        let p = palette(&theme, false);
        assert_eq!(p.accent, Some(Color::Yellow));
        assert_eq!(colour("#ff8000"), Some(Color::Rgb(255, 128, 0)));
    }
}

/// Splits text into spans, marking every word that starts with one of
/// `words` (folded: case and accents do not matter). Words are the search
/// index's own ([`crate::domain::text::word_spans`]), so what is marked is
/// what the index matched.
pub fn highlight(text: &str, words: &[String]) -> Vec<ratatui::text::Span<'static>> {
    use ratatui::text::Span;
    if words.is_empty() {
        return vec![Span::raw(text.to_string())];
    }
    let mut spans = Vec::new();
    let mut done = 0;
    for (from, to) in crate::domain::text::word_spans(text) {
        let folded = crate::domain::text::fold(&text[from..to]);
        if words.iter().any(|w| folded.starts_with(w.as_str())) {
            if from > done {
                spans.push(Span::raw(text[done..from].to_string()));
            }
            spans.push(Span::styled(text[from..to].to_string(), Theme::matched()));
            done = to;
        }
    }
    if done < text.len() || spans.is_empty() {
        spans.push(Span::raw(text[done..].to_string()));
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
