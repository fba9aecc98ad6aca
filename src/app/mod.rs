//! The reader's state machine, free of IO and of terminal types.
//!
//! Keys become [`Action`]s (the keymap lives in the UI layer); IO results
//! come back as [`Action`]s too. [`update`] changes [`AppState`] and returns
//! the [`Effect`]s the runtime must carry out (store reads and writes,
//! fetches, opening a URL). Rendering reads `&AppState` only.

mod update;

pub use update::update;

use crate::model::{Day, Entry, Paper, PaperId, UserState};
use crate::store::Direction;

/// Which screen has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    List,
    Detail,
}

/// What the app knows about the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Net {
    /// `--offline`: the network is never touched.
    Disabled,
    /// A fetch is under way and none has finished yet.
    Connecting,
    Online,
    Offline,
}

/// Which list a fetch asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchTarget {
    Latest,
    Day(Day),
}

/// How a background fetch ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchResult {
    /// Stored: the day it turned out to be, its paper count and how many were new.
    Stored { day: Day, papers: usize, new: usize },
    /// Failed; `offline` when the network (not the service) is the cause.
    Failed { offline: bool, message: String },
}

/// Everything that can happen to the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    MoveDown,
    MoveUp,
    SelectFirst,
    SelectLast,
    PageDown,
    PageUp,
    OpenDetail,
    Back,
    PrevDay,
    NextDay,
    ToggleStar,
    ToggleRead,
    OpenInBrowser,
    ToggleHelp,
    Quit,
    /// A day's entries came from the store (or the bundled sample).
    DayLoaded {
        day: Day,
        entries: Vec<Entry>,
        sample: bool,
    },
    /// No stored day with papers lies in that direction.
    NoDayThatWay(Direction),
    DetailLoaded(Box<Paper>),
    Fetched {
        target: FetchTarget,
        result: FetchResult,
    },
    /// An effect failed; the text says what and what to do.
    Failed(String),
    /// A transient note for the status line (e.g. "opened in browser").
    Notice(String),
    /// What the last frame could show: list rows per page and how far the
    /// detail can scroll. Fed back by the runtime after each draw.
    Viewport {
        list_rows: usize,
        detail_max_scroll: u16,
    },
}

/// Work for the runtime. Each one may answer with an [`Action`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadDay(Day),
    /// Find the nearest stored day with papers that way, then load it.
    StepDay {
        from: Day,
        dir: Direction,
    },
    LoadDetail(PaperId),
    SaveState(PaperId, UserState),
    Fetch(FetchTarget),
    OpenUrl(String),
}

/// The whole state the screen is drawn from.
#[derive(Debug, Clone)]
pub struct AppState {
    pub screen: Screen,
    pub help: bool,
    /// The digest day shown; `None` until one is loaded.
    pub day: Option<Day>,
    /// The shown day is the bundled sample, not the user's data.
    pub sample: bool,
    pub entries: Vec<Entry>,
    pub selected: usize,
    /// First list row on screen; kept so the selection stays visible.
    pub list_offset: usize,
    /// The full paper behind the detail screen, loaded on demand.
    pub detail: Option<Paper>,
    pub detail_scroll: u16,
    pub detail_max_scroll: u16,
    pub list_rows: usize,
    pub net: Net,
    /// Fetches under way.
    pub syncing: usize,
    pub last_sync: Option<String>,
    pub message: Option<String>,
    /// Move to a newer latest day when a fetch brings one (until the user
    /// picks a day themselves).
    pub follow_latest: bool,
    pub quit: bool,
}

impl AppState {
    pub fn new(net: Net, last_sync: Option<String>, follow_latest: bool) -> AppState {
        AppState {
            screen: Screen::List,
            help: false,
            day: None,
            sample: false,
            entries: Vec::new(),
            selected: 0,
            list_offset: 0,
            detail: None,
            detail_scroll: 0,
            detail_max_scroll: 0,
            list_rows: 10,
            net,
            syncing: 0,
            last_sync,
            message: None,
            follow_latest,
            quit: false,
        }
    }

    pub fn selected_entry(&self) -> Option<&Entry> {
        self.entries.get(self.selected)
    }

    pub fn unread(&self) -> usize {
        self.entries.iter().filter(|e| !e.state.read).count()
    }

    pub fn starred(&self) -> usize {
        self.entries.iter().filter(|e| e.state.starred).count()
    }
}
