//! The TUI's state, as plain data, and `update`: the one place where it changes. Domain work
//! (saving a coding, undoing it) calls the same library functions as the CLI; slow work
//! (search) leaves as an `Effect` for the runtime to run off the UI thread.

use std::path::PathBuf;

use crate::coding::{self, Coding, Placed, book_edit};
use crate::corpus::codebook::{Level, Valence};
use crate::corpus::source::{Source, SourceKind};
use crate::error::Result;
use crate::export::citation;
use crate::index::search::{Hit, Request};
use crate::workspace::Workspace;

use super::action::{Action, Filter, InputMode, ViewId};
use super::i18n::{self, Lang, Messages};
use super::layout;
use super::text::{self, Unit, WrappedLine};

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

#[derive(Debug, Clone, PartialEq)]
pub struct Reader {
    pub source: usize,
    /// Char offset of the cursor in the body.
    pub cursor: usize,
    /// Where a selection started (`v`), if one is being made.
    pub anchor: Option<usize>,
    /// First visible wrapped line.
    pub top: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub kind: Option<SourceKind>,
    pub case: Option<String>,
    pub level: Option<Level>,
    pub valence: Option<Valence>,
    pub coder: Option<String>,
    pub quotes: bool,
    pub speaker: Option<String>,
    pub code: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchState {
    pub query: String,
    pub editing: bool,
    pub filters: Filters,
    pub results: Vec<Hit>,
    pub selected: usize,
    /// Bumped by every change of query or filters; results of older requests are dropped.
    pub generation: u64,
    pub pending: bool,
    pub error: Option<String>,
}

/// Which matrix the Matrix view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatrixKind {
    #[default]
    LevelByCase,
    CoOccurrence,
}

/// The Matrix view: which table, the selected cell, and the table itself (computed when the
/// view opens and after every change to the codings, not per frame).
#[derive(Debug, Clone, Default)]
pub struct MatrixState {
    pub kind: MatrixKind,
    pub row: usize,
    pub col: usize,
    pub data: Option<crate::analysis::matrix::Matrix>,
}

/// The Review view: two coders' disagreements, one at a time (computed on entering the view
/// and after every change to the codings).
#[derive(Debug, Clone, Default)]
pub struct ReviewState {
    /// The coder compared with the active one (`f` picks another).
    pub partner: Option<String>,
    pub pair: Option<(String, String)>,
    pub items: Option<Vec<crate::analysis::agreement::Disagreement>>,
    /// Per item: a decision in the review log says it was kept as a difference.
    pub kept: Vec<bool>,
    pub selected: usize,
}

