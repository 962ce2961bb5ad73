//! The code book: groups of codes. The built-in group is the fishbone of the 2024 monitor:
//! five levels, each bevorderend (+) or belemmerend (−), with factor codes under them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The fishbone's levels, in the order of the diagram (beleid, team and individu above the
/// spine; doelgroep and maatschappij below).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Beleid,
    Team,
    Individu,
    Doelgroep,
    Maatschappij,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Beleid,
        Level::Team,
        Level::Individu,
        Level::Doelgroep,
        Level::Maatschappij,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Beleid => "beleid",
            Level::Team => "team",
            Level::Individu => "individu",
            Level::Doelgroep => "doelgroep",
            Level::Maatschappij => "maatschappij",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    pub id: String,
    pub label: String,
    pub group: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valence: Option<Valence>,
    pub definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    #[serde(default, rename = "group")]
    pub groups: Vec<Group>,
    #[serde(default, rename = "code")]
    pub codes: Vec<Code>,
}

/// The id of the built-in fishbone group.
pub const FISHBONE: &str = "fishbone";

impl Codebook {
    pub fn load(path: &Path) -> Result<Codebook> {
        let text = crate::text_file::read(path)?;
        let book: Codebook = toml::from_str(&text).map_err(|e| Error::toml(path, &text, &e))?;
        book.validate(path, &text)?;
        Ok(book)
    }

    fn validate(&self, path: &Path, text: &str) -> Result<()> {
        let line_of = |id: &str| {
            let needle = format!("id = \"{id}\"");
            text.find(&needle)
                .map(|at| text[..at].matches('\n').count() + 1)
        };
        let mut seen = BTreeMap::new();
        // A set, not a search of the groups per code: large imported code books have many.
        let groups: std::collections::HashSet<&str> =
            self.groups.iter().map(|g| g.id.as_str()).collect();
        for code in &self.codes {
            if seen.insert(code.id.as_str(), ()).is_some() {
                return Err(Error::invalid(
                    path,
                    line_of(&code.id),
                    format!("duplicate code id {:?}", code.id),
                ));
            }
            if !groups.contains(code.group.as_str()) {
                return Err(Error::invalid(
                    path,
                    line_of(&code.id),
                    format!("code {:?} names unknown group {:?}", code.id, code.group),
                ));
            }
            let is_fishbone = code.group == FISHBONE;
            if is_fishbone != (code.level.is_some() && code.valence.is_some()) {
                return Err(Error::invalid(
                    path,
                    line_of(&code.id),
                    format!(
                        "code {:?}: fishbone codes need a level and a valence, other codes neither",
                        code.id
                    ),
                ));
            }
            if code.definition.trim().is_empty() {
                return Err(Error::invalid(
                    path,
                    line_of(&code.id),
                    format!("code {:?} has no definition: coders need one", code.id),
                ));
            }
        }
        Ok(())
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
