//! Evidence for a claim: a sentence of a report ("docenten ervaren de werkdruk als hoog")
//! becomes a search for any of its content words through the index's public search (so the
//! Dutch stems and compound tails apply), and the passages found are ranked by how much of
//! the claim they carry: the search's score times the share of the claim's terms they
//! share. Each hit names the terms it shares and its codes; quote records first when asked.

use std::collections::HashSet;

use serde::Serialize;

use super::terms;
use crate::coding::CodingSet;
use crate::corpus::codebook::Codebook;
use crate::error::{Error, Result};
use crate::index::search::{Hit, Request, Searcher};

/// One passage that supports a claim.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Support {
    /// How well it supports the claim (search score × share of the claim's terms).
    pub support: f64,
    /// The claim's words it shares (as typed in the claim).
    pub shared: Vec<String>,
    /// A quote record (a participant's words picked out in the source) or a passage.
    pub quote: bool,
    #[serde(flatten)]
    pub hit: Hit,
}

/// How many search hits are ranked again for each one returned.
const POOL: usize = 5;

/// The passages (and with `quotes_first` the quote records before them) that support
/// `claim`, best first, at most `limit`.
pub fn find(
    searcher: &Searcher,
    codings: &CodingSet,
    codebook: &Codebook,
    claim: &str,
    quotes_first: bool,
    limit: usize,
) -> Result<Vec<Support>> {
    let words = terms::content_words(claim);
    if words.is_empty() {
        return Err(Error::Query(crate::index::query::Problem::NoContentWords));
    }
    // Quoted, every word is searched as itself (no OR/NOT read into a claim's text).
    let query = words
        .iter()
        .map(|(w, _)| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" OR ");
    let limit = limit.max(1);
    let request = |quotes: bool| Request {
        query: query.clone(),
        quotes,
        limit: limit * POOL,
        ..Request::default()
    };
    let mut found: Vec<Support> = Vec::new();
    let mut passes = vec![false];
    if quotes_first {
        passes.insert(0, true);
    }
    for quotes in passes {
        let hits = searcher.search(&request(quotes), codings, codebook)?;
        let mut these: Vec<Support> = hits
            .into_iter()
            .map(|hit| support(hit, &words, quotes))
            .collect();
        these.sort_by(|a, b| {
            b.support
                .total_cmp(&a.support)
                .then_with(|| a.hit.key.cmp(&b.hit.key))
        });
        found.extend(these);
    }
    // A passage found as a quote first is not listed again as a passage.
    let mut seen = HashSet::new();
    found.retain(|s| seen.insert((s.hit.source.clone(), s.hit.start, s.hit.end)));
    found.truncate(limit);
    Ok(found)
}

fn support(hit: Hit, words: &[(String, String)], quote: bool) -> Support {
    let have: HashSet<String> = terms::terms(&hit.text).into_iter().collect();
    let shared: Vec<String> = words
        .iter()
        .filter(|(_, stem)| have.contains(stem))
        .map(|(w, _)| w.clone())
        .collect();
    let share = shared.len() as f64 / words.len() as f64;
    Support {
        support: (f64::from(hit.score) * share * 1000.0).round() / 1000.0,
        shared,
        quote,
        hit,
    }
}
