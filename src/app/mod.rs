//! The reader's state machine, free of IO and of terminal types.
//!
//! Keys become [`Action`]s (the keymap lives in the UI layer); IO results
//! come back as [`Action`]s too. [`update`] changes [`AppState`] and returns
//! the [`Effect`]s the runtime must carry out (store reads and writes,
//! fetches, opening a URL). Rendering reads `&AppState` only.

pub mod keys;
mod prompt;
pub use crate::domain::rows;
pub use crate::domain::view::{DayCell, ViewItem, ViewKind, ViewSpec};
pub use crate::library::syncing::SyncSummary;
mod text;
mod update;
mod views;

pub use update::{calendar_for, update};

use crate::domain::model::Direction;
use crate::domain::model::{Day, Entry, Paper, PaperId, UserState};
use crate::domain::query::SortKey;
use std::sync::Arc;

/// Which screen has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    List,
    Detail,
    Calendar,
}

/// The month grid of the calendar screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// First day of the month shown.
    pub month: Day,
    pub cursor: Day,
    pub cells: std::collections::BTreeMap<Day, DayCell>,
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sidebar {
    pub items: Vec<ViewItem>,
    pub selected: usize,
    /// Keys move in the sidebar rather than the list.
    pub focused: bool,
}

/// What a prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// `/`: filter the view; results follow the typing.
    Filter,
    /// `t`: the selected paper's tags, space-separated.
    Tags,
    /// `F`: search Hugging Face.
    Find,
    /// `R`: mark this many papers read? y/n
    ConfirmReadAll(usize),
    /// `L`: a digit opens that link; `y` then a digit copies it.
    Links(Vec<crate::domain::model::Link>),
    /// `y`: a digit picks what to copy.
    Copy(Vec<(&'static str, String)>),
    /// `x`: a digit picks the For you reason to mute (`kind:name`).
    Mute(Vec<String>),
    /// Follow one of these queries (an author, the organization, a keyword).
    Follow(Vec<String>),
    /// Words to find in the full text.
    FindInText,
    /// A link of the full text, by number.
    TextLink(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: String,
    /// Why the input is not accepted (a query error, a bad tag).
    pub error: Option<String>,
}

/// A key typed into a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKey {
    Char(char),
    Backspace,
    Tab,
    Enter,
    Esc,
}

macro_rules! commands {
    ($($(#[$doc:meta])* $name:ident => $help:literal,)*) => {
        /// Every command a key can be bound to, in the order help lists
        /// them. Its config name is its serde name (`toggle_star`), so the
        /// keymap, the help screen and config errors all read this one
        /// list.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Command {
            $($(#[$doc])* $name,)*
        }

        impl Command {
            pub const ALL: &'static [Command] = &[$(Command::$name,)*];

            /// The line help shows for it.
            pub fn help(self) -> &'static str {
                match self {
                    $(Command::$name => $help,)*
                }
            }
        }
    };
}

commands! {
    MoveDown => "next paper / scroll down",
    MoveUp => "previous paper / scroll up",
    SelectFirst => "first paper / top",
    SelectLast => "last paper / bottom",
    PageDown => "page down",
    PageUp => "page up",
    OpenDetail => "open the paper (marks it read)",
    NextPaper => "next paper, opened",
    PrevPaper => "previous paper, opened",
    NextUnread => "next unread paper (opened on the paper screen)",
    PrevUnread => "previous unread paper (opened on the paper screen)",
    Back => "back to the list",
    PrevDay => "previous day with papers",
    NextDay => "next day with papers",
    ToggleStar => "star / unstar",
    ToggleRead => "mark read / unread",
    OpenInBrowser => "open the paper's page in the browser",
    OpenLinks => "links: pick one to open or copy",
    Copy => "copy id, URL, BibTeX or title (OSC 52)",
    Pipe => "send the paper to the pipe command of the config",
    ExportView => "export the list as a Markdown reading list",
    OpenCalendar => "calendar: fetched days and unread counts",
    OpenFilter => "filter the list (Enter keeps, Esc clears)",
    ToggleSidebar => "views: latest day, unread, starred, tags, saved",
    ShowSimilar => "papers like this one, across every stored day",
    CycleSort => "cycle the sort",
    CyclePeriod => "show a day, its week or its month",
    EditTags => "edit the paper's tags (Tab completes)",
    LessLikeThis => "less like this (For you ranks such papers lower)",
    MuteReason => "mute one of the paper's For you reasons for good",
    Follow => "follow an author, the org or a keyword (flagged !)",
    ToggleFullText => "the full text instead of the abstract (/ n N L inside)",
    MarkAllRead => "mark everything in the list read (asks)",
    Undo => "undo the last change (repeatable)",
    FindOnline => "find papers on Hugging Face",
    GoNew => "view: New (what arrived since you last finished it)",
    GoForYou => "view: For you",
    GoStarred => "view: Starred",
    GoAll => "view: All",
    GoTrending => "view: Trending (online)",
    GoWatch => "view: Watch",
    ToggleHelp => "this help",
    Quit => "quit",
}

impl Command {
    /// Its name in the config file and help: `toggle_star`.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The command a config name stands for.
    pub fn from_name(name: &str) -> Option<Command> {
        serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
    }
}

/// The mouse, where the terminal reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mouse {
    /// A click on a screen row.
    Click { row: u16 },
    /// The wheel: positive scrolls down.
    Scroll(i8),
}

/// What an effect brought back (or the frame could show): the results of
/// IO, which the app takes in like any other message.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The list for a [`ViewSpec`] was computed.
    ResultsLoaded {
        spec: ViewSpec,
        entries: rows::Rows,
        /// For you scores and reasons of the papers (the For you view).
        foryou: Vec<(PaperId, crate::domain::taste::Scored)>,
        /// How many of the view's papers are followed, and how many a mute hid.
        marks: Marks,
        /// A line about some papers (the Watch view: what each gained).
        notes: Vec<(PaperId, String)>,
    },
    /// A paper's thumbnail (the image file's bytes) is here.
    ThumbnailLoaded {
        id: PaperId,
        image: Arc<[u8]>,
    },
    /// A paper's full text (Markdown) is here.
    TextLoaded {
        id: PaperId,
        markdown: Arc<str>,
    },
    /// The follows or mutes changed (`+`): what they are now.
    InterestsChanged(Arc<crate::domain::interests::Interests>),
    /// The taste model was (re)learned: from how many liked papers, and
    /// whether that was enough (else For you is by upvotes).
    TasteLearned {
        liked: usize,
        ready: bool,
    },
    /// The index over all stored papers is ready (or rebuilt after a sync).
    IndexReady {
        tags: Vec<String>,
    },
    /// The search index is being built from the store (a first start, or
    /// a damaged index): how far it has got.
    IndexBuilding {
        done: usize,
        total: usize,
    },
    /// The sidebar's views with their counts.
    ViewsCounted(Vec<ViewItem>),
    /// A paper's links, for the `L` picker.
    LinksLoaded(Vec<crate::domain::model::Link>),
    /// This device's undoable changes from the log (after a restart).
    UndoLoaded(Vec<crate::domain::model::UndoGroup>),
    /// Other machines' changes were merged into the store.
    StateMerged {
        peers: usize,
        /// About the peers' files: skipped, unreadable, clocks far ahead.
        warnings: Vec<String>,
    },
    /// Another hfpapers command changed the store while the reader is open
    /// (handed over through the data dir's socket).
    ChangedElsewhere {
        /// What it changed, in a few words (`starred 2606.80313`).
        what: String,
        /// The store's last-sync time after it (a handed-over sync moves it).
        synced_at: Option<String>,
    },
    /// A search on Hugging Face failed; `offline` when the network (not the
    /// service) was the problem.
    SearchFailed {
        text: String,
        error: String,
        offline: bool,
    },
    /// The trending list arrived; its papers are with the runtime.
    TrendingDone {
        found: usize,
    },
    /// A search on Hugging Face finished; its results are with the runtime.
    SearchDone {
        text: String,
        found: usize,
    },
    /// A day's entries came from the store (or the bundled sample).
    DayLoaded {
        day: Day,
        entries: Vec<Entry>,
        sample: bool,
    },
    /// No stored day with papers lies in that direction.
    NoDayThatWay(Direction),
    DetailLoaded(Box<Paper>),
    /// Fresher details (linked models, stars) arrived for a paper.
    DetailRefreshed(Box<Paper>),
    CalendarLoaded(Calendar),
    /// A sync stored a day; `latest` when it is the latest published list.
    DayStored {
        day: Day,
        papers: usize,
        new: usize,
        latest: bool,
        /// When it was stored (RFC 3339): the new last-sync time.
        at: String,
    },
    SyncProgress {
        done: usize,
        total: usize,
    },
    SyncFinished(SyncSummary),
    /// An effect failed; the text says what and what to do.
    Failed(String),
    /// A change group could not be saved: `saved` is what the store holds
    /// for its papers (shown again), `changes` what was asked.
    NotSaved {
        group: String,
        undoes: Option<String>,
        changes: Vec<(PaperId, UserState)>,
        saved: Vec<(PaperId, UserState)>,
        message: String,
    },
    /// A transient note for the status line (e.g. "opened in browser").
    Notice(String),
    /// What the last frame could show: list rows per page and how far the
    /// detail can scroll. Fed back by the runtime after each draw.
    Viewport {
        list_rows: usize,
        detail_max_scroll: u16,
        /// Screen row of the first paper row of the list.
        list_top: u16,
        /// Lines of the full text that hold the words searched for.
        text_matches: Vec<u16>,
    },
}

/// Everything that can happen to the app: a bound command, a key typed
/// into a prompt, the mouse, or what IO brought back. Whatever needs the
/// time (a stamp, today's date) carries it, so [`update`] is a pure
/// function of the state and the message.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Command(Command),
    /// A key typed while a prompt is open.
    Input(InputKey),
    Mouse(Mouse),
    Done(Outcome),
}

