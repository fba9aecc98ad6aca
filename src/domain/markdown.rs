//! A paper's Markdown as styled lines for a terminal of a given width:
//! headings, emphasis, lists, block quotes, code blocks, tables as aligned
//! columns, links numbered (`[1]`, reachable from the paper view's `L`),
//! math left as its source text. Parsed with pulldown-cmark; the whole
//! input goes through the sanitizer first, so no piece carries a control
//! character. Pure: no terminal types (the UI maps [`Style`] to colours).

use crate::domain::text::sanitize;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use unicode_width::UnicodeWidthStr;

/// How a piece of text looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    /// Inline code, code blocks and math.
    pub code: bool,
    /// A heading of this level (1-6), 0 for none.
    pub heading: u8,
    /// Link text.
    pub link: bool,
    /// Quotes, rules, table borders and link numbers.
    pub dim: bool,
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

/// The rendered document: lines of spans, and the links by number (`[1]`
/// is `links[0]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Doc {
    pub lines: Vec<Vec<Span>>,
    pub links: Vec<String>,
    /// The line each heading starts on, with its text: the outline.
    pub headings: Vec<(usize, String)>,
}

impl Doc {
    /// A line's text without styles.
    pub fn plain(line: &[Span]) -> String {
        line.iter().map(|s| s.text.as_str()).collect()
    }

    /// The whole document as plain text, one line each.
    pub fn to_plain(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(Doc::plain(line).trim_end());
            out.push('\n');
        }
        if !self.links.is_empty() {
            out.push_str("\nLinks\n");
            for (i, url) in self.links.iter().enumerate() {
                out.push_str(&format!("[{}] {url}\n", i + 1));
            }
        }
        out
    }
}

/// Renders `markdown` for `width` columns (at least 20).
pub fn render(markdown: &str, width: usize) -> Doc {
    let clean = sanitize(markdown);
    let mut r = Renderer {
        width: width.max(20),
        ..Renderer::default()
    };
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_MATH
        | Options::ENABLE_TASKLISTS;
    for event in Parser::new_ext(&clean, options) {
        r.event(event);
    }
    r.flush();
    while r.doc.lines.last().is_some_and(Vec::is_empty) {
        r.doc.lines.pop();
    }
    r.doc
}

/// An open list: the next item's number, or none for bullets.
#[derive(Debug)]
struct List {
    next: Option<u64>,
}

#[derive(Debug, Default)]
struct Table {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
    head_rows: usize,
}

#[derive(Debug, Default)]
struct Renderer {
    width: usize,
    doc: Doc,
    /// The inline text of the block being read.
    spans: Vec<Span>,
    style: Style,
    lists: Vec<List>,
    quote: usize,
    /// The marker of the list item whose first line is next.
    item: Option<String>,
    code: Option<Vec<String>>,
    table: Option<Table>,
    link: Option<String>,
}

