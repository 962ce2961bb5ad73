//! `visgraat import` of REFI-QDA projects (.qdpx) and code books (.qdc): what came in, what
//! was there already, what disagrees and what was left out, in plain text.

use std::path::Path;

use crate::config::Config;
use crate::qdpx::import::{Options, Report};

/// Whether `file` is for this module: a .qdpx or .qdc.
pub(super) fn handles(file: &Path) -> bool {
    file.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("qdpx") || e.eq_ignore_ascii_case("qdc"))
}

/// Import one .qdpx or .qdc.
pub(super) fn run(config: &Config, file: &Path, replace: bool) -> crate::error::Result<Report> {
    let is_qdc = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("qdc"));
    if is_qdc {
        crate::qdpx::qdc::import(&config.corpus, file)
    } else {
        crate::qdpx::import::import_with(&config.corpus, file, Options { replace })
    }
}

/// Import one .qdpx or .qdc and say how it went; false when it failed.
pub(super) fn import(config: &Config, file: &Path, replace: bool) -> bool {
    match run(config, file, replace) {
        Ok(r) => {
            print(file, &r);
            true
        }
        Err(e) => {
            eprintln!("visgraat: {e}");
            false
        }
    }
}

fn print(file: &Path, r: &Report) {
    println!(
        "{}: {} sources, {} new codes, {} new cases, {} codings, {} memos",
        file.display(),
        r.sources,
        r.codes,
        r.cases,
        r.codings,
        r.memos
    );
    if r.sources_known > 0 {
        println!("  already in the project: {} sources", r.sources_known);
    }
    if let Some(counting) = &r.counting {
        println!("  positions counted in {counting}");
    }
    if let Some(path) = &r.kept_aside_file {
        println!(
            "  kept aside: {} selections that could not be placed with certainty (listed in {})",
            r.kept_aside,
            path.display()
        );
    }
    for c in &r.conflicts {
        println!("  conflict: {c}");
    }
    for s in &r.skipped {
        println!("  skipped: {s}");
    }
}
