//! Names across the exchange: REFI-QDA GUIDs and visgraat ids. visgraat's own GUIDs derive
//! from its ids (the same in every export); GUIDs that other tools gave sources and cases are
//! kept in `corpus/refi-qda.toml` (codes and groups keep theirs in the code book), so a
//! re-export carries them and a later import of the same project finds its sources again.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// A GUID (8-4-4-4-12 hex, version-4 layout) derived from a stable key.
pub fn guid(key: &str) -> String {
    let d = Sha256::digest(key.as_bytes());
    let h: String = d.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// The GUIDs other tools gave this project's sources and cases, by visgraat id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignGuids {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub case: BTreeMap<String, String>,
}

const HEADER: &str = "# GUIDs that other REFI-QDA tools gave sources and cases (written by visgraat import,\n# read by export and import: a re-export carries them, a re-import finds its sources).\n\n";

pub fn foreign_guids_path(corpus: &Path) -> PathBuf {
    corpus.join("refi-qda.toml")
}

impl ForeignGuids {
    pub fn load(corpus: &Path) -> Result<ForeignGuids> {
        let path = foreign_guids_path(corpus);
        match crate::text_file::read_optional(&path)? {
            None => Ok(ForeignGuids::default()),
            Some(text) => toml::from_str(&text).map_err(|e| Error::toml(&path, &text, &e)),
        }
    }

    pub fn save(&self, corpus: &Path) -> Result<()> {
        let path = foreign_guids_path(corpus);
        let text = toml::to_string(self).map_err(|e| Error::invalid(&path, None, e.to_string()))?;
        crate::atomic::write(&path, format!("{HEADER}{text}").as_bytes())
    }

    pub fn source_guid(&self, id: &str) -> String {
        self.source
            .get(id)
            .cloned()
            .unwrap_or_else(|| guid(&format!("source:{id}")))
    }

    pub fn case_guid(&self, id: &str) -> String {
        self.case
            .get(id)
            .cloned()
            .unwrap_or_else(|| guid(&format!("case:{id}")))
    }
}

pub fn code_guid(code: &crate::corpus::codebook::Code) -> String {
    code.guid
        .clone()
        .unwrap_or_else(|| guid(&format!("code:{}", code.id)))
}

pub fn group_guid(group: &crate::corpus::codebook::Group) -> String {
    group
        .guid
        .clone()
        .unwrap_or_else(|| guid(&format!("group:{}", group.id)))
}

/// A kebab-case id from any text: letters without their accents, digits, single hyphens.
/// Empty when the text has no Latin letters or digits (日本語).
pub fn slug(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = text
        .nfd()
        .filter(char::is_ascii)
        .collect::<String>()
        .to_lowercase();
    let mut id = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_string()
}

/// The coder directory for a user's name, in any script: its slug, or, for a name without
/// Latin letters or digits, `coder-` and a digest of the name (the same name, the same
/// directory), so every coder's codings load.
pub fn coder_id(name: &str) -> String {
    let id = slug(name);
    if id.is_empty() {
        format!("coder-{}", &guid(&format!("user:{name}"))[..8])
    } else {
        id
    }
}

/// The first of `base`, `base-2`, `base-3`, … not in `taken`, now taken.
pub fn unique(base: &str, taken: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// Text for a report line: quoted as typed, never with escapes.
pub fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_and_well_formed() {
        let g = guid("code:team-collegiale-steun");
        assert_eq!(g, guid("code:team-collegiale-steun"));
        assert_ne!(g, guid("code:team-tekort-aan-tijd-en-docenten"));
        let parts: Vec<usize> = g.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
        assert!(g.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }

    #[test]
    fn every_name_gives_a_coder_directory() {
        assert_eq!(coder_id("Lotte de Vries"), "lotte-de-vries");
        assert_eq!(coder_id("José"), "jose");
        let jp = coder_id("日本語");
        assert!(jp.starts_with("coder-") && jp.len() == 14, "{jp}");
        assert_eq!(jp, coder_id("日本語"));
        assert_ne!(jp, coder_id("中文"));
        assert!(crate::corpus::source::validate_id(&jp).is_ok());
    }
}
