//! Rendering: a pure function of the `App` state. One file per view; this one draws the
//! frame around them (tabs, status line), the popups, the help and the too-small notice.

mod codes;
mod documents;
mod evidence;
mod fishbone;
pub use fishbone::counts as fishbone_counts;
pub mod help;
pub mod loading;
mod matrix;
mod reasons;
mod review;
pub(crate) mod saturation;
pub mod search;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::action::{InputMode, ViewId};
use super::app::App;
use super::i18n::Lang;
use super::indexer::IndexState;
use super::keymap::{Context, Keymap};
use super::layout;
use super::popups::{PickPurpose, Popup};
use super::theme::Theme;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let size = (area.width, area.height);
    let theme = Theme { color: app.color };
    if layout::too_small(size) {
        let text = Paragraph::new(app.msg().too_small).wrap(Wrap { trim: true });
        frame.render_widget(text, area);
        return;
    }
    tabs(app, frame, size, &theme);
    match app.view {
        ViewId::Documents => documents::render(app, frame, size, &theme),
        ViewId::Search => search::render(app, frame, size, &theme),
        ViewId::Fishbone => fishbone::render(app, frame, size, &theme),
        ViewId::Codes => codes::render(app, frame, size, &theme),
        ViewId::Matrix => matrix::render(app, frame, size, &theme),
        ViewId::Review => review::render(app, frame, size, &theme),
        ViewId::Saturation => saturation::render(app, frame, size, &theme),
    }
    status(app, frame, size, &theme);
    if let Some(popup) = &app.popup {
        render_popup(app, popup, frame, size, &theme);
    }
    if app.help {
        help::render(app, frame, size, &theme);
    }
}

/// Each tab's label (" 1 Documenten"), with the key bound to it.
pub(crate) fn tab_labels(app: &App) -> Vec<String> {
    tab_labels_in(app.lang, &app.keymap)
}

fn tab_labels_in(lang: Lang, keymap: &Keymap) -> Vec<String> {
    let m = crate::tui::i18n::messages(lang);
    layout::VIEWS
        .iter()
        .map(|view| {
            let name = match view {
                ViewId::Documents => m.documents,
                ViewId::Search => m.search,
                ViewId::Fishbone => m.fishbone,
                ViewId::Codes => m.codes,
                ViewId::Matrix => m.matrix,
                ViewId::Review => m.review,
                ViewId::Saturation => crate::tui::i18n::methods::methods(lang).saturation,
            };
            let key = keymap.label(Context::Global, &crate::tui::action::Action::Show(*view));
            format!(" {key} {name}")
        })
        .collect()
}

/// The tabs' widths at the current size (clicks use the same).
pub(crate) fn tab_widths(app: &App, size: (u16, u16)) -> Vec<u16> {
    tab_widths_in(&tab_labels(app), size)
}

fn tab_widths_in(labels: &[String], size: (u16, u16)) -> Vec<u16> {
    let labels: Vec<usize> = labels.iter().map(|l| l.width()).collect();
    layout::tab_widths(&labels, size.0)
}

fn tabs(app: &App, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let chrome = Chrome {
        lang: app.lang,
        keymap: &app.keymap,
        view: app.view,
        context: app.key_context(),
    };
    draw_tabs(&chrome, frame, size, theme);
}

/// What the frame around a page is drawn from: also before the workspace is loaded.
pub(crate) struct Chrome<'a> {
    pub lang: Lang,
    pub keymap: &'a Keymap,
    pub view: ViewId,
    /// Whose keys the hints name.
    pub context: Context,
}

/// The tabs on the first row, the help and quit hints at its right.
pub(crate) fn draw_tabs(chrome: &Chrome, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let m = crate::tui::i18n::messages(chrome.lang);
    let mut spans = Vec::new();
    let labels = tab_labels_in(chrome.lang, chrome.keymap);
    let widths = tab_widths_in(&labels, size);
    for ((view, label), w) in layout::VIEWS.iter().zip(labels).zip(widths) {
        let label = pad(&label, w as usize);
        let style = if *view == chrome.view {
            theme.selected()
        } else {
            Style::default()
        };
        spans.push(Span::styled(label, style));
    }
    let key = |a: crate::tui::action::Action| chrome.keymap.label(chrome.context, &a);
    let help = format!(
        "{} {} ",
        key(crate::tui::action::Action::ToggleHelp),
        m.help
    );
    let quit = format!(" {} {} ", key(crate::tui::action::Action::Quit), m.quit);
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    // The hint only where it fits whole (help first): the tabs come first.
    let room = (size.0 as usize).saturating_sub(used);
    let right = if help.width() + quit.width() <= room {
        format!("{help}{quit}")
    } else {
        help
    };
    if right.width() <= room {
        let gap = size.0 as usize - used - right.width();
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(right, theme.dim()));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)),
        Rect::new(0, 0, size.0, 1),
    );
}

