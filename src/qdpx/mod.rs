//! REFI-QDA exchange (QDA-XML 1.0): reading project files and code books (`reader`),
//! importing them into a corpus (`import`, with `codes` for the code tree and `positions` for
//! where selections land), and writing a corpus as a project or code book (`export`). Reading
//! and writing live together so the two agree on GUIDs (`ids`), names and the sidecar that
//! visgraat's export carries for visgraat (`sidecar`).

pub(crate) mod append;
pub(crate) mod cases;
pub(crate) mod codes;
pub mod export;
pub mod ids;
pub mod import;
pub(crate) mod notes;
pub(crate) mod positions;
pub mod qdc;
pub mod reader;
pub(crate) mod selections;
pub(crate) mod sidecar;
