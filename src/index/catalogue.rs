//! A small catalogue of the sources beside the index: what the TUI's first frame shows (the
//! documents tree: each source's id, kind, case and title in tree order, and the labels of
//! those cases), so that the frame can be drawn before the workspace is loaded. Written
//! whenever the index is built or refreshed (which has the corpus loaded) and by the TUI
//! once it has loaded a corpus the catalogue did not match.
//!
//! It is valid only while the stamps of the directories under `sources/` and of
//! `cases.toml` are the ones it was written with (a dozen stats): a source added, removed or
//! renamed, and every visgraat write, moves a directory's time. A hand edit in place of a
//! title moves none; the first frame then shows the old title until the workspace arrives,
//! a fraction of a second later. Nothing acts on the catalogue: it is only drawn.

use std::collections::BTreeMap;
use std::path::Path;

use std::os::unix::fs::MetadataExt;

use crate::corpus::Corpus;
use crate::corpus::source::SourceKind;
use crate::error::Result;

const FILE: &str = "visgraat-catalogue";
const HEADER: &str = "visgraat-catalogue 1";

/// What the catalogue depends on besides the sources: the cases' labels.
const CASES: &str = "cases.toml";
const SOURCES: &str = "sources";

/// One source as the tree lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub kind: SourceKind,
    pub case: Option<String>,
    pub title: String,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Catalogue {
    /// In the tree's order (`corpus::tree_order`).
    pub sources: Vec<Entry>,
    /// The label of each case a source names, by case id.
    pub cases: BTreeMap<String, String>,
}

impl Catalogue {
    /// The catalogue of a loaded corpus.
    pub fn of(corpus: &Corpus) -> Catalogue {
        let mut catalogue = Catalogue::default();
        // The first case of an id, as `Cases::get` finds it, without a walk per source.
        let mut labels = std::collections::HashMap::new();
        for c in &corpus.cases.cases {
            labels.entry(c.id.as_str()).or_insert(c.label.as_str());
        }
        for i in crate::corpus::tree_order(&corpus.sources, |_| true) {
            let meta = &corpus.sources[i].meta;
            if let Some(case) = &meta.case
                && !catalogue.cases.contains_key(case)
                && let Some(label) = labels.get(case.as_str())
            {
                catalogue.cases.insert(case.clone(), (*label).to_string());
            }
            catalogue.sources.push(Entry {
                id: meta.id.clone(),
                kind: meta.kind,
                case: meta.case.clone(),
                title: meta.title.clone(),
            });
        }
        catalogue
    }

    /// The label of case `id` (the id itself when cases.toml does not name it).
    pub fn case_label<'a>(&'a self, id: &'a str) -> &'a str {
        self.cases.get(id).map_or(id, String::as_str)
    }
}

/// Write the catalogue of `corpus` beside the index at `index_dir` (atomically, and only
/// when it changed). The stamps are taken now, after the corpus was read: a source added
/// in between is missed until the next refresh, as for the index's own stamps.
pub fn save(corpus: &Corpus, index_dir: &Path) -> Result<()> {
    let stamps = DirStamps::take(&corpus.root);
    let text = to_text(&Catalogue::of(corpus), &stamps);
    let path = index_dir.join(FILE);
    if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
        return Ok(());
    }
    crate::atomic::write(&path, text.as_bytes())
}

/// The catalogue beside the index at `index_dir`, if there is one, it reads back whole, and
/// no directory of the corpus at `corpus_root` it depends on changed since it was written.
pub fn load_fresh(corpus_root: &Path, index_dir: &Path) -> Option<Catalogue> {
    let text = std::fs::read_to_string(index_dir.join(FILE)).ok()?;
    let (catalogue, stamps) = from_text(&text)?;
    stamps.matches(corpus_root).then_some(catalogue)
}

