//! Every form in tests/fixtures/import/, read turn by turn: the speaker of each paragraph,
//! the words in and out, and telling lines of the body; then every fixture imported with
//! `--pseudonymise`, and no real name in corpus/ or in any export. Most fixtures are
//! synthetic (named so); `qualcoder-transcript.txt` and `webvtt-py-*.vtt` are real public
//! files (tests/fixtures/import/SOURCES.md).

mod common;

use std::path::PathBuf;

use visgraat::corpus::source::{SourceKind, segments};

struct Form {
    file: &'static str,
    form: &'static str,
    encoding: Option<&'static str>,
    /// The speaker of each paragraph, `·` for a paragraph nobody says.
    speakers: &'static str,
    /// Words read and written (a speaker's label stands once for their consecutive cues).
    words: (usize, usize),
    lines: &'static [&'static str],
}

const FORMS: &[Form] = &[
    Form {
        file: "qualcoder-transcript.txt",
        form: "text",
        encoding: Some("UTF-8"),
        speakers: "Id1 Id2 Id3 Id1 Id3 Id1 Id2",
        words: (169, 169),
        lines: &[
            "Id1: hello, I like the course. It really helped me",
            "\n\nId2: Hmm, I will ask the tutor",
        ],
    },
    Form {
        file: "synthetic-dialoog-team-j.srt",
        form: "SubRip",
        encoding: Some("UTF-8"),
        speakers: "Moderator Tom Anna Tom Anna Moderator Tom",
        words: (69, 69),
        lines: &[
            "[00:00:01] Moderator: Welkom bij de focusgroep van team J. Dit gesprek is synthetisch, verzonnen voor tests. Wie wil er beginnen?\n\n[00:00:05] Tom: Ik wel.\n\n[00:00:05] Anna: Ga je gang.\n",
            "[00:00:08] Tom: Bij ons is de werkdruk het grootste probleem. We hebben twee vacatures die al een jaar openstaan. En de invallers wisselen steeds.\n",
            "[00:00:14] Anna: Dat herken ik. Bij ons ook.\n",
        ],
    },
    Form {
        file: "synthetic-focusgroep-haakjes.txt",
        form: "text",
        encoding: Some("UTF-8"),
        speakers: "· Sanne_de_Boer P3 Dr._Smit Mw._Yilmaz Sanne_de_Boer P3 Dr._Smit Mw._Yilmaz",
        words: (113, 113),
        lines: &[
            "\n[00:00:03] Sanne de Boer (ROC Oost): Goedemiddag, ik ben Sanne",
            "\n[00:00:09] P3 (vrouw, 34): En ik ben docent",
            "\n[00:00:14] Dr. Smit: Ik kijk",
            "\n[00:00:20] Mw. Yilmaz (gemeente): Ik werk",
        ],
    },
    Form {
        file: "synthetic-focusgroep-otter.txt",
        form: "text",
        encoding: Some("UTF-8"),
        speakers: "· Petra_Jansen Bram_de_Wit Petra_Jansen Bram_de_Wit Speaker_3 Petra_Jansen",
        words: (85, 85),
        lines: &[
            "\n[0:05] Petra Jansen: Dank je wel dat jullie er allemaal zijn.",
            "\n[0:12] Bram de Wit: Ik ben Bram, ik geef les bij de opleiding logistiek. Vooral eerstejaars.\n",
        ],
    },
    Form {
        file: "synthetic-focusgroep-team-b.txt",
        form: "text",
        encoding: Some("UTF-8 with BOM"),
        speakers: "· Moderator Docent_1 P3 Noor Sam INTERVIEWER_1 Docent_1 ·",
        words: (100, 100),
        lines: &["\n[01:12] P3: Bij ons"],
    },
    Form {
        file: "synthetic-focusgroep-team-c.vtt",
        form: "WebVTT",
        encoding: Some("UTF-8"),
        speakers: "Moderator Docent_2 Teamleider",
        words: (40, 38),
        lines: &[
            "[00:00:07] Docent 2: Hoog. We vangen veel op voor collega's die ziek zijn, en de administratie komt daar nog bij.\n",
        ],
    },
    Form {
        file: "synthetic-focusgroep-team-d.srt",
        form: "SubRip",
        encoding: Some("UTF-8"),
        speakers: "Moderator P2",
        words: (22, 22),
        lines: &[
            "[00:00:05] P2: Dat de student zelf vertelt wat hij nodig heeft. En dat wij dat vooraf weten.\n",
        ],
    },
    Form {
        file: "synthetic-focusgroep-team-f.md",
        form: "text",
        encoding: Some("UTF-8"),
        speakers: "· · Moderator Docent_1 Student_2 Moderator Docent_1",
        words: (68, 68),
        lines: &["\n\nModerator: Herkennen jullie dat?\n\n"],
    },
    Form {
        file: "synthetic-focusgroep-team-k-tabel.docx",
        form: "Word",
        encoding: None,
        speakers: "· · · · Moderator Bram_Hendriks Lotte_Vermeulen Moderator Bram_Hendriks Lotte_Vermeulen ·",
        words: (88, 88),
        lines: &[
            "\n\nDatum: 12 maart 2024\n\nLocatie: Apeldoorn\n\nTijd | Spreker | Tekst\n\n[00:00:04] Moderator: Welkom.",
            "\n[00:00:26] Bram Hendriks: Dat we elkaar snel weten te vinden. Lotte zit twee deuren verderop, dat scheelt.\n",
        ],
    },
    Form {
        file: "synthetic-gesprek-team-e.docx",
        form: "Word",
        encoding: None,
        speakers: "· Moderator Docent_3 Mentor",
        words: (41, 41),
        lines: &["\n\nDocent 3: Dat we kijken wat een student nodig heeft & dat ook doen.\n"],
    },
    Form {
        file: "synthetic-gesprek-utf16.txt",
        form: "text",
        encoding: Some("UTF-16LE (BOM)"),
        speakers: "· Moderator Zorgcoördinator Moderator Zorgcoördinator",
        words: (48, 48),
        lines: &[
            "\nZorgcoördinator: Dat is een ander verhaal… daar gaat veel tijd in zitten, € 40 per uur.\n",
        ],
    },
    Form {
        file: "synthetic-gesprek-windows-1252.txt",
        form: "text",
        encoding: Some("Windows-1252/Latin-1"),
        speakers: "· Moderator Zorgcoördinator Moderator Zorgcoördinator",
        words: (47, 47),
        lines: &["\nZorgcoördinator: Goed, al is het soms “zoeken” naar de juiste persoon.\n"],
    },
    Form {
        file: "synthetic-interview-kleine-letters.txt",
        form: "text",
        encoding: Some("UTF-8"),
        speakers: "· · · · · Interviewer Interviewee Interviewer Interviewee Interviewer Interviewee Interviewer",
        words: (116, 116),
        lines: &[
            "\n\nDatum: 4 april 2024\n\nPlaats: Zwolle\n\nDuur: 42 minuten\n\nDeelnemers: Femke Visser, Ruud Kuipers\n\nInterviewer: Fijn dat je tijd hebt.",
            "\n\nInterviewee: Een jaar of zes nu. Eerst bij zorg en welzijn, sinds vorig jaar bij de entree-opleiding.\n",
        ],
    },
    Form {
        file: "synthetic-regel-per-beurt.txt",
        form: "text",
        encoding: Some("UTF-8"),
        speakers: "Moderator Docent_1 Docent_1 Docent_2 Moderator Docent_2 Teamleider",
        words: (71, 71),
        lines: &["\n\nDocent 1: Bij ons loopt de overdracht van het vmbo goed.\n\n"],
    },
    Form {
        file: "synthetic-teams-overleg.vtt",
        form: "WebVTT",
        encoding: Some("UTF-8"),
        speakers: "Sanne_de_Boer Jansen_Petra Sanne_de_Boer Ahmed_el-amrani@roc-oost_example",
        words: (63, 61),
        lines: &[
            "[00:00:01] Sanne de Boer (ROC Oost): Goedemorgen allemaal, fijn dat jullie kunnen.\n",
            "[00:00:05] Jansen Petra: Goedemorgen. Ik heb de cijfers van het eerste kwartaal meegenomen. Het verzuim is iets gedaald & de uitval ook.\n",
        ],
    },
    Form {
        file: "synthetic-verslag-regel-per-alinea.txt",
        form: "text",
        encoding: Some("UTF-8"),
        speakers: "· · · · ·",
        words: (72, 72),
        lines: &["\n\nHet gesprek ging over de eerste weken van het schooljaar.\n\n"],
    },
    Form {
        file: "synthetic-zoom-een-spreker.vtt",
        form: "WebVTT",
        encoding: Some("UTF-8"),
        speakers: "Karin_Mulder Karin_Mulder Karin_Mulder Karin_Mulder",
        words: (340, 300),
        lines: &[
            "die zei: we gaan dit samen regelen. Dat klinkt",
            "Dat geeft een soort rust <lacht>.",
            "\n\n[00:00:27] Karin Mulder: Wat doe jij als een student niet komt opdagen? Wie bel je dan?",
        ],
    },
    Form {
        file: "webvtt-py-cue-tags.vtt",
        form: "WebVTT",
        encoding: Some("UTF-8"),
        speakers: "·",
        words: (15, 15),
        lines: &["[00:00:16] When the moon hits your eye Like a big-a pizza pie That's amore\n"],
    },
    Form {
        file: "webvtt-py-teams-timeframe.vtt",
        form: "WebVTT",
        encoding: Some("UTF-8"),
        speakers: "Yuri_Bakulin Adrian_Petrescu",
        words: (11, 11),
        lines: &[
            "[00:00:00] Yuri Bakulin: There you go.\n\n[00:00:00] Adrian Petrescu: Why hello there, Yuri.\n",
        ],
    },
];

