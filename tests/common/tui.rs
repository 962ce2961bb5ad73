//! The TUI's `App` in tests, without a terminal: opened on a test project as a given coder in
//! a given language and size, and drawn with ratatui's TestBackend.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use visgraat::config::Config;
use visgraat::tui::app::App;
use visgraat::tui::view;
use visgraat::workspace::Workspace;

use super::Project;

/// The App on `p`'s config.toml, in `language` ("nl" or "en"), as `coder`.
pub fn app(p: &Project, language: &str, coder: &str, size: (u16, u16)) -> App {
    let mut config = Config::load(&p.path().join("config.toml")).unwrap();
    config.language = language.into();
    config.coder = coder.into();
    App::new(Workspace::open(config).unwrap(), size, false)
}

/// The screen as the App draws it now.
pub fn screen(app: &App) -> String {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::render(app, f)).unwrap();
    format!("{}", terminal.backend())
}

/// The TUI's first frame before its workspace is loaded (see `tui::startup`), on `p`.
pub fn preview(p: &Project, language: &str, size: (u16, u16)) -> visgraat::tui::startup::Preview {
    let mut config = Config::load(&p.path().join("config.toml")).unwrap();
    config.language = language.into();
    config.coder = "voorbeeld".into();
    let keymap = visgraat::tui::keymap::Keymap::default();
    visgraat::tui::startup::Preview::new(&config, keymap, size, false)
}

/// The first frame as the preview draws it.
pub fn preview_screen(preview: &visgraat::tui::startup::Preview) -> String {
    let (w, h) = preview.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| view::loading::render(preview, f))
        .unwrap();
    format!("{}", terminal.backend())
}
