//! Every write a user makes to a project, through the workspace: one locked, atomic write per
//! action (see `coding::apply_changes`), after which the workspace's own copy of the data is
//! brought in step, so no caller keeps a copy of its own. Undo and redo apply the same edits
//! backwards (`coding::history`).

use std::path::Path;

use crate::coding::book_edit::{self, BookEdit};
use crate::coding::history::Edit;
use crate::coding::{self, Placed, case_edit, framework, memos, review_log};
use crate::corpus::cases::AttrValue;
use crate::corpus::codebook::{Codebook, Level, Valence};
use crate::error::{Error, Result};

use super::Workspace;

/// A code-book or case-sheet edit, as data: what the Codes view, the team view and the CLI
/// ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum BookOp {
    AddCode {
        sibling: String,
        label: String,
        definition: String,
    },
    Rename {
        id: String,
        label: String,
    },
    Define {
        id: String,
        definition: String,
    },
    /// The new code's definition starts with `split_from` and the old code's label.
    Split {
        id: String,
        label: String,
        split_from: String,
    },
    Merge {
        from: String,
        into: String,
    },
    Move {
        id: String,
        level: Level,
        valence: Valence,
    },
    ToggleOnSheet {
        case: String,
        code: String,
    },
    SheetNote {
        case: String,
        note: String,
    },
    /// A new case (focus group).
    NewCase {
        id: String,
    },
    /// Set a case's attributes to exactly these (text as typed: numbers and dates are
    /// read as such), taking away the ones not named.
    SetCaseAttributes {
        id: String,
        attributes: Vec<(String, String)>,
    },
    /// Put a source in a case, or in none.
    AssignCase {
        source: String,
        case: Option<String>,
    },
}

/// What a book edit did, for the status line: the code made (`AddCode`, `Split`), or
/// whether a code went on a sheet (`ToggleOnSheet`).
#[derive(Debug, Clone, PartialEq)]
pub enum BookOutcome {
    Done,
    NewCode(String),
    OnSheet(bool),
}

impl Workspace {
    fn root(&self) -> &Path {
        &self.corpus.root
    }

    /// Add a coding of `start..end` of source `source` (an index into the corpus) by `coder`.
    pub fn add_coding(
        &mut self,
        coder: &str,
        source: usize,
        start: usize,
        end: usize,
        code: &str,
        memo: &str,
    ) -> Result<Edit> {
        let src = self
            .corpus
            .sources
            .get(source)
            .ok_or_else(|| Error::Usage(format!("no source {source}")))?;
        if self.corpus.codebook.code(code).is_none() {
            return Err(Error::Usage(format!(
                "unknown code {code:?}: it is not in the code book (any more); reload (Ctrl-l)"
            )));
        }
        let placed = coding::add(&self.corpus.root, coder, src, start, end, code, memo)?;
        self.codings.codings.push(placed.clone());
        Ok(Edit::Added(placed))
    }

    /// Apply `edit` (`forward`) or undo it, and bring the workspace in step. An undo that
    /// would take away a code the codings use, or write back files someone changed since,
    /// is refused and changes nothing.
    pub fn apply_edit(&mut self, edit: &Edit, forward: bool) -> Result<()> {
        match edit {
            Edit::Book(e) => {
                if !forward {
                    self.refuse_losing_codes(e)?;
                }
                let done = if forward { e.redo() } else { e.undo() };
                // A case assignment is in a source's front matter: read the sources again.
                let sources = self.corpus.root.join("sources");
                if e.before.files.keys().any(|p| p.starts_with(&sources)) {
                    self.reload(true);
                } else {
                    self.reload_project_files();
                }
                done
            }
            Edit::Group(edits) => {
                let ordered: Vec<&Edit> = if forward {
                    edits.iter().collect()
                } else {
                    edits.iter().rev().collect()
                };
                // The group's codings change in one write; its other parts (the review
                // log) follow.
                let (codings, others): (Vec<&Edit>, Vec<&Edit>) =
                    ordered.into_iter().partition(|e| e.is_coding());
                let changes: Vec<coding::Change> = codings
                    .iter()
                    .filter_map(|e| e.coding_change(forward))
                    .collect();
                if !changes.is_empty() {
                    self.apply_codings(&changes)?;
                }
                for e in others {
                    self.apply_edit(e, forward)?;
                }
                Ok(())
            }
            Edit::Review(decision) => {
                if forward {
                    review_log::restore(self.root(), decision)
                } else {
                    review_log::remove(self.root(), &decision.id)
                }
            }
            Edit::Rejected(rejection) => {
                if forward {
                    crate::suggest::rejected::add(self.root(), rejection.clone())
                } else {
                    crate::suggest::rejected::remove(self.root(), rejection)
                }
            }
            Edit::Memo {
                target,
                author,
                before,
                after,
            } => {
                let memo = if forward { after } else { before };
                memos::restore(self.root(), target, author, memo.as_ref())?;
                self.reload_memos()
            }
            Edit::Summary {
                row,
                column,
                author,
                before,
                after,
            } => {
                let summary = if forward { after } else { before };
                framework::restore(self.root(), row, column, author, summary.as_ref())
            }
            Edit::Added(_) | Edit::Removed(_) | Edit::Replaced { .. } => {
                match edit.coding_change(forward) {
                    Some(change) => self.apply_codings(&[change]),
                    None => Ok(()),
                }
            }
        }
    }

