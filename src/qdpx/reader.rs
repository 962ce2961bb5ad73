//! Reading a REFI-QDA project file (project.qde, XML) or code book (.qdc): the parts visgraat
//! imports (users, codes, variables, cases, text sources with their selections, notes, sets),
//! in one pass, and a plain-text line for every part it does not import.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

#[derive(Debug, Default, Clone)]
pub(crate) struct QCode {
    pub(crate) guid: String,
    pub(crate) name: String,
    pub(crate) codable: bool,
    pub(crate) color: Option<String>,
    pub(crate) description: String,
    pub(crate) parent: Option<usize>,
    pub(crate) notes: Vec<String>,
}

#[derive(Debug, Default)]
pub(crate) struct QSelection {
    /// In the exporting tool's units (see `positions`).
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The selection's name: many tools write the selected text (or its start) there.
    pub(crate) name: String,
    pub(crate) user: Option<String>,
    pub(crate) created: Option<String>,
    pub(crate) memo: String,
    pub(crate) codings: Vec<QCoding>,
}

/// One code applied to a selection, by whom (`Coding@creatingUser`, else the selection's).
#[derive(Debug, Default)]
pub(crate) struct QCoding {
    pub(crate) code: String,
    pub(crate) user: Option<String>,
}

/// A REFI-QDA Set: a named collection of codes and sources.
#[derive(Debug, Default)]
pub(crate) struct QSet {
    pub(crate) name: String,
    pub(crate) codes: Vec<String>,
    pub(crate) sources: usize,
}

#[derive(Debug, Default)]
pub(crate) struct QSource {
    pub(crate) guid: String,
    pub(crate) name: String,
    pub(crate) path: Option<String>,
    pub(crate) inline: Option<String>,
    pub(crate) description: String,
    pub(crate) selections: Vec<QSelection>,
    pub(crate) notes: Vec<String>,
}

#[derive(Debug, Default)]
pub(crate) struct QCase {
    pub(crate) guid: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) codes: Vec<String>,
    /// (variable GUID, value as its element typed it).
    pub(crate) values: Vec<(String, crate::corpus::cases::AttrValue)>,
    pub(crate) sources: Vec<String>,
    pub(crate) notes: Vec<String>,
}

#[derive(Debug, Default)]
pub(crate) struct QNote {
    pub(crate) guid: String,
    pub(crate) name: String,
    pub(crate) user: Option<String>,
    pub(crate) text: String,
}

/// Append what an XML character or predefined entity reference stands for (quick-xml hands
/// them over as events of their own).
pub(crate) fn push_reference(out: &mut String, r: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
    } else {
        out.push_str(match &**r {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            _ => "",
        });
    }
}

/// An element's attributes by local name, read once: looking each one up by reading them all
/// again cost a quarter of the time of a large import.
struct Attrs(Vec<(String, Option<String>)>);

impl Attrs {
    fn of(e: &BytesStart) -> Attrs {
        Attrs(
            e.attributes()
                .flatten()
                .map(|a| {
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .ok()
                        .map(|v| v.into_owned());
                    (a.key.local_name().as_ref().to_string(), value)
                })
                .collect(),
        )
    }

    /// The first attribute called `name`, if its value could be read.
    fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .and_then(|(_, value)| value.clone())
    }
}

/// The element tree's parts visgraat uses, read in one pass.
#[derive(Debug, Default)]
pub(crate) struct Project {
    pub(crate) name: String,
    pub(crate) origin: String,
    pub(crate) users: HashMap<String, String>,
    pub(crate) codes: Vec<QCode>,
    pub(crate) variables: HashMap<String, String>,
    pub(crate) cases: Vec<QCase>,
    pub(crate) sources: Vec<QSource>,
    pub(crate) notes: Vec<QNote>,
    pub(crate) sets: Vec<QSet>,
    pub(crate) skipped: Vec<String>,
}

/// The most XML elements read from one project file. A real project with many thousands of
/// codings has a few hundred thousand; past this the file is taken for a mistake or an
/// attack, and the import stops before its memory and time grow without end.
pub(crate) const MAX_ELEMENTS: usize = 2_000_000;

/// The open elements, innermost last, with how many of each name are open: asking whether
/// one is open is a lookup, not a walk up the stack (deep nesting would make that quadratic).
#[derive(Default)]
struct Open {
    names: Vec<String>,
    count: HashMap<String, usize>,
}

impl Open {
    fn push(&mut self, name: String) {
        *self.count.entry(name.clone()).or_default() += 1;
        self.names.push(name);
    }

    fn pop(&mut self) {
        if let Some(name) = self.names.pop()
            && let Some(n) = self.count.get_mut(&name)
        {
            *n -= 1;
        }
    }

    fn within(&self, name: &str) -> bool {
        self.count.get(name).is_some_and(|&n| n > 0)
    }

    fn last(&self) -> Option<&str> {
        self.names.last().map(String::as_str)
    }

