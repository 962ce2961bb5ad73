//! Memos on codes, sources and cases: the analyst's running notes beside the data, one per
//! target and author, in `corpus/memos.toml`. (Memos on codings live in the coding itself.)
//! Written like codings: read fresh and written back atomically under the codings lock.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Memo {
    /// `code:ID`, `source:ID` or `case:ID`.
    pub target: String,
    pub author: String,
    pub text: String,
    pub updated: toml::value::Datetime,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Memos {
    #[serde(default, rename = "memo", skip_serializing_if = "Vec::is_empty")]
    pub memos: Vec<Memo>,
}

/// What a memo is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Code,
    Source,
    Case,
}

/// Split `code:ID` and the like; an error says what is allowed.
pub fn parse_target(target: &str) -> std::result::Result<(TargetKind, &str), String> {
    let (kind, id) = target
        .split_once(':')
        .ok_or_else(|| format!("{target:?}: a memo target is code:ID, source:ID or case:ID"))?;
    let kind = match kind {
        "code" => TargetKind::Code,
        "source" => TargetKind::Source,
        "case" => TargetKind::Case,
        _ => {
            return Err(format!(
                "{target:?}: a memo target is code:ID, source:ID or case:ID"
            ));
        }
    };
    if id.is_empty() {
        return Err(format!("{target:?}: the id is missing"));
    }
    Ok((kind, id))
}

pub fn path(corpus: &Path) -> PathBuf {
    corpus.join("memos.toml")
}

/// The memos of a corpus (none when there is no memos file).
pub fn load(corpus: &Path) -> Result<Memos> {
    let path = path(corpus);
    let memos: Memos = crate::text_file::load_toml(&path)?;
    for m in &memos.memos {
        parse_target(&m.target).map_err(|message| Error::invalid(&path, None, message))?;
    }
    Ok(memos)
}

impl Memos {
    /// Memos about `target`, every author's.
    pub fn of<'a>(&'a self, target: &'a str) -> impl Iterator<Item = &'a Memo> {
        self.memos.iter().filter(move |m| m.target == target)
    }
}

/// Set `author`'s memo on `target` (empty text removes it), reading the file fresh under the
/// lock. Returns the memo it replaced, if any (for undo).
pub fn set(corpus: &Path, target: &str, author: &str, text: &str) -> Result<Option<Memo>> {
    parse_target(target).map_err(Error::Usage)?;
    let text = text.trim();
    let memo = (!text.is_empty()).then(|| Memo {
        target: target.to_string(),
        author: author.to_string(),
        text: text.to_string(),
        updated: super::time::now(),
    });
    put(corpus, target, author, memo)
}

/// Set many memos at once, `(target, author, text)` each, as [`set`] one after the other would
/// (a later one on the same target and author replaces an earlier one; empty text is
/// skipped), but reading and writing the file once: an import of thousands of notes.
/// Returns how many were set.
pub fn set_all(corpus: &Path, new: &[(String, String, String)]) -> Result<usize> {
    for (target, _, _) in new {
        parse_target(target).map_err(Error::Usage)?;
    }
    let _lock = super::lock::acquire(corpus)?;
    let mut memos = load(corpus)?;
    let mut at: std::collections::HashMap<(String, String), usize> = memos
        .memos
        .iter()
        .enumerate()
        .rev()
        .map(|(i, m)| ((m.target.clone(), m.author.clone()), i))
        .collect();
    let mut count = 0;
    for (target, author, text) in new {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let memo = Memo {
            target: target.clone(),
            author: author.clone(),
            text: text.to_string(),
            updated: super::time::now(),
        };
        match at.get(&(target.clone(), author.clone())) {
            Some(&i) => memos.memos[i] = memo,
            None => {
                at.insert((target.clone(), author.clone()), memos.memos.len());
                memos.memos.push(memo);
            }
        }
        count += 1;
    }
    if count > 0 {
        save(corpus, &memos)?;
    }
    Ok(count)
}

/// Put back exactly `memo` (or remove `author`'s memo on `target` when None): undo.
pub fn restore(corpus: &Path, target: &str, author: &str, memo: Option<&Memo>) -> Result<()> {
    put(corpus, target, author, memo.cloned()).map(|_| ())
}

/// Make `memo` (or nothing) `author`'s memo on `target`, in place, under the lock; returns
/// what was there.
fn put(corpus: &Path, target: &str, author: &str, memo: Option<Memo>) -> Result<Option<Memo>> {
    let _lock = super::lock::acquire(corpus)?;
    let mut memos = load(corpus)?;
    let at = memos
        .memos
        .iter()
        .position(|m| m.target == target && m.author == author);
    let Some(previous) = super::replace_entry(&mut memos.memos, at, memo) else {
        return Ok(None);
    };
    save(corpus, &memos)?;
    Ok(previous)
}

/// The comment memos.toml starts with.
pub const HEADER: &str = "Memos on codes, sources and cases (visgraat memo, or m in the TUI).";

fn save(corpus: &Path, memos: &Memos) -> Result<()> {
    crate::text_file::save_toml(&path(corpus), HEADER, memos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_replace_remove_and_restore() {
        let dir = std::env::temp_dir().join(format!("visgraat-memos-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(
            set(&dir, "code:team-a", "ana", "Eerste gedachte.").unwrap(),
            None
        );
        set(&dir, "code:team-a", "bram", "Andere blik.").unwrap();
        let old = set(&dir, "code:team-a", "ana", "Herzien.")
            .unwrap()
            .unwrap();
        assert_eq!(old.text, "Eerste gedachte.");
        let memos = load(&dir).unwrap();
        let texts: Vec<&str> = memos.of("code:team-a").map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["Herzien.", "Andere blik."]);
        restore(&dir, "code:team-a", "ana", Some(&old)).unwrap();
        assert_eq!(
            load(&dir).unwrap().of("code:team-a").next().unwrap().text,
            "Eerste gedachte."
        );
        set(&dir, "code:team-a", "ana", "  ").unwrap();
        assert_eq!(load(&dir).unwrap().memos.len(), 1, "empty text removes");
        assert!(set(&dir, "team-a", "ana", "x").is_err());
        assert!(set(&dir, "codes:team-a", "ana", "x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn set_all_is_set_one_after_the_other_in_one_write() {
        let dir = std::env::temp_dir().join(format!("visgraat-memos-all-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        set(&dir, "code:team-a", "ana", "Er al.").unwrap();
        let m = |t: &str, a: &str, x: &str| (t.to_string(), a.to_string(), x.to_string());
        let new = [
            m("code:team-b", "ana", "Nieuw."),
            m("code:team-a", "ana", "Vervangen."),
            m("source:x", "bram", "  "),
            m("code:team-b", "ana", "Later nieuw."),
        ];
        assert_eq!(set_all(&dir, &new).unwrap(), 3, "empty text is skipped");
        let memos = load(&dir).unwrap();
        let all: Vec<(&str, &str)> = memos
            .memos
            .iter()
            .map(|m| (m.target.as_str(), m.text.as_str()))
            .collect();
        assert_eq!(
            all,
            [
                ("code:team-a", "Vervangen."),
                ("code:team-b", "Later nieuw.")
            ]
        );
        assert!(set_all(&dir, &[m("team-a", "ana", "x")]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
