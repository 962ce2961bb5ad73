//! The methods a team reports on, end to end through the binary: saturation in the order the
//! focus groups were held, framework matrices written and exported to Excel (read back from
//! the file), and a reliability round drawn, coded by two coders and reported.
//!
//! The focus groups here are synthetic (written for these tests, no real participants), four
//! short transcripts added to a copy of the shipped corpus, coded by coders `ana` and `bram`.

mod common;
#[path = "methods/rounds.rs"]
mod rounds;

use std::collections::BTreeMap;
use std::io::Read as _;

use common::Project;

/// Synthetic focus groups: (id, date, case, the participants' turns). The file names run
/// fg-1 … fg-6 while the dates run the other way round, so ordering by date is visible.
const GROUPS: [(&str, &str, &str, [&str; 4]); 6] = [
    (
        "fg-1",
        "2024-03-06",
        "docententeam-aoc-groen",
        [
            "Docent 1: We gaven les zoals altijd.",
            "Docent 2: Soms vangen collega's elkaar op als het druk is.",
            "Docent 3: Verder niets bijzonders.",
            "Docent 4: Dat klopt.",
        ],
    ),
    (
        "fg-2",
        "2024-03-05",
        "docententeam-aoc-groen",
        [
            "Docent 1: Er is een tekort aan docenten in de regio.",
            "Docent 2: Ja, vacatures blijven lang open.",
            "Docent 3: Dat merken we elke week.",
            "Docent 4: Het is zwaar.",
        ],
    ),
    (
        "fg-3",
        "2024-03-04",
        "docententeam-groot-roc-startcollege",
        [
            "Docent 1: We delen klassen vooraf in op ondersteuningsbehoefte.",
            "Docent 2: Zo kan een deel van de hulp klassikaal.",
            "Docent 3: Dat werkt goed.",
            "Docent 4: Mee eens.",
        ],
    ),
    (
        "fg-4",
        "2024-03-03",
        "docententeam-groot-roc-startcollege",
        [
            "Docent 1: We helpen iedere student, wat de vraag ook is.",
            "Docent 2: Het team staat daar echt voor.",
            "Docent 3: Ook als het veel vraagt.",
            "Docent 4: Zeker.",
        ],
    ),
    (
        "fg-5",
        "2024-03-02",
        "docententeam-aoc-groen",
        [
            "Docent 1: We helpen iedere student, wat de vraag ook is.",
            "Docent 2: Een sociale kaart met contactpersonen helpt ons.",
            "Docent 3: Dan weet je wie je belt.",
            "Docent 4: Handig.",
        ],
    ),
    (
        "fg-6",
        "2024-03-01",
        "docententeam-aoc-groen",
        [
            "Docent 1: We delen klassen vooraf in op ondersteuningsbehoefte.",
            "Docent 2: We helpen iedere student, wat de vraag ook is.",
            "Docent 3: Soms vangen collega's elkaar op als het druk is.",
            "Docent 4: Zo doen we dat.",
        ],
    ),
];

const KLASSEN: &str = "team-klassen-indelen-op-ondersteuningsbehoefte";
const ALLE: &str = "team-alle-studenten-helpen";
const STEUN: &str = "team-collegiale-steun";
const KAART: &str = "team-sociale-kaart-contactpersonen";
const TEKORT: &str = "maatschappij-docententekort";

/// ana's codings: (source, text, code).
const ANA: [(&str, &str, &str); 8] = [
    (
        "fg-6",
        "klassen vooraf in op ondersteuningsbehoefte",
        KLASSEN,
    ),
    ("fg-6", "iedere student", ALLE),
    ("fg-6", "vangen collega's elkaar op", STEUN),
    ("fg-5", "iedere student", ALLE),
    ("fg-5", "sociale kaart met contactpersonen", KAART),
    ("fg-4", "iedere student", ALLE),
    (
        "fg-3",
        "klassen vooraf in op ondersteuningsbehoefte",
        KLASSEN,
    ),
    ("fg-2", "tekort aan docenten", TEKORT),
];

