//! One source document: TOML front matter between `+++` lines, then the body text.
//! The body is split into segments (paragraphs or speaker turns), the unit of search
//! results; all offsets are counted in chars of the body (REFI-QDA's unit too).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Transcript,
    Intermezzo,
    Report,
    Letter,
}

impl SourceKind {
    pub const ALL: [SourceKind; 4] = [
        SourceKind::Transcript,
        SourceKind::Intermezzo,
        SourceKind::Report,
        SourceKind::Letter,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Transcript => "transcript",
            SourceKind::Intermezzo => "intermezzo",
            SourceKind::Report => "report",
            SourceKind::Letter => "letter",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a printed page begins in the body. `page_max` is set when the page cannot be
/// recovered exactly (the text lost page breaks between two page-number anchors): the true
/// page then lies between `page` and `page_max`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageMark {
    pub at: usize,
    pub page: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_max: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceMeta {
    pub id: String,
    pub kind: SourceKind,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// As written: `date = "2024-03-03"`, or a bare TOML date (`date = 2024-03-03`, as in
    /// cases.toml), which is read as its text.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "date_text"
    )]
    pub date: Option<String>,
    pub provenance: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<PageMark>,
}

/// A front matter's date as text, written as a string or as a TOML date or date-time.
fn date_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Text(String),
        Date(toml::value::Datetime),
    }
    Ok(Some(match Written::deserialize(d)? {
        Written::Text(text) => text,
        Written::Date(date) => date.to_string(),
    }))
}

#[derive(Debug, Clone)]
pub struct Source {
    pub meta: SourceMeta,
    pub body: String,
    pub path: PathBuf,
    /// 1-based line in the file where the body starts, for error messages.
    pub body_line: usize,
}

/// A page reference for a citation: exact, or a range when the page breaks were lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRef {
    pub page: u32,
    pub page_max: Option<u32>,
}

impl std::fmt::Display for PageRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.page_max {
            Some(max) if max != self.page => write!(f, "p. {}-{}", self.page, max),
            _ => write!(f, "p. {}", self.page),
        }
    }
}

/// A paragraph or speaker turn of a source body.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// 1-based paragraph number within the source.
    pub ordinal: u32,
    /// Char offsets into the body, end-exclusive.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub speaker: Option<String>,
    pub timestamp: Option<String>,
    pub page: Option<PageRef>,
    /// True for paragraphs of the notes section (footnotes moved out of the running text).
    pub is_note: bool,
}

/// The heading that opens the notes section of a body.
pub const NOTES_HEADING: &str = "Noten";

impl Segment {
    /// True for a paragraph that is not running text: a Markdown heading (`## …`, which
    /// imported Markdown transcripts keep), the source's title line (the shipped sources open
    /// with it), the notes heading and the notes, or a footnote paragraph (`[12] …`). Such
    /// paragraphs are almost never coded, so counting them as units of agreement would add
    /// agreement on nothing. So are a transcript's header lines (`Datum: 12 maart 2024`,
    /// `Deelnemers: …`), which an import keeps as paragraphs of their own.
    pub fn is_heading_or_note(&self, title: &str) -> bool {
        let text = self.text.trim();
        self.is_note
            || is_markdown_heading(text)
            || text.to_lowercase() == title.trim().to_lowercase()
            || is_footnote(text)
            || self.is_header_line()
    }

    fn is_header_line(&self) -> bool {
        self.speaker.is_none()
            && !self.text.trim().contains('\n')
            && self
                .text
                .split_once(':')
                .is_some_and(|(label, _)| crate::corpus::turn::is_header_label(label))
    }
}

/// `# Title` to `###### Title` (ATX headings, up to three spaces of indent).
fn is_markdown_heading(text: &str) -> bool {
    let indent = text.len() - text.trim_start_matches(' ').len();
    let rest = &text[indent..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    indent <= 3
        && (1..=6).contains(&hashes)
        && rest[hashes..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace)
}

/// A footnote body as the imports write it: `[12] text`. Timestamps (`[00:12:03]`) hold a
/// colon, so transcript turns never match.
fn is_footnote(text: &str) -> bool {
    text.strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .is_some_and(|(n, after)| {
            !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit())
                && after.chars().next().is_none_or(char::is_whitespace)
        })
}

const FENCE: &str = "+++";

