//! How good the suggestions are, measured rather than claimed: leave-one-source-out over the
//! people's codings. Each source's codings are hidden in turn, the model learns from the
//! others' and ranks the codes of every paragraph people coded there; precision@k and
//! recall@k compare the top k with the codes people gave that paragraph, per code and
//! overall, beside two baselines in the same run (the most frequent codes; the codes whose
//! label words occur in the paragraph). Paragraphs nobody coded are not scored: that nobody
//! coded a paragraph does not make a code for it wrong.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::model::{Method, Model};
use super::{candidate_paragraphs, examples, teaching, terms};
use crate::coding::CodingSet;
use crate::corpus::Corpus;

#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub k: usize,
    /// Sources held out in turn (those with people's codings).
    pub sources: usize,
    /// Paragraphs scored (coded by someone).
    pub units: usize,
    /// People's codings taken part (each learned from in every fold but its own).
    pub codings: usize,
    /// Coded paragraphs not scored: fewer content words than a suggestion needs
    /// (`suggest::MIN_TERMS`), like the uncoded ones `suggest` passes over.
    pub too_short: usize,
    pub rankers: Vec<RankerScore>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankerScore {
    /// "centroid", "neighbours", "blend", `CODINGS_ONLY`, `MOST_FREQUENT`, `LABEL_WORDS`.
    pub ranker: String,
    pub precision: f64,
    pub recall: f64,
    pub per_code: Vec<CodeScore>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CodeScore {
    pub code: String,
    /// Paragraphs people gave this code.
    pub coded: usize,
    /// Paragraphs where it was in the top k.
    pub ranked: usize,
    /// Both.
    pub hits: usize,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
}

/// The centroid model without the code book's texts: what the codings alone teach.
pub const CODINGS_ONLY: &str = "centroid, codings only";
pub const MOST_FREQUENT: &str = "baseline: most frequent";
pub const LABEL_WORDS: &str = "baseline: label words";

#[derive(Default)]
struct Tally {
    precision_sum: f64,
    recall_sum: f64,
    per_code: BTreeMap<String, (usize, usize, usize)>,
}

impl Tally {
    fn add(&mut self, ranked: &[String], gold: &BTreeSet<String>, k: usize) {
        let top: Vec<&String> = ranked.iter().take(k).collect();
        let hits = top.iter().filter(|c| gold.contains(**c)).count();
        self.precision_sum += hits as f64 / k as f64;
        self.recall_sum += hits as f64 / gold.len() as f64;
        for code in gold {
            self.per_code.entry(code.clone()).or_default().0 += 1;
        }
        for code in top {
            let e = self.per_code.entry(code.clone()).or_default();
            e.1 += 1;
            if gold.contains(code) {
                e.2 += 1;
            }
        }
    }

    fn score(self, ranker: &str, units: usize) -> RankerScore {
        let ratio = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
        RankerScore {
            ranker: ranker.to_string(),
            precision: self.precision_sum / units.max(1) as f64,
            recall: self.recall_sum / units.max(1) as f64,
            per_code: self
                .per_code
                .into_iter()
                .map(|(code, (coded, ranked, hits))| CodeScore {
                    code,
                    coded,
                    ranked,
                    hits,
                    precision: ratio(hits, ranked),
                    recall: ratio(hits, coded),
                })
                .collect(),
        }
    }
}

/// Leave-one-source-out over the codings of `from_coders` (empty: every person's).
pub fn evaluate(
    corpus: &Corpus,
    codings: &CodingSet,
    from_coders: &[String],
    k: usize,
) -> Evaluation {
    let k = k.max(1);
    let all = examples(corpus, codings, from_coders);
    let taught = teaching(corpus, codings, from_coders);
    let held_out: BTreeSet<&str> = all.iter().map(|e| e.source.as_str()).collect();
    let mut tallies: Vec<(String, Tally)> = Method::ALL
        .iter()
        .map(|m| m.as_str().to_string())
        .chain([
            CODINGS_ONLY.to_string(),
            MOST_FREQUENT.to_string(),
            LABEL_WORDS.to_string(),
        ])
        .map(|name| (name, Tally::default()))
        .collect();
    let label_terms: Vec<(String, HashSet<String>)> = corpus
        .codebook
        .codes
        .iter()
        .map(|c| (c.id.clone(), terms::terms(&c.label).into_iter().collect()))
        .collect();
    let spans: HashMap<&str, (usize, usize)> = codings
        .codings
        .iter()
        .map(|p| (p.coding.id.as_str(), (p.coding.start, p.coding.end)))
        .collect();
    let mut units = 0;
    let mut too_short = 0;
    for source_id in &held_out {
        let Some(source) = corpus.source(source_id) else {
            continue;
        };
        let train: Vec<_> = taught
            .iter()
            .filter(|e| e.source != *source_id)
            .cloned()
            .collect();
        let mut frequency: HashMap<&str, usize> = HashMap::new();
        for e in train.iter().filter(|e| !e.coder.is_empty()) {
            *frequency.entry(e.code.as_str()).or_insert(0) += 1;
        }
        let by_frequency = |a: &str, b: &str| {
            let (fa, fb) = (frequency.get(a), frequency.get(b));
            fb.cmp(&fa).then_with(|| a.cmp(b))
        };
        let mut most_frequent: Vec<String> = frequency.keys().map(|c| c.to_string()).collect();
        most_frequent.sort_by(|a, b| by_frequency(a, b));
        let paragraphs = candidate_paragraphs(source);
        let gold_of = |start: usize, end: usize| -> BTreeSet<String> {
            all.iter()
                .filter(|e| e.source == *source_id)
                .filter_map(|e| {
                    let (a, b) = spans.get(e.coding.as_str())?;
                    (*a < end && start < *b).then(|| e.code.clone())
                })
                .collect()
        };
        too_short += source
            .segments()
            .iter()
            .filter(|s| !s.is_heading_or_note(&source.meta.title))
            .filter(|s| terms::terms(&s.text).len() < super::MIN_TERMS)
            .filter(|s| !gold_of(s.start, s.end).is_empty())
            .count();
        let scored: Vec<(&crate::corpus::source::Segment, BTreeSet<String>)> = paragraphs
            .iter()
            .map(|s| (s, gold_of(s.start, s.end)))
            .filter(|(_, gold)| !gold.is_empty())
            .collect();
        let background: Vec<&str> = paragraphs.iter().map(|s| s.text.as_str()).collect();
        let people: Vec<_> = train
            .iter()
            .filter(|e| !e.coder.is_empty())
            .cloned()
            .collect();
        let models: Vec<Model> = Method::ALL
            .iter()
            .map(|&m| Model::train(train.clone(), &background, m))
            .chain([Model::train(people, &background, Method::Centroid)])
            .collect();
        for (seg, gold) in &scored {
            units += 1;
            for (model, (_, tally)) in models.iter().zip(tallies.iter_mut()) {
                let ranked: Vec<String> =
                    model.rank(&seg.text).into_iter().map(|s| s.code).collect();
                tally.add(&ranked, gold, k);
            }
            let n = models.len();
            tallies[n].1.add(&most_frequent, gold, k);
            let words: HashSet<String> = terms::terms(&seg.text).into_iter().collect();
            let mut by_label: Vec<(usize, &str)> = label_terms
                .iter()
                .map(|(code, label)| (label.intersection(&words).count(), code.as_str()))
                .collect();
            by_label.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| by_frequency(a.1, b.1)));
            let ranked: Vec<String> = by_label.into_iter().map(|(_, c)| c.to_string()).collect();
            tallies[n + 1].1.add(&ranked, gold, k);
        }
    }
    Evaluation {
        k,
        sources: held_out.len(),
        units,
        codings: all.len(),
        too_short,
        rankers: tallies
            .into_iter()
            .map(|(name, t)| t.score(&name, units))
            .collect(),
    }
}
