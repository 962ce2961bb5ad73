//! Actions: everything the user can do, as data, named by intent. Keys become actions through
//! the keymap (`keymap`), mouse events here; `App::update` is the only place they change
//! state. `Action` is `Deserialize`, so a keymap can name them.

use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewId {
    Documents,
    Search,
    Fishbone,
    Codes,
    Matrix,
    Review,
    Saturation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    Kind,
    Case,
    Factor,
    Valence,
    Coder,
    Quotes,
    Speaker,
    Code,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    ToggleHelp,
    Show(ViewId),
    NextPane,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    WordNext,
    WordPrev,
    SentenceNext,
    SentencePrev,
    ParagraphNext,
    ParagraphPrev,
    NextCoded,
    PrevCoded,
    ToggleSelect,
    Code,
    Memo,
    Recode,
    RemoveCoding,
    Undo,
    Redo,
    CopyCitation,
    AppendCitation,
    Enter,
    Back,
    FocusSearch,
    Input(char),
    Backspace,
    /// Clear a text field (Ctrl-U, as in a shell's line editing).
    ClearLine,
    ToggleFilter(Filter),
    CycleCase,
    AddCode,
    RenameCode,
    EditDefinition,
    EditSummary,
    CycleRound,
    MergeCode,
    SplitCode,
    /// Codes: move the code to the next or previous fishbone level.
    NextLevel,
    PrevLevel,
    ToggleValence,
    ToggleOnSheet,
    Resize(u16, u16),
    Click(u16, u16),
    ScrollUp,
    ScrollDown,
    /// List the corpus's problems and orphaned codings.
    Problems,
    /// Review: keep a disagreement as a deliberate difference.
    KeepDifference,
    /// Review: settle a disagreement as the left (first) or right (second) coder coded it.
    SettleAsLeft,
    SettleAsRight,
    /// Problems: place a coding that waits for review where its review proposes.
    AcceptReview,
    /// A machine's suggestion: make it your coding, reject it for good, or pass it by.
    AcceptSuggestion,
    RejectSuggestion,
    SkipSuggestion,
    /// Documents tree: put the selected source in a case (or none), make a new case, edit
    /// the attributes of the source's case.
    AssignCase,
    NewCase,
    EditCase,
    /// Show every coder's codings, or one coder's (cycles).
    CycleShownCoder,
    /// Code as another coder (cycles through the corpus's coders and the configured one).
    CycleActiveCoder,
    /// Search: the passages that support a claim (a sentence of a report).
    Evidence,
    /// Read the code book, cases and codings from disk again (also sent by the runtime when
    /// another process changed them).
    Reload,
}

/// What has the keyboard: typed characters go to a text field in `Text` mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputMode {
    Normal,
    Text,
}

pub fn from_mouse(m: MouseEvent) -> Option<Action> {
    match m.kind {
        MouseEventKind::ScrollUp => Some(Action::ScrollUp),
        MouseEventKind::ScrollDown => Some(Action::ScrollDown),
        MouseEventKind::Down(_) => Some(Action::Click(m.column, m.row)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keymaps_can_name_actions_in_toml() {
        #[derive(Deserialize)]
        struct Keymap {
            keys: std::collections::BTreeMap<String, Action>,
        }
        let map: Keymap = toml::from_str("[keys]\nq = \"quit\"\n\"2\" = { show = \"search\" }\nF7 = { toggle_filter = \"quotes\" }").unwrap();
        assert_eq!(map.keys["q"], Action::Quit);
        assert_eq!(map.keys["2"], Action::Show(ViewId::Search));
        assert_eq!(map.keys["F7"], Action::ToggleFilter(Filter::Quotes));
    }
}
