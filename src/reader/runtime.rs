//! The reader's one loop: terminal events, IO results and signals become
//! actions; `update` turns them into effects; the screen is drawn only when
//! something changed. No timer: an idle reader uses no CPU.

use crate::app::keys::{Key, Keymap, Lookup, Mode};
use crate::app::{Action, AppState, Effect, Net, update};
use crate::app::{Command, Mouse, Outcome};
use crate::domain::model::Day;
use crate::reader::effects::Effects;
use crate::reader::tui::TerminalGuard;
use crate::source::Client;
use crate::store::Store;
use crate::store::changelog::ChangeLog;
use crate::ui;
use crossterm::event::{Event, EventStream, KeyEventKind, MouseButton, MouseEventKind};
use futures::StreamExt;
use std::collections::VecDeque;
use std::sync::Arc;
use tokio::signal::unix::{SignalKind, signal};

/// Why the reader stopped other than by quitting.
#[derive(Debug, thiserror::Error)]
pub enum ReaderError {
    #[error("the terminal failed: {0}")]
    Terminal(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

pub struct Options {
    pub date: Option<Day>,
    /// `None` means `--offline`.
    pub client: Option<Client>,
    pub timer: crate::reader::startup::StartupTimer,
    pub config: crate::platform::config::Config,
    pub data_dir: std::path::PathBuf,
    /// Something the user must read first (a store moved aside).
    pub notice: Option<String>,
    /// This device's change log, opened and caught up with the store.
    pub log: std::sync::Arc<ChangeLog>,
    /// Told when a command handed over by another process changed the store.
    pub changed: Option<tokio::sync::mpsc::UnboundedReceiver<Outcome>>,
}

/// The IO edge, set up from the config.
fn effects(
    (store, data_dir): (Store, crate::library::DataDir),
    (client, tx, log): (
        Option<Client>,
        tokio::sync::mpsc::UnboundedSender<Action>,
        Arc<ChangeLog>,
    ),
    config: &crate::platform::config::Config,
    (interests, last_visit): (Arc<crate::domain::interests::Interests>, Option<i64>),
) -> Effects {
    let lib = crate::library::Library::new(store, data_dir, client)
        .with_log(log)
        .with_texts(crate::source::texts::TextConfig {
            policy: config.fulltext,
            max_bytes: config.fulltext_max_bytes,
            total_bytes: config.fulltext_total_bytes,
        });
    lib.index.set_interests(interests);
    let setup = crate::reader::effects::Setup {
        saved_views: config.views.clone(),
        since: last_visit,
        hooks: crate::reader::effects::Hooks {
            notify: config.notify_command.clone(),
            pipe: config.pipe.clone(),
            pipe_format: config.pipe_format.clone(),
        },
        config_path: config.path.clone(),
    };
    Effects::new(lib, tx, setup)
}

/// Which pictures the terminal can show, asked once, in the alternate
/// screen and before events are read: whether thumbnails are drawn, and
/// the graphics protocol (`None`: half blocks).
fn pictures(
    mode: crate::platform::config::Images,
    timer: &mut crate::reader::startup::StartupTimer,
) -> (bool, Option<ratatui_image::picker::Picker>) {
    use crate::platform::config::Images;
    if mode == Images::Off {
        return (false, None);
    }
    let (picker, protocol) = ui::picture::detect(mode == Images::Auto);
    tracing::info!(protocol, "thumbnails");
    timer.mark("ask the terminal for graphics", protocol);
    (true, picker)
}

/// How long quitting waits for the state sync through `sync_dir`.
const QUIT_SYNC_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

pub async fn run(store: Store, mut opts: Options) -> Result<(), ReaderError> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let net = if opts.client.is_some() {
        Net::Offline
    } else {
        Net::Disabled
    };
    let log = opts.log.clone();
    // Papers first seen after this are new: when New was last finished,
    // else when the previous session started.
    let previous = store
        .begin_visit()?
        .and_then(|v| chrono::DateTime::parse_from_rfc3339(&v).ok())
        .map(|t| t.timestamp());
    let last_visit = store.new_since()?.or(previous);
    let interests = Arc::new(opts.config.interests());
    let io = effects(
        (store.clone(), crate::library::DataDir::new(&opts.data_dir)),
        (opts.client.take(), tx.clone(), log.clone()),
        &opts.config,
        (interests.clone(), last_visit),
    );
    if let Some(folder) = opts.config.sync_dir.clone() {
        start_state_sync(store.clone(), log.clone(), tx, folder);
    }
    let look = ui::look::Look::new(
        opts.config.keymap.clone(),
        &opts.config.theme,
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
    );
    let mut state = AppState::new(net, store.last_sync()?, opts.date.is_none());
    state.undo.session = chrono::Utc::now().timestamp_millis().max(0) as u64;
    state.mark_read_on_open = opts.config.mark_read_on_open;
    state.less_moves_on = opts.config.less_moves_on;
    state.last_visit = last_visit;
    state.interests = interests;
    state.watch_unseen = store.unseen_releases()?;
    // The first frame comes from the store (or the sample), before any fetch.
    let mut queue: VecDeque<Action> = VecDeque::from([io.initial_day(opts.date)]);
    opts.timer.mark("load the day shown", "");
    let startup = startup_sync(&mut state, opts.date);
    let term = TerminalGuard::new(opts.config.mouse)?;
    opts.timer.mark("enter the terminal", "");
    let (images, picker) = pictures(opts.config.images, &mut opts.timer);
    state.images = images;
    let look = look
        .with_picker(picker)
        .with_text_width(opts.config.text_width);
    for effect in startup {
        io.run(effect);
    }
    drain(&mut state, &io, &mut queue);
    opts.timer.mark(
        "apply the first state",
        format!("{} papers", state.list.entries.len()),
    );
    first_message(&mut state, opts.notice.take());
    let mut reader = Reader {
        state,
        io,
        term,
        rx,
        changed: opts.changed.take(),
        keymap: opts.config.keymap.clone(),
        look,
        pending: Vec::new(),
    };
    reader.run(&mut opts.timer).await?;
    drop(reader);
    store.flush()?;
    if let Some(folder) = opts.config.sync_dir.clone() {
        quit_sync(store, log, folder);
    }
    Ok(())
}

/// Merges other devices' state through the sync folder in the background;
/// the result comes back as an action.
fn start_state_sync(
    store: Store,
    log: std::sync::Arc<ChangeLog>,
    tx: tokio::sync::mpsc::UnboundedSender<Action>,
    folder: std::path::PathBuf,
) {
    tokio::task::spawn_blocking(move || {
        let action = match crate::store::userstate::sync_folder(&store, &log, &folder) {
            Ok(merge) => {
                for w in &merge.warnings {
                    tracing::warn!(warning = %w, "state sync");
                }
                Action::Done(Outcome::StateMerged {
                    peers: merge.read,
                    warnings: merge.warnings,
                })
            }
            Err(e) => Action::Done(Outcome::Failed(format!(
                "could not sync state through {}: {e}",
                folder.display()
            ))),
        };
        let _ = tx.send(action);
    });
}

/// What the status line says first: a notice the user must read, or why
/// the sample digest is showing.
fn first_message(state: &mut AppState, notice: Option<String>) {
    if let Some(note) = notice {
        state.message = Some(note);
    } else if state.sample {
        state.message = Some(match state.sync.net {
            Net::Disabled => {
                "--offline, nothing stored: a bundled sample; `hfpapers sync` fetches papers".into()
            }
            _ => "nothing stored yet: showing the bundled sample digest while fetching".into(),
        });
    }
}

/// The running reader: state, effects, the terminal and what is waiting.
struct Reader {
    state: AppState,
    io: Effects,
    term: TerminalGuard,
    rx: tokio::sync::mpsc::UnboundedReceiver<Action>,
    changed: Option<tokio::sync::mpsc::UnboundedReceiver<Outcome>>,
    /// The keymap, colours and picture protocol frames are drawn with.
    look: ui::look::Look,
    keymap: Keymap,
    /// Keys typed so far of a sequence ("g g").
    pending: Vec<Key>,
}

impl Reader {
    /// The one loop: draw when something changed, then wait for a key, an
    /// IO result or a signal. No timer: an idle reader uses no CPU.
    async fn run(
        &mut self,
        timer: &mut crate::reader::startup::StartupTimer,
    ) -> Result<(), ReaderError> {
        let mut events = EventStream::new();
        let mut sigterm = signal(SignalKind::terminate())?;
        let mut sighup = signal(SignalKind::hangup())?;
        let mut sigint = signal(SignalKind::interrupt())?;
        let mut dirty = true;
        let mut first_frame = true;
        while !self.state.quit {
            if dirty && self.draw()? {
                continue;
            }
            dirty = false;
            if std::mem::take(&mut first_frame) {
                timer.mark("first frame drawn", "");
                // The search index opens off the UI task once the first
                // frame is up, so the first `/`, `v` or view finds it
                // ready; the frame never waits for it.
                if let Some(effect) = self.state.need_index() {
                    let mut queue: VecDeque<Action> = self.io.run(effect).into_iter().collect();
                    drain(&mut self.state, &self.io, &mut queue);
                }
                if let Err(e) = timer.write() {
                    self.state.message = Some(format!("could not write --startuptime file: {e}"));
                    dirty = true;
                }
            }
            let quit = Some(Action::Command(Command::Quit));
            let action = tokio::select! {
                event = events.next() => self.on_event(event, &mut dirty)?,
                Some(action) = self.rx.recv() => Some(action),
                Some(outcome) = changed(&mut self.changed) => Some(Action::Done(outcome)),
                _ = sigterm.recv() => quit,
                _ = sighup.recv() => quit,
                _ = sigint.recv() => quit,
            };
            if let Some(action) = action {
                let mut queue = VecDeque::from([action]);
                drain(&mut self.state, &self.io, &mut queue);
                dirty = true;
            }
        }
        Ok(())
    }

