//! A terminal for end-to-end tests, with nothing but the Rust toolchain:
//! the real binary runs in a pseudo-terminal (`portable-pty`) and what it
//! writes is read through a terminal emulator (`vt100`), so a test sees the
//! screen a user would, plus the exact bytes: colours, titles, clipboard
//! writes, the alternate screen, the cursor and mouse modes.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the program asked of the terminal beyond drawing.
#[derive(Default)]
pub struct Seen {
    pub titles: Vec<Vec<u8>>,
    pub clipboard: Vec<Vec<u8>>,
}

impl vt100::Callbacks for Seen {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }

    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }

    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).expect("at least 1")
}

pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    term: Arc<Mutex<vt100::Parser<Seen>>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

/// A command for the binary under test, with a clean environment.
pub fn hfpapers(args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_hfpapers"));
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("HF_TOKEN");
    cmd.env("BROWSER", "true");
    cmd
}

impl Pty {
    /// Starts `cmd` in a terminal of `cols` x `rows`.
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal opens");
        let child = pair.slave.spawn_command(cmd).expect("the program starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let writer = Arc::new(Mutex::new(pair.master.take_writer().expect("a writer")));
        let term = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            nz(rows),
            nz(cols),
            0,
            Seen::default(),
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (t, r, w) = (term.clone(), raw.clone(), writer.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut term = t.lock().unwrap();
                term.process(&buf[..n]);
                // Answer "where is the cursor?" (DSR) as a real terminal does.
                if buf[..n].windows(4).any(|q| q == b"\x1b[6n") {
                    let (row, col) = term.screen().cursor_position();
                    let answer = format!("\x1b[{};{}R", row + 1, col + 1);
                    let _ = w.lock().unwrap().write_all(answer.as_bytes());
                }
                drop(term);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            master: pair.master,
            child,
            writer,
            term,
            raw,
        }
    }

    /// The screen's text, one line per row.
    pub fn screen(&self) -> String {
        self.term.lock().unwrap().screen().contents()
    }

    /// Runs `f` on the emulated screen (cells, modes) and its callbacks.
    pub fn with<T>(&self, f: impl FnOnce(&vt100::Screen, &Seen) -> T) -> T {
        let term = self.term.lock().unwrap();
        f(term.screen(), term.callbacks())
    }

    /// Every byte the program wrote so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Types bytes (a key is its escape sequence: "\r" Enter, "\x1b" Esc).
    pub fn keys(&mut self, keys: &str) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(keys.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    /// Types keys one at a time with a pause, as a person would (so Esc and
    /// the next key do not read as Alt+key).
    pub fn type_slowly(&mut self, keys: &[&str]) {
        for k in keys {
            self.keys(k);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// Resizes the terminal (the program gets SIGWINCH).
    pub fn resize(&self, cols: u16, rows: u16) {
        self.term.lock().unwrap().set_size(nz(rows), nz(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a pid")
    }

    /// Polls the screen until `pred` holds; panics with the screen after 15 s.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
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
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Waits for the program to exit; returns its exit code.
    pub fn wait_exit(&mut self, within: Duration) -> u32 {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread take the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            assert!(
                Instant::now() < deadline,
                "the program did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
