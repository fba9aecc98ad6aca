//! The change log is the truth: the five ways acknowledged changes were
//! lost (a kill between the log and the store, a torn last line, a full
//! disk, a peer's clock, a bad file in the sync folder), each reproduced,
//! and a property test of three devices with skewed clocks that merge in
//! random orders and are killed between the log and the store.

use crate::common;

use hfpapers::domain::model::{Mark, PaperId, UserState, parse_day};
use hfpapers::domain::parse::parse_daily;
use hfpapers::source::FetchedDay;
use hfpapers::store::Store;
use hfpapers::store::changelog::{self, ChangeLog};
use hfpapers::store::userstate::{self, StateError};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;

fn pid(n: u64) -> PaperId {
    PaperId(hfpapers::cli::corpus::test_id(n))
}

/// A data dir whose store holds papers 0..n on one day.
fn seeded(n: u64) -> (tempfile::TempDir, Store) {
    let data = common::temp_dir();
    let store = Store::open(&data.path().join("store")).unwrap();
    let items: Vec<_> = (0..n)
        .map(|i| common::item(pid(i).as_str(), &format!("Paper {i}"), 10, "2025-09-10"))
        .collect();
    let body = serde_json::to_vec(&items).unwrap();
    store
        .save_day(&FetchedDay::new(
            parse_day("2025-09-10").unwrap(),
            parse_daily(&body).unwrap().papers,
        ))
        .unwrap();
    (data, store)
}

fn open(store: &Store, data: &Path) -> (ChangeLog, Vec<String>) {
    userstate::open(store, data).unwrap()
}

fn tags(store: &Store, id: &PaperId) -> Vec<String> {
    store.state(id).unwrap().tags
}

/// A change line as another process (or a hand edit) would append it.
fn line(t: &str, dev: &str, paper: &PaperId, op: &str) -> String {
    format!(r#"{{"t":"{t}","dev":"{dev}","g":"hand-1","paper":"{paper}","op":"{op}"}}"#) + "\n"
}

fn append_raw(path: &Path, bytes: &[u8]) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .unwrap();
    f.write_all(bytes).unwrap();
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

// 1. A kill between the log and the store.

#[test]
fn a_change_the_log_has_and_the_store_missed_is_replayed_before_anything_is_decided() {
    let (data, store) = seeded(3);
    let p = pid(1);
    let (log, _) = open(&store, data.path());
    userstate::mark(&store, &log, &p, &Mark::Tag("keep".into())).unwrap();
    let device = log.device().to_string();
    drop(log);
    // The process that untagged was killed after the log was synced and
    // before the store was written.
    append_raw(
        &data.path().join("changes.jsonl"),
        line(&now(), &device, &p, "untag:keep").as_bytes(),
    );
    let (log, notices) = open(&store, data.path());
    assert!(
        notices.iter().any(|n| n.contains("missed changes")),
        "the user is told: {notices:?}"
    );
    assert!(tags(&store, &p).is_empty(), "the untag was replayed");
    // So tagging again is a change, not "already tagged", and it lasts.
    assert_eq!(
        userstate::mark(&store, &log, &p, &Mark::Tag("keep".into())).unwrap(),
        Some((true, None))
    );
    userstate::rebuild(&store, &log).unwrap();
    assert_eq!(tags(&store, &p), ["keep"]);
}

#[test]
fn a_store_write_that_fails_after_the_log_is_caught_up_before_the_next_change() {
    let (data, store) = seeded(2);
    let (log, _) = open(&store, data.path());
    // The log takes the change; the store is told it lags (as a failed
    // store write leaves it) without having been written.
    log.append("g1", None, &[(pid(0), UserState::default(), starred())])
        .unwrap();
    log.set_store_behind(true);
    // Unstarring is decided from the caught-up store: it is a change.
    assert_eq!(
        userstate::mark(&store, &log, &pid(0), &Mark::Unstar).unwrap(),
        Some((true, None))
    );
    userstate::rebuild(&store, &log).unwrap();
    assert!(!store.state(&pid(0)).unwrap().starred);
}

fn starred() -> UserState {
    UserState {
        starred: true,
        ..UserState::default()
    }
}

// 2. A torn last line.

#[test]
fn a_failed_append_is_cut_back_so_the_next_change_starts_on_its_own_line() {
    let (data, store) = seeded(3);
    let (log, _) = open(&store, data.path());
    log.fail_append_after(0);
    let err = userstate::mark(&store, &log, &pid(0), &Mark::Star).unwrap_err();
    assert!(err.is_disk_full(), "{err}");
    assert!(
        err.to_string().starts_with("disk full: ") && err.to_string().contains("MB free in"),
        "{err}"
    );
    assert!(
        !store.state(&pid(0)).unwrap().starred,
        "a failed change is not applied"
    );
    let text = std::fs::read(data.path().join("changes.jsonl")).unwrap();
    assert!(text.is_empty() || text.ends_with(b"\n"), "no fragment left");
    assert_eq!(
        userstate::mark(&store, &log, &pid(1), &Mark::Star).unwrap(),
        Some((true, None))
    );
    userstate::rebuild(&store, &log).unwrap();
    assert!(
        store.state(&pid(1)).unwrap().starred,
        "the next change lasts"
    );
    assert!(!store.state(&pid(0)).unwrap().starred);
}

#[test]
fn a_tail_torn_inside_a_character_is_cut_off_kept_aside_and_said() {
    let (data, store) = seeded(3);
    let (log, _) = open(&store, data.path());
    userstate::mark(&store, &log, &pid(0), &Mark::Tag("café".into())).unwrap();
    let device = log.device().to_string();
    drop(log);
    let torn = line(&now(), &device, &pid(1), "tag:café");
    let cut = torn.find("é").unwrap() + 1; // inside the two bytes of é
    append_raw(&data.path().join("changes.jsonl"), &torn.as_bytes()[..cut]);
    let (log, notices) = open(&store, data.path());
    assert!(
        notices.iter().any(|n| n.contains("half a change")),
        "{notices:?}"
    );
    let kept: Vec<_> = std::fs::read_dir(data.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".torn-"))
        .collect();
    assert_eq!(kept.len(), 1, "the fragment is kept aside");
    assert_eq!(
        std::fs::read(kept[0].path()).unwrap(),
        &torn.as_bytes()[..cut]
    );
    // Everything keeps working: marks, rebuilds, exports of the log.
    userstate::mark(&store, &log, &pid(2), &Mark::Star).unwrap();
    userstate::rebuild(&store, &log).unwrap();
    assert_eq!(tags(&store, &pid(0)), ["café"]);
    assert!(store.state(&pid(2)).unwrap().starred);
    assert!(
        std::str::from_utf8(&std::fs::read(data.path().join("changes.jsonl")).unwrap()).is_ok()
    );
}

