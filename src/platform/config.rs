//! The config file: `config.toml` in the platform config dir
//! (`~/.config/hfpapers/config.toml` on Linux), or `--config FILE` /
//! `HFPAPERS_CONFIG`. The documented defaults are embedded from
//! `assets/config.toml`; the user's file patches them key by key. Read
//! once, before the terminal is taken over, so a mistake is reported
//! plainly with the file, the line and the bad name.

use crate::app::Command;
use crate::app::keys::{self, Keymap, Mode};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The documented default file.
pub const DEFAULT: &str = include_str!("../../assets/config.toml");

/// A colour as the config names it; resolved by the UI.
pub type ColourName = String;

#[derive(Debug, Clone)]
pub struct Config {
    pub mouse: bool,
    /// `o` marks the paper read as well.
    pub mark_read_on_open: bool,
    /// `-` moves on to the next unread paper.
    pub less_moves_on: bool,
    /// The widest an abstract or full text is wrapped, in columns.
    pub text_width: u16,
    /// Run when a sync brings a new digest (argv; `{date}`, `{count}`).
    pub notify_command: Vec<String>,
    /// `|` sends the selected paper to this program's standard input.
    pub pipe: Vec<String>,
    /// What `|` sends: `json` or `bibtex`.
    pub pipe_format: String,
    /// A folder shared with other machines: state is exchanged through it
    /// on start and on quit (see `hfpapers sync-state`).
    pub sync_dir: Option<PathBuf>,
    /// Saved views, by name: (name, query).
    pub views: Vec<(String, String)>,
    /// Theme colours by role (accent, heading, tag, error, matched).
    pub theme: BTreeMap<String, ColourName>,
    pub keymap: Keymap,
    /// For you: features never counted (`[foryou] mute`).
    pub foryou_mute: Vec<crate::domain::taste::Feature>,
    /// Thumbnails in the paper view: `auto` (the terminal's graphics
    /// protocol when it has one, else half blocks), `halfblocks` or `off`.
    pub images: Images,
    /// Whose full texts a sync fetches and keeps.
    pub fulltext: crate::domain::model::TextPolicy,
    /// The most of one paper's text kept, and of all texts (bytes).
    pub fulltext_max_bytes: usize,
    pub fulltext_total_bytes: u64,
    /// Queries whose papers are flagged `!` (`[follow] queries`).
    pub follow: Vec<String>,
    /// Queries whose papers only All shows (`[mute] queries`).
    pub mute: Vec<String>,
    /// The file this came from (or would: the default place), where `x`
    /// writes a mute.
    pub path: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    mouse: Option<bool>,
    mark_read_on_open: Option<bool>,
    less_moves_on: Option<bool>,
    text_width: Option<u16>,
    notify_command: Option<Vec<String>>,
    pipe: Option<Vec<String>>,
    pipe_format: Option<Spanned<String>>,
    sync_dir: Option<PathBuf>,
    #[serde(default)]
    views: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    theme: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    keymap: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<String>>>,
    foryou: Option<RawForYou>,
    fulltext: Option<Spanned<String>>,
    images: Option<Spanned<String>>,
    fulltext_max_kb: Option<Spanned<u64>>,
    fulltext_total_mb: Option<Spanned<u64>>,
    follow: Option<RawQueries>,
    mute: Option<RawQueries>,
}

/// How the paper view draws thumbnails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Images {
    #[default]
    Auto,
    Halfblocks,
    Off,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQueries {
    #[serde(default)]
    queries: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForYou {
    #[serde(default)]
    mute: Vec<Spanned<String>>,
}

pub const THEME_ROLES: [&str; 5] = ["accent", "heading", "tag", "error", "matched"];

/// Where the config file is looked for when no flag names one.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "hfpapers").map(|d| d.config_dir().join("config.toml"))
}