impl From<Command> for Action {
    fn from(c: Command) -> Action {
        Action::Command(c)
    }
}

impl Outcome {
    /// The bundled sample digest, as a loaded day.
    pub fn sample_day() -> Outcome {
        Outcome::DayLoaded {
            day: crate::domain::sample::sample_day(),
            entries: crate::domain::sample::sample_entries(),
            sample: true,
        }
    }
}

impl From<Outcome> for Action {
    fn from(o: Outcome) -> Action {
        Action::Done(o)
    }
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
    /// Read the month around this day for the calendar (`None`: today's).
    LoadCalendar(Option<Day>),
    /// Save new states as one change group (one undo step); `undoes`
    /// names the group an undo reverses.
    SaveStates {
        changes: Vec<(PaperId, UserState)>,
        group: String,
        undoes: Option<String>,
    },
    /// Compute the list for a view.
    RunView(ViewSpec),
    /// Count the sidebar's views.
    CountViews,
    /// New was finished: papers first seen up to this time (Unix seconds)
    /// are no longer new, across restarts.
    FinishNew(i64),
    /// Search Hugging Face.
    Search(String),
    /// Fetch what is trending on Hugging Face.
    FetchTrending,
    /// Load a paper's links for the picker.
    LoadLinks(PaperId),
    /// Write the list to a Markdown file in the data dir.
    ExportView {
        name: String,
        entries: Vec<Arc<Entry>>,
    },
    /// Put text on the clipboard (OSC 52: works over SSH).
    /// Send a paper to the configured pipe command.
    Pipe(PaperId),
    CopyText {
        what: &'static str,
        text: String,
    },
    /// Build (or rebuild) the index over all stored papers in the background.
    LoadIndex,
    /// Learn the reader's taste again in the background (For you).
    LearnTaste,
    /// Add a For you mute (`kind:name`) to the config and learn again.
    MuteFeature(String),
    /// Add a follow query to the config (`+`).
    Follow(String),
    /// Read the follows and mutes from the config file again.
    ReloadInterests,
    /// A paper's full text: the stored copy, else fetched in the background.
    LoadText {
        id: PaperId,
        /// The last request found no network: say at once if it is not
        /// kept, rather than wait for the network to fail again.
        offline: bool,
    },
    /// A paper's thumbnail: cached, else fetched in the background.
    LoadThumbnail(PaperId),
    /// Read this device's undoable groups from the change log.
    LoadUndo,
    /// Catch up in the background; `Some(day)` also fetches that day.
    Sync(Option<Day>),
    /// Fetch one day in the background (a day opened before it was fetched).
    FetchDay(Day),
    /// Load the days of a period around a day from the store, as one list.
    LoadPeriod {
        around: Day,
        period: crate::domain::model::Period,
    },
    /// Fetch the missing days of a span in the background.
    FetchSpan {
        from: Day,
        to: Day,
    },
    OpenUrl(String),
}

