//! The review log: who settled which disagreement between two coders, and how, in
//! `corpus/review.toml`. The codings themselves change like any coding; the log keeps the
//! decision (also when it removed a coding, which leaves nothing else behind). Written
//! under the codings lock, atomically.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub id: String,
    pub at: toml::value::Datetime,
    /// Who settled it.
    pub by: String,
    /// The two coders compared.
    pub coders: [String; 2],
    pub source: String,
    pub paragraph: u32,
    pub code: String,
    /// What was decided, in words.
    pub decision: String,
    /// How the paragraph began when the decision was made ([`opening`]): the decision
    /// follows its paragraph when paragraphs are put in or taken out before it, and does
    /// not pass to another paragraph that comes to stand at its number.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// Chars of a paragraph's beginning kept in a decision: enough to tell paragraphs apart.
const OPENING_CHARS: usize = 60;

/// The beginning of a paragraph's text as a decision keeps it.
pub fn opening(paragraph: &str) -> String {
    paragraph.trim().chars().take(OPENING_CHARS).collect()
}

impl Decision {
    /// Whether this decision is about paragraph `ordinal`, reading `text`, of its source:
    /// by the paragraph's beginning where the decision kept it, else (a decision from
    /// before it was kept) by its number.
    pub fn is_about(&self, ordinal: u32, text: &str) -> bool {
        if self.text.is_empty() {
            self.paragraph == ordinal
        } else {
            opening(text) == self.text
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewLog {
    #[serde(default, rename = "decision", skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Decision>,
}

pub fn path(corpus: &Path) -> PathBuf {
    corpus.join("review.toml")
}

pub fn load(corpus: &Path) -> Result<ReviewLog> {
    crate::text_file::load_toml(&path(corpus))
}

fn save(corpus: &Path, log: &ReviewLog) -> Result<()> {
    crate::text_file::save_toml(
        &path(corpus),
        "Decisions on disagreements between coders (the TUI's Review view).",
        log,
    )
}

/// Add a decision (its `id` and `at` are filled in); returns it, for undo.
pub fn append(corpus: &Path, mut decision: Decision) -> Result<Decision> {
    let _lock = super::lock::acquire(corpus)?;
    let mut log = load(corpus)?;
    decision.at = super::time::now();
    let n = log.decisions.len() + 1;
    decision.id = format!("r-{}-{n}", decision.at).replace([':', ' '], "");
    log.decisions.push(decision.clone());
    save(corpus, &log)?;
    Ok(decision)
}

/// Take a decision out again (undo), by id. The last one gone, the file goes too: a review
/// log with no decision is no review (an undone first decision left a header-only file).
pub fn remove(corpus: &Path, id: &str) -> Result<()> {
    let _lock = super::lock::acquire(corpus)?;
    let mut log = load(corpus)?;
    log.decisions.retain(|d| d.id != id);
    if log.decisions.is_empty() {
        return match std::fs::remove_file(path(corpus)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path(corpus), e)),
            _ => Ok(()),
        };
    }
    save(corpus, &log)
}

/// Put a decision back (redo), unless it is there.
pub fn restore(corpus: &Path, decision: &Decision) -> Result<()> {
    let _lock = super::lock::acquire(corpus)?;
    let mut log = load(corpus)?;
    if !log.decisions.iter().any(|d| d.id == decision.id) {
        log.decisions.push(decision.clone());
        save(corpus, &log)?;
    }
    Ok(())
}
