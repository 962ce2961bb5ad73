//! Nothing lost, for any input of every form: whatever a text, Markdown, WebVTT, SubRip or
//! Word transcript holds, the import's reading passes its own word check (it never refuses
//! a file for lost words, because none are lost), and the check does catch a word taken out.

use std::path::Path;

use proptest::prelude::*;
use visgraat::import::docx::{Block, read_blocks};
use visgraat::import::paragraphs::Paragraph;
use visgraat::import::word_check::check;
use visgraat::import::{Form, read_text};

/// Words of what is said; none is a name, so taking one out is always a change.
const WORDS: &[&str] = &[
    "werkdruk",
    "intake",
    "student",
    "mentor",
    "zorg",
    "overdracht",
    "gemeente",
    "tijd",
    "ja",
    "nee",
    "dus",
    "école",
    "coördinator",
    "10",
    "2024",
];
const NAMES: &[&str] = &[
    "Moderator",
    "Docent 2",
    "P3",
    "Sanne de Boer",
    "interviewer",
    "Dr. Smit",
    "Mw. Yilmaz",
    "id1",
    "Jansen, Petra",
    "INTERVIEWER 1",
];

/// Text of a turn: words with the punctuation, times and brackets transcribers type.
fn said() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(WORDS).prop_map(str::to_string),
        1 => prop::sample::select(vec![",", ".", "?", ":", "(lacht)", "[onverstaanbaar]", "10:30", "'s", "&", "-", "…", "“ja”"])
            .prop_map(str::to_string),
        1 => "\\PC{1,6}",
    ];
    prop::collection::vec(piece, 0..10).prop_map(|p| p.join(" "))
}

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_string)
}

/// A line of a text transcript in one of the forms, or anything else.
fn text_line() -> impl Strategy<Value = String> {
    prop_oneof![
        (name(), said()).prop_map(|(n, s)| format!("{n}: {s}")),
        (name(), said()).prop_map(|(n, s)| format!("[00:12:03] {n} (ROC Oost): {s}")),
        (name(), said()).prop_map(|(n, s)| format!("(12:30) {n}: {s}")),
        (name(), said()).prop_map(|(n, s)| format!("[{n}] {s}")),
        (name(), said()).prop_map(|(n, s)| format!("**{n}:** {s}")),
        (name(), said()).prop_map(|(n, s)| format!("@{n}: {s}")),
        (name(), 0..70u32).prop_map(|(n, t)| format!("{n}  {}:{:02}", t / 60, t % 60)),
        said().prop_map(|s| format!("Datum: {s}")),
        said(),
        Just(String::new()),
        "\\PC{0,20}",
    ]
}

fn text_file() -> impl Strategy<Value = String> {
    prop::collection::vec(text_line(), 1..14).prop_map(|l| l.join("\n"))
}

/// A cue line: a voice tag, a dialogue dash, a label, styling tags, entities.
fn cue_line() -> impl Strategy<Value = String> {
    prop_oneof![
        (name(), said()).prop_map(|(n, s)| format!("<v {n}>{s}</v>")),
        (name(), said()).prop_map(|(n, s)| format!("<v.loud {n}><c.yellow>{s}</c>")),
        (name(), said()).prop_map(|(n, s)| format!("- {n}: {s}")),
        (name(), said()).prop_map(|(n, s)| format!("<i>{n}:</i> {s}")),
        said().prop_map(|s| format!("{s} &amp; &lt;b&gt; &apos;t &#233;")),
        said(),
        Just(String::new()),
    ]
}

fn subtitle_file(vtt: bool) -> impl Strategy<Value = String> {
    let cue = (
        0..7200u32,
        1..9u32,
        prop::collection::vec(cue_line(), 1..4),
        any::<bool>(),
    );
    prop::collection::vec(cue, 1..10).prop_map(move |cues| {
        let mut out = if vtt {
            "WEBVTT\n\nNOTE synthetisch\n\n".to_string()
        } else {
            String::new()
        };
        for (n, (start, length, lines, numbered)) in cues.into_iter().enumerate() {
            let clock = |s: u32| {
                let sep = if vtt { '.' } else { ',' };
                format!("{:02}:{:02}:{:02}{sep}250", s / 3600, s / 60 % 60, s % 60)
            };
            if numbered || !vtt {
                out.push_str(&format!("{}\n", n + 1));
            }
            out.push_str(&format!("{} --> {}\n", clock(start), clock(start + length)));
            out.push_str(&lines.join("\n"));
            out.push_str("\n\n");
        }
        out
    })
}

fn word_body() -> impl Strategy<Value = Vec<Block>> {
    let block = prop_oneof![
        text_line().prop_map(Block::Paragraph),
        (
            proptest::option::of("0[0-9]:[0-5][0-9]:[0-5][0-9]"),
            prop_oneof![name(), Just(String::new()), Just("Spreker".to_string())],
            said(),
            any::<bool>()
        )
            .prop_map(|(time, speaker, text, heading)| {
                let mut cells: Vec<String> = time.into_iter().collect();
                if heading {
                    cells.extend(["Spreker".to_string(), "Tekst".to_string()]);
                } else {
                    cells.extend([speaker, text]);
                }
                Block::Row(cells)
            }),
    ];
    prop::collection::vec(block, 1..12)
}

/// True for a reading that kept every word (or a file that holds no text at all).
fn keeps_every_word(form: Form, text: &str) -> Result<(), TestCaseError> {
    match read_text(Path::new("t"), form, text) {
        Ok(_) => Ok(()),
        Err(e) if e.to_string().contains("the file holds no text") => Ok(()),
        Err(e) => Err(TestCaseError::fail(format!("{e}\n--- input:\n{text}"))),
    }
}

/// The paragraphs with the first word of `WORDS` in their text taken out, if there is one.
fn without_a_word(paragraphs: &[Paragraph]) -> Option<Vec<Paragraph>> {
    for (i, p) in paragraphs.iter().enumerate() {
        let text = p.text();
        let chunks: Vec<&str> = text.split(' ').collect();
        if let Some(at) = chunks
            .iter()
            .position(|c| WORDS.contains(c) && c.parse::<u32>().is_err())
        {
            let mut left = chunks.clone();
            left.remove(at);
            let mut out = paragraphs.to_vec();
            out[i] = match p {
                Paragraph::Turn { time, label, .. } => {
                    Paragraph::turn(time.clone(), label.clone(), &left.join(" "))
                }
                Paragraph::Plain { header, .. } => Paragraph::Plain {
                    text: left.join(" "),
                    header: *header,
                },
            };
            return Some(out);
        }
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn text_transcripts_keep_every_word(text in text_file()) {
        keeps_every_word(Form::Text, &text)?;
    }

    #[test]
    fn webvtt_keeps_every_word(text in subtitle_file(true)) {
        keeps_every_word(Form::WebVtt, &text)?;
    }

    #[test]
    fn subrip_keeps_every_word(text in subtitle_file(false)) {
        keeps_every_word(Form::SubRip, &text)?;
    }

    #[test]
    fn word_files_keep_every_word(blocks in word_body()) {
        let (paragraphs, read) = read_blocks(&blocks);
        prop_assert!(check(&read, &paragraphs).is_ok(), "{blocks:?}\n{paragraphs:?}");
    }

    #[test]
    fn a_word_taken_out_is_caught(text in text_file()) {
        if let Ok(reading) = read_text(Path::new("t"), Form::Text, &text)
            && let Some(fewer) = without_a_word(&reading.paragraphs)
        {
            prop_assert!(check(&text, &fewer).is_err(), "{text}\n{fewer:?}");
        }
    }
}
