//! The morning loop without friction (#13): the bugs a daily reader met,
//! each reproduced — tag completion, stale sidebar counts, titles lost to
//! tags on narrow terminals, `show` without tags, a last-sync time that
//! stood still, a closed pipe reported as an error, queries that start
//! with a minus, and the help and hints around them.

use crate::common::{self, effects_over};
use hfpapers::app::{Action, AppState, Command, Effect, InputKey, Net, Outcome, update};
use hfpapers::domain::model::{Entry, PaperId, Row, UserState, parse_day};
use hfpapers::domain::parse::parse_daily;
use hfpapers::reader::effects::Hooks;
use hfpapers::source::FetchedDay;
use hfpapers::store::Store;
use std::io::Read;
use std::path::Path;
use std::process::{Command as Process, Output, Stdio};

fn loaded(titles: &[&str], tags: &[&str]) -> AppState {
    let mut s = AppState::new(Net::Online, None, true);
    let entries = titles
        .iter()
        .enumerate()
        .map(|(i, t)| Entry {
            row: Row {
                id: PaperId(format!("2509.{i:05}")),
                day: parse_day("2025-09-10"),
                rank: i as u32 + 1,
                title: (*t).to_string(),
                ..Row::default()
            },
            state: UserState {
                tags: tags.iter().map(|t| (*t).to_string()).collect(),
                ..UserState::default()
            },
        })
        .collect();
    update(
        &mut s,
        Action::Done(Outcome::DayLoaded {
            day: parse_day("2025-09-10").unwrap(),
            entries,
            sample: false,
        }),
    );
    s
}

#[test]
fn tab_completes_a_tag_from_the_tags_in_use_even_before_any_filter_built_the_index() {
    let mut s = loaded(&["A paper"], &[]);
    let effects = update(&mut s, Action::Command(Command::EditTags));
    assert!(
        effects.contains(&Effect::LoadIndex),
        "the tag prompt asks for the tags in use: {effects:?}"
    );
    update(
        &mut s,
        Action::Done(Outcome::IndexReady {
            tags: ["attention", "efficiency", "llm-agents", "rl"]
                .map(String::from)
                .to_vec(),
        }),
    );
    for c in "att".chars() {
        update(&mut s, Action::Input(InputKey::Char(c)));
    }
    update(&mut s, Action::Input(InputKey::Tab));
    let prompt = s.prompt.as_ref().expect("still open");
    assert_eq!(prompt.input, "attention ");
    assert_eq!(prompt.error, None);
}

#[test]
fn a_tag_just_added_completes_next_time() {
    let mut s = loaded(&["A paper"], &[]);
    update(&mut s, Action::Command(Command::EditTags));
    update(
        &mut s,
        Action::Done(Outcome::IndexReady { tags: Vec::new() }),
    );
    for c in "fresh".chars() {
        update(&mut s, Action::Input(InputKey::Char(c)));
    }
    update(&mut s, Action::Input(InputKey::Enter));
    update(&mut s, Action::Command(Command::EditTags));
    for _ in 0.."fresh ".len() {
        update(&mut s, Action::Input(InputKey::Backspace));
    }
    update(&mut s, Action::Input(InputKey::Char('f')));
    update(&mut s, Action::Input(InputKey::Tab));
    assert_eq!(s.prompt.as_ref().unwrap().input, "fresh ");
}

#[test]
fn the_sidebar_counts_again_after_a_change_while_it_is_open() {
    let mut s = loaded(&["A paper", "Another"], &[]);
    update(&mut s, Action::Command(Command::ToggleSidebar));
    assert!(s.sidebar.is_some());
    let effects = update(&mut s, Action::Command(Command::ToggleRead));
    let save = effects
        .iter()
        .position(|e| matches!(e, Effect::SaveStates { .. }));
    let count = effects.iter().position(|e| *e == Effect::CountViews);
    assert!(
        matches!((save, count), (Some(a), Some(b)) if a < b),
        "saved, then counted: {effects:?}"
    );
}

#[test]
fn on_a_narrow_terminal_tags_give_way_to_the_title() {
    use ratatui::{Terminal, backend::TestBackend};
    let mut s = loaded(
        &["Attention Is All You Need Again"],
        &["attention", "efficiency"],
    );
    let mut terminal = Terminal::new(TestBackend::new(40, 12)).unwrap();
    for _ in 0..2 {
        let mut viewport = None;
        terminal
            .draw(|f| {
                viewport = Some(hfpapers::ui::render(
                    f,
                    &s,
                    &hfpapers::ui::look::Look::default(),
                ));
            })
            .unwrap();
        update(&mut s, viewport.unwrap());
    }
    let screen = terminal.backend().to_string();
    let row = screen
        .lines()
        .find(|l| l.contains(" 1 "))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("Attention Is"), "the title shows: {row}");
    // Wide enough, both show.
    let mut terminal = Terminal::new(TestBackend::new(120, 12)).unwrap();
    terminal
        .draw(|f| {
            hfpapers::ui::render(f, &s, &hfpapers::ui::look::Look::default());
        })
        .unwrap();
    let screen = terminal.backend().to_string();
    assert!(
        screen.contains("Attention Is All You Need Again [attention efficiency]"),
        "{screen}"
    );
}

// The command line.

