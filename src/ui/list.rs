//! The list pane: one row per paper of the day shown, built for the visible
//! window only.

use super::Theme;
use crate::app::{AppState, Net};
use crate::text::one_line;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

/// Draws the list and returns how many paper rows fit.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) -> usize {
    let block = Block::new()
        .borders(Borders::ALL)
        .title(title(state))
        .title_style(Theme::bold());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows_fit = inner.height.saturating_sub(1) as usize;

    if state.entries.is_empty() {
        frame.render_widget(
            Paragraph::new(empty_text(state))
                .style(Theme::dim())
                .wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        return rows_fit.max(1);
    }

    // Fixed columns: rank 3, markers 3 (new, unread, star), votes 5,
    // comments 4, and 4 gaps.
    let title_width = (inner.width as usize).saturating_sub(3 + 3 + 5 + 4 + 4);
    let end = (state.list_offset + rows_fit).min(state.entries.len());
    let rows = state.entries[state.list_offset.min(end)..end]
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let new = if state.is_new(e) { "+" } else { " " };
            let unread = if e.state.read { " " } else { "●" };
            let star = if e.state.starred { "★" } else { " " };
            let style = if state.list_offset + i == state.selected {
                Theme::selected()
            } else if e.state.read {
                Theme::dim()
            } else {
                Theme::bold()
            };
            Row::new(vec![
                Line::from(e.row.rank.to_string()).right_aligned(),
                Line::from(vec![
                    Span::styled(new, Theme::accent()),
                    Span::styled(unread, Theme::accent()),
                    Span::styled(star, Theme::accent()),
                ]),
                Line::from(super::truncate(&one_line(&e.row.title), title_width)),
                Line::from(e.row.upvotes.to_string()).right_aligned(),
                Line::from(e.row.comments.to_string()).right_aligned(),
            ])
            .style(style)
        });
    let header = Row::new(vec![
        Line::from("#").right_aligned(),
        Line::from(""),
        Line::from("Title"),
        Line::from("▲").right_aligned(),
        Line::from("Cmts").right_aligned(),
    ])
    .style(Theme::dim());
    let widths = [
        Constraint::Length(3),
        Constraint::Length(3),
        Constraint::Fill(1),
        Constraint::Length(5),
        Constraint::Length(4),
    ];
    frame.render_widget(Table::new(rows, widths).header(header), inner);
    rows_fit.max(1)
}

fn title(state: &AppState) -> String {
    match state.day {
        Some(day) if state.sample => {
            format!(
                " Daily Papers · {} · sample digest ",
                day.format("%a %-d %b %Y")
            )
        }
        Some(day) => format!(" Daily Papers · {} ", day.format("%a %-d %b %Y")),
        None => " Daily Papers ".into(),
    }
}

fn empty_text(state: &AppState) -> String {
    match (state.day, state.net) {
        (Some(_), _) => {
            "No papers on this day (weekends and holidays have none). [ and ] move between days."
                .into()
        }
        (None, Net::Connecting) => "Fetching the latest digest…".into(),
        (None, _) => "Nothing stored yet. Run `hfpapers sync` when online.".into(),
    }
}
