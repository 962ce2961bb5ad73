//! The index schema. Field names are part of the JSON API. The index holds text only
//! (segments, quotes, codes, memos), so it changes only when sources or the code book change.
//!
//! Passages (segments) and the other documents keep their text in fields of their own: a
//! passage query then touches passages only, needs no exclusion of the other types, and stays
//! a query tantivy can prune to the top hits (block-max WAND).

use sha2::{Digest, Sha256};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::analyzer;

/// The document types: every document is one of these (search relies on it).
pub const SEGMENT: &str = "segment";
pub const QUOTE: &str = "quote";
pub const CODE: &str = "code";
pub const MEMO: &str = "memo";

/// Bump when the schema or what goes into documents changes: a new fingerprint rebuilds.
const SCHEMA_VERSION: &str = "visgraat-schema-6";

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub doc_type: Field,
    pub key: Field,
    pub source: Field,
    pub title: Field,
    pub kind: Field,
    pub case: Field,
    pub speaker: Field,
    pub speaker_key: Field,
    pub voice: Field,
    pub code: Field,
    pub page: Field,
    pub page_max: Field,
    pub ordinal: Field,
    pub start: Field,
    pub end: Field,
    /// The text of passages (segments).
    pub passage: TextFields,
    /// The text of quotes, codes and memos.
    pub note: TextFields,
}

/// One document's text: one positional field. The compounds a word ends are looked up in
/// its terms at query time (`index::tails`).
#[derive(Debug, Clone, Copy)]
pub struct TextFields {
    /// Exact (folded) forms and, at the same positions, marked stems where they differ
    /// (`analyzer::text_analyzer`); the stored text.
    pub text: Field,
}

/// The name of a text family's field.
pub const PASSAGE_FIELD: &str = "text";
pub const NOTE_FIELD: &str = "note_text";

/// How a text field is indexed: exact forms and marked stems at their positions
/// (`analyzer::TEXT`), with frequencies and positions for phrases.
pub fn text_options() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer::TEXT)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let mut text_field = |name: &str| TextFields {
        text: b.add_text_field(name, text_options().set_stored()),
    };
    let passage = text_field(PASSAGE_FIELD);
    let note = text_field(NOTE_FIELD);
    // Only the fields a query or a deletion looks up are indexed (key, code, start and end
    // are read from the document or the fast fields, never searched).
    let fields = Fields {
        doc_type: b.add_text_field("doc_type", STRING | STORED),
        key: b.add_text_field("key", STORED),
        source: b.add_text_field("source", STRING | STORED),
        title: b.add_text_field("title", STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        case: b.add_text_field("case", STRING | STORED),
        speaker: b.add_text_field("speaker", STORED),
        speaker_key: b.add_text_field("speaker_key", STRING),
        voice: b.add_text_field("voice", STRING | STORED),
        code: b.add_text_field("code", STORED),
        page: b.add_u64_field("page", STORED),
        page_max: b.add_u64_field("page_max", STORED),
        ordinal: b.add_u64_field("ordinal", STORED),
        start: b.add_u64_field("start", STORED | FAST),
        end: b.add_u64_field("end", STORED | FAST),
        passage,
        note,
    };
    (b.build(), fields)
}

/// Changes whenever the schema, the analysis or tantivy's on-disk meaning may change.
pub fn fingerprint() -> String {
    let (schema, _) = build();
    let schema_json = serde_json::to_string(&schema).unwrap_or_default();
    let digest = Sha256::digest(format!(
        "{SCHEMA_VERSION}\n{}\ntantivy-0.27\n{schema_json}",
        analyzer::ANALYSIS_VERSION
    ));
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}
