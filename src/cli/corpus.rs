//! A synthetic but realistic corpus, for benchmarks and soak tests.
//!
//! Papers are generated as `/api/daily_papers` JSON pages, parsed by the
//! real parser and saved through the store's public API, so the store
//! holds exactly what years of real syncing would leave behind. Abstracts
//! are 800-2,000 characters of sentences drawn from the bundled sample
//! digest; 3-15 authors; AI keywords; a GitHub repo on about half; digest
//! days on weekdays going back years; read, starred and tag state on a
//! fraction. Deterministic for a seed.

use crate::domain::model::{Day, PaperId, UserState, fmt_day};
use crate::domain::parse::parse_daily;
use crate::source::FetchedDay;
use crate::store::{Store, StoreError};
use chrono::Datelike;
use serde_json::{Value, json};

/// `SplitMix64`: tiny, fast and stable across versions (a corpus must not
/// change when a dependency does).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.range(1, 100) <= percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64 - 1) as usize]
    }
}

const FIRST: &[&str] = &[
    "Ada", "Kenji", "Zoë", "Björn", "Mei", "Ravi", "Amara", "Luca", "Sofia", "Wei", "Hiro",
    "Fatima", "Jonas", "Priya", "Mateo", "Yuki", "Olga", "Tariq", "Chen", "Grace", "Noah", "Lena",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Sato",
    "Müller",
    "Engdahl",
    "Zhang",
    "Patel",
    "Okafor",
    "Rossi",
    "García",
    "Wang",
    "Tanaka",
    "Haddad",
    "Schmidt",
    "Iyer",
    "López",
    "Kim",
    "Ivanova",
    "Rahman",
    "Li",
    "Hopper",
    "Nguyen",
    "Uznański",
];
const ORGS: &[&str] = &[
    "Meta AI",
    "Google DeepMind",
    "Microsoft Research",
    "NVIDIA",
    "Alibaba Qwen",
    "Tsinghua University",
    "Stanford University",
    "Hugging Face",
    "Allen Institute for AI",
    "ByteDance Seed",
];
/// Tags given to a fraction of papers, as a user would.
pub const TAGS: &[&str] = &[
    "rl",
    "diffusion",
    "llm",
    "vision",
    "to-read",
    "agents",
    "theory",
];

/// What a generated corpus holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Report {
    pub papers: usize,
    pub days: usize,
    /// Size of the API JSON the papers arrived as: the baseline for the
    /// store's disk budget.
    pub raw_json_bytes: u64,
}

/// Fills `store` with `papers` papers, newest day = `last_day`, going back
/// one weekday at a time with 30-100 papers a day. `progress` is called
/// after each day with the papers stored so far.
pub fn generate(
    store: &Store,
    papers: usize,
    seed: u64,
    last_day: Day,
    mut progress: impl FnMut(usize),
) -> Result<Report, StoreError> {
    let mut rng = Rng::new(seed);
    let sentences: Vec<String> = crate::domain::sample::sample_papers()
        .iter()
        .flat_map(|p| {
            p.summary
                .split(". ")
                .map(|s| s.trim_end_matches('.').to_string())
        })
        .filter(|s| s.len() > 20)
        .collect();
    let title_words: Vec<&str> = crate::domain::sample::sample_papers()
        .iter()
        .flat_map(|p| p.title.split_whitespace())
        .filter(|w| w.len() > 2)
        .collect();

    // One index commit for the whole corpus, when the batch ends.
    let batch = store.index_batch();
    let mut report = Report::default();
    let mut day = last_day;
    let mut states = Vec::new();
    while report.papers < papers {
        if day.weekday().number_from_monday() <= 5 {
            let n = (rng.range(30, 100) as usize).min(papers - report.papers);
            let items: Vec<Value> = (0..n)
                .map(|i| item(&mut rng, day, i, &sentences, &title_words))
                .collect();
            let body =
                serde_json::to_vec(&items).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            report.raw_json_bytes += body.len() as u64;
            let parsed = parse_daily(&body)
                .map_err(|e| StoreError::Corrupt(format!("a generated page: {e}")))?;
            for p in &parsed.papers {
                if let Some(state) = user_state(&mut rng) {
                    states.push((p.id.clone(), state));
                }
            }
            store.save_day(&FetchedDay::new(day, parsed.papers))?;
            report.papers += n;
            report.days += 1;
            progress(report.papers);
        }
        day = day
            .pred_opt()
            .ok_or_else(|| StoreError::Corrupt("ran out of dates".into()))?;
    }
    drop(batch);
    store.set_states(&states)?;
    Ok(report)
}

