//! WebVTT (Zoom, Microsoft Teams) and SubRip files: cues become turns. A speaker comes from a
//! voice tag (`<v Name>`, any characters), a `Name:` label or a dialogue dash (`- Tom: Ja.`);
//! a speaker's consecutive cues make one turn, timed by its first cue, split into paragraphs
//! at a pause or after a run of sentences, so one speaker's hour is not one paragraph.
//! Styling tags (`<c.yellow>`, `<i>`) go and entities (`&amp;`) are decoded. Text after a
//! blank line inside a cue stays with its cue.

use super::label::{Labels, capitalise};
use super::paragraphs::Paragraph;
use crate::corpus::turn::speaker_of_label;

/// A pause this long (seconds) between cues of one speaker starts a new paragraph…
const PAUSE_SECONDS: f64 = 2.0;
/// …once the paragraph has this many words;
const MIN_PARAGRAPH_WORDS: usize = 40;
/// and a paragraph this long ends at the next sentence end anyway.
const LONG_PARAGRAPH_WORDS: usize = 120;

/// A cue: its start as written (hh:mm:ss), start and end in seconds, and its text lines.
struct Cue {
    start: String,
    from: f64,
    to: f64,
    lines: Vec<String>,
}

/// The cues of a subtitle file and its text outside cues (before the first one), and the
/// text the word check compares with: every cue's and stray line's words, with timing
/// lines, cue numbers, the header and NOTE/STYLE/REGION blocks left out.
struct Parsed {
    before: Vec<String>,
    cues: Vec<Cue>,
    visible: String,
    /// NOTE blocks (WebVTT's comments), left out.
    notes: usize,
}

fn parse(text: &str) -> Parsed {
    let lines: Vec<&str> = text.lines().collect();
    let mut parsed = Parsed {
        before: Vec::new(),
        cues: Vec::new(),
        visible: String::new(),
        notes: 0,
    };
    let mut skipping = false; // in the header or a NOTE, STYLE or REGION block
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        let after_blank = i == 0 || lines[i - 1].trim().is_empty();
        if line.is_empty() {
            skipping = false;
            continue;
        }
        if skipping {
            continue;
        }
        if (i == 0 && line.starts_with("WEBVTT"))
            || (after_blank
                && ["NOTE", "STYLE", "REGION"]
                    .iter()
                    .any(|w| line == *w || line.starts_with(&format!("{w} "))))
        {
            parsed.notes += usize::from(line == "NOTE" || line.starts_with("NOTE "));
            skipping = true;
            continue;
        }
        if let Some((start, from, to)) = timing(line) {
            parsed.cues.push(Cue {
                start,
                from,
                to,
                lines: Vec::new(),
            });
            continue;
        }
        // A cue's number or id: one word on its own line right before a timing line.
        if after_blank
            && !line.contains(char::is_whitespace)
            && lines.get(i + 1).and_then(|l| timing(l.trim())).is_some()
        {
            continue;
        }
        let (_, shown) = strip_markup(line, true);
        parsed.visible.push_str(&shown);
        parsed.visible.push('\n');
        match parsed.cues.last_mut() {
            Some(cue) => cue.lines.push(line.to_string()),
            None => parsed.before.push(line.to_string()),
        }
    }
    parsed
}

/// A timing line `00:00:05.000 --> 00:00:08.000 [settings]`: the start as hh:mm:ss, and
/// start and end in seconds.
fn timing(line: &str) -> Option<(String, f64, f64)> {
    let (from, rest) = line.split_once("-->")?;
    let to = rest.split_whitespace().next()?;
    let (start, from) = clock(from.trim())?;
    let (_, to) = clock(to)?;
    Some((start, from, to))
}

/// `hh:mm:ss.mmm`, `mm:ss.mmm` or `hh:mm:ss,mmm` as (hh:mm:ss, seconds).
fn clock(s: &str) -> Option<(String, f64)> {
    let (whole, fraction) = s.split_once(['.', ',']).unwrap_or((s, "0"));
    let fraction: f64 = format!("0.{fraction}").parse().ok()?;
    let parts: Vec<u32> = whole
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (h, m, sec) = match parts.as_slice() {
        [h, m, s] => (*h, *m, *s),
        [m, s] => (0, *m, *s),
        _ => return None,
    };
    let seconds = f64::from(h * 3600 + m * 60 + sec) + fraction;
    Some((format!("{h:02}:{m:02}:{sec:02}"), seconds))
}

