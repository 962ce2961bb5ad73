//! The code picker: type to filter the code book, Enter picks.

use crate::coding::Coding;
use crate::coding::history::Edit;
use crate::tui::action::Action;
use crate::tui::pages::{Command, Ctx};
use crate::workspace::{BookOp, Workspace};

use super::{MemoPurpose, PickPurpose, Popup};

/// Codes matching the picker's filter, best first, so that Enter takes the code meant:
/// the label holding the typed text at a word's start, then anywhere, then the id holding
/// it, then every typed char in order in the label, id or level ("fuzzy"); case-insensitive,
/// and within each kind in code-book order. (Fuzzy alone, in code-book order, had "intake"
/// pick "Korte lijnen met de zorg" before "Goede intake".)
pub fn picker_codes(ws: &Workspace, filter: &str) -> Vec<usize> {
    let typed = filter.trim().to_lowercase();
    let needle: Vec<char> = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let mut ranked: Vec<(u8, usize)> = ws
        .corpus
        .codebook
        .codes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let label = c.label.to_lowercase();
            let id = c.id.to_lowercase();
            let at_word_start = label.match_indices(typed.as_str()).any(|(at, _)| {
                label[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|before| !before.is_alphanumeric())
            });
            let rank = if typed.is_empty() || at_word_start {
                0
            } else if label.contains(typed.as_str()) {
                1
            } else if id.contains(&typed.replace(' ', "-")) {
                2
            } else {
                let hay = format!("{label} {id} {}", c.level.map_or("", |l| l.as_str()));
                let mut it = hay.chars();
                if !needle.iter().all(|n| it.any(|h| h == *n)) {
                    return None;
                }
                3
            };
            Some((rank, i))
        })
        .collect();
    ranked.sort_unstable();
    ranked.into_iter().map(|(_, i)| i).collect()
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
