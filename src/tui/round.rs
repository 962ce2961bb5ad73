//! Limiting the TUI to a reliability round (O'Connor & Joffe 2020; see `coding::rounds`):
//! coders who double-code a round see only its sources in the tree, only hits in its units
//! in the search, and its units marked in the reader, so they code what the round asks
//! without seeing more than they need.

use std::collections::BTreeSet;

use crate::coding::rounds::Round;
use crate::index::search::Hit;

use super::app::App;
use super::i18n::methods::{self, fill};
use super::pages::Command;

impl App {
    /// The next round (none → round 1 → … → the last → none), read fresh from corpus/icr/.
    pub(super) fn cycle_round(&mut self) -> Vec<Command> {
        let mm = methods::methods(self.lang);
        let rounds = match self.ws.rounds() {
            Ok(rounds) => rounds,
            Err(e) => return vec![Command::Error(e.to_string())],
        };
        if rounds.is_empty() {
            self.limit_to_round(None);
            return vec![Command::Info(mm.no_rounds.to_string())];
        }
        let next = match &self.round {
            None => rounds.into_iter().next(),
            Some(current) => rounds.into_iter().find(|r| r.round > current.round),
        };
        let said = match &next {
            Some(r) => {
                let sources: BTreeSet<&str> = r.units.iter().map(|u| u.source.as_str()).collect();
                fill(
                    mm.round_shown,
                    &[
                        ("round", r.round.to_string()),
                        ("units", r.units.len().to_string()),
                        ("sources", sources.len().to_string()),
                    ],
                )
            }
            None => mm.round_off.to_string(),
        };
        self.limit_to_round(next);
        vec![Command::Info(said)]
    }

    /// Limit the tree and the search to `round` (None: everything), keeping the selection
    /// where the source is still listed.
    pub(super) fn limit_to_round(&mut self, round: Option<Round>) {
        let selected = self.selected_source_id();
        self.docs.limit = round
            .as_ref()
            .map(|r| r.units.iter().map(|u| u.source.clone()).collect());
        self.round = round;
        self.docs.sources_reloaded(&self.ws, selected);
        if !self.search.results.is_empty() {
            self.request_search();
        }
    }

    /// Whether a search hit may show: every hit without a round, else one that overlaps a
    /// unit of the round.
    pub(super) fn hit_in_round(&self, hit: &Hit) -> bool {
        self.round
            .as_ref()
            .is_none_or(|r| r.contains(&hit.source, hit.start as usize, hit.end as usize))
    }

    /// Whether chars `start..end` of `source` lie in a unit of the round (false without one).
    pub fn in_round(&self, source: &str, start: usize, end: usize) -> bool {
        self.round
            .as_ref()
            .is_some_and(|r| r.contains(source, start, end))
    }
}
