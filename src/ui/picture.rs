//! The paper's thumbnail in the paper view, drawn with ratatui-image:
//! the terminal's graphics protocol (kitty, sixel, iTerm2) when `images =
//! "auto"` and the terminal says it has one, Unicode half blocks otherwise
//! (tmux included: asking through it would change the user's tmux
//! settings). Decoded and scaled once per paper and size, not every frame.

use crate::domain::model::PaperId;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use ratatui_image::protocol::halfblocks::Halfblocks;
use std::cell::RefCell;

/// How long the terminal is given to say what it can draw.
const QUERY_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(250);

/// Asks the terminal for a graphics protocol (after entering the
/// alternate screen, before reading events), when its environment says it
/// is one that has some; `halfblocks`, tmux and other terminals skip the
/// question. A terminal that never answers would leave ratatui-image's
/// reader thread waiting on stdin, eating the first keys: so only
/// terminals known to answer are asked. Returns the protocol found (for
/// [`super::look::Look::with_picker`]; `None`: half blocks) and its name.
pub fn detect(ask_terminal: bool) -> (Option<Picker>, &'static str) {
    let in_tmux = std::env::var_os("TMUX").is_some();
    if ask_terminal && !in_tmux && graphics_hint() {
        let mut options = ratatui_image::picker::cap_parser::QueryStdioOptions::default();
        options.timeout = QUERY_TIMEOUT;
        if let Ok(picker) = Picker::from_query_stdio_with_options(options)
            && picker.protocol_type() != ProtocolType::Halfblocks
        {
            let name = match picker.protocol_type() {
                ProtocolType::Kitty => "kitty",
                ProtocolType::Sixel => "sixel",
                ProtocolType::Iterm2 => "iTerm2",
                ProtocolType::Halfblocks => "half blocks",
            };
            return (Some(picker), name);
        }
    }
    (None, "half blocks")
}

/// Whether the environment names a terminal with a graphics protocol
/// (kitty, wezterm, ghostty, iterm2, foot, konsole, mlterm, contour).
fn graphics_hint() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let term = std::env::var("TERM").unwrap_or_default();
    let program = std::env::var("TERM_PROGRAM").unwrap_or_default();
    [
        "KITTY_WINDOW_ID",
        "WEZTERM_EXECUTABLE",
        "GHOSTTY_RESOURCES_DIR",
        "ITERM_SESSION_ID",
        "KONSOLE_VERSION",
    ]
    .iter()
    .any(|v| set(v))
        || ["kitty", "wezterm", "ghostty", "foot", "mlterm", "contour"]
            .iter()
            .any(|t| term.contains(t))
        || ["iTerm.app", "WezTerm", "ghostty"].contains(&program.as_str())
}

/// What was drawn last: for which paper, at which size.
type Drawn = Option<(PaperId, Rect, Protocol)>;

thread_local! {
    static DRAWN: RefCell<Drawn> = const { RefCell::new(None) };
}

/// How many rows the picture takes at `width` columns, at most `max_rows`;
/// `None` when the bytes are no image.
pub fn size(image: &[u8], width: u16, max_rows: u16) -> Option<Rect> {
    let (w, h) = image::ImageReader::new(std::io::Cursor::new(image))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()?;
    // The picture is drawn from its decoded pixels: one too large to
    // decode on the screen's thread is not drawn (pictures are fitted
    // when fetched; this guards whatever else reaches the screen).
    if w == 0 || h == 0 || w > 1024 || h > 1024 {
        return None;
    }
    // A half block is about square: one column, half a row.
    let mut cols = u32::from(width);
    let mut rows = (cols * h).div_ceil(w * 2);
    if rows > u32::from(max_rows) {
        rows = u32::from(max_rows);
        cols = (rows * 2 * w / h).max(1);
    }
    Some(Rect::new(
        0,
        0,
        cols.min(u32::from(width)) as u16,
        rows.max(1) as u16,
    ))
}

/// Draws the picture in `area` (already sized by [`size`]).
pub fn render(frame: &mut Frame, area: Rect, id: &PaperId, image: &[u8]) {
    DRAWN.with(|cell| {
        let mut drawn = cell.borrow_mut();
        let fresh = !matches!(drawn.as_ref(), Some((i, a, _)) if i == id && *a == area);
        if fresh {
            *drawn = protocol(image, area).map(|p| (id.clone(), area, p));
        }
        if let Some((_, _, p)) = drawn.as_ref() {
            frame.render_widget(ratatui_image::Image::new(p), area);
        }
    });
}

fn protocol(bytes: &[u8], area: Rect) -> Option<Protocol> {
    let decoded = image::load_from_memory(bytes).ok()?;
    let size = Rect::new(0, 0, area.width, area.height);
    match super::look::in_force(|l| l.picker.clone()) {
        Some(picker) => picker
            .new_protocol(decoded, size, ratatui_image::Resize::Fit(None))
            .ok(),
        None => Halfblocks::new(decoded, size)
            .ok()
            .map(Protocol::Halfblocks),
    }
}
