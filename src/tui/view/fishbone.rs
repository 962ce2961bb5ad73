//! The fishbone diagram (the model of `analysis::fishbone`, which the exported figure draws
//! too): the head "uitvoering passend onderwijs" at the end of the spine, beleid, team and
//! individu above it, doelgroep and maatschappij below, each bone listing its factor codes
//! with + and − and their counts (passages coded · cases with such passages · cases with the
//! factor on their own sheet). With a case chosen, the team view: the factors on its own
//! sheet and in the coding of its talk, each marked by glyph (● both, ◇ sheet only, ○ talk
//! only) as well as colour. A narrow terminal gets a list instead of a broken drawing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::pad;
use crate::analysis::fishbone::{self, Diagram, Presence, Rib};
use crate::coding::CodingSet;
use crate::corpus::codebook::Level;
use crate::tui::app::App;
use crate::tui::layout;
use crate::tui::theme::Theme;

/// The diagram over all coders, for the case filter's case alone when one is chosen (its own
/// sheet beside the coding of its talk).
pub fn counts(app: &App) -> Diagram {
    let codings: &CodingSet = &app.ws.codings;
    fishbone::diagram(&app.ws.corpus, codings, app.fishbone.case.as_deref())
}

fn bone_lines(
    app: &App,
    diagram: &Diagram,
    level: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let levels = app.ws.corpus.codebook.levels();
    let Some(bone) = levels.get(level).and_then(|l| diagram.bone(*l)) else {
        return Vec::new();
    };
    bone.ribs
        .iter()
        .enumerate()
        .map(|(row, rib)| {
            let selected = app.fishbone.level == level && app.fishbone.code == row;
            rib_line(rib, bone.level, selected, width, theme)
        })
        .collect()
}

fn presence_style(presence: Presence, theme: &Theme) -> Style {
    match presence {
        Presence::Both => theme.title(),
        Presence::SheetOnly => theme.error(),
        Presence::CodingOnly => theme.dim(),
    }
}

fn rib_line(rib: &Rib, level: Level, selected: bool, width: usize, theme: &Theme) -> Line<'static> {
    // For one team its passages; for all, passages · cases coded · own sheets.
    let counts = match rib.presence {
        Some(_) => format!(" {:>2}", rib.passages),
        None => format!(" {:>2}·{}·{}", rib.passages, rib.cases_coded, rib.sheets),
    };
    let mark = rib.presence.map(|p| format!("{} ", p.glyph()));
    let used = 2 + counts.width() + mark.as_ref().map_or(0, |_| 2);
    let label = pad(&rib.label, width.saturating_sub(used));
    let style = if selected {
        theme.selected()
    } else {
        Style::default()
    };
    let mut spans = Vec::new();
    if let (Some(mark), Some(presence)) = (mark, rib.presence) {
        spans.push(Span::styled(
            mark,
            presence_style(presence, theme).patch(style),
        ));
    }
    spans.push(Span::styled(
        format!("{} ", rib.valence.glyph()),
        theme.level(Some(level)).patch(style),
    ));
    spans.push(Span::styled(label, style));
    spans.push(Span::styled(counts, style.patch(theme.dim())));
    Line::from(spans)
}

/// `text` broken between words into lines of at most `width` columns.
fn wrapped(text: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    crate::tui::text::wrap(text, 0, width, 0)
        .into_iter()
        .map(|l| chars[l.start..l.end].iter().collect())
        .collect()
}

fn bone_title(diagram: &Diagram, level: Level) -> String {
    let (plus, minus) = diagram
        .bone(level)
        .map_or((0, 0), |b| (b.passages_plus, b.passages_minus));
    format!(" {} (+{plus} −{minus}) ", level.as_str())
}

pub fn render(app: &App, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    // The counts the App keeps (recomputed only when codings or the case filter change);
    // computed here only if they are missing.
    let diagram = app.fishbone_diagram();
    let stats: &Diagram = &diagram;
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
    let m = app.msg();
    let mut header_text = vec![format!(" {} · f: {case}", stats.head)];
    if stats.case.is_some() {
        header_text.push(format!(" {}", m.team_legend));
        header_text.push(format!(
            " {}: {}",
            m.sheet_label,
            stats.sheet_note.as_deref().unwrap_or("—")
        ));
    } else {
        header_text.push(format!(" {}", m.counts_legend));
    }
    // Wrapped, not cut: on a narrow terminal the legend takes two lines.
    let header: Vec<Line> = header_text
        .iter()
        .flat_map(|text| wrapped(text, main.width as usize))
        .map(|line| Line::styled(line, theme.dim()))
        .collect();
    let header_height = header.len() as u16;
    frame.render_widget(
        Paragraph::new(header),
        Rect::new(0, main.y, main.width, header_height),
    );
    let body = Rect::new(
        0,
        main.y + header_height,
        main.width,
        main.height.saturating_sub(header_height),
    );
    if size.0 >= 110 && body.height >= 20 {
        draw_diagram(app, stats, frame, body, theme);
    } else {
        list(app, stats, frame, body, theme);
    }
}

fn draw_diagram(app: &App, stats: &Diagram, frame: &mut Frame, area: Rect, theme: &Theme) {
    let head_width = 32u16;
    let bones_width = area.width.saturating_sub(head_width + 1);
    let spine_y = area.y + area.height / 2;
    let top_h = spine_y.saturating_sub(area.y);
    let bottom_h = area.y + area.height - spine_y - 1;
    let col = bones_width / 3;
    let book = &app.ws.corpus.codebook;
    let above: Vec<Level> = book
        .levels()
        .into_iter()
        .filter(|l| fishbone::side_in(book, *l) == fishbone::Side::Above)
        .collect();
    let below: Vec<Level> = book
        .levels()
        .into_iter()
        .filter(|l| fishbone::side_in(book, *l) == fishbone::Side::Below)
        .collect();
    for (i, level) in above.iter().copied().enumerate() {
        let rect = Rect::new(
            area.x + col * i as u16,
            area.y,
            col.saturating_sub(1),
            top_h,
        );
        bone(app, stats, level, rect, frame, theme);
    }
    for (i, level) in below.iter().copied().enumerate() {
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
        Paragraph::new(Line::styled(
            pad(&stats.head, head_width as usize - 2),
            theme.title(),
        ))
        .block(head_block),
        head,
    );
}

fn bone(app: &App, stats: &Diagram, level: Level, rect: Rect, frame: &mut Frame, theme: &Theme) {
    let levels = app.ws.corpus.codebook.levels();
    let index = levels.iter().position(|l| *l == level).unwrap_or(0);
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

fn list(app: &App, stats: &Diagram, frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = area.width as usize;
    let mut lines = Vec::new();
    let mut selected_line = 0;
    for (i, level) in app.ws.corpus.codebook.levels().into_iter().enumerate() {
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
