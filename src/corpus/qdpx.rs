//! Importing a REFI-QDA project (.qdpx) made by QualCoder, ATLAS.ti, MAXQDA, NVivo or visgraat:
//! its text sources, code book, cases and codings become visgraat's files. Lenient with what
//! real tools write (`Sources/` or `sources/`, `internal://` or `relative://` paths or inline
//! text, CRLF counted as one character by ATLAS.ti and as two by the others), and saying what
//! it skipped (pictures, audio, video, PDFs, selections outside their text).

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use crate::coding::book_edit::id_for;
use crate::coding::{Coding, CodingFile, memos};
use crate::corpus::cases::{Case, Cases, FishboneSheet};
use crate::corpus::codebook::{Code, Codebook, FISHBONE, Group, Level, Valence};
use crate::corpus::qde::parse;
use crate::corpus::source::{self, SourceKind, SourceMeta};
use crate::error::{Error, Result};

/// What an import brought in and what it left out.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    pub sources: usize,
    pub codes: usize,
    pub cases: usize,
    pub codings: usize,
    pub memos: usize,
    pub skipped: Vec<String>,
}

/// LF text, and a map from the exporting tool's character positions to positions in it.
fn text_and_positions(raw: &str, crlf_is_one: bool) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(raw.len());
    let mut map = Vec::with_capacity(raw.len() + 1);
    let mut chars = raw.chars().peekable();
    let mut n = 0;
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            if !crlf_is_one {
                map.push(n); // the \r counts as a position of its own
            }
            continue;
        }
        map.push(n);
        text.push(c);
        n += 1;
    }
    map.push(n);
    (text, map)
}

fn slug(text: &str) -> String {
    crate::corpus::transcript::id_from_name(Path::new(&format!("{text}.x")))
}

