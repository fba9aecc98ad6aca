//! The calendar screen: a month grid where each day shows whether it was
//! fetched, how many papers are unread, or that it is done.

use super::Theme;
use crate::app::Command;
use crate::app::{AppState, DayCell};
use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Cell width in columns: "dd" plus a 4-column status and a gap.
const CELL: usize = 9;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let Some(cal) = &state.calendar else {
        return;
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .title(format!(" Calendar · {} ", cal.month.format("%B %Y")))
        .title_style(Theme::bold());
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let mut lines = vec![Line::styled(
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            .iter()
            .fold(String::new(), |mut s, d| {
                s.push_str(&format!("{d:<CELL$}"));
                s
            }),
        Theme::dim(),
    )];
    let lead = cal.month.weekday().num_days_from_monday() as usize;
    let mut week: Vec<Span> = vec![Span::raw(" ".repeat(lead * CELL))];
    for (day, cell) in &cal.cells {
        let (status, style) = match cell {
            DayCell::NotFetched => ("·".to_string(), Theme::dim()),
            DayCell::Empty => ("–".to_string(), Theme::dim()),
            DayCell::Unread(n) => (n.to_string(), Theme::accent()),
            DayCell::Done => ("✓".to_string(), Style::new()),
        };
        let mut style = style;
        if *day == cal.cursor {
            style = Theme::selected();
        }
        week.push(Span::styled(
            format!("{:>2} {:<4}", day.day(), status),
            style,
        ));
        week.push(Span::raw("  "));
        if day.weekday().num_days_from_monday() == 6 {
            lines.push(Line::from(std::mem::take(&mut week)));
            lines.push(Line::raw(""));
        }
    }
    if !week.is_empty() {
        lines.push(Line::from(week));
    }
    let [grid, legend] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(3)]).areas(inner);
    frame.render_widget(Paragraph::new(lines), grid);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(
                "· not fetched   – no papers   N unread   ✓ all read",
                Theme::dim(),
            ),
            Line::styled(
                super::keymap::hints(
                    crate::app::keys::Mode::Calendar,
                    &[
                        (Command::MoveDown, "next week"),
                        (Command::NextDay, "next day"),
                        (Command::PageDown, "next month"),
                        (Command::OpenDetail, "open the day"),
                        (Command::Back, "back"),
                    ],
                ),
                Theme::dim(),
            ),
        ]),
        legend,
    );
}