impl Default for Config {
    fn default() -> Self {
        let mut config = Config {
            mouse: true,
            mark_read_on_open: true,
            less_moves_on: true,
            text_width: 100,
            notify_command: Vec::new(),
            pipe: Vec::new(),
            pipe_format: "json".into(),
            sync_dir: None,
            views: Vec::new(),
            theme: BTreeMap::new(),
            keymap: Keymap::default(),
            foryou_mute: Vec::new(),
            images: Images::Auto,
            fulltext: crate::domain::model::TextPolicy::Starred,
            fulltext_max_bytes: 2048 * 1024,
            fulltext_total_bytes: 1024 * 1024 * 1024,
            follow: Vec::new(),
            mute: Vec::new(),
            path: None,
        };
        // The embedded defaults are part of the build; a test loads them.
        if let Err(e) = config.patch(DEFAULT, Path::new("(defaults)")) {
            tracing::error!(error = %e, "the embedded default config does not load");
        }
        config
    }
}

/// What is wrong with a config file: its path, the line, and the setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(String);

/// Adds a For you mute (`kind:name`) to the config file at `path` (see
/// [`edit_list`]).
pub fn add_mute(path: &Path, name: &str) -> Result<(), ConfigError> {
    crate::domain::taste::parse_feature(name)
        .map_err(|e| ConfigError(format!("config file {}: {e}", path.display())))?;
    edit_list(path, ("foryou", "mute"), name, true).map(|_| ())
}

/// Adds `value` to (or, with `add` false, removes it from) the list
/// `[table] key` of the config file at `path` (made if missing), keeping
/// every comment and key as it was; the result must still load. Written
/// whole to a temporary file, then renamed. Returns whether it changed.
pub fn edit_list(
    path: &Path,
    (table, key): (&str, &str),
    value: &str,
    add: bool,
) -> Result<bool, ConfigError> {
    let fail = |e: String| ConfigError(format!("config file {}: {e}", path.display()));
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(fail(e.to_string())),
    };
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| fail(e.to_string()))?;
    let list = doc
        .entry(table)
        .or_insert(toml_edit::table())
        .as_table_mut()
        .ok_or_else(|| fail(format!("{table} is not a table")))?
        .entry(key)
        .or_insert(toml_edit::value(toml_edit::Array::new()))
        .as_array_mut()
        .ok_or_else(|| fail(format!("{table}.{key} is not a list")))?;
    let at = list.iter().position(|v| v.as_str() == Some(value));
    match (at, add) {
        (None, true) => list.push(value),
        (Some(i), false) => {
            list.remove(i);
            // Without it the next item keeps the removed one's spacing.
            list.fmt();
        }
        _ => return Ok(false),
    }
    let text = doc.to_string();
    from_text(&text, path)?;
    write_config(path, &text).map_err(fail)?;
    Ok(true)
}

/// Replaces the config file's text as the user keeps it: through a
/// symbolic link to its target (a dotfiles repository keeps the link), with
/// its permission bits, and never over a file the user made read-only.
fn write_config(path: &Path, text: &str) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let target = match std::fs::canonicalize(path) {
        Ok(target) => target,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e.to_string()),
    };
    let mode = match std::fs::metadata(&target) {
        Ok(meta) => meta.permissions().mode() & 0o7777,
        Err(_) => 0o644,
    };
    if target.exists() && mode & 0o222 == 0 {
        return Err(format!(
            "{} is read-only; nothing was changed (make it writable, or edit it by hand)",
            target.display()
        ));
    }
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    crate::store::files::write_atomic_mode(&target, text.as_bytes(), mode)
        .map_err(|e| e.to_string())
}

/// The defaults patched by a config file's text; `path` names it in errors.
pub fn from_text(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let mut c = Config::default();
    c.patch(text, path).map(|()| c).map_err(ConfigError)
}

/// Loads the config: the defaults, patched by `path` when given (it must
/// exist) or by the default file when it exists.
pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
    let mut config = Config::default();
    let (path, required) = match path {
        Some(p) => (p.to_path_buf(), true),
        None => match default_path() {
            Some(p) => (p, false),
            None => return Ok(config),
        },
    };
    config.path = Some(path.clone());
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(config),
        Err(e) => {
            return Err(ConfigError(format!(
                "cannot read the config file {}: {e}",
                path.display()
            )));
        }
    };
    config.patch(&text, &path).map_err(ConfigError)?;
    Ok(config)
}

