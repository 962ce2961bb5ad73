//! The TUI before its workspace is loaded: the first frame is drawn at once from the index's
//! catalogue of the sources (`index::catalogue`) — the Documents page as it opens, the
//! status line saying it is loading — while `Workspace::open` runs on a worker thread.
//! Nothing acts on the catalogue: input that arrives meanwhile waits here, in order, and is
//! handled once the `App` exists, as if typed then. Only quitting is done at once: a key
//! that quits in any context (Ctrl-C), or the quit key as the first thing typed, when the
//! App will open on the Documents page with nothing asking for text.

use std::sync::atomic::{AtomicU64, Ordering};

use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};

use crate::config::Config;
use crate::index::catalogue::Catalogue;
use crate::progress::{Progress, Stage};
use crate::tui::action::{Action, InputMode};
use crate::tui::i18n::{self, Lang, Messages};
use crate::tui::indexer::IndexState;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::pages::documents::{TreeRow, first_source_row, with_headings};

/// What the first frame is drawn from, and the input waiting for the workspace.
pub struct Preview {
    pub lang: Lang,
    pub keymap: Keymap,
    pub coder: String,
    pub size: (u16, u16),
    pub color: bool,
    pub index: IndexState,
    /// The index's catalogue, when it still matches the corpus; None: a plain loading frame.
    pub catalogue: Option<Catalogue>,
    /// The documents tree built from the catalogue, as `DocumentsPage` builds it.
    pub tree: Vec<TreeRow>,
    pub selected: usize,
    /// Whether the App opens asking who codes (the prompt then takes the keys typed).
    pub asks_coder: bool,
    /// The events that arrived before the workspace, in order.
    pub waiting: Vec<Event>,
    /// How far the loader is, in steps of ten percent (None: not known yet).
    pub percent: Option<u8>,
}

impl Preview {
    /// The preview for `config`: a read of the catalogue and a dozen stats.
    pub fn new(config: &Config, keymap: Keymap, size: (u16, u16), color: bool) -> Preview {
        let catalogue = crate::index::catalogue::load_fresh(&config.corpus, &config.index);
        let tree = catalogue.as_ref().map_or_else(Vec::new, |c| {
            with_headings(
                c.sources
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (i, e.kind, e.case.as_deref())),
            )
        });
        Preview {
            lang: Lang::from_config(&config.language),
            keymap,
            coder: config.coder.clone(),
            size,
            color,
            index: super::initial_index_state(config),
            selected: first_source_row(&tree),
            tree,
            catalogue,
            asks_coder: !config.coder_from.is_chosen(),
            waiting: Vec::new(),
            percent: None,
        }
    }

    pub fn msg(&self) -> &'static Messages {
        i18n::messages(self.lang)
    }

    /// An event that arrived before the workspace: kept for the App, in order. False when
    /// it quits the TUI at once.
    pub fn input(&mut self, event: Event) -> bool {
        if let Event::Key(key) = &event
            && key.kind != KeyEventKind::Release
            && self.quits_now(key)
        {
            return false;
        }
        if let Event::Resize(w, h) = event {
            self.size = (w, h);
        }
        self.waiting.push(event);
        true
    }

    /// Whether `key` quits whatever came before it (Ctrl-C quits also while typing), or it
    /// is the quit key of the page the App opens on and nothing before it could have
    /// changed which page or popup has the keys.
    fn quits_now(&self, key: &KeyEvent) -> bool {
        let quits = |context, mode| self.keymap.action(key, context, mode) == Some(Action::Quit);
        if quits(Context::Global, InputMode::Text) {
            return true;
        }
        let nothing_before = !self.asks_coder
            && self
                .waiting
                .iter()
                .all(|e| !matches!(e, Event::Key(_) | Event::Mouse(_) | Event::Paste(_)));
        nothing_before && quits(Context::Documents, InputMode::Normal)
    }

    /// The title of the source in row `i` of the catalogue.
    pub fn title(&self, i: usize) -> String {
        self.catalogue
            .as_ref()
            .and_then(|c| c.sources.get(i))
            .map_or_else(String::new, |e| e.title.clone())
    }

    /// The label of case `id`.
    pub fn case_label(&self, id: &str) -> String {
        self.catalogue
            .as_ref()
            .map_or(id, |c| c.case_label(id))
            .to_string()
    }
}

