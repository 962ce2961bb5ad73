//! A code's beginning and end, from the command line: add a code to any group or fishbone
//! bone (also to an empty code book, where there is no code to put it beside), and delete
//! one that no coding uses, or after merging it into another. The same locking and undoable
//! writes as every code-book edit ([`super::book_edit`]).

use std::path::Path;

use super::book_edit::{BookEdit, codebook_path, edit, id_for, merge, save_book};
use crate::corpus::cases::Cases;
use crate::corpus::codebook::{Code, Codebook, FISHBONE, Group, Level, Valence};
use crate::error::{Error, Result};

/// Where a new code goes.
#[derive(Debug, Clone)]
pub struct NewCode<'a> {
    pub label: &'a str,
    pub definition: &'a str,
    /// The group's id; a group the book does not have yet is made (its label the id).
    pub group: &'a str,
    /// For the fishbone group: the bone.
    pub bone: Option<(Level, Valence)>,
    /// An id of your own instead of one made from the label.
    pub id: Option<&'a str>,
}

/// Add a code, after the last code of its bone or group (so the book stays in order).
pub fn add(root: &Path, book: &Codebook, new: &NewCode) -> Result<(BookEdit, String)> {
    let label = new.label.trim();
    if label.is_empty() {
        return Err(Error::Usage("a code needs a label".into()));
    }
    if new.definition.trim().is_empty() {
        return Err(Error::Usage(
            "a code needs a definition (--definition \"…\"): coders need it".into(),
        ));
    }
    let is_fishbone = new.group == FISHBONE;
    if is_fishbone != new.bone.is_some() {
        return Err(Error::Usage(if is_fishbone {
            "a fishbone code needs --level and --valence".into()
        } else {
            format!(
                "--level and --valence are for fishbone codes; {:?} is another group",
                new.group
            )
        }));
    }
    let level = new.bone.map(|(l, _)| l);
    let id = match new.id {
        Some(id) => {
            crate::corpus::source::validate_id(id)
                .map_err(|m| Error::Usage(format!("code id {id:?}: {m}")))?;
            if book.code(id).is_some() {
                return Err(Error::Usage(format!("code {id:?} exists already")));
            }
            id.to_string()
        }
        None => id_for(book, label, level),
    };
    let seen = book;
    let mut book = book.clone();
    if !book.groups.iter().any(|g| g.id == new.group) {
        crate::corpus::source::validate_id(new.group)
            .map_err(|m| Error::Usage(format!("group id {:?}: {m}", new.group)))?;
        book.groups.push(Group {
            id: new.group.to_string(),
            label: if is_fishbone {
                "Fishbone".to_string()
            } else {
                new.group.to_string()
            },
            description: String::new(),
            ..Default::default()
        });
    }
    let code = Code {
        id: id.clone(),
        label: label.to_string(),
        group: new.group.to_string(),
        level,
        valence: new.bone.map(|(_, v)| v),
        definition: new.definition.trim().to_string(),
        color: None,
        ..Default::default()
    };
    let after = book
        .codes
        .iter()
        .rposition(|c| c.group == code.group && c.level == code.level && c.valence == code.valence)
        .or_else(|| book.codes.iter().rposition(|c| c.group == code.group));
    match after {
        Some(at) => book.codes.insert(at + 1, code),
        None => book.codes.push(code),
    }
    let e = edit(root, vec![codebook_path(root)], (Some(seen), None), || {
        save_book(root, &book)
    })?;
    Ok((e, id))
}