#[test]
fn unreadable_lines_in_the_middle_are_skipped_with_a_count_never_fatal() {
    let (data, store) = seeded(3);
    let (log, _) = open(&store, data.path());
    let device = log.device().to_string();
    userstate::mark(&store, &log, &pid(0), &Mark::Star).unwrap();
    append_raw(
        &data.path().join("changes.jsonl"),
        b"\xff\xfe not utf-8\n{\"half\":\n",
    );
    append_raw(
        &data.path().join("changes.jsonl"),
        line(&now(), &device, &pid(1), "read").as_bytes(),
    );
    let rebuilt = userstate::rebuild(&store, &log).unwrap();
    assert!(
        rebuilt
            .warnings
            .iter()
            .any(|w| w.contains("skipped 2 line(s)")),
        "{:?}",
        rebuilt.warnings
    );
    assert!(store.state(&pid(0)).unwrap().starred);
    assert!(store.state(&pid(1)).unwrap().read);
    // The undo stack and an export of the log read it too.
    assert_eq!(log.read_all().unwrap().len(), 2);
}

// 3. A full disk.

#[test]
fn a_snapshot_left_half_written_by_a_full_disk_does_not_get_the_store_moved_aside() {
    let (data, store) = seeded(3);
    let (log, _) = open(&store, data.path());
    userstate::mark(&store, &log, &pid(0), &Mark::Star).unwrap();
    drop((log, store));
    let dir = data.path().join("store");
    // What sled leaves when the disk fills as it writes its snapshot.
    std::fs::write(dir.join("snap.FFFFFFFFFFFFFFFF.generating"), b"").unwrap();
    let (store, moved) = reopen_or_recover(&dir);
    assert!(moved.is_none(), "an I/O accident is not corruption");
    assert_eq!(store.paper_count(), 3, "cached papers survive");
    assert!(store.state(&pid(0)).unwrap().starred);
}

fn reopen_or_recover(dir: &Path) -> (Store, Option<std::path::PathBuf>) {
    for _ in 0..100 {
        match Store::open_or_recover(dir) {
            Err(hfpapers::store::StoreError::Locked(_)) => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return other.unwrap(),
        }
    }
    panic!("the store stayed locked");
}

#[test]
fn a_store_moved_aside_has_its_state_rebuilt_and_a_failed_rebuild_is_retried_on_the_next_open() {
    let (data, store) = seeded(2);
    let (log, _) = open(&store, data.path());
    userstate::mark(&store, &log, &pid(1), &Mark::Star).unwrap();
    drop((log, store));
    // The store was set aside (corrupt): a new, empty one has no position.
    let dir = data.path().join("store");
    std::fs::rename(&dir, data.path().join("store.corrupt-test")).unwrap();
    let store = Store::open(&dir).unwrap();
    let (_log, notices) = open(&store, data.path());
    assert!(notices.iter().any(|n| n.contains("rebuilt")), "{notices:?}");
    assert!(store.state(&pid(1)).unwrap().starred);
}

// 4. A peer's clock.

#[test]
fn a_peer_change_stamped_in_the_year_9999_is_refused_by_line_and_the_users_next_action_wins() {
    let (data, store) = seeded(2);
    let (log, _) = open(&store, data.path());
    let folder = common::temp_dir();
    let p = pid(0);
    std::fs::write(
        folder.path().join("badc10c4.jsonl"),
        line("9999-12-31T23:59:59Z", "badc10c4", &p, "star")
            + &line("~~~~", "badc10c4", &pid(1), "star"),
    )
    .unwrap();
    let merged = userstate::sync_folder(&store, &log, folder.path()).unwrap();
    assert!(
        !store.state(&p).unwrap().starred,
        "a stamp years ahead is not taken"
    );
    assert!(
        !store.state(&pid(1)).unwrap().starred,
        "a stamp that is no time is skipped"
    );
    assert!(
        merged.warnings.iter().any(|w| w.contains("badc10c4.jsonl")
            && w.contains("skipped 2 line(s)")
            && w.contains("line 1: a time before 2020 or more than a day ahead")
            && w.contains("line 2: no valid time")),
        "{:?}",
        merged.warnings
    );
    let kept = std::fs::read_to_string(data.path().join("peers/badc10c4.jsonl")).unwrap();
    assert!(!kept.contains("9999"), "never stored in peers/: {kept}");
    for mark in [Mark::Star, Mark::Unstar] {
        userstate::mark(&store, &log, &p, &mark).unwrap();
    }
    for _ in 0..2 {
        userstate::sync_folder(&store, &log, folder.path()).unwrap();
        userstate::rebuild(&store, &log).unwrap();
        assert!(!store.state(&p).unwrap().starred, "the user's unstar wins");
    }
    // And after a restart, where the clock comes from the store.
    drop(log);
    let (log, _) = open(&store, data.path());
    userstate::mark(&store, &log, &p, &Mark::Star).unwrap();
    userstate::rebuild(&store, &log).unwrap();
    assert!(store.state(&p).unwrap().starred);
}

