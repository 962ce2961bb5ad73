//! A git merge driver for codings files (`visgraat merge-driver %O %A %B %P`). git's own merge
//! works on lines, so two coders' additions at the end of one file meet inside one
//! `[[coding]]` table and conflict, and keeping both sides gives duplicate keys. This driver
//! merges by coding id: additions and removals from either side go in; only a coding changed
//! differently on both sides is a conflict, left between marker lines that `visgraat check`
//! explains. [`register`] sets a repository up to use it (`visgraat init` calls it).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::error::{Error, Result};

use super::{Coding, CodingFile};

/// The start of the marker line around a coding changed on both sides.
pub const CONFLICT_START: &str = "<<<<<<< visgraat:";

/// What a merge gave: the file's text and how many codings conflict.
#[derive(Debug, PartialEq)]
pub struct Merged {
    pub text: String,
    pub conflicts: usize,
}

fn parse(name: &str, text: &str) -> Result<CodingFile> {
    super::parse_file(Path::new(name), text)
}

fn render(codings: Vec<Coding>) -> Result<String> {
    render_file(CodingFile {
        codings,
        ..CodingFile::default()
    })
}

fn render_file(file: CodingFile) -> Result<String> {
    if file.codings.is_empty() {
        return Ok(super::NO_CODINGS_LEFT.to_string());
    }
    toml::to_string(&file).map_err(|e| Error::invalid(Path::new("merge"), None, e.to_string()))
}

/// Merge `ours` and `theirs`, both grown from `base`: three codings files, or three memos
/// files (`memos.toml`, told by its `[[memo]]` tables).
pub fn merge(base: &str, ours: &str, theirs: &str) -> Result<Merged> {
    let is_memos = |text: &str| text.lines().any(|l| l.trim() == "[[memo]]");
    if is_memos(base) || is_memos(ours) || is_memos(theirs) {
        return merge_memos(base, ours, theirs);
    }
    merge_codings(base, ours, theirs)
}

/// Memos merged by what they are about and who wrote them: two memos written in parallel
/// both go in (git's line merge made them conflict every time, their `[[memo]]` lines
/// meeting at the end of the file); one memo rewritten differently on both sides is a
/// conflict between marker lines.
fn merge_memos(base: &str, ours: &str, theirs: &str) -> Result<Merged> {
    use super::memos::{HEADER, Memo, Memos};
    let parse = |name: &str, text: &str| -> Result<Memos> {
        crate::text_file::parse_toml(Path::new(name), text)
    };
    let (b, o, t) = (
        parse("base", base)?,
        parse("ours", ours)?,
        parse("theirs", theirs)?,
    );
    let key = |m: &Memo| (m.target.clone(), m.author.clone());
    let find =
        |list: &Memos, k: &(String, String)| list.memos.iter().find(|m| key(m) == *k).cloned();
    let mut order: Vec<(String, String)> = Vec::new();
    for m in o.memos.iter().chain(&t.memos).chain(&b.memos) {
        if !order.contains(&key(m)) {
            order.push(key(m));
        }
    }
    let (mut merged, mut conflicts) = (Vec::new(), Vec::new());
    for k in order {
        let (base, ours, theirs) = (find(&b, &k), find(&o, &k), find(&t, &k));
        let keep = if ours == theirs || theirs == base {
            ours
        } else if ours == base {
            theirs
        } else {
            conflicts.push((k, ours, theirs));
            continue;
        };
        merged.extend(keep);
    }
    let render = |memos: Vec<Memo>| {
        toml::to_string(&Memos { memos })
            .map_err(|e| Error::invalid(Path::new("merge"), None, e.to_string()))
    };
    let mut text = format!("# {HEADER}\n{}", render(merged)?);
    for ((target, author), ours, theirs) in &conflicts {
        let side = |m: &Option<Memo>| m.as_ref().map(|m| render(vec![m.clone()])).transpose();
        text.push_str(&conflict_block(
            &format!("the memo of {author} on {target}"),
            " (or join their texts)",
            side(ours)?,
            side(theirs)?,
        ));
    }
    Ok(Merged {
        text,
        conflicts: conflicts.len(),
    })
}

/// An entry changed on both sides, between marker lines `visgraat check` explains: `what`
/// it is, a hint for `how` to join them, and each side's text (None: removed there).
fn conflict_block(what: &str, how: &str, ours: Option<String>, theirs: Option<String>) -> String {
    let side = |s: Option<String>| s.unwrap_or_else(|| "# (removed on this side)\n".to_string());
    format!(
        "\n{CONFLICT_START} {what} was changed on both sides. Keep one of the two versions{how}, delete the other and the three marker lines, then `git add` this file\n{}=======\n{}>>>>>>> visgraat\n",
        side(ours),
        side(theirs)
    )
}

