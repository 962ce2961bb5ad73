//! Suggestions a person rejected, in `corpus/suggestions/rejected.toml`: never proposed
//! again for that passage and code. Each keeps the passage's text, so a rejection follows
//! its paragraph when the source is edited (found again the way codings are, `anchor`) and
//! stops applying only when the paragraph itself is gone. Written under the codings lock,
//! atomically.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::coding::anchor::{self, Anchor};
use crate::corpus::Corpus;
use crate::corpus::source::Source;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    pub source: String,
    pub code: String,
    /// Char offsets of the passage when it was rejected.
    pub start: usize,
    pub end: usize,
    /// The passage's text then, verbatim.
    pub quote: String,
    pub by: String,
    pub at: toml::value::Datetime,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectedFile {
    #[serde(default, rename = "rejected", skip_serializing_if = "Vec::is_empty")]
    pub rejections: Vec<Rejection>,
}

pub fn path(corpus: &Path) -> PathBuf {
    corpus.join("suggestions").join("rejected.toml")
}

pub fn load_file(corpus: &Path) -> Result<RejectedFile> {
    crate::text_file::load_toml(&path(corpus))
}

/// Remember a rejection (once per passage and code).
pub fn add(corpus: &Path, rejection: Rejection) -> Result<()> {
    let _lock = crate::coding::lock::acquire(corpus)?;
    let mut file = load_file(corpus)?;
    let same = |r: &Rejection| {
        r.source == rejection.source
            && r.code == rejection.code
            && (r.start, r.end) == (rejection.start, rejection.end)
    };
    if file.rejections.iter().any(same) {
        return Ok(());
    }
    file.rejections.push(rejection);
    save(corpus, &file)
}

/// Forget a rejection again (undo), by passage and code.
pub fn remove(corpus: &Path, rejection: &Rejection) -> Result<()> {
    let _lock = crate::coding::lock::acquire(corpus)?;
    let mut file = load_file(corpus)?;
    file.rejections.retain(|r| r != rejection);
    save(corpus, &file)
}

fn save(corpus: &Path, file: &RejectedFile) -> Result<()> {
    crate::text_file::save_toml(
        &path(corpus),
        "Suggestions rejected in review: never proposed again for that passage and code.",
        file,
    )
}

/// The rejections placed on the sources as they are now.
#[derive(Debug, Clone, Default)]
pub struct Rejected {
    /// (source, code, start, end) of each rejection that could be found again.
    places: Vec<(String, String, usize, usize)>,
}

impl Rejected {
    /// Place `file`'s rejections on `corpus`: a moved passage is followed, a vanished one
    /// dropped.
    pub fn place(corpus: &Corpus, file: &RejectedFile) -> Rejected {
        let places = file
            .rejections
            .iter()
            .filter_map(|r| {
                let source = corpus.source(&r.source)?;
                let (start, end) = match anchor::locate(source, r.start, r.end, &r.quote) {
                    Anchor::Unchanged => (r.start, r.end),
                    Anchor::Exact { start, end }
                    | Anchor::Whitespace { start, end }
                    | Anchor::Fuzzy { start, end, .. } => (start, end),
                    Anchor::Unsure { .. } | Anchor::Orphaned => return None,
                };
                Some((r.source.clone(), r.code.clone(), start, end))
            })
            .collect();
        Rejected { places }
    }

    /// Whether `code` was rejected for `start..end` of `source` (an overlapping passage).
    pub fn covers(&self, source: &Source, code: &str, start: usize, end: usize) -> bool {
        self.places
            .iter()
            .any(|(s, c, a, b)| *s == source.meta.id && c == code && *a < end && start < *b)
    }
}
