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
    // speaker and citation (columns 11, 12) came in before the case and its attributes.
    assert_eq!(&headers[11], "speaker");
    assert_eq!(&headers[21], "quote");
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

    // A search exports its hits instead, one row each, with the codes on each passage.
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
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let hit_headers = reader.headers().unwrap().clone();
    assert_eq!(&hit_headers[0], "rank");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let hcol = |name: &str| hit_headers.iter().position(|h| h == name).unwrap();
    assert_eq!(
        &rows[0][hcol("source")],
        "intermezzo-werkdruk-en-docentenwelzijn"
    );
    assert!(rows[0][hcol("text")].contains("reddingsboeien"));
    assert!(rows[0][hcol("codes")].contains("team-collegiale-steun"));
    assert_eq!(&rows[0][hcol("page")], "28-29");

    // The Markdown export of a search keeps the codings on its hits (both coders').
    let md = p.path().join("zoek.md");
    let said = p.expect(
        0,
        &[
            "export",
            "--format",
            "md",
            "-o",
            md.to_str().unwrap(),
            "--query",
            "reddingsboeien",
        ],
    );
    assert!(said.starts_with("16 coding(s)"), "{said}");

    let err = p.stderr(
        2,
        &["export", "--format", "pdf", "-o", out.to_str().unwrap()],
    );
    assert!(
        err.contains("use md, docx, csv, ndjson, qdpx or qdc"),
        "{err}"
    );
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
    // A filter a format would ignore is refused, not silently dropped (found in a new-user
    // trial: `--case` gave every passage); `--query` applies.
    let o = out.to_str().unwrap();
    for (format, filter) in [
        ("ndjson", ["--case", "docententeam-groot-roc-startcollege"]),
        ("ndjson", ["--factor", "team"]),
        ("xlsx", ["--case", "docententeam-groot-roc-startcollege"]),
        ("qdpx", ["--coder", "voorbeeld"]),
    ] {
        let err = p.stderr(
            2,
            &["export", "--format", format, "-o", o, filter[0], filter[1]],
        );
        assert!(
            err.contains(&format!(
                "{} does not apply to --format {format}",
                filter[0]
            )),
            "{err}"
        );
    }
    let said = p.expect(
        0,
        &[
            "export", "--format", "ndjson", "-o", o, "--query", "werkdruk",
        ],
    );
    assert!(!said.starts_with("679 "), "{said}");
    p.expect(
        0,
        &["export", "--format", "ndjson", "-o", out.to_str().unwrap()],
    );
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

    // Valid against the REFI-QDA schema.
    let qde_path = p.path().join("project.qde");
    std::fs::write(&qde_path, qde).unwrap();
    common::qdpx::assert_valid(&qde_path, "Project.xsd");
}

