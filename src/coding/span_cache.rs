//! The coded spans of every codings file — coder, source, code, span, orphaned — kept beside
//! the index, so that a search with a coding filter need not parse every codings file (14 MB
//! of TOML at 100 MB of corpus, most of such a search's time). The cache is derived data:
//! it holds only while every codings file has the stamp it had when the cache was written
//! (see `index::freshness`), else the files are read and the cache written anew.

use std::path::Path;

use super::{Coding, CodingSet, Placed};
use crate::error::Error;
use crate::index::freshness::{CODINGS, TreeStamps};

const FILE: &str = "visgraat-coded-spans";
const HEADER: &str = "visgraat-coded-spans 1";

/// The coded spans of a project, for filtering: the cache's lines when no codings file
/// changed since it was written, else every codings file read (and the cache written for
/// next time). A search takes from them only what it needs ([`CodedSpans::select`]): the
/// codings its filter selects, then those of its hits' sources — not all of them.
pub enum CodedSpans {
    /// The cache's text and where its coding lines start.
    Cached {
        text: String,
        codings_at: usize,
    },
    Read(CodingSet),
}

impl CodedSpans {
    /// From the cache in `index_dir` when it holds, else from the files. Problems as
    /// [`CodingSet::load`]; a set with problems is never cached, so they are reported each
    /// time.
    pub fn load(corpus: &Path, index_dir: &Path) -> (CodedSpans, Vec<Error>) {
        if let Some(cached) = load_cached(corpus, index_dir) {
            return (cached, Vec::new());
        }
        // Stamped before reading: a file changed meanwhile leaves a stale stamp, never a
        // stale set.
        let stamps = TreeStamps::take(corpus, CODINGS);
        let (set, problems) = CodingSet::load(corpus);
        if problems.is_empty() && index_dir.is_dir() {
            // Only a cache: an index directory that cannot be written costs speed, not
            // results.
            let _ = save(index_dir, &stamps, &set);
        }
        (CodedSpans::Read(set), problems)
    }

    /// The codings for which `keep(coder, source, code)` holds, in the files' order; those
    /// from the cache hold only their code, span and orphaned flag (no quote, memo or
    /// surroundings), all a filter and a hit's codes need.
    pub fn select(&self, keep: impl Fn(&str, &str, &str) -> bool) -> CodingSet {
        match self {
            CodedSpans::Read(set) => CodingSet {
                codings: set
                    .codings
                    .iter()
                    .filter(|p| keep(&p.coder, &p.source, &p.coding.code))
                    .cloned()
                    .collect(),
                ..CodingSet::default()
            },
            CodedSpans::Cached { text, codings_at } => {
                parse_spans(&text[*codings_at..], keep).unwrap_or_default()
            }
        }
    }
}