    /// Undoing `edit` would restore a code book without some code that a coding now uses
    /// (made after the edit, here or by another process): refuse, naming them.
    fn refuse_losing_codes(&mut self, edit: &BookEdit) -> Result<()> {
        let path = self.root().join("codebook.toml");
        let Some(Some(before)) = edit.before.files.get(&path) else {
            return Ok(());
        };
        let (old_book, _) = Codebook::parse(&path, before);
        // What is on disk now, not what this process last saw.
        self.reload_codings();
        let mut lost: Vec<&str> = self
            .codings
            .codings
            .iter()
            .map(|c| c.coding.code.as_str())
            .filter(|code| old_book.code(code).is_none())
            .collect();
        lost.sort();
        lost.dedup();
        if lost.is_empty() {
            return Ok(());
        }
        Err(Error::Usage(format!(
            "cannot undo: codings use {} since; remove or recode them first",
            lost.join(", ")
        )))
    }

    /// Write `changes` as one locked write, then bring the in-memory codings in step.
    pub fn apply_codings(&mut self, changes: &[coding::Change]) -> Result<()> {
        coding::apply_changes(&self.corpus.root, changes)?;
        let same = |a: &Placed, b: &Placed| a.coding.id == b.coding.id && a.coder == b.coder;
        for change in changes {
            // A machine's codings (suggestions) are kept apart from people's.
            let machine = match change {
                coding::Change::Add(p) | coding::Change::Remove(p) => {
                    self.codings.is_machine(&p.coder)
                }
                coding::Change::Replace { old, .. } => self.codings.is_machine(&old.coder),
            };
            let codings = if machine {
                &mut self.codings.machine
            } else {
                &mut self.codings.codings
            };
            match change {
                coding::Change::Add(p) => {
                    if !codings.iter().any(|c| same(c, p)) {
                        // Where its file has it (see `coding::creation_place`), so what is
                        // listed in file order stays in it after an undo.
                        let at = codings
                            .iter()
                            .position(|c| {
                                c.coder == p.coder
                                    && c.source == p.source
                                    && coding::comes_after(&c.coding, &p.coding)
                            })
                            .unwrap_or(codings.len());
                        codings.insert(at, (*p).clone());
                    }
                }
                coding::Change::Remove(p) => codings.retain(|c| !same(c, p)),
                coding::Change::Replace { old, new } => {
                    match codings.iter_mut().find(|c| same(c, old)) {
                        Some(c) => *c = (*new).clone(),
                        None => codings.push((*new).clone()),
                    }
                }
            }
        }
        Ok(())
    }

