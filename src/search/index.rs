//! Running the query language over the full-text index
//! ([`crate::store::fulltext`]): every term becomes a set of documents,
//! combined as the expression says, and only the matches are read from
//! the store.
//!
//! - words and phrases: the index's terms (a bare word is a prefix, a
//!   phrase is exact and in order), in title, abstract, authors, keywords;
//! - `author:`, `org:`, `kw:` (a substring of a name): the index narrows to
//!   papers whose words contain the name's words, the stored rows decide;
//! - numbers, dates and links: the index's fast fields;
//! - `is:` and `tag:`: the user's state, held here by paper and joined to
//!   documents by [`key_of`] the id. State is not indexed because it
//!   changes at every keystroke; joined, a change costs nothing here.
//!
//! Sets are compressed bitmaps of document numbers: a segment's documents
//! are numbered after those of the segments before it.

use crate::domain::model::{Day, Entry, Paper, PaperId, Row, UserState};
use crate::domain::query::eval::{self, Ctx};
use crate::domain::query::{CountField, Expr, Has, Is, Query, SortKey, Term};
use crate::domain::text::words;
use crate::store::fulltext::{self, FullText, key_of};
use crate::store::{Store, StoreError};
use roaring::RoaringBitmap;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tantivy::query::{
    BooleanQuery, BoostQuery, EnableScoring, Occur, PhraseQuery, Query as TQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Searcher, SegmentReader};

pub struct Index {
    ft: Arc<FullText>,
    rows: Rows,
    /// Loaded whole when first needed (a state term, a count); until
    /// then each match's state is read from the store on its own, which
    /// is cheaper for a query that asks nothing of state.
    states: std::sync::OnceLock<States>,
}

/// Where matched papers' rows come from.
enum Rows {
    Store(Store),
    /// An index over papers held in memory (search results, tests).
    Held(HashMap<PaperId, Row>),
}

/// The user's state by paper, and the keys of the read and starred ones.
#[derive(Default)]
struct States {
    by_id: HashMap<PaperId, UserState>,
    read: HashSet<u64>,
    starred: HashSet<u64>,
}

impl States {
    fn of(all: impl IntoIterator<Item = (PaperId, UserState)>) -> States {
        let mut states = States::default();
        for (id, st) in all {
            states.set(id, st);
        }
        states
    }

    fn set(&mut self, id: PaperId, st: UserState) {
        let key = key_of(id.as_str());
        if st.read {
            self.read.insert(key);
        } else {
            self.read.remove(&key);
        }
        if st.starred {
            self.starred.insert(key);
        } else {
            self.starred.remove(&key);
        }
        self.by_id.insert(id, st);
    }

    fn tagged(&self, tag: &str) -> HashSet<u64> {
        self.by_id
            .iter()
            .filter(|(_, st)| st.tags.iter().any(|t| t == tag))
            .map(|(id, _)| key_of(id.as_str()))
            .collect()
    }
}

/// The searcher a query runs on, with each segment's first document number.
struct Snapshot {
    searcher: Searcher,
    bases: Vec<u32>,
    all: RoaringBitmap,
}

impl Snapshot {
    fn of(ft: &FullText) -> Snapshot {
        let searcher = ft.reader.searcher();
        let mut bases = Vec::new();
        let mut all = RoaringBitmap::new();
        let mut base = 0u32;
        for seg in searcher.segment_readers() {
            bases.push(base);
            let alive = seg.alive_bitset();
            all.extend(
                (0..seg.max_doc())
                    .filter(|d| alive.is_none_or(|a| a.is_alive(*d)))
                    .map(|d| base + d),
            );
            base += seg.max_doc();
        }
        Snapshot {
            searcher,
            bases,
            all,
        }
    }

    fn segments(&self) -> impl Iterator<Item = (u32, &SegmentReader)> {
        self.bases
            .iter()
            .copied()
            .zip(self.searcher.segment_readers())
    }

