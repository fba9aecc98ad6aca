//! When to retry a request and how long to wait, and how fast to send.
//!
//! Retries: connect errors, timeouts, 429 and 502-504, at most
//! [`RetryPolicy::max_attempts`] attempts, with full-jitter exponential
//! backoff (AWS's "full jitter": a uniform wait in `0..min(cap, base*2^n)`),
//! but never sooner than the server asked with `Retry-After` or the Hugging
//! Face `RateLimit: "api";r=..;t=..` header. 400 and 404 are never retried.
//!
//! Pacing: a token bucket shared by all requests of a client keeps a
//! catch-up under the anonymous budget (500 API calls per 5 minutes) while
//! letting a short burst through at once.

use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` (attempt counts from 1):
    /// full jitter, raised to what the server asked for.
    pub fn delay(&self, attempt: u32, server_asked: Option<Duration>, random: u64) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.cap);
        let jitter = Duration::from_nanos(random % (ceiling.as_nanos() as u64 + 1));
        match server_asked {
            // Asked waits may exceed the cap: the server knows its window.
            Some(asked) => jitter.max(asked),
            None => jitter,
        }
    }
}

/// Statuses worth another attempt.
pub fn retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// How long the server asked us to wait: `Retry-After` in seconds (the
/// HTTP-date form is rare here and treated as absent), else the `t=` of
/// `RateLimit: "api";r=0;t=55` when nothing is left in the window.
pub fn server_wait(retry_after: Option<&str>, ratelimit: Option<&str>) -> Option<Duration> {
    server_wait_at(retry_after, ratelimit, chrono::Utc::now())
}

/// [`server_wait`] at `now`: `Retry-After` is either seconds or an HTTP
/// date (`Wed, 21 Oct 2026 07:28:00 GMT`), a date past meaning now.
pub fn server_wait_at(
    retry_after: Option<&str>,
    ratelimit: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Duration> {
    if let Some(v) = retry_after.map(str::trim) {
        if let Ok(secs) = v.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Ok(at) = chrono::DateTime::parse_from_rfc2822(v) {
            let secs = (at.with_timezone(&chrono::Utc) - now).num_seconds().max(0);
            return Some(Duration::from_secs(secs as u64));
        }
    }
    let (remaining, reset) = parse_ratelimit(ratelimit?)?;
    (remaining == 0).then(|| Duration::from_secs(reset))
}

/// Parses `"api";r=487;t=16` into (remaining, seconds to reset).
pub fn parse_ratelimit(header: &str) -> Option<(u64, u64)> {
    let mut r = None;
    let mut t = None;
    for part in header.split(';') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("r=") {
            r = v.trim().parse().ok();
        } else if let Some(v) = part.strip_prefix("t=") {
            t = v.trim().parse().ok();
        }
    }
    Some((r?, t?))
}

/// A token bucket: `burst` requests at once, then `per_second`. The
/// client's default (60, then 1.3 a second) allows at most 60 + 390 = 450
/// requests in any 5 minutes, under the anonymous 500.
#[derive(Debug)]
pub struct Pacer {
    burst: f64,
    per_second: f64,
    tokens: f64,
    last: Instant,
}

impl Pacer {
    pub fn new(burst: f64, per_second: f64) -> Pacer {
        Pacer {
            burst,
            per_second,
            tokens: burst,
            last: Instant::now(),
        }
    }

    /// Takes a token; returns how long to wait first (zero when one is free).
    pub fn take(&mut self, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.burst);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.per_second)
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn retry_after_as_an_http_date_is_waited_until_and_a_past_one_means_now() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-10-21T07:27:30Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(
            server_wait_at(Some("Wed, 21 Oct 2026 07:28:00 GMT"), None, now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            server_wait_at(Some("Wed, 21 Oct 2026 07:00:00 GMT"), None, now),
            Some(Duration::ZERO)
        );
        assert_eq!(server_wait_at(Some("soon"), None, now), None);
        assert_eq!(
            server_wait_at(Some(" 12 "), None, now),
            Some(Duration::from_secs(12))
        );
    }

    use super::*;

    #[test]
    fn backoff_grows_and_stays_under_the_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(1, None, 0), Duration::ZERO);
        assert!(p.delay(1, None, u64::MAX) <= Duration::from_secs(1));
        assert!(p.delay(10, None, u64::MAX) <= Duration::from_secs(30));
    }

    #[test]
    fn the_server_asked_wait_is_a_floor() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(2)), 0),
            Duration::from_secs(2)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(120)), 7),
            Duration::from_secs(120)
        );
    }

    #[test]
    fn retry_after_then_ratelimit_headers_are_read() {
        assert_eq!(server_wait(Some("2"), None), Some(Duration::from_secs(2)));
        assert_eq!(
            server_wait(None, Some("\"api\";r=0;t=55")),
            Some(Duration::from_secs(55))
        );
        assert_eq!(server_wait(None, Some("\"api\";r=12;t=55")), None);
        assert_eq!(
            server_wait(Some("Wed, 21 Oct 2015 07:28:00 GMT"), None),
            Some(Duration::ZERO),
            "an HTTP date long past: now"
        );
        assert_eq!(parse_ratelimit("\"api\";r=487;t=16"), Some((487, 16)));
    }

    #[test]
    fn only_transient_statuses_are_retried() {
        for s in [429, 502, 503, 504] {
            assert!(retryable_status(s));
        }
        for s in [400, 401, 403, 404, 410] {
            assert!(!retryable_status(s));
        }
    }

    #[test]
    fn the_pacer_lets_a_burst_through_then_spaces_requests() {
        let start = Instant::now();
        let mut p = Pacer::new(3.0, 2.0);
        for _ in 0..3 {
            assert_eq!(p.take(start), Duration::ZERO);
        }
        let wait = p.take(start);
        assert!((wait.as_secs_f64() - 0.5).abs() < 1e-6, "{wait:?}");
    }
}
