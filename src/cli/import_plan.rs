//! `visgraat import-plan`: build corpus sources from extracted documents by a reviewed plan.

use std::path::Path;

use crate::atomic;
use crate::corpus::import_plan;
use crate::error::{Error, Result};

pub fn run(plan: &Path, from: &Path, corpus: &Path, check: bool) -> Result<()> {
    let outcome = import_plan::run(plan, from)?;
    let mut problems = Vec::new();
    for (file, join) in &outcome.undecided_hyphens {
        problems.push(format!(
            "{file}:{}: no evidence for hyphenated {:?}: add it to keep, join or spaced in the hyphenation exceptions",
            join.line, join.hyphenated
        ));
    }
    let mut changed = 0;
    for file in &outcome.files {
        let path = corpus.join(&file.path);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        changed += 1;
        if check {
            problems.push(format!(
                "{}: differs from what the import produces",
                path.display()
            ));
        } else {
            atomic::write(&path, file.contents.as_bytes())?;
        }
    }
    for rel in &outcome.absent {
        let path = corpus.join(rel);
        if path.exists() {
            changed += 1;
            if check {
                problems.push(format!(
                    "{}: the import no longer produces this file",
                    path.display()
                ));
            } else {
                std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            }
        }
    }
    let verb = if check { "would change" } else { "written" };
    println!(
        "{} paragraphs, {} notes, {} files ({changed} {verb})",
        outcome.paragraphs,
        outcome.notes,
        outcome.files.len()
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Usage(problems.join("\n")))
    }
}
