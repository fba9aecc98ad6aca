//! What a frame is drawn with beyond the state: the keymap (help and the
//! hints name its keys), the theme's colours (none with `NO_COLOR`) and
//! the terminal's picture protocol. The reader builds one [`Look`] from
//! the config at start and passes it to every [`super::render`]; a test
//! passes its own, so a custom keymap or `NO_COLOR` is drawn in process.
//! It is in force for the one frame being drawn (a thread-local set and
//! restored around it), so the drawing code reads it without threading
//! it through every widget.

use super::Palette;
use crate::app::keys::Keymap;
use ratatui_image::picker::Picker;
use std::cell::RefCell;
use std::sync::Arc;

/// The keymap, colours and picture protocol a frame is drawn with.
#[derive(Clone)]
pub struct Look {
    pub(super) keymap: Arc<Keymap>,
    pub(super) palette: Palette,
    /// A graphics protocol (kitty, sixel, iTerm2); `None`: half blocks.
    pub(super) picker: Option<Arc<Picker>>,
    /// The widest an abstract or a full text is wrapped (`text_width`).
    pub(super) text_width: u16,
}

/// `text_width` when the config says nothing: a comfortable measure.
pub const TEXT_WIDTH: u16 = 100;

impl Look {
    /// The keymap and `[theme]` of the config; `no_color` draws no colour.
    pub fn new(
        keymap: Keymap,
        theme: &std::collections::BTreeMap<String, String>,
        no_color: bool,
    ) -> Look {
        Look {
            keymap: Arc::new(keymap),
            palette: super::palette(theme, no_color),
            picker: None,
            text_width: TEXT_WIDTH,
        }
    }

    /// Abstracts and full texts wrapped at most this wide (at least 20).
    #[must_use]
    pub fn with_text_width(mut self, width: u16) -> Look {
        self.text_width = width.max(20);
        self
    }

    /// Pictures drawn with this protocol (see [`super::picture::detect`]).
    #[must_use]
    pub fn with_picker(mut self, picker: Option<Picker>) -> Look {
        self.picker = picker.map(Arc::new);
        self
    }
}

impl Default for Look {
    /// The default config's keymap and theme, in colour, half blocks.
    fn default() -> Look {
        let config = crate::platform::config::Config::default();
        Look::new(config.keymap, &config.theme, false)
    }
}

thread_local! {
    static IN_FORCE: RefCell<Option<Look>> = const { RefCell::new(None) };
    /// The look outside a frame, built once (it reads the default config).
    static DEFAULT: Look = Look::default();
}

/// Runs `draw` with `look` in force, then restores what was.
pub(super) fn drawing<T>(look: &Look, draw: impl FnOnce() -> T) -> T {
    let before = IN_FORCE.with(|l| l.replace(Some(look.clone())));
    let out = draw();
    IN_FORCE.with(|l| *l.borrow_mut() = before);
    out
}

/// Reads the look in force (the default outside a frame).
pub(super) fn in_force<T>(read: impl FnOnce(&Look) -> T) -> T {
    IN_FORCE.with(|l| match &*l.borrow() {
        Some(look) => read(look),
        None => DEFAULT.with(|d| read(d)),
    })
}
