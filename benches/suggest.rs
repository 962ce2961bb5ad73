//! The suggestions and evidence benchmark on a generated corpus (the one `scale` uses):
//! an evidence query, and the suggestions for one source of about 1 000 paragraphs, each
//! beside a baseline measured in the same run (a one-word search; analysing the source's
//! paragraphs, which any suggestion must do). The machine is shared: read the ratios.
//!
//! Run: `cargo bench --bench suggest -- --size 100MB --seed 7` (default 1MB, seed 1).

#[allow(dead_code)] // the helpers the other benchmarks use
mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::percentile;
use visgraat::coding::CodingSet;
use visgraat::config::Config;
use visgraat::corpus::Corpus;
use visgraat::index::search::{Request, Searcher};
use visgraat::suggest::{self, evidence, rejected::Rejected, terms};

const CLAIMS: &[&str] = &[
    "docenten ervaren de werkdruk als hoog",
    "de samenwerking met de gemeente verloopt moeizaam",
    "studenten met een ondersteuningsbehoefte krijgen te laat hulp",
    "er is te weinig tijd voor begeleiding in de klas",
    "de intake helpt om de juiste opleiding te kiezen",
];

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect()
}

fn main() {
    let mut size = "1MB".to_string();
    let mut seed = 1u64;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--size" => size = it.next().expect("--size SIZE"),
            "--seed" => seed = it.next().expect("--seed N").parse().expect("a number"),
            _ => {} // cargo passes --bench
        }
    }
    let bytes = visgraat::synth::parse_size(&size).expect("a size such as 1MB");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root
        .join("target/bench")
        .join(format!("{}-seed{seed}", size.to_lowercase()));
    let config_path = dir.join("config.toml");
    if !config_path.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let shipped = Corpus::load(&root.join("corpus")).expect("the shipped corpus loads");
        visgraat::synth::generate(&shipped, &dir, visgraat::synth::Options { bytes, seed })
            .expect("the corpus generates");
    }
    let config = Config::load(&config_path).expect("config");
    let corpus = Corpus::load(&config.corpus).expect("corpus loads");
    let (codings, _) = CodingSet::load(&config.corpus);
    visgraat::index::build::update(&corpus, &config.index, false).expect("the index builds");
    let searcher = Searcher::open(&config.index).expect("the index opens");
    let mb: f64 = corpus.sources.iter().map(|s| s.body.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "Corpus: {} sources, {mb:.1} MB, {} codings (seed {seed}).\n",
        corpus.sources.len(),
        codings.codings.len()
    );
    println!("| figure | visgraat | baseline | ratio | target |");
    println!("|---|---|---|---|---|");

    // --- Evidence for a claim ---------------------------------------------------------------
    let book = &corpus.codebook;
    let mut found = timed(4, || {
        for claim in CLAIMS {
            evidence::find(&searcher, &codings, book, claim, false, 10).expect("evidence");
        }
    });
    let mut baseline = timed(4, || {
        for word in [
            "werkdruk",
            "gemeente",
            "ondersteuningsbehoefte",
            "begeleiding",
            "intake",
        ] {
            let request = Request {
                query: word.into(),
                limit: 10,
                ..Request::default()
            };
            searcher.search(&request, &codings, book).expect("search");
        }
    });
    let per = |d: Duration| d / CLAIMS.len() as u32;
    let (e, b) = (
        per(percentile(&mut found, 0.5)),
        per(percentile(&mut baseline, 0.5)),
    );
    println!(
        "| evidence query (median of {} claims × 4) | {:.1} ms | {:.1} ms (one-word search) | {:.1}× | < 50 ms |",
        CLAIMS.len(),
        ms(e),
        ms(b),
        e.as_secs_f64() / b.as_secs_f64().max(1e-9)
    );

    // --- Suggestions for one source of about 1 000 paragraphs --------------------------------
    // The generated transcripts are shorter: consecutive ones, joined, make one that long.
    let mut corpus = corpus;
    let mut body = String::new();
    let mut joined = 0;
    for s in corpus
        .sources
        .iter()
        .filter(|s| codings.in_source(&s.meta.id).next().is_none())
    {
        if joined >= 1000 {
            break;
        }
        body.push_str(&s.body);
        body.push_str("\n\n");
        joined += s.segments().len();
    }
    let mut long = corpus.sources[0].clone();
    long.meta.id = "bench-long-source".into();
    long.body = body;
    corpus.sources.push(long);
    let source = corpus.sources.last().expect("the joined source");
    let paragraphs = source.segments();
    let options = suggest::Options {
        source: Some(source.meta.id.clone()),
        limit: 1000,
        ..suggest::Options::default()
    };
    let none = Rejected::default();
    let mut made = 0;
    let mut suggesting = timed(3, || {
        made = suggest::propose(&corpus, &codings, &none, &options).len();
    });
    let mut analysing = timed(3, || {
        for p in &paragraphs {
            std::hint::black_box(terms::terms(&p.text));
        }
    });
    let (s, a) = (
        percentile(&mut suggesting, 0.5),
        percentile(&mut analysing, 0.5),
    );
    println!(
        "| suggestions for one source ({} paragraphs, learning from {} codings; {made} made) | {:.0} ms | {:.0} ms (analysing its paragraphs) | {:.1}× | < 1 000 ms |",
        paragraphs.len(),
        codings.codings.len(),
        ms(s),
        ms(a),
        s.as_secs_f64() / a.as_secs_f64().max(1e-9)
    );
}
