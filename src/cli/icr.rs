//! `visgraat icr sample` draws a reliability round; `agreement --round N` reports it, with
//! the table across rounds.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Subcommand;

use crate::analysis::icr::{self, RoundReport, SampleOptions, Strata, UnitSize};
use crate::coding::rounds;
use crate::config::Config;
use crate::corpus::source::SourceKind;
use crate::error::Error;

use super::{open_workspace, progress, warn_problems};

#[derive(Debug, Subcommand)]
pub enum IcrCommand {
    /// Draw a reproducible, stratified sample of units into corpus/icr/round-N.toml.
    Sample {
        /// The share of units to double-code: 10–25 % is usual (O'Connor & Joffe 2020).
        #[arg(long, default_value = "15%")]
        share: String,
        /// The same seed (and corpus) draws the same units.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Strata: source (each source gives its share) or case.
        #[arg(long, default_value = "source")]
        by: String,
        /// paragraph or sentence.
        #[arg(long, default_value = "paragraph")]
        units: String,
        /// Draw from the sources of this kind (default: every source someone has coded).
        #[arg(long)]
        kind: Option<String>,
    },
    /// The rounds so far, with their agreement now: does the code book converge?
    Rounds {
        #[arg(long, default_value_t = 0.8)]
        min_alpha: f64,
    },
}

