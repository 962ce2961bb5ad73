//! Inter-coder agreement at the segment (paragraph) level: for each code, fishbone level and
//! overall, the share of units on which the coders agree, Cohen's κ (two coders) and
//! Krippendorff's α (nominal, any number of coders, missing values allowed); plus, as a
//! descriptive figure, the share of coded characters that the coders coded alike.
//!
//! A unit is one paragraph of running text (by default; headings, title lines and notes are
//! left out) of a source that at least two of the compared coders coded (have live codings
//! in); its value for a coder is whether that coder put the code (or a code of the level) on
//! a span overlapping the paragraph. A coder who has not coded a source gives no values
//! there: missing for α, and κ (two coders) counts only the units both coded.

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

/// Which paragraphs of a source are units of agreement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    /// Running text: headings, title lines, the notes heading and footnotes left out (see
    /// `Segment::is_heading_or_note`). Nobody codes a title, so counting it would add
    /// agreement on nothing and inflate κ and α.
    #[default]
    Content,
    /// Every paragraph (`--all-units`).
    All,
}

/// How to compute agreement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    pub units: UnitKind,
}

/// Figures on fewer coded units than this are flagged unstable: with a handful of coded
/// paragraphs, one paragraph more or less swings κ and α by tenths.
pub const MIN_CODED_UNITS: usize = 10;

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
    /// Two coders only, over the units both coded.
    pub cohen_kappa: Option<f64>,
    pub krippendorff_alpha: Option<f64>,
    /// Fewer than `MIN_CODED_UNITS` coded units: read the figures as unstable.
    pub unstable: bool,
}

/// Which paragraphs were counted as units.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Units {
    pub kind: UnitKind,
    /// Paragraphs counted, over all the sources compared.
    pub paragraphs: usize,
    /// Paragraphs of those sources left out as headings, title lines or notes (0 for all).
    pub left_out: usize,
}

/// How much of the material one coder's values cover.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Coverage {
    pub coder: String,
    /// Of the sources compared, how many this coder coded.
    pub sources: usize,
    /// Of the paragraph units, how many this coder has values for (the rest are missing).
    pub units: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Agreement {
    pub coders: Vec<String>,
    /// Sources that at least two of the compared coders coded.
    pub sources: Vec<String>,
    pub units: Units,
    /// Per coder, in the order of `coders`.
    pub coverage: Vec<Coverage>,
    pub overall: Figures,
    pub per_level: Vec<Figures>,
    pub per_code: Vec<Figures>,
    /// Of the characters any coder coded with some code, the share every coder who coded
    /// that source coded with that same code (per code, summed): descriptive, not a
    /// reliability coefficient.
    pub overlapping_characters: Option<f64>,
}

/// κ, α and % agreement of units × coders values (`None`: the coder did not code the unit's
/// source).
fn summarise(name: String, values: &[Vec<Option<bool>>], coders: usize) -> Figures {
    // Units with fewer than two values take no part in any figure, so they count nowhere.
    let pairable = |u: &&Vec<Option<bool>>| u.iter().flatten().count() >= 2;
    let units = values.iter().filter(pairable).count();
    let coded_units = values
        .iter()
        .filter(pairable)
        .filter(|u| u.contains(&Some(true)))
        .count();
    // κ has no place for missing values: it takes the units both coders coded.
    let kappa = (coders == 2)
        .then(|| {
            let pairs: Vec<(bool, bool)> =
                values.iter().filter_map(|u| Some((u[0]?, u[1]?))).collect();
            cohen_kappa(&pairs)
        })
        .flatten();
    Figures {
        name,
        units,
        coded_units,
        percent_agreement: percent_agreement(values),
        cohen_kappa: kappa,
        krippendorff_alpha: krippendorff_alpha_nominal(values),
        unstable: coded_units < MIN_CODED_UNITS,
    }
}

