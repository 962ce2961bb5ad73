//! The corpus files the last refresh could not read (not UTF-8, bad front matter, …), kept
//! beside the index: a search reads no corpus file itself, yet its answer leaves them out,
//! so each search says so until they are mended (`visgraat check` lists them too).

use std::path::Path;

use crate::error::{Error, Result};

const FILE: &str = "visgraat-skipped";

/// Keep `problems` (one line each), or remove the list when there are none.
pub fn save(dir: &Path, problems: &[Error]) -> Result<()> {
    let path = dir.join(FILE);
    if problems.is_empty() {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&path, e)),
            _ => Ok(()),
        };
    }
    let text: String = problems
        .iter()
        .map(|p| p.to_string().replace('\n', " ") + "\n")
        .collect();
    if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
        return Ok(());
    }
    crate::atomic::write(&path, text.as_bytes())
}

/// What the last refresh could not read: empty when it read everything (or the list is
/// gone, which only ever hides a warning).
pub fn load(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join(FILE))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_one_line_each_and_removed_when_mended() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(dir.path()).is_empty());
        let problems = vec![
            Error::invalid(Path::new("a.md"), Some(6), "not valid UTF-8"),
            Error::invalid(Path::new("b.md"), Some(1), "two\nlines"),
        ];
        save(dir.path(), &problems).unwrap();
        let kept = load(dir.path());
        assert_eq!(kept.len(), 2, "{kept:?}");
        assert!(
            kept[0].contains("a.md:6") && kept[1].contains("two lines"),
            "{kept:?}"
        );
        save(dir.path(), &[]).unwrap();
        assert!(load(dir.path()).is_empty());
        save(dir.path(), &[]).unwrap();
    }
}