pub use crate::domain::interests::Marks;

/// The list: what it shows and where the selection and the window are.
#[derive(Debug, Clone)]
pub struct ListState {
    pub entries: rows::Rows,
    /// Followed papers in the list, and papers a mute left out of it.
    pub marks: Marks,
    /// A line about some papers of the list (the Watch view's releases).
    pub notes: std::collections::HashMap<PaperId, String>,
    /// For you scores and reasons by paper, when the view is ranked so.
    pub foryou: std::collections::HashMap<PaperId, crate::domain::taste::Scored>,
    pub selected: usize,
    /// First row on screen; kept so the selection stays visible.
    pub offset: usize,
    /// Rows per page and the screen row of the first one, as the last
    /// frame drew them.
    pub rows: usize,
    pub top: u16,
}

impl ListState {
    /// Moves the selection by `delta`, staying inside the list.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.entries.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// Scrolls the window just enough to keep the selection on screen.
    pub fn keep_selection_visible(&mut self) {
        let rows = self.rows.max(1);
        let last_offset = self.entries.len().saturating_sub(rows);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        self.offset = self.offset.min(last_offset);
    }
}

/// The paper screen: the full paper, loaded on demand, and its scroll.
#[derive(Debug, Clone, Default)]
pub struct Detail {
    pub paper: Option<Paper>,
    pub scroll: u16,
    /// How far it can scroll, as the last frame drew it.
    pub max_scroll: u16,
    /// The paper's full text, once loaded.
    pub text: Option<FullText>,
    /// The paper's thumbnail (image file bytes), once loaded.
    pub thumbnail: Option<(PaperId, Arc<[u8]>)>,
}

