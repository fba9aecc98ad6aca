//! Simulated readers, to measure For you against upvote order.
//!
//! A corpus with topic structure: each topic has its own vocabulary (words
//! of the bundled sample's abstracts, dealt out to topics), its own authors
//! and organizations; each paper is drawn mostly from one topic, with words
//! of a second and of no topic at all. Upvotes are popularity, unrelated to
//! any one reader. A simulated reader cares for two topics: on the first
//! 80% of days it stars some papers of its topics (and a few others, by
//! mistake) and reads more; For you learns from that through the real store,
//! index and trainer, then ranks each later day. A paper is relevant when
//! its main topic is one of the reader's. Deterministic for a seed.

use crate::cli::corpus::Rng;
use crate::domain::model::{Day, FetchedDay, Paper, PaperId, UserState};
use crate::domain::query::{self, SortKey};
use crate::search::foryou::{self, Trained};
use crate::search::index::Index;
use crate::store::{Store, StoreError};

/// Topics in the corpus, and how many a reader cares for.
const TOPICS: usize = 12;
const READER_TOPICS: usize = 2;
/// Papers a day.
const PER_DAY: usize = 40;

/// A paper's topics: its main one decides relevance.
struct Drawn {
    paper: Paper,
    topic: usize,
}

struct Vocab {
    topics: Vec<Vec<String>>,
    background: Vec<String>,
}

fn vocabulary(rng: &mut Rng) -> Vocab {
    let mut words: Vec<String> = crate::domain::sample::sample_papers()
        .iter()
        .flat_map(|p| crate::domain::text::words(&p.summary).collect::<Vec<_>>())
        .filter(|w| w.len() > 3)
        .collect();
    words.sort();
    words.dedup();
    // Shuffle, deterministically.
    for i in (1..words.len()).rev() {
        let j = rng.range(0, i as u64) as usize;
        words.swap(i, j);
    }
    let per = 60;
    let topics = (0..TOPICS)
        .map(|t| words[t * per..(t + 1) * per].to_vec())
        .collect();
    let background = words[TOPICS * per..].to_vec();
    Vocab { topics, background }
}

fn draw(rng: &mut Rng, vocab: &Vocab, day: Day, n: usize) -> Drawn {
    let topic = rng.range(0, TOPICS as u64 - 1) as usize;
    let second = rng.range(0, TOPICS as u64 - 1) as usize;
    let word = |rng: &mut Rng| -> String {
        let roll = rng.range(1, 100);
        let pool = if roll <= 45 {
            &vocab.topics[topic]
        } else if roll <= 60 {
            &vocab.topics[second]
        } else {
            &vocab.background
        };
        rng.pick(pool).clone()
    };
    let title: Vec<String> = (0..8).map(|_| word(rng)).collect();
    let summary: Vec<String> = (0..120).map(|_| word(rng)).collect();
    let keywords: Vec<String> = (0..5)
        .map(|_| rng.pick(&vocab.topics[topic]).clone())
        .collect();
    let authors: Vec<String> = (0..rng.range(3, 7))
        .map(|_| {
            // Most authors work on the paper's topic; some anywhere.
            let t = if rng.chance(80) {
                topic
            } else {
                rng.range(0, TOPICS as u64 - 1) as usize
            };
            format!("Author{t}x{}", rng.range(0, 29))
        })
        .collect();
    let id = PaperId(format!(
        "{}.{:05}",
        day.format("%y%m"),
        (u64::from(chrono::Datelike::day(&day)) * 1000 + n as u64) % 100_000
    ));
    let paper = Paper {
        id,
        title: title.join(" "),
        summary: summary.join(" ") + ".",
        authors,
        upvotes: rng.range(0, 30) * rng.range(0, 10),
        ai_keywords: keywords,
        organization: rng
            .chance(55)
            .then(|| format!("Lab{topic}x{}", rng.range(0, 1))),
        ..Paper::default()
    };
    Drawn { paper, topic }
}

/// One simulated reader's figures on the days held out.
#[derive(Debug, Clone, Copy)]
pub struct ReaderResult {
    pub precision_foryou: f64,
    pub precision_upvotes: f64,
    pub ndcg_foryou: f64,
    pub ndcg_upvotes: f64,
    /// Papers starred in the first 80% of days.
    pub starred: usize,
}

/// A digest day of the corpus: each paper with its main topic.
type TopicDay = (Day, Vec<(PaperId, usize)>);

/// Runs `readers` simulated readers over `days` digest days in a store in
/// `dir`, each with its own two topics.
pub fn run(
    dir: &std::path::Path,
    readers: usize,
    days: usize,
    seed: u64,
) -> Result<Vec<ReaderResult>, StoreError> {
    let mut rng = Rng::new(seed);
    let store = Store::open(dir)?;
    let all = generate(&store, &mut rng, days)?;
    let split = days * 4 / 5;
    let mut out = Vec::new();
    let mut previous: Vec<PaperId> = Vec::new();
    for _ in 0..readers {
        // Forget the previous reader.
        let reset: Vec<(PaperId, UserState)> = previous
            .drain(..)
            .map(|id| (id, UserState::default()))
            .collect();
        store.set_states(&reset)?;
        let interests = pick_interests(&mut rng);
        let states = behave(&mut rng, &all[..split], &interests);
        previous = states.iter().map(|(id, _)| id.clone()).collect();
        store.set_states(&states)?;
        let starred = states.iter().filter(|(_, s)| s.starred).count();
        if let Some(mut result) = evaluate(&store, &all[split..], &interests)? {
            result.starred = starred;
            out.push(result);
        }
    }
    Ok(out)
}