/// Merge three codings files by coding id.
fn merge_codings(base: &str, ours: &str, theirs: &str) -> Result<Merged> {
    let (base_file, ours_file, theirs_file) = (
        parse("base", base)?,
        parse("ours", ours)?,
        parse("theirs", theirs)?,
    );
    let (b, o, t) = (&base_file.codings, &ours_file.codings, &theirs_file.codings);
    let index = |list: &[Coding]| -> HashMap<String, Coding> {
        list.iter().map(|c| (c.id.clone(), c.clone())).collect()
    };
    let (bi, oi, ti) = (index(b), index(o), index(t));
    // Ours in its order, then what only theirs has, in theirs' order.
    let mut order: Vec<String> = o.iter().map(|c| c.id.clone()).collect();
    let mut seen: HashSet<String> = order.iter().cloned().collect();
    for c in t.iter().chain(b) {
        if seen.insert(c.id.clone()) {
            order.push(c.id.clone());
        }
    }
    let mut merged = Vec::new();
    let mut conflicts = Vec::new();
    for id in order {
        let (base, ours, theirs) = (bi.get(&id), oi.get(&id), ti.get(&id));
        let keep = if ours == theirs || theirs == base {
            ours.cloned()
        } else if ours == base {
            theirs.cloned()
        } else if let Some(both) = base
            .zip(ours)
            .zip(theirs)
            .and_then(|((b, o), t)| merge_fields(b, o, t))
        {
            Some(both)
        } else {
            conflicts.push((id, ours.cloned(), theirs.cloned()));
            continue;
        };
        if let Some(c) = keep {
            merged.push(c);
        }
    }
    // A machine's file (suggestions) keeps its mark and the reasons of the codings kept.
    let mut reasons: Vec<super::machine::Reason> = Vec::new();
    for r in ours_file.reasons.iter().chain(&theirs_file.reasons) {
        if merged.iter().any(|c| c.id == r.coding) && !reasons.iter().any(|k| k.coding == r.coding)
        {
            reasons.push(r.clone());
        }
    }
    let mut text = render_file(CodingFile {
        machine: ours_file.machine.clone().or(theirs_file.machine.clone()),
        codings: merged,
        reasons,
    })?;
    for (id, ours, theirs) in &conflicts {
        let side = |c: &Option<Coding>| c.as_ref().map(|c| render(vec![c.clone()])).transpose();
        text.push_str(&conflict_block(
            &format!("coding {id}"),
            "",
            side(ours)?,
            side(theirs)?,
        ));
    }
    Ok(Merged {
        text,
        conflicts: conflicts.len(),
    })
}

/// The fields of a coding that change together: where its text is. Taking the start from
/// one side and the end from the other would put it on text nobody coded.
const SPAN_FIELDS: &[&str] = &[
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "original_quote",
    "orphaned",
    "review",
];

/// One coding changed on both sides, in different fields (one recoded it, the other wrote
/// its memo): both changes, field by field; None when a field, or the span, was changed on
/// both sides to different values (a true conflict).
fn merge_fields(base: &Coding, ours: &Coding, theirs: &Coding) -> Option<Coding> {
    let table = |c: &Coding| match toml::Value::try_from(c) {
        Ok(toml::Value::Table(t)) => Some(t),
        _ => None,
    };
    let (b, o, t) = (table(base)?, table(ours)?, table(theirs)?);
    let span = |table: &toml::Table| -> Vec<Option<toml::Value>> {
        SPAN_FIELDS.iter().map(|k| table.get(*k).cloned()).collect()
    };
    // The span as one field.
    let (bs, os, ts) = (span(&b), span(&o), span(&t));
    let span_from_theirs = if os == ts || ts == bs {
        false
    } else if os == bs {
        true
    } else {
        return None;
    };
    let mut merged = o.clone();
    if span_from_theirs {
        for key in SPAN_FIELDS {
            match t.get(*key) {
                Some(v) => merged.insert((*key).to_string(), v.clone()),
                None => merged.remove(*key),
            };
        }
    }
    let keys: std::collections::BTreeSet<&String> =
        b.keys().chain(o.keys()).chain(t.keys()).collect();
    for key in keys
        .into_iter()
        .filter(|k| !SPAN_FIELDS.contains(&k.as_str()))
    {
        let (bv, ov, tv) = (b.get(key), o.get(key), t.get(key));
        if ov == tv || tv == bv {
            continue;
        }
        if ov != bv {
            return None;
        }
        match tv {
            Some(v) => merged.insert(key.clone(), v.clone()),
            None => merged.remove(key),
        };
    }
    toml::Value::Table(merged).try_into().ok()
}

