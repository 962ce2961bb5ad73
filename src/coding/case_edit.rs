//! Editing the cases: make a case, set or remove its free attributes, remove it, and put a
//! source in a case. cases.toml is edited in place (toml_edit), so its comments and layout
//! stay; each edit runs under the codings lock, on a current view, and can be undone like a
//! code-book edit ([`BookEdit`]).

use std::path::Path;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

use super::book_edit::{BookEdit, cases_path, edit};
use crate::atomic;
use crate::corpus::Corpus;
use crate::corpus::cases::{AttrValue, Cases, RESERVED};
use crate::corpus::source;
use crate::error::{Error, Result};

/// An attribute name must be a bare TOML key (letters, digits, `-`, `_`) and not one of the
/// case's own keys.
pub fn check_attribute_name(name: &str) -> Result<()> {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !bare {
        return Err(Error::Usage(format!(
            "attribute name {name:?}: use letters, digits, - and _ (e.g. regio, niveau)"
        )));
    }
    if RESERVED.contains(&name) {
        return Err(Error::Usage(format!(
            "{name:?} is a case's own key, not an attribute (use --label for the label)"
        )));
    }
    Ok(())
}

/// `--attr k=v` into a name and a typed value.
pub fn parse_attribute(arg: &str) -> Result<(String, AttrValue)> {
    let (name, value) = arg.split_once('=').ok_or_else(|| {
        Error::Usage(format!(
            "--attr {arg:?}: write NAME=VALUE, e.g. --attr regio=Zuid"
        ))
    })?;
    let name = name.trim();
    check_attribute_name(name)?;
    Ok((name.to_string(), AttrValue::parse(value)))
}

/// Change the text of cases.toml with `change` (given its `[[case]]` list) and write it, as
/// one undoable edit made on the view `seen`.
fn edit_file(
    root: &Path,
    seen: &Cases,
    change: impl FnOnce(&mut ArrayOfTables) -> Result<()>,
) -> Result<BookEdit> {
    let path = cases_path(root);
    let text = crate::text_file::read_optional(&path)?.unwrap_or_default();
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| Error::invalid(&path, None, e.to_string()))?;
    let list = doc
        .entry("case")
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or_else(|| Error::invalid(&path, None, "`case` must be a list of [[case]] tables"))?;
    let was_empty = list.is_empty();
    change(list)?;
    // In a file of comments only, they are the document's trailing text: keep them at the
    // top, above the first case, where they were.
    if was_empty {
        let comments = doc.trailing().as_str().unwrap_or_default().to_string();
        if let Some(first) = doc
            .get_mut("case")
            .and_then(Item::as_array_of_tables_mut)
            .and_then(|l| l.get_mut(0))
        {
            let prefix = if comments.trim().is_empty() {
                String::new()
            } else {
                format!("{}\n\n", comments.trim_end())
            };
            first.decor_mut().set_prefix(prefix);
            doc.set_trailing("");
        }
    }
    let written = doc.to_string();
    // What is written must load: never leave a file the next start cannot read.
    Cases::parse(&path, &written)?;
    edit(root, vec![path.clone()], (None, Some(seen)), || {
        atomic::write(&path, written.as_bytes())
    })
}

fn find<'a>(list: &'a mut ArrayOfTables, id: &str) -> Result<&'a mut Table> {
    list.iter_mut()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(id))
        .ok_or_else(|| {
            Error::Usage(format!(
                "no case {id:?} (`visgraat case list` shows them, `visgraat case add {id}` makes it)"
            ))
        })
}

/// Make case `id` with `label` (default: the id) and `attributes`.
pub fn add_case(
    root: &Path,
    cases: &Cases,
    id: &str,
    label: Option<&str>,
    attributes: &[(String, AttrValue)],
) -> Result<BookEdit> {
    source::validate_id(id).map_err(|m| Error::Usage(format!("case id {id:?}: {m}")))?;
    if cases.get(id).is_some() {
        return Err(Error::Usage(format!(
            "case {id:?} exists already (`visgraat case set {id} --attr …` changes it)"
        )));
    }
    edit_file(root, cases, |list| {
        let mut table = Table::new();
        table["id"] = toml_edit::value(id);
        table["label"] = toml_edit::value(label.map_or(id, str::trim));
        for (name, value) in attributes {
            table[name.as_str()] = Item::Value(value.to_edit());
        }
        list.push(table);
        Ok(())
    })
}

