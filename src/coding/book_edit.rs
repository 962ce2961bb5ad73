//! Editing the code book: create, rename, redefine, merge, split and move codes, and the
//! cases' own fishbone sheets. Codings follow a merge (their files are rewritten), and every
//! edit returns the before and after state of the files it touched, so it can be undone.
//! Each file is written atomically; `visgraat check` finds a half-done edit after a crash.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::atomic;
use crate::coding::{self, CodingFile};
use crate::corpus::cases::{Cases, FishboneSheet};
use crate::corpus::codebook::{Code, Codebook, FISHBONE, Level, Valence};
use crate::error::{Error, Result};

/// The contents of the files an edit touches (`None`: the file did not exist).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    /// The corpus directory: restoring holds its codings write lock.
    pub root: PathBuf,
    pub files: BTreeMap<PathBuf, Option<String>>,
}

impl Snapshot {
    fn take(root: &Path, paths: &[PathBuf]) -> Snapshot {
        Snapshot {
            root: root.to_path_buf(),
            files: paths
                .iter()
                .map(|p| (p.clone(), std::fs::read_to_string(p).ok()))
                .collect(),
        }
    }

    /// Write every file back as it was in this snapshot.
    fn restore(&self) -> Result<()> {
        let _lock = coding::lock::acquire(&self.root)?;
        self.write_back()
    }

