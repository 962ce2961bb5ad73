//! Reading codebook.toml: every entry checked on its own, a bad one skipped with its line
//! and the rest kept, so one mistake never costs the whole book.

use std::path::Path;

use serde::Deserialize;

use super::{Code, Codebook, FISHBONE, Group, LevelDef};
use crate::error::Error;

impl Codebook {
    /// [`Codebook::load`] of the text of the file at `path`.
    pub fn parse(path: &Path, text: &str) -> (Codebook, Vec<Error>) {
        let mut book = Codebook::default();
        let mut problems = Vec::new();
        if let Some(e) = crate::text_file::merge_conflict(path, text) {
            book.unreadable = true;
            return (book, vec![e]);
        }
        let doc = match toml::de::DeTable::parse(text) {
            Ok(doc) => doc,
            Err(e) => {
                book.unreadable = true;
                return (book, vec![Error::toml(path, text, &e)]);
            }
        };
        // Where each line starts, found once: counting newlines before every entry made a
        // book of 20 000 codes take over a minute to read.
        let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        let line_at = |at: usize| newlines.partition_point(|&n| n < at) + 1;
        let (mut groups, mut codes, mut levels) = (Vec::new(), Vec::new(), Vec::new());
        for (key, value) in doc.get_ref() {
            let key_line = Some(line_at(key.span().start));
            let what = match key.get_ref().as_ref() {
                "group" => "group",
                "code" => "code",
                "level" => "level",
                other => {
                    problems.push(Error::invalid(
                        path,
                        key_line,
                        format!(
                            "unknown key {other:?} (a code book holds [[level]], [[group]] and [[code]] entries); ignored"
                        ),
                    ));
                    continue;
                }
            };
            let toml::de::DeValue::Array(entries) = value.get_ref() else {
                problems.push(Error::invalid(
                    path,
                    key_line,
                    format!("{what} must be a list of [[{what}]] entries; ignored"),
                ));
                continue;
            };
            for entry in entries.iter() {
                let id = entry_id(entry.get_ref());
                // The line of its id, where a reader looks for a code; else its header.
                let line = Some(line_at(id.as_ref().map_or(entry.span().start, |i| i.1)));
                let de = || toml::de::ValueDeserializer::from(entry.clone());
                let parsed = match what {
                    "group" => Group::deserialize(de()).map(|g| groups.push((g, line))),
                    "level" => LevelDef::deserialize(de()).map(|l| levels.push((l, line))),
                    _ => Code::deserialize(de()).map(|c| {
                        // An unknown level is found against the book's levels, after they
                        // are all read: keep where this code's level stands.
                        let level_line = field_line(entry.get_ref(), "level").map(line_at);
                        codes.push((c, line, level_line))
                    }),
                };
                if let Err(e) = parsed {
                    let at = e.span().map(|s| line_at(s.start)).or(line);
                    let name = id
                        .as_ref()
                        .map_or(String::new(), |(id, _)| format!(" {id:?}"));
                    problems.push(Error::invalid(
                        path,
                        at,
                        format!("{what}{name} skipped: {}", e.message()),
                    ));
                    if what == "code"
                        && let Some((id, _)) = id
                    {
                        book.skipped.entry(id).or_insert(line);
                    }
                }
            }
        }
        for (level, line) in levels {
            if book.levels.iter().any(|l| l.id == level.id) {
                problems.push(Error::invalid(
                    path,
                    line,
                    format!("duplicate level id {:?}; skipped", level.id.as_str()),
                ));
            } else if level
                .side
                .as_deref()
                .is_some_and(|s| s != "above" && s != "below")
            {
                problems.push(Error::invalid(
                    path,
                    line,
                    format!(
                        "level {:?}: side must be \"above\" or \"below\"; skipped",
                        level.id.as_str()
                    ),
                ));
            } else {
                book.levels.push(level);
            }
        }
        let known_levels = book.levels();
        // Groups first: the file's keys come sorted, so codes were read before them.
        for (group, line) in groups {
            if book.groups.iter().any(|g| g.id == group.id) {
                problems.push(Error::invalid(
                    path,
                    line,
                    format!("duplicate group id {:?}; skipped", group.id),
                ));
            } else {
                book.groups.push(group);
            }
        }
        // Sets, not a search of the book per code: imported code books can hold tens of
        // thousands of codes.
        let group_ids: std::collections::HashSet<String> =
            book.groups.iter().map(|g| g.id.clone()).collect();
        let mut code_ids: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut lines_of_codes = std::collections::HashMap::new();
        for (code, line, level_line) in codes {
            if let Some(level) = code.level
                && !known_levels.contains(&level)
            {
                let names: Vec<&str> = known_levels.iter().map(|l| l.as_str()).collect();
                problems.push(Error::invalid(
                    path,
                    level_line.or(line),
                    format!(
                        "code {:?} skipped: unknown level {:?} (the levels are {}; [[level]] entries in codebook.toml define others)",
                        code.id,
                        level.as_str(),
                        names.join(", ")
                    ),
                ));
                if !code_ids.contains(&code.id) {
                    book.skipped.entry(code.id).or_insert(line);
                }
                continue;
            }
            match book.check_code(&code, &code_ids, &group_ids) {
                Ok(()) => {
                    lines_of_codes.insert(code.id.clone(), line);
                    code_ids.insert(code.id.clone());
                    book.codes.push(code);
                }
                Err(message) => {
                    problems.push(Error::invalid(path, line, format!("{message}; skipped")));
                    // A duplicate leaves its first entry in the book: the code is there.
                    if !code_ids.contains(&code.id) {
                        book.skipped.entry(code.id).or_insert(line);
                    }
                }
            }
        }
        book.check_parents(path, &lines_of_codes, &mut problems);
        // The entries were read per key: report in the file's order.
        problems.sort_by_key(|e| match e {
            Error::Invalid { line, .. } => *line,
            _ => None,
        });
        (book, problems)
    }

