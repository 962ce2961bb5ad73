//! The Codes page: the code book by group, with its definitions and counts; codes are made,
//! renamed, defined, split, merged and moved between levels here, and put on a case's own
//! sheet (`f` picks the case, `S` toggles).

use crate::corpus::codebook::{Code, Level, Valence};
use crate::tui::action::Action;
use crate::tui::popups::{PickPurpose, Popup, PromptPurpose};
use crate::workspace::{BookOp, Workspace};

use super::{Command, Ctx, cycle};

#[derive(Debug, Clone, Default)]
pub struct CodesPage {
    /// Index into the code book's codes.
    pub selected: usize,
    /// The case whose own fishbone sheet `S` edits.
    pub case: Option<String>,
}

impl CodesPage {
    /// The page's lines: a group heading (None) and then its codes (index into the code
    /// book), for rendering and for mouse clicks alike.
    pub fn rows(ws: &Workspace) -> Vec<Option<usize>> {
        let book = &ws.corpus.codebook;
        let mut rows = Vec::new();
        for group in &book.groups {
            rows.push(None);
            rows.extend(
                book.codes
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.group == group.id)
                    .map(|(i, _)| Some(i)),
            );
        }
        rows
    }

    /// After the code book changed: keep the selection within it.
    pub fn book_changed(&mut self, ws: &Workspace) {
        self.selected = self
            .selected
            .min(ws.corpus.codebook.codes.len().saturating_sub(1));
    }

    pub fn update(&mut self, action: &Action, ctx: &Ctx) -> Vec<Command> {
        let len = ctx.ws.corpus.codebook.codes.len();
        let last = len.saturating_sub(1);
        match action {
            Action::Up | Action::ScrollUp => self.selected = self.selected.saturating_sub(1),
            Action::Down | Action::ScrollDown => self.selected = (self.selected + 1).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(10),
            Action::PageDown => self.selected = (self.selected + 10).min(last),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = last,
            Action::Enter => {
                return vec![Command::CodePassages {
                    code: self.selected,
                    case: None,
                }];
            }
            Action::Memo => {
                if let Some(code) = ctx.ws.corpus.codebook.codes.get(self.selected) {
                    return vec![crate::tui::popups::memo_on(
                        ctx,
                        format!("code:{}", code.id),
                    )];
                }
            }
            Action::CycleCase => self.case = cycle(&ctx.case_ids(), self.case.clone()),
            other => return self.edit_book(other, ctx),
        }
        Vec::new()
    }

    fn edit_book(&self, action: &Action, ctx: &Ctx) -> Vec<Command> {
        let m = ctx.msg();
        let Some(code) = ctx.ws.corpus.codebook.codes.get(self.selected).cloned() else {
            // An empty code book: the first code goes into the first group.
            if *action == Action::AddCode {
                return vec![Command::Error(m.codebook_empty.into())];
            }
            return Vec::new();
        };
        let prompt = |title: &str, text: String, purpose| {
            vec![Command::Popup(Popup::prompt(title, text, purpose))]
        };
        match action {
            Action::AddCode => prompt(
                m.new_code_label,
                String::new(),
                PromptPurpose::NewCodeLabel { sibling: code.id },
            ),
            Action::RenameCode => prompt(
                m.new_label,
                code.label.clone(),
                PromptPurpose::Rename { id: code.id },
            ),
            Action::EditDefinition => prompt(
                m.definition_prompt,
                code.definition.clone(),
                PromptPurpose::Define { id: code.id },
            ),
            Action::SplitCode => prompt(
                m.split_label,
                String::new(),
                PromptPurpose::Split { id: code.id },
            ),
            Action::MergeCode => vec![Command::Popup(Popup::picker(PickPurpose::Merge {
                from: code.id,
            }))],
            Action::NextLevel | Action::PrevLevel | Action::ToggleValence => {
                match moved(&code, action, &ctx.ws.corpus.codebook.levels()) {
                    Some((level, valence)) => vec![Command::Book(BookOp::Move {
                        id: code.id,
                        level,
                        valence,
                    })],
                    None => vec![Command::Error(m.only_fishbone_level.into())],
                }
            }
            Action::ToggleOnSheet => match self.case.clone() {
                Some(case) => vec![Command::Book(BookOp::ToggleOnSheet {
                    case,
                    code: code.id,
                })],
                None => vec![Command::Error(m.pick_case_with_f.into())],
            },
            _ => Vec::new(),
        }
    }
}

/// Where `>`, `<` and `t` move a fishbone code: the next or previous level, or the other
/// valence. None for a code that is not on the fishbone.
fn moved(code: &Code, action: &Action, levels: &[Level]) -> Option<(Level, Valence)> {
    let (level, valence) = (code.level?, code.valence?);
    let n = levels.len().max(1);
    let at = levels.iter().position(|l| *l == level).unwrap_or(0);
    let nth = |i: usize| levels.get(i).copied().unwrap_or(level);
    Some(match action {
        Action::NextLevel => (nth((at + 1) % n), valence),
        Action::PrevLevel => (nth((at + n - 1) % n), valence),
        _ => (
            level,
            match valence {
                Valence::Bevorderend => Valence::Belemmerend,
                Valence::Belemmerend => Valence::Bevorderend,
            },
        ),
    })
}
