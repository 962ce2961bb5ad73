//! `visgraat code` and `memo`: one coding or memo from the command line.

use std::process::ExitCode;

use crate::coding::{self};
use crate::config::Config;
use crate::error::Error;

use super::{open_workspace, output, progress};

pub(super) fn memo(
    config: Config,
    target: &str,
    text: Option<&str>,
    coder: Option<String>,
    json: bool,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    use crate::coding::memos::{self, TargetKind};
    let ws = open_workspace(config, bar)?;
    let (kind, id) = memos::parse_target(target).map_err(Error::Usage)?;
    let known = match kind {
        TargetKind::Code => ws.corpus.codebook.code(id).is_some(),
        TargetKind::Source => ws.corpus.source(id).is_some(),
        TargetKind::Case => ws.corpus.cases.get(id).is_some(),
    };
    if !known {
        return Err(Error::Usage(format!("no {target:?} in this corpus")));
    }
    let Some(text) = text else {
        if json {
            let memos: Vec<_> = ws
                .corpus
                .memos
                .of(target)
                .map(|m| serde_json::json!({"author": m.author, "updated": m.updated.to_string(), "text": m.text}))
                .collect();
            super::print_json(&memos)?;
            return Ok(if memos.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            });
        }
        let mut any = false;
        for m in ws.corpus.memos.of(target) {
            any = true;
            println!("{} ({}): {}", m.author, m.updated, m.text);
        }
        return Ok(if any {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    };
    let author = super::acting_coder(coder.as_deref(), &ws.config);
    crate::corpus::source::validate_id(&author).map_err(|m| Error::Usage(format!("coder: {m}")))?;
    memos::set(&ws.config.corpus, target, &author, text)?;
    if json {
        super::print_json(&serde_json::json!({
            "done": if text.trim().is_empty() { "removed" } else { "saved" },
            "target": target, "author": author,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} memo by {author} on {target}",
        if text.trim().is_empty() {
            "removed the"
        } else {
            "saved the"
        }
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) fn code(
    config: Config,
    source: &str,
    args: &[String],
    text: Option<&str>,
    coder: Option<String>,
    (memo, json): (&str, bool),
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let ws = open_workspace(config, bar)?;
    let src = ws.corpus.source(source).ok_or_else(|| {
        Error::Usage(format!(
            "unknown source {source:?}: `visgraat search` shows source ids"
        ))
    })?;
    let (start, end, code_id) = match (text, args) {
        (Some(text), [code]) => {
            let (s, e) = coding::find_match(src, text)?;
            (s, e, code.as_str())
        }
        (None, [start, end, code]) => {
            let parse = |v: &str| {
                v.parse::<usize>()
                    .map_err(|_| Error::Usage(format!("{v:?} is not a char offset")))
            };
            (parse(start)?, parse(end)?, code.as_str())
        }
        _ => {
            return Err(Error::Usage(
                "give --match TEXT CODE, or START END CODE".into(),
            ));
        }
    };
    if ws.corpus.codebook.code(code_id).is_none() {
        return Err(Error::Usage(format!(
            "unknown code {code_id:?}: {}",
            output::suggest_codes(&ws.corpus.codebook, code_id)
        )));
    }
    let coder = super::acting_coder(coder.as_deref(), &ws.config);
    let placed = coding::add(&ws.corpus.root, &coder, src, start, end, code_id, memo)?;
    if json {
        super::print_json(&serde_json::json!({
            "id": placed.coding.id, "source": placed.source, "code": placed.coding.code,
            "coder": placed.coder, "start": placed.coding.start, "end": placed.coding.end,
            "quote": placed.coding.quote,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "coded {} as {} by {} at {}..{}: “{}”",
        placed.source,
        placed.coding.code,
        placed.coder,
        placed.coding.start,
        placed.coding.end,
        output::abbreviate(&placed.coding.quote, 80)
    );
    Ok(ExitCode::SUCCESS)
}
