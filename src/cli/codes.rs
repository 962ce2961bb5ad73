//! `visgraat codes …`: the code book from the command line, through the same edits (locking,
//! stale-view checks, atomic writes) as the TUI's Codes view.

use std::process::ExitCode;

use clap::Subcommand;
use serde_json::json;

use crate::coding::book_edit::{self, BookEdit};
use crate::coding::code_lifecycle::{self, NewCode};
use crate::config::Config;
use crate::corpus::codebook::{Code, Codebook, FISHBONE, Level, Valence};
use crate::error::Error;

use super::{open_workspace, parse_choice, print_json, progress};

#[derive(Debug, Subcommand)]
pub enum CodesCommand {
    /// The code book: group, level, valence, id, label, passages coded.
    List {
        #[arg(long)]
        json: bool,
    },
    /// A new code: in the fishbone with --level and --valence, else in --group.
    Add {
        label: String,
        #[arg(long)]
        definition: String,
        /// beleid, team, individu, doelgroep or maatschappij (fishbone codes).
        #[arg(long)]
        level: Option<String>,
        /// + (bevorderend) or - (belemmerend).
        #[arg(long, allow_hyphen_values = true)]
        valence: Option<String>,
        /// The group (default: fishbone); a new id makes the group.
        #[arg(long, default_value = FISHBONE)]
        group: String,
        /// Your own id (default: made from the label).
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// A new label (the id, and so every coding, stays).
    Rename {
        id: String,
        label: String,
        #[arg(long)]
        json: bool,
    },
    /// Merge FROM into INTO: FROM's codings (every coder) and case sheets follow.
    Merge {
        from: String,
        into: String,
        #[arg(long)]
        json: bool,
    },
    /// A new code beside ID, its definition saying where it came from.
    Split {
        id: String,
        label: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a fishbone code to another level and/or valence.
    Move {
        id: String,
        #[arg(long)]
        level: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        valence: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete a code no coding uses, or with --into merge it into OTHER first.
    Delete {
        id: String,
        #[arg(long, value_name = "OTHER")]
        into: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn valence(value: Option<&str>) -> Result<Option<Valence>, Error> {
    parse_choice(value, "valence", Valence::parse, "+ or -")
}

fn code_json(code: &Code, coded: usize) -> serde_json::Value {
    json!({
        "id": code.id,
        "label": code.label,
        "group": code.group,
        "level": code.level.map(Level::as_str),
        "valence": code.valence.map(Valence::as_str),
        "definition": code.definition,
        "coded": coded,
    })
}

/// Say what an edit did, as a line or as JSON.
fn done(json: bool, what: &str, id: &str, book: Option<&Codebook>) -> Result<ExitCode, Error> {
    if json {
        let code = book.and_then(|b| b.code(id)).map(|c| code_json(c, 0));
        print_json(&json!({ "done": what, "id": id, "code": code }))?;
    } else {
        println!("{what} {id}");
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn run(
    config: Config,
    command: CodesCommand,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let ws = open_workspace(config, bar)?;
    let root = ws.corpus.root.clone();
    let book = &ws.corpus.codebook;
    let reread = || Codebook::load_whole(&root.join("codebook.toml")).ok();
    match command {
        CodesCommand::List { json } => {
            let counts = ws.codings.per_code();
            let coded = |id: &str| counts.get(id).copied().unwrap_or(0);
            if json {
                let codes: Vec<_> = book
                    .codes
                    .iter()
                    .map(|c| code_json(c, coded(&c.id)))
                    .collect();
                print_json(&codes)?;
            } else {
                for group in &book.groups {
                    println!("{} — {}", group.id, group.label);
                    for c in book.codes.iter().filter(|c| c.group == group.id) {
                        let bone = c.level.zip(c.valence).map_or(String::new(), |(l, v)| {
                            format!("{} {:<12} ", v.glyph(), l.as_str())
                        });
                        println!("  {bone}{:<44} {:>4}  {}", c.id, coded(&c.id), c.label);
                    }
                }
                if book.codes.is_empty() {
                    println!(
                        "(no codes yet: visgraat codes add LABEL --level team --valence - --definition \"…\")"
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        CodesCommand::Add {
            label,
            definition,
            level: l,
            valence: v,
            group,
            id,
            json,
        } => {
            let bone = match (
                super::parse_level(book, l.as_deref(), "level")?,
                valence(v.as_deref())?,
            ) {
                (Some(l), Some(v)) => Some((l, v)),
                (None, None) => None,
                _ => {
                    return Err(Error::Usage(
                        "give both --level and --valence for a fishbone code".into(),
                    ));
                }
            };
            let new = NewCode {
                label: &label,
                definition: &definition,
                group: &group,
                bone,
                id: id.as_deref(),
            };
            let (_, id) = code_lifecycle::add(&root, book, &new)?;
            done(json, "added", &id, reread().as_ref())
        }
        CodesCommand::Rename { id, label, json } => {
            book_edit::rename(&root, book, &id, &label)?;
            done(json, "renamed", &id, reread().as_ref())
        }
        CodesCommand::Merge { from, into, json } => {
            book_edit::merge(&root, book, &ws.corpus.cases, &from, &into)?;
            done(
                json,
                &format!("merged {from} into"),
                &into,
                reread().as_ref(),
            )
        }
        CodesCommand::Split { id, label, json } => {
            let (_, new) = book_edit::split(&root, book, &id, &label)?;
            done(json, "split off", &new, reread().as_ref())
        }
        CodesCommand::Move {
            id,
            level: l,
            valence: v,
            json,
        } => {
            let code = book.code(&id).ok_or_else(|| {
                Error::Usage(format!(
                    "no code {id:?} in the code book (`visgraat codes list`)"
                ))
            })?;
            let (Some(old_l), Some(old_v)) = (code.level, code.valence) else {
                return Err(Error::Usage(format!(
                    "{id} is not a fishbone code: it has no level or valence"
                )));
            };
            let l = super::parse_level(book, l.as_deref(), "level")?.unwrap_or(old_l);
            let v = valence(v.as_deref())?.unwrap_or(old_v);
            let _: BookEdit = book_edit::move_code(&root, book, &id, l, v)?;
            done(json, "moved", &id, reread().as_ref())
        }
        CodesCommand::Delete { id, into, json } => {
            code_lifecycle::delete(&root, book, &ws.corpus.cases, &id, into.as_deref())?;
            done(json, "deleted", &id, None)
        }
    }
}
