//! Carrying out what pages and popups ask for (`pages::Command`): opening a source, showing
//! a popup, and every write — through the workspace, one atomic write per action, kept in
//! the history for undo. After a write, what the pages computed from the data is recomputed.

use crate::coding::history::Edit;
use crate::coding::review_log::Decision;
use crate::export::citation;
use crate::workspace::{BookOp, BookOutcome};

use super::action::ViewId;
use super::app::{App, Effect};
use super::layout;
use super::pages::Command;
use super::popups::{PassageItem, Popup};

impl App {
    pub(super) fn run(&mut self, commands: Vec<Command>) {
        for command in commands {
            self.run_one(command);
        }
    }

    fn run_one(&mut self, command: Command) {
        let writes = matches!(
            command,
            Command::AddCoding { .. }
                | Command::Record(..)
                | Command::Book(_)
                | Command::SetMemo { .. }
                | Command::SetSummary { .. }
                | Command::SettleAs(_)
                | Command::KeepDifference
                | Command::AcceptReview(_)
                | Command::AcceptSuggestion(_)
                | Command::RejectSuggestion(_)
        );
        let before = writes.then(|| (self.before_write(), self.selected_source_id()));
        self.carry_out(command);
        if let Some((stamp, selected)) = before {
            self.after_write(stamp, selected);
        }
    }

