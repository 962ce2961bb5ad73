//! Growing a TOML file of `[[entry]]` lists by appending: what the file holds, comments and
//! layout included, stays byte for byte; the new entries follow it.

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};

/// The text of the file at `path` (now `text`) with `new` (`count` entries) appended, or
/// None when there is nothing to add.
pub(crate) fn entries<T: Serialize>(
    path: &Path,
    text: &str,
    new: &T,
    count: usize,
) -> Result<Option<String>> {
    if count == 0 {
        return Ok(None);
    }
    let added = toml::to_string(new).map_err(|e| Error::invalid(path, None, e.to_string()))?;
    let kept = text.trim_end();
    Ok(Some(if kept.is_empty() {
        added
    } else {
        format!("{kept}\n\n{added}")
    }))
}
