//! End to end, as a user: the real binary in a pseudo-terminal, its output
//! read through a terminal emulator, against a fake server on 127.0.0.1.
//! Needs nothing but the Rust toolchain (no tmux): start, move, star, quit,
//! restart offline; hostile text; a rebound key and `NO_COLOR`; resize
//! storms and suspend; a panic; signals.

use crate::common;

use crate::pty::{Pty, hfpapers};
use std::time::{Duration, Instant};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ESC: &str = "\u{1b}";
const ENTER: &str = "\r";

#[tokio::test(flavor = "multi_thread")]
async fn star_a_paper_quit_and_find_it_starred_offline() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(common::items(
            "2509",
            5,
            "2025-09-10",
        )))
        .mount(&server)
        .await;
    let data = common::temp_dir();
    let run = |extra: &[&str]| {
        let mut cmd = hfpapers(extra);
        cmd.env("HF_ENDPOINT", server.uri());
        cmd.env("HFPAPERS_DATA_DIR", data.path());
        cmd
    };
    tokio::task::block_in_place(|| {
        let mut pty = Pty::spawn(run(&[]), 120, 40);
        // First run: the sample shows at once, then the fetched day replaces it.
        pty.wait_for("the fetched day", |s| {
            s.contains("Paper 0 of 2025-09-10") && s.contains("online")
        });
        pty.type_slowly(&["j", "s"]);
        pty.wait_for("the star", |s| s.contains("1 starred"));
        pty.keys(ENTER);
        pty.wait_for("the detail", |s| {
            s.contains("Abstract of Paper 1 of 2025-09-10.")
        });
        pty.type_slowly(&[ESC, "q"]);
        assert_eq!(pty.wait_exit(Duration::from_secs(10)), 0);

        let mut pty = Pty::spawn(run(&["--offline"]), 120, 40);
        let screen = pty.wait_for("the stored day", |s| {
            s.contains("Paper 1 of 2025-09-10")
                && s.contains("offline (--offline)")
                && s.contains("5 papers")
        });
        let row = screen
            .lines()
            .find(|l| l.contains("Paper 1 of 2025-09-10"))
            .unwrap();
        assert!(row.contains('★'), "the star survived the restart: {row}");
        assert!(!row.contains('●'), "opening it marked it read: {row}");
        assert!(
            screen.contains("5 papers · 4 unread · 1 starred"),
            "{screen}"
        );
        pty.keys("q");
        assert_eq!(pty.wait_exit(Duration::from_secs(10)), 0);
        assert!(
            !pty.with(|s, _| s.alternate_screen()),
            "the terminal is given back"
        );
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_text_shows_as_plain_text_and_leaves_title_and_clipboard_alone() {
    let server = MockServer::start().await;
    let evil = format!("Evil{ESC}[2J{ESC}]52;c;cHduZWQ=\u{7} title{ESC}]0;pwned\u{7}\u{202e}gnp");
    let mut item = common::item("2509.00001", "x", 5, "2025-09-10");
    item["paper"]["title"] = serde_json::Value::String(evil.clone());
    item["title"] = serde_json::Value::String(evil);
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(vec![item]))
        .mount(&server)
        .await;
    let data = common::temp_dir();
    tokio::task::block_in_place(|| {
        let mut cmd = hfpapers(&[]);
        cmd.env("HF_ENDPOINT", server.uri());
        cmd.env("HFPAPERS_DATA_DIR", data.path());
        let mut pty = Pty::spawn(cmd, 120, 40);
        let screen = pty.wait_for("the hostile paper", |s| {
            s.contains("Evil title") && s.contains("Daily Papers") && s.contains("? help")
        });
        assert!(screen.contains("Evil titlegnp"), "{screen}");
        pty.keys(ENTER);
        pty.wait_for("the detail", |s| s.contains("Abstract"));
        pty.with(|_, seen| {
            assert!(
                seen.titles
                    .iter()
                    .all(|t| !t.windows(5).any(|w| w == b"pwned")),
                "the window title was set from the network"
            );
            assert!(seen.clipboard.is_empty(), "the clipboard was written");
        });
        let raw = pty.raw();
        for needle in [&b"pwned"[..], b"cHduZWQ=", b"\x1b]52", b"\x1b[2J\x1b]"] {
            assert!(
                !raw.windows(needle.len()).any(|w| w == needle),
                "{:?} reached the terminal",
                String::from_utf8_lossy(needle)
            );
        }
        pty.keys("q");
        pty.wait_exit(Duration::from_secs(10));
    });
}

/// Whether any cell of the screen has a colour.
fn coloured(s: &vt100::Screen) -> bool {
    let (rows, cols) = s.size();
    (0..rows.get()).any(|r| {
        (0..cols.get()).any(|c| {
            s.cell(r, c).is_some_and(|cell| {
                cell.fgcolor() != vt100::Color::Default || cell.bgcolor() != vt100::Color::Default
            })
        })
    })
}

#[test]
fn a_rebound_key_works_and_shows_in_help_and_no_color_paints_no_colour() {
    let data = common::temp_dir();
    let config = data.path().join("config.toml");
    std::fs::write(&config, "[keymap.list]\n\"x\" = \"toggle_star\"\n").unwrap();
    // Offline with an empty store: the sample digest (stars there are in memory).
    let mut cmd = hfpapers(&["--offline", "--config", config.to_str().unwrap()]);
    cmd.env("NO_COLOR", "1");
    cmd.env("HFPAPERS_DATA_DIR", data.path());
    let mut pty = Pty::spawn(cmd, 120, 40);
    // A first run says what to do next, in one line.
    pty.wait_for("the sample and what to do next", |s| {
        s.contains("sample 2025-09-10")
            && s.contains(
                "--offline, nothing stored: a bundled sample; `hfpapers sync` fetches papers",
            )
    });
    pty.keys("x");
    pty.wait_for("the star", |s| s.contains("1 starred"));
    pty.keys("?");
    let help = pty.wait_for("help", |s| {
        s.contains("Keys") && s.contains("star / unstar") && s.contains("quit")
    });
    let star_line = help.lines().find(|l| l.contains("star / unstar")).unwrap();
    assert!(
        star_line.contains(" x") || star_line.contains("x s") || star_line.contains("s x"),
        "{star_line}"
    );
    // With NO_COLOR the screen carries attributes but no colour.
    pty.with(|s, _| {
        assert!(!coloured(s), "colour painted with NO_COLOR");
        let (rows, cols) = s.size();
        let styled = (0..rows.get()).any(|r| {
            (0..cols.get()).any(|c| {
                s.cell(r, c)
                    .is_some_and(|cell| cell.bold() || cell.inverse() || cell.underline())
            })
        });
        assert!(styled, "attributes still mark the selection and headings");
    });
    pty.type_slowly(&[ESC, "q"]);
    pty.wait_exit(Duration::from_secs(10));

    // Without NO_COLOR the same screen has colour: the check above can fail.
    let mut cmd = hfpapers(&["--offline"]);
    cmd.env("HFPAPERS_DATA_DIR", data.path());
    let mut pty = Pty::spawn(cmd, 120, 40);
    pty.wait_for("the sample", |s| s.contains("sample 2025-09-10"));
    assert!(
        pty.with(|s, _| coloured(s)),
        "colour expected without NO_COLOR"
    );
    pty.keys("q");
    pty.wait_exit(Duration::from_secs(10));
}

#[test]
fn resize_storms_and_suspend_leave_a_correct_screen() {
    let data = common::temp_dir();
    // A shell with job control, as a user has, so Ctrl-Z and fg work.
    let mut sh = portable_pty::CommandBuilder::new("sh");
    sh.arg("-i");
    sh.env("PS1", "$ ");
    sh.env("TERM", "xterm-256color");
    sh.env("HFPAPERS_DATA_DIR", data.path());
    sh.env_remove("NO_COLOR");
    let mut pty = Pty::spawn(sh, 120, 40);
    pty.wait_for("the prompt", |s| s.contains('$'));
    pty.keys(&format!(
        "{} --offline{ENTER}",
        env!("CARGO_BIN_EXE_hfpapers")
    ));
    pty.wait_for("the sample", |s| s.contains("sample 2025-09-10"));
    for (w, h) in [
        (1, 1),
        (200, 60),
        (2, 3),
        (40, 12),
        (1, 50),
        (300, 1),
        (20, 5),
        (80, 24),
        (1, 1),
    ] {
        pty.resize(w, h);
        std::thread::sleep(Duration::from_millis(30));
    }
    pty.resize(20, 5);
    pty.wait_for("the too-small notice", |s| s.contains("too small"));
    pty.resize(120, 40);
    pty.wait_for("a full screen again", |s| {
        s.contains("Daily Papers") && s.contains("? help")
    });
    // Ctrl-Z gives the shell back; fg repaints everything.
    pty.keys("\u{1a}");
    pty.wait_for("the shell", |s| {
        s.contains("Stopped") || s.contains("stopped")
    });
    assert!(
        !pty.with(|s, _| s.alternate_screen()),
        "the shell gets the main screen"
    );
    // Beside the stopped reader, a command says so at once (a cron sync
    // would otherwise wait minutes), and changes nothing.
    let started = Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hfpapers"))
        .args(["list"])
        .env("HFPAPERS_DATA_DIR", data.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("does not answer; is it suspended (Ctrl-Z)?"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    pty.keys(&format!("fg{ENTER}"));
    let screen = pty.wait_for("the reader again", |s| {
        s.contains("Daily Papers")
            && s.contains("? help")
            && s.contains("On the Complexity of Bayesian")
    });
    assert!(
        screen.contains("On the Complexity of Bayesian Generalization"),
        "{screen}"
    );
    pty.keys("q");
    pty.wait_for("the shell after quitting", |s| {
        !s.contains("? help") && s.contains('$')
    });
    assert!(!pty.with(|s, _| s.alternate_screen()));
    pty.keys(&format!("exit{ENTER}"));
}

#[test]
fn a_panic_restores_the_terminal() {
    if !cfg!(debug_assertions) {
        // A release test build has no such path; the debug run covers it.
        return;
    }
    let data = common::temp_dir();
    let mut cmd = hfpapers(&["--offline"]);
    cmd.env("RUST_BACKTRACE", "0");
    cmd.env("HFPAPERS_TEST_PANIC", "1");
    cmd.env("HFPAPERS_DATA_DIR", data.path());
    let mut pty = Pty::spawn(cmd, 120, 40);
    assert_eq!(pty.wait_exit(Duration::from_secs(10)), 101);
    let screen = pty.screen();
    assert!(
        screen.contains("panicking on purpose"),
        "the panic message is readable: {screen}"
    );
    pty.with(|s, _| {
        assert!(!s.alternate_screen(), "still in the alternate screen");
        assert!(!s.hide_cursor(), "the cursor is hidden");
        assert_eq!(
            s.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse reporting left on"
        );
    });
}

#[test]
fn term_hup_and_int_flush_restore_and_exit_within_a_second() {
    let data = common::temp_dir();
    for signal in ["TERM", "HUP", "INT"] {
        let mut cmd = hfpapers(&["--offline"]);
        cmd.env("HFPAPERS_DATA_DIR", data.path());
        let mut pty = Pty::spawn(cmd, 120, 40);
        pty.wait_for("the reader", |s| s.contains("sample 2025-09-10"));
        pty.keys("s"); // a change in memory before the signal
        pty.wait_for("the star", |s| s.contains("1 starred"));
        let started = Instant::now();
        std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pty.pid().to_string()])
            .status()
            .unwrap();
        pty.wait_exit(Duration::from_secs(5));
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "SIG{signal}: exit took {:?}",
            started.elapsed()
        );
        pty.with(|s, _| {
            assert!(
                !s.alternate_screen(),
                "SIG{signal}: the terminal was not restored"
            );
            assert!(!s.hide_cursor(), "SIG{signal}: the cursor stayed hidden");
        });
    }
}

