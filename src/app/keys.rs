//! The keymap, free of terminal types: keys as the config file writes them
//! (`"s"`, `"G"`, `"ctrl-z"`, `"pgdn"`, `"g g"`) bound to [`Command`]s (whose
//! names, `toggle_star`, ..., are the config's vocabulary), in per-mode
//! tables with sequence lookup.
//!
//! Defaults come from `assets/config.toml`; the user's file patches them
//! key by key (see [`crate::platform::config`]). The UI turns terminal key events
//! into [`Key`]s; help lists the live tables, so a rebinding shows there.

use crate::app::Command;
use std::fmt;

/// One key press.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: Code,
    pub ctrl: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    Char(char),
    Enter,
    Esc,
    Tab,
    Backspace,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
}

const NAMES: [(&str, Code); 13] = [
    ("enter", Code::Enter),
    ("esc", Code::Esc),
    ("tab", Code::Tab),
    ("backspace", Code::Backspace),
    ("up", Code::Up),
    ("down", Code::Down),
    ("left", Code::Left),
    ("right", Code::Right),
    ("home", Code::Home),
    ("end", Code::End),
    ("pgup", Code::PageUp),
    ("pgdn", Code::PageDown),
    ("space", Code::Char(' ')),
];

impl Key {
    pub fn plain(code: Code) -> Key {
        Key { code, ctrl: false }
    }

    /// Parses one key: a single character, a name, or `ctrl-` plus either.
    pub fn parse(s: &str) -> Result<Key, KeyError> {
        let (ctrl, rest) = match s.strip_prefix("ctrl-") {
            Some(r) if !r.is_empty() => (true, r),
            _ => (false, s),
        };
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => Code::Char(c),
            _ => NAMES
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(rest))
                .map(|(_, c)| *c)
                .ok_or_else(|| KeyError::Unknown(s.to_string()))?,
        };
        Ok(Key { code, ctrl })
    }
}

/// What is wrong with a key in the config file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("unknown key {0:?}: use one character, ctrl-X, or one of {names}", names = key_names())]
    Unknown(String),
    #[error("a binding needs at least one key")]
    Empty,
}

fn key_names() -> String {
    NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(" ")
}

/// Parses a binding's keys: one key, or several separated by spaces.
pub fn parse_seq(s: &str) -> Result<Vec<Key>, KeyError> {
    if s == " " {
        return Ok(vec![Key::plain(Code::Char(' '))]);
    }
    let keys: Vec<Key> = s
        .split(' ')
        .filter(|k| !k.is_empty())
        .map(Key::parse)
        .collect::<Result<_, _>>()?;
    if keys.is_empty() {
        return Err(KeyError::Empty);
    }
    Ok(keys)
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        match self.code {
            Code::Char(' ') => f.write_str("Space"),
            Code::Char(c) => write!(f, "{c}"),
            Code::Enter => f.write_str("Enter"),
            Code::Esc => f.write_str("Esc"),
            Code::Tab => f.write_str("Tab"),
            Code::Backspace => f.write_str("Backspace"),
            Code::Up => f.write_str("↑"),
            Code::Down => f.write_str("↓"),
            Code::Left => f.write_str("←"),
            Code::Right => f.write_str("→"),
            Code::Home => f.write_str("Home"),
            Code::End => f.write_str("End"),
            Code::PageUp => f.write_str("PgUp"),
            Code::PageDown => f.write_str("PgDn"),
        }
    }
}

/// The screens a keymap table can apply to; `Global` applies everywhere
/// a mode's own table has no binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Global,
    List,
    Detail,
    Calendar,
}

impl Mode {
    pub const ALL: [(&'static str, Mode); 4] = [
        ("global", Mode::Global),
        ("list", Mode::List),
        ("detail", Mode::Detail),
        ("calendar", Mode::Calendar),
    ];
}

/// What a key press means so far.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Command(Command),
    /// The keys so far start a longer binding: wait for the next one.
    Pending,
    Unbound,
}

