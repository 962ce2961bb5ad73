//! TUI views rendered with ratatui's TestBackend over the frozen synthetic fixture corpus
//! (tests/fixtures/corpus: combining marks, a ZWJ emoji, CJK; overlapping codings by two
//! coders), snapshotted with insta; and the coding flow driven through `App::update`.

#[path = "tui_views/coding_flow.rs"]
mod coding_flow;
mod common;
#[path = "tui_views/review.rs"]
mod review;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use visgraat::config::Config;
use visgraat::tui::action::{Action, ViewId};
use visgraat::tui::app::App;
use visgraat::tui::popups::Popup;
use visgraat::tui::view;
use visgraat::workspace::Workspace;

struct Fixture {
    _dir: tempfile::TempDir,
    app: App,
}

fn fixture(width: u16, height: u16) -> Fixture {
    fixture_with(width, height, |_| {})
}

/// The fixture corpus after `prepare` changed its files (before the TUI opens it).
fn fixture_with(width: u16, height: u16, prepare: impl FnOnce(&std::path::Path)) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(common::repo_root().join("tests/fixtures/corpus"))
        .arg(dir.path().join("corpus"))
        .status()
        .unwrap();
    assert!(status.success());
    let mut config = Config::at(dir.path());
    config.coder = "ana".into();
    prepare(&dir.path().join("corpus"));
    let ws = Workspace::open(config).unwrap();
    ws.refresh_index(false).unwrap();
    let app = App::new(ws, (width, height), false);
    Fixture { _dir: dir, app }
}

impl Fixture {
    fn send(&mut self, actions: impl IntoIterator<Item = Action>) {
        for a in actions {
            self.app.update(a);
        }
        self.run_effects();
    }

    /// Open the first source, select the first word of its second paragraph and ask to
    /// code it: the code picker opens.
    fn pick_a_code_for_the_first_word(&mut self) {
        self.send([
            Action::Enter,
            Action::ParagraphNext,
            Action::ToggleSelect,
            Action::WordNext,
            Action::Code,
        ]);
    }

    fn type_text(&mut self, text: &str) {
        self.send(text.chars().map(Action::Input));
    }

    /// Run searches synchronously, as the worker thread would.
    fn run_effects(&mut self) {
        let searcher = self.app.ws.searcher().unwrap();
        self.app.run_searches_now(&searcher);
    }

    fn screen(&self) -> String {
        let (w, h) = self.app.size;
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| view::render(&self.app, f)).unwrap();
        format!("{}", terminal.backend())
    }
}

#[test]
fn search_results_with_snippets_and_preview() {
    let mut f = fixture(120, 28);
    f.send([Action::FocusSearch]);
    f.type_text("werkdruk OR intake");
    assert_eq!(f.app.search.results.len(), 3);
    f.send([Action::Down]);
    insta::assert_snapshot!("search_results", f.screen());
}

/// A query that does not parse says what to change in the UI's language, not in the
/// library's English (found in a new-user trial).
#[test]
fn a_malformed_query_is_explained_in_the_ui_language() {
    let mut f = fixture(120, 28);
    f.send([Action::FocusSearch]);
    f.type_text("\"warme landing");
    let screen = f.screen();
    assert!(
        screen.contains("zoekvraag: aanhalingsteken niet gesloten"),
        "{screen}"
    );
    assert!(!screen.contains("unclosed"), "{screen}");
    f.app.lang = visgraat::tui::i18n::Lang::En;
    f.send([Action::Input(' ')]);
    assert!(
        f.screen().contains("query: unclosed quote"),
        "{}",
        f.screen()
    );
}

#[test]
fn fishbone_wide_draws_the_diagram() {
    let mut f = fixture(140, 36);
    f.send([Action::Show(ViewId::Fishbone), Action::Right, Action::Down]);
    insta::assert_snapshot!("fishbone_wide", f.screen());
}

#[test]
fn fishbone_narrow_is_a_list() {
    let mut f = fixture(80, 30);
    f.send([Action::Show(ViewId::Fishbone)]);
    insta::assert_snapshot!("fishbone_narrow", f.screen());
}

#[test]
fn reader_shows_overlapping_codings_and_wide_text() {
    let mut f = fixture(130, 22);
    f.send([Action::Enter, Action::ParagraphNext]);
    insta::assert_snapshot!("reader_overlapping", f.screen());
}

