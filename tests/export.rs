//! `visgraat export`: Markdown citations in fishbone order and a CSV row per coding, over the
//! shipped corpus; content checked, not just that a file appeared.

mod common;

use common::Project;

#[test]
fn markdown_citations_in_fishbone_order() {
    let p = Project::shipped();
    let out = p.path().join("citaten.md");
    let said = p.expect(
        0,
        &[
            "export",
            "--format",
            "md",
            "-o",
            out.to_str().unwrap(),
            "--coder",
            "voorbeeld",
        ],
    );
    assert!(said.starts_with("45 coding(s) written to"), "{said}");
    let md = std::fs::read_to_string(&out).unwrap();
    // Levels in fishbone order, + before −, other groups after.
    let at = |h: &str| md.find(h).unwrap_or_else(|| panic!("{h} in\n{md}"));
    assert!(at("## + beleid") < at("## − beleid"));
    assert!(at("## − beleid") < at("## + team"));
    assert!(at("## − maatschappij") < at("## Teamcompetenties en professionalisering"));
    assert!(at("## Teamcompetenties") < at("## Wanneer is passend onderwijs geslaagd?"));
    // A quote verbatim, its source line in the project's citation form, codes and memo.
    assert!(md.contains("\n> Ik gooi reddingsboeien naar collega’s, in de hoop dat een andere collega de volgende dag voor mij hetzelfde doet. We zijn bezig met overleven en zorgen voor elkaar\n"));
    assert!(md.contains("— Intermezzo: werkdruk en docentenwelzijn, p. 28-29. In: Monitor passend onderwijs mbo, meting 2024"));
    assert!(md.contains("- codes: team-collegiale-steun"));
    assert!(md.contains("- memo (voorbeeld): "));
    // The Entree passage carries its case and the case's attributes.
    assert!(md.contains("- casus: "), "{md}");
}

#[test]
fn csv_has_a_row_per_coding_with_case_and_code_path() {
    let p = Project::shipped();
    let out = p.path().join("coderingen.csv");
    p.expect(
        0,
        &["export", "--format", "csv", "-o", out.to_str().unwrap()],
    );
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "coding");
    assert_eq!(&headers[19], "quote");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 69, "both example coders");
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let entree = rows
        .iter()
        .find(|r| &r[col("case")] == "docententeam-groot-roc-startcollege")
        .expect("the coding in the Entree passage has its case");
    assert_eq!(&entree[col("level")], "team");
    assert!(!entree[col("team")].is_empty() && !entree[col("sector")].is_empty());
    assert!(rows.iter().all(|r| !r[col("quote")].is_empty()));

    // A search narrows the export to the codings on its hits.
    p.expect(
        0,
        &[
            "export",
            "--format",
            "csv",
            "-o",
            out.to_str().unwrap(),
            "--query",
            "reddingsboeien",
        ],
    );
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&out)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    // The hit is the one long paragraph of the werkdruk intermezzo: its codings, both coders'.
    assert_eq!(rows.len(), 16);
    assert!(
        rows.iter()
            .all(|r| &r[col("source")] == "intermezzo-werkdruk-en-docentenwelzijn")
    );

    let err = p.stderr(
        2,
        &["export", "--format", "docx", "-o", out.to_str().unwrap()],
    );
    assert!(err.contains("use md, csv or ndjson"), "{err}");
}

#[test]
fn ndjson_has_a_passage_per_line_with_codes_and_dutch_stems() {
    let p = Project::shipped();
    let out = p.path().join("passages.ndjson");
    let said = p.expect(
        0,
        &["export", "--format", "ndjson", "-o", out.to_str().unwrap()],
    );
    assert!(said.starts_with("679 passage(s)"), "{said}");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 679);
    let coded = lines
        .iter()
        .find(|l| l["text"].as_str().unwrap().contains("reddingsboeien"))
        .unwrap();
    assert!(
        coded["codes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "team-collegiale-steun")
    );
    assert_eq!(
        coded["coders"],
        serde_json::json!(["voorbeeld", "voorbeeld-2"])
    );
    // visgraat's stems: begeleiding and begeleiden meet, beleid stays apart.
    let stems = |text: &str| {
        lines
            .iter()
            .find(|l| l["text"].as_str().unwrap().contains(text))
            .map(|l| l["stems_nl"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert!(
        stems("begeleiding").split(' ').any(|s| s == "begeleid"),
        "{}",
        stems("begeleiding")
    );
    // The documented Quickwit config names every field the export writes.
    let config =
        std::fs::read_to_string(common::repo_root().join("docs/quickwit-index.yaml")).unwrap();
    for field in coded.as_object().unwrap().keys() {
        assert!(
            config.contains(&format!("- name: {field}")),
            "{field} in docs/quickwit-index.yaml"
        );
    }
}
