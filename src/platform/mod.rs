//! What hfpapers needs from the machine it runs on: where data lives,
//! the config file, file logs, the browser and the clipboard.

pub mod browser;
pub mod clipboard;
pub mod config;
pub mod hooks;
pub mod logging;
pub mod paths;