    /// Draws a frame and feeds back what fitted; true when that moved
    /// something, so the frame must be drawn again.
    fn draw(&mut self) -> Result<bool, ReaderError> {
        let mut viewport = None;
        let (state, look) = (&self.state, &self.look);
        self.term
            .terminal
            .draw(|frame| viewport = Some(ui::render(frame, state, look)))?;
        let Some(v) = viewport else {
            return Ok(false);
        };
        let fitted = |s: &AppState| {
            (
                s.list.offset,
                s.detail.scroll,
                s.list.rows,
                s.detail.max_scroll,
            )
        };
        let before = fitted(&self.state);
        update(&mut self.state, v);
        Ok(before != fitted(&self.state))
    }

    /// A terminal event as an action, if it is one.
    #[allow(
        clippy::needless_pass_by_value,
        reason = "the event stream hands each event over by value"
    )]
    fn on_event(
        &mut self,
        event: Option<std::io::Result<Event>>,
        dirty: &mut bool,
    ) -> Result<Option<Action>, ReaderError> {
        Ok(match event {
            Some(Ok(Event::Key(key)))
                if key.kind == KeyEventKind::Press
                    && key
                        .modifiers
                        .contains(crossterm::event::KeyModifiers::CONTROL)
                    && key.code == crossterm::event::KeyCode::Char('z') =>
            {
                self.term.suspend()?;
                *dirty = true;
                None
            }
            Some(Ok(Event::Key(key))) if key.kind == KeyEventKind::Press => {
                if self.state.prompt.is_some() {
                    self.pending.clear();
                    ui::keymap::input_for(key).map(Action::Input)
                } else {
                    let mode = ui::keymap::mode(self.state.screen);
                    ui::keymap::to_key(key)
                        .and_then(|k| dispatch(&self.keymap, mode, &mut self.pending, k))
                }
            }
            Some(Ok(Event::Mouse(m))) => match m.kind {
                MouseEventKind::ScrollDown => Some(Action::Mouse(Mouse::Scroll(1))),
                MouseEventKind::ScrollUp => Some(Action::Mouse(Mouse::Scroll(-1))),
                MouseEventKind::Down(MouseButton::Left) => {
                    Some(Action::Mouse(Mouse::Click { row: m.row }))
                }
                _ => None,
            },
            Some(Ok(Event::Resize(..))) => {
                *dirty = true;
                None
            }
            Some(Ok(_)) => None,
            // The terminal went away: leave instead of spinning.
            Some(Err(_)) | None => Some(Action::Command(Command::Quit)),
        })
    }
}