    /// Run a code-book or case-sheet edit; returns it (for undo) and what it did.
    pub fn edit_book(&mut self, op: &BookOp) -> Result<(Edit, BookOutcome)> {
        let root = self.corpus.root.clone();
        let book = &self.corpus.codebook;
        let cases = &self.corpus.cases;
        let result = match op {
            BookOp::AddCode {
                sibling,
                label,
                definition,
            } => book_edit::add_code(&root, book, sibling, label, definition)
                .map(|(e, id)| (e, BookOutcome::NewCode(id))),
            BookOp::Rename { id, label } => {
                book_edit::rename(&root, book, id, label).map(|e| (e, BookOutcome::Done))
            }
            BookOp::Define { id, definition } => {
                book_edit::define(&root, book, id, definition).map(|e| (e, BookOutcome::Done))
            }
            BookOp::Split {
                id,
                label,
                split_from,
            } => book_edit::split_saying(&root, book, id, label, split_from)
                .map(|(e, new)| (e, BookOutcome::NewCode(new))),
            BookOp::Merge { from, into } => {
                book_edit::merge(&root, book, cases, from, into).map(|e| (e, BookOutcome::Done))
            }
            BookOp::Move { id, level, valence } => {
                book_edit::move_code(&root, book, id, *level, *valence)
                    .map(|e| (e, BookOutcome::Done))
            }
            BookOp::ToggleOnSheet { case, code } => {
                book_edit::toggle_on_sheet(&root, cases, case, code)
                    .map(|(e, on)| (e, BookOutcome::OnSheet(on)))
            }
            BookOp::SheetNote { case, note } => {
                book_edit::set_sheet_note(&root, cases, case, note).map(|e| (e, BookOutcome::Done))
            }
            BookOp::NewCase { id } => {
                case_edit::add_case(&root, cases, id, None, &[]).map(|e| (e, BookOutcome::Done))
            }
            BookOp::SetCaseAttributes { id, attributes } => {
                let set: Vec<(String, AttrValue)> = attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), AttrValue::parse(v)))
                    .collect();
                let unset: Vec<String> = cases
                    .get(id)
                    .map(|c| {
                        c.attributes
                            .iter()
                            .map(|(k, _)| k.to_string())
                            .filter(|k| !attributes.iter().any(|(n, _)| n == k))
                            .collect()
                    })
                    .unwrap_or_default();
                case_edit::set_attributes(&root, cases, id, None, &set, &unset)
                    .map(|e| (e, BookOutcome::Done))
            }
            BookOp::AssignCase { source, case } => {
                case_edit::assign(&root, &self.corpus, source, case.as_deref())
                    .map(|e| (e, BookOutcome::Done))
            }
        };
        if matches!(op, BookOp::AssignCase { .. }) {
            // The source's front matter changed: read the sources again.
            self.reload(true);
            return result.map(|(e, outcome)| (Edit::Book(e), outcome));
        }
        // Done or refused, show what is on disk now: a stale copy is the usual refusal.
        self.reload_project_files();
        result.map(|(e, outcome)| (Edit::Book(e), outcome))
    }

    /// Save `author`'s memo on `target` (empty text removes it).
    pub fn set_memo(&mut self, target: &str, author: &str, text: &str) -> Result<Edit> {
        let before = memos::set(&self.corpus.root, target, author, text)?;
        self.reload_memos()?;
        let after = self
            .corpus
            .memos
            .of(target)
            .find(|m| m.author == author)
            .cloned();
        Ok(Edit::Memo {
            target: target.to_string(),
            author: author.to_string(),
            before,
            after,
        })
    }

    /// Write `author`'s summary of a framework cell (`row` is `case:ID`/`source:ID`,
    /// `column` `code:ID`/`level:NAME`; empty text removes it), one locked atomic write.
    pub fn set_summary(
        &mut self,
        row: &str,
        column: &str,
        author: &str,
        text: &str,
    ) -> Result<Edit> {
        let before = framework::set(self.root(), row, column, author, text)?;
        let after = framework::load(self.root())?
            .of(row, column)
            .find(|s| s.author == author)
            .cloned();
        Ok(Edit::Summary {
            row: row.to_string(),
            column: column.to_string(),
            author: author.to_string(),
            before,
            after,
        })
    }

    /// Add a decision to the review log.
    pub fn log_decision(&mut self, decision: review_log::Decision) -> Result<Edit> {
        review_log::append(&self.corpus.root, decision).map(Edit::Review)
    }

    pub fn review_log(&self) -> Result<review_log::ReviewLog> {
        review_log::load(&self.corpus.root)
    }

    fn reload_memos(&mut self) -> Result<()> {
        self.corpus.memos = memos::load(&self.corpus.root)?;
        Ok(())
    }
}