impl Renderer {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => self.styled(
                &t,
                Style {
                    code: true,
                    ..self.style
                },
            ),
            Event::InlineMath(t) => self.styled(
                &format!("${t}$"),
                Style {
                    code: true,
                    ..self.style
                },
            ),
            Event::DisplayMath(t) => {
                self.flush();
                self.styled(
                    &format!("$${t}$$"),
                    Style {
                        code: true,
                        ..self.style
                    },
                );
                self.flush();
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.flush();
                let rule = "─".repeat(self.width.min(40));
                self.push_line(vec![Span {
                    text: rule,
                    style: Style {
                        dim: true,
                        ..Style::default()
                    },
                }]);
                self.blank();
            }
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(name) => self.styled(
                &format!("[^{name}]"),
                Style {
                    dim: true,
                    ..self.style
                },
            ),
            // Raw HTML is not drawn: a terminal is no browser.
            Event::Html(_) | Event::InlineHtml(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                self.style.heading = heading_number(level);
                self.style.bold = true;
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote += 1;
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                if let CodeBlockKind::Fenced(lang) = kind
                    && !lang.is_empty()
                {
                    self.push_line(vec![Span {
                        text: format!("  {lang}"),
                        style: Style {
                            dim: true,
                            ..Style::default()
                        },
                    }]);
                }
                self.code = Some(Vec::new());
            }
            Tag::List(first) => {
                self.flush();
                self.lists.push(List { next: first });
            }
            Tag::Item => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some(List { next: Some(n) }) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "• ".to_string(),
                };
                self.item = Some(marker);
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some(Table::default());
            }
            Tag::Emphasis => self.style.italic = true,
            Tag::Strong => self.style.bold = true,
            Tag::Link { dest_url, .. } => {
                self.link = Some(dest_url.to_string());
                self.style.link = true;
            }
            Tag::Image { dest_url, .. } => {
                self.text("[image: ");
                self.link = Some(dest_url.to_string());
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::DefinitionListTitle | TagEnd::DefinitionListDefinition => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Heading(_) => {
                let text: String = self.spans.iter().map(|s| s.text.as_str()).collect();
                self.doc
                    .headings
                    .push((self.doc.lines.len(), text.trim().to_string()));
                self.flush();
                self.style.heading = 0;
                self.style.bold = false;
                self.blank();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
                self.blank();
            }
            TagEnd::CodeBlock => {
                for line in self.code.take().unwrap_or_default() {
                    self.push_code(&line);
                }
                self.blank();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Item => self.flush(),
            TagEnd::Table => self.end_table(),
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.rows.push(std::mem::take(&mut t.row));
                    t.head_rows = t.rows.len();
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push(std::mem::take(&mut t.row));
                }
            }
            TagEnd::TableCell => {
                if let Some(t) = &mut self.table {
                    let cell = std::mem::take(&mut t.cell);
                    t.row
                        .push(cell.split_whitespace().collect::<Vec<_>>().join(" "));
                }
            }
            TagEnd::Emphasis => self.style.italic = false,
            TagEnd::Strong => self.style.bold = self.style.heading > 0,
            TagEnd::Link => {
                self.style.link = false;
                self.number_link();
            }
            TagEnd::Image => {
                self.text("]");
                self.number_link();
            }
            _ => {}
        }
    }

    /// Numbers the link just closed: `[n]` after its text.
    fn number_link(&mut self) {
        if let Some(url) = self.link.take() {
            self.doc.links.push(url);
            let n = self.doc.links.len();
            self.styled(
                &format!("[{n}]"),
                Style {
                    dim: true,
                    ..Style::default()
                },
            );
        }
    }

    fn text(&mut self, t: &str) {
        self.styled(t, self.style);
    }

    fn styled(&mut self, t: &str, style: Style) {
        if let Some(code) = &mut self.code {
            code.extend(t.lines().map(str::to_string));
            return;
        }
        if let Some(table) = &mut self.table {
            table.cell.push_str(t);
            return;
        }
        self.spans.push(Span {
            text: t.to_string(),
            style,
        });
    }

    /// The start of a new line: quote bars and list indentation, the
    /// list item's marker on its first line; and its width.
    fn line_start(&mut self) -> (Vec<Span>, usize) {
        let mut p = "│ ".repeat(self.quote);
        let depth = self.lists.len();
        if depth > 0 {
            p.push_str(&"  ".repeat(depth - 1));
            match self.item.take() {
                Some(marker) => p.push_str(&marker),
                None => p.push_str("  "),
            }
        }
        let w = p.width();
        let style = Style {
            dim: true,
            ..Style::default()
        };
        (vec![Span { text: p, style }], w)
    }

    /// Wraps the block's spans into lines.
    fn flush(&mut self) {
        let spans = std::mem::take(&mut self.spans);
        if spans.iter().all(|s| s.text.trim().is_empty()) {
            return;
        }
        let (mut line, mut indent) = self.line_start();
        let mut used = indent;
        for span in spans {
            for word in span.text.split_inclusive(' ') {
                let w = word.trim_end().width();
                if used + w > self.width && used > indent {
                    trim_end(&mut line);
                    self.push_line(std::mem::take(&mut line));
                    (line, indent) = self.line_start();
                    used = indent;
                }
                let word = if used == indent {
                    word.trim_start()
                } else {
                    word
                };
                if word.is_empty() {
                    continue;
                }
                used += word.width();
                let more = line.len() > 1;
                match line.last_mut() {
                    Some(last) if last.style == span.style && more => {
                        last.text.push_str(word);
                    }
                    _ => line.push(Span {
                        text: word.to_string(),
                        style: span.style,
                    }),
                }
            }
        }
        trim_end(&mut line);
        self.push_line(line);
    }

    fn push_code(&mut self, text: &str) {
        let prefix = format!("{}  ", "│ ".repeat(self.quote));
        let room = self.width.saturating_sub(prefix.width()).max(1);
        let style = Style {
            code: true,
            ..Style::default()
        };
        // Long code lines are cut into pieces: code is not reflowed.
        let chars: Vec<char> = text.chars().collect();
        let mut at = 0;
        loop {
            let mut piece = String::new();
            while at < chars.len()
                && (piece.width() + unicode_width::UnicodeWidthChar::width(chars[at]).unwrap_or(0))
                    <= room
            {
                piece.push(chars[at]);
                at += 1;
            }
            self.push_line(vec![
                Span {
                    text: prefix.clone(),
                    style: Style {
                        dim: true,
                        ..Style::default()
                    },
                },
                Span { text: piece, style },
            ]);
            if at >= chars.len() {
                break;
            }
        }
    }

    /// A table as aligned columns, shrunk to the width (the widest columns
    /// give way first, their cells cut with `…`).
    fn end_table(&mut self) {
        let Some(t) = self.table.take() else { return };
        let cols = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        if cols == 0 {
            return;
        }
        let mut widths = vec![0usize; cols];
        for row in &t.rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.width());
            }
        }
        let room = self.width.saturating_sub(3 * (cols - 1));
        while widths.iter().sum::<usize>() > room {
            let Some(widest) = widths.iter().copied().max() else {
                break;
            };
            if widest <= 3 {
                break;
            }
            if let Some(w) = widths.iter_mut().find(|w| **w == widest) {
                *w -= 1;
            }
        }
        let border = Style {
            dim: true,
            ..Style::default()
        };
        for (r, row) in t.rows.iter().enumerate() {
            let mut line = Vec::new();
            for (i, w) in widths.iter().enumerate() {
                if i > 0 {
                    line.push(Span {
                        text: " │ ".into(),
                        style: border,
                    });
                }
                let cell = row.get(i).map_or("", String::as_str);
                line.push(Span {
                    text: pad(&cut(cell, *w), *w),
                    style: Style {
                        bold: r < t.head_rows,
                        ..Style::default()
                    },
                });
            }
            self.push_line(line);
            if r + 1 == t.head_rows {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                self.push_line(vec![Span {
                    text: rule.join("─┼─"),
                    style: border,
                }]);
            }
        }
        self.blank();
    }

    fn push_line(&mut self, line: Vec<Span>) {
        self.doc.lines.push(line);
    }

    /// One empty line between blocks, never two.
    fn blank(&mut self) {
        if self.doc.lines.last().is_some_and(|l| !l.is_empty()) {
            self.doc.lines.push(Vec::new());
        }
    }
}

