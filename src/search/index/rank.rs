//! Ranking: relevance, For you's taste (a [`Ranker`]), rising, the
//! sort keys of every order, and papers most like one.

use super::{Columns, DocMap, Index, Keys, Ranker, Rarity, Rows, Snapshot, phrase_query};
use crate::domain::model::{Day, Entry, PaperId};
use crate::domain::query::{Query, SortKey};
use crate::store::fulltext::key_of;
use roaring::RoaringBitmap;
use std::sync::Arc;
use tantivy::DocId;
use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, Occur, Query as TQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

/// A sort key that orders as [`eval::sort`] does (ties: newest day, then
/// rank), with the document number last so the order is total. Higher
/// counts and later days come first, so they are stored inverted.
pub(super) fn sort_key(c: &Columns, d: DocId, doc: u32, sort: SortKey, score: f32) -> u128 {
    let day = c.day.first(d).map_or(0, |n| {
        u128::from(n.clamp(0, i64::from(u32::MAX - 1)) as u32 + 1)
    });
    let rank = u128::from(c.rank.first(d).unwrap_or(0).min(u64::from(u32::MAX)));
    let newest = ((u128::from(u32::MAX) - day) << 64) | (rank << 32);
    let count = |n: u64| u128::from(u32::MAX - n.min(u64::from(u32::MAX - 1)) as u32) << 96;
    let doc = u128::from(doc);
    match sort {
        SortKey::Upvotes => count(c.upvotes.first(d).unwrap_or(0)) | newest | doc,
        SortKey::Comments => count(c.comments.first(d).unwrap_or(0)) | newest | doc,
        SortKey::Stars => count(c.stars.first(d).map_or(0, |s| s.saturating_add(1))) | newest | doc,
        SortKey::Rank => (rank << 96) | ((u128::from(u32::MAX) - day) << 64) | doc,
        // Scores are never negative: their bits order as the numbers do.
        SortKey::Relevance | SortKey::ForYou | SortKey::Rising => {
            (u128::from(u32::MAX - score.max(0.0).to_bits()) << 96) | newest | doc
        }
        SortKey::Date | SortKey::Title => newest | doc,
    }
}

/// Words too common in any English text to say what a paper is about.
pub(super) const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "that", "the", "their", "these", "this",
    "to", "we", "which", "while", "with", "both", "such", "than", "also", "not", "more", "via",
    "using", "based", "show", "propose", "paper", "results", "approach", "method", "new",
];

/// Documents most like this text, best first (see [`super::alike`]).
pub(super) fn similar_docs(
    snap: &Snapshot,
    text: &[(Field, Vec<String>)],
    limit: usize,
) -> Vec<u32> {
    let opts = crate::search::alike::Options {
        // A word shared with one other paper is the strongest hint.
        min_doc_frequency: 2,
        min_word_length: 3,
        max_query_terms: 30,
        stop_words: STOP_WORDS,
    };
    let Some(query) = crate::search::alike::query(&snap.searcher, text, &opts) else {
        return Vec::new();
    };
    let collector = tantivy::collector::TopDocs::with_limit(limit.max(1)).order_by_score();
    let Ok(top) = snap.searcher.search(&query, &collector) else {
        return Vec::new();
    };
    top.into_iter()
        .map(|(_, addr)| snap.bases[addr.segment_ord as usize] + addr.doc_id)
        .collect()
}

impl Index {
    /// Ranks `sort:foryou` by `ranker` from now on (by upvotes without one).
    pub fn set_ranker(&self, ranker: Option<Arc<dyn Ranker>>) {
        *self
            .ranker
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = ranker;
    }

    /// The ranker's scores of documents (each paper's row read for its id).
    pub(super) fn ranked(
        &self,
        snap: &Snapshot,
        docs: &RoaringBitmap,
        ranker: &dyn Ranker,
    ) -> DocMap<f32> {
        let order: Vec<u32> = docs.iter().collect();
        let rows = snap.rows(&order, &self.ft.fields);
        let (docs, ids): (Vec<u32>, Vec<PaperId>) = order
            .into_iter()
            .zip(rows)
            .filter_map(|(d, r)| Some((d, r?.id)))
            .unzip();
        docs.into_iter().zip(ranker.scores(&ids)).collect()
    }

    /// Upvotes each matched paper gained in the last 24 hours, from its
    /// history in the store; `None` for an index of papers held in memory,
    /// which have none. Ties (most papers gained nothing) go to the newest.
    pub(super) fn rising(&self, snap: &Snapshot, docs: &RoaringBitmap) -> Option<DocMap<f32>> {
        let Rows::Store(store) = &self.rows else {
            return None;
        };
        let since = chrono::Utc::now().timestamp() - 24 * 3600;
        let order: Vec<u32> = docs.iter().collect();
        let rows = snap.rows(&order, &self.ft.fields);
        Some(
            order
                .into_iter()
                .zip(rows)
                .filter_map(|(d, r)| {
                    let paper = store.paper(&r?.id).ok()??;
                    Some((d, paper.gained_since(since).max(0) as f32))
                })
                .collect(),
        )
    }

