//! Inter-coder agreement at the segment (paragraph) level: for each code, fishbone level and
//! overall, the share of units on which the coders agree, Cohen's κ (two coders) and
//! Krippendorff's α (nominal, any number of coders, missing values allowed); plus, as a
//! descriptive figure, the share of coded characters that the coders coded alike.
//!
//! A unit is one paragraph of a source that every compared coder has coded (has a codings
//! file for); its value for a coder is whether that coder put the code (or a code of the
//! level) on a span overlapping the paragraph. A coder who has not coded a source gives no
//! values there: missing for α, and the source is left out of κ.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;

use serde::Serialize;

use crate::coding::CodingSet;
use crate::corpus::Corpus;
use crate::corpus::codebook::Level;

/// Share of units on which all coders who gave a value agree (units with fewer than two
/// values do not count).
pub fn percent_agreement<V: Eq>(units: &[Vec<Option<V>>]) -> Option<f64> {
    let mut counted = 0usize;
    let mut agreed = 0usize;
    for unit in units {
        let values: Vec<&V> = unit.iter().flatten().collect();
        if values.len() < 2 {
            continue;
        }
        counted += 1;
        if values.iter().all(|v| *v == values[0]) {
            agreed += 1;
        }
    }
    (counted > 0).then(|| agreed as f64 / counted as f64)
}

