//! Property tests of the TUI: random sequences of actions, through `App::update` and a
//! render on a test backend after each one, over small corpora (the synthetic fixture, an
//! empty corpus, one with an empty code book, one source and no codings, one source with no
//! text). Nothing may panic, and every file under corpus/ must still parse afterwards with
//! no problem that was not there before.

mod common;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use visgraat::config::Config;
use visgraat::tui::action::{Action, Filter, ViewId};
use visgraat::tui::app::App;
use visgraat::tui::view;
use visgraat::workspace::Workspace;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Corpus {
    /// tests/fixtures/corpus: two sources, codings by two coders, cases with sheets.
    Fixture,
    /// project.toml and the fixture's code book: no sources, no codings.
    NoSources,
    /// project.toml and an empty codebook.toml.
    EmptyBook,
    /// The fixture's code book and transcript, no codings.
    OneSource,
    /// One source whose body is empty.
    EmptySource,
}

const FIXTURE: &str = "tests/fixtures/corpus";

fn copy_dir(from: &Path, to: &Path) {
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A project of `kind` with its index built, made once per kind and copied for each case.
fn template(kind: Corpus) -> &'static Path {
    static TEMPLATES: LazyLock<Vec<(Corpus, tempfile::TempDir)>> = LazyLock::new(|| {
        [
            Corpus::Fixture,
            Corpus::NoSources,
            Corpus::EmptyBook,
            Corpus::OneSource,
            Corpus::EmptySource,
        ]
        .into_iter()
        .map(|kind| (kind, build_template(kind)))
        .collect()
    });
    TEMPLATES
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, dir)| dir.path())
        .unwrap()
}

fn build_template(kind: Corpus) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let fixture = common::repo_root().join(FIXTURE);
    let book = std::fs::read_to_string(fixture.join("codebook.toml")).unwrap();
    let project = std::fs::read_to_string(fixture.join("project.toml")).unwrap();
    match kind {
        Corpus::Fixture => copy_dir(&fixture, &corpus),
        Corpus::NoSources => {
            write(&corpus.join("project.toml"), &project);
            write(&corpus.join("codebook.toml"), &book);
        }
        Corpus::EmptyBook => {
            write(&corpus.join("project.toml"), &project);
            write(&corpus.join("codebook.toml"), "");
        }
        Corpus::OneSource => {
            write(&corpus.join("project.toml"), &project);
            write(&corpus.join("codebook.toml"), &book);
            let name = "sources/transcript/synthetic-focusgroep-a.md";
            write(
                &corpus.join(name),
                &std::fs::read_to_string(fixture.join(name)).unwrap(),
            );
        }
        Corpus::EmptySource => {
            write(&corpus.join("project.toml"), &project);
            write(&corpus.join("codebook.toml"), &book);
            write(
                &corpus.join("sources/letter/leeg.md"),
                "+++\nid = \"leeg\"\nkind = \"letter\"\ntitle = \"Leeg\"\nprovenance = \"synthetic\"\n+++\n",
            );
        }
    }
    let ws = Workspace::open(config(dir.path())).unwrap();
    ws.refresh_index(false).unwrap();
    dir
}

fn config(dir: &Path) -> Config {
    let mut config = Config::at(dir);
    config.coder = "ana".into();
    config
}

/// Every file under `dir`, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// What opening the project reports, and what `visgraat check` would: file names relative
/// to the project, so two copies compare.
fn problems(dir: &Path) -> Vec<String> {
    let ws = Workspace::open(config(dir)).unwrap();
    let mut all: Vec<String> = ws
        .problems
        .iter()
        .chain(&visgraat::check::check(&ws.corpus, &ws.codings))
        .map(|p| p.to_string().replace(&dir.display().to_string(), ""))
        .collect();
    all.sort();
    all
}

