//! The filter language end to end: every operator against a small corpus
//! with known answers, and property tests of the parser.

use hfpapers::domain::model::{Entry, Paper, PaperId, Row, UserState, parse_day};
use hfpapers::domain::query::{
    Cmp, CountField, DateForm, DateSpec, Expr, Has, Is, Query, SortKey, Term, parse,
};
use hfpapers::search::index::Index;
use proptest::prelude::*;

fn paper(id: &str, day: &str, title: &str, summary: &str, authors: &[&str], upvotes: u64) -> Paper {
    Paper {
        id: PaperId(id.into()),
        title: title.into(),
        summary: summary.into(),
        authors: authors
            .iter()
            .map(std::string::ToString::to_string)
            .collect(),
        upvotes,
        submitted_on_daily_at: Some(format!("{day}T00:00:00.000Z")),
        ..Paper::default()
    }
}

/// Six papers over three days, each with a trait or two a query can find.
fn corpus() -> Index {
    let mut items = vec![
        (
            paper(
                "a",
                "2025-09-08",
                "Diffusion Models for Audio",
                "We denoise audio with diffusion.",
                &["Grace Hopper", "Kenji Sato"],
                40,
            ),
            UserState::default(),
        ),
        (
            paper(
                "b",
                "2025-09-08",
                "Flow Matching at Scale",
                "Flow matching beats diffusion on images.",
                &["Zoë Müller"],
                5,
            ),
            UserState {
                read: true,
                ..Default::default()
            },
        ),
        (
            paper(
                "c",
                "2025-09-09",
                "Reinforcement Learning from Feedback",
                "RLHF with a twist.",
                &["Ada Lovelace"],
                25,
            ),
            UserState {
                starred: true,
                tags: vec!["rl".into()],
                ..Default::default()
            },
        ),
        (
            paper(
                "d",
                "2025-09-09",
                "A Survey of Agents",
                "Agents that act; no diffusion here.",
                &["Przemysław Uznański"],
                0,
            ),
            UserState {
                tags: vec!["agents".into(), "rl".into()],
                read: true,
                ..Default::default()
            },
        ),
        (
            paper(
                "e",
                "2025-09-10",
                "Sparse Attention Is All You Need",
                "Matching flow of tokens.",
                &["Grace Murray"],
                120,
            ),
            UserState::default(),
        ),
        (
            paper(
                "f",
                "2025-09-10",
                "Vision Transformers Revisited",
                "Images, again.",
                &["Kenji Sato"],
                12,
            ),
            UserState {
                starred: true,
                ..Default::default()
            },
        ),
    ];
    items[0].0.github_repo = Some("https://github.com/x/a".into());
    items[0].0.github_stars = Some(300);
    items[0].0.organization = Some("Meta AI".into());
    items[0].0.comments = 7;
    items[2].0.github_repo = Some("https://github.com/x/c".into());
    items[2].0.github_stars = Some(12);
    items[2].0.ai_summary = Some("RLHF, again.".into());
    items[2].0.ai_keywords = vec!["reward model".into(), "RLHF".into()];
    items[4].0.project_page = Some("https://example.org".into());
    items[4].0.organization = Some("Google DeepMind".into());
    items[4].0.comments = 2;
    Index::from_papers(
        items
            .into_iter()
            .enumerate()
            .map(|(i, (p, state))| {
                let day = parse_day(&p.submitted_on_daily_at.as_ref().unwrap()[..10]).unwrap();
                (
                    Entry {
                        row: Row::of(&p, day, i as u32 % 2 + 1),
                        state,
                    },
                    p,
                )
            })
            .collect(),
    )
}

fn ids(index: &Index, q: &str) -> Vec<String> {
    let query = parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    let mut out: Vec<String> = index
        .query(&query, SortKey::Date, parse_day("2025-09-10").unwrap())
        .iter()
        .map(|e| e.row.id.to_string())
        .collect();
    if query.sort.is_none() {
        out.sort();
    }
    out
}