fn seeded(data: &Path, n: usize) -> Store {
    let store = Store::open(&data.join("store")).unwrap();
    let items = common::items("2509", n, "2025-09-10");
    let mut body: serde_json::Value = serde_json::to_value(&items).unwrap();
    body[0]["submittedBy"] = serde_json::json!({"fullname": "Ada Lovelace", "name": "ada"});
    let parsed = parse_daily(&serde_json::to_vec(&body).unwrap()).unwrap();
    store
        .save_day(&FetchedDay::new(
            parse_day("2025-09-10").unwrap(),
            parsed.papers,
        ))
        .unwrap();
    store
}

fn run(data: &Path, args: &[&str]) -> Output {
    Process::new(env!("CARGO_BIN_EXE_hfpapers"))
        .args(args)
        .env("HFPAPERS_DATA_DIR", data)
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .output()
        .unwrap()
}

fn said(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn show_prints_the_tags_and_who_submitted_the_paper() {
    let data = common::temp_dir();
    drop(seeded(data.path(), 3));
    let top = "2509.00000";
    assert!(
        run(data.path(), &["mark", top, "--tag", "rl"])
            .status
            .success()
    );
    let out = run(data.path(), &["show", top]);
    let text = said(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("tags:      rl"), "{text}");
    assert!(text.contains("submitted: Ada Lovelace"), "{text}");
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_with_status_0() {
    let data = common::temp_dir();
    drop(seeded(data.path(), 2000));
    let mut child = Process::new(env!("CARGO_BIN_EXE_hfpapers"))
        .args(["list", "--json"])
        .env("HFPAPERS_DATA_DIR", data.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 400];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut head)
        .unwrap();
    drop(child.stdout.take()); // `| head -c 400`
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", said(&out));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "nothing said");
}

#[test]
fn a_query_may_start_with_a_minus() {
    let data = common::temp_dir();
    drop(seeded(data.path(), 3));
    assert!(
        run(data.path(), &["mark", "2509.00001", "--read"])
            .status
            .success()
    );
    for args in [
        &["list", "-is:read date:2025-09-10"][..],
        &["export", "-is:read", "--format", "csv"],
    ] {
        let out = run(data.path(), args);
        assert!(out.status.success(), "{args:?}: {}", said(&out));
        assert!(!said(&out).contains("2509.00001"), "{}", said(&out));
        assert!(said(&out).contains("2509.00002"), "{}", said(&out));
    }
}

#[test]
fn help_names_exit_code_3_and_every_mark_flag_and_an_empty_store_says_how_to_sync() {
    let data = common::temp_dir();
    let help = said(&run(data.path(), &["--help"]));
    assert!(
        help.contains("3 a sync where some requests failed"),
        "{help}"
    );
    let mark = said(&run(data.path(), &["mark", "--help"]));
    for flag in ["--read", "--unread", "--star", "--unstar"] {
        let line = mark
            .lines()
            .find(|l| l.trim_start().starts_with(flag))
            .unwrap_or_else(|| panic!("{mark}"));
        assert!(
            line.trim().len() > flag.len() + 3,
            "{flag} has a help text: {line:?}"
        );
    }
    let out = run(data.path(), &["list"]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("hfpapers sync"),
        "{}",
        said(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_sync_time_moves_when_a_sync_finds_nothing_new() {
    use wiremock::matchers::{header, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    // The latest list, then "not modified" for the same ETag: nothing new.
    Mock::given(path("/api/daily_papers"))
        .and(header("If-None-Match", "\"v1\""))
        .respond_with(ResponseTemplate::new(304))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("ETag", "\"v1\"")
                .set_body_json(common::items("2509", 3, "2025-09-10")),
        )
        .with_priority(5)
        .mount(&server)
        .await;
    let data = common::temp_dir();
    let store = Store::open(&data.path().join("store")).unwrap();
    let client =
        hfpapers::source::Client::with_config(&server.uri(), None, common::fast()).unwrap();
    let sync = || {
        hfpapers::source::sync::run(
            &client,
            &store,
            hfpapers::source::sync::Range::CatchUp,
            2,
            &|_| {},
            &|_| {},
        )
    };
    sync().await.unwrap();
    let first = store.last_sync().unwrap().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let report = sync().await.unwrap();
    assert_eq!(report.new_papers(), 0, "nothing new the second time");
    let second = store.last_sync().unwrap().unwrap();
    assert!(second > first, "{first} then {second}");
}

#[test]
fn escape_goes_back_one_step_a_kept_filter_first_then_a_view_to_the_day() {
    let mut s = loaded(&["A paper", "Another"], &[]);
    // A kept filter: Esc clears it and the list is computed again.
    s.filter = hfpapers::domain::query::Filter::parse("another").unwrap();
    let effects = update(&mut s, Action::Command(Command::Back));
    assert!(s.filter.is_empty());
    assert!(
        matches!(effects.as_slice(), [Effect::RunView(_)]),
        "{effects:?}"
    );
    // A view: Esc goes back to the day it was opened from.
    update(
        &mut s,
        Action::Done(Outcome::IndexReady { tags: Vec::new() }),
    );
    s.view = hfpapers::app::ViewKind::Query("is:unread".into());
    let effects = update(&mut s, Action::Command(Command::Back));
    assert!(
        effects.contains(&Effect::LoadDay(parse_day("2025-09-10").unwrap())),
        "{effects:?}"
    );
}

#[test]
fn an_online_search_that_cannot_reach_the_service_offers_the_same_words_locally() {
    let mut s = loaded(&["A paper"], &[]);
    update(&mut s, Action::Command(Command::FindOnline));
    for c in "state space".chars() {
        update(&mut s, Action::Input(InputKey::Char(c)));
    }
    let effects = update(&mut s, Action::Input(InputKey::Enter));
    assert_eq!(effects, [Effect::Search("state space".into())]);
    let effects = update(
        &mut s,
        Action::Done(Outcome::SearchFailed {
            text: "state space".into(),
            error: "cannot reach http://127.0.0.1:9/api/papers/search".into(),
            offline: true,
        }),
    );
    assert_eq!(s.view, hfpapers::app::ViewKind::Query("state space".into()));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::RunView(_))),
        "{effects:?}"
    );
    let message = s.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("offline") && message.contains("Esc goes back"),
        "{message}"
    );
    assert_eq!(s.sync.net, Net::Offline);
}