fn action() -> impl Strategy<Value = Action> {
    use Action::*;
    let views = prop::sample::select(vec![
        ViewId::Documents,
        ViewId::Search,
        ViewId::Fishbone,
        ViewId::Codes,
        ViewId::Matrix,
        ViewId::Review,
    ]);
    let filters = prop::sample::select(vec![
        Filter::Kind,
        Filter::Case,
        Filter::Factor,
        Filter::Valence,
        Filter::Coder,
        Filter::Quotes,
        Filter::Speaker,
        Filter::Code,
    ]);
    // Letters that codes, queries and memos hold, and text that is hard to lay out.
    let chars = prop::sample::select(vec![
        'a', 'e', 'w', 'r', 'k', 'd', 't', 'o', ' ', 'é', '\u{301}', '日', '👩',
    ]);
    let moves = prop::sample::select(vec![
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
        NextPane,
        ScrollUp,
        ScrollDown,
    ]);
    let edits = prop::sample::select(vec![
        ToggleSelect,
        Code,
        Memo,
        Recode,
        RemoveCoding,
        Undo,
        Redo,
        CopyCitation,
        AppendCitation,
        Backspace,
        FocusSearch,
        CycleCase,
        AddCode,
        RenameCode,
        EditDefinition,
        MergeCode,
        SplitCode,
        NextLevel,
        SettleAsLeft,
        SettleAsRight,
        AcceptReview,
        PrevLevel,
        ToggleValence,
        ToggleOnSheet,
        Problems,
        KeepDifference,
        CycleShownCoder,
        CycleActiveCoder,
        Reload,
        ToggleHelp,
        Quit,
    ]);
    prop_oneof![
        2 => views.prop_map(Show),
        6 => moves,
        5 => edits,
        4 => Just(Enter),
        2 => Just(Back),
        4 => chars.prop_map(Input),
        1 => filters.prop_map(ToggleFilter),
        1 => (0u16..=200, 0u16..=60).prop_map(|(w, h)| Resize(w, h)),
        1 => (0u16..=200, 0u16..=60).prop_map(|(x, y)| Click(x, y)),
    ]
}

/// A few actions that make one whole edit (code a passage, add, rename, split or merge a
/// code, put a factor on a sheet, settle a disagreement): random single actions alone rarely
/// get that far.
fn flow() -> impl Strategy<Value = Vec<Action>> {
    use Action::*;
    let text = prop::collection::vec(
        prop::sample::select(vec!['a', 'e', 'r', 'k', 't', ' ', 'é']),
        0..4,
    )
    .prop_map(|cs| cs.into_iter().map(Input).collect::<Vec<_>>());
    let downs = (0usize..6).prop_map(|n| vec![Down; n]);
    let book_edit = prop::sample::select(vec![AddCode, RenameCode, EditDefinition, SplitCode]);
    prop_oneof![
        (downs.clone(), text.clone(), text.clone()).prop_map(|(downs, code, memo)| {
            let mut v = vec![Show(ViewId::Documents), Enter, NextPane];
            v.extend(downs);
            v.extend([ParagraphNext, ToggleSelect, WordNext, Code]);
            v.extend(code);
            v.push(Enter);
            v.extend(memo);
            v.push(Enter);
            v
        }),
        (text.clone()).prop_map(|code| {
            let mut v = vec![Recode];
            v.extend(code);
            v.push(Enter);
            v
        }),
        (downs.clone(), book_edit, text.clone(), text.clone()).prop_map(
            |(downs, edit, first, second)| {
                let mut v = vec![Show(ViewId::Codes)];
                v.extend(downs);
                v.push(edit);
                v.extend(first);
                v.push(Enter);
                v.extend(second);
                v.push(Enter);
                v
            }
        ),
        (downs.clone(), text.clone()).prop_map(|(downs, into)| {
            let mut v = vec![Show(ViewId::Codes)];
            v.extend(downs);
            v.push(MergeCode);
            v.extend(into);
            v.push(Enter);
            v
        }),
        (
            downs.clone(),
            prop::sample::select(vec![ToggleOnSheet, AddCode, EditDefinition])
        )
            .prop_map(|(downs, edit)| {
                let mut v = vec![Show(ViewId::Fishbone), CycleCase];
                v.extend(downs);
                v.extend([edit, Input('e'), Enter]);
                v
            }),
        (
            downs,
            prop::sample::select(vec![
                SettleAsRight,
                SettleAsLeft,
                KeepDifference,
                Recode,
                Memo
            ])
        )
            .prop_map(|(downs, settle)| {
                let mut v = vec![Show(ViewId::Review)];
                v.extend(downs);
                v.extend([settle, Input('e'), Enter]);
                v
            }),
        prop::sample::select(vec![Undo, Redo]).prop_map(|a| vec![a; 3]),
    ]
}

