//! `visgraat check`: every problem in the project, with its file and line; re-anchoring
//! reported without writing unless `--fix`; `--accept ID` places a coding that waits for
//! review.

use std::process::ExitCode;

use super::{cleaned_note, print_healed, progress};
use crate::coding;
use crate::config::Config;
use crate::error::Error;
use crate::index::health::{self, Health};
use crate::workspace::Workspace;

pub(crate) fn run(
    config: Config,
    fix: bool,
    accept: &[String],
    json: bool,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let mut ws = Workspace::inspect_with(config, bar)?;
    if !accept.is_empty() {
        // Accepting writes, as every command but a plain `check` does: first what
        // re-anchoring found, so that the coding accepted is the one on disk.
        ws.write_healing(false)?;
    }
    for id in accept {
        let old = ws
            .codings
            .codings
            .iter()
            .find(|p| p.coding.id == *id)
            .cloned()
            .ok_or_else(|| Error::Usage(format!("no coding {id}")))?;
        let placed = coding::anchor::accepted(&ws.corpus, &old)?;
        coding::apply_changes(
            &ws.corpus.root,
            &[coding::Change::Replace {
                old: &old,
                new: &placed,
            }],
        )?;
        if let Some(c) = ws.codings.codings.iter_mut().find(|p| p.coding.id == *id) {
            *c = placed.clone();
        }
        if !json {
            let kept = match &placed.coding.original_quote {
                Some(first) if *first != placed.coding.quote => {
                    " (its first quote is kept as original_quote)"
                }
                _ => "",
            };
            println!(
                "placed coding {id} at {}..{}: “{}”{kept}",
                placed.coding.start, placed.coding.end, placed.coding.quote
            );
        }
        ws.healed.retain(|h| h.id != *id);
    }
    if !json {
        print_healed(&ws);
    }
    let unwritten = ws.healed.iter().filter(|h| h.changed).count();
    if fix {
        let files = ws.write_healing(true)?;
        if !json {
            println!("wrote {files} codings file(s)");
        }
    } else if unwritten > 0 && !json {
        println!(
            "{unwritten} coding(s) re-anchored in memory only: `visgraat check --fix` writes them"
        );
    }
    if !ws.cleaned.is_empty() && !json {
        println!("{}", cleaned_note(&ws));
    }
    let mut problems: Vec<String> = ws.problems.iter().map(ToString::to_string).collect();
    problems.extend(
        crate::check::check(&ws.corpus, &ws.codings)
            .iter()
            .map(ToString::to_string),
    );
    // The key holds the real names; inside corpus/ it would be shared with the corpus.
    if let Err(e) = ws.config.check_pseudonym_key() {
        problems.push(e.to_string());
    }
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
    let mut notes = crate::check::notes(&ws.corpus);
    if let Some(reason) =
        crate::index::watch_claim::recent_failure(&ws.config.index, std::time::SystemTime::now())
    {
        notes.push(format!(
            "{}: note: the watcher a search started could not watch ({reason}); searches stat every file meanwhile and start none for an hour (`visgraat watch` shows why at once)",
            ws.config.index.display()
        ));
    }
    let quotes: usize = ws.corpus.quotes.values().map(Vec::len).sum();
    if json {
        super::print_json(&serde_json::json!({
            "ok": problems.is_empty(),
            "problems": problems,
            "notes": notes,
            "sources": ws.corpus.sources.len(),
            "quotes": quotes,
            "codes": ws.corpus.codebook.codes.len(),
            "codings": ws.codings.codings.len(),
            "coders": ws.codings.coders(),
            "index": index_line,
        }))?;
        return Ok(if problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        });
    }
    for p in &problems {
        println!("{p}");
    }
    for note in notes {
        println!("{note}");
    }

    // One summary line, last, that scripts can read; the index's state ends it.
    let mut summary = format!(
        "{} sources, {} quotes, {} codes, {} codings by {} coder(s)",
        ws.corpus.sources.len(),
        quotes,
        ws.corpus.codebook.codes.len(),
        ws.codings.codings.len(),
        ws.codings.coders().len()
    );
    if let Some(line) = index_line {
        summary.push_str(&format!("; {line}"));
    }
    if problems.is_empty() {
        println!("ok: {summary}");
    } else {
        println!("{} problem(s); {summary}", problems.len());
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
