//! `visgraat import`: transcripts, documents and REFI-QDA projects into the corpus.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::Config;
use crate::corpus::cases::Cases;
use crate::corpus::source::SourceKind;
use crate::error::Error;
use crate::progress::Progress;

use super::{open_workspace, print_healed, progress};

/// Which case the imported sources go in.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum CaseChoice {
    /// A re-imported source keeps its case; a new one has none.
    Keep,
    /// This case, which must exist.
    Existing(String),
    /// This case, made when it does not exist.
    MakeIfNew(String),
    /// No case, also for a re-imported source.
    None,
}

impl CaseChoice {
    pub(super) fn from_flags(
        case: Option<String>,
        new_case: Option<String>,
        no_case: bool,
    ) -> CaseChoice {
        match (case, new_case, no_case) {
            (_, _, true) => CaseChoice::None,
            (_, Some(c), _) => CaseChoice::MakeIfNew(c),
            (Some(c), None, _) => CaseChoice::Existing(c),
            (None, None, false) => CaseChoice::Keep,
        }
    }
}

pub(super) struct Flags {
    pub(super) pseudonymise: bool,
    pub(super) pdf_text: bool,
    pub(super) json: bool,
    /// A .qdpx source the project has (same GUID) with other text: take the file's text.
    pub(super) replace: bool,
}

