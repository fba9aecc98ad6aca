//! Opening a link in the user's browser, safely.
//!
//! Only http and https URLs pass (checked with the `url` crate, so a link
//! from the network cannot start `file:` or `javascript:` handlers or smuggle
//! an option). The opener is started directly, never through a shell:
//! `$BROWSER` when set, else `xdg-open` (Linux) or `open` (macOS).

use std::process::{Command, Stdio};

/// Why a link was not opened.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    #[error("not a valid link ({0})")]
    Invalid(#[from] url::ParseError),
    #[error("refusing to open a {0}: link")]
    Scheme(String),
    #[error("refusing to open a link without a host")]
    NoHost,
    #[error("could not start {program:?} to open the link ({source}); set BROWSER to your browser")]
    Start {
        program: String,
        source: std::io::Error,
    },
}

/// Checks that a link is safe to hand to a browser; returns it normalised.
pub fn validate(link: &str) -> Result<String, BrowserError> {
    let parsed = url::Url::parse(link.trim())?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(BrowserError::Scheme(parsed.scheme().to_string()));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(BrowserError::NoHost);
    }
    Ok(parsed.into())
}

/// Opens a validated link without waiting for the browser.
pub fn open(link: &str) -> Result<String, BrowserError> {
    let link = validate(link)?;
    let browser = std::env::var("BROWSER").unwrap_or_default();
    let (program, args) = opener(&browser, &link);
    Command::new(&program)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|source| BrowserError::Start {
            program: program.clone(),
            source,
        })?;
    Ok(link)
}

/// The program and arguments for a link. `$BROWSER` follows the usual
/// convention: a `:`-separated list (the first is used), words split on
/// spaces, `%s` replaced by the link (else the link is appended).
fn opener(browser: &str, link: &str) -> (String, Vec<String>) {
    let first = browser.split(':').map(str::trim).find(|s| !s.is_empty());
    let Some(first) = first else {
        let default = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        return (default.to_string(), vec![link.to_string()]);
    };
    let mut words = first.split_whitespace().map(str::to_string);
    let program = words.next().unwrap_or_default();
    let mut args: Vec<String> = words.collect();
    if args.iter().any(|a| a.contains("%s")) {
        for a in &mut args {
            *a = a.replace("%s", link);
        }
    } else {
        args.push(link.to_string());
    }
    (program, args)
}

#[cfg(test)]
mod tests {
    use super::{opener, validate};

    #[test]
    fn browser_variable_follows_the_usual_convention() {
        let l = "https://x.org/a";
        assert_eq!(opener("", l), ("xdg-open".to_string(), vec![l.to_string()]));
        assert_eq!(
            opener("firefox:chromium", l),
            ("firefox".to_string(), vec![l.to_string()])
        );
        assert_eq!(
            opener("lynx -dump %s", l),
            ("lynx".to_string(), vec!["-dump".to_string(), l.to_string()])
        );
    }

    #[test]
    fn only_http_and_https_links_are_opened() {
        assert!(validate("https://huggingface.co/papers/2509.01234").is_ok());
        assert!(validate("http://example.org/x").is_ok());
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "-oProxyCommand=x",
            "ssh://h",
            "",
            "https://",
        ] {
            assert!(validate(bad).is_err(), "{bad} must be refused");
        }
    }
}
