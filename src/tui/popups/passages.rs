//! A list of passages (behind a code, a fishbone rib or a matrix cell): Enter opens one,
//! `y`/`Y` cite it.

use crate::tui::action::Action;
use crate::tui::pages::Command;

use super::{PassageItem, Popup};

pub(super) fn update(
    title: String,
    items: Vec<PassageItem>,
    mut selected: usize,
    action: &Action,
) -> (Option<Popup>, Vec<Command>) {
    let mut out = Vec::new();
    match action {
        Action::Back => return (None, out),
        Action::Up | Action::ScrollUp => selected = selected.saturating_sub(1),
        Action::Down | Action::ScrollDown => {
            selected = (selected + 1).min(items.len().saturating_sub(1))
        }
        Action::Enter => {
            if let Some(item) = items.get(selected) {
                out.push(Command::Open {
                    source: item.source,
                    at: item.start,
                });
            }
            return (None, out);
        }
        Action::CopyCitation | Action::AppendCitation => {
            if let Some(item) = items.get(selected) {
                out.push(Command::Cite {
                    source: item.source,
                    start: item.start,
                    end: item.end,
                    append: *action == Action::AppendCitation,
                });
            }
        }
        _ => {}
    }
    let open = Popup::Passages {
        title,
        items,
        selected,
    };
    (Some(open), out)
}
