//! From a parsed user query to a tantivy query over one text field (passages, or quotes,
//! codes and memos). The text field holds each word's exact form and, where it
//! differs, its marked stem at the same position (`analyzer::text_analyzer`). A word is its
//! exact form (boosted) or its stem — a union of terms, which tantivy answers with block-max
//! WAND when the word stands alone — and, in the last phase only, the compounds it ends
//! (looked up among the field's terms: `index::tails`).
//! Phrases match exact forms (boosted) or stems in order.

use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use super::analyzer;
use super::boosted::Boosted;
use super::exclusion::{Excluded, ExcludedSets};
use super::query::Node;
use super::schema::TextFields;
use super::snippet::{Highlighter, MIN_TAIL_CHARS};
use super::stem_phrase::{Position, StemPhraseQuery};
use super::tails::Compounds;
use super::term_set::TermSet;

/// At most this many compounds per word (by reversed term order) take part.
pub const MAX_TAIL_EXPANSIONS: usize = 1000;

/// How much more an exact form counts than another form of its stem.
const EXACT_BOOST: f32 = 3.0;
/// How much an occurrence of a phrase's exact forms adds, against its stemmed forms.
const EXACT_PHRASE_BOOST: f32 = 2.0;

/// What a phase's query takes in beyond the exact forms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Widened {
    /// Another form of a word's stem that occurs.
    pub forms: bool,
    /// A compound a word ends.
    pub compounds: bool,
}

/// Builds the query of one phase.
pub struct Compiler<'a> {
    pub text: TextFields,
    /// Every document of the searched type: what a lone NOT inside OR is taken out of.
    pub all_of_type: Term,
    /// Whether words also match the compounds they end (the last phase).
    pub tails: bool,
    /// The text field's terms that may be compounds ending in a stem (`index::tails`).
    pub compounds: &'a dyn Fn(&str) -> std::sync::Arc<Compounds>,
    /// Whether a term occurs in the index at all.
    pub occurs: &'a dyn Fn(&Term) -> bool,
    /// Set while compiling when a word that is not excluded takes in terms beyond its exact
    /// form that occur: another form of its stem, or (with `tails`) a compound. Without any,
    /// this phase finds what the one before found, and need not run.
    pub widened: Widened,
    /// Whether a word matches its exact form only (the first phase); an excluded word still
    /// excludes all its forms, so the first phase finds a subset of the next.
    pub exact_only: bool,
    pub highlighter: &'a mut Highlighter,
    /// The excluded parts' matches, shared by the phases of one search.
    pub excluded: &'a std::sync::Arc<ExcludedSets>,
}

