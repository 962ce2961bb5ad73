//! The Matrix page: fishbone level × case, codes × codes together in a paragraph, or a
//! framework matrix (Gale et al. 2013) of case × code or case × level whose cells hold the
//! researchers' summaries, written here (`e`); Enter lists the passages behind a cell.

use crate::analysis::framework::FrameworkMatrix;
use crate::analysis::matrix::{self, Matrix};
use crate::coding::framework::{ColumnKind, RowKind};
use crate::tui::action::Action;
use crate::tui::i18n::methods::{self, fill};
use crate::tui::popups::{PassageItem, Popup, PromptPurpose};
use crate::workspace::Workspace;

use super::{Command, Ctx};

/// Which matrix the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatrixKind {
    #[default]
    LevelByCase,
    CoOccurrence,
    /// Cases × codes with summaries.
    FrameworkCodes,
    /// Cases × fishbone levels with summaries.
    FrameworkLevels,
}

impl MatrixKind {
    fn next(self) -> MatrixKind {
        match self {
            MatrixKind::LevelByCase => MatrixKind::CoOccurrence,
            MatrixKind::CoOccurrence => MatrixKind::FrameworkCodes,
            MatrixKind::FrameworkCodes => MatrixKind::FrameworkLevels,
            MatrixKind::FrameworkLevels => MatrixKind::LevelByCase,
        }
    }

    fn framework_columns(self) -> Option<ColumnKind> {
        match self {
            MatrixKind::FrameworkCodes => Some(ColumnKind::Code),
            MatrixKind::FrameworkLevels => Some(ColumnKind::Level),
            _ => None,
        }
    }
}

/// Which table, the selected cell, and the table itself (computed when the page opens and
/// after every change to the codings, not per frame).
#[derive(Debug, Clone, Default)]
pub struct MatrixState {
    pub kind: MatrixKind,
    pub row: usize,
    pub col: usize,
    pub data: Option<Matrix>,
    /// For a framework kind: the matrix with its summaries and supporting codings (`data`
    /// holds its counts).
    pub framework: Option<FrameworkMatrix>,
    /// Why the framework matrix could not be read (a bad framework.toml).
    pub problem: Option<String>,
}

impl MatrixState {
    /// Compute the table if it is not there (or was invalidated by a change).
    pub fn ensure(&mut self, ws: &Workspace) {
        if self.data.is_some() {
            return;
        }
        self.framework = None;
        self.problem = None;
        let m = match self.kind.framework_columns() {
            None if self.kind == MatrixKind::LevelByCase => {
                matrix::level_by_case(&ws.corpus, &ws.codings, None)
            }
            None => matrix::co_occurrence(&ws.corpus, &ws.codings, None),
            Some(columns) => match ws.framework_matrix(RowKind::Case, columns, None) {
                Ok(f) => {
                    let counts = counts_of(&f);
                    self.framework = Some(f);
                    counts
                }
                Err(e) => {
                    self.problem = Some(e.to_string());
                    Matrix {
                        title: String::new(),
                        rows: Vec::new(),
                        columns: Vec::new(),
                        cells: Vec::new(),
                        passages: Default::default(),
                        note: None,
                        mostly_no_case: None,
                    }
                }
            },
        };
        self.row = self.row.min(m.rows.len().saturating_sub(1));
        self.col = self.col.min(m.columns.len().saturating_sub(1));
        self.data = Some(m);
    }

    pub fn update(&mut self, action: &Action, ctx: &Ctx) -> Vec<Command> {
        self.ensure(ctx.ws);
        let Some(m) = &self.data else {
            return Vec::new();
        };
        let (rows, cols) = (m.rows.len(), m.columns.len());
        match action {
            Action::Up | Action::ScrollUp => self.row = self.row.saturating_sub(1),
            Action::Down | Action::ScrollDown => {
                self.row = (self.row + 1).min(rows.saturating_sub(1))
            }
            Action::Left | Action::WordPrev => self.col = self.col.saturating_sub(1),
            Action::Right | Action::WordNext => {
                self.col = (self.col + 1).min(cols.saturating_sub(1))
            }
            Action::Top => self.row = 0,
            Action::Bottom => self.row = rows.saturating_sub(1),
            Action::ToggleValence | Action::NextPane => {
                self.kind = self.kind.next();
                self.row = 0;
                self.col = 0;
                self.data = None;
                self.ensure(ctx.ws);
            }
            Action::Enter if self.framework.is_some() => return self.supporting(ctx),
            Action::Enter => return self.passages(ctx),
            Action::EditSummary => return self.edit_summary(ctx),
            _ => {}
        }
        Vec::new()
    }

