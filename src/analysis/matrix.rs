//! Matrices that show patterns across codes and teams: code co-occurrence (two codes on one
//! paragraph, which includes overlapping spans) and passages per fishbone bone × case.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::coding::CodingSet;
use crate::corpus::Corpus;
use crate::corpus::codebook::{Level, Valence};

/// A table of counts with its row and column labels; `cells[r][c]`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Matrix {
    pub title: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub cells: Vec<Vec<usize>>,
    /// The passages behind each non-empty cell: (source id, paragraph ordinal).
    #[serde(skip)]
    pub passages: BTreeMap<(usize, usize), BTreeSet<(String, u32)>>,
    /// Something a reader must know to read the table right (e.g. most material has no case).
    pub note: Option<String>,
    /// (passages of no case, all coded passages) when most have no case: what `note` says,
    /// as figures for a UI that says it in its own language.
    pub mostly_no_case: Option<(usize, usize)>,
}

impl Matrix {
    /// Comma-separated values: a header row of columns, then one row per row label.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let head = std::iter::once(self.title.clone()).chain(self.columns.iter().cloned());
        // Writing to memory cannot fail; a record of strings always serialises.
        w.write_record(head).expect("CSV in memory");
        for (r, row) in self.rows.iter().enumerate() {
            let cells =
                std::iter::once(row.clone()).chain(self.cells[r].iter().map(usize::to_string));
            w.write_record(cells).expect("CSV in memory");
        }
        String::from_utf8(w.into_inner().expect("CSV in memory")).expect("CSV of UTF-8 strings")
    }
}

/// Call `visit` for every live coding (of `coder`, or of everyone) and each paragraph of its
/// source that it touches (by ordinal). A source's paragraphs are found once.
fn each_coded_paragraph<'a>(
    corpus: &'a Corpus,
    codings: &'a CodingSet,
    coder: Option<&str>,
    mut visit: impl FnMut(&'a crate::coding::Placed, &'a crate::corpus::source::Source, u32),
) {
    let mut segments = BTreeMap::new();
    for c in codings
        .codings
        .iter()
        .filter(|c| !c.coding.orphaned && coder.is_none_or(|k| c.coder == k))
    {
        let Some(src) = corpus.source(&c.source) else {
            continue;
        };
        let segs = segments
            .entry(c.source.as_str())
            .or_insert_with(|| src.segments());
        for seg in segs
            .iter()
            .filter(|s| s.start < c.coding.end && c.coding.start < s.end)
        {
            visit(c, src, seg.ordinal);
        }
    }
}

/// The paragraphs each code (of `coder`, or of everyone) was put on.
fn coded_paragraphs(
    corpus: &Corpus,
    codings: &CodingSet,
    coder: Option<&str>,
) -> BTreeMap<(String, u32), BTreeSet<String>> {
    let mut by_paragraph: BTreeMap<(String, u32), BTreeSet<String>> = BTreeMap::new();
    each_coded_paragraph(corpus, codings, coder, |c, _, ordinal| {
        by_paragraph
            .entry((c.source.clone(), ordinal))
            .or_default()
            .insert(c.coding.code.clone());
    });
    by_paragraph
}

/// Codes × codes: how many paragraphs carry both (the diagonal: paragraphs with the code).
/// Only codes in use, in code-book order.
pub fn co_occurrence(corpus: &Corpus, codings: &CodingSet, coder: Option<&str>) -> Matrix {
    let by_paragraph = coded_paragraphs(corpus, codings, coder);
    let used: BTreeSet<&str> = by_paragraph
        .values()
        .flatten()
        .map(String::as_str)
        .collect();
    let codes: Vec<&str> = corpus
        .codebook
        .codes
        .iter()
        .map(|c| c.id.as_str())
        .filter(|c| used.contains(c))
        .collect();
    let index: BTreeMap<&str, usize> = codes.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let mut cells = vec![vec![0; codes.len()]; codes.len()];
    let mut passages: BTreeMap<(usize, usize), BTreeSet<(String, u32)>> = BTreeMap::new();
    for (paragraph, on) in &by_paragraph {
        let ids: Vec<usize> = on
            .iter()
            .filter_map(|c| index.get(c.as_str()).copied())
            .collect();
        for &a in &ids {
            for &b in &ids {
                cells[a][b] += 1;
                passages
                    .entry((a, b))
                    .or_default()
                    .insert(paragraph.clone());
            }
        }
    }
    Matrix {
        title: "code × code (paragraphs)".into(),
        rows: codes.iter().map(|c| c.to_string()).collect(),
        columns: codes.iter().map(|c| c.to_string()).collect(),
        cells,
        passages,
        note: None,
        mostly_no_case: None,
    }
}

/// The column of passages the text ties to no case (the TUI shows it in its language).
pub const NO_CASE: &str = "(no case)";

/// Fishbone bones (level and valence) × cases: paragraphs coded with a factor of the bone,
/// by the case the text ties the coded span to; a last column for passages of no case.
pub fn level_by_case(corpus: &Corpus, codings: &CodingSet, coder: Option<&str>) -> Matrix {
    let mut columns: Vec<String> = corpus.cases.cases.iter().map(|c| c.id.clone()).collect();
    columns.push(NO_CASE.into());
    let mut rows = Vec::new();
    let levels = corpus.codebook.levels();
    for level in &levels {
        for valence in Valence::ALL {
            rows.push(format!("{} {}", valence.glyph(), level.as_str()));
        }
    }
    let row_of = |level: Level, valence: Valence| {
        levels.iter().position(|l| *l == level).unwrap_or(0) * Valence::ALL.len()
            + Valence::ALL.iter().position(|v| *v == valence).unwrap_or(0)
    };
    let mut passages: BTreeMap<(usize, usize), BTreeSet<(String, u32)>> = BTreeMap::new();
    each_coded_paragraph(corpus, codings, coder, |c, src, ordinal| {
        let Some(code) = corpus.codebook.code(&c.coding.code) else {
            return;
        };
        let (Some(level), Some(valence)) = (code.level, code.valence) else {
            return;
        };
        let case = corpus.case_of_span(src, c.coding.start, c.coding.end);
        let column = case
            .and_then(|id| columns.iter().position(|c| c == id))
            .unwrap_or(columns.len() - 1);
        passages
            .entry((row_of(level, valence), column))
            .or_default()
            .insert((c.source.clone(), ordinal));
    });
    let mut cells = vec![vec![0; columns.len()]; rows.len()];
    for ((r, c), set) in &passages {
        cells[*r][*c] = set.len();
    }
    let total: usize = cells.iter().flatten().sum();
    let without: usize = cells.iter().map(|r| r[columns.len() - 1]).sum();
    // A project whose every coded passage lies in a case needs no column of zeros for none.
    if without == 0 {
        columns.pop();
        for row in &mut cells {
            row.pop();
        }
    }
    let note = (total > 0 && without * 2 > total).then(|| {
        format!(
            "{without} of {total} coded passages belong to no case: the text ties most material to no focus group, so the case columns show only a small part of it"
        )
    });
    Matrix {
        title: "bone × case (paragraphs)".into(),
        rows,
        columns,
        cells,
        passages,
        mostly_no_case: note.is_some().then_some((without, total)),
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it() {
        let m = Matrix {
            title: "t".into(),
            rows: vec!["a,b".into()],
            columns: vec!["x\"y".into()],
            cells: vec![vec![3]],
            passages: BTreeMap::new(),
            note: None,
            mostly_no_case: None,
        };
        assert_eq!(m.to_csv(), "t,\"x\"\"y\"\n\"a,b\",3\n");
    }
}
