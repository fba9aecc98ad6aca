//! A model of the reader's taste: a logistic regression over a paper's
//! words (title, abstract, AI keywords, tf-idf weighted), its authors and
//! its organization, learned from what the reader did. Pure: the caller
//! gives papers, labels and word rarity; nothing here reads the store.
//!
//! Why hand-written and not linfa: the model is sparse (a few hundred
//! features per paper out of tens of thousands), trained on a few
//! thousand papers, and must explain each score by its features. A
//! hundred lines of gradient descent over sparse vectors do that directly;
//! linfa's dense ndarray matrices would need a feature-hashing layer and
//! give weights back without names.

use crate::domain::model::Paper;
use crate::domain::text::{fold, word_spans};

/// What a feature is about, shown with it ("author Albert Gu").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Word,
    Author,
    Org,
    Keyword,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Word => "word",
            Kind::Author => "author",
            Kind::Org => "org",
            Kind::Keyword => "keyword",
        }
    }
}

/// A map keyed by features or words, hashed with FNV-1a (hundreds of
/// lookups per paper).
pub type FastMap<K, V> = crate::domain::hash::FnvMap<K, V>;

/// A feature: its kind and its folded text.
pub type Feature = (Kind, String);

/// Words too common to say what a paper is about, sorted (looked up by
/// binary search, for every word of every paper).
const STOP_WORDS: &[&str] = &[
    "a", "also", "an", "and", "approach", "are", "as", "at", "based", "be", "both", "by", "can",
    "each", "for", "from", "has", "have", "how", "however", "in", "into", "is", "it", "its",
    "method", "more", "new", "not", "of", "on", "one", "or", "other", "our", "over", "paper",
    "propose", "results", "show", "such", "than", "that", "the", "their", "these", "this", "to",
    "two", "use", "used", "using", "via", "we", "well", "what", "when", "where", "which", "while",
    "with", "work",
];

/// A paper as features with values: words as tf-idf (`idf` says how rare
/// a word is across the store), the vector's words scaled to length one;
/// authors, organization and keywords as plain presence.
pub fn features(p: &Paper, idf: &dyn Fn(&str) -> f32) -> Vec<(Feature, f32)> {
    let mut tf: FastMap<String, f32> = FastMap::default();
    // One buffer for every word: a paper has hundreds, most of them again.
    let mut word = String::new();
    for text in [p.title.as_str(), p.title.as_str(), p.summary.as_str()] {
        for (start, end) in word_spans(text) {
            crate::domain::text::fold_into(&text[start..end], &mut word);
            if let Some(n) = tf.get_mut(word.as_str()) {
                *n += 1.0;
            } else if word.chars().nth(2).is_some()
                && STOP_WORDS.binary_search(&word.as_str()).is_err()
                && !word.chars().all(|c| c.is_ascii_digit())
            {
                tf.insert(word.clone(), 1.0);
            }
        }
    }
    let mut out: Vec<(Feature, f32)> = tf
        .into_iter()
        .map(|(w, n)| {
            let v = (1.0 + n.ln()) * idf(&w);
            ((Kind::Word, w), v)
        })
        .collect();
    let norm = out.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, v) in &mut out {
            *v /= norm;
        }
    }
    // Named things weigh as much as a strong word; a long author list
    // shares it out.
    let share = 1.0 / (p.authors.len().max(1) as f32).sqrt();
    out.extend(
        p.authors
            .iter()
            .map(|a| ((Kind::Author, fold(a)), share * 0.5)),
    );
    out.extend(p.organization.iter().map(|o| ((Kind::Org, fold(o)), 0.5)));
    // Keywords as their words ("complexity:" is "complexity").
    out.extend(
        p.ai_keywords
            .iter()
            .map(|k| crate::domain::text::words(k).collect::<Vec<_>>().join(" "))
            .filter(|k| !k.is_empty())
            .map(|k| ((Kind::Keyword, k), 0.3)),
    );
    // A name given twice (an author listed twice) counts once; words are
    // already one each.
    let words = out.iter().take_while(|(f, _)| f.0 == Kind::Word).count();
    let mut named = out.split_off(words);
    named.sort_by(|a, b| a.0.cmp(&b.0));
    named.dedup_by(|a, b| a.0 == b.0);
    out.append(&mut named);
    out
}

/// One paper the model learns from.
pub struct Example {
    pub features: Vec<(Feature, f32)>,
    /// Liked (starred, tagged, read) or not (skipped, less like this).
    pub liked: bool,
    /// How much the label counts: a star more than a read.
    pub weight: f32,
}

/// One of a score's reasons: a feature and how far it moved the score.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub kind: Kind,
    pub feature: String,
    /// Its weight times its value in this paper: signed.
    pub weight: f32,
}

/// A paper's score (0 to 1) and its strongest reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub score: f32,
    pub reasons: Vec<Reason>,
}

/// The learned weights, by feature.
#[derive(Debug, Clone, Default)]
pub struct Model {
    weights: FastMap<Feature, f32>,
    bias: f32,
    /// How many liked papers it learned from.
    pub positives: usize,
}

