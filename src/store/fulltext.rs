//! The full-text index: a tantivy index beside the sled store, holding
//! every stored paper's words (title, abstract, authors, organization, AI
//! summary and keywords, with positions) and its numbers (day, rank,
//! upvotes, comments, GitHub stars, what it links to) as fast fields.
//!
//! It is a cache of the store and nothing else: no text is stored in it
//! (rows and papers are read from sled), and it can be deleted at any time
//! and rebuilt from the papers. Each commit records the store generation
//! it reflects; see [`super::Store::catch_up_index`] for how the two are
//! kept in step. User state (read, starred, tags) is *not* indexed: it
//! changes with every keystroke, and rewriting a document for each would
//! cost a commit per change; queries join it by [`key_of`] instead.

use crate::domain::model::{Day, Paper, Row};
use crate::domain::text::fold;
use chrono::Datelike;
use std::path::{Path, PathBuf};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The index's layout: bump it when the schema or the tokenizer changes,
/// and every store rebuilds its index once (the folder name carries it, so
/// an older layout is simply another folder, removed on open).
pub const LAYOUT: u32 = 4;

/// The folder, inside the store's, that holds the index.
pub fn index_dir(store_dir: &Path) -> PathBuf {
    store_dir.join(format!("search-v{LAYOUT}"))
}

/// Earlier layouts' files and folders, removed when the index opens.
fn old_layouts(store_dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![store_dir.join("hfpapers-index.jsonl")];
    out.extend((0..LAYOUT).map(|v| store_dir.join(format!("search-v{v}"))));
    out
}

/// The tokenizer every text field uses, by name.
pub const TOKENIZER: &str = "fold";

/// Longer "words" are not indexed: no real word is this long, and a
/// hostile abstract must not make terms tantivy refuses.
const MAX_WORD_BYTES: usize = 64;

/// The index writer's memory: the least tantivy takes, plenty for a day,
/// and what keeps a rebuild's memory small.
const WRITER_BYTES: usize = 32 * 1024 * 1024;

/// The schema's fields.
#[derive(Clone, Copy)]
pub struct Fields {
    pub id: Field,
    /// [`key_of`] the id: joins user state to documents by a number.
    pub key: Field,
    pub title: Field,
    pub abstract_: Field,
    pub authors: Field,
    pub org: Field,
    /// The submitter's username.
    pub submitter: Field,
    pub summary: Field,
    pub keywords: Field,
    /// The paper's kept full text (Markdown), when there is one.
    pub text: Field,
    /// Days since the common era ([`day_number`]).
    pub day: Field,
    pub rank: Field,
    pub upvotes: Field,
    pub comments: Field,
    pub stars: Field,
    /// Bit 0: has code, bit 1: has a project page, bit 2: has an AI summary.
    pub flags: Field,
    pub first_seen: Field,
    /// The paper's [`Row`] (postcard), stored: what a list shows of a
    /// match, read in document order from the index's compressed store
    /// rather than one sled lookup per match.
    pub row: Field,
}

pub const HAS_CODE: u64 = 1;
pub const HAS_PROJECT: u64 = 2;
pub const HAS_SUMMARY: u64 = 4;

impl Fields {
    /// The fields a bare word or a phrase is looked for in: title,
    /// abstract, authors, AI keywords and the kept full text (which ranks
    /// lowest).
    pub fn words(&self) -> [Field; 5] {
        [
            self.title,
            self.abstract_,
            self.authors,
            self.keywords,
            self.text,
        ]
    }
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |positions: bool| {
        let record = if positions {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(record),
        )
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING),
        key: b.add_u64_field("key", FAST),
        title: b.add_text_field("title", text(true)),
        abstract_: b.add_text_field("abstract", text(true)),
        authors: b.add_text_field("authors", text(true)),
        org: b.add_text_field("org", text(false)),
        submitter: b.add_text_field("submitter", text(false)),
        summary: b.add_text_field("summary", text(false)),
        keywords: b.add_text_field("keywords", text(true)),
        text: b.add_text_field("text", text(true)),
        day: b.add_i64_field("day", FAST | INDEXED),
        rank: b.add_u64_field("rank", FAST),
        upvotes: b.add_u64_field("upvotes", FAST),
        comments: b.add_u64_field("comments", FAST),
        stars: b.add_u64_field("stars", FAST),
        flags: b.add_u64_field("flags", FAST),
        first_seen: b.add_i64_field("first_seen", FAST),
        row: b.add_bytes_field("row", STORED),
    };
    (b.build(), fields)
}

