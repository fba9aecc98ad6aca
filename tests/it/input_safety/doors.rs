//! Every door checks what comes in: one table of hostile inputs per door
//! (HTTP waits, CSV, BibTeX, Markdown, URLs from ids, export targets,
//! query depth and ranges, CLI output of peer text), and property tests
//! that random input never panics a parser and that every writer's output
//! reads back to the same fields.

use crate::common;

use hfpapers::domain::export::{Format, render};
use hfpapers::domain::model::{Entry, Names, PaperId, Row, UserState, parse_day};
use hfpapers::source::{Client, ClientConfig, FetchError};
use proptest::prelude::*;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn entry(id: &str, title: &str, authors: &[&str], tags: &[&str]) -> Entry {
    Entry {
        row: Row {
            id: PaperId(id.into()),
            title: title.into(),
            authors: Names::new(authors.iter().copied()),
            day: parse_day("2025-09-10"),
            ..Row::default()
        },
        state: UserState {
            tags: tags.iter().map(std::string::ToString::to_string).collect(),
            ..UserState::default()
        },
    }
}

fn hfpapers(endpoint: &str, data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hfpapers"))
        .args(args)
        .env("HF_ENDPOINT", endpoint)
        .env("HFPAPERS_DATA_DIR", data)
        .env_remove("HF_TOKEN")
        .output()
        .unwrap()
}