#[test]
fn code_popup_filters_codes() {
    let mut f = fixture(120, 26);
    f.pick_a_code_for_the_first_word();
    f.type_text("wer");
    insta::assert_snapshot!("code_popup", f.screen());
}

#[test]
fn help_lists_the_keys_of_the_view() {
    let mut f = fixture(100, 34);
    f.send([Action::ToggleHelp]);
    insta::assert_snapshot!("help_documents", f.screen());
}

/// At 80×24 the help is longer than the screen: it scrolls, and its title says which lines
/// show (found in a new-user trial: the last entries could not be read).
#[test]
fn the_help_scrolls_where_it_is_longer_than_the_screen() {
    let mut f = fixture(80, 24);
    f.send([Action::ToggleHelp]);
    let first = f.screen();
    assert!(first.contains("· 1–18/"), "{first}");
    let last_entry = visgraat::tui::view::help::lines(&f.app)
        .last()
        .unwrap()
        .clone();
    assert!(!first.contains(last_entry.trim()), "{first}");
    for _ in 0..100 {
        f.send([Action::Down]);
    }
    let end = f.screen();
    assert!(end.contains(last_entry.trim()), "{end}");
    f.send([Action::Up]);
    assert!(f.app.help_scroll + 1 == visgraat::tui::view::help::max_scroll(&f.app));
    f.send([Action::Back]);
    assert!(!f.app.help);
}

#[test]
fn too_small_terminal_says_so() {
    let f = fixture(40, 10);
    insta::assert_snapshot!("too_small", f.screen());
}

#[test]
fn problems_popup_lists_bad_files_and_orphaned_codings() {
    let mut f = fixture_with(100, 24, |corpus| {
        std::fs::write(
            corpus.join("codings/bram/synthetic-intermezzo.toml"),
            "[[coding]]\nid = \"c-1\"\ncode = = \"x\"\n",
        )
        .unwrap();
        // The coded sentence about the AVG is rewritten beyond recognition.
        let src = corpus.join("sources/transcript/synthetic-focusgroep-a.md");
        let text = std::fs::read_to_string(&src).unwrap();
        let edited = text.replace(
            "Maar de werkdruk is hoog en de AVG remt de overdracht.",
            "Daarover zeggen we verder niets.",
        );
        assert_ne!(text, edited);
        std::fs::write(&src, edited).unwrap();
    });
    assert!(
        f.app
            .message
            .as_ref()
            .is_some_and(|(m, e)| *e && m.contains("!")),
        "{:?}",
        f.app.message
    );
    f.send([Action::Problems]);
    let items = f.app.problem_items();
    // The broken file, then both coders' codings on the rewritten sentence.
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(
        items[0]
            .label
            .starts_with("corpus/codings/bram/synthetic-intermezzo.toml:3: malformed TOML"),
        "{items:?}"
    );
    assert!(items[1].label.contains("ana/synthetic-focusgroep-a"));
    assert!(items[1].label.contains("“Maar de werkdruk is hoog"));
    assert!(items[2].label.contains("bram/synthetic-focusgroep-a"));
    f.send([Action::Down]);
    insta::assert_snapshot!(f.screen());
    // `?` says the list's keys, and the list stays (it showed nothing).
    f.send([Action::ToggleHelp]);
    assert!(
        f.screen()
            .contains("Enter opent de plek · a plaatst op het voorstel")
    );
    assert!(matches!(f.app.popup, Some(Popup::Problems { .. })));
    // Enter opens the source where the orphaned coding was.
    f.send([Action::Enter]);
    assert!(f.app.popup.is_none());
    assert!(f.app.docs.reader.is_some());
    assert_eq!(f.app.view, ViewId::Documents);
}

/// Run from the project with `corpus = "corpus"`, the corpus root is relative and its parent
/// empty: the popup showed "corpuscodingsvoorbeeld…", every `/` taken out of the paths.
#[test]
fn problems_popup_keeps_the_slashes_of_paths_relative_to_the_working_directory() {
    let mut f = fixture(100, 24);
    f.app.ws.corpus.root = std::path::PathBuf::from("corpus");
    f.app.ws.problems.push(visgraat::Error::invalid(
        "corpus/codings/voorbeeld/intermezzo-intake.toml",
        Some(3),
        "malformed TOML",
    ));
    f.send([Action::Problems]);
    let items = f.app.problem_items();
    assert_eq!(
        items[0].label,
        "corpus/codings/voorbeeld/intermezzo-intake.toml:3: malformed TOML"
    );
    let screen = f.screen();
    assert!(
        screen.contains("│corpus/codings/voorbeeld/intermezzo-intake.toml:3: malformed TOML"),
        "{screen}"
    );
}

