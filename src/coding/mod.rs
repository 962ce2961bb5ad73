//! Codings: which code a coder gave to which span of a source, stored as plain TOML outside
//! the index (`corpus/codings/<coder>/<source>.toml`), held in memory as a `CodingSet` for
//! filters and counts. A new coding is visible at once: nothing needs re-indexing.

pub mod anchor;
pub mod book_edit;
pub mod lock;
pub mod memos;
pub mod review_log;
pub mod time;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::atomic;
use crate::corpus::source::{self, Source};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coding {
    pub id: String,
    pub code: String,
    /// Char offsets into the source body, end-exclusive.
    pub start: usize,
    pub end: usize,
    /// The exact text of the span, to verify and re-anchor after edits.
    pub quote: String,
    #[serde(default)]
    pub memo: String,
    pub created: toml::value::Datetime,
    /// Set when the source changed and the quote could not be found again: the coding is
    /// kept (for a person to re-place) but counts nowhere.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub orphaned: bool,
    /// The text just before and after the span when it was coded: re-anchoring tells two
    /// equal quotes apart by it (see `anchor`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub suffix: String,
    /// The quote as first coded, once re-anchoring has accepted other text: never
    /// overwritten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_quote: Option<String>,
    /// A re-anchoring that was not applied because it was unsure, for a person to decide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<anchor::Review>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodingFile {
    #[serde(default, rename = "coding")]
    pub codings: Vec<Coding>,
}

/// A coding with the coder and source it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub coder: String,
    pub source: String,
    pub coding: Coding,
}

/// All codings of a corpus, in memory.
#[derive(Debug, Clone, Default)]
pub struct CodingSet {
    pub codings: Vec<Placed>,
}

pub fn codings_dir(corpus: &Path) -> PathBuf {
    corpus.join("codings")
}

pub fn file_path(corpus: &Path, coder: &str, source: &str) -> PathBuf {
    codings_dir(corpus)
        .join(coder)
        .join(format!("{source}.toml"))
}

pub fn load_file(path: &Path) -> Result<CodingFile> {
    let Some(text) = crate::text_file::read_optional(path)? else {
        return Ok(CodingFile::default());
    };
    parse_file(path, &text)
}

/// Parse the text of a codings file; `path` names it in errors.
pub fn parse_file(path: &Path, text: &str) -> Result<CodingFile> {
    toml::from_str(text).map_err(|e| Error::toml(path, text, &e))
}

impl CodingSet {
    /// Load every coder's codings; a bad file is reported and skipped, the rest load.
    pub fn load(corpus: &Path) -> (CodingSet, Vec<Error>) {
        let mut set = CodingSet::default();
        let mut problems = Vec::new();
        let dir = codings_dir(corpus);
        let Ok(coders) = std::fs::read_dir(&dir) else {
            return (set, problems);
        };
        let mut coder_dirs: Vec<PathBuf> = coders
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        coder_dirs.sort();
        for coder_dir in coder_dirs {
            let coder = coder_dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            let Ok(files) = std::fs::read_dir(&coder_dir) else {
                continue;
            };
            let mut paths: Vec<PathBuf> = files
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            paths.sort();
            // Parsing TOML is most of the cost with thousands of files: all cores.
            let loaded = crate::corpus::par_map(paths, |path| {
                let source = path
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string();
                (source, load_file(&path))
            });
            for (source, result) in loaded {
                match result {
                    Ok(file) => set
                        .codings
                        .extend(file.codings.into_iter().map(|coding| Placed {
                            coder: coder.clone(),
                            source: source.clone(),
                            coding,
                        })),
                    Err(e) => problems.push(e),
                }
            }
        }
        (set, problems)
    }

    /// The codings of some sources only (every coder's), without reading the other files.
    pub fn load_sources(corpus: &Path, sources: &[&str]) -> (CodingSet, Vec<Error>) {
        let mut set = CodingSet::default();
        let mut problems = Vec::new();
        let Ok(coders) = std::fs::read_dir(codings_dir(corpus)) else {
            return (set, problems);
        };
        let mut coders: Vec<String> = coders
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        coders.sort();
        let mut sources = sources.to_vec();
        sources.sort_unstable();
        sources.dedup();
        for coder in &coders {
            for source in &sources {
                match load_file(&file_path(corpus, coder, source)) {
                    Ok(file) => set
                        .codings
                        .extend(file.codings.into_iter().map(|coding| Placed {
                            coder: coder.clone(),
                            source: source.to_string(),
                            coding,
                        })),
                    Err(e) => problems.push(e),
                }
            }
        }
        (set, problems)
    }

