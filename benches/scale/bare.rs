//! The scale benchmark's baseline index: bare tantivy with visgraat's analyzer.

use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    IndexRecordOption, STRING, Schema, TantivyDocument, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, Term, doc};
use visgraat::corpus::Corpus;
use visgraat::index::analyzer;

use super::BenchQuery;

/// The baseline: tantivy with visgraat's Dutch analyzer and nothing else: one analysed,
/// stored text field per paragraph (plus a case field, for the filter class), the same
/// paragraphs, the same writer threads and memory; queries through tantivy's own parser,
/// top 20, a snippet per hit from tantivy's snippet generator.
pub struct BareIndex {
    index: Index,
    reader: tantivy::IndexReader,
    text: tantivy::schema::Field,
    case: tantivy::schema::Field,
}

impl BareIndex {
    pub fn build(corpus: &Corpus, dir: &Path, body_bytes: usize) -> BareIndex {
        std::fs::create_dir_all(dir).unwrap();
        let mut schema = Schema::builder();
        let text = schema.add_text_field(
            "text",
            TextOptions::default()
                .set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(analyzer::STEM)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                )
                .set_stored(),
        );
        let case = schema.add_text_field("case", STRING);
        let index = Index::create_in_dir(dir, schema.build()).unwrap();
        analyzer::register(index.tokenizers());
        // visgraat's policy: one thread below 32 MB, else up to four.
        let threads = if body_bytes < 32 * 1024 * 1024 {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(2, usize::from)
                .min(4)
        };
        let mut writer = index
            .writer_with_num_threads(threads, 64 * 1024 * 1024 * threads)
            .unwrap();
        for source in &corpus.sources {
            // Read the file as visgraat does, to pay the same I/O.
            let file = std::fs::read_to_string(&source.path).unwrap();
            let body = file.splitn(3, "+++\n").nth(2).unwrap_or("");
            let case_id = source.meta.case.clone().unwrap_or_default();
            for paragraph in body.split("\n\n") {
                writer
                    .add_document(doc!(text => paragraph, case => case_id.as_str()))
                    .unwrap();
            }
        }
        writer.commit().unwrap();
        writer.wait_merging_threads().unwrap();
        let reader = index.reader().unwrap();
        BareIndex {
            index,
            reader,
            text,
            case,
        }
    }

    /// The bare index an earlier run left in `dir`, if it is whole.
    pub fn open(dir: &Path) -> Option<BareIndex> {
        let index = Index::open_in_dir(dir).ok()?;
        analyzer::register(index.tokenizers());
        let schema = index.schema();
        let (text, case) = (
            schema.get_field("text").ok()?,
            schema.get_field("case").ok()?,
        );
        let reader = index.reader().ok()?;
        Some(BareIndex {
            index,
            reader,
            text,
            case,
        })
    }

    pub fn query(&self, q: &BenchQuery) -> Vec<String> {
        let mut parser = QueryParser::for_index(&self.index, vec![self.text]);
        parser.set_conjunction_by_default();
        let parsed = parser.parse_query(&q.query).unwrap();
        let query: Box<dyn Query> = match &q.case {
            Some(case) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, parsed),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.case, case),
                        IndexRecordOption::Basic,
                    )),
                ),
            ])),
            None => parsed,
        };
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&query, &TopDocs::with_limit(20).order_by_score())
            .unwrap();
        let generator = SnippetGenerator::create(&searcher, &*query, self.text).unwrap();
        top.into_iter()
            .map(|(_, address)| {
                let d: TantivyDocument = searcher.doc(address).unwrap();
                let text = d
                    .get_first(self.text)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                generator.snippet(&text).to_html()
            })
            .collect()
    }
}
