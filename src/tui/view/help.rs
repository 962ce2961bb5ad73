//! `?`: the keys of the current view.

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::action::ViewId;
use crate::tui::app::App;
use crate::tui::layout;
use crate::tui::theme::Theme;

const EVERYWHERE: &[(&str, &str)] = &[
    ("1 2 3 4", "documents · search · fishbone · codes"),
    ("/", "search"),
    (
        "F2…F7",
        "search filters: kind, case, factor, ±, coder, quotes",
    ),
    ("u  Ctrl-r", "undo · redo (codings)"),
    ("?  Esc", "this help · back"),
    ("q  Ctrl-c", "quit"),
];

const DOCUMENTS: &[(&str, &str)] = &[
    ("j k ↑ ↓", "tree: choose a source · reader: line up/down"),
    ("Enter  Tab", "open the source · switch tree/reader"),
    ("h l ← →", "previous/next grapheme"),
    ("w b", "next/previous word"),
    (") (", "next/previous sentence"),
    ("} {", "next/previous paragraph"),
    ("PgUp PgDn g G", "page · start · end"),
    ("n N", "next/previous coded span"),
    ("v", "start/stop selecting (extend with any motion)"),
    ("c", "code the selection (pick a code, then a memo)"),
    (
        "r m x",
        "recode · edit memo · remove your coding under the cursor",
    ),
    ("y Y", "copy citation (OSC 52) · append to citations.md"),
    (
        "mouse",
        "click to focus and place the cursor, wheel to scroll",
    ),
];

const SEARCH: &[(&str, &str)] = &[
    ("type", "search as you type: words, \"phrase\", OR, -word"),
    ("↓ Tab Enter", "to the results"),
    (
        "j k ↑ ↓",
        "choose a result (↑ on the first: back to the query)",
    ),
    ("Enter", "open the passage in the reader"),
    ("y Y", "copy citation · append to citations.md"),
];

const FISHBONE: &[(&str, &str)] = &[
    ("h l ← →", "previous/next bone (level)"),
    ("j k ↑ ↓", "choose a factor code"),
    ("Enter", "the passages coded with it; Enter again opens one"),
    ("f", "compare teams: cycle the case filter"),
    (
        "counts",
        "passages coded · cases that named it on their own sheet",
    ),
];

const CODES: &[(&str, &str)] = &[
    ("j k ↑ ↓", "choose a code; its definition is shown"),
    ("Enter", "the passages coded with it"),
];

pub fn render(app: &App, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let specific = match app.view {
        ViewId::Documents => DOCUMENTS,
        ViewId::Search => SEARCH,
        ViewId::Fishbone => FISHBONE,
        ViewId::Codes => CODES,
    };
    let mut lines = Vec::new();
    for (keys, what) in specific.iter().chain(EVERYWHERE) {
        lines.push(Line::from(format!(" {keys:<14} {what}")));
    }
    let area = layout::popup_area(size, 76, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!("{} ({})", app.msg().keys, app.msg().help))
        .border_style(theme.focus_border(true));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
