//! The query path: whatever is typed in the search line, parsing, searching (with snippets)
//! and filtering return hits or a clear error, never a panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use visgraat::coding::CodingSet;
use visgraat::corpus::Corpus;
use visgraat::index::build;
use visgraat::index::search::{Request, Searcher};

struct Fixture {
    _dir: tempfile::TempDir,
    corpus: Corpus,
    codings: CodingSet,
    searcher: Searcher,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/corpus");
    let corpus = Corpus::load(&root).expect("fixture corpus loads");
    let (codings, _) = CodingSet::load(&root);
    let dir = tempfile::tempdir().expect("temp dir");
    build::update(&corpus, dir.path(), true).expect("fixture index builds");
    let searcher = Searcher::open(dir.path()).expect("index opens");
    Fixture { _dir: dir, corpus, codings, searcher }
});

fuzz_target!(|data: &[u8]| {
    let Some((&flags, query)) = data.split_first() else {
        return;
    };
    let Ok(query) = std::str::from_utf8(query) else {
        return;
    };
    let f = &*FIXTURE;
    let request = Request {
        query: query.to_string(),
        quotes: flags & 1 != 0,
        codes: flags & 2 != 0,
        coder: (flags & 4 != 0).then(|| "ana".to_string()),
        limit: 20,
        ..Request::default()
    };
    if let Ok(hits) = f.searcher.search(&request, &f.codings, &f.corpus.codebook) {
        for hit in hits {
            let chars = hit.snippet.chars().count();
            for &(a, b) in &hit.highlights {
                assert!(a < b && b <= chars, "highlight {a}..{b} outside a snippet of {chars} chars");
            }
        }
    }
});
