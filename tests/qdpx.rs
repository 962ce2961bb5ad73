//! REFI-QDA exchange: visgraat → visgraat round trips, importing a project's own export into
//! itself, a colleague's export merging by GUID, and other tools' files (real ones where a
//! licence allows, see tests/fixtures/qdpx/SOURCES.md; synthetic ones for each hard case).

mod common;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use common::Project;

/// Every file under `dir` (index and lock aside) with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != ".lock") {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

fn export(p: &Project, name: &str) -> PathBuf {
    let out = p.path().join(name);
    p.expect(
        0,
        &["export", "--format", "qdpx", "-o", out.to_str().unwrap()],
    );
    out
}

/// An empty project beside nothing: config.toml and an empty corpus/.
fn empty_project() -> Project {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "corpus = \"corpus\"\nindex = \"index\"\ncoder = \"tester\"\n",
    )
    .unwrap();
    Project { dir }
}

/// A .qdpx holding `xml` as project.qde and `more` entries.
fn qdpx(path: &Path, xml: &str, more: &[(&str, &str)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", options).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    for (name, text) in more {
        zip.start_file(*name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn importing_a_projects_own_export_into_itself_changes_nothing() {
    let p = Project::shipped();
    p.expect(0, &["memo", "code:team-collegiale-steun", "Synthetische memo."]);
    let out = export(&p, "eigen.qdpx");
    let before = files(&p.corpus());
    let said = p.expect(0, &["import", out.to_str().unwrap()]);
    assert!(
        said.contains("0 sources, 0 new codes, 0 new cases, 0 codings, 0 memos"),
        "{said}"
    );
    assert!(said.contains("already in the project: 22 sources"), "{said}");
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
    p.expect(0, &["memo", "case:ondersteuningsteam-klein-roc", "Synthetisch."]);
    let out = export(&p, "rond.qdpx");
    let q = empty_project();
    let said = q.expect(0, &["import", out.to_str().unwrap()]);
    assert!(said.contains("22 sources, 32 new codes, 5 new cases"), "{said}");
    let (a, b) = (files(&p.corpus()), files(&q.corpus()));
    // The code book, cases, project, every source (front matter with its pages) and every
    // quotes file come back byte for byte.
    for (path, bytes) in &a {
        let name = path.to_string_lossy();
        if name.starts_with("sources/")
            || name.starts_with("quotes/")
            || ["codebook.toml", "cases.toml", "project.toml"].contains(&name.as_ref())
        {
            assert!(b.get(path) == Some(bytes), "{name} differs after the round trip");
        }
    }
    let codings = |root: &Path| {
        let (set, _) = visgraat::coding::CodingSet::load(root);
        let mut v: Vec<_> = set
            .codings
            .iter()
            .map(|x| {
                let c = &x.coding;
                (x.coder.clone(), x.source.clone(), c.start, c.end, c.code.clone(), c.quote.clone(), c.memo.clone())
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(codings(&p.corpus()), codings(&q.corpus()), "code ids kept");
    let memos = std::fs::read_to_string(q.corpus().join("memos.toml")).unwrap();
    assert!(memos.contains("case:ondersteuningsteam-klein-roc"), "{memos}");
    q.expect(0, &["check"]);
}

#[test]
fn the_fishbone_bones_have_names_of_their_own_and_trees_nest() {
    let p = Project::shipped();
    let out = export(&p, "vis.qdpx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").unwrap(), &mut qde).unwrap();
    assert!(qde.contains("name=\"beleid · bevorderend\""), "unique bone names");
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
    let more: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    qdpx(&plain, &qde, &more);
    let q = empty_project();
    q.expect(0, &["import", plain.to_str().unwrap()]);
    let book = std::fs::read_to_string(q.corpus().join("codebook.toml")).unwrap();
    for level in ["beleid", "team", "individu", "doelgroep", "maatschappij"] {
        assert!(book.contains(&format!("level = \"{level}\"")), "{level}: {book}");
    }
    assert!(book.contains("valence = \"belemmerend\""));
    assert!(!book.contains("Imported codes") && !book.contains("imported without"));
    q.expect(0, &["check"]);
}
