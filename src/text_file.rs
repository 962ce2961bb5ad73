//! Reading the project's text files: UTF-8 (a clear error with the line where it stops
//! being UTF-8), a byte-order mark dropped, CRLF line ends read as LF.

use std::path::Path;

use crate::error::{Error, Result};

/// The text of `path`.
pub fn read(path: &Path) -> Result<String> {
    read_optional(path)?
        .ok_or_else(|| Error::io(path, std::io::Error::from(std::io::ErrorKind::NotFound)))
}

/// The largest file visgraat reads. A transcript, a chapter or a whole book is far below it;
/// a bigger file is almost always a mistake (a dump, a PDF's text in one line), and reading
/// it would make every search snippet, redraw and re-anchoring in it slow.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The text of `path`, or None when there is no such file. One open and one stat of the
/// open file: start-up reads thousands of files, and a stat by path before `fs::read` (which
/// stats again) was a third of its system calls.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    use std::io::Read;
    let too_big = |bytes: u64| {
        Error::invalid(
            path,
            None,
            format!(
                "{:.1} MB is more than visgraat reads from one file ({} MB): split it, for instance one file per transcript or chapter",
                bytes as f64 / 1e6,
                MAX_FILE_BYTES / 1024 / 1024
            ),
        )
    };
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if len > MAX_FILE_BYTES {
        return Err(too_big(len));
    }
    // The size the stat gave, in one read as a rule (`read_to_end` without a size hint
    // reads in growing steps, and with one it stats again); then on to the end, within the
    // limit, in case the file grew meanwhile.
    let mut bytes = vec![0; len as usize];
    let mut filled = 0;
    while filled < bytes.len() {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    bytes.truncate(filled);
    (&mut file)
        .take(MAX_FILE_BYTES + 1 - filled as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        Error::invalid(path, Some(line), "not valid UTF-8: save the file as UTF-8")
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(Some(match normalise_line_ends(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(t) => t,
    }))
}

/// The TOML file at `path` as a `T`, or `T::default()` when there is no such file; a
/// malformed file is an error with its line and column.
pub fn load_toml<T: serde::de::DeserializeOwned + Default>(path: &Path) -> Result<T> {
    match read_optional(path)? {
        Some(text) => parse_toml(path, &text),
        None => Ok(T::default()),
    }
}

/// Parse `text` (of the file at `path`, which names it in errors) as TOML. Conflict markers
/// are git's, not a typo: they are said to be a conflict rather than "malformed TOML".
pub fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    if let Some(e) = merge_conflict(path, text) {
        return Err(e);
    }
    toml::from_str(text).map_err(|e| Error::toml(path, text, &e))
}

/// Write `value` as TOML to `path`, atomically, under a `# header` comment line that says what
/// the file is for.
pub fn save_toml<T: serde::Serialize>(path: &Path, header: &str, value: &T) -> Result<()> {
    let body = toml::to_string(value).map_err(|e| Error::invalid(path, None, e.to_string()))?;
    crate::atomic::write(path, format!("# {header}\n{body}").as_bytes())
}

/// Line ends as LF: every run of CRs before an LF goes (CRLF, and the CRCRLF some tools
/// write). Idempotent, so text that was normalised once reads back unchanged; a lone CR
/// elsewhere is text and stays.
pub fn normalise_line_ends(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("\r\n") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_cr = 0;
    for c in text.chars() {
        match c {
            '\r' => pending_cr += 1,
            '\n' => {
                pending_cr = 0;
                out.push('\n');
            }
            c => {
                out.extend(std::iter::repeat_n('\r', pending_cr));
                pending_cr = 0;
                out.push(c);
            }
        }
    }
    out.extend(std::iter::repeat_n('\r', pending_cr));
    std::borrow::Cow::Owned(out)
}

/// An unresolved git merge conflict in `text` (the file at `path`), as an error at its first
/// marker line that says what to do. TOML cannot parse such a file, and "malformed TOML"
/// would not tell a user that git left it so.
pub fn merge_conflict(path: &Path, text: &str) -> Option<Error> {
    let line = text.lines().position(|l| l.starts_with("<<<<<<< "))? + 1;
    let (what, how) = if text.contains(crate::coding::merge_driver::CONFLICT_START) {
        (
            "an entry (a coding, a memo) was changed differently on both sides of a git merge (visgraat merge-driver left both versions)",
            "keep the version you want between the <<<<<<<, ======= and >>>>>>> lines, delete the other",
        )
    } else {
        (
            "git left an unresolved merge conflict here",
            "between the <<<<<<<, ======= and >>>>>>> lines keep what each side should keep (when both added something, keep both additions)",
        )
    };
    Some(Error::invalid(
        path,
        Some(line),
        format!("{what}: {how} and the marker lines, then `git add` the file"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_crlf_and_bad_bytes() {
        let dir = std::env::temp_dir().join(format!("visgraat-text-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.toml");
        std::fs::write(&p, b"\xef\xbb\xbfa = 1\r\nb = 2\r\n").unwrap();
        assert_eq!(read(&p).unwrap(), "a = 1\nb = 2\n");
        std::fs::write(&p, b"a = 1\nb = \"\xff\"\n").unwrap();
        assert!(
            read(&p)
                .unwrap_err()
                .to_string()
                .ends_with("a.toml:2: not valid UTF-8: save the file as UTF-8")
        );
        assert_eq!(read_optional(&dir.join("missing")).unwrap(), None);
        assert_eq!(normalise_line_ends("a\r\r\nb\rc\r"), "a\nb\rc\r");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_over_the_limit_is_refused_and_one_at_it_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.md");
        // Sparse: no disk used.
        let file = std::fs::File::create(&p).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        let err = read(&p).unwrap_err().to_string();
        assert!(
            err.contains("more than visgraat reads from one file"),
            "{err}"
        );
        file.set_len(MAX_FILE_BYTES).unwrap();
        assert_eq!(read(&p).unwrap().len() as u64, MAX_FILE_BYTES);
    }
}
