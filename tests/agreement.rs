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
    // Only voorbeeld-2 put the admission law on the intake paragraph: one disagreement in the
    // five paragraphs of running text, and kappa 0 (no agreement beyond chance on that code).
    let law = code("beleid-toelatingsrecht-zonder-selectie");
    assert_eq!(law["units"], 5);
    assert_eq!(law["coded_units"], 1);
    assert!((law["percent_agreement"].as_f64().unwrap() - 0.8).abs() < 1e-9);
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
    // A coder named twice was compared with themself, as one who coded nothing.
    for coders in ["voorbeeld,voorbeeld", "voorbeeld,voorbeeld-2,voorbeeld"] {
        let err = p.stderr(2, &["agreement", "--coders", coders]);
        assert!(err.contains("\"voorbeeld\" is named twice"), "{err}");
    }
}

fn agreement_json(p: &Project, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["agreement", "--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&p.expect(0, &all)).unwrap()
}

fn close(v: &serde_json::Value, expected: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - expected).abs() < 0.0005)
}

#[test]
fn titles_headings_and_notes_are_no_units_unless_all_units() {
    let p = Project::shipped();
    // Three titles, the intake's "Noten" heading and its footnote [12] are half of the ten
    // paragraphs; nobody codes them, so they only added agreement on nothing.
    let a = agreement_json(&p, &[]);
    assert_eq!(
        a["units"],
        serde_json::json!({"kind": "content", "paragraphs": 5, "left_out": 5})
    );
    assert_eq!(
        a["overall"]["units"],
        5 * a["per_code"].as_array().unwrap().len()
    );
    assert!(
        close(&a["overall"]["cohen_kappa"], 0.853),
        "{}",
        a["overall"]
    );
    assert!(
        close(&a["overall"]["krippendorff_alpha"], 0.854),
        "{}",
        a["overall"]
    );
    let table = p.expect(0, &["agreement"]);
    assert!(
        table.contains("Units: 5 paragraph(s) of running text; 5 heading(s), title line(s) and note(s) left out (--all-units counts them)."),
        "{table}"
    );

    let all = agreement_json(&p, &["--all-units"]);
    assert_eq!(
        all["units"],
        serde_json::json!({"kind": "all", "paragraphs": 10, "left_out": 0})
    );
    assert_eq!(all["overall"]["units"], 170);
    assert!(
        close(&all["overall"]["cohen_kappa"], 0.869),
        "{}",
        all["overall"]
    );
    let table = p.expect(0, &["agreement", "--all-units"]);
    assert!(
        table.contains("Units: all 10 paragraph(s), headings, title lines and notes included."),
        "{table}"
    );
}

#[test]
fn a_coder_who_coded_one_source_is_missing_on_the_others() {
    let p = Project::shipped();
    // A third coder who coded the intake only (as voorbeeld-2 did).
    let derde = p.corpus().join("codings/derde");
    std::fs::create_dir_all(&derde).unwrap();
    std::fs::copy(
        p.corpus()
            .join("codings/voorbeeld-2/intermezzo-intake.toml"),
        derde.join("intermezzo-intake.toml"),
    )
    .unwrap();
    let a = agreement_json(&p, &[]);
    assert_eq!(
        a["coders"],
        serde_json::json!(["derde", "voorbeeld", "voorbeeld-2"])
    );
    assert_eq!(
        a["sources"].as_array().unwrap().len(),
        3,
        "sources coded by two of the three still count: {}",
        a["sources"]
    );
    assert_eq!(
        a["coverage"],
        serde_json::json!([
            {"coder": "derde", "sources": 1, "units": 2},
            {"coder": "voorbeeld", "sources": 3, "units": 5},
            {"coder": "voorbeeld-2", "sources": 3, "units": 5}
        ])
    );
    assert_eq!(a["overall"]["units"], 85);
    assert!(
        close(&a["overall"]["krippendorff_alpha"], 0.876),
        "{}",
        a["overall"]
    );
    assert!(
        a["overall"]["cohen_kappa"].is_null(),
        "kappa is for two coders"
    );
    // With every paragraph: alpha on 170 units with derde missing on two sources, where
    // dropping those sources gave 0.850 on 30.
    let all = agreement_json(&p, &["--all-units"]);
    assert_eq!(all["overall"]["units"], 170);
    assert!(
        close(&all["overall"]["krippendorff_alpha"], 0.890),
        "{}",
        all["overall"]
    );
    let table = p.expect(0, &["agreement"]);
    assert!(
        table.contains("Coverage: derde 2 of 5 units (1 source(s)), voorbeeld 5 of 5 units (3 source(s)), voorbeeld-2 5 of 5 units (3 source(s))."),
        "{table}"
    );
    assert!(table.contains("alpha allows missing values"), "{table}");

    // Two coders: kappa over the units both coded, the intake's two paragraphs.
    let pair = agreement_json(&p, &["--coders", "voorbeeld-2,derde"]);
    assert_eq!(pair["sources"], serde_json::json!(["intermezzo-intake"]));
    assert_eq!(pair["units"]["paragraphs"], 2);
    assert_eq!(pair["overall"]["cohen_kappa"], 1.0);
}

