//! `visgraat export`: the selected codings as citations (md, docx), rows (csv), passages
//! (ndjson), the project (qdpx), or the fishbone figure (svg, png; also at the top of a
//! docx with `--with-figure`).

use std::process::ExitCode;

use super::progress::Bar;
use super::{output, warn_problems};
use crate::coding::CodingSet;
use crate::config::Config;
use crate::error::Error;
use crate::export::docx;
use crate::export::figure::{self, Figure, LabelBox};
use crate::export::report::{self, Selection};
use crate::index::search::Request;
use crate::tui::i18n::{self, Lang};
use crate::workspace::{self, Workspace};

/// PNG pixels per SVG pixel: sharp enough for print at the text width of a page.
const PNG_SCALE: f32 = 2.0;

fn is_rib(b: &LabelBox) -> bool {
    !matches!(b.what.as_str(), "head" | "caption" | "legend") && !b.what.starts_with("bone:")
}

/// The fishbone of the selected codings (every filter but the case), for the selection's
/// case alone when it names one (its own sheet beside its talk), in the UI language.
fn fishbone_figure(ws: &Workspace, selection: &Selection) -> Result<Figure, Error> {
    let m = i18n::messages(Lang::from_config(&ws.config.language));
    let mut all_cases = selection.clone();
    all_cases.case = None;
    let codings = CodingSet {
        codings: report::select(&ws.corpus, &ws.codings, &all_cases)
            .into_iter()
            .map(|(p, _)| p.clone())
            .collect(),
    };
    let diagram =
        crate::analysis::fishbone::diagram(&ws.corpus, &codings, selection.case.as_deref());
    let case = selection
        .case
        .as_ref()
        .map_or(m.all_cases.to_string(), |c| {
            ws.corpus
                .cases
                .get(c)
                .map_or(c.clone(), |k| k.label.clone())
        });
    let mut caption = format!(
        "{}: {case} · {}: {}",
        m.case,
        m.coder,
        selection.coder.as_deref().unwrap_or(m.all_coders)
    );
    if selection.case.is_none() {
        caption.push_str(&format!(" · {}", m.counts_legend));
    } else if let Some(note) = &diagram.sheet_note {
        caption.push_str(&format!(" · {}: {note}", m.sheet_label));
    }
    Ok(figure::figure(
        &diagram,
        &figure::Words {
            caption: &caption,
            legend: selection.case.is_some().then_some(m.team_legend),
        },
    ))
}

pub fn run(
    config: Config,
    format: &str,
    output: &std::path::Path,
    query: Option<&str>,
    mut selection: Selection,
    with_figure: bool,
    bar: &Bar,
) -> Result<ExitCode, Error> {
    if !matches!(
        format,
        "md" | "docx" | "csv" | "ndjson" | "qdpx" | "qdc" | "svg" | "png"
    ) {
        return Err(Error::Usage(format!(
            "unknown format {format:?}: use md, docx, csv, ndjson, qdpx or qdc (the code book), or svg or png for the fishbone figure"
        )));
    }
    if with_figure && format != "docx" {
        return Err(Error::Usage(
            "--with-figure puts the fishbone figure at the top of a Word export: use it with --format docx (or export the figure itself with --format svg or png)".into(),
        ));
    }
    let ws = super::open_workspace(config, bar)?;
    warn_problems(&ws.problems);
    if let Some(code) = &selection.code
        && ws.corpus.codebook.code(code).is_none()
    {
        return Err(Error::Usage(format!(
            "unknown code {code:?}: {}",
            output::suggest_codes(&ws.corpus.codebook, code)
        )));
    }
    if let Some(query) = query {
        let (mut searcher, _) = workspace::fresh_searcher_with(&ws.config, bar)?;
        let request = Request {
            query: query.to_string(),
            kind: selection.kind,
            case: selection.case.clone(),
            speaker: selection.speaker.clone(),
            level: selection.level,
            valence: selection.valence,
            code: selection.code.clone(),
            coder: selection.coder.clone(),
            limit: 100_000,
            ..Request::default()
        };
        let hits = super::healing_search(&ws.config, &mut searcher, bar, |s| {
            s.search(&request, &ws.codings, &ws.corpus.codebook)
        })?;
        if format == "csv" {
            // A search exports its hits, one row each.
            crate::atomic::write(output, report::hits_csv(&hits)?.as_bytes())?;
            println!("{} hit(s) written to {}", hits.len(), output.display());
            return Ok(if hits.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            });
        }
        selection.within = Some(
            hits.into_iter()
                .map(|h| (h.source, h.start as usize, h.end as usize))
                .collect(),
        );
    }
    if format == "qdc" {
        crate::qdpx::qdc::write(&ws.corpus.codebook, output)?;
        println!(
            "REFI-QDA code book ({} codes) written to {}",
            ws.corpus.codebook.codes.len(),
            output.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if format == "qdpx" {
        // A project exchange file holds the whole project: filters do not apply.
        crate::qdpx::export::write(&ws.corpus, &ws.codings, output, bar)?;
        println!(
            "REFI-QDA project ({} sources, {} codings) written to {}",
            ws.corpus.sources.len(),
            ws.codings
                .codings
                .iter()
                .filter(|c| !c.coding.orphaned)
                .count(),
            output.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if format == "ndjson" {
        let text = report::ndjson(&ws.corpus, &ws.codings, selection.within.as_deref(), bar)?;
        crate::atomic::write(output, text.as_bytes())?;
        let count = text.lines().count();
        println!("{count} passage(s) written to {}", output.display());
        return Ok(if count == 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    if format == "svg" || format == "png" {
        let figure = fishbone_figure(&ws, &selection)?;
        if format == "svg" {
            crate::atomic::write(output, figure.svg.as_bytes())?;
        } else {
            crate::atomic::write(output, &figure::png(&figure.svg, PNG_SCALE)?)?;
        }
        println!(
            "fishbone figure ({} factor codes, {:.0} × {:.0} px) written to {}",
            figure.boxes.iter().filter(|b| is_rib(b)).count(),
            figure.width,
            figure.height,
            output.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let count = report::select(&ws.corpus, &ws.codings, &selection).len();
    match format {
        "md" => crate::atomic::write(
            output,
            report::markdown(&ws.corpus, &ws.codings, &selection).as_bytes(),
        )?,
        "docx" => {
            let figure = with_figure
                .then(|| -> Result<_, Error> {
                    let figure = fishbone_figure(&ws, &selection)?;
                    let png = figure::png(&figure.svg, PNG_SCALE)?;
                    Ok((figure, png))
                })
                .transpose()?;
            let picture = figure.as_ref().map(|(f, png)| docx::Picture {
                png,
                width: f.width,
                height: f.height,
                description: "visgraat",
            });
            docx::write(
                &report::blocks(&ws.corpus, &ws.codings, &selection),
                picture.as_ref(),
                output,
            )?
        }
        _ => crate::atomic::write(
            output,
            report::csv(&ws.corpus, &ws.codings, &selection)?.as_bytes(),
        )?,
    }
    println!("{count} coding(s) written to {}", output.display());
    Ok(if count == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
