//! The evidence prompt's text, Dutch and English.

use super::Lang;

pub struct EvidenceText {
    pub title: &'static str,
    pub hint: &'static str,
    pub quotes_first: &'static str,
    pub shared: &'static str,
    pub codes: &'static str,
    pub no_codes: &'static str,
    pub support: &'static str,
    pub quote: &'static str,
    pub none: &'static str,
    pub ask_with_enter: &'static str,
    pub open: &'static str,
    pub cite: &'static str,
    pub close: &'static str,
}

impl EvidenceText {
    pub fn all(&self) -> Vec<&'static str> {
        vec![
            self.title,
            self.hint,
            self.quotes_first,
            self.shared,
            self.codes,
            self.no_codes,
            self.support,
            self.quote,
            self.none,
            self.ask_with_enter,
            self.open,
            self.cite,
            self.close,
        ]
    }
}

pub const NL: EvidenceText = EvidenceText {
    title: "Bewijs voor een bewering",
    hint: "Typ of plak een zin uit je rapport, bijvoorbeeld: docenten ervaren de werkdruk als hoog.",
    quotes_first: "citaten eerst",
    shared: "gedeeld",
    codes: "codes",
    no_codes: "geen codes",
    support: "steun",
    quote: "citaat",
    none: "Geen passages die de bewering steunen.",
    ask_with_enter: "Enter zoekt passages die de bewering steunen.",
    open: "openen",
    cite: "citaat kopiëren / naar citations.md",
    close: "sluiten",
};

pub const EN: EvidenceText = EvidenceText {
    title: "Evidence for a claim",
    hint: "Type or paste a sentence of your report, for example: docenten ervaren de werkdruk als hoog.",
    quotes_first: "quotes first",
    shared: "shared",
    codes: "codes",
    no_codes: "no codes",
    support: "support",
    quote: "quote",
    none: "No passages support the claim.",
    ask_with_enter: "Enter finds the passages that support the claim.",
    open: "open",
    cite: "copy citation / to citations.md",
    close: "close",
};

pub fn evidence(lang: Lang) -> &'static EvidenceText {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}