impl Source {
    pub fn parse(path: &Path, text: &str) -> Result<Source> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // CRLF files (saved on Windows) read as LF, front matter included.
        let text = crate::text_file::normalise_line_ends(text);
        let (meta, consumed, body_line) = parse_front(path, &text)?;
        Ok(Source {
            meta,
            body: text[consumed..].to_string(),
            path: path.to_path_buf(),
            body_line,
        })
    }

    /// The source in the file at `path`. The file's text (BOM gone, line ends LF, as
    /// `text_file::read` gives it) becomes the body in place: with a whole corpus read at
    /// start-up, a second copy of every body was a tenth of the time to the first frame.
    pub fn load(path: &Path) -> Result<Source> {
        let mut text = crate::text_file::read(path)?;
        let (meta, consumed, body_line) = parse_front(path, &text)?;
        text.drain(..consumed);
        Ok(Source {
            meta,
            body: text,
            path: path.to_path_buf(),
            body_line,
        })
    }

    /// The file text: front matter and body, as written to disk.
    pub fn render(&self) -> String {
        render(&self.meta, &self.body)
    }

    pub fn segments(&self) -> Vec<Segment> {
        segments(&self.body, self.meta.kind, &self.meta.pages)
    }

    /// The text of a char range of the body, or None when it lies outside the body.
    pub fn slice(&self, start: usize, end: usize) -> Option<String> {
        char_slice(&self.body, start, end).map(str::to_string)
    }

    pub fn char_len(&self) -> usize {
        self.body.chars().count()
    }
}

/// The front matter of a source's text (BOM gone, line ends LF): its metadata, the bytes it
/// takes up with its fences, and the 1-based line where the body starts.
fn parse_front(path: &Path, text: &str) -> Result<(SourceMeta, usize, usize)> {
    if text.trim().is_empty() {
        return Err(Error::invalid(
            path,
            Some(1),
            "the file is empty: a source starts with a `+++` line opening its TOML front matter",
        ));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != FENCE {
        return Err(Error::invalid(
            path,
            Some(1),
            "a source must start with a `+++` line opening its TOML front matter",
        ));
    }
    let mut consumed = first.len();
    let mut line_no = 1;
    let mut closed = false;
    for line in lines {
        line_no += 1;
        if line.trim_end() == FENCE {
            closed = true;
            break;
        }
        consumed += line.len();
    }
    if !closed {
        return Err(Error::invalid(
            path,
            Some(1),
            "front matter is not closed: add a `+++` line after it",
        ));
    }
    let front = &text[first.len()..consumed];
    let meta: SourceMeta = toml::from_str(front).map_err(|e| {
        let err = Error::toml(path, front, &e);
        // Shift the line number by the opening fence.
        match err {
            Error::Invalid {
                path,
                line,
                message,
            } => Error::Invalid {
                path,
                line: line.map(|l| l + 1),
                message: format!("front matter: {message}"),
            },
            other => other,
        }
    })?;
    validate_id(&meta.id).map_err(|m| Error::invalid(path, Some(2), m))?;
    // Past the closing fence.
    let closing = text[consumed..].split_inclusive('\n').next().unwrap_or("");
    Ok((meta, consumed + closing.len(), line_no + 1))
}

pub fn render(meta: &SourceMeta, body: &str) -> String {
    let front = toml::to_string(meta).expect("source metadata always serialises");
    format!("{FENCE}\n{front}{FENCE}\n{body}")
}

/// Char offsets to byte offsets in one text without walking it from the start each time:
/// the number of chars that start before each 64-byte block, counted a block at a time
/// (which the compiler vectorises), then a walk of at most one block. Built up to the last
/// char that will be asked for.
pub struct CharIndex {
    /// `before[i]`: chars starting before byte `i * BLOCK`.
    before: Vec<usize>,
    /// Bytes covered (a multiple of BLOCK, or the whole text).
    covered: usize,
    /// Chars starting before `covered`.
    chars: usize,
}

impl CharIndex {
    const BLOCK: usize = 64;

    /// An index of `text` covering at least char `upto` (or the whole text).
    pub fn new(text: &str, upto: usize) -> CharIndex {
        let bytes = text.as_bytes();
        let mut before = Vec::with_capacity(upto / Self::BLOCK + 2);
        let mut chars = 0;
        let mut covered = 0;
        for block in bytes.chunks(Self::BLOCK) {
            // Past `upto` by a whole block: every char up to it is inside the coverage.
            if chars > upto + 1 {
                break;
            }
            before.push(chars);
            // UTF-8 continuation bytes are 0b10xx_xxxx; every other byte starts a char.
            chars += block.iter().filter(|&&b| (b as i8) >= -0x40).count();
            covered += block.len();
        }
        CharIndex {
            before,
            covered,
            chars,
        }
    }

    /// The byte offset of char `pos` (`pos` may be the end of the covered text).
    pub fn byte(&self, text: &str, pos: usize) -> Option<usize> {
        if pos >= self.chars {
            return (pos == self.chars && self.covered == text.len()).then_some(text.len());
        }
        // The block holding the start of char `pos`.
        let block = self.before.partition_point(|&c| c <= pos).checked_sub(1)?;
        let mut seen = self.before[block];
        let from = block * Self::BLOCK;
        for (i, &b) in text.as_bytes()[from..].iter().enumerate() {
            if (b as i8) >= -0x40 {
                if seen == pos {
                    return Some(from + i);
                }
                seen += 1;
            }
        }
        None
    }

    /// Chars `start..end` of `text`, if in range of the index.
    pub fn slice<'a>(&self, text: &'a str, start: usize, end: usize) -> Option<&'a str> {
        if start > end {
            return None;
        }
        Some(&text[self.byte(text, start)?..self.byte(text, end)?])
    }
}

