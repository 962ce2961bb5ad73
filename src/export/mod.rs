//! Getting material out: citations now; report exports (markdown, docx, csv, ndjson, qdpx)
//! build on the same pieces, and the fishbone figure (svg, png) draws the TUI's model.

pub mod citation;
pub mod docx;
pub mod figure;
pub mod framework;
pub mod report;
pub mod xlsx;