impl Config {
    /// The follows and mutes, parsed (each was checked as it loaded).
    pub fn interests(&self) -> crate::domain::interests::Interests {
        let mut interests =
            crate::domain::interests::Interests::new(self.follow.clone(), self.mute.clone())
                .unwrap_or_default();
        interests.foryou_mute.clone_from(&self.foryou_mute);
        interests
    }

    /// Applies a config text on top of what is there.
    fn patch(&mut self, text: &str, path: &Path) -> Result<(), String> {
        let file = File { text, path };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let msg = crate::domain::text::one_line(e.message());
            match e.span() {
                Some(span) => file.at(span, msg),
                None => format!("config file {}: {msg}", path.display()),
            }
        })?;
        if let Some(m) = raw.mouse {
            self.mouse = m;
        }
        if let Some(w) = raw.text_width {
            self.text_width = w.max(20);
        }
        if let Some(m) = raw.less_moves_on {
            self.less_moves_on = m;
        }
        if let Some(m) = raw.mark_read_on_open {
            self.mark_read_on_open = m;
        }
        if let Some(argv) = raw.notify_command {
            self.notify_command = argv;
        }
        if let Some(argv) = raw.pipe {
            self.pipe = argv;
        }
        if let Some(format) = raw.pipe_format {
            if !matches!(format.get_ref().as_str(), "json" | "bibtex") {
                return Err(file.at(
                    format.span(),
                    format!(
                        "pipe_format {:?} is not json or bibtex",
                        crate::domain::text::one_line(format.get_ref())
                    ),
                ));
            }
            self.pipe_format = format.into_inner();
        }
        if let Some(dir) = raw.sync_dir {
            self.sync_dir = Some(dir);
        }
        self.patch_views(&file, raw.views)?;
        self.patch_fulltext(
            &file,
            raw.fulltext,
            raw.fulltext_max_kb,
            raw.fulltext_total_mb,
        )?;
        self.patch_images(&file, raw.images)?;
        for m in raw.foryou.map(|f| f.mute).unwrap_or_default() {
            let feature = crate::domain::taste::parse_feature(m.get_ref())
                .map_err(|e| file.at(m.span(), format!("[foryou] mute: {e}")))?;
            if !self.foryou_mute.contains(&feature) {
                self.foryou_mute.push(feature);
            }
        }
        for (section, raw, list) in [
            ("follow", raw.follow, &mut self.follow),
            ("mute", raw.mute, &mut self.mute),
        ] {
            for q in raw.map(|r| r.queries).unwrap_or_default() {
                crate::domain::interests::Interests::new(vec![q.get_ref().clone()], Vec::new())
                    .map_err(|e| file.at(q.span(), format!("[{section}] queries: {e}")))?;
                if !list.contains(q.get_ref()) {
                    list.push(q.into_inner());
                }
            }
        }
        self.patch_theme(&file, raw.theme)?;
        self.patch_keymap(&file, raw.keymap)
    }

    fn patch_images(
        &mut self,
        file: &File<'_>,
        images: Option<Spanned<String>>,
    ) -> Result<(), String> {
        let Some(images) = images else {
            return Ok(());
        };
        self.images = match images.get_ref().as_str() {
            "auto" => Images::Auto,
            "halfblocks" => Images::Halfblocks,
            "off" => Images::Off,
            other => {
                return Err(file.at(
                    images.span(),
                    format!(
                        "images {:?} is not auto, halfblocks or off",
                        crate::domain::text::one_line(other)
                    ),
                ));
            }
        };
        Ok(())
    }

    fn patch_fulltext(
        &mut self,
        file: &File<'_>,
        policy: Option<Spanned<String>>,
        max_kb: Option<Spanned<u64>>,
        total_mb: Option<Spanned<u64>>,
    ) -> Result<(), String> {
        if let Some(p) = policy {
            self.fulltext =
                crate::domain::model::TextPolicy::parse(p.get_ref()).ok_or_else(|| {
                    file.at(
                        p.span(),
                        format!(
                            "fulltext {:?} is not starred, unread, day or none",
                            crate::domain::text::one_line(p.get_ref())
                        ),
                    )
                })?;
        }
        for (value, unit, what) in [
            (max_kb, 1024, "fulltext_max_kb"),
            (total_mb, 1024 * 1024, "fulltext_total_mb"),
        ] {
            if let Some(v) = value {
                let n = *v.get_ref();
                if !(1..=1 << 20).contains(&n) {
                    return Err(file.at(v.span(), format!("{what} must be between 1 and 1048576")));
                }
                if what == "fulltext_max_kb" {
                    self.fulltext_max_bytes = (n * unit) as usize;
                } else {
                    self.fulltext_total_bytes = n * unit;
                }
            }
        }
        Ok(())
    }

    fn patch_views(
        &mut self,
        file: &File<'_>,
        views: BTreeMap<String, Spanned<String>>,
    ) -> Result<(), String> {
        // Views named again replace the defaults; in one pass, so a file
        // with very many views loads in linear time.
        let renamed: std::collections::HashSet<&String> = views.keys().collect();
        self.views.retain(|(n, _)| !renamed.contains(n));
        for (name, query) in views {
            if let Err(e) = crate::domain::query::parse(query.get_ref()) {
                return Err(file.at(
                    query.span(),
                    format!("view {:?}: {e}", crate::domain::text::one_line(&name)),
                ));
            }
            self.views.push((name, query.into_inner()));
        }
        Ok(())
    }

    fn patch_theme(
        &mut self,
        file: &File<'_>,
        theme: BTreeMap<Spanned<String>, Spanned<String>>,
    ) -> Result<(), String> {
        for (role, colour) in theme {
            if !THEME_ROLES.contains(&role.get_ref().as_str()) {
                return Err(file.at(
                    role.span(),
                    format!(
                        "unknown theme colour {:?} (known: {})",
                        role.get_ref(),
                        THEME_ROLES.join(" ")
                    ),
                ));
            }
            if !valid_colour(colour.get_ref()) {
                return Err(file.at(
                    colour.span(),
                    format!(
                        "{:?} is not a colour name, #rrggbb or \"default\"",
                        colour.get_ref()
                    ),
                ));
            }
            self.theme.insert(role.into_inner(), colour.into_inner());
        }
        Ok(())
    }

    fn patch_keymap(
        &mut self,
        file: &File<'_>,
        keymap: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<String>>>,
    ) -> Result<(), String> {
        for (mode_name, table) in keymap {
            let Some((_, mode)) = Mode::ALL.iter().find(|(n, _)| n == mode_name.get_ref()) else {
                return Err(file.at(
                    mode_name.span(),
                    format!(
                        "unknown keymap mode {:?} (known: global list detail calendar)",
                        mode_name.get_ref()
                    ),
                ));
            };
            for (key, action) in table {
                let seq = keys::parse_seq(key.get_ref()).map_err(|e| file.at(key.span(), e))?;
                let command = match action.get_ref().as_str() {
                    "none" => None,
                    name => Some(Command::from_name(name).ok_or_else(|| {
                        file.at(
                            action.span(),
                            format!(
                                "unknown action {:?} (known: {} none)",
                                crate::domain::text::one_line(name),
                                Command::ALL
                                    .iter()
                                    .map(|c| c.name())
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            ),
                        )
                    })?),
                };
                self.keymap.bind(*mode, seq, command);
            }
        }
        Ok(())
    }
}

