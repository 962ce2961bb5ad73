//! The machine's suggestions in the TUI's Vergelijken view: compared with the reviewer, each
//! with its reasons (snapshots, Dutch and English), accepted into the reviewer's codings,
//! rejected for good, skipped; undo takes an acceptance back.

mod common;

use visgraat::tui::action::{Action, ViewId};
use visgraat::tui::app::App;

fn project_with_suggestions() -> common::Project {
    let p = common::Project::shipped();
    p.expect(0, &["suggest", "--limit", "3"]);
    p
}

fn app(p: &common::Project, lang: &str, size: (u16, u16)) -> App {
    common::tui::app(p, lang, "ana", size)
}

use common::tui::screen;

/// The Vergelijken view, `f` pressed until the machine is the partner.
fn compare_with_machine(app: &mut App) {
    app.update(Action::Show(ViewId::Review));
    for _ in 0..4 {
        if app.review.comparing_machine() {
            return;
        }
        app.update(Action::CycleCase);
    }
    panic!("the machine coder is never offered: {:?}", app.review.pair);
}

#[test]
fn the_review_view_shows_suggestions_with_their_reasons() {
    let p = project_with_suggestions();
    for lang in ["nl", "en"] {
        let mut app = app(&p, lang, (140, 40));
        compare_with_machine(&mut app);
        assert_eq!(app.review.items.as_ref().unwrap().len(), 3);
        let shown = screen(&app);
        assert!(shown.contains("ana ↔ suggesties (3)"), "{shown}");
        insta::assert_snapshot!(format!("review_suggestions_{lang}"), shown);
    }
}

#[test]
fn accept_reject_and_skip_from_the_review_view() {
    let p = project_with_suggestions();
    let mut app = app(&p, "nl", (140, 40));
    compare_with_machine(&mut app);
    let items = app.review.items.clone().unwrap();
    let id = |i: usize| items[i].codings[1][0].coding.id.clone();
    // Accept the first: it is ana's now, and the review log says so.
    app.update(Action::AcceptSuggestion);
    assert!(app.ws.codings.codings.iter().any(|c| c.coder == "ana"
        && c.coding.code == items[0].code
        && c.coding.start == items[0].start));
    assert!(app.ws.codings.machine.iter().all(|c| c.coding.id != id(0)));
    let log = std::fs::read_to_string(p.corpus().join("review.toml")).unwrap();
    assert!(
        log.contains(&format!("accepted suggestion {}", id(0))),
        "{log}"
    );
    // Skip the next, reject the one after.
    assert_eq!(app.review.items.as_ref().unwrap().len(), 2);
    app.update(Action::SkipSuggestion);
    app.update(Action::RejectSuggestion);
    let rejected = std::fs::read_to_string(p.corpus().join("suggestions/rejected.toml")).unwrap();
    assert!(rejected.contains(&items[2].code), "{rejected}");
    assert_eq!(app.review.items.as_ref().unwrap().len(), 1);
    assert_eq!(
        app.review.items.as_ref().unwrap()[0].codings[1][0]
            .coding
            .id,
        id(1)
    );
    // Undo the rejection, then the acceptance: both suggestions are open again.
    app.update(Action::Undo);
    app.update(Action::Undo);
    let open: Vec<String> = app
        .ws
        .codings
        .machine
        .iter()
        .map(|c| c.coding.id.clone())
        .collect();
    for i in 0..3 {
        assert!(open.contains(&id(i)), "{open:?}");
    }
    assert!(!app.ws.codings.codings.iter().any(|c| c.coder == "ana"));
    let rejected = std::fs::read_to_string(p.corpus().join("suggestions/rejected.toml")).unwrap();
    assert!(!rejected.contains(&items[2].code), "{rejected}");
}

#[test]
fn the_reader_shows_a_suggestion_dimmed_with_its_reason_and_takes_a_decision() {
    let p = project_with_suggestions();
    let mut app = app(&p, "nl", (140, 40));
    compare_with_machine(&mut app);
    let item = app.review.selected_disagreement().unwrap();
    // Enter opens the paragraph in the reader.
    app.update(Action::Enter);
    assert_eq!(app.view, ViewId::Documents);
    let shown = screen(&app);
    assert!(
        shown.contains("(suggesties)") && shown.contains("lijkt op"),
        "{shown}"
    );
    insta::assert_snapshot!("reader_suggestion_nl", shown);
    app.update(Action::AcceptSuggestion);
    assert!(
        app.ws.codings.codings.iter().any(|c| c.coder == "ana"
            && c.coding.code == item.code
            && c.coding.start == item.start)
    );
    assert!(!screen(&app).contains("(suggesties)"));
}

/// A file's last open suggestion rejected, and the rejection undone: the file is the
/// machine's again, mark and reasons and all, to the byte (found in a new-user trial: the
/// suggestions came back without their `[machine]` mark, as a person's codings, and
/// `suggest` then refused the project).
#[test]
fn undoing_the_rejection_of_a_files_last_suggestion_gives_the_machine_its_file_back() {
    let p = project_with_suggestions();
    let mut app = app(&p, "nl", (140, 40));
    compare_with_machine(&mut app);
    let items = app.review.items.clone().unwrap();
    // A source with one open suggestion: rejecting it empties its file.
    let alone = items
        .iter()
        .position(|d| items.iter().filter(|e| e.source == d.source).count() == 1)
        .expect("a source with a single suggestion");
    let file = p
        .corpus()
        .join(format!("codings/suggesties/{}.toml", items[alone].source));
    let before = std::fs::read_to_string(&file).unwrap();
    assert!(before.contains("[machine]"), "{before}");
    app.review.selected = alone;
    app.update(Action::RejectSuggestion);
    let emptied = std::fs::read_to_string(&file).unwrap();
    assert!(
        emptied.contains("[machine]") && !emptied.contains("[[coding]]"),
        "{emptied}"
    );
    app.update(Action::Undo);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    p.expect(0, &["check"]);
    let (set, problems) = visgraat::coding::CodingSet::load(&p.corpus());
    assert!(problems.is_empty(), "{problems:?}");
    assert!(set.codings.iter().all(|c| c.coder != "suggesties"));
}
