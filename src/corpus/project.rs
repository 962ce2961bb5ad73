//! Project metadata: title, language, provenance of the material, and the citation form.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub title: String,
    pub language: String,
    pub provenance: String,
    /// How a passage is cited. Placeholders: {source} (source title), {location} (page or
    /// paragraph), {case}.
    pub citation: String,
    #[serde(default)]
    pub notes: String,
    /// What the fishbone's bones lead to, written in its head (default: the monitor's
    /// "uitvoering passend onderwijs").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fishbone_head: Option<String>,
}

impl Project {
    pub fn load(path: &Path) -> Result<Project> {
        let text = crate::text_file::read(path)?;
        toml::from_str(&text).map_err(|e| Error::toml(path, &text, &e))
    }

    pub fn cite(&self, source: &str, location: &str, case: Option<&str>) -> String {
        self.citation
            .replace("{source}", source)
            .replace("{location}", location)
            .replace("{case}", case.unwrap_or("-"))
    }
}
