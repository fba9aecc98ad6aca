//! Formats for papers leaving hfpapers: BibTeX entries (for `y` and,
//! later, `hfpapers export`).

use crate::model::Row;

/// A BibTeX `@misc` entry keyed by the arXiv id, with TeX specials escaped
/// so titles with braces, `%`, `&`, `$`, `#` or `_` load in a reference
/// manager. Accented letters stay as UTF-8 (biber and modern bibtex read it).
pub fn bibtex(row: &Row) -> String {
    let id = row.id.as_str();
    let key = id.replace(['/', ' '], "_");
    let year = row
        .day
        .map(|d| d.format("%Y").to_string())
        .unwrap_or_default();
    let authors = row
        .authors
        .iter()
        .map(|a| escape(a))
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
            "  eprint = {{{id}}},\n  archivePrefix = {{arXiv}},\n  url = {{https://arxiv.org/abs/{id}}},\n"
        ));
    }
    out.push('}');
    out.push('\n');
    out
}

/// Escapes what TeX treats specially; braces are balanced by escaping them.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in crate::text::one_line(s).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
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
    use crate::model::{PaperId, parse_day};

    #[test]
    fn bibtex_escapes_tex_specials_and_joins_authors() {
        let row = Row {
            id: PaperId("2509.01234".into()),
            title: "50% of {Braces} & $math$ #1 a_b".into(),
            authors: vec!["Zoë Müller".into(), "Kenji Sato".into()],
            day: parse_day("2025-09-10"),
            ..Row::default()
        };
        assert_eq!(
            bibtex(&row),
            "@misc{2509.01234,\n  title = {{50\\% of \\{Braces\\} \\& \\$math\\$ \\#1 a\\_b}},\n  author = {Zoë Müller and Kenji Sato},\n  year = {2025},\n  eprint = {2509.01234},\n  archivePrefix = {arXiv},\n  url = {https://arxiv.org/abs/2509.01234},\n}\n"
        );
    }
}