/// The `&str` of chars `start..end` of `text`, if in range.
pub fn char_slice(text: &str, start: usize, end: usize) -> Option<&str> {
    if start > end {
        return None;
    }
    let mut indices = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    let from = indices.nth(start)?;
    let to = if end == start {
        from
    } else {
        indices.nth(end - start - 1)?
    };
    Some(&text[from..to])
}

/// A source id from a file name: lowercase, accents folded, words joined by hyphens.
pub fn id_from_name(path: &Path) -> String {
    id_from_stem(&path.file_stem().unwrap_or_default().to_string_lossy())
}

/// A source id from a file name without its extension.
pub fn id_from_stem(stem: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
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

pub fn validate_id(id: &str) -> std::result::Result<(), String> {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "id {id:?} must be kebab-case: lowercase letters, digits and single hyphens"
        ))
    }
}

/// Split a body into paragraphs (blank-line separated) with char offsets.
pub fn segments(body: &str, kind: SourceKind, pages: &[PageMark]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut in_notes = false;
    let mut char_pos = 0;
    let mut ordinal = 0;
    for block in body.split("\n\n") {
        let block_chars = block.chars().count();
        let leading = block.chars().take_while(|c| c.is_whitespace()).count();
        let trimmed = block.trim();
        if !trimmed.is_empty() {
            ordinal += 1;
            let start = char_pos + leading;
            let end = start + trimmed.chars().count();
            if trimmed == NOTES_HEADING {
                in_notes = true;
            }
            let (speaker, timestamp) = if kind == SourceKind::Transcript {
                parse_turn(trimmed)
            } else {
                (None, None)
            };
            out.push(Segment {
                ordinal,
                start,
                end,
                text: trimmed.to_string(),
                speaker,
                timestamp,
                page: page_at(pages, start),
                is_note: in_notes,
            });
        }
        char_pos += block_chars + 2;
    }
    out
}

fn page_at(pages: &[PageMark], at: usize) -> Option<PageRef> {
    pages.iter().rev().find(|p| p.at <= at).map(|p| PageRef {
        page: p.page,
        page_max: p.page_max,
    })
}

pub use crate::corpus::turn::parse_turn;

#[cfg(test)]
mod tests {
    use super::*;

    const SYNTHETIC: &str = "+++\nid = \"synthetic-transcript\"\nkind = \"transcript\"\ntitle = \"Synthetic\"\nprovenance = \"test\"\n+++\nModerator: Wat helpt jullie?\n\n[00:12:03] Docent 1: Een goede intake, écht.\n\nZomaar een zin, zonder spreker.\n";

    #[test]
    fn char_index_agrees_with_char_slice() {
        let text = "Één “zin” met e\u{0308} en 👩‍🏫 日本語, en nog wat tekst.".repeat(9);
        let n = text.chars().count();
        for upto in [0, 5, 63, 64, 65, n - 1, n, n + 10] {
            let index = CharIndex::new(&text, upto);
            for start in (0..=upto.min(n)).step_by(7) {
                for end in [start, start + 1, start + 30, upto.min(n)] {
                    if end <= upto.min(n) && start <= end {
                        assert_eq!(
                            index.slice(&text, start, end),
                            char_slice(&text, start, end),
                            "{upto} {start} {end}"
                        );
                    }
                }
            }
        }
        assert_eq!(CharIndex::new(&text, n).slice(&text, 0, n + 1), None);
    }

