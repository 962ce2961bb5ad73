//! Human-readable output of the CLI commands.

use std::fmt::Write;
use std::time::Duration;

use crate::analysis::stats::{FishboneStats, bone_key};
use crate::corpus::Corpus;
use crate::corpus::codebook::{Codebook, Valence};
use crate::index::build::IndexReport;
use crate::index::search::Hit;

const HIGHLIGHT_ON: &str = "\x1b[1;33m";
const BOLD_ON: &str = "\x1b[1m";
const STYLE_OFF: &str = "\x1b[0m";

pub fn abbreviate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

pub fn index_report(r: &IndexReport, sources: usize, took: Duration) -> String {
    let secs = took.as_secs_f64();
    if !r.did_work() {
        return format!(
            "index up to date: nothing changed ({sources} sources, {} documents, {secs:.2} s)",
            r.documents
        );
    }
    let mut out = String::new();
    if let Some(reason) = &r.rebuilt {
        let _ = write!(out, "index rebuilt ({reason}): ");
    } else {
        out.push_str("index refreshed: ");
    }
    let _ = write!(
        out,
        "{} added, {} updated, {} removed, {} unchanged{}; {} documents in {secs:.2} s",
        r.added.len(),
        r.updated.len(),
        r.removed.len(),
        r.unchanged,
        also_reindexed(r),
        r.documents
    );
    for id in r.updated.iter().take(10) {
        let _ = write!(out, "\n  updated {id}");
    }
    out
}

/// ", code book re-indexed" and the like, after the counts of sources: what else a refresh
/// took in.
pub fn also_reindexed(r: &IndexReport) -> &'static str {
    match (r.codes_reindexed, r.memos_reindexed) {
        (true, true) => ", code book and memos re-indexed",
        (true, false) => ", code book re-indexed",
        (false, true) => ", memos re-indexed",
        (false, false) => "",
    }
}

/// "beleid −" for a fishbone code, the group id otherwise.
pub fn code_place(codebook: &Codebook, code: &str) -> String {
    match codebook.code(code) {
        Some(c) => match (c.level, c.valence) {
            (Some(l), Some(v)) => format!("{} {}", l.as_str(), v.glyph()),
            _ => c.group.clone(),
        },
        None => "?".into(),
    }
}

/// What to say about a code id that is not in the code book: why it is missing when the
/// book could not be read whole, else the ids that come close.
pub fn suggest_codes(codebook: &Codebook, wrong: &str) -> String {
    if let Some(why) = codebook.missing_because(wrong) {
        return format!("{why}; fix codebook.toml first");
    }
    let needle = wrong.to_lowercase();
    let score = |id: &str| {
        if id.starts_with(&needle) {
            100
        } else if id.contains(&needle) {
            50
        } else {
            needle
                .split('-')
                .filter(|part| part.len() > 3 && id.contains(part))
                .count()
        }
    };
    let mut close: Vec<(usize, &str)> = codebook
        .codes
        .iter()
        .map(|c| (score(&c.id), c.id.as_str()))
        .filter(|(s, _)| *s > 0)
        .collect();
    close.sort_by_key(|c| std::cmp::Reverse(c.0));
    let best = close.first().map_or(0, |c| c.0);
    let names: Vec<&str> = close
        .iter()
        .filter(|c| c.0 == best)
        .map(|c| c.1)
        .take(5)
        .collect();
    if names.is_empty() {
        "see codebook.toml for the code ids".into()
    } else {
        format!("did you mean {}?", names.join(", "))
    }
}

fn location(hit: &Hit) -> String {
    match (hit.page, hit.page_max) {
        (Some(p), Some(m)) if m != p => format!("p. {p}-{m}"),
        (Some(p), _) => format!("p. {p}"),
        _ => match hit.ordinal {
            Some(o) => format!("¶{o}"),
            None => String::new(),
        },
    }
}

fn styled(text: &str, ranges: &[(usize, usize)], color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let mut out = String::new();
    let mut in_range = false;
    for (i, c) in text.chars().enumerate() {
        let inside = ranges.iter().any(|(s, e)| *s <= i && i < *e);
        if inside != in_range {
            out.push_str(if inside { HIGHLIGHT_ON } else { STYLE_OFF });
            in_range = inside;
        }
        out.push(c);
    }
    if in_range {
        out.push_str(STYLE_OFF);
    }
    out
}

