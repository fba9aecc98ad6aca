//! One paper, or one day, as a frontend asks for it: from the bundled
//! sample, the store or the last online list; its details, full text and
//! picture, stored or fetched (and then kept); a day or a period's
//! entries; the calendar; the undo stack; an exported reading list.

use super::Library;
use crate::domain::model::{Day, Entry, Paper, PaperId, Period};
use crate::domain::sample;
use crate::domain::view::DayCell;
use crate::store::StoreError;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A day's list: the day, its entries, and whether it is the bundled
/// sample (a first run with an empty store).
#[derive(Debug, Clone, PartialEq)]
pub struct DayList {
    pub day: Day,
    pub entries: Vec<Entry>,
    pub sample: bool,
}

impl DayList {
    /// The bundled sample digest.
    pub fn sample() -> DayList {
        DayList {
            day: sample::sample_day(),
            entries: sample::sample_entries(),
            sample: true,
        }
    }
}

/// What came of fetching a full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextFetched {
    /// Fetched and kept (within the caps): the Markdown.
    Kept(String),
    /// Hugging Face has none for this paper.
    Absent,
    /// The network is down.
    Offline,
    /// Another failure: why.
    Failed(String),
}

/// How many of this device's change groups can be undone after a restart.
const UNDO_DEPTH: usize = 200;

impl Library {
    /// What the first frame shows: `date`'s day, else the latest stored
    /// day, else (an empty store) the bundled sample.
    pub fn first_day(&self, date: Option<Day>) -> Result<DayList, StoreError> {
        match date.map_or_else(|| self.store.latest_day(), |d| Ok(Some(d)))? {
            Some(day) => self.day(day),
            None => Ok(DayList::sample()),
        }
    }

    /// A day's entries (the sample's day, when the store does not hold it:
    /// back from a view on a first run).
    pub fn day(&self, day: Day) -> Result<DayList, StoreError> {
        if day == sample::sample_day() && self.store.day(day)?.is_none() {
            return Ok(DayList::sample());
        }
        Ok(DayList {
            day,
            entries: self.store.day_entries(day)?,
            sample: false,
        })
    }

    /// The stored days of a period around `around` as one list, newest
    /// day first.
    pub fn period(&self, around: Day, period: Period) -> Result<DayList, StoreError> {
        let (from, to) = period.span(around);
        let mut entries = Vec::new();
        let mut day = to;
        while day >= from {
            entries.append(&mut self.store.day_entries(day)?);
            let Some(before) = day.pred_opt() else { break };
            day = before;
        }
        Ok(DayList {
            day: around,
            entries,
            sample: false,
        })
    }

    /// What the calendar shows for each day of the month around `around`.
    pub fn calendar(&self, around: Day) -> Result<BTreeMap<Day, DayCell>, StoreError> {
        crate::search::views::calendar_cells(&self.store, around)
    }

    /// A paper from the sample, the store or the last online list.
    pub fn paper(&self, id: &PaperId) -> Option<Paper> {
        if id.is_sample() {
            return sample::sample_papers()
                .iter()
                .find(|p| p.id == *id)
                .cloned();
        }
        self.store
            .paper(id)
            .ok()
            .flatten()
            .or_else(|| self.online.find(id).map(|(_, p)| p))
    }

    /// A paper to open, and whether its details are worth fetching (never
    /// fetched, or older than a day). An online result opened is kept in
    /// the store first: it is a paper like any other, and its read state
    /// and details need a home. `Ok(None)`: no such paper anywhere.
    pub fn open_paper(&self, id: &PaperId) -> Result<Option<(Paper, bool)>, StoreError> {
        if id.is_sample() {
            return Ok(self.paper(id).map(|p| (p, false)));
        }
        if let Some(p) = self.store.paper(id)? {
            let stale = details_stale(&p);
            return Ok(Some((p, stale)));
        }
        match self.online.keep(&self.store, id) {
            Some(kept) => kept.map(|p| Some((p, true))),
            None => Ok(None),
        }
    }

    /// Fetches `/api/papers/{id}` and merges it into the stored paper:
    /// the paper as stored now, or `None` when nothing changed or it
    /// could not be had (details are a nicety: the stored paper stays).
    pub async fn refresh_details(&self, id: &PaperId) -> Option<Paper> {
        let client = self.client.as_ref()?;
        let paper = client.paper_details(id).await.ok()?;
        if !self.store.save_details(&paper).unwrap_or(false) {
            return None;
        }
        self.store.paper(id).ok().flatten()
    }