#[test]
fn a_hostile_stamp_from_a_peer_or_an_import_never_silences_this_device() {
    // The report's reproduction, with the real binary: a stamp whose
    // offset carries it past the year 9999, and a saturated counter at
    // the last millisecond of that year from a device sorting after ours.
    let (data, store) = seeded(3);
    drop(store);
    let d = data.path();
    let sd = common::temp_dir();
    std::fs::write(
        sd.path().join("aaaa.jsonl"),
        r#"{"t":"9999-12-31T23:59:59.999-23:59","dev":"aaaa","g":"x","paper":"PAPER0","op":"read"}"#
            .replace("PAPER0", pid(0).as_str()) + "\n",
    )
    .unwrap();
    std::fs::write(
        sd.path().join("zzzzzzzzzzzzzzzz.jsonl"),
        r#"{"t":"9999-12-31T23:59:59.999Z","c":4294967295,"dev":"zzzzzzzzzzzzzzzz","g":"x","paper":"PAPER2","op":"star"}"#
            .replace("PAPER2", pid(2).as_str())
            + "\n",
    )
    .unwrap();
    let backup = sd.path().join("backup.jsonl.bak");
    std::fs::write(
        &backup,
        line("9999-12-31T23:59:59.999-23:59", "bbbb", &pid(1), "read"),
    )
    .unwrap();
    let sync = run(
        d,
        &["sync-state", "--dir", &sd.path().display().to_string()],
    );
    assert!(sync.status.success(), "{}", text(&sync));
    assert!(
        text(&sync).contains("aaaa.jsonl: skipped 1 line(s)"),
        "{}",
        text(&sync)
    );
    let import = run(d, &["state", "import", &backup.display().to_string()]);
    assert!(
        !import.status.success(),
        "nothing to merge: {}",
        text(&import)
    );
    for (id, mark) in [(pid(1), "--star"), (pid(2), "--star"), (pid(2), "--unstar")] {
        let out = run(d, &["mark", id.as_str(), mark]);
        assert!(out.status.success(), "{}", text(&out));
    }
    for args in [
        &["sync-state", "--dir", &sd.path().display().to_string()][..],
        &["state", "rebuild"],
    ] {
        let out = run(d, args);
        assert!(out.status.success(), "{}", text(&out));
        let starred = run(d, &["list", "--starred", "--json"]);
        let rows: serde_json::Value = serde_json::from_slice(&starred.stdout).unwrap();
        let ids: Vec<&str> = rows
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["id"].as_str())
            .collect();
        assert_eq!(ids, [pid(1).as_str()], "after {args:?}: {}", text(&starred));
    }
    let own = std::fs::read_to_string(d.join("changes.jsonl")).unwrap();
    assert!(!own.contains("+10000") && !own.contains("9999-"), "{own}");
}

// 5. Bad files in the sync folder.

/// Runs `f` on a thread and fails the test if it takes longer than `secs`.
fn within<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(secs))
        .expect("did not finish in time: something blocked")
}

