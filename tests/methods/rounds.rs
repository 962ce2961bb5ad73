//! Reliability rounds over the synthetic focus groups of `methods.rs`: a stratified sample
//! drawn, coded by two coders, reported with κ and α per code, and a revised code book
//! noticed.

use crate::{ALLE, KAART, project};

#[test]
fn a_round_is_drawn_coded_by_two_coders_and_reported() {
    let p = project();
    let draw = [
        "icr",
        "sample",
        "--share",
        "25%",
        "--seed",
        "11",
        "--kind",
        "transcript",
    ];
    let out = p.expect(0, &draw);
    assert!(out.starts_with("round 1: 6 of 24 paragraphs"), "{out}");
    let round = std::fs::read_to_string(p.corpus().join("icr/round-1.toml")).unwrap();
    let round: toml::Value = toml::from_str(&round).unwrap();
    let units = round["unit"].as_array().unwrap().clone();
    // One paragraph from each of the six sources (25 % of four, rounded).
    let sources: Vec<&str> = units
        .iter()
        .map(|u| u["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["fg-1", "fg-2", "fg-3", "fg-4", "fg-5", "fg-6"]);

    // The same seed draws the same units; the code book's hash is recorded.
    p.expect(0, &draw);
    let again: toml::Value =
        toml::from_str(&std::fs::read_to_string(p.corpus().join("icr/round-2.toml")).unwrap())
            .unwrap();
    assert_eq!(again["unit"].as_array().unwrap(), &units);
    assert_eq!(again["codebook_sha256"], round["codebook_sha256"]);

    // Two new coders code the round independently: both put ALLE on every unit of round 1
    // but the last, where ana puts ALLE and bram KAART.
    for (i, u) in units.iter().enumerate() {
        let (source, start, end) = (
            u["source"].as_str().unwrap(),
            u["start"].as_integer().unwrap().to_string(),
            u["end"].as_integer().unwrap().to_string(),
        );
        let bram = if i + 1 == units.len() { KAART } else { ALLE };
        p.expect(0, &["code", source, &start, &end, ALLE, "--coder", "cas"]);
        p.expect(0, &["code", source, &start, &end, bram, "--coder", "dirk"]);
    }
    let out = p.expect(
        0,
        &[
            "agreement",
            "--round",
            "1",
            "--coders",
            "cas,dirk",
            "--json",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = &report["round"];
    assert_eq!(r["units"], 6);
    assert_eq!(r["coders"], serde_json::json!(["cas", "dirk"]));
    let figures = |code: &str| {
        r["per_code"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == code)
            .unwrap()
            .clone()
    };
    // ALLE: (T,T) ×5, (T,F): p_o = 5/6 = p_e, κ = 0; α: o_TT = 10, o_TF = o_FT = 1,
    // n_T = 11, n_F = 1, α = 1 − 11·2 / (11·1·2) = 0. Both are flagged below 0.8.
    assert_eq!(figures(ALLE)["cohen_kappa"], 0.0);
    assert_eq!(figures(ALLE)["krippendorff_alpha"], 0.0);
    assert_eq!(r["below"], serde_json::json!([ALLE, KAART]));
    assert_eq!(r["codebook_changed"], false);
    assert_eq!(report["rounds"].as_array().unwrap().len(), 2);

    // The code book is revised: a third round records the new one, the table says so.
    let book = p.corpus().join("codebook.toml");
    let mut text = std::fs::read_to_string(&book).unwrap();
    text.push_str("\n# revised after round 2\n");
    std::fs::write(&book, text).unwrap();
    p.expect(
        0,
        &[
            "icr",
            "sample",
            "--share",
            "10%",
            "--units",
            "sentence",
            "--kind",
            "transcript",
        ],
    );
    let table = p.expect(0, &["icr", "rounds"]);
    assert_eq!(table.lines().count(), 4, "{table}");
    assert!(
        table.lines().nth(3).unwrap().ends_with("(revised)"),
        "{table}"
    );
    let out = p.expect(0, &["agreement", "--round", "1", "--coders", "cas,dirk"]);
    assert!(out.contains("changed since the round was drawn"), "{out}");
    // The header says how many of the drawn units were compared; the table has % agree.
    assert!(
        out.contains("coded by two or more coders, the units compared"),
        "{out}"
    );
    assert!(out.contains("agree  kappa  alpha"), "{out}");
    let third: toml::Value =
        toml::from_str(&std::fs::read_to_string(p.corpus().join("icr/round-3.toml")).unwrap())
            .unwrap();
    assert_eq!(third["units_are"].as_str(), Some("sentence"));
    let err = p.stderr(2, &["agreement", "--round", "7"]);
    assert!(err.contains("rounds 1, 2, 3"), "{err}");
}