#[test]
fn another_process_coding_is_picked_up_and_nothing_is_overwritten() {
    let mut f = fixture(100, 24);
    let corpus = f.app.ws.corpus.root.clone();
    let source = f
        .app
        .ws
        .corpus
        .sources
        .iter()
        .find(|s| s.meta.id == "synthetic-intermezzo")
        .unwrap()
        .clone();
    let before = f.app.ws.codings.codings.len();
    let stamp = f.app.disk_stamp;
    // Another process (the CLI, a second TUI) codes while this TUI runs.
    visgraat::coding::add(&corpus, "ana", &source, 0, 9, "beleid-intake", "elders").unwrap();
    assert_ne!(visgraat::workspace::disk_stamp(&corpus), stamp);
    f.send([Action::Reload]);
    assert_eq!(f.app.ws.codings.codings.len(), before + 1);
    assert_eq!(f.app.disk_stamp, visgraat::workspace::disk_stamp(&corpus));

    // This TUI codes the same source without reloading first: both codings stay.
    visgraat::coding::add(&corpus, "ana", &source, 10, 20, "beleid-intake", "nog een").unwrap();
    f.send([Action::Show(ViewId::Documents), Action::Enter]);
    let id = f.app.docs.reader.as_ref().map(|r| r.source).unwrap();
    let opened = f.app.source(id).meta.id.clone();
    f.send([Action::ToggleSelect, Action::WordNext, Action::Code]);
    f.type_text("intake");
    f.send([Action::Enter]);
    f.type_text("synthetisch memo");
    f.send([Action::Enter]);
    let on_disk =
        visgraat::coding::load_file(&visgraat::coding::file_path(&corpus, "ana", &opened))
            .unwrap()
            .codings
            .len();
    let (all, _) = visgraat::coding::CodingSet::load(&corpus);
    assert_eq!(
        all.codings.len(),
        before + 3,
        "the TUI's and both other codings"
    );
    assert_eq!(
        f.app.ws.codings.codings.len(),
        before + 3,
        "and the TUI shows all three"
    );
    assert!(on_disk >= 1);
}

#[test]
fn matrix_view_counts_and_opens_the_passages_behind_a_cell() {
    let mut f = fixture(110, 26);
    f.send([Action::Show(ViewId::Matrix)]);
    let m = f
        .app
        .matrix
        .data
        .clone()
        .expect("computed when the view opens");
    assert_eq!(m.columns.last().map(String::as_str), Some("(no case)"));
    // Move to the first non-empty cell and open it.
    let (r, c) = m
        .cells
        .iter()
        .enumerate()
        .find_map(|(r, row)| row.iter().position(|&n| n > 0).map(|c| (r, c)))
        .unwrap();
    for _ in 0..r {
        f.send([Action::Down]);
    }
    for _ in 0..c {
        f.send([Action::Right]);
    }
    insta::assert_snapshot!("matrix_level_by_case", f.screen());
    f.send([Action::Enter]);
    let Some(Popup::Passages { items, .. }) = &f.app.popup else {
        panic!("passages popup: {:?}", f.app.popup);
    };
    assert_eq!(items.len(), m.cells[r][c]);
    f.send([Action::Back, Action::ToggleValence]);
    let co = f.app.matrix.data.clone().unwrap();
    assert_eq!(co.rows, co.columns, "code × code");
    insta::assert_snapshot!("matrix_cooccurrence", f.screen());
}

#[test]
fn while_the_index_builds_the_reader_works_and_search_says_how_far() {
    use visgraat::tui::indexer::IndexState;
    let mut f = fixture(120, 28);
    f.app.index = IndexState::Working {
        building: true,
        percent: 62,
    };
    // The reader opens a source as usual.
    f.send([Action::Enter]);
    let reading = f.screen();
    assert!(
        reading.contains("index wordt opgebouwd (62 %)"),
        "{reading}"
    );
    assert!(reading.contains("¶1"), "{reading}");
    // A search waits for the index (the worker answers it once the index is ready) and says
    // so in place of results.
    f.app.update(Action::FocusSearch);
    for c in "werkdruk".chars() {
        f.app.update(Action::Input(c));
    }
    assert!(f.app.search.pending);
    insta::assert_snapshot!("search_while_the_index_builds", f.screen());

    f.app.index = IndexState::Waiting;
    let waiting = f.screen();
    assert!(
        waiting.contains("wacht op een ander visgraat-proces"),
        "{waiting}"
    );

    // Once ready, the answer comes in and the status line is quiet again.
    f.app.index = IndexState::Ready;
    f.run_effects();
    let ready = f.screen();
    assert!(!ready.contains("index wordt"), "{ready}");
    assert!(!f.app.search.results.is_empty());
}

