//! A REFI-QDA code tree as visgraat codes, at full depth. A top-level code with codes under
//! it becomes a group, codes under codes keep their parent, same-named codes in different
//! branches stay distinct, and nothing is invented: no definition where the file has none,
//! no extra parent (codes at the top of the other tool's tree go to a `flat` group that an
//! export leaves out again). A code is found again by its GUID, else by its label at the
//! same place; visgraat's own fishbone (group → level → valence → codes) is recognised.

use std::collections::{HashMap, HashSet};

use crate::coding::book_edit::id_base;
use crate::corpus::codebook::{Code, Codebook, FISHBONE, Group, Level, Valence};
use crate::qdpx::ids::{code_guid, group_guid, guid, quoted, slug, unique};
use crate::qdpx::reader::QCode;

/// What the tree became: every code's GUID to its visgraat id, and what is new.
#[derive(Debug, Default)]
pub(crate) struct Mapped {
    pub(crate) ids: HashMap<String, String>,
    pub(crate) groups: Vec<Group>,
    pub(crate) codes: Vec<Code>,
    pub(crate) conflicts: Vec<String>,
}

/// What a node of the tree is in visgraat.
#[derive(Clone)]
enum Node {
    Group(String),
    Level(Level),
    Bone(Level, Valence),
    Code(String),
}

/// Where a code stands: label, group, parent, level and valence.
type Place = (
    String,
    String,
    Option<String>,
    Option<Level>,
    Option<Valence>,
);

struct Context<'a> {
    book: &'a Codebook,
    code_by_guid: HashMap<String, Code>,
    group_by_guid: HashMap<String, Group>,
    /// The sidecar of visgraat's own export: the exporting project's codes by GUID.
    own_codes: HashMap<String, Code>,
    own_groups: HashMap<String, Group>,
    code_ids: HashSet<String>,
    group_ids: HashSet<String>,
    /// Codes by their place, to find a code of the file again by its label there.
    by_place: HashMap<Place, String>,
    out: Mapped,
}

/// The label of a bone node in visgraat's export ("beleid · bevorderend"; older exports
/// wrote "+ bevorderend").
pub(crate) fn bone_name(level: Level, valence: Valence) -> String {
    format!("{} · {}", level.as_str(), valence.as_str())
}

fn valence_in(name: &str) -> Option<Valence> {
    Valence::ALL.into_iter().find(|v| name.contains(v.as_str()))
}

