//! The code book: groups of codes. The built-in group is the fishbone of the 2024 monitor:
//! five levels, each bevorderend (+) or belemmerend (−), with factor codes under them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use super::level::{Level, LevelDef};

mod parse;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Valence {
    Bevorderend,
    Belemmerend,
}

impl Valence {
    pub const ALL: [Valence; 2] = [Valence::Bevorderend, Valence::Belemmerend];

    pub fn as_str(self) -> &'static str {
        match self {
            Valence::Bevorderend => "bevorderend",
            Valence::Belemmerend => "belemmerend",
        }
    }

    /// The glyph that carries valence without colour.
    pub fn glyph(self) -> char {
        match self {
            Valence::Bevorderend => '+',
            Valence::Belemmerend => '−',
        }
    }

    /// Accepts `+`, `-`, `−` and the full Dutch words.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "+" | "bevorderend" => Some(Valence::Bevorderend),
            "-" | "−" | "belemmerend" => Some(Valence::Belemmerend),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub description: String,
    /// The REFI-QDA GUID of a group imported from another tool, kept so a re-export names
    /// it as that tool did; visgraat's own groups derive theirs from the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    /// The group only holds codes that stand at the top of another tool's tree: visgraat
    /// needs a group for every code, the other tool had none, so an export leaves it out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub flat: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    pub id: String,
    pub label: String,
    pub group: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valence: Option<Valence>,
    /// Empty only for a code imported without one: another tool's code book is kept as
    /// given, with nothing invented.
    #[serde(default)]
    pub definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// The code this one sits under (codes under codes, as REFI-QDA and other tools allow).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The REFI-QDA GUID of a code imported from another tool (see [`Group::guid`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    /// The fishbone's bones, when the book has others than the monitor's five.
    #[serde(default, rename = "level", skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<LevelDef>,
    #[serde(default, rename = "group")]
    pub groups: Vec<Group>,
    #[serde(default, rename = "code")]
    pub codes: Vec<Code>,
    /// Codes whose entry in the file was bad and skipped on loading (id → line), so that
    /// the codings using them can be reported once per code, not once per coding.
    #[serde(skip)]
    pub skipped: BTreeMap<String, Option<usize>>,
    /// The file could not be read or parsed at all: every code is missing from this book.
    #[serde(skip)]
    pub unreadable: bool,
}

/// The id of the built-in fishbone group.
pub const FISHBONE: &str = "fishbone";

impl Codebook {
    /// Read the code book as far as it is sound. A bad entry (an unknown level, a missing
    /// field, a duplicate id) is reported with its file and line and skipped, the rest is
    /// kept: one typo must not take every code away. A file that cannot be read or parsed
    /// at all gives an empty book marked `unreadable`, and its problem (file, line, column).
    pub fn load(path: &Path) -> (Codebook, Vec<Error>) {
        match crate::text_file::read(path) {
            Ok(text) => Codebook::parse(path, &text),
            Err(e) => (
                Codebook {
                    unreadable: true,
                    ..Codebook::default()
                },
                vec![e],
            ),
        }
    }

