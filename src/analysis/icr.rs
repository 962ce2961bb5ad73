//! Reliability rounds after O'Connor & Joffe (2020, "Intercoder reliability in qualitative
//! research", IJQM 19): draw 10–25 % of the units, stratified, for two or more coders to
//! code independently; report κ and α per code for the round, flag codes under a chosen α,
//! revise the code book, and draw the next round — a table across rounds shows whether the
//! code book converges. Units are paragraphs of running text, or their sentences.

use std::collections::{BTreeMap, BTreeSet};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::analysis::agreement::{self, Figures};
use crate::coding::CodingSet;
use crate::coding::rounds::{Round, RoundUnit};
use crate::corpus::Corpus;
use crate::corpus::source::SourceKind;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitSize {
    #[default]
    Paragraph,
    /// Sentences of the paragraphs (Unicode sentence boundaries): finer units for short,
    /// dense texts such as the intermezzos.
    Sentence,
}

impl UnitSize {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitSize::Paragraph => "paragraph",
            UnitSize::Sentence => "sentence",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strata {
    #[default]
    Source,
    Case,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SampleOptions {
    /// The share of units to draw, as a fraction (0.15 for 15 %).
    pub share: f64,
    pub seed: u64,
    pub strata: Strata,
    pub size: UnitSize,
    /// Draw from the sources of this kind; None: from every source someone has coded.
    pub kind: Option<SourceKind>,
}

/// Stratum for material the text ties to no case.
pub const NO_CASE: &str = "(no case)";

/// The units a sample is drawn from, in corpus order: the running text (headings, title
/// lines and notes left out) of the chosen sources, as paragraphs or sentences.
pub fn population(corpus: &Corpus, codings: &CodingSet, options: &SampleOptions) -> Vec<RoundUnit> {
    let coded: BTreeSet<&str> = codings
        .codings
        .iter()
        .filter(|c| !c.coding.orphaned)
        .map(|c| c.source.as_str())
        .collect();
    let mut out = Vec::new();
    for source in corpus.sources.iter().filter(|s| match options.kind {
        Some(kind) => s.meta.kind == kind,
        None => coded.contains(s.meta.id.as_str()),
    }) {
        for seg in source
            .segments()
            .into_iter()
            .filter(|s| !s.is_heading_or_note(&source.meta.title))
        {
            let stratum = match options.strata {
                Strata::Source => source.meta.id.clone(),
                Strata::Case => corpus.case_of(source, &seg).unwrap_or(NO_CASE).to_string(),
            };
            let mut unit = |start: usize, end: usize| {
                out.push(RoundUnit {
                    source: source.meta.id.clone(),
                    start,
                    end,
                    stratum: stratum.clone(),
                })
            };
            match options.size {
                UnitSize::Paragraph => unit(seg.start, seg.end),
                UnitSize::Sentence => {
                    let mut at = seg.start;
                    for sentence in seg.text.split_sentence_bounds() {
                        let len = sentence.chars().count();
                        let lead = sentence.chars().take_while(|c| c.is_whitespace()).count();
                        let body = sentence.trim().chars().count();
                        if body > 0 {
                            unit(at + lead, at + lead + body);
                        }
                        at += len;
                    }
                }
            }
        }
    }
    out
}

/// How many units each stratum gives: round(share × its units), at least one, at most all.
pub fn allocate(sizes: &[usize], share: f64) -> Vec<usize> {
    sizes
        .iter()
        .map(|&n| {
            if n == 0 {
                0
            } else {
                ((n as f64 * share).round() as usize).clamp(1, n)
            }
        })
        .collect()
}

/// Draw a round (its number is set when it is saved): per stratum, in stratum order, the
/// allocated number of units by a partial Fisher–Yates shuffle from one ChaCha8 stream
/// seeded with `seed`; the units in corpus order.
pub fn sample(
    corpus: &Corpus,
    codings: &CodingSet,
    options: &SampleOptions,
    codebook_sha256: String,
) -> Result<Round> {
    if !(options.share > 0.0 && options.share <= 1.0) {
        return Err(Error::Usage(
            "--share: give a share above 0 and up to 100 %, e.g. 15%".into(),
        ));
    }
    let population = population(corpus, codings, options);
    if population.is_empty() {
        return Err(Error::Usage(
            "no units to draw from: nobody has coded a source yet, so name the material with --kind"
                .into(),
        ));
    }
    let mut strata: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, u) in population.iter().enumerate() {
        strata.entry(u.stratum.as_str()).or_default().push(i);
    }
    let sizes: Vec<usize> = strata.values().map(Vec::len).collect();
    let quotas = allocate(&sizes, options.share);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut chosen: Vec<usize> = Vec::new();
    for (members, quota) in strata.values_mut().zip(quotas) {
        for i in 0..quota {
            let j = rng.random_range(i..members.len());
            members.swap(i, j);
        }
        chosen.extend_from_slice(&members[..quota]);
    }
    chosen.sort_unstable();
    Ok(Round {
        round: 0,
        created: crate::coding::time::now(),
        share: options.share,
        seed: options.seed,
        strata: match options.strata {
            Strata::Source => "source",
            Strata::Case => "case",
        }
        .into(),
        units_are: options.size.as_str().into(),
        population: population.len(),
        codebook_sha256,
        units: chosen.into_iter().map(|i| population[i].clone()).collect(),
    })
}

/// A round's agreement: κ and α per code, level and overall over the round's units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundReport {
    pub round: u32,
    pub created: String,
    pub units_are: String,
    pub units: usize,
    pub coders: Vec<String>,
    /// Per coder, the round's units the coder gave values for (coded their source).
    pub coverage: Vec<usize>,
    /// The round's units that two or more coders gave values for: the units compared (the
    /// others take part in no figure).
    pub compared: usize,
    pub codebook_sha256: String,
    /// The code book changed since the round was drawn (its codes may have moved on).
    pub codebook_changed: bool,
    pub overall: Figures,
    pub per_level: Vec<Figures>,
    pub per_code: Vec<Figures>,
    pub min_alpha: f64,
    /// Codes whose α is below `min_alpha`, in code-book order.
    pub below: Vec<String>,
}