/// Drops the spaces a wrapped line ends with.
fn trim_end(line: &mut [Span]) {
    if let Some(last) = line.last_mut() {
        let kept = last.text.trim_end().len();
        last.text.truncate(kept);
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `text` cut to `width` columns, with `…` when it was longer.
fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(md: &str, width: usize) -> Vec<String> {
        render(md, width)
            .lines
            .iter()
            .map(|l| Doc::plain(l))
            .collect()
    }

    #[test]
    fn paragraphs_wrap_to_the_width_and_headings_are_kept_in_the_outline() {
        let doc = render(
            "# Intro\n\nword word word word word word word word word word word",
            24,
        );
        let lines: Vec<String> = doc.lines.iter().map(|l| Doc::plain(l)).collect();
        assert_eq!(lines[0], "Intro");
        assert!(
            doc.lines[0][1].style.heading == 1 || doc.lines[0].iter().any(|s| s.style.heading == 1)
        );
        assert!(lines.iter().all(|l| l.width() <= 24), "{lines:?}");
        assert_eq!(doc.headings, [(0, "Intro".to_string())]);
    }

    #[test]
    fn tables_are_aligned_columns_and_links_are_numbered() {
        let doc = render(
            "| Model | Score |\n|---|---|\n| Mamba | 91.2 |\n| Transformer | 90.1 |\n\nSee [the code](https://github.com/x/y).",
            60,
        );
        let lines: Vec<String> = doc.lines.iter().map(|l| Doc::plain(l)).collect();
        assert_eq!(lines[0], "Model       │ Score");
        assert_eq!(lines[1], "────────────┼──────");
        assert_eq!(lines[2], "Mamba       │ 91.2 ");
        assert!(lines.iter().any(|l| l == "See the code[1]."), "{lines:?}");
        assert_eq!(doc.links, ["https://github.com/x/y"]);
    }

    #[test]
    fn lists_quotes_code_and_math_keep_their_shape() {
        let md = "1. first\n2. second\n\n- a\n- b\n\n> quoted\n\n```python\nx = 1\n```\n\nEnergy $E = mc^2$.\n";
        let lines = plain(md, 40);
        for expected in [
            "1. first",
            "2. second",
            "• a",
            "• b",
            "│ quoted",
            "  x = 1",
            "Energy $E = mc^2$.",
        ] {
            assert!(
                lines.iter().any(|l| l == expected),
                "{expected:?} in {lines:?}"
            );
        }
    }

    #[test]
    fn hostile_text_loses_its_control_characters() {
        let lines = plain(
            "Title \u{1b}[2J\u{1b}]52;c;AAAA\u{7} end\n\n| a\u{1b}[31m | b |\n|---|---|\n| 1 | 2 |",
            40,
        );
        for l in &lines {
            assert!(!l.chars().any(char::is_control), "{l:?}");
        }
    }
}