fn to_text(catalogue: &Catalogue, stamps: &DirStamps) -> String {
    let mut out = format!("{HEADER}\n");
    for (path, time) in &stamps.dirs {
        out.push_str(&format!("d {time} {path}\n"));
    }
    if let Some((len, time)) = stamps.cases {
        out.push_str(&format!("f {len} {time} {CASES}\n"));
    }
    for (id, label) in &catalogue.cases {
        out.push_str(&format!("c {}\t{}\n", escape(id), escape(label)));
    }
    for e in &catalogue.sources {
        out.push_str(&format!(
            "s {}\t{}\t{}\t{}\n",
            e.kind.as_str(),
            escape(e.case.as_deref().unwrap_or("")),
            escape(&e.id),
            escape(&e.title)
        ));
    }
    // A file cut short at a line's end still reads as lines: the count says it is whole.
    out.push_str(&format!("end {}\n", catalogue.sources.len()));
    out
}

/// None when the text is not a whole catalogue of this version.
fn from_text(text: &str) -> Option<(Catalogue, DirStamps)> {
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let mut catalogue = Catalogue::default();
    let mut stamps = DirStamps::default();
    let mut whole = false;
    for line in lines {
        if whole {
            return None;
        }
        if let Some(count) = line.strip_prefix("end ") {
            whole = count.parse() == Ok(catalogue.sources.len());
            if !whole {
                return None;
            }
        } else if let Some(rest) = line.strip_prefix("c ") {
            let (id, label) = rest.split_once('\t')?;
            catalogue.cases.insert(unescape(id)?, unescape(label)?);
        } else if let Some(rest) = line.strip_prefix("s ") {
            let mut fields = rest.split('\t');
            let kind = SourceKind::parse(fields.next()?)?;
            let case = unescape(fields.next()?)?;
            let id = unescape(fields.next()?)?;
            let title = unescape(fields.next()?)?;
            if fields.next().is_some() {
                return None;
            }
            catalogue.sources.push(Entry {
                id,
                kind,
                case: (!case.is_empty()).then_some(case),
                title,
            });
        } else if let Some(rest) = line.strip_prefix("d ") {
            let (time, path) = rest.split_once(' ')?;
            stamps.dirs.push((path.to_string(), time.parse().ok()?));
        } else if let Some(rest) = line.strip_prefix("f ") {
            let mut parts = rest.splitn(3, ' ');
            let len = parts.next()?.parse().ok()?;
            let time = parts.next()?.parse().ok()?;
            if parts.next()? != CASES {
                return None;
            }
            stamps.cases = Some((len, time));
        } else {
            return None;
        }
    }
    whole.then_some((catalogue, stamps))
}

/// A file's size and modification time (nanoseconds since the epoch).
type Stamp = (u64, i128);

fn mtime(meta: &std::fs::Metadata) -> i128 {
    i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec())
}

fn file_stamp(path: &Path) -> Option<Stamp> {
    std::fs::metadata(path).ok().map(|m| (m.len(), mtime(&m)))
}

/// What the catalogue is valid by: the time of every directory under `sources/` (a source
/// added, removed or renamed moves its directory's) and the stamp of `cases.toml`. Taken
/// from the directory entries' types: a stat per directory, none per source.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct DirStamps {
    dirs: Vec<(String, i128)>,
    cases: Option<Stamp>,
}

impl DirStamps {
    fn take(root: &Path) -> DirStamps {
        let mut stamps = DirStamps {
            dirs: Vec::new(),
            cases: file_stamp(&root.join(CASES)),
        };
        let mut seen = std::collections::HashSet::new();
        stamps.walk(root, &root.join(SOURCES), &mut seen);
        stamps.dirs.sort_unstable();
        stamps
    }

