//! The command line: argument parsing and one function per command. No domain logic lives
//! here; commands call the library and print.

mod import;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::Error;

#[derive(Debug, Parser)]
#[command(name = "visgraat", version, about = "Explore, search and code focus-group findings")]
pub struct Cli {
    /// Project settings.
    #[arg(long, global = true, default_value = "config.toml")]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
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
}

/// Exit codes: 0 ok, 1 no result where one was required, 2 bad input.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("visgraat: {err}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    let config = crate::config::Config::load(&cli.config)?;
    match cli.command {
        Some(Command::ImportPlan { plan, from, check }) => {
            import::run(&plan, &from, &config.corpus, check)?;
            Ok(ExitCode::SUCCESS)
        }
        None => Err(Error::Usage("no command given: see `visgraat --help`".into())),
    }
}
