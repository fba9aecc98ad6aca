//! The reader: the terminal program around the pure state machine in
//! [`crate::app`]. [`runtime`] is the one event loop, [`effects`] runs what
//! `update` asks for against the store, the network and the platform,
//! [`tui`] takes the terminal and always gives it back, and [`startup`]
//! times the way to the first frame.

pub mod effects;
mod interests;
pub mod runtime;
pub mod startup;
mod tasks;
pub mod tui;
