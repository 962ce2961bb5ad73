//! Fishbone counts: per level × valence and per factor code, how many codings, how many
//! distinct passages (segments) they cover, and how many cases named the factor on their own
//! fishbone sheet; optionally per case and per coder.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::coding::CodingSet;
use crate::corpus::Corpus;
use crate::corpus::codebook::{FISHBONE, Level, Valence};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CodeCount {
    pub code: String,
    pub label: String,
    pub codings: usize,
    pub passages: usize,
    /// Cases whose own fishbone sheet names this code.
    pub cases_named: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Bone {
    pub level: Level,
    pub valence: Valence,
    pub codings: usize,
    pub passages: usize,
    pub codes: Vec<CodeCount>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupCount {
    pub group: String,
    pub label: String,
    pub codes: Vec<CodeCount>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FishboneStats {
    /// Whose codings were counted: one coder, or all.
    pub coder: Option<String>,
    pub bones: Vec<Bone>,
    pub other_groups: Vec<GroupCount>,
    /// Passages per case and bone ("level/valence" keys), by the case of the coded span;
    /// passages whose coded span the text ties to no case go under "-".
    pub by_case: BTreeMap<String, BTreeMap<String, usize>>,
    /// Codings per coder and bone.
    pub by_coder: BTreeMap<String, BTreeMap<String, usize>>,
    /// Codings whose code is not in the code book (reported by `visgraat check`).
    pub unknown_code_codings: usize,
    /// Distinct speakers in the transcripts (a label per case: "Docent 1" of two focus
    /// groups are two people), and how many per role ("-": a name or pseudonym). Filled by
    /// `speakers` where wanted (`visgraat stats`), not by `fishbone`.
    pub speakers: usize,
    pub speakers_by_role: BTreeMap<String, usize>,
}

pub fn bone_key(level: Level, valence: Valence) -> String {
    format!("{}/{}", level.as_str(), valence.as_str())
}

/// A passage: (source id, segment ordinal).
type Passage = (String, u32);

pub fn fishbone(corpus: &Corpus, codings: &CodingSet, coder: Option<&str>) -> FishboneStats {
    let mut passages_of: BTreeMap<&str, BTreeSet<Passage>> = BTreeMap::new();
    let mut codings_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_case: BTreeMap<String, BTreeMap<String, BTreeSet<Passage>>> = BTreeMap::new();
    let mut by_coder: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut unknown = 0;
    let mut segment_cache = BTreeMap::new();
    for placed in codings
        .codings
        .iter()
        .filter(|c| !c.coding.orphaned && coder.is_none_or(|k| c.coder == k))
    {
        let Some(code) = corpus.codebook.code(&placed.coding.code) else {
            unknown += 1;
            continue;
        };
        *codings_of.entry(code.id.as_str()).or_insert(0) += 1;
        let Some(src) = corpus.source(&placed.source) else {
            continue;
        };
        let segments = segment_cache
            .entry(placed.source.as_str())
            .or_insert_with(|| src.segments());
        for seg in segments
            .iter()
            .filter(|s| s.start < placed.coding.end && placed.coding.start < s.end)
        {
            let passage = (placed.source.clone(), seg.ordinal);
            passages_of
                .entry(code.id.as_str())
                .or_default()
                .insert(passage.clone());
            if let (Some(level), Some(valence)) = (code.level, code.valence) {
                let case = corpus
                    .case_of_span(src, placed.coding.start, placed.coding.end)
                    .unwrap_or("-")
                    .to_string();
                by_case
                    .entry(case)
                    .or_default()
                    .entry(bone_key(level, valence))
                    .or_default()
                    .insert(passage);
            }
        }
        if let (Some(level), Some(valence)) = (code.level, code.valence) {
            *by_coder
                .entry(placed.coder.clone())
                .or_default()
                .entry(bone_key(level, valence))
                .or_insert(0) += 1;
        }
    }
    let count = |code: &crate::corpus::codebook::Code| CodeCount {
        code: code.id.clone(),
        label: code.label.clone(),
        codings: codings_of.get(code.id.as_str()).copied().unwrap_or(0),
        passages: passages_of.get(code.id.as_str()).map_or(0, BTreeSet::len),
        cases_named: corpus
            .cases
            .cases
            .iter()
            .filter(|c| {
                c.fishbone
                    .as_ref()
                    .is_some_and(|f| f.codes.contains(&code.id))
            })
            .count(),
    };
    let mut bones = Vec::new();
    for level in corpus.codebook.levels() {
        for valence in Valence::ALL {
            let codes: Vec<CodeCount> =
                corpus.codebook.factors(level, valence).map(count).collect();
            let passages: BTreeSet<&Passage> = corpus
                .codebook
                .factors(level, valence)
                .filter_map(|c| passages_of.get(c.id.as_str()))
                .flatten()
                .collect();
            bones.push(Bone {
                level,
                valence,
                codings: codes.iter().map(|c| c.codings).sum(),
                passages: passages.len(),
                codes,
            });
        }
    }
    let other_groups = corpus
        .codebook
        .groups
        .iter()
        .filter(|g| g.id != FISHBONE)
        .map(|g| GroupCount {
            group: g.id.clone(),
            label: g.label.clone(),
            codes: corpus
                .codebook
                .codes
                .iter()
                .filter(|c| c.group == g.id)
                .map(count)
                .collect(),
        })
        .collect();
    FishboneStats {
        coder: coder.map(str::to_string),
        bones,
        other_groups,
        by_case: by_case
            .into_iter()
            .map(|(case, bones)| (case, bones.into_iter().map(|(k, v)| (k, v.len())).collect()))
            .collect(),
        by_coder,
        unknown_code_codings: unknown,
        speakers: 0,
        speakers_by_role: BTreeMap::new(),
    }
}

/// The transcripts' speakers: how many, and how many per role ("-": a name or pseudonym).
/// Separate from `fishbone`, which the TUI redraws often: this reads every transcript.
pub fn speakers(corpus: &Corpus) -> (usize, BTreeMap<String, usize>) {
    // A label is one person within a case, or within a source that has no case.
    let mut speakers: BTreeSet<(String, String)> = BTreeSet::new();
    for src in corpus
        .sources
        .iter()
        .filter(|s| s.meta.kind == crate::corpus::source::SourceKind::Transcript)
    {
        for seg in src.segments() {
            if let Some(speaker) = seg.speaker {
                let within = src.meta.case.clone().unwrap_or_else(|| src.meta.id.clone());
                speakers.insert((within, speaker));
            }
        }
    }
    let mut speakers_by_role: BTreeMap<String, usize> = BTreeMap::new();
    for (_, speaker) in &speakers {
        let role = match crate::corpus::participants::role_of(speaker) {
            role if role.is_empty() => "-".to_string(),
            role => role,
        };
        *speakers_by_role.entry(role).or_default() += 1;
    }
    (speakers.len(), speakers_by_role)
}
