//! Codings made by a machine (visgraat's suggestions), not a person. They live in a coder's
//! file like any coding, but the file says who made them (`[machine]`) and why (`[[reason]]`
//! per coding), and loading keeps them apart (`CodingSet::machine`) so that no count, filter
//! or agreement treats them as a person's work unless asked.

use serde::{Deserialize, Serialize};

use super::{CodingFile, CodingSet, Placed};

/// The coder whose codings are visgraat's suggestions.
pub const SUGGESTIONS_CODER: &str = "suggesties";

/// The mark that makes a codings file machine-made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MachineMark {
    /// What made the codings, e.g. "visgraat suggest".
    pub made_by: String,
    /// How: the model (see `suggest::model::Method`).
    pub method: String,
    /// Whose codings taught it.
    pub taught_by: Vec<String>,
    pub made: toml::value::Datetime,
}

/// Why the machine proposed one coding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// The id of the coding (in the same file) this explains.
    pub coding: String,
    pub score: f64,
    /// The shared terms that weighed most (stems, as the index analyses them).
    pub terms: Vec<TermWeight>,
    /// The one to three people's codings of this code the passage resembles most.
    pub like: Vec<Resemblance>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermWeight {
    pub term: String,
    pub weight: f64,
}

/// A person's coding a suggested passage resembles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resemblance {
    pub coder: String,
    pub source: String,
    pub coding: String,
    pub similarity: f64,
}

impl CodingSet {
    /// Add the codings of `coder`'s file for `source`: a person's to `codings`, a
    /// machine's (the file is marked) to `machine`, with their reasons.
    pub(super) fn take_file(&mut self, coder: &str, source: &str, file: CodingFile) {
        let placed = file.codings.into_iter().map(|coding| Placed {
            coder: coder.to_string(),
            source: source.to_string(),
            coding,
        });
        if file.machine.is_some() {
            self.machine.extend(placed);
            self.reasons
                .extend(file.reasons.into_iter().map(|r| (r.coding.clone(), r)));
        } else {
            self.codings.extend(placed);
        }
    }

    /// Whether `coder` is a machine (has machine-made codings loaded).
    pub fn is_machine(&self, coder: &str) -> bool {
        coder == SUGGESTIONS_CODER || self.machine.iter().any(|c| c.coder == coder)
    }

    /// This set with the machine's codings counted as a coder's (`--include-machine`).
    pub fn with_machine(&self) -> CodingSet {
        let mut all = self.clone();
        all.codings.extend(self.machine.iter().cloned());
        all
    }
}