/// A paper's full text in the paper view (see [`text`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FullText {
    pub id: PaperId,
    pub markdown: Arc<str>,
    /// Shown instead of the abstract.
    pub shown: bool,
    /// The words `/` searched for.
    pub search: String,
    /// The lines holding them, as the last frame drew the text.
    pub matches: Vec<u16>,
    /// Which of them `n`/`N` went to last.
    pub current: usize,
    /// A jump to the first match waits for the frame to find them.
    pub jump: Option<bool>,
}

impl Detail {
    /// Scrolls by `delta` lines, staying inside the paper.
    pub fn scroll_by(&mut self, delta: isize) {
        let max = self.max_scroll as isize;
        self.scroll = (self.scroll as isize + delta).clamp(0, max) as u16;
    }
}

/// Help over the screen, and how far it is scrolled.
#[derive(Debug, Clone, Copy, Default)]
pub struct Help {
    pub shown: bool,
    pub scroll: u16,
}

/// What `u` can undo: change groups, newest last, with each paper's state
/// before them. Seeded from the change log on the first `u`, so undo works
/// after a restart.
#[derive(Debug, Clone, Default)]
pub struct UndoState {
    pub stack: Vec<crate::domain::model::UndoGroup>,
    /// Makes group ids unique: the session's start (ms) and a counter.
    pub session: u64,
    pub next_group: u64,
    /// The log's groups have been read.
    pub loaded: bool,
    /// A `u` waits for that read.
    pub pending: bool,
    /// Changes refused this session (a full disk): said with each refusal.
    pub refused: usize,
}