#[test]
fn the_index_state_speaks_english_too() {
    use visgraat::tui::indexer::IndexState;
    let mut f = fixture(120, 28);
    f.app.lang = visgraat::tui::i18n::Lang::En;
    f.app.index = IndexState::Working {
        building: false,
        percent: 40,
    };
    assert!(f.screen().contains("updating the index (40 %)"));
    f.app.index = IndexState::Failed("meta.json: damaged".into());
    assert!(f.screen().contains("index unavailable: meta.json: damaged"));
}

/// The team view: one case's own sheet beside the coding of its talk, in both languages and
/// both widths.
#[test]
fn fishbone_team_view_wide_and_narrow_in_both_languages() {
    for (lang, name) in [
        (visgraat::tui::i18n::Lang::Nl, "nl"),
        (visgraat::tui::i18n::Lang::En, "en"),
    ] {
        for (w, h, width) in [(140, 36, "wide"), (80, 30, "narrow")] {
            // Team A's sheet also names a factor its talk did not touch.
            let mut f = fixture_with(w, h, |corpus| {
                let path = corpus.join("cases.toml");
                let cases = std::fs::read_to_string(&path).unwrap().replace(
                    "codes = [\"team-korte-lijnen\", \"individu-werkdruk\"]",
                    "codes = [\"team-korte-lijnen\", \"individu-werkdruk\", \"beleid-intake\"]",
                );
                std::fs::write(&path, cases).unwrap();
            });
            f.app.lang = lang;
            f.send([Action::Show(ViewId::Fishbone), Action::CycleCase]);
            assert_eq!(f.app.fishbone.case.as_deref(), Some("synthetisch-team-a"));
            let screen = f.screen();
            // All three kinds, each by its glyph.
            for glyph in ['●', '◇', '○'] {
                assert!(screen.contains(glyph), "{glyph}:\n{screen}");
            }
            insta::assert_snapshot!(format!("fishbone_team_{width}_{name}"), screen);
        }
    }
}

/// What the team view says per factor: on the sheet and in the talk, on the sheet only, in
/// the talk only; and the counts for all cases keep the two kinds of "cases" apart.
#[test]
fn the_team_view_tells_sheet_from_talk() {
    use visgraat::analysis::fishbone::{self, Presence};
    let f = fixture(140, 36);
    let corpus = &f.app.ws.corpus;
    let all = fishbone::diagram(corpus, &f.app.ws.codings, None);
    let rib = |d: &fishbone::Diagram, code: &str| d.ribs().find(|r| r.code == code).cloned();
    let korte = rib(&all, "team-korte-lijnen").unwrap();
    assert_eq!(korte.sheets, 1, "one case has it on its sheet");
    assert!(korte.presence.is_none());
    let team_a = fishbone::diagram(corpus, &f.app.ws.codings, Some("synthetisch-team-a"));
    assert_eq!(team_a.sheet_note.as_deref(), Some("Synthetic sheet."));
    for r in team_a.ribs() {
        let on_sheet = ["team-korte-lijnen", "individu-werkdruk"].contains(&r.code.as_str());
        match r.presence {
            Some(Presence::Both) => assert!(on_sheet && r.passages > 0, "{r:?}"),
            Some(Presence::SheetOnly) => assert!(on_sheet && r.passages == 0, "{r:?}"),
            Some(Presence::CodingOnly) => assert!(!on_sheet && r.passages > 0, "{r:?}"),
            None => panic!("the team view shows only what is on the sheet or in the talk"),
        }
    }
    assert!(rib(&team_a, "team-korte-lijnen").is_some());
    assert!(rib(&team_a, "individu-werkdruk").is_some());
}

