//! Recognising a turn at the start of a line in the forms transcribers and transcription
//! tools write: `Name:`, `NAME:`, `interviewer:` (lowercase, when the file uses it as a
//! label more than once), `Dr. Smit:`, `Sanne de Boer (ROC Oost):`, `P3 (vrouw, 34):`,
//! `[Name] text`, `[id1] text`, `@Name:`, `**Name:**`, after a time (`[00:12:03]`,
//! `00:12:03`, `(12:03)`); Otter.ai's `Name  0:05` on a line of its own; header lines
//! (`Datum: 4 april 2024`).

use std::collections::HashMap;

use crate::corpus::turn::{is_header_label, is_timestamp, label_end, speaker_of_label, split_note};

/// What a line starts with, when it starts a turn.
#[derive(Debug, Clone, PartialEq)]
pub struct LineTurn {
    pub time: Option<String>,
    pub label: String,
    pub text: String,
}

/// File-wide evidence: the lowercase labels the file uses as labels (two or more times at
/// the start of a line), and whether Otter-style `Name  0:05` lines recur.
#[derive(Debug, Default)]
pub struct Labels {
    lowercase: Vec<String>,
    otter_lines: usize,
}

impl Labels {
    pub fn of<'a>(lines: impl IntoIterator<Item = &'a str>) -> Labels {
        let mut lowercase: HashMap<String, usize> = HashMap::new();
        let mut otter_lines = 0;
        for line in lines {
            let (_, rest) = leading_time(line.trim());
            let rest = rest.trim_start_matches(['-', '–']).trim_start();
            if let Some(end) = label_end(rest) {
                let label = rest[..end].trim();
                if label.chars().next().is_some_and(char::is_lowercase)
                    && label.split_whitespace().count() <= 3
                    && speaker_of_label(&capitalise(label)).is_some()
                {
                    *lowercase.entry(label.to_string()).or_default() += 1;
                }
            }
            if otter_header(line.trim(), true).is_some() {
                otter_lines += 1;
            }
        }
        Labels {
            lowercase: lowercase
                .into_iter()
                .filter(|(_, n)| *n >= 2)
                .map(|(l, _)| l)
                .collect(),
            otter_lines,
        }
    }

    /// `line` as a turn, if it starts one.
    pub fn turn(&self, line: &str) -> Option<LineTurn> {
        let (time, rest) = leading_time(line.trim());
        let rest = unbold(rest);
        // `[Name] text`, `[id1] text`: the brackets say it is a label; a lowercase one needs
        // a number (`[id1]`), since `[lacht] Ja` is a note on the line.
        if let Some(inner) = rest.strip_prefix('[')
            && let Some((name, text)) = inner.split_once(']')
            && !name.contains(':')
            && (!name.starts_with(char::is_lowercase)
                || name.contains(|c: char| c.is_ascii_digit()))
        {
            let label = capitalise(name.trim());
            return speaker_of_label(&label).map(|_| LineTurn {
                time,
                label,
                text: text.trim().to_string(),
            });
        }
        let rest = rest.strip_prefix('@').unwrap_or(&rest);
        let end = label_end(rest)?;
        let raw = rest[..end].trim();
        let text = rest[end + 1..].trim();
        let (raw, time) = match split_note(raw) {
            // Rev's `Name (00:05):` carries the time in the note.
            (core, Some(note)) if is_timestamp(note) && time.is_none() => {
                (core, Some(note.to_string()))
            }
            _ => (raw, time),
        };
        let label = if raw.chars().next().is_some_and(char::is_lowercase) {
            if !self.lowercase.iter().any(|l| l == raw) {
                return None;
            }
            capitalise(raw)
        } else {
            raw.to_string()
        };
        speaker_of_label(&label)?;
        Some(LineTurn {
            time,
            label,
            text: text.to_string(),
        })
    }

    /// Otter.ai's turn header, `Name  0:05` alone on its line: the label and the time.
    pub fn otter(&self, line: &str) -> Option<(String, String)> {
        otter_header(line.trim(), self.otter_lines >= 2)
    }
}