/// A data dir whose store holds five papers of 2025-09-10.
fn five_papers() -> tempfile::TempDir {
    let data = common::temp_dir();
    let store = hfpapers::store::Store::open(&data.path().join("store")).unwrap();
    let body = serde_json::to_vec(&common::items("2509", 5, "2025-09-10")).unwrap();
    store
        .save_day(&hfpapers::source::FetchedDay::new(
            hfpapers::domain::model::parse_day("2025-09-10").unwrap(),
            hfpapers::domain::parse::parse_daily(&body).unwrap().papers,
        ))
        .unwrap();
    drop(store);
    data
}

#[test]
fn a_handed_over_command_writes_where_it_was_typed_and_a_trickling_client_holds_nobody_up() {
    use std::io::Write;
    let data = five_papers();
    let (reader_cwd, typed_in) = (common::temp_dir(), common::temp_dir());
    let mut cmd = hfpapers(&["--offline"]);
    cmd.env("HFPAPERS_DATA_DIR", data.path());
    cmd.cwd(reader_cwd.path());
    let mut pty = Pty::spawn(cmd, 120, 40);
    pty.wait_for("the stored day", |s| s.contains("Paper 1 of 2025-09-10"));
    // A client that sends a byte every second and never finishes.
    let mut slow =
        std::os::unix::net::UnixStream::connect(data.path().join("hfpapers.sock")).unwrap();
    let trickle = std::thread::spawn(move || {
        for _ in 0..8 {
            if slow.write_all(b" ").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_hfpapers"))
            .args(args)
            .env("HFPAPERS_DATA_DIR", data.path())
            .current_dir(typed_in.path())
            .output()
            .unwrap()
    };
    let started = Instant::now();
    let out = cli(&["export", "--format", "csv", "-o", "rel.csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the trickling client held the command up for {:?}",
        started.elapsed()
    );
    let csv = std::fs::read_to_string(typed_in.path().join("rel.csv")).unwrap();
    assert_eq!(csv.lines().count(), 6, "a header and five papers: {csv}");
    assert!(
        !reader_cwd.path().join("rel.csv").exists(),
        "not in the reader's folder"
    );
    let out = cli(&["state", "export", "backup.jsonl"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(typed_in.path().join("backup.jsonl").exists());
    assert!(!reader_cwd.path().join("backup.jsonl").exists());
    pty.keys("q");
    assert_eq!(pty.wait_exit(Duration::from_secs(10)), 0);
    trickle.join().unwrap();
}

#[test]
fn commands_run_beside_an_open_reader_and_the_star_shows_on_its_screen() {
    let data = five_papers();
    // A socket left by a reader that was killed: found stale and replaced.
    drop(std::os::unix::net::UnixListener::bind(data.path().join("hfpapers.sock")).unwrap());
    let mut cmd = hfpapers(&["--offline"]);
    cmd.env("HFPAPERS_DATA_DIR", data.path());
    cmd.env("HF_ENDPOINT", "http://127.0.0.1:9");
    let mut pty = Pty::spawn(cmd, 120, 40);
    pty.wait_for("the stored day", |s| s.contains("Paper 1 of 2025-09-10"));
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_hfpapers"))
            .args(args)
            .env("HFPAPERS_DATA_DIR", data.path())
            .output()
            .unwrap()
    };
    // doctor beside the reader reports what it reports alone.
    let out = cli(&["doctor"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    for line in [
        "store:     ",
        "5 papers",
        "index:     ",
        "texts:     ",
        "last sync: ",
        "endpoint:  ",
    ] {
        assert!(report.contains(line), "{line:?} in {report}");
    }
    let out = cli(&["list", "--date", "2025-09-10"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 5);
    let started = Instant::now();
    let out = cli(&["mark", "2509.00002", "--star"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("starred\t2509.00002"));
    pty.wait_for("the star on the open screen", |s| s.contains("1 starred"));
    pty.wait_for("what the command changed", |s| {
        s.contains("starred 2509.00002")
    });
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // Same exit codes and messages as when run alone.
    let out = cli(&["list", "upvotes:>>"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid query"));
    let out = cli(&["mark", "2509.99999", "--star"]);
    assert_eq!(out.status.code(), Some(1));
    pty.keys("q");
    assert_eq!(pty.wait_exit(Duration::from_secs(10)), 0);
    assert!(
        !data.path().join("hfpapers.sock").exists(),
        "the socket goes with the reader"
    );
    let out = cli(&["list", "is:starred"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("2509.00002"));
}

/// A PNG of `w` x `h` pixels: red above, blue below.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |_, y| {
        if y < h / 2 {
            image::Rgb([220, 30, 30])
        } else {
            image::Rgb([30, 30, 220])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thumbnail_draws_as_half_blocks_above_the_abstract_and_never_before_the_text() {
    let server = MockServer::start().await;
    let mut item = common::item("2509.00001", "A paper with a picture", 5, "2025-09-10");
    item["thumbnail"] =
        serde_json::Value::String(format!("{}/thumbs/2509.00001.png", server.uri()));
    // The picture is slow: the text must not wait for it.
    Mock::given(path("/thumbs/2509.00001.png"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(png(120, 64))
                .set_delay(Duration::from_millis(700)),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(vec![item]))
        .mount(&server)
        .await;
    let data = common::temp_dir();
    tokio::task::block_in_place(|| {
        let mut cmd = hfpapers(&[]);
        cmd.env("HF_ENDPOINT", server.uri());
        cmd.env("HFPAPERS_DATA_DIR", data.path());
        let mut pty = Pty::spawn(cmd, 120, 40);
        pty.wait_for("the paper", |s| {
            s.contains("A paper with a picture") && s.contains("online")
        });
        pty.keys(ENTER);
        let first = pty.wait_for("the abstract", |s| {
            s.contains("Abstract of A paper with a picture.")
        });
        assert!(
            !first.contains('▀') && !first.contains('▄'),
            "the text comes before the picture: {first}"
        );
        // Half blocks: cells painted in the picture's colours (a cell whose
        // two halves match is a coloured space, others `▀`).
        let painted = |colour: vt100::Color| {
            pty.with(|s, _| {
                (0..40u16).find(|row| {
                    (0..120u16).any(|col| {
                        s.cell(*row, col)
                            .is_some_and(|c| c.bgcolor() == colour || c.fgcolor() == colour)
                    })
                })
            })
        };
        let red = vt100::Color::Rgb(220, 30, 30);
        let blue = vt100::Color::Rgb(30, 30, 220);
        let deadline = Instant::now() + Duration::from_secs(15);
        while (painted(red).is_none() || painted(blue).is_none()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let screen = pty.screen();
        let (Some(red_row), Some(blue_row)) = (painted(red), painted(blue)) else {
            panic!("no picture: {screen}");
        };
        assert!(red_row < blue_row, "red above blue, as in the image");
        let text_row = screen
            .lines()
            .position(|l| l.contains("Abstract of A paper"))
            .unwrap();
        assert!(
            usize::from(blue_row) < text_row,
            "the picture is above the text: {screen}"
        );
        assert!(
            screen.contains('▀') || screen.contains('▄'),
            "half blocks at the edge: {screen}"
        );
        pty.type_slowly(&[ESC, "q"]);
        assert_eq!(pty.wait_exit(Duration::from_secs(10)), 0);
    });
    // Cached: a second start offline draws it without the server.
    drop(server);
    let cache = data.path().join("thumbnails");
    assert_eq!(
        std::fs::read_dir(&cache).unwrap().count(),
        1,
        "one picture cached"
    );
}

#[test]
fn a_panic_inside_a_view_is_a_message_and_the_reader_goes_on() {
    let data = five_papers();
    let mut cmd = hfpapers(&["--offline"]);
    cmd.env("RUST_BACKTRACE", "0");
    cmd.env("HFPAPERS_TEST_VIEW_PANIC", "1");
    cmd.env("HFPAPERS_DATA_DIR", data.path());
    let mut pty = Pty::spawn(cmd, 120, 40);
    pty.wait_for("the stored day", |s| s.contains("Paper 1 of 2025-09-10"));
    pty.keys("=");
    let screen = pty.wait_for("the view's failure said", |s| {
        s.contains("could not show this view")
    });
    assert!(screen.contains("a view panicking on purpose"), "{screen}");
    pty.with(|s, _| assert!(s.alternate_screen(), "the terminal is still the reader's"));
    pty.keys("j");
    pty.wait_for("the list still answers", |s| {
        s.contains("Paper 1 of 2025-09-10")
    });
    pty.keys("q");
    assert_eq!(pty.wait_exit(Duration::from_secs(10)), 0, "a clean exit");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_started_offline_follows_a_handed_over_sync_to_online_and_says_what_came() {
    let data = five_papers();
    // A port nothing listens on yet: the reader starts offline.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let mut cmd = hfpapers(&[]);
    cmd.env("HFPAPERS_DATA_DIR", data.path());
    cmd.env("HF_ENDPOINT", &endpoint);
    let mut pty = Pty::spawn(cmd, 120, 40);
    pty.wait_for("offline", |s| {
        s.contains("offline —") && s.contains("Paper 1 of 2025-09-10")
    });
    // The service comes back; a cron job's sync is handed to the reader.
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let (_server, _fake) = common::fake_hf::serve_on(
        common::fake_hf::FakeHf::weekdays("2025-09-08", "2025-09-12", 3),
        listener,
    )
    .await;
    let dir = data.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_hfpapers"))
            .args(["sync", "--days", "5"])
            .env("HFPAPERS_DATA_DIR", dir)
            .env("HF_ENDPOINT", endpoint)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    // The waiting command printed each day the reader stored, as it went.
    assert!(
        said.contains("hfpapers: stored 2025-09-12: 3 papers,"),
        "{said}"
    );
    let screen = pty.wait_for("online, synced now, and what came", |s| {
        s.contains("online · synced") && s.contains("synced 5 days: ")
    });
    assert!(!screen.contains("offline"), "{screen}");
    pty.keys("q");
    assert_eq!(pty.wait_exit(Duration::from_secs(10)), 0);
}

#[test]
fn views_are_two_keys_away_and_a_pending_prefix_says_what_it_waits_for() {
    let data = five_papers();
    let mut cmd = hfpapers(&["--offline"]);
    cmd.env("HFPAPERS_DATA_DIR", data.path());
    let mut pty = Pty::spawn(cmd, 120, 40);
    pty.wait_for("the stored day", |s| s.contains("Paper 1 of 2025-09-10"));
    pty.keys("g");
    pty.wait_for("what g waits for", |s| {
        s.contains("g… ")
            && s.contains("g first paper")
            && s.contains("n New")
            && s.contains("f For you")
    });
    // The status line (the last line) names the view shown.
    let status = |s: &str| {
        s.lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default()
            .to_string()
    };
    pty.keys("s");
    pty.wait_for("the Starred view", |s| status(s).starts_with("Starred"));
    pty.keys("ga");
    let screen = pty.wait_for("the All view with every paper", |s| {
        status(s).starts_with("All") && s.contains("Paper 4 of 2025-09-10")
    });
    assert!(
        !screen.contains("g… "),
        "the hint goes once the keys are typed: {screen}"
    );
    // The sidebar opens on the view shown.
    pty.keys("v");
    let screen = pty.wait_for("the sidebar", |s| s.contains("Views · Enter open"));
    let row = screen
        .lines()
        .position(|l| l.starts_with("│All "))
        .expect("All in the sidebar");
    let selected =
        |r: usize| pty.with(|s, _| s.cell(r as u16, 1).is_some_and(vt100::Cell::inverse));
    assert!(
        selected(row),
        "the row of the view shown is selected: {screen}"
    );
    assert!(!selected(1), "not Latest day");
    pty.keys("q");
    assert_eq!(pty.wait_exit(Duration::from_secs(10)), 0);
}
