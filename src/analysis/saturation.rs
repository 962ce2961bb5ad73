//! Thematic saturation as Guest, Namey & Chen (2020, PLoS ONE 15(5): e0232076) assess it:
//! the codes of the first `base` sources (in the order they were held) are what is known;
//! a run of `run` consecutive later sources adds new codes; the run's new codes divided by
//! the base's codes is the new information. Runs advance one source at a time. Saturation
//! is reached at the first run whose share is at or below the threshold, and reported as
//! "N+r": after N sources, confirmed by the next r. Beside it, Guest, Bunce & Johnson's
//! (2006) classic figures: the share of all codes found by the 6th and by the 12th source.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::coding::CodingSet;
use crate::corpus::Corpus;
use crate::error::{Error, Result};

/// The three parameters of the method; the paper's defaults are base 4, run 2, ≤ 5 %.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Params {
    /// Sources whose codes make the base.
    pub base: usize,
    /// Consecutive sources per run.
    pub run: usize,
    /// The largest share of new information (new codes in the run ÷ codes in the base)
    /// that counts as saturated, as a fraction (0.05 for 5 %).
    pub threshold: f64,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            base: 4,
            run: 2,
            threshold: 0.05,
        }
    }
}

/// What one step of the order is: a source (an interview, a focus group) or a case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    #[default]
    Source,
    Case,
}

/// How the order of the units was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderBasis {
    /// The `date` in the sources' front matter (for a case: its earliest source's).
    Date,
    /// A list the user gave (`--order FILE`).
    Given,
    /// No date on every unit and no list: the corpus's own order (sources by path, cases as
    /// in cases.toml). The result says so, since the method needs the order they were held.
    Corpus,
}

/// A coding that brought a code in for the first time: what a chart's bar opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirstCoding {
    pub code: String,
    pub coder: String,
    pub source: String,
    pub coding: String,
}

/// One unit in order: the codes it holds and which of them are new.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// 1-based position in the order.
    pub position: usize,
    /// Source id or case id.
    pub unit: String,
    pub date: Option<String>,
    /// Distinct codes coded in this unit.
    pub codes: usize,
    /// Codes not seen in any earlier unit, in code-book order.
    pub new_codes: Vec<String>,
    /// Distinct codes found up to and including this unit.
    pub cumulative: usize,
    /// For each new code, the unit's codings of it.
    pub first_codings: Vec<FirstCoding>,
}

/// One run: units `from..=to` (1-based) after the base.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub from: usize,
    pub to: usize,
    pub new_codes: usize,
    /// new_codes ÷ base_codes.
    pub ratio: f64,
    pub met: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Saturation {
    pub by: By,
    /// Whose codings: one coder's, or None for every coder's together.
    pub coder: Option<String>,
    pub params: Params,
    pub order: OrderBasis,
    pub steps: Vec<Step>,
    /// Distinct codes in the base (the denominator of every run).
    pub base_codes: usize,
    pub runs: Vec<Run>,
    /// The last unit before the first run that met the threshold: "saturation at N".
    pub saturated_at: Option<usize>,
    /// "N+r" as the paper reports it.
    pub notation: Option<String>,
    /// Distinct codes over all units.
    pub total_codes: usize,
    /// Guest, Bunce & Johnson (2006): share of all codes found by the 6th and 12th unit
    /// (None with fewer units).
    pub share_by_6: Option<f64>,
    pub share_by_12: Option<f64>,
    /// Why there is no answer, when there is none (too few units, no codes in the base).
    pub reason: Option<String>,
    /// What the figures leave out: codings whose code is not in the code book, and coded
    /// units an `--order` file does not name.
    pub left_out: LeftOut,
}

/// Codings and units a saturation figure does not count, so that the report can say so.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LeftOut {
    /// Codings with a code not in the code book (`visgraat check` names them).
    pub unknown_code_codings: usize,
    /// Coded units (sources or cases) that the `--order` file leaves out, by name.
    pub not_in_order: Vec<String>,
}

/// One unit to assess: its name, date and codings (code, coder, source, coding id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unit {
    pub name: String,
    pub date: Option<String>,
    pub codings: Vec<FirstCoding>,
}

