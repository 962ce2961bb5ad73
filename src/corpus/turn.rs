//! The transcript turn as the corpus reads it: `Speaker: text` or `[00:12:03] Speaker: text`,
//! where the speaker label may carry a title (`Dr. Smit`) and a note in brackets
//! (`Sanne de Boer (ROC Oost)`, `P3 (vrouw, 34)`). Header lines (`Datum: 4 april`) are no
//! turns. The importers write turns in exactly this form, so what they found is what is read.

/// Titles that may stand before a name in a speaker label; the dot is no sentence end there.
const TITLES: &[&str] = &[
    "Dr.", "Drs.", "Dhr.", "Mw.", "Mevr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Ir.", "Ing.", "Ds.",
];

/// Labels of header lines (date, place, duration, participants, …) in Dutch and English:
/// `Datum: 4 april 2024` describes the recording, nobody says it.
const HEADER_LABELS: &[&str] = &[
    "datum",
    "date",
    "gespreksdatum",
    "interviewdatum",
    "plaats",
    "place",
    "locatie",
    "location",
    "duur",
    "duration",
    "lengte",
    "length",
    "tijd",
    "time",
    "tijdstip",
    "deelnemers",
    "participants",
    "aanwezig",
    "aanwezigen",
    "present",
    "onderwerp",
    "subject",
    "topic",
    "titel",
    "title",
    "project",
    "opname",
    "recording",
    "transcriptie",
    "transcript",
    "transcribent",
    "transcriber",
    "bestand",
    "file",
    "sessie",
    "session",
    "organisatie",
    "taal",
    "language",
    "notulist",
    "opmerking",
    "opmerkingen",
    "note",
    "notes",
    "nb",
];

/// Parenthesised notes on a speaker are at most this long (`(ROC Oost)`, `(vrouw, 34)`).
const MAX_NOTE_CHARS: usize = 40;

/// A transcript turn: `Speaker: text` or `[00:12:03] Speaker: text`: the speaker (without a
/// note in brackets) and the timestamp.
pub fn parse_turn(paragraph: &str) -> (Option<String>, Option<String>) {
    let (timestamp, rest) = match paragraph.strip_prefix('[').and_then(|r| r.split_once(']')) {
        Some((ts, rest)) if is_timestamp(ts) => (Some(ts.to_string()), rest.trim_start()),
        _ => (None, paragraph),
    };
    let speaker = label_end(rest).and_then(|end| speaker_of_label(&rest[..end]));
    (speaker, timestamp)
}

/// The byte offset of the colon that ends a speaker label at the start of `text`: the first
/// colon outside brackets and not inside a time (`Petra  0:05` has no label).
pub fn label_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ':' if depth == 0 => {
                let in_time = i > 0
                    && bytes[i - 1].is_ascii_digit()
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                if !in_time {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The speaker a label names, when it is one: `Name`, `Dr. Name`, `Name (Organisatie)` →
/// `Name`, `Dr. Name`, `Name`. A header label, a sentence or a lowercase word is none.
pub fn speaker_of_label(label: &str) -> Option<String> {
    let (core, _note) = split_note(label.trim());
    let name = strip_title(core);
    let plausible = !name.is_empty()
        && core.chars().count() <= 40
        && core.split_whitespace().count() <= 4
        && core.chars().next().is_some_and(|c| c.is_uppercase())
        && !name.contains(['.', ',', '?', '!', '“', '"', '(', ')', '[', ']'])
        && !is_header_label(core);
    plausible.then(|| core.to_string())
}

/// A name without the title before it: `Dr. Smit` → `Smit`.
pub fn strip_title(name: &str) -> &str {
    TITLES
        .iter()
        .find_map(|t| name.strip_prefix(t).and_then(|r| r.strip_prefix(' ')))
        .map_or(name, str::trim_start)
}

/// A label and its note in brackets at the end: `Sanne (ROC Oost)` → (`Sanne`, `ROC Oost`).
pub fn split_note(label: &str) -> (&str, Option<&str>) {
    if let Some(inner) = label.strip_suffix(')')
        && let Some((core, note)) = inner.rsplit_once(" (")
        && !note.contains(['(', ')'])
        && note.chars().count() <= MAX_NOTE_CHARS
        && !core.trim().is_empty()
    {
        return (core.trim(), Some(note));
    }
    (label, None)
}

/// True for the label of a header line: date, place, duration, participants and the like.
pub fn is_header_label(label: &str) -> bool {
    let lower = label.trim().to_lowercase();
    HEADER_LABELS.contains(&lower.as_str())
}

/// `hh:mm:ss` or `mm:ss`, one or two digits each.
pub fn is_timestamp(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_with_titles_notes_and_headers() {
        let speaker = |p: &str| parse_turn(p).0;
        assert_eq!(speaker("Dr. Smit: Goed."), Some("Dr. Smit".into()));
        assert_eq!(
            speaker("[00:00:03] Sanne de Boer (ROC Oost): Ja."),
            Some("Sanne de Boer".into())
        );
        assert_eq!(speaker("P3 (vrouw, 34): Nee."), Some("P3".into()));
        assert_eq!(speaker("Datum: 4 april 2024"), None);
        assert_eq!(speaker("Hij zei, nou ja: iets"), None);
        assert_eq!(speaker("interviewer: lowercase"), None);
        assert_eq!(speaker("Zo. Dan: verder"), None);
        assert_eq!(parse_turn("[12:30] P3: Ja.").1, Some("12:30".into()));
    }
}
