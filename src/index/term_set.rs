//! A query for any of a word's compounds (`index::tails` lists them per segment), each
//! looked up in the term dictionary of the segments it occurs in, matched with a constant
//! score.
//!
//! tantivy's `TermSetQuery` gives the same matches, but builds an automaton over the terms
//! and walks the term dictionary with it, per segment: for the compounds of a common stem
//! (`-gemeente`) that walk was most of a search (`perf`: 12 % of a query run in the
//! automaton stream and 3 % in building it, against under 1 % for reading the postings).
//! Looked up one by one in every segment, they were still a third of that search; most
//! compounds occur in few segments, so each segment looks up its own.

use std::sync::Arc;

use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, Score, SegmentReader, Term};

use super::tails::Compounds;

/// Any of a word's compounds in `field`.
#[derive(Debug, Clone)]
pub struct TermSet {
    field: Field,
    compounds: Arc<Compounds>,
    /// All of them, as terms (for tantivy's `query_terms`).
    terms: Arc<[Term]>,
}

impl TermSet {
    pub fn new(field: Field, compounds: Arc<Compounds>) -> TermSet {
        TermSet {
            field,
            terms: compounds
                .words()
                .iter()
                .map(|w| Term::from_field_text(field, w))
                .collect(),
            compounds,
        }
    }
}

impl Query for TermSet {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for term in self.terms.iter() {
            visitor(term, false);
        }
    }
}

impl Weight for TermSet {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut matched = BitSet::with_max_value(reader.max_doc().max(1));
        let index = reader.inverted_index(self.field)?;
        for word in self.compounds.in_segment(reader.segment_id()) {
            let Some(info) = index.get_term_info(&Term::from_field_text(self.field, word))? else {
                continue;
            };
            let mut postings =
                index.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
            loop {
                let docs = postings.docs();
                if docs.is_empty() {
                    break;
                }
                for &doc in docs {
                    matched.insert(doc);
                }
                postings.advance();
            }
        }
        Ok(Box::new(ConstScorer::new(
            BitSetDocSet::from(matched),
            boost,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        super::explain_by_seek(
            self,
            reader,
            doc,
            "holds one of the terms",
            "the document holds none of the terms",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::TermSet;
    use crate::index::analyzer;
    use crate::index::tails::Tails;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::TermSetQuery;
    use tantivy::schema::Schema;
    use tantivy::{Index, Term, doc};

    #[test]
    fn matches_what_tantivys_term_set_matches_in_every_segment() {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", crate::index::schema::text_options());
        let index = Index::create_in_ram(schema.build());
        analyzer::register(index.tokenizers());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let texts = [
            "de buurgemeente",
            "een gemeente",
            "de randgemeente en de buurgemeente",
            "de klas",
            "twee randgemeenten",
        ];
        for (i, t) in texts.iter().enumerate() {
            writer.add_document(doc!(text => *t)).unwrap();
            if i == 1 || i == 3 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let compounds =
            Tails::default().compounds(&searcher, text, &analyzer::stem("gemeente"), 100);
        assert!(!compounds.is_empty());
        let theirs = searcher
            .search(
                &TermSetQuery::new(
                    compounds
                        .words()
                        .iter()
                        .map(|w| Term::from_field_text(text, w)),
                ),
                &DocSetCollector,
            )
            .unwrap();
        let ours = searcher
            .search(&TermSet::new(text, compounds.into()), &DocSetCollector)
            .unwrap();
        assert_eq!(ours.len(), 3, "{ours:?}");
        assert_eq!(ours, theirs);
    }
}
