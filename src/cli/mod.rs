//! The command line: [`args`] defines it (clap), [`run`] opens the data
//! dir (or hands the command to the open reader, [`handoff`]) and
//! dispatches it with a typed exit code, [`cmd`] holds one file per
//! subcommand, [`doctor`] reports on the installation, and [`corpus`] and
//! [`simulate`] generate stores for benchmarks and tests.

pub mod args;
pub(crate) mod cmd;
pub mod corpus;
pub mod doctor;
pub mod handoff;
pub mod run;
pub mod simulate;