#[test]
fn qdpx_round_trip_gives_back_sources_codes_cases_and_codings() {
    use visgraat::coding::CodingSet;
    use visgraat::corpus::Corpus;
    let p = Project::shipped();
    // A memo and a team's own fishbone sheet (synthetic), so notes and case CodeRefs travel too.
    p.expect(
        0,
        &[
            "memo",
            "code:team-collegiale-steun",
            "Synthetische memo voor de round trip.",
        ],
    );
    let cases = p.corpus().join("cases.toml");
    let mut text = std::fs::read_to_string(&cases).unwrap();
    text.push_str("\n[case.fishbone]\ncodes = [\"team-collegiale-steun\", \"maatschappij-docententekort\"]\nnote = \"synthetisch\"\n");
    std::fs::write(&cases, text).unwrap();
    let out = p.path().join("project.qdpx");
    p.expect(
        0,
        &["export", "--format", "qdpx", "-o", out.to_str().unwrap()],
    );

    let q = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(q.path().join("corpus")).unwrap();
    std::fs::write(
        q.path().join("config.toml"),
        "corpus = \"corpus\"\nindex = \"index\"\ncoder = \"tester\"\n",
    )
    .unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_visgraat"))
        .args(["import", out.to_str().unwrap()])
        .current_dir(q.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        said.contains("22 sources, 32 new codes, 5 new cases, 69 codings, 1 memos"),
        "{said}"
    );

    let (a, b) = (
        Corpus::load(&p.corpus()).unwrap(),
        Corpus::load(&q.path().join("corpus")).unwrap(),
    );
    assert!(b.problems.is_empty(), "{:?}", b.problems);
    // Sources: the same ids, kinds, titles, provenance and text (page marks are not part of
    // REFI-QDA and stay behind).
    let sources = |c: &Corpus| {
        let mut v: Vec<_> = c
            .sources
            .iter()
            .map(|s| {
                (
                    s.meta.id.clone(),
                    s.meta.kind,
                    s.meta.title.clone(),
                    s.meta.provenance.clone(),
                    s.body.clone(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(sources(&a), sources(&b));
    // Codes: the same labels, definitions, levels and valences.
    let codes = |c: &Corpus| {
        let mut v: Vec<_> = c
            .codebook
            .codes
            .iter()
            .map(|k| (k.label.clone(), k.definition.clone(), k.level, k.valence))
            .collect();
        v.sort_by(|x, y| x.0.cmp(&y.0));
        v
    };
    assert_eq!(codes(&a), codes(&b));
    // Cases: ids, labels and attributes.
    let case_list = |c: &Corpus| {
        c.cases
            .cases
            .iter()
            .map(|k| {
                (
                    k.id.clone(),
                    k.label.clone(),
                    k.attributes.text("team"),
                    k.attributes.text("institution"),
                    k.attributes.text("level"),
                    k.attributes.text("sector"),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(case_list(&a), case_list(&b));
    let sheet = |c: &Corpus| {
        let case = c.cases.get("ondersteuningsteam-klein-roc").unwrap();
        let mut labels: Vec<String> = case
            .fishbone
            .as_ref()
            .map(|f| {
                f.codes
                    .iter()
                    .map(|id| c.codebook.code(id).unwrap().label.clone())
                    .collect()
            })
            .unwrap_or_default();
        labels.sort();
        labels
    };
    assert_eq!(sheet(&a).len(), 2);
    assert_eq!(
        sheet(&a),
        sheet(&b),
        "the case's own fishbone sheet came back"
    );
    // Codings: the same coder, source, span, code (by label), quote and memo.
    let codings = |root: &std::path::Path, c: &Corpus| {
        let (set, _) = CodingSet::load(root);
        let mut v: Vec<_> = set
            .codings
            .iter()
            .map(|x| {
                (
                    x.coder.clone(),
                    x.source.clone(),
                    x.coding.start,
                    x.coding.end,
                    c.codebook.code(&x.coding.code).unwrap().label.clone(),
                    x.coding.quote.clone(),
                    x.coding.memo.clone(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        codings(&p.corpus(), &a),
        codings(&q.path().join("corpus"), &b)
    );
    let memo = b.memos.memos.first().expect("the memo came back");
    assert_eq!(memo.text, "Synthetische memo voor de round trip.");
    assert!(memo.target.starts_with("code:"));
}

/// A project as other tools write it (made here, synthetic): `Sources/` in capitals, one text
/// inline, one by a relative path with CRLF counted as two characters, a picture to skip.
#[test]
fn qdpx_from_other_tools_is_read_leniently() {
    use std::io::Write;
    let p = Project::shipped();
    let qde = r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Synthetisch NVivo-project" origin="NVivo 14">
  <Users><User guid="00000000-0000-4000-a000-000000000001" name="Lotte"/></Users>
  <CodeBook><Codes>
    <Code guid="00000000-0000-4000-a000-000000000010" name="Thema's" isCodable="false">
      <Code guid="00000000-0000-4000-a000-000000000011" name="Werkdruk" isCodable="true" color="#AA0000"><Description>Synthetisch: druk op docenten.</Description></Code>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="00000000-0000-4000-a000-000000000020" name="Interview A">
      <PlainTextContent>Docent: De werkdruk is hoog.</PlainTextContent>
      <PlainTextSelection guid="00000000-0000-4000-a000-000000000021" startPosition="11" endPosition="27" creatingUser="00000000-0000-4000-a000-000000000001">
        <Coding guid="00000000-0000-4000-a000-000000000022"><CodeRef targetGUID="00000000-0000-4000-a000-000000000011"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="00000000-0000-4000-a000-000000000030" name="Interview B" plainTextPath="relative://interview-b.txt">
      <PlainTextSelection guid="00000000-0000-4000-a000-000000000031" startPosition="18" endPosition="34">
        <Coding guid="00000000-0000-4000-a000-000000000032"><CodeRef targetGUID="00000000-0000-4000-a000-000000000011"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <PictureSource guid="00000000-0000-4000-a000-000000000040" name="Whiteboard"/>
  </Sources>
</Project>"##;
    let path = p.path().join("nvivo.qdpx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", options).unwrap();
    zip.write_all(qde.as_bytes()).unwrap();
    zip.start_file("Sources/interview-b.txt", options).unwrap();
    zip.write_all("Eerste regel.\r\nDe werkdruk is hoog.".as_bytes())
        .unwrap();
    zip.finish().unwrap();

    let out = p.expect(0, &["import", path.to_str().unwrap()]);
    assert!(
        out.contains("2 sources, 1 new codes, 0 new cases, 2 codings"),
        "{out}"
    );
    assert!(
        out.contains("skipped: PictureSource \"Whiteboard\""),
        "{out}"
    );
    let b = std::fs::read_to_string(p.corpus().join("codings/lotte/interview-a.toml")).unwrap();
    assert!(b.contains("quote = \"werkdruk is hoog\""), "{b}");
    // In Interview B, CRLF counted as two: the selection still lands on the same words.
    let b = std::fs::read_to_string(p.corpus().join("codings/imported/interview-b.toml")).unwrap();
    assert!(b.contains("quote = \"werkdruk is hoog\""), "{b}");
    p.expect(0, &["check"]);
    assert_eq!(p.search(&["werkdruk", "--code", "werkdruk"]).len(), 2);
}

#[test]
fn word_citations_open_as_a_document_with_the_same_content() {
    use std::io::Read;
    let p = Project::shipped();
    let out = p.path().join("citaten.docx");
    p.expect(
        0,
        &[
            "export",
            "--format",
            "docx",
            "-o",
            out.to_str().unwrap(),
            "--factor",
            "team",
        ],
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    for part in ["[Content_Types].xml", "_rels/.rels", "word/styles.xml"] {
        assert!(zip.by_name(part).is_ok(), "{part}");
    }
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // Well-formed, and the same citations as the Markdown export, as Word paragraphs.
    let mut reader = quick_xml::reader::Reader::from_str(&xml);
    loop {
        if let quick_xml::events::Event::Eof =
            reader.read_event().expect("well-formed document.xml")
        {
            break;
        }
    }
    assert!(xml.contains("<w:pStyle w:val=\"Heading2\"/>"));
    assert!(xml.contains("+ team — bevorderend"));
    assert!(xml.contains("<w:pStyle w:val=\"Quote\"/>"));
    assert!(xml.contains("Ik gooi reddingsboeien naar collega’s"));
    assert!(xml.contains("— Intermezzo: werkdruk en docentenwelzijn, p. 28-29."));
    assert!(
        !xml.contains("− beleid"),
        "only the team level was asked for"
    );
}
