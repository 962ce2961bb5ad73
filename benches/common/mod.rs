//! Helpers shared by the benchmarks.

use std::time::Duration;

use visgraat::index::search::Searcher;
use visgraat::tui::app::{App, Effect};

/// The `p` quantile (0..=1) of `samples` (sorted in place).
pub fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

/// Run the App's searches synchronously, as the TUI's search thread would.
pub fn run_effects(app: &mut App, searcher: &Searcher) {
    for effect in std::mem::take(&mut app.effects) {
        if let Effect::Search {
            generation,
            request,
        } = effect
        {
            let result = searcher
                .search(&request, &app.ws.codings, &app.ws.corpus.codebook)
                .map_err(|e| e.to_string());
            app.search_done(generation, result);
        }
    }
}
