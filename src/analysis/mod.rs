//! Analyses over codings: fishbone counts and inter-coder agreement.

pub mod agreement;
pub mod fishbone;
pub mod matrix;
pub mod stats;
