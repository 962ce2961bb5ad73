//! Writing codings files: one user action's changes as one locked write, a coding kept in
//! the place its file's order gives it, and a file whose last coding went.

use std::path::Path;

use super::{Coding, CodingFile, Placed, file_path, load_file, lock, time};
use crate::atomic;
use crate::error::{Error, Result};

/// One change to the codings of one user action.
#[derive(Debug, Clone)]
pub enum Change<'a> {
    Add(&'a Placed),
    Remove(&'a Placed),
    /// The same coding (by id) edited: memo, code or span; kept in its place in the file.
    Replace {
        old: &'a Placed,
        new: &'a Placed,
    },
}

impl Change<'_> {
    fn file(&self) -> (&str, &str) {
        let p = match self {
            Change::Add(p) | Change::Remove(p) => p,
            Change::Replace { old, .. } => old,
        };
        (p.coder.as_str(), p.source.as_str())
    }
}

/// Apply the changes of one user action (an edit, a recode, a settled disagreement, an
/// undo) in one locked read-modify-write: every codings file involved is read fresh once,
/// changed in memory, and written once, atomically. (An edit done as a removal and then a
/// re-insertion, each under its own lock, could be cut between the two by a crash and lose
/// the coding.) Nothing is written when a change does not apply: a removed or replaced
/// coding that is not in its file any more, or not as the change knew it, is an error
/// naming it.
pub fn apply_changes(corpus: &Path, changes: &[Change]) -> Result<()> {
    let _lock = lock::acquire(corpus)?;
    let mut files: Vec<((String, String), CodingFile)> = Vec::new();
    for change in changes {
        let (coder, source) = change.file();
        let key = (coder.to_string(), source.to_string());
        let at = match files.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                let path = file_path(corpus, coder, source);
                files.push((key, load_file(&path)?));
                files.len() - 1
            }
        };
        let file = &mut files[at].1;
        let path = file_path(corpus, coder, source);
        // Where `known` is in the file, as it was known; else why it cannot be changed.
        let as_known = |file: &CodingFile, known: &Coding| -> Result<usize> {
            let id = &known.id;
            match file.codings.iter().position(|c| c.id == *id) {
                None => Err(Error::Usage(format!(
                    "no coding {id} in {}: it was changed elsewhere; reload (Ctrl-l)",
                    path.display()
                ))),
                Some(i) if file.codings[i] != *known => Err(Error::Usage(format!(
                    "coding {id} in {} was changed elsewhere since (git, another visgraat): nothing written; reload (Ctrl-l) and look again",
                    path.display()
                ))),
                Some(i) => Ok(i),
            }
        };
        match change {
            Change::Add(p) => {
                if !file.codings.iter().any(|c| c.id == p.coding.id) {
                    let at = creation_place(&file.codings, &p.coding);
                    file.codings.insert(at, p.coding.clone());
                }
            }
            // Only over the coding as this change knew it: an undo, or an edit from a stale
            // screen, must not write over what git or another visgraat changed since (a
            // colleague's merged code, a memo).
            Change::Remove(p) => {
                let i = as_known(file, &p.coding)?;
                file.codings.remove(i);
            }
            Change::Replace { old, new } => {
                let i = as_known(file, &old.coding)?;
                file.codings[i] = new.coding.clone();
            }
        }
    }
    for ((coder, source), file) in &files {
        save_file(&file_path(corpus, coder, source), file)?;
    }
    Ok(())
}

/// Where `coding` goes in a file's codings, which are kept in the order they were made
/// (and those made in the same second, an import or a settled difference, in text order):
/// before the first one that comes later. So an undone removal puts a coding back where it
/// was (the file as it was, to the byte, for git), and a new coding goes at the end. At the
/// end, too, when its time names no instant.
fn creation_place(codings: &[Coding], coding: &Coding) -> usize {
    codings
        .iter()
        .position(|c| comes_after(c, coding))
        .unwrap_or(codings.len())
}

/// Whether `c` comes after `coding` in a codings file's order (see `creation_place`): made
/// later, or in the same second later in the text. Never when a time names no instant.
pub fn comes_after(c: &Coding, coding: &Coding) -> bool {
    let key = |c: &Coding| time::instant(&c.created).map(|t| (t, c.start, c.end));
    match (key(c), key(coding)) {
        (Some(k), Some(made)) => k > made,
        _ => false,
    }
}

/// What a codings file holds once its last coding is removed.
pub const NO_CODINGS_LEFT: &str =
    "# Every coding in this file was removed (an empty file would read as damage).\n";

/// Save a codings file atomically. One whose last coding went keeps a comment saying so,
/// never nothing: an empty codings file is reported as damage (see `load_file`).
pub fn save_file(path: &Path, file: &CodingFile) -> Result<()> {
    let text = |file: &CodingFile| {
        toml::to_string(file).map_err(|e| Error::invalid(path, None, e.to_string()))
    };
    if file.codings.is_empty() {
        if file.machine.is_none() && file.reasons.is_empty() {
            return atomic::write(path, NO_CODINGS_LEFT.as_bytes());
        }
        // A machine's file keeps its mark and reasons: an undo puts its suggestions back
        // as the machine's, with why it made them, not as a person's codings.
        let kept = CodingFile {
            machine: file.machine.clone(),
            codings: Vec::new(),
            reasons: file.reasons.clone(),
        };
        let kept = text(&kept)?.replace("coding = []\n", "");
        return atomic::write(path, format!("{NO_CODINGS_LEFT}{kept}").as_bytes());
    }
    atomic::write(path, text(file)?.as_bytes())
}
