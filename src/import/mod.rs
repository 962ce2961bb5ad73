//! Importing transcripts and documents as sources, one function per form (plain text and
//! Markdown, WebVTT and SubRip, Word, text extracted from PDFs). Each form's reader finds
//! paragraphs (`paragraphs`); the word check (`word_check`) holds what would be written
//! against what was read, and a file whose words would not all arrive is refused, naming
//! the first place that differs, before anything is written.

pub mod decode;
pub mod docx;
pub mod label;
pub mod paragraphs;
pub mod plain;
pub mod subtitles;
pub mod word_check;

use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::corpus::pseudonyms::{PseudonymKey, Replaced, pseudonymise};
use crate::corpus::source::{self, PageMark, SourceKind, SourceMeta, id_from_stem};
use crate::error::{Error, Result};
use paragraphs::Paragraph;
use word_check::Tally;

/// The forms a file can be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Plain text or Markdown (also Otter.ai's and Zoom's text exports).
    Text,
    WebVtt,
    SubRip,
    Word,
    /// Text extracted from a PDF (`--pdf-text`).
    PdfText,
}

impl Form {
    pub fn name(self) -> &'static str {
        match self {
            Form::Text => "text",
            Form::WebVtt => "WebVTT",
            Form::SubRip => "SubRip",
            Form::Word => "Word",
            Form::PdfText => "PDF text",
        }
    }
}

/// What reading a file found, before anything is written.
#[derive(Debug, Clone)]
pub struct Reading {
    pub form: Form,
    /// The encoding of a text file (None for Word files, which are zip archives).
    pub encoding: Option<decode::Encoding>,
    pub paragraphs: Vec<Paragraph>,
    /// The body to write, not yet pseudonymised.
    pub body: String,
    pub pages: Vec<PageMark>,
    /// Words read and written; None for PDF text, whose repair drops page debris on purpose
    /// (its reviewed rules, not this check, guard it).
    pub words: Option<Tally>,
    /// The NOTE blocks of a WebVTT file: comments for whoever made the file, not speech, so
    /// left out (and not part of the word check); the summary says how many.
    pub notes_left_out: usize,
}