    /// The documents a tantivy query matches (deleted ones excluded).
    fn docs(&self, query: &dyn TQuery) -> RoaringBitmap {
        let mut out = RoaringBitmap::new();
        let Ok(weight) = query.weight(EnableScoring::disabled_from_searcher(&self.searcher)) else {
            return out;
        };
        for (base, seg) in self.segments() {
            let _ = weight.for_each_no_score(seg, &mut |docs: &[DocId]| {
                out.extend(docs.iter().map(|d| base + d));
            });
        }
        out &= &self.all;
        out
    }

    /// The documents whose fast fields satisfy `keep`.
    fn filter(&self, keep: impl Fn(&Columns, DocId) -> bool) -> RoaringBitmap {
        let mut out = RoaringBitmap::new();
        for (base, seg) in self.segments() {
            let Some(cols) = Columns::of(seg) else {
                continue;
            };
            out.extend(
                (0..seg.max_doc())
                    .filter(|d| keep(&cols, *d))
                    .map(|d| base + d),
            );
        }
        out &= &self.all;
        out
    }

    /// Splits a document number into its segment and its number there.
    fn locate(&self, doc: u32) -> (usize, DocId) {
        let seg = self.bases.partition_point(|b| *b <= doc) - 1;
        (seg, doc - self.bases[seg])
    }

    /// The paper ids of documents, in their order. Read from the id
    /// column's dictionary in one pass per segment, in dictionary order:
    /// a lookup per document would search the dictionary each time.
    fn ids(&self, docs: impl Iterator<Item = u32>) -> Vec<Option<PaperId>> {
        let mut wanted: Vec<Vec<(u64, usize)>> = vec![Vec::new(); self.bases.len()];
        let mut out: Vec<Option<PaperId>> = Vec::new();
        let columns: Vec<Option<tantivy::columnar::StrColumn>> = self
            .searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().str("id").ok().flatten())
            .collect();
        for doc in docs {
            let (seg, d) = self.locate(doc);
            if let Some(ord) = columns[seg].as_ref().and_then(|c| c.term_ords(d).next()) {
                wanted[seg].push((ord, out.len()));
            }
            out.push(None);
        }
        for (seg, mut pairs) in wanted.into_iter().enumerate() {
            let Some(col) = columns[seg].as_ref() else {
                continue;
            };
            pairs.sort_unstable();
            let ords: Vec<u64> = pairs.iter().map(|(o, _)| *o).collect();
            let mut next = pairs.iter().map(|(_, at)| *at);
            let _ = col.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                if let Some(at) = next.next() {
                    out[at] = Some(PaperId(String::from_utf8_lossy(bytes).into_owned()));
                }
            });
        }
        out
    }
}

/// One segment's fast fields.
struct Columns {
    key: tantivy::columnar::Column<u64>,
    day: tantivy::columnar::Column<i64>,
    upvotes: tantivy::columnar::Column<u64>,
    comments: tantivy::columnar::Column<u64>,
    stars: tantivy::columnar::Column<u64>,
    flags: tantivy::columnar::Column<u64>,
}

impl Columns {
    fn of(seg: &SegmentReader) -> Option<Columns> {
        let ff = seg.fast_fields();
        Some(Columns {
            key: ff.u64("key").ok()?,
            day: ff.i64("day").ok()?,
            upvotes: ff.u64("upvotes").ok()?,
            comments: ff.u64("comments").ok()?,
            stars: ff.u64("stars").ok()?,
            flags: ff.u64("flags").ok()?,
        })
    }
}

impl Index {
    /// The index over every stored paper, caught up with the store first,
    /// with the user's state.
    pub fn load(store: &Store) -> Result<Index, StoreError> {
        Index::load_with(store, &mut |_| {})
    }

    /// [`Index::load`], telling how a rebuild (if one is needed) goes.
    pub fn load_with(
        store: &Store,
        progress: &mut dyn FnMut(crate::store::IndexProgress),
    ) -> Result<Index, StoreError> {
        let (ft, _) = store.search_index(progress)?;
        let index = Index {
            ft,
            rows: Rows::Store(store.clone()),
            states: std::sync::OnceLock::new(),
        };
        let _ = index.states.set(States::of(store.all_states()?));
        Ok(index)
    }