/// `Name  0:05`: a label, white space, a time, nothing else. With one space between them
/// only when the file has more such lines (`Om 10:30` alone is a sentence).
fn otter_header(line: &str, recurring: bool) -> Option<(String, String)> {
    let (name, time) = line.rsplit_once(char::is_whitespace)?;
    if !is_timestamp(time) {
        return None;
    }
    let wide = name.ends_with([' ', '\t']);
    let name = name.trim();
    if !(wide || recurring) || name.contains(':') {
        return None;
    }
    speaker_of_label(name).map(|_| (name.to_string(), time.to_string()))
}

/// True for a header line: `Datum: 4 april 2024`, `Plaats: Zwolle`.
pub fn is_header_line(line: &str) -> bool {
    let line = unbold(line.trim());
    label_end(&line).is_some_and(|end| is_header_label(&line[..end]))
}

/// A time at the start of `line` in one of the forms transcribers use (`[00:12:03]`,
/// `(12:03)`, `00:12:03 `, `[00:12:03.500]`), without fractions, and the rest.
pub fn leading_time(line: &str) -> (Option<String>, &str) {
    let clock = |s: &str| {
        let whole = s.split(['.', ',']).next().unwrap_or_default();
        let fraction_ok = s[whole.len()..]
            .get(1..)
            .is_none_or(|f| !f.is_empty() && f.len() <= 3 && f.chars().all(|c| c.is_ascii_digit()));
        (is_timestamp(whole) && fraction_ok).then(|| whole.to_string())
    };
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(rest) = line.strip_prefix(open)
            && let Some((ts, after)) = rest.split_once(close)
            && let Some(ts) = clock(ts)
        {
            return (Some(ts), after.trim_start());
        }
    }
    let (ts, after) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    match clock(ts) {
        Some(ts) => (Some(ts), after.trim_start()),
        None => (None, line),
    }
}

/// Markdown emphasis on the speaker: `**Name:** text` or `**Name**: text` → `Name: text`.
fn unbold(rest: &str) -> std::borrow::Cow<'_, str> {
    let bold = rest
        .strip_prefix("**")
        .or_else(|| rest.strip_prefix("__"))
        .and_then(|r| {
            r.split_once(['*', '_'])
                .map(|(name, after)| (name, after.trim_start_matches(['*', '_'])))
        });
    match bold {
        Some((name, after)) if name.ends_with(':') || after.starts_with(':') => {
            std::borrow::Cow::Owned(format!(
                "{}: {}",
                name.trim_end_matches(':').trim(),
                after.trim_start_matches(':').trim_start()
            ))
        }
        _ => std::borrow::Cow::Borrowed(rest),
    }
}

/// `interviewer` → `Interviewer`: the corpus reads a label by its capital.
pub fn capitalise(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_forms() {
        let text = "interviewer: Hoe ging het?\ninterviewee: Goed.\ninterviewer: En toen?\nmaar goed: verder\n";
        let labels = Labels::of(text.lines());
        let turn = |l: &str| labels.turn(l).map(|t| (t.time, t.label, t.text));
        assert_eq!(
            turn("interviewer: Hoe ging het?"),
            Some((None, "Interviewer".into(), "Hoe ging het?".into()))
        );
        assert_eq!(turn("maar goed: verder"), None);
        assert_eq!(
            turn("[00:00:03] Sanne de Boer (ROC Oost): Ja."),
            Some((
                Some("00:00:03".into()),
                "Sanne de Boer (ROC Oost)".into(),
                "Ja.".into()
            ))
        );
        assert_eq!(
            turn("Dr. Smit: Goed.").map(|t| t.1),
            Some("Dr. Smit".into())
        );
        assert_eq!(turn("[id1] hello").map(|t| t.1), Some("Id1".into()));
        assert_eq!(
            turn("Petra (00:05): Dank je.").map(|t| (t.0, t.1)),
            Some((Some("00:05".into()), "Petra".into()))
        );
        assert_eq!(turn("Datum: 4 april 2024"), None);
        assert!(is_header_line("Datum: 4 april 2024") && !is_header_line("Docent: ja"));
        assert_eq!(
            labels.otter("Petra Jansen  0:05"),
            Some(("Petra Jansen".into(), "0:05".into()))
        );
        assert_eq!(labels.otter("Om 10:30"), None);
    }
}