pub fn hits(hits: &[Hit], codebook: &Codebook, color: bool) -> String {
    let mut out = String::new();
    if hits.is_empty() {
        eprintln!("no hits");
        return out;
    }
    for (n, hit) in hits.iter().enumerate() {
        let mut meta = vec![hit.kind.clone()];
        let loc = location(hit);
        if !loc.is_empty() {
            meta.push(loc);
        }
        if let Some(case) = &hit.case {
            meta.push(format!("case {case}"));
        }
        if let Some(speaker) = &hit.speaker {
            meta.push(format!("speaker {speaker}"));
        }
        if let Some(voice) = &hit.voice {
            meta.push(format!("voice {voice}"));
        }
        let title = if color {
            format!("{BOLD_ON}{}{STYLE_OFF}", hit.title)
        } else {
            hit.title.clone()
        };
        let _ = writeln!(
            out,
            "{:>2}. {title} — {}  [{}]",
            n + 1,
            meta.join(", "),
            hit.key
        );
        // A snippet of more than one line (a code's label and definition, a passage with
        // line breaks) keeps its indent on every line.
        let snippet = styled(&hit.snippet, &hit.highlights, color).replace('\n', "\n    ");
        let _ = writeln!(out, "    {snippet}");
        if !hit.codes.is_empty() {
            let codes: Vec<String> = hit
                .codes
                .iter()
                .map(|c| {
                    format!(
                        "{} {}",
                        code_place(codebook, c),
                        codebook.code(c).map_or(c.as_str(), |k| k.label.as_str())
                    )
                })
                .collect();
            let _ = writeln!(out, "    codes: {}", codes.join("; "));
        }
    }
    out
}

pub fn stats(s: &FishboneStats, corpus: &Corpus, by_case: bool, by_coder: bool) -> String {
    let mut out = String::new();
    let whose = match &s.coder {
        Some(c) => format!("coder {c}"),
        None => "all coders".into(),
    };
    let _ = writeln!(out, "Fishbone: uitvoering passend onderwijs ({whose})");
    let _ = writeln!(
        out,
        "{:<14}{:<16}{:>8}{:>10}",
        "level", "valence", "codings", "passages"
    );
    for bone in &s.bones {
        let level = if bone.valence == Valence::Bevorderend {
            bone.level.as_str()
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{level:<14}{:<16}{:>8}{:>10}",
            format!("{} {}", bone.valence.glyph(), bone.valence.as_str()),
            bone.codings,
            bone.passages
        );
    }
    // The header takes the widths of the rows below it; "sheets": the cases whose own
    // fishbone sheet names the factor.
    let _ = writeln!(
        out,
        "\n{:<76}{:>7}{:>9}{:>7}",
        "Factor codes", "codings", "passages", "sheets"
    );
    for bone in &s.bones {
        for c in &bone.codes {
            let _ = writeln!(
                out,
                "{:<15}{:<61}{:>7}{:>9}{:>7}",
                format!("{} {}", bone.level.as_str(), bone.valence.glyph()),
                abbreviate(&c.label, 60),
                c.codings,
                c.passages,
                c.cases_named
            );
        }
    }
    for g in &s.other_groups {
        let _ = writeln!(out, "\n{}", g.label);
        for c in &g.codes {
            let _ = writeln!(
                out,
                "  {:<74}{:>7}{:>9}",
                abbreviate(&c.label, 72),
                c.codings,
                c.passages
            );
        }
    }
    let levels = corpus.codebook.levels();
    let bones: Vec<String> = levels
        .iter()
        .flat_map(|l| Valence::ALL.iter().map(move |v| bone_key(*l, *v)))
        .collect();
    let header: String = levels
        .iter()
        .flat_map(|l| {
            let short: String = l.as_str().chars().take(3).collect();
            Valence::ALL
                .iter()
                .map(move |v| format!("{:>7}", format!("{short}{}", v.glyph())))
        })
        .collect();
    if by_case {
        let _ = writeln!(out, "\nPassages per case{:>24}{header}", "");
        for (case, counts) in &s.by_case {
            let label = corpus
                .cases
                .get(case)
                .map_or(case.as_str(), |c| c.label.as_str());
            let label = if case == "-" {
                "(no case named in the text)"
            } else {
                label
            };
            let row: String = bones
                .iter()
                .map(|b| format!("{:>7}", counts.get(b).copied().unwrap_or(0)))
                .collect();
            let _ = writeln!(out, "{:<41}{row}", abbreviate(label, 39));
        }
    }
    if by_coder {
        let _ = writeln!(out, "\nCodings per coder{:>24}{header}", "");
        for (coder, counts) in &s.by_coder {
            let row: String = bones
                .iter()
                .map(|b| format!("{:>7}", counts.get(b).copied().unwrap_or(0)))
                .collect();
            let _ = writeln!(out, "{:<41}{row}", coder);
        }
    }
    if s.unknown_code_codings > 0 {
        let _ = writeln!(
            out,
            "\n{} coding(s) with a code not in the code book: run `visgraat check`",
            s.unknown_code_codings
        );
    }
    if s.speakers > 0 {
        let roles: Vec<String> = s
            .speakers_by_role
            .iter()
            .map(|(role, n)| {
                let role = if role == "-" { "named" } else { role.as_str() };
                format!("{role} {n}")
            })
            .collect();
        let _ = writeln!(
            out,
            "\nSpeakers in the transcripts: {} ({})",
            s.speakers,
            roles.join(", ")
        );
    }
    out
}