/// A key sequence and the command it triggers; `None` in a mode's table
/// unbinds the sequence there, whatever the global table says.
pub type Binding = (Vec<Key>, Option<Command>);

/// Per-mode tables of key sequences to actions.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    tables: Vec<(Mode, Vec<Binding>)>,
}

impl Keymap {
    /// Sets a binding, or (with `None`) unbinds the keys: from the global
    /// table, or in a mode, over what the global table says.
    pub fn bind(&mut self, mode: Mode, keys: Vec<Key>, action: Option<Command>) {
        let i = if let Some(i) = self.tables.iter().position(|(m, _)| *m == mode) {
            i
        } else {
            self.tables.push((mode, Vec::new()));
            self.tables.len() - 1
        };
        let table = &mut self.tables[i].1;
        table.retain(|(k, _)| *k != keys);
        if action.is_some() || mode != Mode::Global {
            table.push((keys, action));
        }
    }

    fn table(&self, mode: Mode) -> &[Binding] {
        self.tables
            .iter()
            .find(|(m, _)| *m == mode)
            .map_or(&[], |(_, t)| t.as_slice())
    }

    /// Looks up the keys typed so far in `mode`, then in the global table.
    pub fn lookup(&self, mode: Mode, keys: &[Key]) -> Lookup {
        for table in [self.table(mode), self.table(Mode::Global)] {
            if let Some((_, a)) = table.iter().find(|(k, _)| k == keys) {
                return a.map_or(Lookup::Unbound, Lookup::Command);
            }
            if table
                .iter()
                .any(|(k, a)| a.is_some() && k.len() > keys.len() && k.starts_with(keys))
            {
                return Lookup::Pending;
            }
        }
        Lookup::Unbound
    }

    /// What the keys typed so far wait for: each next key and the command
    /// it would run (`n New`), for the hint a pending prefix shows.
    pub fn continuations(&self, mode: Mode, keys: &[Key]) -> Vec<(String, Command)> {
        let mut out: Vec<(String, Command)> = Vec::new();
        for table in [self.table(mode), self.table(Mode::Global)] {
            for (k, a) in table {
                let Some(a) = a else { continue };
                if k.len() > keys.len()
                    && k.starts_with(keys)
                    && self.lookup(mode, k) == Lookup::Command(*a)
                {
                    let rest = k[keys.len()..]
                        .iter()
                        .map(std::string::ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" ");
                    if !out.iter().any(|(r, _)| *r == rest) {
                        out.push((rest, *a));
                    }
                }
            }
        }
        out
    }

