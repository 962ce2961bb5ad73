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
    assert!(err.contains("use md, csv, ndjson or qdpx"), "{err}");
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

#[test]
fn qdpx_validates_against_the_schema_and_holds_every_coding() {
    use std::io::Read;
    let p = Project::shipped();
    let out = p.path().join("project.qdpx");
    p.expect(
        0,
        &["export", "--format", "qdpx", "-o", out.to_str().unwrap()],
    );
    let read_all = |path: &std::path::Path| {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut files = std::collections::BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            files.insert(f.name().unwrap().to_string(), text);
        }
        files
    };
    let files = read_all(&out);
    let qde = &files["project.qde"];
    assert!(qde.contains("xmlns=\"urn:QDA-XML:project:1.0\""));
    assert_eq!(qde.matches("<PlainTextSelection ").count(), 69);
    assert_eq!(
        files.keys().filter(|k| k.starts_with("sources/")).count(),
        22
    );
    for (name, text) in &files {
        if name.starts_with("sources/") {
            assert!(name.ends_with(".txt") && !text.contains('\r'), "{name}");
        }
    }
    // Positions are chars of the source text, end-exclusive: the reddingsboeien quote.
    let at = qde
        .find("name=\"“Ik gooi reddingsboeien")
        .expect("the quote's selection");
    let tag = &qde[qde[..at].rfind('<').unwrap()..at + qde[at..].find('>').unwrap()];
    let attr = |name: &str| -> usize {
        let from = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[from..from + tag[from..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    let source_at = qde[..at].rfind("plainTextPath=\"internal://").unwrap() + 26;
    let guid = &qde[source_at..source_at + 36];
    let text = &files[&format!("sources/{guid}.txt")];
    let quote: String = text
        .chars()
        .skip(attr("startPosition"))
        .take(attr("endPosition") - attr("startPosition"))
        .collect();
    assert!(quote.starts_with("“Ik gooi reddingsboeien"), "{quote}");
    // The same project exports to the same file: stable GUIDs.
    let again = p.path().join("again.qdpx");
    p.expect(
        0,
        &["export", "--format", "qdpx", "-o", again.to_str().unwrap()],
    );
    assert_eq!(read_all(&again), files);

    // Valid against the REFI-QDA schema (xmllint from libxml2-utils; .ci/run installs it).
    let xsd = common::repo_root().join("../shared/refi-qda/Project.xsd");
    if !xsd.exists()
        || std::process::Command::new("xmllint")
            .arg("--version")
            .output()
            .is_err()
    {
        eprintln!("skipped schema validation: ../shared/refi-qda/Project.xsd or xmllint missing");
        return;
    }
    let qde_path = p.path().join("project.qde");
    std::fs::write(&qde_path, qde).unwrap();
    let check = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(&qde_path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
