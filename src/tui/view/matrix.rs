//! Matrix: fishbone level × case, or code × code co-occurrence, as a table of counts. The
//! selected cell's row and column are written out in full below the table (column heads
//! are numbers, since code ids are long); a note says when most material has no case. A
//! framework matrix counts the supporting codings and marks a cell with a summary (✎); its
//! footer shows the selected cell's summaries, one per author.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::pad;
use crate::tui::app::App;
use crate::tui::i18n::methods;
use crate::tui::layout;
use crate::tui::pages::matrix::MatrixKind;
use crate::tui::theme::Theme;

const CELL: usize = 5;

pub fn render(app: &App, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let m = app.msg();
    let main = layout::main_area(size);
    let mm = methods::methods(app.lang);
    let title = match app.matrix.kind {
        MatrixKind::LevelByCase => m.matrix_level_case,
        MatrixKind::CoOccurrence => m.matrix_cooccurrence,
        MatrixKind::FrameworkCodes => mm.framework_codes,
        MatrixKind::FrameworkLevels => mm.framework_levels,
    };
    let block = Block::bordered()
        .title(format!("{title} · t"))
        .border_style(theme.focus_border(true));
    let inner = block.inner(main);
    frame.render_widget(block, main);
    if let Some(problem) = &app.matrix.problem {
        let p = Paragraph::new(problem.as_str()).style(theme.error());
        frame.render_widget(p.wrap(Wrap { trim: true }), inner);
        return;
    }
    let Some(matrix) = &app.matrix.data else {
        return;
    };
    if matrix.rows.is_empty() || matrix.columns.is_empty() {
        frame.render_widget(Paragraph::new(m.matrix_empty), inner);
        return;
    }
    let (sel_row, sel_col) = (app.matrix.row, app.matrix.col);
    let label_width = matrix
        .rows
        .iter()
        .map(|r| r.chars().count())
        .max()
        .unwrap_or(0)
        .min((inner.width as usize) / 3)
        .max(8);
    let fits = ((inner.width as usize).saturating_sub(label_width + 1) / CELL).max(1);
    // Scroll the columns so the selected one is visible.
    let first_col = sel_col.saturating_sub(fits - 1);
    let footer = if app.matrix.framework.is_some() {
        6u16
    } else {
        4u16
    };
    let visible_rows = (inner.height.saturating_sub(footer + 1)) as usize;
    let first_row = sel_row.saturating_sub(visible_rows.saturating_sub(1));

    let mut lines = Vec::new();
    let mut head = vec![Span::raw(" ".repeat(label_width + 1))];
    for c in (first_col..matrix.columns.len()).take(fits) {
        let style = if c == sel_col {
            theme.title()
        } else {
            theme.dim()
        };
        head.push(Span::styled(
            format!("{:>CELL$}", format!("[{}]", c + 1)),
            style,
        ));
    }
    lines.push(Line::from(head));
    for r in (first_row..matrix.rows.len()).take(visible_rows) {
        let mut spans = vec![Span::styled(
            format!("{} ", pad(&matrix.rows[r], label_width)),
            if r == sel_row {
                theme.title()
            } else {
                Style::default()
            },
        )];
        for c in (first_col..matrix.columns.len()).take(fits) {
            let n = matrix.cells[r][c];
            let summarised = app
                .matrix
                .framework
                .as_ref()
                .is_some_and(|f| !f.cells[r][c].summaries.is_empty());
            let count = if n == 0 {
                "·".to_string()
            } else {
                n.to_string()
            };
            let text = if summarised {
                format!("{:>w$}✎", count, w = CELL - 1)
            } else {
                format!("{count:>CELL$}")
            };
            let style = if r == sel_row && c == sel_col {
                theme.selected()
            } else if n == 0 {
                theme.dim()
            } else {
                Style::default()
            };
            spans.push(Span::styled(text, style));
        }
        lines.push(Line::from(spans));
    }
    // Below the rows, when there is room: what the numbered columns are.
    let room = (inner.height.saturating_sub(footer) as usize).saturating_sub(lines.len() + 1);
    if room >= matrix.columns.len().min(fits) {
        lines.push(Line::from(""));
        for c in (first_col..matrix.columns.len()).take(fits.min(room)) {
            lines.push(Line::styled(
                pad(
                    &format!("[{}] {}", c + 1, column_label(app, &matrix.columns[c])),
                    inner.width as usize,
                ),
                theme.dim(),
            ));
        }
    }
    let table_height = inner.height.saturating_sub(footer);
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, inner.y, inner.width, table_height),
    );
    let mut foot = vec![Line::from(format!(
        "{} × [{}] {}: {}",
        matrix.rows[sel_row],
        sel_col + 1,
        column_label(app, &matrix.columns[sel_col]),
        matrix.cells[sel_row][sel_col]
    ))];
    if let Some((_, _, cell)) = app.matrix.framework_cell() {
        if cell.summaries.is_empty() {
            foot.push(Line::styled(mm.no_summary, theme.dim()));
        }
        for s in &cell.summaries {
            foot.push(Line::from(vec![
                Span::styled(format!("{}: ", s.author), theme.title()),
                Span::raw(s.text.clone()),
            ]));
        }
    }
    if let Some((without, total)) = matrix.mostly_no_case {
        let note = app
            .msg()
            .mostly_no_case
            .replace("{without}", &without.to_string())
            .replace("{total}", &total.to_string());
        foot.push(Line::styled(note, theme.dim()));
    }
    frame.render_widget(
        Paragraph::new(foot).wrap(Wrap { trim: true }),
        Rect::new(
            inner.x,
            inner.y + table_height,
            inner.width,
            footer.min(inner.height),
        ),
    );
}

/// A column's label in the UI language (the analysis names the column of no case in English).
fn column_label<'a>(app: &App, column: &'a str) -> &'a str {
    if column == crate::analysis::matrix::NO_CASE {
        app.msg().no_case
    } else {
        column
    }
}
