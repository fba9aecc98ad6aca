//! Hostile text from the network: one sanitizer, a table of cases, a
//! property over arbitrary Unicode, and whole screens drawn from hostile
//! papers that must hold no control character in any cell.

use hfpapers::app::{Action, AppState, Net, update};
use hfpapers::app::{Command, Outcome};
use hfpapers::domain::model::{Entry, Paper, PaperId, Row, UserState, parse_day};
use hfpapers::domain::text::{one_line, sanitize};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const ESC: &str = "\u{1b}";

#[test]
fn the_sanitizer_table() {
    let cases: Vec<(String, &str)> = vec![
        ("plain text".into(), "plain text"),
        (format!("a{ESC}[2Jb"), "ab"),
        (format!("{ESC}[H{ESC}[2J{ESC}[3Jclear"), "clear"),
        (format!("a{ESC}[31mred{ESC}[0m"), "ared"),
        (format!("a{ESC}[38;5;196mx"), "ax"),
        (format!("a{ESC}[?1049h alt"), "a alt"),
        (format!("a{ESC}[?25l hidden cursor"), "a hidden cursor"),
        (format!("a{ESC}[6n query"), "a query"),
        (format!("title{ESC}]0;owned\u{7}"), "title"),
        (format!("title{ESC}]2;owned{ESC}\\"), "title"),
        (format!("x{ESC}]52;c;aGVsbG8=\u{7}y"), "xy"),
        (format!("x{ESC}]52;c;aGVsbG8={ESC}\\y"), "xy"),
        (
            format!("{ESC}]8;;http://evil/{ESC}\\link{ESC}]8;;{ESC}\\"),
            "link",
        ),
        (format!("x{ESC}P1$qm{ESC}\\y"), "xy"),
        (format!("x{ESC}_apc payload{ESC}\\y"), "xy"),
        (format!("x{ESC}^pm{ESC}\\y"), "xy"),
        (format!("x{ESC}Xsos{ESC}\\y"), "xy"),
        (format!("x{ESC}cy"), "xy"),
        (format!("x{ESC}7y{ESC}8"), "xy"),
        (format!("x{ESC}"), "x"),
        (format!("x{ESC}[12"), "x"),
        ("x\u{9b}2Jy".into(), "xy"),
        ("x\u{9d}0;t\u{9c}y".into(), "xy"),
        ("x\u{90}dcs\u{9c}y".into(), "xy"),
        ("x\u{85}y".into(), "xy"),
        ("bell\u{7}".into(), "bell"),
        ("back\u{8}space".into(), "backspace"),
        ("cr\rlf".into(), "crlf"),
        ("tab\there".into(), "tab here"),
        ("nul\u{0}byte".into(), "nulbyte"),
        ("del\u{7f}".into(), "del"),
        ("rlo\u{202e}gnp.exe".into(), "rlognp.exe"),
        ("lre\u{202a}lro\u{202d}pdf\u{202c}".into(), "lrelropdf"),
        ("iso\u{2066}x\u{2067}y\u{2068}z\u{2069}".into(), "isoxyz"),
        ("marks\u{200e}\u{200f}\u{61c}".into(), "marks"),
        (
            "zw\u{200b}sp\u{200c}nj\u{2060}wj\u{feff}bom".into(),
            "zwspnjwjbom",
        ),
        ("soft\u{ad}hyphen".into(), "softhyphen"),
        ("tags\u{e0001}\u{e0041}\u{e007f}".into(), "tags"),
        ("line\u{2028}sep\u{2029}".into(), "linesep"),
        ("中文标题：扩散模型".into(), "中文标题：扩散模型"),
        ("日本語のタイトル".into(), "日本語のタイトル"),
        ("한국어 제목".into(), "한국어 제목"),
        ("emoji 🤗🚀".into(), "emoji 🤗🚀"),
        (
            "family 👨\u{200d}👩\u{200d}👧\u{200d}👦".into(),
            "family 👨\u{200d}👩\u{200d}👧\u{200d}👦",
        ),
        (
            "flag 🏳\u{fe0f}\u{200d}🌈".into(),
            "flag 🏳\u{fe0f}\u{200d}🌈",
        ),
        ("stray\u{200d}joiner".into(), "strayjoiner"),
        ("Zoë Müller-Ścisło".into(), "Zoë Müller-Ścisło"),
        ("keep\nnewline".into(), "keep\nnewline"),
        ("math \\$x^2\\$ stays".into(), "math \\$x^2\\$ stays"),
    ];
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for (input, want) in &cases {
        assert_eq!(sanitize(input), *want, "input {input:?}");
        assert_eq!(sanitize(want), *want, "idempotent on {want:?}");
    }
}

fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}' | '\u{200c}' | '\u{feff}' | '\u{e0000}'..='\u{e007f}')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn sanitized_text_has_no_control_or_bidi_character_and_is_stable(s in "\\PC*|[\\x00-\\x1f\\x7f-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}a-z\\[\\];\\\\ ]{0,60}") {
        let once = sanitize(&s);
        prop_assert!(!once.chars().any(forbidden), "{:?} -> {:?}", s, once);
        prop_assert_eq!(sanitize(&once), once.clone());
        let line = one_line(&s);
        prop_assert!(!line.contains('\n'));
        prop_assert_eq!(one_line(&line), line);
    }
}

fn hostile_paper() -> Paper {
    Paper {
        id: PaperId("2509.66666".into()),
        title: format!(
            "Evil{ESC}[2J{ESC}]52;c;cm0gLXJmIH4={}\u{7} title\u{202e}txt.exe {ESC}]0;pwned\u{7}中文 👨\u{200d}👩\u{200d}👧",
            ""
        ),
        summary: format!(
            "Abstract{ESC}[31m red {ESC}]8;;http://evil{ESC}\\link{ESC}]8;;{ESC}\\ \u{9b}6n end. 日本語 🤗"
        ),
        authors: vec![format!("Mallory{ESC}[5m"), "Zoë\u{200b}".into()],
        organization: Some(format!("Org{ESC}P+q{ESC}\\")),
        github_repo: Some(format!("https://github.com/x/y{ESC}[2J")),
        ai_keywords: vec!["k\u{7}w".into()],
        ..Paper::default()
    }
}

fn screens(w: u16, h: u16) -> Vec<String> {
    // The parser cleans text as it arrives; draw it raw anyway, as if a
    // store from an older version held it, to check the render path too.
    let p = hostile_paper();
    let day = parse_day("2025-09-10").unwrap();
    let mut s = AppState::new(Net::Online, None, true);
    let entries = vec![Entry {
        row: Row::of(&p, day, 1),
        state: UserState {
            tags: vec!["rl".into()],
            ..Default::default()
        },
    }];
    update(
        &mut s,
        Action::Done(Outcome::DayLoaded {
            day,
            entries,
            sample: false,
        }),
    );
    update(
        &mut s,
        Action::Done(Outcome::Notice(format!(
            "error from server: {ESC}]52;c;eA==\u{7}boom"
        ))),
    );
    let mut out = Vec::new();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut capture = |s: &AppState, terminal: &mut Terminal<TestBackend>| {
        terminal
            .draw(|f| {
                drop(hfpapers::ui::render(
                    f,
                    s,
                    &hfpapers::ui::look::Look::default(),
                ));
            })
            .unwrap();
        let buf = terminal.backend().buffer();
        let cells: String = buf
            .content()
            .iter()
            .map(ratatui::buffer::Cell::symbol)
            .collect();
        out.push(cells);
    };
    capture(&s, &mut terminal);
    update(&mut s, Action::Command(Command::OpenDetail));
    update(&mut s, Action::Done(Outcome::DetailLoaded(Box::new(p))));
    capture(&s, &mut terminal);
    out
}

#[test]
fn hostile_papers_reach_no_cell_as_control_characters() {
    for (w, h) in [(80, 24), (40, 12), (120, 40)] {
        for screen in screens(w, h) {
            let bad: Vec<char> = screen.chars().filter(|c| forbidden(*c)).collect();
            assert!(
                bad.is_empty(),
                "{w}x{h}: control characters on screen: {bad:?}"
            );
            assert!(
                !screen.contains("52;c"),
                "an OSC 52 payload leaked as text at {w}x{h}"
            );
        }
    }
}

#[test]
fn wide_characters_never_break_borders() {
    for (w, h) in [(80u16, 24u16), (40, 12)] {
        let day = parse_day("2025-09-10").unwrap();
        let mut s = AppState::new(Net::Online, None, true);
        let titles = [
            "中文标题：扩散模型与大型语言模型的统一框架研究",
            "家族 👨\u{200d}👩\u{200d}👧\u{200d}👦 emoji and 🤗 faces in a long title",
            "日本語のタイトル、とても長いタイトルです",
        ];
        let entries = titles
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let p = Paper {
                    id: PaperId(format!("2509.0000{i}")),
                    title: t.to_string(),
                    ..Paper::default()
                };
                Entry {
                    row: Row::of(&p, day, i as u32 + 1),
                    state: UserState::default(),
                }
            })
            .collect();
        update(
            &mut s,
            Action::Done(Outcome::DayLoaded {
                day,
                entries,
                sample: false,
            }),
        );
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|f| {
                drop(hfpapers::ui::render(
                    f,
                    &s,
                    &hfpapers::ui::look::Look::default(),
                ));
            })
            .unwrap();
        let buf = terminal.backend().buffer().clone();
        // The right border stays in the last column of every list row.
        for y in 1..h.saturating_sub(2) {
            assert_eq!(
                buf[(w - 1, y)].symbol(),
                "│",
                "row {y} at {w}x{h}:\n{}",
                terminal.backend()
            );
        }
        insta::assert_snapshot!(format!("wide_{w}x{h}"), terminal.backend().to_string());
    }
}
