//! Computing what a view shows: the list for a [`ViewSpec`] and the counts
//! of the sidebar. Reads the store, the index and the last search results;
//! called by the effects runner, never by `update`.

use crate::domain::interests::{Interests, Marks};
use crate::domain::model::{Day, Entry, Paper};
use crate::domain::query::eval::{self, Ctx};
use crate::domain::query::{self, DateForm, DateSpec, Query, SortKey, Term};
use crate::domain::rows::Rows;
use crate::domain::view::{NoView, Shown, ViewItem, ViewKind, ViewSpec};
use crate::search::index::{Index, Listing};
use crate::store::Store;
use std::sync::Arc;

/// How many papers the `=` view lists, most alike first.
const SIMILAR_LIMIT: usize = 50;

/// Turns a listing into the rows a list holds: paged by the reader (see
/// [`crate::domain::rows`]), read whole by [`held`].
pub type Pager<'a> = &'a dyn Fn(Listing) -> Rows;

/// A pager that reads every row at once (tests, small tools).
pub fn held(index: &Index) -> impl Fn(Listing) -> Rows + '_ {
    |listing: Listing| Rows::Held(index.listing_rows(&listing, 0..listing.len()))
}

/// The list for `spec`, or a notice when it cannot be computed yet. Views
/// over every stored day come back paged through `pager`; a day, the
/// sample and search results are held whole. Every view but All leaves
/// out what a mute matches, and counts it; followed papers are counted.
pub fn run_view(
    store: &Store,
    index: Option<&Index>,
    search: &[(Entry, Paper)],
    spec: &ViewSpec,
    today: Day,
    pager: Pager,
    interests: &Interests,
) -> Result<Shown, NoView> {
    // The filter was parsed as it was typed; it travels parsed.
    let filter = spec.filter.query();
    // Every view but All hides what a mute matches.
    let hides = !matches!(&spec.kind, ViewKind::Query(text) if text.is_empty());
    let shown = if hides {
        interests.without_muted(filter)
    } else {
        filter.clone()
    };
    let view = View {
        store,
        index,
        search,
        spec,
        base: match &spec.kind {
            // A view's own query: parsed once here, for its rows and counts.
            ViewKind::Query(text) => query::parse(text).unwrap_or_default(),
            _ => Query::default(),
        },
        today,
        muted: &interests.foryou_mute,
    };
    let notes = if spec.kind == ViewKind::Watch {
        match store.releases() {
            Ok(r) => r.into_iter().map(|(id, r)| (id, r.describe())).collect(),
            Err(e) => return Err(NoView::Failed(e.to_string())),
        }
    } else {
        Vec::new()
    };
    let (entries, foryou) = view.rows(&shown, pager)?;
    let marks = view.marks(filter, &entries, (interests, hides), pager);
    Ok(Shown {
        spec: spec.clone(),
        entries,
        foryou,
        marks,
        notes,
    })
}

/// What a view is computed from.
struct View<'a> {
    store: &'a Store,
    index: Option<&'a Index>,
    search: &'a [(Entry, Paper)],
    spec: &'a ViewSpec,
    /// The query a query view runs (`All` and saved views), parsed.
    base: Query,
    today: Day,
    /// For you's muted features: never a reason.
    muted: &'a [crate::domain::taste::Feature],
}

