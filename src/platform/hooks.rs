//! Hooks into the rest of the toolbox, from the config file: a command run
//! when a sync brings a new digest (`notify_command`), and one that takes
//! the selected paper on its standard input (`pipe`, key `|`), as newsboat's
//! `pipe-to` does. Both are an argv list run directly, never through a
//! shell, and waited for at most [`HOOK_WAIT`].

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest a hook is waited for; past it, it is killed.
pub const HOOK_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("no command is set")]
    Unset,
    #[error("could not start {program:?}: {source}")]
    Start {
        program: String,
        source: std::io::Error,
    },
    #[error("{program:?} did not finish within {} s and was stopped", HOOK_WAIT.as_secs())]
    TooSlow { program: String },
    #[error("{program:?} exited with {status}")]
    Failed {
        program: String,
        status: std::process::ExitStatus,
    },
}

/// Runs `argv` with `{name}` placeholders replaced, feeding `input` on its
/// standard input, and waits for it (at most [`HOOK_WAIT`]).
pub fn run(argv: &[String], vars: &[(&str, &str)], input: &[u8]) -> Result<(), HookError> {
    let Some((program, rest)) = argv.split_first() else {
        return Err(HookError::Unset);
    };
    let fill = |s: &str| {
        vars.iter()
            .fold(s.to_string(), |s, (k, v)| s.replace(&format!("{{{k}}}"), v))
    };
    let mut child = Command::new(program)
        .args(rest.iter().map(|a| fill(a)))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|source| HookError::Start {
            program: program.clone(),
            source,
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        // A program that does not read its input closes the pipe: fine.
        let _ = stdin.write_all(input);
    }
    let deadline = Instant::now() + HOOK_WAIT;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => {
                return Err(HookError::Failed {
                    program: program.clone(),
                    status,
                });
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(HookError::TooSlow {
                    program: program.clone(),
                });
            }
        }
    }
}

/// `notify_command` after a sync that brought `count` new papers on the
/// latest digest `date`.
pub fn notify(argv: &[String], date: &str, count: usize) -> Result<(), HookError> {
    run(argv, &[("date", date), ("count", &count.to_string())], &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hook_gets_its_placeholders_filled_and_its_input_without_a_shell() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let script = format!(
            "cat > {}; echo \"$0 $1\" >> {}",
            out.display(),
            out.display()
        );
        // `sh -c` here is the test's own program; hfpapers itself starts
        // the argv as given, so `{date}` cannot inject shell syntax.
        let argv: Vec<String> = ["sh", "-c", &script, "{date}", "{count}"]
            .iter()
            .map(|s| (*s).to_string())
            .collect();
        run(&argv, &[("date", "2025-09-10"), ("count", "3")], b"paper\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "paper\n2025-09-10 3\n"
        );
    }

    #[test]
    fn a_missing_program_a_failure_and_an_unset_hook_say_so() {
        assert!(matches!(run(&[], &[], b""), Err(HookError::Unset)));
        let missing = vec!["/nonexistent/hfpapers-hook".to_string()];
        assert!(matches!(
            run(&missing, &[], b""),
            Err(HookError::Start { .. })
        ));
        let fails = vec!["false".to_string()];
        assert!(matches!(
            run(&fails, &[], b""),
            Err(HookError::Failed { .. })
        ));
    }
}