/// Delete code `id`: only when no coding and no case sheet uses it, or, with `into`, after
/// merging it into that code (its codings follow). Deleting a used code is refused, never
/// silently orphaning codings.
pub fn delete(
    root: &Path,
    book: &Codebook,
    cases: &Cases,
    id: &str,
    into: Option<&str>,
) -> Result<BookEdit> {
    if book.code(id).is_none() {
        return Err(Error::Usage(format!(
            "no code {id:?} in the code book (`visgraat codes list`)"
        )));
    }
    if let Some(into) = into {
        return merge(root, book, cases, id, into);
    }
    let (codings, problems) = crate::coding::CodingSet::load(root);
    if let Some(p) = problems.first() {
        return Err(Error::Usage(format!("fix the codings first ({p})")));
    }
    let used = codings
        .codings
        .iter()
        .filter(|c| c.coding.code == id)
        .count();
    let on_sheets: Vec<&str> = cases
        .cases
        .iter()
        .filter(|c| {
            c.fishbone
                .as_ref()
                .is_some_and(|f| f.codes.iter().any(|x| x == id))
        })
        .map(|c| c.id.as_str())
        .collect();
    if used > 0 || !on_sheets.is_empty() {
        let mut why = Vec::new();
        if used > 0 {
            why.push(format!("{used} coding(s) use it"));
        }
        if !on_sheets.is_empty() {
            why.push(format!("it is on the sheet of {}", on_sheets.join(", ")));
        }
        return Err(Error::Usage(format!(
            "code {id:?} is not deleted: {}; `visgraat codes delete {id} --into OTHER` merges it into another code first",
            why.join(" and ")
        )));
    }
    let seen = book;
    let mut book = book.clone();
    book.codes.retain(|c| c.id != id);
    edit(root, vec![codebook_path(root)], (Some(seen), None), || {
        save_book(root, &book)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new<'a>(label: &'a str, bone: Option<(Level, Valence)>) -> NewCode<'a> {
        NewCode {
            label,
            definition: "synthetic definition",
            group: FISHBONE,
            bone,
            id: None,
        }
    }

    #[test]
    fn codes_go_into_an_empty_book_and_unused_ones_can_be_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("codebook.toml"), "# synthetic\n").unwrap();
        let load = || Codebook::load_whole(&root.join("codebook.toml")).unwrap();
        let bone = Some((Level::Team, Valence::Belemmerend));
        let (_, id) = add(root, &load(), &new("Tekort aan tijd", bone)).unwrap();
        assert_eq!(id, "team-tekort-aan-tijd");
        let (_, other) = add(
            root,
            &load(),
            &NewCode {
                group: "geslaagd",
                bone: None,
                ..new("Diploma", None)
            },
        )
        .unwrap();
        let book = load();
        assert_eq!(book.groups.len(), 2);
        assert_eq!(book.code(&id).unwrap().level, Some(Level::Team));
        let err = add(root, &book, &new("Zonder bot", None)).unwrap_err();
        assert!(err.to_string().contains("--level and --valence"), "{err}");
        let e = delete(root, &book, &Cases::default(), &other, None).unwrap();
        assert!(load().code(&other).is_none());
        e.undo().unwrap();
        assert!(load().code(&other).is_some());
        assert!(
            std::fs::read_to_string(root.join("codebook.toml"))
                .unwrap()
                .starts_with("# synthetic")
        );
    }

    #[test]
    fn a_used_code_is_deleted_only_into_another() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("codebook.toml"), "").unwrap();
        let load = || Codebook::load_whole(&root.join("codebook.toml")).unwrap();
        let bone = Some((Level::Team, Valence::Belemmerend));
        let (_, a) = add(root, &load(), &new("A", bone)).unwrap();
        let (_, b) = add(root, &load(), &new("B", bone)).unwrap();
        let src = crate::corpus::source::Source::parse(
            Path::new("s.md"),
            "+++\nid = \"s\"\nkind = \"transcript\"\ntitle = \"t\"\nprovenance = \"synthetic\"\n+++\nDocent 1: te veel werk.\n",
        )
        .unwrap();
        crate::coding::add(root, "ana", &src, 0, 8, &a, "").unwrap();
        let err = delete(root, &load(), &Cases::default(), &a, None).unwrap_err();
        assert!(err.to_string().contains("1 coding(s) use it"), "{err}");
        delete(root, &load(), &Cases::default(), &a, Some(&b)).unwrap();
        let (set, _) = crate::coding::CodingSet::load(root);
        assert_eq!(set.codings[0].coding.code, b);
        assert!(load().code(&a).is_none());
    }
}
