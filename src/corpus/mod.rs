//! The corpus: the plain-text source of truth (sources, quotes, code book, cases, project)
//! and the import code that builds it from extracted documents.

pub mod cases;
pub mod codebook;
pub mod import_plan;
pub mod leaks;
pub mod level;
pub mod markdown;
pub mod participants;
pub mod pdf_text;
pub mod project;
pub mod pseudonyms;
pub mod quotes;
pub mod source;
pub mod speakers;
pub mod transcript;
pub mod turn;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use cases::Cases;
use codebook::Codebook;
use project::Project;
use quotes::Quote;
use source::{Segment, Source};

/// The loaded corpus. Loading never stops at the first bad file: each problem is kept in
/// `problems` (with file and line) and the rest of the corpus stays usable.
#[derive(Debug, Default)]
pub struct Corpus {
    pub root: PathBuf,
    pub project: Option<Project>,
    pub codebook: Codebook,
    pub cases: Cases,
    pub sources: Vec<Source>,
    pub quotes: HashMap<String, Vec<Quote>>,
    pub problems: Vec<Error>,
    /// Memos on codes, sources and cases.
    pub memos: crate::coding::memos::Memos,
    /// Position of each source by id, built on first lookup.
    by_id: std::sync::OnceLock<HashMap<String, usize>>,
}

impl Corpus {
    pub fn load(root: &Path) -> Result<Corpus> {
        Corpus::load_with(root, &crate::progress::Silent)
    }

    /// [`Corpus::load`], reporting the source files read to `progress`.
    pub fn load_with(root: &Path, progress: &dyn crate::progress::Progress) -> Result<Corpus> {
        if !root.is_dir() {
            return Err(Error::invalid(
                root,
                None,
                "corpus directory not found (see corpus = … in config.toml)",
            ));
        }
        let mut corpus = Corpus {
            root: root.to_path_buf(),
            ..Default::default()
        };
        let (project, problems) = Project::load(&root.join("project.toml"));
        corpus.project = project;
        corpus.problems.extend(problems);
        let (codebook, problems) = Codebook::load(&root.join("codebook.toml"));
        corpus.codebook = codebook;
        corpus.problems.extend(problems);
        match crate::coding::memos::load(root) {
            Ok(m) => corpus.memos = m,
            Err(e) => corpus.problems.push(e),
        }
        let cases_path = root.join("cases.toml");
        if cases_path.exists() {
            match Cases::load(&cases_path) {
                Ok(c) => corpus.cases = c,
                Err(e) => corpus.problems.push(e),
            }
        }
        let mut files = Vec::new();
        collect_files(
            &root.join("sources"),
            "md",
            &mut files,
            &mut corpus.problems,
        );
        // `collect_files` lists them in path order already.
        debug_assert!(files.is_sorted());
        progress.stage(crate::progress::Stage::ReadingCorpus, files.len() as u64);
        let loaded = load_all(files, progress);
        crate::progress::check(progress)?;
        let mut ids: BTreeMap<String, PathBuf> = BTreeMap::new();
        for (path, loaded) in loaded {
            match loaded {
                Ok(src) => {
                    if let Some(first) = ids.get(&src.meta.id) {
                        corpus.problems.push(Error::invalid(
                            &path,
                            Some(2),
                            format!(
                                "duplicate source id {:?} (also in {})",
                                src.meta.id,
                                first.display()
                            ),
                        ));
                        continue;
                    }
                    ids.insert(src.meta.id.clone(), path.clone());
                    corpus.sources.push(src);
                }
                Err(e) => corpus.problems.push(e),
            }
        }
        let mut quote_files = Vec::new();
        collect_files(
            &root.join("quotes"),
            "toml",
            &mut quote_files,
            &mut corpus.problems,
        );
        let loaded = par_map(quote_files, |path| {
            let id = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            (id, quotes::load(&path))
        });
        for (id, result) in loaded {
            match result {
                Ok(q) => {
                    corpus.quotes.insert(id, q);
                }
                Err(e) => corpus.problems.push(e),
            }
        }
        Ok(corpus)
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.source_index(id).map(|i| &self.sources[i])
    }

    /// The position of source `id` in `sources`.
    pub fn source_index(&self, id: &str) -> Option<usize> {
        let by_id = self.by_id.get_or_init(|| {
            self.sources
                .iter()
                .enumerate()
                .map(|(i, s)| (s.meta.id.clone(), i))
                .collect()
        });
        match by_id.get(id) {
            Some(&i) if self.sources.get(i).is_some_and(|s| s.meta.id == id) => Some(i),
            // `sources` was changed after the lookup table was built.
            _ => self.sources.iter().position(|s| s.meta.id == id),
        }
    }

