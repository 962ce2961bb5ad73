//! `visgraat export`: the selected codings as citations (md, docx), rows (csv), passages
//! (ndjson), the project (qdpx), or the fishbone figure (svg, png; also at the top of a
//! docx with `--with-figure`).

use std::process::ExitCode;

use super::progress::Bar;
use super::{output, parse_choice, warn_problems};
use crate::coding::CodingSet;
use crate::config::Config;
use crate::corpus::codebook::Valence;
use crate::corpus::source::SourceKind;
use crate::error::Error;
use crate::export::docx;
use crate::export::figure::{self, Figure, LabelBox};
use crate::export::report::{self, Selection};
use crate::index::search::Request;
use crate::tui::i18n::{self, Lang};
use crate::workspace::{self, Workspace};
use std::path::PathBuf;

/// PNG pixels per SVG pixel: sharp enough for print at the text width of a page.
const PNG_SCALE: f32 = 2.0;

fn is_rib(b: &LabelBox) -> bool {
    !matches!(b.what.as_str(), "head" | "caption" | "legend") && !b.what.starts_with("bone:")
}

/// The fishbone of the selected codings (every filter but the case), for the selection's
/// case alone when it names one (its own sheet beside its talk), in the UI language.
fn fishbone_figure(
    ws: &Workspace,
    selection: &Selection,
    query: Option<&str>,
) -> Result<Figure, Error> {
    let m = i18n::messages(Lang::from_config(&ws.config.language));
    let mut all_cases = selection.clone();
    all_cases.case = None;
    let codings = CodingSet {
        codings: report::select(&ws.corpus, &ws.codings, &all_cases)
            .into_iter()
            .map(|(p, _)| p.clone())
            .collect(),
        ..CodingSet::default()
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
    // Every filter that thins the counts is named, so a filtered figure is never read as
    // the whole.
    let lang = Lang::from_config(&ws.config.language);
    let filters = [
        query.map(|q| (m.query.to_lowercase(), format!("“{q}”"))),
        selection
            .kind
            .map(|k| (m.kind.to_string(), i18n::kind(lang, k).to_string())),
        selection
            .speaker
            .clone()
            .map(|s| (m.speaker.to_string(), s)),
        selection
            .level
            .map(|l| (m.factor.to_string(), l.as_str().to_string())),
        selection
            .valence
            .map(|v| (m.valence.to_string(), v.glyph().to_string())),
        selection.code.clone().map(|c| ("code".to_string(), c)),
    ];
    for (name, value) in filters.into_iter().flatten() {
        caption.push_str(&format!(" · {name}: {value}"));
    }
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

/// The arguments of `visgraat export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// md or docx (citations), csv (codings), ndjson (passages, for a search cluster),
    /// qdpx (REFI-QDA), or svg or png (the fishbone figure).
    #[arg(long)]
    pub format: String,
    /// The file to write.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Only codings on passages this search finds.
    #[arg(long)]
    pub query: Option<String>,
    #[arg(long)]
    pub code: Option<String>,
    /// Fishbone level: beleid, team, individu, doelgroep, maatschappij.
    #[arg(long)]
    pub factor: Option<String>,
    /// + (bevorderend) or - (belemmerend).
    #[arg(long, allow_hyphen_values = true)]
    pub valence: Option<String>,
    #[arg(long)]
    pub coder: Option<String>,
    #[arg(long)]
    pub case: Option<String>,
    /// transcript, intermezzo, report or letter.
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub speaker: Option<String>,
    /// With --format docx: the fishbone figure (as --format png draws it) at the top.
    #[arg(long)]
    pub with_figure: bool,
    /// What was written, as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `visgraat export` from its arguments: the filters become a [`Selection`].
pub(super) fn run_args(config: Config, args: ExportArgs, bar: &Bar) -> Result<ExitCode, Error> {
    let kind = parse_choice(
        args.kind.as_deref(),
        "kind",
        SourceKind::parse,
        "transcript, intermezzo, report, letter",
    )?;
    let (book, _) = crate::corpus::codebook::Codebook::load(&config.corpus.join("codebook.toml"));
    let level = super::parse_level(&book, args.factor.as_deref(), "factor")?;
    let valence = parse_choice(args.valence.as_deref(), "valence", Valence::parse, "+ or -")?;
    refuse_unused_filters(&args)?;
    let selection = Selection {
        code: args.code.clone(),
        level,
        valence,
        coder: args.coder.clone(),
        case: args.case.clone(),
        kind,
        speaker: args.speaker.clone(),
        within: None,
    };
    run(config, &args, selection, bar)
}

/// The filters a format would ignore are refused, so that no export looks filtered that is
/// not (`--format ndjson --case X` wrote every passage; seen in a new-user trial).
fn refuse_unused_filters(args: &ExportArgs) -> Result<(), Error> {
    let takes: &[&str] = match args.format.as_str() {
        // A project exchange file and a code book hold the whole project.
        "qdpx" | "qdc" => &[],
        "ndjson" => &["--query"],
        "xlsx" => &["--coder"],
        _ => return Ok(()),
    };
    let given = [
        ("--query", args.query.is_some()),
        ("--code", args.code.is_some()),
        ("--factor", args.factor.is_some()),
        ("--valence", args.valence.is_some()),
        ("--coder", args.coder.is_some()),
        ("--case", args.case.is_some()),
        ("--kind", args.kind.is_some()),
        ("--speaker", args.speaker.is_some()),
    ];
    match given
        .iter()
        .find(|(flag, set)| *set && !takes.contains(flag))
    {
        Some((flag, _)) => Err(Error::Usage(format!(
            "{flag} does not apply to --format {}: {}",
            args.format,
            if takes.is_empty() {
                "it holds the whole project".to_string()
            } else {
                format!(
                    "it takes only {}; md, docx and csv take every filter",
                    takes.join(", ")
                )
            }
        ))),
        None => Ok(()),
    }
}

fn run(
    config: Config,
    args: &ExportArgs,
    mut selection: Selection,
    bar: &Bar,
) -> Result<ExitCode, Error> {
    let (format, output, query) = (args.format.as_str(), &args.output, args.query.as_deref());
    let (with_figure, json) = (args.with_figure, args.json);
    // What was written: a line, or with --json one object.
    let say = |what: &str, count: usize, line: String| -> Result<(), Error> {
        if json {
            super::print_json(&serde_json::json!({
                "format": format, "output": output, "written": what, "count": count,
            }))
        } else {
            println!("{line}");
            Ok(())
        }
    };
    if !matches!(
        format,
        "md" | "docx" | "csv" | "ndjson" | "qdpx" | "qdc" | "svg" | "png" | "xlsx"
    ) {
        return Err(Error::Usage(format!(
            "unknown format {format:?}: use md, docx, csv, ndjson, qdpx or qdc (the code book), xlsx for the report's tables, or svg or png for the fishbone figure"
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
    if let Some(case) = &selection.case
        && ws.corpus.cases.get(case).is_none()
    {
        let ids: Vec<&str> = ws
            .corpus
            .cases
            .cases
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        return Err(Error::Usage(format!(
            "unknown case {case:?}; cases: {}",
            if ids.is_empty() {
                "none yet".to_string()
            } else {
                ids.join(", ")
            }
        )));
    }
    if let Some(coder) = &selection.coder {
        super::refuse_unknown_coder(&ws.codings, coder)?;
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
            say(
                "hits",
                hits.len(),
                format!("{} hit(s) written to {}", hits.len(), output.display()),
            )?;
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
        let codings = ws
            .codings
            .codings
            .iter()
            .filter(|c| !c.coding.orphaned)
            .count();
        say(
            "codings",
            codings,
            format!(
                "REFI-QDA project ({} sources, {codings} codings) written to {}",
                ws.corpus.sources.len(),
                output.display()
            ),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    if format == "ndjson" {
        let text = report::ndjson(&ws.corpus, &ws.codings, selection.within.as_deref(), bar)?;
        crate::atomic::write(output, text.as_bytes())?;
        let count = text.lines().count();
        say(
            "passages",
            count,
            format!("{count} passage(s) written to {}", output.display()),
        )?;
        return Ok(if count == 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    if format == "xlsx" {
        // The report's tables: framework matrices and counts, of the selected coder.
        let coder = selection.coder.as_deref();
        let framework = ws.framework_matrices(coder)?;
        let counts = [
            crate::analysis::matrix::co_occurrence(&ws.corpus, &ws.codings, coder),
            crate::analysis::matrix::level_by_case(&ws.corpus, &ws.codings, coder),
        ];
        crate::export::xlsx::write(output, &framework, &counts)?;
        println!(
            "workbook ({} framework matri{}, {} counts matrices) written to {}",
            framework.len(),
            if framework.len() == 1 { "x" } else { "ces" },
            counts.len(),
            output.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if format == "svg" || format == "png" {
        let figure = fishbone_figure(&ws, &selection, query)?;
        if format == "svg" {
            crate::atomic::write(output, figure.svg.as_bytes())?;
        } else {
            crate::atomic::write(output, &figure::png(&figure.svg, PNG_SCALE)?)?;
        }
        let ribs = figure.boxes.iter().filter(|b| is_rib(b)).count();
        say(
            "factor codes",
            ribs,
            format!(
                "fishbone figure ({ribs} factor codes, {:.0} × {:.0} px) written to {}",
                figure.width,
                figure.height,
                output.display()
            ),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let picked = report::select(&ws.corpus, &ws.codings, &selection);
    let count = picked.len();
    let unknown = picked
        .iter()
        .filter(|(p, _)| ws.corpus.codebook.code(&p.coding.code).is_none())
        .count();
    if unknown > 0 {
        // Listed, not dropped (nothing is lost from a citations file), but not as a code of
        // the book: stats, matrices and saturation leave them out.
        eprintln!(
            "visgraat: warning: {unknown} coding(s) with a code not in the code book are written by their code id, under \"Overige codes\": run `visgraat check`"
        );
    }
    match format {
        "md" => crate::atomic::write(
            output,
            report::markdown(&ws.corpus, &ws.codings, &selection).as_bytes(),
        )?,
        "docx" => {
            let figure = with_figure
                .then(|| -> Result<_, Error> {
                    let figure = fishbone_figure(&ws, &selection, query)?;
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
    say(
        "codings",
        count,
        format!("{count} coding(s) written to {}", output.display()),
    )?;
    Ok(if count == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
