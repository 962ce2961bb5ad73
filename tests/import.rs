//! `visgraat import` of transcripts as transcribers deliver them: turn forms, timestamps,
//! BOM and CRLF, re-import without change, re-import after an edit (codings follow), and bad
//! files. The fixture is synthetic (tests/fixtures/import/).

mod common;

use common::Project;

const FIXTURE: &str = "tests/fixtures/import/synthetic-focusgroep-team-b.txt";
const SOURCE: &str = "corpus/sources/transcript/synthetic-focusgroep-team-b.md";

#[test]
fn transcripts_import_once_and_follow_their_edits() {
    let p = Project::shipped();
    let file = p.path().join("synthetic-focusgroep-team-b.txt");
    std::fs::copy(common::repo_root().join(FIXTURE), &file).unwrap();
    let file_arg = file.to_str().unwrap();

    let out = p.expect(0, &["import", file_arg, "--case", "docententeam-aoc-groen"]);
    assert!(out.contains(&format!("added {SOURCE}")), "{out}");
    let written = std::fs::read_to_string(p.path().join(SOURCE)).unwrap();
    assert!(
        written.contains("case = \"docententeam-aoc-groen\""),
        "{written}"
    );
    assert!(written.contains("provenance = \"imported from synthetic-focusgroep-team-b.txt\""));
    for turn in [
        "\n[00:00:05] Moderator: Welkom allemaal.",
        "\n[00:00:31] Docent 1: Eerlijk gezegd de korte lijnen met de zorgcoördinator. Als ik 's ochtends iets zie, weet zij het 's middags al.\n",
        "\n[01:12] P3: Bij ons",
        "\nNoor: Dat herken ik.",
        "\nSam: Omdat ze bang",
        "\nINTERVIEWER 1: Wat zou",
        "\n\nEinde van de opname.\n",
    ] {
        assert!(written.contains(turn), "{turn:?} in\n{written}");
    }
    assert!(!written.contains('\r') && !written.contains('\u{feff}'));
    // Its first line names the file: that is its title, and no unit to sample (found in a
    // new-user trial: `icr sample` drew the title line of imported transcripts).
    let title = "Focusgroep onderwijsteam B — synthetisch transcript (verzonnen voor tests)";
    assert!(
        written.contains(&format!("title = \"{title}\"")),
        "{written}"
    );
    p.expect(
        0,
        &["icr", "sample", "--share", "100%", "--kind", "transcript"],
    );
    let round = std::fs::read_to_string(p.corpus().join("icr/round-1.toml")).unwrap();
    assert!(round.contains("synthetic-focusgroep-team-b"), "{round}");
    assert!(
        !round.contains("start = 0\n"),
        "the title line is no unit: {round}"
    );

    // Speakers are searchable and filterable.
    let hits = p.search(&["zorgcoördinator", "--speaker", "Docent 1"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["case"], "docententeam-aoc-groen");

    // The same file again: nothing changes.
    let out = p.expect(0, &["import", file_arg, "--case", "docententeam-aoc-groen"]);
    assert!(out.contains("unchanged"), "{out}");
    assert_eq!(
        std::fs::read_to_string(p.path().join(SOURCE)).unwrap(),
        written
    );

    // Code a passage, then the transcriber sends a corrected file: the coding follows.
    p.expect(
        0,
        &[
            "code",
            "synthetic-focusgroep-team-b",
            "--match",
            "wij wachten soms weken op een gesprek",
            "maatschappij-tekorten-in-de-derde-lijn",
        ],
    );
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace(
            "Welkom allemaal.",
            "Welkom allemaal, fijn dat jullie er zijn.",
        ),
    )
    .unwrap();
    let out = p.expect(0, &["import", file_arg, "--case", "docententeam-aoc-groen"]);
    assert!(out.contains("updated"), "{out}");
    assert!(out.contains(": re-anchored coding c-"), "{out}");
    assert!(out.contains(": its text moved"), "{out}");
    p.expect(0, &["check"]);
    let hits = p.search(&["weken", "--code", "maatschappij-tekorten-in-de-derde-lijn"]);
    assert_eq!(hits.len(), 1);
}