    /// The first key sequence that reaches `action` in `mode`, for hints
    /// (`"Esc"`, `"g g"`); `None` when nothing does.
    pub fn key_for(&self, mode: Mode, action: Command) -> Option<String> {
        let label = |k: &[Key]| {
            k.iter()
                .map(std::string::ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mine = self
            .table(mode)
            .iter()
            .find(|(_, a)| *a == Some(action))
            .map(|(k, _)| label(k));
        mine.or_else(|| {
            self.table(Mode::Global)
                .iter()
                // Skip global keys the mode has rebound (or unbound).
                .find(|(k, a)| {
                    *a == Some(action) && !self.table(mode).iter().any(|(mk, _)| mk == k)
                })
                .map(|(k, _)| label(k))
        })
    }

    /// What help shows for a mode: each action with every key sequence
    /// that reaches it there, in the vocabulary's order.
    pub fn help(&self, mode: Mode) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        for &action in Command::ALL {
            let mut keys: Vec<String> = Vec::new();
            for table in [self.table(mode), self.table(Mode::Global)] {
                for (k, a) in table {
                    // Listed only if typing it there does it: a mode's
                    // binding hides a global one with the same keys, and a
                    // longer one (`g g`) makes its prefix (`g`) wait.
                    let Some(a) = a else { continue };
                    let reachable = self.lookup(mode, k) == Lookup::Command(*a);
                    let label = k
                        .iter()
                        .map(std::string::ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" ");
                    if *a == action && reachable && !keys.contains(&label) {
                        keys.push(label);
                    }
                }
            }
            if !keys.is_empty() {
                // `g g, Home`: commas when a binding is a sequence.
                let sep = if keys.iter().any(|k| k.contains(' ')) {
                    ", "
                } else {
                    " "
                };
                out.push((keys.join(sep), action.help()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_follow_rebindings() {
        let mut km = Keymap::default();
        km.bind(
            Mode::Global,
            parse_seq("s").unwrap(),
            Some(Command::ToggleStar),
        );
        assert_eq!(
            km.key_for(Mode::Detail, Command::ToggleStar).as_deref(),
            Some("s")
        );
        km.bind(
            Mode::Detail,
            parse_seq("x").unwrap(),
            Some(Command::ToggleStar),
        );
        assert_eq!(
            km.key_for(Mode::Detail, Command::ToggleStar).as_deref(),
            Some("x")
        );
        // A mode that rebinds the global key hides it.
        km.bind(Mode::List, parse_seq("s").unwrap(), Some(Command::Quit));
        assert_eq!(km.key_for(Mode::List, Command::ToggleStar), None);
    }

    #[test]
    fn help_lists_only_keys_that_work_and_separates_sequences() {
        let mut km = Keymap::default();
        km.bind(
            Mode::Global,
            parse_seq("g").unwrap(),
            Some(Command::SelectFirst),
        );
        km.bind(
            Mode::Global,
            parse_seq("home").unwrap(),
            Some(Command::SelectFirst),
        );
        km.bind(
            Mode::List,
            parse_seq("g g").unwrap(),
            Some(Command::SelectFirst),
        );
        let help = km.help(Mode::List);
        let (keys, _) = help
            .iter()
            .find(|(_, h)| *h == Command::SelectFirst.help())
            .unwrap();
        // `g` alone only waits for the second `g` in the list.
        assert_eq!(keys, "g g, Home");
        let help = km.help(Mode::Detail);
        let (keys, _) = help
            .iter()
            .find(|(_, h)| *h == Command::SelectFirst.help())
            .unwrap();
        assert_eq!(keys, "g Home");
    }

    #[test]
    fn keys_parse_from_characters_names_and_ctrl() {
        assert_eq!(Key::parse("s"), Ok(Key::plain(Code::Char('s'))));
        assert_eq!(Key::parse("G"), Ok(Key::plain(Code::Char('G'))));
        assert_eq!(Key::parse("pgdn"), Ok(Key::plain(Code::PageDown)));
        assert_eq!(
            Key::parse("ctrl-z"),
            Ok(Key {
                code: Code::Char('z'),
                ctrl: true
            })
        );
        assert_eq!(parse_seq("g g").unwrap().len(), 2);
        assert!(
            Key::parse("hyper-x")
                .unwrap_err()
                .to_string()
                .contains("unknown key")
        );
    }

    #[test]
    fn sequences_wait_for_their_next_key_and_modes_fall_back_to_global() {
        let mut km = Keymap::default();
        km.bind(
            Mode::Global,
            parse_seq("s").unwrap(),
            Some(Command::ToggleStar),
        );
        km.bind(
            Mode::List,
            parse_seq("g g").unwrap(),
            Some(Command::SelectFirst),
        );
        let g = Key::plain(Code::Char('g'));
        assert_eq!(km.lookup(Mode::List, &[g]), Lookup::Pending);
        assert_eq!(
            km.lookup(Mode::List, &[g, g]),
            Lookup::Command(Command::SelectFirst)
        );
        assert_eq!(
            km.lookup(Mode::List, &[Key::plain(Code::Char('s'))]),
            Lookup::Command(Command::ToggleStar)
        );
        assert_eq!(km.lookup(Mode::Detail, &[g]), Lookup::Unbound);
        km.bind(Mode::Global, parse_seq("s").unwrap(), None);
        assert_eq!(
            km.lookup(Mode::List, &[Key::plain(Code::Char('s'))]),
            Lookup::Unbound
        );
    }
}