    /// Whether `code` may join the codes kept so far: why not, if not.
    fn check_code(
        &self,
        code: &Code,
        code_ids: &std::collections::HashSet<String>,
        group_ids: &std::collections::HashSet<String>,
    ) -> std::result::Result<(), String> {
        if code_ids.contains(&code.id) {
            return Err(format!("duplicate code id {:?}", code.id));
        }
        if !group_ids.contains(&code.group) {
            return Err(format!(
                "code {:?} names unknown group {:?}",
                code.id, code.group
            ));
        }
        let is_fishbone = code.group == FISHBONE;
        if is_fishbone != (code.level.is_some() && code.valence.is_some()) {
            return Err(format!(
                "code {:?}: fishbone codes need a level and a valence, other codes neither",
                code.id
            ));
        }
        if code.definition.trim().is_empty() && code.guid.is_none() {
            return Err(format!(
                "code {:?} has no definition: coders need one",
                code.id
            ));
        }
        Ok(())
    }

    /// Why `groups` and `codes`, about to be appended, would not load into this book: the
    /// loader's rules, checked in memory. Empty when they fit.
    pub fn check_additions(&self, groups: &[Group], codes: &[Code]) -> Vec<String> {
        let mut out = Vec::new();
        for g in groups {
            if self.groups.iter().any(|x| x.id == g.id) {
                out.push(format!("duplicate group id {:?}", g.id));
            }
        }
        let group_ids: std::collections::HashSet<String> = self
            .groups
            .iter()
            .chain(groups)
            .map(|g| g.id.clone())
            .collect();
        let mut code_ids: std::collections::HashSet<String> =
            self.codes.iter().map(|c| c.id.clone()).collect();
        for c in codes {
            match self.check_code(c, &code_ids, &group_ids) {
                Ok(()) => {
                    code_ids.insert(c.id.clone());
                }
                Err(m) => out.push(m),
            }
        }
        let group_of: std::collections::HashMap<&str, &str> = self
            .codes
            .iter()
            .chain(codes)
            .map(|c| (c.id.as_str(), c.group.as_str()))
            .collect();
        for c in codes {
            if let Some(parent) = &c.parent
                && group_of.get(parent.as_str()) != Some(&c.group.as_str())
            {
                out.push(format!(
                    "code {:?}: parent {parent:?} is not a code of its group",
                    c.id
                ));
            }
        }
        out
    }

    /// A parent must be a code of the same group, and following parents must end: a bad
    /// parent is reported and dropped, so its code stands at the top of its group.
    fn check_parents(
        &mut self,
        path: &Path,
        lines: &std::collections::HashMap<String, Option<usize>>,
        problems: &mut Vec<Error>,
    ) {
        let group_of: std::collections::HashMap<String, (String, Option<String>)> = self
            .codes
            .iter()
            .map(|c| (c.id.clone(), (c.group.clone(), c.parent.clone())))
            .collect();
        for code in &mut self.codes {
            let Some(parent) = code.parent.clone() else {
                continue;
            };
            let why = match group_of.get(&parent) {
                None => Some(format!("names unknown parent {parent:?}")),
                Some((group, _)) if *group != code.group => {
                    Some(format!("has parent {parent:?} in another group"))
                }
                Some(_) => at_is_cycle(&group_of, &code.id)
                    .then(|| format!("has parent {parent:?}, which leads back to it")),
            };
            if let Some(why) = why {
                let line = lines.get(&code.id).copied().flatten();
                problems.push(Error::invalid(
                    path,
                    line,
                    format!(
                        "code {:?} {why}; it stands at the top of its group",
                        code.id
                    ),
                ));
                code.parent = None;
            }
        }
    }

    /// Why `id` is not in this book when the file names it, or may: its entry was skipped,
    /// or the file could not be read. None when the code is simply unknown.
    pub fn missing_because(&self, id: &str) -> Option<String> {
        if self.unreadable {
            return Some("the code book could not be read (visgraat check shows why)".into());
        }
        self.skipped.get(id).map(|line| match line {
            Some(line) => {
                format!("its entry in codebook.toml (line {line}) is bad and was skipped")
            }
            None => "its entry in codebook.toml is bad and was skipped".into(),
        })
    }
}

/// Where field `name` of an entry stands (its value's start), to report it by its line.
fn field_line(entry: &toml::de::DeValue<'_>, name: &str) -> Option<usize> {
    let toml::de::DeValue::Table(table) = entry else {
        return None;
    };
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == name)
        .map(|(_, v)| v.span().start)
}

/// Whether following parents from `id` comes back to `id`.
fn at_is_cycle(
    codes: &std::collections::HashMap<String, (String, Option<String>)>,
    id: &str,
) -> bool {
    let mut at = codes.get(id).and_then(|(_, p)| p.clone());
    for _ in 0..codes.len() {
        match at {
            Some(ref next) if next == id => return true,
            Some(next) => at = codes.get(&next).and_then(|(_, p)| p.clone()),
            None => return false,
        }
    }
    true
}

/// The `id` an entry names, if it is a string, and where it stands: to report a skipped
/// entry by its id.
fn entry_id(entry: &toml::de::DeValue<'_>) -> Option<(String, usize)> {
    let toml::de::DeValue::Table(table) = entry else {
        return None;
    };
    table.iter().find_map(|(k, v)| match v.get_ref() {
        toml::de::DeValue::String(id) if k.get_ref().as_ref() == "id" => {
            Some((id.to_string(), v.span().start))
        }
        _ => None,
    })
}
