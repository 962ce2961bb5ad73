//! Commands about the project and the tool rather than its data: `init`, shell completions
//! and the man page.

use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;

use crate::error::Error;
use crate::workspace::init::{self, InitOptions, Template};

use super::Cli;

pub(super) fn init(
    dir: &Path,
    title: Option<String>,
    language: &str,
    template: &str,
) -> Result<ExitCode, Error> {
    let template = Template::parse(template).ok_or_else(|| {
        Error::Usage(format!(
            "unknown template {template:?}: use fishbone, monitor or empty"
        ))
    })?;
    let options = InitOptions {
        title,
        language: language.to_string(),
        template,
    };
    let report = init::init(dir, &options)?;
    for file in &report.files {
        println!("wrote {}", file.display());
    }
    match &report.merge_driver {
        Ok(()) => println!("registered the git merge driver for codings files (git config)"),
        Err(why) => println!(
            "note: the git merge driver for codings files is not registered ({why}); after `git init`, run: git config merge.visgraat.name \"visgraat codings (by coding id)\" && git config merge.visgraat.driver \"visgraat merge-driver %O %A %B %P\""
        ),
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    println!("\nNext / Verder:");
    println!(
        "  {cd}visgraat import FOCUSGROEP.txt --new-case fg-1    # a transcript, in a new case"
    );
    println!(
        "  visgraat codes add \"Tekort aan tijd\" --level team --valence - --definition \"…\""
    );
    println!("  visgraat                                         # the TUI: read, search, code");
    Ok(ExitCode::SUCCESS)
}

/// A completion script for `shell` on stdout.
pub(super) fn completions(shell: &str) -> Result<ExitCode, Error> {
    use clap_complete::Shell;
    let shell = match shell {
        "bash" => Shell::Bash,
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        other => {
            return Err(Error::Usage(format!(
                "no completions for {other:?}: use bash, zsh or fish"
            )));
        }
    };
    clap_complete::generate(
        shell,
        &mut Cli::command(),
        "visgraat",
        &mut std::io::stdout(),
    );
    Ok(ExitCode::SUCCESS)
}

/// The man page (roff) on stdout: `visgraat man > visgraat.1`.
pub(super) fn man() -> Result<ExitCode, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Error::Usage(format!("man page: {e}")))?;
    use std::io::Write;
    std::io::stdout()
        .write_all(&out)
        .map_err(|e| Error::io("stdout", e))?;
    Ok(ExitCode::SUCCESS)
}
