//! Pseudonyms for participants of imported transcripts: the key from real names to stable
//! pseudonyms (kept outside corpus/), and finding those names in text — full names, first
//! names and surnames alone (`meneer De Boer`) — to replace them or to report them as leaks.

use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use crate::corpus::participants::is_role;
use crate::corpus::turn::{parse_turn, strip_title};
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

/// Name particles: in a surname (`de Boer`, `van der Berg`) they match in either case, and
/// never count as a name by themselves.
const PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "ter", "ten", "te", "het", "von", "vom", "le", "la", "du", "da",
    "di", "del", "op", "in", "el", "al", "bin", "ben",
];

/// How a name is looked for: in file names any case goes (`sanne-jansen`); in text a name
/// word must be capitalised (`De Boer`, not the farmer `boer`), particles excepted.
#[derive(Clone, Copy, PartialEq)]
enum Case {
    Any,
    Capitalised,
}

/// A name to look for: its words (folded, and whether the key writes each with a capital).
struct Pattern<'k> {
    tokens: Vec<(String, bool)>,
    pseudonym: &'k str,
    preferred: bool,
}

/// Replacements made in a text: each pseudonym with how often it replaced a name.
pub type Replaced = Vec<(String, usize)>;

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

    /// The pseudonym of `name` (its title dropped: `Dr. Smit` is `Smit`), given a new one
    /// ("Deelnemer N") the first time.
    pub fn pseudonym(&mut self, name: &str) -> String {
        let name = strip_title(name.trim());
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

    /// The names to look for: the full name, the first name, the surname with its particles
    /// and the last word of each person; more words and longer names first, so "Sanne
    /// Jansen" goes before "Jansen" and "Sanne", and among equals the people of `first`
    /// (this transcript's speakers: its "Bram" is its own Bram).
    fn patterns(&self, min_chars: usize, first: &[String]) -> Vec<Pattern<'_>> {
        let mut patterns: Vec<Pattern<'_>> = Vec::new();
        for person in &self.people {
            let words: Vec<&str> = person.name.split_whitespace().collect();
            let mut parts = vec![person.name.clone()];
            if words.len() > 1 {
                parts.push(words[0].to_string());
                parts.push(words[1..].join(" "));
                parts.push(words[words.len() - 1].to_string());
            }
            for (n, part) in parts.into_iter().enumerate() {
                // A part alone is a name only with a capital (`Jansen`, not the `example`
                // of a voice tag that was an e-mail address).
                if n > 0
                    && !part
                        .split_whitespace()
                        .any(|w| w.starts_with(char::is_uppercase))
                {
                    continue;
                }
                let tokens: Vec<(String, bool)> = word_spans(&part)
                    .into_iter()
                    .map(|(start, _, w)| (w, part[start..].starts_with(char::is_uppercase)))
                    .collect();
                let named = tokens
                    .iter()
                    .filter(|(t, _)| !PARTICLES.contains(&t.as_str()))
                    .map(|(t, _)| t.chars().count())
                    .sum::<usize>();
                // A lone letter is no name to look for (and would match everywhere).
                if named < min_chars {
                    continue;
                }
                let pattern = Pattern {
                    tokens,
                    pseudonym: &person.pseudonym,
                    preferred: first.contains(&person.name),
                };
                // Two people called Bram: this transcript's Bram takes the first name.
                match patterns.iter_mut().find(|p| p.tokens == pattern.tokens) {
                    Some(p) if pattern.preferred && !p.preferred => *p = pattern,
                    Some(_) => {}
                    None => patterns.push(pattern),
                }
            }
        }
        patterns.sort_by_key(|p| {
            std::cmp::Reverse((
                p.tokens.len(),
                p.tokens
                    .iter()
                    .map(|(t, _)| t.chars().count())
                    .sum::<usize>(),
                p.preferred,
            ))
        });
        patterns
    }

    /// `text` (a file name) with every name in the key replaced by its pseudonym, in any
    /// case, accents ignored, word-bounded, the parts of a name matched across any separator
    /// (`sanne-jansen`, `Sanne_Jansen`). A file name becomes the source's id, title and
    /// provenance, which go everywhere the corpus goes, so it is held to the same rule.
    pub fn pseudonymise_name(&self, text: &str) -> String {
        self.replace(text, Case::Any, 2, &[]).0
    }

    /// `text` with every name in the key replaced (capitalised name words, accents ignored,
    /// first names of three letters or more, surnames alone), and how often each pseudonym
    /// replaced one.
    pub fn pseudonymise_text(&self, text: &str, speakers: &[String]) -> (String, Replaced) {
        self.replace(text, Case::Capitalised, 3, speakers)
    }

    /// Where names of the key still stand in `text`: (line, the name as found), by the rule
    /// of [`PseudonymKey::pseudonymise_text`].
    pub fn leaks(&self, text: &str) -> Vec<(usize, String)> {
        let patterns = self.patterns(3, &[]);
        let words = word_spans(text);
        let mut out = Vec::new();
        let mut at = 0;
        while at < words.len() {
            let found = patterns
                .iter()
                .find(|p| matches(&words[at..], &p.tokens, text, Case::Capitalised).is_some());
            match found {
                Some(Pattern { tokens, .. }) => {
                    let (from, to) = (words[at].0, words[at + tokens.len() - 1].1);
                    let line = text[..from].matches('\n').count() + 1;
                    out.push((line, text[from..to].to_string()));
                    at += tokens.len();
                }
                None => at += 1,
            }
        }
        out
    }

    fn replace(
        &self,
        text: &str,
        case: Case,
        min_chars: usize,
        first: &[String],
    ) -> (String, Replaced) {
        let mut counts: Replaced = Vec::new();
        let mut out = text.to_string();
        for Pattern {
            tokens, pseudonym, ..
        } in &self.patterns(min_chars, first)
        {
            // Past each replacement, so a pseudonym that holds the name is not replaced again.
            let mut from_byte = 0;
            loop {
                let words = word_spans(&out);
                let Some((from, to, possessive)) = (0..words.len()).find_map(|i| {
                    (words[i].0 >= from_byte)
                        .then(|| matches(&words[i..], tokens, &out, case))
                        .flatten()
                        .map(|possessive| (words[i].0, words[i + tokens.len() - 1].1, possessive))
                }) else {
                    break;
                };
                // "Brams aanpak": the genitive stays, written as after a number ("Deelnemer 1's").
                let replacement = if possessive {
                    format!("{pseudonym}'s")
                } else {
                    pseudonym.to_string()
                };
                out.replace_range(from..to, &replacement);
                from_byte = from + replacement.len();
                match counts.iter_mut().find(|(p, _)| p == *pseudonym) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((pseudonym.to_string(), 1)),
                }
            }
        }
        (out, counts)
    }
}

