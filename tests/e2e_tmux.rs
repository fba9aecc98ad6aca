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
        let screen = tmux.wait_for("the stored day", |s| s.contains("Paper 1 of 2025-09-10"));
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
