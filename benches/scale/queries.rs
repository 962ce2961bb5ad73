//! The scale benchmark's query latency: each query of `benches/queries.toml` as the TUI's
//! search worker asks it, beside the same query on bare tantivy, interleaved so both see the
//! same machine. Figures per class (the targets) and per query (which query makes a class's
//! tail).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use visgraat::coding::by_source::IndexedCodings;
use visgraat::config::Config;
use visgraat::corpus::Corpus;
use visgraat::corpus::codebook::Level;
use visgraat::index::search::{Request, Searcher};
use visgraat::workspace::Workspace;

use super::bare::BareIndex;
use super::common::percentile;
use super::{QuerySet, Report, ms};

/// Timed runs of each query (after three warm-up runs).
const REPEATS: usize = 60;

/// Adds a row per query class to `report`; returns a line per query (p50 / p99 against
/// bare tantivy's).
pub fn latency(
    report: &mut Report,
    set: &QuerySet,
    searcher: &Searcher,
    ws: &Workspace,
    bare: &BareIndex,
) -> Vec<String> {
    // As the TUI's search worker asks: the codings snapshot grouped by source once.
    let snapshot = IndexedCodings::new(std::sync::Arc::new(ws.codings.clone()));
    let mut by_class: BTreeMap<String, (Vec<Duration>, Vec<Duration>)> = BTreeMap::new();
    let mut per_query = Vec::new();
    for q in &set.query {
        let request = request(q);
        for _ in 0..3 {
            searcher
                .search_indexed(&request, &snapshot, &ws.corpus.codebook)
                .unwrap();
            bare.query(q);
        }
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..REPEATS {
            let t = Instant::now();
            let hits = searcher
                .search_indexed(&request, &snapshot, &ws.corpus.codebook)
                .unwrap();
            ours.push(t.elapsed());
            std::hint::black_box(hits);
            let t = Instant::now();
            std::hint::black_box(bare.query(q));
            theirs.push(t.elapsed());
        }
        let filter = [
            q.case.as_deref().map(|c| format!("case {c}")),
            q.factor.as_deref().map(|f| format!("factor {f}")),
            q.code.as_deref().map(|c| format!("code {c}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        let (o50, o99) = (percentile(&mut ours, 0.5), percentile(&mut ours, 0.99));
        let (b50, b99) = (percentile(&mut theirs, 0.5), percentile(&mut theirs, 0.99));
        per_query.push(format!(
            "- `{}` `{}`{}: {:.3} / {:.3} ms, bare {:.3} / {:.3} ms ({:.2}× / {:.2}×)",
            q.class,
            q.query,
            if filter.is_empty() {
                String::new()
            } else {
                format!(" ({filter})")
            },
            ms(o50),
            ms(o99),
            ms(b50),
            ms(b99),
            ms(o50) / ms(b50),
            ms(o99) / ms(b99),
        ));
        let (all_ours, all_theirs) = by_class.entry(q.class.clone()).or_default();
        all_ours.extend(ours);
        all_theirs.extend(theirs);
    }
    let target_of = |class: &str| match class {
        "phrase" => "≤ 2× bare at p50 and p99; p99 < 10 ms",
        _ => "≤ 2× bare at p50 and p99; p99 < 2 ms",
    };
    for (class, (mut ours, mut theirs)) in by_class {
        let (p50, p95, p99) = (
            percentile(&mut ours, 0.5),
            percentile(&mut ours, 0.95),
            percentile(&mut ours, 0.99),
        );
        let (b50, b99) = (percentile(&mut theirs, 0.5), percentile(&mut theirs, 0.99));
        report.row(
            &format!("query `{class}`: p50 / p95 / p99, top 20 with snippets"),
            format!("{:.3} / {:.3} / {:.3} ms", ms(p50), ms(p95), ms(p99)),
            format!(
                "bare tantivy: {:.3} / {:.3} ms (p50 / p99)",
                ms(b50),
                ms(b99)
            ),
            format!(
                "{:.2}× p50, {:.2}× p99",
                ms(p50) / ms(b50),
                ms(p99) / ms(b99)
            ),
            target_of(&class),
        );
    }
    per_query
}

/// The request the TUI's worker makes for a query of the set.
fn request(q: &super::BenchQuery) -> Request {
    Request {
        query: q.query.clone(),
        case: q.case.clone(),
        level: q
            .factor
            .as_deref()
            .map(|f| Level::parse(f).expect("a level")),
        code: q.code.clone(),
        quotes: q.class == "quotes",
        limit: 20,
        ..Request::default()
    }
}

/// Runs of each query on newly opened indexes.
const FIRST_RUNS: usize = 5;

/// The first search of each query on a newly opened searcher, which has nothing kept yet (no
/// compounds, compound sets or filter sets: the cost a repeated query no longer pays), beside
/// bare tantivy's first on a newly opened index: a row per class.
pub fn first_searches(
    report: &mut Report,
    set: &QuerySet,
    ws: &Workspace,
    index_dir: &Path,
    bare_dir: &Path,
) {
    let snapshot = IndexedCodings::new(std::sync::Arc::new(ws.codings.clone()));
    let mut by_class: BTreeMap<String, (Vec<Duration>, Vec<Duration>)> = BTreeMap::new();
    for q in &set.query {
        let request = request(q);
        let (ours, theirs) = by_class.entry(q.class.clone()).or_default();
        for _ in 0..FIRST_RUNS {
            let searcher = Searcher::open(index_dir).expect("the index opens");
            let t = Instant::now();
            std::hint::black_box(
                searcher
                    .search_indexed(&request, &snapshot, &ws.corpus.codebook)
                    .unwrap(),
            );
            ours.push(t.elapsed());
            let bare = BareIndex::open(bare_dir).expect("the bare index opens");
            let t = Instant::now();
            std::hint::black_box(bare.query(q));
            theirs.push(t.elapsed());
        }
    }
    for (class, (mut ours, mut theirs)) in by_class {
        let (p50, b50) = (percentile(&mut ours, 0.5), percentile(&mut theirs, 0.5));
        report.row(
            &format!("query `{class}`, first search on a newly opened searcher, p50"),
            format!("{:.3} ms", ms(p50)),
            format!("bare tantivy, newly opened: {:.3} ms", ms(b50)),
            format!("{:.2}×", ms(p50) / ms(b50)),
            "—",
        );
    }
}

/// The lines per query, under a heading of their own.
pub fn note_each(report: &mut Report, per_query: Vec<String>) {
    report.note(format!(
        "\nQueries one by one, p50 / p99 ({REPEATS} runs each):"
    ));
    for line in per_query {
        report.note(line);
    }
}

/// The query set of the benchmark.
pub fn query_set(root: &Path) -> QuerySet {
    toml::from_str(&std::fs::read_to_string(root.join("benches/queries.toml")).unwrap()).unwrap()
}

/// `--only queries`: the query latency over the index an earlier run built (brought up to
/// date first) and the bare index it left, or a new one.
pub fn only(report: &mut Report, args: &super::Args, root: &Path, dir: &Path, config: &Config) {
    super::measured(super::visgraat(&dir.join("config.toml")).arg("index"));
    let bare_dir = dir.join("bare-index");
    let bare = BareIndex::open(&bare_dir).unwrap_or_else(|| {
        let _ = std::fs::remove_dir_all(&bare_dir);
        let corpus = Corpus::load(&config.corpus).expect("corpus loads");
        let body_bytes = corpus.sources.iter().map(|s| s.body.len()).sum();
        BareIndex::build(&corpus, &bare_dir, body_bytes)
    });
    let ws = Workspace::open(config.clone()).unwrap();
    let searcher = ws.searcher().unwrap();
    let mut set = query_set(root);
    if let Some(text) = &args.query {
        // The query itself when the set has it, else every query that contains the text.
        if set.query.iter().any(|q| q.query == *text) {
            set.query.retain(|q| q.query == *text);
        } else {
            set.query.retain(|q| q.query.contains(text.as_str()));
        }
    }
    let per_query = latency(report, &set, &searcher, &ws, &bare);
    first_searches(report, &set, &ws, &config.index, &bare_dir);
    note_each(report, per_query);
}
