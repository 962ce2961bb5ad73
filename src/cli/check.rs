//! `visgraat check`: every problem in the project, with its file and line.

use std::process::ExitCode;

use super::{print_healed, progress};
use crate::config::Config;
use crate::error::Error;
use crate::index::health::{self, Health};
use crate::workspace::Workspace;

pub(crate) fn run(config: Config, bar: &progress::Bar) -> Result<ExitCode, Error> {
    let ws = Workspace::open_with(config, bar)?;
    print_healed(&ws);
    let mut problems: Vec<String> = ws.problems.iter().map(ToString::to_string).collect();
    problems.extend(
        crate::check::check(&ws.corpus, &ws.codings)
            .iter()
            .map(ToString::to_string),
    );
    // The index is derived data: a damaged one is listed (it is not what it should be) with
    // what heals it; a missing one is simply built on first use.
    let index_line = match health::health(&ws.config.index) {
        Ok(Health::Sound) => Some("index: checksums ok".to_string()),
        Ok(Health::NotBuilt) => {
            Some("index: not built yet (the next search or `visgraat index` builds it)".to_string())
        }
        Ok(Health::Damaged(reason)) => {
            problems.push(format!(
                "index at {}: {reason}: the next search or `visgraat index` rebuilds it",
                ws.config.index.display()
            ));
            None
        }
        Err(e) => {
            problems.push(e.to_string());
            None
        }
    };
    for p in &problems {
        println!("{p}");
    }
    let quotes: usize = ws.corpus.quotes.values().map(Vec::len).sum();
    let summary = format!(
        "{} sources, {} quotes, {} codes, {} codings by {} coder(s)",
        ws.corpus.sources.len(),
        quotes,
        ws.corpus.codebook.codes.len(),
        ws.codings.codings.len(),
        ws.codings.coders().len()
    );
    if problems.is_empty() {
        println!("ok: {summary}");
    } else {
        println!("{} problem(s); {summary}", problems.len());
    }
    if let Some(line) = index_line {
        println!("{line}");
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
