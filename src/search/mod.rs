//! Finding papers across every stored day: the in-memory index of rows,
//! user state and words, and the views (saved queries, the sidebar's
//! counts) that run over it.

pub mod index;
pub mod views;
