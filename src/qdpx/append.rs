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
    let invalid = |e: &dyn std::fmt::Display| Error::invalid(path, None, e.to_string());
    let serialised = toml::to_string(new).map_err(|e| invalid(&e))?;
    // Only lists of tables are appended: after the file's last `[[group]]`, a plain key —
    // an empty list serialises as `group = []` — would be read as part of that table (it
    // made a whole code book unreadable after a .qdpx import into a project from `init`).
    let mut lists: toml_edit::DocumentMut = serialised.parse().map_err(|e| invalid(&e))?;
    let empty: Vec<String> = lists
        .iter()
        .filter(|(_, item)| item.as_array().is_some_and(toml_edit::Array::is_empty))
        .map(|(key, _)| key.to_string())
        .collect();
    for key in &empty {
        lists.remove(key);
    }
    if let Some((key, _)) = lists.iter().find(|(_, item)| !item.is_array_of_tables()) {
        return Err(invalid(&format!(
            "{key}: only lists of tables can be appended"
        )));
    }
    let added = lists.to_string();
    let kept = text.trim_end();
    Ok(Some(if kept.is_empty() {
        added
    } else {
        format!("{kept}\n\n{added}")
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Book {
        group: Vec<Entry>,
        code: Vec<Entry>,
    }

    #[derive(Serialize)]
    struct Entry {
        id: String,
    }

    #[test]
    fn an_empty_list_is_not_appended_into_the_last_table() {
        let kept = "# kept\n[[group]]\nid = \"fishbone\"\n";
        let new = Book {
            group: Vec::new(),
            code: vec![Entry { id: "x".into() }],
        };
        let text = entries(Path::new("codebook.toml"), kept, &new, 1)
            .unwrap()
            .unwrap();
        assert!(text.starts_with(kept), "{text}");
        assert!(!text.contains("group = []"), "{text}");
        let doc: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(doc["group"].as_array().unwrap().len(), 1);
        assert_eq!(doc["group"][0].as_table().unwrap().len(), 1, "{text}");
        assert_eq!(doc["code"][0]["id"].as_str(), Some("x"));
    }
}
