//! A query's score times a constant, as tantivy's `BoostQuery`, but one that keeps the
//! query's own top-k pruning. `BoostQuery` leaves `for_each_pruning` to the default, which
//! scores every match: a lone boosted word (the exact-form phase of a one-word search) was
//! scored over all its documents instead of skipping blocks by block-max WAND (`perf`:
//! `TermScorer::score` over every posting of `ondersteuningsbehoefte`, 3× bare tantivy).

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, Score, SeekDangerResult, SegmentReader, Term};

#[derive(Debug)]
pub struct Boosted {
    inner: Box<dyn Query>,
    boost: Score,
}

impl Clone for Boosted {
    fn clone(&self) -> Boosted {
        Boosted {
            inner: self.inner.box_clone(),
            boost: self.boost,
        }
    }
}

impl Boosted {
    pub fn new(inner: Box<dyn Query>, boost: Score) -> Boosted {
        Boosted { inner, boost }
    }
}

impl Query for Boosted {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.inner.weight(scoring)?;
        Ok(if scoring.is_scoring_enabled() && self.boost > 0.0 {
            Box::new(BoostedWeight {
                inner,
                boost: self.boost,
            })
        } else {
            inner
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct BoostedWeight {
    inner: Box<dyn Weight>,
    /// Above zero.
    boost: Score,
}

impl Weight for BoostedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.inner.scorer(reader, boost * self.boost)
    }

    fn scorer_danger(
        &self,
        reader: &SegmentReader,
        target: DocId,
        boost: Score,
    ) -> tantivy::Result<(SeekDangerResult, Box<dyn Scorer>)> {
        self.inner.scorer_danger(reader, target, boost * self.boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut explanation = Explanation::new_with_string(
            format!("boost ×{}", self.boost),
            inner.value() * self.boost,
        );
        explanation.add_detail(inner);
        Ok(explanation)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        // The inner query prunes on its own scale: the threshold, and every threshold the
        // collector raises it to, divided by the boost.
        let boost = self.boost;
        self.inner
            .for_each_pruning(threshold / boost, reader, &mut |doc, score| {
                callback(doc, score * boost) / boost
            })
    }
}

#[cfg(test)]
mod tests {
    use super::Boosted;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BoostQuery, Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, Term, doc};

    #[test]
    fn ranks_and_scores_as_tantivys_boost() {
        let mut schema = Schema::builder();
        let word = schema.add_text_field("word", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Enough documents for several postings blocks, of many lengths and frequencies.
        for i in 0..5000usize {
            let text = format!(
                "{}{}",
                "werkdruk ".repeat(usize::from(i % 3 == 0) * (1 + i % 4)),
                "rust ".repeat(i % 11)
            );
            writer.add_document(doc!(word => text)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = || -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(word, "werkdruk"),
                IndexRecordOption::WithFreqs,
            ))
        };
        let top = TopDocs::with_limit(10).order_by_score();
        let ours = searcher.search(&Boosted::new(term(), 3.0), &top).unwrap();
        let theirs = searcher
            .search(&BoostQuery::new(term(), 3.0), &top)
            .unwrap();
        assert_eq!(ours.len(), 10);
        assert_eq!(ours, theirs);
    }
}
