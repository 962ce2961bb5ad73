//! The Matrix page: fishbone level × case, or codes × codes together in a paragraph; Enter
//! lists the passages behind a cell.

use crate::analysis::matrix::{self, Matrix};
use crate::tui::action::Action;
use crate::tui::popups::{PassageItem, Popup};
use crate::workspace::Workspace;

use super::{Command, Ctx};

/// Which matrix the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatrixKind {
    #[default]
    LevelByCase,
    CoOccurrence,
}

/// Which table, the selected cell, and the table itself (computed when the page opens and
/// after every change to the codings, not per frame).
#[derive(Debug, Clone, Default)]
pub struct MatrixState {
    pub kind: MatrixKind,
    pub row: usize,
    pub col: usize,
    pub data: Option<Matrix>,
}

impl MatrixState {
    /// Compute the table if it is not there (or was invalidated by a change).
    pub fn ensure(&mut self, ws: &Workspace) {
        if self.data.is_some() {
            return;
        }
        let m = match self.kind {
            MatrixKind::LevelByCase => matrix::level_by_case(&ws.corpus, &ws.codings, None),
            MatrixKind::CoOccurrence => matrix::co_occurrence(&ws.corpus, &ws.codings, None),
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
                self.kind = match self.kind {
                    MatrixKind::LevelByCase => MatrixKind::CoOccurrence,
                    MatrixKind::CoOccurrence => MatrixKind::LevelByCase,
                };
                self.row = 0;
                self.col = 0;
                self.data = None;
                self.ensure(ctx.ws);
            }
            Action::Enter => return self.passages(ctx),
            _ => {}
        }
        Vec::new()
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
