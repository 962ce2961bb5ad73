//! Codings: which code a coder gave to which span of a source, stored as plain TOML outside
//! the index (`corpus/codings/<coder>/<source>.toml`), held in memory as a `CodingSet` for
//! filters and counts. A new coding is visible at once: nothing needs re-indexing.

pub mod anchor;
mod book_comments;
pub mod book_edit;
pub mod by_source;
pub mod case_edit;
mod changes;
pub mod code_lifecycle;
pub mod framework;
pub mod history;
pub mod lock;
pub mod machine;
pub mod memos;
pub mod merge_driver;
pub mod review_log;
pub mod rounds;
pub mod span_cache;
pub mod time;

pub use changes::{Change, NO_CODINGS_LEFT, apply_changes, comes_after, save_file};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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
    /// Set when a machine made these codings (suggestions): see `machine`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<machine::MachineMark>,
    #[serde(default, rename = "coding")]
    pub codings: Vec<Coding>,
    /// Why the machine made each coding (machine-made files only).
    #[serde(default, rename = "reason", skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<machine::Reason>,
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
    /// People's codings: what every count, filter and comparison uses.
    pub codings: Vec<Placed>,
    /// Machine-made codings (suggestions, from files with a `[machine]` mark), kept apart
    /// so that nothing counts them as a person's work unless asked (`with_machine`).
    pub machine: Vec<Placed>,
    /// The reasons of the machine's codings, by coding id.
    pub reasons: std::collections::HashMap<String, machine::Reason>,
}

pub fn codings_dir(corpus: &Path) -> PathBuf {
    corpus.join("codings")
}

pub fn file_path(corpus: &Path, coder: &str, source: &str) -> PathBuf {
    codings_dir(corpus)
        .join(coder)
        .join(format!("{source}.toml"))
}

/// The codings file at `path`; no file holds no codings. A file with nothing in it is an
/// error: visgraat writes a comment into a file whose last coding goes (see `save_file`),
/// so an empty one was emptied by something else (a failed copy, a sync conflict, an
/// editor), and its codings are gone without a trace unless someone says so.
pub fn load_file(path: &Path) -> Result<CodingFile> {
    let Some(text) = crate::text_file::read_optional(path)? else {
        return Ok(CodingFile::default());
    };
    if text.trim().is_empty() {
        return Err(Error::invalid(
            path,
            None,
            "holds no codings: if that is meant, delete the file; if not, restore it from git",
        ));
    }
    parse_file(path, &text)
}

/// Parse the text of a codings file; `path` names it in errors.
pub fn parse_file(path: &Path, text: &str) -> Result<CodingFile> {
    crate::text_file::parse_toml(path, text)
}

