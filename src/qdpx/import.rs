//! Importing a REFI-QDA project (.qdpx) made by QualCoder, ATLAS.ti, MAXQDA, NVivo,
//! qualitative-coding or visgraat. Everything is matched by GUID: a source, code or case the
//! project already has is found again, never duplicated, and an existing source is never
//! overwritten unless it is the same source (same GUID) and the user asked (`--replace`).
//! Each selection lands where the data prove it belongs (see `positions`), or is kept aside
//! in `corpus/import/`; what could not be imported and what disagrees with the project is
//! listed in plain text. The code book and cases are appended to, so their comments stay.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::archive::{self, Archive};
use crate::corpus::Corpus;
use crate::corpus::codebook::Codebook;
use crate::corpus::source::{self, SourceKind, SourceMeta};
use crate::error::{Error, Result};
use crate::qdpx::ids::{ForeignGuids, coder_id, guid, quoted, slug, unique};
use crate::qdpx::positions::Placer;
use crate::qdpx::reader::{Project, QSource, parse};
use crate::qdpx::{cases, codes, notes, selections};

/// What an import brought in, what it found already there, and what it left out.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    /// Sources written: new ones, and replaced ones when asked.
    pub sources: usize,
    /// Sources the project has already (same GUID, same text).
    pub sources_known: usize,
    pub codes: usize,
    pub cases: usize,
    pub codings: usize,
    pub memos: usize,
    /// How the exporting tool counted positions, when the data told it.
    pub counting: Option<String>,
    /// Selections that could not be placed with certainty, and the file listing them.
    pub kept_aside: usize,
    pub kept_aside_file: Option<PathBuf>,
    pub skipped: Vec<String>,
    /// Where the file and the project disagree; the project's side is kept.
    pub conflicts: Vec<String>,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Options {
    /// Replace a source the project has (same GUID) whose text differs.
    pub replace: bool,
}

/// Import the .qdpx at `file` into the corpus at `corpus`, replacing nothing.
pub fn import(corpus: &Path, file: &Path) -> Result<Report> {
    import_with(corpus, file, Options::default())
}

/// The project file read from a .qdpx: its parsed `project.qde`, the raw text of each source
/// (None when the archive lacks it) and the sidecar of visgraat's own export.
struct Unpacked {
    project: Project,
    texts: Vec<Option<String>>,
    sidecar: Option<crate::qdpx::sidecar::Sidecar>,
}

fn unpack(file: &Path) -> Result<Unpacked> {
    let bad = |m: String| Error::invalid(file, None, m);
    // Only the entries the import needs are unpacked (not pictures or audio), each within
    // its bound; every text is read before anything is written.
    let mut zip = Archive::open(file, "a .qdpx")?;
    let names = zip.names()?;
    let qde_name = names
        .iter()
        .find(|k| k.to_lowercase().ends_with(".qde"))
        .ok_or_else(|| bad("no project.qde in the archive".into()))?;
    let qde = zip.read(qde_name, archive::MAX_PROJECT_BYTES)?;
    let xml = String::from_utf8_lossy(&qde);
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(&xml);
    let project = parse(xml).map_err(|m| bad(format!("project.qde: {m}")))?;
    let mut by_folded: HashMap<String, &str> = HashMap::new();
    for name in &names {
        by_folded.entry(name.to_ascii_lowercase()).or_insert(name);
    }
    let mut texts = Vec::with_capacity(project.sources.len());
    for s in &project.sources {
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
                        let text = String::from_utf8_lossy(&bytes);
                        Some(text.trim_start_matches('\u{feff}').to_string())
                    }
                    None => None,
                }
            }
            _ => None,
        });
    }
    let sidecar = crate::qdpx::sidecar::read(&mut zip, &names, file)?;
    Ok(Unpacked {
        project,
        texts,
        sidecar,
    })
}

/// What becomes of one source of the file.
enum Fate {
    /// Written as a new source (or replacing the project's, when asked).
    Write { id: String, meta: SourceMeta },
    /// The project has it already, with the same text.
    Known(String),
    /// Not imported: why; its selections are kept aside.
    Left(String),
}

