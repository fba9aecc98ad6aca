//! The help overlay, generated from the keymap table, so it lists exactly
//! what the keys do. Scrolls with j/k when taller than the terminal.

use super::{Theme, keymap};
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// How many rows the help of `mode` takes, borders included.
pub fn rows(mode: crate::app::keys::Mode) -> u16 {
    lines(mode).len() as u16 + 2
}

pub fn render(frame: &mut Frame, area: Rect, scroll: u16, mode: crate::app::keys::Mode) {
    let lines = lines(mode);
    let total = lines.len() as u16;
    let height = (total + 2).min(area.height);
    let visible = height.saturating_sub(2);
    let scroll = scroll.min(total.saturating_sub(visible));
    // Ctrl-z and the mouse are not in the keymap: said in the title.
    let title = if visible < total {
        " Keys · j/k scroll · Ctrl-z suspends · ? or Esc closes "
    } else {
        " Keys · Ctrl-z suspends · the mouse clicks and scrolls · ? or Esc closes "
    };
    let width = 76.min(area.width);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll, 0)).block(
            Block::new()
                .borders(Borders::ALL)
                .title(title)
                .title_style(Theme::bold()),
        ),
        popup,
    );
}

/// The help's lines for a mode: each binding, then the views' keys three
/// to a line.
fn lines(mode: crate::app::keys::Mode) -> Vec<Line<'static>> {
    let (views, others): (Vec<_>, Vec<_>) = keymap::live()
        .help(mode)
        .into_iter()
        .partition(|(_, help)| help.starts_with("view: "));
    let mut lines: Vec<Line<'static>> = others
        .into_iter()
        .map(|(keys, help)| Line::from(format!(" {keys:<16} {help}")))
        .collect();
    // The views' keys share lines, three to a line: `g n New · g f For you`.
    let named: Vec<String> = views
        .iter()
        .map(|(keys, help)| {
            let name = help.trim_start_matches("view: ");
            format!("{keys} {}", name.split(" (").next().unwrap_or(name))
        })
        .collect();
    for (i, three) in named.chunks(3).enumerate() {
        let label = if i == 0 { "views" } else { "" };
        lines.push(Line::from(format!(" {label:<16} {}", three.join(" · "))));
    }
    lines
}