impl Reading {
    /// The speakers with their turn counts, in order of first turn.
    pub fn speakers(&self) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = Vec::new();
        for s in source::segments(&self.body, SourceKind::Transcript, &[]) {
            if let Some(speaker) = s.speaker {
                match out.iter_mut().find(|(name, _)| *name == speaker) {
                    Some((_, n)) => *n += 1,
                    None => out.push((speaker, 1)),
                }
            }
        }
        out
    }

    /// The header paragraphs (date, place, …).
    pub fn headers(&self) -> Vec<&str> {
        self.paragraphs
            .iter()
            .filter_map(|p| match p {
                Paragraph::Plain { text, header: true } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// Read `file` in its form and check its words; writes nothing.
pub fn read(file: &Path, pdf_text: bool) -> Result<Reading> {
    let extension = file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    refuse_by_extension(file, &extension)?;
    if extension == "docx" {
        let (paragraphs, read) = docx::read(file)?;
        return finish(file, Form::Word, None, &read, paragraphs);
    }
    let bytes = read_bytes(file)?;
    refuse_by_content(file, &bytes)?;
    let (text, encoding) = decode::decode(file, &bytes)?;
    let form = match extension.as_str() {
        "vtt" => Form::WebVtt,
        "srt" => Form::SubRip,
        _ if pdf_text => Form::PdfText,
        _ => Form::Text,
    };
    let mut reading = read_text(file, form, &text)?;
    reading.encoding = Some(encoding);
    Ok(reading)
}

/// Read `text` (of `file`, for messages) in `form` and check its words; writes nothing.
pub fn read_text(file: &Path, form: Form, text: &str) -> Result<Reading> {
    let text: String = text.nfc().collect();
    match form {
        Form::WebVtt | Form::SubRip => {
            let (paragraphs, visible) = subtitles::read(&text);
            let mut reading = finish(file, form, None, &visible, paragraphs)?;
            reading.notes_left_out = subtitles::notes(&text);
            Ok(reading)
        }
        Form::PdfText => Ok(pdf_reading(&text)),
        Form::Text => finish(file, form, None, &text, plain::read(&text)),
        Form::Word => Err(Error::invalid(
            file,
            None,
            "a Word file is read from its .docx",
        )),
    }
}

/// The body from `paragraphs`, once the word check holds.
fn finish(
    file: &Path,
    form: Form,
    encoding: Option<decode::Encoding>,
    read: &str,
    paragraphs: Vec<Paragraph>,
) -> Result<Reading> {
    let body = paragraphs::render(&paragraphs);
    if body.trim().is_empty() {
        return Err(Error::invalid(file, Some(1), "the file holds no text"));
    }
    let words = word_check::check(read, &paragraphs).map_err(|d| {
        Error::invalid(
            file,
            Some(d.line),
            format!(
                "the {} import would not keep every word: read «{}», would write «{}»; nothing was written (please report this file)",
                form.name(),
                d.read,
                d.written
            ),
        )
    })?;
    Ok(Reading {
        form,
        encoding,
        paragraphs,
        body,
        pages: Vec::new(),
        words: Some(words),
        notes_left_out: 0,
    })
}

fn pdf_reading(text: &str) -> Reading {
    use crate::corpus::pdf_text;
    let evidence = pdf_text::WordEvidence::from_texts([text]);
    let repaired = pdf_text::repair(
        text,
        &pdf_text::RepairOptions {
            evidence: Some(&evidence),
            ..Default::default()
        },
    );
    let paragraphs: Vec<_> = repaired.paragraphs.iter().collect();
    let (body, pages) = crate::corpus::import_plan::body_of(&paragraphs, &repaired);
    Reading {
        form: Form::PdfText,
        encoding: None,
        paragraphs: Vec::new(),
        body: body.nfc().collect(),
        pages,
        words: None,
        notes_left_out: 0,
    }
}

fn read_bytes(file: &Path) -> Result<Vec<u8>> {
    if let Ok(meta) = std::fs::metadata(file)
        && meta.len() > crate::text_file::MAX_FILE_BYTES
    {
        return Err(Error::invalid(
            file,
            None,
            format!(
                "{:.1} MB is more than visgraat reads from one file ({} MB): split it",
                meta.len() as f64 / 1e6,
                crate::text_file::MAX_FILE_BYTES / 1024 / 1024
            ),
        ));
    }
    std::fs::read(file).map_err(|e| Error::io(file, e))
}

/// REFI-QDA files are no transcripts: say which command reads them.
fn refuse_by_extension(file: &Path, extension: &str) -> Result<()> {
    let why = match extension {
        "qdpx" => {
            "a REFI-QDA project: `visgraat import PROJECT.qdpx` reads it as a project, not as a transcript"
        }
        "qde" => {
            "a REFI-QDA project file (project.qde): import the .qdpx archive it belongs to (`visgraat import PROJECT.qdpx`)"
        }
        "qdc" => {
            "a REFI-QDA code book, not a transcript: import it as a code book (code-book import), not as a source"
        }
        "doc" => "an old Word document (.doc): save it as .docx and import that",
        "pdf" => {
            "a PDF: extract its text (e.g. `pdftotext -layout`) and import that with --pdf-text"
        }
        _ => return Ok(()),
    };
    Err(Error::invalid(file, None, why))
}

/// XML and binary files are refused as transcripts, with a pointer where one helps.
fn refuse_by_content(file: &Path, bytes: &[u8]) -> Result<()> {
    let head = &bytes[..bytes.len().min(4096)];
    let refuse = |why: &str| Err(Error::invalid(file, Some(1), why));
    if head.starts_with(b"%PDF") {
        return refuse(
            "a PDF: extract its text (e.g. `pdftotext -layout`) and import that with --pdf-text",
        );
    }
    if head.starts_with(b"PK\x03\x04") {
        return refuse(
            "a zip archive: visgraat imports .docx (Word) and .qdpx (REFI-QDA) archives by their extension",
        );
    }
    if head.starts_with(b"\xd0\xcf\x11\xe0") {
        return refuse("an old Office document (.doc): save it as .docx and import that");
    }
    let utf16 = head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff");
    if !utf16 && head.contains(&0) {
        return refuse(
            "a binary file, not text: import transcripts as .txt, .md, .vtt, .srt or .docx",
        );
    }
    let text = String::from_utf8_lossy(head);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with("<?xml") || start.starts_with("<CodeBook") || start.starts_with("<Project")
    {
        let why = if text.contains("<CodeBook") {
            "XML: a REFI-QDA code book (.qdc), not a transcript: import it as a code book"
        } else if text.contains("urn:QDA-XML:project") || text.contains("<Project") {
            "XML: a REFI-QDA project file, not a transcript: import its .qdpx archive (`visgraat import PROJECT.qdpx`)"
        } else {
            "XML, not a transcript: import transcripts as .txt, .md, .vtt, .srt or .docx"
        };
        return refuse(why);
    }
    Ok(())
}

/// What importing one file did to its source.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    Added(PathBuf),
    Updated(PathBuf),
    Unchanged(PathBuf),
}

/// What importing one file did: the source written, what was read, and which pseudonyms
/// replaced names how often.
#[derive(Debug)]
pub struct Imported {
    pub written: Written,
    pub reading: Reading,
    pub replaced: Replaced,
    /// The case this import made ([`CaseOption::Make`] of a case the project did not have).
    pub made_case: Option<String>,
}

/// Which case an imported source is in.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum CaseOption {
    /// The case the source has from an earlier import (none for a new source): a corrected
    /// file imported again does not drop out of its case.
    #[default]
    Keep,
    /// This case, or none.
    Set(Option<String>),
    /// This case, made (its label its id, no attributes) when the project does not have it,
    /// just before the source is written: a file that is refused makes no case.
    Make(String),
}

/// How to import a file.
#[derive(Debug, Default)]
pub struct Options<'k> {
    pub kind: Option<SourceKind>,
    pub case: CaseOption,
    /// Replace participants' names by pseudonyms from (and into) this key.
    pub pseudonyms: Option<&'k mut PseudonymKey>,
    /// The file is text extracted from a PDF: join wrapped lines, repair hyphenation from
    /// the file's own words, drop page debris, move footnotes to a notes section.
    pub pdf_text: bool,
}