fn said(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

// HTTP waits.

#[tokio::test(flavor = "multi_thread")]
async fn a_server_asking_for_an_endless_wait_ends_the_sync_at_once_as_rate_limited() {
    let cases = [
        ResponseTemplate::new(429).insert_header("Retry-After", "999999999"),
        ResponseTemplate::new(429).insert_header("Retry-After", "18446744073709551615"),
        ResponseTemplate::new(503).insert_header("RateLimit", "\"api\";r=0;t=99999999999"),
        ResponseTemplate::new(429).insert_header("Retry-After", "61"),
    ];
    for template in cases {
        let server = MockServer::start().await;
        Mock::given(path("/api/daily_papers"))
            .respond_with(template.clone())
            .mount(&server)
            .await;
        let data = common::temp_dir();
        let uri = server.uri();
        let started = Instant::now();
        let out = tokio::task::spawn_blocking({
            let dir = data.path().to_path_buf();
            move || hfpapers(&uri, &dir, &["sync"])
        })
        .await
        .unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(out.status.code(), Some(3), "{}", said(&out));
        assert!(
            said(&out).contains("rate limited by the server until"),
            "{}",
            said(&out)
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn server_asked_waits_within_the_budget_are_honoured_then_the_rest_is_refused() {
    let server = MockServer::start().await;
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .mount(&server)
        .await;
    let config = ClientConfig {
        max_server_wait: Duration::from_millis(2500),
        ..common::fast()
    };
    let client = Client::with_config(&server.uri(), None, config).unwrap();
    let started = Instant::now();
    let err = client.latest().await.unwrap_err();
    // Two waits of 1 s fit in 2.5 s; the third does not.
    assert!(matches!(err, FetchError::RateLimited { .. }), "{err:?}");
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_trickles_a_byte_at_a_time_costs_one_deadline_for_all_attempts() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = sock.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n[";
                let _ = sock.write_all(head.as_bytes()).await;
                for _ in 0..1000 {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    if sock.write_all(b" ").await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    let config = ClientConfig {
        read_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(2),
        deadline: Duration::from_secs(3),
        ..common::fast()
    };
    let client = Client::with_config(&format!("http://{addr}"), None, config).unwrap();
    let started = Instant::now();
    let err = client.latest().await.unwrap_err();
    assert!(matches!(err, FetchError::Timeout { .. }), "{err:?}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(4),
        "{took:?}"
    );
}

// CSV.

/// Reads RFC 4180 CSV back into rows of fields.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (_, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_as_formulas_are_defused() {
    let hostile = [
        "=cmd|' /C calc'!A0",
        "+1",
        "-1",
        "@SUM(1)",
        "=HYPERLINK(\"http://evil/\")",
        "\t=1+1",
        "\r=1+1",
    ];
    let entries: Vec<Entry> = hostile
        .iter()
        .map(|t| entry("2509.00001", t, &[t], &[]))
        .collect();
    let refs: Vec<&Entry> = entries.iter().collect();
    let rows = read_csv(&render(&refs, Format::Csv));
    assert_eq!(rows.len(), hostile.len() + 1);
    for row in &rows[1..] {
        for cell in [&row[2], &row[3]] {
            assert!(cell.starts_with('\''), "{cell:?} is defused");
            assert!(!cell[1..].starts_with(['\t', '\r']), "{cell:?}");
        }
    }
    assert_eq!(rows[1][2], "'=cmd|' /C calc'!A0");
    assert_eq!(rows[4][2], "'@SUM(1)");
    // Plain text is left alone.
    let plain = entry("2509.00002", "A title, with \"quotes\"", &["Ada"], &["rl"]);
    let rows = read_csv(&render(&[&plain], Format::Csv));
    assert_eq!(rows[1][2], "A title, with \"quotes\"");
}

// BibTeX.

/// Splits BibTeX into entries and fields by BibTeX's own brace rule: a
/// brace counts whatever precedes it (a backslash does not escape it).
/// Returns (key, [(field, value)]) per entry.
fn read_bibtex(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(at) = text[i..].find('@') {
        let start = i + at;
        let open = start + text[start..].find('{').expect("an entry opens");
        let mut depth = 0i32;
        let mut j = open;
        loop {
            match b[j] {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
            j += 1;
            assert!(j < b.len(), "an entry never closes:\n{}", &text[start..]);
        }
        let body = &text[open + 1..j];
        let (key, rest) = body.split_once(',').expect("a key");
        let mut fields = Vec::new();
        let mut rest = rest;
        while let Some(eq) = rest.find('=') {
            let name = rest[..eq].trim().trim_start_matches(',').trim().to_string();
            let value_start = eq + rest[eq..].find('{').expect("braced value");
            let mut depth = 0i32;
            let mut k = value_start;
            let rb = rest.as_bytes();
            loop {
                match rb[k] {
                    b'{' => depth += 1,
                    b'}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                k += 1;
            }
            fields.push((name, rest[value_start + 1..k].to_string()));
            rest = &rest[k + 1..];
        }
        out.push((key.to_string(), fields));
        i = j + 1;
    }
    out
}

#[test]
fn bibtex_stays_balanced_and_unforged_whatever_the_titles_authors_and_ids() {
    let titles = [
        "unbalanced {{{ open",
        "closing }}} first",
        "back\\slash {at} the end\\",
        "}, title={Injected",
        "@misc{evil, title={x}}",
        "50% & $math$ #1 a_b ~ ^",
    ];
    let mut entries: Vec<Entry> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            entry(
                &format!("2509.{i:05}"),
                t,
                &["Smith}, title={Injected", "Zoë {Müller"],
                &[],
            )
        })
        .collect();
    entries.push(entry("2509.01}x,y", "An id with a brace", &["Ada"], &[]));
    let refs: Vec<&Entry> = entries.iter().collect();
    let text = render(&refs, Format::Bibtex);
    let read = read_bibtex(&text);
    assert_eq!(read.len(), entries.len(), "every entry reads back:\n{text}");
    for (key, fields) in &read {
        assert!(
            key.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:_@misc{".contains(c)),
            "{key}"
        );
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names.iter().filter(|n| **n == "title").count(),
            1,
            "one title, none forged: {names:?}\n{text}"
        );
    }
    // A BibTeX library reads the same number of entries.
    let bib = biblatex::Bibliography::parse(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    assert_eq!(bib.len(), entries.len());
}

// Markdown and URLs.

/// Where `](` opens a link target: not after an escaping backslash.
fn link_targets(md: &str) -> Vec<&str> {
    let b = md.as_bytes();
    md.match_indices("](")
        .filter(|(i, _)| b[..*i].iter().rev().take_while(|c| **c == b'\\').count() % 2 == 0)
        .map(|(i, _)| &md[i + 2..])
        .collect()
}

#[test]
fn markdown_titles_and_hostile_ids_cannot_inject_links() {
    let entries = [
        entry(
            "2509.00001",
            "[x](javascript:alert(1))",
            &["<img src=x onerror=alert(1)>"],
            &[],
        ),
        entry(
            "2509.00002)",
            "An id ending in a parenthesis",
            &["Ada"],
            &[],
        ),
        entry("../../x", "A climbing id", &["Ada"], &[]),
        entry(
            "2509.00003",
            "![image](http://evil/x.png) *bold* `code`",
            &["Ada"],
            &["rl"],
        ),
    ];
    let refs: Vec<&Entry> = entries.iter().collect();
    let md = render(&refs, Format::Markdown);
    // Every link target is one of ours, on an https host we chose.
    let targets = link_targets(&md);
    assert_eq!(targets.len(), 8, "{md}");
    for target in targets {
        assert!(
            target.starts_with("https://huggingface.co/papers/")
                || target.starts_with("https://arxiv.org/abs/"),
            "{}",
            &target[..target.len().min(60)]
        );
        let url = &target[..target.find(')').unwrap()];
        assert!(!url.contains("..") && !url.contains(' '), "{url}");
    }
    // Every < and ! that could open HTML or an image is escaped.
    for (i, _) in md.match_indices(['<', '!']) {
        assert_eq!(md.as_bytes()[i - 1], b'\\', "{md}");
    }
}

#[test]
fn ids_from_the_network_are_checked_and_urls_never_leave_the_path() {
    let body = serde_json::to_vec(&serde_json::json!([
        {"paper": {"id": "../../x", "title": "climb"}},
        {"paper": {"id": "2509.01234)", "title": "paren"}},
        {"paper": {"id": "2509.01234", "title": "fine"}},
        {"paper": {"id": "cs/0112017", "title": "old style"}},
    ]))
    .unwrap();
    let parsed = hfpapers::domain::parse::parse_daily(&body).unwrap();
    let ids: Vec<&str> = parsed.papers.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["2509.01234", "cs/0112017"]);
    assert_eq!(parsed.skipped, 2);
    // Whatever is stored, a URL built from it stays inside its path.
    for (id, url) in [
        ("2509.01234", "https://huggingface.co/papers/2509.01234"),
        ("cs/0112017", "https://huggingface.co/papers/cs/0112017"),
        (
            "../../x",
            "https://huggingface.co/papers/%2E%2E%2F%2E%2E%2Fx",
        ),
        ("a)b", "https://huggingface.co/papers/a%29b"),
    ] {
        assert_eq!(PaperId(id.into()).hf_url(), url);
    }
}

#[test]
fn the_command_line_refuses_ids_that_are_not_paper_ids() {
    let data = common::temp_dir();
    for args in [
        &["show", "..", "--refresh"][..],
        &["show", "../../x"],
        &["mark", "2509.01234)", "--star"],
    ] {
        let out = hfpapers("http://127.0.0.1:9", data.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", said(&out));
        assert!(said(&out).contains("not a paper id"), "{}", said(&out));
    }
}

// Export targets.

fn seeded_store(data: &Path) {
    let store = hfpapers::store::Store::open(&data.join("store")).unwrap();
    let items = common::items("2509", 3, "2025-09-10");
    let body = serde_json::to_vec(&items).unwrap();
    store
        .save_day(&hfpapers::source::FetchedDay::new(
            parse_day("2025-09-10").unwrap(),
            hfpapers::domain::parse::parse_daily(&body).unwrap().papers,
        ))
        .unwrap();
    drop(store);
}

#[test]
fn export_writes_through_links_and_fifos_as_a_redirection_would_and_spares_tmp_files() {
    let data = common::temp_dir();
    seeded_store(data.path());
    let dir = common::temp_dir();
    // A symlink is written through and stays a link.
    let real = dir.path().join("real.csv");
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    std::fs::write(dir.path().join("link.csv.tmp"), b"keep me").unwrap();
    let out = hfpapers(
        "http://127.0.0.1:9",
        data.path(),
        &["export", "--format", "csv", "-o", link.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", said(&out));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap().lines().count(), 4);
    assert_eq!(
        std::fs::read(dir.path().join("link.csv.tmp")).unwrap(),
        b"keep me"
    );
    // A FIFO is written into, not replaced.
    let fifo = dir.path().join("pipe.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = hfpapers(
        "http://127.0.0.1:9",
        data.path(),
        &["export", "--format", "csv", "-o", fifo.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", said(&out));
    assert_eq!(reader.join().unwrap().lines().count(), 4);
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    // A device that cannot take the bytes is an error naming it, and stays a device.
    let out = hfpapers(
        "http://127.0.0.1:9",
        data.path(),
        &["export", "-o", "/dev/full"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(said(&out).contains("/dev/full"), "{}", said(&out));
    assert!(
        std::fs::metadata("/dev/full")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // A regular file is replaced whole; no temporary file is left.
    let plain = dir.path().join("plain.md");
    std::fs::write(&plain, b"old").unwrap();
    let out = hfpapers(
        "http://127.0.0.1:9",
        data.path(),
        &["export", "-o", plain.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", said(&out));
    assert!(
        std::fs::read_to_string(&plain)
            .unwrap()
            .starts_with("# Reading list")
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 5, "{left:?}");
}

// Queries and ranges.

#[test]
fn deep_queries_and_huge_ranges_are_usage_errors_not_crashes() {
    let data = common::temp_dir();
    seeded_store(data.path());
    let deep = format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000));
    let negated = format!("{}x", "-".repeat(10_000));
    for args in [
        vec!["list".to_string(), deep.clone()],
        vec!["list".to_string(), "--".to_string(), negated],
        vec!["list".to_string(), "date:100000000d".to_string()],
        vec!["export".to_string(), deep],
        vec![
            "sync".to_string(),
            "--days".to_string(),
            "100000000".to_string(),
        ],
        vec![
            "sync".to_string(),
            "--days".to_string(),
            "10000000".to_string(),
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = hfpapers("http://127.0.0.1:9", data.path(), &args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}: {}",
            &args[1][..args[1].len().min(20)],
            said(&out)
        );
        assert!(said(&out).len() < 2000, "a short message");
    }
    let err = hfpapers::domain::query::parse(&"(".repeat(33)).unwrap_err();
    assert!(err.to_string().contains("deeper than 32"), "{err}");
    assert!(
        hfpapers::domain::query::parse(&format!("{}x{}", "(".repeat(32), ")".repeat(32))).is_ok()
    );
}

#[test]
fn a_deeply_nested_saved_view_is_a_config_error_with_its_line() {
    let dir = common::temp_dir();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[views]\n\"deep\" = \"{}x{}\"\n",
            "(".repeat(5000),
            ")".repeat(5000)
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hfpapers"))
        .args(["--config", config.to_str().unwrap(), "--offline"])
        .env("HFPAPERS_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    assert!(
        said(&out).contains("line 2") && said(&out).contains("deeper"),
        "{}",
        said(&out)
    );
}

#[test]
fn many_saved_views_load_in_linear_time() {
    let dir = common::temp_dir();
    let config = dir.path().join("config.toml");
    let mut text = String::from("[views]\n");
    for i in 0..50_000 {
        text.push_str(&format!("\"v{i}\" = \"tag:rl\"\n"));
    }
    std::fs::write(&config, text).unwrap();
    let started = Instant::now();
    let loaded = hfpapers::platform::config::load(Some(&config)).unwrap();
    assert!(loaded.views.len() >= 50_000);
    // Quadratic loading took 8.7 s here; linear takes well under one.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

// CLI output of text from peers.

#[test]
fn peer_tags_with_control_sequences_never_reach_the_cli_or_exports() {
    let data = common::temp_dir();
    seeded_store(data.path());
    let folder = common::temp_dir();
    let t = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut lines = String::new();
    for tag in [
        "\u{1b}]52;c;SGVsbG8=\u{7}",
        "\u{1b}]0;title\u{7}",
        "\u{1b}[2J",
        "\u{202e}rl",
        "ok",
    ] {
        lines.push_str(
            &serde_json::json!({"t": t, "dev": "peer1", "g": "g", "paper": "2509.00001", "op": format!("tag:{tag}")})
                .to_string(),
        );
        lines.push('\n');
    }
    std::fs::write(folder.path().join("peer1.jsonl"), lines).unwrap();
    let out = hfpapers(
        "http://127.0.0.1:9",
        data.path(),
        &["sync-state", "--dir", folder.path().to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", said(&out));
    for args in [
        &["tags"][..],
        &["export", "--format", "markdown"],
        &["export", "--format", "csv"],
        &["show", "2509.00001"],
    ] {
        let out = hfpapers("http://127.0.0.1:9", data.path(), args);
        let text = said(&out);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}') && !text.contains('\u{7}'),
            "{args:?}: {text:?}"
        );
    }
    let out = hfpapers("http://127.0.0.1:9", data.path(), &["tags"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\t1\n");
}

// Properties: parsers never panic; writers read back.

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_the_change_log_config_or_query_parsers(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = hfpapers::store::changelog::parse(&bytes, hfpapers::store::changelog::Window::OWN);
        let text = String::from_utf8_lossy(&bytes);
        let _ = hfpapers::domain::query::parse(&text);
        let _ = hfpapers::platform::config::from_text(&text, Path::new("fuzz.toml"));
        let _ = PaperId::parse(&text);
    }

    #[test]
    fn csv_reads_back_to_the_same_fields_defused(title in "\\PC{0,40}", author in "\\PC{0,20}") {
        let e = entry("2509.00001", &title, &[&author], &["rl"]);
        let rows = read_csv(&render(&[&e], Format::Csv));
        prop_assert_eq!(rows.len(), 2);
        let clean = |s: &str| {
            let s = hfpapers::domain::text::one_line(s);
            if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s }
        };
        prop_assert_eq!(&rows[1][2], &clean(&title));
        prop_assert_eq!(&rows[1][3], &clean(&author));
    }

    #[test]
    fn bibtex_always_reads_back_as_one_entry_with_one_title(title in "[{}\\\\a-z ,=@%$#_~^\"]{0,40}", author in "[{}\\\\a-z ,=@]{0,20}") {
        let e = entry("2509.00001", &title, &[&author], &[]);
        let text = render(&[&e], Format::Bibtex);
        let read = read_bibtex(&text);
        prop_assert_eq!(read.len(), 1, "{}", text);
        prop_assert_eq!(read[0].1.iter().filter(|(n, _)| n == "title").count(), 1);
        prop_assert!(biblatex::Bibliography::parse(&text).is_ok(), "{}", text);
    }

    #[test]
    fn markdown_has_exactly_our_two_links_whatever_the_title(title in "[\\[\\]()!<>*_`a-z:/ ]{0,40}") {
        let e = entry("2509.00001", &title, &["Ada"], &[]);
        let md = render(&[&e], Format::Markdown);
        let targets = link_targets(&md);
        prop_assert_eq!(targets.len(), 2, "{}", md);
        prop_assert!(targets.iter().all(|t| t.starts_with("https://")), "{}", md);
    }
}

#[tokio::test]
async fn a_redirect_to_another_host_ends_a_text_or_picture_fetch_and_one_on_the_endpoint_is_followed()
 {
    let elsewhere = MockServer::builder()
        .listener(std::net::TcpListener::bind("127.0.0.2:0").unwrap())
        .start()
        .await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("# Forged text"))
        .mount(&elsewhere)
        .await;
    let endpoint = MockServer::start().await;
    let away = format!("{}/x", elsewhere.uri());
    for p in ["/papers/2509.00001.md", "/thumb.png"] {
        Mock::given(path(p))
            .respond_with(ResponseTemplate::new(302).insert_header("Location", away.as_str()))
            .mount(&endpoint)
            .await;
    }
    Mock::given(path("/papers/2509.00002.md"))
        .respond_with(ResponseTemplate::new(301).insert_header("Location", "/moved.md"))
        .mount(&endpoint)
        .await;
    Mock::given(path("/moved.md"))
        .respond_with(ResponseTemplate::new(200).set_body_string("# The real text"))
        .mount(&endpoint)
        .await;
    let client = Client::with_config(&endpoint.uri(), None, common::fast()).unwrap();
    let err = client
        .fulltext(&PaperId("2509.00001".into()))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Redirected { .. }), "{err:?}");
    assert!(
        err.to_string().contains("127.0.0.2") && err.to_string().contains("not followed"),
        "{err}"
    );
    let thumb = client
        .image_url(&format!("{}/thumb.png", endpoint.uri()))
        .unwrap();
    let err = client.image(&thumb, 1 << 20).await.unwrap_err();
    assert!(matches!(err, FetchError::Redirected { .. }), "{err:?}");
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "no request reached the other host"
    );
    let text = client
        .fulltext(&PaperId("2509.00002".into()))
        .await
        .unwrap();
    assert_eq!(text.as_deref(), Some("# The real text"));
}
