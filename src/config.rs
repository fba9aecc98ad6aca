//! The config file: `config.toml` in the platform config dir
//! (`~/.config/hfpapers/config.toml` on Linux), or `--config FILE` /
//! `HFPAPERS_CONFIG`. Read once, before the terminal is taken over, so a
//! mistake is reported plainly with the file and what is wrong.
//!
//! ```toml
//! [views]
//! "with code" = "has:code is:unread"
//! "rl this month" = "tag:rl date:30d"
//! ```

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Saved queries shown in the views sidebar, by name.
    #[serde(default)]
    pub views: BTreeMap<String, String>,
}

/// Where the config file is looked for when no flag names one.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "hfpapers").map(|d| d.config_dir().join("config.toml"))
}

/// Loads the config: `path` when given (it must exist), else the default
/// file when it exists, else the defaults.
pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
    let (path, required) = match path {
        Some(p) => (p.to_path_buf(), true),
        None => match default_path() {
            Some(p) => (p, false),
            None => return Ok(Config::default()),
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(Config::default());
        }
        Err(e) => anyhow::bail!("cannot read the config file {}: {e}", path.display()),
    };
    let config: Config = toml::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "config file {}: {}",
            path.display(),
            crate::text::one_line(&e.to_string())
        )
    })?;
    for (name, query) in &config.views {
        if let Err(e) = crate::query::parse(query) {
            anyhow::bail!("config file {}: view {name:?}: {e}", path.display());
        }
    }
    Ok(config)
}