/// Whether the words at the start of `words` are the name `tokens` (None: they are not;
/// Some(true): its last word with a genitive s, "Brams", "Jansens"): in text, a word the
/// key writes with a capital must have one there too (particles aside).
fn matches(
    words: &[(usize, usize, String)],
    tokens: &[(String, bool)],
    text: &str,
    case: Case,
) -> Option<bool> {
    if words.len() < tokens.len() {
        return None;
    }
    let mut possessive = false;
    for (n, ((start, _, word), (token, capital))) in words.iter().zip(tokens).enumerate() {
        let genitive = n + 1 == tokens.len()
            && word.len() == token.len() + 1
            && word.starts_with(token.as_str())
            && word.ends_with('s');
        let same = word == token || genitive;
        let cased = case == Case::Any
            || !capital
            || PARTICLES.contains(&token.as_str())
            || text[*start..].starts_with(char::is_uppercase);
        if !(same && cased) {
            return None;
        }
        possessive = word != token;
    }
    Some(possessive)
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

/// Replace participants' names in a transcript body by pseudonyms: speakers that are names
/// (not roles such as `Moderator` or `Docent 2`) join the key, and every name of the key is
/// replaced wherever it occurs. Returns the body and what was replaced how often.
pub fn pseudonymise(body: &str, key: &mut PseudonymKey) -> (String, Replaced) {
    let mut speakers = Vec::new();
    for paragraph in body.split("\n\n") {
        if let (Some(speaker), _) = parse_turn(paragraph)
            && !is_role(&speaker)
        {
            key.pseudonym(&speaker);
            speakers.push(strip_title(&speaker).to_string());
        }
    }
    key.pseudonymise_text(body, &speakers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_stable_pseudonyms_roles_stay() {
        let mut key = PseudonymKey::default();
        let body = "[00:00:01] Moderator: Noor, wat vind jij?\n\n[00:00:04] Noor Jansen: Dat Sam gelijk heeft.\n\nSam: Dank je, Noortje.\n";
        let (out, replaced) = pseudonymise(body, &mut key);
        assert_eq!(
            out,
            "[00:00:01] Moderator: Deelnemer 1, wat vind jij?\n\n[00:00:04] Deelnemer 1: Dat Deelnemer 2 gelijk heeft.\n\nDeelnemer 2: Dank je, Noortje.\n"
        );
        assert_eq!(
            replaced,
            vec![
                ("Deelnemer 1".to_string(), 2),
                ("Deelnemer 2".to_string(), 2)
            ]
        );
        // The same people in another transcript get the same pseudonyms.
        assert_eq!(pseudonymise("Sam: Ja.\n", &mut key).0, "Deelnemer 2: Ja.\n");
        assert!(is_role("Docent 2") && is_role("P3") && !is_role("Noor"));
    }

    #[test]
    fn surnames_alone_notes_and_titles() {
        let mut key = PseudonymKey::default();
        let body = "[00:00:03] Sanne de Boer (ROC Oost): Ja.\n\nModerator: Dank u, mevrouw De Boer. En Dr. Smit?\n\nDr. Smit: De boer op, zei Boer.\n";
        let (out, _) = pseudonymise(body, &mut key);
        assert_eq!(
            out,
            "[00:00:03] Deelnemer 1 (ROC Oost): Ja.\n\nModerator: Dank u, mevrouw Deelnemer 1. En Dr. Deelnemer 2?\n\nDr. Deelnemer 2: De boer op, zei Deelnemer 1.\n"
        );
        assert_eq!(key.people[1].name, "Smit");
        assert_eq!(
            key.leaks("regel een\nmet Sanne en de boer\nDE BOER"),
            vec![(2, "Sanne".to_string()), (3, "DE BOER".to_string())]
        );
    }

    #[test]
    fn a_name_with_a_genitive_s_is_a_name_too() {
        // Found by a new-user trial: "Brams aanpak" kept the name.
        let mut key = PseudonymKey::default();
        let body = "Bram Jansen: Ja.\n\nModerator: Is Brams aanpak anders dan Jansens idee? En Bram's plan?\n\nModerator: Bramsen en Jansenss blijven.\n";
        let (out, _) = pseudonymise(body, &mut key);
        assert_eq!(
            out,
            "Deelnemer 1: Ja.\n\nModerator: Is Deelnemer 1's aanpak anders dan Deelnemer 1's idee? En Deelnemer 1's plan?\n\nModerator: Bramsen en Jansenss blijven.\n"
        );
        assert_eq!(
            key.leaks("Brams fiets\nbrams"),
            vec![(1, "Brams".to_string())],
            "the check finds them too"
        );
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
        assert_eq!(name("sanneke-jansenweg"), "sanneke-jansenweg");
        // A genitive s is the name's, though: "sannes" is Sanne's.
        assert_eq!(name("sannes-verhaal"), "Deelnemer 1's-verhaal");
        assert_eq!(name("moderator-teun"), "moderator-Deelnemer 2");
        let file = format!("{}.txt", name("interview-sanne-jansen"));
        assert_eq!(
            crate::corpus::source::id_from_name(Path::new(&file)),
            "interview-deelnemer-1"
        );
    }
}
