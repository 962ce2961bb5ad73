//! Dutch analysis for this corpus: lowercase → Dutch stem → fold accents (stem first: the
//! stemmer knows ë and ï). The stemmer is frostem's Dutch Porter, not tantivy's
//! `Language::Dutch` (Kraaij-Pohlmann), which strips ge-/be- prefixes and so maps
//! "begeleiding" onto the fishbone level "beleid" and "gemeenten" onto "menen". A small
//! reviewed override list fixes the plurals Porter splits (grens/grenzen, klas/klassen).
//!
//! The analyzers share the chain. `nl_text` indexes the text field: every word's exact
//! (folded) form, and at the same position, where the stem differs, the stem marked with
//! [`STEM_MARK`] — one positional field serves exact words, stems, exact and stemmed phrases.
//! `nl_stem` and `nl_exact` analyse queries and highlight. The compounds a word ends
//! (welzijn → docentenwelzijn) are looked up in the text field's terms (`index::tails`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

pub const STEM: &str = "nl_stem";
pub const EXACT: &str = "nl_exact";
pub const TEXT: &str = "nl_text";

/// Marks a stem token in the text field. No word token holds it (the tokenizer keeps letters
/// and digits only), so `~beleid` is the stem and `beleid` the exact form.
pub const STEM_MARK: char = '~';

/// The text field's term for stem `stem` (already folded) where a word differs from its stem.
pub fn marked(stem: &str) -> String {
    let mut out = String::with_capacity(stem.len() + 1);
    out.push(STEM_MARK);
    out.push_str(stem);
    out
}

/// Everything that changes the tokens; part of the index fingerprint, so a change rebuilds.
pub const ANALYSIS_VERSION: &str = "simple+lower+frostem-1.20260821-dutch_porter+overrides-v1+asciifold+tail-longer-than-4+text-exact-and-marked-stem";

/// Reviewed stems for words Dutch Porter gets wrong in this domain (lowercased input).
const OVERRIDES: &[(&str, &str)] = &[
    ("grens", "grens"),
    ("grenzen", "grens"),
    ("financiële", "financieel"),
    ("financiele", "financieel"),
    ("kans", "kans"),
    ("kansen", "kans"),
    ("klas", "klas"),
    ("klassen", "klas"),
    ("les", "les"),
    ("lessen", "les"),
    ("studies", "studie"),
    ("niveaus", "niveau"),
];

thread_local! {
    static PORTER: frostem::Stemmer = frostem::Stemmer::new(frostem::Algorithm::DutchPorter);
}

/// Words stemmed on this thread, by word: text is Zipf-distributed, so most tokens are
/// words seen before, and a lookup costs far less than stemming again (the build looks up
/// every token once, and the query side the same few words again). Bounded: cleared when full.
const STEM_CACHE_WORDS: usize = 200_000;

thread_local! {
    static STEMS: std::cell::RefCell<HashMap<String, String, BuildHasherDefault<Fnv>>> =
        std::cell::RefCell::new(HashMap::default());
}

/// FNV-1a: short keys, no untrusted input that could collide on purpose (a slow stem cache
/// is the worst it could do); SipHash was a tenth of the index build.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// The Dutch stem of a lowercased word (before accent folding).
pub fn stem(word: &str) -> Cow<'_, str> {
    let mut out = String::new();
    stem_into(word, &mut out);
    if out == word {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(out)
    }
}

/// Append the Dutch stem of a lowercased word to `out` (no allocation for a cached word).
fn stem_into(word: &str, out: &mut String) {
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(s) = cache.get(word) {
            out.push_str(s);
            return;
        }
        let s = match OVERRIDES.iter().find(|(w, _)| *w == word) {
            Some((_, s)) => (*s).to_string(),
            None => PORTER.with(|p| p.stem(word).into_owned()),
        };
        out.push_str(&s);
        if cache.len() >= STEM_CACHE_WORDS {
            cache.clear();
        }
        cache.insert(word.to_string(), s);
    })
}

pub fn register(manager: &tantivy::tokenizer::TokenizerManager) {
    manager.register(STEM, stem_analyzer());
    manager.register(EXACT, exact_analyzer());
    manager.register(TEXT, text_analyzer());
}

fn base() -> tantivy::tokenizer::TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
}

pub fn stem_analyzer() -> TextAnalyzer {
    base()
        .filter(MapToken(stem_into))
        .filter(AsciiFoldingFilter)
        .build()
}