#[test]
fn every_operator_finds_the_expected_papers() {
    let index = corpus();
    let cases: &[(&str, &[&str])] = &[
        ("diffusion", &["a", "b", "d"]),
        ("DIFFUS", &["a", "b", "d"]),
        ("\"flow matching\"", &["b"]),
        ("\"matching flow\"", &["e"]),
        ("zoe", &["b"]),
        ("przemyslaw", &["d"]),
        ("rlhf", &["c"]),
        ("is:unread", &["a", "c", "e", "f"]),
        ("is:read", &["b", "d"]),
        ("is:starred", &["c", "f"]),
        ("tag:rl", &["c", "d"]),
        ("tag:agents", &["d"]),
        ("author:\"grace\"", &["a", "e"]),
        ("author:\"Grace Hopper\"", &["a"]),
        ("author:sato", &["a", "f"]),
        ("org:meta", &["a"]),
        ("org:deepmind", &["e"]),
        ("kw:reward", &["c"]),
        ("has:code", &["a", "c"]),
        ("has:project", &["e"]),
        ("has:summary", &["c"]),
        ("upvotes:>25", &["a", "e"]),
        ("upvotes:>=25", &["a", "c", "e"]),
        ("upvotes:<5", &["d"]),
        ("upvotes:<=5", &["b", "d"]),
        ("upvotes:=12", &["f"]),
        ("upvotes:12", &["f"]),
        ("upvotes:10..40", &["a", "c", "f"]),
        ("comments:>0", &["a", "e"]),
        ("stars:>=100", &["a"]),
        ("stars:<100", &["c"]),
        ("date:2025-09-09", &["c", "d"]),
        ("date:2025-09", &["a", "b", "c", "d", "e", "f"]),
        ("date:2025-09-08..2025-09-09", &["a", "b", "c", "d"]),
        ("date:today", &["e", "f"]),
        ("date:2d", &["c", "d", "e", "f"]),
        ("-is:read", &["a", "c", "e", "f"]),
        ("diffusion -is:read", &["a"]),
        ("tag:agents OR is:starred", &["c", "d", "f"]),
        ("(tag:agents OR is:starred) -tag:rl", &["f"]),
        ("diffusion OR vision", &["a", "b", "d", "f"]),
        ("", &["a", "b", "c", "d", "e", "f"]),
    ];
    for (q, want) in cases {
        assert_eq!(ids(&index, q), *want, "query {q:?}");
    }
}

#[test]
fn sort_orders_the_matches() {
    let index = corpus();
    assert_eq!(ids(&index, "sort:upvotes"), ["e", "a", "c", "f", "b", "d"]);
    assert_eq!(ids(&index, "is:starred sort:title"), ["c", "f"]);
    assert_eq!(ids(&index, "has:code sort:stars"), ["a", "c"]);
    // Newest day first, then the digest's rank.
    assert_eq!(ids(&index, "sort:date"), ["e", "f", "c", "d", "a", "b"]);
}

#[test]
fn counts_give_matches_and_unread() {
    let index = corpus();
    assert_eq!(
        index.count(&parse("tag:rl").unwrap(), parse_day("2025-09-10").unwrap()),
        (2, 1)
    );
    assert_eq!(
        index.tags(),
        [("agents".to_string(), 1), ("rl".to_string(), 2)]
    );
}

fn word() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,6}"
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        word(),
        (word(), word()).prop_map(|(a, b)| format!("{a} {b}"))
    ]
}