    /// The element around the innermost one.
    fn parent(&self) -> &str {
        self.names
            .len()
            .checked_sub(2)
            .map_or("", |i| self.names[i].as_str())
    }
}

pub(crate) fn parse(xml: &str) -> std::result::Result<Project, String> {
    parse_at_most(xml, MAX_ELEMENTS)
}

/// [`parse`], reading at most `max_elements` elements.
fn parse_at_most(xml: &str, max_elements: usize) -> std::result::Result<Project, String> {
    let mut reader = Reader::from_str(xml);
    let mut p = Project::default();
    let mut stack = Open::default();
    let mut elements = 0usize;
    let mut code_stack: Vec<usize> = Vec::new();
    let mut text = String::new();
    let mut value_var: Option<String> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        let (element, is_empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = element {
            elements += 1;
            if elements > max_elements {
                return Err(format!(
                    "more than {} XML elements: not read (visgraat reads at most that many from one project)",
                    group_thousands(max_elements)
                ));
            }
            let name = e.local_name().as_ref().to_string();
            let attrs = Attrs::of(&e);
            text.clear();
            match name.as_str() {
                "Project" => {
                    p.origin = attrs.get("origin").unwrap_or_default();
                    p.name = attrs.get("name").unwrap_or_default();
                }
                "User" => {
                    if let (Some(g), Some(n)) = (attrs.get("guid"), attrs.get("name")) {
                        p.users.insert(g, n);
                    }
                }
                "Code" => {
                    p.codes.push(QCode {
                        guid: attrs.get("guid").unwrap_or_default(),
                        name: attrs.get("name").unwrap_or_default(),
                        codable: attrs
                            .get("isCodable")
                            .is_none_or(|v| v == "true" || v == "1"),
                        color: attrs.get("color"),
                        parent: code_stack.last().copied(),
                        ..QCode::default()
                    });
                    if !is_empty {
                        code_stack.push(p.codes.len() - 1);
                    }
                }
                "Variable" => {
                    if let (Some(g), Some(n)) = (attrs.get("guid"), attrs.get("name")) {
                        p.variables.insert(g, n);
                    }
                }
                "Case" => p.cases.push(QCase {
                    guid: attrs.get("guid").unwrap_or_default(),
                    name: attrs.get("name").unwrap_or_default(),
                    ..QCase::default()
                }),
                "TextSource" if !stack.within("Notes") => p.sources.push(QSource {
                    guid: attrs.get("guid").unwrap_or_default(),
                    name: attrs.get("name").unwrap_or_default(),
                    path: attrs.get("plainTextPath"),
                    ..QSource::default()
                }),
                "Note" => p.notes.push(QNote {
                    guid: attrs.get("guid").unwrap_or_default(),
                    name: attrs.get("name").unwrap_or_default(),
                    user: attrs.get("creatingUser"),
                    ..QNote::default()
                }),
                "PictureSource" | "PDFSource" | "AudioSource" | "VideoSource" => {
                    p.skipped.push(format!(
                        "{name} \"{}\": visgraat reads text sources only",
                        attrs.get("name").unwrap_or_default()
                    ))
                }
                "Link" | "Graph" => p.skipped.push(format!(
                    "{name} \"{}\": visgraat has no {}",
                    attrs.get("name").unwrap_or_default(),
                    if name == "Link" { "links" } else { "graphs" }
                )),
                "Set" => p.sets.push(QSet {
                    name: attrs.get("name").unwrap_or_default(),
                    ..QSet::default()
                }),
                "MemberCode" | "MemberSource" => {
                    if let Some(set) = p.sets.last_mut() {
                        if name == "MemberCode" {
                            // ATLAS.ti writes `guid`, the schema `targetGUID`.
                            let target = attrs.get("targetGUID").or_else(|| attrs.get("guid"));
                            set.codes.push(target.unwrap_or_default());
                        } else {
                            set.sources += 1;
                        }
                    }
                }
                "PlainTextSelection" => {
                    if let Some(source) = p.sources.last_mut() {
                        let pos = |a| attrs.get(a).and_then(|v| v.trim().parse::<usize>().ok());
                        source.selections.push(QSelection {
                            start: pos("startPosition").unwrap_or(0),
                            end: pos("endPosition").unwrap_or(0),
                            name: attrs.get("name").unwrap_or_default(),
                            user: attrs.get("creatingUser"),
                            created: attrs.get("creationDateTime"),
                            ..QSelection::default()
                        });
                    }
                }
                "Coding" if stack.last() == Some("PlainTextSelection") => {
                    if let Some(sel) = p.sources.last_mut().and_then(|s| s.selections.last_mut()) {
                        sel.codings.push(QCoding {
                            code: String::new(),
                            user: attrs.get("creatingUser").or_else(|| sel.user.clone()),
                        });
                    }
                }
                "CodeRef" => {
                    let target = attrs.get("targetGUID").unwrap_or_default();
                    if stack.within("PlainTextSelection") {
                        if let Some(sel) =
                            p.sources.last_mut().and_then(|s| s.selections.last_mut())
                        {
                            // A CodeRef outside a Coding element (some tools) is a coding too.
                            match sel.codings.last_mut() {
                                Some(c) if c.code.is_empty() && stack.last() == Some("Coding") => {
                                    c.code = target
                                }
                                _ => sel.codings.push(QCoding {
                                    code: target,
                                    user: sel.user.clone(),
                                }),
                            }
                        }
                    } else if stack.last() == Some("Case")
                        && let Some(case) = p.cases.last_mut()
                    {
                        case.codes.push(target);
                    }
                }
                "VariableRef" => value_var = attrs.get("targetGUID"),
                "SourceRef" => {
                    if stack.last() == Some("Case")
                        && let Some(case) = p.cases.last_mut()
                    {
                        case.sources
                            .push(attrs.get("targetGUID").unwrap_or_default());
                    }
                }
                "NoteRef" => {
                    let target = attrs.get("targetGUID").unwrap_or_default();
                    match stack.last() {
                        Some("Code") => {
                            if let Some(&i) = code_stack.last() {
                                p.codes[i].notes.push(target);
                            }
                        }
                        Some("TextSource") => {
                            if let Some(s) = p.sources.last_mut() {
                                s.notes.push(target);
                            }
                        }
                        Some("Case") => {
                            if let Some(c) = p.cases.last_mut() {
                                c.notes.push(target);
                            }
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
            if !is_empty {
                stack.push(name);
            }
            continue;
        }
        match event {
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t),
            Event::GeneralRef(r) => push_reference(&mut text, &r),
            Event::End(e) => {
                let name = e.local_name().as_ref().to_string();
                let parent = stack.parent().to_string();
                match (name.as_str(), parent.as_str()) {
                    ("Description", "Code") => {
                        if let Some(&i) = code_stack.last() {
                            p.codes[i].description = text.trim().to_string();
                        }
                    }
                    ("Description", "Case") => {
                        if let Some(c) = p.cases.last_mut() {
                            c.description = text.trim().to_string();
                        }
                    }
                    ("Description", "TextSource") => {
                        if let Some(s) = p.sources.last_mut() {
                            s.description = text.trim().to_string();
                        }
                    }
                    ("Description", "PlainTextSelection") => {
                        if let Some(sel) =
                            p.sources.last_mut().and_then(|s| s.selections.last_mut())
                        {
                            sel.memo = text.trim().to_string();
                        }
                    }
                    ("PlainTextContent", "TextSource") => {
                        if let Some(s) = p.sources.last_mut() {
                            s.inline = Some(text.clone());
                        }
                    }
                    ("PlainTextContent", "Note") => {
                        if let Some(n) = p.notes.last_mut() {
                            n.text = text.trim().to_string();
                        }
                    }
                    (
                        kind @ ("TextValue" | "BooleanValue" | "IntegerValue" | "FloatValue"
                        | "DateValue" | "DateTimeValue"),
                        "VariableValue",
                    ) => {
                        if let (Some(var), Some(case)) = (value_var.take(), p.cases.last_mut())
                            && stack.within("Case")
                        {
                            case.values.push((var, typed_value(kind, text.trim())));
                        }
                    }
                    ("Code", _) => {
                        code_stack.pop();
                    }
                    _ => {}
                }
                stack.pop();
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(p)
}

/// A case variable's value as its element types it; a value that does not read as its type
/// (another tool's odd number or date) is kept as text rather than lost.
fn typed_value(element: &str, text: &str) -> crate::corpus::cases::AttrValue {
    use crate::corpus::cases::AttrValue;
    let as_text = || AttrValue::Text(text.to_string());
    match element {
        "IntegerValue" => text.parse().map_or_else(|_| as_text(), AttrValue::Integer),
        "FloatValue" => text.parse().map_or_else(|_| as_text(), AttrValue::Float),
        // A date, or the date of a date-time (cases.toml keeps dates).
        "DateValue" | "DateTimeValue" => text
            .get(..10)
            .and_then(|d| d.parse().ok())
            .map_or_else(as_text, AttrValue::Date),
        _ => as_text(),
    }
}

/// 2000000 as "2 000 000": a large limit read at a glance.
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_of_too_many_elements_is_not_read() {
        assert_eq!(group_thousands(MAX_ELEMENTS), "2 000 000");
        assert_eq!(group_thousands(999), "999");
        let xml = format!("<Project><Notes>{}</Notes></Project>", "<x/>".repeat(1000));
        assert!(parse_at_most(&xml, 1002).is_ok(), "Project, Notes and 1000");
        let err = parse_at_most(&xml, 1001).unwrap_err();
        assert_eq!(
            err,
            "more than 1 001 XML elements: not read (visgraat reads at most that many from one project)"
        );
    }
}
