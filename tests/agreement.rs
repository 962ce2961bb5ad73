//! `visgraat agreement` over the shipped corpus: the two example coders, `voorbeeld` and
//! `voorbeeld-2`, coded three intermezzos independently.

mod common;

use common::Project;

#[test]
fn the_example_coders_agree_and_disagree_where_they_did() {
    let p = Project::shipped();
    let a: serde_json::Value =
        serde_json::from_str(&p.expect(0, &["agreement", "--json"])).unwrap();
    assert_eq!(a["coders"], serde_json::json!(["voorbeeld", "voorbeeld-2"]));
    assert_eq!(
        a["sources"],
        serde_json::json!([
            "intermezzo-grenzen-in-passend-onderwijs",
            "intermezzo-intake",
            "intermezzo-werkdruk-en-docentenwelzijn"
        ])
    );
    let code = |id: &str| {
        a["per_code"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    // Only voorbeeld-2 put the admission law on the intake paragraph: one disagreement in ten
    // paragraphs, and kappa 0 (no agreement beyond chance on that code).
    let law = code("beleid-toelatingsrecht-zonder-selectie");
    assert_eq!(law["units"], 10);
    assert_eq!(law["coded_units"], 1);
    assert!((law["percent_agreement"].as_f64().unwrap() - 0.9).abs() < 1e-9);
    assert_eq!(law["cohen_kappa"].as_f64().unwrap(), 0.0);
    // Both coded the AVG passages alike.
    assert_eq!(
        code("beleid-avg-bemoeilijkt-warme-overdracht")["cohen_kappa"],
        1.0
    );
    let overall_alpha = a["overall"]["krippendorff_alpha"].as_f64().unwrap();
    assert!((0.8..0.95).contains(&overall_alpha), "{overall_alpha}");
    let overlap = a["overlapping_characters"].as_f64().unwrap();
    assert!((0.5..1.0).contains(&overlap), "{overlap}");

    let table = p.expect(0, &["agreement"]);
    assert!(
        table.contains("Agreement of voorbeeld, voorbeeld-2 on 3 source(s)"),
        "{table}"
    );
    assert!(table.contains("level team"), "{table}");

    let err = p.stderr(2, &["agreement", "--coders", "voorbeeld"]);
    assert!(err.contains("two or more coders"), "{err}");
    let err = p.stderr(2, &["agreement", "--coders", "voorbeeld,niemand"]);
    assert!(err.contains("no codings by \"niemand\""), "{err}");
}

#[test]
fn matrices_show_co_occurrence_and_bones_by_case() {
    let p = Project::shipped();
    let m: serde_json::Value = serde_json::from_str(&p.expect(
        0,
        &[
            "matrix",
            "level-case",
            "--coder",
            "voorbeeld",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let columns = m["columns"].as_array().unwrap();
    assert_eq!(columns.last().unwrap(), "(no case)");
    let entree = columns
        .iter()
        .position(|c| c == "docententeam-groot-roc-startcollege")
        .unwrap();
    let team_plus = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r == "+ team")
        .unwrap();
    assert_eq!(
        m["cells"][team_plus][entree], 1,
        "the Entree team's own passage"
    );
    assert!(
        m["note"].as_str().unwrap().contains("belong to no case"),
        "most material has no case, and the matrix says so"
    );

    let csv = p.expect(
        0,
        &[
            "matrix",
            "cooccurrence",
            "--coder",
            "voorbeeld",
            "--format",
            "csv",
        ],
    );
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "code × code (paragraphs)");
    let avg = header
        .iter()
        .position(|c| *c == "beleid-avg-bemoeilijkt-warme-overdracht")
        .unwrap();
    let row: Vec<&str> = lines
        .find(|l| l.starts_with("beleid-avg-bemoeilijkt-warme-overdracht,"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(row[avg], "2", "two paragraphs carry the AVG code");
    let err = p.stderr(2, &["matrix", "nonsense"]);
    assert!(err.contains("cooccurrence or level-case"), "{err}");
}

#[test]
fn memos_are_written_read_searched_and_checked() {
    let p = Project::shipped();
    let out = p.expect(
        0,
        &[
            "memo",
            "code:team-collegiale-steun",
            "Synthetische memo: steun als tegenwicht voor werkdruk?",
        ],
    );
    assert!(
        out.contains("saved the memo by tester on code:team-collegiale-steun"),
        "{out}"
    );
    let shown = p.expect(0, &["memo", "code:team-collegiale-steun"]);
    assert!(shown.starts_with("tester ("), "{shown}");
    assert!(shown.contains("steun als tegenwicht"), "{shown}");
    p.expect(1, &["memo", "case:docententeam-aoc-groen"]);
    let hits = p.search(&["tegenwicht", "--memos"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["doc_type"], "memo");
    assert_eq!(hits[0]["source"], "team-collegiale-steun");
    assert!(
        p.search(&["tegenwicht"]).is_empty(),
        "memos stay out of passage search"
    );
    let err = p.stderr(2, &["memo", "source:bestaat-niet", "x"]);
    assert!(err.contains("no \"source:bestaat-niet\""), "{err}");

    // A memo whose code was removed by hand is reported by check with its line.
    let memos = p.corpus().join("memos.toml");
    let text = std::fs::read_to_string(&memos).unwrap();
    std::fs::write(
        &memos,
        text.replace("code:team-collegiale-steun", "code:weg"),
    )
    .unwrap();
    let out = p.expect(2, &["check"]);
    assert!(
        out.contains("memos.toml:3: memo by tester on code:weg: no such code"),
        "{out}"
    );
}
