//! `visgraat suggest` (propose codings, with reasons; accept or reject one; `--evaluate`) and
//! `visgraat evidence` (the passages that support a claim). The work is in `suggest`; this
//! parses and prints.

use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::coding::machine::SUGGESTIONS_CODER;
use crate::config::Config;
use crate::error::Error;
use crate::suggest::evaluate::Evaluation;
use crate::suggest::model::Method;
use crate::suggest::{self, Proposal};
use crate::workspace::Workspace;

use super::{open_workspace, progress};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SuggestArgs {
    #[command(subcommand)]
    pub action: Option<SuggestAction>,
    /// Suggest for this source only (else every source).
    #[arg(long)]
    pub source: Option<String>,
    /// Suggest this code only.
    #[arg(long)]
    pub code: Option<String>,
    /// Learn from these coders' codings only, comma-separated (default: every person).
    #[arg(long, value_delimiter = ',')]
    pub from_coder: Vec<String>,
    /// At most this many suggestions, best first (1 or more).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
    /// Leave out suggestions scoring below this (0 to 1).
    #[arg(long, default_value_t = suggest::DEFAULT_MIN_SCORE, value_parser = score)]
    pub min_score: f64,
    /// How a passage is scored: centroid, neighbours or blend (see `--evaluate`).
    #[arg(long, default_value = suggest::DEFAULT_METHOD.as_str())]
    pub method: String,
    /// Measure instead: leave-one-source-out precision and recall at k beside two baselines.
    #[arg(long)]
    pub evaluate: bool,
    /// With --evaluate: the k of precision@k and recall@k.
    #[arg(long, default_value_t = 3, requires = "evaluate")]
    pub k: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum SuggestAction {
    /// Make suggestion ID your own coding (the review log records it).
    Accept {
        id: String,
        /// Whose coding it becomes (default: your coder name).
        #[arg(long)]
        coder: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Reject suggestion ID: it is never proposed again for that passage and code.
    Reject {
        id: String,
        #[arg(long)]
        coder: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// A score from 0 to 1: a value outside would keep every suggestion or none (and a run
/// that keeps none replaces the stored ones with nothing).
fn score(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number: give a score from 0 to 1"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is outside 0 to 1: scores run from 0 to 1"))
    }
}

/// Every name in `from` is a person who coded something: teaching from nobody would store
/// suggestions learnt from nothing (or from the machine itself) over the good ones.
fn check_teachers(ws: &crate::workspace::Workspace, from: &[String]) -> Result<(), Error> {
    let coders = ws.codings.coders();
    for name in from {
        if ws.codings.is_machine(name) {
            return Err(Error::Usage(format!(
                "--from-coder {name:?} is the machine's own suggestions: learn from people (coders: {})",
                coders.join(", ")
            )));
        }
        super::refuse_unknown_coder(&ws.codings, name)
            .map_err(|e| Error::Usage(format!("--from-coder: {e}")))?;
    }
    Ok(())
}

pub(super) fn suggest(
    config: Config,
    args: &SuggestArgs,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let mut ws = open_workspace(config, bar)?;
    super::warn_problems(&ws.problems);
    match &args.action {
        Some(SuggestAction::Accept { id, coder, json }) => {
            let coder = super::acting_coder(coder.as_deref(), &ws.config);
            ws.accept_suggestion(id, &coder)?;
            decided(*json, id, "accepted", &coder)
        }
        Some(SuggestAction::Reject { id, coder, json }) => {
            let coder = super::acting_coder(coder.as_deref(), &ws.config);
            ws.reject_suggestion(id, &coder)?;
            decided(*json, id, "rejected", &coder)
        }
        None => {
            let method = Method::parse(&args.method).ok_or_else(|| {
                Error::Usage(format!(
                    "unknown method {:?}: use centroid, neighbours or blend",
                    args.method
                ))
            })?;
            check_teachers(&ws, &args.from_coder)?;
            if args.evaluate {
                let evaluation =
                    suggest::evaluate::evaluate(&ws.corpus, &ws.codings, &args.from_coder, args.k);
                if args.json {
                    super::print_json(&evaluation)?;
                } else {
                    print!("{}", evaluation_table(&evaluation));
                }
                return Ok(ExitCode::SUCCESS);
            }
            let options = suggest::Options {
                source: args.source.clone(),
                code: args.code.clone(),
                from_coders: args.from_coder.clone(),
                limit: args.limit as usize,
                min_score: args.min_score,
                method,
            };
            let proposals = ws.suggest(&options)?;
            if args.json {
                let listed: Vec<serde_json::Value> =
                    proposals.iter().map(|p| listed_json(&ws, p)).collect();
                super::print_json(&listed)?;
            } else {
                print_proposals(&ws, &proposals);
            }
            Ok(if proposals.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn decided(json: bool, id: &str, what: &str, coder: &str) -> Result<ExitCode, Error> {
    if json {
        super::print_json(&serde_json::json!({"id": id, "decision": what, "by": coder}))?;
    } else {
        println!("{what} suggestion {id} ({coder})");
    }
    Ok(ExitCode::SUCCESS)
}

fn listed_json(ws: &Workspace, p: &Proposal) -> serde_json::Value {
    let id = suggest::store::suggestion_id(&p.source, p.start, p.end, &p.code);
    let mut value = serde_json::to_value(p).unwrap_or_default();
    value["id"] = id.into();
    value["coder"] = SUGGESTIONS_CODER.into();
    value["text"] = text_of(ws, &p.source, p.start, p.end).into();
    value
}

fn text_of(ws: &Workspace, source: &str, start: usize, end: usize) -> String {
    ws.corpus
        .source(source)
        .and_then(|s| s.slice(start, end))
        .unwrap_or_default()
}

/// The first `chars` chars of `text` on one line, "…" when cut.
pub(crate) fn excerpt(text: &str, chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= chars {
        return flat;
    }
    let cut: String = flat.chars().take(chars).collect();
    format!("{cut}…")
}

fn print_proposals(ws: &Workspace, proposals: &[Proposal]) {
    if proposals.is_empty() {
        println!("no suggestions (nothing uncoded resembles the coded passages enough)");
        return;
    }
    for p in proposals {
        let id = suggest::store::suggestion_id(&p.source, p.start, p.end, &p.code);
        println!(
            "{id}  {} ¶{}  {}  score {:.2}",
            p.source, p.paragraph, p.code, p.score
        );
        println!(
            "    \"{}\"",
            excerpt(&text_of(ws, &p.source, p.start, p.end), 100)
        );
        let terms: Vec<String> = p
            .terms
            .iter()
            .map(|t| format!("{} {:.2}", t.term, t.weight))
            .collect();
        println!("    terms: {}", terms.join(", "));
        for like in &p.like {
            let quote = ws
                .codings
                .codings
                .iter()
                .find(|c| c.coding.id == like.coding)
                .map_or(String::new(), |c| excerpt(&c.coding.quote, 70));
            println!(
                "    like {} ({}, {:.2}): \"{quote}\"",
                like.source, like.coder, like.similarity
            );
        }
    }
    println!(
        "{} suggestion(s) stored as coder {SUGGESTIONS_CODER}; `visgraat suggest accept|reject ID`, or the Vergelijken view",
        proposals.len()
    );
}

fn evaluation_table(e: &Evaluation) -> String {
    let mut out = format!(
        "leave-one-source-out over {} source(s), {} coded paragraph(s), {} coding(s); k = {}\n\n",
        e.sources, e.units, e.codings, e.k
    );
    if e.too_short > 0 {
        out.insert_str(
            out.len() - 1,
            &format!(
                "{} coded paragraph(s) with fewer than {} content words are not scored: too little to suggest from (suggest passes over such paragraphs too)\n",
                e.too_short,
                suggest::MIN_TERMS
            ),
        );
    }
    out.push_str(&format!(
        "{:<26} {:>8} {:>8}\n",
        "ranker",
        format!("P@{}", e.k),
        format!("R@{}", e.k)
    ));
    for r in &e.rankers {
        out.push_str(&format!(
            "{:<26} {:>8.3} {:>8.3}\n",
            r.ranker, r.precision, r.recall
        ));
    }
    out.push_str("\nper code (coded paragraphs; precision / recall at k per ranker):\n");
    let names: Vec<String> = e
        .rankers
        .iter()
        .map(|r| r.ranker.trim_start_matches("baseline: ").to_string())
        .collect();
    out.push_str(&format!("{:<48} {:>5}", "code", "coded"));
    for n in &names {
        out.push_str(&format!(" {n:>15}"));
    }
    out.push('\n');
    let mut codes: Vec<(&str, usize)> = e
        .rankers
        .iter()
        .flat_map(|r| r.per_code.iter().map(|c| (c.code.as_str(), c.coded)))
        .collect();
    codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    codes.dedup_by(|a, b| a.0 == b.0);
    for (code, _) in codes {
        let coded = e
            .rankers
            .iter()
            .flat_map(|r| r.per_code.iter())
            .find(|c| c.code == code)
            .map_or(0, |c| c.coded);
        if coded == 0 {
            continue;
        }
        out.push_str(&format!("{:<48} {:>5}", excerpt(code, 47), coded));
        for r in &e.rankers {
            let cell = r
                .per_code
                .iter()
                .find(|c| c.code == code)
                .map_or("-".to_string(), |c| {
                    let f = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.2}"));
                    format!("{}/{}", f(c.precision), f(c.recall))
                });
            out.push_str(&format!(" {cell:>15}"));
        }
        out.push('\n');
    }
    out
}

pub(super) fn evidence(
    config: Config,
    claim: &str,
    quotes: bool,
    limit: usize,
    json: bool,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let ws = open_workspace(config, bar)?;
    super::warn_problems(&ws.problems);
    let (mut searcher, _) = crate::workspace::fresh_searcher_with(&ws.config, bar)?;
    let found = super::healing_search(&ws.config, &mut searcher, bar, |s| {
        suggest::evidence::find(s, &ws.codings, &ws.corpus.codebook, claim, quotes, limit)
    })?;
    let cite = |source: &str, start: u64, end: u64| {
        ws.corpus.source(source).map_or(String::new(), |s| {
            crate::export::citation::cite(&ws.corpus, s, start as usize, end as usize)
        })
    };
    if json {
        let listed: Vec<serde_json::Value> = found
            .iter()
            .map(|f| {
                let mut v = serde_json::to_value(f).unwrap_or_default();
                v["citation"] = cite(&f.hit.source, f.hit.start, f.hit.end).into();
                v
            })
            .collect();
        super::print_json(&listed)?;
    } else {
        for (i, f) in found.iter().enumerate() {
            let what = if f.quote { "quote" } else { "passage" };
            let codes = if f.hit.codes.is_empty() {
                String::new()
            } else {
                format!("  codes: {}", f.hit.codes.join(", "))
            };
            println!(
                "{}. {what}, support {:.2}, shares: {}{codes}",
                i + 1,
                f.support,
                f.shared.join(", ")
            );
            println!("{}", cite(&f.hit.source, f.hit.start, f.hit.end));
        }
    }
    if found.is_empty() {
        // Exit 1 says it to a script; a person is told too.
        eprintln!("visgraat: no passage carries the claim's content words");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
