//! For you: a taste learned from what the reader starred and read, ranking
//! later days, measured on simulated readers and used through the CLI.

use hfpapers::domain::model::{FetchedDay, PaperId, UserState, parse_day};
use std::path::Path;
use std::process::Command;

#[test]
fn simulated_readers_find_their_topics_first_at_least_twice_as_often_as_upvote_order() {
    let dir = crate::common::temp_dir();
    let results = hfpapers::cli::simulate::run(dir.path(), 3, 60, 11).unwrap();
    assert_eq!(results.len(), 3);
    let mean = |f: fn(&hfpapers::cli::simulate::ReaderResult) -> f64| {
        results.iter().map(f).sum::<f64>() / results.len() as f64
    };
    let (foryou, upvotes) = (mean(|r| r.precision_foryou), mean(|r| r.precision_upvotes));
    assert!(
        foryou >= 2.0 * upvotes,
        "precision@10: For you {foryou:.3}, upvotes {upvotes:.3}"
    );
    assert!(mean(|r| r.ndcg_foryou) > mean(|r| r.ndcg_upvotes));
}

fn hfpapers(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hfpapers"))
        .args(args)
        .env("HFPAPERS_DATA_DIR", data)
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .env_remove("HFPAPERS_CONFIG")
        .output()
        .unwrap()
}

/// The sample digest stored as one day, with `starred` sample papers starred.
fn store_with_stars(data: &Path, starred: &[&str]) {
    let store = hfpapers::store::Store::open(&hfpapers::store::store_dir(data)).unwrap();
    let papers = hfpapers::domain::sample::sample_papers().to_vec();
    store
        .save_day(&FetchedDay::new(parse_day("2025-09-10").unwrap(), papers))
        .unwrap();
    let states: Vec<(PaperId, UserState)> = starred
        .iter()
        .map(|id| {
            let st = UserState {
                starred: true,
                read: true,
                ..UserState::default()
            };
            (PaperId((*id).into()), st)
        })
        .collect();
    store.set_states(&states).unwrap();
}

#[test]
fn a_cold_start_says_how_many_stars_are_needed_and_sorts_by_upvotes() {
    let data = crate::common::temp_dir();
    store_with_stars(data.path(), &["sample-09", "sample-36"]);
    let out = hfpapers(data.path(), &["list", "sort:foryou"]);
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 so far, 5 needed"), "{err}");
    // A tag says the reader likes a paper; "less like this" (`-`, the tag
    // not-for-me) says the opposite, and is no like.
    for (id, tag) in [("sample-01", "rl"), ("sample-02", "not-for-me")] {
        let out = hfpapers(data.path(), &["mark", id, "--tag", tag]);
        assert!(out.status.success(), "{out:?}");
    }
    let out = hfpapers(data.path(), &["list", "sort:foryou"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 so far, 5 needed"), "{err}");
    let upvotes: Vec<u64> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').nth(2).unwrap().parse().unwrap())
        .collect();
    assert_eq!(upvotes.len(), 73);
    assert!(upvotes.windows(2).all(|w| w[0] >= w[1]), "{upvotes:?}");
}

/// Day one: the sample but the papers kept for day two, five video papers
/// starred. Day two: the other video papers among ten others. Gives the
/// video papers.
fn two_days(data: &Path) -> Vec<hfpapers::domain::model::Paper> {
    let sample = hfpapers::domain::sample::sample_papers();
    let is_video = |p: &&hfpapers::domain::model::Paper| {
        format!("{} {}", p.title, p.summary)
            .to_lowercase()
            .contains("video")
    };
    let video: Vec<_> = sample.iter().filter(is_video).cloned().collect();
    assert!(
        video.len() >= 6,
        "the sample has {} video papers",
        video.len()
    );
    let others: Vec<_> = sample.iter().filter(|p| !is_video(p)).cloned().collect();
    let mut day_two: Vec<_> = video[5..].to_vec();
    day_two.extend(others[..10].iter().cloned());
    let mut day_one: Vec<_> = video[..5].to_vec();
    day_one.extend(others[10..].iter().cloned());
    let store = hfpapers::store::Store::open(&hfpapers::store::store_dir(data)).unwrap();
    store
        .save_day(&FetchedDay::new(parse_day("2025-09-10").unwrap(), day_one))
        .unwrap();
    store
        .save_day(&FetchedDay::new(parse_day("2025-09-11").unwrap(), day_two))
        .unwrap();
    let starred: Vec<(PaperId, UserState)> = video[..5]
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                UserState {
                    starred: true,
                    read: true,
                    ..UserState::default()
                },
            )
        })
        .collect();
    store.set_states(&starred).unwrap();
    video
}