/// The next "changed elsewhere" signal; never, when there is no channel.
async fn changed(
    rx: &mut Option<tokio::sync::mpsc::UnboundedReceiver<Outcome>>,
) -> Option<Outcome> {
    match rx {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

/// The state sync on quit, in a thread of its own and waited for at most
/// [`QUIT_SYNC_WAIT`]: a folder that hangs (a stalled network mount) must
/// not hold the quit. Cut short, nothing is lost: every file is written
/// whole, and the store catches up with the log on the next start.
fn quit_sync(store: Store, log: std::sync::Arc<ChangeLog>, folder: std::path::PathBuf) {
    let (done, wait) = std::sync::mpsc::channel();
    let shown = folder.display().to_string();
    std::thread::spawn(move || {
        let _ = done.send(crate::store::userstate::sync_folder(&store, &log, &folder));
    });
    match wait.recv_timeout(QUIT_SYNC_WAIT) {
        Ok(Ok(merge)) => {
            for w in merge.warnings {
                eprintln!("hfpapers: {}", crate::domain::text::one_line(&w));
            }
        }
        Ok(Err(e)) => eprintln!(
            "hfpapers: could not sync state through {}: {}",
            crate::domain::text::one_line(&shown),
            crate::domain::text::one_line(&e.to_string())
        ),
        Err(_) => eprintln!(
            "hfpapers: the state sync through {} did not finish within {} s; it runs again on the next start",
            crate::domain::text::one_line(&shown),
            QUIT_SYNC_WAIT.as_secs()
        ),
    }
}

/// Resolves a key against the keymap, keeping the keys of an unfinished
/// sequence. A key that ends no sequence is tried again on its own.
fn dispatch(keymap: &Keymap, mode: Mode, pending: &mut Vec<Key>, key: Key) -> Option<Action> {
    pending.push(key);
    match keymap.lookup(mode, pending) {
        Lookup::Command(c) => {
            pending.clear();
            Some(Action::Command(c))
        }
        // A prefix typed: the status line says what it waits for.
        Lookup::Pending => Some(Action::Done(Outcome::Notice(pending_hint(
            keymap, mode, pending,
        )))),
        Lookup::Unbound if pending.len() > 1 => {
            pending.clear();
            dispatch(keymap, mode, pending, key)
        }
        Lookup::Unbound => {
            pending.clear();
            None
        }
    }
}

/// `g… g first paper · n New · f For you`: the keys a prefix waits for.
fn pending_hint(keymap: &Keymap, mode: Mode, pending: &[Key]) -> String {
    let typed: Vec<String> = pending.iter().map(ToString::to_string).collect();
    let next: Vec<String> = keymap
        .continuations(mode, pending)
        .into_iter()
        .map(|(k, c)| {
            let help = c.help().trim_start_matches("view: ");
            let short = help.split(" (").next().unwrap_or(help);
            format!("{k} {}", short.split(" /").next().unwrap_or(short))
        })
        .collect();
    format!("{}… {}", typed.join(" "), next.join(" · "))
}

/// Applies queued actions and the actions their effects answer with.
fn drain(state: &mut AppState, io: &Effects, queue: &mut VecDeque<Action>) {
    while let Some(action) = queue.pop_front() {
        for effect in update(state, action) {
            if let Some(answer) = io.run(effect) {
                queue.push_back(answer);
            }
        }
    }
}

/// The background work a session starts with: a catch-up, and the day
/// asked for with `--date`. Nothing with `--offline`.
pub fn startup_sync(state: &mut AppState, date: Option<Day>) -> Vec<Effect> {
    if state.sync.net == Net::Disabled {
        return Vec::new();
    }
    state.sync.net = Net::Connecting;
    state.sync.running = true;
    vec![Effect::Sync(date)]
}