/// The config file being read, for errors that name its line.
struct File<'a> {
    text: &'a str,
    path: &'a Path,
}

impl File<'_> {
    fn at(&self, span: std::ops::Range<usize>, what: impl std::fmt::Display) -> String {
        let line = self.text[..span.start.min(self.text.len())]
            .matches('\n')
            .count()
            + 1;
        format!("config file {}, line {line}: {what}", self.path.display())
    }
}

/// Colour names the UI understands.
pub fn valid_colour(s: &str) -> bool {
    const NAMES: [&str; 17] = [
        "default",
        "black",
        "red",
        "green",
        "yellow",
        "blue",
        "magenta",
        "cyan",
        "gray",
        "darkgray",
        "lightred",
        "lightgreen",
        "lightyellow",
        "lightblue",
        "lightmagenta",
        "lightcyan",
        "white",
    ];
    NAMES.contains(&s.to_ascii_lowercase().as_str())
        || (s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keys::{Code, Key, Lookup};

    fn load_text(text: &str) -> Result<Config, String> {
        from_text(text, Path::new("test.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn the_defaults_bind_every_action() {
        let c = Config::default();
        // Each action has a key on the list or the paper screen.
        for &action in Command::ALL {
            assert!(
                [Mode::List, Mode::Detail].into_iter().any(|mode| c
                    .keymap
                    .help(mode)
                    .iter()
                    .any(|(_, h)| *h == action.help())),
                "{} has no default key",
                action.name()
            );
        }
    }

    #[test]
    fn none_in_a_mode_unbinds_the_key_there_whatever_the_global_table_says() {
        let c = load_text("[keymap.list]\n\"s\" = \"none\"\n").unwrap();
        let s = Key::plain(Code::Char('s'));
        assert_eq!(c.keymap.lookup(Mode::List, &[s]), Lookup::Unbound);
        assert_eq!(
            c.keymap.lookup(Mode::Detail, &[s]),
            Lookup::Command(Command::ToggleStar),
            "still bound on the paper screen"
        );
        assert!(
            !c.keymap
                .help(Mode::List)
                .iter()
                .any(|(_, what)| *what == Command::ToggleStar.help()),
            "help does not list it where it does nothing"
        );
    }

    #[test]
    fn g_waits_for_a_second_key_and_says_which_views_it_reaches() {
        let c = Config::default();
        let g = Key::plain(Code::Char('g'));
        assert_eq!(c.keymap.lookup(Mode::List, &[g]), Lookup::Pending);
        let next = c.keymap.continuations(Mode::List, &[g]);
        for (key, command) in [
            ("g", Command::SelectFirst),
            ("n", Command::GoNew),
            ("f", Command::GoForYou),
            ("s", Command::GoStarred),
            ("a", Command::GoAll),
            ("t", Command::GoTrending),
            ("w", Command::GoWatch),
        ] {
            assert!(
                next.contains(&(key.to_string(), command)),
                "{key}: {next:?}"
            );
        }
    }

    #[test]
    fn a_user_file_patches_keys_one_by_one() {
        let c = load_text("[keymap.list]\n\"x\" = \"toggle_star\"\n\"g g\" = \"select_first\"\n")
            .unwrap();
        let x = Key::plain(Code::Char('x'));
        assert_eq!(
            c.keymap.lookup(Mode::List, &[x]),
            Lookup::Command(Command::ToggleStar)
        );
        // Untouched defaults stay.
        assert_eq!(
            c.keymap.lookup(Mode::List, &[Key::plain(Code::Char('s'))]),
            Lookup::Command(Command::ToggleStar)
        );
        assert!(
            c.keymap
                .help(Mode::List)
                .iter()
                .any(|(k, h)| k.contains('x') && *h == "star / unstar")
        );
    }

    #[test]
    fn mistakes_name_the_file_the_line_and_the_bad_name() {
        let e = load_text("\n[keymap.list]\n\"x\" = \"toggle_stra\"\n").unwrap_err();
        assert!(
            e.starts_with("config file test.toml, line 3: unknown action \"toggle_stra\""),
            "{e}"
        );
        let e = load_text("[keymap.lsit]\n").unwrap_err();
        assert!(
            e.contains("line 1") && e.contains("unknown keymap mode \"lsit\""),
            "{e}"
        );
        let e = load_text("[keymap.list]\n\"hyper-x\" = \"quit\"\n").unwrap_err();
        assert!(e.contains("line 2") && e.contains("unknown key"), "{e}");
        let e = load_text("mouse = true\ncolour = 1\n").unwrap_err();
        assert!(e.contains("line 2") && e.contains("colour"), "{e}");
        let e = load_text("[theme]\naccent = \"chartreuse\"\n").unwrap_err();
        assert!(e.contains("line 2") && e.contains("chartreuse"), "{e}");
        let e = load_text("[views]\n\"bad\" = \"upvotes:>>\"\n").unwrap_err();
        assert!(
            e.contains("line 2") && e.contains("expected a number"),
            "{e}"
        );
    }
}

#[cfg(test)]
mod mute_tests {
    use super::*;

    #[test]
    fn a_mute_is_added_to_the_config_keeping_its_comments_once_and_only_if_it_names_a_feature() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("config.toml");
        // No file yet: it is made.
        add_mute(&path, "word:benchmark").unwrap();
        assert_eq!(
            load(Some(&path)).unwrap().foryou_mute,
            [(crate::domain::taste::Kind::Word, "benchmark".to_string())]
        );
        std::fs::write(
            &path,
            "# mine\nmouse = false # no mouse\n\n[foryou]\nmute = [\"word:benchmark\"]\n",
        )
        .unwrap();
        add_mute(&path, "author:zoe muller").unwrap();
        add_mute(&path, "author:zoe muller").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# mine\nmouse = false # no mouse\n"),
            "{text}"
        );
        assert_eq!(text.matches("author:zoe muller").count(), 1, "{text}");
        let config = load(Some(&path)).unwrap();
        assert_eq!(config.foryou_mute.len(), 2);
        assert!(!config.mouse);
        assert!(add_mute(&path, "colour:red").is_err());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "a refused mute changes nothing"
        );
    }

    #[test]
    fn follows_and_mutes_are_added_and_removed_as_queries_and_a_bad_one_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "# mine\n[views]\n\"x\" = \"is:unread\"\n").unwrap();
        assert!(edit_list(&path, ("follow", "queries"), "author:\"Albert Gu\"", true).unwrap());
        assert!(!edit_list(&path, ("follow", "queries"), "author:\"Albert Gu\"", true).unwrap());
        edit_list(&path, ("mute", "queries"), "org:meta", true).unwrap();
        let config = load(Some(&path)).unwrap();
        assert_eq!(config.follow, ["author:\"Albert Gu\""]);
        assert_eq!(config.mute, ["org:meta"]);
        assert_eq!(config.views, [("x".to_string(), "is:unread".to_string())]);
        assert!(edit_list(&path, ("follow", "queries"), "author:\"Albert Gu\"", false).unwrap());
        assert!(load(Some(&path)).unwrap().follow.is_empty());
        // A query that does not parse is refused and changes nothing.
        let before = std::fs::read_to_string(&path).unwrap();
        assert!(edit_list(&path, ("mute", "queries"), "upvotes:>>", true).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
        std::fs::write(&path, "[mute]\nqueries = [\"date:nonsense\"]\n").unwrap();
        let e = load(Some(&path)).unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("[mute] queries"), "{e}");
    }

    #[test]
    fn an_edit_writes_through_a_symlink_keeps_the_mode_and_refuses_a_read_only_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let dotfiles = dir.path().join("dotfiles");
        std::fs::create_dir(&dotfiles).unwrap();
        let real = dotfiles.join("hfpapers.toml");
        std::fs::write(&real, "# mine\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("config.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(edit_list(&link, ("follow", "queries"), "ssm", true).unwrap());
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "still a link"
        );
        let text = std::fs::read_to_string(&real).unwrap();
        assert!(text.contains("# mine") && text.contains("ssm"), "{text}");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o444)).unwrap();
        let err = edit_list(&link, ("follow", "queries"), "rl", true).unwrap_err();
        assert!(
            err.to_string().contains("read-only; nothing was changed"),
            "{err}"
        );
        assert!(!std::fs::read_to_string(&real).unwrap().contains("rl"));
        assert_eq!(
            std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o444
        );
    }
}
