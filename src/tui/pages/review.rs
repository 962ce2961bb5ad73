//! The Vergelijken page: two coders' disagreements, one at a time, settled as one of them
//! coded it (`<` / `>`), kept as a deliberate difference (`K`), or recoded. Compared with
//! the machine coder, the items are its open suggestions, accepted (`a`, or `>`), rejected
//! (`d`, or `<`) or skipped (`s`).

use crate::analysis::agreement::{self, Disagreement};
use crate::coding::machine::SUGGESTIONS_CODER;
use crate::tui::action::Action;
use crate::tui::popups::{MemoPurpose, PickPurpose, Popup};
use crate::workspace::Workspace;

use super::{Command, Ctx};

/// Computed on entering the page and after every change to the codings.
#[derive(Debug, Clone, Default)]
pub struct ReviewState {
    /// The coder compared with the active one (`f` picks another).
    pub partner: Option<String>,
    pub pair: Option<(String, String)>,
    pub items: Option<Vec<Disagreement>>,
    /// Per item: a decision in the review log says it was kept as a difference.
    pub kept: Vec<bool>,
    pub selected: usize,
}

impl ReviewState {
    /// The two coders compared: the active coder (when they coded anything) and a partner.
    fn pair_for(&self, ws: &Workspace) -> Option<(String, String)> {
        let coders: Vec<&str> = ws.codings.coders();
        let active = ws.config.coder.as_str();
        // The machine is compared with the reviewer, who need not have coded anything; it
        // is the partner when asked for, or when there is no person to compare with.
        let machine = !ws.codings.machine.is_empty();
        let asked = self.partner.as_deref() == Some(SUGGESTIONS_CODER);
        if machine && (asked || coders.iter().all(|c| *c == active)) {
            return Some((active.to_string(), SUGGESTIONS_CODER.to_string()));
        }
        let first = if coders.contains(&active) {
            active.to_string()
        } else {
            coders.first()?.to_string()
        };
        let partner = self
            .partner
            .clone()
            .filter(|p| *p != first && coders.contains(&p.as_str()))
            .or_else(|| coders.iter().find(|c| **c != first).map(|c| c.to_string()))?;
        Some((first, partner))
    }

    /// Compute the disagreements unless they are current. Returns a problem reading the
    /// review log, if there was one.
    pub fn ensure(&mut self, ws: &Workspace) -> Option<String> {
        if self.items.is_some() {
            return None;
        }
        let pair = self.pair_for(ws);
        let items = pair.as_ref().map_or_else(Vec::new, |(a, b)| {
            if b == SUGGESTIONS_CODER {
                suggestions(ws)
            } else {
                agreement::disagreements(&ws.corpus, &ws.codings, a, b)
            }
        });
        self.selected = self.selected.min(items.len().saturating_sub(1));
        let (log, problem) = match ws.review_log() {
            Ok(log) => (log, None),
            Err(e) => (Default::default(), Some(e.to_string())),
        };
        // A decision settles a difference between the two coders it names, not between
        // others on the same paragraph and code.
        let of_pair = |coders: &[String; 2]| {
            pair.as_ref().is_some_and(|(a, b)| {
                (coders[0] == *a && coders[1] == *b) || (coders[0] == *b && coders[1] == *a)
            })
        };
        self.kept = items
            .iter()
            .map(|d| {
                let text = ws
                    .corpus
                    .source(&d.source)
                    .and_then(|s| s.slice(d.start, d.end))
                    .unwrap_or_default();
                log.decisions.iter().any(|k| {
                    k.source == d.source
                        && k.code == d.code
                        && of_pair(&k.coders)
                        && k.is_about(d.ordinal, &text)
                })
            })
            .collect();
        self.pair = pair;
        self.items = Some(items);
        problem
    }

    pub fn selected_disagreement(&self) -> Option<Disagreement> {
        self.items.as_ref()?.get(self.selected).cloned()
    }

    /// Whether the items are the machine's suggestions.
    pub fn comparing_machine(&self) -> bool {
        self.pair
            .as_ref()
            .is_some_and(|(_, b)| b == SUGGESTIONS_CODER)
    }

    /// The selected suggestion's coding id (comparing with the machine).
    fn selected_suggestion(&self) -> Option<String> {
        if !self.comparing_machine() {
            return None;
        }
        let item = self.selected_disagreement()?;
        Some(item.codings[1].first()?.coding.id.clone())
    }

