//! Project metadata: title, language, provenance of the material, and how its passages are
//! cited (one form per source kind).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Error;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    #[serde(default)]
    pub title: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub provenance: String,
    /// How a passage is cited when its kind has no form in `citations`. Fields: see
    /// [`CitationFields`].
    #[serde(default = "default_citation")]
    pub citation: String,
    /// A citation form per source kind (`transcript`, `intermezzo`, `report`, `letter`).
    /// Transcripts without one cite their own focus group, speaker and time
    /// ([`TRANSCRIPT_CITATION`]), never the project-wide form, which is usually a report's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub citations: BTreeMap<String, String>,
    #[serde(default)]
    pub notes: String,
    /// What the fishbone's bones lead to, written in its head (default: the monitor's
    /// "uitvoering passend onderwijs").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fishbone_head: Option<String>,
}

fn default_language() -> String {
    "nl".into()
}

fn default_citation() -> String {
    "{title}, {location}.".into()
}

/// How an imported transcript is cited when project.toml gives no form for transcripts.
pub const TRANSCRIPT_CITATION: &str = "{case}, {speaker}, {timestamp} ({title}, {paragraph}).";

/// What a citation form can name. Empty fields are dropped with the separator before them.
#[derive(Debug, Clone, Default)]
pub struct CitationFields<'a> {
    /// The source's title (also `{source}`, the older name).
    pub title: &'a str,
    /// Page for report text, else paragraph (and timestamp): the older catch-all.
    pub location: &'a str,
    pub case: Option<&'a str>,
    pub speaker: Option<&'a str>,
    pub date: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    /// "¶4".
    pub paragraph: &'a str,
    /// "p. 12", "p. 12-13".
    pub page: Option<&'a str>,
}

impl Default for Project {
    fn default() -> Project {
        Project {
            title: String::new(),
            language: default_language(),
            provenance: String::new(),
            citation: default_citation(),
            citations: BTreeMap::new(),
            notes: String::new(),
            fishbone_head: None,
        }
    }
}

impl Project {
    /// Read project.toml. A missing file is a project with the defaults; a field a project
    /// needs (title, provenance) that is missing is one problem naming all of them, while
    /// the project loads with what it has.
    pub fn load(path: &Path) -> (Option<Project>, Vec<Error>) {
        let text = match crate::text_file::read_optional(path) {
            Ok(Some(text)) => text,
            Ok(None) => return (Some(Project::default()), Vec::new()),
            Err(e) => return (None, vec![e]),
        };
        let project: Project = match toml::from_str(&text) {
            Ok(p) => p,
            Err(e) => return (None, vec![Error::toml(path, &text, &e)]),
        };
        let mut problems = Vec::new();
        let missing: Vec<&str> = [
            ("title", project.title.trim().is_empty()),
            ("provenance", project.provenance.trim().is_empty()),
        ]
        .into_iter()
        .filter_map(|(field, empty)| empty.then_some(field))
        .collect();
        if !missing.is_empty() {
            problems.push(Error::invalid(
                path,
                None,
                format!(
                    "missing {}: say what the project is and where its material comes from (e.g. title = \"…\", provenance = \"…\")",
                    missing.join(", ")
                ),
            ));
        }
        for kind in project.citations.keys() {
            if crate::corpus::source::SourceKind::parse(kind).is_none() {
                problems.push(Error::invalid(
                    path,
                    line_of(&text, kind),
                    format!(
                        "citations: unknown source kind {kind:?} (use transcript, intermezzo, report or letter); ignored"
                    ),
                ));
            }
        }
        (Some(project), problems)
    }

    /// The citation form for sources of `kind`.
    pub fn form_for(&self, kind: &str) -> &str {
        match self.citations.get(kind) {
            Some(form) => form,
            None if kind == "transcript" => TRANSCRIPT_CITATION,
            None => &self.citation,
        }
    }