/// A source's name without the extension of the file it came from ("gesprek.txt" is named
/// for its file; its id need not say ".txt").
fn without_extension(name: &str) -> &str {
    const EXTENSIONS: [&str; 7] = [".txt", ".md", ".docx", ".doc", ".rtf", ".odt", ".pdf"];
    EXTENSIONS
        .iter()
        .find_map(|e| {
            let cut = name.len().checked_sub(e.len())?;
            (name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(e))
                .then(|| &name[..cut])
        })
        .unwrap_or(name)
}

/// A readable id for a source the project does not have: the id visgraat's export carried,
/// else from its name, its file name, or (for a nameless source) its GUID.
fn source_id(s: &QSource, own: Option<&SourceMeta>, taken: &mut HashSet<String>) -> String {
    let carried = own.map(|m| m.id.clone()).or_else(|| {
        s.description
            .split_once(" (")
            .map(|(id, _)| id.to_string())
            .filter(|id| source::validate_id(id).is_ok())
    });
    let from_path = s.path.as_deref().map(|p| {
        let stem = p.rsplit('/').next().unwrap_or(p);
        slug(stem.rsplit_once('.').map_or(stem, |(s, _)| s))
    });
    let base = carried
        .or_else(|| Some(slug(without_extension(&s.name))).filter(|id| !id.is_empty()))
        .or_else(|| from_path.filter(|id| !id.is_empty() && id.len() != 36))
        .unwrap_or_else(|| {
            let short: String = slug(&s.guid).replace('-', "").chars().take(8).collect();
            if short.is_empty() {
                "bron".into()
            } else {
                format!("bron-{short}")
            }
        });
    unique(&base, taken)
}

