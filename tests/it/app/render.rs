//! Whole-screen snapshots (`TestBackend` + insta) of the list, detail, help,
//! empty and offline states at 80x24 and 120x40.

use hfpapers::app::{Action, AppState, Net, update};
use hfpapers::app::{Command, Outcome};
use hfpapers::domain::model::{Entry, Paper, PaperId, Row, UserState, parse_day};
use hfpapers::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn paper(i: usize) -> Paper {
    Paper {
        id: PaperId(format!("2509.{:05}", 7000 + i)),
        title: format!(
            "{} {}",
            [
                "Scaling Sparse Tortoises for Fast Readers",
                "中文标题: Multilingual Retrieval at Scale",
                "A Very Long Title About Diffusion Transformers That Keeps Going Well Past the Width of Any Reasonable Terminal"
            ][i % 3],
            i
        ),
        summary: "We study slow attention in depth. ".repeat(20),
        authors: vec![
            "Zoë Müller".into(),
            "Kenji Sato".into(),
            "Ada Lovelace".into(),
        ],
        published_at: Some("2025-09-08T00:00:00.000Z".into()),
        submitted_on_daily_at: Some("2025-09-10T00:00:00.000Z".into()),
        submitted_by: Some("AK".into()),
        submitter: Some("akhaliq".into()),
        upvotes: 300u64.saturating_sub(i as u64 * 7),
        comments: i as u64 % 4,
        ai_summary: Some("Slow attention improves recall at low cost.".into()),
        ai_keywords: vec!["attention".into(), "recall".into()],
        github_repo: Some("https://github.com/example/tortoise".into()),
        github_stars: Some(321),
        project_page: None,
        organization: Some("Example Lab".into()),
        org_handle: Some("example-lab".into()),
        linked_models: Some(3),
        linked_datasets: Some(1),
        linked_spaces: None,
        details_fetched_at: Some("2025-09-10T12:00:00Z".into()),
        history: Vec::new(),
        thumbnail: None,
    }
}