/// The sheet is edited in the team view: `S` takes the selected factor off or puts it on,
/// `a` puts any factor on, `e` writes the note; each one atomic write of cases.toml, each
/// undoable.
#[test]
fn the_sheet_is_edited_in_the_team_view_and_undone() {
    let mut f = fixture(140, 36);
    let cases_file = f.app.ws.corpus.root.join("cases.toml");
    let original = std::fs::read_to_string(&cases_file).unwrap();
    let sheet = |f: &Fixture| {
        f.app
            .ws
            .corpus
            .cases
            .get("synthetisch-team-a")
            .and_then(|c| c.fishbone.clone())
            .unwrap_or_default()
    };
    f.send([Action::Show(ViewId::Fishbone), Action::CycleCase]);
    // Go to the team bone, where team-korte-lijnen hangs, and take it off the sheet.
    f.send([Action::Right]);
    let codes = f.app.bone_codes(f.app.fishbone.level);
    let selected = f.app.ws.corpus.codebook.codes[codes[0]].id.clone();
    assert_eq!(selected, "team-korte-lijnen");
    f.send([Action::ToggleOnSheet]);
    assert!(!sheet(&f).codes.contains(&selected), "{:?}", sheet(&f));
    assert!(
        !std::fs::read_to_string(&cases_file)
            .unwrap()
            .contains("team-korte-lijnen")
    );
    f.send([Action::Undo]);
    assert!(sheet(&f).codes.contains(&selected));
    assert_eq!(std::fs::read_to_string(&cases_file).unwrap(), original);

    // Any factor code onto the sheet through the picker.
    f.send([Action::AddCode]);
    f.type_text("wachtlijst");
    f.send([Action::Enter]);
    assert!(
        sheet(&f)
            .codes
            .contains(&"maatschappij-wachtlijsten".to_string()),
        "{:?}",
        sheet(&f)
    );
    let screen = f.screen();
    assert!(screen.contains('◇'), "a factor only on paper:\n{screen}");

    // The note.
    f.send([Action::EditDefinition]);
    for _ in 0.."Synthetic sheet.".chars().count() {
        f.send([Action::Backspace]);
    }
    f.type_text("Blad na de tweede sessie");
    f.send([Action::Enter]);
    assert_eq!(sheet(&f).note, "Blad na de tweede sessie");
    assert!(f.screen().contains("Blad: Blad na de tweede sessie"));
    f.send([Action::Undo, Action::Undo]);
    assert_eq!(std::fs::read_to_string(&cases_file).unwrap(), original);
}

/// A coding whose text had a word changed waits for review in the problems list (`!`),
/// with both texts; `a` places it as proposed (its first quote kept), undoably.
#[test]
fn a_coding_waiting_for_review_is_placed_from_the_problems_list() {
    let mut f = fixture_with(140, 36, |corpus| {
        let path = corpus.join("sources/transcript/synthetic-focusgroep-a.md");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("De korte lijn met de", "De lange lijn met de"),
        )
        .unwrap();
    });
    let waiting = |f: &Fixture| {
        f.app
            .ws
            .codings
            .codings
            .iter()
            .find(|c| c.coding.quote == "De korte lijn met de zorgcoördinator helpt.")
            .cloned()
    };
    let before = waiting(&f).expect("the coding is kept");
    assert!(before.coding.orphaned && before.coding.review.is_some());
    f.send([Action::Problems]);
    let screen = f.screen();
    assert!(screen.contains("wacht op beoordeling"), "{screen}");
    assert!(screen.contains("De lange lijn"), "both texts: {screen}");
    let row = f
        .app
        .problem_items()
        .iter()
        .position(|p| p.review.is_some())
        .unwrap();
    for _ in 0..row {
        f.send([Action::Down]);
    }
    f.send([Action::AcceptReview]);
    let placed = f
        .app
        .ws
        .codings
        .codings
        .iter()
        .find(|c| c.coding.id == before.coding.id)
        .cloned()
        .unwrap();
    assert_eq!(
        placed.coding.quote,
        "De lange lijn met de zorgcoördinator helpt."
    );
    assert_eq!(
        placed.coding.original_quote.as_deref(),
        Some("De korte lijn met de zorgcoördinator helpt.")
    );
    assert!(!placed.coding.orphaned && placed.coding.review.is_none());
    let file = f.app.ws.corpus.root.join(format!(
        "codings/{}/synthetic-focusgroep-a.toml",
        placed.coder
    ));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("original_quote = \"De korte lijn")
    );
    f.send([Action::Back, Action::Undo]);
    assert!(waiting(&f).is_some_and(|c| c.coding.review.is_some()));
}