/// Agreement as a table: which units, each coder's coverage, then overall, per fishbone
/// level, per code; rows on fewer than ten coded units are marked.
pub fn agreement(
    a: &crate::analysis::agreement::Agreement,
    codebook: &crate::corpus::codebook::Codebook,
) -> String {
    use crate::analysis::agreement::{MIN_CODED_UNITS, UnitKind};
    use std::fmt::Write;
    let num = |v: Option<f64>| v.map_or("—".to_string(), |x| format!("{x:.2}"));
    let pct = |v: Option<f64>| v.map_or("—".to_string(), |x| format!("{:.0}%", x * 100.0));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Agreement of {} on {} source(s) coded by at least two of them, per paragraph.",
        a.coders.join(", "),
        a.sources.len()
    );
    let _ = match a.units.kind {
        UnitKind::Content => writeln!(
            out,
            "Units: {} paragraph(s) of running text; {} heading(s), title line(s) and note(s) left out (--all-units counts them).",
            a.units.paragraphs, a.units.left_out
        ),
        UnitKind::All => writeln!(
            out,
            "Units: all {} paragraph(s), headings, title lines and notes included.",
            a.units.paragraphs
        ),
    };
    let coverage: Vec<String> = a
        .coverage
        .iter()
        .map(|c| {
            format!(
                "{} {} of {} units ({} source(s))",
                c.coder, c.units, a.units.paragraphs, c.sources
            )
        })
        .collect();
    let _ = writeln!(out, "Coverage: {}.", coverage.join(", "));
    if a.coverage.iter().any(|c| c.units < a.units.paragraphs) {
        let _ = writeln!(
            out,
            "A coder who did not code a source is missing there: alpha allows missing values."
        );
    }
    let _ = writeln!(
        out,
        "{:<52} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "", "units", "coded", "agree", "kappa", "alpha"
    );
    let mut row = |label: &str, f: &crate::analysis::agreement::Figures| {
        let _ = writeln!(
            out,
            "{:<52} {:>6} {:>6} {:>6} {:>6} {:>6}{}",
            label.chars().take(52).collect::<String>(),
            f.units,
            f.coded_units,
            pct(f.percent_agreement),
            num(f.cohen_kappa),
            num(f.krippendorff_alpha),
            if f.unstable { " *" } else { "" }
        );
    };
    row("overall (paragraph × code)", &a.overall);
    for f in &a.per_level {
        row(&format!("level {}", f.name), f);
    }
    for f in &a.per_code {
        let label = codebook
            .code(&f.name)
            .map_or(f.name.as_str(), |c| c.label.as_str());
        row(&format!("  {label}"), f);
    }
    let all_figures = std::iter::once(&a.overall)
        .chain(&a.per_level)
        .chain(&a.per_code);
    if all_figures.into_iter().any(|f| f.unstable) {
        let _ = writeln!(
            out,
            "* n < {MIN_CODED_UNITS}: unstable (fewer than {MIN_CODED_UNITS} coded units; one paragraph more or less moves kappa and alpha a lot)."
        );
    }
    let _ = writeln!(
        out,
        "Coded characters coded alike by all who coded the source: {} (descriptive).",
        pct(a.overlapping_characters)
    );
    if a.coders.len() > 2 {
        let _ = writeln!(out, "kappa is for two coders; alpha takes any number.");
    }
    out
}

/// A matrix as a text table: row labels, then one narrow column per column label (numbered,
/// with a legend, since code ids are long).
pub fn matrix(m: &crate::analysis::matrix::Matrix) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "{}", m.title);
    let width = m
        .rows
        .iter()
        .map(|r| r.chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    let _ = write!(out, "{:width$} ", "");
    for i in 0..m.columns.len() {
        let _ = write!(out, "{:>5}", format!("[{}]", i + 1));
    }
    out.push('\n');
    for (r, row) in m.rows.iter().enumerate() {
        let label: String = row.chars().take(width).collect();
        let _ = write!(out, "{label:width$} ");
        for n in &m.cells[r] {
            let _ = write!(
                out,
                "{:>5}",
                if *n == 0 {
                    "·".to_string()
                } else {
                    n.to_string()
                }
            );
        }
        out.push('\n');
    }
    for (i, c) in m.columns.iter().enumerate() {
        let _ = writeln!(out, "[{}] {c}", i + 1);
    }
    if let Some(note) = &m.note {
        let _ = writeln!(out, "Note: {note}");
    }
    out
}
