//! `visgraat case …`: cases and their free attributes from the command line, edited in
//! place in cases.toml (comments kept), and which source belongs to which case.

use std::process::ExitCode;

use clap::Subcommand;
use serde_json::json;

use crate::coding::case_edit;
use crate::config::Config;
use crate::corpus::cases::{AttrValue, Case};
use crate::error::Error;

use super::{open_workspace, print_json, progress};

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// The cases with their attributes and sources.
    List {
        #[arg(long)]
        json: bool,
    },
    /// A new case: `case add fg-zuid --label "Focusgroep Zuid" --attr regio=Zuid --attr niveau=2`.
    Add {
        id: String,
        #[arg(long)]
        label: Option<String>,
        /// NAME=VALUE: text, a number (2, 2.5) or a date (2024-03-14); "2" quoted is text.
        #[arg(long = "attr", value_name = "NAME=VALUE")]
        attrs: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Set attributes (or the label) of a case, or remove them with --unset NAME.
    Set {
        id: String,
        #[arg(long)]
        label: Option<String>,
        #[arg(long = "attr", value_name = "NAME=VALUE")]
        attrs: Vec<String>,
        #[arg(long, value_name = "NAME")]
        unset: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Remove a case that holds no source.
    Remove {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Put a source in a case (or in none, with --none).
    Assign {
        source: String,
        #[arg(required_unless_present = "none")]
        case: Option<String>,
        #[arg(long, conflicts_with = "case")]
        none: bool,
        #[arg(long)]
        json: bool,
    },
}

fn attributes(args: &[String]) -> Result<Vec<(String, AttrValue)>, Error> {
    args.iter().map(|a| case_edit::parse_attribute(a)).collect()
}

fn value_json(v: &AttrValue) -> serde_json::Value {
    match v {
        AttrValue::Text(s) => json!(s),
        AttrValue::Integer(n) => json!(n),
        AttrValue::Float(x) => json!(x),
        AttrValue::Date(d) => json!(d.to_string()),
    }
}

fn case_json(case: &Case, sources: &[&str]) -> serde_json::Value {
    let attributes: serde_json::Map<String, serde_json::Value> = case
        .attributes
        .iter()
        .map(|(k, v)| (k.to_string(), value_json(v)))
        .collect();
    json!({
        "id": case.id,
        "label": case.label,
        "attributes": attributes,
        "sources": sources,
        "fishbone": case.fishbone.as_ref().map(|f| &f.codes),
    })
}

pub(super) fn run(
    config: Config,
    command: CaseCommand,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let ws = open_workspace(config, bar)?;
    let root = ws.corpus.root.clone();
    let cases = &ws.corpus.cases;
    let sources_of = |id: &str| -> Vec<&str> {
        ws.corpus
            .sources
            .iter()
            .filter(|s| s.meta.case.as_deref() == Some(id))
            .map(|s| s.meta.id.as_str())
            .collect()
    };
    let (what, id, json) = match command {
        CaseCommand::List { json } => {
            if json {
                let all: Vec<_> = cases
                    .cases
                    .iter()
                    .map(|c| case_json(c, &sources_of(&c.id)))
                    .collect();
                print_json(&all)?;
            } else {
                for c in &cases.cases {
                    let attrs: Vec<String> = c
                        .attributes
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect();
                    println!("{}  {}  [{}]", c.id, c.label, attrs.join(", "));
                    for s in sources_of(&c.id) {
                        println!("    {s}");
                    }
                }
                if cases.cases.is_empty() {
                    println!(
                        "(no cases yet: visgraat case add ID --label \"…\" --attr regio=Zuid)"
                    );
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        CaseCommand::Add {
            id,
            label,
            attrs,
            json,
        } => {
            case_edit::add_case(&root, cases, &id, label.as_deref(), &attributes(&attrs)?)?;
            ("added", id, json)
        }
        CaseCommand::Set {
            id,
            label,
            attrs,
            unset,
            json,
        } => {
            let set = attributes(&attrs)?;
            case_edit::set_attributes(&root, cases, &id, label.as_deref(), &set, &unset)?;
            ("changed", id, json)
        }
        CaseCommand::Remove { id, json } => {
            case_edit::remove_case(&root, &ws.corpus, &id)?;
            ("removed", id, json)
        }
        CaseCommand::Assign {
            source,
            case,
            none: _,
            json,
        } => {
            case_edit::assign(&root, &ws.corpus, &source, case.as_deref())?;
            if json {
                print_json(&json!({ "done": "assigned", "source": source, "case": case }))?;
            } else {
                match &case {
                    Some(case) => println!("{source} is in case {case}"),
                    None => println!("{source} is in no case"),
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    if json {
        let now = crate::corpus::cases::Cases::load(&root.join("cases.toml"))?;
        let case = now.get(&id).map(|c| case_json(c, &sources_of(&c.id)));
        print_json(&json!({ "done": what, "id": id, "case": case }))?;
    } else {
        println!("{what} case {id}");
    }
    Ok(ExitCode::SUCCESS)
}