#[test]
fn fifos_links_folders_oversized_and_hostile_peer_files_are_skipped_by_name_and_the_rest_merge() {
    let (data, store) = seeded(3);
    let (log, _) = open(&store, data.path());
    let folder = common::temp_dir();
    let f = folder.path();
    assert!(
        Command::new("mkfifo")
            .arg(f.join("x.jsonl"))
            .status()
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink("/dev/zero", f.join("zero.jsonl")).unwrap();
    std::os::unix::fs::symlink(f.join("gone"), f.join("dangling.jsonl")).unwrap();
    std::fs::create_dir(f.join("dir.jsonl")).unwrap();
    // A good peer, with one invalid byte and hostile lines among good ones.
    let t = now();
    let mut good = line(&t, "g00d", &pid(0), "star").into_bytes();
    good.extend_from_slice(b"\xff\n");
    for (paper, op) in [
        ("../../x", "star"),
        (&"1".repeat(1_000_000)[..], "star"),
        (pid(1).as_str(), "tag:\u{1b}]52;c;SGVsbG8=\u{7}"),
        (pid(1).as_str(), "tag:"),
        (pid(1).as_str(), "tag:a\\nb"),
        (pid(1).as_str(), "tag:Upper"),
        (pid(1).as_str(), "explode"),
    ] {
        good.extend(line(&t, "g00d", &PaperId(paper.into()), op).into_bytes());
    }
    good.extend(line(&t, "g00d", &pid(2), "tag:rl").into_bytes());
    std::fs::write(f.join("g00d.jsonl"), good).unwrap();
    std::fs::write(f.join("..jsonl"), line(&t, "x", &pid(2), "star")).unwrap();

    let (s2, l2, dir) = (store.clone(), std::sync::Arc::new(log), f.to_path_buf());
    let l3 = l2.clone();
    let merged = within(10, move || userstate::sync_folder(&s2, &l3, &dir).unwrap());
    assert_eq!(merged.read, 1, "only the good peer is read");
    for name in ["x.jsonl", "zero.jsonl", "dangling.jsonl", "dir.jsonl"] {
        assert!(
            merged.warnings.iter().any(|w| w.contains(name)),
            "{name} named in {:?}",
            merged.warnings
        );
    }
    assert!(
        merged
            .warnings
            .iter()
            .any(|w| w.contains("g00d.jsonl") && w.contains("skipped 8 line(s)")),
        "{:?}",
        merged.warnings
    );
    assert!(
        store.state(&pid(0)).unwrap().starred,
        "the good changes merged"
    );
    assert_eq!(tags(&store, &pid(2)), ["rl"]);
    assert!(
        tags(&store, &pid(1)).is_empty(),
        "no hostile tag reached the store"
    );
    // Nothing hostile reaches the peers' copy or this device's log.
    let copies = std::fs::read_to_string(data.path().join("peers/g00d.jsonl")).unwrap();
    assert_eq!(copies.lines().count(), 2, "{copies}");
    let own = std::fs::read_to_string(data.path().join("changes.jsonl")).unwrap();
    assert!(!own.contains("../") && !own.contains('\u{1b}'));
    // Later rebuilds keep working.
    userstate::rebuild(&store, &l2).unwrap();
}

#[test]
fn importing_something_that_is_not_a_change_log_says_so_and_merges_nothing() {
    let (data, store) = seeded(1);
    let (log, _) = open(&store, data.path());
    let dir = common::temp_dir();
    for (name, body) in [
        ("garbage.txt", &b"hello\nworld\n"[..]),
        ("array.json", &b"[1, 2, 3]"[..]),
        ("empty.jsonl", &b""[..]),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let err = userstate::import(&store, &log, &path).unwrap_err();
        assert!(
            matches!(err, StateError::Import(_)) && err.to_string().contains(name),
            "{err}"
        );
    }
    let err = userstate::import(&store, &log, Path::new("/dev/null")).unwrap_err();
    assert!(err.to_string().contains("/dev/null"), "{err}");
    assert!(!changelog::has_peers(data.path()));
}

// The property: three devices, skewed clocks, random merges, kills.

#[derive(Debug, Clone)]
enum Step {
    /// A device changes a paper's field.
    Change { dev: usize, paper: u8, op: u8 },
    /// A device's change reaches its log, then it is killed before its store.
    Killed { dev: usize, paper: u8, op: u8 },
    /// A device syncs with the shared folder.
    Sync { dev: usize },
}

fn op_name(op: u8) -> String {
    match op % 6 {
        0 => "star".into(),
        1 => "unstar".into(),
        2 => "read".into(),
        3 => "unread".into(),
        4 => "tag:rl".into(),
        _ => "untag:rl".into(),
    }
}

fn mark_of(op: u8) -> Mark {
    match op % 6 {
        0 => Mark::Star,
        1 => Mark::Unstar,
        2 => Mark::Read,
        3 => Mark::Unread,
        4 => Mark::Tag("rl".into()),
        _ => Mark::Untag("rl".into()),
    }
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0usize..3, 0u8..4, 0u8..6).prop_map(|(dev, paper, op)| Step::Change { dev, paper, op }),
        1 => (0usize..3, 0u8..4, 0u8..6).prop_map(|(dev, paper, op)| Step::Killed { dev, paper, op }),
        3 => (0usize..3).prop_map(|dev| Step::Sync { dev }),
    ]
}

/// A clock skew from minutes to most of a day, either way: two clocks
/// further apart see each other's changes as stamped more than a day
/// ahead, which are held back (tested on their own below), so such
/// devices converge only once time has caught up.
fn skew() -> impl Strategy<Value = i64> {
    const MIN: i64 = 60_000;
    prop_oneof![
        Just(0i64),
        (-60i64..60).prop_map(|m| m * MIN),
        (-11i64..12).prop_map(|h| h * 60 * MIN),
    ]
}

struct Device {
    data: tempfile::TempDir,
    store: Store,
    log: ChangeLog,
    skew: i64,
}

impl Device {
    fn new(skew: i64, papers: u64) -> Device {
        let (data, store) = seeded(papers);
        let log = userstate::open(&store, data.path()).unwrap().0;
        log.skew_clock(skew);
        Device {
            data,
            store,
            log,
            skew,
        }
    }

    /// Drops the log and opens it again, as a restarted process does.
    fn restart(&mut self) {
        let log = userstate::open(&self.store, self.data.path()).unwrap().0;
        log.skew_clock(self.skew);
        self.log = log;
    }

