//! REFI-QDA between visgraat projects: a round trip, importing a project's own export into
//! itself, a colleague's export merging by GUID, and the fishbone as other tools keep it.

mod common;

use std::path::Path;

use common::Project;
use common::qdpx::*;

#[test]
fn importing_a_projects_own_export_into_itself_changes_nothing() {
    let p = Project::shipped();
    p.expect(
        0,
        &["memo", "code:team-collegiale-steun", "Synthetische memo."],
    );
    let out = export(&p, "eigen.qdpx");
    let before = files(&p.corpus());
    let said = p.expect(0, &["import", out.to_str().unwrap()]);
    assert!(
        said.contains("0 sources, 0 new codes, 0 new cases, 0 codings, 0 memos"),
        "{said}"
    );
    assert!(
        said.contains("already in the project: 22 sources"),
        "{said}"
    );
    let after = files(&p.corpus());
    for (path, bytes) in &after {
        assert!(
            before.get(path) == Some(bytes),
            "{} changed or appeared",
            path.display()
        );
    }
    assert_eq!(before.len(), after.len());
    p.expect(0, &["check"]);
}

#[test]
fn a_visgraat_round_trip_keeps_ids_pages_case_links_quotes_and_memos() {
    let p = Project::shipped();
    p.expect(
        0,
        &["memo", "case:ondersteuningsteam-klein-roc", "Synthetisch."],
    );
    let out = export(&p, "rond.qdpx");
    let q = empty_project();
    let said = q.expect(0, &["import", out.to_str().unwrap()]);
    assert!(
        said.contains("22 sources, 32 new codes, 5 new cases"),
        "{said}"
    );
    let (a, b) = (files(&p.corpus()), files(&q.corpus()));
    // The code book, cases, project, every source (front matter with its pages) and every
    // quotes file come back byte for byte.
    for (path, bytes) in &a {
        let name = path.to_string_lossy();
        if name.starts_with("sources/")
            || name.starts_with("quotes/")
            || ["codebook.toml", "cases.toml", "project.toml"].contains(&name.as_ref())
        {
            assert!(
                b.get(path) == Some(bytes),
                "{name} differs after the round trip"
            );
        }
    }
    let codings = |root: &Path| {
        let (set, _) = visgraat::coding::CodingSet::load(root);
        let mut v: Vec<_> = set
            .codings
            .iter()
            .map(|x| {
                let c = &x.coding;
                (
                    x.coder.clone(),
                    x.source.clone(),
                    c.start,
                    c.end,
                    c.code.clone(),
                    c.quote.clone(),
                    c.memo.clone(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(codings(&p.corpus()), codings(&q.corpus()), "code ids kept");
    let memos = std::fs::read_to_string(q.corpus().join("memos.toml")).unwrap();
    assert!(
        memos.contains("case:ondersteuningsteam-klein-roc"),
        "{memos}"
    );
    q.expect(0, &["check"]);
}

#[test]
fn the_fishbone_bones_have_names_of_their_own_and_trees_nest() {
    let p = Project::shipped();
    let out = export(&p, "vis.qdpx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").unwrap(), &mut qde).unwrap();
    assert!(
        qde.contains("name=\"beleid · bevorderend\""),
        "unique bone names"
    );
    assert!(qde.contains("name=\"maatschappij · belemmerend\""));
    assert!(!qde.contains("name=\"+ bevorderend\""));
    // Without the sidecar (as after QualCoder), the bones still give levels and valences.
    let plain = p.path().join("plain.qdpx");
    let mut texts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut f, &mut text).unwrap();
        if name.starts_with("sources/") {
            texts.push((name, text));
        }
    }
    let more: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    qdpx(&plain, &qde, &more);
    let q = empty_project();
    q.expect(0, &["import", plain.to_str().unwrap()]);
    let book = std::fs::read_to_string(q.corpus().join("codebook.toml")).unwrap();
    for level in ["beleid", "team", "individu", "doelgroep", "maatschappij"] {
        assert!(
            book.contains(&format!("level = \"{level}\"")),
            "{level}: {book}"
        );
    }
    assert!(book.contains("valence = \"belemmerend\""));
    assert!(!book.contains("Imported codes") && !book.contains("imported without"));
    q.expect(0, &["check"]);
}

/// A colleague's export of the same project merges by GUID: their new coding and memo come
/// in, nothing is duplicated, and a memo both changed is reported, the project's kept.
#[test]
fn a_colleagues_export_merges_by_guid() {
    let a = Project::shipped();
    let b = Project::shipped();
    a.expect(
        0,
        &[
            "memo",
            "code:team-collegiale-steun",
            "Versie A (synthetisch).",
        ],
    );
    b.expect(
        0,
        &[
            "memo",
            "code:team-collegiale-steun",
            "Versie B (synthetisch).",
        ],
    );
    b.expect(
        0,
        &[
            "memo",
            "source:intermezzo-intake",
            "Memo van de collega (synthetisch).",
        ],
    );
    b.expect(
        0,
        &[
            "code",
            "intermezzo-intake",
            "--match",
            "privacyregelgeving",
            "beleid-avg-bemoeilijkt-warme-overdracht",
            "--coder",
            "collega",
        ],
    );
    let before = codings(&a.corpus()).len();
    let out = export(&b, "collega.qdpx");
    let said = a.expect(0, &["import", out.to_str().unwrap()]);
    assert!(
        said.contains("0 sources, 0 new codes, 0 new cases, 1 codings, 1 memos"),
        "{said}"
    );
    assert!(
        said.contains("conflict: memo on code:team-collegiale-steun by tester"),
        "{said}"
    );
    assert_eq!(codings(&a.corpus()).len(), before + 1);
    let memos = std::fs::read_to_string(a.corpus().join("memos.toml")).unwrap();
    assert!(
        memos.contains("Versie A") && !memos.contains("Versie B"),
        "{memos}"
    );
    a.expect(0, &["check"]);
}

#[test]
fn case_attributes_travel_with_their_types() {
    let p = Project::shipped();
    let set = |case: &str, attrs: &[&str]| {
        let mut args = vec!["case", "set", case];
        for a in attrs {
            args.extend(["--attr", a]);
        }
        p.expect(0, &args);
    };
    set(
        "docententeam-aoc-groen",
        &["niveau=2", "gewicht=1", "gehouden=2024-03-14", "regio=Oost"],
    );
    set(
        "ondersteuningsteam-klein-roc",
        &["niveau=3", "gewicht=1.5", "gehouden=2024-03-21", "regio=2"],
    );
    let out = export(&p, "typen.qdpx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").unwrap(), &mut qde).unwrap();
    let variable = |name: &str| {
        let at = qde.find(&format!("name=\"{name}\"")).unwrap();
        let tag = &qde[qde[..at].rfind('<').unwrap()..at + qde[at..].find('>').unwrap()];
        tag.to_string()
    };
    assert!(variable("niveau").contains("typeOfVariable=\"Integer\""));
    assert!(variable("gewicht").contains("typeOfVariable=\"Float\""));
    assert!(variable("gehouden").contains("typeOfVariable=\"Date\""));
    // One value that is not a number makes the variable text, so every value fits its type.
    assert!(variable("regio").contains("typeOfVariable=\"Text\""));
    assert!(qde.contains("<IntegerValue>2</IntegerValue>"), "{qde}");
    assert!(qde.contains("<FloatValue>1.5</FloatValue>"));
    assert!(qde.contains("<DateValue>2024-03-14</DateValue>"));
    assert!(qde.contains("<TextValue>2</TextValue>"));

    // Another tool's project (the same file without visgraat's own sidecar) reads back as
    // numbers, dates and text.
    let foreign = p.path().join("zonder-sidecar.qdpx");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&foreign).unwrap());
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).unwrap();
        if !entry.name().unwrap().starts_with("visgraat/") {
            w.raw_copy_file(entry).unwrap();
        }
    }
    w.finish().unwrap();
    let q = empty_project();
    q.expect(0, &["import", foreign.to_str().unwrap()]);
    let cases = std::fs::read_to_string(q.corpus().join("cases.toml")).unwrap();
    for line in [
        "niveau = 2",
        "gewicht = 1.5",
        "gehouden = 2024-03-21",
        "regio = \"2\"",
    ] {
        assert!(cases.contains(line), "{line} in\n{cases}");
    }
    q.expect(0, &["check"]);

    let path = p.path().join("typen.qde");
    std::fs::write(&path, &qde).unwrap();
    assert_valid(&path, "Project.xsd");
}

/// A project as `visgraat init` makes it (its code book ends in the fishbone's `[[group]]`).
fn init_project() -> Project {
    let p = Project {
        dir: tempfile::tempdir().unwrap(),
    };
    p.expect(0, &["init", ".", "--title", "Synthetisch"]);
    p
}

#[test]
fn an_export_imports_into_a_project_made_by_init() {
    // Found by a new-user trial: the import appended `group = []` after the `[[group]]` of
    // init's code book, inside that table, so `check` skipped the group and every code.
    let a = init_project();
    a.expect(
        0,
        &[
            "codes",
            "add",
            "Synthetische werkdruk",
            "--level",
            "team",
            "--valence",
            "-",
            "--definition",
            "Synthetisch.",
        ],
    );
    let out = export(&a, "a.qdpx");
    let b = init_project();
    let said = b.expect(0, &["import", out.to_str().unwrap()]);
    assert!(said.contains("1 new codes"), "{said}");
    b.expect(0, &["check"]);
    let book = std::fs::read_to_string(b.corpus().join("codebook.toml")).unwrap();
    assert!(!book.contains("group = []"), "{book}");
    let codes = b.expect(0, &["codes", "list"]);
    assert!(codes.contains("Synthetische werkdruk"), "{codes}");
}
