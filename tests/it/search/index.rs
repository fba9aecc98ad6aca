//! The full-text index beside the store: similar papers on real text,
//! relevance, and the index as a cache (deleted, left behind by a crash,
//! rebuilt) that never costs the user's state.

use hfpapers::domain::model::{FetchedDay, Paper, PaperId, UserState, parse_day};
use hfpapers::domain::query::{SortKey, parse};
use hfpapers::search::index::Index;
use hfpapers::store::Store;
use std::path::Path;
use std::process::Command;

/// A store in `data/store` holding the bundled sample digest (73 real
/// titles and abstracts) as one day.
fn sample_store(data: &Path) -> Store {
    let store = Store::open(&hfpapers::store::store_dir(data)).unwrap();
    let papers = hfpapers::domain::sample::sample_papers().to_vec();
    store
        .save_day(&FetchedDay::new(parse_day("2025-09-10").unwrap(), papers))
        .unwrap();
    store
}

fn sample(id: &str) -> &'static Paper {
    hfpapers::domain::sample::sample_papers()
        .iter()
        .find(|p| p.id.as_str() == id)
        .unwrap()
}

/// Folded words of a paper's title and abstract.
fn words_of(p: &Paper) -> std::collections::HashSet<String> {
    hfpapers::domain::text::words(&format!("{} {}", p.title, p.summary)).collect()
}

/// How many sample papers hold `word` in their title or abstract.
fn papers_with(word: &str) -> usize {
    hfpapers::domain::sample::sample_papers()
        .iter()
        .filter(|p| words_of(p).contains(word))
        .count()
}

#[test]
fn the_nearest_paper_shares_the_papers_distinctive_words_not_just_common_ones() {
    let data = crate::common::temp_dir();
    let store = sample_store(data.path());
    let index = Index::load(&store).unwrap();
    // Pairs of sample papers on one idea, each named by a word that few
    // other papers use.
    for (id, idea) in [
        ("sample-49", "matryoshka"),
        ("sample-56", "matryoshka"),
        ("sample-09", "mamba"),
        ("sample-65", "thought"),
        ("sample-36", "mamba"),
        ("sample-33", "video"),
    ] {
        let near = index.similar(&PaperId(id.into()), 5);
        assert!(!near.is_empty(), "{id}: nothing similar");
        assert!(
            near.iter().all(|e| e.row.id.as_str() != id),
            "{id} is not its own neighbour"
        );
        let first = sample(near[0].row.id.as_str());
        assert!(
            words_of(first).contains(idea),
            "{id}'s nearest, {:?}, should share {idea:?}",
            first.title
        );
        assert!(
            papers_with(idea) <= 8,
            "{idea:?} is distinctive: in {} of 73 papers",
            papers_with(idea)
        );
    }
    let near = index.similar(&PaperId("sample-49".into()), 1);
    assert_eq!(near[0].row.id.as_str(), "sample-56", "the Matryoshka pair");
}

#[test]
fn a_title_match_ranks_above_an_abstract_only_match_by_default() {
    let data = crate::common::temp_dir();
    let store = sample_store(data.path());
    let index = Index::load(&store).unwrap();
    let today = parse_day("2025-09-10").unwrap();
    let found = index.query(&parse("diffusion").unwrap(), SortKey::Date, today);
    assert!(found.len() >= 2, "{}", found.len());
    let title_hit = |i: usize| {
        hfpapers::domain::text::words(&found[i].row.title).any(|w| w.starts_with("diffusion"))
    };
    assert!(title_hit(0), "best match first: {:?}", found[0].row.title);
    let last_title = (0..found.len()).rfind(|i| title_hit(*i)).unwrap();
    let first_other = (0..found.len()).find(|i| !title_hit(*i));
    if let Some(other) = first_other {
        assert!(last_title < other, "title matches come before the rest");
    }
    // An explicit sort still wins.
    let by_title = index.query(
        &parse("diffusion sort:title").unwrap(),
        SortKey::Date,
        today,
    );
    let titles: Vec<String> = by_title
        .iter()
        .map(|e| hfpapers::domain::text::fold(&e.row.title))
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
}

