//! REFI-QDA project export (.qdpx): a zip with `project.qde` (namespace
//! `urn:QDA-XML:project:1.0`, valid against Project.xsd 1.0) and `sources/<guid>.txt` (UTF-8,
//! LF). The code book nests groups, the fishbone's levels and valences, then the factor codes
//! (definitions as Description); cases carry their attributes as Variables and their own
//! fishbone sheet as CodeRefs; each coding is a PlainTextSelection (positions in characters,
//! end-exclusive) with its memo as Description; memos on codes, sources and cases are Notes.
//! GUIDs are derived from visgraat's ids, so they are the same in every export; GUIDs that
//! other tools gave are kept. Beside these, `visgraat/` carries what REFI-QDA has no place
//! for (see `sidecar`).

use std::collections::HashMap;
use std::io::Write as _;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::coding::CodingSet;
use crate::corpus::Corpus;
use crate::corpus::codebook::{Code, Codebook, FISHBONE, Level, Valence};
use crate::error::{Error, Result};
use crate::qdpx::codes::bone_name;
pub use crate::qdpx::ids::guid;
use crate::qdpx::ids::{ForeignGuids, code_guid, group_guid};

pub(crate) type Xml = Writer<Vec<u8>>;

fn start(w: &mut Xml, name: &str, attrs: &[(&str, &str)]) -> std::io::Result<()> {
    let mut e = BytesStart::new(name);
    for a in attrs {
        e.push_attribute(*a);
    }
    w.write_event(Event::Start(e))
}

fn empty(w: &mut Xml, name: &str, attrs: &[(&str, &str)]) -> std::io::Result<()> {
    let mut e = BytesStart::new(name);
    for a in attrs {
        e.push_attribute(*a);
    }
    w.write_event(Event::Empty(e))
}

fn end(w: &mut Xml, name: &str) -> std::io::Result<()> {
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn text_element(w: &mut Xml, name: &str, text: &str) -> std::io::Result<()> {
    start(w, name, &[])?;
    w.write_event(Event::Text(BytesText::new(text)))?;
    end(w, name)
}

fn level_color(level: Option<Level>) -> &'static str {
    match level {
        Some(Level::Beleid) => "#1F77B4",
        Some(Level::Team) => "#2CA02C",
        Some(Level::Individu) => "#9467BD",
        Some(Level::Doelgroep) => "#FF7F0E",
        Some(Level::Maatschappij) => "#8C564B",
        Some(_) | None => "#7F7F7F",
    }
}

/// The `<CodeBook>` element: groups → (fishbone: level → valence) → codes, codes under
/// their parents; a flat group's codes at the top. A .qdc file is this element alone.
pub(crate) fn code_book(
    w: &mut Xml,
    book: &Codebook,
    attrs: &[(&str, &str)],
    notes: &dyn Fn(&str) -> Vec<String>,
) -> std::io::Result<()> {
    // The codes under each code, found once (a search per code is quadratic in big books).
    let mut kids: Kids = HashMap::new();
    for code in &book.codes {
        if let Some(parent) = &code.parent {
            kids.entry(parent.as_str()).or_default().push(code);
        }
    }
    start(w, "CodeBook", attrs)?;
    start(w, "Codes", &[])?;
    for group in &book.groups {
        let tops = book
            .codes
            .iter()
            .filter(|c| c.group == group.id && c.parent.is_none());
        if group.flat {
            for code in tops {
                write_code(w, &kids, code, notes)?;
            }
            continue;
        }
        start(
            w,
            "Code",
            &[
                ("guid", &group_guid(group)),
                ("name", &group.label),
                ("isCodable", "false"),
            ],
        )?;
        if !group.description.is_empty() {
            text_element(w, "Description", &group.description)?;
        }
        if group.id == FISHBONE {
            for level in book.levels() {
                start(
                    w,
                    "Code",
                    &[
                        ("guid", &guid(&format!("level:{}", level.as_str()))),
                        ("name", level.as_str()),
                        ("isCodable", "false"),
                        ("color", level_color(Some(level))),
                    ],
                )?;
                for valence in Valence::ALL {
                    let codes: Vec<_> = book
                        .factors(level, valence)
                        .filter(|c| c.parent.is_none())
                        .collect();
                    if codes.is_empty() {
                        continue;
                    }
                    // Named uniquely ("beleid · bevorderend"): tools that reuse a category
                    // by its name (QualCoder) would otherwise fold every bone into one.
                    start(
                        w,
                        "Code",
                        &[
                            (
                                "guid",
                                &guid(&format!("bone:{}/{}", level.as_str(), valence.as_str())),
                            ),
                            ("name", &bone_name(level, valence)),
                            ("isCodable", "false"),
                        ],
                    )?;
                    for code in codes {
                        write_code(w, &kids, code, notes)?;
                    }
                    end(w, "Code")?;
                }
                end(w, "Code")?;
            }
        } else {
            for code in tops {
                write_code(w, &kids, code, notes)?;
            }
        }
        end(w, "Code")?;
    }
    end(w, "Codes")?;
    end(w, "CodeBook")
}