/// The method on units already in order: plain data in, plain data out. `code_order` puts
/// each step's new codes in code-book order (codes not in it go last, by id).
pub fn assess(units: &[Unit], params: Params, code_order: &[String]) -> Saturation {
    let rank = |code: &str| {
        code_order
            .iter()
            .position(|c| c == code)
            .unwrap_or(usize::MAX)
    };
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut steps = Vec::with_capacity(units.len());
    for (i, unit) in units.iter().enumerate() {
        let codes: BTreeSet<&str> = unit.codings.iter().map(|c| c.code.as_str()).collect();
        let mut new_codes: Vec<String> = codes
            .iter()
            .filter(|c| !seen.contains(*c))
            .map(|c| c.to_string())
            .collect();
        new_codes.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
        let first_codings = unit
            .codings
            .iter()
            .filter(|c| new_codes.contains(&c.code))
            .cloned()
            .collect();
        seen.extend(codes.iter().copied());
        steps.push(Step {
            position: i + 1,
            unit: unit.name.clone(),
            date: unit.date.clone(),
            codes: codes.len(),
            new_codes,
            cumulative: seen.len(),
            first_codings,
        });
    }
    from_new_counts(steps, params)
}

/// The runs, the point of saturation and the 2006 shares, from steps whose new codes are
/// known.
fn from_new_counts(steps: Vec<Step>, params: Params) -> Saturation {
    let new: Vec<usize> = steps.iter().map(|s| s.new_codes.len()).collect();
    let total_codes = steps.last().map_or(0, |s| s.cumulative);
    let base = params.base.min(new.len());
    let base_codes: usize = new[..base].iter().sum();
    let mut runs = Vec::new();
    let mut reason = None;
    if params.base == 0 || params.run == 0 {
        reason = Some("the base and the run need at least one source each".to_string());
    } else if new.len() < params.base + params.run {
        reason = Some(format!(
            "{} units: a base of {} and one run of {} need {}",
            new.len(),
            params.base,
            params.run,
            params.base + params.run
        ));
    } else if base_codes == 0 {
        reason = Some("no codes in the base: the share of new information is undefined".into());
    } else {
        // Runs advance by one: base+1..base+run, base+2..base+run+1, … to the last unit.
        for start in params.base..=new.len() - params.run {
            let new_codes: usize = new[start..start + params.run].iter().sum();
            let ratio = new_codes as f64 / base_codes as f64;
            runs.push(Run {
                from: start + 1,
                to: start + params.run,
                new_codes,
                ratio,
                // A tolerance for the division: 1/20 must meet 5 %.
                met: ratio <= params.threshold + 1e-12,
            });
        }
    }
    let saturated_at = runs.iter().find(|r| r.met).map(|r| r.from - 1);
    if saturated_at.is_none() && reason.is_none() {
        reason = Some(format!(
            "no run of {} added {} % new information or less",
            params.run,
            percent(params.threshold)
        ));
    }
    let share_by = |n: usize| {
        (steps.len() >= n && total_codes > 0)
            .then(|| steps[n - 1].cumulative as f64 / total_codes as f64)
    };
    Saturation {
        by: By::Source,
        coder: None,
        params,
        order: OrderBasis::Corpus,
        share_by_6: share_by(6),
        share_by_12: share_by(12),
        notation: saturated_at.map(|n| format!("{n}+{}", params.run)),
        saturated_at,
        base_codes,
        runs,
        total_codes,
        steps,
        reason,
        left_out: LeftOut::default(),
    }
}

/// A fraction as a percentage for messages: 0.05 → "5".
pub fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        return format!("{}", p.round());
    }
    // One decimal, and below 1 % as many as three, so that 0.05 % does not read as 0.1 %.
    let text = if p >= 1.0 {
        format!("{p:.1}")
    } else {
        format!("{p:.3}")
    };
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `--threshold`: a percentage, with or without `%` ("5", "5%", "2.5 %").
pub fn parse_threshold(text: &str) -> std::result::Result<f64, String> {
    super::parse_percent("--threshold", text)
}

