//! The views sidebar: name and unread/total counts per view.

use super::Theme;
use crate::app::AppState;
use crate::domain::text::one_line;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub const WIDTH: u16 = 30;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let Some(sidebar) = &state.sidebar else {
        return;
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .title(if sidebar.focused {
            " Views · Enter open "
        } else {
            " Views · v hide "
        })
        .title_style(Theme::bold());
    let inner = block.inner(area);
    let width = inner.width as usize;
    let lines: Vec<Line> = if sidebar.items.is_empty() {
        vec![Line::styled("counting…", Theme::dim())]
    } else {
        sidebar
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let counts = if matches!(
                    item.kind,
                    crate::app::ViewKind::Trending | crate::app::ViewKind::MoreLike(_)
                ) {
                    String::new()
                } else if state.index.ready || i == 0 {
                    format!("{}/{}", item.unread, item.total)
                } else {
                    "…".into()
                };
                let name_width = width.saturating_sub(counts.chars().count() + 1);
                let name = super::truncate(&one_line(&item.name), name_width);
                let pad = width.saturating_sub(name.chars().count() + counts.chars().count());
                let style = if i == sidebar.selected && sidebar.focused {
                    Theme::selected()
                } else if i == sidebar.selected {
                    Theme::bold()
                } else {
                    ratatui::style::Style::new()
                };
                Line::from(vec![
                    Span::raw(name),
                    Span::raw(" ".repeat(pad)),
                    Span::styled(counts, Theme::dim()),
                ])
                .style(style)
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