impl UndoState {
    /// A new, unique change group id.
    pub fn new_group(&mut self) -> String {
        self.next_group += 1;
        format!("{}-{}", self.session, self.next_group)
    }
}

/// The index over every stored day: built only when first needed (it
/// costs memory), and the tags it found.
#[derive(Debug, Clone, Default)]
pub struct IndexState {
    pub ready: bool,
    pub loading: bool,
    /// A rebuild reported progress (so readiness is worth saying).
    pub building: bool,
    /// Tags in use, for completion in the tag prompt.
    pub tags: Vec<String>,
    /// For you: whether a taste is learned, and from how many liked papers.
    pub taste: Option<(bool, usize)>,
    /// A mute was added: rank the For you view again when learned.
    pub rerank: bool,
}

impl IndexState {
    /// Asks for the index when a feature first needs it; the plain
    /// reading path never pays for it.
    pub fn need(&mut self) -> Option<Effect> {
        if self.ready || self.loading {
            return None;
        }
        self.loading = true;
        Some(Effect::LoadIndex)
    }
}

/// The network and the background sync, as the status line shows them.
#[derive(Debug, Clone)]
pub struct SyncStatus {
    pub net: Net,
    /// A sync is under way.
    pub running: bool,
    /// Days done and planned in the running sync.
    pub progress: Option<(usize, usize)>,
    /// When a fetch last stored anything (RFC 3339).
    pub last: Option<String>,
}

/// The whole state the screen is drawn from, in parts that each keep
/// their own invariants.
#[derive(Debug, Clone)]
pub struct AppState {
    pub screen: Screen,
    pub help: Help,
    /// The digest day shown; `None` until one is loaded.
    pub day: Option<Day>,
    /// The shown day is the bundled sample, not the user's data.
    pub sample: bool,
    pub list: ListState,
    /// What the list shows, and its name for the status line.
    pub view: ViewKind,
    pub view_name: String,
    /// The `/` filter in force (always a valid query).
    pub filter: crate::domain::query::Filter,
    pub sort: SortKey,
    pub prompt: Option<Prompt>,
    pub sidebar: Option<Sidebar>,
    /// The spec the list was last computed for: a recomputation of the same
    /// spec keeps the selection, a new filter or sort starts at the top.
    pub shown_spec: Option<ViewSpec>,
    pub undo: UndoState,
    pub index: IndexState,
    pub detail: Detail,
    pub sync: SyncStatus,
    /// Papers first seen after this (Unix seconds) are new: when New was
    /// last finished, else the previous session's start.
    pub last_visit: Option<i64>,
    pub calendar: Option<Calendar>,
    pub message: Option<String>,
    /// Move to a newer latest day when a fetch brings one (until the user
    /// picks a day themselves).
    pub follow_latest: bool,
    /// `o` marks the paper read as well (`mark_read_on_open` in the config).
    pub mark_read_on_open: bool,
    /// `-` moves on to the next unread paper (`less_moves_on`).
    pub less_moves_on: bool,
    /// What the day view shows around `day`: the day, its week, its month.
    pub period: crate::domain::model::Period,
    /// `N` ran out of unread papers on a day and went to the day before:
    /// select its first unread paper (and open it, when `Some(true)`).
    pub seek_unread: Option<bool>,
    /// `N` left a day that held new papers: the first older day without
    /// any says "caught up with what is new" before `N` goes on.
    pub leaving_new: bool,
    /// Follows and mutes (from the config; `+` adds a follow).
    pub interests: Arc<crate::domain::interests::Interests>,
    /// Starred papers that gained code or weights, not yet seen in the
    /// Watch view (the status line says so).
    pub watch_unseen: usize,
    /// Thumbnails are drawn (`images` is not `off`).
    pub images: bool,
    pub quit: bool,
}

