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
    #[serde(default)]
    watch: Watch,
    /// The TUI's settings, read and checked by its keymap (`tui::keymap`), which reads the
    /// user's config and then this one; named here so that a project may set them.
    #[serde(default, rename = "keys")]
    _keys: Option<toml::Table>,
    #[serde(default, rename = "mouse")]
    _mouse: Option<bool>,
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

/// Whether a search that had to stat every corpus file starts a `visgraat watch` of the
/// project behind its answer, so that the searches after it need no stats (as git's
/// `core.fsmonitor` starts its daemon).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Watch {
    /// When the project has so many files that the stats cost more than the search
    /// ([`Watch::AUTO_FROM_FILES`] or more).
    #[default]
    Auto,
    /// After any search that stat'ed the files.
    On,
    /// Never: searches stat the files unless a watcher started by hand answers.
    Off,
}

impl Watch {
    /// From this many corpus files, `auto` starts a watcher: a stat per file then takes
    /// longer than the search it checks (4 000 files: 6–12 ms on the benchmark machine,
    /// the search 4–5 ms).
    pub const AUTO_FROM_FILES: usize = 1000;

    /// True when a search that stat'ed `files` files should start a watcher.
    pub fn starts_after(self, files: usize) -> bool {
        match self {
            Watch::Auto => files >= Watch::AUTO_FROM_FILES,
            Watch::On => true,
            Watch::Off => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub corpus: PathBuf,
    pub index: PathBuf,
    /// The active coder: $VISGRAAT_CODER, else the user's own config, else config.toml,
    /// else $USER (`--coder` on a command beats them all).
    pub coder: String,
    /// Where `coder` came from: the TUI asks for a name when nobody chose one.
    pub coder_from: CoderFrom,
    pub language: String,
    /// The key from real names to pseudonyms (`import --pseudonymise`): outside corpus/ and
    /// git-ignored, so a shared corpus never holds the names.
    pub pseudonym_key: PathBuf,
    /// Whether a search starts a watcher behind its answer (`watch` in config.toml).
    pub watch: Watch,
}

impl Config {
    /// Load `path`; a missing file gives the defaults relative to its directory.
    pub fn load(path: &Path) -> Result<Config> {
        let base = path.parent().unwrap_or(Path::new("."));
        let text = crate::text_file::read_optional(path)?.unwrap_or_default();
        let file: ConfigFile = toml::from_str(&text).map_err(|e| Error::toml(path, &text, &e))?;
        let (coder, coder_from) = resolve_coder(&file.coder, user_coder()?);
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
            coder,
            coder_from,
            language: file.language,
            pseudonym_key: base.join(file.pseudonym_key),
            watch: file.watch,
        })
    }

    /// Defaults rooted at a directory: `dir/corpus`, `dir/index`.
    pub fn at(dir: &Path) -> Config {
        let (coder, coder_from) = resolve_coder("", user_coder().ok().flatten());
        Config {
            corpus: dir.join("corpus"),
            index: dir.join("index"),
            coder,
            coder_from,
            language: "nl".into(),
            pseudonym_key: dir.join("pseudonyms.toml"),
            watch: Watch::default(),
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

/// Where the active coder's name came from, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoderFrom {
    Environment,
    UserConfig,
    ProjectConfig,
    /// $USER: a login name, not a choice; the TUI offers to remember a real one.
    Login,
    /// Nothing at all: "onbekend".
    Unknown,
}

impl CoderFrom {
    /// Whether someone chose this name (the TUI asks once when nobody did).
    pub fn is_chosen(self) -> bool {
        matches!(
            self,
            CoderFrom::Environment | CoderFrom::UserConfig | CoderFrom::ProjectConfig
        )
    }
}

fn resolve_coder(configured: &str, user: Option<String>) -> (String, CoderFrom) {
    let candidates = [
        (std::env::var("VISGRAAT_CODER").ok(), CoderFrom::Environment),
        (user, CoderFrom::UserConfig),
        (Some(configured.to_string()), CoderFrom::ProjectConfig),
        (std::env::var("USER").ok(), CoderFrom::Login),
    ];
    candidates
        .into_iter()
        .filter_map(|(c, from)| c.map(|c| (c.trim().to_string(), from)))
        .find(|(c, _)| !c.is_empty())
        .unwrap_or_else(|| ("onbekend".into(), CoderFrom::Unknown))
}

/// The user's own settings, never shared with a project: `$XDG_CONFIG_HOME/visgraat/
/// config.toml`, else `~/.config/visgraat/config.toml`. None without either variable.
pub fn user_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("visgraat").join("config.toml"))
}

/// The coder named in the user's own config, if any.
pub fn user_coder() -> Result<Option<String>> {
    match user_config_path() {
        Some(path) => user_coder_at(&path),
        None => Ok(None),
    }
}