/// The cache, when it exists, is whole, and every codings file has its stamp. The stat per
/// file (none when a watcher answers for them) runs beside the check that the coding lines
/// parse.
fn load_cached(corpus: &Path, index_dir: &Path) -> Option<CodedSpans> {
    let text = std::fs::read_to_string(index_dir.join(FILE)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let mut stamps = TreeStamps::default();
    let mut codings_at = text.len();
    let mut at = HEADER.len() + 1;
    for line in lines {
        if !stamps.read_line(line)? {
            codings_at = at;
            break;
        }
        at += line.len() + 1;
    }
    stamps.finish_reading();
    if !stamps.dirs_match(corpus, CODINGS) {
        return None;
    }
    std::thread::scope(|scope| {
        // A watcher that answers for the files' stamps spares the stat per file.
        let check = scope.spawn(|| {
            crate::index::watcher::ask(corpus).is_some_and(|d| d.codings == stamps.files_digest())
                || stamps.files_match(corpus, CODINGS)
        });
        // A garbled line (a cut or hand-edited cache) refuses the whole cache.
        let whole = parse_spans(&text[codings_at.min(text.len())..], |_, _, _| false).is_some();
        (check.join().unwrap_or(false) && whole).then_some(())
    })?;
    Some(CodedSpans::Cached {
        codings_at: codings_at.min(text.len()),
        text,
    })
}

/// The coding lines of the cache for which `keep(coder, source, code)` holds; None when a
/// line is garbled.
fn parse_spans(lines: &str, keep: impl Fn(&str, &str, &str) -> bool) -> Option<CodingSet> {
    let created: toml::value::Datetime = "1970-01-01".parse().ok()?;
    let mut set = CodingSet::default();
    for line in lines.lines() {
        let mut fields = line.strip_prefix("c\t")?.split('\t');
        let (coder, source, code) = (fields.next()?, fields.next()?, fields.next()?);
        let start = fields.next()?.parse().ok()?;
        let end = fields.next()?.parse().ok()?;
        let orphaned = fields.next()? == "1";
        if !keep(coder, source, code) {
            continue;
        }
        set.codings.push(Placed {
            coder: coder.to_string(),
            source: source.to_string(),
            coding: Coding {
                id: String::new(),
                code: code.to_string(),
                start,
                end,
                quote: String::new(),
                memo: String::new(),
                created,
                orphaned,
                prefix: String::new(),
                suffix: String::new(),
                original_quote: None,
                review: None,
            },
        });
    }
    Some(set)
}

fn save(index_dir: &Path, stamps: &TreeStamps, set: &CodingSet) -> crate::error::Result<()> {
    use std::fmt::Write;
    let mut text = format!("{HEADER}\n");
    stamps.write_lines(&mut text);
    for placed in &set.codings {
        let fields = [&placed.coder, &placed.source, &placed.coding.code];
        // A name with a tab or newline cannot be written as a line: no cache then.
        if fields.iter().any(|f| f.contains(['\t', '\n', '\r'])) {
            return Ok(());
        }
        let _ = writeln!(
            text,
            "c\t{}\t{}\t{}\t{}\t{}\t{}",
            placed.coder,
            placed.source,
            placed.coding.code,
            placed.coding.start,
            placed.coding.end,
            u8::from(placed.coding.orphaned)
        );
    }
    crate::atomic::write(&index_dir.join(FILE), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(set: &CodingSet) -> Vec<(String, String, String, usize, usize, bool)> {
        set.codings
            .iter()
            .map(|p| {
                (
                    p.coder.clone(),
                    p.source.clone(),
                    p.coding.code.clone(),
                    p.coding.start,
                    p.coding.end,
                    p.coding.orphaned,
                )
            })
            .collect()
    }

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/codings");
        // Coders' directories only (a checkout may hold the codings lock file).
        for coder in std::fs::read_dir(&shipped)
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_dir())
        {
            let to = dir.path().join("codings").join(coder.file_name());
            std::fs::create_dir_all(&to).unwrap();
            for file in std::fs::read_dir(coder.path()).unwrap().flatten() {
                std::fs::copy(file.path(), to.join(file.file_name())).unwrap();
            }
        }
        std::fs::create_dir_all(dir.path().join("index")).unwrap();
        dir
    }

    #[test]
    fn the_cache_gives_the_spans_the_files_give_until_a_file_changes() {
        let dir = project();
        let (corpus, index) = (dir.path(), dir.path().join("index"));
        let (from_files, problems) = CodingSet::load(corpus);
        assert!(problems.is_empty() && !from_files.codings.is_empty());
        let first = CodedSpans::load(corpus, &index).0.select(|_, _, _| true);
        assert!(index.join(FILE).exists(), "written on first use");
        let cached = load_cached(corpus, &index).expect("the cache holds");
        assert!(matches!(cached, CodedSpans::Cached { .. }));
        assert_eq!(spans(&cached.select(|_, _, _| true)), spans(&from_files));
        assert_eq!(spans(&first), spans(&from_files));

        // A selection from the cache is the selection from the files, in their order.
        let source = from_files.codings[0].source.clone();
        let keep = |coder: &str, s: &str, _: &str| s == source && coder != "nobody";
        let from_cache = cached.select(keep);
        assert!(!from_cache.codings.is_empty());
        assert_eq!(
            spans(&from_cache),
            spans(&CodedSpans::Read(from_files.clone()).select(keep))
        );

        // A hand edit in place of one codings file (no rename): the cache no longer holds.
        let file = std::fs::read_dir(corpus.join("codings"))
            .unwrap()
            .flatten()
            .flat_map(|c| std::fs::read_dir(c.path()).unwrap().flatten())
            .map(|f| f.path())
            .find(|p| p.extension().is_some_and(|e| e == "toml"))
            .unwrap();
        let mut handle = std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .unwrap();
        std::io::Write::write_all(&mut handle, b"\n# met de hand\n").unwrap();
        assert!(load_cached(corpus, &index).is_none());
    }

    #[test]
    fn a_garbled_cache_is_not_used() {
        let dir = project();
        let (corpus, index) = (dir.path(), dir.path().join("index"));
        let _ = CodedSpans::load(corpus, &index);
        let text = std::fs::read_to_string(index.join(FILE)).unwrap();
        // A span start that is no number (a hand edit, a cut write), on the last line.
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let last = lines.last_mut().unwrap();
        assert!(last.starts_with("c\t"), "{last}");
        let mut fields: Vec<&str> = last.split('\t').collect();
        fields[4] = "begin";
        *last = fields.join("\t");
        let garbled = lines.join("\n") + "\n";
        std::fs::write(index.join(FILE), garbled).unwrap();
        assert!(load_cached(corpus, &index).is_none());
    }
}
