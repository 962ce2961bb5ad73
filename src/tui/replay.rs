//! The TUI's state machine driven by a script instead of a keyboard: the same `App::update`
//! and the same writes as a person at the keys, without a terminal. The kill harness for TUI
//! edits (tests/kill_tui.rs, scripts/kill-run.sh) kills it at random moments; `--trace`
//! prints the coding ids on disk after every step, so the harness knows every state a run
//! passes through.

use std::io::Write;
use std::path::Path;

use serde::Deserialize;

use super::action::Action;
use super::app::App;
use crate::coding::CodingSet;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::workspace::Workspace;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Script {
    actions: Vec<Step>,
}

/// An action, or text typed into whatever has the keyboard (one `input` action a char).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Step {
    Text { text: String },
    Action(Action),
}

/// Read a script: `actions = ["enter", "next_coded", "memo", { text = " (herzien)" },
/// "enter"]`, in the action names a keymap uses.
pub fn load(path: &Path) -> Result<Vec<Action>> {
    let text = crate::text_file::read(path)?;
    let script: Script = toml::from_str(&text).map_err(|e| Error::toml(path, &text, &e))?;
    Ok(script
        .actions
        .into_iter()
        .flat_map(|step| match step {
            Step::Text { text } => text.chars().map(Action::Input).collect(),
            Step::Action(a) => vec![a],
        })
        .collect())
}

/// Apply `actions` to the TUI state of `config`'s project. After each one, prints
/// `step N` (and with `trace`, `ids …`: every coding id on disk, sorted) and flushes, so a
/// process watching stdout knows how far it got.
pub fn run(config: Config, actions: &[Action], trace: bool, out: &mut impl Write) -> Result<()> {
    let ws = Workspace::open(config)?;
    let root = ws.corpus.root.clone();
    let mut app = App::new(ws, (140, 40), false);
    let say = |out: &mut dyn Write, line: String| {
        writeln!(out, "{line}")
            .and_then(|()| out.flush())
            .map_err(|e| Error::io("stdout", e))
    };
    if trace {
        say(out, ids_on_disk(&root))?;
    }
    for (i, action) in actions.iter().enumerate() {
        app.update(action.clone());
        // Searches and the clipboard have no place here; the writes all happened in update.
        app.effects.clear();
        say(out, format!("step {}", i + 1))?;
        if trace {
            say(out, ids_on_disk(&root))?;
        }
    }
    if let Some((message, true)) = &app.message {
        return Err(Error::Usage(format!(
            "the script ended on an error: {message}"
        )));
    }
    Ok(())
}

fn ids_on_disk(corpus: &Path) -> String {
    let (set, _) = CodingSet::load(corpus);
    let mut ids: Vec<String> = set
        .codings
        .iter()
        .map(|c| format!("{}/{}", c.coder, c.coding.id))
        .collect();
    ids.sort();
    format!("ids {}", ids.join(" "))
}
