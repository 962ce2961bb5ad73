//! The coding flow driven through `App::update` over the fixture corpus: coding in the
//! reader with undo and redo, a new coding seen at once in search and fishbone, stale search
//! results dropped, the search line cleared, code-book edits, coders shown and switched, memos.

use visgraat::tui::action::{Action, ViewId};
use visgraat::tui::app::Effect;
use visgraat::tui::popups::Popup;

use crate::fixture;

#[test]
fn coding_in_the_reader_saves_and_undo_redo_work() {
    let mut f = fixture(120, 26);
    f.send([Action::Enter, Action::ParagraphNext]);
    let before = f.app.ws.codings.codings.len();
    // Select "De korte" by extending word by word from the turn's start.
    f.send([
        Action::WordNext,
        Action::WordNext,
        Action::WordNext,
        Action::WordNext,
        Action::WordNext,
    ]);
    f.send([
        Action::ToggleSelect,
        Action::WordNext,
        Action::WordNext,
        Action::Code,
    ]);
    assert!(matches!(f.app.popup, Some(Popup::CodePicker { .. })));
    f.type_text("korte");
    f.send([Action::Enter]);
    assert!(matches!(f.app.popup, Some(Popup::Memo { .. })));
    f.type_text("synthetisch memo");
    f.send([Action::Enter]);
    assert_eq!(f.app.ws.codings.codings.len(), before + 1);
    let added = f.app.ws.codings.codings.last().unwrap().clone();
    assert_eq!(added.coding.quote, "De korte");
    assert_eq!(added.coding.code, "team-korte-lijnen");
    assert_eq!(added.coding.memo, "synthetisch memo");
    let file = f
        .app
        .ws
        .corpus
        .root
        .join("codings/ana/synthetic-focusgroep-a.toml");
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("quote = \"De korte\"")
    );

    f.send([Action::Undo]);
    assert_eq!(f.app.ws.codings.codings.len(), before);
    assert!(
        !std::fs::read_to_string(&file)
            .unwrap()
            .contains("quote = \"De korte\"")
    );
    f.send([Action::Redo]);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("quote = \"De korte\"")
    );

    // Recode and remove the coding under the cursor; both undoable.
    f.send([Action::Recode]);
    f.type_text("werkdruk");
    f.send([Action::Enter]);
    let recoded = std::fs::read_to_string(&file).unwrap();
    assert!(
        recoded.contains("code = \"individu-werkdruk\"\nstart = 72\nend = 80"),
        "{recoded}"
    );
    f.send([Action::Undo]);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("code = \"team-korte-lijnen\"\nstart = 72\nend = 80")
    );
    f.send([Action::RemoveCoding]);
    assert!(!std::fs::read_to_string(&file).unwrap().contains("end = 80"));
    f.send([Action::Undo]);
    assert!(std::fs::read_to_string(&file).unwrap().contains("end = 80"));
}

#[test]
fn new_coding_shows_at_once_in_filtered_search_and_fishbone() {
    let mut f = fixture(120, 26);
    f.send([Action::FocusSearch]);
    f.type_text("jeugdzorg");
    f.send([Action::ToggleFilter(visgraat::tui::action::Filter::Factor)]);
    assert_eq!(
        f.app.search.filters.level,
        Some(visgraat::corpus::codebook::Level::Beleid)
    );
    assert!(
        f.app.search.results.is_empty(),
        "no beleid coding on that turn yet"
    );
    // Code the turn with a beleid code from the reader.
    f.send([Action::Back, Action::Show(ViewId::Documents), Action::Enter]);
    f.send([
        Action::ParagraphNext,
        Action::ParagraphNext,
        Action::ToggleSelect,
        Action::WordNext,
        Action::Code,
    ]);
    f.type_text("avg");
    f.send([Action::Enter, Action::Enter]);
    assert_eq!(
        f.app.search.results.len(),
        1,
        "the filtered search reran at once"
    );
    f.send([Action::Show(ViewId::Fishbone)]);
    assert!(f.screen().contains("beleid (+1 −2)"), "{}", f.screen());
}

