//! Analyses over codings: fishbone counts and inter-coder agreement.

pub mod agreement;
pub mod stats;