fn project() -> Project {
    let p = Project::shipped();
    let dir = p.corpus().join("sources/transcript");
    std::fs::create_dir_all(&dir).unwrap();
    for (id, date, case, turns) in GROUPS {
        let text = format!(
            "+++\nid = \"{id}\"\nkind = \"transcript\"\ntitle = \"Synthetic focus group {id} (test fixture, not real data)\"\ncase = \"{case}\"\ndate = \"{date}\"\nprovenance = \"synthetic: written for visgraat's tests; no real participants\"\n+++\n{}\n",
            turns.join("\n\n")
        );
        std::fs::write(dir.join(format!("{id}.md")), text).unwrap();
    }
    for (source, text, code) in ANA {
        p.expect(
            0,
            &["code", source, "--match", text, code, "--coder", "ana"],
        );
    }
    p
}

#[test]
fn saturation_follows_the_dates_and_meets_the_threshold() {
    let p = project();
    let out = p.expect(
        0,
        &[
            "saturation",
            "--coder",
            "ana",
            "--base",
            "2",
            "--run",
            "2",
            "--json",
        ],
    );
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["order"], "date");
    let units: Vec<&str> = s["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| st["unit"].as_str().unwrap())
        .collect();
    // fg-1 has no codings by ana: not a coded unit. By date: fg-6 (KLASSEN ALLE STEUN),
    // fg-5 (ALLE KAART), fg-4 (ALLE), fg-3 (KLASSEN), fg-2 (TEKORT).
    assert_eq!(units, ["fg-6", "fg-5", "fg-4", "fg-3", "fg-2"]);
    let new: Vec<u64> = s["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| st["new_codes"].as_array().unwrap().len() as u64)
        .collect();
    assert_eq!(new, [3, 1, 0, 0, 1]);
    // Base 4 codes; runs 3–4: 0 → 0 % ≤ 5 %: saturation at 2, "2+2"; run 4–5: 1/4.
    assert_eq!(s["base_codes"], 4);
    assert_eq!(s["notation"], "2+2");
    assert_eq!(s["runs"][1]["ratio"], 0.25);
    assert_eq!(s["total_codes"], 5);

    // By case: a case is as old as its earliest source. Groen (fg-6, 1 March) brings all
    // five codes; Startcollege (fg-4, 3 March) none: base 1, run 1: "1+1".
    let out = p.expect(
        0,
        &[
            "saturation",
            "--coder",
            "ana",
            "--by",
            "case",
            "--base",
            "1",
            "--run",
            "1",
            "--json",
        ],
    );
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["order"], "date");
    assert_eq!(s["steps"][0]["unit"], "docententeam-aoc-groen");
    assert_eq!(s["steps"][0]["date"], "2024-03-01");
    assert_eq!(s["steps"][1]["unit"], "docententeam-groot-roc-startcollege");
    assert_eq!(s["base_codes"], 5);
    assert_eq!(s["notation"], "1+1");

    // A given order wins over the dates; an unknown id names the file and line.
    std::fs::write(
        p.path().join("order.txt"),
        "# held\nfg-2\nfg-3\nfg-4\nfg-5\nfg-6\n",
    )
    .unwrap();
    let table = p.expect(
        0,
        &[
            "saturation",
            "--coder",
            "ana",
            "--base",
            "2",
            "--run",
            "2",
            "--order",
            "order.txt",
        ],
    );
    assert!(table.contains("in the order given"), "{table}");
    assert!(table.contains("No saturation"), "{table}");
    // What the file leaves out is said, not dropped silently.
    std::fs::write(p.path().join("order.txt"), "fg-2\nfg-3\n").unwrap();
    let warned = p.stderr(0, &["saturation", "--coder", "ana", "--order", "order.txt"]);
    assert!(
        warned.contains(
            "3 coded source(s) not in the --order file are not counted: fg-4, fg-5, fg-6"
        ),
        "{warned}"
    );
    std::fs::write(p.path().join("order.txt"), "fg-2\nfg-9\n").unwrap();
    let err = p.stderr(2, &["saturation", "--order", "order.txt"]);
    assert!(err.contains("order.txt:2") && err.contains("fg-9"), "{err}");
    let err = p.stderr(2, &["saturation", "--threshold", "vijf"]);
    assert!(err.contains("--threshold"), "{err}");
}