pub(super) fn run(
    config: Config,
    command: IcrCommand,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let ws = open_workspace(config, bar)?;
    warn_problems(&ws.problems);
    match command {
        IcrCommand::Sample {
            share,
            seed,
            by,
            units,
            kind,
        } => {
            let options = SampleOptions {
                share: crate::analysis::parse_percent("--share", &share).map_err(Error::Usage)?,
                seed,
                strata: match by.as_str() {
                    "source" => Strata::Source,
                    "case" => Strata::Case,
                    other => {
                        return Err(Error::Usage(format!("--by {other:?}: use source or case")));
                    }
                },
                size: match units.as_str() {
                    "paragraph" => UnitSize::Paragraph,
                    "sentence" => UnitSize::Sentence,
                    other => {
                        return Err(Error::Usage(format!(
                            "--units {other:?}: use paragraph or sentence"
                        )));
                    }
                },
                kind: kind
                    .map(|k| {
                        SourceKind::parse(&k).ok_or_else(|| {
                            Error::Usage(format!(
                                "unknown kind {k:?}: use transcript, intermezzo, report or letter"
                            ))
                        })
                    })
                    .transpose()?,
            };
            let hash = rounds::codebook_hash(&ws.config.corpus)?;
            let round = icr::sample(&ws.corpus, &ws.codings, &options, hash)?;
            let round = rounds::save_new(&ws.config.corpus, round)?;
            let sources: std::collections::BTreeSet<&str> =
                round.units.iter().map(|u| u.source.as_str()).collect();
            println!(
                "round {}: {} of {} {}s ({:.1} %) from {} source(s), seed {}, written to {}",
                round.round,
                round.units.len(),
                round.population,
                round.units_are,
                100.0 * round.units.len() as f64 / round.population as f64,
                sources.len(),
                round.seed,
                rounds::path(&ws.config.corpus, round.round).display()
            );
            Ok(ExitCode::SUCCESS)
        }
        IcrCommand::Rounds { min_alpha } => {
            let all = rounds::load_all(&ws.config.corpus)?;
            if all.is_empty() {
                return Err(Error::Usage(
                    "no rounds yet: visgraat icr sample --share 15% draws one".into(),
                ));
            }
            let current = rounds::codebook_hash(&ws.config.corpus)?;
            let reports: Vec<RoundReport> = all
                .iter()
                .map(|r| {
                    let coders = icr::round_coders(&ws.codings, r);
                    icr::report(&ws.corpus, &ws.codings, r, &coders, min_alpha, &current)
                })
                .collect();
            print!("{}", across_rounds(&reports));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `agreement --round N`: the round's figures, then the table across rounds.
pub(super) fn agreement(
    config: Config,
    number: u32,
    coders: Vec<String>,
    min_alpha: f64,
    json: bool,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let ws = open_workspace(config, bar)?;
    warn_problems(&ws.problems);
    if !(0.0..=1.0).contains(&min_alpha) {
        return Err(Error::Usage(format!(
            "--min-alpha {min_alpha}: alpha runs up to 1, e.g. 0.8"
        )));
    }
    let known = ws.codings.coders();
    if let Some(unknown) = coders.iter().find(|c| !known.contains(&c.as_str())) {
        return Err(Error::Usage(format!(
            "no codings by {unknown:?}; coders: {}",
            known.join(", ")
        )));
    }
    super::analysis::refuse_repeated(&coders)?;
    let round = rounds::load(&ws.config.corpus, number)?;
    let coders = if coders.is_empty() {
        icr::round_coders(&ws.codings, &round)
    } else {
        coders
    };
    if coders.len() < 2 {
        return Err(Error::Usage(format!(
            "round {number} needs two coders who coded its sources; it has {}",
            if coders.is_empty() {
                "none".to_string()
            } else {
                coders.join(", ")
            }
        )));
    }
    let current = rounds::codebook_hash(&ws.config.corpus)?;
    let report = icr::report(
        &ws.corpus,
        &ws.codings,
        &round,
        &coders,
        min_alpha,
        &current,
    );
    let history: Vec<RoundReport> = rounds::load_all(&ws.config.corpus)?
        .iter()
        .map(|r| icr::report(&ws.corpus, &ws.codings, r, &coders, min_alpha, &current))
        .collect();
    if json {
        let value = serde_json::json!({ "round": report, "rounds": history });
        println!(
            "{}",
            serde_json::to_string_pretty(&value).map_err(|e| Error::Usage(e.to_string()))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", round_table(&report, &ws.corpus.codebook));
    print!("\n{}", across_rounds(&history));
    Ok(ExitCode::SUCCESS)
}

fn num(v: Option<f64>) -> String {
    v.map_or("—".to_string(), |x| format!("{x:.2}"))
}

fn round_table(r: &RoundReport, codebook: &crate::corpus::codebook::Codebook) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Round {} ({}): {} {}s, coders {} (coverage {}); {} of them coded by two or more coders, the units compared.",
        r.round,
        r.created,
        r.units,
        r.units_are,
        r.coders.join(", "),
        r.coverage
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" / "),
        r.compared
    );
    let _ = writeln!(
        out,
        "Code book {}{}.",
        &r.codebook_sha256[..12.min(r.codebook_sha256.len())],
        if r.codebook_changed {
            " (changed since the round was drawn)"
        } else {
            " (unchanged)"
        }
    );
    let _ = writeln!(
        out,
        "{:<52} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "", "units", "coded", "agree", "kappa", "alpha"
    );
    let mut row = |label: &str, f: &crate::analysis::agreement::Figures, flag: bool| {
        let label = if label.chars().count() > 52 {
            format!("{}…", label.chars().take(51).collect::<String>())
        } else {
            label.to_string()
        };
        let _ = writeln!(
            out,
            "{:<52} {:>6} {:>6} {:>6} {:>6} {:>6}{}",
            label,
            f.units,
            f.coded_units,
            f.percent_agreement
                .map_or("—".to_string(), |p| format!("{:.0}%", p * 100.0)),
            num(f.cohen_kappa),
            num(f.krippendorff_alpha),
            match (flag, f.unstable) {
                (true, true) => " *  ← below",
                (true, false) => "  ← below",
                (false, true) => " *",
                (false, false) => "",
            }
        );
    };
    row("overall (unit × code)", &r.overall, false);
    for f in &r.per_level {
        row(&format!("level {}", f.name), f, false);
    }
    for f in &r.per_code {
        let label = codebook
            .code(&f.name)
            .map_or(f.name.as_str(), |c| c.label.as_str());
        row(&format!("  {label}"), f, r.below.contains(&f.name));
    }
    let _ = writeln!(
        out,
        "{} code(s) with alpha below {:.2}: revise their definitions before the next round.",
        r.below.len(),
        r.min_alpha
    );
    let _ = writeln!(
        out,
        "* n < {}: unstable (few coded units; one more or less moves kappa and alpha a lot).",
        crate::analysis::agreement::MIN_CODED_UNITS
    );
    out
}

/// One line per round: is agreement rising and the number of weak codes falling?
fn across_rounds(reports: &[RoundReport]) -> String {
    let mut out =
        String::from("round  drawn       units  coders  kappa  alpha  below  code book\n");
    let mut previous: Option<&str> = None;
    for r in reports {
        let book = &r.codebook_sha256[..12.min(r.codebook_sha256.len())];
        let _ = writeln!(
            out,
            "{:>5}  {:10}  {:>5}  {:>6}  {:>5}  {:>5}  {:>2}/{:<2}  {book}{}",
            r.round,
            r.created.get(..10).unwrap_or(&r.created),
            r.units,
            r.coders.len(),
            num(r.overall.cohen_kappa),
            num(r.overall.krippendorff_alpha),
            r.below.len(),
            r.per_code.len(),
            match previous {
                Some(p) if p != r.codebook_sha256 => " (revised)",
                _ => "",
            }
        );
        previous = Some(&r.codebook_sha256);
    }
    out
}
