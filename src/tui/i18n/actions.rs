//! What every action does, in both languages: the help overlay shows it beside the keys a
//! user bound to it, whatever they are.

use crate::tui::action::{Action, Filter, ViewId};

use super::Lang;

/// (Dutch, English) for `action`.
pub fn describe(action: &Action) -> (&'static str, &'static str) {
    use Action::*;
    match action {
        Quit => ("stoppen", "quit"),
        ToggleHelp => ("deze hulp", "this help"),
        Show(view) => match view {
            ViewId::Documents => ("documenten", "documents"),
            ViewId::Search => ("zoeken", "search"),
            ViewId::Fishbone => ("visgraat", "fishbone"),
            ViewId::Codes => ("codes", "codes"),
            ViewId::Matrix => ("matrix", "matrix"),
            ViewId::Review => ("vergelijken", "review"),
            ViewId::Saturation => ("verzadiging", "saturation"),
        },
        NextPane => ("volgend paneel", "next pane"),
        Up => ("omhoog", "up"),
        Down => ("omlaag", "down"),
        Left => ("links", "left"),
        Right => ("rechts", "right"),
        PageUp => ("pagina omhoog", "page up"),
        PageDown => ("pagina omlaag", "page down"),
        Top => ("begin", "start"),
        Bottom => ("eind", "end"),
        WordNext => ("volgend woord", "next word"),
        WordPrev => ("vorig woord", "previous word"),
        SentenceNext => ("volgende zin", "next sentence"),
        SentencePrev => ("vorige zin", "previous sentence"),
        ParagraphNext => ("volgende alinea", "next paragraph"),
        ParagraphPrev => ("vorige alinea", "previous paragraph"),
        NextCoded => ("volgend gecodeerd stuk", "next coded span"),
        PrevCoded => ("vorig gecodeerd stuk", "previous coded span"),
        ToggleSelect => ("selectie starten/stoppen", "start/stop selecting"),
        Code => ("selectie coderen", "code the selection"),
        Memo => ("memo", "memo"),
        Recode => ("hercoderen", "recode"),
        RemoveCoding => ("codering weghalen", "remove the coding"),
        Undo => ("ongedaan maken", "undo"),
        Redo => ("opnieuw", "redo"),
        CopyCitation => ("citaat kopiëren", "copy citation"),
        AppendCitation => (
            "citaat toevoegen aan citations.md",
            "append citation to citations.md",
        ),
        Enter => ("openen · kiezen", "open · choose"),
        Back => ("terug", "back"),
        FocusSearch => ("zoeken", "search"),
        Input(_) => ("typen", "type"),
        Backspace => ("teken wissen", "delete a character"),
        ClearLine => ("regel wissen", "clear the line"),
        ToggleFilter(f) => match f {
            Filter::Kind => ("filter: soort", "filter: kind"),
            Filter::Case => ("filter: casus", "filter: case"),
            Filter::Factor => ("filter: factor", "filter: factor"),
            Filter::Valence => ("filter: ±", "filter: ±"),
            Filter::Coder => ("filter: codeur", "filter: coder"),
            Filter::Quotes => ("filter: citaten", "filter: quotes"),
            Filter::Speaker => ("filter: spreker", "filter: speaker"),
            Filter::Code => ("filter: code", "filter: code"),
        },
        CycleCase => ("volgende casus", "next case"),
        AddCode => ("code toevoegen", "add a code"),
        RenameCode => ("code hernoemen", "rename the code"),
        EditDefinition => ("definitie bewerken", "edit the definition"),
        CycleRound => (
            "beperk tot een betrouwbaarheidsronde",
            "limit to a reliability round",
        ),
        EditSummary => (
            "samenvatting van de cel schrijven",
            "write the cell's summary",
        ),
        MergeCode => ("code samenvoegen", "merge the code"),
        SplitCode => ("code splitsen", "split the code"),
        NextLevel => ("naar het volgende niveau", "to the next level"),
        PrevLevel => ("naar het vorige niveau", "to the previous level"),
        ToggleValence => ("valentie wisselen", "toggle valence"),
        ToggleOnSheet => ("op/af het eigen blad", "on/off the own sheet"),
        Resize(..) => ("venstergrootte", "window size"),
        Click(..) => ("klikken", "click"),
        ScrollUp => ("scroll omhoog", "scroll up"),
        ScrollDown => ("scroll omlaag", "scroll down"),
        Problems => ("problemen", "problems"),
        KeepDifference => ("bewust verschil houden", "keep as a difference"),
        SettleAsLeft => (
            "overnemen van de linker codeur",
            "settle as the left coder coded it",
        ),
        SettleAsRight => (
            "overnemen van de rechter codeur",
            "settle as the right coder coded it",
        ),
        AcceptReview => ("op de voorgestelde plek zetten", "place where proposed"),
        AcceptSuggestion => ("suggestie overnemen", "accept the suggestion"),
        RejectSuggestion => ("suggestie afwijzen", "reject the suggestion"),
        SkipSuggestion => ("suggestie overslaan", "skip the suggestion"),
        AssignCase => ("bron in een casus zetten", "put the source in a case"),
        NewCase => ("nieuwe casus", "new case"),
        EditCase => ("kenmerken van de casus", "the case's attributes"),
        CycleShownCoder => ("toon alle codeurs of één", "show all coders or one"),
        CycleActiveCoder => ("wissel de actieve codeur", "switch the active coder"),
        Reload => ("opnieuw laden van schijf", "reload from disk"),
        Evidence => ("bewijs voor een bewering", "evidence for a claim"),
    }
}

pub fn description(action: &Action, lang: Lang) -> &'static str {
    let (nl, en) = describe(action);
    if lang == Lang::Nl { nl } else { en }
}