/// Set `set` (name, value) and remove `unset` attributes of case `id`; a new `label` too.
pub fn set_attributes(
    root: &Path,
    cases: &Cases,
    id: &str,
    label: Option<&str>,
    set: &[(String, AttrValue)],
    unset: &[String],
) -> Result<BookEdit> {
    for name in unset {
        check_attribute_name(name)?;
        if cases
            .get(id)
            .is_some_and(|c| c.attributes.get(name).is_none())
        {
            return Err(Error::Usage(format!(
                "case {id:?} has no attribute {name:?}"
            )));
        }
    }
    edit_file(root, cases, |list| {
        let table = find(list, id)?;
        if let Some(label) = label {
            table["label"] = toml_edit::value(label.trim());
        }
        for (name, value) in set {
            match table.get_mut(name).and_then(Item::as_value_mut) {
                // Keep the comment beside a value that changes.
                Some(old) => {
                    let decor = old.decor().clone();
                    *old = value.to_edit();
                    *old.decor_mut() = decor;
                }
                None => table[name.as_str()] = Item::Value(value.to_edit()),
            }
        }
        for name in unset {
            table.remove(name);
        }
        Ok(())
    })
}

/// Remove case `id`. Refused while a source is in it: `assign` those elsewhere first, so
/// no source points at a case that is gone.
pub fn remove_case(root: &Path, corpus: &Corpus, id: &str) -> Result<BookEdit> {
    let members: Vec<&str> = corpus
        .sources
        .iter()
        .filter(|s| s.meta.case.as_deref() == Some(id))
        .map(|s| s.meta.id.as_str())
        .collect();
    if !members.is_empty() {
        return Err(Error::Usage(format!(
            "case {id:?} still holds {}: `visgraat case assign SOURCE --none` (or another case) first",
            members.join(", ")
        )));
    }
    edit_file(root, &corpus.cases, |list| {
        let before = list.len();
        list.retain(|t| t.get("id").and_then(Item::as_str) != Some(id));
        if list.len() == before {
            return Err(find(list, id)
                .err()
                .unwrap_or_else(|| Error::Usage(format!("no case {id:?}"))));
        }
        Ok(())
    })
}

/// Put source `source_id` in case `case` (None: in no case). The source file's front matter
/// changes, its text does not, so its codings stay where they are.
pub fn assign(
    root: &Path,
    corpus: &Corpus,
    source_id: &str,
    case: Option<&str>,
) -> Result<BookEdit> {
    let source = corpus.source(source_id).ok_or_else(|| {
        Error::Usage(format!(
            "no source {source_id:?} (`visgraat search` shows sources)"
        ))
    })?;
    if let Some(case) = case
        && corpus.cases.get(case).is_none()
    {
        return Err(Error::Usage(format!(
            "no case {case:?}: make it with `visgraat case add {case} --label …`"
        )));
    }
    let mut meta = source.meta.clone();
    meta.case = case.map(str::to_string);
    let rendered = source::render(&meta, &source.body);
    let path = source.path.clone();
    let seen = (source.meta.clone(), source.body.clone());
    edit(root, vec![path.clone()], (None, None), || {
        // Under the lock: the file as this view saw it, or another process's edit is kept.
        let on_disk = crate::text_file::read(&path)?;
        let current = source::Source::parse(&path, &on_disk)
            .ok()
            .map(|s| (s.meta, s.body));
        if current != Some(seen) {
            return Err(Error::Usage(format!(
                "{} was changed by another process: reload and try again",
                path.display()
            )));
        }
        atomic::write(&path, rendered.as_bytes())
    })
}