fn day() -> impl Strategy<Value = chrono::NaiveDate> {
    (2020i32..2030, 1u32..13, 1u32..29)
        .prop_map(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn term() -> impl Strategy<Value = Term> {
    let cmp = prop_oneof![
        (0u64..1000).prop_map(Cmp::Gt),
        (0u64..1000).prop_map(Cmp::Ge),
        (0u64..1000).prop_map(Cmp::Lt),
        (0u64..1000).prop_map(Cmp::Le),
        (0u64..1000).prop_map(Cmp::Eq),
        (0u64..500, 0u64..500).prop_map(|(a, b)| Cmp::Range(a, a + b)),
    ];
    let field = prop_oneof![
        Just(CountField::Upvotes),
        Just(CountField::Comments),
        Just(CountField::Stars)
    ];
    let date = prop_oneof![
        day().prop_map(|d| DateSpec::Range {
            from: d,
            to: d,
            form: DateForm::Day
        }),
        day().prop_map(|d| {
            let first = d.with_day0(0).unwrap();
            let last = first
                .checked_add_months(chrono::Months::new(1))
                .unwrap()
                .pred_opt()
                .unwrap();
            DateSpec::Range {
                from: first,
                to: last,
                form: DateForm::Month,
            }
        }),
        (day(), 0u32..400).prop_map(|(d, n)| DateSpec::Range {
            from: d,
            to: d + chrono::Duration::days(i64::from(n)),
            form: DateForm::Span
        }),
        Just(DateSpec::Today),
        (1u32..400).prop_map(DateSpec::LastDays),
    ];
    prop_oneof![
        word().prop_map(Term::Word),
        proptest::collection::vec(word(), 1..4).prop_map(Term::Phrase),
        prop_oneof![Just(Is::Unread), Just(Is::Read), Just(Is::Starred)].prop_map(Term::Is),
        "[a-z0-9][a-z0-9_/-]{0,7}".prop_map(Term::Tag),
        value().prop_map(Term::Author),
        value().prop_map(Term::Org),
        value().prop_map(Term::Kw),
        prop_oneof![Just(Has::Code), Just(Has::Project), Just(Has::Summary)].prop_map(Term::Has),
        (field, cmp).prop_map(|(f, c)| Term::Count(f, c)),
        date.prop_map(Term::Date),
    ]
}

/// Trees in the parser's canonical shape: no And directly in And, no Or in Or.
fn expr() -> impl Strategy<Value = Expr> {
    term()
        .prop_map(Expr::Term)
        .prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 2..4).prop_map(|v| {
                    Expr::And(
                        v.into_iter()
                            .flat_map(|e| match e {
                                Expr::And(p) => p,
                                e => vec![e],
                            })
                            .collect(),
                    )
                }),
                proptest::collection::vec(inner.clone(), 2..4).prop_map(|v| {
                    Expr::Or(
                        v.into_iter()
                            .flat_map(|e| match e {
                                Expr::Or(p) => p,
                                e => vec![e],
                            })
                            .collect(),
                    )
                }),
                inner.prop_map(|e| Expr::Not(Box::new(e))),
            ]
        })
}

use chrono::Datelike;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn printing_then_parsing_gives_the_same_tree(e in expr(), sort in proptest::option::of(prop_oneof![
        Just(SortKey::Upvotes), Just(SortKey::Comments), Just(SortKey::Stars),
        Just(SortKey::Date), Just(SortKey::Title), Just(SortKey::Rank)])) {
        let q = Query { expr: Some(e), sort };
        let printed = q.to_string();
        let back = parse(&printed).map_err(|err| TestCaseError::fail(format!("{printed}: {err}")))?;
        prop_assert_eq!(back, q, "printed as {}", printed);
    }

    #[test]
    fn random_text_never_panics_the_parser(s in r#"[a-z:<>=.()" -]{0,40}|\PC{0,40}"#) {
        let _ = parse(&s);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_organization_is_found_by_handle_or_name_and_a_paper_by_its_submitters_username() {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let mut hf = crate::common::item("2509.00001", "From the Hub team", 5, "2025-09-10");
    hf["paper"]["organization"] =
        serde_json::json!({"name": "huggingface", "fullname": "Hugging Face"});
    hf["submittedBy"] = serde_json::json!({"name": "akhaliq", "fullname": "AK"});
    let mut other = crate::common::item("2509.00002", "From elsewhere", 4, "2025-09-10");
    other["paper"]["organization"] = serde_json::json!({"name": "nvidia", "fullname": "NVIDIA"});
    other["submittedBy"] = serde_json::json!({"name": "someone", "fullname": "Some One"});
    Mock::given(path("/api/daily_papers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([hf, other])))
        .mount(&server)
        .await;
    let data = crate::common::temp_dir();
    let uri = server.uri();
    let run = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|a| (*a).to_string()).collect();
        let (uri, dir) = (uri.clone(), data.path().to_path_buf());
        async move {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            crate::run::cli(&uri, &dir, &refs).await
        }
    };
    assert!(
        run(&["sync", "--date", "2025-09-10"])
            .await
            .status
            .success()
    );
    for args in [
        &["list", "org:huggingface"][..],
        &["list", "org:\"hugging face\""],
        &["list", "submitter:akhaliq"],
        &["list", "--submitter", "akhaliq"],
    ] {
        let out = run(args).await;
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let ids: Vec<String> = crate::run::stdout(&out)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or("").to_string())
            .collect();
        assert_eq!(ids, ["2509.00001"], "{args:?}");
    }
    let shown: serde_json::Value =
        serde_json::from_slice(&run(&["show", "2509.00001", "--json"]).await.stdout).unwrap();
    assert_eq!(shown["org_handle"], "huggingface");
    assert_eq!(shown["organization"], "Hugging Face");
    assert_eq!(shown["submitter"], "akhaliq");
    assert_eq!(shown["submitted_by"], "AK");
}