/// An order the user gave (`--order FILE`): unit ids with the line each stands on.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub path: std::path::PathBuf,
    pub ids: Vec<(String, usize)>,
}

/// One unit id a line; blank lines and `#` comments are skipped. `path` names the file in
/// errors; an id twice is an error with its line.
pub fn parse_order(path: &std::path::Path, text: &str) -> Result<Order> {
    let mut ids: Vec<(String, usize)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let id = line.split('#').next().unwrap_or("").trim();
        if id.is_empty() {
            continue;
        }
        if ids.iter().any(|(x, _)| x == id) {
            return Err(Error::invalid(
                path,
                Some(i + 1),
                format!("{id:?} is listed twice"),
            ));
        }
        ids.push((id.to_string(), i + 1));
    }
    Ok(Order {
        path: path.to_path_buf(),
        ids,
    })
}

/// The units of a corpus in the order they were held, with their codings (of `coder`, or
/// of every coder): by source, every source with codings; by case, every case in cases.toml
/// with the codings on its material. `order` (from [`parse_order`]) fixes which units and in
/// what order; an id in it that is not a unit of the corpus is an error naming the file
/// and its line.
pub fn units(
    corpus: &Corpus,
    codings: &CodingSet,
    by: By,
    coder: Option<&str>,
    order: Option<&Order>,
) -> Result<(Vec<Unit>, OrderBasis, LeftOut)> {
    let mut left_out = LeftOut::default();
    // Every unit the corpus has, in its own order, with its codings.
    let mut all: Vec<Unit> = match by {
        By::Source => corpus
            .sources
            .iter()
            .map(|s| Unit {
                name: s.meta.id.clone(),
                date: s.meta.date.clone(),
                codings: Vec::new(),
            })
            .collect(),
        By::Case => corpus
            .cases
            .cases
            .iter()
            .map(|c| Unit {
                name: c.id.clone(),
                date: None,
                codings: Vec::new(),
            })
            .collect(),
    };
    let position: BTreeMap<String, usize> = all
        .iter()
        .enumerate()
        .map(|(i, u)| (u.name.clone(), i))
        .collect();
    for c in codings
        .codings
        .iter()
        .filter(|c| !c.coding.orphaned && coder.is_none_or(|k| c.coder == k))
    {
        let Some(source) = corpus.source(&c.source) else {
            continue;
        };
        if corpus.codebook.code(&c.coding.code).is_none() {
            // As in stats: a code out of the code book is no code of the analysis.
            left_out.unknown_code_codings += 1;
            continue;
        }
        let unit = match by {
            By::Source => Some(c.source.as_str()),
            By::Case => corpus.case_of_span(source, c.coding.start, c.coding.end),
        };
        let Some(&i) = unit.and_then(|u| position.get(u)) else {
            continue;
        };
        all[i].codings.push(FirstCoding {
            code: c.coding.code.clone(),
            coder: c.coder.clone(),
            source: c.source.clone(),
            coding: c.coding.id.clone(),
        });
        // A case is as old as the first source its material comes from.
        if by == By::Case
            && let Some(date) = &source.meta.date
            && all[i].date.as_ref().is_none_or(|d| date < d)
        {
            all[i].date = Some(date.clone());
        }
    }
    if let Some(order) = order {
        let mut chosen = Vec::with_capacity(order.ids.len());
        for (id, line) in &order.ids {
            let Some(&i) = position.get(id) else {
                return Err(Error::invalid(
                    &order.path,
                    Some(*line),
                    format!(
                        "{id:?} is no {} of this corpus",
                        match by {
                            By::Source => "source",
                            By::Case => "case",
                        }
                    ),
                ));
            };
            chosen.push(std::mem::take(&mut all[i]));
        }
        left_out.not_in_order = all
            .into_iter()
            .filter(|u| !u.codings.is_empty())
            .map(|u| u.name)
            .collect();
        return Ok((chosen, OrderBasis::Given, left_out));
    }
    // Uncoded sources are not yet analysed (or not interviews at all), not interviews
    // without news; a case without codings has not been coded either.
    let mut coded: Vec<Unit> = all.into_iter().filter(|u| !u.codings.is_empty()).collect();
    if !coded.is_empty() && coded.iter().all(|u| u.date.is_some()) {
        // Stable: units of one day keep the corpus's order.
        coded.sort_by(|a, b| a.date.cmp(&b.date));
        return Ok((coded, OrderBasis::Date, left_out));
    }
    Ok((coded, OrderBasis::Corpus, left_out))
}

