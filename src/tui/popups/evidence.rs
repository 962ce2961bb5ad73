//! The evidence prompt: a claim typed or pasted ("docenten ervaren de werkdruk als hoog"),
//! asked of the index worker on Enter (`suggest::evidence` does the ranking), and the
//! passages that support it, best first, quotes first when asked. From a hit, Enter opens it
//! in the reader and `y`/`Y` cite it, as from a search hit. The app keeps the prompt when it
//! closes, so coming back from the reader shows the same list.

use crate::index::search::Searcher;
use crate::suggest::evidence::Support;
use crate::tui::action::{Action, Filter};
use crate::tui::app::{App, Effect};
use crate::tui::pages::{Command, Ctx};

use super::Popup;

/// How many supporting passages the prompt lists.
pub const EVIDENCE_LIMIT: usize = 30;

#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceState {
    pub claim: String,
    /// Typing the claim (else choosing among the hits).
    pub editing: bool,
    pub quotes_first: bool,
    pub results: Vec<Support>,
    pub selected: usize,
    /// The question the list waits for (see `EvidenceMemory::asked`); older answers are
    /// dropped.
    pub generation: u64,
    pub pending: bool,
    /// Whether the list answers the claim as it stands (false before the first Enter).
    pub answered: bool,
    pub error: Option<String>,
}

impl Default for EvidenceState {
    fn default() -> EvidenceState {
        EvidenceState {
            claim: String::new(),
            editing: true,
            quotes_first: false,
            results: Vec::new(),
            selected: 0,
            generation: 0,
            pending: false,
            answered: false,
            error: None,
        }
    }
}

/// What the app remembers of the prompt between openings.
#[derive(Debug, Clone, Default)]
pub struct EvidenceMemory {
    /// Bumped by every question, across openings: an answer to a question of an earlier
    /// opening never lands in a later one.
    pub asked: u64,
    /// The prompt as it was closed.
    pub last: Option<Box<EvidenceState>>,
}

pub(super) fn update(
    mut state: Box<EvidenceState>,
    action: &Action,
    ctx: &Ctx,
) -> (Option<Popup>, Vec<Command>) {
    let close = |state: Box<EvidenceState>, mut out: Vec<Command>| {
        out.push(Command::KeepEvidence(state));
        (None, out)
    };
    if *action == Action::ToggleFilter(Filter::Quotes) {
        state.quotes_first = !state.quotes_first;
        let ask = state.answered && !state.claim.trim().is_empty();
        return (
            Some(Popup::Evidence(state)),
            if ask {
                vec![Command::AskEvidence]
            } else {
                Vec::new()
            },
        );
    }
    if state.editing {
        match action {
            Action::Input(c) => {
                state.claim.push(*c);
                state.answered = false;
            }
            Action::Backspace => {
                state.claim.pop();
                state.answered = false;
            }
            Action::ClearLine => {
                state.claim.clear();
                state.answered = false;
            }
            Action::Enter if !state.claim.trim().is_empty() => {
                state.editing = false;
                return (Some(Popup::Evidence(state)), vec![Command::AskEvidence]);
            }
            Action::Down | Action::NextPane if !state.results.is_empty() => state.editing = false,
            Action::Back => return close(state, Vec::new()),
            _ => {}
        }
        return (Some(Popup::Evidence(state)), Vec::new());
    }
    let last = state.results.len().saturating_sub(1);
    match action {
        Action::Back => return close(state, Vec::new()),
        Action::NextPane => state.editing = true,
        Action::Up | Action::ScrollUp if state.selected == 0 => state.editing = true,
        Action::Up | Action::ScrollUp => state.selected -= 1,
        Action::Down | Action::ScrollDown => state.selected = (state.selected + 1).min(last),
        Action::PageDown => state.selected = (state.selected + 10).min(last),
        Action::PageUp => state.selected = state.selected.saturating_sub(10),
        Action::Top => state.selected = 0,
        Action::Bottom => state.selected = last,
        Action::Enter | Action::CopyCitation | Action::AppendCitation => {
            let Some(hit) = state.results.get(state.selected).map(|s| &s.hit) else {
                return (Some(Popup::Evidence(state)), Vec::new());
            };
            let Some(source) = ctx.ws.corpus.source_index(&hit.source) else {
                return (Some(Popup::Evidence(state)), Vec::new());
            };
            let (start, end) = (hit.start as usize, hit.end as usize);
            if *action == Action::Enter {
                return close(state, vec![Command::Open { source, at: start }]);
            }
            let cite = Command::Cite {
                source,
                start,
                end,
                append: *action == Action::AppendCitation,
            };
            return (Some(Popup::Evidence(state)), vec![cite]);
        }
        _ => {}
    }
    (Some(Popup::Evidence(state)), Vec::new())
}

impl App {
    /// Open the prompt as it was last closed (or empty).
    pub(crate) fn open_evidence(&mut self) {
        let state = self.evidence.last.take().unwrap_or_default();
        self.popup = Some(Popup::Evidence(state));
    }

    pub(crate) fn keep_evidence(&mut self, state: Box<EvidenceState>) {
        self.evidence.last = Some(state);
    }

    /// Ask the worker for the open prompt's claim (an `Effect`: never on the UI thread).
    pub(crate) fn ask_evidence(&mut self) {
        let Some(Popup::Evidence(state)) = self.popup.as_mut() else {
            return;
        };
        self.evidence.asked += 1;
        state.generation = self.evidence.asked;
        state.pending = true;
        state.answered = true;
        self.effects.push(Effect::Evidence {
            generation: state.generation,
            claim: state.claim.clone(),
            quotes_first: state.quotes_first,
            limit: EVIDENCE_LIMIT,
        });
    }

    /// The worker's answer to question `generation`: into the prompt (open or kept) if it
    /// still waits for it, else dropped. Hits outside a chosen reliability round are left out, as in search.
    pub fn evidence_done(
        &mut self,
        generation: u64,
        result: std::result::Result<Vec<Support>, String>,
    ) {
        let result = result.map(|mut found| {
            found.retain(|s| self.hit_in_round(&s.hit));
            found
        });
        // The prompt may have been closed meanwhile: its kept state takes the answer.
        let state = match self.popup.as_mut() {
            Some(Popup::Evidence(state)) => state,
            _ => match self.evidence.last.as_mut() {
                Some(state) => state,
                None => return,
            },
        };
        if state.generation != generation {
            return;
        }
        state.pending = false;
        state.selected = 0;
        match result {
            Ok(found) => {
                state.results = found;
                state.error = None;
            }
            Err(e) => {
                state.results.clear();
                state.error = Some(e);
            }
        }
    }

    /// Answer the evidence questions asked with `searcher` on this thread, as the worker
    /// would, and drop the other effects: for tests, which drive the App without threads.
    pub fn run_evidence_now(&mut self, searcher: &Searcher) {
        for effect in std::mem::take(&mut self.effects) {
            if let Effect::Evidence {
                generation,
                claim,
                quotes_first,
                limit,
            } = effect
            {
                let result = crate::suggest::evidence::find(
                    searcher,
                    &self.ws.codings,
                    &self.ws.corpus.codebook,
                    &claim,
                    quotes_first,
                    limit,
                )
                .map_err(|e| e.to_string());
                self.evidence_done(generation, result);
            }
        }
    }
}
