//! Property tests: arbitrary bytes into either parser never panic.

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn json_parser_survives_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = hfpapers::domain::parse::parse_daily(&bytes);
    }

    #[test]
    fn json_parser_survives_arbitrary_json_shapes(s in r#"[\[\]{}",:0-9a-z\\ ]{0,200}"#) {
        let _ = hfpapers::domain::parse::parse_daily(s.as_bytes());
    }

    #[test]
    fn html_parser_survives_arbitrary_text(s in "\\PC{0,400}") {
        let _ = hfpapers::source::html::parse_page(&s);
    }

    #[test]
    fn html_parser_survives_tag_soup(s in r#"[<>"'= a-z&;#x0-9/-]{0,300}"#) {
        let page = format!("<div data-target=\"DailyPapers\" data-props=\"{s}\">{s}");
        let _ = hfpapers::source::html::parse_page(&page);
    }
}