/// The coder named in the user config at `path`.
pub fn user_coder_at(path: &Path) -> Result<Option<String>> {
    let Some(text) = crate::text_file::read_optional(path)? else {
        return Ok(None);
    };
    let doc: toml::Table = toml::from_str(&text).map_err(|e| Error::toml(path, &text, &e))?;
    match doc.get("coder") {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s.clone()).filter(|s| !s.trim().is_empty())),
        Some(_) => Err(Error::invalid(
            path,
            None,
            "coder must be a string: coder = \"your name\"",
        )),
    }
}

/// Remember `coder` in the user's own config (made if missing; its other settings and
/// comments kept), never in the project. Returns the file written.
pub fn remember_coder(coder: &str) -> Result<PathBuf> {
    let path = user_config_path().ok_or_else(|| {
        Error::Usage(
            "neither $XDG_CONFIG_HOME nor $HOME is set: nowhere to remember the coder".into(),
        )
    })?;
    remember_coder_at(&path, coder)?;
    Ok(path)
}

/// [`remember_coder`] in the user config at `path`.
pub fn remember_coder_at(path: &Path, coder: &str) -> Result<()> {
    crate::corpus::source::validate_id(coder.trim())
        .map_err(|m| Error::Usage(format!("coder {coder:?}: {m}")))?;
    let text = crate::text_file::read_optional(path)?.unwrap_or_default();
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| Error::invalid(path, None, e.to_string()))?;
    doc["coder"] = toml_edit::value(coder.trim());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    crate::atomic::write(path, doc.to_string().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_is_read_from_config_toml_and_auto_starts_a_watcher_only_for_many_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        assert_eq!(
            Config::load(&path).unwrap().watch,
            Watch::Auto,
            "the default"
        );
        for (text, want) in [
            ("on", Watch::On),
            ("off", Watch::Off),
            ("auto", Watch::Auto),
        ] {
            std::fs::write(&path, format!("watch = \"{text}\"\n")).unwrap();
            assert_eq!(Config::load(&path).unwrap().watch, want);
        }
        std::fs::write(&path, "watch = \"sometimes\"\n").unwrap();
        let err = Config::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("config.toml:1") && err.contains("auto"),
            "{err}"
        );

        // The TUI's own settings may stand in the project's config too (README, keymap.toml);
        // a typo beside them is still refused.
        std::fs::write(
            &path,
            "mouse = false\n[keys.documents]\nz = \"code\"\n[keys.global]\nF12 = { show = \"codes\" }\n",
        )
        .unwrap();
        assert_eq!(Config::load(&path).unwrap().watch, Watch::Auto);
        std::fs::write(&path, "mouse = \"nee\"\n").unwrap();
        let err = Config::load(&path).unwrap_err().to_string();
        assert!(err.contains("config.toml:1"), "{err}");
        std::fs::write(&path, "muose = false\n").unwrap();
        let err = Config::load(&path).unwrap_err().to_string();
        assert!(err.contains("unknown field"), "{err}");

        assert!(!Watch::Auto.starts_after(Watch::AUTO_FROM_FILES - 1));
        assert!(Watch::Auto.starts_after(Watch::AUTO_FROM_FILES));
        assert!(Watch::On.starts_after(1));
        assert!(!Watch::Off.starts_after(100_000));
    }

    #[test]
    fn the_coder_is_remembered_in_the_user_config_keeping_its_other_settings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("visgraat/config.toml");
        assert_eq!(user_coder_at(&path).unwrap(), None);
        remember_coder_at(&path, "ana").unwrap();
        assert_eq!(user_coder_at(&path).unwrap().as_deref(), Some("ana"));
        std::fs::write(&path, "# mine\ntheme = \"dark\"\ncoder = \"ana\"\n").unwrap();
        remember_coder_at(&path, "bram").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "# mine\ntheme = \"dark\"\ncoder = \"bram\"\n");
        assert!(remember_coder_at(&path, "met spatie").is_err());
        std::fs::write(&path, "coder = 3\n").unwrap();
        assert!(
            user_coder_at(&path)
                .unwrap_err()
                .to_string()
                .contains("must be a string")
        );
    }

    #[test]
    fn the_user_config_beats_the_project_and_a_login_name_is_no_choice() {
        // VISGRAAT_CODER is not set under `cargo test` unless the caller set it.
        if std::env::var_os("VISGRAAT_CODER").is_some() {
            return;
        }
        assert_eq!(
            resolve_coder("proj", Some("ana".into())),
            ("ana".to_string(), CoderFrom::UserConfig)
        );
        assert_eq!(resolve_coder("proj", None).1, CoderFrom::ProjectConfig);
        assert!(!resolve_coder("", None).1.is_chosen());
    }

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