#[derive(Debug, Clone, Default)]
pub struct FishboneState {
    /// Index into `Level::ALL`.
    pub level: usize,
    /// Index into the bone's codes (bevorderend first, then belemmerend).
    pub code: usize,
    pub case: Option<String>,
    /// The counts for `case` as last computed: counting reads every coded source, too much
    /// for every frame of a large corpus.
    pub counts: Option<(Option<String>, crate::analysis::fishbone::Diagram)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PassageItem {
    pub source: usize,
    pub start: usize,
    pub end: usize,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PickPurpose {
    Add {
        source: usize,
        start: usize,
        end: usize,
    },
    Recode(Placed),
    /// Choose the search's code filter.
    Filter,
    /// Merge the code `from` into the one picked.
    Merge {
        from: String,
    },
    /// Put the code picked on `case`'s own fishbone sheet (the Visgraat view's team view).
    PutOnSheet {
        case: String,
    },
}

/// What a one-line text prompt is for.
#[derive(Debug, Clone, PartialEq)]
pub enum PromptPurpose {
    NewCodeLabel {
        sibling: String,
    },
    NewCodeDefinition {
        sibling: String,
        label: String,
    },
    Rename {
        id: String,
    },
    Define {
        id: String,
    },
    Split {
        id: String,
    },
    /// The note on a case's own fishbone sheet.
    SheetNote {
        case: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum MemoPurpose {
    New {
        source: usize,
        start: usize,
        end: usize,
        code: String,
    },
    Edit(Placed),
    /// The active coder's memo on a code, source or case (`code:ID`, …).
    Target(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    CodePicker {
        filter: String,
        selected: usize,
        purpose: PickPurpose,
    },
    Memo {
        text: String,
        purpose: MemoPurpose,
    },
    Passages {
        title: String,
        items: Vec<PassageItem>,
        selected: usize,
    },
    Prompt {
        title: String,
        text: String,
        purpose: PromptPurpose,
    },
    /// The corpus's problems and orphaned codings (`!`).
    Problems {
        selected: usize,
    },
}

/// One line of the problems list; orphaned codings can be opened where they were.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemItem {
    pub label: String,
    pub at: Option<(usize, usize)>,
}

/// A change to the codings, kept for undo and redo.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Added(Placed),
    Removed(Placed),
    Replaced {
        old: Placed,
        new: Placed,
    },
    /// A code-book or case-sheet edit: the files before and after.
    Book(crate::coding::book_edit::BookEdit),
    /// Several edits made as one (a settled disagreement); undone together.
    Group(Vec<Edit>),
    /// A decision in the review log.
    Review(crate::coding::review_log::Decision),
    /// A memo on a code, source or case: before and after (None: no memo).
    Memo {
        target: String,
        author: String,
        before: Option<crate::coding::memos::Memo>,
        after: Option<crate::coding::memos::Memo>,
    },
}

/// Work for the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Search { generation: u64, request: Request },
    Clipboard(String),
}

pub struct App {
    pub ws: Workspace,
    pub lang: Lang,
    pub view: ViewId,
    pub help: bool,
    /// A status message; true when it reports an error.
    pub message: Option<(String, bool)>,
    pub size: (u16, u16),
    pub tree: Vec<TreeRow>,
    pub tree_selected: usize,
    pub docs_focus: DocsFocus,
    pub reader: Option<Reader>,
    pub search: SearchState,
    pub fishbone: FishboneState,
    pub matrix: MatrixState,
    pub review: ReviewState,
    /// Whose codings the reader shows: one coder, or everyone's (None).
    pub shown_coder: Option<String>,
    /// The coder named in config.toml (the active coder can be switched away and back).
    pub configured_coder: String,
    pub codes_selected: usize,
    /// The case whose own fishbone sheet `S` edits in the Codes view.
    pub codes_case: Option<String>,
    pub popup: Option<Popup>,
    pub undo: Vec<Edit>,
    pub redo: Vec<Edit>,
    pub effects: Vec<Effect>,
    pub quit: bool,
    pub citations_file: PathBuf,
    pub color: bool,
    /// Every speaker of the corpus's transcripts, for the speaker filter (gathered on first
    /// use: it means reading every transcript's turns).
    pub speakers: Option<Vec<String>>,
    /// `workspace::disk_stamp` as of the last load or own write: the runtime compares it with
    /// the disk to notice other processes' changes.
    pub disk_stamp: u64,
    /// How far the index worker is: searches wait until it is ready.
    pub index: crate::tui::indexer::IndexState,
}

impl App {
    pub fn new(ws: Workspace, size: (u16, u16), color: bool) -> App {
        let lang = Lang::from_config(&ws.config.language);
        let mut tree = Vec::new();
        for kind in SourceKind::ALL {
            let mut ids: Vec<usize> = (0..ws.corpus.sources.len())
                .filter(|&i| ws.corpus.sources[i].meta.kind == kind)
                .collect();
            if ids.is_empty() {
                continue;
            }
            // Sources of a case first, grouped under it; then the rest, in document order.
            ids.sort_by_key(|&i| {
                let meta = &ws.corpus.sources[i].meta;
                (
                    meta.case.is_none(),
                    meta.case.clone(),
                    first_line(&meta.provenance),
                    meta.title.clone(),
                )
            });
            tree.push(TreeRow::Kind(kind));
            let mut current_case: Option<String> = None;
            for i in ids {
                let case = ws.corpus.sources[i].meta.case.clone();
                if case.is_some() && case != current_case {
                    tree.push(TreeRow::Case(case.clone().unwrap_or_default()));
                }
                current_case = case;
                tree.push(TreeRow::Source(i));
            }
        }
        let citations_file = ws
            .config
            .corpus
            .parent()
            .map_or_else(|| PathBuf::from("citations.md"), |p| p.join("citations.md"));
        let orphaned = ws
            .codings
            .codings
            .iter()
            .filter(|c| c.coding.orphaned)
            .count();
        let message = (!ws.problems.is_empty() || orphaned > 0).then(|| {
            if ws.problems.is_empty() {
                return (
                    format!("{orphaned} {}", i18n::messages(lang).orphaned),
                    true,
                );
            }
            (
                format!(
                    "{} {} ({})",
                    ws.problems.len(),
                    i18n::messages(lang).problems,
                    ws.problems[0]
                ),
                true,
            )
        });
        let configured_coder = ws.config.coder.clone();
        App {
            speakers: None,
            disk_stamp: crate::workspace::disk_stamp(&ws.corpus.root),
            index: crate::tui::indexer::IndexState::Ready,
            ws,
            lang,
            view: ViewId::Documents,
            help: false,
            message,
            size,
            tree_selected: tree
                .iter()
                .position(|r| matches!(r, TreeRow::Source(_)))
                .unwrap_or(0),
            tree,
            docs_focus: DocsFocus::Tree,
            reader: None,
            search: SearchState::default(),
            fishbone: FishboneState::default(),
            matrix: MatrixState::default(),
            review: ReviewState::default(),
            shown_coder: None,
            configured_coder,
            codes_selected: 0,
            codes_case: None,
            popup: None,
            undo: Vec::new(),
            redo: Vec::new(),
            effects: Vec::new(),
            quit: false,
            citations_file,
            color,
        }
    }

    /// The coders who have codings in this corpus, sorted.
    fn coder_names(&self) -> Vec<String> {
        self.ws
            .codings
            .coders()
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// The transcripts' speakers, sorted (see `speakers`).
    pub fn speakers(&mut self) -> &[String] {
        let corpus = &self.ws.corpus;
        self.speakers.get_or_insert_with(|| {
            let mut speakers: Vec<String> = corpus
                .sources
                .iter()
                .filter(|s| s.meta.kind == SourceKind::Transcript)
                .flat_map(|s| s.segments().into_iter().filter_map(|seg| seg.speaker))
                .collect();
            speakers.sort();
            speakers.dedup();
            speakers
        })
    }

    pub fn msg(&self) -> &'static Messages {
        i18n::messages(self.lang)
    }

    pub fn input_mode(&self) -> InputMode {
        match &self.popup {
            Some(Popup::CodePicker { .. } | Popup::Memo { .. } | Popup::Prompt { .. }) => {
                InputMode::Text
            }
            Some(Popup::Passages { .. } | Popup::Problems { .. }) => InputMode::Normal,
            None if self.view == ViewId::Search && self.search.editing => InputMode::Text,
            None => InputMode::Normal,
        }
    }

    fn info(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), false));
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), true));
    }

    pub fn source(&self, index: usize) -> &Source {
        &self.ws.corpus.sources[index]
    }

    /// The wrapped lines of the open source at the reader's current text width.
    pub fn reader_lines(&self, source: usize) -> Vec<WrappedLine> {
        let width = layout::reader_text_width(self.size, self.view_has_tree());
        lines_of(self.source(source), width)
    }

    pub fn view_has_tree(&self) -> bool {
        layout::has_tree(self.size)
    }

    /// The selected span of the reader, end-exclusive and grapheme-complete.
    pub fn selection(&self) -> Option<(usize, usize)> {
        let r = self.reader.as_ref()?;
        let anchor = r.anchor?;
        let body = &self.source(r.source).body;
        let (a, b) = (anchor.min(r.cursor), anchor.max(r.cursor));
        Some((a, text::grapheme_end(body, b)))
    }

    /// Apply one action.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Resize(..)) {
            self.message = None;
        }
        if let Action::Resize(w, h) = action {
            self.size = (w, h);
            self.keep_cursor_visible();
            return;
        }
        if action == Action::Reload {
            // Whatever has the keyboard, the data under it is brought up to date.
            self.reload_book();
            if self.message.is_none() {
                self.info(self.msg().reloaded);
            }
            return;
        }
        if self.help {
            if matches!(action, Action::ToggleHelp | Action::Back | Action::Quit) {
                self.help = false;
            }
            return;
        }
        if self.popup.is_some() {
            self.update_popup(action);
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::ToggleHelp => self.help = true,
            Action::Problems => self.popup = Some(Popup::Problems { selected: 0 }),
            Action::CycleShownCoder => {
                let coders = self.coder_names();
                self.shown_coder = cycle(&coders, self.shown_coder.clone());
                let shown = self
                    .shown_coder
                    .clone()
                    .unwrap_or_else(|| self.msg().all_coders.to_string());
                self.info(format!("{}: {shown}", self.msg().showing));
            }
            Action::CycleActiveCoder => {
                let mut coders = self.coder_names();
                if !coders.contains(&self.configured_coder) {
                    coders.push(self.configured_coder.clone());
                }
                coders.sort();
                let at = coders
                    .iter()
                    .position(|c| *c == self.ws.config.coder)
                    .map_or(0, |i| (i + 1) % coders.len());
                self.ws.config.coder = coders[at].clone();
                self.review.items = None;
                if self.view == ViewId::Review {
                    self.ensure_review();
                }
                self.info(format!(
                    "{}: {}",
                    self.msg().active_coder,
                    self.ws.config.coder
                ));
            }
            Action::Show(view) => {
                self.view = view;
                if view == ViewId::Matrix {
                    self.ensure_matrix();
                }
                if view == ViewId::Review {
                    self.ensure_review();
                }
                if view == ViewId::Fishbone {
                    self.ensure_fishbone_counts();
                }
                if view == ViewId::Search {
                    self.search.editing = true;
                }
            }
            Action::FocusSearch => {
                self.view = ViewId::Search;
                self.search.editing = true;
            }
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::ToggleFilter(f) => self.toggle_filter(f),
            Action::Click(x, y) => self.click(x, y),
            other => match self.view {
                ViewId::Documents => self.update_documents(other),
                ViewId::Search => self.update_search(other),
                ViewId::Fishbone => self.update_fishbone(other),
                ViewId::Codes => self.update_codes(other),
                ViewId::Matrix => self.update_matrix(other),
                ViewId::Review => self.update_review(other),
            },
        }
    }

    // --- Documents -------------------------------------------------------------------------

    fn update_documents(&mut self, action: Action) {
        if self.docs_focus == DocsFocus::Tree || self.reader.is_none() {
            match action {
                Action::Up | Action::ScrollUp => self.move_tree(-1),
                Action::Down | Action::ScrollDown => self.move_tree(1),
                Action::PageUp => self.move_tree(-10),
                Action::PageDown => self.move_tree(10),
                Action::Top => self.tree_selected = 0,
                Action::Bottom => self.tree_selected = self.tree.len().saturating_sub(1),
                Action::Enter | Action::Right => {
                    if let Some(TreeRow::Source(i)) = self.tree.get(self.tree_selected) {
                        self.open_reader(*i, 0);
                    }
                }
                Action::NextPane if self.reader.is_some() => self.docs_focus = DocsFocus::Reader,
                Action::Memo => {
                    if let Some(TreeRow::Source(i)) = self.tree.get(self.tree_selected) {
                        let target = format!("source:{}", self.source(*i).meta.id);
                        self.edit_memo(target);
                    }
                }
                _ => {}
            }
            return;
        }
        self.update_reader(action);
    }

    fn move_tree(&mut self, delta: isize) {
        let len = self.tree.len() as isize;
        if len == 0 {
            return;
        }
        let mut at = (self.tree_selected as isize + delta).clamp(0, len - 1);
        // Skip kind headers in the direction of travel.
        while let Some(TreeRow::Kind(_) | TreeRow::Case(_)) = self.tree.get(at as usize) {
            let next = at + delta.signum();
            if next < 0 || next >= len {
                break;
            }
            at = next;
        }
        self.tree_selected = at as usize;
    }

    pub fn open_reader(&mut self, source: usize, at: usize) {
        self.view = ViewId::Documents;
        self.docs_focus = DocsFocus::Reader;
        if let Some(row) = self.tree.iter().position(|r| *r == TreeRow::Source(source)) {
            self.tree_selected = row;
        }
        self.reader = Some(Reader {
            source,
            cursor: at,
            anchor: None,
            top: 0,
        });
        self.keep_cursor_visible();
        if let Some(r) = self.reader.as_mut() {
            // Show some context above the target.
            let lines = lines_of(
                &self.ws.corpus.sources[source],
                layout::reader_text_width(self.size, layout::has_tree(self.size)),
            );
            let line = line_of(&lines, at);
            r.top = line.saturating_sub(2);
        }
    }

    fn update_reader(&mut self, action: Action) {
        let Some(reader) = self.reader.clone() else {
            return;
        };
        let body = self.source(reader.source).body.clone();
        let len = body.chars().count();
        let lines = self.reader_lines(reader.source);
        let height = layout::reader_height(self.size);
        let cursor = reader.cursor;
        let new_cursor = match action {
            Action::Left => Some(text::prev(&body, cursor, Unit::Grapheme)),
            Action::Right => {
                Some(text::next(&body, cursor, Unit::Grapheme).min(len.saturating_sub(1)))
            }
            Action::WordNext => {
                Some(text::next(&body, cursor, Unit::Word).min(len.saturating_sub(1)))
            }
            Action::WordPrev => Some(text::prev(&body, cursor, Unit::Word)),
            Action::SentenceNext => {
                Some(text::next(&body, cursor, Unit::Sentence).min(len.saturating_sub(1)))
            }
            Action::SentencePrev => Some(text::prev(&body, cursor, Unit::Sentence)),
            Action::Up => Some(vertical(&lines, cursor, -1)),
            Action::Down => Some(vertical(&lines, cursor, 1)),
            Action::PageUp => Some(vertical(&lines, cursor, -(height as isize - 1))),
            Action::PageDown => Some(vertical(&lines, cursor, height as isize - 1)),
            Action::Top => Some(0),
            Action::Bottom => Some(len.saturating_sub(1)),
            Action::ParagraphNext | Action::ParagraphPrev => {
                let segs = self.source(reader.source).segments();
                let target = if action == Action::ParagraphNext {
                    segs.iter().find(|s| s.start > cursor).map(|s| s.start)
                } else {
                    segs.iter()
                        .rev()
                        .find(|s| s.start < cursor)
                        .map(|s| s.start)
                };
                target.or(Some(cursor))
            }
            Action::NextCoded | Action::PrevCoded => {
                let id = &self.source(reader.source).meta.id;
                let shown = self.shown_coder.as_deref();
                let mut starts: Vec<usize> = self
                    .ws
                    .codings
                    .in_source(id)
                    .filter(|c| shown.is_none_or(|k| c.coder == k))
                    .map(|c| c.coding.start)
                    .collect();
                starts.sort();
                starts.dedup();
                let target = if action == Action::NextCoded {
                    starts.into_iter().find(|&s| s > cursor)
                } else {
                    starts.into_iter().rev().find(|&s| s < cursor)
                };
                target.or(Some(cursor))
            }
            Action::ScrollDown | Action::ScrollUp => {
                if let Some(r) = self.reader.as_mut() {
                    let max_top = lines.len().saturating_sub(1);
                    r.top = if action == Action::ScrollDown {
                        (r.top + 3).min(max_top)
                    } else {
                        r.top.saturating_sub(3)
                    };
                }
                None
            }
            Action::ToggleSelect => {
                if let Some(r) = self.reader.as_mut() {
                    r.anchor = if r.anchor.is_some() {
                        None
                    } else {
                        Some(r.cursor)
                    };
                }
                None
            }
            Action::Back => {
                if reader.anchor.is_some() {
                    if let Some(r) = self.reader.as_mut() {
                        r.anchor = None;
                    }
                } else {
                    self.docs_focus = DocsFocus::Tree;
                }
                None
            }
            Action::NextPane => {
                self.docs_focus = DocsFocus::Tree;
                None
            }
            Action::Code => {
                match self.selection() {
                    Some((start, end)) => {
                        self.popup = Some(Popup::CodePicker {
                            filter: String::new(),
                            selected: 0,
                            purpose: PickPurpose::Add {
                                source: reader.source,
                                start,
                                end,
                            },
                        })
                    }
                    None => self.error(self.msg().select_first),
                }
                None
            }
            Action::Recode | Action::Memo | Action::RemoveCoding => {
                match self.coding_under_cursor() {
                    Some(placed) => match action {
                        Action::Recode => {
                            self.popup = Some(Popup::CodePicker {
                                filter: String::new(),
                                selected: 0,
                                purpose: PickPurpose::Recode(placed),
                            })
                        }
                        Action::Memo => {
                            self.popup = Some(Popup::Memo {
                                text: placed.coding.memo.clone(),
                                purpose: MemoPurpose::Edit(placed),
                            })
                        }
                        _ => self.remove_coding(placed),
                    },
                    None => self.error(self.msg().no_coding_here),
                }
                None
            }
            Action::CopyCitation | Action::AppendCitation => {
                let (start, end) = self.selection().unwrap_or_else(|| {
                    let segs = self.source(reader.source).segments();
                    segs.iter()
                        .find(|s| s.start <= cursor && cursor <= s.end)
                        .map_or((cursor, cursor), |s| (s.start, s.end))
                });
                self.cite(reader.source, start, end, action == Action::AppendCitation);
                None
            }
            _ => None,
        };
        if let Some(mut c) = new_cursor {
            // While selecting, a forward word/sentence/paragraph motion extends the selection
            // to the end of the next unit, not onto the first letter of the one after it.
            if reader.anchor.is_some() && c > cursor {
                let unit = match action {
                    Action::WordNext => Some(Unit::Word),
                    Action::SentenceNext => Some(Unit::Sentence),
                    Action::ParagraphNext => None,
                    _ => Some(Unit::Grapheme),
                };
                if !matches!(unit, Some(Unit::Grapheme)) {
                    let from = skip_spaces(&body, text::grapheme_end(&body, cursor));
                    let next_start = match unit {
                        Some(u) => text::next(&body, from, u),
                        None => self
                            .source(reader.source)
                            .segments()
                            .iter()
                            .find(|s| s.start > from)
                            .map_or(len, |s| s.start),
                    };
                    c = last_visible_before(&body, next_start).max(cursor);
                }
            }
            if let Some(r) = self.reader.as_mut() {
                r.cursor = c.min(len.saturating_sub(1));
            }
            self.keep_cursor_visible();
        }
    }

    fn keep_cursor_visible(&mut self) {
        let Some(r) = self.reader.clone() else {
            return;
        };
        let lines = self.reader_lines(r.source);
        let height = layout::reader_height(self.size).max(1);
        let line = line_of(&lines, r.cursor);
        if let Some(reader) = self.reader.as_mut() {
            if line < reader.top {
                reader.top = line;
            } else if line >= reader.top + height {
                reader.top = line + 1 - height;
            }
        }
    }

    /// The active coder's innermost coding at the cursor.
    pub fn coding_under_cursor(&self) -> Option<Placed> {
        let r = self.reader.as_ref()?;
        let id = &self.source(r.source).meta.id;
        self.ws
            .codings
            .overlapping(id, r.cursor, r.cursor + 1)
            .filter(|c| c.coder == self.ws.config.coder)
            .min_by_key(|c| c.coding.end - c.coding.start)
            .cloned()
    }

    // --- Coding ----------------------------------------------------------------------------

    fn apply(&mut self, edit: &Edit, forward: bool) -> Result<()> {
        if let Edit::Book(e) = edit {
            let done = if forward { e.redo() } else { e.undo() };
            self.reload_book();
            return done;
        }
        if let Edit::Group(edits) = edit {
            if forward {
                for e in edits {
                    self.apply(e, true)?;
                }
            } else {
                for e in edits.iter().rev() {
                    self.apply(e, false)?;
                }
            }
            return Ok(());
        }
        if let Edit::Review(decision) = edit {
            let root = self.ws.corpus.root.clone();
            let done = if forward {
                crate::coding::review_log::restore(&root, decision)
            } else {
                crate::coding::review_log::remove(&root, &decision.id)
            };
            self.review.items = None;
            if self.view == ViewId::Review {
                self.ensure_review();
            }
            return done;
        }
        if let Edit::Memo {
            target,
            author,
            before,
            after,
        } = edit
        {
            let memo = if forward { after } else { before };
            let done =
                crate::coding::memos::restore(&self.ws.corpus.root, target, author, memo.as_ref());
            self.reload_book();
            return done;
        }
        let root = self.ws.corpus.root.clone();
        let (remove, add) = match (edit, forward) {
            (Edit::Added(p), true) => (None, Some(p)),
            (Edit::Added(p), false) => (Some(p), None),
            (Edit::Removed(p), true) => (Some(p), None),
            (Edit::Removed(p), false) => (None, Some(p)),
            (Edit::Replaced { old, new }, true) => (Some(old), Some(new)),
            (Edit::Replaced { old, new }, false) => (Some(new), Some(old)),
            (Edit::Book(_) | Edit::Memo { .. } | Edit::Group(_) | Edit::Review(_), _) => {
                (None, None)
            }
        };
        let stamp = self.before_write();
        let done = self.apply_codings(&root, remove, add);
        self.after_write(stamp);
        done
    }

    fn apply_codings(
        &mut self,
        root: &std::path::Path,
        remove: Option<&Placed>,
        add: Option<&Placed>,
    ) -> Result<()> {
        if let Some(p) = remove {
            coding::remove(root, &p.coder, &p.source, &p.coding.id)?;
            self.ws
                .codings
                .codings
                .retain(|c| !(c.coding.id == p.coding.id && c.coder == p.coder));
        }
        if let Some(p) = add {
            coding::restore(root, &p.coder, &p.source, &p.coding)?;
            self.ws.codings.codings.push(p.clone());
        }
        self.rerun_search_if_filtered();
        Ok(())
    }

    /// The disk stamp before an own write; see `after_write`.
    fn before_write(&self) -> u64 {
        crate::workspace::disk_stamp(&self.ws.corpus.root)
    }

    /// After an own write: when the disk had already changed under us before it, another
    /// process wrote too, so read everything again; otherwise only note the new stamp.
    fn after_write(&mut self, stamp_before: u64) {
        self.matrix.data = None;
        self.fishbone.counts = None;
        if self.view == ViewId::Fishbone {
            self.ensure_fishbone_counts();
        }
        self.review.items = None;
        if self.view == ViewId::Review {
            self.ensure_review();
        }
        if stamp_before == self.disk_stamp {
            self.disk_stamp = crate::workspace::disk_stamp(&self.ws.corpus.root);
        } else {
            self.reload_book();
        }
    }

    fn record(&mut self, edit: Edit, done: &str) {
        match self.apply(&edit, true) {
            Ok(()) => {
                self.undo.push(edit);
                self.redo.clear();
                self.info(done.to_string());
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn add_coding(&mut self, source: usize, start: usize, end: usize, code: &str, memo: &str) {
        let root = self.ws.corpus.root.clone();
        let coder = self.ws.config.coder.clone();
        let stamp = self.before_write();
        let result = coding::add(&root, &coder, self.source(source), start, end, code, memo);
        match result {
            Ok(placed) => {
                self.ws.codings.codings.push(placed.clone());
                self.after_write(stamp);
                self.undo.push(Edit::Added(placed));
                self.redo.clear();
                if let Some(r) = self.reader.as_mut() {
                    r.anchor = None;
                }
                self.rerun_search_if_filtered();
                self.info(self.msg().saved);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn remove_coding(&mut self, placed: Placed) {
        self.record(Edit::Removed(placed), self.msg().removed);
    }

    fn replace_coding(&mut self, old: Placed, coding: Coding) {
        let new = Placed {
            coding,
            ..old.clone()
        };
        self.record(Edit::Replaced { old, new }, self.msg().saved);
    }

    fn undo(&mut self) {
        let Some(edit) = self.undo.pop() else {
            return self.info(self.msg().nothing_to_undo);
        };
        match self.apply(&edit, false) {
            Ok(()) => {
                self.redo.push(edit);
                self.info(self.msg().undone);
            }
            Err(e) => {
                self.undo.push(edit);
                self.error(e.to_string());
            }
        }
    }

    fn redo(&mut self) {
        let Some(edit) = self.redo.pop() else {
            return self.info(self.msg().nothing_to_redo);
        };
        match self.apply(&edit, true) {
            Ok(()) => {
                self.undo.push(edit);
                self.info(self.msg().redone);
            }
            Err(e) => {
                self.redo.push(edit);
                self.error(e.to_string());
            }
        }
    }

    /// Codes matching the picker's filter: every typed char must appear in order in the
    /// code's label, id or level ("fuzzy"), case-insensitive.
    pub fn picker_codes(&self, filter: &str) -> Vec<usize> {
        let needle: Vec<char> = filter
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        self.ws
            .corpus
            .codebook
            .codes
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                let hay = format!(
                    "{} {} {}",
                    c.label,
                    c.id,
                    c.level.map_or("", |l| l.as_str())
                )
                .to_lowercase();
                let mut it = hay.chars();
                needle.iter().all(|n| it.any(|h| h == *n))
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn update_popup(&mut self, action: Action) {
        let Some(popup) = self.popup.take() else {
            return;
        };
        match popup {
            Popup::CodePicker {
                mut filter,
                mut selected,
                purpose,
            } => {
                let matches = self.picker_codes(&filter);
                match action {
                    Action::Back => return,
                    Action::Input(c) => {
                        filter.push(c);
                        selected = 0;
                    }
                    Action::Backspace => {
                        filter.pop();
                        selected = 0;
                    }
                    Action::Up | Action::ScrollUp => selected = selected.saturating_sub(1),
                    Action::Down | Action::ScrollDown => {
                        selected = (selected + 1).min(matches.len().saturating_sub(1))
                    }
                    Action::Enter => {
                        let Some(&code) = matches.get(selected) else {
                            self.popup = Some(Popup::CodePicker {
                                filter,
                                selected,
                                purpose,
                            });
                            return;
                        };
                        let code_id = self.ws.corpus.codebook.codes[code].id.clone();
                        match purpose {
                            PickPurpose::Add { source, start, end } => {
                                self.popup = Some(Popup::Memo {
                                    text: String::new(),
                                    purpose: MemoPurpose::New {
                                        source,
                                        start,
                                        end,
                                        code: code_id,
                                    },
                                });
                            }
                            PickPurpose::Recode(old) => {
                                let coding = Coding {
                                    code: code_id,
                                    ..old.coding.clone()
                                };
                                self.replace_coding(old, coding);
                            }
                            PickPurpose::Filter => {
                                self.search.filters.code = Some(code_id);
                                self.request_search();
                            }
                            PickPurpose::PutOnSheet { case } => {
                                let on = self.ws.corpus.cases.get(&case).is_some_and(|c| {
                                    c.fishbone
                                        .as_ref()
                                        .is_some_and(|s| s.codes.contains(&code_id))
                                });
                                if on {
                                    self.info(self.msg().already_on_sheet);
                                } else {
                                    self.toggle_on_sheet(&case, &code_id);
                                }
                            }
                            PickPurpose::Merge { from } => {
                                let result = book_edit::merge(
                                    &self.ws.corpus.root,
                                    &self.ws.corpus.codebook,
                                    &self.ws.corpus.cases,
                                    &from,
                                    &code_id,
                                );
                                self.book_edit(result.map(|e| (e, format!("{from} → {code_id}"))));
                            }
                        }
                        return;
                    }
                    _ => {}
                }
                self.popup = Some(Popup::CodePicker {
                    filter,
                    selected,
                    purpose,
                });
            }
            Popup::Memo { mut text, purpose } => match action {
                Action::Back => {}
                Action::Input(c) => {
                    text.push(c);
                    self.popup = Some(Popup::Memo { text, purpose });
                }
                Action::Backspace => {
                    text.pop();
                    self.popup = Some(Popup::Memo { text, purpose });
                }
                Action::Enter => match purpose {
                    MemoPurpose::New {
                        source,
                        start,
                        end,
                        code,
                    } => self.add_coding(source, start, end, &code, text.trim()),
                    MemoPurpose::Edit(old) => {
                        let coding = Coding {
                            memo: text.trim().to_string(),
                            ..old.coding.clone()
                        };
                        self.replace_coding(old, coding);
                    }
                    MemoPurpose::Target(target) => self.set_memo(&target, &text),
                },
                _ => self.popup = Some(Popup::Memo { text, purpose }),
            },
            Popup::Prompt {
                title,
                mut text,
                purpose,
            } => match action {
                Action::Back => {}
                Action::Input(c) => {
                    text.push(c);
                    self.popup = Some(Popup::Prompt {
                        title,
                        text,
                        purpose,
                    });
                }
                Action::Backspace => {
                    text.pop();
                    self.popup = Some(Popup::Prompt {
                        title,
                        text,
                        purpose,
                    });
                }
                Action::Enter => self.prompt_done(purpose, text.trim().to_string()),
                _ => {
                    self.popup = Some(Popup::Prompt {
                        title,
                        text,
                        purpose,
                    })
                }
            },
            Popup::Problems { selected } => {
                let count = self.problem_items().len();
                let selected = match action {
                    Action::Back | Action::Problems | Action::Quit => return,
                    Action::Up | Action::ScrollUp => selected.saturating_sub(1),
                    Action::Down | Action::ScrollDown => {
                        (selected + 1).min(count.saturating_sub(1))
                    }
                    Action::Enter => {
                        if let Some((source, start)) =
                            self.problem_items().get(selected).and_then(|p| p.at)
                        {
                            self.open_reader(source, start);
                            return;
                        }
                        selected
                    }
                    _ => selected,
                };
                self.popup = Some(Popup::Problems { selected });
            }
            Popup::Passages {
                title,
                items,
                mut selected,
            } => match action {
                Action::Back => {}
                Action::Up | Action::ScrollUp => {
                    selected = selected.saturating_sub(1);
                    self.popup = Some(Popup::Passages {
                        title,
                        items,
                        selected,
                    });
                }
                Action::Down | Action::ScrollDown => {
                    selected = (selected + 1).min(items.len().saturating_sub(1));
                    self.popup = Some(Popup::Passages {
                        title,
                        items,
                        selected,
                    });
                }
                Action::Enter => {
                    if let Some(item) = items.get(selected) {
                        self.open_reader(item.source, item.start);
                    }
                }
                Action::CopyCitation | Action::AppendCitation => {
                    if let Some(item) = items.get(selected).cloned() {
                        self.cite(
                            item.source,
                            item.start,
                            item.end,
                            action == Action::AppendCitation,
                        );
                    }
                    self.popup = Some(Popup::Passages {
                        title,
                        items,
                        selected,
                    });
                }
                _ => {
                    self.popup = Some(Popup::Passages {
                        title,
                        items,
                        selected,
                    })
                }
            },
        }
    }

    /// The problems list: files that could not be read (file and line), then codings whose
    /// text is gone from their source.
    pub fn problem_items(&self) -> Vec<ProblemItem> {
        // Paths relative to the project: shorter, and what the user sees in the file tree.
        // A corpus given relative to the working directory (`corpus = "corpus"`, run from the
        // project) has an empty parent: nothing to take off (taking off "/" took every slash).
        let project = self
            .ws
            .corpus
            .root
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| format!("{}/", p.display()))
            .unwrap_or_default();
        let mut items: Vec<ProblemItem> = self
            .ws
            .problems
            .iter()
            .map(|p| ProblemItem {
                label: p.to_string().replace(&project, ""),
                at: None,
            })
            .collect();
        for p in self.ws.codings.codings.iter().filter(|c| c.coding.orphaned) {
            let source = self.ws.corpus.source_index(&p.source);
            let quote: String = p.coding.quote.chars().take(60).collect();
            items.push(ProblemItem {
                label: format!(
                    "{} · {}/{} · {} · “{quote}”",
                    self.msg().orphaned_coding,
                    p.coder,
                    p.source,
                    p.coding.code
                ),
                at: source.map(|s| (s, p.coding.start.min(self.source(s).char_len()))),
            });
        }
        items
    }

    // --- Citations ---------------------------------------------------------------------------

    fn cite(&mut self, source: usize, start: usize, end: usize, append: bool) {
        let mut text = citation::cite(&self.ws.corpus, self.source(source), start, end);
        if append {
            // The citations file also keeps the memos on the passage's source and case.
            let memos = citation::memo_lines(&self.ws.corpus, self.source(source), start, end);
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
        } else {
            self.effects.push(Effect::Clipboard(text));
            self.info(self.msg().copied);
        }
    }

    // --- Search ------------------------------------------------------------------------------

    fn update_search(&mut self, action: Action) {
        if self.search.editing {
            match action {
                Action::Input(c) => {
                    self.search.query.push(c);
                    self.request_search();
                }
                Action::Backspace => {
                    self.search.query.pop();
                    self.request_search();
                }
                Action::Down | Action::NextPane | Action::Enter => self.search.editing = false,
                Action::Back => self.search.editing = false,
                _ => {}
            }
            return;
        }
        let len = self.search.results.len();
        match action {
            Action::Up | Action::ScrollUp => {
                if self.search.selected == 0 {
                    self.search.editing = true;
                } else {
                    self.search.selected -= 1;
                }
            }
            Action::Down | Action::ScrollDown => {
                self.search.selected = (self.search.selected + 1).min(len.saturating_sub(1))
            }
            Action::PageDown => {
                self.search.selected = (self.search.selected + 10).min(len.saturating_sub(1))
            }
            Action::PageUp => self.search.selected = self.search.selected.saturating_sub(10),
            Action::Top => self.search.selected = 0,
            Action::Bottom => self.search.selected = len.saturating_sub(1),
            Action::NextPane | Action::Back => self.search.editing = true,
            Action::Enter => {
                if let Some(hit) = self.search.results.get(self.search.selected).cloned()
                    && let Some(i) = self.ws.corpus.source_index(&hit.source)
                {
                    self.open_reader(i, hit.start as usize);
                }
            }
            Action::CopyCitation | Action::AppendCitation => {
                if let Some(hit) = self.search.results.get(self.search.selected).cloned()
                    && let Some(i) = self.ws.corpus.source_index(&hit.source)
                {
                    self.cite(
                        i,
                        hit.start as usize,
                        hit.end as usize,
                        action == Action::AppendCitation,
                    );
                }
            }
            _ => {}
        }
    }

    pub fn search_request(&self) -> Request {
        let f = &self.search.filters;
        Request {
            query: self.search.query.clone(),
            kind: f.kind,
            case: f.case.clone(),
            speaker: f.speaker.clone(),
            voice: None,
            level: f.level,
            valence: f.valence,
            code: f.code.clone(),
            coder: f.coder.clone(),
            quotes: f.quotes,
            codes: false,
            memos: false,
            limit: 100,
        }
    }

    fn request_search(&mut self) {
        self.search.generation += 1;
        self.search.selected = 0;
        if self.search.query.trim().is_empty() {
            self.search.results.clear();
            self.search.pending = false;
            self.search.error = None;
            return;
        }
        self.search.pending = true;
        self.effects.push(Effect::Search {
            generation: self.search.generation,
            request: self.search_request(),
        });
    }

    fn rerun_search_if_filtered(&mut self) {
        let f = &self.search.filters;
        if f.level.is_some()
            || f.valence.is_some()
            || f.coder.is_some()
            || !self.search.results.is_empty()
        {
            let selected = self.search.selected;
            self.request_search();
            self.search.selected = selected;
        }
    }

    /// Results of a search request. Stale ones (an older generation) are dropped.
    pub fn search_done(&mut self, generation: u64, result: std::result::Result<Vec<Hit>, String>) {
        if generation != self.search.generation {
            return;
        }
        self.search.pending = false;
        match result {
            Ok(hits) => {
                self.search.selected = self.search.selected.min(hits.len().saturating_sub(1));
                self.search.results = hits;
                self.search.error = None;
            }
            Err(e) => {
                self.search.results.clear();
                self.search.error = Some(e);
            }
        }
    }

    fn toggle_filter(&mut self, filter: Filter) {
        if filter == Filter::Speaker {
            self.speakers();
        }
        let coders = self.coder_names();
        let f = &mut self.search.filters;
        match filter {
            Filter::Kind => f.kind = cycle(&SourceKind::ALL, f.kind),
            Filter::Factor => f.level = cycle(&Level::ALL, f.level),
            Filter::Valence => f.valence = cycle(&Valence::ALL, f.valence),
            Filter::Quotes => f.quotes = !f.quotes,
            Filter::Case => {
                let ids: Vec<String> = self
                    .ws
                    .corpus
                    .cases
                    .cases
                    .iter()
                    .map(|c| c.id.clone())
                    .collect();
                f.case = cycle(&ids, f.case.clone());
            }
            Filter::Speaker => {
                let speakers = self.speakers.as_deref().unwrap_or_default();
                f.speaker = cycle(speakers, f.speaker.clone());
            }
            Filter::Code => {
                if f.code.take().is_none() {
                    self.view = ViewId::Search;
                    self.popup = Some(Popup::CodePicker {
                        filter: String::new(),
                        selected: 0,
                        purpose: PickPurpose::Filter,
                    });
                    return;
                }
            }
            Filter::Coder => {
                f.coder = cycle(&coders, f.coder.clone());
            }
        }
        self.view = ViewId::Search;
        self.request_search();
    }

    // --- Fishbone ----------------------------------------------------------------------------

    /// The fishbone as the Visgraat view draws it: the kept one when it is current.
    pub fn fishbone_diagram(&self) -> std::borrow::Cow<'_, crate::analysis::fishbone::Diagram> {
        match &self.fishbone.counts {
            Some((case, diagram)) if *case == self.fishbone.case => {
                std::borrow::Cow::Borrowed(diagram)
            }
            _ => std::borrow::Cow::Owned(crate::tui::view::fishbone_counts(self)),
        }
    }

    /// The codes (code-book indices) on the selected bone, as the view lists them:
    /// bevorderend first, then belemmerend; for a case, the factors on its sheet or in its
    /// coding.
    pub fn bone_codes(&self, level: usize) -> Vec<usize> {
        let diagram = self.fishbone_diagram();
        let book = &self.ws.corpus.codebook;
        diagram
            .bone(Level::ALL[level])
            .map(|bone| {
                bone.ribs
                    .iter()
                    .filter_map(|r| book.codes.iter().position(|c| c.id == r.code))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn update_fishbone(&mut self, action: Action) {
        let count = self.bone_codes(self.fishbone.level).len();
        match action {
            Action::Left => {
                self.fishbone.level = self.fishbone.level.saturating_sub(1);
                self.fishbone.code = 0;
            }
            Action::Right | Action::NextPane => {
                self.fishbone.level = (self.fishbone.level + 1) % Level::ALL.len();
                self.fishbone.code = 0;
            }
            Action::Up | Action::ScrollUp => {
                self.fishbone.code = self.fishbone.code.saturating_sub(1)
            }
            Action::Down | Action::ScrollDown => {
                self.fishbone.code = (self.fishbone.code + 1).min(count.saturating_sub(1))
            }
            Action::CycleCase => {
                let ids: Vec<String> = self
                    .ws
                    .corpus
                    .cases
                    .cases
                    .iter()
                    .map(|c| c.id.clone())
                    .collect();
                self.fishbone.case = cycle(&ids, self.fishbone.case.clone());
                self.ensure_fishbone_counts();
                // Another case has other ribs: keep the selection on one that exists.
                let count = self.bone_codes(self.fishbone.level).len();
                self.fishbone.code = self.fishbone.code.min(count.saturating_sub(1));
            }
            Action::Enter => {
                if let Some(&code) = self.bone_codes(self.fishbone.level).get(self.fishbone.code) {
                    self.show_passages(code, self.fishbone.case.clone());
                }
            }
            Action::ToggleOnSheet | Action::AddCode | Action::EditDefinition => {
                self.edit_sheet(action)
            }
            _ => {}
        }
    }

    /// The team view's edits of the chosen case's own sheet: `S` puts the selected factor on
    /// it or takes it off, `a` picks any factor code to put on it, `e` writes its note.
    fn edit_sheet(&mut self, action: Action) {
        let Some(case) = self.fishbone.case.clone() else {
            return self.error(self.msg().pick_case_first);
        };
        match action {
            Action::ToggleOnSheet => {
                let codes = self.bone_codes(self.fishbone.level);
                let Some(&code) = codes.get(self.fishbone.code) else {
                    return;
                };
                let code = self.ws.corpus.codebook.codes[code].id.clone();
                self.toggle_on_sheet(&case, &code);
            }
            Action::AddCode => {
                self.popup = Some(Popup::CodePicker {
                    filter: String::new(),
                    selected: 0,
                    purpose: PickPurpose::PutOnSheet { case },
                })
            }
            _ => {
                let note = self
                    .ws
                    .corpus
                    .cases
                    .get(&case)
                    .and_then(|c| c.fishbone.as_ref())
                    .map(|s| s.note.clone())
                    .unwrap_or_default();
                self.prompt(
                    self.msg().sheet_note.to_string(),
                    note,
                    PromptPurpose::SheetNote { case },
                );
            }
        }
    }

    fn toggle_on_sheet(&mut self, case: &str, code: &str) {
        let result =
            book_edit::toggle_on_sheet(&self.ws.corpus.root, &self.ws.corpus.cases, case, code);
        let what = |on: bool| {
            if on {
                format!("{case} + {code}")
            } else {
                format!("{case} − {code}")
            }
        };
        self.book_edit(result.map(|(e, on)| (e, what(on))));
    }

    fn show_passages(&mut self, code: usize, case: Option<String>) {
        let code = self.ws.corpus.codebook.codes[code].clone();
        let mut items = Vec::new();
        for placed in self
            .ws
            .codings
            .codings
            .iter()
            .filter(|c| c.coding.code == code.id)
        {
            let Some(source) = self.ws.corpus.source_index(&placed.source) else {
                continue;
            };
            let src = self.source(source);
            if case.is_some()
                && self
                    .ws
                    .corpus
                    .case_of_span(src, placed.coding.start, placed.coding.end)
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

    // --- Codes -------------------------------------------------------------------------------

    fn update_codes(&mut self, action: Action) {
        let len = self.ws.corpus.codebook.codes.len();
        match action {
            Action::Up | Action::ScrollUp => {
                self.codes_selected = self.codes_selected.saturating_sub(1)
            }
            Action::Down | Action::ScrollDown => {
                self.codes_selected = (self.codes_selected + 1).min(len.saturating_sub(1))
            }
            Action::PageUp => self.codes_selected = self.codes_selected.saturating_sub(10),
            Action::PageDown => {
                self.codes_selected = (self.codes_selected + 10).min(len.saturating_sub(1))
            }
            Action::Top => self.codes_selected = 0,
            Action::Bottom => self.codes_selected = len.saturating_sub(1),
            Action::Enter => self.show_passages(self.codes_selected, None),
            Action::Memo => {
                if let Some(code) = self.ws.corpus.codebook.codes.get(self.codes_selected) {
                    let target = format!("code:{}", code.id);
                    self.edit_memo(target);
                }
            }
            Action::CycleCase => {
                let ids: Vec<String> = self
                    .ws
                    .corpus
                    .cases
                    .cases
                    .iter()
                    .map(|c| c.id.clone())
                    .collect();
                self.codes_case = cycle(&ids, self.codes_case.clone());
            }
            other => self.edit_codebook(other),
        }
    }

    /// Count the fishbone for the current case filter, unless the counts are up to date.
    pub fn ensure_fishbone_counts(&mut self) {
        if self
            .fishbone
            .counts
            .as_ref()
            .is_some_and(|(case, _)| *case == self.fishbone.case)
        {
            return;
        }
        let stats = crate::tui::view::fishbone_counts(self);
        self.fishbone.counts = Some((self.fishbone.case.clone(), stats));
    }

    /// Compute the Matrix view's table if it is not there (or was invalidated by a change).
    pub fn ensure_matrix(&mut self) {
        if self.matrix.data.is_some() {
            return;
        }
        let m = match self.matrix.kind {
            MatrixKind::LevelByCase => {
                crate::analysis::matrix::level_by_case(&self.ws.corpus, &self.ws.codings, None)
            }
            MatrixKind::CoOccurrence => {
                crate::analysis::matrix::co_occurrence(&self.ws.corpus, &self.ws.codings, None)
            }
        };
        self.matrix.row = self.matrix.row.min(m.rows.len().saturating_sub(1));
        self.matrix.col = self.matrix.col.min(m.columns.len().saturating_sub(1));
        self.matrix.data = Some(m);
    }

    fn update_matrix(&mut self, action: Action) {
        self.ensure_matrix();
        let Some(m) = &self.matrix.data else {
            return;
        };
        let (rows, cols) = (m.rows.len(), m.columns.len());
        let state = &mut self.matrix;
        match action {
            Action::Up | Action::ScrollUp => state.row = state.row.saturating_sub(1),
            Action::Down | Action::ScrollDown => {
                state.row = (state.row + 1).min(rows.saturating_sub(1))
            }
            Action::Left | Action::WordPrev => state.col = state.col.saturating_sub(1),
            Action::Right | Action::WordNext => {
                state.col = (state.col + 1).min(cols.saturating_sub(1))
            }
            Action::Top => state.row = 0,
            Action::Bottom => state.row = rows.saturating_sub(1),
            Action::ToggleValence | Action::NextPane => {
                state.kind = match state.kind {
                    MatrixKind::LevelByCase => MatrixKind::CoOccurrence,
                    MatrixKind::CoOccurrence => MatrixKind::LevelByCase,
                };
                state.row = 0;
                state.col = 0;
                state.data = None;
                self.ensure_matrix();
            }
            Action::Enter => self.matrix_passages(),
            _ => {}
        }
    }

    /// Open the memo popup on the active coder's memo about `target`.
    fn edit_memo(&mut self, target: String) {
        let text = self
            .ws
            .corpus
            .memos
            .of(&target)
            .find(|m| m.author == self.ws.config.coder)
            .map(|m| m.text.clone())
            .unwrap_or_default();
        self.popup = Some(Popup::Memo {
            text,
            purpose: MemoPurpose::Target(target),
        });
    }

    /// Save the active coder's memo on `target` (empty removes it), undoably.
    fn set_memo(&mut self, target: &str, text: &str) {
        let root = self.ws.corpus.root.clone();
        let author = self.ws.config.coder.clone();
        let stamp = self.before_write();
        match crate::coding::memos::set(&root, target, &author, text) {
            Ok(before) => {
                self.reload_memos();
                let after = self
                    .ws
                    .corpus
                    .memos
                    .of(target)
                    .find(|m| m.author == author)
                    .cloned();
                self.undo.push(Edit::Memo {
                    target: target.to_string(),
                    author,
                    before,
                    after,
                });
                self.redo.clear();
                self.after_write(stamp);
                self.info(self.msg().saved);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn reload_memos(&mut self) {
        match crate::coding::memos::load(&self.ws.corpus.root) {
            Ok(m) => self.ws.corpus.memos = m,
            Err(e) => self.error(e.to_string()),
        }
    }

    /// The two coders compared: the active coder (when they coded anything) and a partner.
    fn review_pair(&self) -> Option<(String, String)> {
        let coders = self.coder_names();
        let active = &self.ws.config.coder;
        let first = if coders.contains(active) {
            active.clone()
        } else {
            coders.first()?.clone()
        };
        let partner = self
            .review
            .partner
            .clone()
            .filter(|p| *p != first && coders.contains(p))
            .or_else(|| coders.iter().find(|c| **c != first).cloned())?;
        Some((first, partner))
    }

    pub fn ensure_review(&mut self) {
        if self.review.items.is_some() {
            return;
        }
        let pair = self.review_pair();
        let items = pair.as_ref().map_or_else(Vec::new, |(a, b)| {
            crate::analysis::agreement::disagreements(&self.ws.corpus, &self.ws.codings, a, b)
        });
        self.review.selected = self.review.selected.min(items.len().saturating_sub(1));
        let log = match crate::coding::review_log::load(&self.ws.corpus.root) {
            Ok(log) => log,
            Err(e) => {
                self.error(e.to_string());
                Default::default()
            }
        };
        self.review.kept = items
            .iter()
            .map(|d| {
                log.decisions
                    .iter()
                    .any(|k| k.source == d.source && k.paragraph == d.ordinal && k.code == d.code)
            })
            .collect();
        self.review.pair = pair;
        self.review.items = Some(items);
    }

    fn update_review(&mut self, action: Action) {
        self.ensure_review();
        let len = self.review.items.as_ref().map_or(0, Vec::len);
        match action {
            Action::Up | Action::ScrollUp => {
                self.review.selected = self.review.selected.saturating_sub(1)
            }
            Action::Down | Action::ScrollDown => {
                self.review.selected = (self.review.selected + 1).min(len.saturating_sub(1))
            }
            Action::Top => self.review.selected = 0,
            Action::Bottom => self.review.selected = len.saturating_sub(1),
            Action::CycleCase => {
                // Compare with the next coder.
                let coders = self.coder_names();
                let first = self.review.pair.as_ref().map(|p| p.0.clone());
                let others: Vec<String> = coders
                    .into_iter()
                    .filter(|c| Some(c) != first.as_ref())
                    .collect();
                let current = self.review.pair.as_ref().map(|p| p.1.clone());
                let at = others.iter().position(|c| Some(c) == current.as_ref());
                self.review.partner = others
                    .get(at.map_or(0, |i| (i + 1) % others.len().max(1)))
                    .cloned();
                self.review.items = None;
                self.review.selected = 0;
                self.ensure_review();
            }
            Action::LevelDown => self.resolve(0),
            Action::LevelUp => self.resolve(1),
            Action::KeepDifference => self.keep_difference(),
            Action::Recode | Action::Memo => {
                let Some(item) = self.selected_disagreement() else {
                    return;
                };
                let Some(placed) = item.codings.iter().flatten().next().cloned() else {
                    return;
                };
                self.popup = Some(if action == Action::Recode {
                    Popup::CodePicker {
                        filter: String::new(),
                        selected: 0,
                        purpose: PickPurpose::Recode(placed),
                    }
                } else {
                    Popup::Memo {
                        text: placed.coding.memo.clone(),
                        purpose: MemoPurpose::Edit(placed),
                    }
                });
            }
            Action::Enter => {
                if let Some(item) = self.selected_disagreement()
                    && let Some(index) = self.ws.corpus.source_index(&item.source)
                {
                    self.open_reader(index, item.start);
                }
            }
            _ => {}
        }
    }

    pub fn selected_disagreement(&self) -> Option<crate::analysis::agreement::Disagreement> {
        self.review
            .items
            .as_ref()?
            .get(self.review.selected)
            .cloned()
    }

    /// Settle the selected disagreement the way coder `side` (0: left, 1: right) coded it:
    /// copy their coding to the other coder, or take the other coder's coding away. Saved
    /// like any coding (undoable), the copy's memo saying who resolved it.
    fn resolve(&mut self, side: usize) {
        let (Some(item), Some((a, b))) = (self.selected_disagreement(), self.review.pair.clone())
        else {
            return;
        };
        let coders = [a, b];
        let other = 1 - side;
        let root = self.ws.corpus.root.clone();
        let who = self.ws.config.coder.clone();
        let Some(index) = self.ws.corpus.source_index(&item.source) else {
            return;
        };
        let stamp = self.before_write();
        let mut done: Vec<Edit> = Vec::new();
        let mut result = Ok(());
        let decision = if item.codings[side].is_empty() {
            for placed in &item.codings[other] {
                let edit = Edit::Removed(placed.clone());
                match self.apply(&edit, true) {
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
                    "Review by {who}: accepted {}'s coding. {}",
                    coders[side], placed.coding.memo
                );
                match coding::add(
                    &root,
                    &coders[other],
                    self.source(index),
                    placed.coding.start,
                    placed.coding.end,
                    &placed.coding.code,
                    memo.trim(),
                ) {
                    Ok(copy) => {
                        self.ws.codings.codings.push(copy.clone());
                        done.push(Edit::Added(copy));
                    }
                    Err(e) => result = Err(e),
                }
            }
            format!("accepted {}'s coding for {}", coders[side], coders[other])
        };
        if result.is_ok() {
            result = self
                .log_decision(&item, &coders, decision)
                .map(|d| done.push(d));
        }
        if !done.is_empty() {
            self.undo.push(Edit::Group(done));
            self.redo.clear();
        }
        self.after_write(stamp);
        match result {
            Ok(()) => self.info(self.msg().resolved),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Keep the selected disagreement as a deliberate difference: only the log changes.
    fn keep_difference(&mut self) {
        let (Some(item), Some((a, b))) = (self.selected_disagreement(), self.review.pair.clone())
        else {
            return;
        };
        match self.log_decision(&item, &[a, b], "kept as a difference".into()) {
            Ok(edit) => {
                self.undo.push(edit);
                self.redo.clear();
                self.review.items = None;
                self.ensure_review();
                self.info(self.msg().resolved);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn log_decision(
        &mut self,
        item: &crate::analysis::agreement::Disagreement,
        coders: &[String; 2],
        decision: String,
    ) -> Result<Edit> {
        let entry = crate::coding::review_log::Decision {
            id: String::new(),
            at: "1970-01-01T00:00:00Z".parse().expect("a datetime"),
            by: self.ws.config.coder.clone(),
            coders: coders.clone(),
            source: item.source.clone(),
            paragraph: item.ordinal,
            code: item.code.clone(),
            decision,
        };
        crate::coding::review_log::append(&self.ws.corpus.root, entry).map(Edit::Review)
    }

    /// The passages behind the selected cell, in a popup (Enter opens one).
    fn matrix_passages(&mut self) {
        let Some(m) = &self.matrix.data else {
            return;
        };
        let (r, c) = (self.matrix.row, self.matrix.col);
        let Some(set) = m.passages.get(&(r, c)) else {
            return self.info(format!("{} × {}: 0", m.rows[r], m.columns[c]));
        };
        let title = format!("{} × {}", m.rows[r], m.columns[c]);
        let mut items = Vec::new();
        for (source_id, ordinal) in set {
            let Some(index) = self.ws.corpus.source_index(source_id) else {
                continue;
            };
            let src = self.source(index);
            if let Some(seg) = src.segments().into_iter().find(|s| s.ordinal == *ordinal) {
                items.push(PassageItem {
                    source: index,
                    start: seg.start,
                    end: seg.end,
                    label: format!("{} ¶{} · {}", src.meta.title, seg.ordinal, seg.text),
                });
            }
        }
        self.popup = Some(Popup::Passages {
            title,
            items,
            selected: 0,
        });
    }

    /// The Codes view's lines: a group heading (None) and then its codes (index into the
    /// code book), for rendering and for mouse clicks alike.
    pub fn codes_rows(&self) -> Vec<Option<usize>> {
        let book = &self.ws.corpus.codebook;
        let mut rows = Vec::new();
        for group in &book.groups {
            rows.push(None);
            rows.extend(
                book.codes
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.group == group.id)
                    .map(|(i, _)| Some(i)),
            );
        }
        rows
    }

    fn selected_code(&self) -> Option<crate::corpus::codebook::Code> {
        self.ws
            .corpus
            .codebook
            .codes
            .get(self.codes_selected)
            .cloned()
    }

    fn prompt(&mut self, title: String, text: String, purpose: PromptPurpose) {
        self.popup = Some(Popup::Prompt {
            title,
            text,
            purpose,
        });
    }

    fn edit_codebook(&mut self, action: Action) {
        let Some(code) = self.selected_code() else {
            return;
        };
        let root = self.ws.corpus.root.clone();
        let book = self.ws.corpus.codebook.clone();
        let lang_nl = self.lang == Lang::Nl;
        let t = |nl: &str, en: &str| {
            if lang_nl {
                nl.to_string()
            } else {
                en.to_string()
            }
        };
        match action {
            Action::AddCode => self.prompt(
                t(
                    "Nieuwe code naast deze: label",
                    "New code beside this one: label",
                ),
                String::new(),
                PromptPurpose::NewCodeLabel { sibling: code.id },
            ),
            Action::RenameCode => self.prompt(
                t("Nieuw label", "New label"),
                code.label.clone(),
                PromptPurpose::Rename { id: code.id },
            ),
            Action::EditDefinition => self.prompt(
                t(
                    "Definitie (wat wel, wat niet)",
                    "Definition (what it covers, what not)",
                ),
                code.definition.clone(),
                PromptPurpose::Define { id: code.id },
            ),
            Action::SplitCode => self.prompt(
                t(
                    "Splitsen: label van de nieuwe code",
                    "Split: label of the new code",
                ),
                String::new(),
                PromptPurpose::Split { id: code.id },
            ),
            Action::MergeCode => {
                self.popup = Some(Popup::CodePicker {
                    filter: String::new(),
                    selected: 0,
                    purpose: PickPurpose::Merge { from: code.id },
                })
            }
            Action::LevelUp | Action::LevelDown | Action::ToggleValence => {
                let (Some(level), Some(valence)) = (code.level, code.valence) else {
                    return self.error(t(
                        "Alleen visgraatcodes hebben een niveau",
                        "Only fishbone codes have a level",
                    ));
                };
                let at = Level::ALL.iter().position(|l| *l == level).unwrap_or(0);
                let (level, valence) = match action {
                    Action::LevelUp => (Level::ALL[(at + 1) % Level::ALL.len()], valence),
                    Action::LevelDown => (
                        Level::ALL[(at + Level::ALL.len() - 1) % Level::ALL.len()],
                        valence,
                    ),
                    _ => (
                        level,
                        if valence == Valence::Bevorderend {
                            Valence::Belemmerend
                        } else {
                            Valence::Bevorderend
                        },
                    ),
                };
                let result = book_edit::move_code(&root, &book, &code.id, level, valence);
                self.book_edit(result.map(|e| {
                    (
                        e,
                        format!("{}: {} {}", code.id, level.as_str(), valence.glyph()),
                    )
                }));
            }
            Action::ToggleOnSheet => {
                let Some(case) = self.codes_case.clone() else {
                    return self.error(t("Kies eerst een casus met f", "Pick a case with f first"));
                };
                let result =
                    book_edit::toggle_on_sheet(&root, &self.ws.corpus.cases, &case, &code.id);
                let what = |on: bool| {
                    if on {
                        format!("{case} + {}", code.id)
                    } else {
                        format!("{case} − {}", code.id)
                    }
                };
                self.book_edit(result.map(|(e, on)| (e, what(on))));
            }
            _ => {}
        }
    }

    fn prompt_done(&mut self, purpose: PromptPurpose, text: String) {
        let root = self.ws.corpus.root.clone();
        let book = self.ws.corpus.codebook.clone();
        match purpose {
            PromptPurpose::NewCodeLabel { sibling } => {
                let title = if self.lang == Lang::Nl {
                    "Definitie van de nieuwe code"
                } else {
                    "Definition of the new code"
                };
                self.prompt(
                    title.into(),
                    String::new(),
                    PromptPurpose::NewCodeDefinition {
                        sibling,
                        label: text,
                    },
                );
            }
            PromptPurpose::NewCodeDefinition { sibling, label } => {
                if text.is_empty() {
                    return self.error(if self.lang == Lang::Nl {
                        "Een code heeft een definitie nodig"
                    } else {
                        "A code needs a definition"
                    });
                }
                let result = book_edit::add_code(&root, &book, &sibling, &label, &text);
                self.book_edit(result.map(|(e, id)| (e, format!("+ {id}"))));
            }
            PromptPurpose::Rename { id } => {
                let result = book_edit::rename(&root, &book, &id, &text);
                self.book_edit(result.map(|e| (e, format!("{id}: {text}"))));
            }
            PromptPurpose::Define { id } => {
                let result = book_edit::define(&root, &book, &id, &text);
                self.book_edit(result.map(|e| (e, id)));
            }
            PromptPurpose::Split { id } => {
                let result = book_edit::split(&root, &book, &id, &text);
                self.book_edit(result.map(|(e, new)| (e, format!("{id} → + {new}"))));
            }
            PromptPurpose::SheetNote { case } => {
                let result = book_edit::set_sheet_note(&root, &self.ws.corpus.cases, &case, &text);
                self.book_edit(result.map(|e| (e, case)));
            }
        }
    }

    fn book_edit(&mut self, result: Result<(crate::coding::book_edit::BookEdit, String)>) {
        match result {
            Ok((edit, what)) => {
                self.reload_book();
                self.undo.push(Edit::Book(edit));
                self.redo.clear();
                self.info(what);
            }
            Err(e) => {
                // A stale view is the usual cause: show what is on disk now.
                self.reload_book();
                self.error(e.to_string());
            }
        }
    }

    /// Reload the code book, the cases and the codings after an edit of their files.
    fn reload_book(&mut self) {
        let root = self.ws.corpus.root.clone();
        match crate::corpus::codebook::Codebook::load(&root.join("codebook.toml")) {
            Ok(b) => self.ws.corpus.codebook = b,
            Err(e) => self.error(e.to_string()),
        }
        let cases_path = root.join("cases.toml");
        if cases_path.exists() {
            match crate::corpus::cases::Cases::load(&cases_path) {
                Ok(c) => self.ws.corpus.cases = c,
                Err(e) => self.error(e.to_string()),
            }
        }
        self.ws.reload_codings();
        self.reload_memos();
        self.disk_stamp = crate::workspace::disk_stamp(&root);
        self.matrix.data = None;
        if self.view == ViewId::Matrix {
            self.ensure_matrix();
        }
        self.fishbone.counts = None;
        if self.view == ViewId::Fishbone {
            self.ensure_fishbone_counts();
        }
        self.review.items = None;
        if self.view == ViewId::Review {
            self.ensure_review();
        }
        self.codes_selected = self
            .codes_selected
            .min(self.ws.corpus.codebook.codes.len().saturating_sub(1));
        self.rerun_search_if_filtered();
    }

    // --- Mouse -------------------------------------------------------------------------------

    fn click(&mut self, x: u16, y: u16) {
        if y == 0 {
            if let Some(view) = layout::tab_at(x, self.size) {
                self.update(Action::Show(view));
            }
            return;
        }
        match self.view {
            ViewId::Documents => {
                let tree = layout::tree_area(self.size);
                if layout::has_tree(self.size) && x < tree.x + tree.width {
                    let row = (y.saturating_sub(tree.y + 1)) as usize;
                    if row < self.tree.len() {
                        self.tree_selected = row;
                        self.docs_focus = DocsFocus::Tree;
                        self.update(Action::Enter);
                    }
                    return;
                }
                let Some(r) = self.reader.clone() else {
                    return;
                };
                let area = layout::reader_text_area(self.size, layout::has_tree(self.size));
                if x < area.x || y < area.y || y >= area.y + area.height {
                    return;
                }
                let lines = self.reader_lines(r.source);
                let Some(line) = lines.get(r.top + (y - area.y) as usize) else {
                    return;
                };
                let mut col = 0;
                let target = (x - area.x) as usize;
                let mut at = line.start;
                for cell in &line.cells {
                    if col + cell.width > target {
                        break;
                    }
                    col += cell.width;
                    at = cell.at + cell.chars;
                }
                if let Some(reader) = self.reader.as_mut() {
                    reader.cursor = at.min(line.end.saturating_sub(1).max(line.start));
                }
                self.docs_focus = DocsFocus::Reader;
            }
            ViewId::Search => {
                let list = layout::results_area(self.size);
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
                let visible = layout::main_area(self.size).height.saturating_sub(2) as usize;
                let selected_line = rows
                    .iter()
                    .position(|r| *r == Some(self.codes_selected))
                    .unwrap_or(0);
                let first = selected_line.saturating_sub(visible.saturating_sub(1));
                let line = first + y.saturating_sub(layout::main_area(self.size).y + 1) as usize;
                if let Some(Some(code)) = rows.get(line) {
                    self.codes_selected = *code;
                }
            }
            ViewId::Fishbone | ViewId::Matrix | ViewId::Review => {}
        }
    }
}

/// The first line number a provenance like "report.txt lines 613-663" names, so sources
/// from one document keep the document's order.
fn first_line(provenance: &str) -> usize {
    provenance
        .split_once(" lines ")
        .and_then(|(_, r)| r.split(['-', ',']).next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(usize::MAX)
}

/// The first char offset at or after `pos` that is not white space.
fn skip_spaces(body: &str, pos: usize) -> usize {
    body.chars()
        .skip(pos)
        .position(|c| !c.is_whitespace())
        .map_or(pos, |n| pos + n)
}

/// The start of the last non-space grapheme before char offset `pos`.
fn last_visible_before(body: &str, pos: usize) -> usize {
    let mut at = text::prev(body, pos, Unit::Grapheme);
    while at > 0 {
        let g =
            crate::corpus::source::char_slice(body, at, text::grapheme_end(body, at)).unwrap_or("");
        if !g.chars().all(char::is_whitespace) {
            break;
        }
        at = text::prev(body, at, Unit::Grapheme);
    }
    at
}

fn cycle<T: Clone + PartialEq>(all: &[T], current: Option<T>) -> Option<T> {
    match current {
        None => all.first().cloned(),
        Some(c) => {
            let at = all.iter().position(|x| *x == c)?;
            all.get(at + 1).cloned()
        }
    }
}

/// Wrapped lines of a whole source: its paragraphs with a blank line between them.
pub fn lines_of(source: &Source, width: usize) -> Vec<WrappedLine> {
    let mut out = Vec::new();
    for (i, seg) in source.segments().iter().enumerate() {
        if i > 0 {
            out.push(WrappedLine {
                start: seg.start,
                end: seg.start,
                cells: Vec::new(),
                paragraph: None,
            });
        }
        out.extend(text::wrap(&seg.text, seg.start, width, i));
    }
    out
}

/// The index of the line that holds char offset `at`.
pub fn line_of(lines: &[WrappedLine], at: usize) -> usize {
    lines
        .iter()
        .position(|l| l.paragraph.is_some() && l.start <= at && at < l.end.max(l.start + 1))
        .or_else(|| {
            lines
                .iter()
                .rposition(|l| l.paragraph.is_some() && l.start <= at)
        })
        .unwrap_or(0)
}

/// Move `at` by `delta` screen lines, keeping the column; separators are skipped.
fn vertical(lines: &[WrappedLine], at: usize, delta: isize) -> usize {
    let from = line_of(lines, at);
    let line = &lines[from];
    let col: usize = line
        .cells
        .iter()
        .take_while(|c| c.at < at)
        .map(|c| c.width)
        .sum();
    let mut target = (from as isize + delta).clamp(0, lines.len() as isize - 1) as usize;
    while lines[target].paragraph.is_none() {
        let step = if delta >= 0 { 1 } else { -1 };
        let next = target as isize + step;
        if next < 0 || next >= lines.len() as isize {
            break;
        }
        target = next as usize;
    }
    let dest = &lines[target];
    let mut used = 0;
    for cell in &dest.cells {
        if used + cell.width > col {
            return cell.at;
        }
        used += cell.width;
    }
    dest.cells.last().map_or(dest.start, |c| c.at)
}