/// Import the .qdpx at `file` into the corpus at `corpus`.
pub fn import_with(corpus: &Path, file: &Path, options: Options) -> Result<Report> {
    let Unpacked {
        project: p,
        texts,
        sidecar,
    } = unpack(file)?;
    std::fs::create_dir_all(corpus).map_err(|e| Error::io(corpus, e))?;
    let have = Corpus::load(corpus)?;
    let mut foreign = ForeignGuids::load(corpus)?;
    let mut report = Report {
        skipped: p.skipped.clone(),
        ..Report::default()
    };
    let file_name = file
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let user_name = |g: &Option<String>| g.as_ref().and_then(|g| p.users.get(g)).cloned();
    let coder_of =
        |g: &Option<String>| user_name(g).map_or("imported".to_string(), |n| coder_id(&n));

    // The code book: whole or not at all, as the import appends to it.
    let book_path = corpus.join("codebook.toml");
    let book_text = crate::text_file::read_optional(&book_path)?.unwrap_or_default();
    let book = if book_text.trim().is_empty() {
        Codebook::default()
    } else {
        Codebook::load_whole(&book_path)?
    };
    let coded: HashSet<String> = p
        .sources
        .iter()
        .flat_map(|s| &s.selections)
        .flat_map(|sel| sel.codings.iter().map(|c| c.code.clone()))
        .chain(p.cases.iter().flat_map(|c| c.codes.iter().cloned()))
        .collect();
    let flat_label = if p.name.is_empty() {
        file_name.as_str()
    } else {
        p.name.as_str()
    };
    let own = sidecar.as_ref();
    let mapped = codes::map(
        &p.codes,
        &book,
        own.and_then(|s| s.codebook.as_ref()),
        flat_label,
        &coded,
    );
    report.codes = mapped.codes.len();
    report.conflicts.extend(mapped.conflicts.iter().cloned());
    for set in &p.sets {
        report.skipped.push(format!(
            "set {} ({} codes, {} sources): a code belongs to one group in visgraat, so sets are listed, not imported",
            quoted(&set.name),
            set.codes.len(),
            set.sources
        ));
    }

    // Sources: found by GUID, else new under a readable id that collides with nothing.
    let by_guid: HashMap<String, &crate::corpus::source::Source> = have
        .sources
        .iter()
        .map(|s| (foreign.source_guid(&s.meta.id), s))
        .collect();
    let mut taken: HashSet<String> = have.sources.iter().map(|s| s.meta.id.clone()).collect();
    let placers: Vec<Option<Placer>> = texts
        .iter()
        .map(|t| t.as_deref().map(Placer::new))
        .collect();
    let mut fates = Vec::with_capacity(p.sources.len());
    for (s, placer) in p.sources.iter().zip(&placers) {
        let label = if s.name.is_empty() {
            quoted(&s.guid)
        } else {
            quoted(&s.name)
        };
        let Some(placer) = placer else {
            report
                .skipped
                .push(format!("source {label}: its text is not in the archive"));
            fates.push(Fate::Left("its text is not in the archive".into()));
            continue;
        };
        if let Some(old) = by_guid.get(&s.guid) {
            let id = old.meta.id.clone();
            if old.body == placer.text {
                report.sources_known += 1;
                fates.push(Fate::Known(id));
            } else if options.replace {
                let meta = SourceMeta {
                    pages: Vec::new(),
                    ..old.meta.clone()
                };
                fates.push(Fate::Write { id, meta });
            } else {
                report.conflicts.push(format!(
                    "source {id}: the file has other text for it (same GUID); not replaced (import --replace takes the file's text; codings follow their text)"
                ));
                fates.push(Fate::Left(format!("source {id} was not replaced")));
            }
            continue;
        }
        let own_meta = own.and_then(|o| o.sources.get(&s.guid));
        let id = source_id(s, own_meta, &mut taken);
        let meta = match own_meta {
            Some(m) => SourceMeta {
                id: id.clone(),
                ..m.clone()
            },
            None => {
                let (kind, provenance) = match s.description.split_once(" (") {
                    Some((_, rest)) if rest.contains(": ") => {
                        let (kind, prov) = rest
                            .trim_end_matches(')')
                            .split_once(": ")
                            .unwrap_or(("", rest));
                        (
                            SourceKind::parse(kind).unwrap_or(SourceKind::Transcript),
                            prov.to_string(),
                        )
                    }
                    _ => (SourceKind::Transcript, format!("imported from {file_name}")),
                };
                SourceMeta {
                    id: id.clone(),
                    kind,
                    title: if s.name.is_empty() {
                        id.clone()
                    } else {
                        s.name.clone()
                    },
                    case: None,
                    date: None,
                    provenance,
                    pages: Vec::new(),
                }
            }
        };
        if s.guid != guid(&format!("source:{id}")) && !s.guid.is_empty() {
            foreign.source.insert(id.clone(), s.guid.clone());
        }
        fates.push(Fate::Write { id, meta });
    }
    let source_of_guid: HashMap<&str, &str> = p
        .sources
        .iter()
        .zip(&fates)
        .filter_map(|(s, f)| match f {
            Fate::Write { id, .. } | Fate::Known(id) => Some((s.guid.as_str(), id.as_str())),
            Fate::Left(_) => None,
        })
        .collect();

    // Cases, with their sources.
    let cases_path = corpus.join("cases.toml");
    let cases_text = crate::text_file::read_optional(&cases_path)?.unwrap_or_default();
    let new_cases = cases::map(
        &p,
        &have.cases,
        own.and_then(|s| s.cases.as_ref()),
        &mapped.ids,
        &mut foreign,
    );
    report.cases = new_cases.cases.len();
    report.conflicts.extend(new_cases.conflicts.iter().cloned());

    // Selections: placed by the convention the data show, or kept aside.
    let targets: Vec<std::result::Result<String, String>> = fates
        .iter()
        .map(|f| match f {
            Fate::Write { id, .. } | Fate::Known(id) => Ok(id.clone()),
            Fate::Left(reason) => Err(reason.clone()),
        })
        .collect();
    let live: Vec<Placer> = placers
        .into_iter()
        .map(|p| p.unwrap_or_else(|| Placer::new("")))
        .collect();
    let placed = selections::place(&p, &targets, &live, &mapped.ids, &coder_of, &mut report);
    // The code book and cases grow by appending: comments and layout stay as they were.
    let added_book = Codebook {
        groups: mapped.groups.clone(),
        codes: mapped.codes.clone(),
        ..Codebook::default()
    };
    let book_new = match own.and_then(|o| o.codebook.as_ref().zip(o.codebook_text.as_ref())) {
        // Made from visgraat's own export alone: its code book as it was written.
        Some((b, text)) if book_text.trim().is_empty() && *b == added_book => Some(text.clone()),
        _ => crate::qdpx::append::entries(
            &book_path,
            &book_text,
            &added_book,
            mapped.groups.len() + mapped.codes.len(),
        )?,
    };
    // The additions must fit the book as its loader would read it (checked in memory:
    // reading a large book back in full costs seconds).
    if let Some(problem) = book
        .check_additions(&added_book.groups, &added_book.codes)
        .into_iter()
        .next()
    {
        return Err(Error::invalid(
            file,
            None,
            format!("its code book does not fit this project's: {problem}"),
        ));
    }
    let added_cases = crate::corpus::cases::Cases {
        cases: new_cases.cases.clone(),
    };
    let cases_new = match own.and_then(|o| o.cases.as_ref().zip(o.cases_text.as_ref())) {
        Some((c, text)) if cases_text.trim().is_empty() && *c == added_cases => Some(text.clone()),
        _ => crate::qdpx::append::entries(
            &cases_path,
            &cases_text,
            &added_cases,
            new_cases.cases.len(),
        )?,
    };

    // Writes: sources, their quotes, code book, cases, GUIDs, codings, memos, what was kept aside.
    for (s, fate) in p.sources.iter().zip(&fates) {
        let Fate::Write { id, meta } = fate else {
            continue;
        };
        let i = p
            .sources
            .iter()
            .position(|x| std::ptr::eq(x, s))
            .unwrap_or(0);
        let mut meta = meta.clone();
        if meta.case.is_none() {
            meta.case = new_cases.case_of_source.get(&s.guid).cloned();
        }
        let path = corpus
            .join("sources")
            .join(meta.kind.as_str())
            .join(format!("{id}.md"));
        crate::atomic::write(&path, source::render(&meta, &live[i].text).as_bytes())?;
        report.sources += 1;
        let quotes = corpus.join("quotes").join(format!("{id}.toml"));
        if let Some(text) = own.and_then(|o| o.quotes.get(id))
            && !quotes.exists()
        {
            crate::atomic::write(&quotes, text.as_bytes())?;
        }
    }
    if let Some(text) = book_new {
        crate::atomic::write(&book_path, text.as_bytes())?;
    }
    if let Some(text) = cases_new {
        crate::atomic::write(&cases_path, text.as_bytes())?;
    }
    write_project(
        corpus,
        &p,
        own.and_then(|o| o.project.as_deref()),
        &file_name,
    )?;
    if foreign != ForeignGuids::load(corpus)? {
        foreign.save(corpus)?;
    }
    report.codings = selections::save(corpus, placed.codings)?;
    report.memos = notes::import(
        corpus,
        &p,
        &have,
        &mapped.ids,
        &source_of_guid,
        &new_cases.ids,
        &coder_of,
        &mut report,
    )?;
    selections::keep_aside(corpus, &file_name, placed.kept, &mut report)?;
    Ok(report)
}

/// A corpus made by this import gets the project's name and where it came from (from
/// visgraat's own export: its project.toml as it was).
fn write_project(corpus: &Path, p: &Project, own: Option<&str>, file_name: &str) -> Result<()> {
    let path = corpus.join("project.toml");
    if path.exists() {
        return Ok(());
    }
    let text = match own {
        Some(text) => text.to_string(),
        None => {
            let origin = if p.origin.is_empty() {
                "an unnamed tool"
            } else {
                &p.origin
            };
            let project = crate::corpus::project::Project {
                title: if p.name.is_empty() {
                    file_name.to_string()
                } else {
                    p.name.clone()
                },
                language: "nl".into(),
                provenance: format!("Imported from {file_name} (REFI-QDA, made by {origin})."),
                ..Default::default()
            };
            toml::to_string(&project).map_err(|e| Error::invalid(&path, None, e.to_string()))?
        }
    };
    crate::atomic::write(&path, text.as_bytes())
}