/// Agreement between `coders` (at least two) over the sources at least two of them coded,
/// source by source reported to `progress` (a large project takes a while). A coder who did
/// not code a source is missing there: α takes missing values, κ (two coders) counts the
/// units both coded.
pub fn agreement(
    corpus: &Corpus,
    codings: &CodingSet,
    coders: &[String],
    options: &Options,
    progress: &dyn crate::progress::Progress,
) -> crate::Result<Agreement> {
    let included = agreement_sources(codings, coders, 2);

    // Unit values: (source, paragraph) → per coder, the codes on spans overlapping it, or
    // None where the coder did not code the source.
    struct Unit {
        codes: Vec<Option<BTreeSet<String>>>,
    }
    let mut units: Vec<Unit> = Vec::new();
    let mut left_out = 0usize;
    let mut coverage = vec![(0usize, 0usize); coders.len()];
    let (mut all_chars, mut common_chars) = (0usize, 0usize);
    progress.stage(crate::progress::Stage::Comparing, included.len() as u64);
    for (source_id, present) in &included {
        crate::progress::check(progress)?;
        progress.advance(1);
        let Some(source) = corpus.source(source_id) else {
            continue;
        };
        let segments: Vec<crate::corpus::source::Segment> = source
            .segments()
            .into_iter()
            .filter(|s| {
                let keep =
                    options.units == UnitKind::All || !s.is_heading_or_note(&source.meta.title);
                left_out += usize::from(!keep);
                keep
            })
            .collect();
        let mut per_segment: Vec<Unit> = segments
            .iter()
            .map(|_| Unit {
                codes: present.iter().map(|&p| p.then(BTreeSet::new)).collect(),
            })
            .collect();
        let mut chars: BTreeMap<&str, Vec<BTreeSet<usize>>> = BTreeMap::new();
        for c in codings.in_source(source_id) {
            let Some(k) = coders.iter().position(|x| *x == c.coder) else {
                continue;
            };
            for (i, seg) in segments.iter().enumerate() {
                if c.coding.start < seg.end
                    && seg.start < c.coding.end
                    && let Some(set) = &mut per_segment[i].codes[k]
                {
                    set.insert(c.coding.code.clone());
                }
            }
            chars
                .entry(c.coding.code.as_str())
                .or_insert_with(|| vec![BTreeSet::new(); coders.len()])[k]
                .extend(c.coding.start..c.coding.end);
        }
        for sets in chars.values() {
            let union: BTreeSet<usize> = sets.iter().flatten().copied().collect();
            all_chars += union.len();
            common_chars += union
                .iter()
                .filter(|pos| {
                    sets.iter()
                        .zip(present)
                        .all(|(set, &coded)| !coded || set.contains(pos))
                })
                .count();
        }
        for (k, &coded) in present.iter().enumerate() {
            if coded {
                coverage[k].0 += 1;
                coverage[k].1 += per_segment.len();
            }
        }
        units.extend(per_segment);
    }

    let values: Vec<Vec<Option<BTreeSet<String>>>> = units.into_iter().map(|u| u.codes).collect();
    let paragraphs = values.len();
    let (values, with_values) = without_absent_coders(values);
    let (overall, per_level, per_code) = code_figures(corpus, &values, with_values);
    Ok(Agreement {
        coders: coders.to_vec(),
        units: Units {
            kind: options.units,
            paragraphs,
            left_out,
        },
        coverage: coders
            .iter()
            .zip(coverage)
            .map(|(coder, (sources, units))| Coverage {
                coder: coder.clone(),
                sources,
                units,
            })
            .collect(),
        sources: included.into_iter().map(|(s, _)| s).collect(),
        overall,
        per_level,
        per_code,
        overlapping_characters: (all_chars > 0).then(|| common_chars as f64 / all_chars as f64),
    })
}

/// The units × coders values without the coders who have no value anywhere (who coded none
/// of the sources compared), and how many coders are left. Such a coder adds only missing
/// values, which change no figure but would keep two coders who did overlap from their κ
/// (the coverage still names the one left out).
pub fn without_absent_coders<T>(values: Vec<Vec<Option<T>>>) -> (Vec<Vec<Option<T>>>, usize) {
    let Some(width) = values.first().map(Vec::len) else {
        return (values, 0);
    };
    let present: Vec<bool> = (0..width)
        .map(|k| values.iter().any(|u| u[k].is_some()))
        .collect();
    let left = present.iter().filter(|p| **p).count();
    if left == width {
        return (values, width);
    }
    let values = values
        .into_iter()
        .map(|u| {
            u.into_iter()
                .zip(&present)
                .filter_map(|(v, &p)| p.then_some(v))
                .collect()
        })
        .collect();
    (values, left)
}

