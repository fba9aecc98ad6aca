//! Follows and mutes: queries from the config that flag papers `!`, gather
//! them in the Following view, and leave muted papers out of every view
//! but All, counted; added from the command line and with `f`.

use hfpapers::app::{
    Action, AppState, Command, Effect, InputKey, Net, Outcome, PromptKind, Screen, ViewKind, update,
};
use hfpapers::domain::interests::{Interests, Marks};
use hfpapers::domain::model::{Day, FetchedDay, Paper, PaperId, parse_day};
use hfpapers::search::index::Index;
use hfpapers::store::Store;
use std::path::Path;
use std::process::Command as Process;

fn paper(id: &str, authors: &[&str], org: Option<&str>, upvotes: u64) -> Paper {
    Paper {
        id: PaperId(id.into()),
        title: format!("Paper {id}"),
        summary: "An abstract.".into(),
        authors: authors.iter().map(|a| (*a).to_string()).collect(),
        organization: org.map(str::to_string),
        ai_keywords: vec!["state space".into()],
        upvotes,
        ..Paper::default()
    }
}

/// Two days: Albert Gu has a paper on each, Example Lab (muted below) one.
fn store_two_days(data: &Path) -> (Store, Day) {
    let store = Store::open(&hfpapers::store::store_dir(data)).unwrap();
    let (d1, d2) = (
        parse_day("2026-11-25").unwrap(),
        parse_day("2026-11-26").unwrap(),
    );
    store
        .save_day(&FetchedDay::new(
            d1,
            vec![
                paper("2611.25001", &["Albert Gu", "Tri Dao"], None, 50),
                paper("2611.25002", &["Ada Lovelace"], Some("Other Org"), 40),
            ],
        ))
        .unwrap();
    store
        .save_day(&FetchedDay::new(
            d2,
            vec![
                paper("2611.26001", &["Grace Hopper"], Some("Example Lab"), 90),
                paper("2611.26002", &["Karen Gu", "Albert Gu"], None, 30),
                paper("2611.26003", &["Alan Turing"], None, 20),
            ],
        ))
        .unwrap();
    (store, d2)
}

fn interests() -> Interests {
    Interests::new(
        vec!["author:\"Albert Gu\"".into()],
        vec!["org:\"Example Lab\"".into()],
    )
    .unwrap()
}

fn view(store: &Store, index: &Index, kind: ViewKind, today: Day) -> (Vec<String>, Marks) {
    let shown = crate::run::view(store, index, kind, today, &interests());
    (shown.ids, shown.marks)
}

#[test]
fn a_mute_hides_papers_from_every_view_but_all_and_the_status_counts_them() {
    let data = crate::common::temp_dir();
    let (store, today) = store_two_days(data.path());
    let index = Index::open(&store).unwrap();
    let (day, marks) = view(&store, &index, ViewKind::Day(None), today);
    assert_eq!(day.len(), 2, "the Example Lab paper is hidden: {day:?}");
    assert!(!day.contains(&"2611.26001".to_string()));
    assert_eq!(
        marks,
        Marks {
            followed: 1,
            muted: 1
        }
    );
    let (unread, marks) = view(&store, &index, ViewKind::Query("is:unread".into()), today);
    assert_eq!(unread.len(), 4, "{unread:?}");
    assert_eq!(marks.muted, 1);
    let (all, marks) = view(&store, &index, ViewKind::Query(String::new()), today);
    assert_eq!(all.len(), 5, "All shows everything: {all:?}");
    assert_eq!(
        marks,
        Marks {
            followed: 2,
            muted: 0
        }
    );
    // Muted, never deleted.
    assert!(store.row(&PaperId("2611.26001".into())).unwrap().is_some());
}

#[test]
fn the_following_view_gathers_followed_papers_of_every_day_and_the_sidebar_counts_them() {
    let data = crate::common::temp_dir();
    let (store, today) = store_two_days(data.path());
    let index = Index::open(&store).unwrap();
    let items = hfpapers::search::views::count_views(
        &store,
        Some(&index),
        &[],
        (None, today),
        &interests(),
    );
    let following = items
        .iter()
        .find(|i| i.name == "Following")
        .expect("a Following view");
    assert_eq!((following.total, following.unread), (2, 2));
    let all = items.iter().find(|i| i.name == "All").unwrap();
    assert_eq!(all.total, 5);
    let unread = items.iter().find(|i| i.name == "Unread").unwrap();
    assert_eq!(unread.total, 4, "the muted paper is not counted");
    let latest = items.iter().find(|i| i.name == "Latest day").unwrap();
    assert_eq!(latest.total, 2);
    let (ids, marks) = view(&store, &index, following.kind.clone(), today);
    assert_eq!(ids.len(), 2);
    assert!(
        ids.iter()
            .all(|id| ["2611.25001", "2611.26002"].contains(&id.as_str()))
    );
    assert_eq!(marks.followed, 2);
    // Nothing followed: no Following view.
    let items = hfpapers::search::views::count_views(
        &store,
        Some(&index),
        &[],
        (None, today),
        &Interests::default(),
    );
    assert!(items.iter().all(|i| i.name != "Following"));
}

