//! Framework summaries (Gale et al. 2013, the framework method's charting stage): a short
//! summary per cell of a matrix of cases (or sources) × codes (or fishbone levels), one per
//! cell and author, in `corpus/framework.toml`. Written like memos: read fresh and written
//! back atomically under the codings lock.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A row of a framework matrix: a case (focus group) or a single source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    Case,
    Source,
}

/// A column of a framework matrix: a code or a fishbone level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    Code,
    Level,
}

/// One cell's summary by one author. `row` is `case:ID` or `source:ID`, `column` is
/// `code:ID` or `level:NAME`, so the file says what every summary is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub row: String,
    pub column: String,
    pub author: String,
    pub text: String,
    pub updated: toml::value::Datetime,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    #[serde(default, rename = "summary", skip_serializing_if = "Vec::is_empty")]
    pub summaries: Vec<Summary>,
}

/// Split `case:ID` / `source:ID`.
pub fn parse_row(row: &str) -> std::result::Result<(RowKind, &str), String> {
    match row.split_once(':') {
        Some(("case", id)) if !id.is_empty() => Ok((RowKind::Case, id)),
        Some(("source", id)) if !id.is_empty() => Ok((RowKind::Source, id)),
        _ => Err(format!("{row:?}: a row is case:ID or source:ID")),
    }
}

/// Split `code:ID` / `level:NAME`.
pub fn parse_column(column: &str) -> std::result::Result<(ColumnKind, &str), String> {
    match column.split_once(':') {
        Some(("code", id)) if !id.is_empty() => Ok((ColumnKind::Code, id)),
        // Which levels exist is the code book's to say (`resolve_column` checks it); here
        // only the form, so a book with its own bones can have summaries per level.
        Some(("level", name)) if crate::corpus::source::validate_id(name).is_ok() => {
            Ok((ColumnKind::Level, name))
        }
        _ => Err(format!(
            "{column:?}: a column is code:ID or level:NAME (a level of the code book, e.g. team)"
        )),
    }
}

pub fn path(corpus: &Path) -> PathBuf {
    corpus.join("framework.toml")
}

/// The summaries of a corpus (none without a framework file); a summary whose row or column
/// is malformed is an error naming the file.
pub fn load(corpus: &Path) -> Result<Framework> {
    let path = path(corpus);
    let framework: Framework = crate::text_file::load_toml(&path)?;
    for s in &framework.summaries {
        parse_row(&s.row)
            .and_then(|_| parse_column(&s.column))
            .map_err(|message| Error::invalid(&path, None, message))?;
    }
    Ok(framework)
}

impl Framework {
    /// Every author's summary of the cell (`row`, `column`).
    pub fn of<'a>(&'a self, row: &'a str, column: &'a str) -> impl Iterator<Item = &'a Summary> {
        self.summaries
            .iter()
            .filter(move |s| s.row == row && s.column == column)
    }
}

/// Set `author`'s summary of cell (`row`, `column`); empty text removes it. The file is read
/// fresh under the lock. Returns the summary it replaced, if any (for undo).
pub fn set(
    corpus: &Path,
    row: &str,
    column: &str,
    author: &str,
    text: &str,
) -> Result<Option<Summary>> {
    parse_row(row).map_err(Error::Usage)?;
    parse_column(column).map_err(Error::Usage)?;
    let text = text.trim();
    let summary = (!text.is_empty()).then(|| Summary {
        row: row.to_string(),
        column: column.to_string(),
        author: author.to_string(),
        text: text.to_string(),
        updated: super::time::now(),
    });
    put(corpus, row, column, author, summary)
}

/// Put back exactly `summary` (or remove `author`'s summary of the cell when None): undo.
pub fn restore(
    corpus: &Path,
    row: &str,
    column: &str,
    author: &str,
    summary: Option<&Summary>,
) -> Result<()> {
    put(corpus, row, column, author, summary.cloned()).map(|_| ())
}

