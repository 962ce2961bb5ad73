//! A running TUI over one workspace: changes on disk (a source edited in an editor, another
//! visgraat's writes) are read back and never overwritten with stale data; the search worker
//! filters by the code book as it is now; undo refuses to take away a code in use; a key
//! remapped in the user's config works and shows in the help.

mod common;

use common::Project;
use common::tmux::{self, Tmux};
use visgraat::config::Config;
use visgraat::tui::action::{Action, ViewId};
use visgraat::tui::app::App;
use visgraat::workspace::Workspace;

const INTAKE: &str = "corpus/sources/intermezzo/intermezzo-intake.md";
const INTAKE_CODINGS: &str = "corpus/codings/voorbeeld/intermezzo-intake.toml";
const INTAKE_CODING: &str = "c-cbdbbea9066e";

fn open_app(p: &Project) -> App {
    let config = Config::load(&p.path().join("config.toml")).unwrap();
    App::new(Workspace::open(config).unwrap(), (140, 40), false)
}

/// Insert a paragraph at the top of the intake intermezzo's text, as an editor would.
fn insert_paragraph_at_top(p: &Project) {
    let path = p.path().join(INTAKE);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen(
        "+++\nIntermezzo: intake\n",
        "+++\nIntermezzo: intake\n\nEen alinea die iemand in de editor bovenaan heeft ingevoegd, zodat alles verschuift.\n",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&path, edited).unwrap();
}

/// The start offset of `id` in a codings file on disk.
fn start_on_disk(p: &Project, id: &str) -> usize {
    let text = std::fs::read_to_string(p.path().join(INTAKE_CODINGS)).unwrap();
    let file: toml::Table = toml::from_str(&text).unwrap();
    let coding = file["coding"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"].as_str() == Some(id))
        .unwrap();
    coding["start"].as_integer().unwrap() as usize
}

#[test]
fn a_source_edited_while_open_is_shown_and_its_codings_follow_the_new_text() {
    let p = Project::shipped();
    let mut app = open_app(&p);
    assert_eq!(start_on_disk(&p, INTAKE_CODING), 247);
    let index = app.ws.corpus.source_index("intermezzo-intake").unwrap();
    app.open_reader(index, 0);

    insert_paragraph_at_top(&p);
    // `visgraat check --fix` re-anchors the codings on disk meanwhile.
    p.expect(0, &["check", "--fix"]);
    let moved = start_on_disk(&p, INTAKE_CODING);
    assert!(moved > 247, "check moved it: {moved}");

    // What the poller reports: the sources changed. The TUI reads them back.
    app.reload(true, true);
    let body = &app.ws.corpus.sources[index].body;
    assert!(
        body.contains("in de editor bovenaan"),
        "the reader shows the new text"
    );
    let lines = app.reader_lines(index);
    let shown: String = lines
        .iter()
        .flat_map(|l| l.cells.iter().map(|c| c.text.as_str()))
        .collect();
    assert!(
        shown.contains("editor"),
        "the wrapped lines are of the new text"
    );
    let in_memory = app
        .ws
        .codings
        .codings
        .iter()
        .find(|c| c.coding.id == INTAKE_CODING)
        .unwrap();
    assert_eq!(in_memory.coding.start, moved, "memory follows the disk");

    // A coding made now lands on the new text, and the other codings keep their new offsets.
    let quote = "Een alinea die iemand in de editor";
    let start = body.find(quote).map(|b| body[..b].chars().count()).unwrap();
    app.update(Action::Reload);
    app.ws
        .add_coding(
            "voorbeeld",
            index,
            start,
            start + quote.chars().count(),
            "beleid-intake-met-open-gesprek",
            "",
        )
        .unwrap();
    assert_eq!(
        start_on_disk(&p, INTAKE_CODING),
        moved,
        "never written back stale"
    );
    let (set, _) = visgraat::coding::CodingSet::load(&p.corpus());
    let added = set
        .codings
        .iter()
        .find(|c| c.coding.quote == quote)
        .expect("the new coding, on its text");
    assert_eq!(added.coding.start, start);
    p.expect(0, &["check"]);
}

#[test]
fn an_edited_source_is_re_anchored_by_the_tui_itself() {
    let p = Project::shipped();
    let mut app = open_app(&p);
    insert_paragraph_at_top(&p);
    app.reload(true, true);
    // The TUI wrote what it found, as opening a workspace does: offsets into the new text.
    let now = start_on_disk(&p, INTAKE_CODING);
    assert!(now > 247, "{now}");
    let message = app.message.clone().unwrap().0;
    assert!(message.contains("teruggezet"), "{message}");
    // The problems list agrees with `check`.
    assert!(app.problem_items().is_empty());
    p.expect(0, &["check"]);
}

#[test]
fn the_search_worker_filters_by_the_code_book_as_it_is_now() {
    let p = Project::shipped();
    let mut app = open_app(&p);
    let mut snapshot = None;
    let (_, before) = visgraat::tui::worker_snapshot(&app, &mut snapshot);
    // `>` in the Codes page: the first fishbone code moves to the next level.
    app.update(Action::Show(ViewId::Codes));
    let code = app.ws.corpus.codebook.codes[app.codes.selected].clone();
    let level = code.level.expect("a fishbone code first");
    app.update(Action::NextLevel);
    let (_, after) = visgraat::tui::worker_snapshot(&app, &mut snapshot);
    assert_eq!(before.code(&code.id).unwrap().level, Some(level));
    assert_ne!(
        after.code(&code.id).unwrap().level,
        Some(level),
        "the moved level"
    );

    // `a`: a new code is in the worker's book at once.
    app.update(Action::AddCode);
    for c in "Nieuwe testcode".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Enter);
    for c in "Wat wel en wat niet.".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Enter);
    let (_, added) = visgraat::tui::worker_snapshot(&app, &mut snapshot);
    assert!(
        added.codes.iter().any(|c| c.label == "Nieuwe testcode"),
        "{:?}",
        app.message
    );
}