/// The coders with live codings in the round's sources, by name.
pub fn round_coders(codings: &CodingSet, round: &Round) -> Vec<String> {
    let sources: BTreeSet<&str> = round.units.iter().map(|u| u.source.as_str()).collect();
    let coders: BTreeSet<&str> = codings
        .codings
        .iter()
        .filter(|c| !c.coding.orphaned && sources.contains(c.source.as_str()))
        .map(|c| c.coder.as_str())
        .collect();
    coders.into_iter().map(str::to_string).collect()
}

/// Agreement of `coders` on the round's units. A unit's value for a coder is the set of
/// codes the coder put on spans overlapping it; a coder with no codings in the unit's source
/// has not coded it (missing, as in `agreement`).
pub fn report(
    corpus: &Corpus,
    codings: &CodingSet,
    round: &Round,
    coders: &[String],
    min_alpha: f64,
    current_codebook: &str,
) -> RoundReport {
    let mut coded_by: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in codings.codings.iter().filter(|c| !c.coding.orphaned) {
        coded_by
            .entry(c.source.as_str())
            .or_default()
            .insert(c.coder.as_str());
    }
    let mut coverage = vec![0; coders.len()];
    let values: Vec<Vec<Option<BTreeSet<String>>>> = round
        .units
        .iter()
        .map(|u| {
            coders
                .iter()
                .enumerate()
                .map(|(k, coder)| {
                    let present = coded_by
                        .get(u.source.as_str())
                        .is_some_and(|who| who.contains(coder.as_str()));
                    present.then(|| {
                        coverage[k] += 1;
                        codings
                            .overlapping(&u.source, u.start, u.end)
                            .filter(|c| c.coder == *coder)
                            .map(|c| c.coding.code.clone())
                            .collect()
                    })
                })
                .collect()
        })
        .collect();
    let compared = values
        .iter()
        .filter(|u| u.iter().flatten().count() >= 2)
        .count();
    let (values, with_values) = agreement::without_absent_coders(values);
    let (overall, per_level, per_code) = agreement::code_figures(corpus, &values, with_values);
    let below = per_code
        .iter()
        .filter(|f| f.krippendorff_alpha.is_some_and(|a| a < min_alpha))
        .map(|f| f.name.clone())
        .collect();
    RoundReport {
        round: round.round,
        created: round.created.to_string(),
        units_are: round.units_are.clone(),
        units: round.units.len(),
        coders: coders.to_vec(),
        coverage,
        compared,
        codebook_changed: round.codebook_sha256 != current_codebook,
        codebook_sha256: round.codebook_sha256.clone(),
        overall,
        per_level,
        per_code,
        min_alpha,
        below,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_is_proportional_with_one_at_least() {
        assert_eq!(allocate(&[20, 7, 1, 0], 0.15), [3, 1, 1, 0]);
        assert_eq!(allocate(&[4], 1.0), [4]);
    }
}
