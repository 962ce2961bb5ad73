//! The TUI's state, as plain data, and `update`: the one place where it changes. Each page
//! and popup owns its state and turns actions into commands (`pages::Command`); the app
//! routes actions to them and carries the commands out — writes through the workspace, which
//! the CLI uses too. Slow work (search) leaves as an `Effect` for the runtime to run off the
//! UI thread.

use std::borrow::Cow;
use std::path::PathBuf;

use crate::analysis::fishbone::Diagram;
use crate::coding::history::History;
use crate::corpus::source::Source;
use crate::index::search::{Hit, Request};
use crate::workspace::{Stamps, Workspace};

use super::action::{Action, InputMode, ViewId};
use super::i18n::{self, Lang, Messages};
use super::keymap::Keymap;
use super::layout;
use super::pages::codes::CodesPage;
use super::pages::documents::{DocsFocus, DocumentsPage};
use super::pages::fishbone::FishboneState;
use super::pages::matrix::MatrixState;
use super::pages::review::ReviewState;
use super::pages::saturation::SaturationState;
use super::pages::search::SearchState;
use super::pages::{Command, Ctx, cycle};
use super::popups::{self, Popup, ProblemItem};
use super::text::WrappedLine;

/// Work for the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Search {
        generation: u64,
        request: Request,
    },
    Clipboard(String),
    /// Find the passages that support `claim` (`suggest::evidence`).
    Evidence {
        generation: u64,
        claim: String,
        quotes_first: bool,
        limit: usize,
    },
}

pub struct App {
    pub ws: Workspace,
    pub lang: Lang,
    pub keymap: Keymap,
    pub view: ViewId,
    pub help: bool,
    /// The first help line shown, when the help is longer than the screen.
    pub help_scroll: usize,
    /// A status message; true when it reports an error.
    pub message: Option<(String, bool)>,
    pub size: (u16, u16),
    pub docs: DocumentsPage,
    pub search: SearchState,
    pub evidence: super::popups::evidence::EvidenceMemory,
    pub fishbone: FishboneState,
    pub codes: CodesPage,
    pub matrix: MatrixState,
    pub saturation: SaturationState,
    /// The reliability round the tree and the search are limited to, if any.
    pub round: Option<crate::coding::rounds::Round>,
    pub review: ReviewState,
    /// Whose codings the pages show: one coder, or everyone's (None).
    pub shown_coder: Option<String>,
    /// The coder named in config.toml (the active coder can be switched away and back).
    pub configured_coder: String,
    pub popup: Option<Popup>,
    pub history: History,
    pub effects: Vec<Effect>,
    pub quit: bool,
    pub citations_file: PathBuf,
    pub color: bool,
    /// `workspace::disk_stamp` as of the last load or own write: the runtime compares it with
    /// the disk to notice other processes' changes.
    pub disk_stamp: u64,
    /// `workspace::codings_files_stamp` on opening: where the disk poller starts.
    pub codings_files_stamp: u64,
    /// `workspace::sources_stamp` as of the last load of the sources.
    pub sources_stamp: u64,
    /// Bumped whenever the sources were read again (the reader wraps anew).
    pub text_generation: u64,
    /// `Workspace::sources_read` as the tree and the reader last followed it.
    pub(super) sources_seen: u64,
    /// How far the index worker is: searches wait until it is ready.
    pub index: crate::tui::indexer::IndexState,
}

impl App {
    pub fn new(ws: Workspace, size: (u16, u16), color: bool) -> App {
        App::with_keymap(ws, size, color, Keymap::default())
    }

