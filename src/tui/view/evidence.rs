//! The evidence prompt: the claim, the quotes-first switch and the keys, and the passages
//! that support the claim, best first — each with its support, the claim's words it shares,
//! its codes and its text with the matched words marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::pad;
use super::search::{location, styled_spans};
use crate::tui::action::{Action, Filter};
use crate::tui::app::App;
use crate::tui::i18n::evidence::evidence;
use crate::tui::keymap::Context;
use crate::tui::layout;
use crate::tui::popups::evidence::EvidenceState;
use crate::tui::theme::Theme;

/// Lines per listed passage: head, shared words and codes, text.
const LINES_PER_HIT: usize = 3;

pub(super) fn render(
    app: &App,
    state: &EvidenceState,
    frame: &mut Frame,
    size: (u16, u16),
    theme: &Theme,
) {
    let t = evidence(app.lang);
    let area = layout::popup_area(size, size.0.saturating_sub(8), size.1.saturating_sub(4));
    frame.render_widget(Clear, area);
    let mut title = t.title.to_string();
    let waiting = state.pending.then(|| super::index_status(app)).flatten();
    if let Some(status) = &waiting {
        title.push_str(&format!(" — {status}"));
    } else if state.pending {
        title.push_str(&format!(" — {}", app.msg().searching));
    }
    let cursor = if state.editing { "▏" } else { "" };
    let claim = Paragraph::new(format!("{}{cursor}", state.claim)).block(
        Block::bordered()
            .title(title)
            .border_style(theme.focus_border(state.editing)),
    );
    frame.render_widget(claim, Rect::new(area.x, area.y, area.width, 3));
    frame.render_widget(
        Paragraph::new(Line::styled(
            pad(&keys_line(app, state), area.width as usize),
            theme.dim(),
        )),
        Rect::new(area.x, area.y + 3, area.width, 1),
    );
    let list_area = Rect::new(
        area.x,
        area.y + 4,
        area.width,
        area.height.saturating_sub(4),
    );
    let block = Block::bordered()
        .title(format!("{} ({})", app.msg().passages, state.results.len()))
        .border_style(theme.focus_border(!state.editing));
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    let notice = if let Some(e) = &state.error {
        Some(Line::styled(e.clone(), theme.error()))
    } else if let Some(status) = waiting.filter(|_| state.results.is_empty()) {
        Some(Line::styled(status, theme.title()))
    } else if state.claim.trim().is_empty() {
        Some(Line::from(t.hint))
    } else if !state.answered {
        Some(Line::from(t.ask_with_enter))
    } else if state.results.is_empty() && !state.pending {
        Some(Line::from(t.none))
    } else {
        None
    };
    match notice {
        Some(line) => frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), inner),
        None => frame.render_widget(Paragraph::new(hit_lines(app, state, inner, theme)), inner),
    }
}

/// The quotes-first switch and the prompt's keys, as the keymap binds them.
fn keys_line(app: &App, state: &EvidenceState) -> String {
    let t = evidence(app.lang);
    let m = app.msg();
    let key = |action: &Action| app.keymap.label(Context::Evidence, action);
    let quotes = if state.quotes_first { m.on } else { m.off };
    format!(
        " {} {}: {quotes} · {} {} · {} {} {} · {} {}",
        key(&Action::ToggleFilter(Filter::Quotes)),
        t.quotes_first,
        key(&Action::Enter),
        t.open,
        key(&Action::CopyCitation),
        key(&Action::AppendCitation),
        t.cite,
        key(&Action::Back),
        t.close,
    )
}

fn hit_lines(app: &App, state: &EvidenceState, inner: Rect, theme: &Theme) -> Vec<Line<'static>> {
    let t = evidence(app.lang);
    let width = inner.width as usize;
    let visible = (inner.height as usize / LINES_PER_HIT).max(1);
    let first = state.selected.saturating_sub(visible - 1);
    let mut lines = Vec::new();
    for (i, found) in state.results.iter().enumerate().skip(first).take(visible) {
        let hit = &found.hit;
        let mut meta = vec![format!("{:.2} {}", found.support, t.support)];
        if found.quote {
            meta.push(t.quote.to_string());
        }
        meta.push(hit.title.clone());
        meta.push(location(hit));
        meta.extend(hit.case.clone());
        meta.extend(hit.speaker.clone());
        let style = if i == state.selected && !state.editing {
            theme.selected()
        } else {
            theme.title()
        };
        lines.push(Line::styled(pad(&meta.join(" · "), width), style));
        let codes = if hit.codes.is_empty() {
            t.no_codes.to_string()
        } else {
            format!("{}: {}", t.codes, hit.codes.join(", "))
        };
        let shared = format!("  {}: {} · {codes}", t.shared, found.shared.join(", "));
        lines.push(Line::styled(pad(&shared, width), theme.dim()));
        let mut text = styled_spans(&hit.snippet, &hit.highlights, theme);
        text.insert(0, Span::raw("  "));
        lines.push(Line::from(text));
    }
    lines
}