/// A cue line without its markup: the voice it names first (`<v Name>`), and its text with
/// tags removed and entities decoded; for the word check (`keep_voice`) the voice's name
/// stays in the text, where it stood.
fn strip_markup(line: &str, keep_voice: bool) -> (Option<String>, String) {
    let mut voice = None;
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(['<', '{']) {
        let close = if rest[at..].starts_with('<') {
            '>'
        } else {
            '}'
        };
        let Some(len) = rest[at..].find(close) else {
            break;
        };
        let tag = &rest[at + 1..at + len];
        // `{…}` is an SRT override only as `{\an8}`; other braces are text.
        if close == '}' && !tag.starts_with('\\') {
            out.push_str(&rest[..at + len + 1]);
            rest = &rest[at + len + 1..];
            continue;
        }
        out.push_str(&rest[..at]);
        if let Some(v) = tag.strip_prefix('v')
            && (v.starts_with(' ') || v.starts_with('.'))
            && let Some((_, name)) = v.split_once(' ')
            && !name.trim().is_empty()
        {
            // The line's first voice names its speaker; a later one in the same line
            // (`<v Ans>Ja. <v Bram>Nee.`, or a tag left open) keeps its name as words of
            // the text, where it stood: a line is one turn, and no word is lost.
            let later = voice.is_some();
            if voice.is_none() {
                voice = Some(decode_entities(name.trim()));
            }
            if keep_voice || later {
                if !out.ends_with(char::is_whitespace) {
                    out.push(' ');
                }
                out.push_str(name.trim());
                out.push(' ');
            }
        }
        rest = &rest[at + len + 1..];
    }
    out.push_str(rest);
    (voice, decode_entities(&out))
}

