//! Search: the query line (searched as you type, off the UI thread), the filters (always
//! visible), ranked results with matched words highlighted, and a preview of the paragraph.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::pad;
use crate::index::search::Hit;
use crate::tui::app::App;
use crate::tui::i18n;
use crate::tui::layout;
use crate::tui::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, size: (u16, u16), theme: &Theme) {
    let m = app.msg();
    let s = &app.search;
    let mut title = m.query.to_string();
    // Until the index is ready the search waits for it, and says so.
    let waiting = s.pending.then(|| super::index_status(app)).flatten();
    if let Some(status) = &waiting {
        title.push_str(&format!(" — {status}"));
    } else if s.pending {
        title.push_str(&format!(" — {}", m.searching));
    }
    let query_block = Block::bordered()
        .title(title)
        .border_style(theme.focus_border(s.editing));
    let cursor = if s.editing { "▏" } else { "" };
    frame.render_widget(
        Paragraph::new(format!("{}{cursor}", s.query)).block(query_block),
        layout::query_area(size),
    );

    let rows = filter_lines(app, size.0 as usize);
    frame.render_widget(
        Paragraph::new(
            rows.into_iter()
                .map(|l| Line::styled(l, theme.dim()))
                .collect::<Vec<_>>(),
        ),
        layout::filter_area(size, filter_rows(app, size)),
    );

    let area = layout::results_area(size, filter_rows(app, size));
    let block = Block::bordered()
        .title(format!("{} ({})", m.results, s.results.len()))
        .border_style(theme.focus_border(!s.editing));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(err) = &s.error {
        frame.render_widget(
            Paragraph::new(Line::styled(err.clone(), theme.error())).wrap(Wrap { trim: true }),
            inner,
        );
    } else if let Some(status) = waiting.filter(|_| s.results.is_empty()) {
        frame.render_widget(
            Paragraph::new(Line::styled(status, theme.title())).wrap(Wrap { trim: true }),
            inner,
        );
    } else if s.results.is_empty() && !s.query.trim().is_empty() && !s.pending {
        frame.render_widget(Paragraph::new(m.no_results), inner);
    } else {
        results(app, frame, inner, theme);
    }
    if let Some(preview) = layout::preview_area(size, filter_rows(app, size)) {
        let block = Block::bordered().title(m.preview);
        let text = s
            .results
            .get(s.selected)
            .map(|hit| highlighted(hit, theme))
            .unwrap_or_default();
        frame.render_widget(
            Paragraph::new(text).wrap(Wrap { trim: false }).block(block),
            preview,
        );
    }
}

/// The filters, each with its key and value, wrapped between filters to `width` columns
/// (so none is cut off on a narrow terminal or by a long value).
pub fn filter_lines(app: &App, width: usize) -> Vec<String> {
    use crate::tui::action::{Action, Filter};
    let m = app.msg();
    let f = &app.search.filters;
    let all = m.all;
    let items = [
        (
            Filter::Kind,
            m.kind,
            f.kind
                .map_or(all.to_string(), |k| i18n::kind(app.lang, k).to_string()),
        ),
        (
            Filter::Case,
            m.case,
            f.case.clone().unwrap_or(all.to_string()),
        ),
        (
            Filter::Factor,
            m.factor,
            f.level.map_or(all.to_string(), |l| l.as_str().to_string()),
        ),
        (
            Filter::Valence,
            m.valence,
            f.valence.map_or(all.to_string(), |v| v.glyph().to_string()),
        ),
        (
            Filter::Coder,
            m.coder,
            f.coder.clone().unwrap_or(all.to_string()),
        ),
        (
            Filter::Quotes,
            m.quotes_only,
            (if f.quotes { m.on } else { m.off }).to_string(),
        ),
        (
            Filter::Speaker,
            m.speaker,
            f.speaker.clone().unwrap_or(all.to_string()),
        ),
        (
            Filter::Code,
            m.code,
            f.code.clone().unwrap_or(all.to_string()),
        ),
    ];
    let context = crate::tui::keymap::Context::Search;
    let mut lines = vec![String::new()];
    for (filter, name, value) in items {
        let key = app.keymap.label(context, &Action::ToggleFilter(filter));
        let item = format!("{key} {name}: {value}");
        let line = lines.last_mut().expect("one line at least");
        let sep = if line.is_empty() { " " } else { " · " };
        if !line.is_empty() && line.width() + sep.width() + item.width() > width {
            lines.push(format!(" {item}"));
        } else {
            line.push_str(sep);
            line.push_str(&item);
        }
    }
    lines
}

/// How many rows the filter bar takes at this width.
pub fn filter_rows(app: &App, size: (u16, u16)) -> u16 {
    filter_lines(app, size.0 as usize).len() as u16
}

pub(super) fn location(hit: &Hit) -> String {
    match (hit.page, hit.page_max) {
        (Some(p), Some(m)) if m != p => format!("p. {p}-{m}"),
        (Some(p), _) => format!("p. {p}"),
        _ => hit.ordinal.map(|o| format!("¶{o}")).unwrap_or_default(),
    }
}

