//! `?`: the keys of the current view, in the UI language.

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::action::ViewId;
use crate::tui::app::App;
use crate::tui::i18n::Lang;
use crate::tui::layout;
use crate::tui::theme::Theme;

/// (keys, Dutch, English)
type Entry = (&'static str, &'static str, &'static str);

const EVERYWHERE: &[Entry] = &[
    (
        "1 … 6",
        "documenten · zoeken · visgraat · codes · matrix · vergelijken",
        "documents · search · fishbone · codes · matrix · review",
    ),
    ("/", "zoeken", "search"),
    (
        "F2…F9",
        "zoekfilters: soort, casus, factor, ±, codeur, citaten, spreker, code",
        "search filters: kind, case, factor, ±, coder, quotes, speaker, code",
    ),
    (
        "u  Ctrl-r",
        "ongedaan maken · opnieuw (coderingen en codeboek)",
        "undo · redo (codings and code book)",
    ),
    (
        "o  C",
        "toon alle codeurs of één · wissel de actieve codeur",
        "show all coders or one · switch the active coder",
    ),
    (
        "!  Ctrl-l",
        "problemen en verweesde coderingen · opnieuw laden van schijf",
        "problems and orphaned codings · reload from disk",
    ),
    ("?  Esc", "deze hulp · terug", "this help · back"),
    ("q  Ctrl-c", "stoppen", "quit"),
];

const DOCUMENTS: &[Entry] = &[
    (
        "j k ↑ ↓",
        "boom: kies een bron · lezer: regel op/neer",
        "tree: choose a source · reader: line up/down",
    ),
    (
        "Enter  Tab",
        "open de bron · wissel boom/lezer",
        "open the source · switch tree/reader",
    ),
    (
        "m (boom)",
        "jouw memo bij de bron",
        "your memo on the source",
    ),
    ("h l ← →", "vorig/volgend grafeem", "previous/next grapheme"),
    ("w b", "volgend/vorig woord", "next/previous word"),
    (") (", "volgende/vorige zin", "next/previous sentence"),
    ("} {", "volgende/vorige alinea", "next/previous paragraph"),
    (
        "PgUp PgDn g G",
        "pagina · begin · eind",
        "page · start · end",
    ),
    (
        "n N",
        "volgend/vorig gecodeerd stuk",
        "next/previous coded span",
    ),
    (
        "v",
        "selectie starten/stoppen (elke beweging breidt uit)",
        "start/stop selecting (every motion extends)",
    ),
    (
        "c",
        "selectie coderen (kies code, dan memo)",
        "code the selection (pick a code, then a memo)",
    ),
    (
        "r m x",
        "hercoderen · memo · jouw codering onder de cursor weg",
        "recode · memo · remove your coding under the cursor",
    ),
    (
        "y Y",
        "citaat kopiëren (OSC 52) · toevoegen aan citations.md",
        "copy citation (OSC 52) · append to citations.md",
    ),
    (
        "muis",
        "klik: focus en cursor · wiel: scrollen",
        "click: focus and cursor · wheel: scroll",
    ),
];

const SEARCH: &[Entry] = &[
    (
        "typen",
        "zoekt terwijl je typt: woorden, \"zin\", OR, -woord",
        "search as you type: words, \"phrase\", OR, -word",
    ),
    ("↓ Tab Enter", "naar de resultaten", "to the results"),
    (
        "j k ↑ ↓",
        "kies een resultaat (↑ op de eerste: terug)",
        "choose a result (↑ on the first: back)",
    ),
    (
        "Enter",
        "open de passage in de lezer",
        "open the passage in the reader",
    ),
    (
        "y Y",
        "citaat kopiëren · toevoegen aan citations.md",
        "copy citation · append to citations.md",
    ),
];

const FISHBONE: &[Entry] = &[
    (
        "h l ← →",
        "vorige/volgende graat (niveau)",
        "previous/next bone (level)",
    ),
    ("j k ↑ ↓", "kies een factorcode", "choose a factor code"),
    (
        "Enter",
        "de gecodeerde passages; Enter opent er een",
        "the coded passages; Enter opens one",
    ),
    (
        "f",
        "teams vergelijken: casusfilter",
        "compare teams: cycle the case filter",
    ),
    (
        "S",
        "met een casus: factor op het eigen blad zetten of eraf halen",
        "with a case: put the factor on its own sheet or take it off",
    ),
    (
        "a",
        "met een casus: een factorcode op het blad zetten",
        "with a case: put any factor code on its sheet",
    ),
    (
        "e",
        "met een casus: notitie op het blad",
        "with a case: the sheet's note",
    ),
    (
        "n·c·s",
        "passages gecodeerd · casussen met zulke passages · casussen met de factor op hun eigen blad",
        "passages coded · cases with such passages · cases with the factor on their own sheet",
    ),
];

const CODES: &[Entry] = &[
    (
        "j k ↑ ↓",
        "kies een code; de definitie staat rechts",
        "choose a code; its definition is on the right",
    ),
    ("Enter", "de gecodeerde passages", "the coded passages"),
    ("m", "jouw memo bij deze code", "your memo on this code"),
    ("a", "nieuwe code naast deze", "new code beside this one"),
    (
        "R e",
        "label hernoemen · definitie bewerken",
        "rename label · edit definition",
    ),
    (
        "M",
        "samenvoegen met … (coderingen gaan mee)",
        "merge into … (codings follow)",
    ),
    (
        "s",
        "splitsen: nieuwe code, hercodeer daarna met r",
        "split: a new code, then recode with r",
    ),
    (
        "< > t",
        "ander niveau · ander niveau · valentie wisselen",
        "level down · level up · toggle valence",
    ),
    (
        "f S",
        "kies casus · code op/af de visgraat van de casus",
        "pick case · code on/off the case's own fishbone",
    ),
];

const REVIEW: &[Entry] = &[
    (
        "j k ↑ ↓",
        "vorig/volgend verschil",
        "previous/next disagreement",
    ),
    (
        "<  >",
        "neem over hoe de linker / rechter codeur het deed",
        "settle it the way the left / right coder coded it",
    ),
    (
        "K",
        "houd beide: een bewust verschil (✓, in het logboek)",
        "keep both: a deliberate difference (✓, in the log)",
    ),
    (
        "r m",
        "hercoderen · memo bij de codering",
        "recode · memo on the coding",
    ),
    (
        "f",
        "vergelijk met een andere codeur",
        "compare with another coder",
    ),
    (
        "Enter",
        "open de alinea in de lezer",
        "open the paragraph in the reader",
    ),
];

const MATRIX: &[Entry] = &[
    ("h j k l ← ↑ ↓ →", "cel kiezen", "choose a cell"),
    (
        "t  Tab",
        "wissel: niveau × casus · codes samen in een alinea",
        "switch: level × case · codes together in a paragraph",
    ),
    (
        "Enter",
        "de alinea's achter de cel (Enter opent er een)",
        "the paragraphs behind the cell (Enter opens one)",
    ),
];

pub fn render(app: &App, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let specific = match app.view {
        ViewId::Documents => DOCUMENTS,
        ViewId::Search => SEARCH,
        ViewId::Fishbone => FISHBONE,
        ViewId::Codes => CODES,
        ViewId::Matrix => MATRIX,
        ViewId::Review => REVIEW,
    };
    let lines: Vec<Line> = specific
        .iter()
        .chain(EVERYWHERE)
        .map(|(keys, nl, en)| {
            let what = if app.lang == Lang::Nl { nl } else { en };
            Line::from(format!(" {keys:<14} {what}"))
        })
        .collect();
    let area = layout::popup_area(size, 92, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    let title = format!("{} ({})", app.msg().keys, app.msg().help);
    let block = Block::bordered()
        .title(title)
        .border_style(theme.focus_border(true));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
