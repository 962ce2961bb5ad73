//! Reading entries of the zip archives visgraat imports (.qdpx, .docx) with bounds. A zip
//! entry can unpack to a thousand times its size (a 4 MB "zip bomb" to more than 4 GB), so
//! each entry is read through `Read::take` up to a cap, the entries of one archive together
//! up to another, and only the entries an import needs are read at all.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The most visgraat unpacks from one entry holding text: the limit of a source file.
pub const MAX_ENTRY_BYTES: u64 = crate::text_file::MAX_FILE_BYTES;

/// The most visgraat unpacks from a project file (project.qde): it describes a whole
/// project, every coding included, so a large real one passes 16 MB.
pub const MAX_PROJECT_BYTES: u64 = 128 * 1024 * 1024;

/// The most visgraat unpacks from all entries of one archive together.
pub const MAX_ARCHIVE_BYTES: u64 = 256 * 1024 * 1024;

pub struct Archive {
    path: PathBuf,
    zip: zip::ZipArchive<std::fs::File>,
    /// What may still be unpacked from this archive.
    left: u64,
}

fn megabytes(bytes: u64) -> u64 {
    bytes / 1024 / 1024
}

impl Archive {
    /// Open the zip at `path`; `what` names the format for the error ("a .qdpx").
    pub fn open(path: &Path, what: &str) -> Result<Archive> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let zip = zip::ZipArchive::new(file)
            .map_err(|e| Error::invalid(path, None, format!("not {what} (zip) file: {e}")))?;
        Ok(Archive {
            path: path.to_path_buf(),
            zip,
            left: MAX_ARCHIVE_BYTES,
        })
    }

    /// The names of the entries, sorted (nothing is unpacked).
    pub fn names(&self) -> Result<Vec<String>> {
        let mut names = self
            .zip
            .file_names()
            .map(|n| n.map(|n| n.into_owned()))
            .collect::<std::result::Result<Vec<String>, _>>()
            .map_err(|e| Error::invalid(&self.path, None, e.to_string()))?;
        names.sort();
        Ok(names)
    }

    /// Whether there is an entry called `name`.
    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// The unpacked bytes of the entry `name`, at most `cap` of them (and at most what is
    /// left of the archive's total): more is an error naming the file and the entry, found
    /// after reading one byte past the limit, whatever size the entry claims.
    pub fn read(&mut self, name: &str, cap: u64) -> Result<Vec<u8>> {
        let path = self.path.clone();
        let bad = |m: String| Error::invalid(&path, None, format!("entry {name}: {m}"));
        let limit = cap.min(self.left);
        let entry = self.zip.by_name(name).map_err(|e| bad(e.to_string()))?;
        let claimed = entry.size();
        let mut bytes = Vec::with_capacity(claimed.min(limit + 1) as usize);
        entry
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| bad(e.to_string()))?;
        let read = bytes.len() as u64;
        if read > cap {
            return Err(bad(format!(
                "more than {} MB uncompressed: not read",
                megabytes(cap)
            )));
        }
        if read > self.left {
            return Err(bad(format!(
                "the entries read come to more than {} MB uncompressed: not read",
                megabytes(MAX_ARCHIVE_BYTES)
            )));
        }
        self.left -= read;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_past_its_cap_or_the_archive_total_is_refused() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.zip");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        for name in ["sources/a.txt", "sources/b.txt", "sources/c.txt"] {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(&[b'x'; 10]).unwrap();
        }
        zip.finish().unwrap();
        let mut archive = Archive::open(&path, "a .qdpx").unwrap();
        assert_eq!(
            archive.names().unwrap(),
            ["sources/a.txt", "sources/b.txt", "sources/c.txt"]
        );
        assert!(archive.has("sources/b.txt") && !archive.has("b.txt"));
        // Exactly the cap is fine; one byte more is not.
        assert_eq!(archive.read("sources/a.txt", 10).unwrap().len(), 10);
        let err = archive.read("sources/b.txt", 9).unwrap_err().to_string();
        assert!(
            err.ends_with("a.zip: entry sources/b.txt: more than 0 MB uncompressed: not read"),
            "{err}"
        );
        // The total: with 15 bytes left, 10 are read, and 10 more would pass it.
        archive.left = 15;
        assert_eq!(archive.read("sources/b.txt", 10).unwrap().len(), 10);
        let err = archive.read("sources/c.txt", 10).unwrap_err().to_string();
        assert!(
            err.ends_with("entry sources/c.txt: the entries read come to more than 256 MB uncompressed: not read"),
            "{err}"
        );
        let not_zip = dir.path().join("b.docx");
        std::fs::write(&not_zip, "no zip").unwrap();
        let err = Archive::open(&not_zip, "a .docx")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("not a .docx (zip) file"), "{err}");
    }
}