#[test]
fn deleting_the_index_folder_costs_one_rebuild_and_nothing_else() {
    let data = crate::common::temp_dir();
    let store = sample_store(data.path());
    let today = parse_day("2025-09-10").unwrap();
    let starred = UserState {
        starred: true,
        tags: vec!["rl".into()],
        ..UserState::default()
    };
    store
        .set_states(&[(PaperId("sample-49".into()), starred.clone())])
        .unwrap();
    let q = parse("representation is:unread").unwrap();
    let before: Vec<String> = Index::load(&store)
        .unwrap()
        .query(&q, SortKey::Date, today)
        .iter()
        .map(|e| e.row.id.0.clone())
        .collect();
    drop(store);
    let dir = hfpapers::store::fulltext::index_dir(&hfpapers::store::store_dir(data.path()));
    assert!(dir.is_dir(), "the index lives at {}", dir.display());
    std::fs::remove_dir_all(&dir).unwrap();

    let store = Store::open(&hfpapers::store::store_dir(data.path())).unwrap();
    assert_eq!(
        store.catch_up_index(&mut |_| {}).unwrap(),
        hfpapers::store::CatchUp::Rebuilt(73)
    );
    let index = Index::load(&store).unwrap();
    let after: Vec<String> = index
        .query(&q, SortKey::Date, today)
        .iter()
        .map(|e| e.row.id.0.clone())
        .collect();
    assert_eq!(before, after);
    assert!(!after.is_empty());
    let tagged = index.query(&parse("tag:rl is:starred").unwrap(), SortKey::Date, today);
    assert_eq!(tagged.len(), 1);
    let kept = &tagged[0].state;
    assert!(
        kept.starred && kept.tags == starred.tags,
        "the user's state is untouched"
    );
    assert_eq!(
        store.catch_up_index(&mut |_| {}).unwrap(),
        hfpapers::store::CatchUp::Current,
        "once"
    );
}

#[test]
fn papers_saved_but_not_indexed_before_a_kill_are_indexed_on_the_next_open() {
    let data = crate::common::temp_dir();
    let dir = hfpapers::store::store_dir(data.path());
    let store = sample_store(data.path());
    let today = parse_day("2025-09-11").unwrap();
    // A day saved while a batch holds indexing back; the process then
    // dies (the batch never ends).
    let batch = store.index_batch();
    let mut late = hfpapers::domain::sample::sample_papers()[0].clone();
    late.id = PaperId("2609.00001".into());
    late.title = "Quokka wrangling at scale".into();
    store.save_day(&FetchedDay::new(today, vec![late])).unwrap();
    batch.abandon();
    assert_eq!(store.unindexed_count(), 1);
    drop(store);

    let store = Store::open(&dir).unwrap();
    let index = Index::load(&store).unwrap();
    let found = index.query(&parse("quokka").unwrap(), SortKey::Date, today);
    assert_eq!(found.len(), 1, "the queued paper was caught up");
    assert_eq!(store.unindexed_count(), 0);
    assert_eq!(index.len(), 74);
}

#[test]
fn an_index_of_another_layout_or_damaged_is_replaced_and_rebuilt() {
    let data = crate::common::temp_dir();
    let dir = hfpapers::store::store_dir(data.path());
    drop(sample_store(data.path()));
    // The word index of earlier versions, and a damaged current one.
    std::fs::write(dir.join("hfpapers-index.jsonl"), "{}\n").unwrap();
    let index_dir = hfpapers::store::fulltext::index_dir(&dir);
    std::fs::write(index_dir.join("meta.json"), "not json").unwrap();

    let store = Store::open(&dir).unwrap();
    assert_eq!(
        store.catch_up_index(&mut |_| {}).unwrap(),
        hfpapers::store::CatchUp::Rebuilt(73)
    );
    assert!(
        !dir.join("hfpapers-index.jsonl").exists(),
        "old layout removed"
    );
    let index = Index::load(&store).unwrap();
    let today = parse_day("2025-09-10").unwrap();
    assert!(
        !index
            .query(&parse("mamba").unwrap(), SortKey::Date, today)
            .is_empty()
    );
}

