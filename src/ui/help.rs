//! The help overlay, generated from the keymap table, so it lists exactly
//! what the keys do. Scrolls with j/k when taller than the terminal.

use super::{Theme, keymap};
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn render(frame: &mut Frame, area: Rect, scroll: u16, mode: crate::app::keys::Mode) {
    let lines: Vec<Line> = keymap::live()
        .help(mode)
        .into_iter()
        .map(|(keys, help)| Line::from(format!(" {keys:<16} {help}")))
        .collect();
    let total = lines.len() as u16;
    let height = (total + 2).min(area.height);
    let visible = height.saturating_sub(2);
    let scroll = scroll.min(total.saturating_sub(visible));
    let title = if visible < total {
        " Keys · j/k scroll · ? or Esc closes "
    } else {
        " Keys · ? or Esc closes "
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
