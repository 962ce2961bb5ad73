//! Undo and redo of what a user did to the project: codings added, removed or changed,
//! code-book and case-sheet edits, review decisions and memos. Plain data; the workspace
//! applies an edit (`Workspace::apply_edit`), this keeps the two stacks.

use crate::coding::book_edit::BookEdit;
use crate::coding::framework::Summary;
use crate::coding::memos::Memo;
use crate::coding::review_log::Decision;
use crate::coding::{Change, Placed};

/// A change to the project, kept for undo and redo.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // an undo stack of codings by value; few at a time
pub enum Edit {
    Added(Placed),
    Removed(Placed),
    Replaced {
        old: Placed,
        new: Placed,
    },
    /// A code-book or case-sheet edit: the files before and after.
    Book(BookEdit),
    /// Several edits made as one (a settled disagreement); undone together.
    Group(Vec<Edit>),
    /// A decision in the review log.
    Review(Decision),
    /// A suggestion rejected: remembered in `corpus/suggestions/rejected.toml`.
    Rejected(crate::suggest::rejected::Rejection),
    /// A memo on a code, source or case: before and after (None: no memo).
    Memo {
        target: String,
        author: String,
        before: Option<Memo>,
        after: Option<Memo>,
    },
    /// A framework summary of a cell (`row`, `column`) by `author`: before and after.
    Summary {
        row: String,
        column: String,
        author: String,
        before: Option<Summary>,
        after: Option<Summary>,
    },
}

impl Edit {
    /// The change to the codings files that applies this edit (`forward`) or undoes it;
    /// None for edits of other files.
    pub fn coding_change(&self, forward: bool) -> Option<Change<'_>> {
        Some(match (self, forward) {
            (Edit::Added(p), true) | (Edit::Removed(p), false) => Change::Add(p),
            (Edit::Added(p), false) | (Edit::Removed(p), true) => Change::Remove(p),
            (Edit::Replaced { old, new }, true) => Change::Replace { old, new },
            (Edit::Replaced { old, new }, false) => Change::Replace { old: new, new: old },
            _ => return None,
        })
    }

    pub fn is_coding(&self) -> bool {
        matches!(
            self,
            Edit::Added(_) | Edit::Removed(_) | Edit::Replaced { .. }
        )
    }
}

/// The undo and redo stacks of one session.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
}

impl History {
    /// A new edit was made: it can be undone, and what was undone before cannot be redone.
    pub fn done(&mut self, edit: Edit) {
        self.undo.push(edit);
        self.redo.clear();
    }

    /// The edit to undo next, taken off its stack; give it back with `undone` or `failed`.
    pub fn take_undo(&mut self) -> Option<Edit> {
        self.undo.pop()
    }

    pub fn take_redo(&mut self) -> Option<Edit> {
        self.redo.pop()
    }

    /// `edit` (from `take_undo`) was undone.
    pub fn undone(&mut self, edit: Edit) {
        self.redo.push(edit);
    }

    /// `edit` (from `take_redo`) was made again.
    pub fn redone(&mut self, edit: Edit) {
        self.undo.push(edit);
    }

    /// Undoing (`forward` false) or redoing `edit` failed: it goes back where it was.
    pub fn failed(&mut self, edit: Edit, forward: bool) {
        if forward {
            self.redo.push(edit);
        } else {
            self.undo.push(edit);
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_edit_clears_what_could_be_redone() {
        let decision = |id: &str| {
            Edit::Review(Decision {
                id: id.into(),
                at: "2026-01-01T00:00:00Z".parse().unwrap(),
                by: "a".into(),
                coders: ["a".into(), "b".into()],
                source: "s".into(),
                paragraph: 1,
                code: "c".into(),
                decision: "kept".into(),
                text: String::new(),
            })
        };
        let mut h = History::default();
        h.done(decision("1"));
        let e = h.take_undo().unwrap();
        h.undone(e);
        assert!(!h.can_undo());
        h.done(decision("2"));
        assert!(h.take_redo().is_none());
        assert!(h.take_undo().is_some());
    }
}
