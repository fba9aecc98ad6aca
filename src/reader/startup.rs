//! `--startuptime FILE`: where the time to the first frame goes, as vim's
//! flag of the same name reports it. Each phase is stamped when it ends;
//! the file is written once the first frame is on screen.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub struct StartupTimer {
    start: Instant,
    last: Instant,
    phases: Vec<(&'static str, String, Duration, Duration)>,
    file: Option<PathBuf>,
}

impl StartupTimer {
    /// `start` is taken as early as `main` can take it.
    pub fn new(start: Instant, file: Option<PathBuf>) -> StartupTimer {
        StartupTimer {
            start,
            last: start,
            phases: Vec::new(),
            file,
        }
    }

    /// Ends a phase; `detail` adds context such as a count.
    pub fn mark(&mut self, phase: &'static str, detail: impl Into<String>) {
        let now = Instant::now();
        self.phases
            .push((phase, detail.into(), now - self.start, now - self.last));
        self.last = now;
    }

    /// Writes the report, if one was asked for. Called once.
    pub fn write(&mut self) -> std::io::Result<()> {
        let Some(path) = self.file.take() else {
            return Ok(());
        };
        let mut out = std::fs::File::create(&path)?;
        writeln!(
            out,
            "hfpapers {} startup times in msec",
            env!("CARGO_PKG_VERSION")
        )?;
        writeln!(out, "   clock    self  phase")?;
        for (phase, detail, clock, own) in &self.phases {
            let detail = if detail.is_empty() {
                String::new()
            } else {
                format!(" ({detail})")
            };
            writeln!(
                out,
                "{:8.3} {:7.3}  {phase}{detail}",
                clock.as_secs_f64() * 1e3,
                own.as_secs_f64() * 1e3
            )?;
        }
        Ok(())
    }
}