/// The tag `-` puts on a paper: "less like this". For you learns from it
/// as a paper not liked; a tag, so it is undone, listed and synced as tags are.
pub const LESS_TAG: &str = "not-for-me";

/// Fewer liked papers than this and the model is not trusted (cold start).
pub const MIN_POSITIVES: usize = 5;

/// L2 penalty and passes of training.
const L2: f32 = 1e-2;
const EPOCHS: usize = 20;

impl Model {
    /// Learns from the examples by gradient descent on the weighted
    /// logistic loss (`AdaGrad` steps, which suit sparse features). `None`
    /// when there are fewer than [`MIN_POSITIVES`] liked examples.
    pub fn train(examples: &[Example]) -> Option<Model> {
        let positives = examples
            .iter()
            .filter(|e| e.liked && e.weight >= 1.0)
            .count();
        if positives < MIN_POSITIVES {
            return None;
        }
        // Features as numbers, for speed.
        let mut ids: FastMap<&Feature, usize> = FastMap::default();
        let mut names: Vec<&Feature> = Vec::new();
        let rows: Vec<Vec<(usize, f32)>> = examples
            .iter()
            .map(|e| {
                e.features
                    .iter()
                    .map(|(f, v)| {
                        let id = *ids.entry(f).or_insert_with(|| {
                            names.push(f);
                            names.len() - 1
                        });
                        (id, *v)
                    })
                    .collect()
            })
            .collect();
        // Liked and not-liked weigh the same in total, however many
        // skipped papers there are.
        let total = |liked: bool| -> f32 {
            examples
                .iter()
                .filter(|e| e.liked == liked)
                .map(|e| e.weight)
                .sum::<f32>()
                .max(f32::EPSILON)
        };
        let (pos_total, neg_total) = (total(true), total(false));
        let mut learned = vec![0f32; names.len()];
        let mut squares = vec![1e-8f32; names.len()];
        let mut bias = 0f32;
        let mut bias_squares = 1e-8f32;
        let rate = 0.5f32;
        for _ in 0..EPOCHS {
            for (example, row) in examples.iter().zip(&rows) {
                let logit = bias + row.iter().map(|(i, v)| learned[*i] * v).sum::<f32>();
                let target = if example.liked { 1.0 } else { 0.0 };
                let share = if example.liked { pos_total } else { neg_total };
                let scale = example.weight / share;
                let err = (sigmoid(logit) - target) * scale * examples.len() as f32 / 2.0;
                for (i, v) in row {
                    let grad = err * v + L2 * learned[*i];
                    squares[*i] += grad * grad;
                    learned[*i] -= rate * grad / squares[*i].sqrt();
                }
                bias_squares += err * err;
                bias -= rate * err / bias_squares.sqrt();
            }
        }
        let weights = names
            .into_iter()
            .zip(learned)
            .filter(|(_, w)| w.abs() > 1e-4)
            .map(|(f, w)| (f.clone(), w))
            .collect();
        Some(Model {
            weights,
            bias,
            positives,
        })
    }

    /// The score of a paper's features and the three that moved it most,
    /// leaving out muted features.
    pub fn score(&self, features: &[(Feature, f32)], muted: &[Feature]) -> Scored {
        // Contributions by reference; only the three shown are copied.
        let mut parts: Vec<(&Feature, f32)> = features
            .iter()
            .filter_map(|(f, v)| Some((f, self.weights.get(f)? * v)))
            .filter(|(f, _)| !muted.contains(f))
            .collect();
        let z = self.bias + parts.iter().map(|(_, w)| w).sum::<f32>();
        let strongest = 3.min(parts.len());
        if strongest > 0 && parts.len() > strongest {
            parts.select_nth_unstable_by(strongest - 1, |a, b| b.1.abs().total_cmp(&a.1.abs()));
        }
        parts.truncate(strongest);
        parts.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        Scored {
            score: sigmoid(z),
            reasons: parts
                .into_iter()
                .map(|(f, weight)| Reason {
                    kind: f.0,
                    feature: f.1.clone(),
                    weight,
                })
                .collect(),
        }
    }

    /// The `n` features that most say "liked", strongest first.
    pub fn strongest(&self, n: usize) -> Vec<Feature> {
        let mut liked: Vec<(&Feature, f32)> = self
            .weights
            .iter()
            .filter(|(_, w)| **w > 0.0)
            .map(|(f, w)| (f, *w))
            .collect();
        liked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        liked.into_iter().take(n).map(|(f, _)| f.clone()).collect()
    }

