//! Documents: the tree of sources by kind, the reader with coded spans (underlined in their
//! level's colour) and stripes in the margin (one + / − glyph per coding, so overlapping
//! codings stay visible), and the codes and memos of the current paragraph.

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::pad;
use crate::coding::Placed;
use crate::corpus::codebook::Level;
use crate::tui::app::App;
use crate::tui::i18n;
use crate::tui::layout;
use crate::tui::pages::documents::{DocsFocus, TreeRow};
use crate::tui::theme::Theme;

/// Tree and reader side by side; on a terminal too narrow for both, the focused one alone
/// (so what Enter opens is always on screen).
pub fn render(app: &App, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let with_tree = layout::has_tree(size);
    if !with_tree && app.docs.tree_shown(size) {
        return tree(app, frame, layout::main_area(size), theme);
    }
    if with_tree {
        tree(app, frame, layout::tree_area(size), theme);
    }
    reader(app, frame, size, with_tree, theme);
    if layout::has_side(size) {
        side(app, frame, size, theme);
    }
}

fn tree(app: &App, frame: &mut Frame, area: ratatui::layout::Rect, theme: &Theme) {
    let focused = app.docs.focus == DocsFocus::Tree || app.docs.reader.is_none();
    let mut title = app.msg().sources.to_string();
    if !layout::has_tree(app.size) && app.docs.reader.is_some() {
        let key = app.keymap.label(
            crate::tui::keymap::Context::Documents,
            &crate::tui::action::Action::NextPane,
        );
        title = format!("{title} — {key}: {}", app.msg().tree_hint);
    }
    let pane = TreePane {
        title,
        focused,
        selected: app.docs.selected,
        rows: &app.docs.tree,
        lang: app.lang,
    };
    let case_label = |case: &str| {
        app.ws
            .corpus
            .cases
            .get(case)
            .map_or(case, |c| c.label.as_str())
            .to_string()
    };
    let source_title = |s: usize| app.source(s).meta.title.clone();
    draw_tree(&pane, frame, area, theme, case_label, source_title);
}

/// The tree pane as drawn: also before the workspace is loaded, from the index's catalogue.
pub(super) struct TreePane<'a> {
    pub title: String,
    pub focused: bool,
    pub selected: usize,
    pub rows: &'a [TreeRow],
    pub lang: i18n::Lang,
}

