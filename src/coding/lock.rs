//! One writer at a time for the codings of a corpus: every read-modify-write of a codings
//! file holds an exclusive lock on `codings/.lock` (an OS file lock, released by the OS when
//! a process dies, so a killed process never leaves it stuck). Two TUIs, or the CLI while a
//! TUI runs, therefore never lose each other's codings.

use std::fs::{File, OpenOptions};
use std::path::Path;

use crate::error::{Error, Result};

pub struct WriteLock {
    _file: File,
}

/// Block until this process may write codings under `corpus`.
pub fn acquire(corpus: &Path) -> Result<WriteLock> {
    let dir = corpus.join("codings");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let path = dir.join(".lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    file.lock().map_err(|e| Error::io(&path, e))?;
    Ok(WriteLock { _file: file })
}
