//! Speed at the scale of years: 10,000 and 100,000 generated papers.
//!
//! `cargo bench --bench scale`. The corpora are generated once (through the
//! store's public API, see `hfpapers::cli::corpus`) into `target/bench-corpus/`
//! and reused; delete that folder to regenerate. Figures go in BENCHMARKS.md.

// A tool for benchmarks and tests: it states its assumptions by unwrapping.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use hfpapers::app::{Action, AppState, Net, update};
use hfpapers::app::{Command, Outcome};
use hfpapers::domain::model::parse_day;
use hfpapers::domain::query::{self, SortKey};
use hfpapers::search::index::Index;
use hfpapers::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::path::PathBuf;

/// The store dir of a corpus of `papers`, generated on first use.
fn corpus(papers: usize) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("target/bench-corpus/{papers}-seed1"));
    let dir = root.join("store");
    let done = root.join("complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&root);
        eprintln!(
            "generating a corpus of {papers} papers in {} (once)…",
            root.display()
        );
        let store = Store::open(&dir).unwrap();
        hfpapers::cli::corpus::generate(
            &store,
            papers,
            1,
            parse_day("2026-11-20").unwrap(),
            |_| {},
        )
        .unwrap();
        store.flush().unwrap();
        drop(store);
        // Open once so sled writes its snapshot, as any second launch finds it.
        drop(Store::open(&dir).unwrap());
        std::fs::write(&done, "").unwrap();
    }
    dir
}

/// Launch work up to the first frame's data: open, find the latest day,
/// load its rows with user state.
fn launch(c: &mut Criterion) {
    let mut group = c.benchmark_group("launch_open_and_load_latest_day");
    group.sample_size(20);
    for n in [10_000, 100_000] {
        let dir = corpus(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &dir, |b, dir| {
            b.iter(|| {
                let store = Store::open(dir).unwrap();
                let day = store.latest_day().unwrap().unwrap();
                black_box(store.day_entries(day).unwrap().len())
            });
        });
    }
    group.finish();
}

/// Every stored paper's entry, through the index (the All view).
fn all_entries(store: &Store) -> Vec<hfpapers::domain::model::Entry> {
    Index::load(store)
        .unwrap()
        .query(
            &query::Query::default(),
            SortKey::Date,
            parse_day("2026-11-20").unwrap(),
        )
        .into_iter()
        .map(|e| (*e).clone())
        .collect()
}

/// Loading every row and user state through the index: the All view.
fn index_load(c: &mut Criterion) {
    let mut group = c.benchmark_group("all_entries");
    group.sample_size(10);
    for n in [10_000, 100_000] {
        let store = Store::open(&corpus(n)).unwrap();
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| black_box(all_entries(&store).len()));
        });
    }
    group.finish();
}

fn state_with_all(store: &Store) -> AppState {
    state_with(store, |_| {})
}

/// Every stored paper in one list, each entry passed through `adjust`.
fn state_with(store: &Store, adjust: impl Fn(&mut hfpapers::domain::model::Entry)) -> AppState {
    let mut state = AppState::new(Net::Offline, None, true);
    let mut entries = all_entries(store);
    for e in &mut entries {
        adjust(e);
    }
    entries.sort_by(|a, b| b.row.day.cmp(&a.row.day).then(a.row.rank.cmp(&b.row.rank)));
    let day = entries[0].row.day.unwrap();
    update(
        &mut state,
        Action::Done(Outcome::DayLoaded {
            day,
            entries,
            sample: false,
        }),
    );
    state
}

thread_local! {
    /// The default keymap and theme, built once as the reader builds its own.
    static LOOK: hfpapers::ui::look::Look = hfpapers::ui::look::Look::default();
}

fn draw(terminal: &mut Terminal<TestBackend>, state: &mut AppState) {
    let mut viewport = None;
    LOOK.with(|look| {
        terminal
            .draw(|f| viewport = Some(hfpapers::ui::render(f, state, look)))
            .unwrap();
    });
    update(state, viewport.unwrap());
}

