//! The papers' full texts (the Markdown Hugging Face serves at
//! `/papers/{id}.md`), kept compressed (LZ4) in their own tree, each under
//! a size cap, all of them under a total cap. A paper Hugging Face has not
//! indexed (404) is remembered as absent for a week, so a sync does not ask
//! again every time. A text kept queues its paper for the search index,
//! which indexes the text as a field of its own.

use super::{Store, StoreError};
use crate::domain::model::{Day, PaperId, TextPolicy};
use sled::Transactional;

/// A stored value's first byte: what follows.
const TEXT: u8 = 1;
const ABSENT: u8 = 0;

/// The meta key of the texts' running total: count and bytes kept (two
/// little-endian u64), updated with every text so that checking the
/// total cap never reads every text.
const TOTAL: &str = "texts_total";

/// What a stored value adds to the total: one text and its size, or nothing.
fn weight(value: Option<&[u8]>) -> (u64, u64) {
    match value {
        Some(v) if v.first() == Some(&TEXT) => (1, v.len() as u64),
        _ => (0, 0),
    }
}

fn encode_total((count, bytes): (u64, u64)) -> [u8; 16] {
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&count.to_le_bytes());
    out[8..].copy_from_slice(&bytes.to_le_bytes());
    out
}

fn decode_total(v: &[u8]) -> Option<(u64, u64)> {
    let count = u64::from_le_bytes(v.get(..8)?.try_into().ok()?);
    let bytes = u64::from_le_bytes(v.get(8..16)?.try_into().ok()?);
    Some((count, bytes))
}

/// An absent text is asked for again after this long.
const ABSENT_FOR_SECS: i64 = 7 * 86_400;

/// How a text was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// Stored: its size as fetched and as kept (compressed), in bytes.
    Stored { size: usize, kept: usize },
    /// Longer than the cap per paper: its start was kept.
    Truncated { size: usize, kept: usize },
    /// The total cap is reached: not kept.
    Full,
}

impl Store {
    /// Keeps a paper's Markdown, cut at `max_bytes` (at a line end when it
    /// can be), unless the texts already take `total_bytes`.
    pub fn save_text(
        &self,
        id: &PaperId,
        markdown: &str,
        (max_bytes, total_bytes): (usize, u64),
    ) -> Result<Kept, StoreError> {
        if self.texts_size()?.1 >= total_bytes {
            return Ok(Kept::Full);
        }
        let size = markdown.len();
        let text = if size > max_bytes {
            let mut end = max_bytes;
            while !markdown.is_char_boundary(end) {
                end -= 1;
            }
            let cut = markdown[..end].rfind('\n').unwrap_or(end);
            format!(
                "{}\n\n*[cut by hfpapers at {} KiB of {} KiB: `fulltext_max_kb` in the config keeps more]*\n",
                &markdown[..cut],
                max_bytes / 1024,
                size / 1024
            )
        } else {
            markdown.to_string()
        };
        let mut value = vec![TEXT];
        value.extend(lz4_flex::block::compress_prepend_size(text.as_bytes()));
        let kept = value.len();
        // The text and the paper's place in the index queue together: the
        // index learns the text (`in:fulltext`) at its next catch-up.
        let stored = self.rows.contains_key(id.as_str())?;
        self.put_text_value(id, &value, stored)?;
        Ok(if size > max_bytes {
            Kept::Truncated { size, kept }
        } else {
            Kept::Stored { size, kept }
        })
    }

    /// Remembers that Hugging Face has no text for the paper (now).
    pub fn mark_text_absent(&self, id: &PaperId) -> Result<(), StoreError> {
        let mut value = vec![ABSENT];
        value.extend(chrono::Utc::now().timestamp().to_le_bytes());
        self.put_text_value(id, &value, false)
    }