#[test]
fn a_day_not_fetched_yet_is_fetched_from_the_calendar_and_said_so_offline() {
    use hfpapers::app::{DayCell, calendar_for};
    let day = parse_day("2025-09-03").unwrap();
    let calendar = || {
        Action::Done(Outcome::CalendarLoaded(calendar_for(
            day,
            [(day, DayCell::NotFetched)].into(),
        )))
    };
    let mut s = loaded(&["A paper"], &[]);
    update(&mut s, calendar());
    let effects = update(&mut s, Action::Command(Command::OpenDetail));
    assert_eq!(effects, [Effect::FetchDay(day)]);
    assert_eq!(s.day, Some(day));
    assert!(
        s.message
            .as_deref()
            .unwrap_or("")
            .contains("fetching 2025-09-03")
    );
    // Offline: nothing is asked for, and the status line says why.
    let mut s = loaded(&["A paper"], &[]);
    s.sync.net = Net::Offline;
    update(&mut s, calendar());
    assert!(update(&mut s, Action::Command(Command::OpenDetail)).is_empty());
    assert!(
        s.message
            .as_deref()
            .unwrap_or("")
            .contains("not fetched yet"),
        "{:?}",
        s.message
    );
}

#[test]
fn stepping_back_past_the_oldest_stored_day_fetches_the_weekday_before() {
    let mut s = loaded(&["A paper"], &[]);
    // 2025-09-10 is a Wednesday; from a Monday the step skips the weekend.
    let effects = update(
        &mut s,
        Action::Done(Outcome::NoDayThatWay(hfpapers::store::Direction::Back)),
    );
    assert_eq!(
        effects,
        [Effect::FetchDay(parse_day("2025-09-09").unwrap())]
    );
    s.day = parse_day("2025-09-08");
    let effects = update(
        &mut s,
        Action::Done(Outcome::NoDayThatWay(hfpapers::store::Direction::Back)),
    );
    assert_eq!(
        effects,
        [Effect::FetchDay(parse_day("2025-09-05").unwrap())]
    );
}

/// The paper the reader asked for arrives from the store.
fn detail_arrives(s: &mut AppState, id: &str) {
    let paper = hfpapers::domain::model::Paper {
        id: PaperId(id.into()),
        ..Default::default()
    };
    update(s, Action::Done(Outcome::DetailLoaded(Box::new(paper))));
}

#[test]
fn paper_to_paper_in_one_key_next_previous_and_next_unread() {
    let mut s = loaded(&["P0", "P1", "P2", "P3"], &[]);
    // Open the first paper, then n opens the next one (marking it read).
    update(&mut s, Action::Command(Command::OpenDetail));
    detail_arrives(&mut s, "2509.00000");
    assert_eq!(s.screen, hfpapers::app::Screen::Detail);
    let effects = update(&mut s, Action::Command(Command::NextPaper));
    assert_eq!(s.list.selected, 1);
    assert!(
        effects.contains(&Effect::LoadDetail(PaperId("2509.00001".into()))),
        "{effects:?}"
    );
    assert!(
        s.list.entries.get(1).unwrap().state.read,
        "opening marks it read"
    );
    detail_arrives(&mut s, "2509.00001");
    // p goes back; N skips what is read (0 and 1 now) to the next unread.
    update(&mut s, Action::Command(Command::PrevPaper));
    assert_eq!(s.list.selected, 0);
    detail_arrives(&mut s, "2509.00000");
    update(&mut s, Action::Command(Command::NextUnread));
    assert_eq!(s.list.selected, 2);
    // In the list, J moves to the next unread without opening it.
    update(&mut s, Action::Command(Command::Back));
    let effects = update(&mut s, Action::Command(Command::NextUnread));
    assert_eq!(s.list.selected, 3);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(!s.list.entries.get(3).unwrap().state.read);
    // At the end, the status line says how to go on.
    update(&mut s, Action::Command(Command::NextUnread));
    assert!(
        s.message
            .as_deref()
            .unwrap_or("")
            .contains("no further paper")
    );
}

#[test]
fn the_default_keys_for_paper_to_paper_are_n_p_n_and_j_k() {
    use hfpapers::app::keys::{Code, Key, Lookup, Mode};
    let keymap = hfpapers::platform::config::Config::default().keymap;
    let key = |c| [Key::plain(Code::Char(c))];
    assert_eq!(
        keymap.lookup(Mode::Detail, &key('n')),
        Lookup::Command(Command::NextPaper)
    );
    assert_eq!(
        keymap.lookup(Mode::Detail, &key('p')),
        Lookup::Command(Command::PrevPaper)
    );
    assert_eq!(
        keymap.lookup(Mode::Detail, &key('N')),
        Lookup::Command(Command::NextUnread)
    );
    assert_eq!(
        keymap.lookup(Mode::List, &key('J')),
        Lookup::Command(Command::NextUnread)
    );
    assert_eq!(
        keymap.lookup(Mode::List, &key('K')),
        Lookup::Command(Command::PrevUnread)
    );
}

