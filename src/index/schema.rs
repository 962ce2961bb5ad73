//! The index schema. Field names are part of the JSON API. The index holds text only
//! (segments, quotes, codes), so it changes only when sources or the code book change.

use sha2::{Digest, Sha256};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::analyzer;

/// The document types: every document is one of these (search relies on it).
pub const SEGMENT: &str = "segment";
pub const QUOTE: &str = "quote";
pub const CODE: &str = "code";
pub const MEMO: &str = "memo";

/// Bump when the schema or what goes into documents changes: a new fingerprint rebuilds.
const SCHEMA_VERSION: &str = "visgraat-schema-3";

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
    pub text: Field,
    pub text_exact: Field,
    pub text_tail: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_opts = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let fields = Fields {
        doc_type: b.add_text_field("doc_type", STRING | STORED),
        key: b.add_text_field("key", STRING | STORED),
        source: b.add_text_field("source", STRING | STORED),
        title: b.add_text_field("title", STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        case: b.add_text_field("case", STRING | STORED),
        speaker: b.add_text_field("speaker", STORED),
        speaker_key: b.add_text_field("speaker_key", STRING),
        voice: b.add_text_field("voice", STRING | STORED),
        code: b.add_text_field("code", STRING | STORED),
        page: b.add_u64_field("page", STORED),
        page_max: b.add_u64_field("page_max", STORED),
        ordinal: b.add_u64_field("ordinal", STORED),
        start: b.add_u64_field("start", INDEXED | STORED | FAST),
        end: b.add_u64_field("end", INDEXED | STORED | FAST),
        text: b.add_text_field(
            "text",
            text_opts(analyzer::STEM, IndexRecordOption::WithFreqsAndPositions).set_stored(),
        ),
        text_exact: b.add_text_field(
            "text_exact",
            text_opts(analyzer::EXACT, IndexRecordOption::WithFreqsAndPositions),
        ),
        text_tail: b.add_text_field(
            "text_tail",
            // Matched as a set of terms with a constant score: no frequencies needed.
            text_opts(analyzer::TAIL, IndexRecordOption::Basic),
        ),
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
