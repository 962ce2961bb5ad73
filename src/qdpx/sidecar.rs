//! What visgraat's .qdpx carries for visgraat beside the REFI-QDA parts: the code book and
//! cases as written, each source's front matter (page marks, case, kind) and its quotes, in
//! `visgraat/` inside the zip. REFI-QDA has no place for code ids, page marks, case passages
//! or quoted speech; with these a visgraat → visgraat round trip gives them back exactly.
//! Other tools read `project.qde` and `sources/` and leave this folder alone.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::archive::{self, Archive};
use crate::corpus::Corpus;
use crate::corpus::cases::Cases;
use crate::corpus::codebook::Codebook;
use crate::corpus::source::SourceMeta;
use crate::error::{Error, Result};
use crate::qdpx::ids::ForeignGuids;

const DIR: &str = "visgraat/";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    guid: String,
    meta: SourceMeta,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceList {
    #[serde(default, rename = "source")]
    sources: Vec<SourceEntry>,
}

/// The exporting project's own files, as far as the archive holds them.
#[derive(Debug, Default)]
pub(crate) struct Sidecar {
    pub(crate) codebook: Option<Codebook>,
    pub(crate) cases: Option<Cases>,
    /// Front matter by source GUID.
    pub(crate) sources: HashMap<String, SourceMeta>,
    /// The raw quotes file by source id.
    pub(crate) quotes: HashMap<String, String>,
    /// The raw project.toml, codebook.toml and cases.toml: a project made by the import
    /// from these alone gets them as they were written, comments included.
    pub(crate) project: Option<String>,
    pub(crate) codebook_text: Option<String>,
    pub(crate) cases_text: Option<String>,
}

/// The sidecar's entries (name in the zip, bytes) for `corpus`.
pub(crate) fn entries(corpus: &Corpus) -> Result<Vec<(String, Vec<u8>)>> {
    let root = &corpus.root;
    let mut out = Vec::new();
    for name in ["project.toml", "codebook.toml", "cases.toml"] {
        if let Some(text) = crate::text_file::read_optional(&root.join(name))? {
            out.push((format!("{DIR}{name}"), text.into_bytes()));
        }
    }
    let foreign = ForeignGuids::load(root)?;
    let list = SourceList {
        sources: corpus
            .sources
            .iter()
            .map(|s| SourceEntry {
                guid: foreign.source_guid(&s.meta.id),
                meta: s.meta.clone(),
            })
            .collect(),
    };
    let path = root.join("sources");
    let text = toml::to_string(&list).map_err(|e| Error::invalid(&path, None, e.to_string()))?;
    out.push((format!("{DIR}sources.toml"), text.into_bytes()));
    let mut ids: Vec<&String> = corpus.quotes.keys().collect();
    ids.sort();
    for id in ids {
        let path = root.join("quotes").join(format!("{id}.toml"));
        if let Some(text) = crate::text_file::read_optional(&path)? {
            out.push((format!("{DIR}quotes/{id}.toml"), text.into_bytes()));
        }
    }
    Ok(out)
}

/// The sidecar in `zip` (whose entries are `names`), if there is one. A sidecar that does not
/// read is an error naming its entry: a visgraat export should not be half understood.
pub(crate) fn read(zip: &mut Archive, names: &[String], file: &Path) -> Result<Option<Sidecar>> {
    if !names.iter().any(|n| n.starts_with(DIR)) {
        return Ok(None);
    }
    let mut text_of = |name: &str| -> Result<Option<String>> {
        if !zip.has(name) {
            return Ok(None);
        }
        let bytes = zip.read(name, archive::MAX_ENTRY_BYTES)?;
        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
    };
    let at = |name: &str| file.join(name);
    let mut sidecar = Sidecar {
        project: text_of(&format!("{DIR}project.toml"))?,
        ..Sidecar::default()
    };
    if let Some(text) = text_of(&format!("{DIR}codebook.toml"))? {
        let name = at(&format!("{DIR}codebook.toml"));
        let (book, problems) = Codebook::parse(&name, &text);
        if let Some(e) = problems.into_iter().next() {
            return Err(e);
        }
        sidecar.codebook = Some(book);
        sidecar.codebook_text = Some(text);
    }
    if let Some(text) = text_of(&format!("{DIR}cases.toml"))? {
        let name = at(&format!("{DIR}cases.toml"));
        sidecar.cases = Some(toml::from_str(&text).map_err(|e| Error::toml(&name, &text, &e))?);
        sidecar.cases_text = Some(text);
    }
    if let Some(text) = text_of(&format!("{DIR}sources.toml"))? {
        let name = at(&format!("{DIR}sources.toml"));
        let list: SourceList = toml::from_str(&text).map_err(|e| Error::toml(&name, &text, &e))?;
        sidecar.sources = list.sources.into_iter().map(|s| (s.guid, s.meta)).collect();
    }
    for name in names {
        if let Some(id) = name
            .strip_prefix(&format!("{DIR}quotes/"))
            .and_then(|n| n.strip_suffix(".toml"))
            && crate::corpus::source::validate_id(id).is_ok()
            && let Some(text) = text_of(name)?
        {
            sidecar.quotes.insert(id.to_string(), text);
        }
    }
    Ok(Some(sidecar))
}
