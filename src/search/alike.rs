//! Papers alike: the more-like-this query (the words frequent in a paper
//! and rare elsewhere, each a boosted term), computed here rather than by
//! tantivy's `MoreLikeThisQuery`. Tantivy 0.27 weighs those words by the
//! live document count while its document frequencies still count
//! deleted documents, and asserts one is at least the other: a store that
//! re-indexed a few papers panics on "similar" (quickwit-oss/tantivy PR
//! #2964). Here both numbers count the same documents (`max_doc`), so no
//! mix of deletes and re-indexing can make the weight undefined.

use std::collections::HashMap;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

/// Which words of the paper count.
pub struct Options<'a> {
    /// A word in fewer documents than this (the paper itself included)
    /// says nothing about other papers.
    pub min_doc_frequency: u64,
    pub min_word_length: usize,
    pub max_query_terms: usize,
    pub stop_words: &'a [&'a str],
}

/// BM25's inverse document frequency, defined for any counts: a term in
/// more documents than the index holds (never, when both count deleted
/// documents, but the weight must not depend on that) weighs nothing.
pub fn idf(doc_freq: u64, docs: u64) -> f32 {
    let rest = docs.saturating_sub(doc_freq) as f32;
    (1.0 + (rest + 0.5) / (doc_freq as f32 + 0.5)).ln()
}

/// The query for papers like the one whose field texts are given; `None`
/// when none of its words is shared with another paper.
pub fn query(
    searcher: &Searcher,
    text: &[(Field, Vec<String>)],
    opts: &Options,
) -> Option<BooleanQuery> {
    let mut tf: HashMap<Term, u32> = HashMap::new();
    for (field, values) in text {
        let Ok(mut tokenizer) = searcher.index().tokenizer_for_field(*field) else {
            continue;
        };
        for value in values {
            let mut stream = tokenizer.token_stream(value);
            stream.process(&mut |token| {
                let word = token.text.as_str();
                if word.chars().count() >= opts.min_word_length && !opts.stop_words.contains(&word)
                {
                    *tf.entry(Term::from_field_text(*field, word)).or_default() += 1;
                }
            });
        }
    }
    let docs: u64 = searcher
        .segment_readers()
        .iter()
        .map(|r| u64::from(r.max_doc()))
        .sum();
    let mut scored: Vec<(f32, Term)> = tf
        .into_iter()
        .filter_map(|(term, n)| {
            let df = searcher.doc_freq(&term).ok()?;
            (df >= opts.min_doc_frequency).then(|| (n as f32 * idf(df, docs), term))
        })
        .collect();
    // Best first; ties by term, so the query is the same at every run.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(opts.max_query_terms);
    let best = scored.first()?.0.max(f32::MIN_POSITIVE);
    let clauses: Vec<(Occur, Box<dyn Query>)> = scored
        .into_iter()
        .map(|(score, term)| {
            let q: Box<dyn Query> = Box::new(BoostQuery::new(
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                score / best,
            ));
            (Occur::Should, q)
        })
        .collect();
    Some(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use super::idf;

    #[test]
    fn the_weight_is_defined_even_when_a_term_counts_more_documents_than_the_index() {
        assert!(idf(13, 10).is_finite() && idf(13, 10) > 0.0);
        assert!(idf(1, 1000) > idf(10, 1000), "rarer words weigh more");
    }
}
