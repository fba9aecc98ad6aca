//! The command line: [`args`] defines it (clap), [`run`] dispatches it
//! with a typed exit code, [`commands`] holds the headless subcommands, [`doctor`] reports on the installation, and
//! [`corpus`] generates stores for benchmarks and tests.

pub mod args;
pub mod commands;
pub mod corpus;
pub mod doctor;
pub mod handoff;
pub mod run;
pub mod simulate;