#[test]
fn bad_files_get_a_clear_error() {
    let p = Project::shipped();
    // UTF-8 with a damaged stretch (not another encoding: it has UTF-8 letters elsewhere).
    let bad = p.path().join("kapot.txt");
    std::fs::write(&bad, b"Moderator: co\xc3\xb6rdinator\n\xff\xfe\n").unwrap();
    let err = p.stderr(2, &["import", bad.to_str().unwrap()]);
    assert!(err.contains("kapot.txt:2: not valid UTF-8"), "{err}");
    let empty = p.path().join("leeg.txt");
    std::fs::write(&empty, "\n\n").unwrap();
    let err = p.stderr(2, &["import", empty.to_str().unwrap()]);
    assert!(err.contains("leeg.txt:1: the file holds no text"), "{err}");
    let err = p.stderr(2, &["import", bad.to_str().unwrap(), "--case", "nergens"]);
    assert!(err.contains("unknown case \"nergens\""), "{err}");
    let err = p.stderr(2, &["import", "bestaat-niet.txt"]);
    assert!(err.contains("bestaat-niet.txt"), "{err}");
}

#[test]
fn subtitles_become_turns_with_their_times() {
    let p = Project::shipped();
    for name in [
        "synthetic-focusgroep-team-c.vtt",
        "synthetic-focusgroep-team-d.srt",
    ] {
        let file = common::repo_root().join("tests/fixtures/import").join(name);
        let said = p.expect(0, &["import", file.to_str().unwrap()]);
        // The WebVTT file's NOTE (a comment) is left out, and the summary says so.
        assert_eq!(
            said.contains("1 NOTE block(s) left out"),
            name.ends_with(".vtt"),
            "{said}"
        );
    }
    let vtt = std::fs::read_to_string(
        p.corpus()
            .join("sources/transcript/synthetic-focusgroep-team-c.md"),
    )
    .unwrap();
    assert!(
        vtt.contains("\n[00:00:02] Moderator: Goedemiddag."),
        "{vtt}"
    );
    assert!(
        vtt.contains("\n\n[00:00:07] Docent 2: Hoog. We vangen veel op voor collega's die ziek zijn, en de administratie komt daar nog bij.\n\n"),
        "cues of one speaker make one turn: {vtt}"
    );
    let srt = std::fs::read_to_string(
        p.corpus()
            .join("sources/transcript/synthetic-focusgroep-team-d.md"),
    )
    .unwrap();
    assert!(
        srt.contains("[00:00:05] P2: Dat de student zelf vertelt wat hij nodig heeft. En dat wij dat vooraf weten.\n"),
        "{srt}"
    );
    let hits = p.search(&["administratie", "--speaker", "Docent 2"]);
    assert_eq!(hits.len(), 1);
    // The participants table knows who spoke where, and stats counts them.
    let participants = std::fs::read_to_string(p.corpus().join("participants.toml")).unwrap();
    assert!(
        participants.contains(
            "speaker = \"Docent 2\"\nrole = \"docent\"\nsources = [\"synthetic-focusgroep-team-c\"]"
        ),
        "{participants}"
    );
    let stats = p.expect(0, &["stats"]);
    assert!(
        stats.contains("Speakers in the transcripts: 5 (docent 1, moderator 2, p 1, teamleider 1)"),
        "{stats}"
    );
}

