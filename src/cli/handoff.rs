//! The command line beside an open reader. The reader owns the store (sled
//! allows one process); while it runs it listens on a local socket in the
//! data dir (`hfpapers.sock`, owner-only). A command that finds the store
//! locked hands its arguments over, the reader runs it on its own store
//! and sends back what it printed and its exit code, and the open screen
//! shows the change at once. A socket left by a killed reader is found
//! stale (nothing answers) and removed.
//!
//! The reply is a stream: [`ACK`] as soon as the command is taken, then
//! progress lines ([`PROGRESS`] … `\n`, printed on the waiting side's
//! stderr as they come) and a heartbeat ([`BEAT`]) every
//! [`BEAT_EVERY`] while it runs, then [`REPLY`] and the reply. The waiting
//! side gives up after [`SILENCE_WAIT`] without a byte (a reader
//! suspended mid-command) or [`REPLY_WAIT`] in all.

use super::run::Exit;
use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The largest request and reply read.
const REQUEST_CAP: u64 = 1024 * 1024;
const REPLY_CAP: u64 = 256 * 1024 * 1024;
/// How long a handed-over command may take in all (a long sync included).
const REPLY_WAIT: Duration = Duration::from_secs(3600);
/// How long the waiting side accepts silence: a running command beats
/// every [`BEAT_EVERY`].
const SILENCE_WAIT: Duration = Duration::from_secs(30);
const BEAT_EVERY: Duration = Duration::from_secs(5);
/// A progress line follows, up to `\n`.
const PROGRESS: u8 = 0x01;
/// The reply follows, to the end.
const REPLY: u8 = 0x02;
/// The command still runs.
const BEAT: u8 = 0x05;
/// The longest progress line kept.
const PROGRESS_CAP: usize = 1024;

pub fn socket_path(data_dir: &Path) -> PathBuf {
    crate::store::layout::DataDir::new(data_dir).socket()
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Request {
    args: Vec<String>,
    /// The folder the command was typed in: its relative paths (`-o
    /// rel.csv`) mean files there, not in the reader's folder.
    #[serde(default)]
    cwd: Option<PathBuf>,
}

/// How long a client may take to send its whole request: a client that
/// trickles bytes is cut off at this, whatever the pace.
const REQUEST_WAIT: Duration = Duration::from_secs(5);

/// Commands run at once for other processes; one more is told the reader
/// is busy rather than queued behind them.
const MAX_CLIENTS: usize = 8;

#[derive(serde::Serialize, serde::Deserialize)]
struct Reply {
    out: String,
    err: String,
    code: u8,
}

/// Stops listening when the reader ends: removes the socket and lets the
/// listener thread go, with the store handle it holds (the store must be
/// closed before it is settled).
pub struct Listening {
    path: PathBuf,
    stop: Arc<AtomicBool>,
    stopped: std::sync::mpsc::Receiver<()>,
}

/// How long the end of the reader waits for a handed-over command still
/// running (a sync); past it the thread is left to finish on its own.
const STOP_WAIT: Duration = Duration::from_secs(2);

impl Drop for Listening {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the thread waiting in accept, which then sees the flag.
        let _ = UnixStream::connect(&self.path);
        let _ = std::fs::remove_file(&self.path);
        let _ = self.stopped.recv_timeout(STOP_WAIT);
    }
}

/// Where a handed-over command says how far it has got (a line).
pub type Progress<'a> = &'a (dyn Fn(&str) + Send + Sync);

/// What runs a handed-over command: its arguments as typed, the folder
/// they were typed in, and where to say how far it has got; it returns
/// what the command printed and its exit.
pub type Runner =
    dyn Fn(Vec<String>, Option<PathBuf>, Progress) -> (Vec<u8>, Vec<u8>, Exit) + Send + Sync;

/// What the connections share; the last one to let go tells the listener's
/// owner that nothing of the reader is held any more.
struct Shared {
    run: Box<Runner>,
    clients: std::sync::atomic::AtomicUsize,
    done: std::sync::Mutex<std::sync::mpsc::Sender<()>>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        let _ = self
            .done
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .send(());
    }
}

/// Listens for handed-over commands; `run` runs one (and tells the screen
/// what changed). Each client is served
/// on a thread of its own, so a slow or silent one costs the others
/// nothing; at most [`MAX_CLIENTS`] at once.
pub fn listen(
    data_dir: &Path,
    run: impl Fn(Vec<String>, Option<PathBuf>, Progress) -> (Vec<u8>, Vec<u8>, Exit)
    + Send
    + Sync
    + 'static,
) -> std::io::Result<Listening> {
    use std::os::unix::fs::PermissionsExt;
    let path = socket_path(data_dir);
    // A socket file left by a reader that was killed: nothing answers it.
    if path.exists() && UnixStream::connect(&path).is_err() {
        let _ = std::fs::remove_file(&path);
    }
    let listener = UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    let stop = Arc::new(AtomicBool::new(false));
    let (done, stopped) = std::sync::mpsc::channel();
    let shared = Arc::new(Shared {
        run: Box::new(run),
        clients: std::sync::atomic::AtomicUsize::new(0),
        done: std::sync::Mutex::new(done),
    });
    let stopping = stop.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            if stopping.load(Ordering::SeqCst) {
                break;
            }
            serve(conn, &shared);
        }
    });
    Ok(Listening {
        path,
        stop,
        stopped,
    })
}

