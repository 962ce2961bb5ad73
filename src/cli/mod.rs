//! The command line: argument parsing and one function per command. No domain logic lives
//! here; commands call the library and print.

mod analysis;
mod args;
mod case;
mod check;
mod code;
mod codes;
mod export;
mod framework;
mod icr;
mod import;
mod import_plan;
mod output;
pub mod progress;
mod qdpx;
mod saturation;
mod search;
mod setup;
mod speakers;
mod suggest;

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

pub use args::{Cli, Command, SearchArgs};

use crate::coding::anchor::Anchor;
use crate::config::Config;
use crate::error::Error;
use crate::workspace::{self, Workspace};

/// Exit codes: 0 ok, 1 no result where one was required, 2 bad input.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.command.is_some() {
        // A closed pipe (`visgraat search --json | head -1`) ends a command quietly, as it
        // ends other Unix tools, instead of a panic in println!. Files are written
        // atomically, so being stopped mid-output leaves none half-written.
        #[cfg(unix)]
        // SAFETY: called before any other thread exists; SIG_DFL is a valid disposition.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    match run(cli) {
        Ok(code) => code,
        Err(Error::Interrupted) => {
            eprintln!("visgraat: {}", Error::Interrupted);
            ExitCode::from(130)
        }
        Err(err) => {
            eprintln!("visgraat: {err}");
            ExitCode::from(2)
        }
    }
}

