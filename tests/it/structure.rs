//! The suite holds the shape of the code: only `reader/` and `ui/` speak
//! to the terminal, and each top-level folder imports only folders below
//! it in one order. Read from `src/**` as text, so a change that breaks
//! either fails here, not in a review.

use std::path::{Path, PathBuf};

/// The folders, lowest first. A folder may import those before it: the
/// library sits under both frontends and speaks only the domain's
/// vocabulary (`app` is the reader's state machine, above it; `platform`
/// is above `app` because the config file names the keymap's actions).
const LAYERS: &[&str] = &[
    "domain", "store", "source", "search", "library", "app", "platform", "ui", "reader", "cli",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The file's code lines: comments (`//`, `//!`, `///`) left out.
fn code(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim_start)
        .filter(|l| !l.starts_with("//"))
        .map(str::to_string)
        .collect()
}

/// Every source file: its path under `src/`, its top-level folder (`None`
/// for the crate's root files) and its code lines.
fn sources() -> Vec<(PathBuf, Option<String>, Vec<String>)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .iter()
        .map(|f| {
            let rel = f.strip_prefix(&src).unwrap().to_path_buf();
            let top = (rel.components().count() > 1).then(|| {
                rel.components()
                    .next()
                    .unwrap()
                    .as_os_str()
                    .to_string_lossy()
                    .to_string()
            });
            (rel, top, code(f))
        })
        .collect()
}

#[test]
fn only_the_reader_and_the_screen_name_the_terminal_crates() {
    let files = sources();
    let mut offenders = Vec::new();
    for (rel, top, code) in &files {
        if matches!(top.as_deref(), Some("reader" | "ui")) {
            continue;
        }
        for line in code {
            if ["ratatui::", "crossterm::", "use ratatui", "use crossterm"]
                .iter()
                .any(|t| line.contains(t))
            {
                offenders.push(format!("{}: {line}", rel.display()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "terminal crates outside reader/ and ui/: {offenders:#?}"
    );
    assert!(files.len() > 50, "the sources were read: {}", files.len());
}

#[test]
fn no_folder_imports_one_above_it() {
    let mut offenders = Vec::new();
    // lib.rs and main.rs, the crate's root, see everything.
    for (rel, top, code) in sources()
        .iter()
        .filter_map(|(r, t, c)| Some((r, t.as_ref()?, c)))
    {
        let Some(level) = LAYERS.iter().position(|l| l == top) else {
            offenders.push(format!("{top}/ is in no layer: add it to LAYERS"));
            continue;
        };
        for line in code {
            for above in &LAYERS[level + 1..] {
                let named = ["::", ";", "}", ","]
                    .iter()
                    .any(|end| line.contains(&format!("crate::{above}{end}")));
                if named {
                    offenders.push(format!("{} imports {above}: {line}", rel.display()));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}
