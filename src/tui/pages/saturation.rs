//! The Verzadiging page: Guest, Namey & Chen's (2020) saturation assessment as a chart, one
//! bar per source (or case) in the order they were held; Enter lists the codings that
//! brought the selected bar's new codes in.

use crate::analysis::saturation::{self, By, Params, Saturation};
use crate::tui::action::Action;
use crate::tui::i18n::methods::{self, fill};
use crate::tui::popups::{PassageItem, Popup};
use crate::workspace::Workspace;

use super::{Command, Ctx};

#[derive(Debug, Clone, Default)]
pub struct SaturationState {
    pub by: By,
    /// The selected step (an index into the assessment's steps).
    pub selected: usize,
    /// The assessment for `coder` (None: everyone's codings), computed when the page opens
    /// and after every change to the codings, not per frame.
    pub data: Option<(Option<String>, Saturation)>,
    /// Why there is no assessment (an error reading the corpus), in place of the chart.
    pub problem: Option<String>,
}

impl SaturationState {
    /// The assessment for the shown coder, computed unless it is current.
    pub fn ensure(&mut self, ws: &Workspace, coder: Option<&str>) {
        if self
            .data
            .as_ref()
            .is_some_and(|(c, s)| c.as_deref() == coder && s.by == self.by)
        {
            return;
        }
        let params = Params::default();
        match saturation::saturation(&ws.corpus, &ws.codings, self.by, coder, None, params) {
            Ok(s) => {
                self.selected = self.selected.min(s.steps.len().saturating_sub(1));
                self.data = Some((coder.map(str::to_string), s));
                self.problem = None;
            }
            Err(e) => {
                self.data = None;
                self.problem = Some(e.to_string());
            }
        }
    }

    pub fn assessment(&self) -> Option<&Saturation> {
        self.data.as_ref().map(|(_, s)| s)
    }

    pub fn update(&mut self, action: &Action, ctx: &Ctx) -> Vec<Command> {
        self.ensure(ctx.ws, ctx.shown_coder);
        let steps = self.assessment().map_or(0, |s| s.steps.len());
        match action {
            Action::Left | Action::Up | Action::WordPrev | Action::ScrollUp => {
                self.selected = self.selected.saturating_sub(1)
            }
            Action::Right | Action::Down | Action::WordNext | Action::ScrollDown => {
                self.selected = (self.selected + 1).min(steps.saturating_sub(1))
            }
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = steps.saturating_sub(1),
            Action::ToggleValence | Action::NextPane => {
                self.by = match self.by {
                    By::Source => By::Case,
                    By::Case => By::Source,
                };
                self.selected = 0;
                self.ensure(ctx.ws, ctx.shown_coder);
            }
            Action::Enter => return self.codings_behind(ctx),
            _ => {}
        }
        Vec::new()
    }

    /// The codings that brought the selected step's new codes in, in a popup (Enter opens
    /// one in the reader).
    fn codings_behind(&self, ctx: &Ctx) -> Vec<Command> {
        let mm = methods::methods(ctx.lang);
        let Some(step) = self.assessment().and_then(|s| s.steps.get(self.selected)) else {
            return Vec::new();
        };
        if step.first_codings.is_empty() {
            return vec![Command::Info(format!(
                "{}: {}",
                step.unit, mm.sat_nothing_new
            ))];
        }
        let mut items = Vec::new();
        for first in &step.first_codings {
            let Some(index) = ctx.ws.corpus.source_index(&first.source) else {
                continue;
            };
            let Some(placed) = ctx.ws.codings.codings.iter().find(|c| {
                c.coding.id == first.coding && c.coder == first.coder && c.source == first.source
            }) else {
                continue;
            };
            let code = ctx
                .ws
                .corpus
                .codebook
                .code(&first.code)
                .map_or(first.code.as_str(), |c| c.label.as_str());
            items.push(PassageItem {
                source: index,
                start: placed.coding.start,
                end: placed.coding.end,
                label: format!("{code} · {} · {}", first.coder, placed.coding.quote),
            });
        }
        vec![Command::Popup(Popup::Passages {
            title: fill(mm.sat_codings_of, &[("unit", step.unit.clone())]),
            items,
            selected: 0,
        })]
    }
}
