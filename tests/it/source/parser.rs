//! The lenient parser against fixtures written for the project, one per
//! schema era and pitfall listed in the shared API notes.

use hfpapers::domain::model::parse_day;
use hfpapers::domain::parse::{ParseError, daily_day, parse_daily};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn the_current_schema_yields_every_field_the_reader_shows() {
    let parsed = parse_daily(&fixture("current.json")).unwrap();
    assert_eq!(parsed.skipped, 0);
    let p = &parsed.papers[0];
    assert_eq!(p.id.as_str(), "2609.01234");
    assert_eq!(p.title, "Sparse Tortoises: Slow Attention for Fast Readers");
    assert_eq!(
        p.summary,
        "We study slow attention. It costs \\$0.01 per token and improves recall by 3\\%."
    );
    // Hidden authors are hidden by the web page too.
    assert_eq!(p.authors, ["Zoë Müller-Ścisło", "Kenji Sato"]);
    assert_eq!(p.upvotes, 42);
    assert_eq!(p.comments, 3);
    assert_eq!(
        p.ai_summary.as_deref(),
        Some("Slow attention improves recall at low cost.")
    );
    assert_eq!(p.ai_keywords, ["slow attention", "recall", "token cost"]);
    assert_eq!(
        p.github_repo.as_deref(),
        Some("https://github.com/example/tortoise")
    );
    assert_eq!(p.github_stars, Some(7));
    assert_eq!(
        p.project_page.as_deref(),
        Some("https://example.org/tortoise")
    );
    assert_eq!(p.organization.as_deref(), Some("Example Lab"));
    assert_eq!(p.submitted_by.as_deref(), Some("Zoe M."));
    assert_eq!(daily_day(p), parse_day("2026-09-02"));
    insta::assert_debug_snapshot!("current_schema", parsed.papers);
}

#[test]
fn a_fresh_list_without_ai_fields_parses_with_those_fields_empty() {
    let p = &parse_daily(&fixture("fresh_no_ai.json")).unwrap().papers[0];
    assert_eq!(p.title, "Fresh Off the Press");
    assert_eq!(p.ai_summary, None);
    assert!(p.ai_keywords.is_empty());
    assert_eq!(p.github_repo, None);
    assert_eq!(daily_day(p), parse_day("2026-11-25"));
}

#[test]
fn the_2024_schema_parses_without_daily_date_summary_or_organization() {
    let p = &parse_daily(&fixture("schema_2024.json")).unwrap().papers[0];
    // paper.title wins and its hard wrap is collapsed.
    assert_eq!(
        p.title,
        "Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss"
    );
    assert!(
        p.summary.starts_with(
            "Contrastive loss is a powerful approach for representation learning, where"
        )
    );
    assert_eq!(p.authors, ["Björn Engdahl", "Przemysław Uznański"]);
    assert_eq!(p.submitted_on_daily_at, None);
    assert_eq!(daily_day(p), None);
    assert_eq!(p.organization, None);
    assert_eq!(p.comments, 4);
}

#[test]
fn float_counts_are_whole_numbers_and_junk_counts_are_absent() {
    let papers = parse_daily(&fixture("float_counts.json")).unwrap().papers;
    assert_eq!(
        (
            papers[0].upvotes,
            papers[0].comments,
            papers[0].github_stars
        ),
        (12, 2, Some(1500))
    );
    assert_eq!(
        (
            papers[1].upvotes,
            papers[1].comments,
            papers[1].github_stars
        ),
        (7, 0, None)
    );
}

#[test]
fn nulls_count_as_absent_and_items_without_an_id_are_skipped() {
    let parsed = parse_daily(&fixture("nulls.json")).unwrap();
    assert_eq!(parsed.papers.len(), 1);
    assert_eq!(parsed.skipped, 3);
    let p = &parsed.papers[0];
    assert_eq!(p.title, "Title from the item");
    assert_eq!((p.summary.as_str(), p.upvotes, p.comments), ("", 0, 0));
    assert!(p.authors.is_empty() && p.ai_keywords.is_empty());
    assert_eq!(
        (p.organization.as_deref(), p.submitted_by.as_deref()),
        (None, None)
    );
}

#[test]
fn a_minimal_item_with_id_and_title_is_a_paper() {
    let p = &parse_daily(&fixture("minimal.json")).unwrap().papers[0];
    assert_eq!((p.id.as_str(), p.title.as_str()), ("2601.00004", "Minimal"));
}

#[test]
fn an_error_object_is_a_typed_error_carrying_the_message() {
    let err = parse_daily(&fixture("error.json")).unwrap_err();
    assert_eq!(
        err,
        ParseError::Api("✖ Too big: expected number to be <=100 → at limit".into())
    );
}

#[test]
fn an_empty_array_is_an_empty_day_not_an_error() {
    let parsed = parse_daily(&fixture("empty.json")).unwrap();
    assert!(parsed.papers.is_empty());
    assert_eq!(parsed.skipped, 0);
}

#[test]
fn malformed_and_wrongly_shaped_bodies_are_errors() {
    assert!(matches!(
        parse_daily(b"[{\"paper\":"),
        Err(ParseError::Json(_))
    ));
    assert!(matches!(parse_daily(b"<html>"), Err(ParseError::Json(_))));
    assert_eq!(
        parse_daily(b"{\"papers\": []}"),
        Err(ParseError::Shape("an object"))
    );
    assert_eq!(parse_daily(b"42"), Err(ParseError::Shape("a number")));
}

#[test]
fn hostile_control_sequences_never_survive_parsing() {
    let body = br#"[{"paper": {"id": "2601.00009", "title": "Evil\u001b[2J\u001b]52;c;aGk=\u0007 title\u202e", "summary": "x\u009b31my"}}]"#;
    let p = &parse_daily(body).unwrap().papers[0];
    assert_eq!(p.title, "Evil title");
    assert_eq!(p.summary, "xy");
}