    /// The whole code book, or its first problem. For edits, which write the book back:
    /// saving a book that lacks its skipped entries would delete them from the file.
    pub fn load_whole(path: &Path) -> Result<Codebook> {
        let (book, problems) = Codebook::load(path);
        match problems.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(book),
        }
    }

    /// The fishbone's bones in the diagram's order: the book's own, else the monitor's five.
    pub fn levels(&self) -> Vec<Level> {
        if self.levels.is_empty() {
            Level::ALL.to_vec()
        } else {
            self.levels.iter().map(|l| l.id).collect()
        }
    }

    /// The level `id` of this book.
    pub fn level(&self, id: &str) -> Option<Level> {
        self.levels().into_iter().find(|l| l.as_str() == id)
    }

    /// The label of a level: the book's, else its id.
    pub fn level_label(&self, level: Level) -> &str {
        self.levels
            .iter()
            .find(|l| l.id == level && !l.label.is_empty())
            .map_or(level.as_str(), |l| l.label.as_str())
    }

    /// "above" or "below" for a level the book defines with a side; None for the rest.
    pub fn level_side(&self, level: Level) -> Option<&str> {
        self.levels
            .iter()
            .find(|l| l.id == level)
            .and_then(|l| l.side.as_deref())
    }

    pub fn code(&self, id: &str) -> Option<&Code> {
        self.codes.iter().find(|c| c.id == id)
    }

    /// Fishbone codes of one bone, in code-book order.
    pub fn factors(&self, level: Level, valence: Valence) -> impl Iterator<Item = &Code> {
        self.codes
            .iter()
            .filter(move |c| c.level == Some(level) && c.valence == Some(valence))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "[[group]]\nid = \"fishbone\"\nlabel = \"F\"\n\n[[code]]\nid = \"team-a\"\nlabel = \"A\"\ngroup = \"fishbone\"\nlevel = \"team\"\nvalence = \"bevorderend\"\ndefinition = \"a\"\n";

    fn lines(problems: &[Error]) -> Vec<(Option<usize>, String)> {
        problems
            .iter()
            .map(|e| match e {
                Error::Invalid { line, message, .. } => (*line, message.clone()),
                other => (None, other.to_string()),
            })
            .collect()
    }

    #[test]
    fn a_bad_entry_is_skipped_with_its_line_and_the_rest_kept() {
        let text = format!(
            "{GOOD}\n[[code]]\nid = \"team-b\"\nlabel = \"B\"\ngroup = \"fishbone\"\nlevel = \"teamm\"\nvalence = \"bevorderend\"\ndefinition = \"b\"\n\n[[code]]\nid = \"team-c\"\ngroup = \"fishbone\"\n\n[[code]]\nid = \"team-a\"\nlabel = \"A2\"\ngroup = \"fishbone\"\nlevel = \"team\"\nvalence = \"belemmerend\"\ndefinition = \"again\"\n\n[[code]]\nid = \"x\"\nlabel = \"X\"\ngroup = \"nergens\"\ndefinition = \"x\"\n\nextra = 1\n"
        );
        let (book, problems) = Codebook::parse(Path::new("codebook.toml"), &text);
        let ids: Vec<&str> = book.codes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["team-a"]);
        assert_eq!(
            book.code("team-a").unwrap().label,
            "A",
            "the first of a duplicate"
        );
        let found = lines(&problems);
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0].0, Some(17));
        assert!(found[0].1.starts_with(
            "code \"team-b\" skipped: unknown level \"teamm\" (the levels are beleid, team,"
        ));
        assert_eq!(found[1].0, Some(21));
        assert!(
            found[1]
                .1
                .contains("code \"team-c\" skipped: missing field `label`")
        );
        assert_eq!(found[2].0, Some(26));
        assert_eq!(found[2].1, "duplicate code id \"team-a\"; skipped");
        assert_eq!(found[3].0, Some(39), "{found:?}");
        assert!(found[3].1.contains("unknown field `extra`"), "{found:?}");
        assert_eq!(
            book.skipped.keys().map(String::as_str).collect::<Vec<_>>(),
            ["team-b", "team-c", "x"]
        );
        assert!(book.missing_because("team-b").unwrap().contains("line 14"));
        assert!(book.missing_because("team-z").is_none());
        assert!(!book.unreadable);
    }

    #[test]
    fn a_book_may_define_its_own_levels_and_one_bad_entry_is_skipped() {
        let text = "[[level]]\nid = \"gezin\"\nlabel = \"Gezin\"\nside = \"below\"\n\n[[level]]\nid = \"school\"\n\n[[level]]\nid = \"buurt\"\nside = \"links\"\n\n[[group]]\nid = \"fishbone\"\nlabel = \"F\"\n\n[[code]]\nid = \"gezin-steun\"\nlabel = \"Steun thuis\"\ngroup = \"fishbone\"\nlevel = \"gezin\"\nvalence = \"bevorderend\"\ndefinition = \"synthetic\"\n\n[[code]]\nid = \"team-a\"\nlabel = \"A\"\ngroup = \"fishbone\"\nlevel = \"team\"\nvalence = \"bevorderend\"\ndefinition = \"synthetic\"\n";
        let (book, problems) = Codebook::parse(Path::new("codebook.toml"), text);
        let found = lines(&problems);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, Some(10));
        assert!(found[0].1.contains("side must be"), "{found:?}");
        // A book with levels of its own has those, not the monitor's five.
        assert_eq!(found[1].0, Some(29));
        assert!(
            found[1]
                .1
                .contains("unknown level \"team\" (the levels are gezin, school;")
        );
        let levels: Vec<&str> = book.levels().iter().map(|l| l.as_str()).collect();
        assert_eq!(levels, ["gezin", "school"]);
        let gezin = book.level("gezin").unwrap();
        assert!(!gezin.is_builtin() && gezin > Level::Maatschappij);
        assert_eq!(book.level_label(gezin), "Gezin");
        assert_eq!(book.level_side(gezin), Some("below"));
        assert_eq!(book.factors(gezin, Valence::Bevorderend).count(), 1);
        assert!(Level::intern("Met Spatie").is_err());
        // The monitor's book keeps the five.
        let (monitor, _) = Codebook::parse(Path::new("c"), GOOD);
        assert_eq!(monitor.levels(), Level::ALL.to_vec());
        let again = toml::to_string(&book).unwrap();
        assert!(again.contains("[[level]]\nid = \"gezin\""), "{again}");
    }

    #[test]
    fn a_file_that_does_not_parse_is_one_problem_and_an_unreadable_book() {
        let (book, problems) = Codebook::parse(Path::new("codebook.toml"), "[[code]\nid = 1\n");
        assert!(book.codes.is_empty() && book.unreadable);
        assert!(book.missing_because("any").is_some());
        let found = lines(&problems);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Some(1));
        assert!(
            found[0].1.starts_with("malformed TOML, column 8"),
            "{found:?}"
        );
        // Nothing at all is an empty book, not a broken one.
        for text in ["", "\n# nothing yet\n"] {
            let (book, problems) = Codebook::parse(Path::new("codebook.toml"), text);
            assert!(problems.is_empty() && book.codes.is_empty() && !book.unreadable);
        }
    }

    #[test]
    fn keys_of_the_wrong_shape_are_reported() {
        let text = format!("{GOOD}\n[notes]\nx = 1\n");
        let (book, problems) = Codebook::parse(Path::new("codebook.toml"), &text);
        assert_eq!(book.codes.len(), 1);
        assert!(lines(&problems)[0].1.starts_with("unknown key \"notes\""));
        let (book, problems) = Codebook::parse(Path::new("codebook.toml"), "code = 3\n");
        assert!(book.codes.is_empty());
        assert!(lines(&problems)[0].1.starts_with("code must be a list"));
    }

    #[test]
    fn load_whole_refuses_a_book_with_skipped_entries() {
        let dir = std::env::temp_dir().join(format!("visgraat-book-whole-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("codebook.toml");
        std::fs::write(&path, GOOD).unwrap();
        assert_eq!(Codebook::load_whole(&path).unwrap().codes.len(), 1);
        std::fs::write(&path, GOOD.replace("level = \"team\"", "level = \"x\"")).unwrap();
        assert!(Codebook::load_whole(&path).is_err());
        assert_eq!(Codebook::load(&path).0.codes.len(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
