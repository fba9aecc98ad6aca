//! The help overlay, generated from the keymap table.

use super::{Theme, keymap};
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn render(frame: &mut Frame, area: Rect) {
    let bindings = keymap::bindings();
    let mut lines: Vec<Line> = bindings
        .iter()
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(keymap::key_label).collect();
            Line::from(format!(" {:<16} {}", keys.join(" "), b.help))
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(" ? or Esc closes this help", Theme::dim()));
    let height = (lines.len() as u16 + 2).min(area.height);
    let width = 60.min(area.width);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::new()
                .borders(Borders::ALL)
                .title(" Keys ")
                .title_style(Theme::bold()),
        ),
        popup,
    );
}