/// One action, or one whole edit.
fn step() -> impl Strategy<Value = Vec<Action>> {
    prop_oneof![
        4 => action().prop_map(|a| vec![a]),
        1 => flow(),
    ]
}

fn render(app: &App) {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::render(app, f)).unwrap();
}

/// Run the searches the app asked for, as the worker thread would.
fn run_effects(app: &mut App, searcher: &visgraat::index::search::Searcher) {
    app.run_searches_now(searcher);
}

fn run(kind: Corpus, size: (u16, u16), actions: &[Action]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(template(kind), &dir.path().join("p"));
    let root = dir.path().join("p");
    let before = problems(&root);
    let ws = Workspace::open(config(&root)).unwrap();
    let searcher = ws.searcher().unwrap();
    let mut app = App::new(ws, size, false);
    render(&app);
    for action in actions {
        app.update(action.clone());
        run_effects(&mut app, &searcher);
        render(&app);
        if app.quit {
            break;
        }
    }
    drop(app);
    for file in files(&root.join("corpus")) {
        if file.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&file).unwrap();
            prop_assert!(
                toml::from_str::<toml::Table>(&text).is_ok(),
                "{} no longer parses:\n{text}",
                file.display()
            );
        }
    }
    let after = problems(&root);
    let new: Vec<&String> = after.iter().filter(|p| !before.contains(p)).collect();
    prop_assert!(new.is_empty(), "new problems: {new:#?}");
    Ok(())
}

fn corpus_kind() -> impl Strategy<Value = Corpus> {
    prop::sample::select(vec![
        Corpus::Fixture,
        Corpus::NoSources,
        Corpus::EmptyBook,
        Corpus::OneSource,
        Corpus::EmptySource,
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any sequence of actions on any of the small corpora: no panic, nothing broken on disk.
    #[test]
    fn any_actions_on_small_corpora_never_panic_or_break_files(
        kind in corpus_kind(),
        size in (0u16..=160, 0u16..=50),
        steps in prop::collection::vec(step(), 1..60),
    ) {
        run(kind, size, &steps.concat())?;
    }
}

// Regressions the property test found, kept as plain tests: each sequence once panicked.

/// Enter in the Codes view of an empty code book: `codebook.codes[0]`.
#[test]
fn enter_in_the_codes_view_of_an_empty_code_book() {
    run(
        Corpus::EmptyBook,
        (100, 30),
        &[Action::Show(ViewId::Codes), Action::Enter],
    )
    .unwrap();
}

/// Up or Down in the reader of a source without text: a line of no lines.
#[test]
fn moving_in_a_source_without_text() {
    use Action::*;
    run(
        Corpus::EmptySource,
        (100, 30),
        &[Enter, Up, Down, PageDown, PageUp, ToggleSelect, Code, Enter],
    )
    .unwrap();
}

/// Enter on the co-occurrence matrix of a corpus without codings: a cell of no rows.
#[test]
fn enter_in_an_empty_matrix() {
    use Action::*;
    for kind in [Corpus::NoSources, Corpus::EmptyBook] {
        run(
            kind,
            (100, 30),
            &[
                Show(ViewId::Matrix),
                Enter,
                NextPane,
                Enter,
                Down,
                Right,
                Enter,
            ],
        )
        .unwrap();
    }
}