/// Saves `days` digest days of topic papers, oldest first.
fn generate(store: &Store, rng: &mut Rng, days: usize) -> Result<Vec<TopicDay>, StoreError> {
    let vocab = vocabulary(rng);
    let batch = store.index_batch();
    let mut all = Vec::new();
    let mut day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    while all.len() < days {
        if chrono::Datelike::weekday(&day).number_from_monday() <= 5 {
            let drawn: Vec<Drawn> = (0..PER_DAY).map(|n| draw(rng, &vocab, day, n)).collect();
            all.push((
                day,
                drawn
                    .iter()
                    .map(|d| (d.paper.id.clone(), d.topic))
                    .collect(),
            ));
            store.save_day(&FetchedDay::new(
                day,
                drawn.into_iter().map(|d| d.paper).collect(),
            ))?;
        }
        day = day.succ_opt().unwrap_or(day);
    }
    drop(batch);
    Ok(all)
}

fn pick_interests(rng: &mut Rng) -> Vec<usize> {
    let mut interests: Vec<usize> = Vec::new();
    while interests.len() < READER_TOPICS {
        let t = rng.range(0, TOPICS as u64 - 1) as usize;
        if !interests.contains(&t) {
            interests.push(t);
        }
    }
    interests
}

/// What the reader does on the days it learns from: stars 30% of its
/// topics' papers and 1% of the rest; reads 60% and 10%.
fn behave(rng: &mut Rng, days: &[TopicDay], interests: &[usize]) -> Vec<(PaperId, UserState)> {
    let mut states = Vec::new();
    for (_, papers) in days {
        for (id, topic) in papers {
            let mine = interests.contains(topic);
            let starred = if mine { rng.chance(30) } else { rng.chance(1) };
            let read = starred || if mine { rng.chance(60) } else { rng.chance(10) };
            if read {
                let st = UserState {
                    read,
                    starred,
                    ..UserState::default()
                };
                states.push((id.clone(), st));
            }
        }
    }
    states
}

/// Trains For you on the store's states and ranks each held-out day both
/// ways; `None` on a cold start.
fn evaluate(
    store: &Store,
    held_out: &[TopicDay],
    interests: &[usize],
) -> Result<Option<ReaderResult>, StoreError> {
    let index = Index::load(store)?;
    let taste = match foryou::train(store, &index, Vec::new())? {
        Trained::Taste(t) => std::sync::Arc::new(*t),
        Trained::ColdStart { .. } => return Ok(None),
    };
    index.set_ranker(Some(taste));
    let mut sums = [0.0f64; 4];
    for (day, papers) in held_out {
        let relevant = |id: &PaperId| papers.iter().any(|(p, t)| p == id && interests.contains(t));
        let ranked = |sort: &str| -> Vec<PaperId> {
            let text = format!("date:{} sort:{sort}", crate::domain::model::fmt_day(*day));
            let q = query::parse(&text).unwrap_or_default();
            index
                .query(&q, SortKey::Date, *day)
                .into_iter()
                .map(|e| e.row.id.clone())
                .collect()
        };
        let (mine, popular) = (ranked("foryou"), ranked("upvotes"));
        let total = papers.iter().filter(|(_, t)| interests.contains(t)).count();
        sums[0] += precision(&mine, &relevant);
        sums[1] += precision(&popular, &relevant);
        sums[2] += ndcg(&mine, &relevant, total);
        sums[3] += ndcg(&popular, &relevant, total);
    }
    let n = held_out.len().max(1) as f64;
    Ok(Some(ReaderResult {
        precision_foryou: sums[0] / n,
        precision_upvotes: sums[1] / n,
        ndcg_foryou: sums[2] / n,
        ndcg_upvotes: sums[3] / n,
        starred: 0,
    }))
}

/// Of the first ten, the share that is relevant.
fn precision(ranked: &[PaperId], relevant: &dyn Fn(&PaperId) -> bool) -> f64 {
    ranked.iter().take(10).filter(|id| relevant(id)).count() as f64 / 10.0
}

/// Discounted gain of the first ten against the best possible.
fn ndcg(ranked: &[PaperId], relevant: &dyn Fn(&PaperId) -> bool, total: usize) -> f64 {
    let dcg: f64 = ranked
        .iter()
        .take(10)
        .enumerate()
        .filter(|(_, id)| relevant(id))
        .map(|(i, _)| 1.0 / (i as f64 + 2.0).log2())
        .sum();
    let ideal: f64 = (0..total.min(10))
        .map(|i| 1.0 / (i as f64 + 2.0).log2())
        .sum();
    if ideal == 0.0 { 0.0 } else { dcg / ideal }
}