    fn write_back(&self) -> Result<()> {
        for (path, contents) in &self.files {
            match contents {
                Some(text) => atomic::write(path, text.as_bytes())?,
                None => {
                    if path.exists() {
                        std::fs::remove_file(path).map_err(|e| Error::io(path, e))?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// An applied edit: the files before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct BookEdit {
    pub before: Snapshot,
    pub after: Snapshot,
}

impl BookEdit {
    /// Put the files back as they were before the edit, if nobody changed them since.
    pub fn undo(&self) -> Result<()> {
        Self::swap(&self.after, &self.before)
    }

    /// Make the edit again, if nobody changed the files since it was undone.
    pub fn redo(&self) -> Result<()> {
        Self::swap(&self.before, &self.after)
    }

    /// Replace `expected` by `wanted` under the lock; refuse when another process (a second
    /// TUI, `visgraat code`, an editor) changed one of the files meanwhile, because writing
    /// the old contents back would silently drop that change.
    fn swap(expected: &Snapshot, wanted: &Snapshot) -> Result<()> {
        let _lock = coding::lock::acquire(&expected.root)?;
        for (path, contents) in &expected.files {
            if std::fs::read_to_string(path).ok() != *contents {
                return Err(Error::Usage(format!(
                    "{} was changed by another process since; not undone or redone, to keep that change",
                    path.display()
                )));
            }
        }
        wanted.write_back()
    }
}

/// Refuse an edit made on a stale view: another process changed the code book or the cases
/// since this one loaded them, and saving its copy would drop that change.
pub(super) fn ensure_current(
    root: &Path,
    book: Option<&Codebook>,
    cases: Option<&Cases>,
) -> Result<()> {
    let stale = |what: &Path| {
        Err(Error::Usage(format!(
            "{} was changed by another process: reloaded, try again",
            what.display()
        )))
    };
    if let Some(book) = book {
        let path = codebook_path(root);
        // Only a book read whole is written back: saving one with skipped entries would
        // delete them from the file.
        let on_disk = Codebook::load_whole(&path).map_err(|e| {
            Error::Usage(format!(
                "{e}\nfix codebook.toml first: an edit here would save the code book without the entries that could not be read"
            ))
        })?;
        if on_disk != *book {
            return stale(&path);
        }
    }
    if let Some(cases) = cases {
        let path = cases_path(root);
        let on_disk = match crate::text_file::read_optional(&path)? {
            Some(_) => Cases::load(&path)?,
            None => Cases::default(),
        };
        if on_disk != *cases {
            return stale(&path);
        }
    }
    Ok(())
}

pub(super) fn codebook_path(root: &Path) -> PathBuf {
    root.join("codebook.toml")
}

pub(super) fn cases_path(root: &Path) -> PathBuf {
    root.join("cases.toml")
}

/// Serialise keeping the file's comments: its leading block (its explanation for people)
/// and those before its entries (`book_comments`).
fn keeping_comments(path: &Path, body: &str) -> String {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    super::book_comments::keep_comments(&old, body)
}

pub(super) fn save_book(root: &Path, book: &Codebook) -> Result<()> {
    let path = codebook_path(root);
    let body = toml::to_string(book).map_err(|e| Error::invalid(&path, None, e.to_string()))?;
    atomic::write(&path, keeping_comments(&path, &body).as_bytes())
}

/// Write the cases' sheets into cases.toml in place, so its comments and layout stay; a file
/// whose cases differ otherwise (or that does not parse) is written whole.
fn save_cases(root: &Path, cases: &Cases) -> Result<()> {
    let path = cases_path(root);
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    if let Some(text) = super::case_edit::with_sheets(&old, cases)
        && Cases::parse(&path, &text).is_ok_and(|written| written == *cases)
    {
        return atomic::write(&path, text.as_bytes());
    }
    let body = toml::to_string(cases).map_err(|e| Error::invalid(&path, None, e.to_string()))?;
    atomic::write(&path, keeping_comments(&path, &body).as_bytes())
}

/// Run `change` with the files at `paths` snapshotted before and after, under the write
/// lock, after checking that the code book and cases the edit was made on are still current.
pub(super) fn edit(
    root: &Path,
    paths: Vec<PathBuf>,
    seen: (Option<&Codebook>, Option<&Cases>),
    change: impl FnOnce() -> Result<()>,
) -> Result<BookEdit> {
    let before = {
        let _lock = coding::lock::acquire(root)?;
        ensure_current(root, seen.0, seen.1)?;
        let before = Snapshot::take(root, &paths);
        if let Err(e) = change() {
            drop(_lock);
            before.restore()?;
            return Err(e);
        }
        before
    };
    Ok(BookEdit {
        before,
        after: Snapshot::take(root, &paths),
    })
}

fn find<'a>(book: &'a mut Codebook, id: &str) -> Result<&'a mut Code> {
    book.codes
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or_else(|| Error::Usage(format!("no code {id:?} in the code book")))
}

/// A code id from a label: lowercase, accents folded, words joined by hyphens; fishbone
/// codes start with their level; made unique in `book`.
pub fn id_for(book: &Codebook, label: &str, level: Option<Level>) -> String {
    let base = id_base(label, level);
    let mut id = base.clone();
    let mut n = 2;
    while book.code(&id).is_some() {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// The id [`id_for`] starts from, before it is made unique: `base`, then `base-2`, `base-3`, …
pub fn id_base(label: &str, level: Option<Level>) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = label
        .to_lowercase()
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let words: Vec<&str> = folded.split('-').filter(|w| !w.is_empty()).collect();
    let mut base = words.join("-");
    if base.is_empty() {
        base = "code".into();
    }
    if let Some(level) = level
        && !base.starts_with(level.as_str())
    {
        base = format!("{}-{base}", level.as_str());
    }
    base
}

/// A new code beside `sibling` (same group, level and valence), placed after it.
pub fn add_code(
    root: &Path,
    book: &Codebook,
    sibling: &str,
    label: &str,
    definition: &str,
) -> Result<(BookEdit, String)> {
    let label = label.trim();
    if label.is_empty() {
        return Err(Error::Usage("a code needs a label".into()));
    }
    let seen = book;
    let mut book = book.clone();
    let at = book
        .codes
        .iter()
        .position(|c| c.id == sibling)
        .ok_or_else(|| Error::Usage(format!("no code {sibling:?}")))?;
    let template = book.codes[at].clone();
    let id = id_for(&book, label, template.level);
    book.codes.insert(
        at + 1,
        Code {
            id: id.clone(),
            label: label.to_string(),
            definition: definition.to_string(),
            // A new code: not the other tool's code its sibling may have come from.
            guid: None,
            ..template
        },
    );
    let e = edit(root, vec![codebook_path(root)], (Some(seen), None), || {
        save_book(root, &book)
    })?;
    Ok((e, id))
}

pub fn rename(root: &Path, book: &Codebook, id: &str, label: &str) -> Result<BookEdit> {
    if label.trim().is_empty() {
        return Err(Error::Usage("a code needs a label".into()));
    }
    let seen = book;
    let mut book = book.clone();
    find(&mut book, id)?.label = label.trim().to_string();
    edit(root, vec![codebook_path(root)], (Some(seen), None), || {
        save_book(root, &book)
    })
}

pub fn define(root: &Path, book: &Codebook, id: &str, definition: &str) -> Result<BookEdit> {
    if definition.trim().is_empty() {
        return Err(Error::Usage(
            "a definition cannot be empty: coders need it".into(),
        ));
    }
    let seen = book;
    let mut book = book.clone();
    find(&mut book, id)?.definition = definition.trim().to_string();
    edit(root, vec![codebook_path(root)], (Some(seen), None), || {
        save_book(root, &book)
    })
}

/// Move a fishbone code to another level and/or valence.
pub fn move_code(
    root: &Path,
    book: &Codebook,
    id: &str,
    level: Level,
    valence: Valence,
) -> Result<BookEdit> {
    let seen = book;
    let mut book = book.clone();
    let code = find(&mut book, id)?;
    if code.group != FISHBONE {
        return Err(Error::Usage(format!(
            "{id} is not a fishbone code: it has no level or valence"
        )));
    }
    code.level = Some(level);
    code.valence = Some(valence);
    edit(root, vec![codebook_path(root)], (Some(seen), None), || {
        save_book(root, &book)
    })
}

/// Split: a new code beside `id` whose definition says where it came from; recode the
/// passages that belong to it afterwards.
pub fn split(root: &Path, book: &Codebook, id: &str, label: &str) -> Result<(BookEdit, String)> {
    split_saying(root, book, id, label, "Split from")
}

/// [`split`], the new definition starting with `split_from` (the UI's language).
pub fn split_saying(
    root: &Path,
    book: &Codebook,
    id: &str,
    label: &str,
    split_from: &str,
) -> Result<(BookEdit, String)> {
    let from = book
        .code(id)
        .ok_or_else(|| Error::Usage(format!("no code {id:?}")))?;
    let definition = format!("{split_from} “{}”: {}", from.label, from.definition);
    add_code(root, book, id, label, &definition)
}

/// Merge `from` into `into`: every coding of `from` (all coders) is recoded, case sheets
/// follow, and `from` leaves the code book.
pub fn merge(
    root: &Path,
    book: &Codebook,
    cases: &Cases,
    from: &str,
    into: &str,
) -> Result<BookEdit> {
    if from == into {
        return Err(Error::Usage("a code cannot be merged into itself".into()));
    }
    if book.code(into).is_none() || book.code(from).is_none() {
        return Err(Error::Usage(format!(
            "merge needs two existing codes ({from}, {into})"
        )));
    }
    let (codings, problems) = coding::CodingSet::load(root);
    if let Some(p) = problems.first() {
        return Err(Error::Usage(format!("fix the codings first ({p})")));
    }
    let mut touched: BTreeMap<PathBuf, ()> = BTreeMap::new();
    for c in codings.codings.iter().filter(|c| c.coding.code == from) {
        touched.insert(coding::file_path(root, &c.coder, &c.source), ());
    }
    let mut paths: Vec<PathBuf> = touched.keys().cloned().collect();
    paths.push(codebook_path(root));
    paths.push(cases_path(root));
    // Framework summaries of the merged code follow it too (undo puts them back).
    let framework_path = coding::framework::path(root);
    let framework = framework_path
        .exists()
        .then(|| coding::framework::load(root))
        .transpose()?;
    if framework.is_some() {
        paths.push(framework_path);
    }
    let seen = book;
    let mut book = book.clone();
    book.codes.retain(|c| c.id != from);
    let seen_cases = cases;
    let mut cases = cases.clone();
    for case in &mut cases.cases {
        if let Some(sheet) = &mut case.fishbone {
            for code in &mut sheet.codes {
                if code == from {
                    *code = into.to_string();
                }
            }
            let mut seen = Vec::new();
            sheet.codes.retain(|c| {
                if seen.contains(c) {
                    false
                } else {
                    seen.push(c.clone());
                    true
                }
            });
        }
    }
    edit(root, paths.clone(), (Some(seen), Some(seen_cases)), || {
        for path in touched.keys() {
            let mut file: CodingFile = coding::load_file(path)?;
            for c in &mut file.codings {
                if c.code == from {
                    c.code = into.to_string();
                }
            }
            coding::save_file(path, &file)?;
        }
        if let Some(mut framework) = framework {
            coding::framework::merge_code(&mut framework, from, into);
            coding::framework::save(root, &framework)?;
        }
        save_cases(root, &cases)?;
        save_book(root, &book)
    })
}

/// Change `case`'s own fishbone sheet with `change` (given the sheet, made if the case has
/// none) and write cases.toml as one edit; with `drop_empty`, a sheet left with no codes
/// and no note goes.
fn edit_sheet<R>(
    root: &Path,
    cases: &Cases,
    case: &str,
    drop_empty: bool,
    change: impl FnOnce(&mut FishboneSheet) -> R,
) -> Result<(BookEdit, R)> {
    let mut changed = cases.clone();
    let target = changed
        .cases
        .iter_mut()
        .find(|c| c.id == case)
        .ok_or_else(|| Error::Usage(format!("no case {case:?}")))?;
    let sheet = target.fishbone.get_or_insert_with(FishboneSheet::default);
    let out = change(sheet);
    if drop_empty && sheet.codes.is_empty() && sheet.note.is_empty() {
        target.fishbone = None;
    }
    let e = edit(root, vec![cases_path(root)], (None, Some(cases)), || {
        save_cases(root, &changed)
    })?;
    Ok((e, out))
}

/// Put `code` on `case`'s own fishbone sheet, or take it off; true when it is on now. A
/// sheet left with no codes and no note goes, as with the note: on and off again leaves
/// cases.toml as it was.
pub fn toggle_on_sheet(
    root: &Path,
    cases: &Cases,
    case: &str,
    code: &str,
) -> Result<(BookEdit, bool)> {
    edit_sheet(root, cases, case, true, |sheet| {
        if let Some(at) = sheet.codes.iter().position(|c| c == code) {
            sheet.codes.remove(at);
            false
        } else {
            sheet.codes.push(code.to_string());
            true
        }
    })
}

/// Write `note` on `case`'s own fishbone sheet (an empty note removes it; a sheet with no
/// codes and no note is removed).
pub fn set_sheet_note(root: &Path, cases: &Cases, case: &str, note: &str) -> Result<BookEdit> {
    edit_sheet(root, cases, case, true, |sheet| {
        sheet.note = note.trim().to_string();
    })
    .map(|(e, ())| e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::codebook::Group;

    fn book() -> Codebook {
        let code = |id: &str, level| Code {
            id: id.into(),
            label: id.into(),
            group: FISHBONE.into(),
            level: Some(level),
            valence: Some(Valence::Belemmerend),
            definition: "synthetic".into(),
            color: None,
            parent: None,
            guid: None,
        };
        Codebook {
            groups: vec![Group {
                id: FISHBONE.into(),
                label: "Fishbone".into(),
                description: String::new(),
                guid: None,
                flat: false,
            }],
            codes: vec![code("team-a", Level::Team), code("team-b", Level::Team)],
            ..Codebook::default()
        }
    }

    #[test]
    fn ids_are_slugs_with_level_and_unique() {
        let b = book();
        assert_eq!(
            id_for(
                &b,
                "Wachtlijsten in de jeugdzorg",
                Some(Level::Maatschappij)
            ),
            "maatschappij-wachtlijsten-in-de-jeugdzorg"
        );
        assert_eq!(id_for(&b, "A", Some(Level::Team)), "team-a-2");
        assert_eq!(id_for(&b, "Één ‘idee’", None), "een-idee");
    }

    #[test]
    fn merge_recodes_codings_and_can_be_undone() {
        let dir = tempfile_dir();
        let b = book();
        std::fs::write(dir.join("codebook.toml"), toml::to_string(&b).unwrap()).unwrap();
        std::fs::write(dir.join("cases.toml"), "").unwrap();
        let src = crate::corpus::source::Source::parse(
            Path::new("s.md"),
            "+++\nid = \"s\"\nkind = \"transcript\"\ntitle = \"t\"\nprovenance = \"synthetic\"\n+++\nDocent 1: te veel werk.\n",
        )
        .unwrap();
        coding::add(&dir, "ana", &src, 0, 8, "team-a", "").unwrap();
        let e = merge(&dir, &b, &Cases::default(), "team-a", "team-b").unwrap();
        let (set, _) = coding::CodingSet::load(&dir);
        assert_eq!(set.codings[0].coding.code, "team-b");
        assert!(
            Codebook::load_whole(&dir.join("codebook.toml"))
                .unwrap()
                .code("team-a")
                .is_none()
        );
        e.undo().unwrap();
        let (set, _) = coding::CodingSet::load(&dir);
        assert_eq!(set.codings[0].coding.code, "team-a");
        assert!(
            Codebook::load_whole(&dir.join("codebook.toml"))
                .unwrap()
                .code("team-a")
                .is_some()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn edits_on_a_stale_view_and_undo_over_a_foreign_change_are_refused() {
        let dir = tempfile_dir();
        let b = book();
        std::fs::write(dir.join("codebook.toml"), toml::to_string(&b).unwrap()).unwrap();
        // Another process adds a code after this one loaded the book.
        let (other, _) = add_code(&dir, &b, "team-a", "Roosters", "synthetic").unwrap();
        let err = rename(&dir, &b, "team-b", "Nieuw").unwrap_err().to_string();
        assert!(err.contains("changed by another process"), "{err}");
        let now = Codebook::load_whole(&dir.join("codebook.toml")).unwrap();
        assert!(
            now.code("team-roosters").is_some(),
            "the other change is kept"
        );

        // On the current view the edit goes through; undoing the other process's edit now
        // would drop it, so that is refused too.
        let mine = rename(&dir, &now, "team-b", "Nieuw").unwrap();
        let err = other.undo().unwrap_err().to_string();
        assert!(err.contains("not undone"), "{err}");
        mine.undo().unwrap();
        mine.redo().unwrap();
        let now = Codebook::load_whole(&dir.join("codebook.toml")).unwrap();
        assert_eq!(now.code("team-b").unwrap().label, "Nieuw");
        assert!(now.code("team-roosters").is_some());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "visgraat-book-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
