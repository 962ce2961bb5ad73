//! Why the machine suggested a coding, as lines: its score, the words that weighed most, and
//! the people's codings it resembles (their quotes, verbatim up to the width of a line).

use ratatui::style::Style;
use ratatui::text::Line;

use crate::coding::Placed;
use crate::tui::app::App;
use crate::tui::theme::Theme;

/// The reason lines of the machine's coding `placed` (none when its reason is unknown).
pub fn lines(app: &App, placed: &Placed, theme: &Theme) -> Vec<Line<'static>> {
    let m = app.msg();
    let Some(reason) = app.ws.codings.reasons.get(&placed.coding.id) else {
        return Vec::new();
    };
    let terms: Vec<String> = reason
        .terms
        .iter()
        .map(|t| format!("{} {:.2}", t.term, t.weight))
        .collect();
    let mut out = vec![
        Line::styled(
            format!("{} {:.2}", m.suggestion_score, reason.score),
            Style::default(),
        ),
        Line::styled(
            format!("{}: {}", m.suggestion_terms, terms.join(", ")),
            theme.dim(),
        ),
    ];
    for like in &reason.like {
        let quote = app
            .ws
            .codings
            .codings
            .iter()
            .find(|c| c.coding.id == like.coding)
            .map_or(String::new(), |c| c.coding.quote.clone());
        let title = app
            .ws
            .corpus
            .source(&like.source)
            .map_or(like.source.as_str(), |s| s.meta.title.as_str());
        out.push(Line::styled(
            format!(
                "{} {title} ({}, {:.2}): “{}”",
                m.suggestion_like,
                like.coder,
                like.similarity,
                quote.split_whitespace().collect::<Vec<_>>().join(" ")
            ),
            theme.dim(),
        ));
    }
    out
}
