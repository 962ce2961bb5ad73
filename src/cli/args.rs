//! The command line's grammar: every command and its options, as clap reads them. What each
//! command does is in its own module; `run` in mod.rs dispatches.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use super::{case, codes, export, framework, icr, saturation, speakers, suggest};

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
    /// Keep a watch on the project's files, so that searches need not stat every file to
    /// know the index is fresh. Runs until stopped (Ctrl-C), the project folder goes away,
    /// or no search asked for --idle minutes.
    Watch {
        /// Stop after this many minutes without a search (default: run until stopped).
        #[arg(long, value_name = "MINUTES")]
        idle: Option<u64>,
        /// Stop the watcher that runs for this project (one a search started, too).
        #[arg(long, conflicts_with = "idle")]
        stop: bool,
    },
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
        /// The file's path in the repository (git's %P), for messages: the others are
        /// git's temporary files.
        path: Option<PathBuf>,
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
    /// Draw the TUI's first frame without a terminal, print it and exit (start-up
    /// benchmark): the frame drawn from the index's catalogue while the workspace loads.
    #[command(hide = true)]
    FirstFrame {
        #[arg(long, default_value_t = 140)]
        width: u16,
        #[arg(long, default_value_t = 40)]
        height: u16,
        /// The first frame drawn once the workspace is loaded (the first that acts on keys).
        #[arg(long)]
        loaded: bool,
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