/// Agreement overall, per fishbone level and per code, from units × coders values: for each
/// unit, per coder, the codes on spans overlapping it (None: the coder gave no values there).
/// Per code and level only where some coder used it; overall pools every (unit, code in use).
pub(crate) fn code_figures(
    corpus: &Corpus,
    units: &[Vec<Option<BTreeSet<String>>>],
    coders: usize,
) -> (Figures, Vec<Figures>, Vec<Figures>) {
    let figures = |name: String, applies: &dyn Fn(&BTreeSet<String>) -> bool| -> Figures {
        let values: Vec<Vec<Option<bool>>> = units
            .iter()
            .map(|u| u.iter().map(|set| set.as_ref().map(applies)).collect())
            .collect();
        summarise(name, &values, coders)
    };
    let used: BTreeSet<&str> = units
        .iter()
        .flat_map(|u| u.iter().flatten().flatten().map(String::as_str))
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
    let per_level: Vec<Figures> = corpus
        .codebook
        .levels()
        .iter()
        .map(|&level| {
            figures(level.as_str().to_string(), &|set: &BTreeSet<String>| {
                set.iter().any(|c| level_of.get(c.as_str()) == Some(&level))
            })
        })
        .filter(|f| f.coded_units > 0)
        .collect();
    // Overall: every (unit, code) pair is a unit, pooled over the codes in use.
    let pooled: Vec<Vec<Option<bool>>> = units
        .iter()
        .flat_map(|u| {
            used.iter()
                .map(|code| {
                    u.iter()
                        .map(|set| set.as_ref().map(|s| s.contains(*code)))
                        .collect()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let overall = summarise("overall".into(), &pooled, coders);
    (overall, per_level, per_code)
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
    fn a_coder_with_no_value_anywhere_is_left_out() {
        let values = vec![
            vec![Some(true), None, Some(true)],
            vec![Some(false), None, Some(true)],
        ];
        let (left, n) = without_absent_coders(values);
        assert_eq!(n, 2);
        assert_eq!(
            left,
            vec![vec![Some(true), Some(true)], vec![Some(false), Some(true)]]
        );
        let (same, n) = without_absent_coders(vec![vec![Some(1), None], vec![None, Some(2)]]);
        assert_eq!((same.len(), n), (2, 2));
    }

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
    fn kappa_takes_the_units_both_coded_and_few_coded_units_are_flagged() {
        let values = vec![
            vec![Some(true), Some(true)],
            vec![Some(false), Some(false)],
            vec![Some(true), Some(false)],
            // The second coder did not code this unit's source: no pair for κ, one value
            // for α (which needs two in a unit).
            vec![Some(true), None],
        ];
        let f = summarise("x".into(), &values, 2);
        assert_eq!((f.units, f.coded_units), (3, 2));
        // Over the three pairs: p_o = 2/3, p_e = 2/3·1/3 + 1/3·2/3 = 4/9, κ = 0.4.
        assert!((f.cohen_kappa.unwrap() - 0.4).abs() < 1e-12);
        assert_eq!(
            f.krippendorff_alpha,
            krippendorff_alpha_nominal(&values[..3])
        );
        assert!(f.unstable, "2 coded units");
        let many: Vec<Vec<Option<bool>>> =
            (0..20).map(|i| vec![Some(i < 10), Some(i < 10)]).collect();
        assert!(!summarise("y".into(), &many, 2).unstable, "10 coded units");
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
    let shared = agreement_sources(codings, &pair, 2);
    let mut out = Vec::new();
    for (source_id, _) in shared {
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

/// Sources that at least `min` of `coders` have live codings in, each with which of `coders`
/// coded it (in the order of `coders`).
fn agreement_sources(
    codings: &CodingSet,
    coders: &[String],
    min: usize,
) -> Vec<(String, Vec<bool>)> {
    let mut coded_by: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in codings.codings.iter().filter(|c| !c.coding.orphaned) {
        coded_by
            .entry(c.source.as_str())
            .or_default()
            .insert(c.coder.as_str());
    }
    coded_by
        .into_iter()
        .map(|(s, who)| {
            let present: Vec<bool> = coders.iter().map(|c| who.contains(c.as_str())).collect();
            (s.to_string(), present)
        })
        .filter(|(_, present)| present.iter().filter(|p| **p).count() >= min)
        .collect()
}
