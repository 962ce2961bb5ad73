//! Framework matrices (Gale et al. 2013): cases (or sources) × codes (or fishbone levels),
//! each cell holding the researchers' summaries from `corpus/framework.toml` and the codings
//! that support it — the live codings of that code (or of a code of that level) on that
//! case's material (or in that source). Plain data, for the CLI, the exports and the TUI.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::coding::CodingSet;
use crate::coding::framework::{self, ColumnKind, Framework, RowKind};
use crate::corpus::Corpus;
use crate::corpus::codebook::Level;
use crate::error::{Error, Result};

/// A row or column: its key in framework.toml (`case:ID`, `code:ID`, …) and a label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    pub key: String,
    pub id: String,
    pub label: String,
}

/// One author's summary of a cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellSummary {
    pub author: String,
    pub text: String,
}

/// A coding that supports a cell, with its quote (verbatim from the source).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Support {
    pub coder: String,
    pub source: String,
    pub coding: String,
    pub code: String,
    /// Char offsets into the source body.
    pub start: usize,
    pub end: usize,
    pub quote: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cell {
    pub summaries: Vec<CellSummary>,
    pub codings: Vec<Support>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkMatrix {
    pub rows_are: RowKind,
    pub columns_are: ColumnKind,
    pub title: String,
    pub rows: Vec<Header>,
    pub columns: Vec<Header>,
    /// `cells[r][c]`.
    pub cells: Vec<Vec<Cell>>,
}

/// The matrices that framework.toml has summaries for (case × code first); just case × code
/// when it has none, so the charting can start from the counts.
pub fn matrices(
    corpus: &Corpus,
    codings: &CodingSet,
    summaries: &Framework,
    coder: Option<&str>,
) -> Vec<FrameworkMatrix> {
    let mut kinds: Vec<(RowKind, ColumnKind)> = summaries
        .summaries
        .iter()
        .filter_map(|s| {
            let (r, _) = framework::parse_row(&s.row).ok()?;
            let (c, _) = framework::parse_column(&s.column).ok()?;
            Some((r, c))
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    if kinds.is_empty() {
        kinds.push((RowKind::Case, ColumnKind::Code));
    }
    kinds
        .into_iter()
        .map(|(r, c)| matrix(corpus, codings, summaries, r, c, coder))
        .collect()
}

/// One matrix. Rows: every case in cases.toml, or every source with a supporting coding or
/// a summary. Columns: every code with a supporting coding or a summary (code-book order),
/// or all five levels.
pub fn matrix(
    corpus: &Corpus,
    codings: &CodingSet,
    summaries: &Framework,
    rows_are: RowKind,
    columns_are: ColumnKind,
    coder: Option<&str>,
) -> FrameworkMatrix {
    // Supporting codings by (row id, column id).
    let mut support: BTreeMap<(String, String), Vec<Support>> = BTreeMap::new();
    for c in codings
        .codings
        .iter()
        .filter(|c| !c.coding.orphaned && coder.is_none_or(|k| c.coder == k))
    {
        let Some(source) = corpus.source(&c.source) else {
            continue;
        };
        let row = match rows_are {
            RowKind::Case => corpus.case_of_span(source, c.coding.start, c.coding.end),
            RowKind::Source => Some(c.source.as_str()),
        };
        let column = match columns_are {
            ColumnKind::Code => Some(c.coding.code.as_str()),
            ColumnKind::Level => corpus
                .codebook
                .code(&c.coding.code)
                .and_then(|k| k.level)
                .map(Level::as_str),
        };
        let (Some(row), Some(column)) = (row, column) else {
            continue;
        };
        support
            .entry((row.to_string(), column.to_string()))
            .or_default()
            .push(Support {
                coder: c.coder.clone(),
                source: c.source.clone(),
                coding: c.coding.id.clone(),
                code: c.coding.code.clone(),
                start: c.coding.start,
                end: c.coding.end,
                quote: c.coding.quote.clone(),
            });
    }
    let row_prefix = match rows_are {
        RowKind::Case => "case",
        RowKind::Source => "source",
    };
    let column_prefix = match columns_are {
        ColumnKind::Code => "code",
        ColumnKind::Level => "level",
    };
    // Rows and columns that have something: a supporting coding or a summary in this matrix.
    let mut filled_rows: BTreeSet<String> = support.keys().map(|(r, _)| r.clone()).collect();
    let mut filled_columns: BTreeSet<String> = support.keys().map(|(_, c)| c.clone()).collect();
    for s in &summaries.summaries {
        if let (Ok((r, row)), Ok((c, column))) = (
            framework::parse_row(&s.row),
            framework::parse_column(&s.column),
        ) && r == rows_are
            && c == columns_are
        {
            filled_rows.insert(row.to_string());
            filled_columns.insert(column.to_string());
        }
    }
    let header = |prefix: &str, id: &str, label: &str| Header {
        key: format!("{prefix}:{id}"),
        id: id.to_string(),
        label: label.to_string(),
    };
    let rows: Vec<Header> = match rows_are {
        RowKind::Case => corpus
            .cases
            .cases
            .iter()
            .map(|c| header(row_prefix, &c.id, &c.label))
            .collect(),
        RowKind::Source => corpus
            .sources
            .iter()
            .filter(|s| filled_rows.contains(&s.meta.id))
            .map(|s| header(row_prefix, &s.meta.id, &s.meta.title))
            .collect(),
    };
    let columns: Vec<Header> = match columns_are {
        ColumnKind::Code => corpus
            .codebook
            .codes
            .iter()
            .filter(|k| filled_columns.contains(&k.id))
            .map(|k| header(column_prefix, &k.id, &k.label))
            .collect(),
        ColumnKind::Level => corpus
            .codebook
            .levels()
            .into_iter()
            .map(|l| header(column_prefix, l.as_str(), corpus.codebook.level_label(l)))
            .collect(),
    };
    let cells = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| Cell {
                    summaries: summaries
                        .of(&r.key, &c.key)
                        .map(|s| CellSummary {
                            author: s.author.clone(),
                            text: s.text.clone(),
                        })
                        .collect(),
                    codings: support
                        .get(&(r.id.clone(), c.id.clone()))
                        .cloned()
                        .unwrap_or_default(),
                })
                .collect()
        })
        .collect();
    FrameworkMatrix {
        title: format!("{row_prefix} × {column_prefix}"),
        rows_are,
        columns_are,
        rows,
        columns,
        cells,
    }
}

