//! A source file: front matter and body. Parsing never panics; a parsed source can be
//! segmented, sliced and rendered, and the rendering parses back to the same source.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use visgraat::corpus::source::Source;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(source) = Source::parse(Path::new("fuzz.md"), text) else {
        return;
    };
    for segment in source.segments() {
        assert!(source.slice(segment.start, segment.end).is_some());
    }
    let again = Source::parse(Path::new("fuzz.md"), &source.render()).expect("rendered source parses");
    assert_eq!(again.body, source.body);
    assert_eq!(again.meta, source.meta);
});
