//! Pseudonyms for participants of imported transcripts: the key from real names to stable
//! pseudonyms (kept outside corpus/), and the replacement of those names in a transcript's
//! text.

use std::path::Path;

use crate::corpus::source::parse_turn;
use crate::error::Result;

/// The key from participants' real names to their pseudonyms. It lives outside corpus/
/// (config.toml `pseudonym_key`), so the corpus never holds a name.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PseudonymKey {
    #[serde(default, rename = "person", skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<Person>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub pseudonym: String,
}

impl PseudonymKey {
    pub fn load(path: &Path) -> Result<PseudonymKey> {
        crate::text_file::load_toml(path)
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        crate::text_file::save_toml(
            path,
            "Real names → pseudonyms. Keep this file private: never in corpus/ or git.",
            self,
        )
    }

    /// The pseudonym of `name`, given a new one ("Deelnemer N") the first time.
    fn pseudonym(&mut self, name: &str) -> String {
        if let Some(p) = self.people.iter().find(|p| p.name == name) {
            return p.pseudonym.clone();
        }
        let pseudonym = format!("Deelnemer {}", self.people.len() + 1);
        self.people.push(Person {
            name: name.to_string(),
            pseudonym: pseudonym.clone(),
        });
        pseudonym
    }
}

/// True for speaker labels that are roles, not names: "Moderator", "Docent 2", "P3" and the
/// like stay as they are.
pub fn is_role(label: &str) -> bool {
    // "Interviewer 1", "P3", "Docent 2": a role word, then perhaps a number.
    const ROLES: &[&str] = &[
        "moderator",
        "interviewer",
        "onderzoeker",
        "gespreksleider",
        "docent",
        "student",
        "teamleider",
        "begeleider",
        "mentor",
        "slb'er",
        "zorgcoördinator",
        "deelnemer",
        "respondent",
        "p",
        "r",
        "i",
    ];
    let lower = label.to_lowercase();
    let word = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
    ROLES.contains(&word)
}

/// Replace participants' names in a transcript body by pseudonyms: speakers that are names,
/// and those names (and their first names) wherever they occur in the text.
pub fn pseudonymise(body: &str, key: &mut PseudonymKey) -> String {
    let mut names: Vec<String> = Vec::new();
    for paragraph in body.split("\n\n") {
        if let (Some(speaker), _) = parse_turn(paragraph)
            && !is_role(&speaker)
            && !names.contains(&speaker)
        {
            names.push(speaker);
        }
    }
    for name in &names {
        key.pseudonym(name);
    }
    // Longest names first, so "Noor Jansen" goes before "Noor".
    let mut replacements: Vec<(String, String)> = Vec::new();
    for person in &key.people {
        replacements.push((person.name.clone(), person.pseudonym.clone()));
        if let Some(first) = person.name.split_whitespace().next()
            && first != person.name
            && first.chars().count() >= 3
        {
            replacements.push((first.to_string(), person.pseudonym.clone()));
        }
    }
    replacements.sort_by_key(|(name, _)| std::cmp::Reverse(name.chars().count()));
    let mut out = body.to_string();
    for (name, pseudonym) in replacements {
        out = replace_word(&out, &name, &pseudonym);
    }
    out
}

/// `text` with every whole-word occurrence of `word` replaced.
fn replace_word(text: &str, word: &str, by: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        let bounded = before.is_none_or(|c| !c.is_alphanumeric())
            && after.is_none_or(|c| !c.is_alphanumeric());
        out.push_str(&rest[..at]);
        out.push_str(if bounded { by } else { word });
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_stable_pseudonyms_roles_stay() {
        let mut key = PseudonymKey::default();
        let body = "[00:00:01] Moderator: Noor, wat vind jij?\n\n[00:00:04] Noor Jansen: Dat Sam gelijk heeft.\n\nSam: Dank je, Noortje.\n";
        assert_eq!(
            pseudonymise(body, &mut key),
            "[00:00:01] Moderator: Deelnemer 1, wat vind jij?\n\n[00:00:04] Deelnemer 1: Dat Deelnemer 2 gelijk heeft.\n\nDeelnemer 2: Dank je, Noortje.\n"
        );
        // The same people in another transcript get the same pseudonyms.
        assert_eq!(pseudonymise("Sam: Ja.\n", &mut key), "Deelnemer 2: Ja.\n");
        assert!(is_role("Docent 2") && is_role("P3") && !is_role("Noor"));
    }
}
