//! The HTML fallback: the `DailyPapers` data island of a Daily Papers page.
//!
//! The page embeds its data as HTML-escaped JSON in the `data-props`
//! attribute of the element whose `data-target` is `DailyPapers`. There are
//! several such islands per page, so the right one is chosen by its
//! `data-target`, never by position. Pure: `&str` in, papers out.

use super::parse::{ParseError, parse_item};
use crate::domain::model::{Day, Paper, parse_day};
use serde_json::Value;

/// What a page holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Island {
    /// `dateString` of the page (the day it shows; pages clamp future dates).
    pub day: Option<Day>,
    pub papers: Vec<Paper>,
}

/// Finds and parses the `DailyPapers` island.
pub fn parse_page(html: &str) -> Result<Island, ParseError> {
    let mut best: Option<Value> = None;
    for tag in tags(html) {
        let attrs = attributes(tag);
        let is_daily = attrs
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("data-target") && *v == "DailyPapers");
        if !is_daily {
            continue;
        }
        let Some((_, props)) = attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("data-props"))
        else {
            continue;
        };
        let props: Value = serde_json::from_str(&unescape(props))
            .map_err(|e| ParseError::Json(format!("in the DailyPapers data-props: {e}")))?;
        // If a page ever carries two, keep the one with the most papers.
        let count = |v: &Value| {
            v.get("dailyPapers")
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        };
        if best.as_ref().is_none_or(|b| count(&props) > count(b)) {
            best = Some(props);
        }
    }
    let props = best.ok_or(ParseError::Shape(
        "an HTML page without a DailyPapers data island",
    ))?;
    let items = props
        .get("dailyPapers")
        .and_then(Value::as_array)
        .ok_or(ParseError::Shape(
            "a DailyPapers island without dailyPapers",
        ))?;
    Ok(Island {
        day: props
            .get("dateString")
            .and_then(Value::as_str)
            .and_then(|s| s.get(..10))
            .and_then(parse_day),
        papers: items.iter().filter_map(parse_item).collect(),
    })
}

/// The start tags of a document, as `<name attr="..." ...>` slices. Quotes
/// are respected, so a `>` inside an attribute value does not end a tag.
fn tags(html: &str) -> impl Iterator<Item = &str> {
    let bytes = html.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if bytes[i] != b'<' {
                i += 1;
                continue;
            }
            let start = i;
            let mut quote = None;
            i += 1;
            while i < bytes.len() {
                match (quote, bytes[i]) {
                    (None, b'"' | b'\'') => quote = Some(bytes[i]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => {
                        i += 1;
                        return html.get(start..i);
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        None
    })
}

/// The attributes of one start tag, values still escaped.
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let mut out = Vec::new();
    let mut rest = inner.trim_start_matches(|c: char| !c.is_whitespace());
    loop {
        rest = rest.trim_start();
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        if name_end == 0 {
            if rest.is_empty() {
                break;
            }
            rest = &rest[1..];
            continue;
        }
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, remaining) = if let Some(q @ ('"' | '\'')) = after.chars().next() {
                let body = &after[1..];
                let end = body.find(q).unwrap_or(body.len());
                (&body[..end], body.get(end + 1..).unwrap_or(""))
            } else {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            };
            out.push((name, value));
            rest = remaining;
        } else {
            out.push((name, ""));
        }
    }
    out
}

/// Decodes HTML character references: the named ones an attribute needs
/// and every numeric form. Unknown references are left as they are.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "quot" => Some('"'),
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "apos" | "#39" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        if let Some(c) = decoded {
            out.push(c);
            rest = &rest[semi + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_decode_including_numeric_forms() {
        assert_eq!(
            unescape("&quot;a&quot;:&#39;b&#x27; &amp;amp; &lt;&gt; &#8594;"),
            "\"a\":'b' &amp; <> →"
        );
        assert_eq!(unescape("AT&T &unknown; &"), "AT&T &unknown; &");
    }

    #[test]
    fn the_island_is_chosen_by_data_target_not_position() {
        let html = r#"<div class="SVELTE_HYDRATER contents" data-target="UserMenu" data-props="{&quot;dailyPapers&quot;:[{&quot;paper&quot;:{&quot;id&quot;:&quot;wrong&quot;}}]}"></div>
<main><div class="SVELTE_HYDRATER contents" data-target="DailyPapers" data-props="{&quot;dateString&quot;:&quot;2025-09-10&quot;,&quot;dailyPapers&quot;:[{&quot;paper&quot;:{&quot;id&quot;:&quot;2509.00001&quot;,&quot;title&quot;:&quot;a &gt; b&quot;}}]}"><section></section></div></main>"#;
        let island = parse_page(html).unwrap();
        assert_eq!(island.day, parse_day("2025-09-10"));
        assert_eq!(island.papers.len(), 1);
        assert_eq!(island.papers[0].id.as_str(), "2509.00001");
        assert_eq!(island.papers[0].title, "a > b");
    }

    #[test]
    fn a_page_without_the_island_is_a_shape_error() {
        assert!(matches!(
            parse_page("<html><body>hi</body></html>"),
            Err(ParseError::Shape(_))
        ));
        assert!(matches!(parse_page("<<<>>\"'"), Err(ParseError::Shape(_))));
    }
}
