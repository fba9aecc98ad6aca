//! Panics that must not end the reader: work that runs library code the
//! project does not control (the search engine) is run through
//! [`contain`], and a panic there becomes an error for the caller. The
//! panic hook (ratatui's restores the terminal, then the default one
//! prints) is skipped for a contained panic: the reader goes on drawing,
//! so its terminal must stay as it is. The panic is logged instead.

use std::cell::Cell;

thread_local! {
    static CONTAINED: Cell<u32> = const { Cell::new(0) };
}

/// Wraps the panic hook in force so that a panic inside [`contain`] only
/// logs. Call once, after every other hook is set (the terminal's).
pub fn install_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if CONTAINED.with(Cell::get) > 0 {
            tracing::error!(panic = %info, "contained panic");
        } else {
            previous(info);
        }
    }));
}

/// Runs `f`; a panic inside it is returned as its message.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    CONTAINED.with(|c| c.set(c.get() + 1));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(c.get() - 1));
    out.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an unknown failure".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::contain;

    #[test]
    fn a_panic_inside_becomes_its_message_and_the_thread_goes_on() {
        assert_eq!(contain(|| 7), Ok(7));
        let err = contain(|| -> u8 { panic!("10 >= 13") });
        assert_eq!(err, Err("10 >= 13".to_string()));
        assert_eq!(contain(|| 8), Ok(8), "nesting count back to zero");
    }
}