/// Import the .qdpx at `file` into the corpus at `corpus`.
pub fn import(corpus: &Path, file: &Path) -> Result<Report> {
    let bad = |m: String| Error::invalid(file, None, m);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).map_err(|e| Error::io(file, e))?)
        .map_err(|e| bad(format!("not a .qdpx (zip) file: {e}")))?;
    let mut entries: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| bad(e.to_string()))?;
        let name = f.name().map_err(|e| bad(e.to_string()))?.to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).map_err(|e| Error::io(file, e))?;
        entries.insert(name, bytes);
    }
    let qde = entries
        .iter()
        .find(|(k, _)| k.to_lowercase().ends_with(".qde"))
        .map(|(_, v)| v)
        .ok_or_else(|| bad("no project.qde in the archive".into()))?;
    let xml = String::from_utf8_lossy(qde);
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(&xml);
    let p = parse(xml).map_err(|m| bad(format!("project.qde: {m}")))?;
    let crlf_is_one = p.origin.to_lowercase().contains("atlas");
    let mut report = Report {
        skipped: p.skipped.clone(),
        ..Report::default()
    };
    let user = |g: &Option<String>| {
        g.as_ref()
            .and_then(|g| p.users.get(g))
            .map_or("imported".to_string(), |n| slug(n))
    };

    // Code book: top-level codes are groups; a group whose children are the five levels
    // with valences under them is the fishbone.
    let path = corpus.join("codebook.toml");
    let mut book = if path.exists() {
        // Whole or not at all: the import writes the book back.
        Codebook::load_whole(&path)?
    } else {
        Codebook::default()
    };
    let mut code_ids: HashMap<String, String> = HashMap::new();
    let top = |mut i: usize| {
        while let Some(parent) = p.codes[i].parent {
            i = parent;
        }
        i
    };
    for (i, c) in p.codes.iter().enumerate() {
        if !c.codable {
            continue;
        }
        let group_index = top(i);
        let (group_id, group_label) = if group_index == i {
            ("imported".to_string(), "Imported codes".to_string())
        } else {
            let g = &p.codes[group_index];
            let level_of = |j: Option<usize>| j.and_then(|j| Level::parse(&p.codes[j].name));
            let valence = c.parent.and_then(|v| {
                let name = &p.codes[v].name;
                Valence::ALL.into_iter().find(|x| name.contains(x.as_str()))
            });
            let level = level_of(c.parent.and_then(|v| p.codes[v].parent));
            if level.is_some() && valence.is_some() {
                (FISHBONE.to_string(), g.name.clone())
            } else {
                (slug(&g.name), g.name.clone())
            }
        };
        if !book.groups.iter().any(|g| g.id == group_id) {
            book.groups.push(Group {
                id: group_id.clone(),
                label: group_label,
                description: p.codes[group_index].description.clone(),
            });
        }
        let (level, valence) = if group_id == FISHBONE {
            let v = c.parent.expect("a fishbone code sits under a valence");
            (
                p.codes[v]
                    .parent
                    .and_then(|l| Level::parse(&p.codes[l].name)),
                Valence::ALL
                    .into_iter()
                    .find(|x| p.codes[v].name.contains(x.as_str())),
            )
        } else {
            (None, None)
        };
        let existing = book.codes.iter().find(|k| {
            k.label == c.name && k.group == group_id && k.level == level && k.valence == valence
        });
        let id = match existing {
            Some(k) => k.id.clone(),
            None => {
                let id = id_for(&book, &c.name, level);
                book.codes.push(Code {
                    id: id.clone(),
                    label: c.name.clone(),
                    group: group_id,
                    level,
                    valence,
                    definition: if c.description.is_empty() {
                        "(imported without a definition)".into()
                    } else {
                        c.description.clone()
                    },
                    color: c.color.clone(),
                });
                report.codes += 1;
                id
            }
        };
        code_ids.insert(c.guid.clone(), id);
    }

    // Sources and codings.
    let mut source_ids: HashMap<String, String> = HashMap::new();
    let mut new_codings: BTreeMap<(String, String), Vec<Coding>> = BTreeMap::new();
    for s in &p.sources {
        let raw = match (&s.inline, &s.path) {
            (Some(text), _) => Some(text.clone()),
            (None, Some(path)) => {
                let name = path
                    .trim_start_matches("internal://")
                    .trim_start_matches("relative://")
                    .trim_start_matches('/');
                entries
                    .iter()
                    .find(|(k, _)| {
                        k.eq_ignore_ascii_case(&format!("sources/{name}"))
                            || k.eq_ignore_ascii_case(name)
                    })
                    .map(|(_, v)| {
                        String::from_utf8_lossy(v)
                            .trim_start_matches('\u{feff}')
                            .to_string()
                    })
            }
            _ => None,
        };
        let Some(raw) = raw else {
            report.skipped.push(format!(
                "source {:?}: its text is not in the archive",
                s.name
            ));
            continue;
        };
        let (text, positions) = text_and_positions(&raw, crlf_is_one);
        // visgraat's own export says "id (kind: provenance)".
        let (id, kind, provenance) = match s.description.split_once(" (") {
            Some((id, rest)) if source::validate_id(id).is_ok() && rest.contains(": ") => {
                let (kind, prov) = rest
                    .trim_end_matches(')')
                    .split_once(": ")
                    .unwrap_or(("", rest));
                (
                    id.to_string(),
                    SourceKind::parse(kind).unwrap_or(SourceKind::Transcript),
                    prov.to_string(),
                )
            }
            _ => (
                slug(&s.name),
                SourceKind::Transcript,
                format!(
                    "imported from {}",
                    file.file_name().unwrap_or_default().to_string_lossy()
                ),
            ),
        };
        if source::validate_id(&id).is_err() {
            report
                .skipped
                .push(format!("source {:?}: no usable id from its name", s.name));
            continue;
        }
        source_ids.insert(s.guid.clone(), id.clone());
        let meta = SourceMeta {
            id: id.clone(),
            kind,
            title: s.name.clone(),
            case: None,
            date: None,
            provenance,
            pages: Vec::new(),
        };
        let target = corpus
            .join("sources")
            .join(kind.as_str())
            .join(format!("{id}.md"));
        crate::atomic::write(&target, source::render(&meta, &text).as_bytes())?;
        report.sources += 1;
        for sel in &s.selections {
            let (Some(&start), Some(&end)) = (positions.get(sel.start), positions.get(sel.end))
            else {
                report.skipped.push(format!(
                    "selection {}..{} in {:?}: outside its text",
                    sel.start, sel.end, s.name
                ));
                continue;
            };
            if start >= end {
                continue;
            }
            let quote: String = text.chars().skip(start).take(end - start).collect();
            for code in &sel.codes {
                let Some(code_id) = code_ids.get(code) else {
                    report.skipped.push(format!(
                        "a coding in {:?} refers to an unknown code",
                        s.name
                    ));
                    continue;
                };
                let created = sel
                    .created
                    .as_deref()
                    .and_then(|c| c.parse().ok())
                    .unwrap_or_else(crate::coding::time::now);
                let coder = user(&sel.user);
                let digest =
                    crate::export::qdpx::guid(&format!("{id}:{start}:{end}:{code_id}:{coder}"));
                new_codings
                    .entry((coder, id.clone()))
                    .or_default()
                    .push(Coding {
                        id: format!("c-{}", &digest.replace('-', "")[..12]),
                        code: code_id.clone(),
                        start,
                        end,
                        quote: quote.clone(),
                        memo: sel.memo.clone(),
                        created,
                        orphaned: false,
                        prefix: String::new(),
                        suffix: String::new(),
                        original_quote: None,
                        review: None,
                    });
            }
        }
    }

    // Cases, their attributes and fishbone sheets; sources take their case.
    let cases_path = corpus.join("cases.toml");
    let mut cases = if cases_path.exists() {
        Cases::load(&cases_path)?
    } else {
        Cases::default()
    };
    for c in &p.cases {
        let id = if source::validate_id(&c.description).is_ok() {
            c.description.clone()
        } else {
            slug(&c.name)
        };
        let value = |name: &str| {
            c.values
                .iter()
                .find(|(var, _)| {
                    p.variables
                        .get(var)
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
                })
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let sheet: Vec<String> = c
            .codes
            .iter()
            .filter_map(|g| code_ids.get(g).cloned())
            .collect();
        if !cases.cases.iter().any(|k| k.id == id) {
            cases.cases.push(Case {
                id: id.clone(),
                label: c.name.clone(),
                team: value("team"),
                institution: value("institution"),
                level: value("level"),
                sector: value("sector"),
                fishbone: (!sheet.is_empty()).then(|| FishboneSheet {
                    codes: sheet,
                    note: String::new(),
                }),
                passages: Vec::new(),
            });
            report.cases += 1;
        }
        for g in &c.sources {
            if let Some(sid) = source_ids.get(g) {
                for kind in SourceKind::ALL {
                    let path = corpus
                        .join("sources")
                        .join(kind.as_str())
                        .join(format!("{sid}.md"));
                    if let Ok(mut src) = crate::corpus::source::Source::load(&path) {
                        src.meta.case = Some(id.clone());
                        crate::atomic::write(&path, src.render().as_bytes())?;
                    }
                }
            }
        }
    }

    // A corpus made by this import gets the project's name and where it came from.
    let project_path = corpus.join("project.toml");
    if !project_path.exists() {
        let project = crate::corpus::project::Project {
            title: if p.name.is_empty() {
                "Imported project".into()
            } else {
                p.name.clone()
            },
            language: "nl".into(),
            provenance: format!(
                "Imported from {} (REFI-QDA, made by {}).",
                file.file_name().unwrap_or_default().to_string_lossy(),
                if p.origin.is_empty() {
                    "an unnamed tool"
                } else {
                    &p.origin
                }
            ),
            citation: "{source}, {location}.".into(),
            notes: String::new(),
            fishbone_head: None,
        };
        let text = toml::to_string(&project).map_err(|e| bad(e.to_string()))?;
        crate::atomic::write(&project_path, text.as_bytes())?;
    }
    let book_text = toml::to_string(&book).map_err(|e| bad(e.to_string()))?;
    crate::atomic::write(&path, book_text.as_bytes())?;
    if !cases.cases.is_empty() {
        let text = toml::to_string(&cases).map_err(|e| bad(e.to_string()))?;
        crate::atomic::write(&cases_path, text.as_bytes())?;
    }
    {
        let _lock = crate::coding::lock::acquire(corpus)?;
        for ((coder, source), list) in new_codings {
            let path = crate::coding::file_path(corpus, &coder, &source);
            let mut file: CodingFile = crate::coding::load_file(&path)?;
            for c in list {
                if !file
                    .codings
                    .iter()
                    .any(|k| k.code == c.code && k.start == c.start && k.end == c.end)
                {
                    file.codings.push(c);
                    report.codings += 1;
                }
            }
            crate::coding::save_file(&path, &file)?;
        }
    }
    // Notes on codes and sources become memos.
    let target_of = |note: &str| -> Option<String> {
        p.codes
            .iter()
            .find(|c| c.notes.iter().any(|n| n == note))
            .and_then(|c| code_ids.get(&c.guid))
            .map(|id| format!("code:{id}"))
            .or_else(|| {
                p.sources
                    .iter()
                    .find(|s| s.notes.iter().any(|n| n == note))
                    .and_then(|s| source_ids.get(&s.guid))
                    .map(|id| format!("source:{id}"))
            })
    };
    for note in &p.notes {
        let target = target_of(&note.guid).or_else(|| {
            note.name
                .strip_prefix("memo on ")
                .filter(|t| memos::parse_target(t).is_ok())
                .map(str::to_string)
        });
        match target {
            Some(target) if !note.text.is_empty() => {
                memos::set(corpus, &target, &user(&note.user), &note.text)?;
                report.memos += 1;
            }
            _ => report.skipped.push(format!(
                "note {:?}: not attached to a code, source or case",
                note.name
            )),
        }
    }
    Ok(report)
}