#[test]
fn f_on_the_paper_screen_offers_its_org_and_authors_and_a_digit_follows_one() {
    let day = parse_day("2026-11-26").unwrap();
    let p = paper(
        "2611.26001",
        &["Grace Hopper", "Alan Turing"],
        Some("Example Lab"),
        9,
    );
    let mut s = AppState::new(Net::Online, None, true);
    update(
        &mut s,
        Action::Done(Outcome::DayLoaded {
            day,
            entries: vec![hfpapers::domain::model::Entry {
                row: hfpapers::domain::model::Row::of(&p, day, 1),
                state: hfpapers::domain::model::UserState::default(),
            }],
            sample: false,
        }),
    );
    // On the list, `f` says what it needs.
    update(&mut s, Action::Command(Command::Follow));
    assert!(s.prompt.is_none());
    assert!(s.message.as_deref().unwrap().contains("open a paper"));
    update(&mut s, Action::Command(Command::OpenDetail));
    update(&mut s, Action::Done(Outcome::DetailLoaded(Box::new(p))));
    assert_eq!(s.screen, Screen::Detail);
    update(&mut s, Action::Command(Command::Follow));
    let Some(PromptKind::Follow(choices)) = s.prompt.as_ref().map(|p| p.kind.clone()) else {
        panic!("no follow menu: {:?}", s.prompt);
    };
    assert_eq!(
        choices,
        [
            "org:\"Example Lab\"",
            "author:\"Grace Hopper\"",
            "author:\"Alan Turing\"",
            "kw:\"state space\""
        ]
    );
    let effects = update(&mut s, Action::Input(InputKey::Char('3')));
    assert_eq!(effects, [Effect::Follow("author:\"Alan Turing\"".into())]);
    // The runtime answers with the new interests: the list is computed again.
    let now = std::sync::Arc::new(
        Interests::new(vec!["author:\"Alan Turing\"".into()], Vec::new()).unwrap(),
    );
    let effects = update(&mut s, Action::Done(Outcome::InterestsChanged(now.clone())));
    assert_eq!(s.interests, now);
    assert!(
        matches!(effects.as_slice(), [Effect::RunView(_)]),
        "{effects:?}"
    );
    // Anything but a digit follows nothing.
    update(&mut s, Action::Command(Command::Follow));
    assert!(update(&mut s, Action::Input(InputKey::Esc)).is_empty());
    assert_eq!(s.message.as_deref(), Some("nothing followed"));
}

fn hfpapers(data: &Path, config: &Path, args: &[&str]) -> std::process::Output {
    Process::new(env!("CARGO_BIN_EXE_hfpapers"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("HFPAPERS_DATA_DIR", data)
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .output()
        .unwrap()
}

#[test]
fn follow_and_mute_commands_keep_queries_in_the_config_and_refuse_bad_ones() {
    let data = crate::common::temp_dir();
    drop(store_two_days(data.path()));
    let config = data.path().join("config.toml");
    let out = hfpapers(data.path(), &config, &["follow", "author:\"Albert Gu\""]);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("following author:\"Albert Gu\" (2 of the stored papers"),
        "{said}"
    );
    let out = hfpapers(data.path(), &config, &["mute", "org:\"Example Lab\""]);
    assert!(out.status.success(), "{out:?}");
    let out = hfpapers(data.path(), &config, &["follow"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "author:\"Albert Gu\"\t2\n"
    );
    let out = hfpapers(data.path(), &config, &["mute"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "org:\"Example Lab\"\t1\n"
    );
    let loaded = hfpapers::platform::config::load(Some(&config)).unwrap();
    assert_eq!(loaded.follow, ["author:\"Albert Gu\""]);
    // A query that does not parse: exit 2, the reason, the file unchanged.
    let before = std::fs::read_to_string(&config).unwrap();
    let out = hfpapers(data.path(), &config, &["follow", "upvotes:>>3"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot follow"));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), before);
    let out = hfpapers(
        data.path(),
        &config,
        &["follow", "--remove", "author:\"Albert Gu\""],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(
        hfpapers::platform::config::load(Some(&config))
            .unwrap()
            .follow
            .is_empty()
    );
}
