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

impl Config {
    /// Refuse a pseudonym key that lies inside the corpus, however the paths are written
    /// (`./corpus/…`, absolute, through a symbolic link): both are resolved before they are
    /// compared, since a key in corpus/ would be shared and committed with it.
    pub fn check_pseudonym_key(&self) -> Result<()> {
        if inside(&self.pseudonym_key, &self.corpus) {
            return Err(Error::Usage(format!(
                "the pseudonym key {} lies inside the corpus: set pseudonym_key in config.toml to a path outside it",
                self.pseudonym_key.display()
            )));
        }
        Ok(())
    }
}

/// True when `path` is `dir` or lies under it, both resolved.
fn inside(path: &Path, dir: &Path) -> bool {
    resolve(path).starts_with(resolve(dir))
}

/// `path` made absolute with symbolic links resolved, also when it does not exist yet (a
/// key written for the first time): its nearest existing ancestor is canonicalised and the
/// rest joined on. The rest cannot hold links, as it does not exist; `..` in it is applied
/// lexically.
fn resolve(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut existing = absolute.as_path();
    let mut rest: Vec<Component> = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for c in rest.iter().rev() {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            // Nothing of it exists (not even the root): compare as written.
            _ => return absolute,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_inside_the_corpus_is_found_however_it_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("corpus/sub")).unwrap();
        std::fs::create_dir_all(root.join("private")).unwrap();
        let corpus = root.join("corpus");
        let key_in = |key: PathBuf| inside(&key, &corpus);
        assert!(key_in(root.join("corpus/pseudonyms.toml")));
        assert!(key_in(root.join("./corpus/./pseudonyms.toml")));
        assert!(key_in(root.join("private/../corpus/pseudonyms.toml")));
        assert!(key_in(root.join("corpus/not-yet/deeper/pseudonyms.toml")));
        assert!(key_in(root.join("corpus/sub/../pseudonyms.toml")));
        assert!(!key_in(root.join("pseudonyms.toml")));
        assert!(!key_in(root.join("corpus/../pseudonyms.toml")));
        assert!(!key_in(root.join("corpus-private/pseudonyms.toml")));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("corpus/sub"), root.join("linked")).unwrap();
            assert!(key_in(root.join("linked/pseudonyms.toml")));
            // The corpus itself behind a link: the key in its real directory is inside.
            std::os::unix::fs::symlink(root.join("corpus"), root.join("via-link")).unwrap();
            assert!(inside(
                &root.join("corpus/pseudonyms.toml"),
                &root.join("via-link")
            ));
        }
    }
}
