//! REFI-QDA exchange (QDA-XML 1.0): reading project files (`reader`), importing them into a
//! corpus (`import`), and writing a corpus as a project (`export`). Reading and writing live
//! together so the two agree on GUIDs, names and the sidecar visgraat carries for itself.

pub mod export;
pub mod import;
pub mod reader;
