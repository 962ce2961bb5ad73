//! A transcript paragraph: speaker-turn detection never panics, and a detected speaker is
//! text of the paragraph.
#![no_main]

use libfuzzer_sys::fuzz_target;
use visgraat::corpus::source::parse_turn;

fuzz_target!(|text: &str| {
    let (speaker, timestamp) = parse_turn(text);
    if let Some(speaker) = speaker {
        assert!(!speaker.is_empty());
        assert!(text.contains(speaker.trim()));
    }
    if let Some(timestamp) = timestamp {
        assert!(text.contains(&timestamp));
    }
});