#[test]
fn stale_search_results_are_dropped() {
    let mut f = fixture(100, 24);
    f.send([Action::FocusSearch]);
    f.app.update(Action::Input('w'));
    let first = std::mem::take(&mut f.app.effects);
    f.type_text("erkdruk");
    let Effect::Search { generation, .. } = &first[0] else {
        panic!()
    };
    f.app.search_done(*generation, Ok(Vec::new()));
    assert_eq!(
        f.app.search.results.len(),
        1,
        "the old answer did not overwrite the new one"
    );
}

#[test]
fn ctrl_u_clears_the_search_line_and_searches_again() {
    let mut f = fixture(120, 30);
    f.send([Action::FocusSearch]);
    f.type_text("werkdruk");
    assert_eq!(f.app.search.query, "werkdruk");
    let before = f.app.search.generation;
    f.send([Action::ClearLine]);
    assert_eq!(f.app.search.query, "");
    assert!(f.app.search.editing, "still typing");
    assert!(
        f.app.search.generation > before,
        "the cleared line is searched"
    );
}

#[test]
fn code_book_edits_follow_through_and_undo() {
    let mut f = fixture(120, 30);
    f.send([Action::Show(ViewId::Codes)]);
    assert_eq!(f.app.ws.corpus.codebook.codes[0].id, "beleid-avg");
    let root = f.app.ws.corpus.root.clone();

    // Rename the label: Ctrl-U clears the prompt's old text.
    f.send([Action::RenameCode]);
    f.send([Action::ClearLine]);
    f.type_text("Privacyregels remmen");
    f.send([Action::Enter]);
    assert_eq!(
        f.app.ws.corpus.codebook.codes[0].label,
        "Privacyregels remmen"
    );
    assert!(
        std::fs::read_to_string(root.join("codebook.toml"))
            .unwrap()
            .contains("label = \"Privacyregels remmen\"")
    );

    // Merge beleid-avg into individu-werkdruk: bram's coding follows.
    f.send([Action::MergeCode]);
    f.type_text("hoge werkdruk");
    f.send([Action::Enter]);
    assert!(f.app.ws.corpus.codebook.code("beleid-avg").is_none());
    let bram =
        std::fs::read_to_string(root.join("codings/bram/synthetic-focusgroep-a.toml")).unwrap();
    assert!(
        bram.contains("code = \"individu-werkdruk\"") && !bram.contains("beleid-avg"),
        "{bram}"
    );
    f.send([Action::Undo]);
    assert!(f.app.ws.corpus.codebook.code("beleid-avg").is_some());
    let bram =
        std::fs::read_to_string(root.join("codings/bram/synthetic-focusgroep-a.toml")).unwrap();
    assert!(bram.contains("code = \"beleid-avg\""));
    f.send([Action::Undo]);
    assert_eq!(
        f.app.ws.corpus.codebook.codes[0].label,
        "AVG remt de overdracht"
    );
    f.send([Action::Redo]);
    assert_eq!(
        f.app.ws.corpus.codebook.codes[0].label,
        "Privacyregels remmen"
    );

    // A new code beside it, a move to another level, and a case's own sheet.
    f.send([Action::AddCode]);
    f.type_text("Geen toegang tot dossiers");
    f.send([Action::Enter]);
    f.type_text("Het team mag dossiers van de vorige school niet inzien.");
    f.send([Action::Enter]);
    let added = f
        .app
        .ws
        .corpus
        .codebook
        .code("beleid-geen-toegang-tot-dossiers")
        .expect("new code")
        .clone();
    assert_eq!(
        added.valence,
        Some(visgraat::corpus::codebook::Valence::Belemmerend)
    );
    f.send([Action::Down, Action::NextLevel]);
    assert_eq!(
        f.app.ws.corpus.codebook.codes[1].level,
        Some(visgraat::corpus::codebook::Level::Team)
    );
    f.send([Action::CycleCase, Action::ToggleOnSheet]);
    let cases = std::fs::read_to_string(root.join("cases.toml")).unwrap();
    assert!(
        cases.contains("beleid-geen-toegang-tot-dossiers"),
        "{cases}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_visgraat"))
        .arg("check")
        .current_dir(root.parent().unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn one_coder_or_all_are_shown_and_the_active_coder_switches() {
    let mut f = fixture(110, 30);
    assert!(f.screen().contains("codeur: ana · toont: alle codeurs"));
    f.send([Action::CycleShownCoder]);
    assert_eq!(f.app.shown_coder.as_deref(), Some("ana"));
    f.send([Action::CycleShownCoder, Action::CycleShownCoder]);
    assert_eq!(
        f.app.shown_coder, None,
        "after the last coder: everyone again"
    );
    f.send([Action::CycleActiveCoder]);
    assert_eq!(f.app.ws.config.coder, "bram");
    // A coding made now is bram's.
    f.send([Action::Show(ViewId::Documents), Action::Enter]);
    let id = f.app.docs.reader.as_ref().map(|r| r.source).unwrap();
    let source = f.app.source(id).meta.id.clone();
    f.send([Action::ToggleSelect, Action::WordNext, Action::Code]);
    f.type_text("intake");
    f.send([Action::Enter, Action::Enter]);
    let path = visgraat::coding::file_path(&f.app.ws.corpus.root, "bram", &source);
    assert!(
        std::fs::read_to_string(path)
            .unwrap()
            .contains("beleid-intake"),
        "saved as bram's"
    );
}

#[test]
fn memos_on_codes_and_sources_are_shown_written_and_undone() {
    let mut f = fixture(130, 30);
    let root = f.app.ws.corpus.root.clone();
    f.send([Action::Show(ViewId::Codes), Action::Memo]);
    // A memo on a code is no coding's memo (it said "waarom past deze code?", then
    // "Codering bewaard"; found in a new-user trial).
    let screen = f.screen();
    assert!(
        screen.contains("Memo (Enter bewaart) · code:") && !screen.contains("waarom past"),
        "{screen}"
    );
    f.type_text("Synthetisch: vaak samen met werkdruk.");
    f.send([Action::Enter]);
    assert!(
        f.app
            .message
            .as_ref()
            .is_some_and(|(m, _)| m == "Memo bewaard"),
        "{:?}",
        f.app.message
    );
    let code = f.app.ws.corpus.codebook.codes[f.app.codes.selected]
        .id
        .clone();
    let memos = visgraat::coding::memos::load(&root).unwrap();
    let target = format!("code:{code}");
    let memo = memos.of(&target).next().expect("saved");
    assert_eq!(memo.author, "ana");
    assert!(f.screen().contains("Synthetisch: vaak samen met werkdruk."));
    f.send([Action::Undo]);
    assert!(
        visgraat::coding::memos::load(&root)
            .unwrap()
            .memos
            .is_empty()
    );
    f.send([Action::Redo]);
    assert_eq!(visgraat::coding::memos::load(&root).unwrap().memos.len(), 1);

    // On a source, from the tree; shown beside the reader.
    f.send([Action::Show(ViewId::Documents), Action::Memo]);
    f.type_text("Synthetisch: bron met veel AVG.");
    f.send([Action::Enter, Action::Enter]);
    assert!(
        f.screen().contains("Synthetisch: bron met veel AVG."),
        "{}",
        f.screen()
    );
}

#[test]
fn the_code_picker_puts_the_code_meant_first() {
    // Found by a new-user trial: the picker matched "intake" loosely (every letter in order)
    // and kept code-book order, so Enter coded another code that merely held the letters.
    let p = crate::common::Project::shipped();
    let config = visgraat::config::Config::load(&p.path().join("config.toml")).unwrap();
    let ws = visgraat::workspace::Workspace::open(config).unwrap();
    let first = |typed: &str| {
        let found = visgraat::tui::popups::picker_codes(&ws, typed);
        ws.corpus.codebook.codes[found[0]].label.clone()
    };
    assert!(first("intake").starts_with("Intake"), "{}", first("intake"));
    // Each of these picked an earlier code that only held the letters in order.
    for (typed, meant) in [
        ("poort", "aan de poort"),
        ("lasten", "Administratieve lasten"),
        ("kaders", "kaders en grenzen"),
        ("klassen", "Klassen vooraf indelen"),
        ("vangen", "vangen elkaar op"),
    ] {
        assert!(first(typed).contains(meant), "{typed}: {}", first(typed));
    }
    // Loose matches still come, after the close ones.
    let loose = visgraat::tui::popups::picker_codes(&ws, "itk");
    assert!(!loose.is_empty());
}

#[test]
fn keys_do_nothing_behind_too_small_and_quit_leaves_a_popup() {
    // Found by a new-user trial: at 40×10 ("too small") typed keys went into the search
    // line unseen, and Ctrl-C in the code picker neither quit nor closed it.
    let mut f = fixture(40, 10);
    f.send([
        Action::Show(ViewId::Search),
        Action::Input('x'),
        Action::Problems,
    ]);
    f.send([Action::Resize(120, 26)]);
    assert!(f.app.popup.is_none(), "no list opened unseen");
    assert_eq!(f.app.search.query, "", "nothing typed unseen");
    let mut f = fixture(40, 10);
    f.send([Action::Quit]);
    assert!(f.app.quit, "quitting still works");

    let mut f = fixture(120, 26);
    f.pick_a_code_for_the_first_word();
    assert!(matches!(f.app.popup, Some(Popup::CodePicker { .. })));
    f.send([Action::Quit]);
    assert!(f.app.quit);
}

#[test]
fn the_cursor_never_rests_between_paragraphs() {
    // Found by a new-user trial: `)` on a paragraph's last sentence, or `l` past a line's
    // end, put the cursor on the blank line, and a coding made from there began "\n\nDe".
    let mut f = fixture(120, 26);
    f.send([Action::Enter]);
    let inside = |f: &crate::Fixture| {
        let reader = f.app.docs.reader.as_ref().expect("a source is open");
        reader
            .segments()
            .iter()
            .any(|s| s.start <= reader.cursor && reader.cursor < s.end)
    };
    for motion in [
        Action::SentenceNext,
        Action::Right,
        Action::WordNext,
        Action::SentencePrev,
        Action::Left,
    ] {
        f.send([Action::Top]);
        for _ in 0..200 {
            f.send([motion.clone()]);
            assert!(inside(&f), "{motion:?}");
        }
    }
    f.send([Action::Bottom]);
    assert!(inside(&f), "Bottom");
}

/// A removal undone leaves the codings file as it was, to the byte: the coding goes back
/// to its place, not to the end (found in a new-user trial: `git diff` showed a moved
/// coding after an undo). The fixture's four codings were made in the same second.
#[test]
fn an_undone_removal_puts_the_coding_back_in_its_place() {
    let mut f = fixture(120, 26);
    let file = f
        .app
        .ws
        .corpus
        .root
        .join("codings/ana/synthetic-focusgroep-a.toml");
    let before = std::fs::read(&file).unwrap();
    let first = f
        .app
        .ws
        .codings
        .codings
        .iter()
        .find(|p| p.coder == "ana" && p.source == "synthetic-focusgroep-a")
        .cloned()
        .unwrap();
    let order = |f: &crate::Fixture| -> Vec<String> {
        f.app
            .ws
            .codings
            .codings
            .iter()
            .map(|p| p.coding.id.clone())
            .collect()
    };
    let listed = order(&f);
    let edit = visgraat::coding::history::Edit::Removed(first);
    f.app.ws.apply_edit(&edit, true).unwrap();
    assert_ne!(std::fs::read(&file).unwrap(), before);
    f.app.ws.apply_edit(&edit, false).unwrap();
    assert_eq!(
        String::from_utf8(std::fs::read(&file).unwrap()).unwrap(),
        String::from_utf8(before).unwrap()
    );
    assert_eq!(order(&f), listed, "in memory, too");
}

/// The codings behind a fishbone rib are the ones it counted: an orphaned coding (its text
/// gone from the source) is not listed among them (found in a new-user trial).
#[test]
fn a_ribs_passages_leave_orphaned_codings_out() {
    let listed = |f: &mut crate::Fixture| -> Vec<String> {
        f.send([Action::Show(ViewId::Fishbone), Action::Right, Action::Down]);
        f.send([Action::Enter]);
        match &f.app.popup {
            Some(Popup::Passages { items, .. }) => items.iter().map(|i| i.label.clone()).collect(),
            other => panic!("{other:?}"),
        }
    };
    let before = listed(&mut fixture(140, 36));
    assert!(!before.is_empty());
    // The first listed coding's quote, taken out of its source: that coding is orphaned.
    let quote = before[0].rsplit(": ").next().unwrap().to_string();
    let mut f = crate::fixture_with(140, 36, |corpus| {
        for dir in ["sources/transcript", "sources/intermezzo"] {
            for entry in std::fs::read_dir(corpus.join(dir)).unwrap().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                std::fs::write(entry.path(), text.replace(&quote, "Iets heel anders.")).unwrap();
            }
        }
    });
    assert!(f.app.ws.codings.codings.iter().any(|c| c.coding.orphaned));
    let after = listed(&mut f);
    assert!(after.iter().all(|l| !l.ends_with(&quote)), "{after:?}");
}

