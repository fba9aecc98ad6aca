//! Full texts: fetched ahead for starred papers by a sync, kept, and read
//! offline (`hfpapers read`, and `F` in the reader's paper view).

use crate::common::fake_hf::FakeHf;
use std::path::Path;
use std::process::Output;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

async fn hfpapers(endpoint: &str, data: &Path, args: &[&str]) -> Output {
    crate::run::cli(endpoint, data, args).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paper_starred_online_reads_in_full_after_the_server_is_gone() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(FakeHf::weekdays("2025-09-08", "2025-09-10", 5))
        .mount(&server)
        .await;
    let data = crate::common::temp_dir();
    let uri = server.uri();
    assert!(
        hfpapers(&uri, data.path(), &["sync"])
            .await
            .status
            .success()
    );
    let out = hfpapers(
        &uri,
        data.path(),
        &["mark", "--star", "2509.10001", "2509.10002"],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    let out = hfpapers(&uri, data.path(), &["sync"]).await;
    assert!(out.status.success(), "{out:?}");
    assert!(
        crate::run::stdout(&out).contains("full texts: 2 fetched; 2 stored"),
        "{}",
        crate::run::stdout(&out)
    );
    // Nothing is fetched twice.
    let again = hfpapers(&uri, data.path(), &["sync"]).await;
    assert!(
        !crate::run::stdout(&again).contains("full texts:"),
        "{}",
        crate::run::stdout(&again)
    );
    let doctor = crate::run::stdout(&hfpapers(&uri, data.path(), &["doctor"]).await);
    assert!(doctor.contains("texts:     2 full texts kept"), "{doctor}");
    // The network off: nothing answers (a pooled mock server would).
    drop(server);
    let uri = "http://127.0.0.1:9".to_string();

    let out = hfpapers(&uri, data.path(), &["read", "2509.10001"]).await;
    assert!(out.status.success(), "{out:?}");
    let text = crate::run::stdout(&out);
    for part in [
        "Abstract",
        "2 Results",
        "Tortoise-S │ 1B",
        "[1] https://example.org/bench",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
    let md = crate::run::stdout(
        &hfpapers(&uri, data.path(), &["read", "2509.10001", "--markdown"]).await,
    );
    assert!(md.starts_with("# Paper 1 of 2025-09-10"), "{md}");
    // Not stored, and the server gone: it says so, and how to keep one.
    let out = hfpapers(&uri, data.path(), &["read", "2509.10004"]).await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not stored") && err.contains("hfpapers sync"),
        "{err}"
    );
}

#[test]
fn a_text_over_the_cap_is_cut_at_a_line_and_says_so_and_the_total_cap_stops_keeping() {
    let data = crate::common::temp_dir();
    let store = hfpapers::store::Store::open(&hfpapers::store::store_dir(data.path())).unwrap();
    let id = hfpapers::domain::model::PaperId("2509.00001".into());
    let long = "a line of the paper\n".repeat(200);
    let kept = store.save_text(&id, &long, (1024, 1 << 30)).unwrap();
    assert!(
        matches!(
            kept,
            hfpapers::store::texts::Kept::Truncated { size: 4000, .. }
        ),
        "{kept:?}"
    );
    let text = store.text(&id).unwrap().unwrap();
    assert!(
        text.len() < 1200 && text.contains("cut by hfpapers at 1 KiB"),
        "{text}"
    );
    assert!(text.lines().next() == Some("a line of the paper"));
    let (count, bytes) = store.texts_size().unwrap();
    assert_eq!(count, 1);
    let other = hfpapers::domain::model::PaperId("2509.00002".into());
    assert_eq!(
        store.save_text(&other, "short", (1024, bytes)).unwrap(),
        hfpapers::store::texts::Kept::Full
    );
    assert_eq!(store.text(&other).unwrap(), None);
}

#[test]
fn the_full_text_is_searchable_on_its_own_and_ranks_below_the_abstract() {
    use hfpapers::domain::model::{FetchedDay, Paper, PaperId, parse_day};
    use hfpapers::domain::query::{SortKey, parse};
    let data = crate::common::temp_dir();
    let store = hfpapers::store::Store::open(&hfpapers::store::store_dir(data.path())).unwrap();
    let paper = |id: &str, summary: &str| Paper {
        id: PaperId(id.into()),
        title: format!("Paper {id}"),
        summary: summary.into(),
        ..Paper::default()
    };
    let day = parse_day("2025-09-10").unwrap();
    store
        .save_day(&FetchedDay::new(
            day,
            vec![
                paper("2509.00001", "About fish in general."),
                paper("2509.00002", "A zebrafish study, in the abstract."),
                paper("2509.00003", "Nothing of the sort."),
            ],
        ))
        .unwrap();
    let caps = (1 << 20, 1 << 30);
    store
        .save_text(
            &PaperId("2509.00001".into()),
            "# Paper\n\nSection 4 looks at zebrafish larvae.",
            caps,
        )
        .unwrap();
    let index = hfpapers::search::index::Index::open(&store).unwrap();
    let ids = |q: &str| -> Vec<String> {
        index
            .query(&parse(q).unwrap(), SortKey::Relevance, day)
            .iter()
            .map(|e| e.row.id.as_str().to_string())
            .collect()
    };
    assert_eq!(ids("in:fulltext zebrafish"), ["2509.00001"]);
    assert_eq!(ids("in:fulltext \"zebrafish larvae\""), ["2509.00001"]);
    assert_eq!(ids("in:fulltext larvae -in:fulltext cats"), ["2509.00001"]);
    // A bare word finds it in the full text too, below the abstract's match.
    assert_eq!(ids("zebrafish"), ["2509.00002", "2509.00001"]);
    assert!(ids("in:fulltext abstract").is_empty());
    // The language says what it wants.
    assert!(
        parse("in:fulltext")
            .unwrap_err()
            .to_string()
            .contains("after in:fulltext")
    );
    assert!(
        parse("in:title x")
            .unwrap_err()
            .to_string()
            .contains("in:fulltext")
    );
    let q = parse("in:fulltext \"zebrafish larvae\" sort:rising").unwrap();
    assert_eq!(parse(&q.to_string()).unwrap(), q);
}

#[test]
fn the_texts_total_follows_every_replacement_and_absence_without_reading_them_all() {
    use hfpapers::domain::model::PaperId;
    use hfpapers::store::texts::Kept;
    let data = crate::common::temp_dir();
    let dir = hfpapers::store::store_dir(data.path());
    let caps = (1 << 20, 1 << 30);
    let kept = |k: Kept| match k {
        Kept::Stored { kept, .. } | Kept::Truncated { kept, .. } => kept as u64,
        Kept::Full => panic!("not full"),
    };
    let (a, b) = (PaperId("2509.00001".into()), PaperId("2509.00002".into()));
    {
        let store = hfpapers::store::Store::open(&dir).unwrap();
        kept(
            store
                .save_text(&a, &"first version ".repeat(100), caps)
                .unwrap(),
        );
        let a2 = kept(
            store
                .save_text(&a, &"second, longer version ".repeat(300), caps)
                .unwrap(),
        );
        let b1 = kept(store.save_text(&b, "short", caps).unwrap());
        assert_eq!(
            store.texts_size().unwrap(),
            (2, a2 + b1),
            "a replaced, b added"
        );
        store.mark_text_absent(&a).unwrap();
        assert_eq!(store.texts_size().unwrap(), (1, b1), "a gone");
    }
    // The total survives a restart.
    let store = hfpapers::store::Store::open(&dir).unwrap();
    assert_eq!(store.texts_size().unwrap().0, 1);
}
