//! The fishbone diagram: the head "uitvoering passend onderwijs" at the end of the spine,
//! beleid, team and individu above it, doelgroep and maatschappij below, each bone listing
//! its factor codes with + and − and two counts (passages coded · cases that named it on
//! their own sheet). A narrow terminal gets a list instead of a broken drawing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::pad;
use crate::analysis::stats::{self, CodeCount, FishboneStats};
use crate::coding::CodingSet;
use crate::corpus::codebook::{Level, Valence};
use crate::tui::app::App;
use crate::tui::layout;
use crate::tui::theme::Theme;

/// Counts over all coders, for the case filter's case only when one is chosen.
pub fn counts(app: &App) -> FishboneStats {
    let corpus = &app.ws.corpus;
    match &app.fishbone.case {
        None => stats::fishbone(corpus, &app.ws.codings, None),
        Some(case) => {
            let codings = CodingSet {
                codings: app
                    .ws
                    .codings
                    .codings
                    .iter()
                    .filter(|p| {
                        corpus
                            .source(&p.source)
                            .and_then(|s| corpus.case_of_span(s, p.coding.start, p.coding.end))
                            == Some(case.as_str())
                    })
                    .cloned()
                    .collect(),
            };
            stats::fishbone(corpus, &codings, None)
        }
    }
}

fn bone_lines(
    app: &App,
    stats: &FishboneStats,
    level: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut row = 0;
    for bone in stats.bones.iter().filter(|b| b.level == Level::ALL[level]) {
        for c in &bone.codes {
            let selected = app.fishbone.level == level && app.fishbone.code == row;
            lines.push(code_line(
                c,
                bone.valence,
                bone.level,
                selected,
                width,
                theme,
            ));
            row += 1;
        }
    }
    lines
}

fn code_line(
    c: &CodeCount,
    valence: Valence,
    level: Level,
    selected: bool,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let counts = format!(" {:>2}·{}", c.passages, c.cases_named);
    let label = pad(&c.label, width.saturating_sub(2 + counts.len()));
    let style = if selected {
        theme.selected()
    } else {
        Style::default()
    };
    Line::from(vec![
        Span::styled(
            format!("{} ", valence.glyph()),
            theme.level(Some(level)).patch(style),
        ),
        Span::styled(label, style),
        Span::styled(counts, style.patch(theme.dim())),
    ])
}

fn bone_title(stats: &FishboneStats, level: Level) -> String {
    let sum = |v: Valence| {
        stats
            .bones
            .iter()
            .find(|b| b.level == level && b.valence == v)
            .map_or(0, |b| b.passages)
    };
    format!(
        " {} (+{} −{}) ",
        level.as_str(),
        sum(Valence::Bevorderend),
        sum(Valence::Belemmerend)
    )
}

pub fn render(app: &App, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    // The counts the App keeps (recomputed only when codings or the case filter change);
    // computed here only if they are missing.
    let computed;
    let stats = match &app.fishbone.counts {
        Some((case, stats)) if *case == app.fishbone.case => stats,
        _ => {
            computed = counts(app);
            &computed
        }
    };
    let main = layout::main_area(size);
    let case = app
        .fishbone
        .case
        .as_ref()
        .map_or(app.msg().all_cases.to_string(), |c| {
            app.ws
                .corpus
                .cases
                .get(c)
                .map_or(c.clone(), |k| k.label.clone())
        });
    let header = format!(
        " {} · f: {case} · {}",
        app.msg().head,
        app.msg().counts_legend
    );
    frame.render_widget(
        Paragraph::new(Line::styled(header, theme.dim())),
        Rect::new(0, main.y, main.width, 1),
    );
    let body = Rect::new(0, main.y + 1, main.width, main.height.saturating_sub(1));
    if size.0 >= 110 && body.height >= 20 {
        diagram(app, stats, frame, body, theme);
    } else {
        list(app, stats, frame, body, theme);
    }
}

fn diagram(app: &App, stats: &FishboneStats, frame: &mut Frame, area: Rect, theme: &Theme) {
    let head_width = 32u16;
    let bones_width = area.width.saturating_sub(head_width + 1);
    let spine_y = area.y + area.height / 2;
    let top_h = spine_y.saturating_sub(area.y);
    let bottom_h = area.y + area.height - spine_y - 1;
    let col = bones_width / 3;
    for (i, level) in [Level::Beleid, Level::Team, Level::Individu]
        .into_iter()
        .enumerate()
    {
        let rect = Rect::new(
            area.x + col * i as u16,
            area.y,
            col.saturating_sub(1),
            top_h,
        );
        bone(app, stats, level, rect, frame, theme);
    }
    for (i, level) in [Level::Doelgroep, Level::Maatschappij]
        .into_iter()
        .enumerate()
    {
        let rect = Rect::new(
            area.x + col / 2 + col * i as u16,
            spine_y + 1,
            col.saturating_sub(1),
            bottom_h,
        );
        bone(app, stats, level, rect, frame, theme);
    }
    // The spine: joints where the bones meet it, an arrow into the head.
    let mut spine: Vec<char> = vec!['━'; bones_width as usize];
    for i in 0..3 {
        let at = (col * i + col / 2) as usize;
        if at < spine.len() {
            spine[at] = '┻';
        }
    }
    for i in 0..2 {
        let at = (col / 2 + col * i + col / 2) as usize;
        if at < spine.len() {
            spine[at] = '┳';
        }
    }
    if let Some(last) = spine.last_mut() {
        *last = '▶';
    }
    let spine: String = spine.into_iter().collect();
    frame.render_widget(
        Paragraph::new(spine),
        Rect::new(area.x, spine_y, bones_width, 1),
    );
    let head = Rect::new(
        area.x + bones_width + 1,
        spine_y.saturating_sub(1),
        head_width.min(area.width),
        3,
    );
    let head_block = Block::bordered().border_style(theme.title());
    frame.render_widget(
        Paragraph::new(Line::styled(app.msg().head, theme.title())).block(head_block),
        head,
    );
}

fn bone(
    app: &App,
    stats: &FishboneStats,
    level: Level,
    rect: Rect,
    frame: &mut Frame,
    theme: &Theme,
) {
    let index = Level::ALL.iter().position(|l| *l == level).unwrap_or(0);
    let focused = app.fishbone.level == index;
    let block = Block::bordered()
        .title(bone_title(stats, level))
        .border_style(if focused {
            theme.focus_border(true)
        } else {
            theme.level(Some(level))
        });
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let lines = bone_lines(app, stats, index, inner.width as usize, theme);
    let visible = inner.height as usize;
    let first = if focused {
        app.fishbone.code.saturating_sub(visible.saturating_sub(1))
    } else {
        0
    };
    let lines: Vec<Line> = lines.into_iter().skip(first).take(visible).collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn list(app: &App, stats: &FishboneStats, frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = area.width as usize;
    let mut lines = Vec::new();
    let mut selected_line = 0;
    for (i, level) in Level::ALL.into_iter().enumerate() {
        lines.push(Line::styled(
            bone_title(stats, level),
            theme.level(Some(level)).patch(theme.title()),
        ));
        if app.fishbone.level == i {
            selected_line = lines.len() + app.fishbone.code;
        }
        lines.extend(bone_lines(app, stats, i, width, theme));
    }
    let visible = area.height as usize;
    let first = selected_line.saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = lines.into_iter().skip(first).take(visible).collect();
    frame.render_widget(Paragraph::new(lines), area);
}