impl View<'_> {
    /// How many papers of the view are followed, and how many a mute hid.
    fn marks(
        &self,
        filter: &Query,
        entries: &Rows,
        (interests, hides): (&Interests, bool),
        pager: Pager,
    ) -> Marks {
        if let ViewKind::MoreLike(_) = self.spec.kind {
            // Trained anew each time: its followed papers are counted among
            // those shown, and what a mute hid is not counted.
            let followed = entries
                .all()
                .iter()
                .filter(|e| interests.is_followed(e, self.today))
                .count();
            return Marks { followed, muted: 0 };
        }
        let following = interests.following().map(|f| {
            if hides {
                interests.without_muted(&f)
            } else {
                f
            }
        });
        Marks {
            followed: self.count(filter, following, pager),
            muted: if hides {
                self.count(filter, interests.muted(), pager)
            } else {
                0
            },
        }
    }

    /// How many papers of the view `extra` narrows it to. Views over every
    /// day count by document sets alone (no order to build); the others
    /// are computed again, narrowed (a day is a few dozen rows).
    fn count(&self, filter: &Query, extra: Option<Query>, pager: Pager) -> usize {
        let Some(extra) = extra else {
            return 0;
        };
        let mut q = filter.clone();
        q.and_query(extra);
        match (&self.spec.kind, self.index) {
            (ViewKind::Query(_), Some(index)) => {
                let mut whole = self.base.clone();
                whole.and_query(q);
                index.count(&whole, self.today).0
            }
            (ViewKind::New(since), Some(index)) => index.count_seen_after(&q, *since, self.today).0,
            _ => self.rows(&q, pager).map_or(0, |(rows, _)| rows.len()),
        }
    }

    /// The view's rows narrowed by `filter`, with For you's scores (the
    /// For you view), or the action that says why there are none.
    fn rows(&self, filter: &Query, pager: Pager) -> Result<(Rows, Explained), NoView> {
        let View {
            store, spec, today, ..
        } = *self;
        let failed = |e: crate::store::StoreError| NoView::Failed(e.to_string());
        Ok(match &spec.kind {
            ViewKind::Day(day) => (
                day_view(store, self.index, spec, *day, filter, today)
                    .map_err(failed)?
                    .into(),
                Vec::new(),
            ),
            ViewKind::Watch => (
                watch_view(store, filter, today).map_err(failed)?.into(),
                Vec::new(),
            ),
            ViewKind::Search(_) | ViewKind::Trending => {
                let results = Index::from_papers(self.search.to_vec());
                // The service's order (relevance) unless another sort is asked for.
                let sort = if spec.sort == SortKey::Date {
                    SortKey::Rank
                } else {
                    spec.sort
                };
                (results.query(filter, sort, today).into(), Vec::new())
            }
            // Every other view runs over all stored days: it waits for the index.
            kind => {
                let Some(index) = self.index else {
                    return Err(NoView::NotYet(
                        "indexing all stored papers… the view fills in when ready".into(),
                    ));
                };
                match kind {
                    ViewKind::ForYou => {
                        let (entries, scores) =
                            for_you_view(store, index, spec, filter, today).map_err(failed)?;
                        (entries.into(), scores)
                    }
                    ViewKind::MoreLike(tag) => {
                        let (entries, scores) =
                            more_like_view(store, index, (tag, self.muted), filter, today)?;
                        (entries.into(), scores)
                    }
                    kind => (self.over_all_days(index, kind, filter, pager), Vec::new()),
                }
            }
        })
    }

    /// A view over every stored day but For you.
    fn over_all_days(&self, index: &Index, kind: &ViewKind, filter: &Query, pager: Pager) -> Rows {
        let (spec, today) = (self.spec, self.today);
        match kind {
            ViewKind::Query(_) => {
                let mut q = self.base.clone();
                q.and_query(filter.clone());
                pager(index.listing(&q, None, spec.sort, today, false))
            }
            ViewKind::Similar(id) if spec.sample => {
                // The sample digest is not stored: its papers are
                // compared among themselves.
                let sample = Index::from_papers(
                    crate::domain::sample::sample_entries()
                        .into_iter()
                        .zip(crate::domain::sample::sample_papers().iter().cloned())
                        .collect(),
                );
                similar_view(&sample, id, filter, spec.sort, today).into()
            }
            ViewKind::Similar(id) => similar_view(index, id, filter, spec.sort, today).into(),
            // Unread first, then in the order asked for (newest day
            // first by default).
            ViewKind::New(Some(since)) => {
                pager(index.listing(filter, Some(*since), spec.sort, today, true))
            }
            _ => Rows::default(),
        }
    }
}

