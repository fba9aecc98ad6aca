//! Copying to the clipboard with OSC 52: the terminal sets its clipboard
//! from an escape sequence, which also works over SSH and inside tmux
//! (with `set -g set-clipboard on`). Nothing to install, no X11 needed.

use base64::Engine;
use std::io::Write;

/// Writes the OSC 52 sequence for `text` to the terminal.
pub fn copy(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout();
    out.write_all(osc52(text).as_bytes())?;
    out.flush()
}

/// `ESC ] 52 ; c ; <base64> BEL`.
pub fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\u{1b}]52;c;{encoded}\u{7}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sequence_carries_the_text_in_base64() {
        assert_eq!(super::osc52("hi"), "\u{1b}]52;c;aGk=\u{7}");
    }
}
