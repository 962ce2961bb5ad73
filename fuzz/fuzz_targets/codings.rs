//! A codings file: parsing never panics, errors name a line of the file, and every parsed
//! coding can be re-anchored in a source without panicking.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use visgraat::coding::{anchor, parse_file};
use visgraat::corpus::source::Source;

static SOURCE: LazyLock<Source> = LazyLock::new(|| {
    Source::parse(
        Path::new("synthetic.md"),
        "+++\nid = \"synthetic\"\nkind = \"transcript\"\ntitle = \"Synthetisch\"\nprovenance = \"synthetic\"\n+++\n\
         Moderator: Wat maakt het werk zwaar?\n\nDocent 1: De werkdruk. Naïef gedacht, maar de klas is te vol.\n\n\
         Docent 2: En de begeleiding komt te laat. 👩‍🏫 日本語\n",
    )
    .expect("the synthetic source parses")
});

fuzz_target!(|text: &str| {
    match parse_file(Path::new("fuzz.toml"), text) {
        Ok(file) => {
            for c in &file.codings {
                let _ = anchor::locate(&SOURCE, c.start, c.end, &c.quote);
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with("fuzz.toml"), "{message}");
        }
    }
});
