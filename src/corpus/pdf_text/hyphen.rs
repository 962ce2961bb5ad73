//! Line-end hyphens in text from a PDF: a real hyphen ("mbo-instellingen") or only a line
//! break ("onder-steuning")? The material's own spelling decides, then reviewed exceptions;
//! a word with neither is joined and reported for review.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::RepairOptions;

/// Reviewed decisions for hyphenated words the corpus gives no evidence for.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HyphenExceptions {
    /// Words whose line-end hyphen is a real hyphen, written with it: "zij-instromers".
    #[serde(default)]
    pub keep: Vec<String>,
    /// Words whose line-end hyphen is only a line break, written joined: "toegankelijkheid".
    #[serde(default)]
    pub join: Vec<String>,
    /// Hyphens that end a word before a line break, the next line starting a new word
    /// (table cells: "18-" then "7"), written as "18- 7".
    #[serde(default)]
    pub spaced: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HyphenDecision {
    KeptByEvidence,
    JoinedByEvidence,
    KeptByException,
    JoinedByException,
    SpacedByException,
    /// No evidence and no reviewed exception: joined, and reported for review.
    Undecided,
}

#[derive(Debug, Clone)]
pub struct HyphenJoin {
    pub line: usize,
    pub hyphenated: String,
    pub decision: HyphenDecision,
}

/// Lowercased word counts of running text, excluding line-end fragments.
#[derive(Debug, Clone, Default)]
pub struct WordEvidence {
    counts: HashMap<String, u32>,
}

impl WordEvidence {
    pub fn from_texts<'t>(texts: impl IntoIterator<Item = &'t str>) -> Self {
        let mut counts = HashMap::new();
        for text in texts {
            for line in text.lines() {
                let words: Vec<&str> = line.split_whitespace().collect();
                for (i, word) in words.iter().enumerate() {
                    let is_last = i + 1 == words.len();
                    if is_last && word.ends_with('-') {
                        continue;
                    }
                    let w = trim_word(word).to_lowercase();
                    if !w.is_empty() {
                        *counts.entry(w).or_insert(0) += 1;
                    }
                }
            }
        }
        WordEvidence { counts }
    }

    pub fn count(&self, word: &str) -> u32 {
        self.counts.get(&word.to_lowercase()).copied().unwrap_or(0)
    }
}

fn trim_word(word: &str) -> &str {
    word.trim_matches(|c: char| !(c.is_alphanumeric() || c == '-'))
        .trim_start_matches('-')
}

/// Lowercase without diacritics, for comparing spellings that differ only in a trema.
pub(super) fn fold(word: &str) -> String {
    word.to_lowercase()
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect()
}

pub(super) fn decide_hyphen(soft: &str, hard: &str, options: &RepairOptions<'_>) -> HyphenDecision {
    let lower_hard = hard.to_lowercase();
    let lower_soft = soft.to_lowercase();
    if options
        .exceptions
        .keep
        .iter()
        .any(|w| w.to_lowercase() == lower_hard)
    {
        return HyphenDecision::KeptByException;
    }
    if options
        .exceptions
        .join
        .iter()
        .any(|w| fold(w) == fold(&lower_soft))
    {
        return HyphenDecision::JoinedByException;
    }
    if options
        .exceptions
        .spaced
        .iter()
        .any(|w| w.to_lowercase() == lower_hard)
    {
        return HyphenDecision::SpacedByException;
    }
    let (soft_n, hard_n) = match options.evidence {
        Some(ev) => (ev.count(soft), ev.count(hard)),
        None => (0, 0),
    };
    if hard_n > soft_n {
        HyphenDecision::KeptByEvidence
    } else if soft_n > hard_n {
        HyphenDecision::JoinedByEvidence
    } else {
        HyphenDecision::Undecided
    }
}