/// A third coder who coded only a source nobody else coded has no value on any unit
/// compared: the two who overlap keep their κ, and the figures stay as they were (found in
/// a new-user trial: one such coding took κ out of every figure, rounds too).
#[test]
fn a_coder_who_shares_no_source_leaves_the_figures_as_they_were() {
    let p = Project::shipped();
    let before = agreement_json(&p, &[]);
    assert!(
        before["overall"]["cohen_kappa"].is_number(),
        "{}",
        before["overall"]
    );
    p.expect(
        0,
        &[
            "code",
            "rapport-6-conclusie",
            "--match",
            "Zet in op het vergroten van docentenwelzijn",
            "individu-hoge-werkdruk-en-weinig-welzijn",
            "--coder",
            "carla",
        ],
    );
    let after = agreement_json(&p, &[]);
    assert_eq!(
        after["coders"],
        serde_json::json!(["carla", "voorbeeld", "voorbeeld-2"])
    );
    assert_eq!(
        after["coverage"][0],
        serde_json::json!({"coder": "carla", "sources": 0, "units": 0})
    );
    for figures in ["overall", "per_level", "per_code"] {
        assert_eq!(after[figures], before[figures], "{figures}");
    }
}

#[test]
fn figures_on_fewer_than_ten_coded_units_are_marked_unstable() {
    let p = Project::shipped();
    let a = agreement_json(&p, &[]);
    let figures: Vec<&serde_json::Value> = a["per_code"]
        .as_array()
        .unwrap()
        .iter()
        .chain(a["per_level"].as_array().unwrap())
        .chain([&a["overall"]])
        .collect();
    for f in &figures {
        let few = f["coded_units"].as_u64().unwrap() < 10;
        assert_eq!(f["unstable"], few, "{f}");
    }
    assert_eq!(a["overall"]["unstable"], false, "19 coded units");
    let table = p.expect(0, &["agreement"]);
    let law = table
        .lines()
        .find(|l| l.contains("Toelatingsrecht laat geen selectie"))
        .unwrap();
    assert!(law.ends_with(" *"), "{law}");
    let overall = table.lines().find(|l| l.starts_with("overall")).unwrap();
    assert!(!overall.ends_with('*'), "{overall}");
    assert!(table.contains("* n < 10: unstable"), "{table}");
}

#[test]
fn matrices_show_co_occurrence_and_bones_by_case() {
    let p = Project::shipped();
    // Asked for what cannot be: said so, not an empty matrix or a workbook message.
    let err = p.stderr(2, &["matrix", "level-case", "--coder", "nobody"]);
    assert!(err.contains("no codings by \"nobody\"; coders: "), "{err}");
    let err = p.stderr(
        2,
        &["matrix", "level-case", "--format", "csv", "-o", "m.csv"],
    );
    assert!(err.contains("--format csv prints to the terminal"), "{err}");
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