/// A day (or its week or month), narrowed by the filter: through the
/// index when it is open (words then match abstracts too), else from the
/// day's stored rows.
fn day_view(
    store: &Store,
    index: Option<&Index>,
    spec: &ViewSpec,
    day: Option<Day>,
    filter: &Query,
    today: Day,
) -> Result<Vec<Arc<Entry>>, crate::store::StoreError> {
    if spec.sample {
        let base = crate::domain::sample::sample_entries();
        return Ok(filter_rows(base, filter, spec.sort, today));
    }
    let day = match day {
        Some(d) => d,
        None => store.latest_day()?.unwrap_or(today),
    };
    let (from, to) = spec.period.span(day);
    if let Some(index) = index {
        let mut q = filter.clone();
        q.and(Term::Date(DateSpec::Range {
            from,
            to,
            form: DateForm::Span,
        }));
        return Ok(index.query(&q, spec.sort, today));
    }
    let mut entries = Vec::new();
    for d in from.iter_days().take_while(|d| *d <= to) {
        entries.append(&mut store.day_entries(d)?);
    }
    Ok(filter_rows(entries, filter, spec.sort, today))
}

/// The latest day's span ranked by taste (by upvotes until one is
/// learned), each paper with its score and reasons.
pub type Explained = Vec<(crate::domain::model::PaperId, crate::domain::taste::Scored)>;

fn for_you_view(
    store: &Store,
    index: &Index,
    spec: &ViewSpec,
    filter: &Query,
    today: Day,
) -> Result<(Vec<Arc<Entry>>, Explained), crate::store::StoreError> {
    // Each paper is scored once: read in upvote order (the order without
    // a taste), explained, then ordered unread first, each part by its
    // score, best first (what is read is done with, whatever its score).
    let by_upvotes = ViewSpec {
        sort: SortKey::Upvotes,
        ..spec.clone()
    };
    let mut entries = day_view(store, Some(index), &by_upvotes, None, filter, today)?;
    let explained: Explained = entries
        .iter()
        .filter_map(|e| Some((e.row.id.clone(), index.explain(&e.row.id)?)))
        .collect();
    if filter.sort.is_none() {
        let by_id: std::collections::HashMap<_, f32> =
            explained.iter().map(|(id, s)| (id, s.score)).collect();
        entries.sort_by(|a, b| {
            let of = |e: &Arc<Entry>| by_id.get(&e.row.id).copied().unwrap_or(0.0);
            a.state
                .read
                .cmp(&b.state.read)
                .then(of(b).total_cmp(&of(a)))
        });
    }
    Ok((entries, explained))
}

/// "More like #tag" for the command line: the ranked papers with their
/// scores, or what to say instead (too few papers with the tag, a store
/// that cannot be read).
pub fn more_like(
    store: &Store,
    index: &Index,
    tag: &str,
    muted: &[crate::domain::taste::Feature],
    today: Day,
) -> Result<(Vec<Arc<Entry>>, Explained), String> {
    more_like_view(store, index, (tag, muted), &Query::default(), today)
        .map_err(NoView::into_message)
}

/// Unread papers drawn by the index for a tag model's strongest features,
/// then ranked by the model: how many are drawn, and how many shown.
const MORE_LIKE_DRAWN: usize = 400;
const MORE_LIKE_SHOWN: usize = 100;