#[test]
fn pseudonymised_imports_keep_names_out_of_the_corpus() {
    let p = Project::shipped();
    let file = p.path().join("synthetic-focusgroep-team-b.txt");
    std::fs::copy(common::repo_root().join(FIXTURE), &file).unwrap();
    let out = p.expect(0, &["import", file.to_str().unwrap(), "--pseudonymise"]);
    assert!(out.contains("pseudonym key: "), "{out}");
    let written = std::fs::read_to_string(p.path().join(SOURCE)).unwrap();
    assert!(
        written.contains("\nDeelnemer 1: Dat herken ik."),
        "{written}"
    );
    assert!(
        written.contains("\nDeelnemer 2: Omdat ze bang"),
        "{written}"
    );
    assert!(
        written.contains("Moderator: Welkom") && written.contains("Docent 1: "),
        "roles stay"
    );
    // No name anywhere under corpus/, nor in an export; the key, outside, has them.
    let mut stack = vec![p.corpus()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                assert!(
                    !text.contains("Noor") && !text.contains("Sam:"),
                    "{}",
                    path.display()
                );
            }
        }
    }
    let key = std::fs::read_to_string(p.path().join("pseudonyms.toml")).unwrap();
    assert!(
        key.contains("name = \"Noor\"") && key.contains("pseudonym = \"Deelnemer 1\""),
        "{key}"
    );
    p.expect(
        0,
        &[
            "code",
            "synthetic-focusgroep-team-b",
            "--match",
            "Omdat ze bang zijn voor een stempel",
            "doelgroep-behoeften-niet-kenbaar",
        ],
    );
    let md = p.path().join("citaten.md");
    p.expect(0, &["export", "--format", "md", "-o", md.to_str().unwrap()]);
    let md = std::fs::read_to_string(md).unwrap();
    assert!(md.contains("Omdat ze bang zijn voor een stempel") && !md.contains("Noor"));
    // Stable: importing again changes nothing.
    let out = p.expect(0, &["import", file.to_str().unwrap(), "--pseudonymise"]);
    assert!(out.contains("unchanged"), "{out}");
}

#[test]
fn word_documents_and_pdf_text_import() {
    let p = Project::shipped();
    // A synthetic Word transcript: one paragraph per line, as transcription services send them.
    let docx = common::repo_root().join("tests/fixtures/import/synthetic-gesprek-team-e.docx");
    p.expect(0, &["import", docx.to_str().unwrap()]);
    let written = std::fs::read_to_string(
        p.corpus()
            .join("sources/transcript/synthetic-gesprek-team-e.md"),
    )
    .unwrap();
    assert!(
        written
            .contains("\n\nDocent 3: Dat we kijken wat een student nodig heeft & dat ook doen.\n"),
        "{written}"
    );

    // Text extracted from a PDF: wrapped lines join, a line-end hyphen the text itself shows to
    // be a break is repaired, a real hyphen stays.
    let pdf = common::repo_root().join("tests/fixtures/import/synthetic-notitie-pdf-tekst.txt");
    p.expect(
        0,
        &[
            "import",
            pdf.to_str().unwrap(),
            "--kind",
            "letter",
            "--pdf-text",
        ],
    );
    let written = std::fs::read_to_string(
        p.corpus()
            .join("sources/letter/synthetic-notitie-pdf-tekst.md"),
    )
    .unwrap();
    assert!(
        written.contains("De werkdruk in het team is hoog, zeggen de docenten in de mbo-instelling. Over de werkdruk praten ze vaak.\n"),
        "{written}"
    );
}

#[test]
fn markdown_transcripts_with_bold_speakers() {
    let p = Project::shipped();
    let md = common::repo_root().join("tests/fixtures/import/synthetic-focusgroep-team-f.md");
    p.expect(
        0,
        &[
            "import",
            md.to_str().unwrap(),
            "--case",
            "docententeam-aoc-groen",
        ],
    );
    let written = std::fs::read_to_string(
        p.corpus()
            .join("sources/transcript/synthetic-focusgroep-team-f.md"),
    )
    .unwrap();
    assert!(written.contains("\n# Focusgroep team F (synthetisch, verzonnen voor tests)\n\n_Opname 14 maart, 45 minuten._\n\nModerator: Wanneer is"), "{written}");
    assert!(
        written.contains("\n\nModerator: Herkennen jullie dat?\n\n"),
        "{written}"
    );
    let hits = p.search(&["diploma", "--speaker", "Docent 1"]);
    assert_eq!(hits.len(), 1);
}