    /// Writes a paper's texts value and the running total in one
    /// transaction; with `queue`, the paper's place in the index queue too
    /// (the index learns the text, `in:fulltext`, at its next catch-up).
    fn put_text_value(&self, id: &PaperId, value: &[u8], queue: bool) -> Result<(), StoreError> {
        // Made once from the texts themselves when missing.
        let before = self.texts_size()?;
        let generation = self.db.generate_id()?.to_be_bytes();
        (&self.texts, &self.unindexed, &self.meta)
            .transaction(|(texts, unindexed, meta)| {
                let old = weight(texts.get(id.as_str())?.as_deref());
                let new = weight(Some(value));
                let (count, bytes) = meta
                    .get(TOTAL)?
                    .and_then(|v| decode_total(&v))
                    .unwrap_or((before.0 as u64, before.1));
                let total = (
                    (count + new.0).saturating_sub(old.0),
                    (bytes + new.1).saturating_sub(old.1),
                );
                texts.insert(id.as_str(), value)?;
                meta.insert(TOTAL, &encode_total(total))?;
                if queue {
                    unindexed.insert(id.as_str(), &generation)?;
                    meta.insert(super::indexing::GENERATION, &generation)?;
                }
                Ok::<_, sled::transaction::ConflictableTransactionError<()>>(())
            })
            .map_err(super::transaction_error)?;
        self.sync()?;
        if queue {
            self.index_soon();
        }
        Ok(())
    }

    /// A paper's stored Markdown, if any.
    pub fn text(&self, id: &PaperId) -> Result<Option<String>, StoreError> {
        let Some(value) = self.texts.get(id.as_str())? else {
            return Ok(None);
        };
        match value.split_first() {
            Some((&TEXT, packed)) => {
                let bytes = lz4_flex::block::decompress_size_prepended(packed)
                    .map_err(|e| StoreError::Corrupt(format!("full text of {id}: {e}")))?;
                Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
            }
            _ => Ok(None),
        }
    }

    /// Whether a sync should ask for the paper's text: none stored, and
    /// not found absent in the last week.
    fn text_wanted(&self, id: &PaperId, now: i64) -> Result<bool, StoreError> {
        let Some(value) = self.texts.get(id.as_str())? else {
            return Ok(true);
        };
        Ok(match value.split_first() {
            Some((&ABSENT, at)) => {
                let at = at.try_into().map_or(0, i64::from_le_bytes);
                now - at >= ABSENT_FOR_SECS
            }
            _ => false,
        })
    }

    /// How many texts are stored, and their size as kept (bytes): the
    /// running total, counted from the texts the first time.
    pub fn texts_size(&self) -> Result<(usize, u64), StoreError> {
        if let Some((count, bytes)) = self.meta.get(TOTAL)?.and_then(|v| decode_total(&v)) {
            return Ok((count as usize, bytes));
        }
        let mut total = (0u64, 0u64);
        for kv in &self.texts {
            let (_, v) = kv?;
            let (c, b) = weight(Some(&v));
            total = (total.0 + c, total.1 + b);
        }
        self.meta.insert(TOTAL, &encode_total(total))?;
        Ok((total.0 as usize, total.1))
    }

    /// The papers whose texts the policy wants and the store lacks, at
    /// most `limit`: starred ones first (every policy but `none` keeps
    /// them), then the unread papers of the last week (`unread`) or every
    /// paper of the latest day (`day`).
    pub fn texts_wanted(
        &self,
        policy: TextPolicy,
        limit: usize,
    ) -> Result<Vec<PaperId>, StoreError> {
        let now = chrono::Utc::now().timestamp();
        let mut out = Vec::new();
        if policy == TextPolicy::None {
            return Ok(out);
        }
        let push = |id: PaperId, out: &mut Vec<PaperId>| -> Result<(), StoreError> {
            if out.len() < limit && !out.contains(&id) && self.text_wanted(&id, now)? {
                out.push(id);
            }
            Ok(())
        };
        for kv in &self.user {
            let (k, v) = kv?;
            let state: crate::domain::model::UserState = super::decode_bin(&v)?;
            if state.starred {
                push(PaperId(String::from_utf8_lossy(&k).into_owned()), &mut out)?;
            }
        }
        let Some(latest) = self.latest_day()? else {
            return Ok(out);
        };
        let days: Vec<Day> = match policy {
            TextPolicy::Day => vec![latest],
            TextPolicy::Unread => (0..7).map(|n| latest - chrono::Duration::days(n)).collect(),
            TextPolicy::Starred | TextPolicy::None => Vec::new(),
        };
        for day in days {
            for e in self.day_entries(day)? {
                if policy == TextPolicy::Day || !e.state.read {
                    push(e.row.id, &mut out)?;
                }
            }
        }
        Ok(out)
    }
}
