//! Terminal keys to the app's [`Key`]s, and the keymap in force (the
//! frame's [`super::look::Look`]) that help and the hints list.

use crate::app::Command;
use crate::app::keys::{Code, Key, Keymap, Mode};
use crate::app::{InputKey, Screen};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

/// The keymap the frame being drawn is drawn with.
pub fn live() -> Arc<Keymap> {
    super::look::in_force(|l| l.keymap.clone())
}

/// A footer hint from the live keymap: `"Esc back"`; nothing when the
/// action has no key.
pub fn hint(mode: Mode, action: Command, what: &str) -> Option<String> {
    live().key_for(mode, action).map(|k| format!("{k} {what}"))
}

/// Hints joined for a title or legend.
pub fn hints(mode: Mode, items: &[(Command, &str)]) -> String {
    items
        .iter()
        .filter_map(|(a, w)| hint(mode, *a, w))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The keymap mode of a screen.
pub fn mode(screen: Screen) -> Mode {
    match screen {
        Screen::List => Mode::List,
        Screen::Detail => Mode::Detail,
        Screen::Calendar => Mode::Calendar,
    }
}

/// A terminal key as the keymap writes it; `None` for keys it cannot bind.
pub fn to_key(key: KeyEvent) -> Option<Key> {
    let code = match key.code {
        KeyCode::Char(c) => Code::Char(c),
        KeyCode::Enter => Code::Enter,
        KeyCode::Esc => Code::Esc,
        KeyCode::Tab => Code::Tab,
        KeyCode::Backspace => Code::Backspace,
        KeyCode::Up => Code::Up,
        KeyCode::Down => Code::Down,
        KeyCode::Left => Code::Left,
        KeyCode::Right => Code::Right,
        KeyCode::Home => Code::Home,
        KeyCode::End => Code::End,
        KeyCode::PageUp => Code::PageUp,
        KeyCode::PageDown => Code::PageDown,
        _ => return None,
    };
    Some(Key {
        code,
        ctrl: key.modifiers.contains(KeyModifiers::CONTROL),
    })
}

/// A key typed into an open prompt.
pub fn input_for(key: KeyEvent) -> Option<InputKey> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        // Ctrl-C leaves the prompt like Esc; other control keys do nothing.
        return (key.code == KeyCode::Char('c')).then_some(InputKey::Esc);
    }
    match key.code {
        KeyCode::Char(c) => Some(InputKey::Char(c)),
        KeyCode::Backspace => Some(InputKey::Backspace),
        KeyCode::Tab => Some(InputKey::Tab),
        KeyCode::Enter => Some(InputKey::Enter),
        KeyCode::Esc => Some(InputKey::Esc),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keys::Lookup;

    fn press(code: KeyCode) -> Key {
        to_key(KeyEvent::new(code, KeyModifiers::NONE)).unwrap()
    }

    #[test]
    fn vim_keys_and_arrows_do_the_same_thing_by_default() {
        let km = live();
        assert_eq!(
            km.lookup(Mode::List, &[press(KeyCode::Char('j'))]),
            Lookup::Command(Command::MoveDown)
        );
        assert_eq!(
            km.lookup(Mode::List, &[press(KeyCode::Down)]),
            Lookup::Command(Command::MoveDown)
        );
        assert_eq!(
            km.lookup(Mode::List, &[press(KeyCode::Char('G'))]),
            Lookup::Command(Command::SelectLast)
        );
        assert_eq!(
            km.lookup(Mode::List, &[press(KeyCode::Char('x'))]),
            Lookup::Unbound
        );
    }

    #[test]
    fn ctrl_c_quits_and_other_ctrl_keys_do_nothing() {
        let ctrl = |c| to_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)).unwrap();
        assert_eq!(
            live().lookup(Mode::Detail, &[ctrl('c')]),
            Lookup::Command(Command::Quit)
        );
        assert_eq!(live().lookup(Mode::Detail, &[ctrl('j')]), Lookup::Unbound);
    }
}
