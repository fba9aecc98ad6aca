//! The list pane: one row per paper of the view, built for the visible
//! window only. Cross-day views add a date column; tags follow the title;
//! words of the filter are highlighted.

use super::{Theme, highlight, truncate};
use crate::app::{AppState, Net, ViewKind};
use crate::domain::text::one_line;
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

    if state.list.entries.is_empty() {
        frame.render_widget(
            Paragraph::new(empty_text(state))
                .style(Theme::dim())
                .wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        return rows_fit.max(1);
    }

    let cross_day = !matches!(state.view, ViewKind::Day(_))
        || state.period != crate::domain::model::Period::Day;
    let date_width: u16 = if cross_day { 10 } else { 0 };
    // Fixed columns: rank 3, markers 3 (new, unread, star), votes 5,
    // comments 4, the date when shown, and the gaps between columns.
    // For you adds a score bar, when there is room for it.
    let bar = !state.list.foryou.is_empty() && inner.width >= 60;
    let gaps = usize::from(bar) + if cross_day { 5 } else { 4 };
    let columns = Columns {
        bar,
        cross_day,
        title_width: (inner.width as usize)
            .saturating_sub(3 + 3 + 5 + 4 + usize::from(bar) + date_width as usize + gaps),
        words: state.highlight_words(),
        today: chrono::Local::now().date_naive(),
    };
    let end = (state.list.offset + rows_fit).min(state.list.entries.len());
    // Only the rows on screen are read (a paged list reads them now).
    let shown = state.list.entries.window(state.list.offset.min(end)..end);
    let rows = shown.iter().enumerate().map(|(i, e)| {
        paper_row(
            state,
            &columns,
            e,
            state.list.offset + i == state.list.selected,
        )
    });
    let mut header = vec![Line::from("#").right_aligned(), Line::from("")];
    let mut widths = vec![Constraint::Length(3), Constraint::Length(3)];
    if cross_day {
        header.push(Line::from("Date"));
        widths.push(Constraint::Length(date_width));
    }
    if columns.bar {
        header.push(Line::from("♥"));
        widths.push(Constraint::Length(1));
    }
    header.extend([
        Line::from("Title"),
        Line::from("▲").right_aligned(),
        Line::from("Cmts").right_aligned(),
    ]);
    widths.extend([
        Constraint::Fill(1),
        Constraint::Length(5),
        Constraint::Length(4),
    ]);
    let header = Row::new(header).style(Theme::dim());
    frame.render_widget(Table::new(rows, widths).header(header), inner);
    rows_fit.max(1)
}

/// How the list's rows are laid out this frame.
struct Columns {
    /// A For you score bar before the title.
    bar: bool,
    /// Papers from several days: a date column.
    cross_day: bool,
    title_width: usize,
    /// Words to highlight in titles.
    words: Vec<String>,
    /// For follows with date terms.
    today: crate::domain::model::Day,
}