/// The cells of one sheet of an .xlsx file, read back from its XML: "A1" → text or number.
fn sheet_cells(path: &std::path::Path, sheet_name: &str) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let workbook = read("xl/workbook.xml");
    let names: Vec<String> = attribute_values(&workbook, "sheet", "name");
    let index = names
        .iter()
        .position(|n| n == sheet_name)
        .unwrap_or_else(|| panic!("no sheet {sheet_name:?} in {names:?}"));
    let shared = strings(&read("xl/sharedStrings.xml"));
    let sheet = read(&format!("xl/worksheets/sheet{}.xml", index + 1));
    let mut cells = BTreeMap::new();
    let mut reader = quick_xml::Reader::from_str(&sheet);
    let (mut at, mut shared_string, mut in_value) = (String::new(), false, false);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "c" => {
                at = attr(&e, "r");
                shared_string = attr(&e, "t") == "s";
            }
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "v" => in_value = true,
            quick_xml::events::Event::End(e) if e.name().as_ref() == "v" => in_value = false,
            quick_xml::events::Event::Text(t) if in_value => {
                let v = t.xml10_content().to_string();
                let value = if shared_string {
                    shared[v.parse::<usize>().unwrap()].clone()
                } else {
                    v
                };
                cells.insert(at.clone(), value);
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    cells
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .unwrap()
                .to_string()
        })
        .unwrap_or_default()
}