/// Serves one client on a thread of its own, or says the reader is busy.
fn serve(mut conn: UnixStream, shared: &Arc<Shared>) {
    if shared.clients.fetch_add(1, Ordering::SeqCst) >= MAX_CLIENTS {
        shared.clients.fetch_sub(1, Ordering::SeqCst);
        let _ = conn.set_write_timeout(Some(REQUEST_WAIT));
        let _ = conn.write_all(
            busy_reply(&format!(
                "hfpapers: the open reader is running {MAX_CLIENTS} other commands; try again in a moment\n"
            ))
            .as_bytes(),
        );
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("handoff-client".into())
        .spawn({
            let shared = shared.clone();
            move || {
                if let Some(reply) = answer(&mut conn, &shared.run) {
                    let _ = conn.write_all(&[REPLY]);
                    let _ = conn.write_all(reply.as_bytes());
                }
                shared.clients.fetch_sub(1, Ordering::SeqCst);
            }
        });
    if spawned.is_err() {
        shared.clients.fetch_sub(1, Ordering::SeqCst);
    }
}

fn busy_reply(err: &str) -> String {
    serde_json::to_string(&Reply {
        out: String::new(),
        err: err.to_string(),
        code: 1,
    })
    .unwrap_or_default()
}

/// Reads one whole request within [`REQUEST_WAIT`] and [`REQUEST_CAP`].
fn read_request(conn: &mut UnixStream) -> Option<Request> {
    let deadline = std::time::Instant::now() + REQUEST_WAIT;
    let mut text = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return None;
        }
        conn.set_read_timeout(Some(left)).ok()?;
        match conn.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                text.extend_from_slice(&chunk[..n]);
                if text.len() as u64 > REQUEST_CAP {
                    return None;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    serde_json::from_slice(&text).ok()
}

/// Reads one request (bounded in size and time) and runs it, telling
/// the client how far it has got and that it still runs.
fn answer(conn: &mut UnixStream, run: &Runner) -> Option<String> {
    let request = read_request(conn)?;
    // Taken: the client now waits for the command, however long it runs.
    conn.write_all(&[ACK]).ok()?;
    let _ = conn.set_write_timeout(Some(SILENCE_WAIT));
    let stream = std::sync::Mutex::new(conn.try_clone().ok()?);
    let send = |bytes: &[u8]| {
        let mut stream = stream
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = stream.write_all(bytes);
    };
    let progress = |line: &str| {
        let mut frame = vec![PROGRESS];
        frame.extend(
            crate::domain::text::one_line(line)
                .bytes()
                .take(PROGRESS_CAP),
        );
        frame.push(b'\n');
        send(&frame);
    };
    let running = AtomicBool::new(true);
    let (out, err, exit) = std::thread::scope(|scope| {
        scope.spawn(|| {
            let beat = std::time::Instant::now();
            let mut next = BEAT_EVERY;
            while running.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(100));
                if beat.elapsed() >= next {
                    send(&[BEAT]);
                    next += BEAT_EVERY;
                }
            }
        });
        let answered = run(request.args, request.cwd, &progress);
        running.store(false, Ordering::SeqCst);
        answered
    });
    serde_json::to_string(&Reply {
        out: String::from_utf8_lossy(&out).into_owned(),
        err: String::from_utf8_lossy(&err).into_owned(),
        code: exit_code(exit),
    })
    .ok()
}

fn exit_code(exit: Exit) -> u8 {
    match exit {
        Exit::Ok => 0,
        Exit::Failure => 1,
        Exit::Usage => 2,
        Exit::Partial => 3,
    }
}

/// Sent as soon as a request is read: the reader is alive and runs it.
const ACK: u8 = 0x06;

/// How long an open reader may take to take a command: a reader stopped
/// by Ctrl-Z (or stuck) holds the store, and nothing could run.
const TAKE_WAIT: Duration = Duration::from_secs(2);

/// The open reader did not answer.
#[derive(Debug, PartialEq, Eq)]
pub enum NotAnswering {
    /// It did not take the command within [`TAKE_WAIT`]: nothing ran.
    NotTaken,
    /// It took the command, then fell silent (suspended mid-command, or
    /// stuck): the command may have run in part.
    FellSilent,
}