/// git runs the driver wherever the repository is, with or without a config.toml there.
fn merge_driver(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    path: Option<&Path>,
) -> Result<ExitCode, Error> {
    if crate::coding::merge_driver::run(base, ours, theirs)? {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "visgraat: {}: a coding changed on both sides; the file marks it (visgraat check explains)",
            path.unwrap_or(ours).display()
        );
        Ok(ExitCode::from(1))
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    if let Some(Command::MergeDriver {
        base,
        ours,
        theirs,
        path,
    }) = &cli.command
    {
        return merge_driver(base, ours, theirs, path.as_deref());
    }
    match &cli.command {
        Some(Command::Init {
            dir,
            title,
            language,
            template,
        }) => return setup::init(dir, title.clone(), language, template),
        Some(Command::Completions { shell }) => return setup::completions(shell),
        Some(Command::Man) => return setup::man(),
        _ => {}
    }
    // Without config.toml a folder with a corpus/ is still a project (with the defaults).
    let beside = cli.config.parent().unwrap_or(std::path::Path::new("."));
    let beside = if beside.as_os_str().is_empty() {
        std::path::Path::new(".")
    } else {
        beside
    };
    if !cli.config.exists() && !beside.join("corpus").is_dir() {
        return Err(Error::Usage(format!(
            "not a visgraat project: no {} here. `visgraat init` makes one (or --config PATH names one)",
            cli.config.display()
        )));
    }
    let config = Config::load(&cli.config)?;
    let Some(command) = cli.command else {
        // The workspace is opened behind the TUI's first frame.
        crate::tui::run(config, &cli.config)?;
        return Ok(ExitCode::SUCCESS);
    };
    // Ctrl-C stops long work at its next check, before it writes; the TUI reads Ctrl-C as a
    // key, so only commands get this.
    crate::progress::stop_on_ctrl_c();
    let bar = progress::Bar::new(cli.quiet);
    match command {
        Command::Index { rebuild } => index(config, rebuild, &bar),
        Command::Search(args) => search::search(&config, &cli.config, &args, &bar),
        Command::Watch { idle, stop } => watch(&config, idle, stop),
        Command::Code {
            source,
            args,
            text,
            coder,
            memo,
            json,
        } => code::code(
            config,
            &source,
            &args,
            text.as_deref(),
            coder,
            (&memo, json),
            &bar,
        ),
        Command::Stats {
            coder,
            by_case,
            by_coder,
            include_machine,
            json,
        } => analysis::stats(
            config,
            coder.as_deref(),
            by_case,
            by_coder,
            include_machine,
            json,
            &bar,
        ),
        Command::Check { fix, accept, json } => check::run(config, fix, &accept, json, &bar),
        // clap refuses --all-units beside --round.
        Command::Agreement {
            coders,
            round: Some(round),
            min_alpha,
            json,
            ..
        } => icr::agreement(config, round, coders, min_alpha, json, &bar),
        Command::MergeDriver {
            base,
            ours,
            theirs,
            path,
        } => merge_driver(&base, &ours, &theirs, path.as_deref()),
        Command::Agreement {
            coders,
            all_units,
            round: None,
            include_machine,
            json,
            ..
        } => analysis::agreement(config, coders, all_units, include_machine, json, &bar),
        Command::Icr { command } => icr::run(config, command, &bar),
        Command::Suggest(args) => suggest::suggest(config, &args, &bar),
        Command::Evidence {
            claim,
            quotes,
            limit,
            json,
        } => suggest::evidence(config, &claim, quotes, limit as usize, json, &bar),
        Command::Saturation(args) => saturation::run(config, &args, &bar),
        Command::Memo {
            target,
            text,
            coder,
            json,
        } => code::memo(config, &target, text.as_deref(), coder, json, &bar),
        Command::Framework { command } => framework::run(config, command, &bar),
        Command::Matrix {
            kind,
            coder,
            format,
            output,
            json,
        } => {
            let format = if json { "json".to_string() } else { format };
            analysis::matrix(
                config,
                &kind,
                coder.as_deref(),
                &format,
                output.as_deref(),
                &bar,
            )
        }
        Command::Codes(command) => codes::run(config, command, &bar),
        Command::Case(command) => case::run(config, command, &bar),
        Command::Init { .. } | Command::Completions { .. } | Command::Man => {
            unreachable!("handled before the project is opened")
        }
        Command::ImportPlan { plan, from, check } => {
            import_plan::run(&plan, &from, &config.corpus, check)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(args) => export::run_args(config, args, &bar),
        Command::Import {
            files,
            kind,
            case,
            new_case,
            no_case,
            pseudonymise,
            pdf_text,
            dry_run,
            json,
            replace,
        } => {
            if dry_run {
                return Ok(import::dry_run_files(&files, pdf_text));
            }
            import::import_files(
                config,
                &files,
                import::CaseChoice::from_flags(case, new_case, no_case),
                &kind,
                import::Flags {
                    pseudonymise,
                    pdf_text,
                    json,
                    replace,
                },
                &bar,
            )
        }
        Command::Speakers(command) => speakers::speakers(config, command, &bar),
        Command::Pseudonyms(command) => speakers::pseudonyms(config, command),
        Command::Generate { out, size, seed } => {
            let bytes = crate::synth::parse_size(&size).map_err(Error::Usage)?;
            let shipped = crate::corpus::Corpus::load(&config.corpus)?;
            let started = std::time::Instant::now();
            let r = crate::synth::generate_with(
                &shipped,
                &out,
                crate::synth::Options { bytes, seed },
                &bar,
            )?;
            println!(
                "{}: {} transcripts in {} cases, {} paragraphs, {} words ({} word types), {:.1} MB of text, {} quotes, {} codings; {:.1} s",
                out.display(),
                r.transcripts,
                r.cases,
                r.paragraphs,
                r.words,
                r.vocabulary,
                r.body_bytes as f64 / 1e6,
                r.quotes,
                r.codings,
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Replay { script, trace } => {
            let actions = crate::tui::replay::load(&script)?;
            crate::tui::replay::run(config, &actions, trace, &mut std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::FirstFrame {
            width,
            height,
            loaded,
        } => {
            let frame = crate::tui::first_frame(config, &cli.config, (width, height), loaded)?;
            print!("{frame}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `visgraat watch`: serve the files' stamps to searches until stopped.
fn watch(config: &Config, idle: Option<u64>, stop: bool) -> Result<ExitCode, Error> {
    if stop {
        return Ok(if crate::index::watcher::stop(&config.corpus) {
            eprintln!(
                "visgraat: stopped the watcher of {}",
                config.corpus.display()
            );
            ExitCode::SUCCESS
        } else {
            eprintln!("visgraat: no watcher runs for {}", config.corpus.display());
            ExitCode::from(1)
        });
    }
    use crate::index::watch_claim;
    // Claimed before the first walk: a second watcher stops here, not after walking.
    let Some(_claim) = watch_claim::claim(&config.index)? else {
        return Err(Error::Usage(format!(
            "{} is watched already (another `visgraat watch` runs for it)",
            config.corpus.display()
        )));
    };
    let watch = crate::index::watcher::CorpusWatch::new(&config.corpus).inspect_err(|e| {
        watch_claim::note_failure(&config.index, &e.to_string());
    })?;
    let idle = idle.map(|minutes| std::time::Duration::from_secs(minutes.saturating_mul(60)));
    watch.serve(
        idle,
        || {
            watch_claim::clear_failure(&config.index);
            eprintln!(
                "visgraat: watching {} — searches now skip the stat per file; Ctrl-C stops",
                config.corpus.display()
            );
        },
        crate::progress::interrupted,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// What opening the workspace cleaned up: temp files of writes that were killed.
pub(crate) fn cleaned_note(ws: &Workspace) -> String {
    format!(
        "removed {} temp file(s) left by writes that were killed (older than a minute; the files they were for are unharmed)",
        ws.cleaned.len()
    )
}

/// Open the workspace for a command, saying on stderr what opening it cleaned up.
fn open_workspace(config: Config, bar: &progress::Bar) -> Result<Workspace, Error> {
    let ws = Workspace::open_with(config, bar)?;
    if !ws.cleaned.is_empty() {
        bar.suspend(|| eprintln!("visgraat: note: {}", cleaned_note(&ws)));
    }
    Ok(ws)
}

/// `value` as pretty JSON on stdout.
pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Usage(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// Who a write is recorded for: `given` (`--coder`), else the configured coder. When
/// nothing names one (no --coder, VISGRAAT_CODER, config or login name), the write goes
/// under "onbekend" and says so, since the TUI would have asked.
fn acting_coder(given: Option<&str>, config: &crate::config::Config) -> String {
    if let Some(given) = given {
        return given.to_string();
    }
    if config.coder_from == crate::config::CoderFrom::Unknown {
        eprintln!(
            "visgraat: warning: no coder is named, so this is recorded as {:?}: give --coder NAME, set VISGRAAT_CODER, or write coder = \"…\" in config.toml",
            config.coder
        );
    }
    config.coder.clone()
}

/// Refuse a `--coder` (or `--from-coder`) that names nobody who coded: the command would
/// answer with nothing, or with everyone's codings, as if that were that coder's.
fn refuse_unknown_coder(codings: &crate::coding::CodingSet, coder: &str) -> Result<(), Error> {
    let coders = codings.coders();
    if coders.contains(&coder) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "no codings by {coder:?}; coders: {}",
        coders.join(", ")
    )))
}

fn warn_problems(problems: &[Error]) {
    for p in problems {
        eprintln!("visgraat: warning: {p}");
    }
    if !problems.is_empty() {
        eprintln!(
            "visgraat: {} problem(s) skipped; run `visgraat check` for the list",
            problems.len()
        );
    }
}

fn index(config: Config, rebuild: bool, bar: &progress::Bar) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let ws = open_workspace(config, bar)?;
    warn_problems(&ws.problems);
    let report = ws.refresh_index_verified_with(rebuild, bar)?;
    println!(
        "{}",
        output::index_report(&report, ws.corpus.sources.len(), started.elapsed())
    );
    Ok(ExitCode::SUCCESS)
}

/// A search that rebuilds a damaged index and searches again, saying so on stderr.
pub(crate) fn healing_search<T>(
    config: &Config,
    searcher: &mut crate::index::search::Searcher,
    bar: &progress::Bar,
    search: impl Fn(&crate::index::search::Searcher) -> Result<T, Error>,
) -> Result<T, Error> {
    let (found, healed) = workspace::search_healing(config, searcher, bar, search)?;
    if let Some(reason) = healed {
        eprintln!("visgraat: warning: {reason}: rebuilt it from the corpus and searched again");
    }
    Ok(found)
}

fn parse_choice<T>(
    value: Option<&str>,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
    choices: &str,
) -> Result<Option<T>, Error> {
    value
        .map(|v| {
            parse(v)
                .ok_or_else(|| Error::Usage(format!("unknown {what} {v:?}: use one of {choices}")))
        })
        .transpose()
}

/// A fishbone level of `book` (its own levels, else the monitor's five).
fn parse_level(
    book: &crate::corpus::codebook::Codebook,
    value: Option<&str>,
    what: &str,
) -> Result<Option<crate::corpus::codebook::Level>, Error> {
    let names: Vec<&str> = book.levels().iter().map(|l| l.as_str()).collect();
    parse_choice(value, what, |v| book.level(v), &names.join(", "))
}

/// Say which codings opening the workspace put back on their text, and how.
pub(crate) fn print_healed(ws: &Workspace) {
    for h in &ws.healed {
        let how = match &h.anchor {
            Anchor::Exact { .. } => "its text moved".to_string(),
            Anchor::Whitespace { .. } => "its text moved and was re-spaced".to_string(),
            Anchor::Fuzzy { edits, .. } => {
                format!("its text was edited ({edits} changes, the same words)")
            }
            Anchor::Unsure { doubt, proposal } => {
                let place = proposal.map_or(String::new(), |(s, e)| {
                    format!("; `visgraat check --accept {}` places it at {s}..{e}", h.id)
                });
                println!(
                    "{}: coding {} needs review: {}; it stays where it was and counts nowhere{place}",
                    h.path.display(),
                    h.id,
                    doubt.describe()
                );
                continue;
            }
            Anchor::Unchanged | Anchor::Orphaned => continue,
        };
        println!("{}: re-anchored coding {}: {how}", h.path.display(), h.id);
    }
}
