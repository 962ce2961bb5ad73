//! Cases: the focus groups (Bijlage 2 of the report), their attributes, their own fishbone
//! sheet, and the passages the text ties to them.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: String,
    pub label: String,
    pub team: String,
    pub institution: String,
    pub level: String,
    pub sector: String,
    /// The factor codes this team put on its own fishbone diagram.
    #[serde(default)]
    pub fishbone: Option<FishboneSheet>,
    /// Passages the text attributes to this case.
    #[serde(default, rename = "passage")]
    pub passages: Vec<CasePassage>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FishboneSheet {
    pub codes: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// A passage tied to a case: the segment of `source` that contains `quote`, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasePassage {
    pub source: String,
    pub quote: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cases {
    #[serde(default, rename = "case")]
    pub cases: Vec<Case>,
}

impl Cases {
    pub fn load(path: &Path) -> Result<Cases> {
        let text = crate::text_file::read(path)?;
        if let Some(e) = crate::text_file::merge_conflict(path, &text) {
            return Err(e);
        }
        let cases: Cases = toml::from_str(&text).map_err(|e| Error::toml(path, &text, &e))?;
        for (i, case) in cases.cases.iter().enumerate() {
            if cases.cases[..i].iter().any(|c| c.id == case.id) {
                return Err(Error::invalid(
                    path,
                    None,
                    format!("duplicate case id {:?}", case.id),
                ));
            }
        }
        Ok(cases)
    }

    pub fn get(&self, id: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.id == id)
    }
}
