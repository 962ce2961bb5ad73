//! The methods pages of the TUI, driven through `App` and drawn with TestBackend: the
//! saturation chart over focus groups held on known dates (worked by hand below), the codings
//! behind a bar, and a framework summary written in the Matrix page, undone and redone.
//!
//! The focus groups are synthetic (written for this test; no real participants), added to a
//! copy of the shipped corpus and coded by coder `ana` with codes of the shipped code book.

mod common;

use visgraat::tui::action::{Action, ViewId};
use visgraat::tui::app::App;
use visgraat::tui::popups::Popup;

const A: &str = "team-klassen-indelen-op-ondersteuningsbehoefte";
const B: &str = "team-alle-studenten-helpen";
const C: &str = "team-collegiale-steun";
const D: &str = "team-sociale-kaart-contactpersonen";
const E: &str = "maatschappij-docententekort";
const F: &str = "beleid-avg-bemoeilijkt-warme-overdracht";

/// (id, date, case, codes coded in it). Files are named in the reverse of their dates, so the
/// order by date shows. Worked by hand, base 4, run 2, ≤ 5 %: in date order the groups add
/// A B C | D | E (A again) | – (B again) → the base holds 5 codes. Run 5–6 adds F → 1/5 =
/// 20 %, not met; run 6–7 adds nothing → 0 %, met: saturated after 5, "5+2". Cumulative
/// 3 4 5 5 6 6 6.
const GROUPS: [(&str, &str, &str, &[&str]); 7] = [
    ("fg-7", "2024-03-01", "docententeam-aoc-groen", &[A, B, C]),
    ("fg-6", "2024-03-02", "docententeam-aoc-groen", &[D]),
    (
        "fg-5",
        "2024-03-03",
        "docententeam-groot-roc-startcollege",
        &[A, E],
    ),
    (
        "fg-4",
        "2024-03-04",
        "docententeam-groot-roc-startcollege",
        &[B],
    ),
    ("fg-3", "2024-03-05", "docententeam-aoc-groen", &[F]),
    ("fg-2", "2024-03-06", "docententeam-aoc-groen", &[A]),
    (
        "fg-1",
        "2024-03-07",
        "docententeam-groot-roc-startcollege",
        &[B],
    ),
];

fn project() -> common::Project {
    let p = common::Project::shipped();
    let dir = p.corpus().join("sources/transcript");
    std::fs::create_dir_all(&dir).unwrap();
    for (id, date, case, codes) in GROUPS {
        let turns: Vec<String> = (0..codes.len())
            .map(|i| format!("Docent {}: Punt {} van groep {id}.", i + 1, i + 1))
            .collect();
        let text = format!(
            "+++\nid = \"{id}\"\nkind = \"transcript\"\ntitle = \"Synthetic focus group {id} (test fixture, not real data)\"\ncase = \"{case}\"\ndate = \"{date}\"\nprovenance = \"synthetic: written for visgraat's tests; no real participants\"\n+++\n{}\n",
            turns.join("\n\n")
        );
        std::fs::write(dir.join(format!("{id}.md")), text).unwrap();
    }
    for (id, _, _, codes) in GROUPS {
        for (i, code) in codes.iter().enumerate() {
            let phrase = format!("Punt {} van groep {id}", i + 1);
            p.expect(0, &["code", id, "--match", &phrase, code, "--coder", "ana"]);
        }
    }
    p
}

fn app(p: &common::Project, size: (u16, u16)) -> App {
    common::tui::app(p, "nl", "ana", size)
}

use common::tui::screen;

