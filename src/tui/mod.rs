//! The terminal UI: a thin shell over the library. State (`app`), actions (`action`),
//! rendering (`view`) and this runtime, which owns the terminal, reads input on one thread,
//! searches on another, and redraws when something changed.

pub mod action;
pub mod app;
mod commands;
pub mod i18n;
pub mod indexer;
pub mod keymap;
pub mod layout;
pub mod pages;
pub mod popups;
pub mod replay;
mod round;
pub mod startup;
pub mod text;
pub mod theme;
pub mod view;

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::mpsc::{self, Sender};
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
use crate::workspace::watch::DiskWatch;
use crate::workspace::{Stamps, Workspace};
use action::Action;
use app::{App, Effect};
use indexer::{IndexState, Job};

enum Msg {
    Input(Event),
    /// From the loader: how much of the sources it has read (percent).
    Loading(u8),
    /// From the loader: the workspace, opened behind the first frame.
    Loaded(Box<Result<Workspace>>),
    /// From the index worker: its state, or a search's answer.
    Worker(indexer::Report),
    /// The files on disk, as the poller found them after a change, and whether a codings
    /// file was edited in place (which no own write does).
    Disk(Stamps, bool),
}

/// How often the TUI looks for other processes' changes where it cannot watch for them (a
/// stat per file, on the poller's own thread).
const DISK_POLL: std::time::Duration = std::time::Duration::from_millis(700);

/// The TUI needs a terminal: say so before anything is read.
pub fn check_terminal() -> Result<()> {
    if std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(Error::Usage(
            "the TUI needs a terminal; for scripts use `visgraat search …` (see --help)".into(),
        ))
    }
}

/// Run the TUI on the project of `config` until the user quits. The first frame is drawn at
/// once (see `startup`) while the workspace is opened on a worker thread; the index is built
/// or refreshed behind the open UI. The terminal is restored on every exit, panics included.
pub fn run(config: Config, config_path: &std::path::Path) -> Result<()> {
    check_terminal()?;
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // A bad binding is reported before the screen is taken.
    let keymap = keymap::Keymap::load(config_path)?;
    let mouse = keymap.mouse;
    let (tx, rx) = mpsc::channel::<Msg>();
    spawn_loader(config.clone(), tx.clone());

    // Mouse capture is ours to undo: chain a hook before ratatui installs its own.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        previous(info);
    }));
    let mut terminal = ratatui::init();
    if mouse {
        let _ = execute!(std::io::stdout(), EnableMouseCapture);
    }
    spawn_input(tx.clone());
    let result = event_loop(&mut terminal, &config, color, keymap, tx, rx);
    if mouse {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
    }
    ratatui::restore();
    result
}

/// Open the workspace on a thread of its own; the UI hears of it as `Msg::Loaded`. A panic
/// there ends the process as it would have on the UI thread (the panic hook has restored
/// the terminal by then).
fn spawn_loader(config: Config, tx: Sender<Msg>) {
    thread::spawn(move || {
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let progress = startup::LoadProgress::new(|percent| {
                let _ = tx.send(Msg::Loading(percent));
            });
            let ws = Workspace::open_with(config, &progress)?;
            // The next start's first frame: the catalogue, if the index has none that
            // matches (an index refreshed by an older visgraat, say). Only a cache: a
            // failure to write it changes nothing else.
            let _ = ws.keep_catalogue();
            Ok(ws)
        }));
        match opened {
            Ok(result) => {
                let _ = tx.send(Msg::Loaded(Box::new(result)));
            }
            Err(_) => std::process::exit(101),
        }
    });
}

/// The index state the UI starts in: an index that exists is taken as usable until the
/// worker says otherwise (it answers no search before it has checked); without one, the UI
/// says at once that it is being built.
pub(crate) fn initial_index_state(config: &Config) -> IndexState {
    if crate::index::build::has_manifest(&config.index) {
        IndexState::Ready
    } else {
        IndexState::Working {
            building: true,
            percent: 0,
        }
    }
}