/// A status message longer than the line is cut with "…", so it never reads as whole
/// (found in a new-user trial).
#[test]
fn a_long_status_message_ends_in_an_ellipsis() {
    let mut f = fixture(80, 24);
    f.app.message = Some((format!("Codering bewaard {}", "lang ".repeat(40)), false));
    let screen = f.screen();
    let status = screen
        .lines()
        .last()
        .unwrap()
        .trim_end_matches('"')
        .trim_end();
    assert!(status.ends_with('…'), "{status}");
}

/// A definition longer than its field scrolls with the typing: the caret and the words
/// just typed stay in view (found in a new-user trial: typing went on below the field).
#[test]
fn a_long_text_being_typed_keeps_its_caret_in_view() {
    use visgraat::tui::popups::PromptPurpose;
    let mut f = fixture(80, 24);
    let code = f.app.ws.corpus.codebook.codes[0].id.clone();
    f.app.popup = Some(Popup::prompt(
        "Definitie",
        "Een lange synthetische definitie die doorloopt. ".repeat(12),
        PromptPurpose::Define { id: code },
    ));
    f.type_text("EINDE");
    let screen = f.screen();
    assert!(screen.contains("EINDE▏"), "{screen}");
}

/// An undo never writes over what changed since: a coding recoded here, then changed by a
/// merge (git, a colleague's `codes merge`), is left as the merge made it, and the undo is
/// refused with a message (found in a new-user trial: the undo silently put the old code
/// back and lost the colleague's change and a memo).
#[test]
fn an_undo_over_a_coding_changed_since_is_refused_and_writes_nothing() {
    use visgraat::coding::history::Edit;
    let mut f = fixture(120, 26);
    let old = f.app.ws.codings.codings[0].clone();
    let mut new = old.clone();
    new.coding.memo = "Hier aangepast.".into();
    let edit = Edit::Replaced {
        old: old.clone(),
        new: new.clone(),
    };
    f.app.ws.apply_edit(&edit, true).unwrap();
    let path = visgraat::coding::file_path(&f.app.ws.corpus.root, &old.coder, &old.source);
    let text = std::fs::read_to_string(&path).unwrap();
    let merged = text.replace(
        "Hier aangepast.",
        "Hier aangepast. Aangevuld door een collega.",
    );
    assert_ne!(merged, text);
    std::fs::write(&path, &merged).unwrap();
    let err = f.app.ws.apply_edit(&edit, false).unwrap_err().to_string();
    assert!(err.contains("was changed elsewhere since"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), merged);
    // Redo, too.
    assert!(f.app.ws.apply_edit(&edit, true).is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), merged);
}