    fn state(&self) -> BTreeMap<PaperId, UserState> {
        self.store
            .all_states()
            .unwrap()
            .into_iter()
            .map(|(k, v)| {
                (
                    k,
                    UserState {
                        updated_at: None,
                        ..v
                    },
                )
            })
            .filter(|(_, v)| *v != UserState::default())
            .collect()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn three_devices_with_skewed_clocks_converge_and_each_ones_later_change_wins(
        skews in proptest::collection::vec(skew(), 3),
        steps in proptest::collection::vec(step(), 1..40),
        finals in proptest::collection::vec((0usize..3, 0u8..4, 0u8..6), 1..6),
    ) {
        let folder = common::temp_dir();
        let mut devs: Vec<Device> = skews.iter().map(|s| Device::new(*s, 4)).collect();
        for step in &steps {
            match *step {
                Step::Change { dev, paper, op } => {
                    let d = &devs[dev];
                    userstate::mark(&d.store, &d.log, &pid(u64::from(paper)), &mark_of(op)).unwrap();
                }
                Step::Killed { dev, paper, op } => {
                    let d = &mut devs[dev];
                    let id = pid(u64::from(paper));
                    let old = d.store.state(&id).unwrap();
                    let mut new = old.clone();
                    mark_of(op).apply(&mut new);
                    d.log.append(&format!("k{paper}{op}"), None, &[(id, old, new)]).unwrap();
                    d.restart();
                }
                Step::Sync { dev } => {
                    let d = &devs[dev];
                    userstate::sync_folder(&d.store, &d.log, folder.path()).unwrap();
                }
            }
        }
        // Each device in turn makes a change after seeing everything: it wins.
        for (dev, paper, op) in finals {
            for d in &devs {
                userstate::sync_folder(&d.store, &d.log, folder.path()).unwrap();
            }
            for d in &devs {
                userstate::sync_folder(&d.store, &d.log, folder.path()).unwrap();
            }
            let d = &devs[dev];
            let id = pid(u64::from(paper));
            let mut expected = d.store.state(&id).unwrap();
            expected.updated_at = None;
            mark_of(op).apply(&mut expected);
            userstate::mark(&d.store, &d.log, &id, &mark_of(op)).unwrap();
            for d in &devs {
                userstate::sync_folder(&d.store, &d.log, folder.path()).unwrap();
            }
            for d in &devs {
                userstate::sync_folder(&d.store, &d.log, folder.path()).unwrap();
            }
            let states: Vec<_> = devs.iter().map(Device::state).collect();
            prop_assert_eq!(&states[0], &states[1]);
            prop_assert_eq!(&states[1], &states[2]);
            prop_assert_eq!(
                states[0].get(&id).cloned().unwrap_or_default(),
                expected,
                "device {}'s later {} on {} wins (skews {:?})", dev, op_name(op), id, skews
            );
        }
    }
}

// A real full disk: a small tmpfs, filled up, with the real binary.

struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs of `mb` MB, or says why not: only root can, and the
    /// injected-fault tests above cover the same paths without it.
    fn mount(mb: u32) -> Option<Tmpfs> {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        if !root {
            eprintln!(
                "not root: the real-tmpfs full-disk test is not run (the injected ENOSPC tests are)"
            );
            return None;
        }
        let dir = std::env::temp_dir().join(format!("hfpapers-tmpfs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m"), "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "root could not mount a tmpfs at {}", dir.display());
        Some(Tmpfs(dir))
    }

    /// Writes a file until the disk is full.
    fn fill(&self, name: &str) {
        let mut f = std::fs::File::create(self.0.join(name)).unwrap();
        let chunk = vec![0u8; 1 << 20];
        while f.write_all(&chunk).is_ok() {}
        let small = [0u8; 512];
        while f.write_all(&small).is_ok() {}
        let _ = f.sync_all();
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

fn run(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hfpapers"))
        .args(args)
        .env("HFPAPERS_DATA_DIR", data)
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .env_remove("HF_TOKEN")
        .output()
        .unwrap()
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Stores `n` papers of `day` through the library, as a sync would, and
/// closes the store without settling it (as a killed sync leaves it): the
/// next open has to write a snapshot.
fn save_papers(data: &Path, from: u64, n: u64, day: &str) {
    let store = Store::open(&data.join("store")).unwrap();
    let items: Vec<_> = (from..from + n)
        .map(|i| common::item(pid(i).as_str(), &format!("Paper {i}"), 10, day))
        .collect();
    let body = serde_json::to_vec(&items).unwrap();
    store
        .save_day(&FetchedDay::new(
            parse_day(day).unwrap(),
            parse_daily(&body).unwrap().papers,
        ))
        .unwrap();
    drop(store);
}

fn lines(o: &std::process::Output) -> usize {
    String::from_utf8_lossy(&o.stdout).lines().count()
}

/// Changes tags on `id` until a change fails or `until` appears in what
/// it says; returns the acknowledged tags, the refused one (if the change
/// said it was not saved), and the last output.
fn mark_until(
    data: &Path,
    id: &str,
    from: usize,
    until: &str,
) -> (Vec<String>, Option<String>, String) {
    let mut acked = Vec::new();
    for i in from..from + 200 {
        let tag = format!("full-{i}");
        let out = run(data, &["mark", id, "--tag", &tag]);
        let said = text(&out);
        if !out.status.success() {
            assert_eq!(out.status.code(), Some(1), "{said}");
            assert!(said.contains("disk full: 0 MB free in"), "{said}");
            assert!(
                !said.contains("corrupt") && !said.contains("moved"),
                "{said}"
            );
            return (acked, Some(tag), said);
        }
        acked.push(tag);
        if said.contains(until) {
            return (acked, None, said);
        }
    }
    panic!("200 changes on a full disk neither failed nor said {until:?}");
}

#[test]
fn on_a_really_full_disk_the_store_opens_to_read_a_change_fails_alone_and_nothing_acknowledged_is_lost()
 {
    let Some(fs) = Tmpfs::mount(96) else { return };
    let data = fs.0.join("data");
    save_papers(&data, 0, 5, "2025-09-10");
    let (a, b) = (pid(0).0, pid(1).0);
    let out = run(&data, &["mark", &a, "--star"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        data.join("reserve").exists(),
        "a reserve is kept while there is room"
    );

    fs.fill("fill-1");
    let out = run(&data, &["list"]);
    assert!(
        out.status.success(),
        "the store opens to read: {}",
        text(&out)
    );
    assert_eq!(lines(&out), 5, "cached papers readable");
    // Changes fit in the files' last pages for a while; the store then
    // needs room to open, and the reserve gives it (said once).
    let (mut acked, refused, said) = mark_until(&data, &b, 0, "reserve");
    assert!(refused.is_none(), "the reserve lets the store open: {said}");
    assert!(said.contains("disk full: "), "{said}");
    let out = run(&data, &["list"]);
    assert!(out.status.success(), "still readable: {}", text(&out));

    // With the reserve's room taken too, a change fails alone and says so.
    fs.fill("fill-2");
    let (more, refused, said) = mark_until(&data, &b, acked.len(), "\u{0}");
    acked.extend(more);
    let refused = refused.expect("a change failed");
    assert!(said.contains("free some space"), "{said}");
    // Reading needs no room: with the disk still full, after the writes
    // made on it, every read-only command opens and shows what is stored,
    // the acknowledged changes included.
    for args in [
        &["list"][..],
        &["show", &b, "--json"],
        &["export", "--format", "bibtex"],
        &["tags"],
        &["watch"],
        &["foryou"],
    ] {
        let out = run(&data, args);
        assert!(
            out.status.success(),
            "{args:?} reads on a full disk: {}",
            text(&out)
        );
    }
    assert_eq!(lines(&run(&data, &["list"])), 5, "every paper listed");
    let starred = run(&data, &["list", "is:starred"]);
    assert!(
        String::from_utf8_lossy(&starred.stdout).contains(&a),
        "{}",
        text(&starred)
    );
    let shown = run(&data, &["show", &b, "--json"]);
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let last = acked.last().expect("changes were acknowledged");
    assert!(
        shown["tags"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == last.as_str())),
        "the last acknowledged tag {last} shows while the disk is full: {shown}"
    );
    // And the reader: it opens on the full disk, shows the stored day and
    // the starred paper, says why changes wait, and quits cleanly.
    let mut cmd = crate::pty::hfpapers(&["--offline"]);
    cmd.env("HFPAPERS_DATA_DIR", &data);
    let mut reader = crate::pty::Pty::spawn(cmd, 120, 40);
    let screen = reader.wait_for("the stored day on a full disk", |s| s.contains("Paper 4"));
    assert!(screen.contains("Paper 0"), "{screen}");
    reader.keys("q");
    assert_eq!(reader.wait_exit(std::time::Duration::from_secs(10)), 0);

    for f in ["fill-1", "fill-2"] {
        std::fs::remove_file(fs.0.join(f)).unwrap();
    }
    let out = run(&data, &["state", "rebuild"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = run(&data, &["show", &b, "--json"]);
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tags: Vec<&str> = shown["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    for tag in &acked {
        assert!(
            tags.contains(&tag.as_str()),
            "acknowledged {tag} kept: {tags:?}"
        );
    }
    assert!(
        !tags.contains(&refused.as_str()),
        "{refused} was refused, not half-kept"
    );
    let out = run(&data, &["list", "is:starred"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(&a));
    assert!(
        !std::fs::read_dir(&data)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains("corrupt")),
        "no store was moved aside"
    );
    let out = run(&data, &["list"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        data.join("reserve").exists(),
        "the reserve is made again once there is room"
    );
}

#[test]
fn a_device_whose_clock_runs_days_ahead_is_held_back_by_the_others_until_their_clocks_catch_up() {
    const DAY: i64 = 24 * 3600 * 1000;
    let folder = common::temp_dir();
    let ahead = Device::new(3 * DAY, 2);
    let mut here = Device::new(0, 2);
    userstate::mark(&ahead.store, &ahead.log, &pid(0), &Mark::Star).unwrap();
    assert!(
        ahead.store.state(&pid(0)).unwrap().starred,
        "kept where it was made"
    );
    userstate::sync_folder(&ahead.store, &ahead.log, folder.path()).unwrap();
    let merged = userstate::sync_folder(&here.store, &here.log, folder.path()).unwrap();
    assert!(!here.store.state(&pid(0)).unwrap().starred);
    assert!(
        merged
            .warnings
            .iter()
            .any(|w| w.contains("more than a day ahead") && w.contains("held back")),
        "{:?}",
        merged.warnings
    );
    // Three days later, here: the change is taken.
    here.skew = 3 * DAY;
    here.restart();
    userstate::sync_folder(&here.store, &here.log, folder.path()).unwrap();
    assert!(here.store.state(&pid(0)).unwrap().starred);
}

// A sync on a disk that fills up.

fn run_at(
    endpoint: &str,
    data: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hfpapers"));
    cmd.args(args)
        .env("HFPAPERS_DATA_DIR", data)
        .env("HF_ENDPOINT", endpoint)
        .env_remove("HF_TOKEN")
        .env_remove("HFPAPERS_CONFIG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    within(60, move || child.wait_with_output().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_whose_store_stops_writing_ends_with_what_it_stored_and_frees_the_store() {
    // sled 0.34 can wait forever on a write a full disk refused; the
    // debug hook makes every flush after the fifth hang the same way.
    let (server, _fake) = common::fake_hf::serve(common::fake_hf::FakeHf::weekdays(
        "2026-06-01",
        "2026-07-31",
        5,
    ))
    .await;
    let data = common::temp_dir();
    let (url, d) = (server.uri(), data.path().to_path_buf());
    let out = tokio::task::spawn_blocking(move || {
        run_at(
            &url,
            &d,
            &["sync", "--days", "40"],
            &[("HFPAPERS_TEST_FLUSH_STALL", "5")],
        )
    })
    .await
    .unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(3), "{said}");
    assert!(
        said.contains("the storage engine stopped writing"),
        "{said}"
    );
    assert!(said.contains("the sync stopped there"), "{said}");
    assert!(!said.contains("check the network"), "{said}");
    assert!(!said.contains("Unable to write"), "{said}");
    // The lock is free at once, and a later sync completes.
    let (url, d) = (server.uri(), data.path().to_path_buf());
    let (list, again) = tokio::task::spawn_blocking(move || {
        (
            run_at(&url, &d, &["list", "--json"], &[]),
            run_at(&url, &d, &["sync", "--days", "40"], &[]),
        )
    })
    .await
    .unwrap();
    assert!(list.status.success(), "{}", text(&list));
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(text(&again).contains("0 failed"), "{}", text(&again));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_on_a_full_real_disk_says_so_frees_the_store_and_completes_once_there_is_room() {
    let Some(fs) = Tmpfs::mount(40) else { return };
    let (server, _fake) = common::fake_hf::serve(common::fake_hf::FakeHf::weekdays(
        "2026-06-01",
        "2026-07-31",
        20,
    ))
    .await;
    let data = fs.0.join("data");
    let url = server.uri();
    let (d, u) = (data.clone(), url.clone());
    let first = tokio::task::spawn_blocking(move || run_at(&u, &d, &["sync", "--days", "3"], &[]))
        .await
        .unwrap();
    assert!(first.status.success(), "{}", text(&first));
    // A filler takes the disk while the sync runs.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let filler = {
        let (dir, stop) = (fs.0.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut f = std::fs::File::create(dir.join("filler")).unwrap();
            let chunk = vec![0u8; 256 * 1024];
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                if f.write_all(&chunk).is_err() {
                    let _ = f.write_all(&chunk[..4096]);
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        })
    };
    let (d, u) = (data.clone(), url.clone());
    let full = tokio::task::spawn_blocking(move || run_at(&u, &d, &["sync", "--days", "60"], &[]))
        .await
        .unwrap();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    filler.join().unwrap();
    let said = text(&full);
    assert_ne!(full.status.code(), Some(0), "{said}");
    assert!(said.contains("disk full: "), "{said}");
    assert!(!said.contains("check the network"), "{said}");
    assert!(
        !said.contains("Unable to write"),
        "the log floods nothing: {said}"
    );
    assert!(
        said.matches("disk full").count() <= 3,
        "said once a failure: {said}"
    );
    std::fs::remove_file(fs.0.join("filler")).unwrap();
    let (d, u) = (data.clone(), url.clone());
    let again = tokio::task::spawn_blocking(move || run_at(&u, &d, &["sync", "--days", "60"], &[]))
        .await
        .unwrap();
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(text(&again).contains(" 0 failed"), "{}", text(&again));
}

#[test]
fn the_reading_history_is_the_users_alone_and_an_open_data_dir_is_closed_once_with_a_note() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let home = common::temp_dir();
    // A new data dir.
    let fresh = home.path().join("fresh");
    save_papers(&fresh, 0, 2, "2025-09-10");
    std::fs::set_permissions(&fresh, std::fs::Permissions::from_mode(0o700)).unwrap();
    let out = run(&fresh, &["mark", pid(0).as_str(), "--star"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        !text(&out).contains("other users"),
        "nothing to say: {}",
        text(&out)
    );
    for f in ["changes.jsonl", "device-id", "hfpapers.log"] {
        assert_eq!(mode(&fresh.join(f)), 0o600, "{f}");
    }
    // One made open by an older version.
    let old = home.path().join("old");
    save_papers(&old, 0, 2, "2025-09-10");
    std::fs::write(old.join("changes.jsonl"), "").unwrap();
    for p in [old.clone(), old.join("store")] {
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(
        old.join("changes.jsonl"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let out = run(&old, &["list"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("was readable by other users; it is now yours alone"),
        "{}",
        text(&out)
    );
    assert_eq!(mode(&old), 0o700);
    assert_eq!(mode(&old.join("store")), 0o700);
    assert_eq!(mode(&old.join("changes.jsonl")), 0o600);
    let out = run(&old, &["list"]);
    assert!(
        !text(&out).contains("other users"),
        "said once: {}",
        text(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_reader_shows_only_what_was_saved_and_counts_each_refusal() {
    use hfpapers::app::{Action, AppState, Command, Effect, Net, update};
    let (data, store) = seeded(3);
    let (log, _) = open(&store, data.path());
    let log = std::sync::Arc::new(log);
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let io = crate::common::effects_over(
        store.clone(),
        None,
        tx,
        Some(log.clone()),
        hfpapers::reader::effects::Hooks::default(),
    );
    let mut s = AppState::new(Net::Offline, None, true);
    let Some(day) = io.run(Effect::LoadDay(parse_day("2025-09-10").unwrap())) else {
        panic!("no day")
    };
    update(&mut s, day);
    // Runs what the app asks for, feeding the answers back, as the runtime does.
    let press = |s: &mut AppState, command: Command| {
        let mut pending = update(s, Action::Command(command));
        while let Some(effect) = pending.pop() {
            if let Some(answer) = io.run(effect) {
                pending.extend(update(s, answer));
            }
        }
    };
    let shown = |s: &AppState| s.selected_entry().unwrap().state.clone();
    log.fail_append_after(0);
    press(&mut s, Command::ToggleStar);
    assert!(!shown(&s).starred, "the refused star is taken off the row");
    let said = s.message.clone().unwrap_or_default();
    assert!(
        said.starts_with("not saved: 1 change (") && said.contains("the list shows what is saved"),
        "{said}"
    );
    log.fail_append_after(0);
    press(&mut s, Command::ToggleRead);
    assert!(!shown(&s).read);
    let said = s.message.clone().unwrap_or_default();
    assert!(said.contains("2 changes refused this session"), "{said}");
    // (The log's groups are read on a first `u`, off this thread; none of
    // these changes reached it.)
    s.undo.loaded = true;
    press(&mut s, Command::Undo);
    assert_eq!(
        s.message.as_deref(),
        Some("nothing to undo"),
        "no refused change is on the undo stack"
    );
    // Saving works again: the change shows and is in the store.
    press(&mut s, Command::ToggleStar);
    assert!(shown(&s).starred);
    assert!(store.state(&shown_id(&s)).unwrap().starred);
}

fn shown_id(s: &hfpapers::app::AppState) -> PaperId {
    s.selected_entry().unwrap().row.id.clone()
}

#[test]
fn a_peer_copy_and_a_clock_an_older_version_believed_are_checked_again_on_open() {
    let (data, store) = seeded(2);
    let (log, _) = open(&store, data.path());
    let p = pid(0);
    // What an older version left: the far stamp copied into peers/, its
    // star in the store, and the store's clock moved past it.
    std::fs::create_dir_all(data.path().join("peers")).unwrap();
    std::fs::write(
        data.path().join("peers/aaaa.jsonl"),
        line("9999-12-31T23:59:59.999Z", "aaaa", &p, "star"),
    )
    .unwrap();
    let mut pos = log.position();
    pos.clock = changelog::Stamp {
        ms: 253_402_300_799_999,
        c: 7,
    };
    store
        .replace_states(&BTreeMap::from([(p.clone(), starred())]), &pos)
        .unwrap();
    drop(log);
    let (log, notices) = open(&store, data.path());
    assert!(
        !store.state(&p).unwrap().starred,
        "the far change is gone: {notices:?}"
    );
    assert!(
        notices
            .iter()
            .any(|n| n.contains("peers/aaaa.jsonl: skipped 1 line(s)")),
        "{notices:?}"
    );
    userstate::mark(&store, &log, &pid(1), &Mark::Star).unwrap();
    let own = std::fs::read_to_string(data.path().join("changes.jsonl")).unwrap();
    assert!(
        !own.contains("9999-") && !own.contains("+10000"),
        "stamped by this clock: {own}"
    );
    userstate::rebuild(&store, &log).unwrap();
    assert!(store.state(&pid(1)).unwrap().starred);
}

#[test]
fn a_sync_folder_of_more_peer_logs_than_the_limit_merges_the_first_and_names_the_rest() {
    let (data, store) = seeded(1);
    let (log, _) = open(&store, data.path());
    let folder = common::temp_dir();
    let t = now();
    for i in 0..70 {
        let dev = format!("d{i:03}");
        std::fs::write(
            folder.path().join(format!("{dev}.jsonl")),
            line(&t, &dev, &pid(0), "read"),
        )
        .unwrap();
    }
    let merged = userstate::sync_folder(&store, &log, folder.path()).unwrap();
    assert_eq!(merged.read, 64);
    let skipped: Vec<_> = merged
        .warnings
        .iter()
        .filter(|w| w.contains("more than 64 peer logs"))
        .collect();
    assert_eq!(skipped.len(), 6, "{:?}", merged.warnings);
    assert!(store.state(&pid(0)).unwrap().read);
}

/// A stamp as a hostile peer might write it: any year, any offset, any
/// counter, a device id sorting before or after this one.
fn hostile_line() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just(9999i64), Just(2026), 2019i64..2100, 0i64..9999],
        1u32..=12,
        1u32..=28,
        0u32..86_400,
        -1439i32..=1439,
        prop_oneof![Just(0u32), Just(u32::MAX), any::<u32>()],
        prop_oneof![Just("0000"), Just("zzzzzzzzzzzz"), Just("aaaa")],
        0u8..4,
    )
        .prop_map(|(y, mo, d, secs, off, c, dev, paper)| {
            let sign = if off < 0 { '-' } else { '+' };
            let t = format!(
                "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.999{sign}{:02}:{:02}",
                secs / 3600,
                secs / 60 % 60,
                secs % 60,
                off.abs() / 60,
                off.abs() % 60
            );
            format!(
                r#"{{"t":"{t}","c":{c},"dev":"{dev}","g":"h","paper":"{}","op":"star"}}"#,
                pid(u64::from(paper))
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever a peer's log stamps, this device's next change to a paper
    /// is the one that stays, through merges and rebuilds.
    #[test]
    fn whatever_a_peer_stamps_the_users_next_change_wins_and_stays(
        lines in proptest::collection::vec(hostile_line(), 1..12),
        paper in 0u8..4,
    ) {
        let (data, store) = seeded(4);
        let (log, _) = open(&store, data.path());
        let folder = common::temp_dir();
        for dev in ["0000", "zzzzzzzzzzzz", "aaaa"] {
            let mine: Vec<&str> = lines
                .iter()
                .map(String::as_str)
                .filter(|l| l.contains(&format!("\"dev\":\"{dev}\"")))
                .collect();
            let text = mine.join("\n") + "\n";
            std::fs::write(folder.path().join(format!("{dev}.jsonl")), text).unwrap();
        }
        userstate::sync_folder(&store, &log, folder.path()).unwrap();
        let id = pid(u64::from(paper));
        // Star then unstar: the unstar is the user's last word.
        userstate::mark(&store, &log, &id, &Mark::Star).unwrap();
        userstate::mark(&store, &log, &id, &Mark::Unstar).unwrap();
        for _ in 0..2 {
            userstate::sync_folder(&store, &log, folder.path()).unwrap();
            userstate::rebuild(&store, &log).unwrap();
            prop_assert!(!store.state(&id).unwrap().starred, "the unstar stays");
        }
        let path = data.path().join("changes.jsonl");
        let written = std::fs::read_to_string(&path).unwrap().lines().count();
        prop_assert!(written >= 1);
        prop_assert_eq!(changelog::read_file(&path).unwrap().len(), written, "every line this device wrote is a valid change");
    }
}