#[test]
fn undo_of_a_new_code_refuses_while_a_coding_uses_it() {
    let p = Project::shipped();
    let mut app = open_app(&p);
    app.update(Action::Show(ViewId::Codes));
    app.update(Action::AddCode);
    for c in "Code in gebruik".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Enter);
    for c in "Voor de test.".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Enter);
    let id = app
        .ws
        .corpus
        .codebook
        .codes
        .iter()
        .find(|c| c.label == "Code in gebruik")
        .map(|c| c.id.clone())
        .expect("the new code");
    // Another process codes with it.
    p.expect(
        0,
        &[
            "code",
            "intermezzo-intake",
            &id,
            "--match",
            "Intermezzo: intake",
        ],
    );
    app.update(Action::Undo);
    let (message, is_error) = app.message.clone().unwrap();
    assert!(is_error && message.contains(&id), "{message}");
    assert!(app.ws.corpus.codebook.code(&id).is_some(), "the code stays");
    p.expect(0, &["check"]);
}

#[test]
fn a_running_tui_reads_an_edited_source_and_never_writes_old_offsets() {
    if !tmux::available() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let p = Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    let t = Tmux::start(p.path(), 120, 30);
    t.wait_for("Documenten");
    insert_paragraph_at_top(&p);
    p.expect(0, &["check", "--fix"]);
    let moved = start_on_disk(&p, INTAKE_CODING);
    assert!(moved > 247);
    // Longer than the poll: the old TUI rewrote the file with 247 within three seconds.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert_eq!(start_on_disk(&p, INTAKE_CODING), moved);
    t.keys(&["q"]);
    t.wait_for("EXITED 0");
    assert_eq!(start_on_disk(&p, INTAKE_CODING), moved);
}

