//! `visgraat pseudonyms check`: every real name of the pseudonym key that still stands in a
//! file under corpus/ or in an export (text, or the entries of a .qdpx or .docx), with its
//! file and line, found by the same rule the replacement uses.

use std::path::{Path, PathBuf};

use crate::corpus::pseudonyms::PseudonymKey;
use crate::error::{Error, Result};

/// A real name found: where (a file, or `archive!entry`), on which line, as written there.
#[derive(Debug, Clone, PartialEq)]
pub struct Leak {
    pub file: String,
    pub line: usize,
    pub name: String,
}

/// The leaks of `key`'s names in every file under `corpus` and in each of `exports`.
pub fn scan(key: &PseudonymKey, corpus: &Path, exports: &[PathBuf]) -> Result<Vec<Leak>> {
    let mut files = Vec::new();
    let mut stack = vec![corpus.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(t) if t.is_file() => files.push(path),
                _ => {}
            }
        }
    }
    files.sort();
    files.extend(exports.iter().cloned());
    let mut out = Vec::new();
    for file in &files {
        // The file's own name holds names too (a source named after its speaker).
        let shown = file.display().to_string();
        for (_, name) in key.leaks(&shown) {
            out.push(Leak {
                file: shown.clone(),
                line: 0,
                name,
            });
        }
        for (place, text) in texts(file)? {
            for (line, name) in key.leaks(&text) {
                out.push(Leak {
                    file: place.clone(),
                    line,
                    name,
                });
            }
        }
    }
    Ok(out)
}

/// The text of `file`, or of each entry when it is a zip archive (.qdpx, .docx).
fn texts(file: &Path) -> Result<Vec<(String, String)>> {
    let shown = file.display().to_string();
    let is_zip = std::fs::File::open(file)
        .and_then(|mut f| {
            let mut magic = [0u8; 4];
            std::io::Read::read_exact(&mut f, &mut magic).map(|_| magic == *b"PK\x03\x04")
        })
        .unwrap_or(false);
    if !is_zip {
        let meta = std::fs::metadata(file).map_err(|e| Error::io(file, e))?;
        if meta.len() > crate::text_file::MAX_FILE_BYTES {
            return Err(Error::invalid(
                file,
                None,
                "too large to check (over 16 MB)",
            ));
        }
        let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
        return Ok(vec![(shown, String::from_utf8_lossy(&bytes).into_owned())]);
    }
    let mut zip = crate::archive::Archive::open(file, "a zip")?;
    let mut out = Vec::new();
    for name in zip.names()? {
        let bytes = zip.read(&name, crate::archive::MAX_ENTRY_BYTES)?;
        out.push((
            format!("{shown}!{name}"),
            String::from_utf8_lossy(&bytes).into_owned(),
        ));
    }
    Ok(out)
}