    fn carry_out(&mut self, command: Command) {
        match command {
            Command::Info(text) => self.info(text),
            Command::Error(text) => self.error(text),
            Command::Popup(p) => self.popup = Some(p),
            Command::Show(view) => {
                self.view = view;
                self.ensure_page();
            }
            Command::Open { source, at } => {
                // Every caller has the index from this corpus; still, a wrong one must not
                // panic.
                if source >= self.ws.corpus.sources.len() {
                    return;
                }
                self.view = ViewId::Documents;
                self.docs.open(&self.ws.corpus.sources[source], source, at);
                self.sync_reader();
                if let Some(r) = self.docs.reader.as_mut() {
                    r.show_context();
                }
            }
            Command::Cite {
                source,
                start,
                end,
                append,
            } => self.cite(source, start, end, append),
            Command::Search => self.request_search(),
            Command::OpenEvidence => self.open_evidence(),
            Command::AskEvidence => self.ask_evidence(),
            Command::KeepEvidence(state) => self.keep_evidence(state),
            Command::SetCodeFilter(code) => {
                self.search.filters.code = Some(code);
                self.request_search();
            }
            Command::CodePassages { code, case } => self.code_passages(code, case),
            Command::AddCoding {
                source,
                start,
                end,
                code,
                memo,
            } => {
                let coder = self.ws.config.coder.clone();
                match self.ws.add_coding(&coder, source, start, end, &code, &memo) {
                    Ok(edit) => {
                        self.history.done(edit);
                        if let Some(r) = self.docs.reader.as_mut() {
                            r.anchor = None;
                        }
                        self.info(self.msg().saved);
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
            Command::Record(edit, done) => self.record(edit, &done),
            Command::Book(op) => self.book(op),
            Command::SetMemo { target, text } => {
                let author = self.ws.config.coder.clone();
                match self.ws.set_memo(&target, &author, &text) {
                    Ok(edit) => {
                        self.history.done(edit);
                        self.info(self.msg().memo_saved);
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
            Command::SetSummary { row, column, text } => {
                let author = self.ws.config.coder.clone();
                match self.ws.set_summary(&row, &column, &author, &text) {
                    Ok(edit) => {
                        self.history.done(edit);
                        let mm = crate::tui::i18n::methods::methods(self.lang);
                        let done = if text.trim().is_empty() {
                            mm.summary_removed
                        } else {
                            mm.summary_saved
                        };
                        self.info(done);
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
            Command::SettleAs(side) => self.settle(side),
            Command::RememberCoder(name) => self.remember_coder(&name),
            Command::KeepDifference => self.keep_difference(),
            Command::AcceptSuggestion(id) => self.decide_suggestion(&id, true),
            Command::RejectSuggestion(id) => self.decide_suggestion(&id, false),
            Command::AcceptReview(old) => {
                match crate::coding::anchor::accepted(&self.ws.corpus, &old) {
                    Ok(new) => {
                        let new = crate::coding::Placed {
                            coding: new.coding,
                            ..old.clone()
                        };
                        self.record(Edit::Replaced { old, new }, self.msg().saved)
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
        }
    }

    /// The disk stamp before an own write; see `after_write`.
    fn before_write(&self) -> u64 {
        crate::workspace::disk_stamp(&self.ws.corpus.root)
    }

    /// After an own write: when the disk had already changed under us before it, another
    /// process wrote too, so read everything again; otherwise only note the new stamp.
    /// What the pages computed from the data is computed again either way.
    fn after_write(&mut self, stamp_before: u64, selected: Option<String>) {
        // An edit of a source's front matter (a case assigned, or its undo) made the
        // workspace read the sources again: the tree and the reader follow.
        if self.ws.sources_read != self.sources_seen {
            return self.follow_workspace(selected);
        }
        if stamp_before == self.disk_stamp {
            self.disk_stamp = crate::workspace::disk_stamp(&self.ws.corpus.root);
            self.data_changed();
        } else {
            self.reload(false, false);
        }
        self.codes.book_changed(&self.ws);
    }

    fn record(&mut self, edit: Edit, done: &str) {
        match self.ws.apply_edit(&edit, true) {
            Ok(()) => {
                self.history.done(edit);
                self.info(done.to_string());
            }
            Err(e) => {
                self.error(e.to_string());
            }
        }
    }

    pub(super) fn undo(&mut self) {
        let (stamp, selected) = (self.before_write(), self.selected_source_id());
        self.undo_one();
        self.after_write(stamp, selected);
    }

    pub(super) fn redo(&mut self) {
        let (stamp, selected) = (self.before_write(), self.selected_source_id());
        self.redo_one();
        self.after_write(stamp, selected);
    }

    fn undo_one(&mut self) {
        let Some(edit) = self.history.take_undo() else {
            return self.info(self.msg().nothing_to_undo);
        };
        match self.ws.apply_edit(&edit, false) {
            Ok(()) => {
                self.history.undone(edit);
                self.info(self.msg().undone);
            }
            Err(e) => {
                self.history.failed(edit, false);
                self.error(e.to_string());
            }
        }
    }

    fn redo_one(&mut self) {
        let Some(edit) = self.history.take_redo() else {
            return self.info(self.msg().nothing_to_redo);
        };
        match self.ws.apply_edit(&edit, true) {
            Ok(()) => {
                self.history.redone(edit);
                self.info(self.msg().redone);
            }
            Err(e) => {
                self.history.failed(edit, true);
                self.error(e.to_string());
            }
        }
    }

    /// The first-run answer to "who is coding": remembered in the user's own config
    /// (never the project's, which is shared), and the active coder from now on.
    fn remember_coder(&mut self, name: &str) {
        if let Err(m) = crate::corpus::source::validate_id(name) {
            return self.error(format!("{}: {m}", self.msg().coder));
        }
        match crate::config::remember_coder(name) {
            Ok(path) => {
                self.ws.config.coder = name.to_string();
                self.configured_coder = name.to_string();
                self.info(format!(
                    "{}: {name} ({})",
                    self.msg().active_coder,
                    path.display()
                ));
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Ask who is coding when nobody said (first run): a prompt over the first page.
    pub fn ask_coder(&mut self) {
        let purpose = super::popups::PromptPurpose::Coder;
        // The login name is a fair guess to confirm; "onbekend" is none.
        let name = match self.ws.config.coder_from {
            crate::config::CoderFrom::Login => self.ws.config.coder.clone(),
            _ => String::new(),
        };
        self.popup = Some(Popup::prompt(self.msg().who_codes, name, purpose));
    }

    fn book(&mut self, op: BookOp) {
        let what = describe(&op);
        match self.ws.edit_book(&op) {
            Ok((edit, outcome)) => {
                self.history.done(edit);
                let what = match outcome {
                    BookOutcome::NewCode(id) if matches!(op, BookOp::AddCode { .. }) => {
                        format!("+ {id}")
                    }
                    BookOutcome::NewCode(id) => format!("{what} → + {id}"),
                    BookOutcome::OnSheet(on) => {
                        let (case, code) = match &op {
                            BookOp::ToggleOnSheet { case, code } => (case.as_str(), code.as_str()),
                            _ => ("", ""),
                        };
                        format!("{case} {} {code}", if on { '+' } else { '−' })
                    }
                    BookOutcome::Done => what,
                };
                self.info(what);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn cite(&mut self, source: usize, start: usize, end: usize, append: bool) {
        let src = self.source(source);
        let mut text = citation::cite(&self.ws.corpus, src, start, end);
        if !append {
            self.effects.push(Effect::Clipboard(text));
            return self.info(self.msg().copied);
        }
        // The citations file also keeps the memos on the passage's source and case.
        let memos = citation::memo_lines(&self.ws.corpus, src, start, end);
        if !memos.is_empty() {
            text.push('\n');
            text.push_str(&memos);
        }
        let path = self.citations_file.clone();
        let mut contents = std::fs::read_to_string(&path).unwrap_or_default();
        if !contents.is_empty() && !contents.ends_with("\n\n") {
            contents.push('\n');
        }
        contents.push_str(&text);
        match crate::atomic::write(&path, contents.as_bytes()) {
            Ok(()) => self.info(format!("{} {}", self.msg().appended, path.display())),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// The passages coded with code `code` (an index into the code book), in a popup.
    fn code_passages(&mut self, code: usize, case: Option<String>) {
        // An empty code book has no selected code (Enter in an empty Codes page).
        let Some(code) = self.ws.corpus.codebook.codes.get(code).cloned() else {
            return;
        };
        let corpus = &self.ws.corpus;
        let mut items = Vec::new();
        // What the rib counted: live codings of the coders shown.
        let shown = self.shown_coder.as_deref();
        for placed in self.ws.codings.codings.iter().filter(|c| {
            c.coding.code == code.id
                && !c.coding.orphaned
                && shown.is_none_or(|coder| c.coder == coder)
        }) {
            let Some(source) = corpus.source_index(&placed.source) else {
                continue;
            };
            let src = &corpus.sources[source];
            if case.is_some()
                && corpus.case_of_span(src, placed.coding.start, placed.coding.end)
                    != case.as_deref()
            {
                continue;
            }
            items.push(PassageItem {
                source,
                start: placed.coding.start,
                end: placed.coding.end,
                label: format!(
                    "{} · {}: {}",
                    src.meta.title, placed.coder, placed.coding.quote
                ),
            });
        }
        self.popup = Some(Popup::Passages {
            title: code.label,
            items,
            selected: 0,
        });
    }

    /// Settle the selected disagreement the way coder `side` (0: left, 1: right) coded it:
    /// copy their coding to the other coder, or take the other coder's coding away. Saved
    /// like any coding (undoable, as one), the copy's memo saying who settled it.
    fn settle(&mut self, side: usize) {
        let (Some(item), Some((a, b))) = (
            self.review.selected_disagreement(),
            self.review.pair.clone(),
        ) else {
            return;
        };
        let coders = [a, b];
        let other = 1 - side;
        let who = self.ws.config.coder.clone();
        let Some(index) = self.ws.corpus.source_index(&item.source) else {
            return;
        };
        let m = self.msg();
        let mut done: Vec<Edit> = Vec::new();
        let mut result = Ok(());
        let decision = if item.codings[side].is_empty() {
            for placed in &item.codings[other] {
                let edit = Edit::Removed(placed.clone());
                match self.ws.apply_edit(&edit, true) {
                    Ok(()) => done.push(edit),
                    Err(e) => result = Err(e),
                }
            }
            format!(
                "removed {}'s coding, as {} coded it",
                coders[other], coders[side]
            )
        } else {
            for placed in &item.codings[side] {
                let memo = format!(
                    "{} {who}: {} {}. {}",
                    m.review_by, m.accepted_coding_of, coders[side], placed.coding.memo
                );
                let c = &placed.coding;
                match self.ws.add_coding(
                    &coders[other],
                    index,
                    c.start,
                    c.end,
                    &c.code,
                    memo.trim(),
                ) {
                    Ok(edit) => done.push(edit),
                    Err(e) => result = Err(e),
                }
            }
            format!("accepted {}'s coding for {}", coders[side], coders[other])
        };
        if result.is_ok() {
            result = self
                .ws
                .log_decision(decision_on(&self.ws, &item, &coders, &who, decision))
                .map(|d| done.push(d));
        }
        if !done.is_empty() {
            self.history.done(Edit::Group(done));
        }
        match result {
            Ok(()) => self.info(self.msg().resolved),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Accept (or reject) the machine's suggestion `id` as the active coder; undoable.
    fn decide_suggestion(&mut self, id: &str, accept: bool) {
        let who = self.ws.config.coder.clone();
        let result = if accept {
            self.ws.accept_suggestion(id, &who)
        } else {
            self.ws.reject_suggestion(id, &who)
        };
        match result {
            Ok(edit) => {
                self.history.done(edit);
                let m = self.msg();
                self.info(if accept {
                    m.suggestion_accepted
                } else {
                    m.suggestion_rejected
                });
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Keep the selected disagreement as a deliberate difference: only the log changes.
    fn keep_difference(&mut self) {
        let (Some(item), Some((a, b))) = (
            self.review.selected_disagreement(),
            self.review.pair.clone(),
        ) else {
            return;
        };
        let who = self.ws.config.coder.clone();
        let decision = decision_on(
            &self.ws,
            &item,
            &[a, b],
            &who,
            "kept as a difference".into(),
        );
        match self.ws.log_decision(decision) {
            Ok(edit) => {
                self.history.done(edit);
                self.info(self.msg().kept_difference);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// A click: a tab, a tree row, a place in the reader, a result, a code.
    pub(super) fn click(&mut self, x: u16, y: u16) {
        if y == 0 {
            let widths = super::view::tab_widths(self, self.size);
            if let Some(view) = layout::tab_at(x, &widths) {
                self.update(super::action::Action::Show(view));
            }
            return;
        }
        match self.view {
            ViewId::Documents => {
                let tree = if layout::has_tree(self.size) {
                    layout::tree_area(self.size)
                } else {
                    layout::main_area(self.size)
                };
                if self.docs.tree_shown(self.size) && x < tree.x + tree.width {
                    let row = (y.saturating_sub(tree.y + 1)) as usize;
                    let visible = tree.height.saturating_sub(2) as usize;
                    let first = self.docs.selected.saturating_sub(visible.saturating_sub(1));
                    if first + row < self.docs.tree.len() {
                        self.docs.selected = first + row;
                        self.docs.focus = super::pages::documents::DocsFocus::Tree;
                        self.update(super::action::Action::Enter);
                    }
                    return;
                }
                let area = layout::reader_text_area(self.size, self.view_has_tree());
                if x < area.x || y < area.y || y >= area.y + area.height {
                    return;
                }
                if let Some(reader) = self.docs.reader.as_mut() {
                    reader.click((y - area.y) as usize, (x - area.x) as usize);
                    self.docs.focus = super::pages::documents::DocsFocus::Reader;
                }
            }
            ViewId::Search => {
                let rows = super::view::search::filter_rows(self, self.size);
                let list = layout::results_area(self.size, rows);
                if y <= 2 {
                    self.search.editing = true;
                } else if y > list.y && y < list.y + list.height {
                    let row = (y - list.y - 1) as usize / 2;
                    if row < self.search.results.len() {
                        self.search.selected = row;
                        self.search.editing = false;
                    }
                }
            }
            ViewId::Codes => {
                let rows = self.codes_rows();
                let main = layout::main_area(self.size);
                let visible = main.height.saturating_sub(2) as usize;
                let selected_line = rows
                    .iter()
                    .position(|r| *r == Some(self.codes.selected))
                    .unwrap_or(0);
                let first = selected_line.saturating_sub(visible.saturating_sub(1));
                let line = first + y.saturating_sub(main.y + 1) as usize;
                if let Some(Some(code)) = rows.get(line) {
                    self.codes.selected = *code;
                }
            }
            ViewId::Saturation => {
                // A click on a bar selects its unit.
                let main = layout::main_area(self.size);
                let steps = self.saturation.assessment().map_or(0, |s| s.steps.len());
                let width = main.width.saturating_sub(2) as usize;
                let (cw, first, _) =
                    super::view::saturation::columns(steps, self.saturation.selected, width);
                let left = (main.x + 1) as usize + super::view::saturation::AXIS;
                if let Some(dx) = (x as usize).checked_sub(left)
                    && first + dx / cw < steps
                {
                    self.saturation.selected = first + dx / cw;
                }
            }
            ViewId::Fishbone | ViewId::Matrix | ViewId::Review => {}
        }
    }
}

fn decision_on(
    ws: &crate::workspace::Workspace,
    item: &crate::analysis::agreement::Disagreement,
    coders: &[String; 2],
    by: &str,
    decision: String,
) -> Decision {
    let text = ws
        .corpus
        .source(&item.source)
        .and_then(|s| s.slice(item.start, item.end))
        .map_or(String::new(), |t| crate::coding::review_log::opening(&t));
    Decision {
        text,
        id: String::new(),
        at: "1970-01-01T00:00:00Z".parse().expect("a datetime"),
        by: by.to_string(),
        coders: coders.clone(),
        source: item.source.clone(),
        paragraph: item.ordinal,
        code: item.code.clone(),
        decision,
    }
}

/// The status line after a book edit.
fn describe(op: &BookOp) -> String {
    match op {
        BookOp::AddCode { label, .. } => format!("+ {label}"),
        BookOp::Rename { id, label } => format!("{id}: {label}"),
        BookOp::Define { id, .. } | BookOp::Split { id, .. } => id.clone(),
        BookOp::Merge { from, into } => format!("{from} → {into}"),
        BookOp::Move { id, level, valence } => {
            format!("{id}: {} {}", level.as_str(), valence.glyph())
        }
        BookOp::ToggleOnSheet { case, code } => format!("{case} {code}"),
        BookOp::SheetNote { case, .. } | BookOp::NewCase { id: case } => case.clone(),
        BookOp::SetCaseAttributes { id, attributes } => {
            let list: Vec<String> = attributes.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{id}: {}", list.join(", "))
        }
        BookOp::AssignCase { source, case } => {
            format!("{source} → {}", case.as_deref().unwrap_or("-"))
        }
    }
}