fn state_with_papers(n: usize) -> AppState {
    let day = parse_day("2025-09-10").unwrap();
    let mut s = AppState::new(Net::Online, None, true);
    let entries = (0..n)
        .map(|i| Entry {
            row: Row::of(&paper(i), day, i as u32 + 1),
            state: UserState {
                read: i % 3 == 1,
                starred: i % 4 == 2,
                ..Default::default()
            },
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
    s
}

/// Draws twice, feeding the viewport back as the runtime does.
fn draw(state: &mut AppState, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    for _ in 0..2 {
        let mut viewport = None;
        terminal
            .draw(|f| viewport = Some(ui::render(f, state, &hfpapers::ui::look::Look::default())))
            .unwrap();
        update(state, viewport.unwrap());
    }
    terminal.backend().to_string()
}

#[test]
fn list_screen() {
    for (w, h) in SIZES {
        let mut s = state_with_papers(40);
        update(&mut s, Action::Command(Command::MoveDown));
        insta::assert_snapshot!(format!("list_{w}x{h}"), draw(&mut s, w, h));
    }
}

#[test]
fn detail_screen() {
    for (w, h) in SIZES {
        let mut s = state_with_papers(5);
        update(&mut s, Action::Command(Command::ToggleStar));
        update(&mut s, Action::Command(Command::OpenDetail));
        update(
            &mut s,
            Action::Done(Outcome::DetailLoaded(Box::new(paper(0)))),
        );
        insta::assert_snapshot!(format!("detail_{w}x{h}"), draw(&mut s, w, h));
    }
}

#[test]
fn help_overlay() {
    for (w, h) in SIZES {
        let mut s = state_with_papers(10);
        update(&mut s, Action::Command(Command::ToggleHelp));
        insta::assert_snapshot!(format!("help_{w}x{h}"), draw(&mut s, w, h));
        // Scrolled to the end, the last binding shows.
        for _ in 0..40 {
            update(&mut s, Action::Command(Command::MoveDown));
        }
        let end = draw(&mut s, w, h);
        assert!(
            end.contains("quit") && end.contains("g w Watch"),
            "the last bindings are reachable at {w}x{h}"
        );
    }
}

#[test]
fn empty_day() {
    for (w, h) in SIZES {
        let mut s = AppState::new(Net::Online, Some("2025-09-13T12:00:00Z".into()), true);
        update(
            &mut s,
            Action::Done(Outcome::DayLoaded {
                day: parse_day("2025-09-13").unwrap(),
                entries: vec![],
                sample: false,
            }),
        );
        insta::assert_snapshot!(format!("empty_{w}x{h}"), draw(&mut s, w, h));
    }
}

#[test]
fn offline_sample_digest() {
    for (w, h) in SIZES {
        let mut s = AppState::new(Net::Offline, None, true);
        update(&mut s, hfpapers::reader::effects::sample_day());
        // The first sync of a first run finds no network: what it says.
        update(
            &mut s,
            Action::Done(Outcome::SyncFinished(hfpapers::app::SyncSummary {
                offline: true,
                ..Default::default()
            })),
        );
        insta::assert_snapshot!(format!("offline_sample_{w}x{h}"), draw(&mut s, w, h));
    }
}

#[test]
fn every_binding_appears_in_help() {
    // Each command in the help of a screen it works on: the list's or the
    // paper's (`?` lists the keys of the screen it is pressed on).
    let mut screens = String::new();
    for screen in [hfpapers::app::Screen::List, hfpapers::app::Screen::Detail] {
        let mut s = state_with_papers(3);
        s.screen = screen;
        update(&mut s, Action::Command(Command::ToggleHelp));
        let drawn = draw(&mut s, 120, 40);
        assert!(
            !drawn.contains("j/k scroll"),
            "help fits at 120x40 without scrolling"
        );
        screens.push_str(&drawn);
    }
    for help in Command::ALL.iter().map(|c| c.help()) {
        // The views share lines: each by its name after its keys.
        let shown = match help.strip_prefix("view: ") {
            Some(view) => format!(" {}", view.split(" (").next().unwrap_or(view)),
            None => help.to_string(),
        };
        assert!(screens.contains(&shown), "help lacks {help:?}");
    }
}

#[test]
fn a_too_small_terminal_says_so() {
    let mut s = state_with_papers(3);
    let screen = draw(&mut s, 20, 5);
    assert!(screen.contains("terminal too small"), "{screen}");
}

#[test]
fn tiny_terminals_do_not_panic() {
    for (w, h) in [(1, 1), (2, 3), (10, 4), (20, 2)] {
        let mut s = state_with_papers(10);
        draw(&mut s, w, h);
        update(&mut s, Action::Command(Command::OpenDetail));
        update(
            &mut s,
            Action::Done(Outcome::DetailLoaded(Box::new(paper(0)))),
        );
        draw(&mut s, w, h);
        update(&mut s, Action::Command(Command::ToggleHelp));
        draw(&mut s, w, h);
    }
}

#[test]
fn prompt_with_an_error() {
    let mut s = state_with_papers(10);
    update(&mut s, Action::Command(Command::OpenFilter));
    for c in "upvotes:>>".chars() {
        update(&mut s, Action::Input(hfpapers::app::InputKey::Char(c)));
    }
    insta::assert_snapshot!("prompt_error_80x24", draw(&mut s, 80, 24));
}

#[test]
fn sidebar_of_views() {
    use hfpapers::app::{ViewItem, ViewKind};
    let mut s = state_with_papers(10);
    update(&mut s, Action::Command(Command::ToggleSidebar));
    let item = |name: &str, q: &str, total, unread| ViewItem {
        name: name.into(),
        kind: ViewKind::Query(q.into()),
        total,
        unread,
    };
    update(
        &mut s,
        Action::Done(Outcome::ViewsCounted(vec![
            ViewItem {
                name: "Latest day".into(),
                kind: ViewKind::Day(None),
                total: 10,
                unread: 7,
            },
            item("Unread", "is:unread", 5999, 5999),
            item("Starred", "is:starred", 12, 3),
            item("#rl", "tag:rl", 4, 1),
            item("with code", "has:code is:unread", 321, 321),
        ])),
    );
    update(
        &mut s,
        Action::Done(Outcome::IndexReady {
            tags: vec!["rl".into()],
        }),
    );
    update(&mut s, Action::Command(Command::MoveDown));
    insta::assert_snapshot!("sidebar_120x40", draw(&mut s, 120, 40));
}

#[test]
fn filter_words_are_highlighted_in_titles_and_the_abstract() {
    use ratatui::style::Modifier;
    let mut s = state_with_papers(3);
    update(&mut s, Action::Command(Command::OpenFilter));
    for c in "tortoise".chars() {
        update(&mut s, Action::Input(hfpapers::app::InputKey::Char(c)));
    }
    update(&mut s, Action::Input(hfpapers::app::InputKey::Enter));
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal
        .draw(|f| drop(ui::render(f, &s, &hfpapers::ui::look::Look::default())))
        .unwrap();
    let underlined_text = |terminal: &Terminal<TestBackend>| -> String {
        let buf = terminal.backend().buffer();
        buf.content()
            .iter()
            .filter(|c| c.modifier.contains(Modifier::UNDERLINED))
            .map(ratatui::buffer::Cell::symbol)
            .collect()
    };
    // "Tortoises" in the first title; nothing else in the list matches.
    assert_eq!(underlined_text(&terminal), "Tortoises");
    update(&mut s, Action::Command(Command::OpenDetail));
    let mut p = paper(0);
    p.summary = "Tortoise races. Slow and steady tortoises win.".into();
    update(&mut s, Action::Done(Outcome::DetailLoaded(Box::new(p))));
    terminal
        .draw(|f| drop(ui::render(f, &s, &hfpapers::ui::look::Look::default())))
        .unwrap();
    assert_eq!(underlined_text(&terminal), "TortoisesTortoisetortoises");
}

/// The first `n` papers of the day, unread, as a view's results.
fn unread_entries(n: usize) -> Vec<std::sync::Arc<Entry>> {
    let day = parse_day("2025-09-10").unwrap();
    (0..n)
        .map(|i| {
            std::sync::Arc::new(Entry {
                row: Row::of(&paper(i), day, i as u32 + 1),
                state: UserState::default(),
            })
        })
        .collect()
}

/// `n` papers, a taste learned from `liked`, the For you view opened from
/// the sidebar.
fn in_for_you(n: usize, liked: usize) -> AppState {
    use hfpapers::app::{ViewItem, ViewKind};
    let mut s = state_with_papers(n);
    s.index.ready = true;
    update(
        &mut s,
        Action::Done(Outcome::TasteLearned { liked, ready: true }),
    );
    update(&mut s, Action::Command(Command::ToggleSidebar));
    let item = ViewItem {
        name: "For you".into(),
        kind: ViewKind::ForYou,
        total: n,
        unread: n,
    };
    update(&mut s, Action::Done(Outcome::ViewsCounted(vec![item])));
    update(&mut s, Action::Command(Command::OpenDetail));
    s
}

#[test]
fn the_for_you_view_shows_a_score_bar_and_the_paper_says_why() {
    use hfpapers::app::ViewKind;
    use hfpapers::domain::taste::{Kind, Reason, Scored};
    let mut s = in_for_you(4, 12);
    assert_eq!(s.view, ViewKind::ForYou);
    assert_eq!(
        s.message.as_deref(),
        Some("ranked by your taste, learned from 12 starred or tagged papers")
    );
    let entries = unread_entries(4);
    let why = |score: f32, word: &str, weight: f32| Scored {
        score,
        reasons: vec![Reason {
            kind: Kind::Word,
            feature: word.into(),
            weight,
        }],
    };
    let foryou = vec![
        (paper(0).id, why(0.93, "tortoises", 0.41)),
        (paper(1).id, why(0.12, "retrieval", -0.3)),
    ];
    let spec = s.spec();
    update(
        &mut s,
        Action::Done(Outcome::ResultsLoaded {
            spec,
            entries: entries.into(),
            foryou,
            marks: hfpapers::app::Marks::default(),
            notes: Vec::new(),
        }),
    );
    let screen = draw(&mut s, 120, 40);
    assert!(screen.contains('♥'), "{screen}");
    assert!(screen.contains('█') && screen.contains('▂'), "{screen}");
    // Narrow, the bar gives its room to the title.
    assert!(!draw(&mut s, 50, 20).contains('♥'));
    update(&mut s, Action::Command(Command::OpenDetail));
    update(
        &mut s,
        Action::Done(Outcome::DetailLoaded(Box::new(paper(0)))),
    );
    let screen = draw(&mut s, 120, 40);
    assert!(
        screen.contains("For you      0.93 · tortoises +0.41"),
        "{screen}"
    );
}

#[test]
fn x_on_a_reason_mutes_it_for_good_and_the_for_you_view_is_ranked_again() {
    use hfpapers::app::{Effect, InputKey, PromptKind, ViewKind};
    use hfpapers::domain::taste::{Kind, Reason, Scored};
    let mut s = in_for_you(2, 9);
    let entries = unread_entries(2);
    let reasons = vec![
        Reason {
            kind: Kind::Word,
            feature: "tortoises".into(),
            weight: 0.4,
        },
        Reason {
            kind: Kind::Author,
            feature: "zoe muller".into(),
            weight: 0.2,
        },
    ];
    let spec = s.spec();
    update(
        &mut s,
        Action::Done(Outcome::ResultsLoaded {
            spec,
            entries: entries.into(),
            foryou: vec![(
                paper(0).id,
                Scored {
                    score: 0.8,
                    reasons,
                },
            )],
            marks: hfpapers::app::Marks::default(),
            notes: Vec::new(),
        }),
    );
    // Without a paper open, `x` has nothing to mute.
    update(&mut s, Action::Command(Command::MuteReason));
    assert!(s.prompt.is_none());
    assert!(
        s.message
            .as_deref()
            .unwrap()
            .starts_with("no For you reasons here")
    );
    update(&mut s, Action::Command(Command::OpenDetail));
    update(
        &mut s,
        Action::Done(Outcome::DetailLoaded(Box::new(paper(0)))),
    );
    update(&mut s, Action::Command(Command::MuteReason));
    assert!(
        matches!(&s.prompt, Some(p) if p.kind == PromptKind::Mute(vec!["word:tortoises".into(), "author:zoe muller".into()])),
        "{:?}",
        s.prompt
    );
    assert!(
        draw(&mut s, 120, 40).contains("mute for good: 1 word:tortoises · 2 author:zoe muller")
    );
    let effects = update(&mut s, Action::Input(InputKey::Char('2')));
    assert_eq!(effects, [Effect::MuteFeature("author:zoe muller".into())]);
    // Learned again with the mute: the view is ranked again.
    let effects = update(
        &mut s,
        Action::Done(Outcome::TasteLearned {
            liked: 9,
            ready: true,
        }),
    );
    assert!(
        matches!(&effects[..], [Effect::RunView(spec)] if spec.kind == ViewKind::ForYou),
        "{effects:?}"
    );
    assert_eq!(
        s.message.as_deref(),
        Some("For you is ranked again without the muted reason")
    );
    // A later learning (a star) leaves the list where it is.
    let effects = update(
        &mut s,
        Action::Done(Outcome::TasteLearned {
            liked: 10,
            ready: true,
        }),
    );
    assert!(effects.is_empty());
}

#[test]
fn a_followed_paper_is_flagged_and_the_status_line_counts_followed_and_muted_papers() {
    let day = parse_day("2025-09-10").unwrap();
    let mut s = AppState::new(Net::Online, None, true);
    s.interests = std::sync::Arc::new(
        hfpapers::domain::interests::Interests::new(
            vec!["tortoises".into()],
            vec!["multilingual".into()],
        )
        .unwrap(),
    );
    let entries = (0..6)
        .map(|i| Entry {
            row: Row::of(&paper(i), day, i as u32 + 1),
            state: UserState::default(),
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
    let screen = draw(&mut s, 120, 20);
    assert_eq!(
        screen.matches("! Scaling Sparse Tortoises").count(),
        2,
        "{screen}"
    );
    assert!(
        !screen.contains("Multilingual"),
        "muted papers are hidden: {screen}"
    );
    assert!(screen.contains("4 papers"), "{screen}");
    assert!(screen.contains("! 2 followed · 2 muted"), "{screen}");
}

#[test]
fn the_paper_view_draws_upvotes_over_days_and_what_was_gained_since_yesterday() {
    let mut s = state_with_papers(2);
    let now = chrono::Utc::now().timestamp();
    let mut p = paper(0);
    p.upvotes = 40;
    p.history = vec![
        hfpapers::domain::model::Point {
            t: now - 3 * 86_400,
            upvotes: 4,
            comments: 0,
            stars: None,
        },
        hfpapers::domain::model::Point {
            t: now - 2 * 86_400,
            upvotes: 10,
            comments: 1,
            stars: None,
        },
        hfpapers::domain::model::Point {
            t: now,
            upvotes: 40,
            comments: 1,
            stars: None,
        },
    ];
    update(&mut s, Action::Command(Command::OpenDetail));
    update(&mut s, Action::Done(Outcome::DetailLoaded(Box::new(p))));
    let screen = draw(&mut s, 100, 30);
    assert!(
        screen.contains("Upvotes      ▁▂▂█ +30 since yesterday"),
        "{screen}"
    );
}

/// The paper screen showing the full text of the fixture with every
/// Markdown construct (and hostile control characters).
fn state_with_full_text() -> AppState {
    let mut s = state_with_papers(2);
    update(&mut s, Action::Command(Command::OpenDetail));
    update(
        &mut s,
        Action::Done(Outcome::DetailLoaded(Box::new(paper(0)))),
    );
    let markdown = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fulltext.md"),
    )
    .unwrap();
    update(
        &mut s,
        Action::Done(Outcome::TextLoaded {
            id: paper(0).id,
            markdown: markdown.into(),
        }),
    );
    s
}

#[test]
fn full_text_screen() {
    for (w, h) in [(40, 12), (120, 40)] {
        let mut s = state_with_full_text();
        let screen = draw(&mut s, w, h);
        assert!(
            !screen.chars().any(|c| c.is_control() && c != '\n'),
            "control characters at {w}x{h}: {screen:?}"
        );
        insta::assert_snapshot!(format!("full_text_{w}x{h}"), screen);
    }
}

#[test]
fn the_full_text_has_its_sections_table_and_links_and_search_jumps_between_matches() {
    let mut s = state_with_full_text();
    let top = draw(&mut s, 120, 40);
    for part in [
        "Slow Tortoises: Attention at a Walking Pace",
        "1. a tortoise-scale model",
        "│ Slow and steady wins the race.",
        "Model      │ Params │ Score │ Notes",
        "TortoiseBench[1]",
        "$E = mc^2$",
        "def walk(steps):",
    ] {
        assert!(top.contains(part), "{part:?} in {top}");
    }
    assert!(top.contains("Full text · line 1/"), "{top}");
    // `/` then Enter: the view goes to the first match.
    update(&mut s, Action::Command(Command::OpenFilter));
    for c in "references".chars() {
        update(&mut s, Action::Input(hfpapers::app::InputKey::Char(c)));
    }
    update(&mut s, Action::Input(hfpapers::app::InputKey::Enter));
    let found = draw(&mut s, 120, 20);
    assert!(found.contains("/references 1/1"), "{found}");
    assert!(s.detail.scroll > 0, "scrolled to the match");
    assert!(found.contains("## References") || found.contains("References"));
    // Esc: back to the abstract; F: the full text again.
    update(&mut s, Action::Command(Command::Back));
    assert!(draw(&mut s, 120, 40).contains("Paper · "));
    update(&mut s, Action::Command(Command::ToggleFullText));
    assert!(draw(&mut s, 120, 40).contains("Full text · "));
}

/// The look is a parameter of the frame, not a process global: two looks
/// drawn one after the other in one process each show as themselves.
#[test]
fn render_draws_the_look_it_is_given_a_rebound_key_in_help_and_no_colour_under_no_color() {
    let dir = crate::common::temp_dir();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "[keymap.list]\nZ = \"toggle_star\"\n").unwrap();
    let config = hfpapers::platform::config::load(Some(&path)).unwrap();
    let draw_with = |look: &hfpapers::ui::look::Look| {
        let mut s = state_with_papers(5);
        update(&mut s, Action::Command(Command::ToggleHelp));
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal.draw(|f| drop(ui::render(f, &s, look))).unwrap();
        terminal.backend().buffer().clone()
    };
    let text = |b: &ratatui::buffer::Buffer| {
        b.content()
            .iter()
            .map(ratatui::buffer::Cell::symbol)
            .collect::<String>()
    };
    let coloured = |b: &ratatui::buffer::Buffer| {
        b.content()
            .iter()
            .any(|c| c.fg != ratatui::style::Color::Reset)
    };
    let rebound = draw_with(&hfpapers::ui::look::Look::new(
        config.keymap.clone(),
        &config.theme,
        true,
    ));
    let default = draw_with(&hfpapers::ui::look::Look::default());
    let star_line = |t: &str| {
        let cells: Vec<char> = t.chars().collect();
        cells
            .chunks(120)
            .map(|row| row.iter().collect::<String>())
            .find(|l| l.contains("star / unstar"))
    };
    assert!(
        star_line(&text(&rebound)).is_some_and(|l| l.contains('Z')),
        "the rebound key is in help: {:?}",
        star_line(&text(&rebound))
    );
    assert!(
        star_line(&text(&default)).is_some_and(|l| !l.contains('Z')),
        "the default look, drawn after it, has no Z: {:?}",
        star_line(&text(&default))
    );
    assert!(!coloured(&rebound), "NO_COLOR: no colour in any cell");
    assert!(coloured(&default), "the default theme has colours");
}

/// A week or a month is named as such in the status line, and an empty
/// view says what it is, not that a day has no papers.
#[test]
fn the_status_line_names_a_week_or_a_month_and_an_empty_new_view_says_what_new_is() {
    let mut s = state_with_papers(3);
    s.period = hfpapers::domain::model::Period::Week;
    let screen = draw(&mut s, 120, 40);
    let status = screen.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
    assert!(status.contains("2025-W37"), "{status}");
    s.period = hfpapers::domain::model::Period::Month;
    let screen = draw(&mut s, 120, 40);
    assert!(screen.contains("September 2025"), "{screen}");
    let mut empty = AppState::new(Net::Offline, None, true);
    empty.view = hfpapers::app::ViewKind::New(Some(0));
    empty.view_name = "New".into();
    empty.day = parse_day("2025-09-10");
    let screen = draw(&mut empty, 120, 40);
    assert!(
        screen.contains("New is empty: nothing arrived since you last finished it."),
        "{screen}"
    );
    assert!(!screen.contains("weekends and holidays"), "{screen}");
}

/// A wide terminal does not make lines too long to read: the abstract
/// keeps to `text_width` (100 by default, newsboat's `text-width`).
#[test]
fn the_abstract_keeps_to_text_width_on_a_wide_terminal() {
    let widest = |look: &hfpapers::ui::look::Look| {
        let mut s = state_with_papers(5);
        update(&mut s, Action::Command(Command::OpenDetail));
        update(
            &mut s,
            Action::Done(Outcome::DetailLoaded(Box::new(paper(0)))),
        );
        let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
        terminal.draw(|f| drop(ui::render(f, &s, look))).unwrap();
        let screen = terminal.backend().to_string();
        screen
            .lines()
            .filter(|l| l.contains("slow attention"))
            .map(|l| {
                let inner = l.trim_matches(|c| c == '"' || c == '│').trim_end();
                unicode_width::UnicodeWidthStr::width(inner.trim_end_matches('│').trim_end())
            })
            .max()
            .unwrap_or(0)
    };
    let default = widest(&hfpapers::ui::look::Look::default());
    assert!(default > 80 && default <= 102, "{default}");
    let narrow = widest(&hfpapers::ui::look::Look::default().with_text_width(60));
    assert!(narrow > 40 && narrow <= 62, "{narrow}");
}