/// The arXiv-shaped id tests give paper number `n` (`2500.00000` on).
pub fn test_id(n: u64) -> String {
    format!("{:04}.{:05}", 2500 + n / 100_000, n % 100_000)
}

fn item(rng: &mut Rng, day: Day, i: usize, sentences: &[String], words: &[&str]) -> Value {
    // arXiv-style ids: YYMM.NNNNN, unique per day and rank.
    let id = PaperId(format!(
        "{:02}{:02}.{:02}{:03}",
        day.year() % 100,
        day.month(),
        day.day(),
        i
    ));
    let mut summary = String::new();
    let target = rng.range(800, 2000) as usize;
    while summary.len() < target {
        summary.push_str(rng.pick(sentences).as_str());
        summary.push_str(". ");
    }
    let title_len = rng.range(5, 12);
    let title: Vec<&str> = (0..title_len).map(|_| *rng.pick(words)).collect();
    let title = title.join(" ");
    let authors: Vec<Value> = (0..rng.range(3, 15))
        .map(|k| {
            json!({"_id": format!("{:024x}", u128::from(rng.next_u64()) + u128::from(k)), "hidden": false,
                   "name": format!("{} {}", rng.pick(FIRST), rng.pick(LAST))})
        })
        .collect();
    let keywords: Vec<String> = (0..rng.range(5, 14))
        .map(|_| rng.pick(words).to_lowercase())
        .collect();
    let upvotes = rng.range(0, 30) * rng.range(0, 10);
    let mut paper = json!({
        "id": id.as_str(),
        "authors": authors,
        "publishedAt": format!("{}T00:00:00.000Z", fmt_day(day.pred_opt().unwrap_or(day))),
        "submittedOnDailyAt": format!("{}T00:00:00.000Z", fmt_day(day)),
        "title": title,
        "summary": summary.trim_end(),
        "upvotes": upvotes,
        "discussionId": format!("{:024x}", rng.next_u64()),
        "ai_summary": sentences[rng.range(0, sentences.len() as u64 - 1) as usize],
        "ai_keywords": keywords,
    });
    if rng.chance(50) {
        paper["githubRepo"] = json!(format!(
            "https://github.com/lab{}/{}",
            rng.range(1, 999),
            id.as_str()
        ));
        paper["githubStars"] = json!(rng.range(0, 5000));
    }
    if rng.chance(40) {
        paper["projectPage"] = json!(format!(
            "https://project{}.example.org/",
            rng.range(1, 9999)
        ));
    }
    if rng.chance(55) {
        let org = rng.pick(ORGS);
        paper["organization"] =
            json!({"name": org.to_lowercase().replace(' ', "-"), "fullname": org});
    }
    json!({
        "paper": paper,
        "title": paper["title"],
        "summary": paper["summary"],
        "publishedAt": paper["publishedAt"],
        "thumbnail": format!("https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{id}.png"),
        "numComments": rng.range(0, 12),
        "submittedBy": {"_id": "650000000000000000000001", "avatarUrl": "/avatars/x.svg", "fullname": "AK",
                        "name": "akhaliq", "type": "user", "isPro": true, "isHf": true, "isMod": false},
        "isAuthorParticipating": false,
    })
}

/// Read on 40%, starred on 4%, tagged on 6%; the rest untouched.
fn user_state(rng: &mut Rng) -> Option<UserState> {
    let state = UserState {
        read: rng.chance(40),
        starred: rng.chance(4),
        tags: if rng.chance(6) {
            vec![rng.pick(TAGS).to_string()]
        } else {
            Vec::new()
        },
        updated_at: None,
    };
    (state != UserState::default()).then_some(state)
}