#[test]
fn counts_read_as_english_one_paper_two_papers() {
    use hfpapers::domain::text::count;
    assert_eq!(count(1u64, "paper"), "1 paper");
    assert_eq!(count(0u64, "day"), "0 days");
    assert_eq!(count(2u64, "dataset"), "2 datasets");
    let mut s = loaded(&["A paper"], &[]);
    update(
        &mut s,
        Action::Done(Outcome::SyncFinished(hfpapers::app::SyncSummary {
            days: 1,
            new: 1,
            cached_days: 1,
            ..Default::default()
        })),
    );
    assert_eq!(s.message.as_deref(), Some("synced 1 day: 1 new paper"));
}

#[test]
fn opening_a_paper_in_the_browser_marks_it_read_unless_the_config_says_not() {
    let mut s = loaded(&["A paper", "Another"], &[]);
    let effects = update(&mut s, Action::Command(Command::OpenInBrowser));
    assert!(
        matches!(effects.first(), Some(Effect::OpenUrl(_))),
        "{effects:?}"
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::SaveStates { .. })),
        "{effects:?}"
    );
    assert!(s.list.entries.get(0).unwrap().state.read);
    let mut s = loaded(&["A paper"], &[]);
    s.mark_read_on_open = false;
    let effects = update(&mut s, Action::Command(Command::OpenInBrowser));
    assert_eq!(effects.len(), 1, "{effects:?}");
    assert!(!s.list.entries.get(0).unwrap().state.read);
    let config = hfpapers::platform::config::from_text(
        "mark_read_on_open = false\n",
        Path::new("test.toml"),
    )
    .unwrap();
    assert!(!config.mark_read_on_open);
}

#[test]
fn the_new_view_gathers_papers_since_the_previous_session_across_days_unread_first() {
    use hfpapers::app::{ViewKind, ViewSpec};
    use hfpapers::domain::query::SortKey;
    use hfpapers::search::index::Index;
    let data = common::temp_dir();
    let store = Store::open(&data.path().join("store")).unwrap();
    let save = |prefix: &str, day: &str| save_three(&store, prefix, day);
    save("2509", "2025-09-09");
    // The previous session started here; the trip's days arrive after it.
    let since = chrono::Utc::now().timestamp();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    save("2510", "2025-10-01");
    save("2511", "2025-11-03");
    store
        .set_states(&[(
            PaperId("2511.00000".into()),
            UserState {
                read: true,
                ..UserState::default()
            },
        )])
        .unwrap();
    let index = Index::load(&store).unwrap();
    let today = parse_day("2025-11-04").unwrap();
    let spec = ViewSpec {
        kind: ViewKind::New(Some(since)),
        filter: hfpapers::domain::query::Filter::default(),
        sort: SortKey::Date,
        sample: false,
        period: hfpapers::domain::model::Period::Day,
    };
    let Ok(hfpapers::domain::view::Shown { entries, .. }) = hfpapers::search::views::run_view(
        &store,
        Some(&index),
        &[],
        &spec,
        today,
        &hfpapers::search::views::held(&index),
        &hfpapers::domain::interests::Interests::default(),
    ) else {
        panic!("no results");
    };
    let all = entries.all();
    let ids: Vec<&str> = all.iter().map(|e| e.row.id.as_str()).collect();
    assert_eq!(
        ids.len(),
        6,
        "both days of the trip, nothing older: {ids:?}"
    );
    assert!(ids.iter().all(|id| !id.starts_with("2509")), "{ids:?}");
    assert_eq!(ids.last(), Some(&"2511.00000"), "read last: {ids:?}");
    assert!(
        ids[0].starts_with("2511"),
        "newest day first among unread: {ids:?}"
    );
    let items = hfpapers::search::views::count_views(
        &store,
        Some(&index),
        &[],
        (Some(since), today),
        &hfpapers::domain::interests::Interests::default(),
    );
    let new = items.iter().find(|i| i.name == "New").expect("a New view");
    assert_eq!((new.total, new.unread), (6, 5));
}