#[test]
fn the_saturation_chart_marks_the_point_and_opens_the_codings_behind_a_bar() {
    let p = project();
    let mut app = app(&p, (100, 30));
    app.update(Action::Show(ViewId::Saturation));
    // Everyone's codings include the shipped examples (no dates): ana's alone are dated.
    while app.shown_coder.as_deref() != Some("ana") {
        app.update(Action::CycleShownCoder);
    }
    let s = app.saturation.assessment().expect("assessed");
    let units: Vec<&str> = s.steps.iter().map(|s| s.unit.as_str()).collect();
    assert_eq!(
        units,
        ["fg-7", "fg-6", "fg-5", "fg-4", "fg-3", "fg-2", "fg-1"]
    );
    let cumulative: Vec<usize> = s.steps.iter().map(|s| s.cumulative).collect();
    assert_eq!(cumulative, [3, 4, 5, 5, 6, 6, 6]);
    assert_eq!(s.notation.as_deref(), Some("5+2"));
    let chart = screen(&app);
    assert!(chart.contains("verzadigd na 5 (5+2)"), "{chart}");
    assert!(
        chart.contains("run 6–7 bracht 0 % nieuwe informatie"),
        "{chart}"
    );
    assert!(chart.contains("basis: 5 codes in de eerste 4"), "{chart}");
    assert!(
        chart.contains("5–6 20 %") && chart.contains("6–7 0 % ✓"),
        "{chart}"
    );
    assert!(chart.contains("op datum"), "{chart}");
    // The rule stands right of the fifth bar, on every row of the chart.
    assert!(chart.matches('┃').count() >= 10, "{chart}");
    insta::assert_snapshot!("saturation_chart_100x30", chart);

    // The fifth bar: fg-3 brought F in; Enter lists its coding, Enter again opens it.
    for _ in 0..4 {
        app.update(Action::Right);
    }
    let chart = screen(&app);
    assert!(
        chart.contains("5. fg-3 (2024-03-05): 1 codes, 1 nieuw, 6 totaal"),
        "{chart}"
    );
    app.update(Action::Enter);
    let Some(Popup::Passages { title, items, .. }) = &app.popup else {
        panic!("no popup: {:?}", app.popup);
    };
    assert_eq!(title, "Nieuw in fg-3");
    assert_eq!(items.len(), 1);
    assert!(
        items[0].label.contains("Punt 1 van groep fg-3"),
        "{items:?}"
    );
    app.update(Action::Enter);
    assert_eq!(app.view, ViewId::Documents);
    let reader = app.docs.reader.as_ref().expect("the reader is open");
    assert_eq!(app.ws.corpus.sources[reader.source].meta.id, "fg-3");

    // A bar without news says so instead of an empty list.
    app.update(Action::Show(ViewId::Saturation));
    app.update(Action::Right);
    app.update(Action::Enter);
    assert!(app.popup.is_none());
    let said = app.message.clone().unwrap().0;
    assert_eq!(said, "fg-2: niets nieuws");

    // Per case: two focus-group teams, one step each.
    app.update(Action::ToggleValence);
    let s = app.saturation.assessment().unwrap();
    assert_eq!(s.steps.len(), 2);
    assert!(screen(&app).contains("Verzadiging per casus"));
    assert!(screen(&app).contains("nog geen uitspraak: 2 gecodeerd"));
}

/// Per case, when no coded passage lies in a case, the page says that, not "nothing coded
/// yet" (found in a new-user trial).
#[test]
fn per_case_without_coded_cases_says_so_not_that_nothing_is_coded() {
    let p = common::Project::shipped();
    std::fs::remove_file(p.corpus().join("cases.toml")).unwrap();
    let mut app = app(&p, (100, 30));
    app.update(Action::Show(ViewId::Saturation));
    app.update(Action::ToggleValence);
    let shown = common::tui::screen(&app);
    assert!(
        shown.contains("Geen gecodeerde passage ligt in een casus"),
        "{shown}"
    );
    assert!(!shown.contains("Nog niets gecodeerd"), "{shown}");
}

