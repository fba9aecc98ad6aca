//! A child for the crash test (`tests/durability.rs`): records state
//! changes through the change log and the store, printing `ack ...` after
//! each one is durable, until killed.
//!
//! `crash_writer DATA_DIR START` stars and tags papers START, START+1, ...
//! (`ack star N`), and untags every other one again (`ack untag N`), so a
//! kill can land in a tag, an untag or a star.

// A tool for benchmarks and tests: it states its assumptions by unwrapping.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let data_dir = std::path::PathBuf::from(args.next().expect("DATA_DIR"));
    let start: u64 = args.next().expect("START").parse().expect("a number");
    // The way every command opens its data: the store, then the log, with
    // the store brought up to date with the log.
    let (store, log, _) = hfpapers::store::userstate::open_data(&data_dir).expect("data opens");
    let mut out = std::io::stdout();
    for n in start.. {
        let id = hfpapers::domain::model::PaperId(hfpapers::cli::corpus::test_id(n));
        let tagged = hfpapers::domain::model::UserState {
            starred: true,
            tags: vec![format!("t{}", n % 3)],
            ..Default::default()
        };
        hfpapers::store::userstate::record(
            &store,
            &log,
            &format!("s{n}"),
            None,
            &[(id.clone(), tagged)],
        )
        .expect("recorded");
        // Only now is the change durable: acknowledge it.
        writeln!(out, "ack star {n}").expect("stdout");
        out.flush().expect("stdout");
        if n % 2 == 0 {
            let untagged = hfpapers::domain::model::UserState {
                starred: true,
                ..Default::default()
            };
            hfpapers::store::userstate::record(
                &store,
                &log,
                &format!("u{n}"),
                None,
                &[(id, untagged)],
            )
            .expect("recorded");
            writeln!(out, "ack untag {n}").expect("stdout");
            out.flush().expect("stdout");
        }
    }
}