/// One list frame with all 100,000 papers in the list, and a cursor move
/// (keystroke to frame) in the middle of it.
fn list_frame(c: &mut Criterion) {
    let store = Store::open(&corpus(100_000)).unwrap();
    let mut state = state_with_all(&store);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    draw(&mut terminal, &mut state);
    c.bench_function("list_frame_100k_200x50", |b| {
        b.iter(|| draw(&mut terminal, &mut state));
    });
    update(&mut state, Action::Command(Command::PageDown));
    let mut down = true;
    c.bench_function("cursor_move_to_frame_100k", |b| {
        b.iter(|| {
            update(
                &mut state,
                if down {
                    Action::Command(Command::MoveDown)
                } else {
                    Action::Command(Command::MoveUp)
                },
            );
            down = !down;
            draw(&mut terminal, &mut state);
        });
    });
}

/// The reader's effects over a bench store, offline.
fn effects_over(
    store: &Store,
    tx: tokio::sync::mpsc::UnboundedSender<hfpapers::app::Action>,
) -> hfpapers::reader::effects::Effects {
    let dir = hfpapers::library::DataDir::new(store.dir().join(".."));
    let lib = hfpapers::library::Library::new(store.clone(), dir, None);
    hfpapers::reader::effects::Effects::new(lib, tx, hfpapers::reader::effects::Setup::default())
}

/// Enter on a paper: read it from the store, mark it read (a flushed
/// write), draw the detail.
fn open_detail(c: &mut Criterion) {
    // As in the reader, effects run inside a runtime (a saved change asks
    // for the taste to be learned again, off the UI task).
    let rt = tokio::runtime::Runtime::new().unwrap();
    let _inside = rt.enter();
    let store = Store::open(&corpus(100_000)).unwrap();
    // Every paper unread as listed (the corpus keeps what earlier runs read).
    let mut state = state_with(&store, |e| {
        e.state = hfpapers::domain::model::UserState::default();
    });
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    draw(&mut terminal, &mut state);
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let io = effects_over(&store, tx);
    c.bench_function("open_detail_100k", |b| {
        b.iter(|| {
            for effect in update(&mut state, Action::Command(Command::OpenDetail)) {
                if let Some(answer) = io.run(effect) {
                    update(&mut state, answer);
                }
            }
            draw(&mut terminal, &mut state);
            update(&mut state, Action::Command(Command::Back));
            // The next paper: every one is unread on screen, so every open
            // pays for its flushed write, however often the bench ran.
            update(&mut state, Action::Command(Command::MoveDown));
        });
    });
}

/// The finding issue's figures at 100k papers, and at a million when
/// `HFPAPERS_BENCH_1M` is set (its corpus takes about 7 minutes to make,
/// once).
fn queries(c: &mut Criterion) {
    queries_at(c, 100_000, "100k");
    if std::env::var_os("HFPAPERS_BENCH_1M").is_some() {
        queries_at(c, 1_000_000, "1m");
    }
}