#[tokio::test(flavor = "multi_thread")]
async fn notify_command_runs_when_a_sync_brings_a_new_digest_and_not_when_nothing_is_new() {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(common::items(
            "2509",
            3,
            "2025-09-10",
        )))
        .mount(&server)
        .await;
    let data = common::temp_dir();
    let out = data.path().join("notified");
    let config = data.path().join("config.toml");
    // The test's own program is a shell; hfpapers starts the argv as given.
    std::fs::write(
        &config,
        format!(
            "notify_command = [\"sh\", \"-c\", \"echo \\\"$0 $1\\\" > {}\", \"{{date}}\", \"{{count}}\"]\n",
            out.display()
        ),
    )
    .unwrap();
    let sync = |uri: String, dir: std::path::PathBuf, config: std::path::PathBuf| {
        tokio::task::spawn_blocking(move || {
            Process::new(env!("CARGO_BIN_EXE_hfpapers"))
                .args(["--config", config.to_str().unwrap(), "sync"])
                .env("HF_ENDPOINT", uri)
                .env("HFPAPERS_DATA_DIR", dir)
                .output()
                .unwrap()
        })
    };
    let first = sync(server.uri(), data.path().to_path_buf(), config.clone())
        .await
        .unwrap();
    assert!(first.status.success(), "{}", said(&first));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "2025-09-10 3\n");
    std::fs::remove_file(&out).unwrap();
    let again = sync(server.uri(), data.path().to_path_buf(), config)
        .await
        .unwrap();
    assert!(again.status.success(), "{}", said(&again));
    assert!(!out.exists(), "nothing new: no notification");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pipe_key_sends_the_paper_to_the_configured_program() {
    let data = common::temp_dir();
    let store = seeded(data.path(), 2);
    let out = data.path().join("piped.json");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let io = effects_over(store, None, tx, None, pipe_to(&out, "json"));
    let mut s = loaded(&["P0", "P1"], &[]);
    let effects = update(&mut s, Action::Command(Command::Pipe));
    assert_eq!(effects, [Effect::Pipe(PaperId("2509.00000".into()))]);
    assert_eq!(io.run(effects[0].clone()), None, "it runs off the UI task");
    let said = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        said,
        Action::Done(Outcome::Notice("piped 2509.00000 to sh".into()))
    );
    let piped: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(piped["id"], "2509.00000");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pipe_sends_bibtex_with_the_year_the_row_and_the_export_give() {
    let data = common::temp_dir();
    let store = seeded(data.path(), 2);
    let out = data.path().join("piped.bib");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let io = effects_over(store.clone(), None, tx, None, pipe_to(&out, "bibtex"));
    assert_eq!(io.run(Effect::Pipe(PaperId("2509.00000".into()))), None);
    tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
        .await
        .unwrap()
        .unwrap();
    let piped = std::fs::read_to_string(&out).unwrap();
    let row = store.row(&PaperId("2509.00000".into())).unwrap().unwrap();
    assert_eq!(
        piped,
        hfpapers::domain::export::bibtex(&row),
        "the same entry as `y` and export"
    );
    assert!(piped.contains("year = {2025}"), "{piped}");
}

