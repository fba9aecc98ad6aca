//! A child for the crash test (`tests/durability.rs`): records state
//! changes through the change log and the store, printing `ack N` after
//! each one is durable, until killed.
//!
//! `crash_writer DATA_DIR START` stars papers p{START}, p{START+1}, ...

fn main() {
    let mut args = std::env::args().skip(1);
    let data_dir = std::path::PathBuf::from(args.next().expect("DATA_DIR"));
    let start: u64 = args.next().expect("START").parse().expect("a number");
    let store =
        hfpapers::store::Store::open(&hfpapers::paths::store_dir(&data_dir)).expect("store opens");
    let log = hfpapers::changelog::ChangeLog::open(&data_dir).expect("log opens");
    use std::io::Write;
    let mut out = std::io::stdout();
    for n in start.. {
        let id = hfpapers::model::PaperId(format!("p{n}"));
        let state = hfpapers::model::UserState {
            starred: true,
            tags: vec![format!("t{}", n % 3)],
            ..Default::default()
        };
        hfpapers::userstate::record(&store, &log, &format!("g{n}"), None, &[(id, state)])
            .expect("recorded");
        // Only now is the change durable: acknowledge it.
        writeln!(out, "ack {n}").expect("stdout");
        out.flush().expect("stdout");
    }
}
