//! The command line beside an open reader. The reader owns the store (sled
//! allows one process); while it runs it listens on a local socket in the
//! data dir (`hfpapers.sock`, owner-only). A command that finds the store
//! locked hands its arguments over, the reader runs it on its own store
//! and sends back what it printed and its exit code, and the open screen
//! shows the change at once. A socket left by a killed reader is found
//! stale (nothing answers) and removed.

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
/// How long a handed-over command may take (a sync included).
const REPLY_WAIT: Duration = Duration::from_secs(600);

pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join("hfpapers.sock")
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Request {
    args: Vec<String>,
}

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

/// Listens for handed-over commands; `run` runs one (its arguments, as
/// typed) and returns what it printed and its exit; `changed` is told
/// after each, so the screen can show the change.
pub fn listen(
    data_dir: &Path,
    run: impl Fn(Vec<String>) -> (Vec<u8>, Vec<u8>, Exit) + Send + 'static,
    changed: impl Fn() + Send + 'static,
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
    let stopping = stop.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            if stopping.load(Ordering::SeqCst) {
                break;
            }
            if let Some(reply) = answer(conn.try_clone().ok(), &run) {
                let mut conn = conn;
                let _ = conn.write_all(reply.as_bytes());
                changed();
            }
        }
        drop(run);
        let _ = done.send(());
    });
    Ok(Listening {
        path,
        stop,
        stopped,
    })
}

/// Reads one request (bounded in size and time) and runs it.
fn answer(
    conn: Option<UnixStream>,
    run: &impl Fn(Vec<String>) -> (Vec<u8>, Vec<u8>, Exit),
) -> Option<String> {
    let conn = conn?;
    conn.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut text = String::new();
    conn.take(REQUEST_CAP).read_to_string(&mut text).ok()?;
    let request: Request = serde_json::from_str(&text).ok()?;
    let (out, err, exit) = run(request.args);
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

/// Hands a command to the reader that holds the store. `None` when no
/// reader answers (the lock is someone else's, or the reader died).
pub fn hand_over(data_dir: &Path, args: Vec<String>) -> Option<(String, String, u8)> {
    let mut conn = UnixStream::connect(socket_path(data_dir)).ok()?;
    conn.set_read_timeout(Some(REPLY_WAIT)).ok()?;
    let request = serde_json::to_string(&Request { args }).ok()?;
    conn.write_all(request.as_bytes()).ok()?;
    conn.shutdown(std::net::Shutdown::Write).ok()?;
    let mut text = String::new();
    conn.take(REPLY_CAP).read_to_string(&mut text).ok()?;
    let reply: Reply = serde_json::from_str(&text).ok()?;
    Some((reply.out, reply.err, reply.code))
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
        let listening = listen(
            dir.path(),
            move |_| {
                let _ = &runner_copy;
                (Vec::new(), Vec::new(), Exit::Ok)
            },
            || {},
        )
        .unwrap();
        let reply = hand_over(dir.path(), vec!["tags".into()]).unwrap();
        assert_eq!(reply.2, 0);
        assert_eq!(Arc::strong_count(&held), 2);
        drop(listening);
        assert_eq!(Arc::strong_count(&held), 1, "the runner was dropped");
        assert!(!socket_path(dir.path()).exists());
    }
}
