//! Building corpus sources from extracted documents by a reviewed import plan: which file
//! becomes which source(s), where each part begins and ends (and why), which lines are
//! debris, and which voice each quote has. Re-running a plan over the same files gives the
//! same corpus files byte for byte.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::markdown;
use super::pdf_text::{
    self, DropRange, ExtraMarker, HyphenExceptions, HyphenJoin, Repaired, WordEvidence,
};
use super::quotes::{self, Voice, VoiceRule};
use super::source::{self, NOTES_HEADING, PageMark, SourceKind, SourceMeta};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Text extracted from a PDF: wrapped lines, hyphenation, page debris, footnotes.
    PdfText,
    /// Markdown written by a document converter.
    Markdown,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportPlan {
    /// Reviewed hyphenation exceptions, relative to the plan file.
    #[serde(default)]
    pub hyphenation: Option<PathBuf>,
    #[serde(rename = "document")]
    pub documents: Vec<PlanDocument>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanDocument {
    pub file: String,
    pub format: Format,
    #[serde(rename = "part")]
    pub parts: Vec<PlanPart>,
    #[serde(default)]
    pub drop: Vec<DropRange>,
    #[serde(default)]
    pub extra_marker: Vec<ExtraMarker>,
    #[serde(default)]
    pub voice: Vec<VoiceRule>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanPart {
    pub id: String,
    pub kind: SourceKind,
    pub title: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub case: Option<String>,
    /// 1-based inclusive line ranges of the document; absent means the whole document.
    #[serde(default)]
    pub lines: Vec<[usize; 2]>,
    /// Why the part ends where it does (reviewed; required for intermezzos).
    #[serde(default)]
    pub end_reason: Option<String>,
    /// Voice of the quotes in this part when no rule says otherwise, with its evidence.
    #[serde(default)]
    pub quote_voice: Option<Voice>,
    #[serde(default)]
    pub quote_voice_evidence: Option<String>,
}

/// One file the import writes, relative to the corpus directory.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub contents: String,
}

#[derive(Debug, Default)]
pub struct ImportOutcome {
    pub files: Vec<OutputFile>,
    /// Files the plan owns that must not exist (a part's quote file when it has no quotes).
    pub absent: Vec<PathBuf>,
    /// Hyphenated words joined without evidence or reviewed exception: review these.
    pub undecided_hyphens: Vec<(String, HyphenJoin)>,
    pub paragraphs: usize,
    pub notes: usize,
}

pub fn load_plan(path: &Path) -> Result<ImportPlan> {
    let text = crate::text_file::read(path)?;
    toml::from_str(&text).map_err(|e| Error::toml(path, &text, &e))
}

/// Run `plan` (at `plan_path`) over the documents in `from`; return the files to write.
pub fn run(plan_path: &Path, from: &Path) -> Result<ImportOutcome> {
    let plan = load_plan(plan_path)?;
    let exceptions = match &plan.hyphenation {
        Some(rel) => {
            let path = plan_path.parent().unwrap_or(Path::new(".")).join(rel);
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            toml::from_str::<HyphenExceptions>(&text).map_err(|e| Error::toml(&path, &text, &e))?
        }
        None => HyphenExceptions::default(),
    };
    let mut raws = Vec::new();
    for doc in &plan.documents {
        let path = from.join(&doc.file);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let text =
            String::from_utf8(bytes).map_err(|_| Error::invalid(&path, None, "not valid UTF-8"))?;
        raws.push(text);
    }
    let evidence = WordEvidence::from_texts(raws.iter().map(String::as_str));
    let mut outcome = ImportOutcome::default();
    let mut seen_ids = BTreeSet::new();
    for (doc, raw) in plan.documents.iter().zip(&raws) {
        let repaired = match doc.format {
            Format::PdfText => pdf_text::repair(
                raw,
                &pdf_text::RepairOptions {
                    evidence: Some(&evidence),
                    exceptions: exceptions.clone(),
                    extra_markers: doc.extra_marker.clone(),
                    drop: doc.drop.clone(),
                },
            ),
            Format::Markdown => markdown::convert(raw),
        };
        outcome.paragraphs += repaired.paragraphs.len();
        outcome.notes += repaired.notes.len();
        outcome.undecided_hyphens.extend(
            repaired
                .hyphen_joins
                .iter()
                .filter(|j| j.decision == pdf_text::HyphenDecision::Undecided)
                .map(|j| (doc.file.clone(), j.clone())),
        );
        let assigned = assign_parts(plan_path, doc, &repaired)?;
        for (part, paragraphs) in doc.parts.iter().zip(assigned) {
            if !seen_ids.insert(part.id.clone()) {
                return Err(Error::invalid(
                    plan_path,
                    None,
                    format!("duplicate part id {:?}", part.id),
                ));
            }
            source::validate_id(&part.id).map_err(|m| Error::invalid(plan_path, None, m))?;
            let files = build_part(doc, part, &paragraphs, &repaired);
            let quote_file = quote_path(&part.id);
            if !files.iter().any(|f| f.path == quote_file) {
                outcome.absent.push(quote_file);
            }
            outcome.files.extend(files);
        }
    }
    Ok(outcome)
}

/// Every paragraph belongs to exactly one part: the one whose line ranges hold its first
/// line. A paragraph that runs over a part's end means the boundary is wrong.
fn assign_parts<'r>(
    plan_path: &Path,
    doc: &PlanDocument,
    repaired: &'r Repaired,
) -> Result<Vec<Vec<&'r pdf_text::Paragraph>>> {
    let mut out = vec![Vec::new(); doc.parts.len()];
    for p in &repaired.paragraphs {
        let owner = doc.parts.iter().position(|part| {
            part.lines.is_empty()
                || part
                    .lines
                    .iter()
                    .any(|[a, b]| *a <= p.first_line && p.first_line <= *b)
        });
        let Some(owner) = owner else {
            return Err(Error::invalid(
                plan_path,
                None,
                format!(
                    "{}: lines {}-{} ({:?}…) belong to no part",
                    doc.file,
                    p.first_line,
                    p.last_line,
                    p.text.chars().take(40).collect::<String>()
                ),
            ));
        };
        let part = &doc.parts[owner];
        let fits = part.lines.is_empty()
            || part
                .lines
                .iter()
                .any(|[a, b]| *a <= p.first_line && p.last_line <= *b);
        if !fits {
            return Err(Error::invalid(
                plan_path,
                None,
                format!(
                    "{}: paragraph at lines {}-{} runs over the end of part {:?}",
                    doc.file, p.first_line, p.last_line, part.id
                ),
            ));
        }
        out[owner].push(p);
    }
    Ok(out)
}

