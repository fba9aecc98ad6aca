//! A fake Hugging Face for tests and benches: answers `/api/daily_papers`
//! by date, ISO week, month and latest, paged like the real one, and the
//! HTML pages with a `DailyPapers` data island. It can be flaky (fail the
//! first attempt of every request, rate-limit now and then) or have lost
//! its JSON API altogether.
#![allow(dead_code)]

use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use wiremock::{Request, Respond, ResponseTemplate};

#[derive(Default)]
pub struct FakeHf {
    /// Items by digest day (YYYY-MM-DD); weekends simply absent.
    pub days: BTreeMap<NaiveDate, Vec<Value>>,
    pub latest: Option<NaiveDate>,
    /// Answer 503 to the first attempt of every URL.
    pub fail_first: bool,
    /// Answer 429 (Retry-After: 1) to every n-th request, 0 for never.
    pub rate_limit_every: usize,
    /// The JSON API answers 404: only the HTML pages work.
    pub json_gone: bool,
    pub delay: Option<std::time::Duration>,
    /// `/api/papers/{id}` answers with a GitHub repository and 2 models
    /// (else with neither): code and weights released.
    pub released: bool,
    pub seen: Mutex<HashMap<String, usize>>,
    pub requests: AtomicUsize,
}

impl FakeHf {
    /// Weekdays from `first` to `last`, `per_day` papers each.
    pub fn weekdays(first: &str, last: &str, per_day: usize) -> FakeHf {
        let first = NaiveDate::parse_from_str(first, "%Y-%m-%d").unwrap();
        let last = NaiveDate::parse_from_str(last, "%Y-%m-%d").unwrap();
        let mut days = BTreeMap::new();
        for day in first.iter_days().take_while(|d| *d <= last) {
            if day.weekday().number_from_monday() <= 5 {
                let prefix = format!("{:02}{:02}.{:02}", day.year() % 100, day.month(), day.day());
                let items = (0..per_day)
                    .map(|i| {
                        super::item(
                            &format!("{prefix}{i:03}"),
                            &format!("Paper {i} of {day}"),
                            (per_day - i) as u64,
                            &day.to_string(),
                        )
                    })
                    .collect();
                days.insert(day, items);
            }
        }
        FakeHf {
            latest: days.keys().next_back().copied(),
            days,
            ..FakeHf::default()
        }
    }