    /// What `hfpapers list QUERY` needs: the index, caught up; user state
    /// is read as the query needs it.
    pub fn load_for(store: &Store, _query: &Query) -> Result<Index, StoreError> {
        let (ft, _) = store.search_index(&mut |_| {})?;
        Ok(Index {
            ft,
            rows: Rows::Store(store.clone()),
            states: std::sync::OnceLock::new(),
        })
    }

    /// Every user state, loaded on first use.
    fn states(&self) -> &States {
        self.states.get_or_init(|| match &self.rows {
            Rows::Store(store) => States::of(store.all_states().unwrap_or_else(|e| {
                tracing::warn!(error = %e, "user state could not be read");
                Vec::new()
            })),
            Rows::Held(_) => States::default(),
        })
    }

    /// One paper's user state.
    fn state_of(&self, id: &PaperId) -> UserState {
        match (self.states.get(), &self.rows) {
            (Some(states), _) => states.by_id.get(id).cloned().unwrap_or_default(),
            (None, Rows::Store(store)) => store.state(id).unwrap_or_default(),
            (None, Rows::Held(_)) => UserState::default(),
        }
    }

    /// An index over papers held in memory (search results, tests).
    pub fn from_papers(items: Vec<(Entry, Paper)>) -> Index {
        let ft = FullText::in_memory();
        let docs: Vec<_> = items
            .iter()
            .map(|(e, p)| {
                Ok((
                    p.id.as_str().to_string(),
                    fulltext::document(&ft.fields, p, &e.row),
                ))
            })
            .collect();
        let payload = fulltext::Payload {
            layout: fulltext::LAYOUT,
            generation: 0,
        };
        if let Err(e) = ft.write(docs.into_iter(), true, payload, &mut |_| {}) {
            tracing::warn!(error = %e, "search results could not be indexed");
        }
        let rows = items
            .iter()
            .map(|(e, _)| (e.row.id.clone(), e.row.clone()))
            .collect();
        Index {
            ft: Arc::new(ft),
            rows: Rows::Held(rows),
            states: States::of(items.into_iter().map(|(e, _)| (e.row.id, e.state))).into(),
        }
    }

