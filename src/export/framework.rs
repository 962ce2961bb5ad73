//! Framework matrices as a document for the report (Markdown, Word): per matrix a table of
//! summaries and counts (Markdown), then per row and column the summary with the quotes that
//! support it, in the citation form of the citations export.

use crate::analysis::framework::FrameworkMatrix;
use crate::corpus::Corpus;

use super::citation;
use super::report::Block;

/// The document's blocks: a title, then per matrix and row a section, per filled cell its
/// column with the summaries, and the supporting quotes as citations.
pub fn blocks(corpus: &Corpus, matrices: &[FrameworkMatrix]) -> Vec<Block> {
    let title = corpus
        .project
        .as_ref()
        .map_or("visgraat", |p| p.title.as_str());
    let mut out = vec![Block::Title(format!("Framework-matrix — {title}"))];
    for m in matrices {
        for (r, row) in m.rows.iter().enumerate() {
            let filled: Vec<usize> = (0..m.columns.len())
                .filter(|&c| {
                    let cell = &m.cells[r][c];
                    !cell.summaries.is_empty() || !cell.codings.is_empty()
                })
                .collect();
            if filled.is_empty() {
                continue;
            }
            out.push(Block::Section(format!("{} — {}", m.title, row.label)));
            for c in filled {
                let cell = &m.cells[r][c];
                let summary = match cell.summaries.as_slice() {
                    [] => "(nog geen samenvatting / no summary yet)".to_string(),
                    [one] => format!("{} ({})", one.text, one.author),
                    many => many
                        .iter()
                        .map(|s| format!("{}: {}", s.author, s.text))
                        .collect::<Vec<_>>()
                        .join("\n"),
                };
                out.push(Block::Code {
                    label: format!("{} [{}]", m.columns[c].label, cell.codings.len()),
                    definition: summary,
                });
                for s in &cell.codings {
                    let Some(source) = corpus.source(&s.source) else {
                        continue;
                    };
                    let (quote, line) = citation::parts(corpus, source, s.start, s.end);
                    out.push(Block::Citation {
                        quote,
                        source: line,
                        details: vec![format!("code: {} · coder: {}", s.code, s.coder)],
                    });
                }
            }
        }
    }
    out
}

/// A Markdown table cell: no pipes or line breaks inside, and text typed as `<b>` shown as
/// typed, not taken for HTML (a summary is the analyst's words, not markup).
fn table_cell(text: &str) -> String {
    text.replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('\n', "<br>")
}

/// Markdown: per matrix a table (summary and [count] per cell), then [`blocks`].
pub fn markdown(corpus: &Corpus, matrices: &[FrameworkMatrix]) -> String {
    let mut out = String::new();
    let blocks = blocks(corpus, matrices);
    if let Some(Block::Title(t)) = blocks.first() {
        out.push_str(&format!("# {t}\n"));
    }
    for m in matrices {
        out.push_str(&format!("\n## {}\n\n| |", m.title));
        for c in &m.columns {
            out.push_str(&format!(" {} |", table_cell(&c.label)));
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(m.columns.len()));
        out.push('\n');
        for (r, row) in m.rows.iter().enumerate() {
            out.push_str(&format!("| **{}** |", table_cell(&row.label)));
            for cell in &m.cells[r] {
                out.push_str(&format!(" {} |", table_cell(&super::xlsx::cell_text(cell))));
            }
            out.push('\n');
        }
    }
    out.push_str(&super::report::render_markdown(&blocks[1..]));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_table_cell_shows_typed_markup_as_typed() {
        assert_eq!(
            super::table_cell("<b>vet</b> | & meer\nregel"),
            "&lt;b&gt;vet&lt;/b&gt; \\| & meer<br>regel"
        );
    }
}