#[test]
fn a_framework_summary_is_written_in_the_matrix_page_and_undone() {
    let p = project();
    let mut app = app(&p, (120, 32));
    app.update(Action::Show(ViewId::Matrix));
    app.update(Action::EditSummary);
    assert!(app.popup.is_none(), "no summaries in a counts matrix");
    assert!(app.message.clone().unwrap().0.contains("raamwerkmatrix"));
    app.update(Action::ToggleValence);
    app.update(Action::ToggleValence);
    let framework = app.matrix.framework.as_ref().expect("case × code");
    let row = framework
        .rows
        .iter()
        .position(|r| r.id == "docententeam-aoc-groen")
        .unwrap();
    let col = framework.columns.iter().position(|c| c.id == D).unwrap();
    assert_eq!(framework.cells[row][col].codings.len(), 1);
    for _ in 0..row {
        app.update(Action::Down);
    }
    for _ in 0..col {
        app.update(Action::Right);
    }
    app.update(Action::EditSummary);
    assert!(matches!(app.popup, Some(Popup::Prompt { .. })));
    for c in "Een sociale kaart helpt (synthetisch).".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Enter);
    let file = p.corpus().join("framework.toml");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.contains("row = \"case:docententeam-aoc-groen\"")
            && written.contains(&format!("column = \"code:{D}\""))
            && written.contains("author = \"ana\"")
            && written.contains("Een sociale kaart helpt (synthetisch)."),
        "{written}"
    );
    let shown = screen(&app);
    assert!(
        shown.contains("ana: Een sociale kaart helpt (synthetisch)."),
        "{shown}"
    );
    assert!(shown.contains('✎'), "{shown}");
    assert_eq!(app.message.clone().unwrap().0, "Samenvatting bewaard");
    // The CLI reads the same summary.
    let out = p.expect(0, &["framework", "show", "--json"]);
    assert!(out.contains("Een sociale kaart helpt"), "{out}");

    // Enter lists the supporting coding with its quote.
    app.update(Action::Enter);
    let Some(Popup::Passages { items, .. }) = &app.popup else {
        panic!("no popup");
    };
    assert!(
        items[0].label.contains("Punt 1 van groep fg-6"),
        "{items:?}"
    );
    app.update(Action::Back);

    app.update(Action::Undo);
    let undone = std::fs::read_to_string(&file).unwrap();
    assert!(!undone.contains("sociale kaart"), "{undone}");
    assert!(!screen(&app).contains('✎'));
    app.update(Action::Redo);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("Een sociale kaart helpt")
    );
    // Empty text removes the summary.
    app.update(Action::EditSummary);
    for _ in 0.."Een sociale kaart helpt (synthetisch).".chars().count() {
        app.update(Action::Backspace);
    }
    app.update(Action::Enter);
    assert!(!std::fs::read_to_string(&file).unwrap().contains("sociale"));
    assert_eq!(app.message.clone().unwrap().0, "Samenvatting weggehaald");
}

#[test]
fn the_tui_limited_to_a_reliability_round_lists_and_finds_only_its_units() {
    let p = project();
    p.expect(0, &["index", "--quiet"]);
    let mut app = app(&p, (120, 32));
    app.update(Action::CycleRound);
    assert!(app.round.is_none());
    assert!(app.message.clone().unwrap().0.contains("icr sample"));

    p.expect(0, &["icr", "sample", "--share", "15%", "--seed", "3"]);
    let round = std::fs::read_to_string(p.corpus().join("icr/round-1.toml")).unwrap();
    app.update(Action::CycleRound);
    let r = app.round.clone().expect("round 1");
    assert_eq!(r.round, 1);
    let in_round: std::collections::BTreeSet<String> =
        r.units.iter().map(|u| u.source.clone()).collect();
    let listed: std::collections::BTreeSet<String> = app
        .docs
        .tree
        .iter()
        .filter_map(|row| match row {
            visgraat::tui::pages::documents::TreeRow::Source(i) => {
                Some(app.ws.corpus.sources[*i].meta.id.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(listed, in_round, "{round}");
    assert!(listed.len() < app.ws.corpus.sources.len());
    let said = app.message.clone().unwrap().0;
    assert!(said.starts_with("Ronde 1: "), "{said}");
    assert!(
        screen(&app).contains("ronde 1"),
        "the status line names the round"
    );

    // The reader marks the round's units; the search finds only hits in them.
    app.update(Action::Enter);
    assert!(screen(&app).contains('▐'));
    app.update(Action::Show(ViewId::Search));
    for c in "docent".chars() {
        app.update(Action::Input(c));
    }
    let searcher = app.ws.searcher().unwrap();
    let mut total = 0;
    for effect in std::mem::take(&mut app.effects) {
        if let visgraat::tui::app::Effect::Search {
            generation,
            request,
        } = effect
        {
            let hits = searcher
                .search(&request, &app.ws.codings, &app.ws.corpus.codebook)
                .unwrap();
            total = hits.len();
            app.search_done(generation, Ok(hits));
        }
    }
    assert!(total > app.search.results.len(), "{total} hits, all shown");
    assert!(!app.search.results.is_empty());
    for hit in &app.search.results {
        assert!(
            r.contains(&hit.source, hit.start as usize, hit.end as usize),
            "{} {}..{} is not in the round",
            hit.source,
            hit.start,
            hit.end
        );
    }

    // Once more: every source again.
    app.update(Action::CycleRound);
    assert!(app.round.is_none());
    assert_eq!(
        app.message.clone().unwrap().0,
        "Alle bronnen weer (geen ronde)"
    );
}
