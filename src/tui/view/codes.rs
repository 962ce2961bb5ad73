//! Codes: the code book by group with counts, and the definition of the selected code.

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
    let main = layout::main_area(size);
    let list_width = if size.0 >= 100 {
        main.width * 3 / 5
    } else {
        main.width
    };
    let book = &app.ws.corpus.codebook;
    // Codings per code: every coder's, or the shown coder's only.
    let mut per_code: std::collections::BTreeMap<&str, usize> = Default::default();
    for c in
        app.ws.codings.codings.iter().filter(|c| {
            !c.coding.orphaned && app.shown_coder.as_deref().is_none_or(|k| c.coder == k)
        })
    {
        *per_code.entry(c.coding.code.as_str()).or_default() += 1;
    }
    let list_area = Rect::new(0, main.y, list_width, main.height);
    let block = Block::bordered()
        .title(format!(
            "{} ({}) · {}{}",
            app.msg().codes,
            book.codes.len(),
            app.msg().codings_legend,
            app.shown_coder
                .as_deref()
                .map_or(String::new(), |c| format!(" ({c})"))
        ))
        .border_style(theme.focus_border(true));
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    let mut lines = Vec::new();
    let rows = app.codes_rows();
    let selected_line = rows
        .iter()
        .position(|r| *r == Some(app.codes.selected))
        .unwrap_or(0);
    let mut groups = book.groups.iter();
    for row in rows {
        let Some(i) = row else {
            if let Some(group) = groups.next() {
                lines.push(Line::styled(group.label.clone(), theme.title()));
            }
            continue;
        };
        let code = &book.codes[i];
        let place = match (code.level, code.valence) {
            (Some(l), Some(v)) => format!("{} {:<12}", v.glyph(), l.as_str()),
            _ => " ".repeat(14),
        };
        let count = per_code.get(code.id.as_str()).copied().unwrap_or(0);
        let text = pad(
            &format!(" {place} {}", code.label),
            (inner.width as usize).saturating_sub(5),
        );
        let style = if i == app.codes.selected {
            theme.selected()
        } else {
            theme.level(code.level)
        };
        lines.push(Line::styled(format!("{text}{count:>5}"), style));
    }
    let visible = inner.height as usize;
    let first = selected_line.saturating_sub(visible.saturating_sub(1));
    frame.render_widget(
        Paragraph::new(
            lines
                .into_iter()
                .skip(first)
                .take(visible)
                .collect::<Vec<_>>(),
        ),
        inner,
    );
    if list_width < main.width {
        let area = Rect::new(list_width, main.y, main.width - list_width, main.height);
        let mut text = Vec::new();
        if let Some(code) = book.codes.get(app.codes.selected) {
            text.push(Line::styled(code.label.clone(), theme.title()));
            text.push(Line::styled(code.id.clone(), theme.dim()));
            text.push(Line::from(""));
            text.push(Line::styled(
                app.msg().definition,
                Style::default().add_modifier(ratatui::style::Modifier::UNDERLINED),
            ));
            text.push(Line::from(code.definition.clone()));
            text.push(Line::from(""));
            let named: Vec<&str> = app
                .ws
                .corpus
                .cases
                .cases
                .iter()
                .filter(|c| {
                    c.fishbone
                        .as_ref()
                        .is_some_and(|f| f.codes.contains(&code.id))
                })
                .map(|c| c.label.as_str())
                .collect();
            let sheet = if named.is_empty() {
                "-".to_string()
            } else {
                named.join("; ")
            };
            text.push(Line::styled(
                format!("{}: {sheet}", app.msg().on_sheets),
                theme.dim(),
            ));
            let case = app
                .codes
                .case
                .as_deref()
                .map_or(app.msg().all_cases.to_string(), |c| {
                    app.ws
                        .corpus
                        .cases
                        .get(c)
                        .map_or(c.to_string(), |k| k.label.clone())
                });
            text.push(Line::styled(format!("f/S: {case}"), theme.dim()));
            let target = format!("code:{}", code.id);
            for memo in app.ws.corpus.memos.of(&target) {
                text.push(Line::from(""));
                text.push(Line::styled(
                    format!("memo ({})", memo.author),
                    theme.title(),
                ));
                text.push(Line::from(memo.text.clone()));
            }
        }
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: false })
                .block(Block::bordered()),
            area,
        );
    }
}
