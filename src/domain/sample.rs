//! The bundled sample digest: what a first run shows with no network.
//!
//! Built from the text of a real Daily Papers page (see `assets/make_sample.py`)
//! and embedded in the binary. It is parsed by the same parser as live data,
//! shown in memory only and never written to the user's store.

use crate::domain::model::{Day, Entry, Paper, Row, UserState};
use crate::domain::parse::parse_daily;

const SAMPLE_JSON: &[u8] = include_bytes!("../../assets/sample-digest.json");

/// The day the sample page was published.
pub fn sample_day() -> Day {
    Day::from_ymd_opt(2025, 9, 10).unwrap_or_default()
}

/// The sample papers in page order, parsed once.
pub fn sample_papers() -> &'static [Paper] {
    static PAPERS: std::sync::OnceLock<Vec<Paper>> = std::sync::OnceLock::new();
    PAPERS.get_or_init(|| {
        // A broken asset shows no sample (and fails the test below).
        parse_daily(SAMPLE_JSON)
            .map(|p| p.papers)
            .unwrap_or_default()
    })
}

/// The sample papers as a day's list shows them, in page order.
pub fn sample_entries() -> Vec<Entry> {
    sample_papers()
        .iter()
        .enumerate()
        .map(|(i, p)| Entry {
            row: Row::of(p, sample_day(), i as u32 + 1),
            state: UserState::default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_holds_the_73_papers_of_the_seed_page_with_sample_ids() {
        let papers = sample_papers();
        assert_eq!(papers.len(), 73);
        assert!(papers.iter().all(|p| p.id.is_sample()));
        assert_eq!(
            papers[0].title,
            "On the Complexity of Bayesian Generalization"
        );
        assert!(papers.iter().all(|p| p.summary.len() > 100));
        let days: Vec<_> = papers.iter().map(crate::domain::parse::daily_day).collect();
        assert!(days.iter().all(|d| *d == Some(sample_day())));
    }
}
