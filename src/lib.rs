//! visgraat: explore, search and code focus-group material from the terminal.
//!
//! The library holds all domain logic (corpus, coding, index, analysis); the binary is a thin
//! CLI over it, and the TUI calls the same functions.

pub mod analysis;
pub mod archive;
pub mod atomic;
pub mod check;
pub mod cli;
pub mod coding;
pub mod config;
pub mod corpus;
pub mod error;
pub mod export;
pub mod import;
pub mod index;
pub mod inotify;
pub mod progress;
pub mod qdpx;
pub mod suggest;
pub mod synth;
pub mod text_file;

pub mod tui;
pub mod workspace;

pub use error::{Error, Result};
