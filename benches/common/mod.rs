//! Helpers shared by the benchmarks.

use std::time::Duration;

use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use visgraat::index::search::Searcher;
use visgraat::tui::action::{Action, ViewId};
use visgraat::tui::app::App;
use visgraat::tui::view;

/// The `p` quantile (0..=1) of `samples` (sorted in place).
pub fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

/// Run the App's searches synchronously, as the TUI's search thread would.
pub fn run_effects(app: &mut App, searcher: &Searcher) {
    app.run_searches_now(searcher);
}

/// Type each query into the search line one character at a time; per keystroke the time to
/// update, search and draw the frame again.
pub fn keystrokes(
    app: &mut App,
    searcher: &Searcher,
    terminal: &mut Terminal<TestBackend>,
    queries: &[&str],
) -> Vec<Duration> {
    let mut samples = Vec::new();
    for q in queries {
        app.update(Action::Show(ViewId::Search));
        app.search.query.clear();
        app.search.editing = true;
        for c in q.chars() {
            let t = Instant::now();
            app.update(Action::Input(c));
            run_effects(app, searcher);
            terminal.draw(|f| view::render(app, f)).unwrap();
            samples.push(t.elapsed());
        }
    }
    samples
}
