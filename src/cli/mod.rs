//! The command line: [`args`] defines it (clap), [`commands`] runs the
//! headless subcommands, [`doctor`] reports on the installation, and
//! [`corpus`] generates stores for benchmarks and tests.

pub mod args;
pub mod commands;
pub mod corpus;
pub mod doctor;