/// "More like #tag": unread papers not yet tagged, ranked by a model of
/// the tag (see [`crate::search::foryou::train_tag`]), each with its
/// reasons; narrowed by the filter (and so by mutes). Candidates are the
/// best matches of the model's 20 strongest words in the index, so a
/// store of any size is ranked in the time of a few hundred papers.
fn more_like_view(
    store: &Store,
    index: &Index,
    (tag, muted): (&str, &[crate::domain::taste::Feature]),
    filter: &Query,
    today: Day,
) -> Result<(Vec<Arc<Entry>>, Explained), NoView> {
    use crate::domain::query::{Expr, Is};
    use crate::domain::taste::Kind;
    use crate::search::foryou::{Trained, train_tag};
    let failed = |e: crate::store::StoreError| NoView::Failed(e.to_string());
    let taste = match train_tag(store, index, tag, muted.to_vec(), today).map_err(failed)? {
        Trained::Taste(taste) => taste,
        Trained::ColdStart { liked } => {
            return Err(NoView::NotYet(format!(
                "more like #{tag} learns from the papers tagged {tag}: {liked} so far, {} needed",
                crate::domain::taste::MIN_POSITIVES
            )));
        }
    };
    // Words (of titles, abstracts and keywords) draw through the index's
    // word lists; names would scan rows, so they only rank.
    let terms: Vec<Expr> = taste
        .strongest(40)
        .into_iter()
        .filter(|(kind, _)| matches!(kind, Kind::Word | Kind::Keyword))
        .take(20)
        .map(|(_, text)| {
            // A keyword may be a few words: then a phrase.
            let mut words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
            Expr::Term(match words.len() {
                1 => Term::Word(words.remove(0)),
                _ => Term::Phrase(words),
            })
        })
        .collect();
    if terms.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut q = Query {
        expr: Some(Expr::Or(terms)),
        sort: None,
    };
    q.and(Term::Is(Is::Unread));
    q.and_query(Query {
        expr: Some(Expr::Not(Box::new(Expr::Term(Term::Tag(tag.to_string()))))),
        sort: None,
    });
    q.and_query(filter.clone());
    let mut ranked: Vec<(Arc<Entry>, crate::domain::taste::Scored)> = index
        .query(&q, SortKey::Relevance, today)
        .into_iter()
        .take(MORE_LIKE_DRAWN)
        .filter_map(|e| {
            let scored = taste.score_id(&e.row.id)?;
            Some((e, scored))
        })
        .collect();
    ranked.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
    ranked.truncate(MORE_LIKE_SHOWN);
    let mut entries: Vec<Arc<Entry>> = ranked.iter().map(|(e, _)| e.clone()).collect();
    if let Some(sort) = filter.sort {
        eval::sort(&mut entries, sort);
    }
    let explained = ranked
        .into_iter()
        .map(|(e, s)| (e.row.id.clone(), s))
        .collect();
    Ok((entries, explained))
}

/// Starred papers that gained code or weights, newest release first,
/// narrowed by the filter.
fn watch_view(
    store: &Store,
    filter: &Query,
    today: Day,
) -> Result<Vec<Arc<Entry>>, crate::store::StoreError> {
    let ctx = Ctx::new(today);
    let mut out = Vec::new();
    for (id, _) in store.releases()? {
        let Some(row) = store.row(&id)? else { continue };
        let entry = Entry {
            row,
            state: store.state(&id)?,
        };
        if filter
            .expr
            .as_ref()
            .is_none_or(|x| eval::matches(x, &entry, &ctx))
        {
            out.push(Arc::new(entry));
        }
    }
    if let Some(sort) = filter.sort {
        eval::sort(&mut out, sort);
    }
    Ok(out)
}

/// The papers most like `id`, narrowed by the filter; most alike first
/// unless another order is asked for.
fn similar_view(
    index: &Index,
    id: &crate::domain::model::PaperId,
    filter: &Query,
    sort: SortKey,
    today: Day,
) -> Vec<Arc<Entry>> {
    let mut similar = index.similar_within(id, SIMILAR_LIMIT, filter, today);
    let sort = filter.sort.unwrap_or(sort);
    if !matches!(sort, SortKey::Date | SortKey::Relevance) {
        eval::sort(&mut similar, sort);
    }
    similar
}

/// Filters entries in memory, matching words against what rows carry.
fn filter_rows(base: Vec<Entry>, filter: &Query, sort: SortKey, today: Day) -> Vec<Arc<Entry>> {
    let ctx = Ctx::new(today);
    let mut out: Vec<Arc<Entry>> = base
        .into_iter()
        .filter(|e| {
            filter
                .expr
                .as_ref()
                .is_none_or(|x| eval::matches(x, e, &ctx))
        })
        .map(Arc::new)
        .collect();
    eval::sort(&mut out, filter.sort.unwrap_or(sort));
    out
}

