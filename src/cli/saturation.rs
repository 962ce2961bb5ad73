//! `visgraat saturation`: Guest, Namey & Chen's (2020) saturation assessment of the codings,
//! as a table or JSON.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::analysis::saturation::{self, By, OrderBasis, Params, Saturation};
use crate::config::Config;
use crate::error::Error;

use super::{open_workspace, progress, warn_problems};

#[derive(Debug, Args)]
pub struct SaturationArgs {
    /// Sources (or cases) whose codes make the base.
    #[arg(long, default_value_t = 4)]
    pub base: usize,
    /// Consecutive sources (or cases) per run; runs advance one at a time.
    #[arg(long, default_value_t = 2)]
    pub run: usize,
    /// The most new information (new codes in a run ÷ codes in the base) that counts as
    /// saturated, in percent: 5 or 5%.
    #[arg(long, default_value = "5%")]
    pub threshold: String,
    /// source (each source is one step) or case (each focus group).
    #[arg(long, default_value = "source")]
    pub by: String,
    /// One coder's codings (default: every coder's together).
    #[arg(long)]
    pub coder: Option<String>,
    /// The order the sources (or cases) were held: one id a line. Default: the `date` in
    /// the front matter when every source has one, else the corpus's order.
    #[arg(long, value_name = "FILE")]
    pub order: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub(super) fn run(
    config: Config,
    args: &SaturationArgs,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let by = match args.by.as_str() {
        "source" => By::Source,
        "case" => By::Case,
        other => {
            return Err(Error::Usage(format!("--by {other:?}: use source or case")));
        }
    };
    let params = Params {
        base: args.base,
        run: args.run,
        threshold: saturation::parse_threshold(&args.threshold).map_err(Error::Usage)?,
    };
    if params.base == 0 || params.run == 0 {
        return Err(Error::Usage(
            "--base and --run need at least one source each".into(),
        ));
    }
    let order = args
        .order
        .as_ref()
        .map(|path| saturation::parse_order(path, &crate::text_file::read(path)?))
        .transpose()?;
    let ws = open_workspace(config, bar)?;
    warn_problems(&ws.problems);
    if let Some(coder) = &args.coder {
        super::refuse_unknown_coder(&ws.codings, coder)?;
    }
    let s = saturation::saturation(
        &ws.corpus,
        &ws.codings,
        by,
        args.coder.as_deref(),
        order.as_ref(),
        params,
    )?;
    warn_left_out(&s);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&s).map_err(|e| Error::Usage(e.to_string()))?
        );
    } else {
        print!("{}", table(&s));
    }
    Ok(ExitCode::SUCCESS)
}

/// On stderr, what the figures do not count, so that nobody reports them as the whole.
fn warn_left_out(s: &Saturation) {
    let left = &s.left_out;
    if left.unknown_code_codings > 0 {
        eprintln!(
            "visgraat: warning: {} coding(s) with a code not in the code book are not counted: run `visgraat check`",
            left.unknown_code_codings
        );
    }
    if !left.not_in_order.is_empty() {
        let shown: Vec<&str> = left
            .not_in_order
            .iter()
            .take(5)
            .map(String::as_str)
            .collect();
        let more = left.not_in_order.len() - shown.len();
        eprintln!(
            "visgraat: warning: {} coded {}(s) not in the --order file are not counted: {}{}",
            left.not_in_order.len(),
            match s.by {
                By::Source => "source",
                By::Case => "case",
            },
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
}

/// The steps, the runs and the conclusion, for a terminal.
fn table(s: &Saturation) -> String {
    let mut out = String::new();
    let unit = match s.by {
        By::Source => "source",
        By::Case => "case",
    };
    let whose = s
        .coder
        .as_ref()
        .map_or("every coder".to_string(), |c| format!("coder {c}"));
    let order = match s.order {
        OrderBasis::Date => "in order of date",
        OrderBasis::Given => "in the order given (--order)",
        OrderBasis::Corpus => {
            "in the corpus's order (not every unit has a date: give --order FILE for the order they were held)"
        }
    };
    let _ = writeln!(
        out,
        "Saturation (Guest, Namey & Chen 2020), per {unit}, codings of {whose}, {order}"
    );
    let _ = writeln!(
        out,
        "base {} · run {} · threshold ≤ {} % new information\n",
        s.params.base,
        s.params.run,
        saturation::percent(s.params.threshold)
    );
    let width = s
        .steps
        .iter()
        .map(|st| st.unit.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(out, "  #  {:width$}  date        codes  new  total", unit);
    for st in &s.steps {
        let _ = writeln!(
            out,
            "{:>3}  {:width$}  {:10}  {:>5}  {:>3}  {:>5}{}",
            st.position,
            st.unit,
            st.date.as_deref().unwrap_or("-"),
            st.codes,
            st.new_codes.len(),
            st.cumulative,
            if st.position == s.params.base {
                "  ← end of base"
            } else {
                ""
            }
        );
    }
    if !s.runs.is_empty() {
        let _ = writeln!(out, "\nrun        new  ÷ base  share");
        for r in &s.runs {
            let _ = writeln!(
                out,
                "{:>3}–{:<3}  {:>5}  ÷ {:>4}  {:>5.1} %{}",
                r.from,
                r.to,
                r.new_codes,
                s.base_codes,
                r.ratio * 100.0,
                if r.met { "  ✓" } else { "" }
            );
        }
    }
    out.push('\n');
    match (&s.notation, &s.reason) {
        (Some(n), _) => {
            let _ = writeln!(
                out,
                "Saturation at {n}: after {} {unit}s the next {} added ≤ {} % new information.",
                s.saturated_at.unwrap_or(0),
                s.params.run,
                saturation::percent(s.params.threshold)
            );
        }
        (None, Some(reason)) => {
            let _ = writeln!(out, "No saturation: {reason}.");
        }
        (None, None) => {}
    }
    let share = |v: Option<f64>| v.map_or("-".to_string(), |f| format!("{:.0} %", f * 100.0));
    let _ = writeln!(
        out,
        "{} codes in all; found by the 6th {unit}: {}, by the 12th: {} (Guest, Bunce & Johnson 2006).",
        s.total_codes,
        share(s.share_by_6),
        share(s.share_by_12)
    );
    out
}