/// What the TUI does up to its first frame, on a test backend instead of a terminal: the
/// start-up path, measurable without a terminal. The workspace is opened on its thread as in
/// the TUI while the first frame is drawn from the catalogue; with `loaded`, the frame drawn
/// once the workspace has arrived (the first one that acts on keys) is returned instead.
/// The index is not waited for, as in the TUI. Returns the frame as text.
pub fn first_frame(
    config: Config,
    config_path: &std::path::Path,
    size: (u16, u16),
    loaded: bool,
) -> Result<String> {
    let keymap = keymap::Keymap::load(config_path)?;
    let (tx, rx) = mpsc::channel::<Msg>();
    spawn_loader(config.clone(), tx);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(size.0, size.1))
        .map_err(|e| Error::io("terminal", std::io::Error::other(e.to_string())))?;
    let preview = startup::Preview::new(&config, keymap, size, false);
    terminal
        .draw(|frame| view::loading::render(&preview, frame))
        .map_err(|e| Error::io("terminal", std::io::Error::other(e.to_string())))?;
    if loaded {
        let ws = loop {
            match rx.recv() {
                Ok(Msg::Loaded(result)) => break (*result)?,
                Ok(_) => {}
                Err(_) => return Err(Error::Usage("the workspace could not be opened".into())),
            }
        };
        let mut app = App::with_keymap(ws, size, false, preview.keymap);
        app.index = initial_index_state(&app.ws.config);
        terminal
            .draw(|frame| view::render(&app, frame))
            .map_err(|e| Error::io("terminal", std::io::Error::other(e.to_string())))?;
    }
    Ok(format!("{}\n", terminal.backend()))
}