/// One paper as a row: rank, markers (new, unread, star), date, title with
/// tags, upvotes, comments.
fn paper_row<'a>(
    state: &AppState,
    columns: &Columns,
    e: &'a crate::domain::model::Entry,
    selected: bool,
) -> Row<'a> {
    let new = if state.is_new(e) { "+" } else { " " };
    let unread = if e.state.read { " " } else { "●" };
    let star = if e.state.starred { "★" } else { " " };
    let style = if selected {
        Theme::selected()
    } else if e.state.read {
        Theme::dim()
    } else {
        Theme::bold()
    };
    // The title has the room first; tags get what it leaves, and shrink.
    let full_title = crate::domain::text::shown(&e.row.title);
    let width = columns.title_width;
    let note = state.list.notes.get(&e.row.id);
    let tags = if e.state.tags.is_empty() && note.is_none() {
        String::new()
    } else {
        let room = width.saturating_sub(unicode_width::UnicodeWidthStr::width(full_title.as_str()));
        // The Watch view says what the paper gained in place of its tags.
        let tags = match note {
            Some(note) => format!(" · {}", one_line(note)),
            None => format!(" [{}]", one_line(&e.state.tags.join(" "))),
        };
        if room >= 4 {
            truncate(&tags, room)
        } else {
            String::new()
        }
    };
    // A followed paper's title starts with `!` (newsboat's highlight).
    let followed = state
        .interests
        .is_followed(e, e.row.day.unwrap_or(columns.today));
    let flag = if followed { "! " } else { "" };
    let title = truncate(
        &full_title,
        width.saturating_sub(tags.chars().count() + flag.len()),
    );
    let mut title_spans = vec![Span::styled(flag, Theme::accent())];
    title_spans.extend(highlight(&title, &columns.words));
    title_spans.push(Span::styled(tags, Theme::tag()));
    let mut cells = vec![
        Line::from(e.row.rank.to_string()).right_aligned(),
        Line::from(vec![
            Span::styled(new, Theme::accent()),
            Span::styled(unread, Theme::accent()),
            Span::styled(star, Theme::accent()),
        ]),
    ];
    if columns.cross_day {
        cells.push(Line::styled(
            e.row
                .day
                .map(crate::domain::model::fmt_day)
                .unwrap_or_default(),
            Theme::dim(),
        ));
    }
    if columns.bar {
        let score = state.list.foryou.get(&e.row.id).map_or(0.0, |s| s.score);
        cells.push(Line::styled(score_bar(score).to_string(), Theme::accent()));
    }
    cells.extend([
        Line::from(title_spans),
        Line::from(e.row.upvotes.to_string()).right_aligned(),
        Line::from(e.row.comments.to_string()).right_aligned(),
    ]);
    Row::new(cells).style(style)
}

/// A score from 0 to 1 as one of eight bar heights.
pub fn score_bar(score: f32) -> char {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    BARS[((score.clamp(0.0, 1.0) * 7.0).round() as usize).min(7)]
}

fn title(state: &AppState) -> String {
    let count = state.list.entries.len();
    match (&state.view, state.day) {
        (ViewKind::Day(_), Some(day)) if state.sample => {
            format!(
                " Daily Papers · {} · sample digest ",
                day.format("%a %-d %b %Y")
            )
        }
        (ViewKind::Day(_), Some(day)) => {
            format!(" Daily Papers · {} ", state.period.title(day))
        }
        (ViewKind::Day(_), None) => " Daily Papers ".into(),
        _ => format!(
            " {} · {} ",
            one_line(&state.view_name),
            crate::domain::text::count(count as u64, "paper")
        ),
    }
}

fn empty_text(state: &AppState) -> String {
    if !state.filter.is_empty() {
        return "Nothing matches the filter. / edits it, Esc in the prompt clears it.".into();
    }
    match (&state.view, state.day, state.sync.net) {
        (ViewKind::Search(_), _, _) => {
            "No results (yet): the search is under way or found nothing.".into()
        }
        (ViewKind::Query(_) | ViewKind::Similar(_) | ViewKind::ForYou, _, _)
            if !state.index.ready =>
        {
            "Indexing all stored papers…".into()
        }
        (ViewKind::Similar(_), _, _) => {
            "No stored paper shares this one's distinctive words.".into()
        }
        (ViewKind::Query(_), _, _) => "Nothing matches this view.".into(),
        (ViewKind::New(_), _, _) => {
            "New is empty: nothing arrived since you last finished it.".into()
        }
        (ViewKind::Watch, _, _) => {
            "Nothing in Watch: no starred paper has gained code or weights yet.".into()
        }
        (ViewKind::Trending, _, Net::Offline | Net::Disabled) => {
            "Trending is online only: nothing to show offline.".into()
        }
        (ViewKind::Trending, _, _) => "Fetching what is trending…".into(),
        (ViewKind::ForYou | ViewKind::MoreLike(_), _, _) => {
            "Nothing to rank here: no unread paper matches.".into()
        }
        (ViewKind::Day(_), Some(day), _) if state.period != crate::domain::model::Period::Day => {
            format!(
                "No papers stored for {}. [ and ] move, p shows a day.",
                state.period.name(day)
            )
        }
        (_, Some(day), _) if state.sync.running => {
            format!("Fetching {}…", crate::domain::model::fmt_day(day))
        }
        (_, Some(_), _) => {
            "No papers on this day (weekends and holidays have none). [ and ] move between days."
                .into()
        }
        (_, None, Net::Connecting) => "Fetching the latest digest…".into(),
        (_, None, _) => "Nothing stored yet. Run `hfpapers sync` when online.".into(),
    }
}