    /// The selected framework cell: its row and column headers and the cell.
    pub fn framework_cell(
        &self,
    ) -> Option<(
        &crate::analysis::framework::Header,
        &crate::analysis::framework::Header,
        &crate::analysis::framework::Cell,
    )> {
        let f = self.framework.as_ref()?;
        Some((
            f.rows.get(self.row)?,
            f.columns.get(self.col)?,
            f.cells.get(self.row)?.get(self.col)?,
        ))
    }

    /// The active coder's summary of the selected cell, in a prompt (empty text removes it).
    fn edit_summary(&self, ctx: &Ctx) -> Vec<Command> {
        let mm = methods::methods(ctx.lang);
        let Some((row, column, cell)) = self.framework_cell() else {
            let text = if self.framework.is_some() {
                ctx.msg().matrix_empty
            } else {
                mm.summaries_in_framework
            };
            return vec![Command::Info(text.to_string())];
        };
        let own = cell
            .summaries
            .iter()
            .find(|s| s.author == ctx.coder())
            .map(|s| s.text.clone())
            .unwrap_or_default();
        let title = fill(
            mm.summary_of,
            &[("cell", format!("{} × {}", row.label, column.label))],
        );
        vec![Command::Popup(Popup::prompt(
            &title,
            own,
            PromptPurpose::Summary {
                row: row.key.clone(),
                column: column.key.clone(),
            },
        ))]
    }

    /// The codings that support the selected framework cell, with their quotes.
    fn supporting(&self, ctx: &Ctx) -> Vec<Command> {
        let Some((row, column, cell)) = self.framework_cell() else {
            return Vec::new();
        };
        let title = format!("{} × {}", row.label, column.label);
        if cell.codings.is_empty() {
            return vec![Command::Info(format!("{title}: 0"))];
        }
        let items = cell
            .codings
            .iter()
            .filter_map(|s| {
                let index = ctx.ws.corpus.source_index(&s.source)?;
                Some(PassageItem {
                    source: index,
                    start: s.start,
                    end: s.end,
                    label: format!(
                        "{} · {} · {}",
                        ctx.source(index).meta.title,
                        s.coder,
                        s.quote
                    ),
                })
            })
            .collect();
        vec![Command::Popup(Popup::Passages {
            title,
            items,
            selected: 0,
        })]
    }

    /// The passages behind the selected cell, in a popup (Enter opens one).
    fn passages(&self, ctx: &Ctx) -> Vec<Command> {
        let Some(m) = &self.data else {
            return Vec::new();
        };
        let (r, c) = (self.row, self.col);
        // A matrix without rows or columns (nothing coded yet) has no cell to open.
        let (Some(row), Some(column)) = (m.rows.get(r), m.columns.get(c)) else {
            return Vec::new();
        };
        let Some(set) = m.passages.get(&(r, c)) else {
            return vec![Command::Info(format!("{row} × {column}: 0"))];
        };
        let mut items = Vec::new();
        for (source_id, ordinal) in set {
            let Some(index) = ctx.ws.corpus.source_index(source_id) else {
                continue;
            };
            let src = ctx.source(index);
            if let Some(seg) = src.segments().into_iter().find(|s| s.ordinal == *ordinal) {
                items.push(PassageItem {
                    source: index,
                    start: seg.start,
                    end: seg.end,
                    label: format!("{} ¶{} · {}", src.meta.title, seg.ordinal, seg.text),
                });
            }
        }
        vec![Command::Popup(Popup::Passages {
            title: format!("{row} × {column}"),
            items,
            selected: 0,
        })]
    }
}

/// The counts table of a framework matrix: supporting codings per cell, headers by label.
fn counts_of(f: &FrameworkMatrix) -> Matrix {
    Matrix {
        title: f.title.clone(),
        rows: f.rows.iter().map(label).collect(),
        columns: f.columns.iter().map(label).collect(),
        cells: f
            .cells
            .iter()
            .map(|row| row.iter().map(|c| c.codings.len()).collect())
            .collect(),
        passages: Default::default(),
        note: None,
        mostly_no_case: None,
    }
}

/// A header's label, else its id (a case without a label).
fn label(h: &crate::analysis::framework::Header) -> String {
    if h.label.is_empty() {
        h.id.clone()
    } else {
        h.label.clone()
    }
}