    pub fn update(&mut self, action: &Action, ctx: &Ctx) -> Vec<Command> {
        let mut out: Vec<Command> = self
            .ensure(ctx.ws)
            .map(Command::Error)
            .into_iter()
            .collect();
        let len = self.items.as_ref().map_or(0, Vec::len);
        match action {
            Action::Up | Action::ScrollUp => self.selected = self.selected.saturating_sub(1),
            Action::Down | Action::ScrollDown => {
                self.selected = (self.selected + 1).min(len.saturating_sub(1))
            }
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = len.saturating_sub(1),
            Action::CycleCase => {
                // Compare with the next coder.
                let first = self.pair.as_ref().map(|p| p.0.clone());
                let mut others: Vec<String> = ctx
                    .coder_names()
                    .into_iter()
                    .filter(|c| Some(c) != first.as_ref())
                    .collect();
                if !ctx.ws.codings.machine.is_empty() {
                    others.push(SUGGESTIONS_CODER.to_string());
                }
                let current = self.pair.as_ref().map(|p| p.1.clone());
                let at = others.iter().position(|c| Some(c) == current.as_ref());
                self.partner = others
                    .get(at.map_or(0, |i| (i + 1) % others.len().max(1)))
                    .cloned();
                self.items = None;
                self.selected = 0;
                out.extend(self.ensure(ctx.ws).map(Command::Error));
            }
            Action::AcceptSuggestion | Action::SettleAsRight if self.comparing_machine() => {
                out.extend(self.selected_suggestion().map(Command::AcceptSuggestion))
            }
            Action::RejectSuggestion | Action::SettleAsLeft if self.comparing_machine() => {
                out.extend(self.selected_suggestion().map(Command::RejectSuggestion))
            }
            Action::SkipSuggestion => {
                self.selected = (self.selected + 1).min(len.saturating_sub(1))
            }
            Action::KeepDifference | Action::Recode | Action::Memo if self.comparing_machine() => {}
            Action::SettleAsLeft => out.push(Command::SettleAs(0)),
            Action::SettleAsRight => out.push(Command::SettleAs(1)),
            Action::KeepDifference => out.push(Command::KeepDifference),
            Action::Recode | Action::Memo => {
                // Only the active coder's own coding: another coder's changes go through a
                // settlement, which the review log keeps (`<`, `>`, `K`).
                let active = ctx.ws.config.coder.as_str();
                let item = self.selected_disagreement();
                let own = item.as_ref().and_then(|item| {
                    item.codings
                        .iter()
                        .flatten()
                        .find(|p| p.coder == active)
                        .cloned()
                });
                let other = item.as_ref().and_then(|item| {
                    item.codings
                        .iter()
                        .flatten()
                        .next()
                        .map(|p| p.coder.clone())
                });
                if own.is_none()
                    && let Some(other) = other
                {
                    out.push(Command::Info(format!(
                        "{other} {}",
                        ctx.msg().review_not_yours
                    )));
                }
                if let Some(placed) = own {
                    out.push(Command::Popup(if *action == Action::Recode {
                        Popup::picker(PickPurpose::Recode(placed))
                    } else {
                        Popup::Memo {
                            text: placed.coding.memo.clone(),
                            purpose: MemoPurpose::Edit(placed),
                        }
                    }));
                }
            }
            Action::Enter => {
                if let Some(item) = self.selected_disagreement()
                    && let Some(source) = ctx.ws.corpus.source_index(&item.source)
                {
                    out.push(Command::Open {
                        source,
                        at: item.start,
                    });
                }
            }
            _ => {}
        }
        out
    }
}

/// The machine's open suggestions as items against the reviewer, who has not coded those
/// paragraphs (suggestions are made for uncoded ones only), in corpus order.
fn suggestions(ws: &Workspace) -> Vec<Disagreement> {
    let mut out: Vec<(usize, Disagreement)> = ws
        .codings
        .machine
        .iter()
        .filter_map(|p| {
            let index = ws.corpus.source_index(&p.source)?;
            let source = &ws.corpus.sources[index];
            let seg = source
                .segments()
                .into_iter()
                .find(|s| s.start <= p.coding.start && p.coding.start < s.end)?;
            Some((
                index,
                Disagreement {
                    source: p.source.clone(),
                    ordinal: seg.ordinal,
                    start: p.coding.start,
                    end: p.coding.end,
                    code: p.coding.code.clone(),
                    codings: [Vec::new(), vec![p.clone()]],
                },
            ))
        })
        .collect();
    out.sort_by_key(|(index, d)| (*index, d.start));
    out.into_iter().map(|(_, d)| d).collect()
}
