//! Word (.docx) transcripts: the body's paragraphs, one line each, read as plain text is
//! read, and tables of Speaker | Text rows (optionally a time column first) as turns, a row
//! without a speaker going on with the turn before, a heading row as a header paragraph.

use std::path::Path;

use quick_xml::events::Event;

use super::label::{Labels, capitalise, leading_time};
use super::paragraphs::Paragraph;
use super::plain::Reader;
use crate::corpus::turn::speaker_of_label;
use crate::error::{Error, Result};

/// A Word body in reading order: paragraphs outside tables, and table rows as their cells.
#[derive(Debug, Clone)]
pub enum Block {
    Paragraph(String),
    Row(Vec<String>),
}

/// The paragraphs of `file`, and the text the word check reads (every paragraph and cell).
pub fn read(file: &Path) -> Result<(Vec<Paragraph>, String)> {
    Ok(read_blocks(&blocks(file)?))
}

/// The paragraphs of a Word body, and the text the word check reads.
pub fn read_blocks(blocks: &[Block]) -> (Vec<Paragraph>, String) {
    let mut read = String::new();
    for block in blocks {
        match block {
            Block::Paragraph(p) => read.push_str(p),
            Block::Row(cells) => read.push_str(&cells.join("\n")),
        }
        read.push('\n');
    }
    let labels = Labels::of(read.lines());
    // A Word paragraph is a paragraph: no wrapped lines to join.
    let mut reader = Reader::new(labels, true);
    for block in blocks {
        match block {
            Block::Paragraph(p) => {
                for line in p.lines() {
                    reader.line(line);
                }
                reader.flush();
            }
            Block::Row(cells) => row(&mut reader, cells),
        }
    }
    (reader.finish(), read)
}

/// One table row: `[time |] speaker | text…` as a turn; a row whose speaker cell is empty
/// goes on with the turn before; any other row (a heading row: `Spreker | Tekst`) is a
/// header paragraph of its cells.
fn row(reader: &mut Reader, cells: &[String]) {
    let cells: Vec<&str> = cells.iter().map(|c| c.trim()).collect();
    let (time, rest) = match cells.first().map(|c| leading_time(c)) {
        Some((Some(time), "")) => (Some(time), &cells[1..]),
        _ => (None, &cells[..]),
    };
    let text = rest.get(1..).unwrap_or_default().join(" ");
    match rest.first() {
        Some(speaker) if rest.len() >= 2 && !is_heading(&cells) => {
            let label = capitalise(speaker.trim_end_matches(':').trim());
            if speaker.is_empty() {
                reader.continue_turn(&text);
            } else if speaker_of_label(&label).is_some() {
                reader.paragraph(Paragraph::turn(time, label, &text));
            } else {
                reader.paragraph(Paragraph::plain(&cells.join(" | ")));
            }
        }
        _ => {
            let text = cells
                .iter()
                .filter(|c| !c.is_empty())
                .copied()
                .collect::<Vec<_>>();
            if !text.is_empty() {
                reader.paragraph(Paragraph::Plain {
                    text: text.join(" | "),
                    header: true,
                });
            }
        }
    }
}

/// A table's heading row: every cell a column name.
fn is_heading(cells: &[&str]) -> bool {
    const NAMES: &[&str] = &[
        "spreker",
        "speaker",
        "naam",
        "name",
        "wie",
        "tekst",
        "text",
        "tijd",
        "time",
        "tijdcode",
        "timestamp",
        "transcript",
        "transcriptie",
        "wat",
        "uitspraak",
    ];
    cells
        .iter()
        .all(|c| NAMES.contains(&c.to_lowercase().trim_end_matches(':')))
}

fn blocks(file: &Path) -> Result<Vec<Block>> {
    let bad = |m: String| Error::invalid(file, None, m);
    let mut zip = crate::archive::Archive::open(file, "a .docx")?;
    const BODY: &str = "word/document.xml";
    if !zip.has(BODY) {
        return Err(bad("no word/document.xml: not a Word document".into()));
    }
    // The body alone is read, within the bound of a source file.
    let bytes = zip.read(BODY, crate::archive::MAX_ENTRY_BYTES)?;
    let xml = String::from_utf8(bytes)
        .map_err(|_| bad("word/document.xml is not UTF-8: not a Word document".into()))?;
    let mut reader = quick_xml::reader::Reader::from_str(&xml);
    let mut out = Vec::new();
    let mut text = String::new();
    let mut in_text = false;
    let mut table_depth = 0usize;
    let mut cells: Vec<String> = Vec::new();
    loop {
        match reader
            .read_event()
            .map_err(|e| bad(format!("word/document.xml: {e}")))?
        {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => in_text = true,
                "tbl" => table_depth += 1,
                "tr" if table_depth == 1 => cells.clear(),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" if table_depth == 0 => out.push(Block::Paragraph(std::mem::take(&mut text))),
                // Paragraphs inside a cell are lines of the cell.
                "p" => text.push('\n'),
                "tc" if table_depth == 1 => {
                    let cell = std::mem::take(&mut text);
                    cells.push(cell.lines().map(str::trim).collect::<Vec<_>>().join(" "));
                }
                "tr" if table_depth == 1 => out.push(Block::Row(std::mem::take(&mut cells))),
                "tbl" => table_depth = table_depth.saturating_sub(1),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => text.push('\t'),
                "br" => text.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => push_reference(&mut text, &r),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// An XML entity or character reference as its character.
fn push_reference(out: &mut String, r: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    out.push_str(match &**r {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    });
}
