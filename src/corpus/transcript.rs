//! Importing plain-text and Markdown transcripts as they come from transcribers: speaker
//! turns in the forms transcribers write (`Name:`, `NAME:`, `Interviewer 1:`, `P3:`,
//! `[Name]`, `@Name:`), optionally after a timestamp (`[00:12:03]`, `00:12:03`, `(12:03)`),
//! become visgraat's one form, `[00:12:03] Name: text`, one paragraph per turn. Nothing else
//! changes: the words stay as typed. Lines that wrap a turn join it; a line that is not a
//! turn and follows a blank line stays a paragraph of its own (a header, a note).

use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

pub use crate::corpus::pseudonyms::{Person, PseudonymKey, is_role, pseudonymise};
use crate::corpus::source::{self, SourceKind, SourceMeta, parse_turn};
use crate::error::{Error, Result};

/// A timestamp at the start of `line` in one of the forms transcribers use, and the rest.
fn leading_timestamp(line: &str) -> (Option<String>, &str) {
    let is_time = |s: &str| {
        let parts: Vec<&str> = s.split(':').collect();
        (2..=3).contains(&parts.len())
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()))
    };
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(rest) = line.strip_prefix(open)
            && let Some((ts, after)) = rest.split_once(close)
            && is_time(ts)
        {
            return (Some(ts.to_string()), after.trim_start());
        }
    }
    if let Some((ts, after)) = line.split_once(char::is_whitespace)
        && is_time(ts)
    {
        return (Some(ts.to_string()), after.trim_start());
    }
    (None, line)
}

/// `line` as a turn in visgraat's form, if it is one.
fn as_turn(line: &str) -> Option<String> {
    let (timestamp, rest) = leading_timestamp(line.trim());
    // Markdown emphasis on the speaker: `**Name:** text` or `**Name**: text`.
    let unbolded;
    let rest = match rest
        .strip_prefix("**")
        .or_else(|| rest.strip_prefix("__"))
        .and_then(|r| {
            r.split_once(['*', '_'])
                .map(|(name, after)| (name, after.trim_start_matches(['*', '_'])))
        }) {
        Some((name, after)) if name.ends_with(':') || after.starts_with(':') => {
            unbolded = format!(
                "{}: {}",
                name.trim_end_matches(':').trim(),
                after.trim_start_matches(':').trim_start()
            );
            unbolded.as_str()
        }
        _ => rest,
    };
    // `[Name] text` and `@Name: text` → `Name: text`.
    let rest = if let Some(inner) = rest.strip_prefix('[')
        && let Some((name, text)) = inner.split_once(']')
    {
        format!("{}: {}", name.trim(), text.trim_start())
    } else if let Some(r) = rest.strip_prefix('@') {
        r.to_string()
    } else {
        rest.to_string()
    };
    let (speaker, _) = parse_turn(&rest);
    let speaker = speaker?;
    let (_, said) = rest.split_once(':')?;
    let said = said.trim_start();
    Some(match timestamp {
        Some(ts) => format!("[{ts}] {speaker}: {said}"),
        None => format!("{speaker}: {said}"),
    })
}

/// The body of a transcript: one paragraph per turn (and per other block), NFC, LF.
pub fn normalise(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if let Some(p) = current.take() {
                paragraphs.push(p);
            }
            continue;
        }
        match as_turn(trimmed) {
            Some(turn) => {
                if let Some(p) = current.take() {
                    paragraphs.push(p);
                }
                current = Some(turn);
            }
            None => match &mut current {
                // A wrapped line goes on with the paragraph it wraps.
                Some(p) => {
                    p.push(' ');
                    p.push_str(trimmed);
                }
                None => current = Some(trimmed.to_string()),
            },
        }
    }
    if let Some(p) = current.take() {
        paragraphs.push(p);
    }
    let mut body = paragraphs.join("\n\n");
    body.push('\n');
    body.nfc().collect()
}

