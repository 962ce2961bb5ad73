//! Pseudonyms for participants of imported transcripts: the key from real names to stable
//! pseudonyms (kept outside corpus/), and the replacement of those names in a transcript's
//! text.

use std::path::Path;

use unicode_normalization::UnicodeNormalization;

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

impl PseudonymKey {
    /// `text` (a file name) with every name in the key replaced by its pseudonym: full names,
    /// then surnames, then first names, case- and accent-insensitive and word-bounded, the
    /// parts of a name matched across any separator (`sanne-jansen`, `Sanne_Jansen`). A file
    /// name becomes the source's id, title and provenance, which go everywhere the corpus
    /// goes, so it is held to the same rule as the text.
    pub fn pseudonymise_name(&self, text: &str) -> String {
        // (the name's words, folded; pseudonym), more words and longer names first, so
        // "Sanne Jansen" goes before "Jansen" and "Sanne".
        let mut patterns: Vec<(Vec<String>, &str)> = Vec::new();
        for person in &self.people {
            let words: Vec<&str> = person.name.split_whitespace().collect();
            let mut parts = vec![person.name.clone()];
            if words.len() > 1 {
                parts.push(words[0].to_string());
                parts.push(words[1..].join(" "));
                parts.push(words[words.len() - 1].to_string());
            }
            for part in parts {
                let tokens: Vec<String> =
                    word_spans(&part).into_iter().map(|(_, _, w)| w).collect();
                // A lone letter is no name to look for (and would match everywhere).
                if tokens.concat().chars().count() >= 2
                    && !patterns.iter().any(|(t, _)| *t == tokens)
                {
                    patterns.push((tokens, &person.pseudonym));
                }
            }
        }
        patterns.sort_by_key(|(tokens, _)| {
            std::cmp::Reverse((tokens.len(), tokens.concat().chars().count()))
        });
        let mut out = text.to_string();
        for (tokens, pseudonym) in &patterns {
            // Past each replacement, so a pseudonym that holds the name is not replaced again.
            let mut from_byte = 0;
            loop {
                let words = word_spans(&out);
                let Some((from, to)) = words.windows(tokens.len()).find_map(|w| {
                    (w[0].0 >= from_byte
                        && w.iter()
                            .zip(tokens)
                            .all(|((_, _, word), token)| word == token))
                    .then(|| (w[0].0, w[tokens.len() - 1].1))
                }) else {
                    break;
                };
                out.replace_range(from..to, pseudonym);
                from_byte = from + pseudonym.len();
            }
        }
        out
    }
}

/// The words of `text` (runs of letters and digits) as (byte start, byte end, folded word):
/// lowercase, accents dropped, so `Sánne` and `SANNE` are `sanne`.
fn word_spans(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let folded: String = text[s..i]
                    .nfd()
                    .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
                    .flat_map(char::to_lowercase)
                    .collect();
                out.push((s, i, folded));
                start = None;
            }
            _ => {}
        }
    }
    out
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

    #[test]
    fn names_in_file_names_become_pseudonyms() {
        let mut key = PseudonymKey::default();
        pseudonymise(
            "Sanne Jansen: Ja.\n\nTeun van der Berg: Nee.\n\nModerator: Oké.\n",
            &mut key,
        );
        let name = |stem: &str| key.pseudonymise_name(stem);
        assert_eq!(name("interview-sanne-jansen"), "interview-Deelnemer 1");
        assert_eq!(
            name("Interview_SANNE_Jansen_2024"),
            "Interview_Deelnemer 1_2024"
        );
        assert_eq!(name("gesprek met sánne"), "gesprek met Deelnemer 1");
        assert_eq!(name("jansen-nagesprek"), "Deelnemer 1-nagesprek");
        assert_eq!(name("teun-van-der-berg"), "Deelnemer 2");
        assert_eq!(name("van-der-berg en berg"), "Deelnemer 2 en Deelnemer 2");
        // Word-bounded: names inside other words stay, and so do roles.
        assert_eq!(name("sannes-jansenweg"), "sannes-jansenweg");
        assert_eq!(name("moderator-teun"), "moderator-Deelnemer 2");
        let file = format!("{}.txt", name("interview-sanne-jansen"));
        assert_eq!(
            crate::corpus::transcript::id_from_name(Path::new(&file)),
            "interview-deelnemer-1"
        );
    }
}