    pub fn coders(&self) -> Vec<&str> {
        let mut coders: Vec<&str> = self.codings.iter().map(|c| c.coder.as_str()).collect();
        coders.sort();
        coders.dedup();
        coders
    }

    /// Codings of one source, by coder-independent span.
    pub fn in_source<'a>(&'a self, source: &'a str) -> impl Iterator<Item = &'a Placed> {
        self.codings
            .iter()
            .filter(move |c| c.source == source && !c.coding.orphaned)
    }

    /// Codings (of `coder`, or all) whose span overlaps `start..end` of `source`.
    pub fn overlapping<'a>(
        &'a self,
        source: &'a str,
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = &'a Placed> {
        self.in_source(source)
            .filter(move |c| c.coding.start < end && start < c.coding.end)
    }

    /// Count of codings per code.
    pub fn per_code(&self) -> BTreeMap<&str, usize> {
        let mut out = BTreeMap::new();
        for c in &self.codings {
            *out.entry(c.coding.code.as_str()).or_insert(0) += 1;
        }
        out
    }
}

/// The char range of `text` in the body of `source`: it must occur exactly once.
pub fn find_match(source: &Source, text: &str) -> Result<(usize, usize)> {
    if text.trim().is_empty() {
        return Err(Error::Usage("--match needs some text".into()));
    }
    let matches: Vec<usize> = source.body.match_indices(text).map(|(i, _)| i).collect();
    match matches.as_slice() {
        [] => Err(Error::Usage(format!(
            "{:?} does not occur in {} (the match is exact: copy the text from the source)",
            text, source.meta.id
        ))),
        [byte] => {
            let start = source.body[..*byte].chars().count();
            Ok((start, start + text.chars().count()))
        }
        many => {
            let offsets: Vec<String> = many
                .iter()
                .map(|b| source.body[..*b].chars().count().to_string())
                .collect();
            Err(Error::Usage(format!(
                "{:?} occurs {} times in {} (at chars {}): give a longer text or START END",
                text,
                many.len(),
                source.meta.id,
                offsets.join(", ")
            )))
        }
    }
}

/// Add a coding of `start..end` of `source` by `coder`, saved atomically before returning.
pub fn add(
    corpus: &Path,
    coder: &str,
    source: &Source,
    start: usize,
    end: usize,
    code: &str,
    memo: &str,
) -> Result<Placed> {
    source::validate_id(coder).map_err(|m| Error::Usage(format!("coder: {m}")))?;
    if start >= end {
        return Err(Error::Usage(format!(
            "empty span {start}..{end}: START must be below END"
        )));
    }
    let quote = source.slice(start, end).ok_or_else(|| {
        Error::Usage(format!(
            "span {start}..{end} lies outside {} ({} chars)",
            source.meta.id,
            source.char_len()
        ))
    })?;
    let created = time::now();
    let id = coding_id(
        coder,
        &source.meta.id,
        start,
        end,
        code,
        &created.to_string(),
    );
    let (prefix, suffix) = anchor::context(&source.body, start, end);
    let coding = Coding {
        id,
        code: code.to_string(),
        start,
        end,
        quote,
        memo: memo.to_string(),
        created,
        orphaned: false,
        prefix,
        suffix,
        original_quote: None,
        review: None,
    };
    let path = file_path(corpus, coder, &source.meta.id);
    let _lock = lock::acquire(corpus)?;
    // Read the file fresh under the lock: another process may have added codings since we
    // loaded.
    let mut file = load_file(&path)?;
    file.codings.push(coding.clone());
    save_file(&path, &file)?;
    Ok(Placed {
        coder: coder.to_string(),
        source: source.meta.id.clone(),
        coding,
    })
}

/// Remove the coding `id` from `coder`'s file for `source`; returns it (for undo).
pub fn remove(corpus: &Path, coder: &str, source: &str, id: &str) -> Result<Coding> {
    let path = file_path(corpus, coder, source);
    let _lock = lock::acquire(corpus)?;
    let mut file = load_file(&path)?;
    let at = file
        .codings
        .iter()
        .position(|c| c.id == id)
        .ok_or_else(|| Error::Usage(format!("no coding {id} in {}", path.display())))?;
    let removed = file.codings.remove(at);
    save_file(&path, &file)?;
    Ok(removed)
}

