//! The help overlay's entries per page, in both languages. An entry names the actions whose
//! keys it shows — the keys come from the active keymap — or, for what is not a key (typing,
//! the mouse, a legend), a label of its own.

use crate::tui::action::{Action, Filter, ViewId};

use super::Lang;

pub enum Keys {
    /// The keys bound to these actions.
    Of(&'static [Action]),
    /// Not a key: (Dutch, English).
    Label(&'static str, &'static str),
}

/// (keys, Dutch, English)
pub type Entry = (Keys, &'static str, &'static str);

use Action::*;
use Keys::{Label, Of};

pub const EVERYWHERE: &[Entry] = &[
    (
        Of(&[
            Show(ViewId::Documents),
            Show(ViewId::Search),
            Show(ViewId::Fishbone),
            Show(ViewId::Codes),
            Show(ViewId::Matrix),
            Show(ViewId::Review),
            Show(ViewId::Saturation),
        ]),
        "documenten · zoeken · visgraat · codes · matrix · vergelijken · verzadiging",
        "documents · search · fishbone · codes · matrix · review · saturation",
    ),
    (Of(&[FocusSearch]), "zoeken", "search"),
    (
        Of(&[
            ToggleFilter(Filter::Kind),
            ToggleFilter(Filter::Case),
            ToggleFilter(Filter::Factor),
            ToggleFilter(Filter::Valence),
            ToggleFilter(Filter::Coder),
            ToggleFilter(Filter::Quotes),
            ToggleFilter(Filter::Speaker),
            ToggleFilter(Filter::Code),
        ]),
        "zoekfilters: soort, casus, factor, ±, codeur, citaten, spreker, code",
        "search filters: kind, case, factor, ±, coder, quotes, speaker, code",
    ),
    (
        Of(&[CycleRound]),
        "alleen een betrouwbaarheidsronde (boom, zoeken; ▐ in de lezer) · alles",
        "one reliability round only (tree, search; ▐ in the reader) · everything",
    ),
    (
        Of(&[Undo, Redo]),
        "ongedaan maken · opnieuw (coderingen en codeboek)",
        "undo · redo (codings and code book)",
    ),
    (
        Of(&[CycleShownCoder, CycleActiveCoder]),
        "toon alle codeurs of één · wissel de actieve codeur",
        "show all coders or one · switch the active coder",
    ),
    (
        Of(&[Problems, Reload]),
        "problemen en verweesde coderingen · opnieuw laden van schijf",
        "problems and orphaned codings · reload from disk",
    ),
    (
        Of(&[ToggleHelp, Back]),
        "deze hulp · terug",
        "this help · back",
    ),
    (Of(&[Quit]), "stoppen", "quit"),
];

pub const DOCUMENTS: &[Entry] = &[
    (
        Of(&[Down, Up]),
        "boom: kies een bron · lezer: regel op/neer",
        "tree: choose a source · reader: line up/down",
    ),
    (
        Of(&[Enter, NextPane]),
        "open de bron · wissel boom/lezer",
        "open the source · switch tree/reader",
    ),
    (
        Of(&[Left, Right]),
        "vorig/volgend grafeem",
        "previous/next grapheme",
    ),
    (
        Of(&[WordNext, WordPrev]),
        "volgend/vorig woord",
        "next/previous word",
    ),
    (
        Of(&[SentenceNext, SentencePrev]),
        "volgende/vorige zin",
        "next/previous sentence",
    ),
    (
        Of(&[ParagraphNext, ParagraphPrev]),
        "volgende/vorige alinea",
        "next/previous paragraph",
    ),
    (
        // Shown as "g G PgUp PgDn": characters come first.
        Of(&[PageUp, PageDown, Top, Bottom]),
        "begin · eind · pagina op/neer",
        "start · end · page up/down",
    ),
    (
        Of(&[NextCoded, PrevCoded]),
        "volgend/vorig gecodeerd stuk",
        "next/previous coded span",
    ),
    (
        Of(&[ToggleSelect]),
        "selectie starten/stoppen (elke beweging breidt uit)",
        "start/stop selecting (every motion extends)",
    ),
    (
        Of(&[Code]),
        "selectie coderen (kies code, dan memo)",
        "code the selection (pick a code, then a memo)",
    ),
    (
        Of(&[Recode, Memo, RemoveCoding]),
        "hercoderen · memo (boom: bij de bron) · jouw codering onder de cursor weg",
        "recode · memo (tree: on the source) · remove your coding under the cursor",
    ),
    (
        Of(&[CopyCitation, AppendCitation]),
        "citaat kopiëren (OSC 52) · toevoegen aan citations.md",
        "copy citation (OSC 52) · append to citations.md",
    ),
    (
        Of(&[AcceptSuggestion, RejectSuggestion]),
        "suggestie (gedimd) onder de cursor: overnemen · afwijzen",
        "suggestion (dimmed) under the cursor: accept · reject",
    ),
    (
        Of(&[AssignCase, NewCase, EditCase]),
        "boom: bron in een casus · nieuwe casus · kenmerken (regio=Zuid, niveau=2)",
        "tree: source into a case · new case · attributes (regio=Zuid, niveau=2)",
    ),
];

/// Shown only while the mouse is captured.
pub const MOUSE: Entry = (
    Label("muis", "mouse"),
    "klik: focus en cursor · wiel: scrollen",
    "click: focus and cursor · wheel: scroll",
);

pub const SEARCH: &[Entry] = &[
    (
        Label("typen", "typing"),
        "zoekt terwijl je typt: woorden, \"zin\", OR, -woord",
        "search as you type: words, \"phrase\", OR, -word",
    ),
    (
        Of(&[NextPane, Enter]),
        "naar de resultaten",
        "to the results",
    ),
    (
        Of(&[Down, Up]),
        "kies een resultaat (omhoog op de eerste: terug)",
        "choose a result (up on the first: back)",
    ),
    (
        Of(&[Enter]),
        "open de passage in de lezer",
        "open the passage in the reader",
    ),
    (
        Of(&[CopyCitation, AppendCitation]),
        "citaat kopiëren · toevoegen aan citations.md",
        "copy citation · append to citations.md",
    ),
    (
        Of(&[Evidence]),
        "bewijs voor een bewering: de passages die een zin uit je rapport steunen",
        "evidence for a claim: the passages that support a sentence of your report",
    ),
];

pub const FISHBONE: &[Entry] = &[
    (
        Of(&[Left, Right]),
        "vorige/volgende graat (niveau)",
        "previous/next bone (level)",
    ),
    (
        Of(&[Down, Up]),
        "kies een factorcode",
        "choose a factor code",
    ),
    (
        Of(&[Enter]),
        "de gecodeerde passages; Enter opent er een",
        "the coded passages; Enter opens one",
    ),
    (
        Of(&[CycleCase]),
        "teams vergelijken: casusfilter",
        "compare teams: cycle the case filter",
    ),
    (
        Of(&[ToggleOnSheet]),
        "met een casus: factor op het eigen blad zetten of eraf halen",
        "with a case: put the factor on its own sheet or take it off",
    ),
    (
        Of(&[AddCode]),
        "met een casus: een factorcode op het blad zetten",
        "with a case: put any factor code on its sheet",
    ),
    (
        Of(&[EditDefinition]),
        "met een casus: notitie op het blad",
        "with a case: the sheet's note",
    ),
    (
        Label("getallen", "numbers"),
        "n·c·s: gecodeerde alinea's · casussen daarmee · casussen met de factor op hun blad",
        "n·c·s: paragraphs coded · cases with them · cases with the factor on their sheet",
    ),
];

pub const CODES: &[Entry] = &[
    (
        Of(&[Down, Up]),
        "kies een code; de definitie staat rechts",
        "choose a code; its definition is on the right",
    ),
    (Of(&[Enter]), "de gecodeerde passages", "the coded passages"),
    (
        Of(&[Memo]),
        "jouw memo bij deze code",
        "your memo on this code",
    ),
    (
        Of(&[AddCode]),
        "nieuwe code naast deze",
        "new code beside this one",
    ),
    (
        Of(&[RenameCode, EditDefinition]),
        "label hernoemen · definitie bewerken",
        "rename label · edit definition",
    ),
    (
        Of(&[MergeCode]),
        "samenvoegen met … (coderingen gaan mee)",
        "merge into … (codings follow)",
    ),
    (
        Of(&[SplitCode]),
        "splitsen: nieuwe code, hercodeer daarna",
        "split: a new code, then recode",
    ),
    (
        Of(&[PrevLevel, NextLevel, ToggleValence]),
        "vorig niveau · volgend niveau · valentie wisselen",
        "previous level · next level · toggle valence",
    ),
    (
        Of(&[CycleCase, ToggleOnSheet]),
        "kies casus · code op/af de visgraat van de casus",
        "pick case · code on/off the case's own fishbone",
    ),
];

pub const REVIEW: &[Entry] = &[
    (
        Of(&[Down, Up]),
        "vorig/volgend verschil",
        "previous/next disagreement",
    ),
    (
        Of(&[SettleAsLeft, SettleAsRight]),
        "neem over hoe de linker / rechter codeur het deed",
        "settle it the way the left / right coder coded it",
    ),
    (
        Of(&[KeepDifference]),
        "houd beide: een bewust verschil (✓, in het logboek)",
        "keep both: a deliberate difference (✓, in the log)",
    ),
    (
        Of(&[Recode, Memo]),
        "hercoderen · memo bij je eigen codering",
        "recode · memo on your own coding",
    ),
    (
        Of(&[CycleCase]),
        "vergelijk met een andere codeur (ook de suggesties)",
        "compare with another coder (the suggestions too)",
    ),
    (
        Of(&[AcceptSuggestion, RejectSuggestion, SkipSuggestion]),
        "suggestie: overnemen als jouw codering · afwijzen (komt niet terug) · overslaan",
        "suggestion: accept as your coding · reject (never again) · skip",
    ),
    (
        Of(&[Enter]),
        "open de alinea in de lezer",
        "open the paragraph in the reader",
    ),
];

pub const MATRIX: &[Entry] = &[
    (Of(&[Left, Down, Up, Right]), "cel kiezen", "choose a cell"),
    (
        Of(&[WordNext, WordPrev]),
        "volgende/vorige cel in de rij",
        "next/previous cell in the row",
    ),
    (
        Of(&[ToggleValence, NextPane]),
        "wissel: niveau × casus · codes samen in een alinea · raamwerk casus × code · casus × niveau",
        "switch: level × case · codes together in a paragraph · framework case × code · case × level",
    ),
    (
        Of(&[Enter]),
        "de alinea's (of coderingen) achter de cel (Enter opent er een)",
        "the paragraphs (or codings) behind the cell (Enter opens one)",
    ),
    (
        Of(&[EditSummary]),
        "raamwerk: jouw samenvatting van de cel (Gale e.a. 2013)",
        "framework: your summary of the cell (Gale et al. 2013)",
    ),
];

pub const SATURATION: &[Entry] = &[
    (
        Of(&[Left, Right]),
        "vorige/volgende bron (of casus)",
        "previous/next source (or case)",
    ),
    (
        Of(&[ToggleValence, NextPane]),
        "wissel: per bron · per casus",
        "switch: per source · per case",
    ),
    (
        Of(&[Enter]),
        "de coderingen die de nieuwe codes brachten (Enter opent er een)",
        "the codings that brought the new codes in (Enter opens one)",
    ),
    (
        Of(&[CycleShownCoder]),
        "één codeur of alle samen",
        "one coder or all together",
    ),
    (
        Label("standaard", "defaults"),
        "basis 4, run 2, ≤ 5 % (Guest, Namey & Chen 2020); andere: visgraat saturation",
        "base 4, run 2, ≤ 5 % (Guest, Namey & Chen 2020); others: visgraat saturation",
    ),
];

pub fn entries(view: ViewId) -> &'static [Entry] {
    match view {
        ViewId::Documents => DOCUMENTS,
        ViewId::Search => SEARCH,
        ViewId::Fishbone => FISHBONE,
        ViewId::Codes => CODES,
        ViewId::Matrix => MATRIX,
        ViewId::Review => REVIEW,
        ViewId::Saturation => SATURATION,
    }
}

pub fn pick<'a>(lang: Lang, nl: &'a str, en: &'a str) -> &'a str {
    if lang == Lang::Nl { nl } else { en }
}
