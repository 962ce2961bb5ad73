//! visgraat's .qdpx read by an independent REFI-QDA reader from PyPI (pyrefiqda, in the venv
//! that .ci/run makes; VISGRAAT_TEST_PYTHON names its python): every selection's text, as
//! that reader cuts it from the source, equals visgraat's quote. Skipped, with a message,
//! when the python or the module is not there.

mod common;

use std::collections::BTreeMap;

use common::Project;

// pyrefiqda parses project.qde into models generated from the REFI-QDA schema; the text of a
// selection is cut from its source file by the positions, in code points (Python's unit and
// the standard's). (pyqdpx, the other reader on PyPI, needs Python 3.12; CI has 3.11.)
const READ: &str = r#"
import json, sys, tempfile
from pyrefiqda import RefiProject
extracted = tempfile.mkdtemp()
project = RefiProject.load(sys.argv[1], extract_dir=extracted)
out = {}
for source in project.sources.text_source:
    path = RefiProject.resolve_source_path(source.plain_text_path, extracted)
    text = open(path, encoding="utf-8").read()
    for sel in source.plain_text_selection:
        out[sel.guid] = text[sel.start_position:sel.end_position]
print(json.dumps(out))
"#;

#[test]
fn pyrefiqda_reads_every_selection_as_visgraats_quote() {
    let p = Project::shipped();
    let out = p.path().join("project.qdpx");
    p.expect(
        0,
        &["export", "--format", "qdpx", "-o", out.to_str().unwrap()],
    );
    let Ok(python) = std::env::var("VISGRAAT_TEST_PYTHON") else {
        eprintln!("skipped the pyrefiqda check: VISGRAAT_TEST_PYTHON is not set (.ci/run sets it)");
        return;
    };
    let run = std::process::Command::new(&python)
        .args(["-c", READ])
        .arg(&out)
        .output()
        .expect("the python runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    if stderr.contains("No module named 'pyrefiqda'") {
        eprintln!("skipped the pyrefiqda check: pyrefiqda is not installed (.ci/run installs it)");
        return;
    }
    assert!(run.status.success(), "{stderr}");
    let read: BTreeMap<String, String> = serde_json::from_slice(&run.stdout).unwrap();
    let (set, _) = visgraat::coding::CodingSet::load(&p.corpus());
    let want: BTreeMap<String, String> = set
        .codings
        .iter()
        .filter(|c| !c.coding.orphaned)
        .map(|c| {
            let guid = visgraat::qdpx::ids::guid(&format!("selection:{}:{}", c.coder, c.coding.id));
            (guid, c.coding.quote.clone())
        })
        .collect();
    assert_eq!(read.len(), 69, "every selection read");
    assert_eq!(
        read, want,
        "pyrefiqda's text of each selection is visgraat's quote"
    );
}
