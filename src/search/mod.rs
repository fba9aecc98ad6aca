//! Finding papers across every stored day: the query language run over
//! the full-text index ([`crate::store::fulltext`]), similar papers, and
//! the views (saved queries, the sidebar's counts) built on them.

pub mod alike;
pub mod foryou;
pub mod index;
pub mod views;