/// [`units`] and [`assess`] together: saturation of a corpus's codings.
pub fn saturation(
    corpus: &Corpus,
    codings: &CodingSet,
    by: By,
    coder: Option<&str>,
    order: Option<&Order>,
    params: Params,
) -> Result<Saturation> {
    let (units, basis, left_out) = units(corpus, codings, by, coder, order)?;
    let code_order: Vec<String> = corpus.codebook.codes.iter().map(|c| c.id.clone()).collect();
    let mut s = assess(&units, params, &code_order);
    s.by = by;
    s.coder = coder.map(str::to_string);
    s.order = basis;
    s.left_out = left_out;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Units whose codes are given as counts of new codes per unit (fresh codes each time),
    /// so a test states only what the method reads.
    fn units_with_new(counts: &[usize]) -> Vec<Unit> {
        let mut next = 0;
        counts
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let codings = (next..next + n)
                    .map(|k| FirstCoding {
                        code: format!("c{k}"),
                        coder: "a".into(),
                        source: format!("s{i}"),
                        coding: format!("x{k}"),
                    })
                    .collect();
                next += n;
                Unit {
                    name: format!("s{}", i + 1),
                    date: None,
                    codings,
                }
            })
            .collect()
    }

    fn with(base: usize, run: usize, threshold: f64) -> Params {
        Params {
            base,
            run,
            threshold,
        }
    }

    /// The paper's worked example (Guest, Namey & Chen 2020), as far as its figures were at
    /// hand (quoted from the paper's text; the paper's own page and its figure were not in
    /// the material this was written from): a base of four interviews holding 37 themes; the
    /// first run of two adds four ("a quotient of 11 %, still not below our 5 % threshold");
    /// the run that meets the threshold adds one (1 ÷ 37 = 2.7 %); and the text reports
    /// saturation "at 6+2" for runs of two and "7+3" for runs of three. The per-interview
    /// counts below are a reconstruction that agrees with every one of those figures, not
    /// the paper's table: 20, 9, 5, 3 in the base, then 3, 1, 1, 0, 1, 0, 0.
    #[test]
    fn the_papers_worked_example() {
        let units = units_with_new(&[20, 9, 5, 3, 3, 1, 1, 0, 1, 0, 0]);
        let two = assess(&units, with(4, 2, 0.05), &[]);
        assert_eq!(two.base_codes, 37);
        assert_eq!((two.runs[0].from, two.runs[0].to), (5, 6));
        assert_eq!(two.runs[0].new_codes, 4);
        assert_eq!(format!("{:.0}", two.runs[0].ratio * 100.0), "11");
        assert!(!two.runs[0].met);
        assert_eq!(two.notation.as_deref(), Some("6+2"));
        let met = two.runs.iter().find(|r| r.met).unwrap();
        assert_eq!((met.from, met.to, met.new_codes), (7, 8, 1));
        assert_eq!(format!("{:.1}", met.ratio * 100.0), "2.7");
        let three = assess(&units, with(4, 3, 0.05), &[]);
        assert_eq!(three.notation.as_deref(), Some("7+3"));
    }

    /// Worked by hand. Five focus groups coded A B C | B D | A E | B | C, base 2, run 2,
    /// threshold 25 %: the base holds A B C D (4 codes). Runs: 3–4 adds E → 1/4 = 25 %, met:
    /// saturation at 2, "2+2". With a 20 % threshold: 3–4 is 25 % (not met), 4–5 adds
    /// nothing → 0 %, met: "3+2". Cumulative 3 4 5 5 5; by the 6th unit: none (only five).
    #[test]
    fn hand_computed_fixture() {
        let codes = ["A B C", "B D", "A E", "B", "C"];
        let units: Vec<Unit> = codes
            .iter()
            .enumerate()
            .map(|(i, cs)| Unit {
                name: format!("fg{}", i + 1),
                date: None,
                codings: cs
                    .split(' ')
                    .map(|c| FirstCoding {
                        code: c.into(),
                        coder: "a".into(),
                        source: format!("fg{}", i + 1),
                        coding: format!("{i}{c}"),
                    })
                    .collect(),
            })
            .collect();
        let order: Vec<String> = ["E", "D", "C", "B", "A"].map(String::from).to_vec();
        let s = assess(&units, with(2, 2, 0.25), &order);
        assert_eq!(s.base_codes, 4);
        let cumulative: Vec<usize> = s.steps.iter().map(|s| s.cumulative).collect();
        assert_eq!(cumulative, [3, 4, 5, 5, 5]);
        assert_eq!(s.steps[0].new_codes, ["C", "B", "A"], "code-book order");
        assert_eq!(s.steps[2].first_codings.len(), 1, "only E is new in fg3");
        assert_eq!((s.runs[0].new_codes, s.runs[0].ratio), (1, 0.25));
        assert_eq!(s.notation.as_deref(), Some("2+2"));
        let strict = assess(&units, with(2, 2, 0.20), &order);
        assert_eq!(
            strict.runs.iter().map(|r| r.met).collect::<Vec<_>>(),
            [false, true]
        );
        assert_eq!(strict.notation.as_deref(), Some("3+2"));
        assert_eq!((s.share_by_6, s.total_codes), (None, 5));
    }

    #[test]
    fn guest_bunce_johnson_shares_and_no_answer() {
        let units = units_with_new(&[10, 5, 3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
        let s = assess(&units, Params::default(), &[]);
        assert_eq!(s.total_codes, 21);
        assert_eq!(s.share_by_6, Some(20.0 / 21.0));
        assert_eq!(s.share_by_12, Some(20.0 / 21.0));
        let few = assess(&units[..5], Params::default(), &[]);
        assert!(few.runs.is_empty() && few.notation.is_none());
        assert!(few.reason.unwrap().contains("need 6"));
        let never = assess(&units_with_new(&[2, 2, 2, 2, 2, 2]), Params::default(), &[]);
        assert!(never.reason.unwrap().contains("no run of 2"));
        let empty_base = assess(&units_with_new(&[0, 0, 0, 0, 1, 0]), Params::default(), &[]);
        assert!(empty_base.reason.unwrap().contains("no codes in the base"));
    }

    #[test]
    fn threshold_and_order_parsing() {
        assert_eq!(parse_threshold("5%"), Ok(0.05));
        assert_eq!(parse_threshold(" 2.5 % "), Ok(0.025));
        assert!(parse_threshold("-1").is_err() && parse_threshold("vijf").is_err());
        // A fraction-looking number is asked about, not read as a tiny percentage (found
        // in a new-user trial: 0.05 ran as 0.05 % and printed as "≤ 0.1 %").
        let e = parse_threshold("0.05").unwrap_err();
        assert!(
            e.contains("write 5 for 5 %, or 0.05% if 0.05 % is meant"),
            "{e}"
        );
        assert_eq!(parse_threshold("0.05%"), Ok(0.0005));
        assert_eq!(parse_threshold("0"), Ok(0.0));
        assert_eq!(percent(0.0005), "0.05");
        assert_eq!(percent(0.025), "2.5");
        assert_eq!(percent(0.05), "5");
        assert_eq!(percent(5.0 / 14.0), "35.7");
        let path = std::path::Path::new("order.txt");
        assert_eq!(
            parse_order(path, "a\n# comment\n\nb # second\n")
                .unwrap()
                .ids,
            [("a".to_string(), 1), ("b".to_string(), 4)]
        );
        let e = parse_order(path, "a\nb\na\n").unwrap_err().to_string();
        assert!(e.contains("order.txt") && e.contains('3'), "{e}");
    }
}
