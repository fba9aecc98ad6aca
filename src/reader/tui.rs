//! Taking over the terminal and always giving it back.
//!
//! `ratatui::try_init` enters raw mode and the alternate screen and chains
//! a restore into the panic hook; [`TerminalGuard`] restores again on drop,
//! so an early return or error unwinds to a usable shell too. Ctrl-Z gives
//! the terminal back, stops the process, and takes it again on `fg`.

use crossterm::ExecutableCommand;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::DefaultTerminal;

pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
    mouse: bool,
}

impl TerminalGuard {
    pub fn new(mouse: bool) -> std::io::Result<TerminalGuard> {
        let terminal = ratatui::try_init()?;
        if mouse {
            // ratatui's restore does not know about mouse capture: turn it
            // off first on a panic too, or the shell would get mouse codes.
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                let _ = std::io::stdout().execute(DisableMouseCapture);
                previous(info);
            }));
            std::io::stdout().execute(EnableMouseCapture)?;
        }
        crate::library::panics::install_hook();
        #[cfg(debug_assertions)]
        // A debug-only path for the test that the terminal survives a panic.
        assert!(
            std::env::var_os("HFPAPERS_TEST_PANIC").is_none(),
            "HFPAPERS_TEST_PANIC is set: panicking on purpose"
        );
        Ok(TerminalGuard { terminal, mouse })
    }

    fn release(&self) {
        if self.mouse {
            let _ = std::io::stdout().execute(DisableMouseCapture);
        }
        ratatui::restore();
    }

    /// Ctrl-Z: restore the terminal, stop (SIGTSTP, as the shell expects),
    /// and on `fg` take the terminal back and forget what was on it, so the
    /// next draw repaints everything.
    pub fn suspend(&mut self) -> std::io::Result<()> {
        self.release();
        signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
        // Execution resumes here after SIGCONT.
        enable_raw_mode()?;
        std::io::stdout().execute(EnterAlternateScreen)?;
        if self.mouse {
            std::io::stdout().execute(EnableMouseCapture)?;
        }
        self.terminal.clear()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        self.release();
    }
}