/// A stable 64-bit key for a paper id (FNV-1a): the same in every process
/// and build, unlike the standard hasher. Two ids of a million colliding
/// has odds of about one in 10^7.
pub fn key_of(id: &str) -> u64 {
    crate::domain::hash::fnv1a(crate::domain::hash::FNV_OFFSET, id.as_bytes())
}

/// A day as a number that orders like the day.
pub fn day_number(day: Day) -> i64 {
    i64::from(day.num_days_from_ce())
}

/// The document for a stored paper, its row and its kept full text.
pub fn document(f: &Fields, paper: &Paper, row: &Row, text: Option<&str>) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    d.add_text(f.id, paper.id.as_str());
    d.add_u64(f.key, key_of(paper.id.as_str()));
    d.add_text(f.title, &paper.title);
    d.add_text(f.abstract_, &paper.summary);
    for a in &paper.authors {
        d.add_text(f.authors, a);
    }
    // `org:` finds the name (`Hugging Face`) and the handle (`huggingface`).
    for org in [&paper.organization, &paper.org_handle]
        .into_iter()
        .flatten()
    {
        d.add_text(f.org, org);
    }
    if let Some(user) = &paper.submitter {
        d.add_text(f.submitter, user);
    }
    if let Some(s) = &paper.ai_summary {
        d.add_text(f.summary, s);
    }
    for k in &paper.ai_keywords {
        d.add_text(f.keywords, k);
    }
    if let Some(text) = text {
        d.add_text(f.text, text);
    }
    if let Some(day) = row.day {
        d.add_i64(f.day, day_number(day));
    }
    d.add_u64(f.rank, u64::from(row.rank));
    d.add_u64(f.upvotes, row.upvotes);
    d.add_u64(f.comments, row.comments);
    if let Some(stars) = row.github_stars {
        d.add_u64(f.stars, stars);
    }
    let flags = (u64::from(row.has_code) * HAS_CODE)
        | (u64::from(row.has_project) * HAS_PROJECT)
        | (u64::from(row.has_summary) * HAS_SUMMARY);
    d.add_u64(f.flags, flags);
    if let Some(seen) = row.first_seen {
        d.add_i64(f.first_seen, seen);
    }
    d.add_bytes(f.row, &super::encode_bin(row));
    d
}

/// The row a stored document carries (`None` for one that does not
/// decode: the index is then rebuilt at its next layout change, and the
/// paper is left out of this list).
pub fn row_of(f: &Fields, doc: &TantivyDocument) -> Option<Row> {
    let bytes = doc.get_first(f.row)?.as_bytes()?;
    Row::decode(bytes).ok()
}

/// Splits on anything not a letter or digit and folds case and accents,
/// exactly as the query language folds its words, so `zoe` finds `Zoë`.
#[derive(Clone, Default)]
pub struct FoldTokenizer {
    tokens: Vec<Token>,
}

pub struct FoldStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for FoldTokenizer {
    type TokenStream<'a> = FoldStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FoldStream<'a> {
        self.tokens.clear();
        let mut position = 0;
        for (from, to) in crate::domain::text::word_spans(text) {
            let folded = fold(&text[from..to]);
            if folded.len() <= MAX_WORD_BYTES {
                self.tokens.push(Token {
                    offset_from: from,
                    offset_to: to,
                    position,
                    text: folded,
                    position_length: 1,
                });
                position += 1;
            }
        }
        FoldStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for FoldStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// What the index's last commit says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Payload {
    pub layout: u32,
    /// The store generation (count of paper writes) the index reflects.
    pub generation: u64,
}

/// An open index: its reader, and one writer at a time.
pub struct FullText {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    writing: std::sync::Mutex<()>,
}

#[derive(Debug, thiserror::Error)]
#[error("the search index at {dir}: {detail}")]
pub struct IndexError {
    pub dir: PathBuf,
    pub detail: String,
}

impl FullText {
    /// Opens the index in the store's folder, creating it when missing.
    /// One that cannot be read (corrupt, or of another layout) is removed
    /// and created empty: it is only a cache. Also returns what its last
    /// commit recorded (`None` for a new or reset index).
    pub fn open(store_dir: &Path) -> Result<(FullText, Option<Payload>), IndexError> {
        for old in old_layouts(store_dir) {
            let _ = std::fs::remove_file(&old);
            let _ = std::fs::remove_dir_all(&old);
        }
        let dir = index_dir(store_dir);
        let err = |detail: String| IndexError {
            dir: dir.clone(),
            detail,
        };
        let (schema, fields) = schema();
        let opened = Index::open_in_dir(&dir)
            .ok()
            .filter(|index| index.schema() == schema);
        let index = if let Some(index) = opened {
            index
        } else {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).map_err(|e| err(e.to_string()))?;
            Index::create_in_dir(&dir, schema).map_err(|e| err(e.to_string()))?
        };
        let payload = index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
            .filter(|p| p.layout == LAYOUT);
        Ok((FullText::over(index, fields).map_err(err)?, payload))
    }