#[test]
fn a_key_remapped_in_the_user_config_works_and_shows_in_the_help() {
    if !tmux::available() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let p = Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("visgraat")).unwrap();
    std::fs::write(
        home.path().join("visgraat/config.toml"),
        "# my keys\nmouse = false\n\n[keys.global]\nZ = { show = \"codes\" }\n",
    )
    .unwrap();
    let env = format!("XDG_CONFIG_HOME='{}' ", home.path().display());
    let t = Tmux::start_with(p.path(), 120, 40, &env);
    t.wait_for("Documenten");
    t.keys(&["Z"]);
    t.wait_for("Definitie");
    t.keys(&["?"]);
    let screen = t.wait_for("Toetsen");
    assert!(
        screen
            .lines()
            .any(|l| l.contains("Z") && l.contains("codes")),
        "{screen}"
    );
    assert!(
        !screen.contains(" muis "),
        "mouse = false: no mouse line\n{screen}"
    );
    t.keys(&["Escape", "q"]);
    t.wait_for("EXITED 0");
}

#[test]
fn cases_are_made_described_and_assigned_from_the_tree_and_undone() {
    let p = Project::shipped();
    let mut app = open_app(&p);
    let type_in = |app: &mut App, text: &str| {
        for c in text.chars() {
            app.update(Action::Input(c));
        }
        app.update(Action::Enter);
    };
    let source = app.docs.selected_source().unwrap();
    let id = app.ws.corpus.sources[source].meta.id.clone();
    app.update(Action::NewCase);
    type_in(&mut app, "fg-test");
    assert!(
        app.ws.corpus.cases.get("fg-test").is_some(),
        "{:?}",
        app.message
    );
    app.update(Action::AssignCase);
    // The prompt holds the source's case as it is: clear it first.
    for _ in 0..40 {
        app.update(Action::Backspace);
    }
    type_in(&mut app, "fg-test");
    let now = app.ws.corpus.source(&id).unwrap();
    assert_eq!(
        now.meta.case.as_deref(),
        Some("fg-test"),
        "{:?}",
        app.message
    );
    app.update(Action::EditCase);
    type_in(&mut app, "regio=Zuid, niveau=2");
    let cases = std::fs::read_to_string(p.corpus().join("cases.toml")).unwrap();
    assert!(
        cases.contains("regio = \"Zuid\"") && cases.contains("niveau = 2"),
        "{cases}"
    );
    p.expect(0, &["check"]);

    // A bad attribute line is refused, naming what it could not read.
    app.update(Action::EditCase);
    for _ in 0..60 {
        app.update(Action::Backspace);
    }
    type_in(&mut app, "regio");
    let (message, is_error) = app.message.clone().unwrap();
    assert!(is_error && message.contains("regio"), "{message}");

    // Undo all three: the source is in no case again and the case is gone.
    for _ in 0..3 {
        app.update(Action::Undo);
    }
    assert_eq!(
        app.ws.corpus.source(&id).unwrap().meta.case,
        None,
        "{:?}",
        app.message
    );
    assert!(app.ws.corpus.cases.get("fg-test").is_none());
    p.expect(0, &["check"]);
}

/// The disk watch may report an own write half way — its temp file beside the codings, the
/// first of two files renamed. That is no one else's change: the disk as it is once the
/// write is done decides. Another process's write still is one.
#[test]
fn an_own_write_caught_half_way_is_not_taken_for_someone_elses() {
    use visgraat::workspace::Stamps;
    let p = Project::shipped();
    let app = open_app(&p);
    let coder_dir = p.corpus().join("codings/voorbeeld");
    let temp = coder_dir.join(".intermezzo-intake.toml.4242.tmp");
    std::fs::write(&temp, "half").unwrap();
    let half_way = Stamps::take(&p.corpus());
    assert_ne!(
        half_way.project, app.disk_stamp,
        "the temp file moves the stamp"
    );
    std::fs::remove_file(&temp).unwrap();
    assert_eq!(app.changed_elsewhere(&half_way), (false, false));

    visgraat::atomic::write(&coder_dir.join("extra.toml"), b"").unwrap();
    let theirs = Stamps::take(&p.corpus());
    assert_eq!(app.changed_elsewhere(&theirs), (false, true));
}
