//! Opening a link in the user's browser, safely.
//!
//! Only http and https URLs pass (checked with the `url` crate, so a link
//! from the network cannot start `file:` or `javascript:` handlers or smuggle
//! an option). The opener is started directly, never through a shell:
//! `$BROWSER` when set, else `xdg-open` (Linux) or `open` (macOS).

use std::process::{Command, Stdio};

/// Checks that a link is safe to hand to a browser; returns it normalised.
pub fn validate(link: &str) -> Result<String, String> {
    let parsed = url::Url::parse(link.trim()).map_err(|e| format!("not a valid link ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("refusing to open a {}: link", parsed.scheme()));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("refusing to open a link without a host".into());
    }
    Ok(parsed.into())
}

/// Opens a validated link without waiting for the browser.
pub fn open(link: &str) -> Result<String, String> {
    let link = validate(link)?;
    let opener = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| {
            if cfg!(target_os = "macos") {
                "open"
            } else {
                "xdg-open"
            }
            .to_string()
        });
    Command::new(opener.trim())
        .arg(&link)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            format!(
                "could not start {opener:?} to open the link ({e}); set BROWSER to your browser"
            )
        })?;
    Ok(link)
}

#[cfg(test)]
mod tests {
    use super::validate;

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