/// A source body from repaired paragraphs: paragraphs separated by blank lines, the notes
/// their markers cite in a notes section at the end, and page marks where the page changes.
pub fn body_of(
    paragraphs: &[&pdf_text::Paragraph],
    repaired: &Repaired,
) -> (String, Vec<PageMark>) {
    let mut body = String::new();
    let mut pages: Vec<PageMark> = Vec::new();
    let mut char_len = 0;
    let mut markers = Vec::new();
    for p in paragraphs {
        if !body.is_empty() {
            body.push_str("\n\n");
            char_len += 2;
        }
        if let Some((page, page_max)) = p.page {
            let changed = pages
                .last()
                .is_none_or(|m| m.page != page || m.page_max != page_max);
            if changed {
                pages.push(PageMark {
                    at: char_len,
                    page,
                    page_max,
                });
            }
        }
        body.push_str(&p.text);
        char_len += p.text.chars().count();
        for m in &p.markers {
            if !markers.contains(m) {
                markers.push(*m);
            }
        }
    }
    let notes: Vec<&pdf_text::Note> = markers
        .iter()
        .filter_map(|m| repaired.notes.iter().find(|n| n.number == *m))
        .collect();
    if !notes.is_empty() {
        body.push_str("\n\n");
        body.push_str(NOTES_HEADING);
        for n in notes {
            body.push_str(&format!("\n\n[{}] {}", n.number, n.text));
        }
    }
    body.push('\n');
    (body, pages)
}

fn quote_path(id: &str) -> PathBuf {
    Path::new("quotes").join(format!("{id}.toml"))
}

fn build_part(
    doc: &PlanDocument,
    part: &PlanPart,
    paragraphs: &[&pdf_text::Paragraph],
    repaired: &Repaired,
) -> Vec<OutputFile> {
    let (body, pages) = body_of(paragraphs, repaired);
    let provenance = if part.lines.is_empty() {
        doc.file.clone()
    } else {
        let ranges: Vec<String> = part.lines.iter().map(|[a, b]| format!("{a}-{b}")).collect();
        format!("{} lines {}", doc.file, ranges.join(", "))
    };
    let meta = SourceMeta {
        id: part.id.clone(),
        kind: part.kind,
        title: part.title.clone(),
        case: part.case.clone(),
        date: part.date.clone(),
        provenance,
        pages,
    };
    let mut files = vec![OutputFile {
        path: Path::new("sources")
            .join(part.kind.as_str())
            .join(format!("{}.md", part.id)),
        contents: source::render(&meta, &body),
    }];
    let default_voice = part
        .quote_voice
        .map(|v| (v, part.quote_voice_evidence.as_deref().unwrap_or_default()));
    let found = quotes::extract(&part.id, &body, default_voice, &doc.voice);
    if !found.is_empty() {
        files.push(OutputFile {
            path: quote_path(&part.id),
            contents: quotes::render(&found),
        });
    }
    files
}
