//! From a parsed user query to a tantivy query over one family of text fields (passages, or
//! quotes, codes and memos). A word is its exact form (boosted) or its stem — two terms,
//! which tantivy answers with block-max WAND when the word stands alone — and, in the
//! second phase only, the compounds it ends. Phrases match exact forms (boosted) or stems
//! in order.

use tantivy::query::{
    BooleanQuery, BoostQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::analyzer;
use super::query::Node;
use super::schema::TextFields;
use super::snippet::{Highlighter, MIN_TAIL_CHARS};

/// At most this many compounds per word (by term order) take part through the tail field.
const MAX_TAIL_EXPANSIONS: u32 = 1000;

/// Builds the query of one phase.
pub struct Compiler<'a> {
    pub text: TextFields,
    /// Every document of the searched type: what a lone NOT inside OR is taken out of.
    pub all_of_type: Term,
    /// Whether words also match the compounds they end (the second phase).
    pub tails: bool,
    pub highlighter: &'a mut Highlighter,
}

impl Compiler<'_> {
    /// The tantivy query for a parsed node; None when it holds nothing searchable.
    pub fn compile(&mut self, node: &Node, negated: bool) -> Option<Box<dyn Query>> {
        let f = self.text;
        match node {
            Node::Word(word) => {
                let exact = analyze(&mut analyzer::exact_analyzer(), word);
                let stems = analyze(&mut analyzer::stem_analyzer(), word);
                match (exact.as_slice(), stems.as_slice()) {
                    ([], _) | (_, []) => None,
                    ([e], [s]) => Some(self.word(e, s, negated)),
                    _ => self.phrase(&exact, &stems, negated),
                }
            }
            Node::Phrase(text) => {
                let exact = analyze(&mut analyzer::exact_analyzer(), text);
                let stems = analyze(&mut analyzer::stem_analyzer(), text);
                match exact.as_slice() {
                    [] => None,
                    [e] => {
                        if !negated {
                            self.highlighter.stems.extend(stems.iter().cloned());
                        }
                        Some(term_freq(f.exact, e))
                    }
                    _ => self.phrase(&exact, &stems, negated),
                }
            }
            Node::And(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let mut positive = false;
                for item in items {
                    let (occur, inner, neg) = match item {
                        Node::Not(inner) => (Occur::MustNot, inner.as_ref(), !negated),
                        other => (Occur::Must, other, negated),
                    };
                    if let Some(q) = self.compile(inner, neg) {
                        positive |= occur == Occur::Must;
                        clauses.push((occur, q));
                    }
                }
                positive.then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            }
            Node::Or(items) => {
                let clauses: Vec<(Occur, Box<dyn Query>)> = items
                    .iter()
                    .filter_map(|item| self.compile(item, negated))
                    .map(|q| (Occur::Should, q))
                    .collect();
                (!clauses.is_empty())
                    .then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            }
            Node::Not(inner) => {
                // A lone NOT inside OR: every document of this type but the ones it matches.
                let all = term_basic(self.all_of_type.clone());
                self.compile(inner, !negated).map(|q| {
                    Box::new(BooleanQuery::new(vec![(Occur::Must, all), (Occur::MustNot, q)]))
                        as Box<dyn Query>
                })
            }
        }
    }

    /// One word: exact form ×3, or stem; in the second phase (and always when excluded) also
    /// the compounds it ends.
    fn word(&mut self, exact: &str, stem: &str, negated: bool) -> Box<dyn Query> {
        let f = self.text;
        let long = stem.chars().count() >= MIN_TAIL_CHARS;
        if !negated {
            self.highlighter.stems.insert(stem.to_string());
            if long {
                self.highlighter.tails.insert(stem.to_string());
            }
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Should, boosted(term_freq(f.exact, exact), 3.0)),
            (Occur::Should, term_freq(f.stem, stem)),
        ];
        // Excluding a word excludes its compounds too, in both phases, so the first phase's
        // hits are always hits of the whole query.
        if (self.tails || negated) && long {
            // Compounds ending in the word: their reversed stems start with the reversed
            // stem (a term-range scan, no automaton to build).
            let reversed: String = stem.chars().rev().collect();
            let mut tail = PhrasePrefixQuery::new(vec![Term::from_field_text(f.tail, &reversed)]);
            tail.set_max_expansions(MAX_TAIL_EXPANSIONS);
            should.push((Occur::Should, boosted(Box::new(tail), 0.3)));
        }
        Box::new(BooleanQuery::new(should))
    }

    fn phrase(&mut self, exact: &[String], stems: &[String], negated: bool) -> Option<Box<dyn Query>> {
        let f = self.text;
        if !negated {
            self.highlighter.stems.extend(stems.iter().cloned());
        }
        let terms = |field: Field, words: &[String]| -> Vec<Term> {
            words.iter().map(|t| Term::from_field_text(field, t)).collect()
        };
        let exact_terms = terms(f.exact, exact);
        let stem_terms = terms(f.stem, stems);
        if negated && stem_terms.len() > 1 {
            // Excluding needs no ranking, and the stemmed phrase matches wherever the exact
            // one does. (A union of phrase scorers under exclusion also trips a debug
            // assertion in tantivy 0.27 when one phrase matches nothing: quickwit-oss/tantivy
            // issue 2811, found by fuzzing the query path.)
            return Some(Box::new(PhraseQuery::new(stem_terms)));
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Should,
            boosted(Box::new(PhraseQuery::new(exact_terms)), 2.0),
        )];
        if stem_terms.len() > 1 {
            should.push((Occur::Should, Box::new(PhraseQuery::new(stem_terms))));
        }
        Some(Box::new(BooleanQuery::new(should)))
    }
}

fn analyze(analyzer: &mut tantivy::tokenizer::TextAnalyzer, text: &str) -> Vec<String> {
    analyzer::tokens(analyzer, text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

/// A term matched as a set member (no frequencies, constant score).
pub fn term(field: Field, value: &str) -> Box<dyn Query> {
    term_basic(Term::from_field_text(field, value))
}

fn term_basic(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn term_freq(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}