/// One subtitle cue: when it starts (hh:mm:ss), who speaks (if the cue says), what is said.
struct Cue {
    start: String,
    speaker: Option<String>,
    text: String,
}

/// The cues of a WebVTT (`<v Name>` voice tags) or SubRip file.
fn cues(text: &str) -> Vec<Cue> {
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<&str> = block
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let Some(at) = lines.iter().position(|l| l.contains("-->")) else {
            continue; // the WEBVTT header, NOTE and STYLE blocks, stray numbers
        };
        let start = lines[at]
            .split("-->")
            .next()
            .unwrap_or_default()
            .trim()
            .replace(',', ".");
        // hh:mm:ss.mmm or mm:ss.mmm → hh:mm:ss
        let clock = start.split('.').next().unwrap_or_default();
        let parts: Vec<&str> = clock.split(':').collect();
        let start = match parts.as_slice() {
            [h, m, s] => format!("{h:0>2}:{m:0>2}:{s:0>2}"),
            [m, s] => format!("00:{m:0>2}:{s:0>2}"),
            _ => continue,
        };
        let mut said = lines[at + 1..].join(" ");
        let mut speaker = None;
        // WebVTT voice: <v Name> or <v.class Name>, closed by </v> or not at all.
        if let Some(rest) = said.strip_prefix("<v")
            && let Some((tag, after)) = rest.split_once('>')
        {
            let name = tag.split_once(' ').map_or("", |(_, n)| n).trim();
            if !name.is_empty() {
                speaker = Some(name.to_string());
            }
            said = after.replace("</v>", "");
        }
        if speaker.is_none()
            && let (Some(name), _) = parse_turn(&said)
            && let Some((_, after)) = said.split_once(':')
        {
            speaker = Some(name);
            said = after.trim_start().to_string();
        }
        out.push(Cue {
            start,
            speaker,
            text: said.trim().to_string(),
        });
    }
    out
}

