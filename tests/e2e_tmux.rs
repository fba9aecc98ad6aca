//! End to end, as a user: the real binary in tmux against a fake server on
//! 127.0.0.1. Start, move, star, quit; restart offline; the star is there.
//!
//! Needs tmux (`.ci/run` installs it). Without it the test fails and says
//! how to install it, rather than passing without having looked.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str) -> Tmux {
        let ok = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            ok,
            "this test drives the reader in tmux: install it (apt-get install -y tmux); .ci/run does"
        );
        Tmux {
            socket: format!("hfpapers-test-{name}-{}", std::process::id()),
        }
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }

    fn start(&self, command: &str) {
        let out = self.tmux(&[
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-s",
            "e2e",
            command,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "e2e"]).stdout)
            .into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "e2e", k]);
        }
    }

    /// Polls the screen until `pred` holds; panics with the last screen after 15 s.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_exit(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.tmux(&["has-session", "-t", "e2e"]).status.success() {
            assert!(
                Instant::now() < deadline,
                "the reader did not quit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

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
    let bin = env!("CARGO_BIN_EXE_hfpapers");
    let run = |extra: &str| {
        format!(
            "env HF_ENDPOINT={} HFPAPERS_DATA_DIR={} BROWSER=true {bin} {extra}",
            server.uri(),
            data.path().display()
        )
    };
    let tmux = Tmux::new("star");
    tokio::task::block_in_place(|| {
        tmux.start(&run(""));
        // First run: the sample shows at once, then the fetched day replaces it.
        tmux.wait_for("the fetched day", |s| {
            s.contains("Paper 0 of 2025-09-10") && s.contains("online")
        });
        tmux.keys(&["j", "s"]);
        tmux.wait_for("the star", |s| s.contains("1 starred"));
        tmux.keys(&["Enter"]);
        tmux.wait_for("the detail", |s| {
            s.contains("Abstract of Paper 1 of 2025-09-10.")
        });
        tmux.keys(&["Escape", "q"]);
        tmux.wait_exit();

        tmux.start(&run("--offline"));
        let screen = tmux.wait_for("the stored day", |s| {
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
        assert!(screen.contains("offline (--offline)"), "{screen}");
        tmux.keys(&["q"]);
        tmux.wait_exit();
    });
}

const ESC: &str = "\u{1b}";

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
    let tmux = Tmux::new("hostile");
    tokio::task::block_in_place(|| {
        let bin = env!("CARGO_BIN_EXE_hfpapers");
        tmux.start(&format!(
            "env HF_ENDPOINT={} HFPAPERS_DATA_DIR={} {bin}",
            server.uri(),
            data.path().display()
        ));
        // Accept clipboard writes from applications, so a leak would show.
        tmux.tmux(&["set", "-g", "set-clipboard", "on"]);
        let title_before = String::from_utf8_lossy(
            &tmux
                .tmux(&["display", "-p", "-t", "e2e", "#{pane_title}"])
                .stdout,
        )
        .into_owned();
        let screen = tmux.wait_for("the hostile paper", |s| {
            s.contains("Evil title") && s.contains("Daily Papers") && s.contains("? help")
        });
        assert!(screen.contains("Evil titlegnp"), "{screen}");
        assert!(
            screen.contains("Daily Papers"),
            "the screen was not cleared: {screen}"
        );
        tmux.keys(&["Enter"]);
        tmux.wait_for("the detail", |s| s.contains("Abstract"));
        let title_after = String::from_utf8_lossy(
            &tmux
                .tmux(&["display", "-p", "-t", "e2e", "#{pane_title}"])
                .stdout,
        )
        .into_owned();
        assert_eq!(title_before, title_after, "the window title changed");
        assert!(!title_after.contains("pwned"));
        let buffers = String::from_utf8_lossy(&tmux.tmux(&["list-buffers"]).stdout).into_owned();
        assert!(
            !buffers.contains("pwned"),
            "the clipboard was written: {buffers}"
        );
        tmux.keys(&["q"]);
        tmux.wait_exit();
    });
}

#[test]
fn a_rebound_key_works_and_shows_in_help_and_no_color_paints_no_colour() {
    let data = common::temp_dir();
    let config = data.path().join("config.toml");
    std::fs::write(&config, "[keymap.list]\n\"x\" = \"toggle_star\"\n").unwrap();
    let bin = env!("CARGO_BIN_EXE_hfpapers");
    let tmux = Tmux::new("keys");
    // Offline with an empty store: the sample digest (stars there are in memory).
    tmux.start(&format!(
        "env NO_COLOR=1 HFPAPERS_DATA_DIR={} {bin} --offline --config {}",
        data.path().display(),
        config.display()
    ));
    tmux.wait_for("the sample", |s| s.contains("sample 2025-09-10"));
    tmux.keys(&["x"]);
    tmux.wait_for("the star", |s| s.contains("1 starred"));
    tmux.keys(&["?"]);
    let help = tmux.wait_for("help", |s| {
        s.contains("Keys") && s.contains("star / unstar") && s.contains("quit")
    });
    let star_line = help.lines().find(|l| l.contains("star / unstar")).unwrap();
    assert!(
        star_line.contains(" x") || star_line.contains("x s") || star_line.contains("s x"),
        "{star_line}"
    );
    // With NO_COLOR the screen carries attributes but no colour.
    let styled =
        String::from_utf8_lossy(&tmux.tmux(&["capture-pane", "-p", "-e", "-t", "e2e"]).stdout)
            .into_owned();
    assert!(
        styled.contains(&format!("{ESC}[")),
        "capture-pane -e shows attributes"
    );
    for colour in [
        "[31m", "[32m", "[33m", "[34m", "[35m", "[36m", "38;", ";31m", ";33m", ";35m", ";36m",
    ] {
        assert!(
            !styled.contains(colour),
            "colour {colour:?} painted with NO_COLOR"
        );
    }
    tmux.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(100));
    tmux.keys(&["q"]);
    tmux.wait_exit();

    // Without NO_COLOR the same screen has colour: the check above can fail.
    let tmux = Tmux::new("colour");
    tmux.start(&format!(
        "env -u NO_COLOR HFPAPERS_DATA_DIR={} {bin} --offline",
        data.path().display()
    ));
    tmux.wait_for("the sample", |s| s.contains("sample 2025-09-10"));
    let styled =
        String::from_utf8_lossy(&tmux.tmux(&["capture-pane", "-p", "-e", "-t", "e2e"]).stdout)
            .into_owned();
    assert!(
        styled.contains("33m") || styled.contains("38;"),
        "colour expected without NO_COLOR"
    );
    tmux.keys(&["q"]);
    tmux.wait_exit();
}

