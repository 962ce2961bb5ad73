//! The memo and the one-line prompts: a line of text, Enter saves, Esc cancels.

use crate::coding::Coding;
use crate::coding::history::Edit;
use crate::tui::action::Action;
use crate::tui::pages::{Command, Ctx};
use crate::workspace::BookOp;

use super::{MemoPurpose, Popup, PromptPurpose};

/// Typing and deleting in a text field; None for any other action.
fn edit_line(text: &mut String, action: &Action) -> bool {
    match action {
        Action::Input(c) => text.push(*c),
        Action::Backspace => {
            text.pop();
        }
        Action::ClearLine => text.clear(),
        _ => return false,
    }
    true
}

pub(super) fn update_memo(
    mut text: String,
    purpose: MemoPurpose,
    action: &Action,
    ctx: &Ctx,
) -> (Option<Popup>, Vec<Command>) {
    if edit_line(&mut text, action) || !matches!(action, Action::Back | Action::Enter) {
        return (Some(Popup::Memo { text, purpose }), Vec::new());
    }
    if *action == Action::Back {
        return (None, Vec::new());
    }
    let memo = text.trim().to_string();
    let command = match purpose {
        MemoPurpose::New {
            source,
            start,
            end,
            code,
        } => Command::AddCoding {
            source,
            start,
            end,
            code,
            memo,
        },
        MemoPurpose::Edit(old) => {
            let new = crate::coding::Placed {
                coding: Coding {
                    memo,
                    ..old.coding.clone()
                },
                ..old.clone()
            };
            Command::Record(Edit::Replaced { old, new }, ctx.msg().saved.into())
        }
        MemoPurpose::Target(target) => Command::SetMemo { target, text },
    };
    (None, vec![command])
}

pub(super) fn update_prompt(
    title: String,
    mut text: String,
    purpose: PromptPurpose,
    action: &Action,
    ctx: &Ctx,
) -> (Option<Popup>, Vec<Command>) {
    if edit_line(&mut text, action) || !matches!(action, Action::Back | Action::Enter) {
        let open = Popup::Prompt {
            title,
            text,
            purpose,
        };
        return (Some(open), Vec::new());
    }
    if *action == Action::Back {
        return (None, Vec::new());
    }
    let text = text.trim().to_string();
    let m = ctx.msg();
    let op = match purpose {
        PromptPurpose::NewCodeLabel { sibling } => {
            let next = Popup::prompt(
                m.new_code_definition,
                String::new(),
                PromptPurpose::NewCodeDefinition {
                    sibling,
                    label: text,
                },
            );
            return (Some(next), Vec::new());
        }
        PromptPurpose::NewCodeDefinition { sibling, label } => {
            if text.is_empty() {
                return (None, vec![Command::Error(m.code_needs_definition.into())]);
            }
            BookOp::AddCode {
                sibling,
                label,
                definition: text,
            }
        }
        PromptPurpose::Rename { id } => BookOp::Rename { id, label: text },
        PromptPurpose::Define { id } => BookOp::Define {
            id,
            definition: text,
        },
        PromptPurpose::Split { id } => BookOp::Split {
            id,
            label: text,
            split_from: m.split_from.into(),
        },
        PromptPurpose::SheetNote { case } => BookOp::SheetNote { case, note: text },
        PromptPurpose::NewCase => BookOp::NewCase { id: text },
        PromptPurpose::CaseAttributes { case } => match parse_attributes(&text) {
            Ok(attributes) => BookOp::SetCaseAttributes {
                id: case,
                attributes,
            },
            Err(bad) => {
                let error = format!("{}: {bad:?}", m.attribute_form);
                return (None, vec![Command::Error(error)]);
            }
        },
        PromptPurpose::AssignCase { source } => BookOp::AssignCase {
            source,
            case: Some(text).filter(|t| !t.is_empty()),
        },
        PromptPurpose::Coder => return (None, vec![Command::RememberCoder(text)]),
        PromptPurpose::Summary { row, column } => {
            return (None, vec![Command::SetSummary { row, column, text }]);
        }
    };
    (None, vec![Command::Book(op)])
}

/// `regio=Zuid, niveau=2` as (name, value) pairs; the first part without `=` is an error.
fn parse_attributes(text: &str) -> Result<Vec<(String, String)>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|part| match part.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                Ok((k.trim().to_string(), v.trim().to_string()))
            }
            _ => Err(part.to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn attributes_as_typed() {
        assert_eq!(
            super::parse_attributes("regio=Zuid, niveau = 2,").unwrap(),
            [
                ("regio".into(), "Zuid".into()),
                ("niveau".into(), "2".into())
            ]
        );
        assert_eq!(super::parse_attributes("regio"), Err("regio".into()));
        assert!(super::parse_attributes("").unwrap().is_empty());
    }
}
