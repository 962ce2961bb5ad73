//! Writing a code book (or cases file) anew from its entries without losing the people's
//! comments in it: the leading block, and the comment lines that stand before an entry
//! (`# --- beleid ---` before the first beleid code) go back before the same entry, found
//! by its table and id. The comments of an entry that is gone go before the next entry that
//! is still there, else to the end: a comment is never dropped.

/// `body` (freshly serialised `[[table]]` entries) with the comments of `old` put back.
pub fn keep_comments(old: &str, body: &str) -> String {
    let (header, before, tail) = comments_of(old);
    let kept: Vec<(String, String)> = entries(body).into_iter().map(|(key, _)| key).collect();
    // Comments of entries that are gone move on to the next one that stays.
    let mut moved: Vec<((String, String), Vec<String>)> = Vec::new();
    let mut carried: Vec<String> = Vec::new();
    for (key, lines) in before {
        carried.extend(lines);
        if kept.contains(&key) && !carried.is_empty() {
            moved.push((key, std::mem::take(&mut carried)));
        }
    }
    carried.extend(tail);
    let mut out: String = header.iter().map(|l| format!("{l}\n")).collect();
    for (key, lines) in entries(body) {
        if let Some((_, comments)) = moved.iter().find(|(k, _)| *k == key) {
            for c in comments {
                out.push_str(c);
                out.push('\n');
            }
        }
        out.push_str(&lines);
    }
    if !carried.is_empty() {
        out.push('\n');
        for c in carried {
            out.push_str(&c);
            out.push('\n');
        }
    }
    out
}

/// The leading comment block; per entry (table, id) the comment lines right before it, in
/// file order; the comment lines after the last entry.
#[allow(clippy::type_complexity)]
fn comments_of(
    text: &str,
) -> (
    Vec<String>,
    Vec<((String, String), Vec<String>)>,
    Vec<String>,
) {
    let lines: Vec<&str> = text.lines().collect();
    let header_end = lines
        .iter()
        .position(|l| !(l.starts_with('#') || l.trim().is_empty()))
        .unwrap_or(lines.len());
    let header: Vec<String> = lines[..header_end].iter().map(|l| l.to_string()).collect();
    let mut before = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    for (at, line) in lines.iter().enumerate().skip(header_end) {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            pending.push(line.to_string());
        } else if let Some(table) = table_of(trimmed) {
            let id = id_after(&lines[at + 1..]);
            if !pending.is_empty() {
                pending.push(String::new());
            }
            before.push(((table, id), std::mem::take(&mut pending)));
        }
    }
    (header, before, pending)
}

/// The entries of `body`: (table, id) and their text up to the next entry.
fn entries(body: &str) -> Vec<((String, String), String)> {
    let lines: Vec<&str> = body.lines().collect();
    let mut out: Vec<((String, String), String)> = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        match table_of(line.trim_start()) {
            Some(table) => out.push(((table, id_after(&lines[at + 1..])), format!("{line}\n"))),
            None => match out.last_mut() {
                Some((_, text)) => {
                    text.push_str(line);
                    text.push('\n');
                }
                // Lines before the first entry (plain keys): kept, as an entry of their own.
                None => out.push(((String::new(), String::new()), format!("{line}\n"))),
            },
        }
    }
    out
}

/// `[[code]]` → "code".
fn table_of(line: &str) -> Option<String> {
    let name = line.strip_prefix("[[")?.split("]]").next()?.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// The `id = "…"` of the entry whose lines follow (up to the next table).
fn id_after(lines: &[&str]) -> String {
    lines
        .iter()
        .take_while(|l| !l.trim_start().starts_with('['))
        .find_map(|l| {
            let (key, value) = l.split_once('=')?;
            (key.trim() == "id").then(|| value.trim().trim_matches('"').to_string())
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "# Code book.\n\n[[group]]\nid = \"fishbone\"\n\n# --- beleid ---\n\n[[code]]\nid = \"a\"\nlabel = \"A\"\n\n# --- team ---\n[[code]]\nid = \"b\"\nlabel = \"B\"\n\n# at the end\n";

    #[test]
    fn comments_go_back_before_their_entries() {
        let body = "[[group]]\nid = \"fishbone\"\n\n[[code]]\nid = \"a\"\nlabel = \"A2\"\n\n[[code]]\nid = \"new\"\nlabel = \"N\"\n\n[[code]]\nid = \"b\"\nlabel = \"B\"\n";
        let out = keep_comments(OLD, body);
        assert_eq!(
            out,
            "# Code book.\n\n[[group]]\nid = \"fishbone\"\n\n# --- beleid ---\n\n[[code]]\nid = \"a\"\nlabel = \"A2\"\n\n[[code]]\nid = \"new\"\nlabel = \"N\"\n\n# --- team ---\n\n[[code]]\nid = \"b\"\nlabel = \"B\"\n\n# at the end\n"
        );
        // It parses, and keeps every entry.
        let doc: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(doc["code"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn the_comments_of_a_deleted_entry_move_on() {
        let body = "[[group]]\nid = \"fishbone\"\n\n[[code]]\nid = \"b\"\nlabel = \"B\"\n";
        let out = keep_comments(OLD, body);
        assert!(
            out.contains("# --- beleid ---\n\n# --- team ---\n\n[[code]]\nid = \"b\""),
            "{out}"
        );
        let body = "[[group]]\nid = \"fishbone\"\n";
        let out = keep_comments(OLD, body);
        for comment in ["# --- beleid ---", "# --- team ---", "# at the end"] {
            assert!(out.contains(comment), "{comment} lost: {out}");
        }
    }
}
