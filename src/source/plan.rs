//! Planning a catch-up: which requests bring the missing days cheaply.
//!
//! Pure: a range, the latest published day and what the store holds in,
//! a list of [`ListQuery`]s out. Days already stored (with papers, or known
//! empty) are not fetched again, except the three most recent days, whose
//! lists still grow and whose papers' upvotes still move (each refetch
//! adds to their popularity history). Where the service supports periods (since
//! [`periods_since`]), a month with many missing days is one paged month
//! request and a week with several is one week request; other days are
//! asked for one by one. Days after the latest published day are not asked
//! for: an empty answer for them would be wrongly remembered as final.

use super::ListQuery;

/// The days up to the latest that are always fetched again.
pub const RECENT_DAYS: i64 = 3;
use crate::domain::model::Day;
use std::collections::BTreeSet;

/// The API answers `week=` and `month=` for days from about then on.
pub fn periods_since() -> Day {
    Day::from_ymd_opt(2025, 9, 16).unwrap_or_default()
}

/// A month becomes one request when at least this many of its days are missing.
const MONTH_MIN_MISSING: usize = 10;
/// A week becomes one request when at least this many of its days are missing.
const WEEK_MIN_MISSING: usize = 3;

/// The requests for `from..=to`, given the latest published day and a
/// test for days the store already has.
pub fn plan(from: Day, to: Day, latest: Day, have: impl Fn(Day) -> bool) -> Vec<ListQuery> {
    let end = to.min(latest);
    if from > end {
        return Vec::new();
    }
    let recent = latest - chrono::Duration::days(RECENT_DAYS - 1);
    let mut wanted: BTreeSet<Day> = from
        .iter_days()
        .take_while(|d| *d <= end)
        .filter(|d| !have(*d) || *d >= recent)
        .collect();

    let mut out = Vec::new();
    // The recent days are asked for alone: periods holding them are still open.
    let singles: Vec<Day> = wanted.iter().copied().filter(|d| *d >= recent).collect();
    for d in &singles {
        wanted.remove(d);
    }
    let cutoff = periods_since();
    let complete = |days: &[Day]| days.iter().all(|d| *d < recent && *d >= cutoff);

    // Months first, then weeks, over what is left.
    let months: BTreeSet<ListQuery> = wanted.iter().map(|d| ListQuery::month_of(*d)).collect();
    for month in months {
        let days = month.days();
        let missing: Vec<Day> = days
            .iter()
            .copied()
            .filter(|d| wanted.contains(d))
            .collect();
        if missing.len() >= MONTH_MIN_MISSING && complete(&days) {
            out.push(month);
            for d in missing {
                wanted.remove(&d);
            }
        }
    }
    let weeks: BTreeSet<ListQuery> = wanted.iter().map(|d| ListQuery::week_of(*d)).collect();
    for week in weeks {
        let days = week.days();
        let missing: Vec<Day> = days
            .iter()
            .copied()
            .filter(|d| wanted.contains(d))
            .collect();
        if missing.len() >= WEEK_MIN_MISSING && complete(&days) {
            out.push(week);
            for d in missing {
                wanted.remove(&d);
            }
        }
    }
    out.extend(wanted.into_iter().map(ListQuery::Day));
    out.extend(singles.into_iter().map(ListQuery::Day));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::parse_day;

    fn d(s: &str) -> Day {
        parse_day(s).unwrap()
    }

    #[test]
    fn an_up_to_date_store_only_refreshes_the_three_recent_days() {
        let q = plan(d("2026-11-01"), d("2026-11-25"), d("2026-11-25"), |_| true);
        assert_eq!(
            q,
            [
                ListQuery::Day(d("2026-11-23")),
                ListQuery::Day(d("2026-11-24")),
                ListQuery::Day(d("2026-11-25"))
            ]
        );
    }

    #[test]
    fn a_missing_whole_month_is_one_month_request() {
        let q = plan(d("2026-09-01"), d("2026-11-25"), d("2026-11-25"), |day| {
            day >= d("2026-10-01")
        });
        assert_eq!(
            q,
            [
                ListQuery::Month(d("2026-09-01")),
                ListQuery::Day(d("2026-11-23")),
                ListQuery::Day(d("2026-11-24")),
                ListQuery::Day(d("2026-11-25"))
            ]
        );
    }

    #[test]
    fn a_few_missing_days_become_week_requests_or_single_days() {
        // Wed-Fri of one week missing (3 days): a week; one lone day: a day.
        let missing = [
            d("2026-11-04"),
            d("2026-11-05"),
            d("2026-11-06"),
            d("2026-11-12"),
        ];
        let q = plan(d("2026-11-01"), d("2026-11-25"), d("2026-11-25"), |day| {
            !missing.contains(&day)
        });
        assert_eq!(
            q,
            [
                ListQuery::Week(d("2026-11-02")),
                ListQuery::Day(d("2026-11-12")),
                ListQuery::Day(d("2026-11-23")),
                ListQuery::Day(d("2026-11-24")),
                ListQuery::Day(d("2026-11-25")),
            ]
        );
    }

    #[test]
    fn days_before_the_api_knew_periods_are_asked_for_one_by_one() {
        let q = plan(d("2025-08-01"), d("2025-08-05"), d("2026-11-25"), |_| false);
        assert_eq!(
            q,
            (1..=5)
                .map(|i| ListQuery::Day(d(&format!("2025-08-0{i}"))))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn nothing_after_the_latest_published_day_is_asked_for() {
        let q = plan(d("2026-11-20"), d("2026-11-30"), d("2026-11-25"), |_| true);
        assert!(
            q.iter()
                .all(|r| r.days().iter().all(|day| *day <= d("2026-11-25"))),
            "{q:?}"
        );
        assert!(plan(d("2026-11-26"), d("2026-11-30"), d("2026-11-25"), |_| false).is_empty());
    }

    #[test]
    fn a_period_still_open_is_not_requested_as_a_whole() {
        // November is missing but still running: weeks and days, no month.
        let q = plan(d("2026-11-01"), d("2026-11-25"), d("2026-11-25"), |_| false);
        assert!(!q.contains(&ListQuery::Month(d("2026-11-01"))), "{q:?}");
        assert!(q.contains(&ListQuery::Week(d("2026-11-02"))), "{q:?}");
        // The week holding the recent days is open too.
        assert!(!q.contains(&ListQuery::Week(d("2026-11-23"))), "{q:?}");
    }
}