/// The loader's progress through the sources, told in steps of ten percent (a redraw each:
/// more would take the UI thread's share of the two cores from the load), up to 90 %: the
/// codings and the re-anchoring come after the last source.
pub struct LoadProgress<F: Fn(u8) + Sync> {
    send: F,
    total: AtomicU64,
    done: AtomicU64,
    told: AtomicU64,
}

impl<F: Fn(u8) + Sync> LoadProgress<F> {
    pub fn new(send: F) -> LoadProgress<F> {
        LoadProgress {
            send,
            total: AtomicU64::new(0),
            done: AtomicU64::new(0),
            told: AtomicU64::new(0),
        }
    }
}

impl<F: Fn(u8) + Sync> Progress for LoadProgress<F> {
    fn stage(&self, stage: Stage, total: u64) {
        if stage == Stage::ReadingCorpus {
            self.total.store(total, Ordering::Relaxed);
        }
    }

    fn advance(&self, units: u64) {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return;
        }
        let done = self.done.fetch_add(units, Ordering::Relaxed) + units;
        let step = (done * 10 / total).min(9);
        if step > self.told.fetch_max(step, Ordering::Relaxed) {
            (self.send)((step * 10) as u8);
        }
    }

    /// Quitting the TUI ends the process; the load itself is never cancelled.
    fn cancelled(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEventState, KeyModifiers};

    fn preview(asks_coder: bool) -> Preview {
        Preview {
            lang: Lang::Nl,
            keymap: Keymap::default(),
            coder: "k".into(),
            size: (80, 24),
            color: false,
            index: IndexState::Ready,
            catalogue: None,
            tree: Vec::new(),
            selected: 0,
            asks_coder,
            waiting: Vec::new(),
            percent: None,
        }
    }

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
        Event::Key(KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        })
    }

    #[test]
    fn ctrl_c_quits_at_once_whatever_was_typed_before() {
        let mut p = preview(true);
        assert!(p.input(key(KeyCode::Char('/'), KeyModifiers::NONE)));
        assert!(!p.input(key(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    }

    #[test]
    fn q_quits_at_once_only_as_the_first_key_on_the_documents_page() {
        let mut p = preview(false);
        assert!(p.input(Event::Resize(100, 30)));
        assert!(!p.input(key(KeyCode::Char('q'), KeyModifiers::NONE)));

        // After `/` the q may be typed into the search field: it waits, in order.
        let mut p = preview(false);
        assert!(p.input(key(KeyCode::Char('/'), KeyModifiers::NONE)));
        assert!(p.input(key(KeyCode::Char('q'), KeyModifiers::NONE)));
        assert_eq!(p.waiting.len(), 2);

        // The App will open asking who codes: q is a letter of a name.
        let mut p = preview(true);
        assert!(p.input(key(KeyCode::Char('q'), KeyModifiers::NONE)));
    }

    #[test]
    fn the_load_is_told_in_ten_steps_however_many_sources() {
        let told = std::sync::Mutex::new(Vec::new());
        let progress = LoadProgress::new(|p| told.lock().unwrap().push(p));
        progress.advance(1);
        progress.stage(Stage::ReadingCorpus, 2_000);
        for _ in 0..2_000 {
            progress.advance(1);
        }
        progress.advance(5);
        let told = told.into_inner().unwrap();
        assert_eq!(told, vec![10, 20, 30, 40, 50, 60, 70, 80, 90]);
    }

    #[test]
    fn a_resize_while_loading_is_drawn_and_kept_for_the_app() {
        let mut p = preview(false);
        assert!(p.input(Event::Resize(100, 30)));
        assert_eq!(p.size, (100, 30));
        assert_eq!(p.waiting, vec![Event::Resize(100, 30)]);
    }
}
