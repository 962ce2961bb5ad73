//! REFI-QDA code books (.qdc, namespace `urn:QDA-XML:codebook:1.0`), as Taguette, QualCoder
//! and others exchange them: the `<CodeBook>` element alone. Reading maps its tree as a
//! project import does (see `codes`); writing is the project export's code book.

use std::collections::HashSet;
use std::path::Path;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};

use crate::corpus::codebook::Codebook;
use crate::error::{Error, Result};
use crate::qdpx::ids::quoted;
use crate::qdpx::import::Report;

/// Add the codes of the .qdc at `file` to the code book of `corpus` (appended: the book's
/// comments stay). Codes it has already (by GUID, or by label at the same place) stay.
pub fn import(corpus: &Path, file: &Path) -> Result<Report> {
    let xml = crate::text_file::read(file)?;
    let p = crate::qdpx::reader::parse(xml.trim_start_matches('\u{feff}'))
        .map_err(|m| Error::invalid(file, None, m))?;
    if p.codes.is_empty() {
        return Err(Error::invalid(file, None, "no codes in this code book"));
    }
    std::fs::create_dir_all(corpus).map_err(|e| Error::io(corpus, e))?;
    let path = corpus.join("codebook.toml");
    let text = crate::text_file::read_optional(&path)?.unwrap_or_default();
    let book = if text.trim().is_empty() {
        Codebook::default()
    } else {
        Codebook::load_whole(&path)?
    };
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    let label = if p.name.is_empty() {
        &stem
    } else {
        p.name.as_str()
    };
    let mapped = crate::qdpx::codes::map(&p.codes, &book, None, label, &HashSet::new());
    let new = Codebook {
        groups: mapped.groups.clone(),
        codes: mapped.codes.clone(),
        ..Codebook::default()
    };
    let count = new.groups.len() + new.codes.len();
    if let Some(problem) = book
        .check_additions(&new.groups, &new.codes)
        .into_iter()
        .next()
    {
        return Err(Error::invalid(
            file,
            None,
            format!("its codes do not fit this project's code book: {problem}"),
        ));
    }
    if let Some(text) = crate::qdpx::append::entries(&path, &text, &new, count)? {
        crate::atomic::write(&path, text.as_bytes())?;
    }
    let mut skipped = p.skipped;
    for set in &p.sets {
        skipped.push(format!(
            "set {} ({} codes): a code belongs to one group in visgraat, so sets are listed, not imported",
            quoted(&set.name),
            set.codes.len()
        ));
    }
    Ok(Report {
        codes: mapped.codes.len(),
        conflicts: mapped.conflicts,
        skipped,
        ..Report::default()
    })
}

/// Write `book` as a .qdc to `path` (atomically).
pub fn write(book: &Codebook, path: &Path) -> Result<()> {
    let xml = (|| -> std::io::Result<Vec<u8>> {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        let attrs = [
            ("xmlns", "urn:QDA-XML:codebook:1.0"),
            ("origin", "visgraat"),
        ];
        crate::qdpx::export::code_book(&mut w, book, &attrs, &|_| Vec::new())?;
        Ok(w.into_inner())
    })()
    .map_err(|e| Error::io(path, e))?;
    crate::atomic::write(path, &xml)
}
