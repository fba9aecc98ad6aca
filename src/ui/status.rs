//! The status line: the day shown, counts, network state, last sync, and
//! either a transient message or the `? help` hint.

use super::Theme;
use crate::app::{AppState, Net};
use crate::domain::model::fmt_day;
use crate::domain::text::{count, one_line};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let sep = || Span::styled(" │ ", Theme::dim());
    let day = match state.day {
        Some(d) if state.sample => format!("sample {}", fmt_day(d)),
        // A week or a month is named as such, not by the day it is around.
        Some(d) => state.period.name(d),
        None => "no day".into(),
    };
    let net = match state.sync.net {
        Net::Disabled => "offline (--offline)".to_string(),
        Net::Offline => "offline".to_string(),
        Net::Online | Net::Connecting if state.sync.progress.is_some_and(|(_, t)| t > 0) => {
            let (done, total) = state.sync.progress.unwrap_or_default();
            format!("syncing {done}/{}", count(total as u64, "day"))
        }
        Net::Connecting => "connecting…".to_string(),
        Net::Online if state.sync.running => "online · syncing…".to_string(),
        Net::Online => "online".to_string(),
    };
    let sync = match &state.sync.last {
        Some(at) => format!("synced {}", when(at)),
        None => "never synced".into(),
    };
    let day = match &state.view {
        crate::app::ViewKind::Day(_) => day,
        _ => one_line(&state.view_name),
    };
    let mut query = String::new();
    if !state.filter.is_empty() {
        query.push_str(&format!(" │ /{}", one_line(state.filter.text())));
    }
    if state.sort != crate::domain::query::SortKey::Date {
        query.push_str(&format!(" │ sort:{}", state.sort.name()));
    }
    let mut spans = vec![
        Span::styled(day, Theme::bold()),
        Span::styled(query, Theme::accent()),
        sep(),
        Span::raw({
            let (unread, starred) = state.counts();
            format!(
                "{} · {unread} unread · {starred} starred",
                count(state.list.entries.len() as u64, "paper"),
            )
        }),
    ];
    spans.extend(marks(state));
    spans.extend([
        sep(),
        Span::raw(net),
        Span::styled(format!(" · {sync}"), Theme::dim()),
    ]);
    // The help hint keeps its place however narrow the terminal is.
    let [left, right] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(9)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    frame.render_widget(
        Paragraph::new(
            Line::from(vec![sep(), Span::styled("? help", Theme::dim())]).right_aligned(),
        ),
        right,
    );
}

/// What the list holds beside its counts: new, followed and muted papers,
/// and releases in Watch not seen yet.
fn marks(state: &AppState) -> Vec<Span<'static>> {
    vec![
        Span::styled(
            match state.new_count() {
                0 => String::new(),
                n => format!(" · {n} new"),
            },
            Theme::accent(),
        ),
        Span::styled(
            match state.list.marks.followed {
                0 => String::new(),
                n => format!(" · ! {n} followed"),
            },
            Theme::accent(),
        ),
        Span::styled(
            match state.watch_unseen {
                0 => String::new(),
                n => format!(" · {n} in Watch"),
            },
            Theme::accent(),
        ),
        Span::styled(
            match state.list.marks.muted {
                0 => String::new(),
                n => format!(" · {n} muted"),
            },
            Theme::dim(),
        ),
    ]
}

/// The last notice or error, on its own line above the status line.
pub fn render_message(frame: &mut Frame, area: Rect, state: &AppState) {
    if let Some(msg) = &state.message {
        let text = super::truncate(&one_line(msg), area.width as usize);
        frame.render_widget(Paragraph::new(text).style(Theme::accent()), area);
    }
}

/// A sync time as the user reads it: `14:03` today, `2025-09-10` otherwise,
/// in local time.
fn when(rfc3339: &str) -> String {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(rfc3339) else {
        return "?".into();
    };
    let local = t.with_timezone(&chrono::Local);
    if local.date_naive() == chrono::Local::now().date_naive() {
        local.format("%H:%M").to_string()
    } else {
        local.format("%Y-%m-%d").to_string()
    }
}
