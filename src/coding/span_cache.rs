//! The coded spans of every codings file — coder, source, code, span, orphaned — kept beside
//! the index, so that a search with a coding filter need not parse every codings file (14 MB
//! of TOML at 100 MB of corpus, most of such a search's time). The cache is derived data:
//! it holds only while every codings file has the stamp it had when the cache was written
//! (see `index::freshness`), else the files are read and the cache written anew.

use std::path::Path;

use super::{Coding, CodingSet, Placed};
use crate::error::Error;
use crate::index::freshness::{CODINGS, TreeStamps, files_digest_now};
use crate::index::span_filter::{PreparedSpans, Spans};

const FILE: &str = "visgraat-coded-spans";
const HEADER: &str = "visgraat-coded-spans 3";

/// The coded spans of a project, for filtering: the cache's lines when no codings file
/// changed since it was written, else every codings file read (and the cache written for
/// next time). A search takes from them only what it needs ([`CodedSpans::select`]): the
/// codings its filter selects, then those of its hits' sources — not all of them.
pub enum CodedSpans {
    /// The cache's text and where its coding lines start.
    Cached {
        text: String,
        /// Every coding line, parsed once (where its fields lie in `text`).
        lines: Vec<SpanLine>,
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
            CodedSpans::Cached { text, lines } => select_lines(text, lines, keep),
        }
    }
}

impl CodedSpans {
    /// The spans, per source, of the codings for which `keep(coder, source, code)` holds and
    /// that are not orphaned: what a coding filter selects, with no coding built.
    pub fn spans(&self, keep: impl Fn(&str, &str, &str) -> bool) -> PreparedSpans {
        let mut out: Spans = Spans::new();
        let mut add = |source: &str, span: (usize, usize)| match out.get_mut(source) {
            Some(list) => list.push(span),
            None => {
                out.insert(source.to_string(), vec![span]);
            }
        };
        match self {
            CodedSpans::Read(set) => {
                for p in set.codings.iter().filter(|p| !p.coding.orphaned) {
                    if keep(&p.coder, &p.source, &p.coding.code) {
                        add(&p.source, (p.coding.start, p.coding.end));
                    }
                }
            }
            CodedSpans::Cached { text, lines } => {
                for line in lines.iter().filter(|l| !l.orphaned) {
                    let source = &text[line.source.clone()];
                    if keep(&text[line.coder.clone()], source, &text[line.code.clone()]) {
                        add(source, (line.start, line.end));
                    }
                }
            }
        }
        PreparedSpans::new(out)
    }
}

/// The cache, when it exists, is whole, and every codings file has its stamp: the digest in
/// the cache's header, from a watcher when one answers for it, else from a stat per file,
/// beside the check that the coding lines parse.
fn load_cached(corpus: &Path, index_dir: &Path) -> Option<CodedSpans> {
    let text = std::fs::read_to_string(index_dir.join(FILE)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let digest_line = lines.next()?;
    let digest = u64::from_str_radix(digest_line.strip_prefix("digest ")?, 16).ok()?;
    // The directories' lines, then the codings'.
    let mut dirs = TreeStamps::default();
    let mut at = HEADER.len() + 1 + digest_line.len() + 1;
    for line in lines {
        if !line.starts_with("d ") {
            break;
        }
        dirs.read_line(line)?;
        at += line.len() + 1;
    }
    dirs.finish_reading();
    let codings_at = at.min(text.len());
    if !dirs.dirs_match(corpus, CODINGS) {
        return None;
    }
    let parsed = std::thread::scope(|scope| {
        // A watcher that answers for the files' stamps spares the stat per file.
        let check = scope.spawn(|| {
            crate::index::watcher::ask(corpus).is_some_and(|d| d.codings == digest)
                || files_digest_now(corpus, CODINGS) == digest
        });
        // A garbled line (a cut or hand-edited cache) refuses the whole cache.
        let parsed = parse_lines(&text, codings_at);
        check.join().unwrap_or(false).then_some(parsed)?
    })?;
    Some(CodedSpans::Cached {
        text,
        lines: parsed,
    })
}

/// One coding line of the cache: where its coder, source and code lie in the cache's text,
/// and its span.
#[derive(Debug)]
pub struct SpanLine {
    coder: std::ops::Range<usize>,
    source: std::ops::Range<usize>,
    code: std::ops::Range<usize>,
    start: usize,
    end: usize,
    orphaned: bool,
}

/// The coding lines of the cache from `at` on; None when one is garbled.
fn parse_lines(text: &str, at: usize) -> Option<Vec<SpanLine>> {
    let mut out = Vec::new();
    for line in text.get(at..)?.split_terminator('\n') {
        let range = |field: &str| {
            let from = field.as_ptr() as usize - text.as_ptr() as usize;
            from..from + field.len()
        };
        let mut fields = line.strip_prefix("c\t")?.split('\t');
        let (coder, source, code) = (fields.next()?, fields.next()?, fields.next()?);
        out.push(SpanLine {
            coder: range(coder),
            source: range(source),
            code: range(code),
            start: fields.next()?.parse().ok()?,
            end: fields.next()?.parse().ok()?,
            orphaned: fields.next()? == "1",
        });
    }
    Some(out)
}

/// The coding lines for which `keep(coder, source, code)` holds, as codings.
fn select_lines(
    text: &str,
    lines: &[SpanLine],
    keep: impl Fn(&str, &str, &str) -> bool,
) -> CodingSet {
    let created: toml::value::Datetime = "1970-01-01".parse().expect("a date");
    let mut set = CodingSet::default();
    for line in lines {
        let (coder, source, code) = (
            &text[line.coder.clone()],
            &text[line.source.clone()],
            &text[line.code.clone()],
        );
        if !keep(coder, source, code) {
            continue;
        }
        set.codings.push(Placed {
            coder: coder.to_string(),
            source: source.to_string(),
            coding: Coding {
                id: String::new(),
                code: code.to_string(),
                start: line.start,
                end: line.end,
                quote: String::new(),
                memo: String::new(),
                created,
                orphaned: line.orphaned,
                prefix: String::new(),
                suffix: String::new(),
                original_quote: None,
                review: None,
            },
        });
    }
    set
}

fn save(index_dir: &Path, stamps: &TreeStamps, set: &CodingSet) -> crate::error::Result<()> {
    use std::fmt::Write;
    let mut text = format!("{HEADER}\ndigest {:016x}\n", stamps.files_digest());
    stamps.write_dir_lines(&mut text);
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
