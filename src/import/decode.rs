//! Bytes to text for the importers: UTF-8 with or without a byte-order mark, UTF-16 with
//! one, and Windows-1252 (which covers Latin-1's letters) for files that are not UTF-8 at
//! all. The importer says which it used. A UTF-8 file with a damaged stretch is refused
//! with its line rather than read as Windows-1252, which would garble its other letters.

use std::path::Path;

use crate::error::{Error, Result};

/// How a file's bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE (BOM)",
            Encoding::Utf16Be => "UTF-16BE (BOM)",
            Encoding::Windows1252 => "Windows-1252/Latin-1",
        }
    }
}

/// The text of `bytes` (read from `file`), line ends as LF, and the encoding it was in.
pub fn decode(file: &Path, bytes: &[u8]) -> Result<(String, Encoding)> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        (utf8(file, rest)?, Encoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        let (text, bad) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        refuse_replacements(file, &text, bad, "UTF-16")?;
        (text.into_owned(), Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        let (text, bad) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        refuse_replacements(file, &text, bad, "UTF-16")?;
        (text.into_owned(), Encoding::Utf16Be)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), Encoding::Utf8)
    } else if has_utf8_sequences(bytes) {
        // Mostly UTF-8 with a broken stretch: point at it.
        return Err(utf8(file, bytes).unwrap_err());
    } else {
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
        if let Some(at) = text.find(|c: char| ('\u{80}'..='\u{9f}').contains(&c)) {
            let line = text[..at].matches('\n').count() + 1;
            return Err(Error::invalid(
                file,
                Some(line),
                "neither UTF-8 nor Windows-1252: save the file as UTF-8",
            ));
        }
        (text.into_owned(), Encoding::Windows1252)
    };
    let text = crate::text_file::normalise_line_ends(&text).into_owned();
    Ok((text, encoding))
}

fn utf8(file: &Path, bytes: &[u8]) -> Result<String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let valid = &bytes[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        Error::invalid(file, Some(line), "not valid UTF-8: save the file as UTF-8")
    })
}

fn refuse_replacements(file: &Path, text: &str, bad: bool, what: &str) -> Result<()> {
    match text.find('\u{fffd}').filter(|_| bad) {
        Some(at) => Err(Error::invalid(
            file,
            Some(text[..at].matches('\n').count() + 1),
            format!("not valid {what}: save the file as UTF-8"),
        )),
        None => Ok(()),
    }
}

/// True when `bytes` hold a well-formed multi-byte UTF-8 sequence (so the file is UTF-8
/// with damage, not another encoding: Windows-1252 text almost never forms one).
fn has_utf8_sequences(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|w| {
        (0xc2..=0xf4).contains(&w[0]) && (0x80..=0xbf).contains(&w[1]) && {
            // The whole sequence must be valid, not just its first two bytes.
            let len = if w[0] >= 0xf0 {
                4
            } else if w[0] >= 0xe0 {
                3
            } else {
                2
            };
            let start = w.as_ptr() as usize - bytes.as_ptr() as usize;
            bytes
                .get(start..start + len)
                .is_some_and(|s| std::str::from_utf8(s).is_ok())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_detected_and_named() {
        let f = Path::new("t.txt");
        let read = |b: &[u8]| decode(f, b).map(|(t, e)| (t, e.name()));
        assert_eq!(
            read(b"Cafe\xcc\x81\r\n").unwrap(),
            ("Cafe\u{301}\n".into(), "UTF-8")
        );
        assert_eq!(
            read(b"\xef\xbb\xbfJa.").unwrap(),
            ("Ja.".into(), "UTF-8 with BOM")
        );
        assert_eq!(
            read(b"\xff\xfeJ\0a\0\xeb\0").unwrap(),
            ("Jaë".into(), "UTF-16LE (BOM)")
        );
        assert_eq!(
            read(b"\xfe\xff\0J\0a").unwrap(),
            ("Ja".into(), "UTF-16BE (BOM)")
        );
        assert_eq!(
            read(b"Co\xf6rdinator: \x93ja\x94 \x80 5").unwrap(),
            ("Coördinator: “ja” € 5".into(), "Windows-1252/Latin-1")
        );
        let err = read(b"\xc3\xa9\xc3\xa9n\nen \xff\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with("t.txt:2: not valid UTF-8: save the file as UTF-8"),
            "{err}"
        );
    }
}