/// A code with its memos and, nested, the codes under it. Depth is bounded by the code book
/// (the loader drops parents that lead round in a circle).
type Kids<'a> = HashMap<&'a str, Vec<&'a Code>>;

fn write_code(
    w: &mut Xml,
    kids: &Kids,
    code: &Code,
    notes: &dyn Fn(&str) -> Vec<String>,
) -> std::io::Result<()> {
    let color = code
        .color
        .clone()
        .unwrap_or_else(|| level_color(code.level).into());
    start(
        w,
        "Code",
        &[
            ("guid", &code_guid(code)),
            ("name", &code.label),
            ("isCodable", "true"),
            ("color", &color),
        ],
    )?;
    if !code.definition.is_empty() {
        text_element(w, "Description", &code.definition)?;
    }
    for note in notes(&format!("code:{}", code.id)) {
        empty(w, "NoteRef", &[("targetGUID", &note)])?;
    }
    for child in kids.get(code.id.as_str()).into_iter().flatten() {
        write_code(w, kids, child, notes)?;
    }
    end(w, "Code")
}

/// The `project.qde` document and the source texts (guid, text) that go beside it.
pub fn project(
    corpus: &Corpus,
    codings: &CodingSet,
) -> std::io::Result<(String, Vec<(String, String)>)> {
    let foreign = ForeignGuids::load(&corpus.root).map_err(std::io::Error::other)?;
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let name = corpus
        .project
        .as_ref()
        .map_or("visgraat project".to_string(), |p| p.title.clone());
    // Every person who coded or wrote a memo is a User.
    let mut users: Vec<String> = codings.codings.iter().map(|c| c.coder.clone()).collect();
    users.extend(corpus.memos.memos.iter().map(|m| m.author.clone()));
    users.sort();
    users.dedup();
    let user = |name: &str| guid(&format!("user:{name}"));
    // The newest date in the data: a fixed creation time keeps exports identical.
    let created = codings
        .codings
        .iter()
        .map(|c| c.coding.created.to_string())
        .max()
        .unwrap_or_else(|| "2024-01-01T00:00:00Z".into());
    let mut root = vec![
        ("xmlns", "urn:QDA-XML:project:1.0"),
        ("name", name.as_str()),
        ("origin", "visgraat"),
        ("creationDateTime", created.as_str()),
    ];
    let first_user = users.first().map(|u| user(u));
    if let Some(u) = &first_user {
        root.push(("creatingUserGUID", u.as_str()));
    }
    start(&mut w, "Project", &root)?;

    if !users.is_empty() {
        start(&mut w, "Users", &[])?;
        for u in &users {
            empty(&mut w, "User", &[("guid", &user(u)), ("name", u)])?;
        }
        end(&mut w, "Users")?;
    }

    let memo_notes = |target: &str| -> Vec<String> {
        corpus
            .memos
            .of(target)
            .map(|m| guid(&format!("memo:{}:{}", m.target, m.author)))
            .collect()
    };
    let code_guid_of = |id: &str| {
        corpus
            .codebook
            .code(id)
            .map_or_else(|| guid(&format!("code:{id}")), code_guid)
    };
    code_book(&mut w, &corpus.codebook, &[], &memo_notes)?;

    // Case attributes as variables.
    let attributes = corpus.cases.attribute_names();
    let variable = |name: &str| guid(&format!("variable:{name}"));
    if !corpus.cases.cases.is_empty() {
        start(&mut w, "Variables", &[])?;
        for &a in &attributes {
            empty(
                &mut w,
                "Variable",
                &[
                    ("guid", &variable(a)),
                    ("name", a),
                    ("typeOfVariable", variable_type(&corpus.cases, a)),
                ],
            )?;
        }
        end(&mut w, "Variables")?;
        start(&mut w, "Cases", &[])?;
        for case in &corpus.cases.cases {
            start(
                &mut w,
                "Case",
                &[
                    ("guid", &foreign.case_guid(&case.id)),
                    ("name", &case.label),
                ],
            )?;
            text_element(&mut w, "Description", &case.id)?;
            for code in case.fishbone.iter().flat_map(|f| f.codes.iter()) {
                empty(&mut w, "CodeRef", &[("targetGUID", &code_guid_of(code))])?;
            }
            for (a, value) in case.attributes.iter() {
                let element = match variable_type(&corpus.cases, a) {
                    "Integer" => "IntegerValue",
                    "Float" => "FloatValue",
                    "Date" => "DateValue",
                    _ => "TextValue",
                };
                start(&mut w, "VariableValue", &[])?;
                empty(&mut w, "VariableRef", &[("targetGUID", &variable(a))])?;
                text_element(&mut w, element, &value.to_string())?;
                end(&mut w, "VariableValue")?;
            }
            for source in corpus
                .sources
                .iter()
                .filter(|s| s.meta.case.as_deref() == Some(case.id.as_str()))
            {
                empty(
                    &mut w,
                    "SourceRef",
                    &[("targetGUID", &foreign.source_guid(&source.meta.id))],
                )?;
            }
            end(&mut w, "Case")?;
        }
        end(&mut w, "Cases")?;
    }

    // Sources with their codings.
    let mut texts = Vec::new();
    start(&mut w, "Sources", &[])?;
    for source in &corpus.sources {
        let sguid = foreign.source_guid(&source.meta.id);
        let path = format!("internal://{sguid}.txt");
        start(
            &mut w,
            "TextSource",
            &[
                ("guid", &sguid),
                ("name", &source.meta.title),
                ("plainTextPath", &path),
            ],
        )?;
        text_element(
            &mut w,
            "Description",
            &format!(
                "{} ({}: {})",
                source.meta.id,
                source.meta.kind.as_str(),
                source.meta.provenance
            ),
        )?;
        let mut here: Vec<_> = codings
            .codings
            .iter()
            .filter(|c| c.source == source.meta.id && !c.coding.orphaned)
            .collect();
        here.sort_by_key(|c| (c.coding.start, c.coding.end, c.coder.clone()));
        for c in here {
            let created = c.coding.created.to_string();
            start(
                &mut w,
                "PlainTextSelection",
                &[
                    (
                        "guid",
                        &guid(&format!("selection:{}:{}", c.coder, c.coding.id)),
                    ),
                    ("name", &c.coding.quote.chars().take(60).collect::<String>()),
                    ("startPosition", &c.coding.start.to_string()),
                    ("endPosition", &c.coding.end.to_string()),
                    ("creatingUser", &user(&c.coder)),
                    ("creationDateTime", &created),
                ],
            )?;
            if !c.coding.memo.is_empty() {
                text_element(&mut w, "Description", &c.coding.memo)?;
            }
            start(
                &mut w,
                "Coding",
                &[
                    (
                        "guid",
                        &guid(&format!("coding:{}:{}", c.coder, c.coding.id)),
                    ),
                    ("creatingUser", &user(&c.coder)),
                    ("creationDateTime", &created),
                ],
            )?;
            empty(
                &mut w,
                "CodeRef",
                &[("targetGUID", &code_guid_of(&c.coding.code))],
            )?;
            end(&mut w, "Coding")?;
            end(&mut w, "PlainTextSelection")?;
        }
        for note in memo_notes(&format!("source:{}", source.meta.id)) {
            empty(&mut w, "NoteRef", &[("targetGUID", &note)])?;
        }
        end(&mut w, "TextSource")?;
        texts.push((sguid, source.body.clone()));
    }
    end(&mut w, "Sources")?;

    if !corpus.memos.memos.is_empty() {
        start(&mut w, "Notes", &[])?;
        for m in &corpus.memos.memos {
            let when = m.updated.to_string();
            start(
                &mut w,
                "Note",
                &[
                    ("guid", &guid(&format!("memo:{}:{}", m.target, m.author))),
                    ("name", &format!("memo on {}", m.target)),
                    ("creatingUser", &user(&m.author)),
                    ("creationDateTime", &when),
                ],
            )?;
            text_element(&mut w, "PlainTextContent", &m.text)?;
            end(&mut w, "Note")?;
        }
        end(&mut w, "Notes")?;
    }
    end(&mut w, "Project")?;
    let xml = String::from_utf8(w.into_inner()).map_err(std::io::Error::other)?;
    Ok((xml, texts))
}

