//! Keys to actions: one table that both dispatch and the help overlay read,
//! so help can never drift from what the keys do.

use crate::app::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One line of help: the keys that trigger an action and what it does.
pub struct Binding {
    pub keys: &'static [KeyCode],
    pub action: Action,
    pub help: &'static str,
}

/// Every binding, in the order help shows them.
pub fn bindings() -> Vec<Binding> {
    use KeyCode::*;
    let b = |keys, action, help| Binding { keys, action, help };
    vec![
        b(
            &[Char('j'), Down],
            Action::MoveDown,
            "next paper / scroll down",
        ),
        b(
            &[Char('k'), Up],
            Action::MoveUp,
            "previous paper / scroll up",
        ),
        b(&[Char('g'), Home], Action::SelectFirst, "first paper / top"),
        b(&[Char('G'), End], Action::SelectLast, "last paper / bottom"),
        b(&[PageDown, Char(' ')], Action::PageDown, "page down"),
        b(&[PageUp], Action::PageUp, "page up"),
        b(
            &[Enter, Char('l'), Right],
            Action::OpenDetail,
            "open the paper (marks it read)",
        ),
        b(&[Esc, Char('h'), Left], Action::Back, "back to the list"),
        b(&[Char('[')], Action::PrevDay, "previous day with papers"),
        b(&[Char(']')], Action::NextDay, "next day with papers"),
        b(&[Char('s')], Action::ToggleStar, "star / unstar"),
        b(&[Char('r')], Action::ToggleRead, "mark read / unread"),
        b(
            &[Char('o')],
            Action::OpenInBrowser,
            "open the paper's page in the browser",
        ),
        b(
            &[Char('c')],
            Action::OpenCalendar,
            "calendar: fetched days and unread counts",
        ),
        b(
            &[Char('/')],
            Action::OpenFilter,
            "filter the list (Enter keeps, Esc clears)",
        ),
        b(
            &[Char('v')],
            Action::ToggleSidebar,
            "views: latest day, unread, starred, tags, saved",
        ),
        b(&[Char('S')], Action::CycleSort, "cycle the sort"),
        b(
            &[Char('t')],
            Action::EditTags,
            "edit the paper's tags (Tab completes)",
        ),
        b(
            &[Char('R')],
            Action::MarkAllRead,
            "mark everything in the list read (asks)",
        ),
        b(
            &[Char('u')],
            Action::Undo,
            "undo the last change (repeatable)",
        ),
        b(
            &[Char('F')],
            Action::FindOnline,
            "find papers on Hugging Face",
        ),
        b(&[Char('?')], Action::ToggleHelp, "this help"),
        b(&[Char('q')], Action::Quit, "quit (Ctrl-C too)"),
    ]
}

/// The action for a key press, if any. Ctrl-C always quits: raw mode
/// turns it into a key instead of a signal.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return (key.code == KeyCode::Char('c')).then_some(Action::Quit);
    }
    bindings()
        .into_iter()
        .find(|b| b.keys.contains(&key.code))
        .map(|b| b.action)
}

/// A key typed into an open prompt.
pub fn input_for(key: KeyEvent) -> Option<crate::app::InputKey> {
    use crate::app::InputKey;
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

/// How a key is written in help: `j`, `↓`, `Enter`, `PgDn`.
pub fn key_label(code: &KeyCode) -> String {
    match code {
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Down => "↓".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn vim_keys_and_arrows_do_the_same_thing() {
        assert_eq!(
            action_for(press(KeyCode::Char('j'))),
            Some(Action::MoveDown)
        );
        assert_eq!(action_for(press(KeyCode::Down)), Some(Action::MoveDown));
        assert_eq!(
            action_for(press(KeyCode::Char('G'))),
            Some(Action::SelectLast)
        );
        assert_eq!(action_for(press(KeyCode::Char('x'))), None);
    }

    #[test]
    fn ctrl_c_quits_and_other_ctrl_keys_do_nothing() {
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        assert_eq!(action_for(ctrl('c')), Some(Action::Quit));
        assert_eq!(action_for(ctrl('j')), None);
    }

    #[test]
    fn every_key_action_has_a_binding() {
        let bound: Vec<Action> = bindings().into_iter().map(|b| b.action).collect();
        for action in [
            Action::MoveDown,
            Action::MoveUp,
            Action::SelectFirst,
            Action::SelectLast,
            Action::PageDown,
            Action::PageUp,
            Action::OpenDetail,
            Action::Back,
            Action::PrevDay,
            Action::NextDay,
            Action::ToggleStar,
            Action::ToggleRead,
            Action::OpenInBrowser,
            Action::ToggleHelp,
            Action::OpenCalendar,
            Action::OpenFilter,
            Action::ToggleSidebar,
            Action::CycleSort,
            Action::EditTags,
            Action::MarkAllRead,
            Action::Undo,
            Action::FindOnline,
            Action::Quit,
        ] {
            assert!(bound.contains(&action), "{action:?} has no key");
        }
    }

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = std::collections::HashSet::new();
        for b in bindings() {
            for k in b.keys {
                assert!(seen.insert(*k), "{k:?} bound twice");
            }
        }
    }
}
