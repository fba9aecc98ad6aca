//! `hfpapers man`: the manual page, or every page into a folder.

use std::io::Write;
use std::path::Path;

/// `hfpapers man`: the main page on stdout, or with `--dir` every page
/// (hfpapers.1 and hfpapers-SUBCOMMAND.1, which the main page refers to).
pub(crate) fn run(dir: Option<&Path>, out: &mut impl Write) -> anyhow::Result<()> {
    let mut cmd = <crate::cli::args::Cli as clap::CommandFactory>::command();
    // Built, so the pages include clap's own `help` subcommand too.
    cmd.build();
    let Some(dir) = dir else {
        clap_mangen::Man::new(cmd).render(out)?;
        return Ok(());
    };
    std::fs::create_dir_all(dir)?;
    let page = |name: &str, cmd: clap::Command| -> anyhow::Result<()> {
        let mut roff = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut roff)?;
        crate::store::files::write_atomic_mode(&dir.join(format!("{name}.1")), &roff, 0o644)?;
        Ok(())
    };
    page("hfpapers", cmd.clone())?;
    for sub in cmd.get_subcommands() {
        let name = format!("hfpapers-{}", sub.get_name());
        page(&name, sub.clone().display_name(name.clone()))?;
    }
    writeln!(out, "wrote the manual pages to {}", dir.display())?;
    Ok(())
}