/// The driver as git runs it: merge the files at `base`, `ours` and `theirs` into `ours`.
/// True when the merge is clean (git's exit 0), false when a conflict is left in the file.
pub fn run(base: &Path, ours: &Path, theirs: &Path) -> Result<bool> {
    let read = |p: &Path| -> Result<String> {
        Ok(crate::text_file::read_optional(p)?.unwrap_or_default())
    };
    let merged = merge(&read(base)?, &read(ours)?, &read(theirs)?)?;
    crate::atomic::write(ours, merged.text.as_bytes())?;
    Ok(merged.conflicts == 0)
}

/// The `.gitattributes` line that sends codings files to the driver.
pub const ATTRIBUTES_LINE: &str = "**/codings/*/*.toml merge=visgraat";

/// The line that sends memos.toml to the driver too.
pub const MEMOS_ATTRIBUTES_LINE: &str = "**/memos.toml merge=visgraat";

/// Set up the git repository at `repo` to merge codings files with the driver: the line in
/// `.gitattributes` (committed, so every clone has it) and the driver in the repository's
/// git config (not part of a clone: each clone runs this, or the two `git config` commands
/// in README). `program` is how git should call visgraat (`visgraat`, or a full path).
pub fn register(repo: &Path, program: &str) -> Result<()> {
    let path = repo.join(".gitattributes");
    let mut text = crate::text_file::read_optional(&path)?.unwrap_or_default();
    let before = text.clone();
    for (line, comment) in [
        (
            ATTRIBUTES_LINE,
            "# visgraat merges codings files by coding id (visgraat merge-driver)",
        ),
        (
            MEMOS_ATTRIBUTES_LINE,
            "# and memos by what they are about and who wrote them",
        ),
    ] {
        if !text.lines().any(|l| l.trim() == line) {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&format!("{comment}\n{line}\n"));
        }
    }
    if text != before {
        crate::atomic::write(&path, text.as_bytes())?;
    }
    for (key, value) in [
        (
            "merge.visgraat.name",
            "visgraat codings (by coding id)".to_string(),
        ),
        (
            "merge.visgraat.driver",
            format!("{program} merge-driver %O %A %B %P"),
        ),
    ] {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(repo)
            .args(["config", key, &value])
            .output()
            .map_err(|e| Error::io(repo, e))?;
        if !out.status.success() {
            return Err(Error::invalid(
                repo,
                None,
                format!(
                    "git config {key} failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(id: &str, memo: &str) -> String {
        format!(
            "[[coding]]\nid = \"{id}\"\ncode = \"x\"\nstart = 0\nend = 3\nquote = \"abc\"\nmemo = \"{memo}\"\ncreated = 2024-01-01T00:00:00Z\n"
        )
    }

    #[test]
    fn additions_on_both_sides_merge_and_a_change_on_both_conflicts() {
        let base = coding("c-1", "");
        let ours = format!("{base}\n{}", coding("c-2", "mine"));
        let theirs = format!("{base}\n{}", coding("c-3", "theirs"));
        let m = merge(&base, &ours, &theirs).unwrap();
        assert_eq!(m.conflicts, 0);
        let ids: Vec<String> = parse("m", &m.text)
            .unwrap()
            .codings
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(ids, ["c-1", "c-2", "c-3"]);
        // Removed on one side, untouched on the other: removed.
        let m = merge(&ours, &coding("c-1", ""), &ours).unwrap();
        assert_eq!(parse("m", &m.text).unwrap().codings.len(), 1);
        // Changed differently on both sides: a conflict the file shows.
        let m = merge(&base, &coding("c-1", "a"), &coding("c-1", "b")).unwrap();
        assert_eq!(m.conflicts, 1);
        assert!(m.text.contains(CONFLICT_START) && m.text.contains("memo = \"a\""));
        assert!(m.text.contains("memo = \"b\""));
    }

    #[test]
    fn one_coding_changed_in_different_fields_on_the_two_sides_takes_both() {
        // Found in a new-user trial: ana merged the code, bram wrote the memo; the driver
        // made a conflict whose either side lost one of the two.
        let base = coding("c-1", "");
        let recoded = base.replace("code = \"x\"", "code = \"y\"");
        let memo = coding("c-1", "Wachten is een knelpunt.");
        let m = merge(&base, &recoded, &memo).unwrap();
        assert_eq!(m.conflicts, 0, "{}", m.text);
        let c = &parse("m", &m.text).unwrap().codings[0];
        assert_eq!(
            (c.code.as_str(), c.memo.as_str()),
            ("y", "Wachten is een knelpunt.")
        );
        // The span is one field: moved on one side, recoded on the other, both kept.
        let moved = base.replace(
            "start = 0\nend = 3\nquote = \"abc\"",
            "start = 5\nend = 8\nquote = \"abc\"",
        );
        let c = parse("m", &merge(&base, &moved, &recoded).unwrap().text)
            .unwrap()
            .codings[0]
            .clone();
        assert_eq!((c.start, c.end, c.code.as_str()), (5, 8, "y"));
        // The same field to different values is still a conflict.
        let other = base.replace("code = \"x\"", "code = \"z\"");
        assert_eq!(merge(&base, &recoded, &other).unwrap().conflicts, 1);
        // And so are two different spans.
        let elsewhere = base.replace("start = 0\nend = 3", "start = 1\nend = 4");
        assert_eq!(merge(&base, &moved, &elsewhere).unwrap().conflicts, 1);
    }

    #[test]
    fn memos_written_in_parallel_both_go_in() {
        // Found in a new-user trial: two memos on different targets conflicted every time.
        let memo = |target: &str, author: &str, text: &str| {
            format!(
                "[[memo]]\ntarget = \"{target}\"\nauthor = \"{author}\"\ntext = \"{text}\"\nupdated = 2024-01-01T00:00:00Z\n"
            )
        };
        let base = format!(
            "# {}\n{}",
            super::super::memos::HEADER,
            memo("code:a", "ana", "Eerst.")
        );
        let ours = format!("{base}\n{}", memo("source:s", "ana", "Van ana."));
        let theirs = format!("{base}\n{}", memo("case:fg-b", "bram", "Van bram."));
        let m = merge(&base, &ours, &theirs).unwrap();
        assert_eq!(m.conflicts, 0, "{}", m.text);
        let memos: super::super::memos::Memos = toml::from_str(&m.text).unwrap();
        let targets: Vec<&str> = memos.memos.iter().map(|m| m.target.as_str()).collect();
        assert_eq!(targets, ["code:a", "source:s", "case:fg-b"]);
        assert!(m.text.starts_with("# Memos on codes"));
        // One memo rewritten two ways: a conflict with both texts.
        let a = base.replace("Eerst.", "Versie A.");
        let b = base.replace("Eerst.", "Versie B.");
        let m = merge(&base, &a, &b).unwrap();
        assert_eq!(m.conflicts, 1);
        assert!(m.text.contains("Versie A.") && m.text.contains("Versie B."));
        assert!(
            m.text
                .contains("the memo of ana on code:a was changed on both sides")
        );
    }

    #[test]
    fn a_machine_file_keeps_its_mark_and_the_reasons_of_what_it_keeps() {
        let mark = "[machine]\nmade_by = \"visgraat suggest\"\nmethod = \"centroid\"\ntaught_by = [\"ana\"]\nmade = 2024-01-01T00:00:00Z\n\n";
        let reason = |id: &str| {
            format!("[[reason]]\ncoding = \"{id}\"\nscore = 0.5\nterms = []\nlike = []\n")
        };
        let base = format!("{mark}{}\n{}", coding("s-1", ""), reason("s-1"));
        let ours = format!("{mark}{}\n{}", coding("s-2", ""), reason("s-2"));
        let theirs = format!(
            "{mark}{}\n{}\n{}",
            coding("s-1", ""),
            coding("s-3", ""),
            reason("s-3")
        );
        let m = merge(&base, &ours, &theirs).unwrap();
        assert_eq!(m.conflicts, 0);
        let file = parse("m", &m.text).unwrap();
        assert_eq!(file.machine.unwrap().made_by, "visgraat suggest");
        let ids: Vec<&str> = file.codings.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["s-2", "s-3"]);
        let reasons: Vec<&str> = file.reasons.iter().map(|r| r.coding.as_str()).collect();
        assert_eq!(reasons, ["s-2", "s-3"]);
    }
}
