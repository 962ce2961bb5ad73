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

/// The codings of the corpus at `corpus` for filtering: from the cache in `index_dir` when
/// no codings file changed since it was written — then each coding holds only its code,
/// span and orphaned flag (no quote, memo or surroundings), all a filter and a hit's codes
/// need — else every file is read (and the cache written for next time). Problems as
/// [`CodingSet::load`]; a set with problems is never cached, so they are reported each time.
pub fn load(corpus: &Path, index_dir: &Path) -> (CodingSet, Vec<Error>) {
    if let Some(cached) = load_cached(corpus, index_dir) {
        return (cached, Vec::new());
    }
    // Stamped before reading: a file changed meanwhile leaves a stale stamp, never a stale set.
    let stamps = TreeStamps::take(corpus, CODINGS);
    let (set, problems) = CodingSet::load(corpus);
    if problems.is_empty() && index_dir.is_dir() {
        // Only a cache: an index directory that cannot be written costs speed, not results.
        let _ = save(index_dir, &stamps, &set);
    }
    (set, problems)
}

/// The cached set, when the cache exists and every codings file has its stamp. The stat per
/// file runs beside the parsing of the cache.
fn load_cached(corpus: &Path, index_dir: &Path) -> Option<CodingSet> {
    let text = std::fs::read_to_string(index_dir.join(FILE)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let mut stamps = TreeStamps::default();
    let mut spans = Vec::new();
    for line in lines {
        if !stamps.read_line(line)? {
            spans.push(line);
        }
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
        let set = parse_spans(&spans);
        check.join().unwrap_or(false).then_some(set).flatten()
    })
}

fn parse_spans(lines: &[&str]) -> Option<CodingSet> {
    let created: toml::value::Datetime = "1970-01-01".parse().ok()?;
    let mut set = CodingSet::default();
    for line in lines {
        let mut fields = line.strip_prefix("c\t")?.split('\t');
        let (coder, source, code) = (fields.next()?, fields.next()?, fields.next()?);
        let start = fields.next()?.parse().ok()?;
        let end = fields.next()?.parse().ok()?;
        let orphaned = fields.next()? == "1";
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
        let (first, _) = load(corpus, &index);
        assert!(index.join(FILE).exists(), "written on first use");
        let cached = load_cached(corpus, &index).expect("the cache holds");
        assert_eq!(spans(&cached), spans(&from_files));
        assert_eq!(spans(&first), spans(&from_files));

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
}