/// Draw the first frame, and again as input arrives, until the workspace is loaded: then
/// the App, with the input that waited. None when the user quit meanwhile.
fn wait_for_workspace(
    terminal: &mut ratatui::DefaultTerminal,
    preview: &mut startup::Preview,
    rx: &mpsc::Receiver<Msg>,
) -> Result<Option<Workspace>> {
    loop {
        terminal
            .draw(|frame| view::loading::render(preview, frame))
            .map_err(|e| Error::io("terminal", e))?;
        let Ok(first) = rx.recv() else {
            return Ok(None);
        };
        let mut loaded = None;
        for msg in std::iter::once(first).chain(rx.try_iter()) {
            match msg {
                Msg::Loaded(result) => loaded = Some(*result),
                Msg::Loading(percent) => preview.percent = Some(percent),
                Msg::Input(event) => {
                    if !preview.input(event) {
                        return Ok(None);
                    }
                }
                // The worker and the poller start with the App.
                Msg::Worker(_) | Msg::Disk(..) => {}
            }
        }
        if let Some(result) = loaded {
            return result.map(Some);
        }
    }
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    config: &Config,
    color: bool,
    keymap: keymap::Keymap,
    tx: Sender<Msg>,
    rx: mpsc::Receiver<Msg>,
) -> Result<()> {
    let size = terminal.size().map_err(|e| Error::io("terminal", e))?;
    let mut preview = startup::Preview::new(config, keymap, (size.width, size.height), color);
    let Some(ws) = wait_for_workspace(terminal, &mut preview, &rx)? else {
        return Ok(());
    };
    let mut app = App::with_keymap(ws, preview.size, color, preview.keymap);
    app.index = initial_index_state(&app.ws.config);
    // Nobody said who is coding (no --coder, $VISGRAAT_CODER or config): ask once.
    if !app.ws.config.coder_from.is_chosen() {
        app.ask_coder();
    }
    let jobs = spawn_indexer(app.ws.config.clone(), tx.clone());
    spawn_poller(
        app.ws.corpus.root.clone(),
        Stamps {
            project: app.disk_stamp,
            codings_files: app.codings_files_stamp,
            sources: app.sources_stamp,
        },
        tx,
    );
    // What was typed while loading, in order, as if typed now.
    let mut backlog: Vec<Msg> = preview.waiting.into_iter().map(Msg::Input).collect();
    let mut dirty = true;
    let mut snapshot = None;
    let mut stamp_seen = app.disk_stamp;
    loop {
        if dirty && backlog.is_empty() {
            terminal
                .draw(|frame| view::render(&app, frame))
                .map_err(|e| Error::io("terminal", e))?;
            dirty = false;
        }
        let batch: Vec<Msg> = if backlog.is_empty() {
            let Ok(first) = rx.recv() else {
                break;
            };
            // Coalesce: handle everything that is waiting, then draw once.
            std::iter::once(first).chain(rx.try_iter()).collect()
        } else {
            std::mem::take(&mut backlog)
        };
        for msg in batch {
            match msg {
                Msg::Loading(_) | Msg::Loaded(_) => {}
                Msg::Input(ev) => {
                    if let Some(a) = to_action(&app, ev) {
                        if a == Action::Reload {
                            // Ctrl-l: also look whether a source changed.
                            let _ = jobs.send(Job::Refresh);
                        }
                        app.update(a);
                    }
                    dirty = true;
                }
                Msg::Worker(indexer::Report::Searched(generation, result)) => {
                    app.search_done(generation, result);
                    dirty = true;
                }
                Msg::Worker(indexer::Report::Evidence(generation, result)) => {
                    app.evidence_done(generation, result);
                    dirty = true;
                }
                Msg::Worker(indexer::Report::Index(state)) => {
                    app.index = state;
                    dirty = true;
                }
                Msg::Worker(indexer::Report::Healed(reason)) => {
                    app.message = Some((format!("{}: {reason}", app.msg().index_healed), false));
                    dirty = true;
                }
                Msg::Disk(stamps, in_place) => {
                    // Own writes move the stamps too: only someone else's change reloads.
                    let (sources, project) = app.changed_elsewhere(&stamps);
                    if in_place {
                        // The stamp the snapshot is kept by did not move: copy anew.
                        snapshot = None;
                    }
                    if sources || in_place || project {
                        app.reload(sources, true);
                        if sources {
                            let _ = jobs.send(Job::Refresh);
                        }
                        dirty = true;
                    }
                }
            }
        }
        // The code book and the memos are in the index: after a change to them (here or by
        // another process) the worker brings it up to date, behind the UI.
        if app.disk_stamp != stamp_seen {
            stamp_seen = app.disk_stamp;
            let _ = jobs.send(Job::Refresh);
        }
        for effect in std::mem::take(&mut app.effects) {
            match effect {
                Effect::Search {
                    generation,
                    request,
                } => {
                    let (codings, codebook) = worker_snapshot(&app, &mut snapshot);
                    let _ = jobs.send(Job::Search {
                        generation,
                        request,
                        codings,
                        codebook,
                    });
                }
                Effect::Evidence {
                    generation,
                    claim,
                    quotes_first,
                    limit,
                } => {
                    let (codings, codebook) = worker_snapshot(&app, &mut snapshot);
                    let _ = jobs.send(Job::Evidence {
                        generation,
                        claim,
                        quotes_first,
                        limit,
                        codings,
                        codebook,
                    });
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
            app.keymap.action(&key, app.key_context(), app.input_mode())
        }
        Event::Mouse(m) if app.keymap.mouse => action::from_mouse(m),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

pub type Snapshot = (u64, Arc<CodingSet>, Arc<Codebook>);

/// The codings and the code book for the search worker, copied only when they changed:
/// every change to them is a write, which moves `disk_stamp`. (A copy per keystroke costs
/// milliseconds with tens of thousands of codings.) The worker always filters by the code
/// book as it is now, not as it was when the TUI started.
pub fn worker_snapshot(
    app: &App,
    snapshot: &mut Option<Snapshot>,
) -> (Arc<CodingSet>, Arc<Codebook>) {
    match snapshot {
        Some((stamp, codings, codebook)) if *stamp == app.disk_stamp => {
            (codings.clone(), codebook.clone())
        }
        _ => {
            let codings = Arc::new(app.ws.codings.clone());
            let codebook = Arc::new(app.ws.corpus.codebook.clone());
            *snapshot = Some((app.disk_stamp, codings.clone(), codebook.clone()));
            (codings, codebook)
        }
    }
}

/// Look for changes on disk off the UI thread; the UI hears only of a change. The kernel
/// names the files that changed (`workspace::watch`), so the work is proportional to what
/// changed; where watching is not possible, every file is stat'ed every `DISK_POLL`.
fn spawn_poller(corpus_root: std::path::PathBuf, mut last: Stamps, tx: Sender<Msg>) {
    thread::spawn(move || {
        let mut watch = DiskWatch::new(&corpus_root).ok();
        // A change between the UI's load and the watch's start is a change too.
        let mut first = watch.as_ref().map(DiskWatch::stamps);
        loop {
            let now = match (first.take(), watch.as_mut()) {
                (Some(start), _) => start,
                (None, Some(w)) => match w.next_change(None) {
                    Ok(now) => now,
                    Err(_) => {
                        watch = None;
                        continue;
                    }
                },
                (None, None) => {
                    thread::sleep(DISK_POLL);
                    Stamps::take(&corpus_root)
                }
            };
            if now != last {
                let in_place = last.edited_in_place(&now);
                last = now;
                if tx.send(Msg::Disk(now, in_place)).is_err() {
                    break;
                }
            }
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

/// The index worker (see `indexer`), its reports forwarded into the UI's queue.
fn spawn_indexer(config: Config, tx: Sender<Msg>) -> Sender<Job> {
    let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
    let (reports_tx, reports_rx) = mpsc::channel::<indexer::Report>();
    thread::spawn(move || indexer::run(config, jobs_rx, reports_tx));
    thread::spawn(move || {
        for report in reports_rx {
            if tx.send(Msg::Worker(report)).is_err() {
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
