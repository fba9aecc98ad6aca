//! The detail pane: everything about one paper, the abstract wrapped and
//! scrollable, then its links.

use super::Theme;
use crate::app::AppState;
use crate::app::Command;
use crate::domain::model::{Paper, UserState};
use crate::domain::text::{one_line, shown};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Padding, Paragraph, Wrap};

/// Draws the detail and returns how far it can scroll.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) -> u16 {
    let block = Block::new()
        .borders(Borders::ALL)
        .padding(Padding::horizontal(1))
        .title(format!(
            " Paper · {} ",
            super::keymap::hints(
                crate::app::keys::Mode::Detail,
                &[
                    (Command::Back, "back"),
                    (Command::OpenInBrowser, "open"),
                    (Command::ToggleStar, "star"),
                    (Command::OpenLinks, "links"),
                ]
            )
        ))
        .title_style(Theme::bold());
    let inner = block.inner(area);
    let Some(paper) = &state.detail.paper else {
        frame.render_widget(Paragraph::new("Loading…").block(block), area);
        return 0;
    };
    let user = state
        .selected_entry()
        .filter(|e| e.row.id == paper.id)
        .map(|e| e.state.clone())
        .unwrap_or_default();
    let mut text = lines(paper, &user, &state.highlight_words());
    if let Some(scored) = state.list.foryou.get(&paper.id) {
        // Below the title: why For you ranks it where it does.
        text.insert(2, why_line(scored));
    }
    let followed = state
        .selected_entry()
        .filter(|e| e.row.id == paper.id)
        .and_then(|e| {
            let today = e
                .row
                .day
                .unwrap_or_else(|| chrono::Local::now().date_naive());
            state.interests.followed_by(&e, today).map(one_line)
        });
    if let Some(follow) = followed {
        // Why it is flagged `!`.
        text.insert(
            2,
            Line::from(vec![
                Span::styled(format!("{:<13}", "Following"), Theme::dim()),
                Span::styled(format!("! {follow}"), Theme::accent()),
            ]),
        );
    }
    if let Some(note) = state.list.notes.get(&paper.id) {
        // The Watch view's news, below the title too.
        text.insert(
            2,
            Line::from(vec![
                Span::styled(format!("{:<13}", "Watch"), Theme::dim()),
                Span::styled(one_line(note), Theme::accent()),
            ]),
        );
    }
    frame.render_widget(block, area);
    let below = picture(frame, inner, state, &paper.id);
    // Long lines are hard to read: the text keeps to `text_width`.
    let below = Rect {
        width: below.width.min(super::look::in_force(|l| l.text_width)),
        ..below
    };
    let para = Paragraph::new(text).wrap(Wrap { trim: false });
    let total = para.line_count(below.width) as u16;
    let max_scroll = total.saturating_sub(below.height);
    let scroll = state.detail.scroll.min(max_scroll);
    frame.render_widget(para.scroll((scroll, 0)), below);
    max_scroll
}

/// Draws the paper's thumbnail at the top of `inner`, when it has come
/// and there is room; returns the area left for the text.
fn picture(
    frame: &mut Frame,
    inner: Rect,
    state: &AppState,
    paper: &crate::domain::model::PaperId,
) -> Rect {
    let Some((id, image)) = state
        .detail
        .thumbnail
        .as_ref()
        .filter(|(id, _)| id == paper)
    else {
        return inner;
    };
    if inner.height < 14 {
        return inner;
    }
    let Some(size) = super::picture::size(image, inner.width, inner.height / 3) else {
        return inner;
    };
    let at = Rect::new(inner.x, inner.y, size.width, size.height);
    super::picture::render(frame, at, id, image);
    let taken = size.height + 1;
    Rect::new(inner.x, inner.y + taken, inner.width, inner.height - taken)
}

/// "For you  0.87 · mamba +0.41 · author albert gu +0.20".
fn why_line(scored: &crate::domain::taste::Scored) -> Line<'static> {
    let mut text = format!("{:.2}", scored.score);
    for r in &scored.reasons {
        text.push_str(" · ");
        text.push_str(&crate::domain::taste::describe(r));
    }
    Line::from(vec![
        Span::styled(format!("{:<13}", "For you"), Theme::dim()),
        Span::styled(one_line(&text), Theme::accent()),
    ])
}

