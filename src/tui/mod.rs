//! The terminal UI: a thin shell over the library. State (`app`), actions (`action`),
//! rendering (`view`) and this runtime, which owns the terminal, reads input on one thread,
//! searches on another, and redraws when something changed.

pub mod action;
pub mod app;
pub mod i18n;
pub mod layout;
pub mod text;
pub mod theme;
pub mod view;

use std::io::{IsTerminal, Write};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use base64::Engine;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind,
};
use ratatui::crossterm::execute;

use crate::coding::CodingSet;
use crate::config::Config;
use crate::corpus::codebook::Codebook;
use crate::error::{Error, Result};
use crate::index::search::{Hit, Request, Searcher};
use crate::workspace::Workspace;
use action::Action;
use app::{App, Effect};

enum Msg {
    Input(Event),
    Searched(u64, std::result::Result<Vec<Hit>, String>),
    /// Time to look whether another process changed the codings or the code book.
    Tick,
}

/// How often the TUI looks for other processes' changes (a stat per file).
const DISK_POLL: std::time::Duration = std::time::Duration::from_millis(700);

struct SearchJob {
    generation: u64,
    request: Request,
    codings: std::sync::Arc<CodingSet>,
}

/// Open the TUI on the project of `config`: refresh the index first (with progress on the
/// terminal), then run until the user quits. The terminal is restored on every exit,
/// panics included.
pub fn run(config: Config) -> Result<()> {
    if !std::io::stdout().is_terminal() {
        return Err(Error::Usage(
            "the TUI needs a terminal; for scripts use `visgraat search …` (see --help)".into(),
        ));
    }
    eprintln!("visgraat: opening {} …", config.corpus.display());
    let ws = Workspace::open(config)?;
    let report = ws.refresh_index_if_stale()?.unwrap_or_default();
    if report.did_work() {
        eprintln!("visgraat: index ready ({} documents)", report.documents);
    }
    let searcher = ws.searcher()?;
    let codebook = ws.corpus.codebook.clone();
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());

    // Mouse capture is ours to undo: chain a hook before ratatui installs its own.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        previous(info);
    }));
    let mut terminal = ratatui::init();
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    let result = event_loop(&mut terminal, ws, searcher, codebook, color);
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

/// What the TUI does up to its first frame (open the workspace, refresh the index, open the
/// searcher, build the state, draw), on a test backend instead of a terminal: the start-up
/// path, measurable without a terminal. Returns the frame as text.
pub fn first_frame(config: Config, size: (u16, u16)) -> Result<String> {
    let ws = Workspace::open(config)?;
    ws.refresh_index_if_stale()?;
    let _searcher = ws.searcher()?;
    let app = App::new(ws, size, false);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(size.0, size.1))
        .map_err(|e| Error::io("terminal", std::io::Error::other(e.to_string())))?;
    terminal
        .draw(|frame| view::render(&app, frame))
        .map_err(|e| Error::io("terminal", std::io::Error::other(e.to_string())))?;
    Ok(format!("{}\n", terminal.backend()))
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    ws: Workspace,
    searcher: Searcher,
    codebook: Codebook,
    color: bool,
) -> Result<()> {
    let size = terminal.size().map_err(|e| Error::io("terminal", e))?;
    let mut app = App::new(ws, (size.width, size.height), color);
    let (tx, rx) = mpsc::channel::<Msg>();
    let jobs = spawn_searcher(searcher, codebook, tx.clone());
    spawn_ticker(tx.clone());
    spawn_input(tx);
    let mut dirty = true;
    let mut snapshot = None;
    loop {
        if dirty {
            terminal
                .draw(|frame| view::render(&app, frame))
                .map_err(|e| Error::io("terminal", e))?;
        }
        dirty = false;
        let Ok(first) = rx.recv() else {
            break;
        };
        // Coalesce: handle everything that is waiting, then draw once.
        for msg in std::iter::once(first).chain(rx.try_iter()) {
            match msg {
                Msg::Input(ev) => {
                    if let Some(a) = to_action(&app, ev) {
                        app.update(a);
                    }
                    dirty = true;
                }
                Msg::Searched(generation, result) => {
                    app.search_done(generation, result);
                    dirty = true;
                }
                Msg::Tick => {
                    if crate::workspace::disk_stamp(&app.ws.corpus.root) != app.disk_stamp {
                        app.update(Action::Reload);
                        dirty = true;
                    }
                }
            }
        }
        for effect in std::mem::take(&mut app.effects) {
            match effect {
                Effect::Search {
                    generation,
                    request,
                } => {
                    let job = SearchJob {
                        generation,
                        request,
                        codings: shared_codings(&app, &mut snapshot),
                    };
                    let _ = jobs.send(job);
                }
                Effect::Clipboard(text) => copy_osc52(&text),
            }
        }
        if app.quit {
            break;
        }
    }
    Ok(())
}

fn to_action(app: &App, ev: Event) -> Option<Action> {
    match ev {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            action::from_key(key, app.input_mode())
        }
        Event::Mouse(m) => action::from_mouse(m),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

/// The codings for the search thread, copied only when they changed: every change to the
/// codings is a write, which moves `disk_stamp`. (A copy per keystroke costs milliseconds
/// with tens of thousands of codings.)
fn shared_codings(
    app: &App,
    snapshot: &mut Option<(u64, std::sync::Arc<CodingSet>)>,
) -> std::sync::Arc<CodingSet> {
    match snapshot {
        Some((stamp, codings)) if *stamp == app.disk_stamp => codings.clone(),
        _ => {
            let codings = std::sync::Arc::new(app.ws.codings.clone());
            *snapshot = Some((app.disk_stamp, codings.clone()));
            codings
        }
    }
}

fn spawn_ticker(tx: Sender<Msg>) {
    thread::spawn(move || {
        while tx.send(Msg::Tick).is_ok() {
            thread::sleep(DISK_POLL);
        }
    });
}

fn spawn_input(tx: Sender<Msg>) {
    thread::spawn(move || {
        while let Ok(ev) = event::read() {
            if tx.send(Msg::Input(ev)).is_err() {
                break;
            }
        }
    });
}

/// The search worker: runs only the newest waiting request, so fast typing never queues
/// stale searches; the UI drops any result that is not for the latest query.
fn spawn_searcher(searcher: Searcher, codebook: Codebook, tx: Sender<Msg>) -> Sender<SearchJob> {
    let (jobs_tx, jobs_rx): (Sender<SearchJob>, Receiver<SearchJob>) = mpsc::channel();
    thread::spawn(move || {
        while let Ok(mut job) = jobs_rx.recv() {
            while let Ok(newer) = jobs_rx.try_recv() {
                job = newer;
            }
            let result = searcher
                .search(&job.request, &job.codings, &codebook)
                .map_err(|e| e.to_string());
            if tx.send(Msg::Searched(job.generation, result)).is_err() {
                break;
            }
        }
    });
    jobs_tx
}

/// Put `text` on the clipboard with OSC 52: works in most terminals, also over ssh.
fn copy_osc52(text: &str) {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    let _ = write!(out, "\x1b]52;c;{encoded}\x07");
    let _ = out.flush();
}
