//! The full-text index (tantivy): a derived cache of the corpus text, rebuilt on demand.
//! Holds segments, quotes, codes and memos; never codings.

pub mod analyzer;
pub mod boosted;
pub mod build;
pub mod catalogue;
pub mod compile;
pub mod exclusion;
mod file_walk;
pub mod freshness;
pub mod health;
pub mod query;
pub mod schema;
pub mod search;
pub mod skipped;
pub mod snippet;
pub mod span_filter;
pub mod stem_phrase;
pub mod tails;
pub mod term_set;
pub mod watch_claim;
pub mod watcher;
mod write_directory;
mod writer;

use std::path::Path;

use tantivy::Index;

use crate::error::{Error, Result};
use schema::Fields;

/// The explanation of a constant-score weight (a set of documents): matched or not, by
/// seeking its scorer to the document.
pub(crate) fn explain_by_seek(
    weight: &dyn tantivy::query::Weight,
    reader: &tantivy::SegmentReader,
    doc: tantivy::DocId,
    matched: &'static str,
    unmatched: &'static str,
) -> tantivy::Result<tantivy::query::Explanation> {
    use tantivy::DocSet;
    let mut scorer = weight.scorer(reader, 1.0)?;
    if scorer.seek(doc) == doc {
        Ok(tantivy::query::Explanation::new(matched, 1.0))
    } else {
        Err(tantivy::TantivyError::InvalidArgument(unmatched.into()))
    }
}

pub(crate) fn index_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Index {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// The fields of an opened index, by name.
pub(crate) fn fields(index: &Index) -> Result<Fields> {
    let s = index.schema();
    let get = |name: &str| {
        s.get_field(name).map_err(|_| Error::Index {
            path: Path::new("index").to_path_buf(),
            message: format!("field {name} missing: rebuild with `visgraat index --rebuild`"),
        })
    };
    let text_fields =
        |name: &str| -> Result<schema::TextFields> { Ok(schema::TextFields { text: get(name)? }) };
    Ok(Fields {
        doc_type: get("doc_type")?,
        key: get("key")?,
        source: get("source")?,
        title: get("title")?,
        kind: get("kind")?,
        case: get("case")?,
        speaker: get("speaker")?,
        speaker_key: get("speaker_key")?,
        voice: get("voice")?,
        code: get("code")?,
        page: get("page")?,
        page_max: get("page_max")?,
        ordinal: get("ordinal")?,
        start: get("start")?,
        end: get("end")?,
        passage: text_fields(schema::PASSAGE_FIELD)?,
        note: text_fields(schema::NOTE_FIELD)?,
    })
}