    /// An index held in memory (search results, tests).
    pub fn in_memory() -> FullText {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        match FullText::over(index, fields) {
            Ok(ft) => ft,
            // Creating a reader over an empty index in memory has no way
            // to fail but an allocation failure.
            Err(e) => panic!("an in-memory index: {e}"),
        }
    }

    fn over(index: Index, fields: Fields) -> Result<FullText, String> {
        index
            .tokenizers()
            .register(TOKENIZER, FoldTokenizer::default());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| e.to_string())?;
        Ok(FullText {
            index,
            reader,
            fields,
            writing: std::sync::Mutex::new(()),
        })
    }

    /// Replaces these papers' documents (or adds them), commits once with
    /// `payload`, and makes the change visible to searches. With `clear`,
    /// every other document goes first (a rebuild). `progress` is told
    /// how many were written so far.
    pub fn write(
        &self,
        docs: impl Iterator<Item = Result<(String, TantivyDocument), String>>,
        clear: bool,
        payload: Payload,
        progress: &mut dyn FnMut(usize),
    ) -> Result<usize, String> {
        let _one = self
            .writing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut writer: IndexWriter<TantivyDocument> = self
            .index
            .writer_with_num_threads(1, WRITER_BYTES)
            .map_err(|e| e.to_string())?;
        if clear {
            writer.delete_all_documents().map_err(|e| e.to_string())?;
        }
        let mut n = 0;
        for doc in docs {
            let (id, doc) = doc?;
            if !clear {
                writer.delete_term(Term::from_field_text(self.fields.id, &id));
            }
            writer.add_document(doc).map_err(|e| e.to_string())?;
            n += 1;
            if n % 1000 == 0 {
                progress(n);
            }
        }
        let text = serde_json::to_string(&payload).map_err(|e| e.to_string())?;
        let mut commit = writer.prepare_commit().map_err(|e| e.to_string())?;
        commit.set_payload(&text);
        commit.commit().map_err(|e| e.to_string())?;
        writer.wait_merging_threads().map_err(|e| e.to_string())?;
        self.reader.reload().map_err(|e| e.to_string())?;
        progress(n);
        Ok(n)
    }

    /// Documents in the index now (deleted ones excluded).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tokenizer_folds_case_and_accents_and_keeps_each_words_place() {
        let text = "Zoë's DIFFUSION-model, 2× faster";
        let mut tokenizer = FoldTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push((
                t.text.clone(),
                &text[t.offset_from..t.offset_to],
                t.position,
            ));
        }
        assert_eq!(
            seen,
            vec![
                ("zoe".to_string(), "Zoë", 0),
                ("s".to_string(), "s", 1),
                ("diffusion".to_string(), "DIFFUSION", 2),
                ("model".to_string(), "model", 3),
                ("2".to_string(), "2", 4),
                ("faster".to_string(), "faster", 5),
            ]
        );
    }

    #[test]
    fn a_hostile_overlong_word_is_not_indexed_and_does_not_shift_the_rest() {
        let text = format!("{} tail", "a".repeat(10_000));
        let mut tokenizer = FoldTokenizer::default();
        let mut stream = tokenizer.token_stream(&text);
        assert!(stream.advance());
        assert_eq!(stream.token().text, "tail");
        assert_eq!(stream.token().position, 0);
        assert!(!stream.advance());
    }
}