impl AppState {
    pub fn new(net: Net, last_sync: Option<String>, follow_latest: bool) -> AppState {
        AppState {
            screen: Screen::List,
            help: Help::default(),
            day: None,
            sample: false,
            list: ListState {
                entries: rows::Rows::default(),
                marks: Marks::default(),
                notes: std::collections::HashMap::new(),
                foryou: std::collections::HashMap::new(),
                selected: 0,
                offset: 0,
                rows: 10,
                top: 2,
            },
            view: ViewKind::Day(None),
            view_name: "Latest day".into(),
            filter: crate::domain::query::Filter::default(),
            sort: SortKey::Date,
            prompt: None,
            sidebar: None,
            shown_spec: None,
            undo: UndoState::default(),
            index: IndexState::default(),
            detail: Detail::default(),
            sync: SyncStatus {
                net,
                running: false,
                progress: None,
                last: last_sync,
            },
            last_visit: None,
            calendar: None,
            message: None,
            follow_latest,
            mark_read_on_open: true,
            less_moves_on: true,
            period: crate::domain::model::Period::Day,
            seek_unread: None,
            leaving_new: false,
            interests: Arc::default(),
            watch_unseen: 0,
            images: false,
            quit: false,
        }
    }

    pub fn selected_entry(&self) -> Option<Arc<Entry>> {
        self.list.entries.get(self.list.selected)
    }

    /// The effect that shows `day` in the period in force: the day itself,
    /// or its week or month as one list.
    pub fn load_day(&self, day: Day) -> Effect {
        match self.period {
            crate::domain::model::Period::Day => Effect::LoadDay(day),
            period => Effect::LoadPeriod {
                around: day,
                period,
            },
        }
    }

    /// Asks for the index when a feature first needs it.
    pub fn need_index(&mut self) -> Option<Effect> {
        self.index.need()
    }

    /// A new, unique change group id.
    pub fn new_group(&mut self) -> String {
        self.undo.new_group()
    }

    /// The spec of what the list should show now.
    pub fn spec(&self) -> ViewSpec {
        ViewSpec {
            kind: match &self.view {
                ViewKind::Day(_) => ViewKind::Day(self.day),
                other => other.clone(),
            },
            filter: self.filter.clone(),
            sort: self.sort,
            sample: self.sample,
            period: self.period,
        }
    }

    /// The words to highlight: those of the filter and of a query view.
    pub fn highlight_words(&self) -> Vec<String> {
        let mut words = self.filter.query().highlight_words();
        if let ViewKind::Query(q) = &self.view {
            words.extend(
                crate::domain::query::parse(q)
                    .map(|q| q.highlight_words())
                    .unwrap_or_default(),
            );
        }
        words
    }

    /// Unread and starred papers of the list.
    pub fn counts(&self) -> (usize, usize) {
        self.list.entries.counts()
    }

    /// The paper arrived after the previous session started.
    pub fn is_new(&self, entry: &Entry) -> bool {
        match (&entry.row.first_seen, &self.last_visit) {
            (Some(seen), Some(visit)) => seen > visit,
            _ => false,
        }
    }

    pub fn new_count(&self) -> usize {
        self.last_visit
            .map_or(0, |visit| self.list.entries.new_since(visit))
    }
}
