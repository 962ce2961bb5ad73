//! The Search page: a query searched as it is typed, filters (F2–F9), results with a preview.
//! Searching itself happens on the index worker: this page only asks (`Command::Search`) and
//! takes the answer (`search_done`), dropping answers to older questions.

use crate::corpus::codebook::{Level, Valence};
use crate::corpus::source::SourceKind;
use crate::index::search::{Hit, Request};
use crate::tui::action::{Action, Filter};
use crate::tui::popups::{PickPurpose, Popup};

use super::{Command, Ctx, cycle};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub kind: Option<SourceKind>,
    pub case: Option<String>,
    pub level: Option<Level>,
    pub valence: Option<Valence>,
    pub coder: Option<String>,
    pub quotes: bool,
    pub speaker: Option<String>,
    pub code: Option<String>,
}

impl Filters {
    /// Whether the results depend on the codings (so a coding change must search again).
    pub fn use_codings(&self) -> bool {
        self.level.is_some()
            || self.valence.is_some()
            || self.coder.is_some()
            || self.code.is_some()
    }
}

#[derive(Debug, Clone, Default)]
pub struct SearchState {
    pub query: String,
    pub editing: bool,
    pub filters: Filters,
    pub results: Vec<Hit>,
    pub selected: usize,
    /// Bumped by every change of query or filters; results of older requests are dropped.
    pub generation: u64,
    pub pending: bool,
    pub error: Option<String>,
    /// Every speaker of the corpus's transcripts, for the speaker filter (gathered on first
    /// use: it means reading every transcript's turns).
    pub speakers: Option<Vec<String>>,
}

impl SearchState {
    pub fn update(&mut self, action: &Action, ctx: &Ctx) -> Vec<Command> {
        if self.editing {
            match action {
                Action::Input(c) => {
                    self.query.push(*c);
                    return vec![Command::Search];
                }
                Action::Backspace => {
                    self.query.pop();
                    return vec![Command::Search];
                }
                Action::ClearLine => {
                    self.query.clear();
                    return vec![Command::Search];
                }
                Action::Down | Action::NextPane | Action::Enter | Action::Back => {
                    self.editing = false
                }
                _ => {}
            }
            return Vec::new();
        }
        let len = self.results.len();
        let last = len.saturating_sub(1);
        match action {
            Action::Up | Action::ScrollUp => {
                if self.selected == 0 {
                    self.editing = true;
                } else {
                    self.selected -= 1;
                }
            }
            Action::Down | Action::ScrollDown => self.selected = (self.selected + 1).min(last),
            Action::PageDown => self.selected = (self.selected + 10).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(10),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = last,
            Action::NextPane | Action::Back => self.editing = true,
            Action::Evidence => return vec![Command::OpenEvidence],
            Action::Enter | Action::CopyCitation | Action::AppendCitation => {
                let Some(hit) = self.results.get(self.selected) else {
                    return Vec::new();
                };
                let Some(source) = ctx.ws.corpus.source_index(&hit.source) else {
                    return Vec::new();
                };
                return vec![if *action == Action::Enter {
                    Command::Open {
                        source,
                        at: hit.start as usize,
                    }
                } else {
                    Command::Cite {
                        source,
                        start: hit.start as usize,
                        end: hit.end as usize,
                        append: *action == Action::AppendCitation,
                    }
                }];
            }
            _ => {}
        }
        Vec::new()
    }

    pub fn request(&self) -> Request {
        let f = &self.filters;
        Request {
            query: self.query.clone(),
            kind: f.kind,
            case: f.case.clone(),
            speaker: f.speaker.clone(),
            voice: None,
            level: f.level,
            valence: f.valence,
            code: f.code.clone(),
            coder: f.coder.clone(),
            quotes: f.quotes,
            codes: false,
            memos: false,
            limit: 100,
        }
    }

    /// A new question: older answers will be dropped. Returns the request to send, or None
    /// when there is nothing to search for.
    pub fn next_request(&mut self) -> Option<(u64, Request)> {
        self.generation += 1;
        self.selected = 0;
        if self.query.trim().is_empty() {
            self.results.clear();
            self.pending = false;
            self.error = None;
            return None;
        }
        self.pending = true;
        Some((self.generation, self.request()))
    }

    /// Results of a search request. Stale ones (an older generation) are dropped.
    pub fn search_done(&mut self, generation: u64, result: std::result::Result<Vec<Hit>, String>) {
        if generation != self.generation {
            return;
        }
        self.pending = false;
        match result {
            Ok(hits) => {
                self.selected = self.selected.min(hits.len().saturating_sub(1));
                self.results = hits;
                self.error = None;
            }
            Err(e) => {
                self.results.clear();
                self.error = Some(e);
            }
        }
    }

    /// F2–F9: cycle a filter; the code filter opens the code picker. Always ends on this page.
    pub fn toggle_filter(&mut self, filter: Filter, ctx: &Ctx) -> Vec<Command> {
        let f = &mut self.filters;
        match filter {
            Filter::Kind => f.kind = cycle(&SourceKind::ALL, f.kind),
            Filter::Factor => f.level = cycle(&ctx.ws.corpus.codebook.levels(), f.level),
            Filter::Valence => f.valence = cycle(&Valence::ALL, f.valence),
            Filter::Quotes => f.quotes = !f.quotes,
            Filter::Case => f.case = cycle(&ctx.case_ids(), f.case.clone()),
            Filter::Speaker => {
                let speakers = self.speakers.get_or_insert_with(|| speakers_of(ctx));
                f.speaker = cycle(speakers, f.speaker.clone());
            }
            Filter::Code => {
                if f.code.take().is_none() {
                    return vec![
                        Command::Show(crate::tui::action::ViewId::Search),
                        Command::Popup(Popup::picker(PickPurpose::Filter)),
                    ];
                }
            }
            Filter::Coder => f.coder = cycle(&ctx.coder_names(), f.coder.clone()),
        }
        vec![
            Command::Show(crate::tui::action::ViewId::Search),
            Command::Search,
        ]
    }
}

/// The transcripts' speakers, sorted.
fn speakers_of(ctx: &Ctx) -> Vec<String> {
    let mut speakers: Vec<String> = ctx
        .ws
        .corpus
        .sources
        .iter()
        .filter(|s| s.meta.kind == SourceKind::Transcript)
        .flat_map(|s| s.segments().into_iter().filter_map(|seg| seg.speaker))
        .collect();
    speakers.sort();
    speakers.dedup();
    speakers
}
