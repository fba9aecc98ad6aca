//! The one sanitizer for text that came from the network or the store.
//!
//! Titles, abstracts, names, URLs and error bodies are hostile until cleaned:
//! a title carrying `ESC[2J` or an OSC 52 payload must show as plain text and
//! never reach the terminal as a control sequence. Everything that is drawn or
//! printed goes through [`sanitize`] or [`one_line`]; both are idempotent.

const ESC: char = '\u{1b}';
const BEL: char = '\u{07}';

/// Strips escape sequences (CSI, OSC, DCS, SOS/PM/APC and two-byte escapes),
/// C0/C1 controls other than newline, bidi controls and invisible format
/// characters. Keeps newlines, CJK and emoji (including ZWJ sequences).
pub fn sanitize(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ESC => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut chars),
                // Two-byte escapes (ESC c, ESC 7, ...): drop both.
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            '\u{200d}' => {
                // A zero-width joiner only means something inside an emoji sequence.
                let joins_emoji = out.chars().next_back().is_some_and(is_pictographic)
                    && chars.peek().copied().is_some_and(is_pictographic);
                if joins_emoji {
                    out.push(c);
                }
            }
            c if is_stripped(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// [`sanitize`], then every run of whitespace (hard line breaks included)
/// becomes one space, trimmed at both ends: for titles, abstracts and names.
/// Text as a screen shows it: [`one_line`], with the TeX escapes the
/// service leaves in titles and abstracts (`\$15`, `92.1\%`) shown as the
/// characters they stand for. Exports keep the text as sent.
pub fn shown(input: &str) -> String {
    let line = one_line(input);
    if !line.contains('\\') {
        return line;
    }
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| "$%&_#{}".contains(*n)) {
            continue;
        }
        out.push(c);
    }
    out
}

pub fn one_line(input: &str) -> String {
    let clean = sanitize(input);
    let mut out = String::with_capacity(clean.len());
    for word in clean.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Folds text for matching: lower case, accents removed (`Zoë` → `zoe`,
/// `Przemysław` → `przemyslaw`), so searches are case- and
/// accent-insensitive. Characters that do not decompose keep their case-
/// folded form; CJK passes through.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    fold_into(input, &mut out);
    out
}

/// [`fold`] into a reused buffer (cleared first): the indexer folds
/// millions of words and should not allocate for each.
pub fn fold_into(input: &str, out: &mut String) {
    use unicode_normalization::UnicodeNormalization;
    out.clear();
    if input.is_ascii() {
        out.extend(input.chars().map(|c| c.to_ascii_lowercase()));
        return;
    }
    for c in input.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ı' => out.push('i'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// Where each word of a text is: `(start, end)` byte offsets of every run
/// of letters and digits. The one definition of a word: the search index
/// tokenizes with it (its positions and offsets), the query language folds
/// its words the same way, and highlighting marks these same spans.
pub fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = None;
    text.char_indices()
        .map(|(i, c)| (i, c.is_alphanumeric()))
        .chain(std::iter::once((text.len(), false)))
        .filter_map(move |(i, word_char)| match (start, word_char) {
            (None, true) => {
                start = Some(i);
                None
            }
            (Some(s), false) => {
                start = None;
                Some((s, i))
            }
            _ => None,
        })
}

/// The folded words of a text: runs of letters and digits. What the text
/// index stores and what bare query words are matched against.
pub fn words(input: &str) -> impl Iterator<Item = String> + '_ {
    input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
}

fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    // Parameter and intermediate bytes, then one final byte in 0x40..=0x7e.
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            return;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            // Not a well-formed CSI: stop here rather than eat real text.
            return;
        }
    }
}

fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    // Up to BEL, ST (ESC \) or the C1 ST (0x9c).
    while let Some(c) = chars.next() {
        match c {
            BEL | '\u{9c}' => return,
            ESC => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

fn is_stripped(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // bidi embeddings, overrides and isolates, plus the marks
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
        // zero-width and invisible format characters
        | '\u{200b}' | '\u{200c}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{180e}' | '\u{ad}'
        // tag characters and interlinear annotations
        | '\u{e0000}'..='\u{e007f}' | '\u{fff9}'..='\u{fffb}'
        // line and paragraph separators confuse terminals' line counting
        | '\u{2028}' | '\u{2029}')
}

fn is_pictographic(c: char) -> bool {
    matches!(c, '\u{2600}'..='\u{27bf}' | '\u{1f000}'..='\u{1faff}' | '\u{fe0f}')
}

/// "1 paper", "2 papers": a count and a regular English noun.
pub fn count(n: impl Into<u64>, one: &str) -> String {
    match n.into() {
        1 => format!("1 {one}"),
        n if n > MAX_SHOWN => format!("over {MAX_SHOWN} {one}s"),
        n => format!("{n} {one}s"),
    }
}

/// The largest count printed as it is: anything above is no real count
/// of papers, votes or models (a service's placeholder, or a hostile one).
pub const MAX_SHOWN: u64 = 999_999_999;

/// A size as people read it: `512 B`, `3.4 KiB`, `12.0 MiB`, `1.2 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut size = n as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_count_past_any_real_one_is_not_printed_digit_by_digit() {
        assert_eq!(count(u64::MAX, "model"), "over 999999999 models");
        assert_eq!(count(999_999_999u64, "model"), "999999999 models");
        assert_eq!(count(1u64, "model"), "1 model");
    }

    #[test]
    fn sizes_read_in_the_largest_unit_that_keeps_them_above_one() {
        assert_eq!(super::bytes(512), "512 B");
        assert_eq!(super::bytes(3 * 1024 + 400), "3.4 KiB");
        assert_eq!(super::bytes(12 * 1024 * 1024), "12.0 MiB");
    }

    use super::*;

    #[test]
    fn tex_escapes_of_the_service_show_as_their_characters_on_screen_only() {
        assert_eq!(
            super::shown("Costs \\$15 for 92.1\\% of R\\&D in snake\\_case \\#1"),
            "Costs $15 for 92.1% of R&D in snake_case #1"
        );
        assert_eq!(
            super::shown("a \\alpha stays"),
            "a \\alpha stays",
            "only the escapes"
        );
        assert_eq!(
            super::shown("x\u{1b}[2J"),
            super::one_line("x\u{1b}[2J"),
            "still sanitized"
        );
    }

    #[test]
    fn escape_sequences_and_controls_disappear_but_text_stays() {
        let cases = [
            ("plain", "plain"),
            ("a\u{1b}[2Jb", "ab"),
            ("a\u{1b}[31;1mred\u{1b}[0m", "ared"),
            ("x\u{1b}]52;c;aGVsbG8=\u{7}y", "xy"),
            (
                "x\u{1b}]8;;http://evil\u{1b}\\link\u{1b}]8;;\u{1b}\\y",
                "xlinky",
            ),
            ("x\u{1b}Pq#0;2;0;0;0\u{1b}\\y", "xy"),
            ("x\u{9b}2Jy", "xy"),
            ("x\u{1b}cy", "xy"),
            ("bell\u{7}", "bell"),
            ("cr\rlf", "crlf"),
            ("bi\u{202e}di\u{2066}x\u{2069}", "bidix"),
            ("zero\u{200b}width\u{feff}", "zerowidth"),
            ("tag\u{e0041}", "tag"),
            ("中文タイトル", "中文タイトル"),
            (
                "family 👨\u{200d}👩\u{200d}👧",
                "family 👨\u{200d}👩\u{200d}👧",
            ),
            ("stray\u{200d}joiner", "strayjoiner"),
            ("line\nbreak", "line\nbreak"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize(input), want, "input {input:?}");
            assert_eq!(sanitize(want), want, "idempotent on {want:?}");
        }
    }

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("Zoë Müller-Ścisło"), "zoe muller-scislo");
        assert_eq!(fold("Przemysław Uznański"), "przemyslaw uznanski");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("中文 Ünïcode"), "中文 unicode");
    }

    #[test]
    fn words_split_on_anything_but_letters_and_digits() {
        let w: Vec<String> = words("Diffusion-based 3D-VAE: \\$0.01 (Zoë)").collect();
        assert_eq!(w, ["diffusion", "based", "3d", "vae", "0", "01", "zoe"]);
    }

    #[test]
    fn one_line_collapses_arxiv_hard_wraps() {
        assert_eq!(
            one_line("Learning for\n  Contrastive   Loss \n"),
            "Learning for Contrastive Loss"
        );
        assert_eq!(one_line("\u{1b}[2J  "), "");
    }
}
