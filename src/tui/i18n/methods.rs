//! UI text of the methods a team reports on: the saturation chart and the framework
//! summaries on the Matrix page, Dutch and English. `{name}` marks a value filled in.

#[derive(Debug)]
pub struct MethodMessages {
    pub saturation: &'static str,
    /// "Saturation per source, everyone's codings, by date"
    pub sat_title: &'static str,
    pub unit_source: &'static str,
    pub unit_case: &'static str,
    pub everyone: &'static str,
    pub order_date: &'static str,
    pub order_given: &'static str,
    pub order_corpus: &'static str,
    pub sat_empty: &'static str,
    /// Per case, when nothing coded lies in a case.
    pub sat_empty_cases: &'static str,
    pub sat_legend: &'static str,
    pub sat_base: &'static str,
    pub sat_reached: &'static str,
    pub sat_too_few: &'static str,
    pub sat_no_base: &'static str,
    pub sat_not_reached: &'static str,
    pub sat_runs: &'static str,
    pub sat_shares: &'static str,
    pub sat_step: &'static str,
    pub sat_new: &'static str,
    pub sat_nothing_new: &'static str,
    pub sat_codings_of: &'static str,
    pub framework_codes: &'static str,
    pub framework_levels: &'static str,
    pub summary_of: &'static str,
    pub no_summary: &'static str,
    pub summaries_in_framework: &'static str,
    pub summary_removed: &'static str,
    pub summary_saved: &'static str,
    pub round_shown: &'static str,
    pub round_off: &'static str,
    pub no_rounds: &'static str,
    pub round_status: &'static str,
}

impl MethodMessages {
    pub fn all(&self) -> Vec<&'static str> {
        vec![
            self.saturation,
            self.sat_title,
            self.unit_source,
            self.unit_case,
            self.everyone,
            self.order_date,
            self.order_given,
            self.order_corpus,
            self.sat_empty,
            self.sat_empty_cases,
            self.sat_legend,
            self.sat_base,
            self.sat_reached,
            self.sat_too_few,
            self.sat_no_base,
            self.sat_not_reached,
            self.sat_runs,
            self.sat_shares,
            self.sat_step,
            self.sat_new,
            self.sat_nothing_new,
            self.sat_codings_of,
            self.framework_codes,
            self.framework_levels,
            self.summary_of,
            self.no_summary,
            self.summaries_in_framework,
            self.summary_removed,
            self.summary_saved,
            self.round_shown,
            self.round_off,
            self.no_rounds,
            self.round_status,
        ]
    }
}

pub const NL: MethodMessages = MethodMessages {
    saturation: "Verzadiging",
    sat_title: "Verzadiging per {unit}, {whose}, {order}",
    unit_source: "bron",
    unit_case: "casus",
    everyone: "alle codeurs",
    order_date: "op datum",
    order_given: "in de gegeven volgorde",
    order_corpus: "in de volgorde van het corpus (niet elke bron heeft een datum)",
    sat_empty: "Nog niets gecodeerd: de grafiek telt per bron de codes die nieuw zijn.",
    sat_empty_cases: "Geen gecodeerde passage ligt in een casus: per casus is er niets te tellen. Wijs bronnen toe aan casussen, of tel per bron (t).",
    sat_legend: "█ nieuwe codes   ● totaal gevonden   ┃ verzadigd",
    sat_base: "basis: {codes} codes in de eerste {base}",
    sat_reached: "verzadigd na {at} ({notation}): run {from}–{to} bracht {share} % nieuwe informatie (≤ {threshold} %)",
    sat_too_few: "nog geen uitspraak: {units} gecodeerd, een basis van {base} en een run van {run} vragen er {need}",
    sat_no_base: "nog geen uitspraak: geen codes in de basis",
    sat_not_reached: "niet verzadigd: geen run van {run} bracht {threshold} % nieuwe informatie of minder",
    sat_runs: "runs",
    sat_shares: "gevonden bij de 6e: {six} · bij de 12e: {twelve} (Guest, Bunce & Johnson 2006)",
    sat_step: "{position}. {unit}{date}: {codes} codes, {new} nieuw, {cumulative} totaal",
    sat_new: "nieuw",
    sat_nothing_new: "niets nieuws",
    sat_codings_of: "Nieuw in {unit}",
    framework_codes: "Raamwerk: casus × code",
    framework_levels: "Raamwerk: casus × niveau",
    summary_of: "Samenvatting van {cell} (leeg: weghalen)",
    no_summary: "nog geen samenvatting",
    summaries_in_framework: "Samenvattingen horen bij een raamwerkmatrix: wissel eerst de matrix",
    summary_removed: "Samenvatting weggehaald",
    summary_saved: "Samenvatting bewaard",
    round_shown: "Ronde {round}: {units} eenheden in {sources} bronnen; boom en zoeken tonen alleen deze",
    round_off: "Alle bronnen weer (geen ronde)",
    no_rounds: "Nog geen betrouwbaarheidsronde: visgraat icr sample --share 15% trekt er een",
    round_status: "ronde {round}",
};

pub const EN: MethodMessages = MethodMessages {
    saturation: "Saturation",
    sat_title: "Saturation per {unit}, {whose}, {order}",
    unit_source: "source",
    unit_case: "case",
    everyone: "all coders",
    order_date: "by date",
    order_given: "in the order given",
    order_corpus: "in the corpus's order (not every source has a date)",
    sat_empty: "Nothing coded yet: the chart counts the codes each source adds.",
    sat_empty_cases: "No coded passage lies in a case: there is nothing to count per case. Assign sources to cases, or count per source (t).",
    sat_legend: "█ new codes   ● found so far   ┃ saturated",
    sat_base: "base: {codes} codes in the first {base}",
    sat_reached: "saturated after {at} ({notation}): run {from}–{to} added {share} % new information (≤ {threshold} %)",
    sat_too_few: "no answer yet: {units} coded, a base of {base} and a run of {run} need {need}",
    sat_no_base: "no answer yet: no codes in the base",
    sat_not_reached: "not saturated: no run of {run} added {threshold} % new information or less",
    sat_runs: "runs",
    sat_shares: "found by the 6th: {six} · by the 12th: {twelve} (Guest, Bunce & Johnson 2006)",
    sat_step: "{position}. {unit}{date}: {codes} codes, {new} new, {cumulative} found",
    sat_new: "new",
    sat_nothing_new: "nothing new",
    sat_codings_of: "New in {unit}",
    framework_codes: "Framework: case × code",
    framework_levels: "Framework: case × level",
    summary_of: "Summary of {cell} (empty removes it)",
    no_summary: "no summary yet",
    summaries_in_framework: "Summaries belong to a framework matrix: switch the matrix first",
    summary_removed: "Summary removed",
    summary_saved: "Summary saved",
    round_shown: "Round {round}: {units} units in {sources} sources; the tree and the search show only these",
    round_off: "All sources again (no round)",
    no_rounds: "No reliability round yet: visgraat icr sample --share 15% draws one",
    round_status: "round {round}",
};

pub fn methods(lang: super::Lang) -> &'static MethodMessages {
    match lang {
        super::Lang::Nl => &NL,
        super::Lang::En => &EN,
    }
}

/// Fill `{name}` in `template` with `value`s.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}