/// `▲ 12 upvotes · 3 comments · 40 GitHub stars`.
fn votes(paper: &Paper) -> String {
    use crate::domain::text::count;
    let mut status = format!(
        "▲ {} · {}",
        count(paper.upvotes, "upvote"),
        count(paper.comments, "comment")
    );
    if let Some(stars) = paper.github_stars {
        status.push_str(&format!(" · {}", count(stars, "GitHub star")));
    }
    status
}

fn lines(paper: &Paper, user: &UserState, words: &[String]) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::from(super::highlight(&shown(&paper.title), words)).style(Theme::heading()),
        Line::raw(""),
    ];
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<13}"), Theme::dim()),
            Span::raw(one_line(&value)),
        ])
    };
    if !paper.authors.is_empty() {
        out.push(field("Authors", paper.authors.join(", ")));
    }
    if let Some(org) = &paper.organization {
        out.push(field("Organization", org.clone()));
    }
    if let Some(at) = &paper.published_at {
        out.push(field("Published", date_part(at)));
    }
    if let Some(at) = &paper.submitted_on_daily_at {
        let by = paper
            .submitted_by
            .as_ref()
            .map(|b| format!(" by {b}"))
            .unwrap_or_default();
        out.push(field("On Daily", format!("{}{by}", date_part(at))));
    }
    out.push(field("Votes", votes(paper)));
    if let Some(line) = popularity(paper) {
        out.push(field("Upvotes", line));
    }
    let linked = paper.linked();
    if !linked.is_empty() {
        out.push(field("On the Hub", linked.join(" · ")));
    }
    let mine = match (user.read, user.starred) {
        (true, true) => "read · ★ starred",
        (true, false) => "read",
        (false, true) => "unread · ★ starred",
        (false, false) => "unread",
    };
    out.push(field("You", mine.to_string()));
    if !user.tags.is_empty() {
        out.push(Line::from(vec![
            Span::styled(format!("{:<13}", "Tags"), Theme::dim()),
            Span::styled(user.tags.join(" "), Theme::tag()),
        ]));
    }
    if let Some(summary) = &paper.ai_summary {
        out.push(Line::raw(""));
        out.push(Line::styled("AI summary", Theme::heading()));
        out.push(Line::raw(shown(summary)));
    }
    if !paper.ai_keywords.is_empty() {
        out.push(field("Keywords", paper.ai_keywords.join(", ")));
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Abstract", Theme::heading()));
    out.push(if paper.summary.is_empty() {
        Line::raw("(no abstract)")
    } else {
        Line::from(super::highlight(&shown(&paper.summary), words))
    });
    out.push(Line::raw(""));
    out.push(Line::styled("Links", Theme::heading()));
    for link in paper.links() {
        out.push(field(link.label, link.url));
    }
    out
}

/// `2025-09-08T02:44:20.973Z` → `2025-09-08`.
fn date_part(at: &str) -> String {
    at.get(..10).unwrap_or(at).to_string()
}

/// How many days the upvotes sparkline spans.
const SPARK_DAYS: u32 = 14;

/// The paper's upvotes over its last days as a sparkline, and what it
/// gained in the last 24 hours: `▁▂▄▇█ +34 since yesterday`. None until
/// two syncs saw different figures.
fn popularity(paper: &Paper) -> Option<String> {
    if paper.history.len() < 2 {
        return None;
    }
    let now = chrono::Utc::now();
    let days = paper.upvotes_by_day(now.date_naive(), SPARK_DAYS);
    let (low, high) = days
        .iter()
        .fold((u64::MAX, 0), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let spread = high.saturating_sub(low).max(1) as f32;
    let line: String = days
        .iter()
        .map(|v| super::list::score_bar((v - low) as f32 / spread))
        .collect();
    let gained = paper.gained_since(now.timestamp() - 24 * 3600);
    Some(format!("{line} {gained:+} since yesterday"))
}