    /// `/api/daily_papers`: a day, week, month or the latest, paged, each
    /// item with a thumbnail this server serves.
    fn daily_papers(&self, request: &Request) -> ResponseTemplate {
        let params: HashMap<String, String> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let Some(items) = self.list_for(&params) else {
            return ResponseTemplate::new(400).set_body_json(json!({"error": "Invalid period"}));
        };
        let limit: usize = params
            .get("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(50);
        let page: usize = params.get("p").and_then(|p| p.parse().ok()).unwrap_or(0);
        // The address the client used (the request's URL here says localhost).
        let origin = request
            .headers
            .get("host")
            .and_then(|h| h.to_str().ok())
            .map_or_else(
                || request.url.origin().ascii_serialization(),
                |h| format!("http://{h}"),
            );
        let body: Vec<Value> = items
            .into_iter()
            .skip(page * limit)
            .take(limit)
            .map(|mut item| {
                if let Some(id) = item["paper"]["id"].as_str() {
                    item["thumbnail"] = json!(format!("{origin}/thumbnails/{id}.png"));
                }
                item
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(body)
    }

    /// `/api/papers/search?q=`: papers whose title has the words.
    fn search(&self, request: &Request) -> ResponseTemplate {
        let q = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "q")
            .map(|(_, v)| v.to_lowercase())
            .unwrap_or_default();
        let hits: Vec<Value> = self
            .days
            .values()
            .flatten()
            .filter(|item| {
                item["title"]
                    .as_str()
                    .is_some_and(|t| t.to_lowercase().contains(&q))
            })
            .take(50)
            .cloned()
            .collect();
        ResponseTemplate::new(200).set_body_json(hits)
    }

    /// A paper as Markdown, as `/papers/{id}.md` has it: sections, a list,
    /// a table, code, math and links.
    fn markdown(&self, id: &str) -> Option<String> {
        let item = self
            .days
            .values()
            .flatten()
            .find(|item| item["paper"]["id"].as_str() == Some(id))?;
        let title = item["paper"]["title"].as_str().unwrap_or("");
        let summary = item["paper"]["summary"].as_str().unwrap_or("");
        Some(format!(
            "# {title}\n\n## Abstract\n\n{summary}\n\n## 1 Introduction\n\n\
             We study *slow attention* and **fast readers**. Our contributions:\n\n\
             1. a tortoise-scale model;\n2. a benchmark, [TortoiseBench](https://example.org/bench);\n\n\
             > Slow and steady wins the race.\n\n\
             ## 2 Results\n\n| Model | Params | Score |\n|---|---:|---:|\n\
             | Tortoise-S | 1B | 71.2 |\n| Tortoise-L | 7B | 78.9 |\n\n\
             The loss is $L = -\\log p(x)$.\n\n```python\nprint(\"tortoise\")\n```\n\n\
             ## References\n\n- [arXiv](https://arxiv.org/abs/{id})\n"
        ))
    }

    /// A paper's details, as `/api/papers/{id}` has them.
    fn details(&self, id: &str) -> Option<Value> {
        let item = self
            .days
            .values()
            .flatten()
            .find(|item| item["paper"]["id"].as_str() == Some(id))?;
        let mut paper = item["paper"].clone();
        paper["numTotalModels"] = json!(if self.released { 2 } else { 0 });
        paper["numTotalDatasets"] = json!(0);
        paper["numTotalSpaces"] = json!(0);
        if self.released {
            paper["githubRepo"] = json!(format!("https://github.com/example/{id}"));
        }
        Some(paper)
    }

    fn items_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<Value> {
        self.days
            .range(from..=to)
            .flat_map(|(_, items)| items.clone())
            .collect()
    }

    fn list_for(&self, params: &HashMap<String, String>) -> Option<Vec<Value>> {
        let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        if let Some(d) = params.get("date") {
            let d = parse(d)?;
            return Some(self.days.get(&d).cloned().unwrap_or_default());
        }
        if let Some(w) = params.get("week") {
            let (y, wk) = w.split_once("-W")?;
            let monday = NaiveDate::from_isoywd_opt(
                y.parse().ok()?,
                wk.parse().ok()?,
                chrono::Weekday::Mon,
            )?;
            return Some(self.items_between(monday, monday + chrono::Duration::days(6)));
        }
        if let Some(m) = params.get("month") {
            let first = parse(&format!("{m}-01"))?;
            let last = first
                .checked_add_months(chrono::Months::new(1))?
                .pred_opt()?;
            return Some(self.items_between(first, last));
        }
        Some(
            self.latest
                .and_then(|d| self.days.get(&d).cloned())
                .unwrap_or_default(),
        )
    }

    fn html_page(&self, day: NaiveDate) -> String {
        let props = json!({"dateString": day.to_string(), "periodType": "day",
                           "dailyPapers": self.days.get(&day).cloned().unwrap_or_default()});
        let escaped = props
            .to_string()
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        format!(
            "<!doctype html><html><head><title>Daily Papers - Hugging Face</title></head><body>\
             <div class=\"SVELTE_HYDRATER contents\" data-target=\"MainHeader\" data-props=\"{{&quot;x&quot;:1}}\"></div>\
             <main><div class=\"SVELTE_HYDRATER contents\" data-target=\"DailyPapers\" data-props=\"{escaped}\"><section></section></div></main></body></html>"
        )
    }
}

impl Respond for FakeHf {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let n = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        let delayed = |t: ResponseTemplate| match self.delay {
            Some(d) => t.set_delay(d),
            None => t,
        };
        let url = request.url.to_string();
        if self.fail_first {
            let mut seen = self.seen.lock().unwrap();
            let count = seen.entry(url.clone()).or_default();
            *count += 1;
            if *count == 1 {
                return delayed(ResponseTemplate::new(503));
            }
        }
        if self.rate_limit_every > 0 && n.is_multiple_of(self.rate_limit_every) {
            return delayed(
                ResponseTemplate::new(429)
                    .insert_header("Retry-After", "1")
                    .insert_header("RateLimit", "\"api\";r=0;t=1"),
            );
        }
        let path = request.url.path();
        if path == "/papers" {
            return match self.latest {
                Some(d) => delayed(ResponseTemplate::new(200).set_body_string(self.html_page(d))),
                None => delayed(ResponseTemplate::new(404)),
            };
        }
        if let Some(id) = path
            .strip_prefix("/papers/")
            .and_then(|rest| rest.strip_suffix(".md"))
        {
            return delayed(match self.markdown(id) {
                Some(md) => ResponseTemplate::new(200)
                    .insert_header("content-type", "text/markdown; charset=utf-8")
                    .set_body_string(md),
                None => ResponseTemplate::new(404).set_body_string("Not Found"),
            });
        }
        if let Some(id) = path
            .strip_prefix("/thumbnails/")
            .and_then(|rest| rest.strip_suffix(".png"))
        {
            return delayed(ResponseTemplate::new(200).set_body_bytes(thumbnail(id)));
        }
        if let Some(day) = path.strip_prefix("/papers/date/") {
            return match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
                Ok(d) => delayed(ResponseTemplate::new(200).set_body_string(self.html_page(d))),
                Err(_) => delayed(ResponseTemplate::new(404)),
            };
        }
        if path == "/api/papers/search" {
            return delayed(self.search(request));
        }
        if let Some(id) = path.strip_prefix("/api/papers/") {
            return delayed(match self.details(id) {
                Some(body) => ResponseTemplate::new(200).set_body_json(body),
                None => ResponseTemplate::new(404).set_body_string("Not Found"),
            });
        }
        if path != "/api/daily_papers" || self.json_gone {
            return delayed(ResponseTemplate::new(404).set_body_string("Not Found"));
        }
        delayed(self.daily_papers(request))
    }
}