/// A .qdpx holding `xml` as project.qde (and `more` entries), written here.
fn qdpx(path: &std::path::Path, xml: &str, more: &[(&str, &[u8])]) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", options).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    for (name, bytes) in more {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn guid(n: usize) -> String {
    format!("00000000-0000-4000-a000-{n:012}")
}

/// A synthetic project with `n` codes in groups of 500 that use the same 500 labels (so each
/// id base is taken by every group), a note on every tenth code, codings on 500 codes.
fn many_codes_qde(n: usize) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"Synthetisch groot project\" origin=\"synthetisch\">\n<CodeBook><Codes>\n",
    );
    for k in 0..n {
        if k % 500 == 0 {
            if k > 0 {
                xml.push_str("</Code>\n");
            }
            xml.push_str(&format!(
                "<Code guid=\"{}\" name=\"Groep {}\" isCodable=\"false\">\n",
                guid(1_000_000 + k / 500),
                k / 500
            ));
        }
        let label = format!("Thema {}", k % 500);
        let note = if k % 10 == 0 {
            format!("<NoteRef targetGUID=\"{}\"/>", guid(2_000_000 + k))
        } else {
            String::new()
        };
        xml.push_str(&format!(
            "<Code guid=\"{}\" name=\"{label}\" isCodable=\"true\"><Description>Synthetische code {k}.</Description>{note}</Code>\n",
            guid(k)
        ));
    }
    xml.push_str("</Code>\n</Codes></CodeBook>\n<Sources><TextSource guid=\"");
    xml.push_str(&guid(3_000_000));
    xml.push_str("\" name=\"Interview A\"><PlainTextContent>Docent: De werkdruk is hoog.</PlainTextContent>\n");
    for s in 0..500 {
        xml.push_str(&format!(
            "<PlainTextSelection guid=\"{}\" startPosition=\"11\" endPosition=\"27\"><Coding guid=\"{}\"><CodeRef targetGUID=\"{}\"/></Coding></PlainTextSelection>\n",
            guid(4_000_000 + s),
            guid(5_000_000 + s),
            guid(s * (n / 500))
        ));
    }
    xml.push_str("</TextSource></Sources>\n<Notes>\n");
    for k in (0..n).step_by(10) {
        xml.push_str(&format!(
            "<Note guid=\"{}\" name=\"Notitie {k}\"><PlainTextContent>Waarom code {k}.</PlainTextContent></Note>\n",
            guid(2_000_000 + k)
        ));
    }
    xml.push_str("</Notes>\n</Project>\n");
    xml
}

/// The CPU time of this thread so far (Linux): what work in it costs, whatever else runs
/// beside the test (wall time under parallel tests and builds varies threefold).
fn thread_cpu() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(std::time::Duration::from_nanos(nanos))
}

/// Import time grows with the number of codes, not with its square: 60 000 codes took 41 s
/// (20 000: 2.3 s) when every code searched the growing code book. Timed in process, by CPU
/// time (the command also reads the whole project back afterwards, not measured here).
#[test]
fn a_project_with_twenty_thousand_codes_imports_in_linear_time() {
    let p = Project::shipped();
    let path = p.path().join("groot.qdpx");
    qdpx(&path, &many_codes_qde(20_000), &[]);
    let (started, cpu) = (std::time::Instant::now(), thread_cpu());
    let report = visgraat::qdpx::import::import(&p.corpus(), &path).unwrap();
    let took = match (cpu, thread_cpu()) {
        (Some(before), Some(after)) => after - before,
        _ => started.elapsed(),
    };
    assert_eq!(
        (report.sources, report.codes, report.codings, report.memos),
        (1, 20_000, 500, 2_000)
    );
    assert!(took.as_secs_f64() < 3.0, "20 000 codes took {took:?}");
    // A label in every group: its own id in each, numbered on.
    let book = std::fs::read_to_string(p.corpus().join("codebook.toml")).unwrap();
    assert!(book.contains("id = \"thema-499-40\""), "the 40th group's");
    assert!(!book.contains("id = \"thema-499-41\""));
    let memos = std::fs::read_to_string(p.corpus().join("memos.toml")).unwrap();
    assert!(memos.contains("target = \"code:thema-490-40\""));
    assert!(memos.contains("text = \"Waarom code 19990.\""));
    // The project reads back whole.
    let out = p.expect(0, &["check"]);
    assert!(out.contains("20032 codes"), "{out}");
}