    /// `form` with its fields filled in. A field with no value is left out together with
    /// the separator before it, so "{case}, {speaker}" without a case reads "Noor", not
    /// ", Noor" or "-, Noor".
    pub fn fill(form: &str, fields: &CitationFields) -> String {
        let value = |name: &str| -> Option<&str> {
            let v = match name {
                "source" | "title" => Some(fields.title),
                "location" => Some(fields.location),
                "case" => fields.case,
                "speaker" => fields.speaker,
                "date" => fields.date,
                "timestamp" => fields.timestamp,
                "paragraph" => Some(fields.paragraph),
                "page" => fields.page,
                _ => return None,
            };
            v.filter(|v| !v.trim().is_empty())
        };
        let mut out = String::new();
        let mut rest = form;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                break;
            };
            let literal = &rest[..open];
            let name = &rest[open + 1..close];
            match value(name) {
                Some(v) => {
                    out.push_str(literal);
                    out.push_str(v);
                }
                // An empty field goes, and with it a separator before it (", ").
                None if is_known_field(name) => {
                    if !literal
                        .chars()
                        .all(|c| c.is_ascii_punctuation() || c == ' ')
                    {
                        out.push_str(literal);
                    }
                }
                None => {
                    out.push_str(literal);
                    out.push_str(&rest[open..=close]);
                }
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        tidy(&out)
    }
}

fn is_known_field(name: &str) -> bool {
    matches!(
        name,
        "source"
            | "title"
            | "location"
            | "case"
            | "speaker"
            | "date"
            | "timestamp"
            | "paragraph"
            | "page"
    )
}

/// Empty brackets and doubled separators left by dropped fields.
fn tidy(text: &str) -> String {
    let mut out = text.replace("()", "").replace("( ", "(").replace(" )", ")");
    while out.contains("  ") {
        out = out.replace("  ", " ");
    }
    let out = out.trim_start_matches([',', ' ', ';']).trim_end();
    out.replace(" .", ".").replace(" ,", ",")
}

/// The line of `key` in `text`, for a problem in a table of keys.
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with(key) && l[key.len()..].trim_start().starts_with('=')
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> CitationFields<'static> {
        CitationFields {
            title: "fg-team-b",
            location: "¶2, 00:00:31",
            case: Some("Team B"),
            speaker: Some("Docent 1"),
            timestamp: Some("00:00:31"),
            paragraph: "¶2",
            ..CitationFields::default()
        }
    }

    #[test]
    fn a_transcript_cites_its_group_speaker_and_time() {
        let p = Project::default();
        assert_eq!(
            Project::fill(p.form_for("transcript"), &fields()),
            "Team B, Docent 1, 00:00:31 (fg-team-b, ¶2)."
        );
        let bare = CitationFields {
            case: None,
            timestamp: None,
            ..fields()
        };
        assert_eq!(
            Project::fill(p.form_for("transcript"), &bare),
            "Docent 1 (fg-team-b, ¶2)."
        );
    }

    #[test]
    fn the_project_form_serves_the_other_kinds_and_unknown_fields_stay_visible() {
        let p = Project {
            citation: "{source}, {location}. In: Monitor".into(),
            ..Project::default()
        };
        let f = CitationFields {
            title: "Intermezzo",
            location: "p. 28-29",
            page: Some("p. 28-29"),
            ..CitationFields::default()
        };
        assert_eq!(
            Project::fill(p.form_for("intermezzo"), &f),
            "Intermezzo, p. 28-29. In: Monitor"
        );
        assert_eq!(Project::fill("{title} {bogus}", &f), "Intermezzo {bogus}");
    }

    #[test]
    fn missing_fields_are_one_problem_and_a_missing_file_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("project.toml");
        let (p, problems) = Project::load(&path);
        assert!(p.is_some() && problems.is_empty());
        std::fs::write(&path, "language = \"nl\"\n[citations]\nvideo = \"x\"\n").unwrap();
        let (p, problems) = Project::load(&path);
        assert_eq!(p.unwrap().citation, "{title}, {location}.");
        let text: Vec<String> = problems.iter().map(|e| e.to_string()).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(text[0].contains("missing title, provenance"), "{text:?}");
        assert!(text[1].contains("project.toml:3"), "{text:?}");
    }
}