/// A subtitle file's body: consecutive cues of one speaker make one turn, timed by its first
/// cue; a cue that names no speaker goes on with the turn before it.
pub fn normalise_subtitles(text: &str) -> String {
    let mut turns: Vec<(String, Option<String>, String)> = Vec::new();
    for cue in cues(text) {
        match turns.last_mut() {
            Some((_, speaker, said)) if cue.speaker.is_none() || cue.speaker == *speaker => {
                said.push(' ');
                said.push_str(&cue.text);
            }
            _ => turns.push((cue.start, cue.speaker, cue.text)),
        }
    }
    let mut body = turns
        .into_iter()
        .map(|(start, speaker, said)| match speaker {
            Some(name) => format!("[{start}] {name}: {said}"),
            None => format!("[{start}] {said}"),
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    body.push('\n');
    body.nfc().collect()
}

/// A source id from a file name: lowercase, accents folded, words joined by hyphens.
pub fn id_from_name(path: &Path) -> String {
    id_from_stem(&path.file_stem().unwrap_or_default().to_string_lossy())
}

/// A source id from a file name without its extension.
fn id_from_stem(stem: &str) -> String {
    let stem = stem
        .nfd()
        .filter(char::is_ascii)
        .collect::<String>()
        .to_lowercase();
    let mut id = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_string()
}

/// What importing one file did.
#[derive(Debug, Clone, PartialEq)]
pub enum Imported {
    Added(PathBuf),
    Updated(PathBuf),
    Unchanged(PathBuf),
}

/// How to import a file.
#[derive(Debug, Default)]
pub struct Options<'k> {
    pub kind: Option<SourceKind>,
    pub case: Option<String>,
    /// Replace participants' names by pseudonyms from (and into) this key.
    pub pseudonyms: Option<&'k mut PseudonymKey>,
    /// The file is text extracted from a PDF: join wrapped lines, repair hyphenation from
    /// the file's own words, drop page debris, move footnotes to a notes section.
    pub pdf_text: bool,
}

/// The paragraphs of a Word (.docx) file, one line each.
fn docx_text(file: &Path) -> Result<String> {
    let bad = |m: String| Error::invalid(file, None, m);
    let mut zip = crate::archive::Archive::open(file, "a .docx")?;
    const BODY: &str = "word/document.xml";
    if !zip.has(BODY) {
        return Err(bad("no word/document.xml: not a Word document".into()));
    }
    // The body alone is read, within the bound of a source file.
    let bytes = zip.read(BODY, crate::archive::MAX_ENTRY_BYTES)?;
    let xml = String::from_utf8(bytes).map_err(|_| {
        let e = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        );
        Error::io(file, e)
    })?;
    let mut reader = quick_xml::reader::Reader::from_str(&xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader
            .read_event()
            .map_err(|e| bad(format!("word/document.xml: {e}")))?
        {
            quick_xml::events::Event::Start(e) if e.local_name().as_ref() == "t" => in_text = true,
            quick_xml::events::Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => out.push('\n'),
                _ => {}
            },
            quick_xml::events::Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => out.push('\t'),
                "br" => out.push('\n'),
                _ => {}
            },
            quick_xml::events::Event::Text(t) if in_text => out.push_str(&t.xml10_content()),
            quick_xml::events::Event::GeneralRef(r) if in_text => {
                crate::qdpx::reader::push_reference(&mut out, &r)
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    // A Word paragraph is a line; the turn logic joins and separates them as for text.
    Ok(out)
}

/// Import `file` into `corpus` as a source (a transcript unless `options.kind` says otherwise):
/// written atomically to `sources/<kind>/<id>.md`. The same file again is a no-op; a changed
/// file replaces the source (its codings follow by re-anchoring when the corpus is next opened).
pub fn import(corpus: &Path, file: &Path, options: Options<'_>) -> Result<Imported> {
    let kind = options.kind.unwrap_or(SourceKind::Transcript);
    let case = options.case.as_deref();
    let is_docx = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let text = if is_docx {
        docx_text(file)?
    } else {
        crate::text_file::read(file)?
    };
    let id = id_from_name(file);
    source::validate_id(&id).map_err(|m| {
        Error::invalid(
            file,
            None,
            format!("no usable id from the file name ({m}); rename the file"),
        )
    })?;
    let subtitles = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("vtt") || e.eq_ignore_ascii_case("srt"));
    let mut pages = Vec::new();
    let body = if subtitles {
        normalise_subtitles(&text)
    } else if options.pdf_text {
        let evidence = crate::corpus::pdf_text::WordEvidence::from_texts([text.as_str()]);
        let repaired = crate::corpus::pdf_text::repair(
            &text,
            &crate::corpus::pdf_text::RepairOptions {
                evidence: Some(&evidence),
                ..Default::default()
            },
        );
        let paragraphs: Vec<_> = repaired.paragraphs.iter().collect();
        let (body, marks) = crate::corpus::import_plan::body_of(&paragraphs, &repaired);
        pages = marks;
        body.nfc().collect()
    } else {
        normalise(&text)
    };
    if body.trim().is_empty() {
        return Err(Error::invalid(file, Some(1), "the file holds no text"));
    }
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    let extension = file
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    // The file name is pseudonymised after the text, so the speakers of this very file are
    // in the key by then: `interview-sanne-jansen.txt` with a speaker Sanne Jansen.
    let (body, id, title, provenance) = match options.pseudonyms {
        Some(key) => {
            let body = pseudonymise(&body, key);
            let stem = key.pseudonymise_name(&stem);
            let id = id_from_stem(&stem);
            let provenance = format!("imported from {stem}{extension} (pseudonymised)");
            (body, id, stem, provenance)
        }
        None => {
            let provenance = format!("imported from {stem}{extension}");
            (body, id, stem.to_string(), provenance)
        }
    };
    source::validate_id(&id).map_err(|m| {
        Error::invalid(
            file,
            None,
            format!("no usable id from the file name ({m}); rename the file"),
        )
    })?;
    let meta = SourceMeta {
        id: id.clone(),
        kind,
        title,
        case: case.map(str::to_string),
        date: None,
        provenance,
        pages,
    };
    let target = corpus
        .join("sources")
        .join(kind.as_str())
        .join(format!("{id}.md"));
    if kind == SourceKind::Transcript {
        let mut speakers: Vec<String> = source::segments(&body, kind, &[])
            .into_iter()
            .filter_map(|s| s.speaker)
            .collect();
        speakers.sort();
        speakers.dedup();
        crate::corpus::participants::record(corpus, &id, case, &speakers)?;
    }
    let rendered = source::render(&meta, &body);
    let existing = crate::text_file::read_optional(&target)?;
    if existing.as_deref() == Some(rendered.as_str()) {
        return Ok(Imported::Unchanged(target));
    }
    crate::atomic::write(&target, rendered.as_bytes())?;
    Ok(if existing.is_some() {
        Imported::Updated(target)
    } else {
        Imported::Added(target)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_transcribers_write_become_one() {
        let text = "Focusgroep team A (synthetisch)\n\n\
                    [00:12:03] Moderator: Wat helpt?\n\
                    00:12:10 Docent 1: Korte lijnen,\nzeker met de zorgcoördinator.\n\
                    (12:30) P3: Ja.\n\
                    [Noor] Dat vind ik ook.\n\
                    @Sam: En de AVG?\n\
                    INTERVIEWER 1: Nog iets?\n\
                    **Docent 2:** Meer tijd.\n\
                    __Noor__: Ja.\n\n\
                    Einde opname.\n";
        assert_eq!(
            normalise(text),
            "Focusgroep team A (synthetisch)\n\n\
             [00:12:03] Moderator: Wat helpt?\n\n\
             [00:12:10] Docent 1: Korte lijnen, zeker met de zorgcoördinator.\n\n\
             [12:30] P3: Ja.\n\n\
             Noor: Dat vind ik ook.\n\n\
             Sam: En de AVG?\n\n\
             INTERVIEWER 1: Nog iets?\n\n\
             Docent 2: Meer tijd.\n\n\
             Noor: Ja.\n\n\
             Einde opname.\n"
        );
    }

    #[test]
    fn subtitle_cues_become_turns() {
        let vtt = "WEBVTT\n\nNOTE synthetisch\n\n00:00:05.000 --> 00:00:08.000\n<v Moderator>Welkom allemaal.\n\n\
                   00:00:08.500 --> 00:00:11.000\n<v Moderator>Wat helpt jullie?</v>\n\n\
                   00:01:02.000 --> 00:01:06.000\n<v.loud Docent 1>De korte lijnen,\nzeker weten.\n";
        assert_eq!(
            normalise_subtitles(vtt),
            "[00:00:05] Moderator: Welkom allemaal. Wat helpt jullie?\n\n[00:01:02] Docent 1: De korte lijnen, zeker weten.\n"
        );
        let srt = "1\n00:00:05,000 --> 00:00:08,000\nModerator: Welkom.\n\n2\n00:00:09,000 --> 00:00:10,000\nNog even.\n\n\
                   3\n00:00:12,000 --> 00:00:15,000\nP3: Ja.\n";
        assert_eq!(
            normalise_subtitles(srt),
            "[00:00:05] Moderator: Welkom. Nog even.\n\n[00:00:12] P3: Ja.\n"
        );
    }

    #[test]
    fn ids_from_file_names() {
        assert_eq!(
            id_from_name(Path::new("Focusgroep Team Ä 2024.txt")),
            "focusgroep-team-a-2024"
        );
        assert_eq!(id_from_name(Path::new("__.md")), "");
    }
}
