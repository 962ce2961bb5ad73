//! Saturation: one column per source (or case) in the order they were held — a bar of the
//! codes it added (█) and the count found so far as a line of dots (●), on one scale — the
//! point of saturation marked by a rule (┃) after the last unit before the run that met the
//! threshold, then the selected unit, the conclusion, the runs and the 2006 shares. Without
//! colour every mark is still its own glyph.

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::pad;
use crate::analysis::saturation::{self, By, OrderBasis, Saturation};
use crate::tui::app::App;
use crate::tui::i18n::methods::{self, MethodMessages, fill};
use crate::tui::layout;
use crate::tui::theme::Theme;

/// Rows under the chart: axis labels, the selected unit (two), conclusion, runs, shares.
const FOOTER: u16 = 7;
/// Columns left of the bars: the scale.
pub(crate) const AXIS: usize = 4;

pub fn render(app: &App, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let mm = methods::methods(app.lang);
    let main = layout::main_area(size);
    let state = &app.saturation;
    let title = state
        .assessment()
        .map_or(mm.saturation.to_string(), |s| title(mm, s));
    let block = Block::bordered()
        // Cut to the border with "…" when too long, but not padded: the border runs on.
        .title(
            pad(
                &format!("{title} · t"),
                main.width.saturating_sub(2) as usize,
            )
            .trim_end()
            .to_string(),
        )
        .border_style(theme.focus_border(true));
    let inner = block.inner(main);
    frame.render_widget(block, main);
    let s = match (state.assessment(), &state.problem) {
        (_, Some(problem)) => {
            let p = Paragraph::new(problem.as_str()).style(theme.error());
            frame.render_widget(p.wrap(Wrap { trim: true }), inner);
            return;
        }
        (Some(s), None) if !s.steps.is_empty() => s,
        _ => {
            // Per case with codings outside every case is not "nothing coded".
            let coded = app.ws.codings.codings.iter().any(|p| {
                !p.coding.orphaned && app.shown_coder.as_deref().is_none_or(|c| p.coder == c)
            });
            let text = if state.by == crate::analysis::saturation::By::Case && coded {
                mm.sat_empty_cases
            } else {
                mm.sat_empty
            };
            let p = Paragraph::new(text).wrap(Wrap { trim: true });
            frame.render_widget(p, inner);
            return;
        }
    };
    let chart_height = inner.height.saturating_sub(FOOTER + 1).max(3);
    let mut lines = vec![Line::styled(mm.sat_legend, theme.dim())];
    lines.extend(chart(
        s,
        state.selected,
        inner.width as usize,
        chart_height,
        theme,
    ));
    lines.extend(footer(app, s, mm, inner.width as usize, theme));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn title(mm: &MethodMessages, s: &Saturation) -> String {
    let unit = match s.by {
        By::Source => mm.unit_source,
        By::Case => mm.unit_case,
    };
    let order = match s.order {
        OrderBasis::Date => mm.order_date,
        OrderBasis::Given => mm.order_given,
        OrderBasis::Corpus => mm.order_corpus,
    };
    let whose = s.coder.clone().unwrap_or_else(|| mm.everyone.to_string());
    fill(
        mm.sat_title,
        &[
            ("unit", unit.to_string()),
            ("whose", whose),
            ("order", order.to_string()),
        ],
    )
}

/// Column width and the first visible step, so the selected one is on screen.
pub(crate) fn columns(steps: usize, selected: usize, width: usize) -> (usize, usize, usize) {
    let room = width.saturating_sub(AXIS).max(1);
    let cw = (room / steps.max(1)).clamp(3, 6);
    let visible = (room / cw).max(1);
    let first = selected.saturating_sub(visible - 1);
    (cw, first, visible)
}

fn chart(
    s: &Saturation,
    selected: usize,
    width: usize,
    height: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let height = height as usize;
    let top = s.total_codes.max(1);
    // How many rows a count fills, on one scale for bars and line.
    let rows_for = |n: usize| {
        if n == 0 {
            0
        } else {
            (n * height).div_ceil(top).clamp(1, height)
        }
    };
    let (cw, first, visible) = columns(s.steps.len(), selected, width);
    let steps: Vec<_> = s.steps.iter().skip(first).take(visible).collect();
    let mut lines = Vec::with_capacity(height + 1);
    for row in (1..=height).rev() {
        let label = if row == height {
            format!("{top:>3} ")
        } else {
            " ".repeat(AXIS)
        };
        let mut spans = vec![Span::styled(label, theme.dim())];
        for step in &steps {
            let bar = rows_for(step.new_codes.len());
            let dot = rows_for(step.cumulative);
            let glyph = if row == dot {
                "●"
            } else if row <= bar {
                "█"
            } else {
                " "
            };
            let bar_width = if cw >= 5 { 2 } else { 1 };
            let style = if step.position - 1 == selected {
                theme.highlight()
            } else if glyph == "●" {
                theme.title()
            } else {
                Style::default()
            };
            let lead = (cw - 1 - bar_width).div_ceil(2);
            let cell = format!("{}{}", " ".repeat(lead), glyph.repeat(bar_width));
            spans.push(Span::styled(cell, style));
            let rule = s.saturated_at == Some(step.position);
            let rest = cw - lead - bar_width;
            let tail = if rule {
                format!("{}┃", " ".repeat(rest - 1))
            } else {
                " ".repeat(rest)
            };
            spans.push(Span::styled(tail, theme.highlight()));
        }
        lines.push(Line::from(spans));
    }
    // The axis: positions, the selected one marked.
    let mut spans = vec![Span::styled(format!("{:>3} ", 0), theme.dim())];
    for step in &steps {
        let style = if step.position - 1 == selected {
            theme.selected()
        } else {
            theme.dim()
        };
        spans.push(Span::styled(
            format!("{:^w$}", step.position, w = cw - 1),
            style,
        ));
        spans.push(Span::raw(" "));
    }
    lines.push(Line::from(spans));
    lines
}

fn footer(
    app: &App,
    s: &Saturation,
    mm: &MethodMessages,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(step) = s.steps.get(app.saturation.selected) {
        let date = step
            .date
            .as_ref()
            .map_or(String::new(), |d| format!(" ({d})"));
        let text = fill(
            mm.sat_step,
            &[
                ("position", step.position.to_string()),
                ("unit", step.unit.clone()),
                ("date", date),
                ("codes", step.codes.to_string()),
                ("new", step.new_codes.len().to_string()),
                ("cumulative", step.cumulative.to_string()),
            ],
        );
        lines.push(Line::styled(pad(&text, width), theme.title()));
        let book = &app.ws.corpus.codebook;
        let new: Vec<&str> = step
            .new_codes
            .iter()
            .map(|c| book.code(c).map_or(c.as_str(), |k| k.label.as_str()))
            .collect();
        let new = if new.is_empty() {
            mm.sat_nothing_new.to_string()
        } else {
            format!("{}: {}", mm.sat_new, new.join(" · "))
        };
        lines.push(Line::raw(pad(&new, width)));
    }
    lines.push(Line::styled(pad(&conclusion(s, mm), width), theme.title()));
    let base = fill(
        mm.sat_base,
        &[
            ("codes", s.base_codes.to_string()),
            ("base", s.params.base.to_string()),
        ],
    );
    let runs: Vec<String> = s
        .runs
        .iter()
        .map(|r| {
            let mark = if r.met { " ✓" } else { "" };
            format!(
                "{}–{} {} %{mark}",
                r.from,
                r.to,
                saturation::percent(r.ratio)
            )
        })
        .collect();
    let runs = if runs.is_empty() {
        base
    } else {
        format!("{base} · {}: {}", mm.sat_runs, runs.join(" · "))
    };
    lines.push(Line::raw(pad(&runs, width)));
    let share = |x: Option<f64>| x.map_or("–".to_string(), |f| format!("{:.0} %", f * 100.0));
    let shares = fill(
        mm.sat_shares,
        &[
            ("six", share(s.share_by_6)),
            ("twelve", share(s.share_by_12)),
        ],
    );
    lines.push(Line::styled(pad(&shares, width), theme.dim()));
    lines
}

/// The conclusion in the UI language (the library's reason is for the CLI, in English).
fn conclusion(s: &Saturation, mm: &MethodMessages) -> String {
    let p = s.params;
    let threshold = saturation::percent(p.threshold);
    if let (Some(at), Some(notation)) = (s.saturated_at, &s.notation)
        && let Some(run) = s.runs.iter().find(|r| r.met)
    {
        return fill(
            mm.sat_reached,
            &[
                ("at", at.to_string()),
                ("notation", notation.clone()),
                ("from", run.from.to_string()),
                ("to", run.to.to_string()),
                ("share", saturation::percent(run.ratio)),
                ("threshold", threshold),
            ],
        );
    }
    if s.steps.len() < p.base + p.run {
        fill(
            mm.sat_too_few,
            &[
                ("units", s.steps.len().to_string()),
                ("base", p.base.to_string()),
                ("run", p.run.to_string()),
                ("need", (p.base + p.run).to_string()),
            ],
        )
    } else if s.base_codes == 0 {
        mm.sat_no_base.to_string()
    } else {
        fill(
            mm.sat_not_reached,
            &[("run", p.run.to_string()), ("threshold", threshold)],
        )
    }
}