/// The text field's analysis: each word's exact form, then (same position) its marked stem
/// where the stem differs from the word.
pub fn text_analyzer() -> TextAnalyzer {
    base()
        .filter(ExactAndStem)
        .filter(AsciiFoldingFilter)
        .build()
}

pub fn exact_analyzer() -> TextAnalyzer {
    base().filter(AsciiFoldingFilter).build()
}

/// A token filter that follows each (lowercased) word with its marked stem, at the word's
/// position, when the stem differs from the word.
#[derive(Clone, Copy)]
pub struct ExactAndStem;

impl TokenFilter for ExactAndStem {
    type Tokenizer<T: Tokenizer> = ExactAndStemTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ExactAndStemTokenizer<T> {
        ExactAndStemTokenizer { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct ExactAndStemTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ExactAndStemTokenizer<T> {
    type TokenStream<'a> = ExactAndStemStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ExactAndStemStream {
            tail: self.inner.token_stream(text),
            stem: String::new(),
            pending: false,
        }
    }
}

pub struct ExactAndStemStream<T> {
    tail: T,
    /// The marked stem of the word just given, when it is still to come.
    stem: String,
    pending: bool,
}

impl<T: TokenStream> TokenStream for ExactAndStemStream<T> {
    fn advance(&mut self) -> bool {
        if self.pending {
            // Same position and offsets as the word: only the text changes.
            self.pending = false;
            std::mem::swap(&mut self.tail.token_mut().text, &mut self.stem);
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let word = &self.tail.token().text;
        self.stem.clear();
        self.stem.push(STEM_MARK);
        stem_into(word, &mut self.stem);
        self.pending = self.stem[STEM_MARK.len_utf8()..] != *word;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The tokens of `text` under `analyzer`, with their byte offsets in `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().clone());
    }
    out
}

/// A token filter that rewrites each token's text with a function.
#[derive(Clone, Copy)]
pub struct MapToken(fn(&str, &mut String));

impl TokenFilter for MapToken {
    type Tokenizer<T: Tokenizer> = MapTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MapTokenizer<T> {
        MapTokenizer {
            inner: tokenizer,
            map: self.0,
        }
    }
}

#[derive(Clone)]
pub struct MapTokenizer<T> {
    inner: T,
    map: fn(&str, &mut String),
}

impl<T: Tokenizer> Tokenizer for MapTokenizer<T> {
    type TokenStream<'a> = MapTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapTokenStream {
            tail: self.inner.token_stream(text),
            map: self.map,
            buffer: String::new(),
        }
    }
}

pub struct MapTokenStream<T> {
    tail: T,
    map: fn(&str, &mut String),
    buffer: String,
}

impl<T: TokenStream> TokenStream for MapTokenStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.buffer.clear();
        (self.map)(&self.tail.token().text, &mut self.buffer);
        std::mem::swap(&mut self.tail.token_mut().text, &mut self.buffer);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        tokens(&mut stem_analyzer(), text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    fn same(a: &str, b: &str) -> bool {
        stems(a) == stems(b)
    }

    #[test]
    fn word_pairs_that_must_meet() {
        for (a, b) in [
            ("begeleiding", "begeleiden"),
            ("docent", "docenten"),
            ("gemeente", "gemeenten"),
            ("instelling", "instellingen"),
            ("grens", "grenzen"),
            ("financiële", "financieel"),
            ("klas", "klassen"),
            ("kans", "kansen"),
            ("ondersteuningsbehoefte", "ondersteuningsbehoeften"),
            ("opleiding", "opleidingen"),
            ("Differentiëren", "differentieren"),
        ] {
            assert!(same(a, b), "{a} {:?} vs {b} {:?}", stems(a), stems(b));
        }
    }

    #[test]
    fn word_pairs_that_must_stay_apart() {
        for (a, b) in [
            ("begeleiding", "beleid"),
            ("gemeenten", "menen"),
            ("kans", "kan"),
            ("geslaagd", "slagen"),
        ] {
            assert!(!same(a, b), "{a} and {b} both {:?}", stems(a));
        }
    }

    #[test]
    fn text_has_exact_forms_and_differing_stems_at_one_position() {
        let t: Vec<(String, usize)> = tokens(&mut text_analyzer(), "De begeleiding Financiële")
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect();
        let stem = |w: &str| stems(w).remove(0);
        let expected = vec![
            ("de".to_string(), 0),
            ("begeleiding".to_string(), 1),
            (marked(&stem("begeleiding")), 1),
            ("financiele".to_string(), 2),
            (marked("financieel"), 2),
        ];
        assert_eq!(t, expected);
    }
}