#[test]
fn list_sort_foryou_ranks_a_new_day_by_the_starred_topic_with_a_score_and_reasons_in_json() {
    let data = crate::common::temp_dir();
    let video = two_days(data.path());
    let out = hfpapers(
        data.path(),
        &["list", "date:2025-09-11 sort:foryou", "--json"],
    );
    assert!(out.status.success(), "{out:?}");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), video.len() - 5 + 10);
    let scores: Vec<f64> = rows
        .iter()
        .map(|r| r["foryou"]["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
    // The starred topic comes first.
    let first = &rows[0];
    assert!(
        video[5..].iter().any(|p| p.id.as_str() == first["id"]),
        "{first}"
    );
    let reasons = first["foryou"]["reasons"].as_array().unwrap();
    assert!(!reasons.is_empty() && reasons.len() <= 3, "{reasons:?}");
    for r in reasons {
        assert!(["word", "author", "org", "keyword"].contains(&r["kind"].as_str().unwrap()));
        assert!(r["weight"].as_f64().is_some() && r["feature"].as_str().is_some());
    }
    assert!(
        reasons.iter().any(|r| r["weight"].as_f64().unwrap() > 0.0),
        "{reasons:?}"
    );
}

#[test]
fn the_reader_learns_a_taste_in_the_background_and_its_for_you_view_explains_each_paper() {
    use hfpapers::app::{ViewKind, ViewSpec};
    let data = crate::common::temp_dir();
    let sample = hfpapers::domain::sample::sample_papers();
    let video: Vec<&str> = sample
        .iter()
        .filter(|p| {
            format!("{} {}", p.title, p.summary)
                .to_lowercase()
                .contains("video")
        })
        .map(|p| p.id.as_str())
        .collect();
    store_with_stars(data.path(), &video[..5]);
    let store = hfpapers::store::Store::open(&hfpapers::store::store_dir(data.path())).unwrap();
    let service = hfpapers::library::index::IndexService::default();
    service.build_now(&store).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let learned = runtime.block_on(async {
        service.request_taste(store.clone(), move |e| {
            let _ = tx.send(e);
        });
        tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv()).await
    });
    assert!(
        matches!(
            learned,
            Ok(Some(hfpapers::library::index::IndexEvent::Learned {
                liked: 5,
                ready: true
            }))
        ),
        "{learned:?}"
    );
    let spec = ViewSpec {
        kind: ViewKind::ForYou,
        filter: hfpapers::domain::query::Filter::default(),
        sort: hfpapers::domain::query::SortKey::Date,
        sample: false,
        period: hfpapers::domain::model::Period::Day,
    };
    let search = hfpapers::library::online::OnlineResults::default();
    let today = parse_day("2025-09-10").unwrap();
    let Ok(hfpapers::domain::view::Shown {
        entries, foryou, ..
    }) = service.run_view(&store, &search, &spec, today)
    else {
        panic!("no For you view");
    };
    assert_eq!(entries.len(), 73);
    assert_eq!(foryou.len(), 73, "every paper is explained");
    let scores: Vec<f32> = entries
        .all()
        .iter()
        .map(|e| {
            foryou
                .iter()
                .find(|(id, _)| *id == e.row.id)
                .unwrap()
                .1
                .score
        })
        .collect();
    // Unread papers first, read ones after (the starred five are read:
    // done with, however well they score), each part ranked by score.
    let all = entries.all();
    let unread = all.iter().take_while(|e| !e.state.read).count();
    assert!(
        all[unread..].iter().all(|e| e.state.read),
        "read after unread"
    );
    assert_eq!(
        all.len() - unread,
        5,
        "the five starred papers are the read ones"
    );
    for part in [&scores[..unread], &scores[unread..]] {
        assert!(
            part.windows(2).all(|w| w[0] >= w[1]),
            "ranked by score: {scores:?}"
        );
    }
    // The papers starred are liked most: first among the read.
    assert!(all[unread..].iter().all(|e| e.state.starred));
    assert!(scores[unread] > scores[0], "liked more than any unread one");
}

