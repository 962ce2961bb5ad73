//! The evidence prompt in the TUI, driven through `App::update` over a copy of the shipped
//! corpus: a claim is typed, Enter asks the worker (an effect), the answer lists the passages
//! that support it, quotes first when asked, and a hit is opened or appended as a citation.

mod common;

use visgraat::config::Config;
use visgraat::tui::action::{Action, Filter, ViewId};
use visgraat::tui::app::{App, Effect};
use visgraat::tui::popups::Popup;
use visgraat::tui::popups::evidence::EvidenceState;
use visgraat::workspace::Workspace;

const CLAIM: &str = "docenten zorgen voor elkaar onder een hoge werkdruk";

fn app(p: &common::Project) -> App {
    let mut config = Config::load(&p.path().join("config.toml")).unwrap();
    config.coder = "voorbeeld".into();
    App::new(Workspace::open(config).unwrap(), (140, 40), false)
}

/// From the Search page (out of its query field) `E` opens the prompt; the claim is typed.
fn open_and_type(app: &mut App, claim: &str) {
    app.update(Action::Show(ViewId::Search));
    app.update(Action::Back);
    app.update(Action::Evidence);
    for c in claim.chars() {
        app.update(Action::Input(c));
    }
}

fn prompt(app: &App) -> &EvidenceState {
    match &app.popup {
        Some(Popup::Evidence(state)) => state,
        other => panic!("the evidence prompt is not open: {other:?}"),
    }
}

#[test]
fn a_claim_lists_its_support_and_a_hit_becomes_a_citation() {
    let p = common::Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    let mut app = app(&p);
    open_and_type(&mut app, CLAIM);
    assert!(app.effects.is_empty(), "typing asks nothing");
    assert_eq!(prompt(&app).claim, CLAIM);

    app.update(Action::Enter);
    let asked: Vec<&Effect> = app
        .effects
        .iter()
        .filter(|e| matches!(e, Effect::Evidence { .. }))
        .collect();
    assert_eq!(
        asked.len(),
        1,
        "Enter asks the worker once: {:?}",
        app.effects
    );
    let Effect::Evidence {
        claim,
        quotes_first,
        ..
    } = asked[0]
    else {
        unreachable!()
    };
    assert_eq!((claim.as_str(), *quotes_first), (CLAIM, false));
    assert!(prompt(&app).pending);

    let searcher = app.ws.searcher().unwrap();
    app.run_evidence_now(&searcher);
    let state = prompt(&app);
    assert!(!state.pending && state.error.is_none(), "{:?}", state.error);
    assert!(state.results.len() >= 3, "{} hits", state.results.len());
    // Best first, and every hit shares a word with the claim.
    let supports: Vec<f64> = state.results.iter().map(|s| s.support).collect();
    assert!(supports.windows(2).all(|w| w[0] >= w[1]), "{supports:?}");
    assert!(state.results.iter().all(|s| !s.shared.is_empty()));
    assert!(
        state.results[0].shared.iter().any(|w| w == "werkdruk"),
        "{:?}",
        state.results[0].shared
    );
    // The same ranking as `visgraat evidence`.
    let cli = p.expect(0, &["evidence", CLAIM, "--json", "--limit", "30"]);
    let cli: Vec<serde_json::Value> = serde_json::from_str(&cli).unwrap();
    let tui_keys: Vec<&str> = state.results.iter().map(|s| s.hit.key.as_str()).collect();
    let cli_keys: Vec<&str> = cli.iter().map(|v| v["key"].as_str().unwrap()).collect();
    assert_eq!(tui_keys, cli_keys);

    // Quotes first: asked again at once, and quote records lead.
    app.update(Action::ToggleFilter(Filter::Quotes));
    assert!(matches!(
        app.effects.as_slice(),
        [Effect::Evidence {
            quotes_first: true,
            ..
        }]
    ));
    app.run_evidence_now(&searcher);
    let state = prompt(&app);
    assert!(state.quotes_first);
    assert!(
        state.results[0].quote,
        "a quote first: {:?}",
        state.results[0]
    );
    let first_passage = state.results.iter().position(|s| !s.quote).unwrap();
    assert!(state.results[first_passage..].iter().all(|s| !s.quote));

    // Y appends the selected (second) hit to citations.md, its text verbatim.
    app.update(Action::Down);
    let chosen = prompt(&app).results[1].hit.clone();
    app.update(Action::AppendCitation);
    let citations = std::fs::read_to_string(p.path().join("citations.md")).unwrap();
    let quoted: String = chosen
        .text
        .split_whitespace()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        citations
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains(&quoted),
        "{quoted:?} in\n{citations}"
    );
    assert!(app.popup.is_some(), "citing keeps the prompt open");

    // Enter opens the hit in the reader; E brings the prompt back as it was.
    app.update(Action::Enter);
    assert!(app.popup.is_none());
    assert_eq!(app.view, ViewId::Documents);
    let reader = app.docs.reader.as_ref().unwrap();
    assert_eq!(app.source(reader.source).meta.id, chosen.source);
    app.update(Action::Show(ViewId::Search));
    app.update(Action::Back);
    app.update(Action::Evidence);
    let state = prompt(&app);
    assert_eq!((state.claim.as_str(), state.selected), (CLAIM, 1));
    assert!(!state.results.is_empty());
}

#[test]
fn stale_answers_are_dropped_even_across_openings() {
    let p = common::Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    let mut app = app(&p);
    open_and_type(&mut app, "werkdruk");
    app.update(Action::Enter);
    let first = std::mem::take(&mut app.effects);
    // Closed and opened again, a new claim asked: the first answer must not land.
    app.update(Action::Back);
    app.update(Action::Evidence);
    app.update(Action::NextPane);
    for _ in 0.."werkdruk".len() {
        app.update(Action::Backspace);
    }
    for c in "studenten missen persoonlijke aandacht".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Enter);
    let Effect::Evidence { generation, .. } = &first[0] else {
        panic!("{first:?}")
    };
    app.evidence_done(*generation, Ok(Vec::new()));
    assert!(prompt(&app).pending, "the old answer was taken");
    let searcher = app.ws.searcher().unwrap();
    app.run_evidence_now(&searcher);
    let state = prompt(&app);
    assert!(!state.results.is_empty());
    assert!(
        state
            .results
            .iter()
            .all(|s| !s.shared.iter().any(|w| w == "werkdruk")),
        "hits of the first claim"
    );
}

#[test]
fn a_claim_of_function_words_only_says_so() {
    let p = common::Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    let mut app = app(&p);
    open_and_type(&mut app, "de het een");
    app.update(Action::Enter);
    let searcher = app.ws.searcher().unwrap();
    app.run_evidence_now(&searcher);
    let state = prompt(&app);
    assert!(state.results.is_empty());
    assert!(
        state
            .error
            .as_deref()
            .is_some_and(|e| e.contains("content words")),
        "{:?}",
        state.error
    );
}