/// Opening the index, a typical query, a full-text word over every
/// abstract, the sidebar's counts, similar papers, and a filter keystroke
/// to frame, over a corpus of `n` papers.
fn queries_at(c: &mut Criterion, n: usize, label: &str) {
    let store = Store::open(&corpus(n)).unwrap();
    // Opening the index (caught up) with every user state: what the
    // reader does on its first `/`, `v` or cross-day view.
    let mut group = c.benchmark_group("index_open");
    group.sample_size(10);
    group.bench_function(n.to_string(), |b| {
        b.iter(|| black_box(Index::load(&store).unwrap().len()));
    });
    group.finish();

    let index = Index::load(&store).unwrap();
    let today = parse_day("2026-11-20").unwrap();
    let typical = query::parse("is:unread tag:rl upvotes:>20 diffusion").unwrap();
    eprintln!(
        "typical query: {} matches",
        index.query(&typical, SortKey::Date, today).len()
    );
    // What a list waits for: the matches in order and its first screen
    // of rows (the reader reads the rest as it scrolls).
    let first_screen = |q: &query::Query| {
        let listing = index.listing(q, None, SortKey::Date, today, false);
        index.listing_rows(&listing, 0..50).len() + listing.len()
    };
    c.bench_function(&format!("query_typical_{label}"), |b| {
        b.iter(|| black_box(first_screen(&typical)));
    });
    let word = query::parse("diffusion").unwrap();
    eprintln!(
        "full-text word: {} matches",
        index.query(&word, SortKey::Date, today).len()
    );
    c.bench_function(&format!("query_fulltext_word_{label}"), |b| {
        b.iter(|| black_box(first_screen(&word)));
    });
    // Every match's row read (what `hfpapers list` prints).
    c.bench_function(&format!("query_all_rows_word_{label}"), |b| {
        b.iter(|| black_box(index.query(&word, SortKey::Date, today).len()));
    });
    let phrase = query::parse("\"representation learning\"").unwrap();
    eprintln!(
        "phrase: {} matches",
        index.query(&phrase, SortKey::Date, today).len()
    );
    // The sidebar: each view's total and unread, from the index alone.
    let views: Vec<query::Query> = ["is:unread", "is:starred", "", "tag:rl", "tag:agents"]
        .iter()
        .map(|q| query::parse(q).unwrap())
        .collect();
    c.bench_function(&format!("sidebar_counts_{label}"), |b| {
        b.iter(|| {
            for q in &views {
                black_box(index.count(q, today));
            }
        });
    });
    let id = index.query(&word, SortKey::Date, today)[0].row.id.clone();
    c.bench_function(&format!("similar_{label}"), |b| {
        b.iter(|| black_box(index.similar(&id, 50).len()));
    });
    drop(index);

    // A keystroke in the `/` prompt over the All view: update, compute the
    // view through the runtime's effects, draw.
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let _guard = rt.enter();
    let io = effects_over(&store, tx);
    io.load_index_now().unwrap();
    let mut state = AppState::new(Net::Offline, None, true);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    state.view = hfpapers::app::ViewKind::Query(String::new());
    state.index.ready = true;
    update(&mut state, Action::Command(Command::OpenFilter));
    let mut typed = 0usize;
    c.bench_function(&format!("filter_keystroke_to_frame_{label}"), |b| {
        b.iter(|| {
            // Type "diffusion" and erase it, one key per iteration.
            let key = if typed % 18 < 9 {
                hfpapers::app::InputKey::Char("diffusion".as_bytes()[typed % 9] as char)
            } else {
                hfpapers::app::InputKey::Backspace
            };
            typed += 1;
            for effect in update(&mut state, Action::Input(key)) {
                if let Some(answer) = io.run(effect) {
                    update(&mut state, answer);
                }
            }
            draw(&mut terminal, &mut state);
        });
    });
}

/// For you at 100k papers: learning the taste (in the background after
/// changes) and ranking a day's papers by it.
fn foryou(c: &mut Criterion) {
    use hfpapers::search::foryou::{self, Trained};
    let store = Store::open(&corpus(100_000)).unwrap();
    let index = Index::load(&store).unwrap();
    let mut group = c.benchmark_group("foryou");
    group.sample_size(10);
    group.bench_function("train_100k", |b| {
        b.iter(|| {
            let trained = foryou::train(&store, &index, Vec::new()).unwrap();
            black_box(matches!(trained, Trained::Taste(_)))
        });
    });
    // "More like #rl": a model of one tag, then the unread papers the
    // index draws for its strongest features, ranked (the whole view).
    let today = parse_day("2026-11-20").unwrap();
    group.bench_function("more_like_tag_100k", |b| {
        b.iter(|| {
            let ranked = hfpapers::search::views::more_like(&store, &index, "rl", &[], today);
            black_box(ranked.map_or(0, |(entries, _)| entries.len()))
        });
    });
    group.finish();
    let Trained::Taste(taste) = foryou::train(&store, &index, Vec::new()).unwrap() else {
        panic!("the corpus has thousands of starred papers");
    };
    index.set_ranker(Some(std::sync::Arc::new(*taste)));
    let day = query::parse("date:2026-11-20 sort:foryou").unwrap();
    eprintln!(
        "For you, a day: {} papers",
        index.query(&day, SortKey::Date, today).len()
    );
    // The same day by upvotes: what ranking adds is the difference.
    let by_upvotes = query::parse("date:2026-11-20 sort:upvotes").unwrap();
    c.bench_function("foryou_day_by_upvotes_100k", |b| {
        b.iter(|| black_box(index.query(&by_upvotes, SortKey::Date, today).len()));
    });
    c.bench_function("foryou_rank_day_100k", |b| {
        b.iter(|| black_box(index.query(&day, SortKey::Date, today).len()));
    });
}

criterion_group!(
    benches,
    launch,
    index_load,
    list_frame,
    open_detail,
    queries,
    foryou
);
criterion_main!(benches);