    pub fn with_keymap(ws: Workspace, size: (u16, u16), color: bool, keymap: Keymap) -> App {
        let lang = Lang::from_config(&ws.config.language);
        let citations_file = ws
            .config
            .corpus
            .parent()
            .map_or_else(|| PathBuf::from("citations.md"), |p| p.join("citations.md"));
        let message = opening_message(&ws, lang);
        let stamps = Stamps::take(&ws.corpus.root);
        App {
            docs: DocumentsPage::new(&ws),
            configured_coder: ws.config.coder.clone(),
            disk_stamp: stamps.project,
            codings_files_stamp: stamps.codings_files,
            sources_stamp: stamps.sources,
            text_generation: 0,
            sources_seen: ws.sources_read,
            index: crate::tui::indexer::IndexState::Ready,
            ws,
            lang,
            keymap,
            view: ViewId::Documents,
            help: false,
            help_scroll: 0,
            message,
            size,
            search: SearchState::default(),
            evidence: Default::default(),
            fishbone: FishboneState::default(),
            codes: CodesPage::default(),
            matrix: MatrixState::default(),
            saturation: SaturationState::default(),
            round: None,
            review: ReviewState::default(),
            shown_coder: None,
            popup: None,
            history: History::default(),
            effects: Vec::new(),
            quit: false,
            citations_file,
            color,
        }
    }

    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            ws: &self.ws,
            lang: self.lang,
            size: self.size,
            shown_coder: self.shown_coder.as_deref(),
        }
    }

    pub fn msg(&self) -> &'static Messages {
        i18n::messages(self.lang)
    }

    pub fn input_mode(&self) -> InputMode {
        match &self.popup {
            Some(p) if p.takes_text() => InputMode::Text,
            Some(_) => InputMode::Normal,
            None if self.view == ViewId::Search && self.search.editing => InputMode::Text,
            None => InputMode::Normal,
        }
    }

    /// The page whose keys apply now (a popup's, when one is open).
    pub fn key_context(&self) -> super::keymap::Context {
        super::keymap::Context::of(self)
    }

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), false));
    }

    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), true));
    }

    pub fn source(&self, index: usize) -> &Source {
        &self.ws.corpus.sources[index]
    }

    /// The wrapped lines of the open source (wrapped once per width and text).
    pub fn reader_lines(&self, _source: usize) -> &[WrappedLine] {
        self.docs.reader.as_ref().map_or(&[], |r| r.lines())
    }

    pub fn view_has_tree(&self) -> bool {
        layout::has_tree(self.size)
    }

    /// The selected span of the reader, end-exclusive and grapheme-complete.
    pub fn selection(&self) -> Option<(usize, usize)> {
        let r = self.docs.reader.as_ref()?;
        r.selection(&self.source(r.source).body)
    }

    pub fn problem_items(&self) -> Vec<ProblemItem> {
        popups::problem_items(&self.ctx())
    }

    pub fn picker_codes(&self, filter: &str) -> Vec<usize> {
        popups::picker_codes(&self.ws, filter)
    }

    pub fn fishbone_diagram(&self) -> Cow<'_, Diagram> {
        self.fishbone.diagram(&self.ws)
    }

    pub fn bone_codes(&self, level: usize) -> Vec<usize> {
        self.fishbone.bone_codes(&self.ws, level)
    }

    pub fn codes_rows(&self) -> Vec<Option<usize>> {
        CodesPage::rows(&self.ws)
    }

    pub fn search_request(&self) -> Request {
        self.search.request()
    }

    pub fn search_done(&mut self, generation: u64, result: std::result::Result<Vec<Hit>, String>) {
        let result = result.map(|mut hits| {
            hits.retain(|h| self.hit_in_round(h));
            hits
        });
        self.search.search_done(generation, result);
    }

    pub fn open_reader(&mut self, source: usize, at: usize) {
        self.run(vec![Command::Open { source, at }]);
    }

    /// Apply one action.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Resize(..)) {
            self.message = None;
        }
        match action {
            Action::Resize(w, h) => {
                self.size = (w, h);
                return self.sync_reader();
            }
            Action::Reload => return self.reload(true, true),
            _ => {}
        }
        // Only "too small" is on the screen: a key would act unseen (typing into the search
        // line, opening a list), so only quitting does.
        if layout::too_small(self.size) {
            self.quit |= action == Action::Quit;
            return;
        }
        if self.help {
            // The help scrolls where it is longer than the screen (80×24 and smaller).
            match action {
                Action::ToggleHelp | Action::Back | Action::Quit => self.help = false,
                Action::Down | Action::ScrollDown => self.help_scroll += 1,
                Action::Up | Action::ScrollUp => {
                    self.help_scroll = self.help_scroll.saturating_sub(1)
                }
                Action::PageDown => self.help_scroll += 10,
                Action::PageUp => self.help_scroll = self.help_scroll.saturating_sub(10),
                Action::Top => self.help_scroll = 0,
                _ => {}
            }
            self.help_scroll = self.help_scroll.min(super::view::help::max_scroll(self));
            return;
        }
        if let Some(popup) = self.popup.take() {
            let (next, commands) = popups::update(popup, &action, &self.ctx());
            // Quitting (Ctrl-C in a text field) quits from a popup that does not take it
            // itself (the problems list closes on `q`), as the help says; what the popup
            // held is dropped, as Esc would drop it.
            if action == Action::Quit && next.is_some() {
                self.quit = true;
                return;
            }
            self.popup = next;
            return self.run(commands);
        }
        let commands = match action {
            Action::Quit => {
                self.quit = true;
                Vec::new()
            }
            Action::ToggleHelp => {
                self.help = true;
                self.help_scroll = 0;
                Vec::new()
            }
            Action::Problems => vec![Command::Popup(Popup::Problems { selected: 0 })],
            Action::CycleShownCoder => {
                self.shown_coder = cycle(&self.ctx().coder_names(), self.shown_coder.clone());
                self.ensure_page();
                // The status line shows whose codings are shown; a message said it twice.
                Vec::new()
            }
            Action::CycleActiveCoder => self.cycle_active_coder(),
            Action::CycleRound => self.cycle_round(),
            Action::Show(view) => {
                if view == ViewId::Search {
                    self.search.editing = true;
                }
                vec![Command::Show(view)]
            }
            Action::FocusSearch => {
                self.search.editing = true;
                vec![Command::Show(ViewId::Search)]
            }
            Action::Undo => return self.undo(),
            Action::Redo => return self.redo(),
            Action::ToggleFilter(f) => {
                let ctx = Ctx {
                    ws: &self.ws,
                    lang: self.lang,
                    size: self.size,
                    shown_coder: self.shown_coder.as_deref(),
                };
                self.search.toggle_filter(f, &ctx)
            }
            Action::Click(x, y) => return self.click(x, y),
            other => self.update_page(&other),
        };
        self.run(commands);
        self.sync_reader();
    }

    fn update_page(&mut self, action: &Action) -> Vec<Command> {
        // The page is borrowed mutably beside the workspace it reads.
        let ctx = Ctx {
            ws: &self.ws,
            lang: self.lang,
            size: self.size,
            shown_coder: self.shown_coder.as_deref(),
        };
        match self.view {
            ViewId::Documents => self.docs.update(action, &ctx),
            ViewId::Search => self.search.update(action, &ctx),
            ViewId::Fishbone => self.fishbone.update(action, &ctx),
            ViewId::Codes => self.codes.update(action, &ctx),
            ViewId::Matrix => self.matrix.update(action, &ctx),
            ViewId::Review => self.review.update(action, &ctx),
            ViewId::Saturation => self.saturation.update(action, &ctx),
        }
    }

    fn cycle_active_coder(&mut self) -> Vec<Command> {
        let mut coders = self.ctx().coder_names();
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
        self.ensure_page();
        vec![Command::Info(format!(
            "{}: {}",
            self.msg().active_coder,
            self.ws.config.coder
        ))]
    }

    /// Compute what the current page shows, if a change made it stale.
    pub(super) fn ensure_page(&mut self) {
        match self.view {
            ViewId::Matrix => self.matrix.ensure(&self.ws),
            ViewId::Saturation => self
                .saturation
                .ensure(&self.ws, self.shown_coder.as_deref()),
            ViewId::Fishbone => self.fishbone.ensure_counts(&self.ws),
            ViewId::Review => {
                if let Some(problem) = self.review.ensure(&self.ws) {
                    self.error(problem);
                }
            }
            _ => {}
        }
    }

    /// Keep the reader wrapped for its width and text, its cursor on screen.
    pub(super) fn sync_reader(&mut self) {
        let width = layout::reader_text_width(self.size, layout::has_tree(self.size));
        let height = layout::reader_height(self.size);
        if let Some(r) = self.docs.reader.as_mut() {
            let Some(source) = self.ws.corpus.sources.get(r.source) else {
                self.docs.reader = None;
                self.docs.focus = DocsFocus::Tree;
                return;
            };
            r.wrap(source, width, self.text_generation);
            r.keep_cursor_visible(height);
        }
    }

    /// Read back what changed on disk (`sources`: the sources too) and show it; with
    /// `say`, say so in the status line.
    pub fn reload(&mut self, sources: bool, say: bool) {
        let selected_id = self.selected_source_id();
        let reloaded = self.ws.reload(sources);
        self.follow_workspace(selected_id);
        if let Some(problem) = reloaded.first_problem {
            self.error(problem);
        } else if reloaded.healed > 0 {
            self.info(format!("{} {}", reloaded.healed, self.msg().reanchored));
        } else if say {
            self.info(self.msg().reloaded);
        }
    }

    /// The id of the source selected in the tree (indices shift when sources are read again).
    pub(super) fn selected_source_id(&self) -> Option<String> {
        self.docs
            .selected_source()
            .map(|i| self.source(i).meta.id.clone())
    }

    /// Whether the sources, and the project's own files, changed by someone else's hand
    /// since this App last looked, given the stamps the disk watch reported. The watch may
    /// have caught an own write half way (its temp file, the first of two files renamed), so
    /// the disk as it is now decides, not the stamps reported.
    pub fn changed_elsewhere(&self, seen: &Stamps) -> (bool, bool) {
        let root = &self.ws.corpus.root;
        let sources = seen.sources != self.sources_stamp
            && crate::workspace::sources_stamp(root) != self.sources_stamp;
        let project = seen.project != self.disk_stamp
            && crate::workspace::disk_stamp(root) != self.disk_stamp;
        (sources, project)
    }

    /// Bring the pages in step with the workspace after it read files again: the tree and
    /// the reader when it read the sources (`selected_id` was selected before), the stamps,
    /// and what pages derive from the data.
    pub(super) fn follow_workspace(&mut self, selected_id: Option<String>) {
        let stamps = Stamps::take(&self.ws.corpus.root);
        self.disk_stamp = stamps.project;
        if self.ws.sources_read != self.sources_seen {
            self.sources_seen = self.ws.sources_read;
            self.sources_stamp = stamps.sources;
            self.text_generation += 1;
            self.docs.sources_reloaded(&self.ws, selected_id);
            self.search.speakers = None;
        }
        self.data_changed();
        self.codes.book_changed(&self.ws);
        self.sync_reader();
    }

    /// After any change to the codings, code book, cases or memos: what pages computed from
    /// them is computed again, and a search that depends on them runs again.
    pub(super) fn data_changed(&mut self) {
        self.matrix.data = None;
        self.saturation.data = None;
        self.fishbone.counts = None;
        self.review.items = None;
        self.ensure_page();
        if self.search.filters.use_codings() || !self.search.results.is_empty() {
            let selected = self.search.selected;
            self.request_search();
            self.search.selected = selected;
        }
    }

    /// Answer the searches asked for on this thread with `searcher`, as the search worker
    /// would, and drop the other effects: for tests and benchmarks, which drive the App
    /// without the TUI's threads.
    pub fn run_searches_now(&mut self, searcher: &crate::index::search::Searcher) {
        for effect in std::mem::take(&mut self.effects) {
            if let Effect::Search {
                generation,
                request,
            } = effect
            {
                let result = searcher
                    .search(&request, &self.ws.codings, &self.ws.corpus.codebook)
                    .map_err(|e| i18n::query::failure(self.lang, &e));
                self.search_done(generation, result);
            }
        }
    }

    pub(super) fn request_search(&mut self) {
        if let Some((generation, request)) = self.search.next_request() {
            self.effects.push(Effect::Search {
                generation,
                request,
            });
        }
    }
}

/// The status line on opening: problems first, else what opening cleaned up.
fn opening_message(ws: &Workspace, lang: Lang) -> Option<(String, bool)> {
    let m = i18n::messages(lang);
    let orphaned = ws
        .codings
        .codings
        .iter()
        .filter(|c| c.coding.orphaned)
        .count();
    if let Some(first) = ws.problems.first() {
        return Some((
            format!("{} {} ({first})", ws.problems.len(), m.problems),
            true,
        ));
    }
    if orphaned > 0 {
        return Some((format!("{orphaned} {}", m.orphaned), true));
    }
    (!ws.cleaned.is_empty()).then(|| (format!("{} {}", ws.cleaned.len(), m.cleaned_temp), false))
}