/// WebVTT's and HTML's entities as the characters they stand for.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let entity = after.find(';').filter(|&n| n <= 8).map(|n| &after[..n]);
        let decoded = entity.and_then(|e| match e {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            "lrm" => Some('\u{200e}'),
            "rlm" => Some('\u{200f}'),
            _ => {
                let n = e.strip_prefix('#')?;
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => n.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (entity, decoded) {
            (Some(e), Some(c)) => {
                if !matches!(c, '\u{200e}' | '\u{200f}') {
                    out.push(c);
                }
                rest = &after[e.len() + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One speaker's stretch within a cue: a line with a voice tag or a dialogue dash starts one.
struct Part {
    label: Option<String>,
    text: String,
}

fn parts(cue: &Cue, labels: &Labels) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    for line in &cue.lines {
        let (voice, text) = strip_markup(line, false);
        let dash = text
            .trim_start()
            .strip_prefix(['-', '–'])
            .map(str::trim_start);
        let body = dash.unwrap_or(&text);
        let (label, said) = match voice.as_deref().and_then(voice_label) {
            Some(label) => (Some(label), body.to_string()),
            // A voice whose name cannot be a label keeps it as words of the text.
            None if voice.is_some() => (None, format!("{} {body}", voice.unwrap_or_default())),
            None => match labels.turn(body) {
                Some(turn) if turn.time.is_none() => (Some(turn.label), turn.text),
                _ => (None, body.to_string()),
            },
        };
        let starts_part = label.is_some() || dash.is_some() || out.is_empty();
        match out.last_mut() {
            Some(part) if !starts_part => {
                part.text.push(' ');
                part.text.push_str(said.trim());
            }
            _ => out.push(Part {
                label,
                text: said.trim().to_string(),
            }),
        }
    }
    out
}

/// A voice tag's name as a speaker label the corpus reads: capitalised, sentence marks that
/// a name may hold (`Jansen, P.`) as spaces. None when it still is no label.
fn voice_label(name: &str) -> Option<String> {
    if speaker_of_label(&capitalise(name)).is_some() {
        return Some(capitalise(name));
    }
    let cleaned: String = capitalise(name)
        .chars()
        .map(|c| if ".,?!\"“[]".contains(c) { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    speaker_of_label(&cleaned).map(|_| cleaned)
}

/// The paragraphs of a subtitle file and the text the word check reads.
/// How many NOTE blocks (comments) a WebVTT file holds: [`read`] leaves them out.
pub fn notes(text: &str) -> usize {
    parse(text).notes
}

pub fn read(text: &str) -> (Vec<Paragraph>, String) {
    let parsed = parse(text);
    let all_lines = parsed
        .cues
        .iter()
        .flat_map(|c| c.lines.iter().map(String::as_str));
    let labels = Labels::of(all_lines);
    let mut out: Vec<Paragraph> = parsed.before.iter().map(|l| Paragraph::plain(l)).collect();
    // The turn being built: its paragraph, its label, when its last cue ended, its words.
    let mut current: Option<(Paragraph, Option<String>, f64, usize)> = None;
    for cue in &parsed.cues {
        for (n, part) in parts(cue, &labels).into_iter().enumerate() {
            let words = part.text.split_whitespace().count();
            if let Some((p, label, last_end, count)) = &mut current
                && (part.label.is_none() || part.label == *label)
            {
                let pause = cue.from - *last_end >= PAUSE_SECONDS;
                let sentence_end = p.text().ends_with(['.', '?', '!', '…']);
                let split = n == 0
                    && *count >= MIN_PARAGRAPH_WORDS
                    && (pause || (*count >= LONG_PARAGRAPH_WORDS && sentence_end));
                if !split {
                    p.extend(&part.text);
                    *last_end = cue.to;
                    *count += words;
                    continue;
                }
            }
            let label = match (&part.label, &current) {
                (Some(l), _) => Some(l.clone()),
                (None, Some((_, l, _, _))) => l.clone(),
                (None, None) => None,
            };
            if let Some((p, ..)) = current.take() {
                out.push(p);
            }
            let paragraph = match &label {
                Some(l) => Paragraph::turn(Some(cue.start.clone()), l.clone(), &part.text),
                None => Paragraph::plain(&format!("[{}] {}", cue.start, part.text)),
            };
            current = Some((paragraph, label, cue.to, words));
        }
    }
    if let Some((p, ..)) = current {
        out.push(p);
    }
    (out, parsed.visible)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::paragraphs::render;

    fn body(text: &str) -> String {
        render(&read(text).0)
    }

    #[test]
    fn subtitle_cues_become_turns() {
        let vtt = "WEBVTT\n\nNOTE synthetisch\n\n00:00:05.000 --> 00:00:08.000\n<v Moderator>Welkom allemaal.\n\n\
                   00:00:08.500 --> 00:00:11.000\n<v Moderator>Wat helpt jullie?</v>\n\n\
                   00:01:02.000 --> 00:01:06.000\n<v.loud Docent 1>De korte lijnen,\nzeker weten.\n";
        assert_eq!(
            body(vtt),
            "[00:00:05] Moderator: Welkom allemaal. Wat helpt jullie?\n\n[00:01:02] Docent 1: De korte lijnen, zeker weten.\n"
        );
        assert_eq!(notes(vtt), 1, "the NOTE block is counted, not read");
        assert_eq!(notes("WEBVTT\n\nNOTES are not notes\n"), 0);
        let srt = "1\n00:00:05,000 --> 00:00:08,000\nModerator: Welkom.\n\n2\n00:00:09,000 --> 00:00:10,000\nNog even.\n\n\
                   3\n00:00:12,000 --> 00:00:15,000\nP3: Ja.\n";
        assert_eq!(
            body(srt),
            "[00:00:05] Moderator: Welkom. Nog even.\n\n[00:00:12] P3: Ja.\n"
        );
    }

    #[test]
    fn blank_lines_dashes_tags_and_entities() {
        let srt = "1\n00:00:01,000 --> 00:00:04,000\nAnna: Eerst dit.\n\nEn dan dat.\n\n\
                   2\n00:00:05,000 --> 00:00:07,000\n- Tom: Ja.\n- Anna: Nee.\n";
        assert_eq!(
            body(srt),
            "[00:00:01] Anna: Eerst dit. En dan dat.\n\n[00:00:05] Tom: Ja.\n\n[00:00:05] Anna: Nee.\n"
        );
        let vtt = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Sanne de Boer (ROC Oost)><c.yellow>Collega&apos;s</c> &amp; ik.</v>\n\n\
                   2\n00:00:03.000 --> 00:00:05.000\n<v jansen, p.>Klopt.\n";
        assert_eq!(
            body(vtt),
            "[00:00:01] Sanne de Boer (ROC Oost): Collega's & ik.\n\n[00:00:03] Jansen p: Klopt.\n"
        );
    }

    #[test]
    fn a_second_voice_in_a_line_keeps_its_name_as_words() {
        let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ans>Ja. <v Bram>Nee.\n\n\
                   00:00:04.000 --> 00:00:05.000\n<v.loud Moderator><c.yellow><v werkdruk</c>\n";
        let (paragraphs, read_text) = read(vtt);
        assert_eq!(
            render(&paragraphs),
            "[00:00:01] Ans: Ja. Bram Nee.\n\n[00:00:04] Moderator: werkdruk</c\n"
        );
        // Found by the import property test: the open tag's name is words of the text.
        crate::import::word_check::check(&read_text, &paragraphs).expect("every word kept");
    }
}