fn hfpapers(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hfpapers"))
        .args(args)
        .env("HFPAPERS_DATA_DIR", data)
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .output()
        .unwrap()
}

#[test]
fn hfpapers_similar_lists_the_nearest_papers_as_text_or_json() {
    let data = crate::common::temp_dir();
    drop(sample_store(data.path()));
    let out = hfpapers(
        data.path(),
        &["similar", "sample-49", "--limit", "3", "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["id"], "sample-56");
    let out = hfpapers(data.path(), &["similar", "sample-49"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().next().unwrap().contains("Matryoshka"),
        "{text}"
    );
    assert!(text.lines().all(|l| !l.starts_with("sample-49\t")));

    let out = hfpapers(data.path(), &["similar", "2609.99999"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no paper 2609.99999 is stored"), "{err}");
}

#[test]
fn hfpapers_index_rebuild_says_what_it_indexed_and_keeps_everything_else() {
    let data = crate::common::temp_dir();
    drop(sample_store(data.path()));
    let star = hfpapers(data.path(), &["mark", "sample-09", "--star"]);
    assert!(
        star.status.success(),
        "{}",
        String::from_utf8_lossy(&star.stderr)
    );
    let out = hfpapers(data.path(), &["index", "rebuild"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("indexed 73 papers in "), "{text}");
    let out = hfpapers(data.path(), &["list", "mamba is:starred"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("sample-09\t"), "{text}");
}

#[test]
fn the_state_snapshot_never_hides_a_change_made_after_it() {
    let data = crate::common::temp_dir();
    let store = sample_store(data.path());
    let id = PaperId("sample-09".into());
    let star = |starred| UserState {
        starred,
        ..UserState::default()
    };
    let today = parse_day("2025-09-10").unwrap();
    let starred = |store: &Store| {
        Index::load(store)
            .unwrap()
            .query(&parse("is:starred").unwrap(), SortKey::Date, today)
            .len()
    };
    store.set_states(&[(id.clone(), star(true))]).unwrap();
    assert_eq!(
        starred(&store),
        1,
        "the first load walks the tree and snapshots it"
    );
    let snapshot = hfpapers::store::store_dir(data.path()).join("states.snapshot");
    assert!(snapshot.is_file());
    assert_eq!(starred(&store), 1, "the second reads the snapshot");
    store.set_states(&[(id.clone(), star(false))]).unwrap();
    assert_eq!(starred(&store), 0, "a change after the snapshot is seen");
    // A damaged snapshot is ignored, then replaced.
    std::fs::write(&snapshot, b"garbage").unwrap();
    store.set_states(&[(id, star(true))]).unwrap();
    assert_eq!(starred(&store), 1);
    assert_ne!(std::fs::read(&snapshot).unwrap(), b"garbage");
    // A snapshot of this very stamp, cut short half way through its states:
    // the states read before the cut are read again from the tree, whose
    // values hold, and nothing is counted twice.
    let others = ["sample-10", "sample-11", "sample-12"].map(|i| PaperId(i.into()));
    store
        .set_states(&others.clone().map(|id| (id, star(true))))
        .unwrap();
    assert_eq!(starred(&store), 4);
    let whole = std::fs::read(&snapshot).unwrap();
    std::fs::write(&snapshot, &whole[..whole.len() - 3]).unwrap();
    assert_eq!(starred(&store), 4, "a cut snapshot is read from the tree");
    assert_eq!(
        std::fs::read(&snapshot).unwrap(),
        whole,
        "and written whole again"
    );
}

/// The All view, paged: the reader's list holds document numbers and reads
/// rows as they are shown.
fn all_view(
    service: &hfpapers::library::index::IndexService,
    store: &Store,
) -> hfpapers::app::rows::Rows {
    use hfpapers::app::{ViewKind, ViewSpec};
    let spec = ViewSpec {
        kind: ViewKind::Query(String::new()),
        filter: hfpapers::domain::query::Filter::default(),
        sort: SortKey::Date,
        sample: false,
        period: hfpapers::domain::model::Period::Day,
    };
    let search = hfpapers::library::online::OnlineResults::default();
    let today = parse_day("2025-09-10").unwrap();
    match service.run_view(store, &search, &spec, today) {
        Ok(shown) => shown.entries,
        other => panic!("no results: {other:?}"),
    }
}

#[test]
fn a_view_over_every_day_is_paged_and_reads_the_same_rows_and_states_as_the_store() {
    use hfpapers::app::rows::Rows;
    let data = crate::common::temp_dir();
    let store = sample_store(data.path());
    let service = hfpapers::library::index::IndexService::default();
    service.build_now(&store).unwrap();
    let rows = all_view(&service, &store);
    assert!(matches!(rows, Rows::Paged(_)), "{rows:?}");
    assert_eq!(rows.len(), 73);
    // The same order and rows as the store's day (newest first, by rank).
    let day: Vec<String> = store
        .day_entries(parse_day("2025-09-10").unwrap())
        .unwrap()
        .into_iter()
        .map(|e| e.row.title)
        .collect();
    let shown: Vec<String> = rows
        .window(0..80)
        .iter()
        .map(|e| e.row.title.clone())
        .collect();
    assert_eq!(shown, day);
    assert_eq!(rows.window(70..80).len(), 3, "a window past the end is cut");
    assert_eq!(rows.counts(), (73, 0));

    // A change saved (as the runtime does: store, then index) shows in the
    // rows and the counts of the list already open, without a new query.
    let id = rows.get(5).unwrap().row.id.clone();
    let starred = UserState {
        read: true,
        starred: true,
        ..UserState::default()
    };
    store.set_states(&[(id.clone(), starred.clone())]).unwrap();
    service.set_states(&[(id.clone(), starred.clone())]);
    let shown = rows.get(5).unwrap().state.clone();
    assert!(shown.read && shown.starred, "{shown:?}");
    assert_eq!(rows.counts(), (72, 1));
    assert_eq!(rows.position(&id), Some(5));
    assert_eq!(rows.unread().len(), 72);
    assert!(rows.unread().iter().all(|e| e.row.id != id));
    // The next unread after the changed paper skips nothing else.
    assert_eq!(rows.find_from(5, 1, |e, _| !e.state.read), Some(6));
    assert_eq!(rows.find_from(5, -1, |e, _| !e.state.read), Some(4));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 12, ..Default::default() })]

    /// tantivy's more-like-this asserted that a word's document count
    /// (deleted documents included) never exceeds the live count, and a
    /// day fetched twice re-indexes its papers: similar panicked on a new
    /// user's store.
    #[test]
    fn similar_never_panics_whatever_was_re_indexed_and_deleted_before(
        rounds in proptest::collection::vec(
            (proptest::collection::vec(0usize..73, 1..40), 0usize..73),
            1..5,
        ),
    ) {
        let data = crate::common::temp_dir();
        let store = sample_store(data.path());
        let sample = hfpapers::domain::sample::sample_papers();
        for (again, probe) in rounds {
            // The same papers fetched again: each is deleted and indexed anew.
            let papers: Vec<Paper> = again.iter().map(|i| sample[*i].clone()).collect();
            store
                .save_day(&FetchedDay::new(parse_day("2025-09-10").unwrap(), papers))
                .unwrap();
            let index = Index::open(&store).unwrap();
            let near = index.similar(&sample[probe].id, 5);
            proptest::prop_assert!(near.iter().all(|e| e.row.id != sample[probe].id));
        }
    }
}