#[test]
fn resize_storms_and_suspend_leave_a_correct_screen() {
    let data = common::temp_dir();
    let bin = env!("CARGO_BIN_EXE_hfpapers");
    let tmux = Tmux::new("resize");
    let out = tmux.tmux(&[
        "new-session",
        "-d",
        "-x",
        "120",
        "-y",
        "40",
        "-s",
        "e2e",
        "sh",
    ]);
    assert!(out.status.success());
    tmux.keys(&[
        &format!(
            "HFPAPERS_DATA_DIR={} {bin} --offline",
            data.path().display()
        ),
        "Enter",
    ]);
    tmux.wait_for("the sample", |s| s.contains("sample 2025-09-10"));
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
        tmux.tmux(&[
            "resize-window",
            "-t",
            "e2e",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
        std::thread::sleep(Duration::from_millis(30));
    }
    tmux.tmux(&["resize-window", "-t", "e2e", "-x", "20", "-y", "5"]);
    tmux.wait_for("the too-small notice", |s| s.contains("too small"));
    tmux.tmux(&["resize-window", "-t", "e2e", "-x", "120", "-y", "40"]);
    tmux.wait_for("a full screen again", |s| {
        s.contains("Daily Papers") && s.contains("? help")
    });
    // Ctrl-Z gives the shell back; fg repaints everything.
    tmux.keys(&["C-z"]);
    tmux.wait_for("the shell", |s| {
        s.contains("Stopped") || s.contains("stopped")
    });
    tmux.keys(&["fg", "Enter"]);
    let screen = tmux.wait_for("the reader again", |s| {
        s.contains("Daily Papers")
            && s.contains("? help")
            && s.contains("On the Complexity of Bayesian")
    });
    assert!(
        screen.contains("On the Complexity of Bayesian Generalization"),
        "{screen}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("the shell after quitting", |s| {
        s.lines().filter(|l| !l.trim().is_empty()).count() >= 1 && !s.contains("? help")
    });
}