fn fixture(name: &str) -> PathBuf {
    common::repo_root().join("tests/fixtures/import").join(name)
}

#[test]
fn every_form_reads_turn_by_turn_and_keeps_every_word() {
    for form in FORMS {
        let reading = visgraat::import::read(&fixture(form.file), false)
            .unwrap_or_else(|e| panic!("{}: {e}", form.file));
        let speakers: Vec<String> = segments(&reading.body, SourceKind::Transcript, &[])
            .into_iter()
            .map(|s| s.speaker.map_or("·".to_string(), |s| s.replace(' ', "_")))
            .collect();
        assert_eq!(
            speakers.join(" "),
            form.speakers,
            "{}:\n{}",
            form.file,
            reading.body
        );
        assert_eq!(reading.form.name(), form.form, "{}", form.file);
        assert_eq!(
            reading.encoding.map(|e| e.name()),
            form.encoding,
            "{}",
            form.file
        );
        let words = reading.words.expect("the word check ran");
        assert_eq!(
            (words.words_in, words.words_out),
            form.words,
            "{}",
            form.file
        );
        for line in form.lines {
            assert!(
                reading.body.contains(line),
                "{}: {line:?} in\n{}",
                form.file,
                reading.body
            );
        }
    }
    // Every fixture but the PDF text (whose repair has its own test) is listed above.
    let listed: Vec<&str> = FORMS.iter().map(|f| f.file).collect();
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if ![
            "SOURCES.md",
            "synthetic-notitie-pdf-tekst.txt",
            "interview-sanne-jansen.txt",
        ]
        .contains(&name.as_str())
        {
            assert!(
                listed.contains(&name.as_str()),
                "{name} has no expectations here"
            );
        }
    }
}

#[test]
fn a_single_speakers_hour_is_split_into_paragraphs_of_reasonable_length() {
    let reading =
        visgraat::import::read(&fixture("synthetic-zoom-een-spreker.vtt"), false).unwrap();
    for p in segments(&reading.body, SourceKind::Transcript, &[]) {
        let words = p.text.split_whitespace().count();
        assert!((40..=160).contains(&words), "{words} words: {}", p.text);
    }
}
