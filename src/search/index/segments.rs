//! The index as read at one moment: its segments, their fast-field
//! columns, document sets of a tantivy query, sort keys, rows.

use super::sort_key;
use crate::domain::model::Row;
use crate::domain::query::SortKey;
use crate::store::fulltext::{self, FullText};
use roaring::RoaringBitmap;
use tantivy::query::{EnableScoring, Query as TQuery};
use tantivy::{DocId, Searcher, SegmentReader};

/// The searcher a query runs on, with each segment's first document number.
pub(super) struct Snapshot {
    pub(super) searcher: Searcher,
    pub(super) bases: Vec<u32>,
    pub(super) all: RoaringBitmap,
}

impl Snapshot {
    pub(super) fn of(ft: &FullText) -> Snapshot {
        let searcher = ft.reader.searcher();
        let mut bases = Vec::new();
        let mut all = RoaringBitmap::new();
        let mut base = 0u32;
        for seg in searcher.segment_readers() {
            bases.push(base);
            match seg.alive_bitset() {
                None => {
                    all.insert_range(base..base + seg.max_doc());
                }
                Some(alive) => all.extend(
                    (0..seg.max_doc())
                        .filter(|d| alive.is_alive(*d))
                        .map(|d| base + d),
                ),
            }
            base += seg.max_doc();
        }
        Snapshot {
            searcher,
            bases,
            all,
        }
    }

    pub(super) fn segments(&self) -> impl Iterator<Item = (u32, &SegmentReader)> {
        self.bases
            .iter()
            .copied()
            .zip(self.searcher.segment_readers())
    }

    /// The documents a tantivy query matches (deleted ones excluded).
    pub(super) fn docs(&self, query: &dyn TQuery) -> RoaringBitmap {
        let mut out = RoaringBitmap::new();
        let Ok(weight) = query.weight(EnableScoring::disabled_from_searcher(&self.searcher)) else {
            return out;
        };
        for (base, seg) in self.segments() {
            let _ = weight.for_each_no_score(seg, &mut |docs: &[DocId]| {
                // Scorers give documents in increasing order: appending
                // them is several times cheaper than inserting each.
                if out.append(docs.iter().map(|d| base + d)).is_err() {
                    out.extend(docs.iter().map(|d| base + d));
                }
            });
        }
        out &= &self.all;
        out
    }

    /// The documents whose fast fields satisfy `keep`.
    pub(super) fn filter(&self, keep: impl Fn(&Columns, DocId) -> bool) -> RoaringBitmap {
        let mut out = RoaringBitmap::new();
        for (base, seg) in self.segments() {
            let Some(cols) = Columns::of(seg) else {
                continue;
            };
            // In increasing order, after every earlier segment's: appended,
            // not inserted one by one.
            let docs = (0..seg.max_doc())
                .filter(|d| keep(&cols, *d))
                .map(|d| base + d);
            if out.append(docs.clone()).is_err() {
                out.extend(docs);
            }
        }
        out &= &self.all;
        out
    }

    /// The packed sort key of each document ([`sort_key`]), its document
    /// number in the low 32 bits.
    pub(super) fn sort_keys(
        &self,
        docs: &RoaringBitmap,
        order: impl Fn(u32) -> (SortKey, f32),
    ) -> Vec<u128> {
        let mut out = Vec::with_capacity(docs.len() as usize);
        for (base, seg) in self.segments() {
            let Some(cols) = Columns::of(seg) else {
                continue;
            };
            let range = base..base + seg.max_doc();
            for doc in docs.range(range) {
                let (sort, score) = order(doc);
                out.push(sort_key(&cols, doc - base, doc, sort, score));
            }
        }
        out
    }

    /// Each document's digest day (days from the common era; undated
    /// ones last), with the document.
    pub(super) fn days_of(&self, docs: &RoaringBitmap) -> Vec<(i64, u32)> {
        let mut out = Vec::with_capacity(docs.len() as usize);
        for (base, seg) in self.segments() {
            let Some(cols) = Columns::of(seg) else {
                continue;
            };
            for doc in docs.range(base..base + seg.max_doc()) {
                out.push((cols.day.first(doc - base).unwrap_or(i64::MIN), doc));
            }
        }
        out
    }

    /// Splits a document number into its segment and its number there.
    pub(super) fn locate(&self, doc: u32) -> (usize, DocId) {
        let seg = self.bases.partition_point(|b| *b <= doc) - 1;
        (seg, doc - self.bases[seg])
    }

    /// The rows of documents, in their order, from the index's document
    /// store: documents are read in order per segment, so each compressed
    /// block is opened once however many of its rows are wanted.
    pub(super) fn rows(&self, docs: &[u32], fields: &fulltext::Fields) -> Vec<Option<Row>> {
        let mut out: Vec<Option<Row>> = vec![None; docs.len()];
        let mut by_seg: Vec<Vec<(DocId, usize)>> = vec![Vec::new(); self.bases.len()];
        for (at, doc) in docs.iter().enumerate() {
            let (seg, d) = self.locate(*doc);
            by_seg[seg].push((d, at));
        }
        for (seg, mut wanted) in by_seg.into_iter().enumerate() {
            if wanted.is_empty() {
                continue;
            }
            let Ok(store) = self.searcher.segment_readers()[seg].get_store_reader(4) else {
                continue;
            };
            wanted.sort_unstable();
            for (d, at) in wanted {
                if let Ok(doc) = store.get::<tantivy::TantivyDocument>(d) {
                    out[at] = fulltext::row_of(fields, &doc);
                }
            }
        }
        out
    }
}

/// One segment's fast fields.
pub(super) struct Columns {
    pub(super) key: tantivy::columnar::Column<u64>,
    pub(super) day: tantivy::columnar::Column<i64>,
    pub(super) rank: tantivy::columnar::Column<u64>,
    pub(super) upvotes: tantivy::columnar::Column<u64>,
    pub(super) comments: tantivy::columnar::Column<u64>,
    pub(super) stars: tantivy::columnar::Column<u64>,
    pub(super) flags: tantivy::columnar::Column<u64>,
    pub(super) first_seen: tantivy::columnar::Column<i64>,
}

impl Columns {
    pub(super) fn of(seg: &SegmentReader) -> Option<Columns> {
        let ff = seg.fast_fields();
        Some(Columns {
            key: ff.u64("key").ok()?,
            day: ff.i64("day").ok()?,
            rank: ff.u64("rank").ok()?,
            upvotes: ff.u64("upvotes").ok()?,
            comments: ff.u64("comments").ok()?,
            stars: ff.u64("stars").ok()?,
            flags: ff.u64("flags").ok()?,
            first_seen: ff.i64("first_seen").ok()?,
        })
    }
}
