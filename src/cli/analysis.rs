//! `visgraat stats`, `matrix` and `agreement`: counts and figures over the codings.

use std::process::ExitCode;

use crate::config::Config;
use crate::error::Error;

use super::{open_workspace, output, progress, warn_problems};

pub(super) fn matrix(
    config: Config,
    kind: &str,
    coder: Option<&str>,
    format: &str,
    file: Option<&std::path::Path>,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    match (format, file) {
        ("xlsx", None) => {
            return Err(Error::Usage(
                "a workbook needs a file: --format xlsx -o FILE".into(),
            ));
        }
        (other, Some(_)) if other != "xlsx" => {
            return Err(Error::Usage(format!(
                "-o writes a workbook (--format xlsx); --format {other} prints to the terminal: redirect it, e.g. > matrix.{other}"
            )));
        }
        _ => {}
    }
    let ws = open_workspace(config, bar)?;
    warn_problems(&ws.problems);
    if let Some(coder) = coder {
        super::refuse_unknown_coder(&ws.codings, coder)?;
    }
    let m = match kind {
        "cooccurrence" => crate::analysis::matrix::co_occurrence(&ws.corpus, &ws.codings, coder),
        "level-case" => crate::analysis::matrix::level_by_case(&ws.corpus, &ws.codings, coder),
        other => {
            return Err(Error::Usage(format!(
                "unknown matrix {other:?}: use cooccurrence or level-case"
            )));
        }
    };
    match format {
        "csv" => print!("{}", m.to_csv()),
        "json" => println!(
            "{}",
            serde_json::to_string_pretty(&m).map_err(|e| Error::Usage(e.to_string()))?
        ),
        "table" => print!("{}", output::matrix(&m)),
        "xlsx" => {
            if let Some(path) = file {
                crate::export::xlsx::write(path, &[], std::slice::from_ref(&m))?;
                println!("{} written to {}", m.title, path.display());
            }
        }
        other => {
            return Err(Error::Usage(format!(
                "unknown format {other:?}: use table, csv, json or xlsx"
            )));
        }
    }
    if let Some(note) = &m.note {
        eprintln!("visgraat: note: {note}");
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn agreement(
    config: Config,
    coders: Vec<String>,
    all_units: bool,
    include_machine: bool,
    json: bool,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let mut ws = open_workspace(config, bar)?;
    warn_problems(&ws.problems);
    if include_machine {
        ws.codings = ws.codings.with_machine();
    }
    let all: Vec<String> = ws
        .codings
        .coders()
        .into_iter()
        .map(str::to_string)
        .collect();
    let coders = if coders.is_empty() {
        all.clone()
    } else {
        coders
    };
    if let Some(unknown) = coders.iter().find(|c| !all.contains(c)) {
        return Err(Error::Usage(format!(
            "no codings by {unknown:?}; coders: {}",
            all.join(", ")
        )));
    }
    refuse_repeated(&coders)?;
    if coders.len() < 2 {
        return Err(Error::Usage(format!(
            "agreement compares two or more coders; this corpus has codings by {}",
            if all.is_empty() {
                "nobody".to_string()
            } else {
                all.join(", ")
            }
        )));
    }
    use crate::analysis::agreement::{self, UnitKind};
    let options = agreement::Options {
        units: if all_units {
            UnitKind::All
        } else {
            UnitKind::Content
        },
    };
    let a = agreement::agreement(&ws.corpus, &ws.codings, &coders, &options, bar)?;
    if a.sources.is_empty() {
        return Err(Error::Usage(format!(
            "{} have no source that at least two of them coded",
            coders.join(", ")
        )));
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&a).map_err(|e| Error::Usage(e.to_string()))?
        );
    } else {
        print!("{}", output::agreement(&a, &ws.corpus.codebook));
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn stats(
    config: Config,
    coder: Option<&str>,
    by_case: bool,
    by_coder: bool,
    include_machine: bool,
    json: bool,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let mut ws = open_workspace(config, bar)?;
    warn_problems(&ws.problems);
    if include_machine {
        ws.codings = ws.codings.with_machine();
    }
    let mut stats = crate::analysis::stats::fishbone(&ws.corpus, &ws.codings, coder);
    (stats.speakers, stats.speakers_by_role) = crate::analysis::stats::speakers(&ws.corpus);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&stats).map_err(|e| Error::Usage(e.to_string()))?
        );
    } else {
        print!("{}", output::stats(&stats, &ws.corpus, by_case, by_coder));
    }
    Ok(ExitCode::SUCCESS)
}

/// A coder named twice in `--coders` would be compared with themself (and was counted as
/// having coded nothing the second time): refused.
pub(super) fn refuse_repeated(coders: &[String]) -> Result<(), Error> {
    match coders
        .iter()
        .enumerate()
        .find(|(i, c)| coders[..*i].contains(c))
    {
        Some((_, twice)) => Err(Error::Usage(format!(
            "coder {twice:?} is named twice in --coders: agreement compares different coders"
        ))),
        None => Ok(()),
    }
}
