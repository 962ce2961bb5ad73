//! The Documents page: the source tree (by kind, then case) and the reader beside it. On a
//! narrow terminal the focused pane takes the whole width, so what Enter opens is always
//! on screen.

use crate::corpus::source::SourceKind;
use crate::tui::action::Action;
use crate::workspace::Workspace;

use super::reader::Reader;
use super::{Command, Ctx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocsFocus {
    Tree,
    Reader,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TreeRow {
    Kind(SourceKind),
    /// A case (focus group) heading within a kind.
    Case(String),
    Source(usize),
}

#[derive(Debug, Clone)]
pub struct DocumentsPage {
    pub tree: Vec<TreeRow>,
    pub selected: usize,
    pub focus: DocsFocus,
    pub reader: Option<Reader>,
    /// The sources the tree lists when the TUI is limited to a reliability round (their
    /// ids); None lists every source.
    pub limit: Option<std::collections::BTreeSet<String>>,
}

impl DocumentsPage {
    pub fn new(ws: &Workspace) -> DocumentsPage {
        let tree = build_tree(ws, None);
        DocumentsPage {
            selected: first_source_row(&tree),
            tree,
            focus: DocsFocus::Tree,
            reader: None,
            limit: None,
        }
    }

    /// Whether the tree is on screen: always on a wide terminal, else while it has focus.
    pub fn tree_shown(&self, size: (u16, u16)) -> bool {
        crate::tui::layout::has_tree(size) || self.focus == DocsFocus::Tree || self.reader.is_none()
    }

    /// The reader's pane is on screen (beside the tree, or instead of it).
    pub fn reader_shown(&self, size: (u16, u16)) -> bool {
        crate::tui::layout::has_tree(size) || self.focus == DocsFocus::Reader
    }

    /// After the sources were read again: the tree is rebuilt and the selection and the
    /// reader find their sources by id (indices shift when sources come or go).
    pub fn sources_reloaded(&mut self, ws: &Workspace, selected_id: Option<String>) {
        self.tree = build_tree(ws, self.limit.as_ref());
        self.selected = selected_id
            .and_then(|id| ws.corpus.source_index(&id))
            .and_then(|i| self.tree.iter().position(|r| *r == TreeRow::Source(i)))
            .unwrap_or_else(|| first_source_row(&self.tree).min(self.selected));
        if let Some(r) = &mut self.reader {
            match ws.corpus.source_index(&r.source_id) {
                Some(i) => r.source = i,
                None => {
                    self.reader = None;
                    self.focus = DocsFocus::Tree;
                }
            }
        }
    }

    /// The source selected in the tree, if a source row is selected.
    pub fn selected_source(&self) -> Option<usize> {
        match self.tree.get(self.selected) {
            Some(TreeRow::Source(i)) => Some(*i),
            _ => None,
        }
    }

    /// Open source `index` (`source`) in the reader at char offset `at`.
    pub fn open(&mut self, source: &crate::corpus::source::Source, index: usize, at: usize) {
        self.focus = DocsFocus::Reader;
        if let Some(row) = self.tree.iter().position(|r| *r == TreeRow::Source(index)) {
            self.selected = row;
        }
        self.reader = Some(Reader::open(source, index, at));
    }

    pub fn update(&mut self, action: &Action, ctx: &Ctx) -> Vec<Command> {
        if self.focus == DocsFocus::Tree || self.reader.is_none() {
            match action {
                Action::Up | Action::ScrollUp => self.move_tree(-1),
                Action::Down | Action::ScrollDown => self.move_tree(1),
                Action::PageUp => self.move_tree(-10),
                Action::PageDown => self.move_tree(10),
                Action::Top => self.selected = 0,
                Action::Bottom => self.selected = self.tree.len().saturating_sub(1),
                Action::Enter | Action::Right => {
                    if let Some(i) = self.selected_source() {
                        return vec![Command::Open { source: i, at: 0 }];
                    }
                }
                Action::NextPane if self.reader.is_some() => self.focus = DocsFocus::Reader,
                Action::Memo => {
                    if let Some(i) = self.selected_source() {
                        let target = format!("source:{}", ctx.source(i).meta.id);
                        return vec![crate::tui::popups::memo_on(ctx, target)];
                    }
                }
                Action::AssignCase | Action::NewCase | Action::EditCase => {
                    return self.edit_case(action, ctx);
                }
                _ => {}
            }
            return Vec::new();
        }
        let Some(reader) = self.reader.as_mut() else {
            return Vec::new();
        };
        match action {
            Action::Back if reader.anchor.is_some() => reader.anchor = None,
            Action::Back | Action::NextPane => self.focus = DocsFocus::Tree,
            other => return reader.update(other, ctx),
        }
        Vec::new()
    }

    /// `a`, `A`, `E` in the tree: a prompt for the selected source's case, a new case, or
    /// the attributes of the source's case.
    fn edit_case(&self, action: &Action, ctx: &Ctx) -> Vec<Command> {
        use crate::tui::popups::{Popup, PromptPurpose};
        let m = ctx.msg();
        if *action == Action::NewCase {
            let p = Popup::prompt(m.new_case_id, String::new(), PromptPurpose::NewCase);
            return vec![Command::Popup(p)];
        }
        let Some(source) = self.selected_source().map(|i| ctx.source(i)) else {
            return Vec::new();
        };
        let case = source.meta.case.clone();
        if *action == Action::AssignCase {
            let purpose = PromptPurpose::AssignCase {
                source: source.meta.id.clone(),
            };
            let p = Popup::prompt(m.case_of_source, case.unwrap_or_default(), purpose);
            return vec![Command::Popup(p)];
        }
        let Some(case) = case else {
            return vec![Command::Error(m.source_has_no_case.into())];
        };
        let current: Vec<String> = ctx
            .ws
            .corpus
            .cases
            .get(&case)
            .map(|c| {
                c.attributes
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect()
            })
            .unwrap_or_default();
        let title = format!("{} {case}", m.case_attributes);
        let p = Popup::prompt(
            &title,
            current.join(", "),
            PromptPurpose::CaseAttributes { case },
        );
        vec![Command::Popup(p)]
    }

    fn move_tree(&mut self, delta: isize) {
        let len = self.tree.len() as isize;
        if len == 0 {
            return;
        }
        let mut at = (self.selected as isize + delta).clamp(0, len - 1);
        // Skip kind and case headings in the direction of travel.
        while let Some(TreeRow::Kind(_) | TreeRow::Case(_)) = self.tree.get(at as usize) {
            let next = at + delta.signum();
            if next < 0 || next >= len {
                break;
            }
            at = next;
        }
        self.selected = at as usize;
    }
}

pub fn first_source_row(tree: &[TreeRow]) -> usize {
    tree.iter()
        .position(|r| matches!(r, TreeRow::Source(_)))
        .unwrap_or(0)
}

fn build_tree(ws: &Workspace, limit: Option<&std::collections::BTreeSet<String>>) -> Vec<TreeRow> {
    let sources = &ws.corpus.sources;
    let order =
        crate::corpus::tree_order(sources, |s| limit.is_none_or(|l| l.contains(&s.meta.id)));
    with_headings(order.into_iter().map(|i| {
        let meta = &sources[i].meta;
        (i, meta.kind, meta.case.as_deref())
    }))
}

/// The tree's rows for sources in tree order (`corpus::tree_order`), each given as its
/// index, kind and case: a heading before each kind, and before each case within it.
pub fn with_headings<'a>(
    sources: impl IntoIterator<Item = (usize, SourceKind, Option<&'a str>)>,
) -> Vec<TreeRow> {
    let mut tree = Vec::new();
    let mut current: Option<(SourceKind, Option<&str>)> = None;
    for (i, kind, case) in sources {
        let same_kind = current.is_some_and(|(k, _)| k == kind);
        if !same_kind {
            tree.push(TreeRow::Kind(kind));
        }
        let same_case = same_kind && current.is_some_and(|(_, c)| c == case);
        if let Some(case) = case
            && !same_case
        {
            tree.push(TreeRow::Case(case.to_string()));
        }
        current = Some((kind, case));
        tree.push(TreeRow::Source(i));
    }
    tree
}
