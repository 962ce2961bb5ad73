//! REFI-QDA cases as visgraat cases: found by GUID, else new under a readable id; their
//! attributes from the case variables, their CodeRefs as the team's own fishbone sheet, and
//! (from visgraat's own sidecar) the passages the text ties to them.

use std::collections::{HashMap, HashSet};

use crate::corpus::cases::{Case, Cases, FishboneSheet};
use crate::qdpx::ids::{ForeignGuids, guid, quoted, slug, unique};
use crate::qdpx::reader::Project;

#[derive(Debug, Default)]
pub(crate) struct Mapped {
    /// The cases the project does not have yet.
    pub(crate) cases: Vec<Case>,
    /// Every case of the file: its GUID to the visgraat id.
    pub(crate) ids: HashMap<String, String>,
    /// A source's GUID to the case it belongs to.
    pub(crate) case_of_source: HashMap<String, String>,
    pub(crate) conflicts: Vec<String>,
}

pub(crate) fn map(
    p: &Project,
    have: &Cases,
    own: Option<&Cases>,
    code_ids: &HashMap<String, String>,
    foreign: &mut ForeignGuids,
) -> Mapped {
    let mut out = Mapped::default();
    let existing: HashMap<String, &Case> = have
        .cases
        .iter()
        .map(|c| (foreign.case_guid(&c.id), c))
        .collect();
    let own: HashMap<String, &Case> = own
        .map(|o| {
            o.cases
                .iter()
                .map(|c| (guid(&format!("case:{}", c.id)), c))
                .collect()
        })
        .unwrap_or_default();
    let mut taken: HashSet<String> = have.cases.iter().map(|c| c.id.clone()).collect();
    for c in &p.cases {
        let id = if let Some(old) = existing.get(&c.guid) {
            if old.label != c.name {
                out.conflicts.push(format!(
                    "case {}: the file calls it {}; the project's name is kept",
                    old.id,
                    quoted(&c.name)
                ));
            }
            old.id.clone()
        } else {
            let own_case = own.get(&c.guid);
            let carried = own_case
                .map(|k| k.id.clone())
                .or_else(|| {
                    Some(c.description.clone())
                        .filter(|d| crate::corpus::source::validate_id(d).is_ok())
                })
                .or_else(|| Some(slug(&c.name)).filter(|s| !s.is_empty()))
                .unwrap_or_else(|| "case".into());
            let id = unique(&carried, &mut taken);
            // Every variable the case has a value for becomes an attribute of its own name,
            // typed as its value element was (text, integer, float, date).
            let attributes = crate::corpus::cases::Attributes(
                c.values
                    .iter()
                    .filter_map(|(var, v)| {
                        let name = p.variables.get(var)?;
                        Some((name.clone(), v.clone()))
                    })
                    .collect(),
            );
            let sheet: Vec<String> = c
                .codes
                .iter()
                .filter_map(|g| code_ids.get(g).cloned())
                .collect();
            let case = match own_case {
                Some(k) => Case {
                    id: id.clone(),
                    ..(*k).clone()
                },
                None => Case {
                    id: id.clone(),
                    label: c.name.clone(),
                    attributes,
                    fishbone: (!sheet.is_empty()).then(|| FishboneSheet {
                        codes: sheet,
                        note: String::new(),
                    }),
                    passages: Vec::new(),
                },
            };
            if !c.guid.is_empty() && c.guid != guid(&format!("case:{id}")) {
                foreign.case.insert(id.clone(), c.guid.clone());
            }
            out.cases.push(case);
            id
        };
        for s in &c.sources {
            out.case_of_source.insert(s.clone(), id.clone());
        }
        out.ids.insert(c.guid.clone(), id);
    }
    out
}