fn put(
    corpus: &Path,
    row: &str,
    column: &str,
    author: &str,
    summary: Option<Summary>,
) -> Result<Option<Summary>> {
    let _lock = super::lock::acquire(corpus)?;
    let mut framework = load(corpus)?;
    let at = framework
        .summaries
        .iter()
        .position(|s| s.row == row && s.column == column && s.author == author);
    let Some(previous) = super::replace_entry(&mut framework.summaries, at, summary) else {
        return Ok(None);
    };
    save(corpus, &framework)?;
    Ok(previous)
}

/// Write the summaries atomically (the caller holds the codings lock).
pub(crate) fn save(corpus: &Path, framework: &Framework) -> Result<()> {
    crate::text_file::save_toml(
        &path(corpus),
        "Framework matrix summaries per cell and author (visgraat framework set).",
        framework,
    )
}

/// Code `from` is merged into `into`: its summaries become summaries of `into`. Where the
/// same author already summarised that cell for `into`, the two texts are joined (the
/// author decides what stays), so nothing written is lost.
pub fn merge_code(framework: &mut Framework, from: &str, into: &str) {
    let (from, into) = (format!("code:{from}"), format!("code:{into}"));
    let moved: Vec<Summary> = framework
        .summaries
        .extract_if(.., |s| s.column == from)
        .collect();
    for mut s in moved {
        let existing = framework
            .summaries
            .iter_mut()
            .find(|t| t.column == into && t.row == s.row && t.author == s.author);
        match existing {
            Some(t) => {
                t.text = format!("{}\n\n{}", t.text, s.text);
                t.updated = super::time::now();
            }
            None => {
                s.column = into.clone();
                framework.summaries.push(s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_a_code_carries_its_summaries_and_joins_an_authors_two() {
        let at: toml::value::Datetime = "2026-01-01T00:00:00Z".parse().unwrap();
        let summary = |row: &str, column: &str, author: &str, text: &str| Summary {
            row: row.into(),
            column: column.into(),
            author: author.into(),
            text: text.into(),
            updated: at,
        };
        let mut f = Framework {
            summaries: vec![
                summary("case:a", "code:old", "ana", "Eerst."),
                summary("case:a", "code:new", "ana", "Al."),
                summary("case:b", "code:old", "bram", "Alleen."),
                summary("case:b", "code:other", "bram", "Blijft."),
            ],
        };
        merge_code(&mut f, "old", "new");
        let cells: Vec<(&str, &str, &str)> = f
            .summaries
            .iter()
            .map(|s| (s.row.as_str(), s.column.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(
            cells,
            [
                ("case:a", "code:new", "Al.\n\nEerst."),
                ("case:b", "code:other", "Blijft."),
                ("case:b", "code:new", "Alleen."),
            ]
        );
    }

    #[test]
    fn set_replace_remove_restore_and_bad_cells() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let (row, col) = ("case:fg-1", "code:team-a");
        assert_eq!(set(dir, row, col, "ana", "Team mist tijd.").unwrap(), None);
        set(dir, row, col, "bram", "Werkdruk hoog.").unwrap();
        let old = set(dir, row, col, "ana", "Herzien.").unwrap().unwrap();
        assert_eq!(old.text, "Team mist tijd.");
        let f = load(dir).unwrap();
        let texts: Vec<&str> = f.of(row, col).map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["Herzien.", "Werkdruk hoog."]);
        restore(dir, row, col, "ana", Some(&old)).unwrap();
        assert_eq!(
            load(dir).unwrap().of(row, col).next().unwrap().text,
            old.text
        );
        set(dir, row, col, "ana", " ").unwrap();
        assert_eq!(load(dir).unwrap().summaries.len(), 1, "empty text removes");
        assert!(set(dir, "fg-1", col, "ana", "x").is_err());
        assert!(set(dir, row, "level:Geen Id", "ana", "x").is_err());
        std::fs::write(
            path(dir),
            "[[summary]]\nrow = \"team:x\"\ncolumn = \"code:a\"\nauthor = \"a\"\ntext = \"t\"\nupdated = 2026-01-01T00:00:00Z\n",
        )
        .unwrap();
        let e = load(dir).unwrap_err().to_string();
        assert!(e.contains("framework.toml") && e.contains("case:ID"), "{e}");
    }
}