impl Compiler<'_> {
    /// The tantivy query for a parsed node; None when it holds nothing searchable.
    pub fn compile(&mut self, node: &Node, negated: bool) -> Option<Box<dyn Query>> {
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
                        Some(term_freq(self.text.text, e))
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
                    if occur == Occur::MustNot
                        && neg
                        && let Some(stem) = one_word(inner)
                    {
                        let excluded = self.excluded_word(&stem);
                        clauses.extend(excluded.into_iter().map(|q| (Occur::MustNot, q)));
                        continue;
                    }
                    if let Some(q) = self.compile(inner, neg) {
                        positive |= occur == Occur::Must;
                        // An excluded part with no exclusion inside compiles the same in
                        // every phase (all forms, all compounds): matched once per search.
                        let q = if occur == Occur::MustNot && neg && !has_not(inner) {
                            Box::new(Excluded::new(
                                format!("{inner:?}"),
                                q,
                                self.excluded.clone(),
                            )) as Box<dyn Query>
                        } else {
                            q
                        };
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
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Must, all),
                        (Occur::MustNot, q),
                    ])) as Box<dyn Query>
                })
            }
        }
    }

    /// One word: its exact form (boosted) or any form of its stem; in the second phase (and
    /// always when excluded) also the compounds it ends.
    fn word(&mut self, exact: &str, stem: &str, negated: bool) -> Box<dyn Query> {
        let f = self.text;
        let long = stem.chars().count() >= MIN_TAIL_CHARS;
        if !negated {
            self.highlighter.stems.insert(stem.to_string());
            if long {
                self.highlighter.tails.insert(stem.to_string());
            }
        }
        if self.exact_only && !negated {
            return boosted(term_freq(f.text, exact), EXACT_BOOST);
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (term, boost) in stem_terms(exact, stem) {
            if !negated && term != exact && (self.occurs)(&Term::from_field_text(f.text, &term)) {
                self.widened.forms = true;
            }
            let q = term_freq(f.text, &term);
            should.push((
                Occur::Should,
                if boost == 1.0 { q } else { boosted(q, boost) },
            ));
        }
        // Excluding a word excludes its compounds too, in both phases, so the first phase's
        // hits are always hits of the whole query.
        if (self.tails || negated) && long {
            let compounds = (self.compounds)(stem);
            if !compounds.is_empty() {
                self.widened.compounds |= !negated;
                let set: Box<dyn Query> = Box::new(TermSet::new(f.text, compounds));
                should.push((Occur::Should, boosted(set, 0.3)));
            }
        }
        Box::new(BooleanQuery::new(should))
    }

    /// An excluded word, as clauses to exclude: every form of its stem (a term or two —
    /// each occurrence of a word also carries its stem — which tantivy skips through as the
    /// rest of the query finds candidates) and, for a stem long enough, the compounds it
    /// ends (many rare terms: matched into one set per segment, kept by the searcher).
    fn excluded_word(&mut self, stem: &str) -> Vec<Box<dyn Query>> {
        let f = self.text.text;
        // The exact form is one of them: where it is not its own stem, each of its
        // occurrences carries its marked stem.
        let mut clauses: Vec<Box<dyn Query>> = stem_forms(stem)
            .iter()
            .map(|form| term_basic(Term::from_field_text(f, form)))
            .collect();
        if stem.chars().count() >= MIN_TAIL_CHARS {
            let compounds = (self.compounds)(stem);
            if !compounds.is_empty() {
                clauses.push(Box::new(TermSet::new(f, compounds)));
            }
        }
        clauses
    }

    fn phrase(
        &mut self,
        exact: &[String],
        stems: &[String],
        negated: bool,
    ) -> Option<Box<dyn Query>> {
        let f = self.text.text;
        if !negated {
            self.highlighter.stems.extend(stems.iter().cloned());
        }
        // Stemmed forms in order match; the exact forms in order count twice on top. (One
        // walk: a union of an exact and a stemmed phrase query read every list twice, and
        // under exclusion tripped a debug assertion in tantivy 0.27 when one phrase matched
        // nothing: quickwit-oss/tantivy issue 2811, found by fuzzing the query path.)
        let positions: Vec<Position> = exact
            .iter()
            .zip(stems)
            .map(|(e, s)| Position {
                exact: Term::from_field_text(f, e),
                stems: stem_forms(s)
                    .iter()
                    .map(|t| Term::from_field_text(f, t))
                    .collect(),
            })
            .collect();
        Some(match positions.len() {
            0 => return None,
            1 => term_freq(f, &exact[0]),
            _ => Box::new(StemPhraseQuery::new(positions, EXACT_PHRASE_BOOST)),
        })
    }
}

/// A word of one token: its stem.
fn one_word(node: &Node) -> Option<String> {
    let Node::Word(word) = node else {
        return None;
    };
    let exact = analyze(&mut analyzer::exact_analyzer(), word);
    let stems = analyze(&mut analyzer::stem_analyzer(), word);
    match (exact.as_slice(), stems.as_slice()) {
        ([_], [s]) => Some(s.clone()),
        _ => None,
    }
}

/// Whether `node` holds an exclusion.
fn has_not(node: &Node) -> bool {
    match node {
        Node::Word(_) | Node::Phrase(_) => false,
        Node::Not(_) => true,
        Node::And(items) | Node::Or(items) => items.iter().any(has_not),
    }
}

/// Whether `node` holds a word of one token that is not excluded: its exact form alone can
/// then be searched first (one term per word, which tantivy prunes best), and the words'
/// other forms only when that leaves room. (Phrases already rank exact forms first.)
pub fn has_plain_word(node: &Node) -> bool {
    match node {
        Node::Word(word) => analyze(&mut analyzer::exact_analyzer(), word).len() == 1,
        Node::Phrase(_) | Node::Not(_) => false,
        Node::And(items) | Node::Or(items) => items.iter().any(has_plain_word),
    }
}

/// The text field's terms that stand for stem `stem` (folded): its marked form, which words
/// that differ from their stem carry, and the stem itself when it is a word that is its own
/// stem (such a word carries no marked token).
pub fn stem_forms(stem: &str) -> Vec<String> {
    let mut forms = vec![analyzer::marked(stem)];
    if analyze(&mut analyzer::stem_analyzer(), stem) == [stem] {
        forms.push(stem.to_string());
    }
    forms
}