/// Hands a command to the reader that holds the store. `Ok(None)` when no
/// reader listens (the lock is someone else's, or the reader died);
/// [`NotAnswering`] when one listens but does not take the command (it is
/// suspended): nothing was run.
pub fn hand_over(
    data_dir: &Path,
    args: Vec<String>,
) -> Result<Option<(String, String, u8)>, NotAnswering> {
    let Ok(mut conn) = UnixStream::connect(socket_path(data_dir)) else {
        return Ok(None);
    };
    let request = serde_json::to_string(&Request {
        args,
        cwd: std::env::current_dir().ok(),
    })
    .unwrap_or_default();
    let sent = conn.set_write_timeout(Some(TAKE_WAIT)).is_ok()
        && conn.write_all(request.as_bytes()).is_ok()
        && conn.shutdown(std::net::Shutdown::Write).is_ok()
        && conn.set_read_timeout(Some(TAKE_WAIT)).is_ok();
    let mut first = [0u8; 1];
    match conn.read(&mut first) {
        Ok(1) if sent => {}
        Ok(_) => return Ok(None),
        Err(_) => return Err(NotAnswering::NotTaken),
    }
    let mut text = Vec::new();
    if first[0] == ACK {
        if !follow(&mut conn, &mut std::io::stderr(), SILENCE_WAIT) {
            return Err(NotAnswering::FellSilent);
        }
    } else {
        // Not taken: the reader said why at once (busy).
        text.push(first[0]);
    }
    if conn.set_read_timeout(Some(SILENCE_WAIT)).is_err()
        || conn.take(REPLY_CAP).read_to_end(&mut text).is_err()
    {
        return Ok(None);
    }
    Ok(serde_json::from_slice::<Reply>(&text)
        .ok()
        .map(|reply| (reply.out, reply.err, reply.code)))
}

/// Reads what a taken command says while it runs, up to its reply:
/// progress lines go to `err` as they come. False when the reader fell
/// silent for `silence` ([`SILENCE_WAIT`]), or ran past [`REPLY_WAIT`].
fn follow(conn: &mut UnixStream, err: &mut impl Write, silence: Duration) -> bool {
    let deadline = std::time::Instant::now() + REPLY_WAIT;
    let mut byte = [0u8; 1];
    let mut line = Vec::new();
    let mut in_line = false;
    while std::time::Instant::now() < deadline {
        if conn.set_read_timeout(Some(silence)).is_err() {
            return false;
        }
        match conn.read(&mut byte) {
            Ok(1) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            _ => return false,
        }
        match (in_line, byte[0]) {
            (false, REPLY) => return true,
            (false, PROGRESS) => in_line = true,
            (true, b'\n') => {
                let said = crate::domain::text::one_line(&String::from_utf8_lossy(&line));
                let _ = writeln!(err, "hfpapers: {said}");
                line.clear();
                in_line = false;
            }
            (true, b) if line.len() < PROGRESS_CAP => line.push(b),
            _ => {}
        }
    }
    false
}

/// Whether a handed-over command (its arguments as typed) may change
/// what the reader shows, and what it is called then; `None` for one that
/// only reads.
pub fn changed(args: &[String]) -> Option<&'static str> {
    const READ_ONLY: &[&str] = &[
        "list",
        "show",
        "tags",
        "similar",
        "foryou",
        "export",
        "search",
        "watch",
        "read",
        "doctor",
        "completions",
        "man",
        "config",
    ];
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    match words.as_slice() {
        [] | ["state", "export", ..] => None,
        [first, ..] if READ_ONLY.contains(first) => None,
        ["sync", ..] => Some("synced"),
        _ => Some("changed"),
    }
}