/// A 120x64 PNG for a paper: a band of colour from its id over a white
/// ground, like a title card.
fn thumbnail(id: &str) -> Vec<u8> {
    let seed = id
        .bytes()
        .fold(7u8, |a, b| a.wrapping_mul(31).wrapping_add(b));
    let img = image::RgbImage::from_fn(120, 64, |x, y| {
        if (16..48).contains(&y) {
            image::Rgb([seed, 255 - seed, (x * 2) as u8])
        } else {
            image::Rgb([250, 250, 250])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("a PNG in memory");
    out.into_inner()
}

/// Serves `fake` on 127.0.0.1, keeping a handle to count its requests.
pub async fn serve(fake: FakeHf) -> (wiremock::MockServer, std::sync::Arc<FakeHf>) {
    serve_on(fake, std::net::TcpListener::bind("127.0.0.1:0").unwrap()).await
}

/// [`serve`] on a listener of the caller's (a port chosen beforehand).
pub async fn serve_on(
    fake: FakeHf,
    listener: std::net::TcpListener,
) -> (wiremock::MockServer, std::sync::Arc<FakeHf>) {
    let server = wiremock::MockServer::builder()
        .listener(listener)
        .start()
        .await;
    let fake = std::sync::Arc::new(fake);
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(SharedFake(fake.clone()))
        .mount(&server)
        .await;
    (server, fake)
}

struct SharedFake(std::sync::Arc<FakeHf>);

impl Respond for SharedFake {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        self.0.respond(r)
    }
}
