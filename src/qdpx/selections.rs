//! The file's selections as visgraat codings: each placed where the data prove it belongs
//! (see `positions`), under the coder who made it, and saved without duplicating a coding
//! the coder has already; what cannot be placed with certainty is kept aside in
//! `corpus/import/kept-aside-<file>.toml`, never saved onto other text.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::coding::{Coding, CodingFile};
use crate::error::{Error, Result};
use crate::qdpx::ids::{guid, quoted, slug};
use crate::qdpx::import::Report;
use crate::qdpx::positions::{self, Placer, Wanted};
use crate::qdpx::reader::Project;

/// A selection kept aside: where the file put it and why visgraat did not.
#[derive(Debug, Serialize)]
pub(crate) struct KeptAside {
    source: String,
    source_guid: String,
    start: usize,
    end: usize,
    name: String,
    codes: Vec<String>,
    reason: String,
}

#[derive(Debug, Serialize)]
struct KeptAsideFile {
    #[serde(rename = "selection")]
    selections: Vec<KeptAside>,
}

/// The codings to add, per (coder, source), and the selections kept aside.
pub(crate) struct Placed {
    pub(crate) codings: BTreeMap<(String, String), Vec<Coding>>,
    pub(crate) kept: Vec<KeptAside>,
}

/// Place every selection of `p`. `targets` holds, per source of the file, the visgraat id its
/// codings go to, or why they cannot go anywhere; `texts` the sources' texts.
pub(crate) fn place(
    p: &Project,
    targets: &[std::result::Result<String, String>],
    texts: &[Placer],
    code_ids: &HashMap<String, String>,
    coder_of: &dyn Fn(&Option<String>) -> String,
    report: &mut Report,
) -> Placed {
    let mut wanted = Vec::new();
    let mut whose = Vec::new();
    let mut kept: Vec<KeptAside> = Vec::new();
    for (i, s) in p.sources.iter().enumerate() {
        for sel in &s.selections {
            let codes = || sel.codings.iter().map(|c| c.code.clone()).collect();
            match &targets[i] {
                Ok(id) => {
                    wanted.push(Wanted {
                        source: i,
                        start: sel.start,
                        end: sel.end,
                        name: &sel.name,
                    });
                    whose.push((i, id, sel));
                }
                Err(reason) => kept.push(KeptAside {
                    source: s.name.clone(),
                    source_guid: s.guid.clone(),
                    start: sel.start,
                    end: sel.end,
                    name: sel.name.clone(),
                    codes: codes(),
                    reason: reason.clone(),
                }),
            }
        }
    }
    let placement = positions::place(texts, &wanted);
    report.counting = placement.counting;
    let mut codings: BTreeMap<(String, String), Vec<Coding>> = BTreeMap::new();
    for ((i, id, sel), span) in whose.into_iter().zip(placement.spans) {
        let s = &p.sources[i];
        let (start, end) = match span {
            Ok(span) => span,
            Err(reason) => {
                kept.push(KeptAside {
                    source: id.clone(),
                    source_guid: s.guid.clone(),
                    start: sel.start,
                    end: sel.end,
                    name: sel.name.clone(),
                    codes: sel.codings.iter().map(|c| c.code.clone()).collect(),
                    reason,
                });
                continue;
            }
        };
        if sel.codings.iter().all(|c| c.code.is_empty()) {
            report.skipped.push(format!(
                "selection {}..{} in {}: no code on it (visgraat keeps codings, not bare selections)",
                sel.start,
                sel.end,
                quoted(&s.name)
            ));
            continue;
        }
        let quote = texts[i].slice((start, end));
        for c in sel.codings.iter().filter(|c| !c.code.is_empty()) {
            let Some(code_id) = code_ids.get(&c.code) else {
                report.skipped.push(format!(
                    "a coding in {} refers to a code the file does not define",
                    quoted(&s.name)
                ));
                continue;
            };
            let created = sel
                .created
                .as_deref()
                .and_then(|c| c.parse().ok())
                .unwrap_or_else(crate::coding::time::now);
            let coder = coder_of(&c.user);
            let digest = guid(&format!("{id}:{start}:{end}:{code_id}:{coder}"));
            codings
                .entry((coder, id.clone()))
                .or_default()
                .push(Coding {
                    id: format!("c-{}", &digest.replace('-', "")[..12]),
                    code: code_id.clone(),
                    start,
                    end,
                    quote: quote.clone(),
                    memo: sel.memo.clone(),
                    created,
                    orphaned: false,
                    prefix: String::new(),
                    suffix: String::new(),
                    original_quote: None,
                    review: None,
                });
        }
    }
    Placed { codings, kept }
}

/// Append the new codings, under the codings lock, leaving out any the coder has already
/// (the same code on the same span). How many were added.
pub(crate) fn save(corpus: &Path, new: BTreeMap<(String, String), Vec<Coding>>) -> Result<usize> {
    let _lock = crate::coding::lock::acquire(corpus)?;
    let mut added = 0;
    for ((coder, source), list) in new {
        let path = crate::coding::file_path(corpus, &coder, &source);
        let mut file: CodingFile = crate::coding::load_file(&path)?;
        let mut present: HashSet<(String, usize, usize)> = file
            .codings
            .iter()
            .map(|k| (k.code.clone(), k.start, k.end))
            .collect();
        let before = file.codings.len();
        for c in list {
            if present.insert((c.code.clone(), c.start, c.end)) {
                file.codings.push(c);
            }
        }
        if file.codings.len() > before {
            added += file.codings.len() - before;
            crate::coding::save_file(&path, &file)?;
        }
    }
    Ok(added)
}

/// Write the selections kept aside, if any, beside the import plan, and say so in `report`.
pub(crate) fn keep_aside(
    corpus: &Path,
    file_name: &str,
    kept: Vec<KeptAside>,
    report: &mut Report,
) -> Result<()> {
    if kept.is_empty() {
        return Ok(());
    }
    report.kept_aside = kept.len();
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let path = corpus
        .join("import")
        .join(format!("kept-aside-{}.toml", slug(stem)));
    let text = toml::to_string(&KeptAsideFile { selections: kept })
        .map_err(|e| Error::invalid(&path, None, e.to_string()))?;
    let header = format!(
        "# Selections of {file_name} that visgraat could not place with certainty (positions as the file gives them).\n\n"
    );
    crate::atomic::write(&path, format!("{header}{text}").as_bytes())?;
    report.kept_aside_file = Some(path);
    Ok(())
}
