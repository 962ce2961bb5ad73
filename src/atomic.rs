//! Atomic file writes: every write of user data goes through here, so a crash leaves either
//! the old file or the new one, never a torn mix.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

/// Write `contents` to `path` atomically: temp file in the same directory, fsync, rename,
/// fsync the directory (so the rename itself survives a power cut).
pub fn write(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let file_name = path
        .file_name()
        .ok_or_else(|| Error::invalid(path, None, "not a file path"))?
        .to_string_lossy();
    let tmp = dir.join(temp_name(&file_name, std::process::id()));
    let result = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)?;
        // Directory fsync is not supported everywhere (e.g. some network file systems);
        // the rename has happened either way.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    result.map_err(|e: std::io::Error| {
        let _ = fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// The temp file `write` puts beside `file_name`: hidden, and named by the writing process
/// so two processes writing the same file never share one.
fn temp_name(file_name: &str, pid: u32) -> String {
    format!(".{file_name}.{pid}.tmp")
}

/// Whether `name` is the name of one of `write`'s temp files (`.NAME.PID.tmp`).
pub fn is_temp_name(name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    inner.rsplit_once('.').is_some_and(|(file, pid)| {
        !file.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
    })
}

/// How old a temp file must be before it counts as left over: a write takes well under a
/// second (fsync included), so an older one belongs to a write that was killed.
pub const LEFTOVER_AGE: Duration = Duration::from_secs(60);

/// `write`'s temp files anywhere under `root` (links followed, as the corpus is read).
/// Each is a write that has not finished: one in progress now, or one killed before its
/// rename (the file it was for still holds its old contents).
pub fn leftovers(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    // Link loops are reported by the loads that read these directories.
    let mut ignored = Vec::new();
    crate::corpus::collect_files(root, "tmp", &mut files, &mut ignored);
    files.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(is_temp_name)
    });
    files
}

/// Remove the temp files under `root` that are older than `min_age`, and return them. A
/// younger one may be a write in progress in another process, so it stays (and is
/// reported by `visgraat check`); a temp file never holds data the real file lacks, since
/// a write is only done once its rename is.
pub fn clean_leftovers(root: &Path, min_age: Duration) -> Vec<PathBuf> {
    leftovers(root)
        .into_iter()
        .filter(|p| {
            // A modification time in the future (a clock ahead on a file server) counts as
            // young.
            let old = fs::metadata(p)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age >= min_age);
            old && fs::remove_file(p).is_ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp_file() {
        let dir = std::env::temp_dir().join(format!("visgraat-atomic-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let path = dir.join("a.toml");
        write(&path, b"one").unwrap();
        write(&path, b"two").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temp_names_are_recognised() {
        assert!(is_temp_name(&temp_name("a.toml", 4242)));
        assert!(is_temp_name(".intermezzo-intake.toml.17.tmp"));
        for other in [
            "a.toml",
            ".a.toml.tmp",
            "a.toml.17.tmp",
            ".a.toml.17x.tmp",
            "..17.tmp",
            ".lock",
        ] {
            assert!(!is_temp_name(other), "{other}");
        }
    }

    #[test]
    fn only_old_leftovers_are_cleaned() {
        let dir = std::env::temp_dir().join(format!("visgraat-leftover-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).unwrap();
        let old = dir.join("sub/.a.toml.1.tmp");
        let young = dir.join(".b.toml.2.tmp");
        fs::write(&old, "half").unwrap();
        fs::write(&young, "half").unwrap();
        fs::write(dir.join("notes.tmp"), "not ours").unwrap();
        let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
        assert_eq!(leftovers(&dir).len(), 2);
        assert_eq!(clean_leftovers(&dir, LEFTOVER_AGE), vec![old.clone()]);
        assert!(!old.exists() && young.exists());
        assert_eq!(leftovers(&dir), vec![young]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