    /// Papers in the index.
    pub fn len(&self) -> usize {
        self.ft.len() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The papers matching `query`, in its sort order; without one, best
    /// match first when the query has words, else `default_sort`.
    pub fn query(&self, query: &Query, default_sort: SortKey, today: Day) -> Vec<Arc<Entry>> {
        let snap = Snapshot::of(&self.ft);
        let docs = self.matching(&snap, query, today);
        let sort = query.sort.unwrap_or(if query.needs_text() {
            SortKey::Relevance
        } else {
            default_sort
        });
        let order: Vec<u32> = docs.iter().collect();
        let mut entries = self.entries(&snap, &order);
        if sort == SortKey::Relevance && query.needs_text() {
            let scores = self.scores(&snap, query, &docs);
            let score = |e: &Entry| scores.get(e.row.id.as_str()).copied().unwrap_or(0.0);
            eval::sort(&mut entries, SortKey::Date);
            entries.sort_by(|a, b| score(b).total_cmp(&score(a)));
        } else {
            eval::sort(&mut entries, sort);
        }
        entries
    }

    /// How many papers match, and how many of those are unread.
    pub fn count(&self, query: &Query, today: Day) -> (usize, usize) {
        let snap = Snapshot::of(&self.ft);
        let docs = self.matching(&snap, query, today);
        let read = self.keyed(&snap, &self.states().read);
        (docs.len() as usize, (docs - read).len() as usize)
    }

    /// Applies a saved user change, so later queries see it.
    pub fn set_state(&mut self, id: &PaperId, state: &UserState) {
        if let Some(states) = self.states.get_mut() {
            states.set(id.clone(), state.clone());
        }
    }

    /// A stored paper's entry.
    pub fn get(&self, id: &PaperId) -> Option<Arc<Entry>> {
        let row = match &self.rows {
            Rows::Store(store) => store.row(id).ok().flatten()?,
            Rows::Held(rows) => rows.get(id)?.clone(),
        };
        Some(Arc::new(Entry {
            state: self.state_of(id),
            row,
        }))
    }

    /// Every tag in use with its paper count, by name.
    pub fn tags(&self) -> Vec<(String, usize)> {
        let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for st in self.states().by_id.values() {
            for t in &st.tags {
                *counts.entry(t.as_str()).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .map(|(t, n)| (t.to_string(), n))
            .collect()
    }

    /// The stored papers most like `id` (more-like-this over title,
    /// abstract and keywords: the words that are frequent in it and rare
    /// elsewhere), best first, the paper itself left out.
    pub fn similar(&self, id: &PaperId, limit: usize) -> Vec<Arc<Entry>> {
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
                Some(row) => vec![
                    (f.title, vec![row.title.clone()]),
                    (
                        f.keywords,
                        row.ai_keywords.iter().map(str::to_string).collect(),
                    ),
                ],
                None => return Vec::new(),
            },
        };
        let snap = Snapshot::of(&self.ft);
        let order = similar_docs(&snap, text, limit + 1);
        self.entries(&snap, &order)
            .into_iter()
            .filter(|e| e.row.id != *id)
            .take(limit)
            .collect()
    }

    /// The documents matching a query.
    fn matching(&self, snap: &Snapshot, query: &Query, today: Day) -> RoaringBitmap {
        match &query.expr {
            None => snap.all.clone(),
            Some(expr) => self.eval(snap, expr, today),
        }
    }

    fn eval(&self, snap: &Snapshot, expr: &Expr, today: Day) -> RoaringBitmap {
        match expr {
            Expr::And(parts) => {
                let mut sets = parts.iter().map(|p| self.eval(snap, p, today));
                let first = sets.next().unwrap_or_else(|| snap.all.clone());
                sets.fold(first, |acc, s| acc & s)
            }
            Expr::Or(parts) => parts
                .iter()
                .map(|p| self.eval(snap, p, today))
                .fold(RoaringBitmap::new(), |acc, s| acc | s),
            Expr::Not(inner) => &snap.all - self.eval(snap, inner, today),
            Expr::Term(t) => self.term(snap, t, today),
        }
    }

    fn term(&self, snap: &Snapshot, t: &Term, today: Day) -> RoaringBitmap {
        let f = &self.ft.fields;
        match t {
            Term::Word(w) => any_field(snap, &f.words(), |field| prefix_query(field, w)),
            Term::Phrase(ws) => any_field(snap, &f.words(), |field| phrase_query(field, ws)),
            Term::Is(Is::Read) => self.keyed(snap, &self.states().read),
            Term::Is(Is::Unread) => &snap.all - self.keyed(snap, &self.states().read),
            Term::Is(Is::Starred) => self.keyed(snap, &self.states().starred),
            Term::Tag(tag) => self.keyed(snap, &self.states().tagged(tag)),
            Term::Author(name) => self.by_row(snap, t, f.authors, name, today),
            Term::Org(name) => self.by_row(snap, t, f.org, name, today),
            Term::Kw(name) => self.by_row(snap, t, f.keywords, name, today),
            Term::Has(has) => {
                let bit = match has {
                    Has::Code => fulltext::HAS_CODE,
                    Has::Project => fulltext::HAS_PROJECT,
                    Has::Summary => fulltext::HAS_SUMMARY,
                };
                snap.filter(|c, d| c.flags.first(d).is_some_and(|v| v & bit != 0))
            }
            Term::Count(field, cmp) => snap.filter(|c, d| {
                let col = match field {
                    CountField::Upvotes => &c.upvotes,
                    CountField::Comments => &c.comments,
                    CountField::Stars => &c.stars,
                };
                col.first(d).is_some_and(|n| cmp.holds(n))
            }),
            Term::Date(spec) => snap.filter(|c, d| {
                c.day
                    .first(d)
                    .and_then(|n| i32::try_from(n).ok())
                    .and_then(Day::from_num_days_from_ce_opt)
                    .is_some_and(|day| eval::date_holds(*spec, day, today))
            }),
        }
    }

    /// Documents whose key is in `keys`.
    fn keyed(&self, snap: &Snapshot, keys: &HashSet<u64>) -> RoaringBitmap {
        if keys.is_empty() {
            return RoaringBitmap::new();
        }
        snap.filter(|c, d| c.key.first(d).is_some_and(|k| keys.contains(&k)))
    }

    /// A name term: the index narrows to papers holding words that contain
    /// the name's words; their rows decide, as the term is defined on them.
    fn by_row(
        &self,
        snap: &Snapshot,
        t: &Term,
        field: Field,
        name: &str,
        today: Day,
    ) -> RoaringBitmap {
        let mut candidates = snap.all.clone();
        for w in words(name) {
            let pattern = format!(".*{}.*", regex_escape(&w));
            match RegexQuery::from_pattern(&pattern, field) {
                Ok(q) => candidates &= snap.docs(&q),
                Err(_) => return RoaringBitmap::new(),
            }
        }
        let order: Vec<u32> = candidates.iter().collect();
        let ids = snap.ids(order.iter().copied());
        let ctx = Ctx::prepare(None, today, None);
        let expr = Expr::Term(t.clone());
        order
            .into_iter()
            .zip(ids)
            .filter(|(_, id)| {
                id.as_ref()
                    .and_then(|id| self.row_of(id))
                    .is_some_and(|row| {
                        let entry = Entry {
                            row,
                            state: UserState::default(),
                        };
                        eval::matches(&expr, 0, &entry, &ctx)
                    })
            })
            .map(|(doc, _)| doc)
            .collect()
    }

    fn row_of(&self, id: &PaperId) -> Option<Row> {
        match &self.rows {
            Rows::Store(store) => store.row(id).ok().flatten(),
            Rows::Held(rows) => rows.get(id).cloned(),
        }
    }

    /// The entries of documents (rows from the store, state from here).
    fn entries(&self, snap: &Snapshot, docs: &[u32]) -> Vec<Arc<Entry>> {
        snap.ids(docs.iter().copied())
            .into_iter()
            .flatten()
            .filter_map(|id| {
                let row = self.row_of(&id)?;
                let state = self.state_of(&id);
                Some(Arc::new(Entry { row, state }))
            })
            .collect()
    }

    /// BM25 scores of the matched documents, by paper id: the query's
    /// words and phrases, a title match weighing most.
    fn scores(&self, snap: &Snapshot, query: &Query, docs: &RoaringBitmap) -> HashMap<String, f32> {
        let f = &self.ft.fields;
        let weighted = [
            (f.title, 3.0),
            (f.keywords, 1.5),
            (f.abstract_, 1.0),
            (f.authors, 1.0),
        ];
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for (words, phrase) in query.positive_text() {
            for (field, boost) in weighted {
                let q: Option<Box<dyn TQuery>> = if phrase {
                    phrase_query(field, &words)
                } else {
                    // The exact word scores by BM25; a longer word it
                    // starts counts a little.
                    let exact: Box<dyn TQuery> = Box::new(TermQuery::new(
                        tantivy::Term::from_field_text(field, &words[0]),
                        IndexRecordOption::WithFreqs,
                    ));
                    clauses.push((Occur::Should, Box::new(BoostQuery::new(exact, boost))));
                    prefix_query(field, &words[0])
                        .map(|q| Box::new(BoostQuery::new(q, 0.1 * boost)) as Box<dyn TQuery>)
                };
                if let Some(q) = q {
                    let q = if phrase {
                        Box::new(BoostQuery::new(q, boost)) as Box<dyn TQuery>
                    } else {
                        q
                    };
                    clauses.push((Occur::Should, q));
                }
            }
        }
        let mut by_doc: HashMap<u32, f32> = HashMap::new();
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
        let order: Vec<u32> = by_doc.keys().copied().collect();
        let ids = snap.ids(order.iter().copied());
        order
            .iter()
            .zip(ids)
            .filter_map(|(doc, id)| Some((id?.0, by_doc[doc])))
            .collect()
    }
}

/// Words too common in any English text to say what a paper is about.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "that", "the", "their", "these", "this",
    "to", "we", "which", "while", "with", "both", "such", "than", "also", "not", "more", "via",
    "using", "based", "show", "propose", "paper", "results", "approach", "method", "new",
];