/// `text` (cases.toml) with every case's fishbone sheet as in `cases`, edited in place;
/// None when the file does not parse or has other cases.
pub(super) fn with_sheets(text: &str, cases: &Cases) -> Option<String> {
    let mut doc: DocumentMut = text.parse().ok()?;
    let list = doc.get_mut("case")?.as_array_of_tables_mut()?;
    if list.len() != cases.cases.len() {
        return None;
    }
    for (table, case) in list.iter_mut().zip(&cases.cases) {
        if table.get("id").and_then(Item::as_str) != Some(case.id.as_str()) {
            return None;
        }
        match &case.fishbone {
            None => {
                table.remove("fishbone");
            }
            Some(sheet) => {
                let sheet_table = table
                    .entry("fishbone")
                    .or_insert_with(|| Item::Table(Table::new()))
                    .as_table_mut()?;
                let mut codes = toml_edit::Array::new();
                codes.extend(sheet.codes.iter().map(String::as_str));
                sheet_table["codes"] = toml_edit::value(codes);
                if sheet.note.is_empty() {
                    sheet_table.remove("note");
                } else {
                    sheet_table["note"] = toml_edit::value(sheet.note.as_str());
                }
            }
        }
    }
    Some(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: &str = "# Synthetic cases for a test.\n\n[[case]]\nid = \"fg-noord\"\nlabel = \"Focusgroep Noord\"\nregio = \"Noord\" # as the invitation said\n\n[case.fishbone]\ncodes = []\n";

    #[test]
    fn attributes_are_set_and_removed_keeping_comments_and_undoable() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("cases.toml"), CASES).unwrap();
        let cases = Cases::load(&root.join("cases.toml")).unwrap();
        let set = [
            parse_attribute("regio=Zuid").unwrap(),
            parse_attribute("niveau=2").unwrap(),
        ];
        let e = set_attributes(root, &cases, "fg-noord", None, &set, &[]).unwrap();
        let text = std::fs::read_to_string(root.join("cases.toml")).unwrap();
        assert!(text.starts_with("# Synthetic cases for a test."), "{text}");
        assert!(
            text.contains("regio = \"Zuid\" # as the invitation said"),
            "{text}"
        );
        assert!(text.contains("niveau = 2\n"), "{text}");
        let now = Cases::load(&root.join("cases.toml")).unwrap();
        let added = add_case(root, &now, "fg-zuid", Some("Focusgroep Zuid"), &set).unwrap();
        let now = Cases::load(&root.join("cases.toml")).unwrap();
        assert_eq!(now.cases.len(), 2);
        assert_eq!(now.get("fg-zuid").unwrap().attributes.text("niveau"), "2");
        let err = set_attributes(root, &cases, "fg-noord", None, &set, &[]).unwrap_err();
        assert!(
            err.to_string().contains("changed by another process"),
            "{err}"
        );
        added.undo().unwrap();
        e.undo().unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("cases.toml")).unwrap(),
            CASES
        );
    }

    #[test]
    fn a_sheet_edit_keeps_the_comments_of_cases_toml() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("cases.toml"), CASES).unwrap();
        let cases = Cases::load(&root.join("cases.toml")).unwrap();
        super::super::book_edit::toggle_on_sheet(root, &cases, "fg-noord", "team-a").unwrap();
        let text = std::fs::read_to_string(root.join("cases.toml")).unwrap();
        assert!(
            text.contains("regio = \"Noord\" # as the invitation said"),
            "{text}"
        );
        assert!(text.contains("codes = [\"team-a\"]"), "{text}");
        let now = Cases::load(&root.join("cases.toml")).unwrap();
        assert_eq!(now.cases[0].fishbone.as_ref().unwrap().codes, ["team-a"]);
    }

    #[test]
    fn a_code_put_on_a_sheet_and_taken_off_again_leaves_cases_toml_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let without_sheet = CASES.replace("\n[case.fishbone]\ncodes = []\n", "");
        std::fs::write(root.join("cases.toml"), &without_sheet).unwrap();
        let toggle = || {
            let cases = Cases::load(&root.join("cases.toml")).unwrap();
            super::super::book_edit::toggle_on_sheet(root, &cases, "fg-noord", "team-a")
                .unwrap()
                .1
        };
        assert!(toggle());
        assert!(!toggle());
        assert_eq!(
            std::fs::read_to_string(root.join("cases.toml")).unwrap(),
            without_sheet
        );
    }

    #[test]
    fn bad_names_and_duplicates_are_refused() {
        assert!(parse_attribute("regio").is_err());
        assert!(parse_attribute("id=x").is_err());
        assert!(parse_attribute("met spatie=x").is_err());
        let dir = tempfile::tempdir().unwrap();
        let cases = Cases::parse(Path::new("x"), CASES).unwrap();
        std::fs::write(dir.path().join("cases.toml"), CASES).unwrap();
        let err = add_case(dir.path(), &cases, "fg-noord", None, &[]).unwrap_err();
        assert!(err.to_string().contains("exists already"), "{err}");
        let err = set_attributes(dir.path(), &cases, "fg-west", None, &[], &[]).unwrap_err();
        assert!(err.to_string().contains("case add fg-west"), "{err}");
    }
}
