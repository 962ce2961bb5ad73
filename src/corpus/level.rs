//! The fishbone's levels (its bones): the monitor's five by default, or the levels a code
//! book defines. A level is a small `Copy` value, so code that handles bones stays simple.

use serde::{Deserialize, Serialize};

/// A bone of the fishbone: the monitor's five levels by default (beleid, team and individu
/// above the spine; doelgroep and maatschappij below), or the levels a code book defines
/// with `[[level]]` entries. An interned id with a rank (its place in the diagram's order),
/// so a level stays a small `Copy` value that orders bones as the diagram does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Level {
    rank: u16,
    id: &'static str,
}

/// The most levels one process knows (every code book it reads together): ids are interned
/// for good, so their number is bounded.
const MAX_LEVELS: usize = 256;

static CUSTOM_LEVELS: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());

// The five monitor levels keep the names they had as enum variants, so code that names
// them reads as before (`Level::Team`, also in patterns).
#[allow(non_upper_case_globals)]
impl Level {
    pub const Beleid: Level = Level::builtin(0, "beleid");
    pub const Team: Level = Level::builtin(1, "team");
    pub const Individu: Level = Level::builtin(2, "individu");
    pub const Doelgroep: Level = Level::builtin(3, "doelgroep");
    pub const Maatschappij: Level = Level::builtin(4, "maatschappij");

    /// The monitor's five levels: a code book's levels when it defines none.
    pub const ALL: [Level; 5] = [
        Level::Beleid,
        Level::Team,
        Level::Individu,
        Level::Doelgroep,
        Level::Maatschappij,
    ];

    const fn builtin(rank: u16, id: &'static str) -> Level {
        Level { rank, id }
    }

    pub fn as_str(self) -> &'static str {
        self.id
    }

    /// One of the monitor's five levels (a code book's own levels: [`Codebook::level`](crate::corpus::codebook::Codebook::level)).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The level with id `id`, one of the five or any other (a kebab-case id, at most 64
    /// characters, within [`MAX_LEVELS`]).
    pub fn intern(id: &str) -> std::result::Result<Level, String> {
        if let Some(level) = Level::parse(id) {
            return Ok(level);
        }
        crate::corpus::source::validate_id(id).map_err(|m| format!("level: {m}"))?;
        if id.len() > 64 {
            return Err(format!("level {id:?} is longer than 64 characters"));
        }
        let mut known = CUSTOM_LEVELS.lock().unwrap_or_else(|e| e.into_inner());
        let at = match known.iter().position(|k| *k == id) {
            Some(at) => at,
            None if known.len() >= MAX_LEVELS => {
                return Err(format!("more than {MAX_LEVELS} fishbone levels"));
            }
            None => {
                known.push(Box::leak(id.to_string().into_boxed_str()));
                known.len() - 1
            }
        };
        Ok(Level {
            rank: Level::ALL.len() as u16 + at as u16,
            id: known[at],
        })
    }

    /// Whether this is one of the monitor's five levels.
    pub fn is_builtin(self) -> bool {
        self.rank() < Level::ALL.len()
    }

    /// Its place in the diagram's order: the five first, then other levels as first met.
    pub fn rank(self) -> usize {
        usize::from(self.rank)
    }
}

impl Serialize for Level {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.id)
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Level, D::Error> {
        let id = String::deserialize(d)?;
        Level::intern(&id).map_err(serde::de::Error::custom)
    }
}

/// A bone a code book defines: `[[level]] id = "gezin" label = "Gezin" side = "below"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelDef {
    pub id: Level,
    #[serde(default)]
    pub label: String,
    /// "above" or "below" the spine (default: alternating, the first above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
}