impl CodingSet {
    /// Load every coder's codings; a bad file is reported and skipped, the rest load.
    pub fn load(corpus: &Path) -> (CodingSet, Vec<Error>) {
        let mut set = CodingSet::default();
        let (coder_dirs, mut problems) = coder_dirs(corpus);
        for (coder, coder_dir) in coder_dirs {
            let Ok(files) = std::fs::read_dir(&coder_dir) else {
                continue;
            };
            let mut paths: Vec<PathBuf> = files
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            // One directory: the names decide the order, without splitting every path into
            // its components on each comparison.
            paths.sort_by_cached_key(|p| p.file_name().map(std::ffi::OsStr::to_os_string));
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
                    Ok(file) => set.take_file(&coder, &source, file),
                    Err(e) => problems.push(e),
                }
            }
        }
        (set, problems)
    }

    /// The codings of some sources only (every coder's), without reading the other files.
    pub fn load_sources(corpus: &Path, sources: &[&str]) -> (CodingSet, Vec<Error>) {
        let mut set = CodingSet::default();
        let (coder_dirs, mut problems) = coder_dirs(corpus);
        let coders: Vec<String> = coder_dirs.into_iter().map(|(coder, _)| coder).collect();
        let mut sources = sources.to_vec();
        sources.sort_unstable();
        sources.dedup();
        for coder in &coders {
            for source in &sources {
                match load_file(&file_path(corpus, coder, source)) {
                    Ok(file) => set.take_file(coder, source, file),
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
        // Those that count, as stats counts them: not an orphan or one waiting for review.
        for c in self.codings.iter().filter(|c| !c.coding.orphaned) {
            *out.entry(c.coding.code.as_str()).or_insert(0) += 1;
        }
        out
    }
}

/// Put `new` at `at` in `items` (replacing what is there), remove the item at `at` when `new`
/// is None, or append `new` when there is no `at`: one author's entry in a per-author file
/// (memos, framework summaries). Returns what was there, or None when nothing changes.
pub(crate) fn replace_entry<T>(
    items: &mut Vec<T>,
    at: Option<usize>,
    new: Option<T>,
) -> Option<Option<T>> {
    match (at, new) {
        (Some(i), Some(item)) => Some(Some(std::mem::replace(&mut items[i], item))),
        (Some(i), None) => Some(Some(items.remove(i))),
        (None, Some(item)) => {
            items.push(item);
            Some(None)
        }
        (None, None) => None,
    }
}

/// The coders' directories under `corpus/codings/` (name and path), sorted by name, each
/// real directory once. Two names that lead to one directory (a symbolic link to another
/// coder's directory) would count every coding in it twice, as two coders agreeing
/// perfectly: the link is reported and skipped, the directory read under its own name.
fn coder_dirs(corpus: &Path) -> (Vec<(String, PathBuf)>, Vec<Error>) {
    let mut problems = Vec::new();
    let Ok(entries) = std::fs::read_dir(codings_dir(corpus)) else {
        return (Vec::new(), problems);
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    // The real directory before the links to it, so a link is what gets skipped.
    dirs.sort_by_key(|p| (p.is_symlink(), p.clone()));
    let name = |p: &Path| {
        p.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string()
    };
    let mut seen: std::collections::HashMap<PathBuf, String> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for dir in dirs {
        let coder = name(&dir);
        let real = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        if let Some(first) = seen.get(&real) {
            problems.push(Error::invalid(
                &dir,
                None,
                format!(
                    "the same directory as codings/{first} (a symbolic link): its codings are read once, as {first}'s; remove the link, or give {coder} a directory of their own"
                ),
            ));
            continue;
        }
        seen.insert(real, coder.clone());
        out.push((coder, dir));
    }
    out.sort();
    (out, problems)
}

/// The coders who have a directory under `corpus/codings/`, sorted, each real directory
/// once (as [`CodingSet::load`] reads them), without reading a codings file.
pub fn coder_names(corpus: &Path) -> Vec<String> {
    coder_dirs(corpus)
        .0
        .into_iter()
        .map(|(name, _)| name)
        .collect()
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
    // The same code on the same text twice by one coder counts it twice everywhere.
    if let Some(same) = file
        .codings
        .iter()
        .find(|c| !c.orphaned && c.code == code && c.start == start && c.end == end)
    {
        return Err(Error::Usage(format!(
            "{coder} coded this text with {code} already (coding {}): nothing added",
            same.id
        )));
    }
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

pub(crate) fn coding_id(
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

    #[test]
    fn the_last_removal_leaves_a_comment_and_an_emptied_file_is_an_error() {
        let dir = std::env::temp_dir().join(format!("visgraat-emptied-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let src = synthetic_source();
        let placed = add(&dir, "tester", &src, 0, 20, "x", "").unwrap();
        let path = file_path(&dir, "tester", "synthetic-intermezzo");
        remove(&dir, "tester", "synthetic-intermezzo", &placed.coding.id).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), NO_CODINGS_LEFT);
        assert_eq!(CodingSet::load(&dir).1.len(), 0, "not reported as damage");
        // Emptied by something else: reported, and not written over (that would hide it).
        std::fs::write(&path, " \n").unwrap();
        let (set, problems) = CodingSet::load(&dir);
        assert!(set.codings.is_empty());
        assert!(
            problems[0].to_string().contains("holds no codings"),
            "{problems:?}"
        );
        assert!(add(&dir, "tester", &src, 0, 20, "x", "").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