fn status(app: &App, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let m = app.msg();
    let selecting = app.docs.reader.as_ref().is_some_and(|r| r.anchor.is_some())
        && app.view == ViewId::Documents;
    let mode = if selecting {
        m.selecting
    } else if app.input_mode() == InputMode::Text {
        m.typing
    } else {
        m.normal
    };
    let mut spans = vec![
        Span::styled(format!(" [{mode}] "), theme.title()),
        Span::styled(
            format!(
                "{}: {} · {}: {}  ",
                m.coder,
                app.ws.config.coder,
                m.showing,
                app.shown_coder.as_deref().unwrap_or(m.all_coders)
            ),
            theme.dim(),
        ),
    ];
    if let Some(round) = &app.round {
        let text = crate::tui::i18n::methods::fill(
            crate::tui::i18n::methods::methods(app.lang).round_status,
            &[("round", round.round.to_string())],
        );
        spans.push(Span::styled(format!("{text}  "), theme.highlight()));
    }
    if let Some(text) = index_status(app) {
        let style = if matches!(app.index, IndexState::Failed(_)) {
            theme.error()
        } else {
            theme.title()
        };
        spans.push(Span::styled(format!("{text}  "), style));
    }
    if let Some((text, is_error)) = &app.message {
        let style = if *is_error {
            theme.error()
        } else {
            Style::default()
        };
        // Cut to the room left, with "…": a message that ends at the edge reads as whole.
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        let room = (size.0 as usize).saturating_sub(used);
        spans.push(Span::styled(pad(text, room).trim_end().to_string(), style));
    }
    let area = Rect::new(0, size.1.saturating_sub(1), size.0, 1);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// What the index worker is doing, while searches cannot be answered yet; None when ready.
pub(crate) fn index_status(app: &App) -> Option<String> {
    index_status_of(app.lang, &app.index)
}

fn index_status_of(lang: Lang, index: &IndexState) -> Option<String> {
    let m = crate::tui::i18n::messages(lang);
    match index {
        IndexState::Ready => None,
        IndexState::Working { building, percent } => Some(format!(
            "{} ({percent} %)",
            if *building {
                m.index_building
            } else {
                m.index_updating
            }
        )),
        IndexState::Waiting => Some(m.index_waiting.to_string()),
        IndexState::Failed(e) => Some(format!("{}: {e}", m.index_failed)),
    }
}

/// `text` cut to `width` display columns (with "…"), then padded with spaces.
pub(crate) fn pad(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    let total = text.width();
    for c in text.chars() {
        let w = c.to_string().width();
        if total > width && used + w + 1 > width {
            out.push('…');
            used += 1;
            break;
        }
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

fn render_popup(app: &App, popup: &Popup, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let m = app.msg();
    match popup {
        Popup::CodePicker {
            filter,
            selected,
            purpose,
        } => {
            let area = layout::popup_area(size, 84, 22);
            frame.render_widget(Clear, area);
            let title = match purpose {
                PickPurpose::Add { .. } | PickPurpose::Filter => m.pick_code.to_string(),
                PickPurpose::Merge { from } => format!("{} → {from}", m.pick_code),
                PickPurpose::PutOnSheet { case } => {
                    format!("{} → {}: {case}", m.pick_code, m.sheet_label)
                }
                PickPurpose::Recode(p) => format!("{} ({})", m.pick_code, p.coding.code),
            };
            let block = Block::bordered()
                .title(title)
                .border_style(theme.focus_border(true));
            let inner = block.inner(area);
            frame.render_widget(block, area);
            let mut lines = vec![Line::from(format!("> {filter}▏")), Line::from("")];
            let matches = app.picker_codes(filter);
            let visible = inner.height.saturating_sub(2) as usize;
            let first = selected.saturating_sub(visible.saturating_sub(1));
            for (row, &i) in matches.iter().enumerate().skip(first).take(visible) {
                let code = &app.ws.corpus.codebook.codes[i];
                let place = match (code.level, code.valence) {
                    (Some(l), Some(v)) => format!("{} {}", v.glyph(), l.as_str()),
                    _ => format!("· {}", code.group),
                };
                let text = pad(
                    &format!("{} {}", pad(&place, 18), code.label),
                    inner.width as usize,
                );
                let style = if row == *selected {
                    theme.selected()
                } else {
                    theme.level(code.level)
                };
                lines.push(Line::styled(text, style));
            }
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Popup::Memo { text, purpose } => {
            let area = layout::popup_area(size, 84, 6);
            frame.render_widget(Clear, area);
            let title = match purpose {
                crate::tui::popups::MemoPurpose::Target(target) => {
                    format!("{} · {target}", m.memo_note_prompt)
                }
                _ => m.memo_prompt.to_string(),
            };
            text_field(frame, area, title, text, theme);
        }
        Popup::Prompt { title, text, .. } => {
            let area = layout::popup_area(size, 90, 8);
            frame.render_widget(Clear, area);
            text_field(frame, area, title.clone(), text, theme);
        }
        Popup::Problems { selected } => problems(app, *selected, frame, size, theme),
        Popup::Evidence(state) => evidence::render(app, state, frame, size, theme),
        Popup::Passages {
            title,
            items,
            selected,
        } => {
            let area = layout::popup_area(size, size.0.saturating_sub(8), size.1.saturating_sub(6));
            frame.render_widget(Clear, area);
            let block = Block::bordered()
                .title(format!("{}: {title} ({})", m.passages, items.len()))
                .border_style(theme.focus_border(true));
            let inner = block.inner(area);
            frame.render_widget(block, area);
            let visible = inner.height as usize;
            let first = selected.saturating_sub(visible.saturating_sub(1));
            let lines: Vec<Line> = items
                .iter()
                .enumerate()
                .skip(first)
                .take(visible)
                .map(|(i, item)| {
                    let style = if i == *selected {
                        theme.selected()
                    } else {
                        Style::default()
                    };
                    Line::styled(pad(&item.label, inner.width as usize), style)
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), inner);
        }
    }
}

/// A text being typed, wrapped, with the caret at its end; a text longer than the field is
/// scrolled so that the caret, where the typing goes on, stays in view.
fn text_field(frame: &mut Frame, area: Rect, title: String, text: &str, theme: &Theme) {
    let block = Block::bordered()
        .title(title)
        .border_style(theme.focus_border(true));
    let inner = block.inner(area);
    let typed = format!("{text}▏");
    let rows = wrapped_rows(&typed, inner.width as usize);
    let scroll = rows.saturating_sub(inner.height as usize) as u16;
    let p = Paragraph::new(typed)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .block(block);
    frame.render_widget(p, area);
}

/// How many rows `text` takes wrapped at word boundaries to `width` columns (as the
/// Paragraph's word wrap does; a word longer than a row is broken).
fn wrapped_rows(text: &str, width: usize) -> usize {
    let width = width.max(1);
    text.split('\n')
        .map(|line| {
            let mut rows = 1;
            let mut used = 0;
            for word in line.split(' ') {
                let w = word.width();
                let need = if used == 0 { w } else { used + 1 + w };
                if need <= width {
                    used = need;
                } else {
                    rows += usize::from(used > 0) + w.saturating_sub(1) / width;
                    used = if w > width { w % width } else { w };
                }
            }
            rows
        })
        .sum()
}

/// The problems list: one line each, the selected one in full below (paths are long).
fn problems(app: &App, selected: usize, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let m = app.msg();
    let items = app.problem_items();
    let area = layout::popup_area(size, size.0.saturating_sub(8), size.1.saturating_sub(6));
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!(
            "{} ({}) · {}",
            m.problems_title,
            items.len(),
            m.problems_keys
        ))
        .border_style(theme.focus_border(true));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if items.is_empty() {
        frame.render_widget(
            Paragraph::new(m.no_problems).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let detail_height = 4.min(inner.height / 2);
    let list_height = inner.height.saturating_sub(detail_height + 1) as usize;
    let first = selected.saturating_sub(list_height.saturating_sub(1));
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(first)
        .take(list_height)
        .map(|(i, item)| {
            let style = if i == selected {
                theme.selected()
            } else if item.at.is_some() {
                theme.dim()
            } else {
                theme.error()
            };
            Line::styled(pad(&item.label, inner.width as usize), style)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, inner.y, inner.width, list_height as u16),
    );
    if let Some(item) = items.get(selected) {
        let detail = Rect::new(
            inner.x,
            inner.y + inner.height - detail_height,
            inner.width,
            detail_height,
        );
        frame.render_widget(
            Paragraph::new(item.label.as_str()).wrap(Wrap { trim: false }),
            detail,
        );
    }
}