    pub fn quotes_of(&self, source_id: &str) -> &[Quote] {
        self.quotes
            .get(source_id)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The case of a segment: its source's case, or a passage tie from cases.toml inside it.
    pub fn case_of<'a>(&'a self, source: &'a Source, segment: &Segment) -> Option<&'a str> {
        self.case_of_span(source, segment.start, segment.end)
    }

    /// The case of a char span: its source's case, or the case whose tied passage overlaps
    /// the span. Ties are spans, not paragraphs, so a paragraph that also speaks of other
    /// teams does not make all its codings that case's.
    pub fn case_of_span<'a>(
        &'a self,
        source: &'a Source,
        start: usize,
        end: usize,
    ) -> Option<&'a str> {
        if let Some(case) = &source.meta.case {
            return Some(case);
        }
        self.cases
            .cases
            .iter()
            .find(|c| {
                c.passages
                    .iter()
                    .filter(|p| p.source == source.meta.id)
                    .any(|p| {
                        source
                            .body
                            .match_indices(p.quote.as_str())
                            .any(|(byte, _)| {
                                let s = source.body[..byte].chars().count();
                                let e = s + p.quote.chars().count();
                                s < end && start < e
                            })
                    })
            })
            .map(|c| c.id.as_str())
    }
}

/// Load source files on all cores (reading and parsing 100 MB is most of a cold start), in
/// the order given.
fn load_all(
    files: Vec<PathBuf>,
    progress: &dyn crate::progress::Progress,
) -> Vec<(PathBuf, Result<Source>)> {
    par_map(files, |p| {
        let loaded = Source::load(&p);
        progress.advance(1);
        (p, loaded)
    })
}

/// `f` over `items` on all cores (up to 8), results in the order of `items`. Small inputs
/// stay on this thread.
pub(crate) fn par_map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8);
    if workers == 1 || items.len() < 64 {
        return items.into_iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(workers);
    let mut parts: Vec<Vec<T>> = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        parts.push(items.by_ref().take(chunk).collect());
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker thread does not panic"))
            .collect()
    })
}

/// Files with extension `ext` under `dir`, recursively. Symbolic links are followed (a
/// team may link a shared folder of transcripts in), but a directory already visited is
/// reported as a link loop and skipped, so a loop cannot hang the load.
/// The order the documents tree lists sources in (indices into `sources`): by kind, then the
/// sources of a case grouped under it (by case id), then the rest; within each, by the first
/// line their provenance names (sources cut from one document keep its order), then title.
/// Only the sources `keep` accepts. The TUI's tree and the index's catalogue both use it.
pub fn tree_order(sources: &[Source], keep: impl Fn(&Source) -> bool) -> Vec<usize> {
    let mut order = Vec::with_capacity(sources.len());
    for kind in source::SourceKind::ALL {
        let mut ids: Vec<usize> = (0..sources.len())
            .filter(|&i| sources[i].meta.kind == kind && keep(&sources[i]))
            .collect();
        // Each key once, borrowed: thousands of sources are ordered on every refresh.
        ids.sort_by_cached_key(|&i| {
            let meta = &sources[i].meta;
            (
                meta.case.is_none(),
                meta.case.as_deref(),
                first_line(&meta.provenance),
                meta.title.as_str(),
            )
        });
        order.extend(ids);
    }
    order
}

/// The first line number a provenance like "report.txt lines 613-663" names.
fn first_line(provenance: &str) -> usize {
    provenance
        .split_once(" lines ")
        .and_then(|(_, r)| r.split(['-', ',']).next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(usize::MAX)
}

pub(crate) fn collect_files(
    dir: &Path,
    ext: &str,
    out: &mut Vec<PathBuf>,
    problems: &mut Vec<Error>,
) {
    let mut visited = std::collections::HashSet::new();
    collect_files_in(dir, ext, out, problems, &mut visited);
}

fn collect_files_in(
    dir: &Path,
    ext: &str,
    out: &mut Vec<PathBuf>,
    problems: &mut Vec<Error>,
    visited: &mut std::collections::HashSet<PathBuf>,
) {
    if let Ok(real) = std::fs::canonicalize(dir)
        && !visited.insert(real.clone())
    {
        problems.push(Error::invalid(
            dir,
            None,
            format!(
                "symbolic link loop: this leads back to {}; skipped",
                real.display()
            ),
        ));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => {
            problems.push(Error::io(dir, e));
            return;
        }
    };
    let mut items: Vec<(std::ffi::OsString, PathBuf, Option<std::fs::FileType>)> = entries
        .flatten()
        .map(|e| (e.file_name(), e.path(), e.file_type().ok()))
        .collect();
    // Entries of one directory differ only in their name: comparing names (as readdir gives
    // them) is the same order as comparing paths, without splitting thousands of paths into
    // components. Depth first in that order, `out` comes out sorted as paths sort.
    items.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (_, path, file_type) in items {
        // The directory entry's type costs nothing; only a link needs a stat to follow it.
        let is_dir = match file_type {
            Some(t) if t.is_dir() => true,
            Some(t) if t.is_file() => false,
            _ => match std::fs::metadata(&path) {
                Ok(meta) => meta.is_dir(),
                // A dangling or looping link with our extension: say so, it was meant to be
                // read.
                Err(e) => {
                    if path.extension().is_some_and(|x| x == ext) {
                        problems.push(Error::io(&path, e));
                    }
                    continue;
                }
            },
        };
        if is_dir {
            collect_files_in(&path, ext, out, problems, visited);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}
