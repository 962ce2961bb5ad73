//! Kept for the REFI-QDA import, which names its sources as transcript import does. The
//! transcript importers themselves live in `crate::import`.

pub use crate::corpus::source::id_from_name;
