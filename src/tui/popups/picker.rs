//! The code picker: type to filter the code book, Enter picks.

use crate::coding::Coding;
use crate::coding::history::Edit;
use crate::tui::action::Action;
use crate::tui::pages::{Command, Ctx};
use crate::workspace::{BookOp, Workspace};

use super::{MemoPurpose, PickPurpose, Popup};

/// Codes matching the picker's filter: every typed char must appear in order in the code's
/// label, id or level ("fuzzy"), case-insensitive.
pub fn picker_codes(ws: &Workspace, filter: &str) -> Vec<usize> {
    let needle: Vec<char> = filter
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    ws.corpus
        .codebook
        .codes
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let hay = format!(
                "{} {} {}",
                c.label,
                c.id,
                c.level.map_or("", |l| l.as_str())
            )
            .to_lowercase();
            let mut it = hay.chars();
            needle.iter().all(|n| it.any(|h| h == *n))
        })
        .map(|(i, _)| i)
        .collect()
}

pub(super) fn update(
    mut filter: String,
    mut selected: usize,
    purpose: PickPurpose,
    action: &Action,
    ctx: &Ctx,
) -> (Option<Popup>, Vec<Command>) {
    let matches = picker_codes(ctx.ws, &filter);
    match action {
        Action::Back => return (None, Vec::new()),
        Action::Input(c) => {
            filter.push(*c);
            selected = 0;
        }
        Action::Backspace => {
            filter.pop();
            selected = 0;
        }
        Action::ClearLine => {
            filter.clear();
            selected = 0;
        }
        Action::Up | Action::ScrollUp => selected = selected.saturating_sub(1),
        Action::Down | Action::ScrollDown => {
            selected = (selected + 1).min(matches.len().saturating_sub(1))
        }
        Action::Enter => {
            let picked = matches
                .get(selected)
                .and_then(|&i| ctx.ws.corpus.codebook.codes.get(i))
                .map(|c| c.id.clone());
            if let Some(code) = picked {
                return picked_code(purpose, code, ctx);
            }
        }
        _ => {}
    }
    let open = Popup::CodePicker {
        filter,
        selected,
        purpose,
    };
    (Some(open), Vec::new())
}

fn picked_code(purpose: PickPurpose, code: String, ctx: &Ctx) -> (Option<Popup>, Vec<Command>) {
    match purpose {
        PickPurpose::Add { source, start, end } => {
            let memo = Popup::Memo {
                text: String::new(),
                purpose: MemoPurpose::New {
                    source,
                    start,
                    end,
                    code,
                },
            };
            (Some(memo), Vec::new())
        }
        PickPurpose::Recode(old) => {
            let new = crate::coding::Placed {
                coding: Coding {
                    code,
                    ..old.coding.clone()
                },
                ..old.clone()
            };
            let saved = ctx.msg().saved.to_string();
            (
                None,
                vec![Command::Record(Edit::Replaced { old, new }, saved)],
            )
        }
        PickPurpose::Filter => (None, vec![Command::SetCodeFilter(code)]),
        PickPurpose::PutOnSheet { case } => {
            let on = ctx
                .ws
                .corpus
                .cases
                .get(&case)
                .is_some_and(|c| c.fishbone.as_ref().is_some_and(|s| s.codes.contains(&code)));
            if on {
                (None, vec![Command::Info(ctx.msg().already_on_sheet.into())])
            } else {
                (
                    None,
                    vec![Command::Book(BookOp::ToggleOnSheet { case, code })],
                )
            }
        }
        PickPurpose::Merge { from } => (
            None,
            vec![Command::Book(BookOp::Merge { from, into: code })],
        ),
    }
}
