//! `visgraat search`: a query with filters, printed as hits or JSON.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use crate::coding::CodingSet;
use crate::coding::span_cache::CodedSpans;
use crate::config::Config;
use crate::corpus::cases::Cases;
use crate::corpus::codebook::{Codebook, Valence};
use crate::corpus::quotes::Voice;
use crate::corpus::source::SourceKind;
use crate::error::Error;
use crate::index::search::{Request, Selection, attach_codes};
use crate::workspace::{self, Checked, Searched};

use super::{
    SearchArgs, healing_search, output, parse_choice, parse_level, progress, warn_problems,
};

pub(super) fn search(
    config: &Config,
    config_path: &Path,
    args: &SearchArgs,
    bar: &progress::Bar,
) -> Result<ExitCode, Error> {
    let kind = parse_choice(
        args.kind.as_deref(),
        "kind",
        SourceKind::parse,
        "transcript, intermezzo, report, letter",
    )?;
    let valence = parse_choice(args.valence.as_deref(), "valence", Valence::parse, "+ or -")?;
    let voice = parse_choice(
        args.voice.as_deref(),
        "voice",
        Voice::parse,
        "focusgroep, student, gemeente, instelling, onbekend",
    )?;
    let codebook_path = config.corpus.join("codebook.toml");
    // A broken code book does not stop a search: only codes' levels and labels go missing.
    let (codebook, book_problems) = Codebook::load(&codebook_path);
    warn_problems(&book_problems);
    let level = parse_level(&codebook, args.factor.as_deref(), "factor")?;
    if let Some(code) = &args.code
        && codebook.code(code).is_none()
    {
        match codebook.missing_because(code) {
            // The codings still name the code, so they can still be found by it.
            Some(why) => eprintln!(
                "visgraat: warning: code {code:?} is not in the code book as read ({why}): its codings are found by their code id alone"
            ),
            None => {
                return Err(Error::Usage(format!(
                    "unknown code {code:?}: {}",
                    output::suggest_codes(&codebook, code)
                )));
            }
        }
    }
    if let Some(case) = &args.case {
        let cases = Cases::load(&config.corpus.join("cases.toml"))?;
        if cases.get(case).is_none() {
            let ids: Vec<&str> = cases.cases.iter().map(|c| c.id.as_str()).collect();
            return Err(Error::Usage(format!(
                "unknown case {case:?}: use one of {}",
                ids.join(", ")
            )));
        }
    }
    if let Some(coder) = &args.coder {
        warn_unknown_coder(&config.corpus, coder);
    }
    let request = Request {
        query: args.query.clone(),
        kind,
        case: args.case.clone(),
        speaker: args.speaker.clone(),
        voice,
        level,
        valence,
        code: args.code.clone(),
        coder: args.coder.clone(),
        quotes: args.quotes || voice.is_some(),
        codes: args.codes,
        memos: args.memos,
        limit: args.limit as usize,
    };
    let Searched {
        found: hits,
        report,
        checked,
    } = workspace::search_fresh(config, bar, |searcher| {
        // Without a coding filter only the hits' codes need codings: read just their files.
        if request.filters_codings() {
            // Spans are all a filter needs: from their cache when no codings file changed,
            // and of them only the ones the filter selects, then those of the hits' sources.
            searcher.keep_filter_sets_on_disk();
            let (spans, problems) = CodedSpans::load(&config.corpus, &config.index);
            warn_problems(&problems);
            let selection = Selection::of(&request, &codebook);
            let selected = spans.spans(|coder, _, code| selection.selects(coder, code));
            let mut hits = healing_search(config, searcher, bar, |s| {
                s.search_spans(&request, selected.clone())
            })?;
            let sources: std::collections::HashSet<&str> =
                hits.iter().map(|h| h.source.as_str()).collect();
            let of_hits = spans.select(|_, source, _| sources.contains(source));
            drop(sources);
            attach_codes(&mut hits, &of_hits, &codebook, args.coder.as_deref());
            Ok(hits)
        } else {
            let mut hits = healing_search(config, searcher, bar, |s| {
                s.search(&request, &CodingSet::default(), &codebook)
            })?;
            let sources: Vec<&str> = hits.iter().map(|h| h.source.as_str()).collect();
            let (codings, problems) = CodingSet::load_sources(&config.corpus, &sources);
            warn_problems(&problems);
            attach_codes(&mut hits, &codings, &codebook, args.coder.as_deref());
            Ok(hits)
        }
    })?;
    if let Some(report) = report.filter(|r| r.did_work()) {
        eprintln!(
            "visgraat: index refreshed ({} added, {} updated, {} removed{})",
            report.added.len(),
            report.updated.len(),
            report.removed.len(),
            output::also_reindexed(&report)
        );
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&hits).map_err(|e| Error::Usage(e.to_string()))?
        );
    } else {
        let color = std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        print!("{}", output::hits(&hits, &codebook, color));
    }
    warn_skipped(&crate::index::skipped::load(&config.index));
    if let Checked::Stated { files } = checked
        && config.watch.starts_after(files)
    {
        use std::io::Write;
        // The answer is out before the watcher starts: it costs this search nothing.
        let _ = std::io::stdout().flush();
        start_watcher(config_path, &config.corpus, &config.index);
    }
    Ok(if hits.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A coder with no codings at all (no directory under codings/) finds no hits: say so, and
/// who the coders are, rather than only "no hits".
fn warn_unknown_coder(corpus: &Path, coder: &str) {
    let coders = crate::coding::coder_names(corpus);
    if coders.iter().any(|c| c == coder) {
        return;
    }
    let known = if coders.is_empty() {
        "nobody has coded yet".to_string()
    } else {
        format!("the coders are {}", coders.join(", "))
    };
    eprintln!("visgraat: warning: coder {coder:?} has made no codings ({known})");
}

/// The corpus files the index's last refresh could not read: the answer leaves them out.
fn warn_skipped(skipped: &[String]) {
    const NAMED: usize = 3;
    for problem in skipped.iter().take(NAMED) {
        eprintln!("visgraat: warning: {problem}");
    }
    if !skipped.is_empty() {
        let more = skipped.len().saturating_sub(NAMED);
        eprintln!(
            "visgraat: the answer leaves out what {} problem(s) in the corpus skipped{}; run `visgraat check` for the list",
            skipped.len(),
            if more > 0 {
                format!(" ({more} more than named here)")
            } else {
                String::new()
            }
        );
    }
}

/// How long a watcher that a search started waits for the next search before it stops.
const STARTED_WATCHER_IDLE_MINUTES: &str = "30";

/// Start a `visgraat watch` of the project behind this search (`watch` in config.toml), so
/// that the next searches need no stat per file. Detached: its own process group (Ctrl-C in
/// the terminal does not reach it, and a closed terminal does not take it along), no
/// standard streams (a pipe this search writes to closes when the search ends). None is
/// started while one holds the watcher's lock (it is starting), nor within an hour of one
/// that could not watch (inotify's limits; `index::watch_claim`); a second one started
/// meanwhile finds the lock taken and exits before it walks. Searches meanwhile go on with
/// the stats.
fn start_watcher(config_path: &Path, corpus: &Path, index: &Path) {
    use crate::index::watch_claim;
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    if crate::inotify::on_network_file_system(corpus)
        || watch_claim::held(index)
        || watch_claim::recent_failure(index, std::time::SystemTime::now()).is_some()
    {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let _ = Command::new(exe)
        .arg("--config")
        .arg(config_path)
        .args(["watch", "--idle", STARTED_WATCHER_IDLE_MINUTES])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn();
}
