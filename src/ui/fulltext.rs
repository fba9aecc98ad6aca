//! The full text in the paper view: the Markdown rendered for the pane's
//! width (kept between frames: a long paper renders in milliseconds, not
//! in nothing), the words searched for highlighted, and where the reader
//! is (`line 120/800 · 15% · match 2/5`) in the title.

use super::{Theme, highlight};
use crate::app::FullText;
use crate::domain::markdown::{Doc, Style as MdStyle};
use crate::domain::text::{fold, one_line, words};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Padding, Paragraph};
use std::cell::RefCell;
use std::sync::Arc;

/// The last text rendered: its text, the width, and the result.
type Rendered = Option<(Arc<str>, usize, Arc<Doc>)>;

thread_local! {
    static RENDERED: RefCell<Rendered> = const { RefCell::new(None) };
}

/// The text rendered for `width`, from the cache when it is the same.
fn doc(markdown: &Arc<str>, width: usize) -> Arc<Doc> {
    RENDERED.with(|cell| {
        let mut cached = cell.borrow_mut();
        if let Some((text, w, doc)) = cached.as_ref()
            && Arc::ptr_eq(text, markdown)
            && *w == width
        {
            return doc.clone();
        }
        let doc = Arc::new(crate::domain::markdown::render(markdown, width));
        *cached = Some((markdown.clone(), width, doc.clone()));
        doc
    })
}

/// Draws the full text; returns how far it can scroll and the lines that
/// hold the words searched for.
pub fn render(frame: &mut Frame, area: Rect, text: &FullText, scroll: u16) -> (u16, Vec<u16>) {
    let measure = super::look::in_force(|l| l.text_width);
    let inner_width = area.width.saturating_sub(4).clamp(1, measure) as usize;
    let doc = doc(&text.markdown, inner_width);
    let searched: Vec<String> = words(&text.search).collect();
    let matches: Vec<u16> = if searched.is_empty() {
        Vec::new()
    } else {
        doc.lines
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                let folded = fold(&Doc::plain(l));
                searched.iter().all(|w| folded.contains(w.as_str()))
            })
            .map(|(i, _)| i.min(usize::from(u16::MAX)) as u16)
            .collect()
    };
    let total = doc.lines.len();
    let height = area.height.saturating_sub(2) as usize;
    let max_scroll = total.saturating_sub(height).min(usize::from(u16::MAX)) as u16;
    let top = scroll.min(max_scroll) as usize;
    let lines: Vec<Line> = doc.lines[top.min(total)..(top + height).min(total)]
        .iter()
        .map(|l| styled(l, &searched))
        .collect();
    let title = position(top, height, total, &matches, text);
    let block = Block::new()
        .borders(Borders::ALL)
        .padding(Padding::horizontal(1))
        .title(title)
        .title_style(Theme::bold());
    frame.render_widget(Paragraph::new(lines).block(block), area);
    (max_scroll, matches)
}

/// ` Full text · line 120/800 · 15% · match 2/5 · f abstract `.
fn position(top: usize, height: usize, total: usize, matches: &[u16], text: &FullText) -> String {
    let percent = if total <= height {
        100
    } else {
        (top + height).min(total) * 100 / total.max(1)
    };
    let mut title = format!(" Full text · line {}/{total} · {percent}%", top + 1);
    if !text.search.is_empty() {
        let at = if matches.is_empty() {
            0
        } else {
            text.current.min(matches.len() - 1) + 1
        };
        title.push_str(&format!(
            " · /{} {at}/{}",
            one_line(&text.search),
            matches.len()
        ));
    }
    title.push_str(" · f abstract ");
    title
}

/// One rendered line in the theme's styles, searched words highlighted.
fn styled(line: &[crate::domain::markdown::Span], searched: &[String]) -> Line<'static> {
    let mut spans = Vec::new();
    for piece in line {
        let base = style_of(piece.style);
        for s in highlight(&piece.text, searched) {
            let style = if s.style == Style::default() {
                base
            } else {
                base.patch(s.style)
            };
            spans.push(Span::styled(s.content.into_owned(), style));
        }
    }
    Line::from(spans)
}

fn style_of(s: MdStyle) -> Style {
    let mut style = if s.heading > 0 {
        Theme::heading().add_modifier(Modifier::BOLD)
    } else if s.code {
        Theme::tag()
    } else if s.link {
        Theme::accent().add_modifier(Modifier::UNDERLINED)
    } else if s.dim {
        Theme::dim()
    } else {
        Style::default()
    };
    if s.bold {
        style = style.add_modifier(Modifier::BOLD);
    }
    if s.italic {
        style = style.add_modifier(Modifier::ITALIC);
    }
    style
}