    /// How many features carry a weight.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// A feature as the config names it: `word:benchmark`, `author:Jane Doe`,
/// `org:Meta AI`, `keyword:rl` (folded as features are).
pub fn feature_name(f: &Feature) -> String {
    format!("{}:{}", f.0.name(), f.1)
}

/// [`feature_name`] read back; the message says what is wrong.
pub fn parse_feature(text: &str) -> Result<Feature, String> {
    let (kind, name) = text.split_once(':').ok_or_else(|| {
        format!("{text:?} is not kind:name (word:benchmark, author:Jane Doe, org:…, keyword:…)")
    })?;
    let kind = match kind.trim() {
        "word" => Kind::Word,
        "author" => Kind::Author,
        "org" => Kind::Org,
        "keyword" => Kind::Keyword,
        other => return Err(format!("{other:?} is not word, author, org or keyword")),
    };
    let name = match kind {
        Kind::Word | Kind::Keyword => crate::domain::text::words(name)
            .collect::<Vec<_>>()
            .join(" "),
        Kind::Author | Kind::Org => fold(name.trim()),
    };
    if name.is_empty() {
        return Err(format!("{text:?} names nothing"));
    }
    Ok((kind, name))
}

/// A reason as the paper view and `--json` show it: `mamba +0.41`.
pub fn describe(r: &Reason) -> String {
    let name = match r.kind {
        Kind::Word => r.feature.clone(),
        kind => format!("{} {}", kind.name(), r.feature),
    };
    format!("{name} {:+.2}", r.weight)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::PaperId;

    fn paper(id: &str, title: &str, author: &str) -> Paper {
        Paper {
            id: PaperId(id.into()),
            title: title.into(),
            summary: format!("{title} in detail."),
            authors: vec![author.into()],
            ..Paper::default()
        }
    }

    /// `n` liked papers on one topic (title words, author) and `n` skipped
    /// ones on another, numbered.
    fn topic_examples(n: usize, liked: (&str, &str), skipped: (&str, &str)) -> Vec<Example> {
        let idf = |_: &str| 1.0;
        let mut examples = Vec::new();
        for i in 0..n {
            for (id, (title, author), is_liked, weight) in
                [("l", liked, true, 1.0), ("o", skipped, false, 0.5)]
            {
                let p = paper(&format!("{id}{i}"), &format!("{title} {i}"), author);
                examples.push(Example {
                    features: features(&p, &idf),
                    liked: is_liked,
                    weight,
                });
            }
        }
        examples
    }

    #[test]
    fn a_model_learned_from_starred_papers_on_a_topic_ranks_that_topic_first_and_says_why() {
        let idf = |_: &str| 1.0;
        let examples = topic_examples(
            8,
            ("Mamba state space model", "Albert Gu"),
            ("Protein folding benchmark", "Someone Else"),
        );
        let model = Model::train(&examples).expect("eight liked papers are enough");
        let on_topic = model.score(
            &features(&paper("n1", "A mamba model for audio", "Jane Doe"), &idf),
            &[],
        );
        let off_topic = model.score(
            &features(
                &paper("n2", "Protein structure benchmark", "Jane Doe"),
                &idf,
            ),
            &[],
        );
        assert!(
            on_topic.score > 0.5 && off_topic.score < 0.5,
            "{on_topic:?} {off_topic:?}"
        );
        assert!(
            on_topic
                .reasons
                .iter()
                .any(|r| r.feature == "mamba" && r.weight > 0.0),
            "{on_topic:?}"
        );
        let muted = model.score(
            &features(&paper("n1", "A mamba model for audio", "Jane Doe"), &idf),
            &[(Kind::Word, "mamba".into())],
        );
        assert!(muted.score < on_topic.score && muted.reasons.iter().all(|r| r.feature != "mamba"));
    }

    #[test]
    fn a_paper_marked_less_like_this_pushes_papers_like_it_down() {
        let idf = |_: &str| 1.0;
        let mut examples = topic_examples(
            6,
            ("Graph neural network", "A B"),
            ("Robot grasping policy", "C D"),
        );
        let probe = features(&paper("p", "Graph transformers for molecules", "E F"), &idf);
        let before = Model::train(&examples).unwrap().score(&probe, &[]).score;
        // "Less like this" on a paper about molecules.
        let less = paper(
            "m",
            "Molecules property prediction with transformers",
            "G H",
        );
        examples.push(Example {
            features: features(&less, &idf),
            liked: false,
            weight: 1.0,
        });
        let after = Model::train(&examples).unwrap().score(&probe, &[]).score;
        assert!(after < before, "before {before}, after {after}");
    }

    #[test]
    fn a_muted_feature_is_named_and_read_back_as_the_config_writes_it() {
        for text in [
            "word:benchmark",
            "author:Zoë Müller",
            "org:Meta AI",
            "keyword:State Space",
        ] {
            let f = parse_feature(text).unwrap();
            assert_eq!(parse_feature(&feature_name(&f)).unwrap(), f);
        }
        assert_eq!(
            parse_feature("author:Zoë Müller").unwrap(),
            (Kind::Author, "zoe muller".into())
        );
        assert!(parse_feature("benchmark").is_err());
        assert!(parse_feature("colour:red").is_err());
        assert!(parse_feature("word:  ").is_err());
    }

    #[test]
    fn the_stop_words_are_sorted_for_their_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn fewer_than_five_liked_papers_is_a_cold_start_and_gives_no_model() {
        let idf = |_: &str| 1.0;
        let examples: Vec<Example> = (0..4)
            .map(|i| Example {
                features: features(&paper(&format!("p{i}"), "Mamba", "A B"), &idf),
                liked: true,
                weight: 1.0,
            })
            .collect();
        assert!(Model::train(&examples).is_none());
    }
}