/// The tree's visible rows, the selected one kept on screen; `case_label` and
/// `source_title` name a case heading and a source row.
pub(super) fn draw_tree(
    pane: &TreePane,
    frame: &mut Frame,
    area: ratatui::layout::Rect,
    theme: &Theme,
    case_label: impl Fn(&str) -> String,
    source_title: impl Fn(usize) -> String,
) {
    let block = Block::bordered()
        .title(pane.title.clone())
        .border_style(theme.focus_border(pane.focused));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let visible = inner.height as usize;
    let first = pane.selected.saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = pane
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .map(|(i, row)| {
            let (text, style) = match row {
                TreeRow::Kind(kind) => (i18n::kind(pane.lang, *kind).to_string(), theme.title()),
                TreeRow::Case(case) => (format!(" ▸ {}", case_label(case)), theme.dim()),
                TreeRow::Source(s) => (format!("  {}", source_title(*s)), Style::default()),
            };
            let style = if i == pane.selected {
                style.patch(theme.selected())
            } else {
                style
            };
            Line::styled(pad(&text, inner.width as usize), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The reader's pane with no source open: `text` in its place.
pub(super) fn draw_empty_reader(
    frame: &mut Frame,
    area: ratatui::layout::Rect,
    theme: &Theme,
    text: &str,
) {
    let block = Block::bordered().border_style(theme.focus_border(false));
    frame.render_widget(
        Paragraph::new(text.to_string())
            .block(block)
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// Codings of the open source with their level, for styling.
fn codings_of<'a>(app: &'a App, source: &'a str) -> Vec<(&'a Placed, Option<Level>, char)> {
    let mut out: Vec<_> = app
        .ws
        .codings
        .in_source(source)
        .filter(|p| app.shown_coder.as_deref().is_none_or(|k| p.coder == k))
        .map(|p| {
            let code = app.ws.corpus.codebook.code(&p.coding.code);
            let level = code.and_then(|c| c.level);
            let glyph = code.and_then(|c| c.valence).map_or('·', |v| v.glyph());
            (p, level, glyph)
        })
        .collect();
    out.sort_by_key(|(p, _, _)| (p.coding.start, p.coding.end));
    out
}

fn reader(app: &App, frame: &mut Frame, size: (u16, u16), with_tree: bool, theme: &Theme) {
    let area = layout::reader_area(size, with_tree);
    let focused = app.docs.focus == DocsFocus::Reader;
    let Some(r) = &app.docs.reader else {
        return draw_empty_reader(frame, area, theme, app.msg().no_source);
    };
    let source = app.source(r.source);
    let segments = r.segments();
    let current = segments
        .iter()
        .find(|s| s.start <= r.cursor && r.cursor <= s.end);
    let location = current
        .map(|s| match s.page {
            Some(p) => format!("{p}, ¶{}", s.ordinal),
            None => format!("¶{}", s.ordinal),
        })
        .unwrap_or_default();
    let block = Block::bordered()
        .title(format!(" {} — {location} ", source.meta.title))
        .border_style(theme.focus_border(focused));
    frame.render_widget(block, area);

    let text_area = layout::reader_text_area(size, with_tree);
    let lines = app.reader_lines(r.source);
    let codings = codings_of(app, &source.meta.id);
    // The machine's suggestions show dimmed where no person's coding is.
    let suggested: Vec<&Placed> = app
        .ws
        .codings
        .machine
        .iter()
        .filter(|p| p.source == source.meta.id)
        .collect();
    let selection = app.selection();
    let mut out = Vec::new();
    for line in lines.iter().skip(r.top).take(text_area.height as usize) {
        let mut spans = Vec::new();
        // Margin: one stripe per coding that touches this line.
        let touching: Vec<_> = codings
            .iter()
            .filter(|(p, _, _)| {
                line.paragraph.is_some() && p.coding.start < line.end && line.start < p.coding.end
            })
            .collect();
        let stripes = layout::MARGIN as usize - 1;
        for slot in 0..stripes {
            match touching.get(slot) {
                Some(_) if slot + 1 == stripes && touching.len() > stripes => {
                    spans.push(Span::raw("⋯"))
                }
                Some((_, level, glyph)) => {
                    spans.push(Span::styled(glyph.to_string(), theme.level(*level)))
                }
                None => spans.push(Span::raw(" ")),
            }
        }
        // The gap: a mark on lines of the round's units, when the TUI is limited to one.
        let in_round = line.paragraph.is_some()
            && app.in_round(&source.meta.id, line.start, line.end.max(line.start + 1));
        spans.push(if in_round {
            Span::styled("▐", theme.highlight())
        } else {
            Span::raw(" ")
        });
        for cell in &line.cells {
            let innermost = codings
                .iter()
                .filter(|(p, _, _)| p.coding.start <= cell.at && cell.at < p.coding.end)
                .min_by_key(|(p, _, _)| p.coding.end - p.coding.start);
            let mut style = match innermost {
                Some((_, level, _)) => theme.coded(*level),
                None if suggested
                    .iter()
                    .any(|p| p.coding.start <= cell.at && cell.at < p.coding.end) =>
                {
                    theme.dim()
                }
                None => Style::default(),
            };
            if selection.is_some_and(|(s, e)| s <= cell.at && cell.at < e) {
                style = style.patch(theme.selected());
            }
            if focused && cell.at == r.cursor {
                style = style.patch(theme.cursor());
            }
            let text = if cell.text == "\n" {
                " ".to_string()
            } else {
                cell.text.clone()
            };
            spans.push(Span::styled(text, style));
        }
        out.push(Line::from(spans));
    }
    let mut lines_area = text_area;
    lines_area.x -= layout::MARGIN;
    lines_area.width += layout::MARGIN;
    frame.render_widget(Paragraph::new(out), lines_area);
}

fn side(app: &App, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let area = layout::side_area(size);
    let block = Block::bordered().title(app.msg().paragraph_codes);
    let mut lines = Vec::new();
    if let Some(r) = &app.docs.reader {
        let source = app.source(r.source);
        let segments = r.segments();
        if let Some(seg) = segments
            .iter()
            .find(|s| s.start <= r.cursor && r.cursor <= s.end)
        {
            for (p, level, glyph) in codings_of(app, &source.meta.id)
                .into_iter()
                .filter(|(p, _, _)| p.coding.start < seg.end && seg.start < p.coding.end)
            {
                let code = app.ws.corpus.codebook.code(&p.coding.code);
                let label = code.map_or(p.coding.code.as_str(), |c| c.label.as_str());
                let place = level.map_or_else(
                    || code.map_or("?".into(), |c| c.group.clone()),
                    |l| l.as_str().to_string(),
                );
                lines.push(Line::from(vec![
                    Span::styled(format!("{glyph} {place} "), theme.level(level)),
                    Span::styled(label.to_string(), theme.title()),
                ]));
                lines.push(Line::styled(
                    format!("  {}: “{}”", p.coder, p.coding.quote),
                    theme.dim(),
                ));
                if !p.coding.memo.is_empty() {
                    lines.push(Line::from(format!("  memo: {}", p.coding.memo)));
                }
                lines.push(Line::from(""));
            }
            for p in app
                .ws
                .codings
                .machine
                .iter()
                .filter(|p| p.source == source.meta.id)
                .filter(|p| p.coding.start < seg.end && seg.start < p.coding.end)
            {
                let label = app
                    .ws
                    .corpus
                    .codebook
                    .code(&p.coding.code)
                    .map_or(p.coding.code.as_str(), |c| c.label.as_str());
                lines.push(Line::styled(
                    format!("? {label} ({})", p.coder),
                    theme.dim(),
                ));
                lines.extend(super::reasons::lines(app, p, theme));
                lines.push(Line::from(""));
            }
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(app.msg().no_codes_here));
    }
    // The memos on the open source (m in the tree writes yours).
    if let Some(r) = &app.docs.reader {
        let target = format!("source:{}", app.source(r.source).meta.id);
        for memo in app.ws.corpus.memos.of(&target) {
            lines.push(Line::from(""));
            lines.push(Line::styled(
                format!("memo ({}) · {}", memo.author, app.msg().source_memo),
                theme.title(),
            ));
            lines.push(Line::from(memo.text.clone()));
        }
    }
    draw_side(frame, area, block, lines);
}

/// The side pane: the codes and memos of the current paragraph, wrapped.
pub(super) fn draw_side(
    frame: &mut Frame,
    area: ratatui::layout::Rect,
    block: Block,
    lines: Vec<Line>,
) {
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}
