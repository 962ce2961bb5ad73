//! The terms a passage is compared by: visgraat's own Dutch analysis (the index's stem
//! analyzer: lowercase, Dutch stem, folded accents), without the function words and
//! tokens too short to mean anything, so that a reason names words a person recognises.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::index::analyzer;

/// Dutch function words (and a few fillers of spoken Dutch), before stemming.
const FUNCTION_WORDS: &str = "de het een en van in is dat die op te voor met zijn er niet aan \
    ook als bij om of maar dan wat wel nog naar door uit over tot je jij we wij ik ze zij hij \
    ons onze hun hen dit deze dat daar hier kan kun kunnen worden wordt werd heeft hebben had \
    was waren geen meer zo al heel echt gewoon dus want toen nu veel moet moeten zou zouden \
    zal zullen gaat gaan ga doen doet men mijn me mij jullie jouw uw u hoe waar wie welke zelf \
    even eigenlijk natuurlijk ja nee oké ok ook nou best alle alles iets niets iemand elk elke \
    andere ander waarbij waarin waarop daarbij daarin daarom omdat terwijl wanneer tussen onder \
    boven na tegen zonder binnen via per sommige vaak soms altijd nooit steeds weer wordt er";

fn function_stems() -> &'static HashSet<String> {
    static STEMS: OnceLock<HashSet<String>> = OnceLock::new();
    STEMS.get_or_init(|| {
        let mut analyzer = analyzer::stem_analyzer();
        analyzer::tokens(&mut analyzer, FUNCTION_WORDS)
            .into_iter()
            .map(|t| t.text)
            .collect()
    })
}

/// Whether a stem carries meaning: not a function word, not a number, longer than two chars.
fn is_content(stem: &str) -> bool {
    stem.chars().count() > 2
        && !stem.chars().all(|c| c.is_ascii_digit())
        && !function_stems().contains(stem)
}

/// The content terms (stems) of `text`, in order, repeats kept.
pub fn terms(text: &str) -> Vec<String> {
    thread_local! {
        static ANALYZER: std::cell::RefCell<tantivy::tokenizer::TextAnalyzer> =
            std::cell::RefCell::new(analyzer::stem_analyzer());
    }
    ANALYZER.with(|a| {
        analyzer::tokens(&mut a.borrow_mut(), text)
            .into_iter()
            .map(|t| t.text)
            .filter(|t| is_content(t))
            .collect()
    })
}

/// How often each content term occurs in `text`.
pub fn counts(text: &str) -> HashMap<String, u32> {
    let mut out = HashMap::new();
    for t in terms(text) {
        *out.entry(t).or_insert(0) += 1;
    }
    out
}

/// The words of `text` (lowercased, accents kept) whose stems carry meaning, each once, with
/// their stems: what a claim is searched by.
pub fn content_words(text: &str) -> Vec<(String, String)> {
    let mut exact = analyzer::exact_analyzer();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for token in analyzer::tokens(&mut exact, text) {
        let stems = terms(&token.text);
        let Some(stem) = stems.into_iter().next() else {
            continue;
        };
        if seen.insert(stem.clone()) {
            // As written (accents kept), lowercased: what a reader recognises.
            let word = text
                .get(token.offset_from..token.offset_to)
                .map_or(token.text.clone(), str::to_lowercase);
            out.push((word, stem));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_go_and_forms_meet() {
        assert_eq!(
            terms("De docenten ervaren de werkdruk als hoog"),
            terms("docent ervaren werkdruk hoog")
        );
        assert!(terms("en de het een van 12 ik").is_empty());
    }
}
