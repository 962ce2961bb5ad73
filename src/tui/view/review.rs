//! Review: where two coders differ, one paragraph and code at a time. The list on top; below
//! it the paragraph, and each coder's codings on it side by side, with their memos.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::pad;
use crate::tui::app::App;
use crate::tui::layout;
use crate::tui::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let m = app.msg();
    let main = layout::main_area(size);
    let Some((a, b)) = &app.review.pair else {
        let block = Block::bordered().title(m.review_title);
        frame.render_widget(
            Paragraph::new(m.review_needs_two)
                .wrap(Wrap { trim: true })
                .block(block),
            main,
        );
        return;
    };
    let items = app.review.items.as_deref().unwrap_or_default();
    let machine = app.review.comparing_machine();
    let list_height = (main.height / 3).max(4);
    let list = Rect::new(main.x, main.y, main.width, list_height);
    let keys = if machine { "a d s f" } else { "< > K r m f" };
    let block = Block::bordered()
        .title(format!(
            "{} {a} ↔ {b} ({}) · {keys}",
            m.review_title,
            items.len()
        ))
        .border_style(theme.focus_border(true));
    let inner = block.inner(list);
    frame.render_widget(block, list);
    if items.is_empty() {
        let shared = |x: &str, y: &str| {
            let of = |c: &str| -> std::collections::BTreeSet<&str> {
                app.ws
                    .codings
                    .codings
                    .iter()
                    .filter(|p| p.coder == c && !p.coding.orphaned)
                    .map(|p| p.source.as_str())
                    .collect()
            };
            !of(x).is_disjoint(&of(y))
        };
        let none = if machine {
            m.suggestions_none
        } else if !shared(a, b) {
            m.review_no_common
        } else {
            m.review_none
        };
        frame.render_widget(Paragraph::new(none).wrap(Wrap { trim: true }), inner);
        return;
    }
    let book = &app.ws.corpus.codebook;
    let label = |code: &str| {
        book.code(code)
            .map_or(code.to_string(), |c| c.label.clone())
    };
    let visible = inner.height as usize;
    let first = app
        .review
        .selected
        .saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .map(|(i, d)| {
            let title = app
                .ws
                .corpus
                .source(&d.source)
                .map_or(d.source.as_str(), |s| s.meta.title.as_str());
            let who = if d.codings[0].is_empty() { b } else { a };
            let kept = if app.review.kept.get(i).copied().unwrap_or(false) {
                "✓ "
            } else {
                "  "
            };
            let text = format!(
                "{kept}{title} ¶{} · {} · {} {who}",
                d.ordinal,
                label(&d.code),
                m.only
            );
            let style = if i == app.review.selected {
                theme.selected()
            } else {
                Style::default()
            };
            Line::styled(pad(&text, inner.width as usize), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);

    let Some(d) = items.get(app.review.selected) else {
        return;
    };
    let rest = Rect::new(
        main.x,
        main.y + list_height,
        main.width,
        main.height.saturating_sub(list_height),
    );
    let paragraph_height = (rest.height / 3).max(3);
    let text = app
        .ws
        .corpus
        .source(&d.source)
        .and_then(|s| s.slice(d.start, d.end))
        .unwrap_or_default();
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(format!("¶{} · {}", d.ordinal, label(&d.code)))),
        Rect::new(rest.x, rest.y, rest.width, paragraph_height),
    );
    let half = rest.width / 2;
    let sides_y = rest.y + paragraph_height;
    let sides_height = rest.height.saturating_sub(paragraph_height);
    for (k, coder) in [a, b].into_iter().enumerate() {
        let area = Rect::new(rest.x + half * k as u16, sides_y, half, sides_height);
        let lines: Vec<Line> = if d.codings[k].is_empty() {
            // Coded with other codes is not "not coded": say which.
            let mut others: Vec<String> = app
                .ws
                .codings
                .overlapping(&d.source, d.start, d.end)
                .filter(|p| p.coder == *coder && p.coding.code != d.code)
                .map(|p| label(&p.coding.code))
                .collect();
            others.sort();
            others.dedup();
            let text = if others.is_empty() {
                m.not_coded.to_string()
            } else {
                format!("{} {}", m.not_with_this_code, others.join(", "))
            };
            vec![Line::styled(text, theme.dim())]
        } else {
            d.codings[k]
                .iter()
                .flat_map(|p| {
                    if app.ws.codings.is_machine(&p.coder) {
                        // The paragraph is shown above; the machine's side is its reasons.
                        return super::reasons::lines(app, p, theme);
                    }
                    vec![
                        Line::styled(format!("“{}”", p.coding.quote), Style::default()),
                        Line::styled(format!("memo: {}", p.coding.memo), theme.dim()),
                        Line::from(""),
                    ]
                })
                .collect()
        };
        let glyph = if k == 0 { "<" } else { ">" };
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::bordered().title(format!("{glyph} {coder}"))),
            area,
        );
    }
}
