//! The scale benchmark: visgraat on a generated corpus of 1 MB, 10 MB or 100 MB, every figure
//! beside its baseline measured in the same run (bare tantivy with the same analyzer, and
//! ripgrep over the same files). Prints a Markdown report (also written to
//! `target/bench/report-<size>.md`) for BENCHMARKS.md.
//!
//! Run: `cargo bench --bench scale -- --size 100MB` (default 1MB; `--seed N`).
//! The corpus is generated once into `target/bench/<size>-seed<N>/` and reused.

mod common;
// The crate root is this file: its modules are found beside it unless told.
#[path = "scale/bare.rs"]
mod bare;
#[path = "scale/build_rows.rs"]
mod build_rows;
#[path = "scale/queries.rs"]
mod queries;
#[path = "scale/watcher.rs"]
mod watcher;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::percentile;
use watcher::Watcher;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde::Deserialize;
use visgraat::coding::by_source::IndexedCodings;
use visgraat::coding::{self, CodingSet};
use visgraat::config::Config;
use visgraat::corpus::Corpus;
use visgraat::corpus::source::Source;
use visgraat::index::build;
use visgraat::index::search::Request;
use visgraat::tui::app::App;
use visgraat::workspace::Workspace;

const BIN: &str = env!("CARGO_BIN_EXE_visgraat");

#[derive(Deserialize)]
struct QuerySet {
    query: Vec<BenchQuery>,
}

#[derive(Deserialize, Clone)]
struct BenchQuery {
    class: String,
    query: String,
    rg: Option<String>,
    case: Option<String>,
    factor: Option<String>,
    code: Option<String>,
}

struct Args {
    size: String,
    seed: u64,
    /// `--only queries`: the query latency alone, over the index and bare index an earlier
    /// run left (for work on query speed; the full run measures everything).
    queries_only: bool,
    /// `--query TEXT`: with `--only queries`, only the query TEXT, or the queries that contain it.
    query: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        size: "1MB".into(),
        seed: 1,
        queries_only: false,
        query: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--size" => a.size = it.next().expect("--size SIZE"),
            "--seed" => a.seed = it.next().expect("--seed N").parse().expect("a number"),
            "--only" => {
                let what = it.next().expect("--only queries");
                assert_eq!(what, "queries", "only `--only queries` is known");
                a.queries_only = true;
            }
            "--query" => a.query = Some(it.next().expect("--query TEXT")),
            _ => {} // cargo passes --bench
        }
    }
    a
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut samples: Vec<Duration>) -> Duration {
    percentile(&mut samples, 0.5)
}