/// A zip holding one zip bomb entry: 64 MB of zeros, deflated to well under 1 MB. Made
/// once and copied into each archive as it is (deflating 64 MB is slow in a debug build).
fn bomb(dir: &std::path::Path) -> zip::ZipArchive<std::fs::File> {
    use std::io::Write;
    let path = dir.join("bomb.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    zip.start_file("bomb", options).unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..64 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 1024 * 1024);
    zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap()
}

/// Run `visgraat import FILE`, expecting exit 2; the stderr and the process's peak memory
/// in MB, and how long it took.
fn import_fails(p: &Project, file: &std::path::Path) -> (String, f64, std::time::Duration) {
    let started = std::time::Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_visgraat"))
        .args(["import", file.to_str().unwrap()])
        .current_dir(p.path())
        .env("VISGRAAT_PEAK_RSS", "1")
        .output()
        .unwrap();
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let peak_kb: f64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("visgraat-peak-rss "))
        .and_then(|v| v.trim_end_matches(" kB").trim().parse().ok())
        .expect("the peak memory is reported");
    (stderr, peak_kb / 1024.0, took)
}

/// A .qdpx whose source text unpacks to 64 MB, and a .docx whose body does: each is refused
/// after 16 MB, at once and in bounded memory, naming the file and the entry.
#[test]
fn zip_bombs_are_refused_after_sixteen_megabytes() {
    let p = Project::shipped();
    let mut bomb = bomb(p.path());
    let path = p.path().join("bom.qdpx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let qde = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"Bom\" origin=\"synthetisch\"><Sources><TextSource guid=\"{}\" name=\"Bom\" plainTextPath=\"relative://x.txt\"/></Sources></Project>",
        guid(1)
    );
    zip.start_file("project.qde", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, qde.as_bytes()).unwrap();
    zip.raw_copy_file_rename(bomb.by_index_raw(0).unwrap(), "sources/x.txt")
        .unwrap();
    zip.finish().unwrap();
    let book = std::fs::read_to_string(p.corpus().join("codebook.toml")).unwrap();

    let (err, peak_mb, took) = import_fails(&p, &path);
    assert!(
        err.contains("bom.qdpx: entry sources/x.txt: more than 16 MB uncompressed: not read"),
        "{err}"
    );
    assert!(took.as_secs_f64() < 5.0, "took {took:?}");
    assert!(peak_mb < 60.0, "peak {peak_mb:.0} MB");
    // Refused before anything was written.
    assert!(!p.corpus().join("sources/transcript/bom.md").exists());
    assert_eq!(
        std::fs::read_to_string(p.corpus().join("codebook.toml")).unwrap(),
        book
    );

    let path = p.path().join("bom.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.raw_copy_file_rename(bomb.by_index_raw(0).unwrap(), "word/document.xml")
        .unwrap();
    zip.finish().unwrap();
    let (err, peak_mb, took) = import_fails(&p, &path);
    assert!(
        err.contains("bom.docx: entry word/document.xml: more than 16 MB uncompressed: not read"),
        "{err}"
    );
    assert!(took.as_secs_f64() < 5.0, "took {took:?}");
    assert!(peak_mb < 60.0, "peak {peak_mb:.0} MB");
}
