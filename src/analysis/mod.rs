//! Analyses over codings: fishbone counts, matrices, saturation and inter-coder agreement.

pub mod agreement;
pub mod fishbone;
pub mod framework;
pub mod matrix;
pub mod saturation;
pub mod stats;