/// Put a coding back exactly as it was (undo of a removal, redo of an addition).
pub fn restore(corpus: &Path, coder: &str, source: &str, coding: &Coding) -> Result<()> {
    let path = file_path(corpus, coder, source);
    let _lock = lock::acquire(corpus)?;
    let mut file = load_file(&path)?;
    if !file.codings.iter().any(|c| c.id == coding.id) {
        file.codings.push(coding.clone());
        save_file(&path, &file)?;
    }
    Ok(())
}

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
/// coding that is not in its file any more is an error naming it.
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
        let missing = |id: &str| {
            Error::Usage(format!(
                "no coding {id} in {}: it was changed elsewhere; reload (Ctrl-l)",
                file_path(corpus, coder, source).display()
            ))
        };
        match change {
            Change::Add(p) => {
                if !file.codings.iter().any(|c| c.id == p.coding.id) {
                    file.codings.push(p.coding.clone());
                }
            }
            Change::Remove(p) => {
                let i = file
                    .codings
                    .iter()
                    .position(|c| c.id == p.coding.id)
                    .ok_or_else(|| missing(&p.coding.id))?;
                file.codings.remove(i);
            }
            Change::Replace { old, new } => {
                let i = file
                    .codings
                    .iter()
                    .position(|c| c.id == old.coding.id)
                    .ok_or_else(|| missing(&old.coding.id))?;
                file.codings[i] = new.coding.clone();
            }
        }
    }
    for ((coder, source), file) in &files {
        save_file(&file_path(corpus, coder, source), file)?;
    }
    Ok(())
}

pub fn save_file(path: &Path, file: &CodingFile) -> Result<()> {
    let text = toml::to_string(file).map_err(|e| Error::invalid(path, None, e.to_string()))?;
    atomic::write(path, text.as_bytes())
}

fn coding_id(
    coder: &str,
    source: &str,
    start: usize,
    end: usize,
    code: &str,
    created: &str,
) -> String {
    // The clock's nanoseconds and the process id keep two codings of the same span made in
    // the same second apart.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let pid = std::process::id();
    let digest = Sha256::digest(format!(
        "{coder}\0{source}\0{start}\0{end}\0{code}\0{created}\0{nanos}\0{pid}"
    ));
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("c-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synthetic_source() -> Source {
        let text = "+++\nid = \"synthetic-intermezzo\"\nkind = \"intermezzo\"\ntitle = \"t\"\nprovenance = \"test\"\n+++\nDe werkdruk is hoog. Eén team – Entree – deelt klassen in.\n\nDe werkdruk is hoog.\n";
        Source::parse(Path::new("s.md"), text).unwrap()
    }

    #[test]
    fn find_match_counts_chars_and_rejects_ambiguity() {
        let src = synthetic_source();
        let (s, e) = find_match(&src, "Eén team – Entree").unwrap();
        assert_eq!(src.slice(s, e).unwrap(), "Eén team – Entree");
        assert!(
            find_match(&src, "De werkdruk is hoog.")
                .unwrap_err()
                .to_string()
                .contains("2 times")
        );
        assert!(find_match(&src, "bestaat niet").is_err());
    }

    #[test]
    fn add_saves_and_reloads() {
        let dir = std::env::temp_dir().join(format!("visgraat-coding-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let src = synthetic_source();
        let placed = add(
            &dir,
            "tester",
            &src,
            0,
            20,
            "individu-hoge-werkdruk-en-weinig-welzijn",
            "why",
        )
        .unwrap();
        assert_eq!(placed.coding.quote, "De werkdruk is hoog.");
        let (set, problems) = CodingSet::load(&dir);
        assert!(problems.is_empty());
        assert_eq!(set.codings, vec![placed.clone()]);
        assert!(add(&dir, "tester", &src, 5, 500, "x", "").is_err());
        let removed = remove(&dir, "tester", "synthetic-intermezzo", &placed.coding.id).unwrap();
        assert!(CodingSet::load(&dir).0.codings.is_empty());
        restore(&dir, "tester", "synthetic-intermezzo", &removed).unwrap();
        assert_eq!(CodingSet::load(&dir).0.codings, vec![placed]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
