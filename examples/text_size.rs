//! How much room full texts take in the store: 100 paper-sized Markdown
//! texts (about 60 KB each, made of the bundled sample's abstracts in
//! sections, a different order each) saved as a sync saves them.
//!
//! ```sh
//! cargo run --release --example text_size
//! ```

// A measuring tool: it states its assumptions by unwrapping.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hfpapers::domain::model::PaperId;
use hfpapers::store::Store;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&hfpapers::store::store_dir(dir.path())).unwrap();
    let papers = hfpapers::domain::sample::sample_papers();
    let mut raw = 0usize;
    for n in 0..100 {
        let mut md = format!("# Paper {n}\n\n");
        let mut i = n;
        while md.len() < 60_000 {
            let p = &papers[i % papers.len()];
            md.push_str(&format!("## {}\n\n{}\n\n", p.title, p.summary));
            i += 7;
        }
        raw += md.len();
        store
            .save_text(&PaperId(format!("2509.{n:05}")), &md, (2 << 20, 1 << 30))
            .unwrap();
    }
    let (count, kept) = store.texts_size().unwrap();
    println!(
        "{count} texts: {} as fetched, {} kept (LZ4), {:.0}% of the size",
        hfpapers::domain::text::bytes(raw as u64),
        hfpapers::domain::text::bytes(kept),
        kept as f64 * 100.0 / raw as f64
    );
}