/// Run a command to its end: wall time, and visgraat's own report of its peak resident
/// memory in KiB (0 for other programs). Not wait4's figure: a child spawned from this large
/// process starts in its memory, and the kernel counts that peak for the child.
fn measured(cmd: &mut Command) -> (Duration, u64) {
    let started = Instant::now();
    let out = cmd
        .env("VISGRAAT_PEAK_RSS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("the command runs");
    let elapsed = started.elapsed();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rss = String::from_utf8_lossy(&out.stderr)
        .lines()
        .find_map(|l| l.strip_prefix("visgraat-peak-rss "))
        .and_then(|v| v.trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0);
    (elapsed, rss)
}

fn visgraat(config: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--config").arg(config).env("NO_COLOR", "1");
    c
}

struct Report {
    lines: Vec<String>,
}

impl Report {
    fn row(&mut self, figure: &str, value: String, baseline: String, ratio: String, target: &str) {
        let line = format!("| {figure} | {value} | {baseline} | {ratio} | {target} |");
        println!("{line}");
        self.lines.push(line);
    }

    fn note(&mut self, text: String) {
        println!("{text}");
        self.lines.push(text);
    }
}

fn main() {
    let args = args();
    let bytes = visgraat::synth::parse_size(&args.size).expect("a size such as 1MB");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir =
        root.join("target/bench")
            .join(format!("{}-seed{}", args.size.to_lowercase(), args.seed));
    let config_path = dir.join("config.toml");
    let mut report = Report { lines: Vec::new() };

    // --- The corpus -------------------------------------------------------------------------
    if !config_path.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let shipped = Corpus::load(&root.join("corpus")).expect("the shipped corpus loads");
        let t = Instant::now();
        let r = visgraat::synth::generate(
            &shipped,
            &dir,
            visgraat::synth::Options {
                bytes,
                seed: args.seed,
            },
        )
        .expect("the corpus generates");
        eprintln!(
            "generated {} in {:.1} s: {} transcripts, {} words, {} word types",
            dir.display(),
            t.elapsed().as_secs_f64(),
            r.transcripts,
            r.words,
            r.vocabulary
        );
    }
    // No watcher started behind a search (`watch = "auto"` would start one for this many
    // files): every figure but the watched ones is of a search alone.
    watcher::set_watch(&config_path, "off");
    let config = Config::load(&config_path).expect("config");
    let t = Instant::now();
    let corpus = Corpus::load(&config.corpus).expect("corpus loads");
    let load_time = t.elapsed();
    let body_bytes: usize = corpus.sources.iter().map(|s| s.body.len()).sum();
    let paragraphs: usize = corpus.sources.iter().map(|s| s.segments().len()).sum();
    let (codings, _) = CodingSet::load(&config.corpus);
    let mb = body_bytes as f64 / 1e6;
    report.note(format!(
        "Corpus: {} transcripts, {:.1} MB of text, {paragraphs} paragraphs, {} quotes, {} codings (seed {}). Loading it: {:.0} ms.\n",
        corpus.sources.len(),
        mb,
        corpus.quotes.values().map(Vec::len).sum::<usize>(),
        codings.codings.len(),
        args.seed,
        ms(load_time)
    ));
    report.note("| figure | visgraat | baseline | ratio | target |".into());
    report.note("|---|---|---|---|---|".into());
    if args.queries_only {
        queries::only(&mut report, &args, root, &dir, &config);
        return;
    }

    // --- Full index build -------------------------------------------------------------------
    let bare = build_rows::rows(
        &mut report,
        &corpus,
        &config,
        &config_path,
        &dir,
        body_bytes,
    );

    // --- Incremental re-index ---------------------------------------------------------------
    // Nine sources edited in turn and each put back: 18 refreshes of one source, as a running
    // TUI makes them (the corpus held, the one source reloaded). Their median, and the most:
    // every so many refreshes the small segments they leave are merged.
    let mut edited = Corpus::load(&config.corpus).unwrap();
    let mut refreshes = Vec::new();
    for k in 0..9 {
        let at = (corpus.sources.len() / 2 + k * 97) % corpus.sources.len();
        let changed = edited.sources[at].path.clone();
        let original = std::fs::read_to_string(&changed).unwrap();
        let edit = format!("{original}\nModerator: Een nieuwe vraag voor de meting {k}?\n");
        for text in [&edit, &original] {
            std::fs::write(&changed, text).unwrap();
            edited.sources[at] = Source::load(&changed).unwrap();
            let t = Instant::now();
            let r = build::update(&edited, &config.index, false).expect("update");
            refreshes.push(t.elapsed());
            assert_eq!(r.updated.len(), 1, "one source re-indexed");
        }
    }
    let incremental = percentile(&mut refreshes, 0.5);
    let most = *refreshes.iter().max().expect("refreshes");
    report.row(
        "re-index after one source changed (in process, corpus loaded; 18 refreshes), p50 / most",
        format!("{:.1} / {:.1} ms", ms(incremental), ms(most)),
        "—".into(),
        "—".into(),
        "< 50 ms",
    );
    // The whole process: one more source edited and indexed, then put back by `visgraat index`.
    let at = corpus.sources.len() / 2;
    let changed = edited.sources[at].path.clone();
    let original = std::fs::read_to_string(&changed).unwrap();
    std::fs::write(&changed, format!("{original}\nModerator: Nog een vraag?\n")).unwrap();
    edited.sources[at] = Source::load(&changed).unwrap();
    build::update(&edited, &config.index, false).expect("update");
    std::fs::write(&changed, &original).unwrap();
    let (incremental_process, _) = measured(visgraat(&config_path).arg("index"));
    report.row(
        "the same as a whole `visgraat index` process (loads the corpus)",
        format!("{:.0} ms", ms(incremental_process)),
        "—".into(),
        "—".into(),
        "—",
    );

    // --- A new coding visible in filters and counts -----------------------------------------
    let mut ws = Workspace::open(config.clone()).unwrap();
    let searcher = ws.searcher().unwrap();
    let target_source = ws.corpus.sources[0].clone();
    let mut write_times = Vec::new();
    let mut visible_times = Vec::new();
    for i in 0..20 {
        let t = Instant::now();
        let placed = coding::add(
            &ws.config.corpus,
            "bench",
            &target_source,
            i * 3,
            i * 3 + 2,
            "doelgroep-zwaardere-problematiek",
            "",
        )
        .unwrap();
        write_times.push(t.elapsed());
        let t = Instant::now();
        ws.codings.codings.push(placed);
        let stats = visgraat::analysis::stats::fishbone(&ws.corpus, &ws.codings, Some("bench"));
        let hits = searcher
            .search(
                &Request {
                    query: first_word(&target_source),
                    coder: Some("bench".into()),
                    limit: 20,
                    ..Request::default()
                },
                &ws.codings,
                &ws.corpus.codebook,
            )
            .unwrap();
        visible_times.push(t.elapsed());
        assert!(!stats.bones.is_empty() && !hits.is_empty());
    }
    // Leave the generated corpus as it was generated.
    let _ = std::fs::remove_dir_all(coding::codings_dir(&ws.config.corpus).join("bench"));
    let write_p50 = median(write_times);
    let visible_p50 = median(visible_times);
    report.row(
        "new coding → visible in filters and counts (stats + coder-filtered search)",
        format!("{:.2} ms", ms(visible_p50)),
        "—".into(),
        "—".into(),
        "< 5 ms",
    );
    report.row(
        "saving that coding (atomic write with fsync, under the lock)",
        format!("{:.2} ms", ms(write_p50)),
        "—".into(),
        "—".into(),
        "—",
    );

    // --- The TUI's stamp around each own write (on its UI thread) ----------------------------
    let (mut cheap, mut per_file) = (Vec::new(), Vec::new());
    for _ in 0..20 {
        let t = Instant::now();
        std::hint::black_box(visgraat::workspace::disk_stamp(&config.corpus));
        cheap.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(visgraat::workspace::codings_files_stamp(&config.corpus));
        per_file.push(t.elapsed());
    }
    let (cheap, per_file) = (median(cheap), median(per_file));
    report.row(
        "the TUI's stamp before and after each own write (directory entries, no stat per file), p50",
        format!("{:.2} ms", ms(cheap)),
        format!("a stat per codings file, as before: {:.2} ms", ms(per_file)),
        format!("{:.1}× faster", ms(per_file) / ms(cheap)),
        "proportional to the coders, not the files",
    );

    // --- Query latency ----------------------------------------------------------------------
    let set = queries::query_set(root);
    let per_query = queries::latency(&mut report, &set, &searcher, &ws, &bare);
    queries::first_searches(
        &mut report,
        &set,
        &ws,
        &config.index,
        &dir.join("bare-index"),
    );

    // --- Against ripgrep --------------------------------------------------------------------
    let sources_dir = config.corpus.join("sources");
    let has_rg = Command::new("rg").arg("--version").output().is_ok();
    if has_rg {
        // Whole processes, rg interleaved with visgraat so both see the same machine; first
        // as a search runs alone (a stat per corpus file beside the answer), then beside a
        // running `visgraat watch`, which answers for the files' stamps.
        let processes = |label: &str| {
            let (mut rg_times, mut process_times, mut filtered_times) =
                (Vec::new(), Vec::new(), Vec::new());
            for q in set.query.iter().filter(|q| q.rg.is_some()) {
                let word = q.rg.as_deref().unwrap();
                for _ in 0..5 {
                    rg_times
                        .push(measured(Command::new("rg").args(["-i", word]).arg(&sources_dir)).0);
                    process_times.push(
                        measured(
                            visgraat(&config_path).args(["search", &q.query, "--limit", "20"]),
                        )
                        .0,
                    );
                    // The same word with a coding filter: the coded spans are consulted.
                    filtered_times.push(
                        measured(
                            visgraat(&config_path)
                                .args(["search", &q.query, "--limit", "20", "--factor", "team"]),
                        )
                        .0,
                    );
                }
            }
            let (rg, process, filtered) = (
                median(rg_times),
                median(process_times),
                median(filtered_times),
            );
            eprintln!("{label}: rg {:.1} ms, search {:.1} ms", ms(rg), ms(process));
            (rg, process, filtered)
        };
        let snapshot = IndexedCodings::new(std::sync::Arc::new(ws.codings.clone()));
        let mut inproc = Vec::new();
        for q in set.query.iter().filter(|q| q.rg.is_some()) {
            for _ in 0..5 {
                let t = Instant::now();
                std::hint::black_box(
                    searcher
                        .search_indexed(
                            &Request {
                                query: q.query.clone(),
                                limit: 20,
                                ..Request::default()
                            },
                            &snapshot,
                            &ws.corpus.codebook,
                        )
                        .unwrap(),
                );
                inproc.push(t.elapsed());
            }
        }
        let inproc = median(inproc);
        let (rg, process, filtered) = processes("alone");
        report.row(
            "single term, in process, p50",
            format!("{:.3} ms", ms(inproc)),
            format!("`rg -i` over the same files: {:.1} ms", ms(rg)),
            format!("{:.0}× faster", ms(rg) / ms(inproc)),
            "≥ 50× faster",
        );
        let process_rows = |report: &mut Report, rg: Duration, process, filtered, how: &str| {
            report.row(
                &format!("single term, whole `visgraat search` process, {how}, p50"),
                format!("{:.1} ms", ms(process)),
                format!("`rg -i`: {:.1} ms", ms(rg)),
                format!("{:.1}× faster", ms(rg) / ms(process)),
                "≥ 5× faster",
            );
            report.row(
                &format!("the same with a coding filter (`--factor team`), {how}, p50"),
                format!("{:.1} ms", ms(filtered)),
                format!("`rg -i`: {:.1} ms", ms(rg)),
                format!("{:.1}× faster", ms(rg) / ms(filtered)),
                "≥ 3× faster",
            );
        };
        process_rows(
            &mut report,
            rg,
            process,
            filtered,
            "alone (a stat per file beside the answer)",
        );
        // The watcher a search starts behind its answer (what the default `watch = "auto"`
        // does for a corpus this size), as a user gets it: the first search stats the files
        // and starts it, the next ones ask it.
        match Watcher::started_by_a_search(&config_path) {
            Some(watcher) => {
                let (rg, process, filtered) = processes("watched");
                drop(watcher);
                process_rows(
                    &mut report,
                    rg,
                    process,
                    filtered,
                    "beside the watcher the first search started",
                );
            }
            None => report.note("(no watcher started: no watched figures)".into()),
        }
    } else {
        report.note("(ripgrep is not installed: no rg baseline)".into());
    }

    // --- The TUI: keystroke → redrawn results -----------------------------------------------
    let size = (140, 40);
    let tui_ws = Workspace::open(config.clone()).unwrap();
    let mut app = App::new(tui_ws, size, true);
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    let mut keystrokes = common::keystrokes(
        &mut app,
        &searcher,
        &mut terminal,
        &[
            "werkdruk",
            "begeleiding",
            "\"passend onderwijs\"",
            "zorgcoördinator",
            "gemeenten -student",
        ],
    );
    let n = keystrokes.len();
    let (k50, k95) = (
        percentile(&mut keystrokes, 0.5),
        percentile(&mut keystrokes, 0.95),
    );
    report.row(
        &format!("TUI keystroke → redrawn results ({n} keystrokes), p50 / p95"),
        format!("{:.2} / {:.2} ms", ms(k50), ms(k95)),
        "—".into(),
        "—".into(),
        "p95 < 16 ms",
    );

    // --- Start to first frame, TUI memory ---------------------------------------------------
    // The first frame is drawn from the index's catalogue while the workspace loads; the
    // first interactive one once it has loaded (`--loaded`), as the TUI draws them.
    let mut starts = Vec::new();
    let mut loaded_starts = Vec::new();
    let mut tui_rss = 0;
    for _ in 0..5 {
        let (t, _) = measured(visgraat(&config_path).arg("first-frame"));
        starts.push(t);
        let (t, rss) = measured(visgraat(&config_path).args(["first-frame", "--loaded"]));
        loaded_starts.push(t);
        tui_rss = tui_rss.max(rss);
    }
    // Without an index the TUI opens all the same and builds it behind the UI: the first
    // frame, with the reader usable, must not wait for the build.
    let no_index_config = dir.join("config-no-index.toml");
    std::fs::write(
        &no_index_config,
        "corpus = \"corpus\"\nindex = \"index-never-built\"\ncoder = \"bench\"\n",
    )
    .unwrap();
    let mut cold_starts = Vec::new();
    for _ in 0..5 {
        let (t, _) = measured(visgraat(&no_index_config).args(["first-frame", "--loaded"]));
        cold_starts.push(t);
    }
    assert!(
        !dir.join("index-never-built").join("meta.json").exists(),
        "the first frame does not wait for an index build"
    );
    // Where start-up goes, step by step, in this process (warm page cache).
    let t = Instant::now();
    let c = Corpus::load(&config.corpus).unwrap();
    let corpus_ms = ms(t.elapsed());
    let t = Instant::now();
    let (mut cs, _) = CodingSet::load(&config.corpus);
    let codings_ms = ms(t.elapsed());
    let t = Instant::now();
    coding::anchor::heal(&c, &mut cs);
    let heal_ms = ms(t.elapsed());
    let t = Instant::now();
    let stamps = build::dirs_fresh(&config.corpus, &config.index).expect("no directory changed");
    let dirs_ms = ms(t.elapsed());
    let t = Instant::now();
    assert!(stamps.files_match(&config.corpus));
    let fresh_ms = ms(t.elapsed());
    drop((c, cs));
    let t = Instant::now();
    let ws2 = Workspace::open(config.clone()).unwrap();
    let open_ms = ms(t.elapsed());
    let t = Instant::now();
    let app2 = App::new(ws2, size, false);
    let app_ms = ms(t.elapsed());
    drop(app2);
    let (first_ms, loaded_ms) = (ms(median(starts)), ms(median(loaded_starts)));
    report.row(
        "process start → first TUI frame (index exists; the tree from its catalogue), p50",
        format!("{first_ms:.0} ms"),
        format!("{loaded_ms:.0} ms (first interactive frame)"),
        format!("{:.0}× sooner", loaded_ms / first_ms),
        "< 100 ms",
    );
    report.row(
        "process start → first interactive TUI frame (workspace loaded), p50",
        format!("{loaded_ms:.0} ms"),
        "—".into(),
        "—".into(),
        "—",
    );
    report.row(
        "process start → first usable TUI frame (no index yet: built behind the UI), p50",
        format!("{:.0} ms", ms(median(cold_starts))),
        "—".into(),
        "—".into(),
        "< 100 ms",
    );
    report.row(
        "peak RSS, TUI with the corpus open (to its first frame)",
        format!("{:.0} MB", tui_rss as f64 / 1024.0),
        "—".into(),
        "—".into(),
        "< 300 MB",
    );

    watcher::disk_watch(&mut report, &config.corpus);

    report.note(format!(
        "\nStart-up, step by step (in process): load the corpus {corpus_ms:.0} ms, load the codings {codings_ms:.0} ms, check every coding against its text {heal_ms:.0} ms, check the index is fresh (directories {dirs_ms:.1} ms, then a stat per corpus file {fresh_ms:.0} ms); the workspace opens them side by side in {open_ms:.0} ms; the TUI state {app_ms:.0} ms."
    ));
    queries::note_each(&mut report, per_query);
    let out = root
        .join("target/bench")
        .join(format!("report-{}.md", args.size.to_lowercase()));
    std::fs::write(&out, report.lines.join("\n") + "\n").unwrap();
    eprintln!("report written to {}", out.display());
}

fn first_word(source: &Source) -> String {
    source
        .body
        .split(|c: char| !c.is_alphabetic())
        .find(|w| w.chars().count() >= 4)
        .unwrap_or("de")
        .to_string()
}