    /// Fetches a full text and keeps it within the caps.
    pub async fn fetch_text(&self, id: &PaperId) -> TextFetched {
        let Some(client) = &self.client else {
            return TextFetched::Offline;
        };
        match client.fulltext(id).await {
            Ok(Some(markdown)) => {
                let caps = (self.texts.max_bytes, self.texts.total_bytes);
                if let Err(e) = self.store.save_text(id, &markdown, caps) {
                    tracing::warn!(paper = %id, error = %e, "full text not kept");
                }
                // What is kept (cut at the cap) is what is shown.
                TextFetched::Kept(self.store.text(id).ok().flatten().unwrap_or(markdown))
            }
            Ok(None) => TextFetched::Absent,
            Err(e) if e.is_offline() => TextFetched::Offline,
            Err(e) => TextFetched::Failed(e.to_string()),
        }
    }

    /// Fetches and keeps the full texts of these papers, one at a time.
    pub async fn fetch_texts_of(&self, ids: &[PaperId]) {
        let Some(client) = &self.client else { return };
        let mut report = crate::source::texts::TextReport::default();
        crate::source::texts::fetch_these(client, &self.store, ids, self.texts, 1, &mut report)
            .await;
    }

    /// A paper's cached picture (PNG bytes).
    pub fn cached_thumbnail(&self, id: &PaperId) -> Option<Vec<u8>> {
        crate::source::thumbs::cached(self.dir.root(), id)
    }

    /// Fetches a stored paper's picture, and caches it.
    pub async fn fetch_thumbnail(&self, id: &PaperId) -> Result<Vec<u8>, String> {
        let client = self.client.as_ref().ok_or("offline")?;
        let paper = self
            .store
            .paper(id)
            .ok()
            .flatten()
            .ok_or_else(|| "not in the store".to_string())?;
        crate::source::thumbs::thumbnail(client, self.dir.root(), &paper).await
    }

    /// This device's undoable change groups, newest last, from the log.
    pub fn undo_stack(&self) -> Result<Vec<crate::domain::model::UndoGroup>, String> {
        let Some(log) = &self.log else {
            return Ok(Vec::new());
        };
        let changes = log
            .read_all()
            .map_err(|e| format!("could not read the change log: {e}"))?;
        Ok(crate::store::changelog::undo_stack(
            &changes,
            log.device(),
            UNDO_DEPTH,
        ))
    }

    /// A paper as the pipe command reads it: JSON, or BibTeX from the row
    /// as stored (it carries the paper's day, so its year); a paper not
    /// stored has the day it was put on the daily list.
    pub fn pipe_input(&self, id: &PaperId, bibtex: bool) -> Option<String> {
        let paper = self.paper(id)?;
        if !bibtex {
            return Some(serde_json::to_string(&paper).unwrap_or_default() + "\n");
        }
        let row = self.store.row(id).ok().flatten().unwrap_or_else(|| {
            let mut row = crate::domain::model::Row::of(&paper, Day::default(), 0);
            row.day = crate::domain::parse::daily_day(&paper);
            row
        });
        Some(crate::domain::export::bibtex(&row))
    }

    /// Writes a list as a Markdown reading list in the data dir's
    /// `exports/`: where it went.
    pub fn export_list(
        &self,
        name: &str,
        entries: &[Arc<Entry>],
    ) -> std::io::Result<std::path::PathBuf> {
        let path = self.dir.export_file(name, chrono::Local::now());
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let refs: Vec<&Entry> = entries.iter().map(|e| &**e).collect();
        let text = crate::domain::export::render(&refs, crate::domain::export::Format::Markdown);
        crate::store::files::write_atomic(&path, text.as_bytes())?;
        Ok(path)
    }
}

/// Details older than a day (or never fetched) are worth refreshing.
fn details_stale(paper: &Paper) -> bool {
    let Some(at) = paper.details_fetched_at.as_deref() else {
        return true;
    };
    chrono::DateTime::parse_from_rfc3339(at).map_or(true, |t| {
        chrono::Utc::now().signed_duration_since(t) > chrono::Duration::days(1)
    })
}
