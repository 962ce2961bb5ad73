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
