//! The headless commands, run as a user runs them: the real binary against
//! a wiremock server on 127.0.0.1 and a temporary data dir.

use crate::common;

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};
use wiremock::matchers::{path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Runs `hfpapers ARGS` with the given endpoint and data dir, off the async runtime.
async fn hfpapers(endpoint: &str, data: &Path, args: &[&str]) -> Output {
    crate::run::cli(endpoint, data, args).await
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The latest list holds `n` papers of `day`; any dated list is empty.
async fn server_with_latest(n: usize, day: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .and(query_param_is_missing("date"))
        .respond_with(ResponseTemplate::new(200).set_body_json(common::items("2509", n, day)))
        .mount(&server)
        .await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .with_priority(10)
        .mount(&server)
        .await;
    server
}

/// A data dir synced from a server whose latest digest has `n` papers of
/// `day`; the server stays up while its handle is kept.
async fn synced_with_latest(n: usize, day: &str) -> (MockServer, tempfile::TempDir, String) {
    let server = server_with_latest(n, day).await;
    let data = common::temp_dir();
    let uri = server.uri();
    assert!(
        hfpapers(&uri, data.path(), &["sync"])
            .await
            .status
            .success()
    );
    (server, data, uri)
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_prints_a_line_per_day_and_a_total_then_counts_nothing_new() {
    let server = server_with_latest(3, "2025-09-10").await;
    let data = common::temp_dir();
    let out = hfpapers(&server.uri(), data.path(), &["sync"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "2025-09-10\t3 papers\t3 new\ntotal: 1 day, 3 papers, 3 new, 0 failed (1 request)\n"
    );
    let again = hfpapers(&server.uri(), data.path(), &["sync"]).await;
    assert_eq!(
        stdout(&again),
        "2025-09-10\t3 papers\t0 new\ntotal: 1 day, 3 papers, 0 new, 0 failed (1 request)\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_of_a_date_asks_for_that_date() {
    let server = server_with_latest(1, "2025-09-10").await;
    Mock::given(path("/api/daily_papers"))
        .and(query_param("date", "2025-09-08"))
        .respond_with(ResponseTemplate::new(200).set_body_json(common::items(
            "2508",
            2,
            "2025-09-08",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let data = common::temp_dir();
    let out = hfpapers(
        &server.uri(),
        data.path(),
        &["sync", "--date", "2025-09-08"],
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "2025-09-08\t2 papers\t2 new\n2025-09-10\t1 paper\t1 new\ntotal: 2 days, 3 papers, 3 new, 0 failed (2 requests)\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_with_nothing_fetched_fails_with_a_clear_message() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let data = common::temp_dir();
    let out = hfpapers(&format!("http://127.0.0.1:{port}"), data.path(), &["sync"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("nothing could be fetched"), "{err}");
    assert!(err.contains("cannot reach"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_service_error_body_is_shown_to_the_user() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "Invalid date"})))
        .mount(&server)
        .await;
    let data = common::temp_dir();
    let out = hfpapers(
        &server.uri(),
        data.path(),
        &["sync", "--date", "2025-09-08"],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("HTTP 400: Invalid date"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn list_mark_and_show_work_on_what_sync_stored() {
    let (_server, data, uri) = synced_with_latest(3, "2025-09-10").await;

    let list = hfpapers(&uri, data.path(), &["list"]).await;
    assert_eq!(
        stdout(&list),
        "2509.00000\t2025-09-10\t3\tN\tPaper 0 of 2025-09-10\n\
         2509.00001\t2025-09-10\t2\tN\tPaper 1 of 2025-09-10\n\
         2509.00002\t2025-09-10\t1\tN\tPaper 2 of 2025-09-10\n"
    );

    let mark = hfpapers(&uri, data.path(), &["mark", "2509.00001", "--star"]).await;
    assert!(mark.status.success(), "{}", stderr(&mark));
    assert_eq!(
        stdout(&mark),
        "starred\t2509.00001\tPaper 1 of 2025-09-10\n"
    );
    let read = hfpapers(
        &uri,
        data.path(),
        &["mark", "2509.00001", "2509.00002", "--read"],
    )
    .await;
    assert_eq!(stdout(&read).lines().count(), 2);

    let starred = hfpapers(&uri, data.path(), &["list", "--starred"]).await;
    assert_eq!(
        stdout(&starred),
        "2509.00001\t2025-09-10\t2\t*\tPaper 1 of 2025-09-10\n"
    );
    let unread = hfpapers(
        &uri,
        data.path(),
        &["list", "--unread", "--date", "2025-09-10"],
    )
    .await;
    assert_eq!(stdout(&unread).lines().count(), 1);

    let json: Value = serde_json::from_slice(
        &hfpapers(&uri, data.path(), &["list", "--json"])
            .await
            .stdout,
    )
    .unwrap();
    let first = &json[1];
    for key in [
        "id", "date", "title", "authors", "upvotes", "comments", "read", "starred", "tags",
    ] {
        assert!(first.get(key).is_some(), "list --json lacks {key}: {first}");
    }
    assert_eq!(first["id"], "2509.00001");
    assert_eq!(first["date"], "2025-09-10");
    assert_eq!(first["authors"], json!(["Ada Lovelace"]));
    assert_eq!(
        (first["read"].as_bool(), first["starred"].as_bool()),
        (Some(true), Some(true))
    );

    let show = hfpapers(&uri, data.path(), &["show", "2509.00001"]).await;
    let text = stdout(&show);
    assert!(text.starts_with("Paper 1 of 2025-09-10\n"), "{text}");
    assert!(text.contains("state:     read, starred"), "{text}");
    assert!(text.contains("https://arxiv.org/abs/2509.00001"), "{text}");
    assert!(
        text.contains("Abstract of Paper 1 of 2025-09-10."),
        "{text}"
    );
    let show_json: Value = serde_json::from_slice(
        &hfpapers(&uri, data.path(), &["show", "2509.00001", "--json"])
            .await
            .stdout,
    )
    .unwrap();
    assert_eq!(show_json["summary"], "Abstract of Paper 1 of 2025-09-10.");
    assert_eq!(show_json["starred"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_ids_fail_and_change_nothing() {
    let (_server, data, uri) = synced_with_latest(2, "2025-09-10").await;
    let out = hfpapers(
        &uri,
        data.path(),
        &["mark", "2509.00000", "9999.99999", "--star"],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown paper id 9999.99999; nothing was changed"),
        "{}",
        stderr(&out)
    );
    let starred = hfpapers(&uri, data.path(), &["list", "--starred"]).await;
    assert_eq!(
        stdout(&starred),
        "",
        "the known id must not have been starred either"
    );
    let show = hfpapers(&uri, data.path(), &["show", "9999.99999"]).await;
    assert_eq!(show.status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_exit_2() {
    let data = common::temp_dir();
    let out = hfpapers(
        "http://127.0.0.1:9",
        data.path(),
        &["list", "--date", "2025-9-1"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("expected YYYY-MM-DD"));
    let out = hfpapers("http://127.0.0.1:9", data.path(), &["mark", "2509.00000"]).await;
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_instance_exits_at_once_naming_the_data_dir() {
    let data = common::temp_dir();
    let store_dir = data.path().join("store");
    let _held = hfpapers::store::Store::open(&store_dir).unwrap();
    let started = std::time::Instant::now();
    let out = hfpapers("http://127.0.0.1:9", data.path(), &["list"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("another hfpapers is already using"), "{err}");
    assert!(err.contains(&store_dir.display().to_string()), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread")]
async fn list_takes_a_query_tags_work_and_a_bad_query_exits_2() {
    let (_server, data, uri) = synced_with_latest(3, "2025-09-10").await;
    let tagged = hfpapers(
        &uri,
        data.path(),
        &["mark", "2509.00001", "2509.00002", "--tag", "rl"],
    )
    .await;
    assert_eq!(
        stdout(&tagged),
        "tagged rl\t2509.00001\tPaper 1 of 2025-09-10\ntagged rl\t2509.00002\tPaper 2 of 2025-09-10\n"
    );
    hfpapers(&uri, data.path(), &["mark", "2509.00002", "--untag", "rl"]).await;
    hfpapers(
        &uri,
        data.path(),
        &["mark", "2509.00002", "--tag", "to-read"],
    )
    .await;
    assert_eq!(
        stdout(&hfpapers(&uri, data.path(), &["tags"]).await),
        "rl\t1\nto-read\t1\n"
    );

    let json: Value = serde_json::from_slice(
        &hfpapers(
            &uri,
            data.path(),
            &["list", "tag:rl OR tag:to-read", "--json"],
        )
        .await
        .stdout,
    )
    .unwrap();
    let ids: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["2509.00001", "2509.00002"]);
    assert_eq!(json[0]["tags"], json!(["rl"]));

    // Words search titles and abstracts; sort: orders.
    let found = hfpapers(&uri, data.path(), &["list", "abstract \"paper 2\""]).await;
    assert_eq!(
        stdout(&found),
        "2509.00002\t2025-09-10\t1\tN\tPaper 2 of 2025-09-10\n"
    );
    let sorted = hfpapers(&uri, data.path(), &["list", "upvotes:<3 sort:upvotes"]).await;
    assert_eq!(
        stdout(&sorted)
            .lines()
            .map(|l| l.split('\t').next().unwrap())
            .collect::<Vec<_>>(),
        ["2509.00001", "2509.00002"]
    );

    let bad = hfpapers(&uri, data.path(), &["list", "upvotes:>>"]).await;
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(stdout(&bad), "");
    assert!(
        stderr(&bad).contains("upvotes:>> — expected a number after \">\" at column 10"),
        "{}",
        stderr(&bad)
    );
    let bad_tag = hfpapers(
        &uri,
        data.path(),
        &["mark", "2509.00001", "--tag", "Big Data"],
    )
    .await;
    assert_eq!(bad_tag.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn search_asks_hugging_face_and_shows_stored_state() {
    let server = server_with_latest(2, "2025-09-10").await;
    Mock::given(path("/api/papers/search"))
        .and(query_param("q", "tortoise"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            common::item("2509.00001", "Paper 1 of 2025-09-10", 1, "2025-09-10"),
            common::item("2401.00007", "Old Tortoise", 9, "2024-01-03"),
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let data = common::temp_dir();
    let uri = server.uri();
    assert!(
        hfpapers(&uri, data.path(), &["sync"])
            .await
            .status
            .success()
    );
    hfpapers(&uri, data.path(), &["mark", "2509.00001", "--star"]).await;
    let out = hfpapers(&uri, data.path(), &["search", "tortoise"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "2509.00001\t2025-09-10\t1\tN*\tPaper 1 of 2025-09-10\n2401.00007\t2024-01-03\t9\tN\tOld Tortoise\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_config_file_is_an_error_naming_file_and_line_before_the_reader_starts() {
    let data = common::temp_dir();
    let config = data.path().join("config.toml");
    std::fs::write(&config, "[keymap.list]\n\"x\" = \"toggle_stra\"\n").unwrap();
    let out = tokio::task::spawn_blocking({
        let (data, config) = (data.path().to_path_buf(), config.clone());
        move || {
            Command::new(env!("CARGO_BIN_EXE_hfpapers"))
                .args(["--offline", "--config"])
                .arg(&config)
                .env("HFPAPERS_DATA_DIR", data)
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "config file {}, line 2: unknown action \"toggle_stra\"",
            config.display()
        )),
        "{err}"
    );
    // Nothing of the reader reached the terminal.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\u{1b}[?1049h"));
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_man_and_the_default_config_are_generated() {
    let data = common::temp_dir();
    for shell in ["bash", "zsh", "fish"] {
        let out = hfpapers("http://127.0.0.1:9", data.path(), &["completions", shell]).await;
        assert!(out.status.success(), "{shell}");
        let script = stdout(&out);
        assert!(
            script.contains("hfpapers") && script.contains("sync") && script.contains("offline"),
            "{shell}"
        );
    }
    let bash = stdout(&hfpapers("http://127.0.0.1:9", data.path(), &["completions", "bash"]).await);
    let file = data.path().join("hfpapers.bash");
    std::fs::write(&file, bash).unwrap();
    assert!(
        Command::new("bash")
            .arg("-n")
            .arg(&file)
            .status()
            .unwrap()
            .success(),
        "bash parses the completion script"
    );
    let man = stdout(&hfpapers("http://127.0.0.1:9", data.path(), &["man"]).await);
    assert!(
        man.starts_with(".ie") || man.contains(".TH hfpapers"),
        "{}",
        &man[..200.min(man.len())]
    );
    let default =
        stdout(&hfpapers("http://127.0.0.1:9", data.path(), &["config", "--default"]).await);
    assert_eq!(default, include_str!("../../../assets/config.toml"));
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_reports_paths_store_and_endpoint_and_sync_logs_to_a_file() {
    let server = server_with_latest(2, "2025-09-10").await;
    let data = common::temp_dir();
    let uri = server.uri();
    let sync = tokio::task::spawn_blocking({
        let (uri, data) = (uri.clone(), data.path().to_path_buf());
        move || {
            Command::new(env!("CARGO_BIN_EXE_hfpapers"))
                .arg("sync")
                .env("HF_ENDPOINT", uri)
                .env("HFPAPERS_DATA_DIR", data)
                .env("HFPAPERS_LOG", "debug")
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert!(sync.status.success());
    let log = std::fs::read_to_string(data.path().join("hfpapers.log")).unwrap();
    assert!(log.contains("sync finished"), "{log}");
    assert!(
        stderr(&sync).is_empty(),
        "logs stay off the terminal: {}",
        stderr(&sync)
    );

    let out = hfpapers(&uri, data.path(), &["doctor"]).await;
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains(&format!("data dir:  {}", data.path().display())),
        "{text}"
    );
    assert!(text.contains("2 papers, 1 day with papers"), "{text}");
    assert!(
        text.contains("answers (") && text.contains("latest list 2025-09-10 with 2 papers"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn show_refresh_fetches_and_keeps_the_papers_details() {
    let server = server_with_latest(2, "2025-09-10").await;
    Mock::given(path("/api/papers/2509.00001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "2509.00001", "title": "Paper 1 of 2025-09-10", "upvotes": 9, "githubStars": 1234,
            "numTotalModels": 3, "numTotalDatasets": 1, "numTotalSpaces": 7})))
        .expect(1)
        .mount(&server)
        .await;
    let data = common::temp_dir();
    let uri = server.uri();
    assert!(
        hfpapers(&uri, data.path(), &["sync"])
            .await
            .status
            .success()
    );
    let out = hfpapers(&uri, data.path(), &["show", "2509.00001", "--refresh"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("on the Hub: 3 models, 1 dataset, 7 Spaces"),
        "{text}"
    );
    assert!(text.contains("GitHub:    1234 stars"), "{text}");
    // Kept: a later plain show (and a re-sync of the day) still has them.
    assert!(
        hfpapers(&uri, data.path(), &["sync"])
            .await
            .status
            .success()
    );
    let again = stdout(&hfpapers(&uri, data.path(), &["show", "2509.00001"]).await);
    assert!(again.contains("on the Hub: 3 models"), "{again}");
}

#[tokio::test(flavor = "multi_thread")]
async fn mark_takes_several_changes_at_once_as_one_group_and_says_each() {
    let (_server, data, uri) = synced_with_latest(3, "2025-09-10").await;
    let out = hfpapers(
        &uri,
        data.path(),
        &[
            "mark",
            "2509.00001",
            "--star",
            "--tag",
            "ssm",
            "--tag",
            "rl",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("starred, tagged ssm, tagged rl\t2509.00001\t"),
        "{}",
        stdout(&out)
    );
    let shown = hfpapers(&uri, data.path(), &["show", "2509.00001", "--json"]).await;
    let shown: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["starred"], true);
    assert_eq!(shown["tags"], json!(["rl", "ssm"]));
    // Again, with one new change: what was already so is said as such.
    let out = hfpapers(
        &uri,
        data.path(),
        &["mark", "2509.00001", "--star", "--read", "--tag", "ssm"],
    )
    .await;
    assert!(
        stdout(&out).starts_with("marked read; already starred, tagged ssm\t"),
        "{}",
        stdout(&out)
    );
    // Opposites together are a usage error, and nothing changes.
    let out = hfpapers(
        &uri,
        data.path(),
        &["mark", "2509.00002", "--star", "--unstar"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // One change group per paper: one undo step in the change log.
    let log = std::fs::read_to_string(data.path().join("changes.jsonl")).unwrap();
    let groups: std::collections::BTreeSet<String> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|c| c["paper"] == "2509.00001")
        .filter_map(|c| c["g"].as_str().map(str::to_string))
        .collect();
    assert_eq!(groups.len(), 2, "two commands, two groups: {log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn list_limit_and_quiet_print_the_first_n_and_only_ids_as_hf_papers_ls_does() {
    let (_server, data, uri) = synced_with_latest(5, "2025-09-10").await;
    let out = hfpapers(&uri, data.path(), &["list", "--limit", "3"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 3, "{}", stdout(&out));
    let out = hfpapers(
        &uri,
        data.path(),
        &["list", "-q", "-n", "2", "sort:upvotes"],
    )
    .await;
    assert_eq!(stdout(&out), "2509.00000\n2509.00001\n", "{}", stderr(&out));
    let out = hfpapers(&uri, data.path(), &["list", "-q"]).await;
    assert_eq!(stdout(&out).lines().count(), 5);
    assert!(
        stdout(&out)
            .lines()
            .all(|l| l.starts_with("2509.") && !l.contains('\t'))
    );
    let out = hfpapers(&uri, data.path(), &["list", "--json", "--limit", "1"]).await;
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn help_names_every_sort_and_in_fulltext_and_usage_does_not_require_an_env_set_flag() {
    let data = common::temp_dir();
    let help = hfpapers("http://127.0.0.1:9", data.path(), &["--help"]).await;
    let help = stdout(&help);
    for sort in [
        "upvotes",
        "comments",
        "stars",
        "date",
        "title",
        "rank",
        "relevance",
        "foryou",
        "rising",
    ] {
        assert!(
            hfpapers::domain::query::parse(&format!("sort:{sort}")).is_ok(),
            "{sort} is a sort"
        );
        assert!(help.contains(sort), "--help names sort:{sort}");
    }
    assert!(help.contains("in:fulltext") && help.contains("submitter:USER"));
    // The data dir comes from HFPAPERS_DATA_DIR here: not a required flag.
    let usage = hfpapers("http://127.0.0.1:9", data.path(), &["mark"]).await;
    assert_eq!(usage.status.code(), Some(2));
    let said = stderr(&usage);
    assert!(said.contains("Usage: hfpapers mark"), "{said}");
    assert!(!said.contains("--data-dir"), "{said}");
}
