//! Actions: everything the user can do, as data. Key and mouse events become actions here;
//! `App::update` is the only place they change state. `Action` is `Deserialize`, so a keymap
//! in config can name them.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
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
    ToggleFilter(Filter),
    CycleCase,
    AddCode,
    RenameCode,
    EditDefinition,
    MergeCode,
    SplitCode,
    LevelUp,
    LevelDown,
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
    /// Show every coder's codings, or one coder's (cycles).
    CycleShownCoder,
    /// Code as another coder (cycles through the corpus's coders and the configured one).
    CycleActiveCoder,
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

/// Map a key to an action. Vim keys and arrows both work.
pub fn from_key(key: KeyEvent, mode: InputMode) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let filter = match key.code {
        KeyCode::F(2) => Some(Filter::Kind),
        KeyCode::F(3) => Some(Filter::Case),
        KeyCode::F(4) => Some(Filter::Factor),
        KeyCode::F(5) => Some(Filter::Valence),
        KeyCode::F(6) => Some(Filter::Coder),
        KeyCode::F(7) => Some(Filter::Quotes),
        KeyCode::F(8) => Some(Filter::Speaker),
        KeyCode::F(9) => Some(Filter::Code),
        _ => None,
    };
    if let Some(f) = filter {
        return Some(Action::ToggleFilter(f));
    }
    if ctrl {
        return match key.code {
            KeyCode::Char('c') => Some(Action::Quit),
            KeyCode::Char('r') => Some(Action::Redo),
            KeyCode::Char('d') => Some(Action::PageDown),
            KeyCode::Char('u') => Some(Action::PageUp),
            KeyCode::Char('l') => Some(Action::Reload),
            _ => None,
        };
    }
    let common = match key.code {
        KeyCode::Up => Some(Action::Up),
        KeyCode::Down => Some(Action::Down),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::PageDown => Some(Action::PageDown),
        KeyCode::Enter => Some(Action::Enter),
        KeyCode::Esc => Some(Action::Back),
        KeyCode::Tab => Some(Action::NextPane),
        KeyCode::Backspace => Some(Action::Backspace),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    if mode == InputMode::Text {
        return match key.code {
            KeyCode::Char(c) => Some(Action::Input(c)),
            KeyCode::Left => Some(Action::Left),
            KeyCode::Right => Some(Action::Right),
            _ => None,
        };
    }
    match key.code {
        KeyCode::Left | KeyCode::Char('h') => Some(Action::Left),
        KeyCode::Right | KeyCode::Char('l') => Some(Action::Right),
        KeyCode::Char('k') => Some(Action::Up),
        KeyCode::Char('j') => Some(Action::Down),
        KeyCode::Home | KeyCode::Char('g') => Some(Action::Top),
        KeyCode::End | KeyCode::Char('G') => Some(Action::Bottom),
        KeyCode::Char('w') => Some(Action::WordNext),
        KeyCode::Char('b') => Some(Action::WordPrev),
        KeyCode::Char(')') => Some(Action::SentenceNext),
        KeyCode::Char('(') => Some(Action::SentencePrev),
        KeyCode::Char('}') => Some(Action::ParagraphNext),
        KeyCode::Char('{') => Some(Action::ParagraphPrev),
        KeyCode::Char('n') => Some(Action::NextCoded),
        KeyCode::Char('N') => Some(Action::PrevCoded),
        KeyCode::Char('v') => Some(Action::ToggleSelect),
        KeyCode::Char('c') => Some(Action::Code),
        KeyCode::Char('m') => Some(Action::Memo),
        KeyCode::Char('r') => Some(Action::Recode),
        KeyCode::Char('x') => Some(Action::RemoveCoding),
        KeyCode::Char('u') => Some(Action::Undo),
        KeyCode::Char('y') => Some(Action::CopyCitation),
        KeyCode::Char('Y') => Some(Action::AppendCitation),
        KeyCode::Char('f') => Some(Action::CycleCase),
        KeyCode::Char('a') => Some(Action::AddCode),
        KeyCode::Char('R') => Some(Action::RenameCode),
        KeyCode::Char('e') => Some(Action::EditDefinition),
        KeyCode::Char('M') => Some(Action::MergeCode),
        KeyCode::Char('s') => Some(Action::SplitCode),
        KeyCode::Char('>') => Some(Action::LevelUp),
        KeyCode::Char('<') => Some(Action::LevelDown),
        KeyCode::Char('t') => Some(Action::ToggleValence),
        KeyCode::Char('S') => Some(Action::ToggleOnSheet),
        KeyCode::Char('/') => Some(Action::FocusSearch),
        KeyCode::Char('?') => Some(Action::ToggleHelp),
        KeyCode::Char('!') => Some(Action::Problems),
        KeyCode::Char('o') => Some(Action::CycleShownCoder),
        KeyCode::Char('K') => Some(Action::KeepDifference),
        KeyCode::Char('C') => Some(Action::CycleActiveCoder),
        KeyCode::Char('q') => Some(Action::Quit),
        KeyCode::Char('1') => Some(Action::Show(ViewId::Documents)),
        KeyCode::Char('2') => Some(Action::Show(ViewId::Search)),
        KeyCode::Char('3') => Some(Action::Show(ViewId::Fishbone)),
        KeyCode::Char('4') => Some(Action::Show(ViewId::Codes)),
        KeyCode::Char('5') => Some(Action::Show(ViewId::Matrix)),
        KeyCode::Char('6') => Some(Action::Show(ViewId::Review)),
        _ => None,
    }
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

    #[test]
    fn typing_goes_to_text_fields() {
        let key = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(from_key(key, InputMode::Text), Some(Action::Input('q')));
        assert_eq!(from_key(key, InputMode::Normal), Some(Action::Quit));
    }
}
