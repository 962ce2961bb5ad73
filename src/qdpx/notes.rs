//! Notes of a REFI-QDA project as visgraat memos: on the code, source or case that refers
//! to them, or that visgraat's own note name says ("memo on code:…"), by the note's author.
//! A memo the project has with other text is a conflict: the project's text stays.

use std::collections::HashMap;
use std::path::Path;

use crate::coding::memos;
use crate::corpus::Corpus;
use crate::error::Result;
use crate::qdpx::ids::quoted;
use crate::qdpx::import::Report;
use crate::qdpx::reader::Project;

/// Notes become memos on the code, source or case that refers to them (or that visgraat's
/// note name says). A memo the project has with other text is a conflict: the project's stays.
#[allow(clippy::too_many_arguments)]
pub(crate) fn import(
    corpus: &Path,
    p: &Project,
    have: &Corpus,
    code_ids: &HashMap<String, String>,
    source_ids: &HashMap<&str, &str>,
    case_ids: &HashMap<String, String>,
    coder_of: &dyn Fn(&Option<String>) -> String,
    report: &mut Report,
) -> Result<usize> {
    let mut target_of_note: HashMap<&str, String> = HashMap::new();
    for c in &p.codes {
        for n in &c.notes {
            if let Some(id) = code_ids.get(&c.guid) {
                target_of_note.entry(n).or_insert(format!("code:{id}"));
            }
        }
    }
    for s in &p.sources {
        for n in &s.notes {
            if let Some(id) = source_ids.get(s.guid.as_str()) {
                target_of_note.entry(n).or_insert(format!("source:{id}"));
            }
        }
    }
    for c in &p.cases {
        for n in &c.notes {
            if let Some(id) = case_ids.get(&c.guid) {
                target_of_note.entry(n).or_insert(format!("case:{id}"));
            }
        }
    }
    let mut new = Vec::new();
    for note in &p.notes {
        let target = target_of_note.get(note.guid.as_str()).cloned().or_else(|| {
            note.name
                .strip_prefix("memo on ")
                .filter(|t| memos::parse_target(t).is_ok())
                .map(str::to_string)
        });
        let Some(target) = target.filter(|_| !note.text.is_empty()) else {
            let label = if note.name.is_empty() {
                note.text.chars().take(40).collect()
            } else {
                note.name.clone()
            };
            report.skipped.push(format!(
                "note {}: not attached to a code, source or case; not imported",
                quoted(&label)
            ));
            continue;
        };
        let author = coder_of(&note.user);
        match have
            .memos
            .memos
            .iter()
            .find(|m| m.target == target && m.author == author)
        {
            Some(m) if m.text.trim() == note.text.trim() => {}
            Some(_) => report.conflicts.push(format!(
                "memo on {target} by {author}: the file's text differs; the project's is kept"
            )),
            None => new.push((target, author, note.text.clone())),
        }
    }
    if new.is_empty() {
        return Ok(0);
    }
    memos::set_all(corpus, &new)
}
