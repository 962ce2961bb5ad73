//! The fishbone figure: `visgraat export --format svg|png` and `--with-figure` in Word. The
//! SVG is well-formed, has one text element per factor code shown, and no two label boxes
//! overlap (also with many long labels); the PNG is rendered with its text; a Word export
//! with the figure is a valid package that python-docx opens.

mod common;

use std::collections::BTreeSet;
use std::io::Read as _;

use common::Project;
use visgraat::analysis::fishbone::{self, Bone, Diagram, Presence, Rib, Side};
use visgraat::corpus::codebook::{Level, Valence};
use visgraat::export::figure::{self, Figure, Words};

fn no_overlaps(f: &Figure) {
    for (i, a) in f.boxes.iter().enumerate() {
        assert!(a.x >= 0.0 && a.y >= 0.0, "{a:?} outside the figure");
        assert!(
            a.x + a.w <= f.width && a.y + a.h <= f.height,
            "{a:?} outside the figure ({} × {})",
            f.width,
            f.height
        );
        for b in &f.boxes[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
    }
}

/// The `data-key`s of the rib `<text>` elements, parsed as XML (so the SVG is well-formed).
fn rib_texts(svg: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut keys = Vec::new();
    loop {
        match reader.read_event().expect("well-formed SVG") {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "text" => {
                let attr = |name: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| a.value.to_string())
                };
                if attr("class").as_deref() == Some("rib") {
                    keys.push(attr("data-key").expect("a rib names its code"));
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    keys
}

#[test]
fn svg_of_the_shipped_corpus_has_every_factor_once_and_nothing_overlaps() {
    let p = Project::shipped();
    let out = p.path().join("visgraat.svg");
    let said = p.expect(
        0,
        &["export", "--format", "svg", "-o", out.to_str().unwrap()],
    );
    assert!(said.contains("25 factor codes"), "{said}");
    let svg = std::fs::read_to_string(&out).unwrap();
    let keys = rib_texts(&svg);
    let ws = visgraat::workspace::Workspace::open(
        visgraat::config::Config::load(&p.path().join("config.toml")).unwrap(),
    )
    .unwrap();
    let factors: BTreeSet<String> = ws
        .corpus
        .codebook
        .codes
        .iter()
        .filter(|c| c.level.is_some())
        .map(|c| c.id.clone())
        .collect();
    assert_eq!(
        keys.len(),
        factors.len(),
        "one text element per factor code"
    );
    assert_eq!(keys.into_iter().collect::<BTreeSet<_>>(), factors);
    assert!(svg.contains("uitvoering passend onderwijs"));
    for level in Level::ALL {
        assert!(svg.contains(&format!(r#"data-level="{}""#, level.as_str())));
    }
    // The same layout, from the library: no label box overlaps another.
    let diagram = fishbone::diagram(&ws.corpus, &ws.codings, None);
    no_overlaps(&figure::figure(
        &diagram,
        &Words {
            caption: "synthetic caption",
            legend: None,
        },
    ));
    if let Ok(o) = std::process::Command::new("xmllint")
        .args(["--noout", out.to_str().unwrap()])
        .output()
    {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

/// A figure drawn from part of the codings says which part in its caption, and a filter
/// that names no case or coder is refused, as the citations export refuses it (found in a
/// new-user trial: `--case nope` drew an all-zero figure captioned "casus: nope", and a
/// `--factor team` figure read as the whole).
#[test]
fn a_filtered_figure_names_its_filters_and_an_unknown_case_or_coder_is_refused() {
    let p = Project::shipped();
    let out = p.path().join("team.svg");
    let out = out.to_str().unwrap();
    p.expect(
        0,
        &[
            "export",
            "--format",
            "svg",
            "--query",
            "werkdruk",
            "--factor",
            "team",
            "--valence",
            "-",
            "-o",
            out,
        ],
    );
    let svg = std::fs::read_to_string(out).unwrap();
    assert!(
        svg.contains("zoekvraag: “werkdruk” · factor: team · ±: −"),
        "{svg}"
    );
    for (args, says) in [
        (["--case", "nope"], "unknown case \"nope\"; cases: "),
        (["--coder", "nobody"], "no codings by \"nobody\"; coders: "),
    ] {
        let mut all = vec!["export", "--format", "svg", "-o", out];
        all.extend(args);
        let err = p.stderr(2, &all);
        assert!(err.contains(says), "{err}");
    }
}

/// Many ribs with long labels (synthetic) on every bone: ribs are spaced by what their
/// labels need, long labels wrap, bones move apart.
#[test]
fn crowded_bones_with_long_labels_never_overlap() {
    let long = "Een heel lange synthetische factor over ondersteuningsbehoeften van studenten die niet tijdig kenbaar worden gemaakt";
    let bones = Level::ALL
        .into_iter()
        .map(|level| Bone {
            level,
            side: fishbone::side(level),
            passages_plus: 3,
            passages_minus: 12,
            ribs: (0..9)
                .map(|i| Rib {
                    code: format!("{}-{i}", level.as_str()),
                    label: if i % 2 == 0 {
                        long.to_string()
                    } else {
                        format!("kort {i}")
                    },
                    valence: if i < 4 {
                        Valence::Bevorderend
                    } else {
                        Valence::Belemmerend
                    },
                    passages: i * 11,
                    cases_coded: i,
                    sheets: 1,
                    presence: None,
                })
                .collect(),
        })
        .collect();
    let diagram = Diagram {
        head: "uitvoering passend onderwijs in een synthetisch project met een lange kop".into(),
        case: None,
        sheet_note: None,
        bones,
    };
    let f = figure::figure(
        &diagram,
        &Words {
            caption: "synthetic",
            legend: Some("● ◇ ○ synthetic legend"),
        },
    );
    no_overlaps(&f);
    assert_eq!(rib_texts(&f.svg).len(), 45);
    // And an empty fishbone still draws its bones and head.
    let empty = Diagram {
        bones: Level::ALL
            .into_iter()
            .map(|level| Bone {
                level,
                side: fishbone::side(level),
                passages_plus: 0,
                passages_minus: 0,
                ribs: Vec::new(),
            })
            .collect(),
        ..diagram
    };
    let f = figure::figure(
        &empty,
        &Words {
            caption: "synthetic",
            legend: None,
        },
    );
    no_overlaps(&f);
    assert_eq!(f.svg.matches(r#"class="bone""#).count(), 5);
    assert!(
        Level::ALL
            .iter()
            .all(|l| fishbone::side(*l) == Side::Above || fishbone::side(*l) == Side::Below)
    );
}

/// One team (the synthetic fixture's team A): its sheet beside its talk, marked, with the
/// legend, in English when the UI is English.
#[test]
fn a_teams_figure_marks_sheet_and_talk() {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(common::repo_root().join("tests/fixtures/corpus"))
        .arg(dir.path().join("corpus"))
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::write(
        dir.path().join("config.toml"),
        "corpus = \"corpus\"\nindex = \"index\"\ncoder = \"ana\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    let out = dir.path().join("team-a.svg");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_visgraat"))
        .args([
            "export",
            "--format",
            "svg",
            "--case",
            "synthetisch-team-a",
            "-o",
        ])
        .arg(&out)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let svg = std::fs::read_to_string(&out).unwrap();
    let keys = rib_texts(&svg);
    assert!(keys.contains(&"team-korte-lijnen".to_string()), "{keys:?}");
    assert!(keys.contains(&"individu-werkdruk".to_string()), "{keys:?}");
    assert!(
        !keys.contains(&"beleid-intake".to_string()),
        "neither on the sheet nor in team A's talk"
    );
    assert!(svg.contains(Presence::Both.glyph()));
    assert!(
        svg.contains("said on paper, not in the talk"),
        "English legend"
    );
    assert!(svg.contains("Synthetic sheet."), "the sheet's note");
}

#[test]
fn png_is_rendered_with_its_text() {
    let p = Project::shipped();
    let out = p.path().join("visgraat.png");
    p.expect(
        0,
        &["export", "--format", "png", "-o", out.to_str().unwrap()],
    );
    let png = std::fs::read(&out).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    assert!(pixmap.width() > 1000 && pixmap.height() > 600);
    // Text is drawn, not dropped for want of a font: the caption's row (bottom left, below
    // every bone) has dark pixels.
    let dark_in = |x0: u32, y0: u32, x1: u32, y1: u32| {
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let px = pixmap.pixel(x, y).unwrap();
                u32::from(px.red()) + u32::from(px.green()) + u32::from(px.blue()) < 300
            })
            .count()
    };
    let h = pixmap.height();
    assert!(
        dark_in(40, h - 120, 900, h - 20) > 200,
        "the caption's text"
    );
}

#[test]
fn word_export_with_the_figure_opens_in_python_docx() {
    let p = Project::shipped();
    let out = p.path().join("citaten.docx");
    p.expect(
        0,
        &[
            "export",
            "--format",
            "docx",
            "--with-figure",
            "--factor",
            "team",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name} in the package"))
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let document = read("word/document.xml");
    assert!(document.contains("<w:drawing>") && document.contains(r#"r:embed="rId2""#));
    assert!(read("word/_rels/document.xml.rels").contains("media/fishbone.png"));
    assert!(read("[Content_Types].xml").contains(r#"Extension="png""#));
    assert!(zip.by_name("word/media/fishbone.png").unwrap().size() > 10_000);
    // Without the flag, no picture and no dangling relationship.
    let plain = p.path().join("plain.docx");
    p.expect(
        0,
        &["export", "--format", "docx", "-o", plain.to_str().unwrap()],
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&plain).unwrap()).unwrap();
    assert!(zip.by_name("word/media/fishbone.png").is_err());
    // The figure goes with Word only.
    let said = p.stderr(
        2,
        &["export", "--format", "md", "--with-figure", "-o", "x.md"],
    );
    assert!(said.contains("--with-figure"), "{said}");

    // python-docx (CI makes a venv with it; VISGRAAT_TEST_PYTHON names its python).
    let python = std::env::var("VISGRAAT_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let check = "import sys, docx\nd = docx.Document(sys.argv[1])\nprint(len(d.inline_shapes), len(d.paragraphs))";
    match std::process::Command::new(&python)
        .args(["-c", check])
        .arg(&out)
        .output()
    {
        Ok(o) if o.status.success() => {
            let said = String::from_utf8_lossy(&o.stdout);
            let mut parts = said.split_whitespace();
            assert_eq!(parts.next(), Some("1"), "one picture: {said}");
            assert!(parts.next().unwrap().parse::<usize>().unwrap() > 3);
        }
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("No module named 'docx'") => {
            eprintln!(
                "skipped the python-docx check: python-docx is not installed (.ci/run installs it)"
            )
        }
        Ok(o) => panic!("python-docx: {}", String::from_utf8_lossy(&o.stderr)),
        Err(_) => eprintln!("skipped the python-docx check: no {python}"),
    }
}
