//! `visgraat init`: a new, working project in a directory — config.toml, corpus/ with
//! project.toml, a code book from a template, an empty cases.toml, and a .gitignore for what
//! must not be shared (the index, the pseudonym key, the codings lock, temp files).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The code book a project starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// The fishbone group (five levels × bevorderend/belemmerend), no factor codes yet.
    Fishbone,
    /// The shipped monitor's code book: its factor codes and its other groups.
    Monitor,
    /// Nothing: groups come with the first `visgraat codes add --group …`.
    Empty,
}

impl Template {
    pub fn parse(s: &str) -> Option<Template> {
        match s {
            "fishbone" => Some(Template::Fishbone),
            "monitor" => Some(Template::Monitor),
            "empty" => Some(Template::Empty),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct InitOptions {
    /// Default: the directory's name.
    pub title: Option<String>,
    /// "nl" or "en".
    pub language: String,
    pub template: Template,
}

/// What `init` wrote.
#[derive(Debug, Clone)]
pub struct InitReport {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    /// The git merge driver for codings files: registered, or why not (and how to).
    pub merge_driver: std::result::Result<(), String>,
}

const FISHBONE_BOOK: &str = r#"# Code book. The fishbone group holds the factors of the fishbone diagram: five levels
# (beleid, team, individu, doelgroep, maatschappij), each bevorderend (+) or belemmerend (−).
# Add factor codes with `visgraat codes add LABEL --level team --valence - --definition "…"`;
# other groups with `visgraat codes add LABEL --group ID --definition "…"`.

[[group]]
id = "fishbone"
label = "Fishbone: bevorderende en belemmerende factoren"
description = "Factoren op vijf niveaus, elk bevorderend (+) of belemmerend (−)."
"#;

/// Says nothing that stops being true once codes are added (or imported) below it.
const EMPTY_BOOK: &str = "# Code book. `visgraat codes add LABEL --group ID --definition \"…\"` adds a code\n# (and its group); an imported .qdc or .qdpx adds its codes here too.\n";

const MONITOR_BOOK: &str = include_str!("../../corpus/codebook.toml");

const CASES: &str = "# Cases (focus groups, teams). `visgraat case add ID --label \"…\" --attr regio=Zuid`\n# makes one; any attributes: text, numbers (niveau = 2) or dates (start = 2024-03-14).\n";

/// The lines of the .gitignore `init` writes (or adds to an existing one).
const GITIGNORE: &[&str] = &[
    "# visgraat: the index is derived from corpus/ (rebuilt on demand)",
    "/index/",
    "# the key from participants' real names to their pseudonyms: never shared",
    "/pseudonyms.toml",
    "# the OS lock that serialises coding writes, and temp files of killed writes",
    "**/codings/.lock",
    ".*.[0-9]*.tmp",
];

/// Whether `dir` holds a visgraat project already (its config.toml or corpus/project.toml).
pub fn is_project(dir: &Path) -> bool {
    dir.join("config.toml").exists() || dir.join("corpus").join("project.toml").exists()
}

/// Make a project in `dir` (made if missing). Refuses a directory that holds a project
/// already, so nothing of it is overwritten.
pub fn init(dir: &Path, options: &InitOptions) -> Result<InitReport> {
    if is_project(dir) {
        return Err(Error::Usage(format!(
            "{} holds a visgraat project already (config.toml or corpus/project.toml); nothing was changed",
            dir.display()
        )));
    }
    if !matches!(options.language.as_str(), "nl" | "en") {
        return Err(Error::Usage(format!(
            "--language {:?}: use nl or en",
            options.language
        )));
    }
    let corpus = dir.join("corpus");
    for sub in ["sources/transcript", "codings"] {
        let path = corpus.join(sub);
        std::fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
    }
    let title = options.title.clone().unwrap_or_else(|| {
        std::path::absolute(dir)
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().to_string()))
            .unwrap_or_else(|| "visgraat project".into())
    });
    let project = format!(
        "# Project settings. Citation forms per source kind: fields {{title}}, {{case}}, {{speaker}},\n\
         # {{timestamp}}, {{paragraph}}, {{page}}, {{date}}, {{location}} (page, else paragraph).\n\
         title = {title}\n\
         language = {language}\n\
         provenance = \"Own focus groups of this project (describe how the material was gathered).\"\n\
         citation = \"{{title}}, {{location}}.\"\n\
         # What the fishbone's bones lead to, written in its head: the outcome your study asks about.\n\
         fishbone_head = {head}\n\
         \n\
         [citations]\n\
         transcript = \"{{case}}, {{speaker}}, {{timestamp}} ({{title}}, {{paragraph}}).\"\n",
        title = toml_edit::Value::from(title.as_str()),
        language = toml_edit::Value::from(options.language.as_str()),
        head = toml_edit::Value::from(crate::analysis::fishbone::DEFAULT_HEAD),
    );
    let config = format!(
        "# visgraat project settings. Paths are relative to this file.\n\
         corpus = \"corpus\"\n\
         index = \"index\"      # derived, rebuildable: delete it any time\n\
         # Who codes is personal: --coder, $VISGRAAT_CODER or your own ~/.config/visgraat/config.toml\n\
         # (coder = \"…\"), not this shared file.\n\
         language = {language}\n\
         pseudonym_key = \"pseudonyms.toml\"\n",
        language = toml_edit::Value::from(options.language.as_str()),
    );
    let book = match options.template {
        Template::Fishbone => FISHBONE_BOOK,
        Template::Monitor => MONITOR_BOOK,
        Template::Empty => EMPTY_BOOK,
    };
    let files = [
        (dir.join("config.toml"), config),
        (corpus.join("project.toml"), project),
        (corpus.join("codebook.toml"), book.to_string()),
        (corpus.join("cases.toml"), CASES.to_string()),
    ];
    let mut written = Vec::new();
    for (path, text) in files {
        crate::atomic::write(&path, text.as_bytes())?;
        written.push(path);
    }
    written.push(write_gitignore(dir)?);
    // Two coders' additions to one codings file merge through git by coding id: the
    // .gitattributes line always, the driver itself in the repository's git config when
    // the folder is in one.
    let merge_driver =
        crate::coding::merge_driver::register(dir, "visgraat").map_err(|e| e.to_string());
    let attributes = dir.join(".gitattributes");
    if attributes.exists() && !written.contains(&attributes) {
        written.push(attributes);
    }
    Ok(InitReport {
        dir: dir.to_path_buf(),
        files: written,
        merge_driver,
    })
}

/// Write .gitignore, or add the lines it lacks to one that is there.
fn write_gitignore(dir: &Path) -> Result<PathBuf> {
    let path = dir.join(".gitignore");
    let old = crate::text_file::read_optional(&path)?.unwrap_or_default();
    let mut text = old.clone();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for line in GITIGNORE {
        if !old.lines().any(|l| l.trim() == *line) {
            text.push_str(line);
            text.push('\n');
        }
    }
    crate::atomic::write(&path, text.as_bytes())?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(template: Template) -> InitOptions {
        InitOptions {
            title: None,
            language: "nl".into(),
            template,
        }
    }

    #[test]
    fn every_template_makes_a_project_that_loads_without_problems() {
        for template in [Template::Fishbone, Template::Monitor, Template::Empty] {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("mijn-project");
            init(&root, &options(template)).unwrap();
            let config = crate::config::Config::load(&root.join("config.toml")).unwrap();
            let corpus = crate::corpus::Corpus::load(&config.corpus).unwrap();
            assert!(
                corpus.problems.is_empty(),
                "{template:?}: {:?}",
                corpus.problems
            );
            let project = corpus.project.unwrap();
            assert_eq!(project.title, "mijn-project");
            // The head is written out, so that a new project sees where to name its own.
            assert_eq!(
                project.fishbone_head.as_deref(),
                Some(crate::analysis::fishbone::DEFAULT_HEAD)
            );
            let codes = corpus.codebook.codes.len();
            assert_eq!(codes > 0, template == Template::Monitor, "{template:?}");
            let ignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
            assert!(ignore.contains("/index/") && ignore.contains("/pseudonyms.toml"));
        }
    }

    #[test]
    fn an_existing_project_is_refused_and_a_gitignore_is_added_to() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "/target").unwrap();
        init(dir.path(), &options(Template::Fishbone)).unwrap();
        let ignore = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
        assert!(ignore.starts_with("/target\n# visgraat"), "{ignore}");
        let err = init(dir.path(), &options(Template::Empty)).unwrap_err();
        assert!(
            err.to_string().contains("holds a visgraat project already"),
            "{err}"
        );
        let err = init(
            &dir.path().join("other"),
            &InitOptions {
                language: "de".into(),
                ..options(Template::Empty)
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("use nl or en"), "{err}");
    }
}
