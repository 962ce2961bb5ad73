//! Participants: who speaks in the transcripts (by speaker label or pseudonym), with their
//! case, role and attributes, in `corpus/participants.toml`, separate from the cases. Import
//! records each transcript's speakers; researchers add roles and attributes by hand.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub speaker: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// moderator, docent, student, … (from a role label, or written in by hand).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// The sources the speaker speaks in.
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participants {
    #[serde(default, rename = "participant", skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Participant>,
}

pub fn path(corpus: &Path) -> PathBuf {
    corpus.join("participants.toml")
}

pub fn load(corpus: &Path) -> Result<Participants> {
    crate::text_file::load_toml(&path(corpus))
}

/// The role a speaker label names ("Docent 2" → "docent"), if it names one; empty for a
/// name or pseudonym.
pub fn role_of(label: &str) -> String {
    if is_role(label) {
        label
            .trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ')
            .to_lowercase()
    } else {
        String::new()
    }
}

/// True for speaker labels that are roles, not names: "Moderator", "Docent 2", "P3" and the
/// like stay as they are.
pub fn is_role(label: &str) -> bool {
    // "Interviewer 1", "P3", "Docent 2": a role word, then perhaps a number.
    const ROLES: &[&str] = &[
        "moderator",
        "interviewer",
        "onderzoeker",
        "gespreksleider",
        "docent",
        "student",
        "teamleider",
        "begeleider",
        "mentor",
        "slb'er",
        "zorgcoördinator",
        "deelnemer",
        "respondent",
        "interviewee",
        "geïnterviewde",
        "participant",
        "spreker",
        "speaker",
        "id",
        "p",
        "r",
        "i",
    ];
    let lower = label.to_lowercase();
    let word = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
    ROLES.contains(&word)
}

/// Record that `speakers` speak in `source` (of `case`), keeping what is already written.
pub fn record(corpus: &Path, source: &str, case: Option<&str>, speakers: &[String]) -> Result<()> {
    let _lock = crate::coding::lock::acquire(corpus)?;
    let mut all = load(corpus)?;
    for speaker in speakers {
        // A label like "Docent 1" is a different person in each focus group: key by case
        // too, or by source where there is no case.
        let at = all.participants.iter().position(|p| {
            p.speaker == *speaker
                && p.case.as_deref() == case
                && (case.is_some() || p.sources.iter().any(|s| s == source))
        });
        let p = match at {
            Some(i) => &mut all.participants[i],
            None => {
                all.participants.push(Participant {
                    speaker: speaker.clone(),
                    case: case.map(str::to_string),
                    role: role_of(speaker),
                    sources: Vec::new(),
                    attributes: BTreeMap::new(),
                });
                all.participants.last_mut().expect("just pushed")
            }
        };
        if !p.sources.iter().any(|s| s == source) {
            p.sources.push(source.to_string());
        }
    }
    save(corpus, &all)
}

/// `from` is called `to` in `source` now: the source moves from the one participant to the
/// other (a participant left without sources goes).
pub fn rename(corpus: &Path, source: &str, case: Option<&str>, from: &str, to: &str) -> Result<()> {
    {
        let _lock = crate::coding::lock::acquire(corpus)?;
        let mut all = load(corpus)?;
        for p in all.participants.iter_mut().filter(|p| p.speaker == from) {
            p.sources.retain(|s| s != source);
        }
        all.participants
            .retain(|p| p.speaker != from || !p.sources.is_empty());
        save(corpus, &all)?;
    }
    record(corpus, source, case, &[to.to_string()])
}

fn save(corpus: &Path, all: &Participants) -> Result<()> {
    crate::text_file::save_toml(
        &path(corpus),
        "Who speaks in the transcripts: case, role, attributes (add them by hand).",
        all,
    )
}
