//! Popups over a page: the code picker, the memo and one-line prompts, a list of passages,
//! the problems list and the evidence prompt. Each takes the keyboard while it is open; `update` turns an action
//! into the popup's next state (None: closed) and commands for the app.

pub mod evidence;
mod passages;
mod picker;
mod problems;
mod text;

pub use picker::picker_codes;
pub use problems::{ProblemItem, problem_items};

use crate::coding::Placed;
use crate::tui::action::Action;
use crate::tui::pages::{Command, Ctx};

#[derive(Debug, Clone, PartialEq)]
pub struct PassageItem {
    pub source: usize,
    pub start: usize,
    pub end: usize,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
// A popup holds a coding by value: a handful of them live at a time, so the size of the
// variants does not matter.
#[allow(clippy::large_enum_variant)]
pub enum PickPurpose {
    Add {
        source: usize,
        start: usize,
        end: usize,
    },
    Recode(Placed),
    /// Choose the search's code filter.
    Filter,
    /// Merge the code `from` into the one picked.
    Merge {
        from: String,
    },
    /// Put the code picked on `case`'s own fishbone sheet (the Visgraat page's team view).
    PutOnSheet {
        case: String,
    },
}

/// What a one-line text prompt is for.
#[derive(Debug, Clone, PartialEq)]
pub enum PromptPurpose {
    NewCodeLabel {
        sibling: String,
    },
    NewCodeDefinition {
        sibling: String,
        label: String,
    },
    Rename {
        id: String,
    },
    Define {
        id: String,
    },
    Split {
        id: String,
    },
    /// The note on a case's own fishbone sheet.
    SheetNote {
        case: String,
    },
    /// The id of a new case.
    NewCase,
    /// `name=value, …` for a case.
    CaseAttributes {
        case: String,
    },
    /// The case of a source (empty: none).
    AssignCase {
        source: String,
    },
    /// The active coder's summary of a framework cell (`case:ID`, `code:ID` / `level:NAME`).
    Summary {
        row: String,
        column: String,
    },
    /// Who is coding (first run): remembered in the user's own config.
    Coder,
}

#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum MemoPurpose {
    New {
        source: usize,
        start: usize,
        end: usize,
        code: String,
    },
    Edit(Placed),
    /// The active coder's memo on a code, source or case (`code:ID`, …).
    Target(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    CodePicker {
        filter: String,
        selected: usize,
        purpose: PickPurpose,
    },
    Memo {
        text: String,
        purpose: MemoPurpose,
    },
    Passages {
        title: String,
        items: Vec<PassageItem>,
        selected: usize,
    },
    Prompt {
        title: String,
        text: String,
        purpose: PromptPurpose,
    },
    /// The corpus's problems and orphaned codings (`!`).
    Problems {
        selected: usize,
    },
    /// Passages that support a claim.
    Evidence(Box<evidence::EvidenceState>),
}

impl Popup {
    pub fn picker(purpose: PickPurpose) -> Popup {
        Popup::CodePicker {
            filter: String::new(),
            selected: 0,
            purpose,
        }
    }

    pub fn prompt(title: &str, text: String, purpose: PromptPurpose) -> Popup {
        Popup::Prompt {
            title: title.to_string(),
            text,
            purpose,
        }
    }

    /// Whether typed characters go to the popup's text.
    pub fn takes_text(&self) -> bool {
        match self {
            Popup::CodePicker { .. } | Popup::Memo { .. } | Popup::Prompt { .. } => true,
            Popup::Evidence(state) => state.editing,
            _ => false,
        }
    }
}

/// The memo popup on the active coder's memo about `target`.
pub fn memo_on(ctx: &Ctx, target: String) -> Command {
    let text = ctx
        .ws
        .corpus
        .memos
        .of(&target)
        .find(|m| m.author == ctx.coder())
        .map(|m| m.text.clone())
        .unwrap_or_default();
    Command::Popup(Popup::Memo {
        text,
        purpose: MemoPurpose::Target(target),
    })
}

/// One action in an open popup: its next state (None: it closed) and what the app does.
pub fn update(popup: Popup, action: &Action, ctx: &Ctx) -> (Option<Popup>, Vec<Command>) {
    match popup {
        Popup::CodePicker {
            filter,
            selected,
            purpose,
        } => picker::update(filter, selected, purpose, action, ctx),
        Popup::Memo { text, purpose } => text::update_memo(text, purpose, action, ctx),
        Popup::Prompt {
            title,
            text,
            purpose,
        } => text::update_prompt(title, text, purpose, action, ctx),
        Popup::Passages {
            title,
            items,
            selected,
        } => passages::update(title, items, selected, action),
        Popup::Problems { selected } => problems::update(selected, action, ctx),
        Popup::Evidence(state) => evidence::update(state, action, ctx),
    }
}
