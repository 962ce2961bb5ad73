//! The Visgraat page: the fishbone over all cases, or one case's team view (its own sheet
//! beside the coding of its talk), whose sheet can be edited here (`S`, `a`, `e`).

use std::borrow::Cow;

use crate::analysis::fishbone::{self, Diagram};
use crate::tui::action::Action;
use crate::tui::popups::{PickPurpose, Popup, PromptPurpose};
use crate::workspace::{BookOp, Workspace};

use super::{Command, Ctx, cycle};

#[derive(Debug, Clone, Default)]
pub struct FishboneState {
    /// Index into the code book's levels.
    pub level: usize,
    /// Index into the bone's codes (bevorderend first, then belemmerend).
    pub code: usize,
    pub case: Option<String>,
    /// The counts for `case` as last computed: counting reads every coded source, too much
    /// for every frame of a large corpus.
    pub counts: Option<(Option<String>, Diagram)>,
}

impl FishboneState {
    /// The fishbone as the page draws it: the kept one when it is current.
    pub fn diagram(&self, ws: &Workspace) -> Cow<'_, Diagram> {
        match &self.counts {
            Some((case, diagram)) if *case == self.case => Cow::Borrowed(diagram),
            _ => Cow::Owned(fishbone::diagram(
                &ws.corpus,
                &ws.codings,
                self.case.as_deref(),
            )),
        }
    }

    /// Count the fishbone for the current case, unless the counts are up to date.
    pub fn ensure_counts(&mut self, ws: &Workspace) {
        if self
            .counts
            .as_ref()
            .is_some_and(|(case, _)| *case == self.case)
        {
            return;
        }
        let diagram = fishbone::diagram(&ws.corpus, &ws.codings, self.case.as_deref());
        self.counts = Some((self.case.clone(), diagram));
    }

    /// The codes (code-book indices) on bone `level`, as the page lists them: bevorderend
    /// first, then belemmerend; for a case, the factors on its sheet or in its coding.
    pub fn bone_codes(&self, ws: &Workspace, level: usize) -> Vec<usize> {
        let diagram = self.diagram(ws);
        let book = &ws.corpus.codebook;
        book.levels()
            .get(level)
            .and_then(|l| diagram.bone(*l))
            .map(|bone| {
                bone.ribs
                    .iter()
                    .filter_map(|r| book.codes.iter().position(|c| c.id == r.code))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn selected_code_id(&self, ws: &Workspace) -> Option<String> {
        let codes = self.bone_codes(ws, self.level);
        codes
            .get(self.code)
            .and_then(|&i| ws.corpus.codebook.codes.get(i))
            .map(|c| c.id.clone())
    }

    pub fn update(&mut self, action: &Action, ctx: &Ctx) -> Vec<Command> {
        let ws = ctx.ws;
        let count = self.bone_codes(ws, self.level).len();
        match action {
            Action::Left => {
                self.level = self.level.saturating_sub(1);
                self.code = 0;
            }
            Action::Right | Action::NextPane => {
                self.level = (self.level + 1) % ws.corpus.codebook.levels().len().max(1);
                self.code = 0;
            }
            Action::Up | Action::ScrollUp => self.code = self.code.saturating_sub(1),
            Action::Down | Action::ScrollDown => {
                self.code = (self.code + 1).min(count.saturating_sub(1))
            }
            Action::CycleCase => {
                self.case = cycle(&ctx.case_ids(), self.case.clone());
                self.ensure_counts(ws);
                // Another case has other ribs: keep the selection on one that exists.
                let count = self.bone_codes(ws, self.level).len();
                self.code = self.code.min(count.saturating_sub(1));
            }
            Action::Enter => {
                if let Some(&code) = self.bone_codes(ws, self.level).get(self.code) {
                    return vec![Command::CodePassages {
                        code,
                        case: self.case.clone(),
                    }];
                }
            }
            Action::ToggleOnSheet | Action::AddCode | Action::EditDefinition => {
                return self.edit_sheet(action, ctx);
            }
            _ => {}
        }
        Vec::new()
    }

    /// The team view's edits of the chosen case's own sheet: `S` puts the selected factor on
    /// it or takes it off, `a` picks any factor code to put on it, `e` writes its note.
    fn edit_sheet(&self, action: &Action, ctx: &Ctx) -> Vec<Command> {
        let Some(case) = self.case.clone() else {
            return vec![Command::Error(ctx.msg().pick_case_first.into())];
        };
        match action {
            Action::ToggleOnSheet => match self.selected_code_id(ctx.ws) {
                Some(code) => vec![Command::Book(BookOp::ToggleOnSheet { case, code })],
                None => Vec::new(),
            },
            Action::AddCode => vec![Command::Popup(Popup::picker(PickPurpose::PutOnSheet {
                case,
            }))],
            _ => {
                let note = ctx
                    .ws
                    .corpus
                    .cases
                    .get(&case)
                    .and_then(|c| c.fishbone.as_ref())
                    .map(|s| s.note.clone())
                    .unwrap_or_default();
                vec![Command::Popup(Popup::prompt(
                    ctx.msg().sheet_note,
                    note,
                    PromptPurpose::SheetNote { case },
                ))]
            }
        }
    }
}