    /// Links are followed (as the corpus loader does), loops cut.
    fn walk(&mut self, root: &Path, dir: &Path, seen: &mut std::collections::HashSet<(u64, u64)>) {
        let Ok(meta) = std::fs::metadata(dir) else {
            return;
        };
        if !seen.insert((meta.dev(), meta.ino())) {
            return;
        }
        let rel = dir.strip_prefix(root).unwrap_or(dir).to_string_lossy();
        self.dirs.push((rel.into_owned(), mtime(&meta)));
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let is_dir = match entry.file_type() {
                Ok(t) if t.is_dir() => true,
                Ok(t) if t.is_symlink() => entry.path().is_dir(),
                _ => false,
            };
            if is_dir {
                self.walk(root, &entry.path(), seen);
            }
        }
    }

    /// True when no directory it holds moved and `cases.toml` is as it was: a stat each.
    fn matches(&self, root: &Path) -> bool {
        // `sources/` made since (there was none then) is a change too.
        let tree_same = !self.dirs.is_empty() || !root.join(SOURCES).exists();
        tree_same
            && file_stamp(&root.join(CASES)) == self.cases
            && self.dirs.iter().all(|(path, time)| {
                std::fs::metadata(root.join(path)).is_ok_and(|m| mtime(&m) == *time)
            })
    }
}

/// A field on one line: backslash, tab and line breaks written as `\\`, `\t`, `\n`, `\r`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            '\\' => '\\',
            't' => '\t',
            'n' => '\n',
            'r' => '\r',
            _ => return None,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, case: Option<&str>, title: &str) -> Entry {
        Entry {
            id: id.into(),
            kind: SourceKind::Transcript,
            case: case.map(Into::into),
            title: title.into(),
        }
    }

    #[test]
    fn the_text_reads_back_whole_also_with_tabs_and_line_breaks_in_a_title() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sources/transcript")).unwrap();
        let catalogue = Catalogue {
            sources: vec![
                entry(
                    "a",
                    Some("fg-1"),
                    "Een\ttitel\nover twee regels \\ met backslash",
                ),
                entry("b", None, "Twee"),
            ],
            cases: [("fg-1".to_string(), "Focusgroep 1".to_string())].into(),
        };
        std::fs::write(dir.path().join("sources/transcript/a.md"), "een").unwrap();
        std::fs::write(dir.path().join("cases.toml"), "").unwrap();
        let taken = DirStamps::take(dir.path());
        let text = to_text(&catalogue, &taken);
        assert!(!text.contains("a.md"), "no stamp per source:\n{text}");
        let (read, stamps) = from_text(&text).unwrap();
        assert_eq!((&read, &stamps), (&catalogue, &taken));
        assert!(stamps.matches(dir.path()));
        std::fs::create_dir(dir.path().join("sources/letter")).unwrap();
        assert!(
            !stamps.matches(dir.path()),
            "a new directory under sources/"
        );
        let stamps = DirStamps::take(dir.path());
        assert!(stamps.matches(dir.path()));
        std::fs::write(dir.path().join("cases.toml"), "[[case]]").unwrap();
        assert!(!stamps.matches(dir.path()), "cases.toml is stamped");
    }

    #[test]
    fn a_garbled_or_foreign_file_is_no_catalogue() {
        assert_eq!(from_text(""), None);
        assert_eq!(from_text("visgraat-catalogue 0\n"), None);
        assert_eq!(from_text("visgraat-catalogue 1\ns transcript\tx\n"), None);
        assert_eq!(from_text("visgraat-catalogue 1\ns memo\t\ta\tA\n"), None);
        assert_eq!(from_text("visgraat-catalogue 1\nc a\\qb\tx\n"), None);
        assert_eq!(from_text("visgraat-catalogue 1\nwhat\n"), None);
        // Cut short at a line's end, or with more after its end.
        let whole = "visgraat-catalogue 1\ns letter\t\ta\tA\ns letter\t\tb\tB\nend 2\n";
        assert!(from_text(whole).is_some());
        assert_eq!(
            from_text("visgraat-catalogue 1\ns letter\t\ta\tA\nend 2\n"),
            None
        );
        assert_eq!(from_text(&whole.replace("end 2\n", "")), None);
        assert_eq!(from_text(&format!("{whole}s letter\t\tc\tC\n")), None);
    }
}