/// The sidebar: the latest day, For you, New, Following, Unread, Starred,
/// All, one view per tag, then the saved queries of the config file, each
/// with its counts (a mute's papers left out of all but All's).
pub fn count_views(
    store: &Store,
    index: Option<&Index>,
    saved: &[(String, String)],
    (since, today): (Option<i64>, Day),
    interests: &Interests,
) -> Vec<ViewItem> {
    let mut items = day_items(store, index, (since, today), interests);
    let releases = store.releases().unwrap_or_default();
    if !releases.is_empty() {
        items.push(ViewItem {
            name: "Watch".into(),
            kind: ViewKind::Watch,
            total: releases.len(),
            unread: releases.iter().filter(|(_, r)| !r.seen).count(),
        });
    }
    let mut queries: Vec<(String, String)> = Vec::new();
    if let Some(following) = interests.following() {
        queries.push(("Following".into(), following.to_string()));
    }
    queries.extend([
        ("Unread".into(), "is:unread".into()),
        ("Starred".into(), "is:starred".into()),
        ("All".into(), String::new()),
    ]);
    let tags = index.map(Index::tags).unwrap_or_default();
    queries.extend(
        tags.iter()
            .map(|(t, _)| (format!("#{t}"), format!("tag:{t}"))),
    );
    queries.extend(saved.iter().cloned());
    for (name, text) in queries {
        let (total, unread) = match (index, query::parse(&text)) {
            (Some(index), Ok(q)) if text.is_empty() => index.count(&q, today),
            (Some(index), Ok(q)) => index.count(&interests.without_muted(&q), today),
            _ => (0, 0),
        };
        let tag = name
            .starts_with('#')
            .then(|| text.strip_prefix("tag:").map(str::to_string))
            .flatten();
        items.push(ViewItem {
            name,
            kind: ViewKind::Query(text),
            total,
            unread,
        });
        // A tag with enough papers to learn from has its "more like".
        if let Some(tag) = tag
            && tag != crate::domain::taste::LESS_TAG
            && tags
                .iter()
                .any(|(t, n)| *t == tag && *n >= crate::domain::taste::MIN_POSITIVES)
        {
            items.push(ViewItem {
                name: format!("↳ more like #{tag}"),
                kind: ViewKind::MoreLike(tag),
                total: 0,
                unread: 0,
            });
        }
    }
    items
}

/// The sidebar's first items: the latest day, For you and New.
fn day_items(
    store: &Store,
    index: Option<&Index>,
    (since, today): (Option<i64>, Day),
    interests: &Interests,
) -> Vec<ViewItem> {
    let mut items = Vec::new();
    let latest = store.latest_day().ok().flatten();
    let (total, unread) = latest
        .and_then(|d| store.day_entries(d).ok())
        .map_or((0, 0), |es| {
            let shown = es.iter().filter(|e| !interests.is_muted(e, today));
            (
                shown.clone().count(),
                shown.filter(|e| !e.state.read).count(),
            )
        });
    items.push(ViewItem {
        name: "Latest day".into(),
        kind: ViewKind::Day(None),
        total,
        unread,
    });
    if let Some(index) = index {
        items.push(ViewItem {
            name: "For you".into(),
            kind: ViewKind::ForYou,
            total,
            unread,
        });
        let (total, unread) = match since {
            Some(since) => index.count_seen_after(
                &interests.without_muted(&Query::default()),
                Some(since),
                today,
            ),
            None => (0, 0),
        };
        items.push(ViewItem {
            name: "New".into(),
            kind: ViewKind::New(since),
            total,
            unread,
        });
    }
    items
}

/// What the calendar shows for each day of the month around `around`.
pub fn calendar_cells(
    store: &Store,
    around: Day,
) -> Result<std::collections::BTreeMap<Day, crate::domain::view::DayCell>, crate::store::StoreError>
{
    use chrono::Datelike;
    let first = around.with_day(1).unwrap_or(around);
    let mut cells = std::collections::BTreeMap::new();
    for day in first.iter_days().take_while(|d| d.month() == first.month()) {
        let cell = match store.day(day)? {
            None => crate::domain::view::DayCell::NotFetched,
            Some(r) if r.ids.is_empty() => crate::domain::view::DayCell::Empty,
            Some(_) => match store
                .day_entries(day)?
                .iter()
                .filter(|e| !e.state.read)
                .count()
            {
                0 => crate::domain::view::DayCell::Done,
                n => crate::domain::view::DayCell::Unread(n),
            },
        };
        cells.insert(day, cell);
    }
    Ok(cells)
}
