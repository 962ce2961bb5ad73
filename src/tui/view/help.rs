//! `?`: the keys of the current page, in the UI language, read from the active keymap — a
//! remapped key shows as remapped, and a key bound to an action the page's list does not
//! mention is listed with that action's description.

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::i18n::actions;
use crate::tui::i18n::help::{self, Entry, Keys};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::layout;
use crate::tui::theme::Theme;

/// The keys of `actions` in `context`, as one label ("j k ↑ ↓"; a long run as "F2…F9").
fn keys_label(map: &Keymap, context: Context, actions: &[Action]) -> String {
    // A run of actions (the pages, the filters): the first key of the first and the last.
    if actions.len() > 4 {
        let first = map.label(context, &actions[0]);
        let last = map.label(context, &actions[actions.len() - 1]);
        return format!("{first}…{last}");
    }
    let mut keys: Vec<crate::tui::keymap::Key> = actions
        .iter()
        .flat_map(|a| map.keys_for(context, a))
        .collect();
    keys.sort_by_key(|k| k.rank());
    let labels: Vec<String> = keys.iter().take(4).map(|k| k.label()).collect();
    labels.join(" ")
}

/// The help's lines for `app`'s page: its entries, the global ones, and any own binding
/// of the page that no entry mentions.
pub fn lines(app: &App) -> Vec<String> {
    let map = &app.keymap;
    let context = Context::of_view(app.view);
    let lang = app.lang;
    let mut entries: Vec<&Entry> = help::entries(app.view).iter().collect();
    if map.mouse && app.view == crate::tui::action::ViewId::Documents {
        entries.push(&help::MOUSE);
    }
    let mut rows: Vec<(String, &str)> = Vec::new();
    let mut line = |keys: String, what: &'static str| rows.push((keys, what));
    let mentioned: Vec<&Action> = entries
        .iter()
        .copied()
        .chain(help::EVERYWHERE)
        .filter_map(|(k, ..)| match k {
            Keys::Of(actions) => Some(actions.iter()),
            Keys::Label(..) => None,
        })
        .flatten()
        .collect();
    for (keys, nl, en) in entries {
        let label = match keys {
            Keys::Of(actions) => keys_label(map, context, actions),
            Keys::Label(nl, en) => help::pick(lang, nl, en).to_string(),
        };
        line(label, help::pick(lang, nl, en));
    }
    for (key, action) in map.bindings(context) {
        if !mentioned.contains(&action) {
            line(key.label(), actions::description(action, lang));
        }
    }
    // Keys the user's or the project's config bound: each on its own line, also where an
    // entry above lists the action (a short run there may leave the new key out).
    for (key, action) in map
        .custom(context)
        .into_iter()
        .chain(map.custom(Context::Global))
    {
        if mentioned.contains(&&action) {
            line(
                format!("{} *", key.label()),
                actions::description(&action, lang),
            );
        }
    }
    for (keys, nl, en) in help::EVERYWHERE {
        let label = match keys {
            Keys::Of(actions) => keys_label(map, Context::Global, actions),
            Keys::Label(nl, en) => help::pick(lang, nl, en).to_string(),
        };
        line(label, help::pick(lang, nl, en));
    }
    let width = rows
        .iter()
        .map(|(k, _)| k.width())
        .max()
        .unwrap_or(0)
        .clamp(14, 20);
    rows.into_iter()
        .map(|(keys, what)| {
            format!(
                " {}{} {what}",
                keys,
                " ".repeat(width.saturating_sub(keys.width()))
            )
        })
        .collect()
}

/// How far the help can scroll at the app's size: its lines beyond what the popup shows.
pub fn max_scroll(app: &App) -> usize {
    let count = lines(app).len();
    let area = layout::popup_area(app.size, 96, count as u16 + 2);
    count.saturating_sub(area.height.saturating_sub(2) as usize)
}

pub fn render(app: &App, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let lines: Vec<Line> = lines(app).into_iter().map(Line::from).collect();
    let area = layout::popup_area(size, 96, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    // Longer than the screen: scrolled (↑ ↓ PgUp PgDn), the title says which lines show.
    let shown = area.height.saturating_sub(2) as usize;
    let first = app.help_scroll.min(max_scroll(app));
    let mut title = format!("{} ({})", app.msg().keys, app.msg().help);
    if lines.len() > shown {
        title.push_str(&format!(
            " · {}–{}/{} ↑↓",
            first + 1,
            (first + shown).min(lines.len()),
            lines.len()
        ));
    }
    let block = Block::bordered()
        .title(title)
        .border_style(theme.focus_border(true));
    let lines: Vec<Line> = lines.into_iter().skip(first).collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
