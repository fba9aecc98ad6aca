//! The watch on code and weights: what a starred paper gained between two
//! fetches of it (a GitHub repository, a project page, models, datasets or
//! Spaces on the Hub), said the way the status line and the Watch view say
//! it: `code released: github.com/org/repo; 2 models`.

use crate::domain::model::Paper;
use crate::domain::text::{count, one_line};
use serde::{Deserialize, Serialize};

/// What the watch knows of one starred paper.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Watch {
    /// When its details were last asked for (Unix seconds): at most once
    /// a day, answered or not.
    pub checked: i64,
    /// The last thing it gained, if any.
    pub event: Option<Release>,
}

/// Something a paper gained, and when it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Release {
    /// When it was seen (RFC 3339).
    pub at: String,
    /// What, one part each: `code released: github.com/…`, `2 models`.
    pub what: Vec<String>,
    /// Shown in the Watch view since.
    pub seen: bool,
}

impl Release {
    /// The parts on one line: `code released: github.com/x/y; 2 models`.
    pub fn describe(&self) -> String {
        one_line(&self.what.join("; "))
    }
}

/// What `new` has that `old` had not. Code and project pages come with
/// every list, so their absence before is known. Linked models, datasets
/// and Spaces come only from the details endpoint: a count rises from the
/// last one fetched, and the first fetch is the baseline, not news.
pub fn gained(old: &Paper, new: &Paper) -> Vec<String> {
    let mut what = Vec::new();
    if old.github_repo.is_none()
        && let Some(repo) = &new.github_repo
    {
        what.push(format!("code released: {}", short_url(repo)));
    }
    if old.project_page.is_none()
        && let Some(page) = &new.project_page
    {
        what.push(format!("project page: {}", short_url(page)));
    }
    if old.details_fetched_at.is_some() {
        for (before, now, noun) in [
            (old.linked_models, new.linked_models, "model"),
            (old.linked_datasets, new.linked_datasets, "dataset"),
            (old.linked_spaces, new.linked_spaces, "Space"),
        ] {
            if let Some(n) = now.filter(|n| *n > before.unwrap_or(0)) {
                what.push(count(n, noun));
            }
        }
    }
    what
}

/// A URL as people write it: no scheme, no `www.`, no trailing slash.
fn short_url(url: &str) -> String {
    let url = one_line(url);
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(&url);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    rest.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetched(models: Option<u64>) -> Paper {
        Paper {
            linked_models: models,
            details_fetched_at: models.map(|_| "2026-11-20T00:00:00Z".into()),
            ..Paper::default()
        }
    }

    #[test]
    fn code_appearing_and_models_rising_are_news_and_nothing_else_is() {
        let old = fetched(Some(0));
        let new = Paper {
            github_repo: Some("https://github.com/state-spaces/mamba/".into()),
            ..fetched(Some(2))
        };
        assert_eq!(
            gained(&old, &new),
            ["code released: github.com/state-spaces/mamba", "2 models"]
        );
        assert!(gained(&new, &new).is_empty(), "nothing new");
        // Fewer models (one deleted) is not news.
        assert!(
            gained(
                &new,
                &Paper {
                    linked_models: Some(1),
                    ..new.clone()
                }
            )
            .is_empty()
        );
    }

    #[test]
    fn the_first_details_fetch_is_a_baseline_for_counts_but_not_for_code() {
        let never = Paper::default();
        let new = Paper {
            project_page: Some("https://www.example.org/tortoise".into()),
            ..fetched(Some(3))
        };
        assert_eq!(gained(&never, &new), ["project page: example.org/tortoise"]);
    }
}
