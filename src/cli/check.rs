//! `visgraat check`: every problem in the project, with its file and line.

use std::process::ExitCode;

use super::{print_healed, progress};
use crate::config::Config;
use crate::error::Error;
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
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} problem(s); {summary}", problems.len());
        Ok(ExitCode::from(2))
    }
}
