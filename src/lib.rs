//! visgraat: explore, search and code focus-group material from the terminal.
//!
//! The library holds all domain logic (corpus, coding, index, analysis); the binary is a thin
//! CLI over it, and the TUI calls the same functions.

pub mod atomic;
pub mod coding;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod error;

pub use error::{Error, Result};