/// Header lines that list participants (`Deelnemers: Sanne de Boer, Bram en Noor`): the
/// names in them, so they join the pseudonym key like speakers do.
fn listed_participants(reading: &Reading) -> Vec<String> {
    let mut names = Vec::new();
    for header in reading.headers() {
        let Some((label, list)) = header.split_once(':') else {
            continue;
        };
        let label = label.trim().to_lowercase();
        if ![
            "deelnemers",
            "participants",
            "aanwezig",
            "aanwezigen",
            "present",
        ]
        .contains(&label.as_str())
        {
            continue;
        }
        for name in list
            .split([',', ';', '/'])
            .flat_map(|n| n.split(" en ").flat_map(|n| n.split(" and ")))
        {
            let name = crate::corpus::turn::split_note(name.trim().trim_end_matches('.')).0;
            if name.starts_with(char::is_uppercase)
                && !crate::corpus::participants::is_role(name)
                && name.split_whitespace().count() <= 5
            {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// The file's own title, if its first paragraph is one: a single line that nobody says (no
/// speaker, no time, no label with a colon), not ended as a sentence, and followed by more.
fn title_line(body: &str) -> Option<String> {
    let segments = source::segments(body, SourceKind::Transcript, &[]);
    let first = segments.first().filter(|_| segments.len() > 1)?;
    let text = first.text.trim();
    let looks = first.speaker.is_none()
        && first.timestamp.is_none()
        && !text.contains('\n')
        && (3..=150).contains(&text.chars().count())
        && !text.contains(':')
        && !text.starts_with('[')
        && !text.ends_with(['.', '?', '!', ';', ',', '…']);
    looks.then(|| text.to_string())
}

/// Import `file` into `corpus` as a source (a transcript unless `options.kind` says
/// otherwise): written atomically to `sources/<kind>/<id>.md`. The same file again is a
/// no-op; a changed file replaces the source (its codings follow by re-anchoring when the
/// corpus is next opened).
pub fn import(corpus: &Path, file: &Path, options: Options<'_>) -> Result<Imported> {
    let kind = options.kind.unwrap_or(SourceKind::Transcript);
    let reading = read(file, options.pdf_text)?;
    let usable_id = |id: &str| {
        source::validate_id(id).map_err(|m| {
            Error::invalid(
                file,
                None,
                format!("no usable id from the file name ({m}); rename the file"),
            )
        })
    };
    usable_id(&source::id_from_name(file))?;
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    let extension = file
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    // The file name is pseudonymised after the text, so the speakers of this very file are
    // in the key by then: `interview-sanne-jansen.txt` with a speaker Sanne Jansen.
    let (body, title, provenance, replaced) = match options.pseudonyms {
        Some(key) => {
            for name in listed_participants(&reading) {
                key.pseudonym(&name);
            }
            let (body, replaced) = pseudonymise(&reading.body, key);
            let stem = key.pseudonymise_name(&stem);
            let provenance = format!("imported from {stem}{extension} (pseudonymised)");
            (body, stem, provenance, replaced)
        }
        None => (
            reading.body.clone(),
            stem.to_string(),
            format!("imported from {stem}{extension}"),
            Vec::new(),
        ),
    };
    let id = id_from_stem(&title);
    usable_id(&id)?;
    // A first line that names the file ("Focusgroep team B — transcript") is its title, so
    // that it reads as one in the tree and counts as no unit of agreement or sampling.
    let title = title_line(&body).unwrap_or(title);
    let target = corpus
        .join("sources")
        .join(kind.as_str())
        .join(format!("{id}.md"));
    let existing = crate::text_file::read_optional(&target)?;
    let to_make = match &options.case {
        CaseOption::Make(id) => Some(id.clone()),
        _ => None,
    };
    let case = match options.case {
        CaseOption::Set(case) => case,
        CaseOption::Make(id) => Some(id),
        CaseOption::Keep => existing
            .as_deref()
            .and_then(|text| source::Source::parse(&target, text).ok())
            .and_then(|s| s.meta.case),
    };
    let case = case.as_deref();
    let meta = SourceMeta {
        id: id.clone(),
        kind,
        title,
        case: case.map(str::to_string),
        date: None,
        provenance,
        pages: reading.pages.clone(),
    };
    // The file is read and its id usable: only the writes are left.
    let made_case = match to_make {
        Some(id) => {
            let cases = crate::corpus::cases::Cases::load(&corpus.join("cases.toml"))?;
            if cases.get(&id).is_some() {
                None
            } else {
                crate::coding::case_edit::add_case(corpus, &cases, &id, None, &[])?;
                Some(id)
            }
        }
        None => None,
    };
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
    let written = if existing.as_deref() == Some(rendered.as_str()) {
        Written::Unchanged(target)
    } else {
        crate::atomic::write(&target, rendered.as_bytes())?;
        if existing.is_some() {
            Written::Updated(target)
        } else {
            Written::Added(target)
        }
    };
    Ok(Imported {
        written,
        reading,
        replaced,
        made_case,
    })
}
