//! The fishbone as a model to draw: which bones go above and below the spine, which factor
//! codes hang on each bone in which order, with which counts, and — for one team — whether
//! the team put the factor on its own sheet, the coding of its talk found it, or both. The
//! TUI's Visgraat view and the exported figure (`export::figure`) both draw this model, so
//! they agree on what goes where.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::stats;
use crate::coding::CodingSet;
use crate::corpus::Corpus;
use crate::corpus::codebook::{Level, Valence};

/// The head when project.toml names none: the outcome the monitor's teams drew towards.
pub const DEFAULT_HEAD: &str = "uitvoering passend onderwijs";

/// Where a bone is drawn: beleid, team and individu above the spine, doelgroep and
/// maatschappij below, as in the monitor's own figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Above,
    Below,
}

/// A code book's own level without a side alternates: its first above, its second below, …
pub fn side(level: Level) -> Side {
    match level {
        Level::Beleid | Level::Team | Level::Individu => Side::Above,
        Level::Doelgroep | Level::Maatschappij => Side::Below,
        other if (other.rank() - Level::ALL.len()).is_multiple_of(2) => Side::Above,
        _ => Side::Below,
    }
}

/// The side a code book gives a level, else [`side`].
pub fn side_in(book: &crate::corpus::codebook::Codebook, level: Level) -> Side {
    match book.level_side(level) {
        Some("above") => Side::Above,
        Some("below") => Side::Below,
        _ => side(level),
    }
}

/// For one team: where a factor was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Presence {
    /// On the team's sheet and in the coding of its talk.
    Both,
    /// Said on paper, not in the talk.
    SheetOnly,
    /// Came up in the talk, not on the sheet.
    CodingOnly,
}

impl Presence {
    /// A glyph per kind, so the difference does not rest on colour alone.
    pub fn glyph(self) -> &'static str {
        match self {
            Presence::Both => "●",
            Presence::SheetOnly => "◇",
            Presence::CodingOnly => "○",
        }
    }
}

/// A factor code on its bone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rib {
    pub code: String,
    pub label: String,
    pub valence: Valence,
    /// Passages coded with it (in the chosen case, when there is one).
    pub passages: usize,
    /// Cases whose passages were coded with it.
    pub cases_coded: usize,
    /// Cases whose own sheet names it.
    pub sheets: usize,
    /// For a chosen case: on its sheet, in its coding, or both.
    pub presence: Option<Presence>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bone {
    pub level: Level,
    pub side: Side,
    /// Distinct passages coded with the bone's bevorderend and belemmerend factors.
    pub passages_plus: usize,
    pub passages_minus: usize,
    /// Bevorderend first, then belemmerend, each in code-book order.
    pub ribs: Vec<Rib>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagram {
    pub head: String,
    /// The case drawn alone (its sheet beside its coding), or None for all cases.
    pub case: Option<String>,
    /// The chosen case's sheet note, if it has one.
    pub sheet_note: Option<String>,
    /// Beleid, team, individu, doelgroep, maatschappij.
    pub bones: Vec<Bone>,
}

impl Diagram {
    pub fn bone(&self, level: Level) -> Option<&Bone> {
        self.bones.iter().find(|b| b.level == level)
    }

    pub fn ribs(&self) -> impl Iterator<Item = &Rib> {
        self.bones.iter().flat_map(|b| b.ribs.iter())
    }
}

/// The fishbone of `codings` (already filtered as the caller wants: a coder, a search's
/// passages, …). With `case`, only that case's coded passages count, and the ribs are the
/// factors on its sheet or in its coding; without, every factor code of the code book.
pub fn diagram(corpus: &Corpus, codings: &CodingSet, case: Option<&str>) -> Diagram {
    let case_of = |p: &crate::coding::Placed| {
        corpus
            .source(&p.source)
            .and_then(|s| corpus.case_of_span(s, p.coding.start, p.coding.end))
    };
    // Cases whose passages were coded with each code, over all cases.
    let mut cases_coded: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for p in codings.codings.iter().filter(|p| !p.coding.orphaned) {
        if let Some(c) = case_of(p) {
            cases_coded
                .entry(p.coding.code.as_str())
                .or_default()
                .insert(c);
        }
    }
    let counted = match case {
        None => stats::fishbone(corpus, codings, None),
        Some(case) => {
            let in_case = CodingSet {
                codings: codings
                    .codings
                    .iter()
                    .filter(|p| case_of(p) == Some(case))
                    .cloned()
                    .collect(),
                ..CodingSet::default()
            };
            stats::fishbone(corpus, &in_case, None)
        }
    };
    let sheet = case
        .and_then(|c| corpus.cases.get(c))
        .and_then(|c| c.fishbone.as_ref());
    let bones = corpus
        .codebook
        .levels()
        .into_iter()
        .map(|level| {
            let mut ribs = Vec::new();
            let mut passages = [0, 0];
            for (v, valence) in Valence::ALL.into_iter().enumerate() {
                let Some(counted) = counted
                    .bones
                    .iter()
                    .find(|b| b.level == level && b.valence == valence)
                else {
                    continue;
                };
                passages[v] = counted.passages;
                for c in &counted.codes {
                    let on_sheet = sheet.is_some_and(|s| s.codes.contains(&c.code));
                    let presence = match (case, on_sheet, c.passages > 0) {
                        (None, ..) | (Some(_), false, false) => None,
                        (Some(_), true, true) => Some(Presence::Both),
                        (Some(_), true, false) => Some(Presence::SheetOnly),
                        (Some(_), false, true) => Some(Presence::CodingOnly),
                    };
                    if case.is_some() && presence.is_none() {
                        continue;
                    }
                    ribs.push(Rib {
                        code: c.code.clone(),
                        label: c.label.clone(),
                        valence,
                        passages: c.passages,
                        cases_coded: cases_coded.get(c.code.as_str()).map_or(0, BTreeSet::len),
                        sheets: c.cases_named,
                        presence,
                    });
                }
            }
            Bone {
                level,
                side: side_in(&corpus.codebook, level),
                passages_plus: passages[0],
                passages_minus: passages[1],
                ribs,
            }
        })
        .collect();
    Diagram {
        head: corpus
            .project
            .as_ref()
            .and_then(|p| p.fishbone_head.clone())
            .unwrap_or_else(|| DEFAULT_HEAD.to_string()),
        case: case.map(str::to_string),
        sheet_note: sheet
            .map(|s| s.note.trim().to_string())
            .filter(|n| !n.is_empty()),
        bones,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_monitor_draws_three_bones_above_and_two_below() {
        let above: Vec<Level> = Level::ALL
            .into_iter()
            .filter(|l| side(*l) == Side::Above)
            .collect();
        assert_eq!(above, [Level::Beleid, Level::Team, Level::Individu]);
    }

    #[test]
    fn presence_has_a_glyph_each() {
        let glyphs: BTreeSet<&str> = [Presence::Both, Presence::SheetOnly, Presence::CodingOnly]
            .into_iter()
            .map(Presence::glyph)
            .collect();
        assert_eq!(glyphs.len(), 3);
    }
}
