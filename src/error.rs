//! The library's error type: every variant names the file (and line, where there is one),
//! so a user can find and fix what is wrong.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file that does not parse or does not make sense, with a 1-based line where known.
    #[error("{}: {message}", location(path, *line))]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    #[error("index at {path}: {message}")]
    Index { path: PathBuf, message: String },
    #[error("query: {0}")]
    Query(crate::index::query::Problem),
    #[error("{0}")]
    Usage(String),
    /// The user pressed Ctrl-C; the work stopped before writing anything.
    #[error("interrupted: stopped before anything was written")]
    Interrupted,
}

fn location(path: &std::path::Path, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn invalid(
        path: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    /// A TOML parse error, located by line and column in `text`.
    pub fn toml(path: impl Into<PathBuf>, text: &str, err: &toml::de::Error) -> Self {
        let path = path.into();
        let (line, message) = match err.span() {
            Some(span) => {
                let before = &text[..text.floor_char_boundary(span.start)];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                (Some(line), format!("column {column}: {}", err.message()))
            }
            None => (None, err.message().to_string()),
        };
        Error::Invalid {
            path,
            line,
            message: format!("malformed TOML, {message}"),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
