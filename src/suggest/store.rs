//! The machine coder's files: proposals become codings of `suggesties` in
//! `corpus/codings/suggesties/<source>.toml`, marked machine-made, each with its reason. A
//! new run replaces the open suggestions of the sources it looked at (what was accepted has
//! moved to a person's file, what was rejected is remembered elsewhere). One locked write.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::Proposal;
use crate::coding::machine::{MachineMark, Reason, SUGGESTIONS_CODER};
use crate::coding::{self, Coding, CodingFile, anchor, lock};
use crate::corpus::Corpus;
use crate::error::{Error, Result};

/// A suggestion's id: the same passage and code keep the same id across runs.
pub fn suggestion_id(source: &str, start: usize, end: usize, code: &str) -> String {
    let digest = Sha256::digest(format!("{source}\0{start}\0{end}\0{code}"));
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("s-{hex}")
}

/// Refuse to write suggestions where a person's codings are: a coder directory of that name
/// without the machine mark.
fn refuse_person_files(root: &Path, sources: &[&str]) -> Result<()> {
    for source in sources {
        let path = coding::file_path(root, SUGGESTIONS_CODER, source);
        let file = coding::load_file(&path)?;
        if file.machine.is_none() && !file.codings.is_empty() {
            return Err(Error::invalid(
                &path,
                None,
                format!(
                    "holds codings without the [machine] mark: a person codes as {SUGGESTIONS_CODER:?}; rename that coder's directory before suggesting"
                ),
            ));
        }
    }
    Ok(())
}

/// Replace the suggestions of `sources` with `proposals` (each of one of those sources).
pub fn replace(
    corpus: &Corpus,
    sources: &[&str],
    proposals: &[Proposal],
    mark: &MachineMark,
) -> Result<()> {
    let root = &corpus.root;
    let _lock = lock::acquire(root)?;
    refuse_person_files(root, sources)?;
    for source_id in sources {
        let path = coding::file_path(root, SUGGESTIONS_CODER, source_id);
        let Some(source) = corpus.source(source_id) else {
            continue;
        };
        let mut file = CodingFile {
            machine: Some(mark.clone()),
            ..CodingFile::default()
        };
        for p in proposals.iter().filter(|p| p.source == *source_id) {
            let id = suggestion_id(&p.source, p.start, p.end, &p.code);
            let (prefix, suffix) = anchor::context(&source.body, p.start, p.end);
            let coding = Coding {
                id: id.clone(),
                code: p.code.clone(),
                start: p.start,
                end: p.end,
                quote: source.slice(p.start, p.end).unwrap_or_default(),
                memo: String::new(),
                created: mark.made,
                orphaned: false,
                prefix,
                suffix,
                original_quote: None,
                review: None,
            };
            file.reasons.push(Reason {
                coding: id,
                score: p.score,
                terms: p.terms.clone(),
                like: p.like.clone(),
            });
            file.codings.push(coding);
        }
        if file.codings.is_empty() {
            // No open suggestions: no file (an emptied codings file would read as damage).
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(&path, e)),
            }
        } else {
            coding::save_file(&path, &file)?;
        }
    }
    Ok(())
}