    #[test]
    fn loading_a_file_gives_what_parsing_its_text_gives() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.md");
        let on_disk = format!("\u{feff}{}", SYNTHETIC.replace('\n', "\r\n"));
        std::fs::write(&path, &on_disk).unwrap();
        let loaded = Source::load(&path).unwrap();
        let parsed = Source::parse(&path, &on_disk).unwrap();
        assert_eq!(loaded.body, parsed.body);
        assert_eq!(loaded.body_line, parsed.body_line);
        assert_eq!(loaded.body_line, 7);
        assert!(loaded.body.starts_with("Moderator: Wat helpt jullie?\n"));
        assert_eq!(loaded.meta.id, "synthetic-transcript");
    }

    #[test]
    fn parses_front_matter_and_turns() {
        let src = Source::parse(Path::new("t.md"), SYNTHETIC).unwrap();
        assert_eq!(src.meta.kind, SourceKind::Transcript);
        let segs = src.segments();
        assert_eq!(segs.len(), 3);
        assert_eq!(segs[0].speaker.as_deref(), Some("Moderator"));
        assert_eq!(segs[1].speaker.as_deref(), Some("Docent 1"));
        assert_eq!(segs[1].timestamp.as_deref(), Some("00:12:03"));
        assert_eq!(segs[2].speaker, None);
        for s in &segs {
            assert_eq!(src.slice(s.start, s.end).unwrap(), s.text);
        }
        assert_eq!(src.render(), SYNTHETIC);
    }

    #[test]
    fn a_bare_toml_date_reads_as_the_date_written() {
        for (written, read) in [
            ("date = 2024-03-03", "2024-03-03"),
            ("date = \"2024-03-03\"", "2024-03-03"),
            ("date = 2024-03-03T10:00:00Z", "2024-03-03T10:00:00Z"),
        ] {
            let text = SYNTHETIC.replacen("+++\n", &format!("+++\n{written}\n"), 1);
            let src = Source::parse(Path::new("t.md"), &text).unwrap();
            assert_eq!(src.meta.date.as_deref(), Some(read), "{written}");
        }
        let text = SYNTHETIC.replacen("+++\n", "+++\ndate = 3\n", 1);
        assert!(Source::parse(Path::new("t.md"), &text).is_err());
    }

    #[test]
    fn missing_front_matter_names_line() {
        let err = Source::parse(Path::new("x.md"), "hallo").unwrap_err();
        assert!(err.to_string().starts_with("x.md:1:"), "{err}");
    }

    #[test]
    fn header_lines_are_no_running_text() {
        let body = "Datum: 12 maart 2024\n\nDeelnemers: Deelnemer 1, Deelnemer 2\n\nModerator: Datum: weet ik niet.\n\nDe datum: nog open.\n";
        let headers: Vec<bool> = segments(body, SourceKind::Transcript, &[])
            .iter()
            .map(|s| s.is_heading_or_note("Titel"))
            .collect();
        assert_eq!(headers, [true, true, false, false]);
    }

    #[test]
    fn an_empty_file_is_called_empty() {
        for text in ["", "\n\n  \n"] {
            let err = Source::parse(Path::new("leeg.md"), text)
                .unwrap_err()
                .to_string();
            assert!(err.contains("leeg.md:1: the file is empty"), "{err}");
        }
    }

    #[test]
    fn malformed_front_matter_names_line() {
        let text = "+++\nid = \"a\"\nkind = = \n+++\nbody";
        let err = Source::parse(Path::new("x.md"), text)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.md:3:"), "{err}");
    }

    #[test]
    fn headings_titles_and_notes_are_not_running_text() {
        let body = "Intermezzo: intake\n\n# Kop\n\n##Geen kop\n\nLopende tekst.[12]\n\n[00:12:03] Moderator: Ja.\n\n[3] Een voetnoot buiten de noten.\n\nNoten\n\n[12] Artikel 2.5.5a.\n";
        let marked: Vec<bool> = segments(body, SourceKind::Intermezzo, &[])
            .iter()
            .map(|s| s.is_heading_or_note("Intermezzo: intake"))
            .collect();
        assert_eq!(
            marked,
            [true, true, false, false, false, true, true, true],
            "title, heading, not a heading (no space), text, a turn, footnote, Noten, note"
        );
    }

    #[test]
    fn char_slice_counts_chars_not_bytes() {
        assert_eq!(char_slice("één twee", 0, 3), Some("één"));
        assert_eq!(char_slice("één", 3, 3), Some(""));
        assert_eq!(char_slice("één", 2, 4), None);
    }
}