fn results(app: &App, frame: &mut Frame, inner: Rect, theme: &Theme) {
    let s = &app.search;
    let per = 2;
    let visible = (inner.height as usize / per).max(1);
    let first = s.selected.saturating_sub(visible - 1);
    let width = inner.width as usize;
    let mut lines = Vec::new();
    for (i, hit) in s.results.iter().enumerate().skip(first).take(visible) {
        let kind = crate::corpus::source::SourceKind::parse(&hit.kind)
            .map_or(hit.kind.clone(), |k| i18n::kind(app.lang, k).to_string());
        let mut meta = vec![kind, location(hit)];
        meta.extend(hit.case.clone());
        meta.extend(
            hit.voice
                .clone()
                .map(|v| format!("{} {v}", app.msg().voice)),
        );
        // A long title is cut, not where the result is (¶, page, case).
        let meta = format!(" · {}", meta.join(" · "));
        let title = pad(&hit.title, width.saturating_sub(meta.width()).max(8));
        let head = pad(&format!("{}{meta}", title.trim_end()), width);
        let style = if i == s.selected && !s.editing {
            theme.selected()
        } else {
            theme.title()
        };
        lines.push(Line::styled(head, style));
        let (text, highlights) =
            hit_in_view(&hit.snippet, &hit.highlights, width.saturating_sub(2));
        let mut snippet = styled_spans(&text, &highlights, theme);
        snippet.insert(0, Span::raw("  "));
        lines.push(Line::from(snippet));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The snippet shifted, where its first highlight would end past a line of `width`
/// columns, so that the hit word is on screen: its start cut at a word, with "…".
fn hit_in_view(
    text: &str,
    ranges: &[(usize, usize)],
    width: usize,
) -> (String, Vec<(usize, usize)>) {
    let Some(&(first, first_end)) = ranges.iter().min() else {
        return (text.to_string(), ranges.to_vec());
    };
    let before: String = text.chars().take(first).collect();
    let through: String = text.chars().take(first_end).collect();
    if through.width() < width {
        return (text.to_string(), ranges.to_vec());
    }
    // Keep a quarter of the line before the hit, for its context.
    let mut keep = 0;
    let mut cols = 0;
    for c in before.chars().rev() {
        cols += c.to_string().width();
        if cols > width / 4 {
            break;
        }
        keep += 1;
    }
    // Start at a word: past the first space in what is kept, if there is one.
    let to_word = before
        .chars()
        .skip(first - keep)
        .position(char::is_whitespace)
        .map_or(0, |i| i + 1);
    let cut = first - keep + to_word;
    let shifted: String = std::iter::once('…').chain(text.chars().skip(cut)).collect();
    let ranges = ranges
        .iter()
        .filter(|r| r.1 > cut)
        .map(|&(s, e)| (s.max(cut) - cut + 1, e - cut + 1))
        .collect();
    (shifted, ranges)
}

/// `text` as spans, with the char ranges in `ranges` highlighted.
pub(super) fn styled_spans(
    text: &str,
    ranges: &[(usize, usize)],
    theme: &Theme,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut current = String::new();
    let mut in_hl = false;
    for (i, c) in text.chars().enumerate() {
        let hl = ranges.iter().any(|(s, e)| *s <= i && i < *e);
        if hl != in_hl && !current.is_empty() {
            let style = if in_hl {
                theme.highlight()
            } else {
                Style::default()
            };
            spans.push(Span::styled(std::mem::take(&mut current), style));
        }
        in_hl = hl;
        current.push(c);
    }
    if !current.is_empty() {
        let style = if in_hl {
            theme.highlight()
        } else {
            Style::default()
        };
        spans.push(Span::styled(current, style));
    }
    spans
}

/// The whole paragraph of a hit, with the words the snippet marks highlighted wherever they
/// occur.
fn highlighted(hit: &Hit, theme: &Theme) -> Vec<Line<'static>> {
    let chars: Vec<char> = hit.snippet.chars().collect();
    let words: Vec<String> = hit
        .highlights
        .iter()
        // The highlights come from the index: one out of range is dropped, not a panic.
        .filter_map(|(s, e)| chars.get(*s..*e).map(|w| w.iter().collect()))
        .collect();
    let text_chars: Vec<char> = hit.text.chars().collect();
    let lower: Vec<char> = hit.text.to_lowercase().chars().collect();
    let mut ranges = Vec::new();
    if lower.len() == text_chars.len() {
        for w in &words {
            let w: Vec<char> = w.to_lowercase().chars().collect();
            if w.is_empty() {
                continue;
            }
            let mut i = 0;
            while i + w.len() <= lower.len() {
                if lower[i..i + w.len()] == w[..] {
                    ranges.push((i, i + w.len()));
                    i += w.len();
                } else {
                    i += 1;
                }
            }
        }
    }
    vec![Line::from(styled_spans(&hit.text, &ranges, theme))]
}

#[cfg(test)]
mod tests {
    use super::hit_in_view;

    #[test]
    fn a_hit_past_the_middle_is_shifted_into_view_with_its_highlight() {
        let text = format!("{}werkdruk is hoog", "aanloop ".repeat(10));
        // Visible as it is: left alone.
        let at = text.find("werkdruk").unwrap();
        let (same, _) = hit_in_view(&text, &[(at, at + 8)], 100);
        assert_eq!(same, text);
        let at = text.find("werkdruk").unwrap();
        let (shown, ranges) = hit_in_view(&text, &[(at, at + 8)], 40);
        assert!(shown.starts_with('…'), "{shown}");
        let (s, e) = ranges[0];
        let hit: String = shown.chars().skip(s).take(e - s).collect();
        assert_eq!(hit, "werkdruk");
        assert!(shown.chars().take(s).count() <= 11, "{shown}");
        // Near the start: as it was.
        let (same, kept) = hit_in_view("werkdruk is hoog", &[(0, 8)], 40);
        assert_eq!((same.as_str(), kept), ("werkdruk is hoog", vec![(0, 8)]));
    }
}
