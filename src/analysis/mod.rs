//! Analyses over codings: fishbone counts (and later agreement and co-occurrence).

pub mod stats;