#[test]
fn weeks_and_months_read_as_one_list_from_the_query_language_and_the_cli() {
    let q = hfpapers::domain::query::parse("date:2026-W23").unwrap();
    assert_eq!(q.to_string(), "date:2026-W23", "prints back as written");
    let Some(hfpapers::domain::query::Expr::Term(hfpapers::domain::query::Term::Date(
        hfpapers::domain::query::DateSpec::Range { from, to, .. },
    ))) = q.expr
    else {
        panic!("{q:?}");
    };
    assert_eq!(
        (from, to),
        (
            parse_day("2026-06-01").unwrap(),
            parse_day("2026-06-07").unwrap()
        )
    );
    let data = common::temp_dir();
    drop(seeded(data.path(), 3));
    // 2025-09-10 is in ISO week 37 of 2025, and in September.
    for (args, n) in [
        (&["list", "--week", "2025-W37"][..], 3),
        (&["list", "--week", "2025-W36"], 0),
        (&["list", "--month", "2025-09"], 3),
        (&["list", "date:2025-W37 -is:read"], 3),
    ] {
        let out = run(data.path(), args);
        assert!(out.status.success(), "{args:?}: {}", said(&out));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).lines().count(),
            n,
            "{args:?}"
        );
    }
    for bad in [
        &["sync", "--week", "2026-23"][..],
        &["list", "--month", "June"],
    ] {
        let out = run(data.path(), bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", said(&out));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_of_a_week_asks_the_service_for_that_week() {
    use wiremock::matchers::{path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .and(query_param("week", "2025-W40"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                [
                    common::items("2510", 2, "2025-09-29"),
                    common::items("2511", 2, "2025-10-01"),
                ]
                .concat(),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(common::items(
            "2512",
            1,
            "2025-11-03",
        )))
        .with_priority(10)
        .mount(&server)
        .await;
    let data = common::temp_dir();
    let (uri, dir) = (server.uri(), data.path().to_path_buf());
    let out = tokio::task::spawn_blocking(move || {
        Process::new(env!("CARGO_BIN_EXE_hfpapers"))
            .args(["sync", "--week", "2025-W40"])
            .env("HF_ENDPOINT", uri)
            .env("HFPAPERS_DATA_DIR", dir)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", said(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("2025-09-29\t2 papers"), "{text}");
    assert!(text.contains("2025-10-01\t2 papers"), "{text}");
}

#[test]
fn the_manual_has_a_page_for_every_subcommand_it_names_and_the_keys_and_query_language() {
    let data = common::temp_dir();
    let main = String::from_utf8(run(data.path(), &["man"]).stdout).unwrap();
    assert!(
        main.contains("star / unstar") && main.contains("Query language"),
        "{main}"
    );
    let dir = data.path().join("man1");
    let out = run(data.path(), &["man", "--dir", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", said(&out));
    let named: Vec<String> = main
        .split("hfpapers\\-")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once("(1)")
                .map(|(name, _)| name.replace("\\-", "-"))
        })
        .collect();
    assert!(named.len() >= 10, "{named:?}");
    for name in named {
        assert!(
            dir.join(format!("hfpapers-{name}.1")).exists(),
            "hfpapers-{name}(1) is named and written"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn list_trending_asks_for_the_rolling_trending_list_online() {
    use wiremock::matchers::{path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .and(query_param("sort", "trending"))
        .respond_with(ResponseTemplate::new(200).set_body_json(common::items(
            "2511",
            4,
            "2025-11-03",
        )))
        .mount(&server)
        .await;
    let data = common::temp_dir();
    let (uri, dir) = (server.uri(), data.path().to_path_buf());
    let out = tokio::task::spawn_blocking(move || {
        Process::new(env!("CARGO_BIN_EXE_hfpapers"))
            .args(["list", "--trending"])
            .env("HF_ENDPOINT", uri)
            .env("HFPAPERS_DATA_DIR", dir)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", said(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.starts_with("2511.00000"), "{text}");
}

#[test]
fn the_sidebar_offers_trending_online_and_opening_it_fetches_the_list() {
    use hfpapers::app::{ViewItem, ViewKind};
    let mut s = loaded(&["A paper"], &[]);
    update(&mut s, Action::Command(Command::ToggleSidebar));
    update(
        &mut s,
        Action::Done(Outcome::ViewsCounted(vec![ViewItem {
            name: "Latest day".into(),
            kind: ViewKind::Day(None),
            total: 1,
            unread: 1,
        }])),
    );
    let items = &s.sidebar.as_ref().unwrap().items;
    assert_eq!(items[1].kind, ViewKind::Trending, "{items:?}");
    update(&mut s, Action::Command(Command::MoveDown));
    let effects = update(&mut s, Action::Command(Command::OpenDetail));
    assert_eq!(effects, [Effect::FetchTrending]);
    assert_eq!(s.view, ViewKind::Trending);
    let effects = update(&mut s, Action::Done(Outcome::TrendingDone { found: 12 }));
    assert!(
        matches!(effects.as_slice(), [Effect::RunView(_)]),
        "{effects:?}"
    );
    assert!(
        s.message
            .as_deref()
            .unwrap_or("")
            .starts_with("12 papers trending")
    );
    // Offline for good (--offline), it is not offered.
    let mut s = loaded(&["A paper"], &[]);
    s.sync.net = Net::Disabled;
    update(&mut s, Action::Command(Command::ToggleSidebar));
    update(&mut s, Action::Done(Outcome::ViewsCounted(Vec::new())));
    assert!(s.sidebar.as_ref().unwrap().items.is_empty());
}

#[test]
fn a_week_and_a_month_read_as_one_list_and_brackets_move_by_the_period() {
    use hfpapers::domain::model::Period;
    let mut s = loaded(&["A paper"], &[]);
    // 2025-09-10 is the Wednesday of ISO week 37 (8-14 Sep 2025).
    let effects = update(&mut s, Action::Command(Command::CyclePeriod));
    assert_eq!(s.period, Period::Week);
    let day = parse_day("2025-09-10").unwrap();
    assert_eq!(
        effects,
        [
            Effect::LoadPeriod {
                around: day,
                period: Period::Week
            },
            Effect::FetchSpan {
                from: parse_day("2025-09-08").unwrap(),
                to: parse_day("2025-09-14").unwrap()
            }
        ]
    );
    assert_eq!(Period::Week.title(day), "Week 37 · 8-14 Sep 2025");
    // ] moves to the next week.
    let effects = update(&mut s, Action::Command(Command::NextDay));
    let next = parse_day("2025-09-17").unwrap();
    assert_eq!(
        effects[0],
        Effect::LoadPeriod {
            around: next,
            period: Period::Week
        }
    );
    assert_eq!(s.day, Some(next));
    // p again: the month; and once more, back to the day.
    let effects = update(&mut s, Action::Command(Command::CyclePeriod));
    assert_eq!(
        effects[0],
        Effect::LoadPeriod {
            around: next,
            period: Period::Month
        }
    );
    assert_eq!(Period::Month.title(next), "September 2025");
    assert_eq!(
        Period::Month.span(next),
        (
            parse_day("2025-09-01").unwrap(),
            parse_day("2025-09-30").unwrap()
        )
    );
    let effects = update(&mut s, Action::Command(Command::CyclePeriod));
    assert_eq!(effects, [Effect::LoadDay(next)]);
    // Offline, nothing is fetched, only read.
    let mut s = loaded(&["A paper"], &[]);
    s.sync.net = Net::Offline;
    let effects = update(&mut s, Action::Command(Command::CyclePeriod));
    assert_eq!(
        effects,
        [Effect::LoadPeriod {
            around: day,
            period: Period::Week
        }]
    );
}

#[test]
fn the_days_of_a_week_load_as_one_list_newest_day_first() {
    let data = common::temp_dir();
    let store = Store::open(&data.path().join("store")).unwrap();
    for (prefix, day) in [
        ("2509", "2025-09-08"),
        ("2510", "2025-09-10"),
        ("2511", "2025-09-15"),
    ] {
        let body = serde_json::to_vec(&common::items(prefix, 2, day)).unwrap();
        store
            .save_day(&FetchedDay::new(
                parse_day(day).unwrap(),
                parse_daily(&body).unwrap().papers,
            ))
            .unwrap();
    }
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let io = effects_over(store, None, tx, None, Hooks::default());
    let Some(Action::Done(Outcome::DayLoaded { entries, .. })) = io.run(Effect::LoadPeriod {
        around: parse_day("2025-09-10").unwrap(),
        period: hfpapers::domain::model::Period::Week,
    }) else {
        panic!("no list");
    };
    let ids: Vec<&str> = entries.iter().map(|e| e.row.id.as_str()).collect();
    assert_eq!(
        ids,
        ["2510.00000", "2510.00001", "2509.00000", "2509.00001"]
    );
}

#[test]
fn next_unread_goes_on_to_the_day_before_when_a_day_is_read() {
    let mut s = loaded(&["P0", "P1"], &[]);
    update(&mut s, Action::Command(Command::ToggleRead));
    update(&mut s, Action::Command(Command::MoveDown));
    update(&mut s, Action::Command(Command::ToggleRead));
    let effects = update(&mut s, Action::Command(Command::NextUnread));
    assert_eq!(
        effects,
        [Effect::StepDay {
            from: parse_day("2025-09-10").unwrap(),
            dir: hfpapers::store::Direction::Back
        }]
    );
    let before = |read: &[bool]| -> Vec<Entry> {
        read.iter()
            .enumerate()
            .map(|(i, r)| Entry {
                row: Row {
                    id: PaperId(format!("2509.9000{i}")),
                    day: parse_day("2025-09-09"),
                    rank: i as u32 + 1,
                    ..Row::default()
                },
                state: UserState {
                    read: *r,
                    ..UserState::default()
                },
            })
            .collect()
    };
    update(
        &mut s,
        Action::Done(Outcome::DayLoaded {
            day: parse_day("2025-09-09").unwrap(),
            entries: before(&[true, false, false]),
            sample: false,
        }),
    );
    assert_eq!(
        s.list.selected, 1,
        "the first unread paper of the day before"
    );
    assert_eq!(s.day, parse_day("2025-09-09"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_search_result_opened_is_kept_and_its_read_state_reaches_the_change_log() {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(path("/api/papers/search"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!([common::item(
                "2006.11239",
                "Denoising Diffusion Probabilistic Models",
                99,
                "2020-06-19"
            ),])),
        )
        .mount(&server)
        .await;
    let data = common::temp_dir();
    let store = seeded(data.path(), 1);
    let log =
        std::sync::Arc::new(hfpapers::store::changelog::ChangeLog::open(data.path()).unwrap());
    let client =
        hfpapers::source::Client::with_config(&server.uri(), None, common::fast()).unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let io = effects_over(store.clone(), Some(client), tx, Some(log), Hooks::default());
    let mut s = loaded(&["P0"], &[]);
    // `F diffusion Enter`, as typed.
    update(&mut s, Action::Command(Command::FindOnline));
    for c in "diffusion".chars() {
        update(&mut s, Action::Input(InputKey::Char(c)));
    }
    let asked = update(&mut s, Action::Input(InputKey::Enter));
    assert_eq!(asked, [Effect::Search("diffusion".into())]);
    assert_eq!(io.run(asked[0].clone()), None);
    let found = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
        .await
        .unwrap()
        .unwrap();
    // The app shows the results, then Enter opens the first: the effects
    // it asks for run as the runtime would run them.
    let mut pending = update(&mut s, found);
    let mut opened = false;
    for _ in 0..20 {
        if pending.is_empty() {
            if opened {
                break;
            }
            opened = true;
            assert_eq!(
                s.selected_entry().map(|e| e.row.id.0.clone()).as_deref(),
                Some("2006.11239")
            );
            pending = update(&mut s, Action::Command(Command::OpenDetail));
            continue;
        }
        let effect = pending.remove(0);
        if let Some(answer) = io.run(effect) {
            pending.extend(update(&mut s, answer));
        }
    }
    assert!(opened);
    assert!(
        s.detail
            .paper
            .as_ref()
            .is_some_and(|p| p.id.as_str() == "2006.11239"),
        "opened, not 'not in the store': {:?}",
        s.message
    );
    let id = PaperId("2006.11239".into());
    assert!(store.row(&id).unwrap().is_some(), "kept in the store");
    assert!(store.state(&id).unwrap().read, "its read state is saved");
    let log = std::fs::read_to_string(data.path().join("changes.jsonl")).unwrap();
    assert!(
        log.contains("2006.11239") && log.contains("\"op\":\"read\""),
        "{log}"
    );
}

/// A pipe hook that writes what it reads into `out`.
fn pipe_to(out: &std::path::Path, format: &str) -> Hooks {
    Hooks {
        notify: Vec::new(),
        pipe: vec!["sh".into(), "-c".into(), format!("cat > {}", out.display())],
        pipe_format: format.into(),
    }
}

#[test]
fn less_like_this_moves_on_to_the_next_unread_paper_and_undo_says_what_it_took_back() {
    let mut s = loaded(&["P0", "P1 read already", "P2"], &[]);
    // P1 is read: triage skips it.
    s.list.entries.set_states(&[(
        PaperId("2509.00001".into()),
        UserState {
            read: true,
            ..UserState::default()
        },
    )]);
    let effects = update(&mut s, Action::Command(Command::LessLikeThis));
    assert!(
        matches!(&effects[..], [Effect::SaveStates { .. }]),
        "{effects:?}"
    );
    assert_eq!(s.list.selected, 2, "on to the next unread paper, P2");
    assert!(
        s.message
            .as_deref()
            .is_some_and(|m| m.starts_with("less like this")),
        "{:?}",
        s.message
    );
    let tagged = s.list.entries.get(0).unwrap();
    assert!(tagged.state.tags.iter().any(|t| t == "not-for-me"));
    // Undo names what it undid, and on which paper.
    s.undo.loaded = true;
    update(&mut s, Action::Command(Command::Undo));
    assert_eq!(s.message.as_deref(), Some("undone: not-for-me on \"P0\""));
    // With `less_moves_on = false` the cursor stays.
    let mut s = loaded(&["P0", "P1"], &[]);
    s.less_moves_on = false;
    update(&mut s, Action::Command(Command::LessLikeThis));
    assert_eq!(s.list.selected, 0);
    // Any change is named: a star.
    update(&mut s, Action::Command(Command::ToggleStar));
    s.undo.loaded = true;
    update(&mut s, Action::Command(Command::Undo));
    assert_eq!(s.message.as_deref(), Some("undone: star on \"P0\""));
}

#[tokio::test(flavor = "multi_thread")]
async fn new_holds_what_arrived_since_it_was_last_finished_across_restarts() {
    use hfpapers::app::ViewSpec;
    let data = common::temp_dir();
    let store = Store::open(&data.path().join("store")).unwrap();
    let save = |prefix: &str, day: &str| save_three(&store, prefix, day);
    save("2509", "2025-09-09");
    let since = chrono::Utc::now().timestamp();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    save("2510", "2025-10-01");
    // The reader as the runtime sets it up: New since the previous session.
    let start = |since: Option<i64>| {
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let dir = hfpapers::library::DataDir::new(data.path());
        let lib = hfpapers::library::Library::new(store.clone(), dir, None);
        let setup = hfpapers::reader::effects::Setup {
            since,
            ..Default::default()
        };
        let io = hfpapers::reader::effects::Effects::new(lib, tx, setup);
        io.load_index_now().unwrap();
        io
    };
    let new_of = |io: &hfpapers::reader::effects::Effects| {
        let Some(Action::Done(Outcome::ViewsCounted(items))) = io.run(Effect::CountViews) else {
            panic!("no counts")
        };
        let new = items.into_iter().find(|i| i.name == "New").unwrap();
        (new.total, new.kind)
    };
    let io = start(Some(since));
    let (total, kind) = new_of(&io);
    assert_eq!(total, 3, "the trip's day");
    // Open New, read it all with R y: New is finished.
    let mut s = AppState::new(Net::Offline, None, true);
    s.index.ready = true;
    s.last_visit = Some(since);
    s.view = kind.clone();
    let spec = ViewSpec { kind, ..s.spec() };
    let shown = io.run(Effect::RunView(spec)).unwrap();
    update(&mut s, shown);
    assert_eq!(s.list.entries.len(), 3);
    update(&mut s, Action::Command(Command::MarkAllRead));
    let effects = update(&mut s, Action::Input(InputKey::Char('y')));
    let finished = effects.iter().find_map(|e| match e {
        Effect::FinishNew(at) => Some(*at),
        _ => None,
    });
    let at = finished.expect("finishing New is kept");
    assert!(at > since, "up to the newest paper it held");
    assert!(
        s.message
            .as_deref()
            .is_some_and(|m| m.contains("caught up"))
    );
    for e in effects {
        io.run(e);
    }
    assert_eq!(new_of(&io).0, 0, "New is empty at once");
    // A restart, as the runtime does it: from the store, not the session.
    let io = start(store.new_since().unwrap());
    assert_eq!(new_of(&io).0, 0, "and stays empty across a restart");
    // What arrives later is new.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    save("2511", "2025-11-03");
    let io = start(store.new_since().unwrap());
    assert_eq!(new_of(&io).0, 3, "the next day's papers are new");
}

#[tokio::test(flavor = "multi_thread")]
async fn f_offline_says_at_once_that_the_text_is_not_kept_and_asks_nothing_of_the_network() {
    let data = common::temp_dir();
    let store = Store::open(&data.path().join("store")).unwrap();
    let body = serde_json::to_vec(&common::items("2509", 1, "2025-09-10")).unwrap();
    store
        .save_day(&FetchedDay::new(
            parse_day("2025-09-10").unwrap(),
            parse_daily(&body).unwrap().papers,
        ))
        .unwrap();
    // A server that would answer, slowly: it must not be asked.
    let server = wiremock::MockServer::start().await;
    let client =
        hfpapers::source::Client::with_config(&server.uri(), None, common::fast()).unwrap();
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let io = effects_over(store, Some(client), tx, None, Hooks::default());
    // The app after a failed sync: offline.
    let mut s = loaded(&["P0"], &[]);
    s.sync.net = Net::Offline;
    // On the paper's screen (opened before the network went).
    s.detail.paper = io.lib.store.paper(&PaperId("2509.00000".into())).unwrap();
    s.screen = hfpapers::app::Screen::Detail;
    let load = update(&mut s, Action::Command(Command::ToggleFullText));
    let answers: Vec<Action> = load.into_iter().filter_map(|e| io.run(e)).collect();
    assert!(
        matches!(&answers[..], [Action::Done(Outcome::Notice(m))] if m.starts_with("offline: the full text of 2509.00000 is not stored")),
        "{answers:?}"
    );
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing asked of the network"
    );
}

/// Stores three papers of `day`, ids `PREFIX.00000`…, as a sync would.
fn save_three(store: &Store, prefix: &str, day: &str) {
    let body = serde_json::to_vec(&common::items(prefix, 3, day)).unwrap();
    store
        .save_day(&FetchedDay::new(
            parse_day(day).unwrap(),
            parse_daily(&body).unwrap().papers,
        ))
        .unwrap();
}
