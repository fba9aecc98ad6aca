//! Taking over the terminal and always giving it back.
//!
//! `ratatui::try_init` enters raw mode and the alternate screen and chains
//! a restore into the panic hook; [`TerminalGuard`] restores again on drop,
//! so an early return or error unwinds to a usable shell too.

use ratatui::DefaultTerminal;

pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    pub fn new() -> std::io::Result<TerminalGuard> {
        Ok(TerminalGuard {
            terminal: ratatui::try_init()?,
        })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