/// The framework.toml key of a row the user named: `case:ID` / `source:ID` as written, or a
/// bare id that is a case (first) or a source of the corpus.
pub fn resolve_row(corpus: &Corpus, name: &str) -> Result<String> {
    if name.contains(':') {
        let (kind, id) = framework::parse_row(name).map_err(Error::Usage)?;
        let known = match kind {
            RowKind::Case => corpus.cases.get(id).is_some(),
            RowKind::Source => corpus.source(id).is_some(),
        };
        return known
            .then(|| name.to_string())
            .ok_or_else(|| Error::Usage(format!("{name:?}: no such case or source")));
    }
    if corpus.cases.get(name).is_some() {
        Ok(format!("case:{name}"))
    } else if corpus.source(name).is_some() {
        Ok(format!("source:{name}"))
    } else {
        Err(Error::Usage(format!(
            "{name:?} is neither a case of cases.toml nor a source (cases: {})",
            corpus
                .cases
                .cases
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }
}

/// The framework.toml key of a column the user named: `code:ID` / `level:NAME`, or a bare
/// code id (first) or level name.
pub fn resolve_column(corpus: &Corpus, name: &str) -> Result<String> {
    if name.contains(':') {
        let (kind, id) = framework::parse_column(name).map_err(Error::Usage)?;
        if kind == ColumnKind::Code && corpus.codebook.code(id).is_none() {
            return Err(Error::Usage(format!("{name:?}: no such code")));
        }
        if kind == ColumnKind::Level && corpus.codebook.level(id).is_none() {
            return Err(Error::Usage(format!(
                "{name:?}: no such level (the code book's levels are {})",
                level_names(corpus)
            )));
        }
        return Ok(name.to_string());
    }
    if corpus.codebook.code(name).is_some() {
        Ok(format!("code:{name}"))
    } else if corpus.codebook.level(name).is_some() {
        Ok(format!("level:{name}"))
    } else {
        Err(Error::Usage(format!(
            "{name:?} is neither a code of the code book nor a level ({})",
            level_names(corpus)
        )))
    }
}

fn level_names(corpus: &Corpus) -> String {
    corpus
        .codebook
        .levels()
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
