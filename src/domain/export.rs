//! Formats for papers leaving hfpapers: BibTeX, Markdown, JSON and CSV,
//! each with the escaping its readers need, so no title, author or tag
//! (all from outside) can break an entry, forge a field, inject a link or
//! become a spreadsheet formula.

use crate::domain::model::{Entry, Row, fmt_day};
use serde::Serialize;

/// A BibTeX `@misc` entry keyed by the arXiv id, with TeX specials escaped
/// so titles with braces, `%`, `&`, `$`, `#` or `_` load in a reference
/// manager. Accented letters stay as UTF-8 (biber and modern bibtex read it).
pub fn bibtex(row: &Row) -> String {
    let id = row.id.as_str();
    // Keys from a safe alphabet: a `,`, `}` or space would end the key.
    let key: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let year = row
        .day
        .map(|d| d.format("%Y").to_string())
        .unwrap_or_default();
    let authors = row
        .authors
        .iter()
        .map(escape)
        .collect::<Vec<_>>()
        .join(" and ");
    let mut out = format!("@misc{{{key},\n  title = {{{{{}}}}},\n", escape(&row.title));
    if !authors.is_empty() {
        out.push_str(&format!("  author = {{{authors}}},\n"));
    }
    if !year.is_empty() {
        out.push_str(&format!("  year = {{{year}}},\n"));
    }
    if !row.id.is_sample() {
        out.push_str(&format!(
            "  eprint = {{{}}},\n  archivePrefix = {{arXiv}},\n  url = {{{}}},\n",
            escape(id),
            escape(&row.id.arxiv_url())
        ));
    }
    out.push('}');
    out.push('\n');
    out
}

/// Escapes what TeX treats specially. Braces become `\textbraceleft{}`
/// and `\textbraceright{}`: BibTeX counts a brace even after a backslash,
/// so `\{` would leave a field unbalanced and swallow the entries after
/// it; every escape here is itself balanced.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in crate::domain::text::one_line(s).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{PaperId, parse_day};

    #[test]
    fn bibtex_escapes_tex_specials_and_joins_authors() {
        let row = Row {
            id: PaperId("2509.01234".into()),
            title: "50% of {Braces} & $math$ #1 a_b".into(),
            authors: crate::domain::model::Names::new(["Zoë Müller", "Kenji Sato"]),
            day: parse_day("2025-09-10"),
            ..Row::default()
        };
        assert_eq!(
            bibtex(&row),
            "@misc{2509.01234,\n  title = {{50\\% of \\textbraceleft{}Braces\\textbraceright{} \\& \\$math\\$ \\#1 a\\_b}},\n  author = {Zoë Müller and Kenji Sato},\n  year = {2025},\n  eprint = {2509.01234},\n  archivePrefix = {arXiv},\n  url = {https://arxiv.org/abs/2509.01234},\n}\n"
        );
    }
}

/// One paper as `list --json` and `show --json` print it.
#[derive(Debug, Serialize)]
pub struct PaperJson<'a> {
    pub id: &'a str,
    pub date: Option<String>,
    pub rank: u32,
    pub title: &'a str,
    pub authors: &'a crate::domain::model::Names,
    pub upvotes: u64,
    pub comments: u64,
    pub read: bool,
    pub starred: bool,
    pub tags: &'a [String],
    /// With `sort:foryou`: the score and its reasons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foryou: Option<ForYouJson>,
}

/// A For you score as JSON.
#[derive(Debug, Serialize)]
pub struct ForYouJson {
    pub score: f32,
    pub reasons: Vec<ReasonJson>,
}

#[derive(Debug, Serialize)]
pub struct ReasonJson {
    pub feature: String,
    pub kind: &'static str,
    pub weight: f32,
}

impl ForYouJson {
    pub fn of(s: &crate::domain::taste::Scored) -> ForYouJson {
        ForYouJson {
            score: s.score,
            reasons: s
                .reasons
                .iter()
                .map(|r| ReasonJson {
                    feature: r.feature.clone(),
                    kind: r.kind.name(),
                    weight: r.weight,
                })
                .collect(),
        }
    }
}

impl<'a> PaperJson<'a> {
    pub fn of(e: &'a Entry) -> PaperJson<'a> {
        PaperJson {
            id: e.row.id.as_str(),
            date: e.row.day.map(fmt_day),
            rank: e.row.rank,
            title: &e.row.title,
            authors: &e.row.authors,
            upvotes: e.row.upvotes,
            comments: e.row.comments,
            read: e.state.read,
            starred: e.state.starred,
            tags: &e.state.tags,
            foryou: None,
        }
    }
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Bibtex,
    Markdown,
    Json,
    Csv,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Bibtex => "bib",
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

/// Renders entries in a format.
pub fn render(entries: &[&crate::domain::model::Entry], format: Format) -> String {
    match format {
        Format::Bibtex => entries
            .iter()
            .map(|e| bibtex(&e.row))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Markdown => markdown(entries),
        Format::Json => {
            let items: Vec<PaperJson> = entries.iter().map(|e| PaperJson::of(e)).collect();
            serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into()) + "\n"
        }
        Format::Csv => csv(entries),
    }
}

/// A reading list: one line per paper with its links, state and tags.
fn markdown(entries: &[&crate::domain::model::Entry]) -> String {
    let one = crate::domain::text::one_line;
    let mut out = String::from("# Reading list\n\n");
    for e in entries {
        let r = &e.row;
        let mut line = format!("- [{}]({})", md_escape(&r.title), r.stub().primary_link());
        if !r.id.is_sample() {
            line.push_str(&format!(" · [arXiv]({})", r.id.arxiv_url()));
        }
        if !r.authors.is_empty() {
            let shown: Vec<&str> = r.authors.iter().take(3).collect();
            let more = if r.authors.len() > 3 { " et al." } else { "" };
            line.push_str(&format!(" — {}{more}", md_escape(&shown.join(", "))));
        }
        if let Some(d) = r.day {
            line.push_str(&format!(" ({})", crate::domain::model::fmt_day(d)));
        }
        if e.state.starred {
            line.push_str(" ★");
        }
        if !e.state.tags.is_empty() {
            line.push_str(&format!(
                " `{}`",
                one(&e.state.tags.join(" ")).replace('`', "'")
            ));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Text as Markdown shows it literally inside a list item's link text:
/// every character that could start a link, an image, code, emphasis, an
/// HTML tag or entity, or a table cell is backslash-escaped. (URLs need no
/// escaping: they are built from checked or percent-encoded ids.)
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in crate::domain::text::one_line(s).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '|' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// RFC 4180 CSV with a header. A cell that a spreadsheet would take as a
/// formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return)
/// gets a leading `'`, as OWASP advises against CSV injection.
fn csv(entries: &[&crate::domain::model::Entry]) -> String {
    let field = |s: &str| {
        let mut s = crate::domain::text::one_line(s);
        if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            s.insert(0, '\'');
        }
        if s.contains([',', '"', '\n', '\'']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    };
    let mut out = String::from("id,date,title,authors,upvotes,comments,read,starred,tags\n");
    for e in entries {
        let r = &e.row;
        out.push_str(
            &[
                field(r.id.as_str()),
                r.day.map(crate::domain::model::fmt_day).unwrap_or_default(),
                field(&r.title),
                field(&r.authors.join("; ")),
                r.upvotes.to_string(),
                r.comments.to_string(),
                e.state.read.to_string(),
                e.state.starred.to_string(),
                field(&e.state.tags.join(" ")),
            ]
            .join(","),
        );
        out.push('\n');
    }
    out
}
