//! Getting material out: citations now; report exports (markdown, docx, csv, ndjson, qdpx)
//! build on the same pieces.

pub mod citation;
pub mod docx;
pub mod qdpx;
pub mod report;
