//! Property tests of the parsers that read user files and user input: the source/front-matter
//! parser, the transcript-turn parser, the codings parser and the query path. They run in
//! CI; the fuzz targets in fuzz/ run the same code for longer (scripts/fuzz-run.sh).

mod common;

use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;
use visgraat::coding::{self, Coding, CodingFile, anchor};
use visgraat::corpus::Corpus;
use visgraat::corpus::source::{self, Source, SourceKind, SourceMeta, parse_turn};
use visgraat::error::Error;
use visgraat::index::query;
use visgraat::index::search::{Request, Searcher};

/// Text a transcriber or a PDF might produce: Dutch letters, diacritics, combining marks,
/// emoji, CJK, punctuation that the parsers care about, line breaks and CR.
fn messy_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "([a-zA-Zëéïüö0-9 ]|e\u{0308}|👩‍🏫|日本|[:\\[\\]()\"“”‘’+=#.,?!*-]|\n|\r\n|\r|\t){0,80}",
    )
    .expect("valid regex")
}

fn line_of(e: &Error) -> Option<usize> {
    match e {
        Error::Invalid { line, .. } => *line,
        _ => None,
    }
}

fn meta() -> impl Strategy<Value = SourceMeta> {
    (
        "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}",
        prop::sample::select(SourceKind::ALL.to_vec()),
        messy_text(),
        proptest::option::of("[A-Za-z0-9-]{1,12}"),
        messy_text(),
    )
        .prop_map(|(id, kind, title, case, provenance)| SourceMeta {
            id,
            kind,
            title,
            case,
            date: None,
            provenance,
            pages: Vec::new(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any text: a source or an error naming a line of the file, never a panic.
    #[test]
    fn source_parser_takes_any_text(text in messy_text()) {
        let lines = text.split('\n').count();
        if let Err(e) = Source::parse(Path::new("x.md"), &text) {
            let line = line_of(&e).expect("errors name a line");
            prop_assert!(line >= 1 && line <= lines + 1, "line {} of {}: {}", line, lines, e);
        }
    }

    /// What visgraat writes, it reads back unchanged; segments slice the body exactly.
    #[test]
    fn source_render_parses_back(meta in meta(), body in messy_text()) {
        let body = visgraat::text_file::normalise_line_ends(&body).into_owned();
        let text = source::render(&meta, &body);
        let parsed = Source::parse(Path::new("x.md"), &text).unwrap();
        prop_assert_eq!(&parsed.meta, &meta);
        prop_assert_eq!(&parsed.body, &body);
        for seg in parsed.segments() {
            prop_assert_eq!(parsed.slice(seg.start, seg.end).unwrap(), seg.text);
        }
    }

    /// CRLF line ends and a byte-order mark do not change what a source says.
    #[test]
    fn source_crlf_and_bom_are_transparent(meta in meta(), body in "[a-z .:\n]{0,60}") {
        let text = source::render(&meta, &body);
        let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        let a = Source::parse(Path::new("x.md"), &text).unwrap();
        let b = Source::parse(Path::new("x.md"), &windows).unwrap();
        prop_assert_eq!(a.meta, b.meta);
        prop_assert_eq!(a.body, b.body);
    }

    /// The char index used for re-anchoring agrees with a plain walk over the chars.
    #[test]
    fn char_index_agrees_with_a_walk(text in messy_text(), a in 0usize..120, len in 0usize..60, upto in 0usize..200) {
        let index = source::CharIndex::new(&text, upto);
        let (start, end) = (a, a + len);
        if end <= upto {
            prop_assert_eq!(index.slice(&text, start, end), source::char_slice(&text, start, end));
        }
    }

    /// Any paragraph: a speaker that is text of the paragraph, or none.
    #[test]
    fn turn_parser_takes_any_text(text in messy_text()) {
        let (speaker, timestamp) = parse_turn(&text);
        if let Some(s) = speaker {
            prop_assert!(!s.is_empty() && text.contains(&s));
        }
        if let Some(t) = timestamp {
            prop_assert!(text.contains(&t));
        }
    }

    /// The forms transcribers write are read as turns, the speaker's name kept whole.
    #[test]
    fn turn_parser_finds_written_turns(
        name in "(Docent|Moderator|Student|Interviewer|P)( [1-9])?",
        ts in proptest::option::of("[0-5][0-9]:[0-5][0-9]:[0-5][0-9]"),
        said in "[a-zé ,.?]{1,40}",
    ) {
        let text = match &ts {
            Some(t) => format!("[{t}] {name}: {said}"),
            None => format!("{name}: {said}"),
        };
        prop_assert_eq!(parse_turn(&text), (Some(name), ts));
    }

    /// Any text in a codings file: codings or an error naming a line, never a panic.
    #[test]
    fn codings_parser_takes_any_text(text in messy_text()) {
        let lines = text.split('\n').count();
        if let Err(e) = coding::parse_file(Path::new("c.toml"), &text)
            && let Some(line) = line_of(&e)
        {
            prop_assert!(line >= 1 && line <= lines + 1, "line {} of {}: {}", line, lines, e);
        }
    }

    /// Codings survive the trip through their TOML file, whatever the quote and memo hold.
    #[test]
    fn codings_round_trip(
        items in prop::collection::vec((0usize..500, 1usize..80, messy_text(), messy_text(), any::<bool>(), messy_text()), 0..6)
    ) {
        let created: toml::value::Datetime = "2026-11-25T10:00:00Z".parse().unwrap();
        let file = CodingFile {
            codings: items
                .into_iter()
                .enumerate()
                .map(|(i, (start, len, quote, memo, orphaned, around))| Coding {
                    id: format!("c-{i:012x}"),
                    code: "team-werkdruk".into(),
                    start,
                    end: start + len,
                    quote: quote.clone(),
                    memo,
                    created,
                    orphaned,
                    prefix: around.clone(),
                    suffix: around,
                    original_quote: orphaned.then_some(quote),
                    review: None,
                })
                .collect(),
            ..CodingFile::default()
        };
        let text = toml::to_string(&file).unwrap();
        let back = coding::parse_file(Path::new("c.toml"), &text).unwrap();
        prop_assert_eq!(back.codings, file.codings);
    }

    /// Re-anchoring any quote at any offsets either places it on exactly that text (or text
    /// equal up to whitespace or within the fuzzy bound) or says it cannot: it never panics
    /// and never returns a span outside the source.
    #[test]
    fn anchoring_takes_any_quote(start in 0usize..400, len in 0usize..120, quote in messy_text()) {
        let src = &*FIXTURE_SOURCE;
        let len_chars = src.char_len();
        let squash = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        match anchor::locate(src, start, start + len, &quote) {
            anchor::Anchor::Unchanged => {
                prop_assert_eq!(src.slice(start, start + len), Some(quote));
            }
            anchor::Anchor::Exact { start, end } => {
                prop_assert_eq!(src.slice(start, end), Some(quote));
            }
            anchor::Anchor::Whitespace { start, end } => {
                prop_assert!(start < end && end <= len_chars);
                prop_assert_eq!(squash(&src.slice(start, end).unwrap()), squash(&quote));
            }
            anchor::Anchor::Fuzzy { start, end, edits } => {
                prop_assert!(start < end && end <= len_chars);
                prop_assert!(edits * 10 <= quote.chars().count(), "{} edits for {:?}", edits, quote);
            }
            anchor::Anchor::Unsure { proposal, .. } => {
                if let Some((start, end)) = proposal {
                    prop_assert!(start < end && end <= len_chars);
                }
            }
            anchor::Anchor::Orphaned => {}
        }
    }

    /// A quote cut from the source, with its surroundings, is found again at its own place
    /// whatever offsets it was stored with.
    #[test]
    fn anchoring_with_surroundings_finds_its_own_place(start in 0usize..300, len in 3usize..60, shift in 1usize..200) {
        let src = &*FIXTURE_SOURCE;
        let end = (start + len).min(src.char_len());
        let quote = src.slice(start, end).unwrap();
        prop_assume!(!quote.trim().is_empty());
        let (prefix, suffix) = anchor::context(&src.body, start, end);
        let target = anchor::Target { start: start + shift, end: end + shift, quote: &quote, prefix: &prefix, suffix: &suffix, original_quote: None };
        match anchor::locate_target(src, &target) {
            anchor::Anchor::Exact { start: s, end: e } => prop_assert_eq!((s, e), (start, end)),
            anchor::Anchor::Unchanged => prop_assert_eq!(src.slice(start + shift, end + shift), Some(quote)),
            // Only where the fixture repeats the quote with the same surroundings.
            anchor::Anchor::Unsure { doubt: anchor::Doubt::Ambiguous, proposal: Some((s, e)) } => {
                prop_assert_eq!(src.slice(s, e), Some(quote));
            }
            other => prop_assert!(false, "{:?} for {:?}", other, quote),
        }
    }

    /// A quote cut from the source is found again where it was moved to.
    #[test]
    fn anchoring_finds_moved_text(start in 0usize..300, len in 12usize..60, shift in 0usize..200) {
        let src = &*FIXTURE_SOURCE;
        let end = (start + len).min(src.char_len());
        let quote = src.slice(start, end).unwrap();
        prop_assume!(quote.trim().chars().count() >= 12);
        let located = anchor::locate(src, start + shift, end + shift, &quote);
        match located {
            anchor::Anchor::Unchanged | anchor::Anchor::Exact { .. } => {}
            // Without surroundings, a quote that occurs more than once is not moved by
            // itself: it waits for a person, with a place that holds its text.
            anchor::Anchor::Unsure { doubt: anchor::Doubt::Ambiguous, proposal: Some((s, e)) } => {
                prop_assert_eq!(src.slice(s, e), Some(quote));
            }
            other => prop_assert!(false, "{:?} for {:?}", other, quote),
        }
    }

    /// Whatever is typed in the search line: hits or a clear query error, never a panic,
    /// and highlights always inside their snippet.
    #[test]
    fn any_query_is_safe(query in messy_text(), quotes in any::<bool>(), codes in any::<bool>()) {
        let _ = query::parse(&query);
        let request = Request { query, quotes, codes, limit: 20, ..Request::default() };
        let f = &*FIXTURE;
        match f.searcher.search(&request, &f.codings, &f.corpus.codebook) {
            Ok(hits) => {
                for hit in hits {
                    let chars = hit.snippet.chars().count();
                    for &(a, b) in &hit.highlights {
                        prop_assert!(a < b && b <= chars);
                    }
                }
            }
            Err(Error::Query(problem)) => prop_assert!(!problem.to_string().is_empty()),
            Err(other) => prop_assert!(false, "not a query error: {}", other),
        }
    }
}

/// Found by fuzzing: excluding a phrase that matches nothing (a hyphenated word is a phrase)
/// tripped a debug assertion in tantivy (quickwit-oss/tantivy#2811).
#[test]
fn excluding_a_phrase_that_matches_nothing() {
    let f = &*FIXTURE;
    for query in [
        "docent -team-kort",
        "docent -\"team kort\"",
        "-team-kort docent",
    ] {
        let request = Request {
            query: query.into(),
            limit: 20,
            ..Request::default()
        };
        let hits = f
            .searcher
            .search(&request, &f.codings, &f.corpus.codebook)
            .unwrap();
        assert!(!hits.is_empty(), "{query}");
    }
}

static FIXTURE_SOURCE: LazyLock<Source> = LazyLock::new(|| {
    Source::load(&common::repo_root().join("tests/fixtures/synthetic-focusgroep-transcript.md"))
        .unwrap()
});

struct Fixture {
    _dir: tempfile::TempDir,
    corpus: Corpus,
    codings: coding::CodingSet,
    searcher: Searcher,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let root = common::repo_root().join("tests/fixtures/corpus");
    let corpus = Corpus::load(&root).unwrap();
    let (codings, _) = coding::CodingSet::load(&root);
    let dir = tempfile::tempdir().unwrap();
    visgraat::index::build::update(&corpus, dir.path(), true).unwrap();
    let searcher = Searcher::open(dir.path()).unwrap();
    Fixture {
        _dir: dir,
        corpus,
        codings,
        searcher,
    }
});
