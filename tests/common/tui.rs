//! Driving the TUI's `App` in tests without its threads: the searches it asks for are run
//! here, synchronously, as the worker thread would run them.

use visgraat::index::search::Searcher;
use visgraat::tui::app::{App, Effect};

/// Run every search `app` asked for with `searcher` and hand the answers back.
pub fn run_searches(app: &mut App, searcher: &Searcher) {
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
