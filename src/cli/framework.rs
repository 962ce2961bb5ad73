//! `visgraat framework`: write a cell's summary, show the framework matrices, export them
//! (Markdown, Word, Excel).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::analysis::framework::{self, FrameworkMatrix};
use crate::config::Config;
use crate::error::Error;

use super::{open_workspace, progress, warn_problems};

#[derive(Debug, Subcommand)]
pub enum FrameworkCommand {
    /// Write your summary of a cell (empty text removes it).
    Set {
        /// A case (or source) id; case:ID or source:ID to be explicit.
        row: String,
        /// A code id (or fishbone level); code:ID or level:NAME to be explicit.
        column: String,
        text: String,
        /// Author (default: the coder from config.toml).
        #[arg(long)]
        coder: Option<String>,
    },
    /// The matrices: per cell the summaries and the number of supporting codings.
    Show {
        /// Count one coder's codings only.
        #[arg(long)]
        coder: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write the matrices with their supporting quotes: md, docx or xlsx.
    Export {
        #[arg(long)]
        format: String,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Count one coder's codings only.
        #[arg(long)]
        coder: Option<String>,
    },
}

pub(super) fn run(
    config: Config,
    command: FrameworkCommand,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let mut ws = open_workspace(config, bar)?;
    warn_problems(&ws.problems);
    match command {
        FrameworkCommand::Set {
            row,
            column,
            text,
            coder,
        } => {
            let row = framework::resolve_row(&ws.corpus, &row)?;
            let column = framework::resolve_column(&ws.corpus, &column)?;
            let author = super::acting_coder(coder.as_deref(), &ws.config);
            crate::corpus::source::validate_id(&author)
                .map_err(|m| Error::Usage(format!("coder: {m}")))?;
            ws.set_summary(&row, &column, &author, &text)?;
            println!(
                "{} summary by {author} of {row} × {column}",
                if text.trim().is_empty() {
                    "removed the"
                } else {
                    "saved the"
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        FrameworkCommand::Show { coder, json } => {
            let matrices = ws.framework_matrices(coder.as_deref())?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&matrices)
                        .map_err(|e| Error::Usage(e.to_string()))?
                );
            } else {
                for m in &matrices {
                    print!("{}", table(m));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        FrameworkCommand::Export {
            format,
            output,
            coder,
        } => {
            let matrices = ws.framework_matrices(coder.as_deref())?;
            write(&ws.corpus, &matrices, &[], &format, &output)?;
            println!(
                "{} framework matri{} written to {}",
                matrices.len(),
                if matrices.len() == 1 { "x" } else { "ces" },
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Write framework matrices (and, in a workbook, counts matrices) in `format`.
pub(super) fn write(
    corpus: &crate::corpus::Corpus,
    matrices: &[FrameworkMatrix],
    counts: &[crate::analysis::matrix::Matrix],
    format: &str,
    output: &std::path::Path,
) -> Result<(), Error> {
    match format {
        "xlsx" => crate::export::xlsx::write(output, matrices, counts),
        "md" => crate::atomic::write(
            output,
            crate::export::framework::markdown(corpus, matrices).as_bytes(),
        ),
        "docx" => crate::export::docx::write(
            &crate::export::framework::blocks(corpus, matrices),
            None,
            output,
        ),
        other => Err(Error::Usage(format!(
            "unknown format {other:?}: use md, docx or xlsx"
        ))),
    }
}

/// A matrix for a terminal: one line per filled cell (summaries are prose, not table cells).
fn table(m: &FrameworkMatrix) -> String {
    let mut out = format!(
        "{} ({} rows, {} columns)\n",
        m.title,
        m.rows.len(),
        m.columns.len()
    );
    for (r, row) in m.rows.iter().enumerate() {
        for (c, cell) in m.cells[r].iter().enumerate() {
            if cell.summaries.is_empty() && cell.codings.is_empty() {
                continue;
            }
            out.push_str(&format!(
                "  {} × {}  [{} coding(s)]\n",
                row.id,
                m.columns[c].id,
                cell.codings.len()
            ));
            for s in &cell.summaries {
                out.push_str(&format!("      {}: {}\n", s.author, s.text));
            }
        }
    }
    out
}