/// Cohen's κ for two coders' labels of the same units: (p_o − p_e) / (1 − p_e). None when
/// there are no units or chance agreement is total (both coders used one and the same label
/// throughout: κ is undefined).
pub fn cohen_kappa<V: Eq + Hash + Clone>(pairs: &[(V, V)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.is_empty() {
        return None;
    }
    let observed = pairs.iter().filter(|(a, b)| a == b).count() as f64 / n;
    let mut first: HashMap<V, f64> = HashMap::new();
    let mut second: HashMap<V, f64> = HashMap::new();
    for (a, b) in pairs {
        *first.entry(a.clone()).or_default() += 1.0;
        *second.entry(b.clone()).or_default() += 1.0;
    }
    let expected: f64 = first
        .iter()
        .map(|(v, na)| na / n * second.get(v).copied().unwrap_or(0.0) / n)
        .sum();
    if (1.0 - expected).abs() < 1e-12 {
        return None;
    }
    Some((observed - expected) / (1.0 - expected))
}

/// Krippendorff's α for nominal data: units × coders, `None` where a coder gave no value.
/// Computed from the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
/// alpha-reliability"): α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k. None when fewer than
/// two values are pairable or all pairable values are the same (no variation: undefined).
pub fn krippendorff_alpha_nominal<V: Eq + Hash + Clone + Ord>(
    units: &[Vec<Option<V>>],
) -> Option<f64> {
    // o[c][k]: coincidences of values c and k within units.
    let mut o: BTreeMap<(V, V), f64> = BTreeMap::new();
    for unit in units {
        let values: Vec<&V> = unit.iter().flatten().collect();
        let m = values.len();
        if m < 2 {
            continue;
        }
        for (i, a) in values.iter().enumerate() {
            for (j, b) in values.iter().enumerate() {
                if i != j {
                    *o.entry(((*a).clone(), (*b).clone())).or_default() += 1.0 / (m - 1) as f64;
                }
            }
        }
    }
    let mut n_c: BTreeMap<V, f64> = BTreeMap::new();
    for ((c, _), v) in &o {
        *n_c.entry(c.clone()).or_default() += v;
    }
    let n: f64 = n_c.values().sum();
    if n < 2.0 {
        return None;
    }
    let disagree: f64 = o.iter().filter(|((c, k), _)| c != k).map(|(_, v)| v).sum();
    let mut expected = 0.0;
    for (c, nc) in &n_c {
        for (k, nk) in &n_c {
            if c != k {
                expected += nc * nk;
            }
        }
    }
    if expected == 0.0 {
        return None;
    }
    Some(1.0 - (n - 1.0) * disagree / expected)
}

/// Agreement on one code, one fishbone level, or all codes pooled.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Figures {
    /// What the figures are for: a code id, a level, or "overall".
    pub name: String,
    /// Paragraphs with at least two coders' values.
    pub units: usize,
    /// Paragraphs that at least one coder coded with it.
    pub coded_units: usize,
    pub percent_agreement: Option<f64>,
    /// Two coders only.
    pub cohen_kappa: Option<f64>,
    pub krippendorff_alpha: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Agreement {
    pub coders: Vec<String>,
    /// Sources every compared coder has coded.
    pub sources: Vec<String>,
    pub overall: Figures,
    pub per_level: Vec<Figures>,
    pub per_code: Vec<Figures>,
    /// Of the characters any coder coded with some code, the share every coder coded with
    /// that same code (per code, summed): descriptive, not a reliability coefficient.
    pub overlapping_characters: Option<f64>,
}

/// Agreement between `coders` (at least two) over the sources all of them coded, source by
/// source reported to `progress` (a large project takes a while).
pub fn agreement(
    corpus: &Corpus,
    codings: &CodingSet,
    coders: &[String],
    progress: &dyn crate::progress::Progress,
) -> crate::Result<Agreement> {
    let live = |c: &&crate::coding::Placed| !c.coding.orphaned;
    let shared = agreement_sources(codings, coders);

    // Unit values: (source, paragraph) → per coder, the codes on spans overlapping it.
    struct Unit {
        codes: Vec<BTreeSet<String>>,
    }
    let mut units: Vec<Unit> = Vec::new();
    let mut chars: BTreeMap<String, Vec<BTreeSet<(String, usize)>>> = BTreeMap::new();
    progress.stage(crate::progress::Stage::Comparing, shared.len() as u64);
    for source_id in &shared {
        crate::progress::check(progress)?;
        progress.advance(1);
        let Some(source) = corpus.source(source_id) else {
            continue;
        };
        let segments = source.segments();
        let mut per_segment: Vec<Unit> = segments
            .iter()
            .map(|_| Unit {
                codes: vec![BTreeSet::new(); coders.len()],
            })
            .collect();
        for c in codings
            .codings
            .iter()
            .filter(live)
            .filter(|c| c.source == *source_id)
        {
            let Some(k) = coders.iter().position(|x| *x == c.coder) else {
                continue;
            };
            for (i, seg) in segments.iter().enumerate() {
                if c.coding.start < seg.end && seg.start < c.coding.end {
                    per_segment[i].codes[k].insert(c.coding.code.clone());
                }
            }
            let sets = chars
                .entry(c.coding.code.clone())
                .or_insert_with(|| vec![BTreeSet::new(); coders.len()]);
            for pos in c.coding.start..c.coding.end {
                sets[k].insert((source_id.clone(), pos));
            }
        }
        units.extend(per_segment);
    }

    let figures = |name: String, applies: &dyn Fn(&BTreeSet<String>) -> bool| -> Figures {
        let values: Vec<Vec<Option<bool>>> = units
            .iter()
            .map(|u| u.codes.iter().map(|set| Some(applies(set))).collect())
            .collect();
        let coded_units = values.iter().filter(|u| u.contains(&Some(true))).count();
        let kappa = (coders.len() == 2)
            .then(|| {
                let pairs: Vec<(bool, bool)> = values
                    .iter()
                    .map(|u| (u[0].unwrap_or(false), u[1].unwrap_or(false)))
                    .collect();
                cohen_kappa(&pairs)
            })
            .flatten();
        Figures {
            name,
            units: values.len(),
            coded_units,
            percent_agreement: percent_agreement(&values),
            cohen_kappa: kappa,
            krippendorff_alpha: krippendorff_alpha_nominal(&values),
        }
    };

    let used: BTreeSet<&str> = units
        .iter()
        .flat_map(|u| u.codes.iter().flatten().map(String::as_str))
        .collect();
    let per_code: Vec<Figures> = corpus
        .codebook
        .codes
        .iter()
        .filter(|c| used.contains(c.id.as_str()))
        .map(|c| figures(c.id.clone(), &|set: &BTreeSet<String>| set.contains(&c.id)))
        .collect();
    let level_of: HashMap<&str, Level> = corpus
        .codebook
        .codes
        .iter()
        .filter_map(|c| c.level.map(|l| (c.id.as_str(), l)))
        .collect();
    let per_level: Vec<Figures> = Level::ALL
        .iter()
        .map(|&level| {
            figures(level.as_str().to_string(), &|set: &BTreeSet<String>| {
                set.iter().any(|c| level_of.get(c.as_str()) == Some(&level))
            })
        })
        .filter(|f| f.coded_units > 0)
        .collect();
    // Overall: every (paragraph, code) pair is a unit, pooled over the codes in use.
    let pooled: Vec<Vec<Option<bool>>> = units
        .iter()
        .flat_map(|u| {
            used.iter()
                .map(|code| {
                    u.codes
                        .iter()
                        .map(|set| Some(set.contains(*code)))
                        .collect()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let overall = Figures {
        name: "overall".into(),
        units: pooled.len(),
        coded_units: pooled.iter().filter(|u| u.contains(&Some(true))).count(),
        percent_agreement: percent_agreement(&pooled),
        cohen_kappa: (coders.len() == 2)
            .then(|| {
                let pairs: Vec<(bool, bool)> = pooled
                    .iter()
                    .map(|u| (u[0].unwrap_or(false), u[1].unwrap_or(false)))
                    .collect();
                cohen_kappa(&pairs)
            })
            .flatten(),
        krippendorff_alpha: krippendorff_alpha_nominal(&pooled),
    };
    let (mut all, mut common) = (0usize, 0usize);
    for sets in chars.values() {
        let union: BTreeSet<&(String, usize)> = sets.iter().flatten().collect();
        all += union.len();
        common += union
            .iter()
            .filter(|p| sets.iter().all(|s| s.contains(**p)))
            .count();
    }
    Ok(Agreement {
        coders: coders.to_vec(),
        sources: shared,
        overall,
        per_level,
        per_code,
        overlapping_characters: (all > 0).then(|| common as f64 / all as f64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: four
    /// observers, twelve units, nominal values with missing data; α = 0.743.
    #[test]
    fn krippendorff_worked_example_with_missing_values() {
        // Observers A to D; "." is a missing value.
        let rows: Vec<Vec<Option<u8>>> = [
            "1 2 3 3 2 1 4 1 2 . . .",
            "1 2 3 3 2 2 4 1 2 5 . 3",
            ". 3 3 3 2 3 4 2 2 5 1 .",
            "1 2 3 3 2 4 4 1 2 5 1 .",
        ]
        .iter()
        .map(|row| row.split(' ').map(|v| v.parse().ok()).collect())
        .collect();
        let units: Vec<Vec<Option<u8>>> = (0..12)
            .map(|u| rows.iter().map(|r| r[u]).collect())
            .collect();
        let alpha = krippendorff_alpha_nominal(&units).unwrap();
        assert!((alpha - 0.743).abs() < 0.0005, "{alpha}");
    }

    /// The textbook example (as on Wikipedia's "Cohen's kappa"): 50 proposals, both readers
    /// yes 20, A yes B no 5, A no B yes 10, both no 15; p_o = 0.7, p_e = 0.5, κ = 0.4.
    #[test]
    fn cohen_kappa_textbook_example() {
        let mut pairs = Vec::new();
        pairs.extend(std::iter::repeat_n((true, true), 20));
        pairs.extend(std::iter::repeat_n((true, false), 5));
        pairs.extend(std::iter::repeat_n((false, true), 10));
        pairs.extend(std::iter::repeat_n((false, false), 15));
        let kappa = cohen_kappa(&pairs).unwrap();
        assert!((kappa - 0.4).abs() < 1e-12, "{kappa}");
        let units: Vec<Vec<Option<bool>>> = pairs
            .iter()
            .map(|(a, b)| vec![Some(*a), Some(*b)])
            .collect();
        assert!((percent_agreement(&units).unwrap() - 0.7).abs() < 1e-12);
    }

    #[test]
    fn undefined_without_variation() {
        assert_eq!(cohen_kappa(&[(true, true), (true, true)]), None);
        assert_eq!(
            krippendorff_alpha_nominal(&[vec![Some(1), Some(1)], vec![Some(1), None]]),
            None
        );
        assert_eq!(percent_agreement::<u8>(&[vec![Some(1), None]]), None);
    }
}

/// One paragraph where two coders differ on one code: one of them put it there, the other
/// did not.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub source: String,
    pub ordinal: u32,
    /// The paragraph's char span.
    pub start: usize,
    pub end: usize,
    pub code: String,
    /// The codings with `code` on this paragraph, of the first coder and of the second (one
    /// of the two is empty).
    pub codings: [Vec<crate::coding::Placed>; 2],
}

/// The disagreements between coders `a` and `b` on the sources both coded, in source and
/// paragraph order.
pub fn disagreements(corpus: &Corpus, codings: &CodingSet, a: &str, b: &str) -> Vec<Disagreement> {
    let pair = [a.to_string(), b.to_string()];
    let shared = agreement_sources(codings, &pair);
    let mut out = Vec::new();
    for source_id in shared {
        let Some(source) = corpus.source(&source_id) else {
            continue;
        };
        let mine: Vec<&crate::coding::Placed> = codings
            .codings
            .iter()
            .filter(|c| !c.coding.orphaned && c.source == source_id)
            .collect();
        for seg in source.segments() {
            let mut by_code: BTreeMap<&str, [Vec<crate::coding::Placed>; 2]> = BTreeMap::new();
            for c in mine
                .iter()
                .filter(|c| c.coding.start < seg.end && seg.start < c.coding.end)
            {
                let Some(k) = pair.iter().position(|p| *p == c.coder) else {
                    continue;
                };
                by_code.entry(c.coding.code.as_str()).or_default()[k].push((*c).clone());
            }
            // In code-book order, so a list of disagreements reads like the fishbone.
            let mut differing: Vec<(&str, [Vec<crate::coding::Placed>; 2])> = by_code
                .into_iter()
                .filter(|(_, sides)| sides[0].is_empty() != sides[1].is_empty())
                .collect();
            differing.sort_by_key(|(code, _)| {
                corpus
                    .codebook
                    .codes
                    .iter()
                    .position(|c| c.id == *code)
                    .unwrap_or(usize::MAX)
            });
            for (code, sides) in differing {
                out.push(Disagreement {
                    source: source_id.clone(),
                    ordinal: seg.ordinal,
                    start: seg.start,
                    end: seg.end,
                    code: code.to_string(),
                    codings: sides,
                });
            }
        }
    }
    out
}

/// Sources every one of `coders` has live codings in.
fn agreement_sources(codings: &CodingSet, coders: &[String]) -> Vec<String> {
    let mut coded_by: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in codings.codings.iter().filter(|c| !c.coding.orphaned) {
        coded_by
            .entry(c.source.as_str())
            .or_default()
            .insert(c.coder.as_str());
    }
    coded_by
        .into_iter()
        .filter(|(_, who)| coders.iter().all(|c| who.contains(c.as_str())))
        .map(|(s, _)| s.to_string())
        .collect()
}