#[test]
fn a_panic_restores_the_terminal() {
    // The debug build panics on purpose right after taking the terminal.
    let bin = env!("CARGO_BIN_EXE_hfpapers");
    if !cfg!(debug_assertions) {
        // A release test build has no such path; the debug run covers it.
        return;
    }
    let data = common::temp_dir();
    let tmux = Tmux::new("panic");
    tmux.start(&format!(
        "sh -c 'RUST_BACKTRACE=0 HFPAPERS_TEST_PANIC=1 HFPAPERS_DATA_DIR={} {bin} --offline; echo EXIT=$?; sleep 30'",
        data.path().display()
    ));
    let screen = tmux.wait_for("the exit", |s| s.contains("EXIT=101"));
    assert!(
        screen.contains("panicking on purpose"),
        "the panic message is readable: {screen}"
    );
    let alt = String::from_utf8_lossy(
        &tmux
            .tmux(&["display", "-p", "-t", "e2e", "#{alternate_on}"])
            .stdout,
    )
    .into_owned();
    assert_eq!(alt.trim(), "0", "still in the alternate screen");
    let cursor = String::from_utf8_lossy(
        &tmux
            .tmux(&["display", "-p", "-t", "e2e", "#{cursor_flag}"])
            .stdout,
    )
    .into_owned();
    assert_eq!(cursor.trim(), "1", "the cursor is hidden");
    let mouse = String::from_utf8_lossy(
        &tmux
            .tmux(&[
                "display",
                "-p",
                "-t",
                "e2e",
                "#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}",
            ])
            .stdout,
    )
    .into_owned();
    assert_eq!(mouse.trim(), "000", "mouse reporting left on");
}

#[test]
fn term_hup_and_int_flush_restore_and_exit_within_a_second() {
    let data = common::temp_dir();
    let bin = env!("CARGO_BIN_EXE_hfpapers");
    for signal in ["TERM", "HUP", "INT"] {
        let tmux = Tmux::new(&format!("sig{signal}"));
        let pid_file = data.path().join(format!("pid-{signal}"));
        tmux.start(&format!(
            "sh -c 'HFPAPERS_DATA_DIR={} {bin} --offline & echo $! > {}; wait $!; echo EXIT=$?; sleep 30'",
            data.path().display(),
            pid_file.display()
        ));
        tmux.wait_for("the reader", |s| s.contains("sample 2025-09-10"));
        let pid = std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .to_string();
        tmux.keys(&["s"]); // a change in memory before the signal
        let started = Instant::now();
        Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        tmux.wait_for("the exit", |s| s.contains("EXIT="));
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "SIG{signal}: exit took {:?}",
            started.elapsed()
        );
        let alt = String::from_utf8_lossy(
            &tmux
                .tmux(&["display", "-p", "-t", "e2e", "#{alternate_on}"])
                .stdout,
        )
        .into_owned();
        assert_eq!(
            alt.trim(),
            "0",
            "SIG{signal}: the terminal was not restored"
        );
    }
}