/// The terms of one word with their boosts: the exact form ×3, every form of the stem ×1
/// (the exact form ×4 when it is also its own stem).
fn stem_terms(exact: &str, stem: &str) -> Vec<(String, f32)> {
    let mut terms = vec![(exact.to_string(), EXACT_BOOST)];
    for form in stem_forms(stem) {
        match terms.iter_mut().find(|(t, _)| *t == form) {
            Some((_, boost)) => *boost += 1.0,
            None => terms.push((form, 1.0)),
        }
    }
    terms
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
    Box::new(Boosted::new(q, boost))
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::schema::{STRING, Schema};
    use tantivy::{Index, doc};

    use super::*;
    use crate::index::query;

    /// A passage index in memory over `texts`, and the doc ids (in rank order) that `q` finds.
    fn ranked(texts: &[&str], q: &str) -> Vec<u32> {
        ranked_in_phase(texts, q, false)
    }

    fn ranked_in_phase(texts: &[&str], q: &str, exact_only: bool) -> Vec<u32> {
        let index = RamIndex::of(texts);
        index.ranked(q, exact_only, false, &std::sync::Arc::default())
    }

    /// A passage index in memory, one segment.
    struct RamIndex {
        searcher: tantivy::Searcher,
        text: tantivy::schema::Field,
        doc_type: tantivy::schema::Field,
        /// The searcher's tails, and with them its compounds' matched sets.
        tails: crate::index::tails::Tails,
    }

    impl RamIndex {
        fn of(texts: &[&str]) -> RamIndex {
            let mut b = Schema::builder();
            let text = b.add_text_field("text", crate::index::schema::text_options());
            let doc_type = b.add_text_field("doc_type", STRING);
            let index = Index::create_in_ram(b.build());
            analyzer::register(index.tokenizers());
            let mut writer = index.writer_with_num_threads(1, 20_000_000).unwrap();
            for t in texts {
                writer
                    .add_document(doc!(text => *t, doc_type => "segment"))
                    .unwrap();
            }
            writer.commit().unwrap();
            let searcher = index.reader().unwrap().searcher();
            RamIndex {
                searcher,
                text,
                doc_type,
                tails: Default::default(),
            }
        }

        /// The doc ids (in rank order) that `q` finds in one phase.
        fn ranked(
            &self,
            q: &str,
            exact_only: bool,
            tails: bool,
            excluded: &std::sync::Arc<ExcludedSets>,
        ) -> Vec<u32> {
            let compounds = |stem: &str| {
                self.tails
                    .compounds(&self.searcher, self.text, stem, MAX_TAIL_EXPANSIONS)
            };
            let query = Compiler {
                text: TextFields { text: self.text },
                all_of_type: Term::from_field_text(self.doc_type, "segment"),
                tails,
                compounds: &compounds,
                occurs: &|_| true,
                widened: Widened::default(),
                exact_only,
                highlighter: &mut Highlighter::default(),
                excluded,
            }
            .compile(&query::parse(q).unwrap(), false)
            .unwrap();
            self.searcher
                .search(&query, &TopDocs::with_limit(10).order_by_score())
                .unwrap()
                .into_iter()
                .map(|(_, a)| a.doc_id)
                .collect()
        }
    }

    #[test]
    fn stemmed_phrases_in_order_below_the_exact_phrase() {
        let texts = [
            "twee warme landingen voor de studenten",
            "landing warme, andersom",
            "een warme landing in het mbo",
            "warme koffie bij de landing",
        ];
        assert_eq!(ranked(&texts, "\"warme landing\""), [2, 0]);
        assert_eq!(ranked(&texts, "\"warme landingen\""), [0, 2]);
        assert_eq!(ranked(&texts, "\"warme landing\" -mbo"), [0]);
        // The rarer word drives the walk; the order still counts.
        assert_eq!(ranked(&texts, "\"de studenten\""), [0]);
        assert_eq!(ranked(&texts, "\"de landingen\""), [3]);
    }

    #[test]
    fn a_word_finds_its_forms_with_the_exact_form_first() {
        let texts = [
            "de begeleiden van studenten",
            "over beleid",
            "de begeleiding van studenten",
            "begeleidingen",
        ];
        let found = ranked(&texts, "begeleiding");
        assert_eq!(found[0], 2, "{found:?}");
        let mut rest = found[1..].to_vec();
        rest.sort_unstable();
        assert_eq!(rest, [0, 3], "{found:?}");
        // A word that is its own stem is found unmarked, beside its other forms.
        let found = ranked(&["docent", "docenten", "een docentje"], "docenten");
        assert_eq!(&found[..2], [1, 0], "{found:?}");
    }

    #[test]
    fn the_exact_phase_finds_exact_words_and_still_excludes_every_form() {
        let texts = [
            "de begeleiding van studenten",
            "de begeleiden van studenten",
            "begeleiding door een docent",
            "begeleiding van docenten",
        ];
        let mut found = ranked_in_phase(&texts, "begeleiding -docent", true);
        found.sort_unstable();
        assert_eq!(
            found,
            [0],
            "the exact form only; docenten excluded with docent"
        );
        let mut found = ranked_in_phase(&texts, "begeleiding OR studenten", true);
        found.sort_unstable();
        assert_eq!(found, [0, 1, 2, 3]);
        let mut found = ranked_in_phase(&texts, "begeleiding studenten", true);
        found.sort_unstable();
        assert_eq!(found, [0]);
    }

    #[test]
    fn an_exclusion_is_matched_once_for_all_phases_of_a_search() {
        let index = RamIndex::of(&[
            "begeleiding in de gemeente",
            "begeleiding door de buurgemeente",
            "begeleiding van gemeenten",
            "begeleiding in de klas",
            "de begeleiden van studenten",
        ]);
        let excluded = std::sync::Arc::default();
        let sorted = |mut found: Vec<u32>| {
            found.sort_unstable();
            found
        };
        let compound_sets = || {
            index
                .tails
                .compounds(
                    &index.searcher,
                    index.text,
                    &analyzer::stem("gemeente"),
                    MAX_TAIL_EXPANSIONS,
                )
                .sets()
                .count_matched()
        };
        let exact = index.ranked("begeleiding -gemeente", true, false, &excluded);
        let forms = index.ranked("begeleiding -gemeente", false, false, &excluded);
        let compounds = index.ranked("begeleiding -gemeente", false, true, &excluded);
        assert_eq!(sorted(exact), [3]);
        assert_eq!(sorted(forms), [3, 4]);
        assert_eq!(sorted(compounds), [3, 4]);
        assert_eq!(
            compound_sets(),
            1,
            "the compounds of gemeente, in one segment, matched in the first phase only"
        );
        // And kept for the next search.
        index.ranked(
            "begeleiding -gemeente",
            false,
            false,
            &std::sync::Arc::default(),
        );
        assert_eq!(compound_sets(), 1);
        // A word without compounds is excluded by its forms alone, lazily; an excluded
        // phrase is matched once per search; an exclusion with one inside is not kept.
        index.ranked("begeleiding -klas", false, false, &excluded);
        assert_eq!(excluded.matched() + compound_sets(), 1);
        let phrase = index.ranked("begeleiding -\"in de klas\"", false, false, &excluded);
        assert_eq!(sorted(phrase), [0, 1, 2, 4]);
        index.ranked("begeleiding -\"in de klas\"", true, false, &excluded);
        assert_eq!(excluded.matched(), 1);
        let nested = index.ranked("begeleiding -(gemeente -klas)", false, false, &excluded);
        assert_eq!(sorted(nested), [3, 4]);
        assert_eq!(excluded.matched(), 1);
    }

    #[test]
    fn a_compound_set_is_kept_per_segment_and_by_the_terms_it_holds() {
        let index = RamIndex::of(&["de buurgemeente", "een gemeente", "de randgemeente"]);
        let first = index.ranked("gemeente", false, true, &std::sync::Arc::default());
        let again = index.ranked("gemeente", false, true, &std::sync::Arc::default());
        assert_eq!(first, again);
        assert_eq!(first.len(), 3);
        let compounds = index.tails.compounds(
            &index.searcher,
            index.text,
            &analyzer::stem("gemeente"),
            MAX_TAIL_EXPANSIONS,
        );
        assert_eq!(
            compounds.sets().count_matched(),
            1,
            "matched once, then kept"
        );
        // Fewer terms (a smaller cap on compounds) is another set.
        let fewer =
            index
                .tails
                .compounds(&index.searcher, index.text, &analyzer::stem("gemeente"), 1);
        let set = super::TermSet::new(index.text, fewer);
        let found = index
            .searcher
            .search(&set, &tantivy::collector::DocSetCollector)
            .unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(compounds.sets().count_matched(), 2);
    }
}