/// Map `codes` (parents before children) onto `book`. `flat_label` names the group for
/// codes at the top of the tree; `coded` holds the GUIDs that selections refer to.
pub(crate) fn map(
    codes: &[QCode],
    book: &Codebook,
    own: Option<&Codebook>,
    flat_label: &str,
    coded: &HashSet<String>,
) -> Mapped {
    let mut cx = Context {
        book,
        code_by_guid: book
            .codes
            .iter()
            .map(|c| (code_guid(c), c.clone()))
            .collect(),
        group_by_guid: book
            .groups
            .iter()
            .map(|g| (group_guid(g), g.clone()))
            .collect(),
        own_codes: own
            .map(|b| b.codes.iter().map(|c| (code_guid(c), c.clone())).collect())
            .unwrap_or_default(),
        own_groups: own
            .map(|b| {
                b.groups
                    .iter()
                    .map(|g| (group_guid(g), g.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        code_ids: book.codes.iter().map(|c| c.id.clone()).collect(),
        group_ids: book.groups.iter().map(|g| g.id.clone()).collect(),
        by_place: book
            .codes
            .iter()
            .map(|c| {
                let key = (
                    c.label.clone(),
                    c.group.clone(),
                    c.parent.clone(),
                    c.level,
                    c.valence,
                );
                (key, c.id.clone())
            })
            .collect(),
        out: Mapped::default(),
    };
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); codes.len()];
    for (i, c) in codes.iter().enumerate() {
        if let Some(p) = c.parent.filter(|&p| p < i) {
            children[p].push(i);
        }
    }
    let mut nodes: Vec<Option<(Node, String)>> = Vec::with_capacity(codes.len());
    let mut flat_group: Option<String> = None;
    for (i, c) in codes.iter().enumerate() {
        let parent = c.parent.filter(|&p| p < i).and_then(|p| nodes[p].clone());
        let node = match parent {
            None => cx.top(i, codes, &children, coded, flat_label, &mut flat_group),
            Some((Node::Group(g), _)) if g == FISHBONE && Level::parse(&c.name).is_some() => {
                Level::parse(&c.name).map(|l| (Node::Level(l), g))
            }
            Some((Node::Level(l), g)) => match valence_in(&c.name) {
                Some(v) => Some((Node::Bone(l, v), g)),
                None => Some((cx.code(c, &g, None, Some(l), None), g)),
            },
            Some((Node::Bone(l, v), g)) => Some((cx.code(c, &g, None, Some(l), Some(v)), g)),
            Some((Node::Group(g), _)) => Some((cx.code(c, &g, None, None, None), g)),
            Some((Node::Code(pid), g)) => {
                let (level, valence) = cx.place_of(&pid);
                Some((cx.code(c, &g, Some(pid), level, valence), g))
            }
        };
        nodes.push(node);
    }
    cx.out
}

impl Context<'_> {
    /// A node at the top of the tree: a group, or a code of the flat group.
    fn top(
        &mut self,
        i: usize,
        codes: &[QCode],
        children: &[Vec<usize>],
        coded: &HashSet<String>,
        flat_label: &str,
        flat_group: &mut Option<String>,
    ) -> Option<(Node, String)> {
        let c = &codes[i];
        if let Some(g) = self.group_by_guid.get(&c.guid) {
            return Some((Node::Group(g.id.clone()), g.id.clone()));
        }
        if let Some(k) = self.code_by_guid.get(&c.guid).cloned() {
            self.out.ids.insert(c.guid.clone(), k.id.clone());
            return Some((Node::Code(k.id.clone()), k.group));
        }
        if let Some(g) = self.own_groups.get(&c.guid).cloned() {
            let id = if self.group_ids.contains(&g.id) {
                unique(&g.id, &mut self.group_ids)
            } else {
                self.group_ids.insert(g.id.clone());
                g.id.clone()
            };
            self.group_by_guid.insert(c.guid.clone(), g.clone());
            self.out.groups.push(Group {
                id: id.clone(),
                ..g
            });
            return Some((Node::Group(id.clone()), id));
        }
        let is_fishbone = children[i].iter().any(|&l| {
            Level::parse(&codes[l].name).is_some()
                && children[l]
                    .iter()
                    .any(|&b| valence_in(&codes[b].name).is_some())
        });
        if is_fishbone {
            if !self.group_ids.contains(FISHBONE) {
                self.group_ids.insert(FISHBONE.into());
                self.out.groups.push(Group {
                    id: FISHBONE.into(),
                    label: c.name.clone(),
                    description: c.description.clone(),
                    guid: (c.guid != guid(&format!("group:{FISHBONE}"))).then(|| c.guid.clone()),
                    flat: false,
                });
            }
            return Some((Node::Group(FISHBONE.into()), FISHBONE.into()));
        }
        if children[i].is_empty() {
            let group = match flat_group {
                Some(g) => g.clone(),
                None => {
                    let g = self.flat_group(flat_label);
                    *flat_group = Some(g.clone());
                    g
                }
            };
            return Some((self.code(c, &group, None, None, None), group));
        }
        let base = match slug(&c.name) {
            s if s.is_empty() => "codes".to_string(),
            s => s,
        };
        let id = unique(&base, &mut self.group_ids);
        // A top-level code that is itself applied is also a code of its group (and the
        // GUID goes with the code, which the codings name).
        let also_code = c.codable && coded.contains(&c.guid);
        self.out.groups.push(Group {
            id: id.clone(),
            label: c.name.clone(),
            description: c.description.clone(),
            guid: (!also_code).then(|| c.guid.clone()),
            flat: false,
        });
        if also_code {
            let node = self.code(c, &id, None, None, None);
            self.out.conflicts.push(format!(
                "code {}: a top-level code with codes under it and codings of its own is a group and a code of that group",
                quoted(&c.name)
            ));
            return Some((node, id));
        }
        Some((Node::Group(id.clone()), id))
    }

    /// The flat group labelled `label` (the project's name), found or made.
    fn flat_group(&mut self, label: &str) -> String {
        let existing = self
            .book
            .groups
            .iter()
            .chain(&self.out.groups)
            .find(|g| g.flat && g.label == label);
        if let Some(g) = existing {
            return g.id.clone();
        }
        let base = match slug(label) {
            s if s.is_empty() => "codes".to_string(),
            s => s,
        };
        let id = unique(&base, &mut self.group_ids);
        self.out.groups.push(Group {
            id: id.clone(),
            label: label.to_string(),
            description: String::new(),
            guid: None,
            flat: true,
        });
        id
    }

    fn place_of(&self, id: &str) -> (Option<Level>, Option<Valence>) {
        self.book
            .codes
            .iter()
            .chain(&self.out.codes)
            .find(|c| c.id == id)
            .map_or((None, None), |c| (c.level, c.valence))
    }

    /// The code `c` at its place: found by GUID or by label there, else new.
    fn code(
        &mut self,
        c: &QCode,
        group: &str,
        parent: Option<String>,
        level: Option<Level>,
        valence: Option<Valence>,
    ) -> Node {
        if let Some(k) = self.code_by_guid.get(&c.guid) {
            if k.label != c.name {
                self.out.conflicts.push(format!(
                    "code {}: the file calls it {}; the project's name is kept",
                    quoted(&k.label),
                    quoted(&c.name)
                ));
            }
            self.out.ids.insert(c.guid.clone(), k.id.clone());
            return Node::Code(k.id.clone());
        }
        let key = (
            c.name.clone(),
            group.to_string(),
            parent.clone(),
            level,
            valence,
        );
        if let Some(id) = self.by_place.get(&key).cloned() {
            self.out.ids.insert(c.guid.clone(), id.clone());
            return Node::Code(id);
        }
        let own = self.own_codes.get(&c.guid).cloned();
        let id = match &own {
            Some(k) if !self.code_ids.contains(&k.id) => {
                self.code_ids.insert(k.id.clone());
                k.id.clone()
            }
            _ => unique(&id_base(&c.name, level), &mut self.code_ids),
        };
        let code = match own {
            // visgraat's own code: exactly as the exporting project had it.
            Some(k) => Code {
                id: id.clone(),
                group: group.to_string(),
                parent: parent.clone(),
                guid: (c.guid != guid(&format!("code:{id}"))).then(|| c.guid.clone()),
                ..k
            },
            None => Code {
                id: id.clone(),
                label: c.name.clone(),
                group: group.to_string(),
                level,
                valence,
                definition: c.description.clone(),
                color: c.color.clone(),
                parent: parent.clone(),
                guid: (c.guid != guid(&format!("code:{id}"))).then(|| c.guid.clone()),
            },
        };
        // A fishbone code needs its level and valence; elsewhere it has neither.
        let code = if group == FISHBONE && (code.level.is_none() || code.valence.is_none()) {
            Code {
                level: level.or(code.level),
                valence: valence.or(code.valence),
                ..code
            }
        } else {
            code
        };
        self.by_place.insert(key, id.clone());
        self.code_by_guid.insert(c.guid.clone(), code.clone());
        self.out.ids.insert(c.guid.clone(), id.clone());
        self.out.codes.push(code);
        Node::Code(id)
    }
}
