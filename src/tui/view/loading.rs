//! The first frame, before the workspace is loaded: the Documents page as it opens (the tree
//! from the index's catalogue, the reader and side panes empty), the tabs, and a status line
//! saying it is loading. Without a catalogue that matches the corpus: the tabs, the status
//! line and a plain loading notice. A pure function of the `Preview`.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::documents::{TreePane, draw_empty_reader, draw_side, draw_tree};
use super::{Chrome, draw_tabs, index_status_of};
use crate::tui::action::ViewId;
use crate::tui::indexer::IndexState;
use crate::tui::keymap::Context;
use crate::tui::layout;
use crate::tui::startup::Preview;
use crate::tui::theme::Theme;

pub fn render(preview: &Preview, frame: &mut Frame) {
    let area = frame.area();
    let size = (area.width, area.height);
    let theme = Theme {
        color: preview.color,
    };
    let m = preview.msg();
    if layout::too_small(size) {
        let text = Paragraph::new(m.too_small).wrap(Wrap { trim: true });
        frame.render_widget(text, area);
        return;
    }
    let chrome = Chrome {
        lang: preview.lang,
        keymap: &preview.keymap,
        view: ViewId::Documents,
        context: Context::Documents,
    };
    draw_tabs(&chrome, frame, size, &theme);
    if preview.catalogue.is_some() {
        documents(preview, frame, size, &theme);
    } else {
        let block = Block::bordered().border_style(theme.focus_border(false));
        frame.render_widget(
            Paragraph::new(m.loading_project)
                .block(block)
                .wrap(Wrap { trim: true }),
            layout::main_area(size),
        );
    }
    status(preview, frame, size, &theme);
}

/// As `documents::render` draws the page with no source open.
fn documents(preview: &Preview, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let m = preview.msg();
    let pane = TreePane {
        title: m.sources.to_string(),
        focused: true,
        selected: preview.selected,
        rows: &preview.tree,
        lang: preview.lang,
    };
    let case_label = |case: &str| preview.case_label(case);
    let title = |i: usize| preview.title(i);
    if !layout::has_tree(size) {
        return draw_tree(
            &pane,
            frame,
            layout::main_area(size),
            theme,
            case_label,
            title,
        );
    }
    draw_tree(
        &pane,
        frame,
        layout::tree_area(size),
        theme,
        case_label,
        title,
    );
    draw_empty_reader(frame, layout::reader_area(size, true), theme, m.no_source);
    if layout::has_side(size) {
        let block = Block::bordered().title(m.paragraph_codes);
        let lines = vec![Line::from(m.no_codes_here)];
        draw_side(frame, layout::side_area(size), block, lines);
    }
}

/// The status line of the page, saying it is loading.
fn status(preview: &Preview, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let m = preview.msg();
    // What it is waiting for comes first: it must fit also on a narrow terminal.
    let mut spans = vec![
        Span::styled(
            match preview.percent {
                Some(p) => format!(" [{} {p} %] ", m.loading),
                None => format!(" [{}] ", m.loading),
            },
            theme.title(),
        ),
        Span::styled(format!("{}  ", m.loading_workspace), theme.highlight()),
        Span::styled(
            format!(
                "{}: {} · {}: {}  ",
                m.coder, preview.coder, m.showing, m.all_coders
            ),
            theme.dim(),
        ),
    ];
    if let Some(text) = index_status_of(preview.lang, &preview.index) {
        let style = if matches!(preview.index, IndexState::Failed(_)) {
            theme.error()
        } else {
            theme.title()
        };
        spans.push(Span::styled(format!("{text}  "), style));
    }
    let area = ratatui::layout::Rect::new(0, size.1.saturating_sub(1), size.0, 1);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