/// What the reader's status line says after a handed-over command: a
/// sync's total (`synced 3 days: 45 new`), else the command's first line
/// of output (`starred 2606.80313`), with how many more it printed.
pub fn summary(what: &str, out: &[u8]) -> String {
    let text = String::from_utf8_lossy(out);
    let clean = |s: &str| crate::domain::text::one_line(&s.replace('\t', " "));
    if what == "synced"
        && let Some(total) = text.lines().find_map(|l| l.strip_prefix("total: "))
    {
        // "3 days, 150 papers, 45 new, 0 failed (3 requests)"
        let parts: Vec<&str> = total.split(", ").collect();
        let days = parts.first().copied().unwrap_or("");
        let new = parts.get(2).copied().unwrap_or("");
        return clean(&format!("synced {days}: {new}"));
    }
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let Some(first) = lines.next() else {
        return format!("{what} by another hfpapers command");
    };
    let first: Vec<&str> = first.split('\t').take(2).collect();
    let first = clean(&first.join(" "));
    match lines.count() {
        0 => first,
        more => format!("{first} (+{more} more)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ending_the_listener_lets_go_of_what_its_commands_hold_and_removes_the_socket() {
        // The runner holds the reader's store in real use; the store can
        // only be settled once every handle on it is gone.
        let dir = tempfile::tempdir().unwrap();
        let held = Arc::new(());
        let runner_copy = held.clone();
        let listening = listen(dir.path(), move |_, _, _| {
            let _ = &runner_copy;
            (Vec::new(), Vec::new(), Exit::Ok)
        })
        .unwrap();
        let reply = hand_over(dir.path(), vec!["tags".into()]).unwrap().unwrap();
        assert_eq!(reply.2, 0);
        assert_eq!(Arc::strong_count(&held), 2);
        drop(listening);
        assert_eq!(Arc::strong_count(&held), 1, "the runner was dropped");
        assert!(!socket_path(dir.path()).exists());
    }

    #[test]
    fn a_long_command_and_a_silent_client_hold_up_no_other_command() {
        let dir = tempfile::tempdir().unwrap();
        let _listening = listen(dir.path(), |args, _, _| {
            if args.first().is_some_and(|a| a == "slow") {
                std::thread::sleep(Duration::from_secs(3));
            }
            (b"done".to_vec(), Vec::new(), Exit::Ok)
        })
        .unwrap();
        let _silent = UnixStream::connect(socket_path(dir.path())).unwrap();
        let path = dir.path().to_path_buf();
        let slow = std::thread::spawn(move || hand_over(&path, vec!["slow".into()]).unwrap());
        std::thread::sleep(Duration::from_millis(200));
        let started = std::time::Instant::now();
        let reply = hand_over(dir.path(), vec!["tags".into()]).unwrap().unwrap();
        assert_eq!(reply.0, "done");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(slow.join().unwrap().map(|r| r.0), Some("done".to_string()));
    }

    #[test]
    fn a_reader_that_does_not_take_a_command_within_two_seconds_is_said_to_be_stopped() {
        // A listening socket nobody accepts on: a reader stopped by Ctrl-Z.
        let dir = tempfile::tempdir().unwrap();
        let _held = UnixListener::bind(socket_path(dir.path())).unwrap();
        let started = std::time::Instant::now();
        assert!(hand_over(dir.path(), vec!["list".into()]).is_err());
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn the_reader_is_told_what_a_handed_over_command_changed_in_a_few_words() {
        let args = |a: &str| a.split(' ').map(String::from).collect::<Vec<_>>();
        assert_eq!(changed(&args("list --json")), None);
        assert_eq!(changed(&args("state export x.jsonl")), None);
        assert_eq!(changed(&args("sync --days 3")), Some("synced"));
        assert_eq!(changed(&args("mark 2606.80313 --star")), Some("changed"));
        assert_eq!(
            summary("synced", b"2026-08-05\t50 papers\t5 new\ntotal: 3 days, 150 papers, 45 new, 0 failed (3 requests)\n"),
            "synced 3 days: 45 new"
        );
        assert_eq!(
            summary("changed", b"starred\t2606.80313\tA title\n"),
            "starred 2606.80313"
        );
        assert_eq!(
            summary("changed", b"read\t2606.1\tA\nread\t2606.2\tB\n"),
            "read 2606.1 (+1 more)"
        );
        assert_eq!(
            summary("changed", b""),
            "changed by another hfpapers command"
        );
    }

    #[test]
    fn progress_lines_come_before_the_reply_and_a_reader_fallen_silent_is_given_up() {
        let (mut server, mut client) = UnixStream::pair().unwrap();
        let mut stream = Vec::new();
        stream.push(PROGRESS);
        stream.extend_from_slice(b"stored 2025-09-10: 3 papers, 3 new\x1b[2J\n");
        stream.push(BEAT);
        stream.push(PROGRESS);
        stream.extend_from_slice(b"stored 2025-09-11: 3 papers, 0 new\n");
        stream.push(REPLY);
        server.write_all(&stream).unwrap();
        let mut err = Vec::new();
        assert!(follow(&mut client, &mut err, Duration::from_secs(5)));
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "hfpapers: stored 2025-09-10: 3 papers, 3 new\nhfpapers: stored 2025-09-11: 3 papers, 0 new\n",
            "in order, each on its own line, cleaned of escapes"
        );
        // A reader that beats no more (suspended mid-command) is given up
        // after the silence allowed, not after the whole command's ceiling.
        server.write_all(&[BEAT]).unwrap();
        let started = std::time::Instant::now();
        assert!(!follow(
            &mut client,
            &mut Vec::new(),
            Duration::from_millis(300)
        ));
        assert!(started.elapsed() < Duration::from_secs(3));
    }
}
