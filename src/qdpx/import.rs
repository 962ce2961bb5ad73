//! Importing a REFI-QDA project (.qdpx) made by QualCoder, ATLAS.ti, MAXQDA, NVivo or visgraat:
//! its text sources, code book, cases and codings become visgraat's files. Lenient with what
//! real tools write (`Sources/` or `sources/`, `internal://` or `relative://` paths or inline
//! text, CRLF counted as one character by ATLAS.ti and as two by the others), and saying what
//! it skipped (pictures, audio, video, PDFs, selections outside their text).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::archive::{self, Archive};
use crate::coding::book_edit::id_base;
use crate::coding::{Coding, CodingFile, memos};
use crate::corpus::cases::{Case, Cases, FishboneSheet};
use crate::corpus::codebook::{Code, Codebook, FISHBONE, Group, Level, Valence};
use crate::qdpx::reader::parse;
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

/// What the import looks up in the code book for every code, as maps: a code by its label,
/// group and place on the fishbone, the group ids, and the code ids in use. (Searching the
/// growing code book for each code made a project with 60 000 codes take 41 s.)
struct BookLookup {
    codes: HashMap<(String, String, Option<Level>, Option<Valence>), String>,
    groups: HashSet<String>,
    ids: HashSet<String>,
    /// Per base id, the first suffix not yet tried: every `base-n` below it is taken.
    next_suffix: HashMap<String, usize>,
}

impl BookLookup {
    fn new(book: &Codebook) -> BookLookup {
        let mut codes = HashMap::new();
        for k in &book.codes {
            // The first such code in the book, as a search from the start would find.
            codes
                .entry((k.label.clone(), k.group.clone(), k.level, k.valence))
                .or_insert_with(|| k.id.clone());
        }
        BookLookup {
            codes,
            groups: book.groups.iter().map(|g| g.id.clone()).collect(),
            ids: book.codes.iter().map(|k| k.id.clone()).collect(),
            next_suffix: HashMap::new(),
        }
    }

    /// The id [`crate::coding::book_edit::id_for`] would give, now taken: `base`, or the
    /// first free `base-n`. The suffix goes on where it stopped, so a thousand codes with one
    /// label cost a thousand steps, not half a million.
    fn new_id(&mut self, label: &str, level: Option<Level>) -> String {
        let base = id_base(label, level);
        let mut id = base.clone();
        if self.ids.contains(&id) {
            let n = self.next_suffix.entry(base.clone()).or_insert(2);
            loop {
                id = format!("{base}-{n}");
                *n += 1;
                if !self.ids.contains(&id) {
                    break;
                }
            }
        }
        self.ids.insert(id.clone());
        id
    }
}

fn slug(text: &str) -> String {
    crate::corpus::transcript::id_from_name(Path::new(&format!("{text}.x")))
}