#[test]
fn a_muted_feature_never_counts_and_foryou_lists_the_mutes() {
    let data = crate::common::temp_dir();
    two_days(data.path());
    let config = data.path().join("config.toml");
    std::fs::write(
        &config,
        "[foryou]\nmute = [\"word:video\", \"author:Zoë Müller\"]\n",
    )
    .unwrap();
    let with = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_hfpapers"))
            .args(args)
            .env("HFPAPERS_DATA_DIR", data.path())
            .env("HFPAPERS_CONFIG", &config)
            .env("HF_ENDPOINT", "http://127.0.0.1:9")
            .output()
            .unwrap()
    };
    let out = with(&["foryou", "--muted"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "word:video\nauthor:zoe muller\n"
    );
    // `hfpapers foryou` is the latest day ranked: no reason is a muted one.
    let out = with(&["foryou", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows.iter().all(|r| r["date"] == "2025-09-11"));
    let features: Vec<&str> = rows
        .iter()
        .flat_map(|r| r["foryou"]["reasons"].as_array().unwrap())
        .map(|r| r["feature"].as_str().unwrap())
        .collect();
    assert!(
        !features.is_empty() && !features.contains(&"video"),
        "{features:?}"
    );
    // A mute that names no feature is a config error, with its line.
    std::fs::write(&config, "[foryou]\nmute = [\"colour:red\"]\n").unwrap();
    let out = with(&["foryou", "--muted"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2") && err.contains("colour"), "{err}");
}

#[test]
fn more_like_a_tag_ranks_unread_papers_of_its_topic_first_and_the_sidebar_offers_it() {
    let data = crate::common::temp_dir();
    let video = two_days(data.path());
    let mut args = vec!["mark", "--tag", "video"];
    args.extend(video[..5].iter().map(|p| p.id.as_str()));
    assert!(hfpapers(data.path(), &args).status.success());
    let out = hfpapers(data.path(), &["foryou", "--tag", "video", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let unseen_video: Vec<&str> = video[5..].iter().map(|p| p.id.as_str()).collect();
    assert!(
        unseen_video.contains(&ids[0]),
        "a video paper first: {ids:?} (video: {unseen_video:?})"
    );
    let top = &ids[..(unseen_video.len() + 3).min(ids.len())];
    assert!(
        unseen_video.iter().all(|id| top.contains(id)),
        "every unread video paper near the top: {ids:?}"
    );
    // Unread papers not yet tagged: the tagged ones (read) are not listed.
    assert!(rows.iter().all(|r| r["read"] == false), "{rows:?}");
    assert!(
        rows[0]["foryou"]["reasons"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
    // Too few papers with a tag: it says how many are needed.
    let out = hfpapers(data.path(), &["foryou", "--tag", "rl"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("0 so far, 5 needed"),
        "{out:?}"
    );
    // The sidebar offers "more like #video" under #video.
    let store = hfpapers::store::Store::open(&hfpapers::store::store_dir(data.path())).unwrap();
    let index = hfpapers::search::index::Index::open(&store).unwrap();
    let items = hfpapers::search::views::count_views(
        &store,
        Some(&index),
        &[],
        (None, parse_day("2025-09-11").unwrap()),
        &hfpapers::domain::interests::Interests::default(),
    );
    let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
    let at = names.iter().position(|n| *n == "#video").unwrap();
    assert_eq!(names[at + 1], "↳ more like #video", "{names:?}");
    assert_eq!(
        items[at + 1].kind,
        hfpapers::app::ViewKind::MoreLike("video".into())
    );
}
