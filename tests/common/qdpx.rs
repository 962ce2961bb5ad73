//! Helpers for the REFI-QDA tests: building .qdpx files, empty projects, exports, and the
//! codings and files of a corpus to compare.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::Project;

/// Every file under `dir` (index and lock aside) with its bytes.
pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
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

pub fn export(p: &Project, name: &str) -> PathBuf {
    let out = p.path().join(name);
    p.expect(
        0,
        &["export", "--format", "qdpx", "-o", out.to_str().unwrap()],
    );
    out
}

/// An empty project beside nothing: config.toml and an empty corpus/.
pub fn empty_project() -> Project {
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
pub fn qdpx(path: &Path, xml: &str, more: &[(&str, &str)]) {
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

pub const HEAD: &str = r#"<?xml version="1.0" encoding="utf-8"?>"#;

pub fn g(n: u32) -> String {
    format!("00000000-0000-4000-a000-{n:012}")
}

/// The codings under `corpus` as (coder, source, code, quote), sorted.
pub fn codings(corpus: &Path) -> Vec<(String, String, String, String)> {
    let (set, problems) = visgraat::coding::CodingSet::load(corpus);
    assert!(problems.is_empty(), "{problems:?}");
    let mut v: Vec<_> = set
        .codings
        .iter()
        .map(|x| {
            (
                x.coder.clone(),
                x.source.clone(),
                x.coding.code.clone(),
                x.coding.quote.clone(),
            )
        })
        .collect();
    v.sort();
    v
}

pub fn fixture(name: &str) -> PathBuf {
    super::repo_root().join("tests/fixtures/qdpx").join(name)
}

/// Check `file` against `../shared/refi-qda/<schema>` with xmllint (from libxml2-utils;
/// .ci/run installs it), failing the test with xmllint's message; skipped, with a line
/// saying so, where the schema or xmllint is missing.
pub fn assert_valid(file: &Path, schema: &str) {
    let xsd = super::repo_root().join("../shared/refi-qda").join(schema);
    if !xsd.exists()
        || std::process::Command::new("xmllint")
            .arg("--version")
            .output()
            .is_err()
    {
        eprintln!("skipped schema validation: ../shared/refi-qda/{schema} or xmllint missing");
        return;
    }
    let check = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