/// Documents most like this text, best first (tantivy's more-like-this).
fn similar_docs(snap: &Snapshot, text: Vec<(Field, Vec<String>)>, limit: usize) -> Vec<u32> {
    use tantivy::query::MoreLikeThisQuery;
    let fields = text
        .into_iter()
        .map(|(f, vs)| {
            (
                f,
                vs.into_iter()
                    .map(tantivy::schema::OwnedValue::Str)
                    .collect(),
            )
        })
        .collect();
    let query = MoreLikeThisQuery::builder()
        // A word shared with one other paper is the strongest hint.
        .with_min_doc_frequency(2)
        .with_min_term_frequency(1)
        .with_max_query_terms(30)
        .with_min_word_length(3)
        .with_stop_words(STOP_WORDS.iter().map(|w| (*w).to_string()).collect())
        .with_document_fields(fields);
    let collector = tantivy::collector::TopDocs::with_limit(limit.max(1)).order_by_score();
    let Ok(top) = snap.searcher.search(&query, &collector) else {
        return Vec::new();
    };
    top.into_iter()
        .map(|(_, addr)| snap.bases[addr.segment_ord as usize] + addr.doc_id)
        .collect()
}

/// Documents that `make` matches in any of `fields`.
fn any_field(
    snap: &Snapshot,
    fields: &[Field],
    make: impl Fn(Field) -> Option<Box<dyn TQuery>>,
) -> RoaringBitmap {
    let clauses: Vec<(Occur, Box<dyn TQuery>)> = fields
        .iter()
        .filter_map(|f| make(*f))
        .map(|q| (Occur::Should, q))
        .collect();
    if clauses.is_empty() {
        return RoaringBitmap::new();
    }
    snap.docs(&BooleanQuery::new(clauses))
}