/// Write the .qdpx zip to `path` (atomically), each source's text reported to `progress`:
/// compressing a large project's texts takes seconds.
pub fn write(
    corpus: &Corpus,
    codings: &CodingSet,
    path: &std::path::Path,
    progress: &dyn crate::progress::Progress,
) -> Result<()> {
    let (xml, texts) = project(corpus, codings).map_err(|e| Error::io(path, e))?;
    progress.stage(crate::progress::Stage::Exporting, texts.len() as u64);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let fail = |e: zip::result::ZipError| Error::invalid(path, None, format!("zip: {e}"));
    zip.start_file("project.qde", options).map_err(fail)?;
    zip.write_all(xml.as_bytes())
        .map_err(|e| Error::io(path, e))?;
    for (guid, text) in texts {
        crate::progress::check(progress)?;
        progress.advance(1);
        zip.start_file(format!("sources/{guid}.txt"), options)
            .map_err(fail)?;
        zip.write_all(text.as_bytes())
            .map_err(|e| Error::io(path, e))?;
    }
    for (name, bytes) in crate::qdpx::sidecar::entries(corpus)? {
        zip.start_file(name, options).map_err(fail)?;
        zip.write_all(&bytes).map_err(|e| Error::io(path, e))?;
    }
    let bytes = zip.finish().map_err(fail)?.into_inner();
    crate::atomic::write(path, &bytes)
}

/// A case attribute's REFI-QDA type: the one type all its values share (whole numbers
/// beside decimals are Float), else Text, so every value is valid for its variable.
fn variable_type(cases: &crate::corpus::cases::Cases, name: &str) -> &'static str {
    use crate::corpus::cases::AttrValue;
    let mut kinds = cases
        .cases
        .iter()
        .flat_map(|c| c.attributes.iter())
        .filter(|(n, _)| *n == name)
        .map(|(_, v)| match v {
            AttrValue::Integer(_) => "Integer",
            AttrValue::Float(_) => "Float",
            // Only a plain date is an xsd:date; a date with a time stays text.
            AttrValue::Date(d) if d.date.is_some() && d.time.is_none() => "Date",
            _ => "Text",
        });
    let Some(first) = kinds.next() else {
        return "Text";
    };
    kinds.fold(first, |kind, next| match (kind, next) {
        (a, b) if a == b => a,
        ("Integer", "Float") | ("Float", "Integer") => "Float",
        _ => "Text",
    })
}
