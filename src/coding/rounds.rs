//! Reliability rounds (O'Connor & Joffe 2020): the units drawn for one round of double
//! coding, with how they were drawn and the code book they were drawn under, one file per
//! round in `corpus/icr/round-N.toml`. A new round is numbered and written under the
//! codings lock, atomically, so two processes never write the same round.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// One unit of a round: a paragraph or a sentence of a source, by char offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundUnit {
    pub source: String,
    /// Char offsets into the source body, end-exclusive.
    pub start: usize,
    pub end: usize,
    /// The stratum it was drawn from: its source, or its case ("(no case)" for none).
    pub stratum: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Round {
    pub round: u32,
    pub created: toml::value::Datetime,
    /// The share asked for, as a fraction, and the seed: the same corpus, share, strata,
    /// unit size and seed draw the same units.
    pub share: f64,
    pub seed: u64,
    /// "source" or "case".
    pub strata: String,
    /// "paragraph" or "sentence".
    pub units_are: String,
    /// Units the sample was drawn from.
    pub population: usize,
    /// SHA-256 of codebook.toml when the round was drawn: the code book the round tests.
    pub codebook_sha256: String,
    #[serde(default, rename = "unit")]
    pub units: Vec<RoundUnit>,
}

impl Round {
    /// True when the span overlaps a unit of the round (to limit a view to the round).
    pub fn contains(&self, source: &str, start: usize, end: usize) -> bool {
        self.units
            .iter()
            .any(|u| u.source == source && u.start < end && start < u.end)
    }
}

pub fn dir(corpus: &Path) -> PathBuf {
    corpus.join("icr")
}

pub fn path(corpus: &Path, round: u32) -> PathBuf {
    dir(corpus).join(format!("round-{round}.toml"))
}

/// SHA-256 (hex) of the code book file as it is now.
pub fn codebook_hash(corpus: &Path) -> Result<String> {
    let path = corpus.join("codebook.toml");
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Every round of a corpus, by number (none without an icr directory). A file that does not
/// parse is an error naming it and its line.
pub fn load_all(corpus: &Path) -> Result<Vec<Round>> {
    let Ok(entries) = std::fs::read_dir(dir(corpus)) else {
        return Ok(Vec::new());
    };
    let mut rounds = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let Some(number) = name
            .strip_prefix("round-")
            .and_then(|n| n.strip_suffix(".toml"))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let text = crate::text_file::read(&path)?;
        let round: Round = toml::from_str(&text).map_err(|e| Error::toml(&path, &text, &e))?;
        if round.round != number {
            return Err(Error::invalid(
                &path,
                None,
                format!("says round = {}, but its name says {number}", round.round),
            ));
        }
        rounds.push(round);
    }
    rounds.sort_by_key(|r| r.round);
    Ok(rounds)
}

/// Round `number`, or an error listing the rounds there are.
pub fn load(corpus: &Path, number: u32) -> Result<Round> {
    let rounds = load_all(corpus)?;
    let listed: Vec<String> = rounds.iter().map(|r| r.round.to_string()).collect();
    rounds
        .into_iter()
        .find(|r| r.round == number)
        .ok_or_else(|| {
            Error::Usage(format!(
                "no round {number} in {}: {}",
                dir(corpus).display(),
                if listed.is_empty() {
                    "there are none yet (visgraat icr sample draws one)".to_string()
                } else {
                    format!("rounds {}", listed.join(", "))
                }
            ))
        })
}

/// Write `round` as the next round (its number is set here), under the lock; returns it.
pub fn save_new(corpus: &Path, mut round: Round) -> Result<Round> {
    let _lock = super::lock::acquire(corpus)?;
    round.round = load_all(corpus)?.last().map_or(1, |r| r.round + 1);
    let dir = dir(corpus);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    crate::text_file::save_toml(
        &path(corpus, round.round),
        "A reliability round: the units to double-code (visgraat icr sample; agreement --round N).",
        &round,
    )?;
    Ok(round)
}
