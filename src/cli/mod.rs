//! The command line: argument parsing and one function per command. No domain logic lives
//! here; commands call the library and print.

mod analysis;
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

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use crate::coding::anchor::Anchor;
use crate::config::Config;
use crate::error::Error;
use crate::workspace::{self, Workspace};

#[derive(Debug, Parser)]
#[command(
    name = "visgraat",
    version,
    about = "Explore, search and code focus-group findings"
)]
pub struct Cli {
    /// Project settings.
    #[arg(long, global = true, default_value = "config.toml")]
    pub config: PathBuf,
    /// No progress bars (they are drawn only on a terminal, on stderr, anyway).
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a new project in DIR (default: here): config, corpus, code book, cases.
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The project's title (default: the directory's name).
        #[arg(long)]
        title: Option<String>,
        /// nl or en.
        #[arg(long, default_value = "nl")]
        language: String,
        /// The code book to start from: fishbone (five levels, no codes), monitor (the
        /// shipped monitor's codes) or empty.
        #[arg(long, default_value = "fishbone")]
        template: String,
    },
    /// The code book: list, add, rename, merge, split, move or delete codes.
    #[command(subcommand)]
    Codes(codes::CodesCommand),
    /// Cases and their attributes: list, add, set, remove, or assign a source to one.
    #[command(subcommand)]
    Case(case::CaseCommand),
    /// A shell completion script: bash, zsh or fish.
    Completions { shell: String },
    /// The man page (roff) on stdout.
    Man,
    /// Build or refresh the full-text index (only changed sources are re-indexed).
    Index {
        /// Rebuild from scratch.
        #[arg(long)]
        rebuild: bool,
    },
    /// Search passages (or quotes, or codes): words AND, "phrases", OR, NOT / -word.
    Search(SearchArgs),
    /// Code a span of a source: by --match TEXT, or by START END char offsets.
    Code {
        /// Source id.
        source: String,
        /// START END CODE, or just CODE with --match.
        #[arg(required = true, num_args = 1..=3)]
        args: Vec<String>,
        /// The exact text to code (must occur once in the source).
        #[arg(long = "match", value_name = "TEXT")]
        text: Option<String>,
        /// Coder name (default from config.toml / $VISGRAAT_CODER / $USER).
        #[arg(long)]
        coder: Option<String>,
        /// Why this code fits this passage.
        #[arg(long, default_value = "")]
        memo: String,
        #[arg(long)]
        json: bool,
    },
    /// Fishbone counts per level × valence and per factor code.
    Stats {
        /// Count one coder's codings only.
        #[arg(long)]
        coder: Option<String>,
        /// Passages per case and bone.
        #[arg(long)]
        by_case: bool,
        /// Codings per coder and bone.
        #[arg(long)]
        by_coder: bool,
        /// Count the machine coder's suggestions too (left out by default).
        #[arg(long)]
        include_machine: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show the memos on a code, source or case, or write yours (empty text removes it).
    Memo {
        /// code:ID, source:ID or case:ID.
        target: String,
        /// The memo; without it, the memos on TARGET are shown.
        text: Option<String>,
        /// Author (default: the coder from config.toml).
        #[arg(long)]
        coder: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Inter-coder agreement per code, fishbone level and overall (κ, α, % agreement).
    Agreement {
        /// Coders to compare, comma-separated (default: every coder).
        #[arg(long, value_delimiter = ',')]
        coders: Vec<String>,
        /// Count every paragraph as a unit, headings, title lines and notes too (default:
        /// running text only).
        #[arg(long, conflicts_with = "round")]
        all_units: bool,
        /// The units of reliability round N only (see `icr sample`), with the table across
        /// rounds.
        #[arg(long)]
        round: Option<u32>,
        /// With --round: flag codes whose alpha is below this.
        #[arg(long, default_value_t = 0.8, requires = "round")]
        min_alpha: f64,
        /// Compare the machine coder's suggestions too, as a coder (left out by default).
        #[arg(long, conflicts_with = "round")]
        include_machine: bool,
        #[arg(long)]
        json: bool,
    },
    /// Propose codings for uncoded passages from the coded ones, each with its reasons
    /// (stored as the machine coder `suggesties`); accept or reject one; or --evaluate.
    Suggest(suggest::SuggestArgs),
    /// The passages that support a claim (a sentence of your report), best first.
    Evidence {
        claim: String,
        /// Quote records first.
        #[arg(long)]
        quotes: bool,
        /// At most this many passages (1 or more).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Reliability rounds (O'Connor & Joffe 2020): draw units to double-code, list rounds.
    Icr {
        #[command(subcommand)]
        command: icr::IcrCommand,
    },
    /// Thematic saturation (Guest, Namey & Chen 2020): new codes per source in the order the
    /// sources were held, the share of new information per run, and where it is met.
    Saturation(saturation::SaturationArgs),
    /// Framework matrices (Gale et al. 2013): a summary per case × code, with the codings
    /// that support it.
    Framework {
        #[command(subcommand)]
        command: framework::FrameworkCommand,
    },
    /// Matrices: code co-occurrence, or passages per fishbone bone × case.
    Matrix {
        /// cooccurrence or level-case.
        kind: String,
        /// Count one coder's codings only.
        #[arg(long)]
        coder: Option<String>,
        /// table, csv, json, or xlsx (with -o FILE).
        #[arg(long, default_value = "table")]
        format: String,
        /// The file to write (xlsx).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// The same as --format json.
        #[arg(long)]
        json: bool,
    },
    /// Merge a codings file for git by coding id (git runs this: see README, "Two coders, one
    /// repository"); exit 1 leaves a conflict marked in the file.
    MergeDriver {
        base: PathBuf,
        ours: PathBuf,
        theirs: PathBuf,
    },
    /// Validate the corpus: files, front matter, codes, coding and quote anchors. Reports
    /// re-anchoring without writing it, unless --fix.
    Check {
        /// Write the re-anchoring found (sure moves; codings marked for review or orphaned)
        /// to the codings files, and store every coding's surroundings.
        #[arg(long)]
        fix: bool,
        /// Place the coding ID that waits for review where its review proposes.
        #[arg(long, value_name = "ID")]
        accept: Vec<String>,
        /// The problems as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Build corpus sources from extracted documents by a reviewed import plan.
    ImportPlan {
        /// The plan (e.g. corpus/import/seeds.toml).
        plan: PathBuf,
        /// The directory holding the plan's documents.
        #[arg(long)]
        from: PathBuf,
        /// Compare with the corpus instead of writing; fail on any difference.
        #[arg(long)]
        check: bool,
    },
    /// Import transcripts (plain text or Markdown) as sources; the same file again changes
    /// nothing, a changed file replaces its source and its codings follow.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// transcript, intermezzo, report or letter.
        #[arg(long, default_value = "transcript")]
        kind: String,
        /// The case (focus group) the files belong to; without it a re-imported source keeps
        /// its case.
        #[arg(long, conflicts_with = "no_case")]
        case: Option<String>,
        /// The files' case, made if it does not exist yet (its label the id).
        #[arg(long, value_name = "ID", conflicts_with_all = ["case", "no_case"])]
        new_case: Option<String>,
        /// Take re-imported sources out of their case.
        #[arg(long)]
        no_case: bool,
        /// Replace participants' names (as speakers and in the text) by stable pseudonyms; the
        /// key goes to config.toml's pseudonym_key, outside corpus/.
        #[arg(long)]
        pseudonymise: bool,
        /// The files are text extracted from PDFs: repair wrapped lines, hyphenation, page
        /// debris and footnotes as the shipped corpus's import does.
        #[arg(long)]
        pdf_text: bool,
        /// List per file the speakers and their turns, the header lines and the word check,
        /// and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// What was imported, as one JSON object.
        #[arg(long)]
        json: bool,
        /// A .qdpx source the project has (same GUID) with other text: take the file's text
        /// (without it such a source is left as it is and reported).
        #[arg(long)]
        replace: bool,
    },
    /// Speakers of a transcript: list them, or rename or merge a mislabelled one (the
    /// codings follow their text).
    #[command(subcommand)]
    Speakers(speakers::SpeakersCommand),
    /// Pseudonyms: `check` lists every real name of the key still in corpus/ or in the
    /// export files given, with file and line.
    #[command(subcommand)]
    Pseudonyms(speakers::PseudonymsCommand),
    /// Export the selected codings: Markdown citations in fishbone order, or CSV rows.
    Export(export::ExportArgs),
    /// Generate a synthetic corpus for benchmarks (word frequencies from this corpus).
    Generate {
        /// A new directory: gets corpus/ and config.toml.
        out: PathBuf,
        /// Text size: 1MB, 10MB, 100MB, …
        #[arg(long, default_value = "1MB")]
        size: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Apply a script of TUI actions to the TUI's state, without a terminal (the kill
    /// harness for TUI edits).
    #[command(hide = true)]
    Replay {
        script: PathBuf,
        /// After each step, print the coding ids on disk.
        #[arg(long)]
        trace: bool,
    },
    /// Open the TUI's first frame without a terminal, print it and exit (start-up benchmark).
    #[command(hide = true)]
    FirstFrame {
        #[arg(long, default_value_t = 140)]
        width: u16,
        #[arg(long, default_value_t = 40)]
        height: u16,
    },
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    pub query: String,
    /// transcript, intermezzo, report or letter.
    #[arg(long)]
    pub kind: Option<String>,
    /// Case (focus group) id.
    #[arg(long)]
    pub case: Option<String>,
    #[arg(long)]
    pub speaker: Option<String>,
    /// Fishbone level of the codes: beleid, team, individu, doelgroep, maatschappij.
    #[arg(long)]
    pub factor: Option<String>,
    /// + (bevorderend) or - (belemmerend).
    #[arg(long, allow_hyphen_values = true)]
    pub valence: Option<String>,
    /// Code id.
    #[arg(long)]
    pub code: Option<String>,
    /// Only passages coded by this coder.
    #[arg(long)]
    pub coder: Option<String>,
    /// Voice of quotes: focusgroep, student, gemeente, instelling, onbekend (implies --quotes).
    #[arg(long)]
    pub voice: Option<String>,
    /// Search quote records instead of passages.
    #[arg(long)]
    pub quotes: bool,
    /// Search the code book (labels and definitions).
    #[arg(long, conflicts_with = "quotes")]
    pub codes: bool,
    /// Search the memos on codes, sources and cases.
    #[arg(long, conflicts_with_all = ["quotes", "codes"])]
    pub memos: bool,
    /// At most this many hits (1 or more; 0 is refused).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
    /// One JSON array of hits.
    #[arg(long)]
    pub json: bool,
}

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
fn merge_driver(base: &Path, ours: &Path, theirs: &Path) -> Result<ExitCode, Error> {
    if crate::coding::merge_driver::run(base, ours, theirs)? {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "visgraat: {}: a coding changed on both sides; the file marks it (visgraat check explains)",
            ours.display()
        );
        Ok(ExitCode::from(1))
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    if let Some(Command::MergeDriver { base, ours, theirs }) = &cli.command {
        return merge_driver(base, ours, theirs);
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
        crate::tui::check_terminal()?;
        // The bar goes before the TUI takes the screen.
        let ws = Workspace::open_with(config, &progress::Bar::new(cli.quiet))?;
        crate::tui::run(ws, &cli.config)?;
        return Ok(ExitCode::SUCCESS);
    };
    // Ctrl-C stops long work at its next check, before it writes; the TUI reads Ctrl-C as a
    // key, so only commands get this.
    crate::progress::stop_on_ctrl_c();
    let bar = progress::Bar::new(cli.quiet);
    match command {
        Command::Index { rebuild } => index(config, rebuild, &bar),
        Command::Search(args) => search::search(&config, &args, &bar),
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
        Command::MergeDriver { base, ours, theirs } => merge_driver(&base, &ours, &theirs),
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
        Command::FirstFrame { width, height } => {
            print!("{}", crate::tui::first_frame(config, (width, height))?);
            Ok(ExitCode::SUCCESS)
        }
    }
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