fn attribute_values(xml: &str, element: &str, name: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Empty(e) | quick_xml::events::Event::Start(e)
                if e.name().as_ref() == element =>
            {
                out.push(attr(&e, name));
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The shared strings table: each `<si>`'s text.
fn strings(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut out, mut current, mut in_t) = (Vec::new(), String::new(), false);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "si" => current.clear(),
            quick_xml::events::Event::End(e) if e.name().as_ref() == "si" => {
                out.push(current.clone())
            }
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "t" => in_t = true,
            quick_xml::events::Event::End(e) if e.name().as_ref() == "t" => in_t = false,
            quick_xml::events::Event::Text(t) if in_t => current.push_str(&t.xml10_content()),
            quick_xml::events::Event::GeneralRef(r) if in_t => {
                current.push_str(match &*r {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("entity {other}"),
                });
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn framework_summaries_reach_the_workbook_with_their_quotes() {
    let p = project();
    p.expect(
        0,
        &[
            "framework",
            "set",
            "docententeam-aoc-groen",
            ALLE,
            "Het team helpt iedereen, ook als het veel vraagt.",
            "--coder",
            "ana",
        ],
    );
    p.expect(
        0,
        &[
            "framework",
            "set",
            "docententeam-aoc-groen",
            ALLE,
            "Iedereen & alles.",
            "--coder",
            "bram",
        ],
    );
    let err = p.stderr(2, &["framework", "set", "geen-team", ALLE, "x"]);
    assert!(err.contains("geen-team"), "{err}");
    let out = p.expect(0, &["framework", "show", "--coder", "ana", "--json"]);
    let matrices: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(matrices.as_array().unwrap().len(), 1, "case × code only");
    let m = &matrices[0];
    let row = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r["id"] == "docententeam-aoc-groen")
        .unwrap();
    let col = m["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["id"] == ALLE)
        .unwrap();
    let cell = &m["cells"][row][col];
    assert_eq!(cell["summaries"].as_array().unwrap().len(), 2);
    // ana coded "iedere student" in fg-6 and fg-5, both of this case.
    assert_eq!(cell["codings"].as_array().unwrap().len(), 2);

    let xlsx = p.path().join("analyse.xlsx");
    p.expect(
        0,
        &[
            "export",
            "--format",
            "xlsx",
            "-o",
            xlsx.to_str().unwrap(),
            "--coder",
            "ana",
        ],
    );
    let sheet = sheet_cells(&xlsx, "case × code");
    let column_letter = (b'A' + col as u8 + 1) as char;
    let at = format!("{column_letter}{}", row + 2);
    assert_eq!(
        sheet[&at],
        "ana: Het team helpt iedereen, ook als het veel vraagt.\nbram: Iedereen & alles.\n[2 codering(en)]"
    );
    let quotes = sheet_cells(&xlsx, "case × code citaten");
    let quoted: Vec<&String> = quotes
        .iter()
        .filter(|(k, _)| k.starts_with('G') && k.as_str() != "G1")
        .map(|(_, v)| v)
        .collect();
    assert!(
        quoted.iter().any(|q| q.as_str() == "iedere student"),
        "{quoted:?}"
    );
    assert!(
        quoted
            .iter()
            .any(|q| q.as_str() == "sociale kaart met contactpersonen")
    );
    // The counts matrices come along, their numbers as the matrix command counts them.
    let counts = sheet_cells(&xlsx, "bone × case (paragraphs)");
    let json: serde_json::Value = serde_json::from_str(&p.expect(
        0,
        &["matrix", "level-case", "--coder", "ana", "--format", "json"],
    ))
    .unwrap();
    let groen = json["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c == "docententeam-aoc-groen")
        .unwrap();
    let plus_team = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r == "+ team")
        .unwrap();
    let letter = (b'A' + groen as u8 + 1) as char;
    assert_eq!(
        counts[&format!("{letter}{}", plus_team + 2)],
        json["cells"][plus_team][groen].to_string()
    );
    // Markdown and Word carry the summary too; a bad framework file names itself.
    let md = p.path().join("framework.md");
    p.expect(
        0,
        &[
            "framework",
            "export",
            "--format",
            "md",
            "-o",
            md.to_str().unwrap(),
        ],
    );
    let md = std::fs::read_to_string(md).unwrap();
    assert!(
        md.contains("Iedereen & alles.") && md.contains("> iedere student"),
        "{md}"
    );
    let docx = p.path().join("framework.docx");
    p.expect(
        0,
        &[
            "framework",
            "export",
            "--format",
            "docx",
            "-o",
            docx.to_str().unwrap(),
        ],
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let mut document = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut document)
        .unwrap();
    assert!(document.contains("Iedereen &amp; alles."));
    std::fs::write(p.corpus().join("framework.toml"), "[[summary]]\nrow = 3\n").unwrap();
    let err = p.stderr(2, &["framework", "show"]);
    assert!(err.contains("framework.toml:2"), "{err}");
}

#[test]
fn merging_a_code_in_the_code_book_carries_its_framework_summaries() {
    let p = project();
    let row = "docententeam-aoc-groen";
    p.expect(
        0,
        &[
            "framework",
            "set",
            row,
            ALLE,
            "Iedereen krijgt hulp.",
            "--coder",
            "ana",
        ],
    );
    let framework = p.corpus().join("framework.toml");
    let before = std::fs::read_to_string(&framework).unwrap();
    let corpus = visgraat::corpus::Corpus::load(&p.corpus()).unwrap();
    let edit = visgraat::coding::book_edit::merge(
        &p.corpus(),
        &corpus.codebook,
        &corpus.cases,
        ALLE,
        STEUN,
    )
    .unwrap();
    let after = std::fs::read_to_string(&framework).unwrap();
    assert!(
        after.contains(&format!("column = \"code:{STEUN}\"")),
        "{after}"
    );
    assert!(!after.contains(ALLE), "{after}");
    p.expect(0, &["check"]);
    edit.undo().unwrap();
    assert_eq!(std::fs::read_to_string(&framework).unwrap(), before);
}
