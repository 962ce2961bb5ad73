//! Project settings from config.toml: where the corpus and index live, who is coding, and the
//! UI language. Paths are relative to the config file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default = "default_corpus")]
    corpus: PathBuf,
    #[serde(default = "default_index")]
    index: PathBuf,
    #[serde(default)]
    coder: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_pseudonym_key")]
    pseudonym_key: PathBuf,
}

fn default_corpus() -> PathBuf {
    "corpus".into()
}
fn default_index() -> PathBuf {
    "index".into()
}
fn default_language() -> String {
    "nl".into()
}
fn default_pseudonym_key() -> PathBuf {
    "pseudonyms.toml".into()
}

#[derive(Debug, Clone)]
pub struct Config {
    pub corpus: PathBuf,
    pub index: PathBuf,
    /// The active coder: config.toml, else $VISGRAAT_CODER, else $USER.
    pub coder: String,
    pub language: String,
    /// The key from real names to pseudonyms (`import --pseudonymise`): outside corpus/ and
    /// git-ignored, so a shared corpus never holds the names.
    pub pseudonym_key: PathBuf,
}

impl Config {
    /// Load `path`; a missing file gives the defaults relative to its directory.
    pub fn load(path: &Path) -> Result<Config> {
        let base = path.parent().unwrap_or(Path::new("."));
        let text = crate::text_file::read_optional(path)?.unwrap_or_default();
        let file: ConfigFile = toml::from_str(&text).map_err(|e| Error::toml(path, &text, &e))?;
        if !matches!(file.language.as_str(), "nl" | "en") {
            return Err(Error::invalid(
                path,
                None,
                format!("language {:?}: use \"nl\" or \"en\"", file.language),
            ));
        }
        Ok(Config {
            corpus: base.join(file.corpus),
            index: base.join(file.index),
            coder: resolve_coder(&file.coder),
            language: file.language,
            pseudonym_key: base.join(file.pseudonym_key),
        })
    }

    /// Defaults rooted at a directory: `dir/corpus`, `dir/index`.
    pub fn at(dir: &Path) -> Config {
        Config {
            corpus: dir.join("corpus"),
            index: dir.join("index"),
            coder: resolve_coder(""),
            language: "nl".into(),
            pseudonym_key: dir.join("pseudonyms.toml"),
        }
    }
}

fn resolve_coder(configured: &str) -> String {
    let candidates = [
        Some(configured.to_string()),
        std::env::var("VISGRAAT_CODER").ok(),
        std::env::var("USER").ok(),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(|c| c.trim().to_string())
        .find(|c| !c.is_empty())
        .unwrap_or_else(|| "onbekend".into())
}
