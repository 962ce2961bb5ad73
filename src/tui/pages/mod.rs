//! The TUI's pages: each owns its state and turns an action into changes of that state and
//! `Command`s for the app (open a source, show a popup, write something). A page never
//! writes project data itself and never reaches into another page: the app does both, through
//! the workspace.

pub mod codes;
pub mod documents;
pub mod fishbone;
pub mod matrix;
pub mod reader;
pub mod review;
pub mod saturation;
pub mod search;

use crate::coding::Placed;
use crate::coding::history::Edit;
use crate::corpus::source::Source;
use crate::workspace::{BookOp, Workspace};

use super::action::ViewId;
use super::i18n::{self, Lang, Messages};
use super::popups::Popup;

/// What a page sees of the rest: the workspace (read only) and the screen.
pub struct Ctx<'a> {
    pub ws: &'a Workspace,
    pub lang: Lang,
    pub size: (u16, u16),
    /// Whose codings are shown: one coder, or everyone's (None).
    pub shown_coder: Option<&'a str>,
}

impl Ctx<'_> {
    pub fn msg(&self) -> &'static Messages {
        i18n::messages(self.lang)
    }

    pub fn source(&self, index: usize) -> &Source {
        &self.ws.corpus.sources[index]
    }

    pub fn coder(&self) -> &str {
        &self.ws.config.coder
    }

    /// The ids of the corpus's cases, in their file's order.
    pub fn case_ids(&self) -> Vec<String> {
        self.ws
            .corpus
            .cases
            .cases
            .iter()
            .map(|c| c.id.clone())
            .collect()
    }

    /// The coders who have codings in this corpus, sorted.
    pub fn coder_names(&self) -> Vec<String> {
        self.ws
            .codings
            .coders()
            .into_iter()
            .map(str::to_string)
            .collect()
    }
}

/// What a page or popup asks the app to do.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // a few per keystroke
pub enum Command {
    Info(String),
    Error(String),
    Popup(Popup),
    Show(ViewId),
    /// Open a source in the reader at a char offset.
    Open {
        source: usize,
        at: usize,
    },
    /// Copy a citation of the span (or append it to citations.md).
    Cite {
        source: usize,
        start: usize,
        end: usize,
        append: bool,
    },
    /// The search's query or filters changed: ask the worker.
    Search,
    /// Filter the search by this code (picked in the code picker).
    SetCodeFilter(String),
    /// The passages coded with a code (an index into the code book), in one case or all.
    CodePassages {
        code: usize,
        case: Option<String>,
    },
    /// Make a new coding, as the active coder.
    AddCoding {
        source: usize,
        start: usize,
        end: usize,
        code: String,
        memo: String,
    },
    /// Apply an edit and keep it for undo (a removal, a recode).
    Record(Edit, String),
    Book(BookOp),
    SetMemo {
        target: String,
        text: String,
    },
    /// The active coder's summary of a framework cell (empty text removes it).
    SetSummary {
        row: String,
        column: String,
        text: String,
    },
    /// Settle the selected disagreement as coder 0 or 1 coded it.
    SettleAs(usize),
    KeepDifference,
    /// Place a coding that waits for review where its review proposes.
    AcceptReview(Placed),
    /// Accept or reject the machine's suggestion (by coding id) as the active coder.
    AcceptSuggestion(String),
    RejectSuggestion(String),
    /// Remember who is coding, in the user's own config.
    RememberCoder(String),
    /// Open the evidence prompt as it was last closed.
    OpenEvidence,
    /// Ask the worker for the evidence prompt's claim.
    AskEvidence,
    /// The evidence prompt closed: keep it for the next opening.
    KeepEvidence(Box<crate::tui::popups::evidence::EvidenceState>),
}

/// The next of `all` after `current`: None (all) → the first → … → the last → None.
pub fn cycle<T: Clone + PartialEq>(all: &[T], current: Option<T>) -> Option<T> {
    match current {
        None => all.first().cloned(),
        Some(c) => {
            let at = all.iter().position(|x| *x == c)?;
            all.get(at + 1).cloned()
        }
    }
}
