//! `visgraat speakers list|rename|merge` and `visgraat pseudonyms check`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;
use crate::error::Error;

use super::{open_workspace, print_healed, progress};

#[derive(Debug, Subcommand)]
pub enum SpeakersCommand {
    /// The speakers of one source (or of every transcript) with their turn counts.
    List { source: Option<String> },
    /// Give the speaker FROM of SOURCE the new label TO.
    Rename {
        source: String,
        from: String,
        to: String,
    },
    /// Make the turns of FROM in SOURCE turns of INTO, who already speaks there.
    Merge {
        source: String,
        from: String,
        into: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PseudonymsCommand {
    /// List every real name of the pseudonym key still in corpus/ or in the FILES given
    /// (exports: text, .qdpx, .docx), with file and line; exit 2 when there is one.
    Check { files: Vec<PathBuf> },
}

pub(super) fn speakers(
    config: Config,
    command: SpeakersCommand,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let ws = open_workspace(config.clone(), bar)?;
    let find = |id: &str| {
        ws.corpus.source(id).ok_or_else(|| {
            Error::Usage(format!(
                "no source {id:?} (visgraat search --json lists them)"
            ))
        })
    };
    let (source, from, to, merge) = match command {
        SpeakersCommand::List { source } => {
            let sources = match &source {
                Some(id) => vec![find(id)?],
                None => ws
                    .corpus
                    .sources
                    .iter()
                    .filter(|s| s.meta.kind == crate::corpus::source::SourceKind::Transcript)
                    .collect(),
            };
            for s in sources {
                println!("{}:", s.meta.id);
                for (speaker, turns) in crate::corpus::speakers::list(&s.body) {
                    println!("  {speaker}: {turns} turns");
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        SpeakersCommand::Rename { source, from, to } => (source, from, to, false),
        SpeakersCommand::Merge { source, from, into } => (source, from, into, true),
    };
    let changed =
        crate::corpus::speakers::rename(&ws.corpus.root, find(&source)?, &from, &to, merge)?;
    println!("{source}: {changed} turns of {from} are now {to}'s");
    // Opening the corpus again re-anchors the codings of the changed source.
    drop(ws);
    let ws = open_workspace(config, bar)?;
    print_healed(&ws);
    Ok(ExitCode::SUCCESS)
}

pub(super) fn pseudonyms(config: Config, command: PseudonymsCommand) -> Result<ExitCode, Error> {
    let PseudonymsCommand::Check { files } = command;
    let key = crate::corpus::pseudonyms::PseudonymKey::load(&config.pseudonym_key)?;
    if key.people.is_empty() {
        println!(
            "{}: no names in the pseudonym key, nothing to look for",
            config.pseudonym_key.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let leaks = crate::corpus::leaks::scan(&key, &config.corpus, &files)?;
    for leak in &leaks {
        match leak.line {
            0 => println!("{}: a real name in the file name: {}", leak.file, leak.name),
            line => println!("{}:{line}: a real name: {}", leak.file, leak.name),
        }
    }
    println!(
        "{} leak(s) of {} names, in corpus/ and {} export file(s)",
        leaks.len(),
        key.people.len(),
        files.len()
    );
    Ok(if leaks.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