/// Import the .qdpx at `file` into the corpus at `corpus`.
pub fn import(corpus: &Path, file: &Path) -> Result<Report> {
    let bad = |m: String| Error::invalid(file, None, m);
    // Only the entries the import needs are unpacked (not pictures or audio), each within
    // its bound.
    let mut zip = Archive::open(file, "a .qdpx")?;
    let names = zip.names()?;
    let qde_name = names
        .iter()
        .find(|k| k.to_lowercase().ends_with(".qde"))
        .ok_or_else(|| bad("no project.qde in the archive".into()))?;
    let qde = zip.read(qde_name, archive::MAX_PROJECT_BYTES)?;
    // Entry names without ASCII case, each to the first of its spellings in sorted order.
    let mut by_folded: HashMap<String, &str> = HashMap::new();
    for name in &names {
        by_folded.entry(name.to_ascii_lowercase()).or_insert(name);
    }
    let xml = String::from_utf8_lossy(&qde);
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
    let mut lookup = BookLookup::new(&book);
    // A group's id, made once for all its codes.
    let mut group_slugs: HashMap<usize, String> = HashMap::new();
    // Each code's top-level ancestor: a parent comes before its children, so one pass.
    let mut tops: Vec<usize> = Vec::with_capacity(p.codes.len());
    for (i, c) in p.codes.iter().enumerate() {
        let top = c.parent.filter(|&j| j < i).map_or(i, |j| tops[j]);
        tops.push(top);
    }
    for (i, c) in p.codes.iter().enumerate() {
        if !c.codable {
            continue;
        }
        let group_index = tops[i];
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
                let id = group_slugs
                    .entry(group_index)
                    .or_insert_with(|| slug(&g.name));
                (id.clone(), g.name.clone())
            }
        };
        if lookup.groups.insert(group_id.clone()) {
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
        let key = (c.name.clone(), group_id.clone(), level, valence);
        let id = match lookup.codes.get(&key) {
            Some(id) => id.clone(),
            None => {
                let id = lookup.new_id(&c.name, level);
                lookup.codes.insert(key, id.clone());
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
    // Every source's text is read before anything is written: an entry past its bound stops
    // the import with nothing half done.
    let mut texts: Vec<Option<String>> = Vec::with_capacity(p.sources.len());
    for s in &p.sources {
        texts.push(match (&s.inline, &s.path) {
            (Some(text), _) => Some(text.clone()),
            (None, Some(path)) => {
                let name = path
                    .trim_start_matches("internal://")
                    .trim_start_matches("relative://")
                    .trim_start_matches('/');
                let folded = |n: &str| by_folded.get(&n.to_ascii_lowercase()).copied();
                let entry = [folded(&format!("sources/{name}")), folded(name)]
                    .into_iter()
                    .flatten()
                    .min();
                match entry {
                    Some(entry) => {
                        let bytes = zip.read(entry, archive::MAX_ENTRY_BYTES)?;
                        Some(
                            String::from_utf8_lossy(&bytes)
                                .trim_start_matches('\u{feff}')
                                .to_string(),
                        )
                    }
                    None => None,
                }
            }
            _ => None,
        });
    }
    for (s, raw) in p.sources.iter().zip(texts) {
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
        // Char positions as byte offsets, once per source: a walk from the start of the text
        // for each selection would cost the text's length per selection.
        let byte_at: Vec<usize> = if s.selections.is_empty() {
            Vec::new()
        } else {
            let ends = std::iter::once(text.len());
            text.char_indices().map(|(b, _)| b).chain(ends).collect()
        };
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
            let quote = text[byte_at[start]..byte_at[end]].to_string();
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
                    crate::qdpx::export::guid(&format!("{id}:{start}:{end}:{code_id}:{coder}"));
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
    let mut case_ids: HashSet<String> = cases.cases.iter().map(|k| k.id.clone()).collect();
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
        if case_ids.insert(id.clone()) {
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
            // A coding of the same code on the same span is there already (or came twice).
            let mut present: HashSet<(String, usize, usize)> = file
                .codings
                .iter()
                .map(|k| (k.code.clone(), k.start, k.end))
                .collect();
            for c in list {
                if present.insert((c.code.clone(), c.start, c.end)) {
                    file.codings.push(c);
                    report.codings += 1;
                }
            }
            crate::coding::save_file(&path, &file)?;
        }
    }
    // Notes on codes and sources become memos.
    // The first code, else the first source, that refers to a note (looked up in maps made
    // once, not by a search of every code per note).
    let mut code_of_note: HashMap<&str, &str> = HashMap::new();
    for c in &p.codes {
        for n in &c.notes {
            code_of_note.entry(n).or_insert(&c.guid);
        }
    }
    let mut source_of_note: HashMap<&str, &str> = HashMap::new();
    for s in &p.sources {
        for n in &s.notes {
            source_of_note.entry(n).or_insert(&s.guid);
        }
    }
    let target_of = |note: &str| -> Option<String> {
        code_of_note
            .get(note)
            .and_then(|guid| code_ids.get(*guid))
            .map(|id| format!("code:{id}"))
            .or_else(|| {
                source_of_note
                    .get(note)
                    .and_then(|guid| source_ids.get(*guid))
                    .map(|id| format!("source:{id}"))
            })
    };
    let mut new_memos = Vec::new();
    for note in &p.notes {
        let target = target_of(&note.guid).or_else(|| {
            note.name
                .strip_prefix("memo on ")
                .filter(|t| memos::parse_target(t).is_ok())
                .map(str::to_string)
        });
        match target {
            Some(target) if !note.text.is_empty() => {
                new_memos.push((target, user(&note.user), note.text.clone()));
                report.memos += 1;
            }
            _ => report.skipped.push(format!(
                "note {:?}: not attached to a code, source or case",
                note.name
            )),
        }
    }
    // One write for all of them (a write per note made thousands of notes quadratic).
    memos::set_all(corpus, &new_memos)?;
    Ok(report)
}