    /// BM25 scores of the matched documents, by paper id: the query's
    /// words and phrases, a title match weighing most.
    pub(super) fn scores(
        &self,
        snap: &Snapshot,
        query: &Query,
        docs: &RoaringBitmap,
    ) -> DocMap<f32> {
        let f = &self.ft.fields;
        let weighted = [
            (f.title, 3.0),
            (f.keywords, 1.5),
            (f.abstract_, 1.0),
            (f.authors, 1.0),
            // A word in the full text says less than one in the abstract.
            (f.text, 0.3),
        ];
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for (words, phrase) in query.positive_text() {
            for (field, boost) in weighted {
                let q: Option<Box<dyn TQuery>> = if phrase {
                    phrase_query(field, &words)
                } else {
                    // The word as typed scores by BM25; papers matched
                    // only by a longer word it starts rank after them.
                    Some(Box::new(TermQuery::new(
                        tantivy::Term::from_field_text(field, &words[0]),
                        IndexRecordOption::WithFreqs,
                    )))
                };
                if let Some(q) = q {
                    clauses.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
                }
            }
        }
        let mut by_doc = DocMap::default();
        let query = BooleanQuery::new(clauses);
        if let Ok(weight) = query.weight(EnableScoring::enabled_from_searcher(&snap.searcher)) {
            for (base, seg) in snap.segments() {
                let _ = weight.for_each(seg, &mut |d, score| {
                    if docs.contains(base + d) {
                        by_doc.insert(base + d, score);
                    }
                });
            }
        }
        by_doc
    }

    /// What `sort:foryou` ranks by now, if a taste is learned.
    pub(super) fn ranker(&self) -> Option<Arc<dyn Ranker>> {
        self.ranker
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// A paper's For you score and reasons, once a taste is learned.
    pub fn explain(&self, id: &PaperId) -> Option<crate::domain::taste::Scored> {
        self.ranker()?.explain(id)
    }

    /// The stored papers most like `id` (more-like-this over title,
    /// abstract and keywords: the words that are frequent in it and rare
    /// elsewhere), best first, the paper itself left out.
    pub fn similar(&self, id: &PaperId, limit: usize) -> Vec<Arc<Entry>> {
        self.similar_within(id, limit, &Query::default(), Day::default())
    }

    /// [`Index::similar`], kept to papers that match `filter`.
    pub fn similar_within(
        &self,
        id: &PaperId,
        limit: usize,
        filter: &Query,
        today: Day,
    ) -> Vec<Arc<Entry>> {
        let f = &self.ft.fields;
        let text: Vec<(Field, Vec<String>)> = match &self.rows {
            Rows::Store(store) => match store.paper(id) {
                Ok(Some(p)) => vec![
                    (f.title, vec![p.title]),
                    (f.abstract_, vec![p.summary]),
                    (f.keywords, p.ai_keywords),
                ],
                _ => return Vec::new(),
            },
            Rows::Held(rows) => match rows.get(id) {
                Some((row, summary, _)) => vec![
                    (f.title, vec![row.title.clone()]),
                    (f.abstract_, vec![summary.clone()]),
                    (
                        f.keywords,
                        row.ai_keywords.iter().map(str::to_string).collect(),
                    ),
                ],
                None => return Vec::new(),
            },
        };
        let snap = Snapshot::of(&self.ft);
        let mut order = similar_docs(&snap, &text, limit + 1);
        if filter.expr.is_some() {
            let keep = self.matching(&snap, filter, today);
            order.retain(|d| keep.contains(*d));
        }
        self.entries(&snap, &order)
            .into_iter()
            .filter(|e| e.row.id != *id)
            .take(limit)
            .collect()
    }

    /// What the reader did, as papers to learn a taste from, newest first
    /// and at most `cap` of each: the liked ones (starred or tagged), the
    /// read ones (neither), the skipped ones (untouched papers of the days
    /// on which something was liked or read), and the ones marked "less
    /// like this" (whatever else they are).
    pub fn taste_papers(&self, cap: usize) -> [Vec<PaperId>; 4] {
        let snap = Snapshot::of(&self.ft);
        let states = self.states();
        let less_tag = crate::domain::taste::LESS_TAG;
        let mut tagged: Keys = Keys::default();
        tagged.extend(
            states
                .tagged
                .iter()
                .filter(|(_, tags)| tags.iter().any(|t| t != less_tag))
                .map(|(id, _)| key_of(id.as_str())),
        );
        let less = Self::keyed(&snap, &states.tagged(less_tag));
        let liked = (self.starred_docs(&snap) | Self::keyed(&snap, &tagged)) - &less;
        let read = self.read_docs(&snap) - &liked - &less;
        let touched = &liked | &read | &less;
        let days: std::collections::HashSet<i64> = snap
            .days_of(&touched)
            .into_iter()
            .map(|(day, _)| day)
            .collect();
        let skipped =
            snap.filter(|c, d| c.day.first(d).is_some_and(|day| days.contains(&day))) - touched;
        [liked, read, skipped, less].map(|docs| {
            let mut by_day = snap.days_of(&docs);
            by_day.sort_unstable_by(|a, b| b.cmp(a));
            let newest: Vec<u32> = by_day.into_iter().take(cap).map(|(_, d)| d).collect();
            snap.rows(&newest, &self.ft.fields)
                .into_iter()
                .flatten()
                .map(|r| r.id)
                .collect()
        })
    }

    /// Word rarity as of now, for the taste model.
    pub fn rarity(&self) -> Rarity {
        Rarity {
            searcher: self.ft.reader.searcher(),
            field: self.ft.fields.abstract_,
        }
    }
}
