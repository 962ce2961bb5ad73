//! Fixing mislabelled speakers in a transcript: list a source's speakers, rename one, or
//! merge one into another. Only the labels change; codings find their text again by
//! re-anchoring when the corpus is next opened, and participants.toml follows.

use std::path::Path;

use crate::corpus::source::{self, Source};
use crate::corpus::turn::{label_end, parse_turn, speaker_of_label};
use crate::error::{Error, Result};

/// The speakers of `body` with their turn counts, in order of first turn.
pub fn list(body: &str) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for paragraph in body.split("\n\n") {
        if let (Some(speaker), _) = parse_turn(paragraph.trim()) {
            match out.iter_mut().find(|(s, _)| *s == speaker) {
                Some((_, n)) => *n += 1,
                None => out.push((speaker, 1)),
            }
        }
    }
    out
}

/// `body` with the label of every turn of `from` saying `to` (a note in brackets after the
/// label stays), and how many turns changed.
pub fn relabel(body: &str, from: &str, to: &str) -> (String, usize) {
    let mut changed = 0;
    let paragraphs: Vec<String> = body
        .split("\n\n")
        .map(|paragraph| {
            let leading = paragraph.len() - paragraph.trim_start().len();
            let trimmed = &paragraph[leading..];
            if parse_turn(trimmed).0.as_deref() != Some(from) {
                return paragraph.to_string();
            }
            // The label starts after the timestamp, if there is one.
            let label_start = match trimmed.strip_prefix('[').and_then(|r| r.split_once(']')) {
                Some((_, rest)) if parse_turn(trimmed).1.is_some() => {
                    trimmed.len() - rest.trim_start().len()
                }
                _ => 0,
            };
            let rest = &trimmed[label_start..];
            let Some(end) = label_end(rest) else {
                return paragraph.to_string();
            };
            let Some(at) = rest[..end].find(from) else {
                return paragraph.to_string();
            };
            changed += 1;
            let start = leading + label_start + at;
            let mut out = paragraph.to_string();
            out.replace_range(start..start + from.len(), to);
            out
        })
        .collect();
    (paragraphs.join("\n\n"), changed)
}

/// Rename (`merge` false: `to` must be new in the source) or merge (`to` must already speak
/// there) the speaker `from` of `source`, writing the source atomically and updating
/// participants.toml. Returns how many turns changed.
pub fn rename(corpus: &Path, source: &Source, from: &str, to: &str, merge: bool) -> Result<usize> {
    let bad = |m: String| Error::Usage(m);
    if speaker_of_label(to).as_deref() != Some(to) {
        return Err(bad(format!(
            "{to:?} is no speaker label (a capital first, no sentence marks, at most four words)"
        )));
    }
    let speakers = list(&source.body);
    let names = || {
        speakers
            .iter()
            .map(|(s, _)| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !speakers.iter().any(|(s, _)| s == from) {
        return Err(bad(format!(
            "{from:?} does not speak in {}: its speakers are {}",
            source.meta.id,
            names()
        )));
    }
    let exists = speakers.iter().any(|(s, _)| s == to);
    if merge && !exists {
        return Err(bad(format!(
            "{to:?} does not speak in {}: use rename (its speakers are {})",
            source.meta.id,
            names()
        )));
    }
    if !merge && exists {
        return Err(bad(format!(
            "{to:?} already speaks in {}: use merge to join the two",
            source.meta.id
        )));
    }
    let (body, changed) = relabel(&source.body, from, to);
    crate::atomic::write(&source.path, source::render(&source.meta, &body).as_bytes())?;
    crate::corpus::participants::rename(
        corpus,
        &source.meta.id,
        source.meta.case.as_deref(),
        from,
        to,
    )?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_change_text_does_not() {
        let body = "Datum: 4 april\n\n[00:00:01] Spreker 1 (ROC Oost): Spreker 1 zegt ja.\n\nModerator: Goed.\n\nSpreker 1: Nee.\n";
        let (out, n) = relabel(body, "Spreker 1", "Sanne");
        assert_eq!(n, 2);
        assert_eq!(
            out,
            "Datum: 4 april\n\n[00:00:01] Sanne (ROC Oost): Spreker 1 zegt ja.\n\nModerator: Goed.\n\nSanne: Nee.\n"
        );
        assert_eq!(
            list(&out),
            vec![("Sanne".to_string(), 2), ("Moderator".to_string(), 1)]
        );
    }
}