pub(super) fn import_files(
    config: Config,
    files: &[PathBuf],
    case: CaseChoice,
    kind: &str,
    flags: Flags,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    use crate::import::{self, CaseOption, Written};
    let Flags {
        pseudonymise,
        pdf_text,
        json,
        replace,
    } = flags;
    let kind = SourceKind::parse(kind).ok_or_else(|| {
        Error::Usage(format!(
            "unknown kind {kind:?}: use transcript, intermezzo, report or letter"
        ))
    })?;
    let cases_path = config.corpus.join("cases.toml");
    let mut make_case = false;
    let case_option = match &case {
        CaseChoice::Keep => CaseOption::Keep,
        CaseChoice::None => CaseOption::Set(None),
        CaseChoice::Existing(id) | CaseChoice::MakeIfNew(id) => {
            let cases = Cases::load(&cases_path)?;
            if cases.get(id).is_none() {
                if case == CaseChoice::MakeIfNew(id.clone()) {
                    // Made by the first file that is imported, so that a refused file
                    // leaves no empty case behind.
                    crate::corpus::source::validate_id(id)
                        .map_err(|m| Error::Usage(format!("case id {id:?}: {m}")))?;
                    make_case = true;
                } else {
                    let ids: Vec<&str> = cases.cases.iter().map(|c| c.id.as_str()).collect();
                    let known = if ids.is_empty() {
                        "there are no cases yet".to_string()
                    } else {
                        format!("the cases are {}", ids.join(", "))
                    };
                    return Err(Error::Usage(format!(
                        "unknown case {id:?} ({known}): make it with `visgraat case add {id} --label \"…\"`, or import with --new-case to make it now"
                    )));
                }
            }
            if make_case {
                CaseOption::Make(id.clone())
            } else {
                CaseOption::Set(Some(id.clone()))
            }
        }
    };
    let mut report: Vec<serde_json::Value> = Vec::new();
    if pseudonymise {
        config.check_pseudonym_key()?;
    }
    let mut key = if pseudonymise {
        Some(crate::corpus::pseudonyms::PseudonymKey::load(
            &config.pseudonym_key,
        )?)
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
            if json {
                let result = super::qdpx::run(&config, file, replace);
                failed |= result.is_err();
                report.push(match result {
                    Ok(r) => serde_json::json!({
                        "file": file, "status": "imported", "sources": r.sources,
                        "sources_known": r.sources_known, "codes": r.codes, "cases": r.cases,
                        "codings": r.codings, "memos": r.memos, "kept_aside": r.kept_aside,
                        "conflicts": r.conflicts, "skipped": r.skipped,
                    }),
                    Err(e) => serde_json::json!({
                        "file": file, "status": "failed", "error": e.to_string(),
                    }),
                });
            } else {
                failed |= !super::qdpx::import(&config, file, replace);
            }
            continue;
        }
        let options = import::Options {
            kind: Some(kind),
            case: case_option.clone(),
            pseudonyms: key.as_mut(),
            pdf_text,
        };
        let imported = import::import(&config.corpus, file, options);
        if json {
            let (status, path) = match imported.as_ref().map(|d| &d.written) {
                Ok(Written::Added(p)) => ("added", Some(p)),
                Ok(Written::Updated(p)) => ("updated", Some(p)),
                Ok(Written::Unchanged(p)) => ("unchanged", Some(p)),
                Err(_) => ("failed", None),
            };
            report.push(serde_json::json!({
                "file": file,
                "status": status,
                "source": path,
                "case_added": imported.as_ref().ok().and_then(|d| d.made_case.as_ref()),
                "summary": imported.as_ref().ok().map(|d| summary(&d.reading)),
                "error": imported.as_ref().err().map(ToString::to_string),
            }));
            failed |= imported.is_err();
            continue;
        }
        match imported {
            Ok(done) => bar.suspend(|| {
                if let Some(id) = &done.made_case {
                    println!(
                        "added case {id} (`visgraat case set {id} --label … --attr …` describes it)"
                    );
                }
                let (what, path) = match &done.written {
                    Written::Added(p) => ("added", p),
                    Written::Updated(p) => ("updated", p),
                    Written::Unchanged(p) => ("unchanged", p),
                };
                println!("{what} {} ({})", path.display(), summary(&done.reading));
                if !done.replaced.is_empty() {
                    let list: Vec<String> = done
                        .replaced
                        .iter()
                        .map(|(pseudonym, n)| format!("{pseudonym} ×{n}"))
                        .collect();
                    println!("  pseudonymised: {}", list.join(", "));
                }
            }),
            Err(e) => {
                eprintln!("visgraat: {e}");
                failed = true;
            }
        }
    }
    if let Some(key) = &key {
        key.save(&config.pseudonym_key)?;
        if !json {
            println!(
                "pseudonym key: {} ({} people; keep it private)",
                config.pseudonym_key.display(),
                key.people.len()
            );
        }
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
    if json {
        super::print_json(&serde_json::json!({ "files": report }))?;
        return Ok(if failed {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        });
    }
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

/// One line on what reading a file found: form, encoding, turns, speakers, words.
fn summary(reading: &crate::import::Reading) -> String {
    let speakers = reading.speakers();
    let turns: usize = speakers.iter().map(|(_, n)| n).sum();
    let mut parts = vec![reading.form.name().to_string()];
    if let Some(e) = reading.encoding {
        parts.push(e.name().to_string());
    }
    parts.push(format!(
        "{} paragraphs, {turns} turns of {} speakers",
        crate::corpus::source::segments(&reading.body, SourceKind::Transcript, &[]).len(),
        speakers.len()
    ));
    parts.push(match reading.words {
        Some(w) => format!("words {} in, {} out", w.words_in, w.words_out),
        None => "word check not applied to PDF text".to_string(),
    });
    if reading.notes_left_out > 0 {
        parts.push(format!(
            "{} NOTE block(s) left out (comments, not speech)",
            reading.notes_left_out
        ));
    }
    parts.join("; ")
}

/// `import --dry-run`: per file the speakers with their turns, the header lines and the
/// word check; nothing is written.
pub(super) fn dry_run_files(files: &[PathBuf], pdf_text: bool) -> ExitCode {
    let mut failed = false;
    for file in files {
        if super::qdpx::handles(file) {
            eprintln!(
                "visgraat: {}: --dry-run shows how a transcript would be read; a REFI-QDA project or code book has no dry run: import it into a copy of this project, or into a new one made by `visgraat init`, to see what it brings",
                file.display()
            );
            failed = true;
            continue;
        }
        match crate::import::read(file, pdf_text) {
            Ok(reading) => {
                println!("{}: {}", file.display(), summary(&reading));
                for (speaker, turns) in reading.speakers() {
                    println!("  speaker {speaker}: {turns} turns");
                }
                for header in reading.headers() {
                    println!("  header: {header}");
                }
            }
            Err(e) => {
                eprintln!("visgraat: {e}");
                failed = true;
            }
        }
    }
    println!("(dry run: nothing was written)");
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
