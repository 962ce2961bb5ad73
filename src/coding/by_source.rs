//! A snapshot of the codings with its codings grouped by source, for answering many
//! searches from one snapshot (the TUI's search worker): a hit's codes are then a lookup,
//! not a pass over every coding. It owns its snapshot behind an `Arc`, which nobody can
//! change, so the grouping can never be out of step with the codings it groups.

use std::collections::HashMap;
use std::sync::Arc;

use super::{CodingSet, Placed};

pub struct IndexedCodings {
    set: Arc<CodingSet>,
    /// People's codings (`set.codings`) by source, as positions in `set.codings`.
    of_source: HashMap<String, Vec<u32>>,
}

impl IndexedCodings {
    pub fn new(set: Arc<CodingSet>) -> IndexedCodings {
        let mut of_source: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, placed) in set.codings.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else {
                break;
            };
            of_source.entry(placed.source.clone()).or_default().push(i);
        }
        IndexedCodings { set, of_source }
    }

    /// The snapshot this groups.
    pub fn set(&self) -> &Arc<CodingSet> {
        &self.set
    }

    /// True when this groups exactly `set` (the same snapshot, not an equal one).
    pub fn is_of(&self, set: &Arc<CodingSet>) -> bool {
        Arc::ptr_eq(&self.set, set)
    }

    /// People's codings on `source`, in the snapshot's order.
    pub fn of_source(&self, source: &str) -> impl Iterator<Item = &Placed> {
        self.of_source
            .get(source)
            .into_iter()
            .flatten()
            .map(|&i| &self.set.codings[i as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coding::Coding;

    fn placed(coder: &str, source: &str, code: &str) -> Placed {
        Placed {
            coder: coder.into(),
            source: source.into(),
            coding: Coding {
                id: format!("{coder}-{source}-{code}"),
                code: code.into(),
                start: 0,
                end: 4,
                quote: String::new(),
                memo: String::new(),
                created: "2026-12-02".parse().unwrap(),
                orphaned: false,
                prefix: String::new(),
                suffix: String::new(),
                original_quote: None,
                review: None,
            },
        }
    }

    #[test]
    fn a_source_gives_the_codings_a_pass_over_all_finds_in_their_order() {
        let set = CodingSet {
            codings: vec![
                placed("ana", "a", "x"),
                placed("ana", "b", "y"),
                placed("bob", "a", "z"),
                placed("bob", "a", "x"),
            ],
            ..CodingSet::default()
        };
        let indexed = IndexedCodings::new(Arc::new(set));
        for source in ["a", "b", "c"] {
            let by_pass: Vec<&str> = indexed
                .set()
                .codings
                .iter()
                .filter(|p| p.source == source)
                .map(|p| p.coding.id.as_str())
                .collect();
            let looked_up: Vec<&str> = indexed
                .of_source(source)
                .map(|p| p.coding.id.as_str())
                .collect();
            assert_eq!(looked_up, by_pass, "{source}");
        }
        assert!(indexed.is_of(&indexed.set().clone()));
        assert!(!indexed.is_of(&Arc::new(CodingSet::default())));
    }
}