/// Words starting with `prefix`. A query word with anything but letters
/// and digits can match no indexed word (they are split there).
fn prefix_query(field: Field, prefix: &str) -> Option<Box<dyn TQuery>> {
    if prefix.is_empty() || !prefix.chars().all(char::is_alphanumeric) {
        return None;
    }
    let q = RegexQuery::from_pattern(&format!("{}.*", regex_escape(prefix)), field).ok()?;
    Some(Box::new(q))
}

/// These exact words, in this order.
fn phrase_query(field: Field, words: &[String]) -> Option<Box<dyn TQuery>> {
    let terms: Vec<tantivy::Term> = words
        .iter()
        .map(|w| tantivy::Term::from_field_text(field, w))
        .collect();
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            terms[0].clone(),
            IndexRecordOption::Basic,
        ))),
        _ => Some(Box::new(PhraseQuery::new(terms))),
    }
}

/// Escapes what a regular expression would read as syntax.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A search result as an entry: the stored row and state when the paper is
/// stored, else built from the result itself.
pub fn search_entry(store: &Store, p: &Paper, i: usize) -> Entry {
    let day = crate::domain::parse::daily_day(p).or_else(|| {
        p.published_at
            .as_deref()
            .and_then(|s| s.get(..10))
            .and_then(crate::domain::model::parse_day)
    });
    let row = if let Ok(Some(row)) = store.row(&p.id) {
        row
    } else {
        let mut row = crate::domain::model::Row::of(p, day.unwrap_or_default(), i as u32 + 1);
        row.day = day;
        row
    };
    Entry {
        state: store.state(&p.id).unwrap_or_default(),
        row,
    }
}

impl AsRef<Entry> for Entry {
    fn as_ref(&self) -> &Entry {
        self
    }
}
