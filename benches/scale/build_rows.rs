//! The scale benchmark's index-build rows: the whole `visgraat index --rebuild` process, the
//! same build in process, and bare tantivy, interleaved so that all three see the same machine.

use std::path::Path;
use std::time::{Duration, Instant};

use visgraat::config::Config;
use visgraat::corpus::Corpus;
use visgraat::index::build;

use super::bare::BareIndex;
use super::{Report, measured, visgraat};

/// Build the index `runs` times each way and report the quickest of each beside bare
/// tantivy's quickest; gives back the bare index the last run left, for the query rows.
pub fn rows(
    report: &mut Report,
    corpus: &Corpus,
    config: &Config,
    config_path: &Path,
    dir: &Path,
    body_bytes: usize,
) -> BareIndex {
    let mb = body_bytes as f64 / 1e6;
    // The quickest of each, interleaved: one build of each moved the ratio from 1.46× to
    // 1.87× on this kind of machine, same code.
    let runs = if body_bytes >= 50_000_000 { 3 } else { 4 };
    let (mut process, mut in_process, mut bare_times) = (Vec::new(), Vec::new(), Vec::new());
    let mut build_rss = 0;
    let bare_dir = dir.join("bare-index");
    let mut bare = None;
    for _ in 0..runs {
        let (t, rss) = measured(visgraat(config_path).args(["index", "--rebuild"]));
        process.push(t);
        build_rss = build_rss.max(rss);
        let t = Instant::now();
        build::update(corpus, &config.index, true).expect("the index builds");
        in_process.push(t.elapsed());
        let _ = std::fs::remove_dir_all(&bare_dir);
        let t = Instant::now();
        let b = BareIndex::build(corpus, &bare_dir, body_bytes);
        bare_times.push(t.elapsed());
        bare = Some(b);
    }
    let quickest = |times: Vec<Duration>| times.into_iter().min().expect("a build");
    let (process, in_process, bare_build) = (
        quickest(process),
        quickest(in_process),
        quickest(bare_times),
    );
    let rate = |t: Duration| format!("{:.2} s, {:.1} MB/s", t.as_secs_f64(), mb / t.as_secs_f64());
    let bare_rate = format!("bare tantivy, same analyzer: {}", rate(bare_build));
    let ratio = |t: Duration| format!("{:.2}×", t.as_secs_f64() / bare_build.as_secs_f64());
    report.row(
        "full index build (whole `visgraat index --rebuild` process; quickest of runs interleaved with bare)",
        rate(process),
        bare_rate.clone(),
        ratio(process),
        "≤ 1.5×",
    );
    // Bare tantivy is given the corpus loaded; so is this build. What lies between the two
    // rows is the process: reading and checking the project before the build, the catalogue,
    // stamps and compound lists after it.
    report.row(
        "the same build in process (corpus loaded, as bare tantivy is given it)",
        rate(in_process),
        bare_rate,
        ratio(in_process),
        "—",
    );
    report.row(
        "peak RSS, index build",
        format!("{:.0} MB", build_rss as f64 / 1024.0),
        "—".into(),
        "—".into(),
        "—",
    );
    bare.expect("built")
}
