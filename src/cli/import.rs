//! `visgraat import`: transcripts, documents and REFI-QDA projects into the corpus.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::Config;
use crate::corpus::cases::Cases;
use crate::corpus::source::SourceKind;
use crate::error::Error;
use crate::progress::Progress;

use super::{open_workspace, print_healed, progress};

// The command's options as clap gives them, one argument each.
#[allow(clippy::too_many_arguments)]
pub(super) fn import_files(
    config: Config,
    files: &[PathBuf],
    kind: &str,
    case: Option<&str>,
    pseudonymise: bool,
    pdf_text: bool,
    replace: bool,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    use crate::corpus::transcript::{self, Imported};
    let kind = SourceKind::parse(kind).ok_or_else(|| {
        Error::Usage(format!(
            "unknown kind {kind:?}: use transcript, intermezzo, report or letter"
        ))
    })?;
    if let Some(case) = case {
        let cases = Cases::load(&config.corpus.join("cases.toml"))?;
        if cases.get(case).is_none() {
            let ids: Vec<&str> = cases.cases.iter().map(|c| c.id.as_str()).collect();
            return Err(Error::Usage(format!(
                "unknown case {case:?}: use one of {} (or add it to cases.toml)",
                ids.join(", ")
            )));
        }
    }
    if pseudonymise {
        config.check_pseudonym_key()?;
    }
    let mut key = if pseudonymise {
        Some(transcript::PseudonymKey::load(&config.pseudonym_key)?)
    } else {
        None
    };
    let mut failed = false;
    let mut interrupted = false;
    bar.stage(crate::progress::Stage::Importing, files.len() as u64);
    for file in files {
        // Each file is imported whole or not at all; Ctrl-C stops between two files.
        if crate::progress::interrupted() {
            interrupted = true;
            break;
        }
        bar.advance(1);
        if super::qdpx::handles(file) {
            failed |= !super::qdpx::import(&config, file, replace);
            continue;
        }
        let options = transcript::Options {
            kind: Some(kind),
            case: case.map(str::to_string),
            pseudonyms: key.as_mut(),
            pdf_text,
        };
        match transcript::import(&config.corpus, file, options) {
            Ok(Imported::Added(p)) => bar.suspend(|| println!("added {}", p.display())),
            Ok(Imported::Updated(p)) => bar.suspend(|| println!("updated {}", p.display())),
            Ok(Imported::Unchanged(p)) => bar.suspend(|| println!("unchanged {}", p.display())),
            Err(e) => {
                eprintln!("visgraat: {e}");
                failed = true;
            }
        }
    }
    if let Some(key) = &key {
        key.save(&config.pseudonym_key)?;
        println!(
            "pseudonym key: {} ({} people; keep it private)",
            config.pseudonym_key.display(),
            key.people.len()
        );
    }
    if interrupted {
        let done = files.len() as u64 - bar.remaining();
        eprintln!(
            "visgraat: interrupted: {done} of {} file(s) imported, each whole; the rest were not touched",
            files.len()
        );
        return Ok(ExitCode::from(130));
    }
    // Opening the workspace re-anchors the codings of changed sources and says how it went;
    // an import changes sources on purpose, so what it found is written.
    let ws = open_workspace(config, bar)?;
    print_healed(&ws);
    for c in ws
        .codings
        .codings
        .iter()
        .filter(|c| c.coding.orphaned && c.coding.review.is_none())
    {
        println!(
            "{}: coding {} ({}) is orphaned: its text is no longer in the source (visgraat check)",
            c.source, c.coding.id, c.coding.code
        );
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
