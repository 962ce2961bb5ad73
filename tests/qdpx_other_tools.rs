//! REFI-QDA from other tools: real files where a licence allows (tests/fixtures/qdpx/
//! SOURCES.md) and synthetic projects, made here and named so, for each hard case (nameless
//! sources, CRLF with LF positions, UTF-16 after an emoji, deep trees with repeated names).

mod common;

use common::Project;
use common::qdpx::*;

/// qualitative-coding (qc) writes TextSources without a name: two such sources with the same
/// sentence in both stay two sources, each coding on its own.
#[test]
fn nameless_sources_stay_apart() {
    let xml = format!(
        r#"{HEAD}<Project xmlns="urn:QDA-XML:project:1.0" name="synthetisch qc" origin="qualitative-coding">
<Users><User guid="{u}" name="chris"/></Users>
<CodeBook><Codes><Code guid="{c}" name="werkdruk" isCodable="true"/></Codes></CodeBook>
<Sources>
<TextSource guid="{s1}" plainTextPath="internal://{s1}.txt">
<PlainTextSelection guid="{x1}" startPosition="0" endPosition="19" creatingUser="{u}"><Coding guid="{y1}" creatingUser="{u}"><CodeRef targetGUID="{c}"/></Coding></PlainTextSelection>
</TextSource>
<TextSource guid="{s2}" plainTextPath="internal://{s2}.txt">
<PlainTextSelection guid="{x2}" startPosition="13" endPosition="32" creatingUser="{u}"><Coding guid="{y2}" creatingUser="{u}"><CodeRef targetGUID="{c}"/></Coding></PlainTextSelection>
</TextSource>
</Sources></Project>"#,
        u = g(1),
        c = g(2),
        s1 = g(10),
        s2 = g(20),
        x1 = g(11),
        y1 = g(12),
        x2 = g(21),
        y2 = g(22)
    );
    let p = Project::shipped();
    let file = p.path().join("qc.qdpx");
    let (n1, n2) = (
        format!("sources/{}.txt", g(10)),
        format!("sources/{}.txt", g(20)),
    );
    qdpx(
        &file,
        &xml,
        &[
            (&n1, "De werkdruk is hoog. Eerste gesprek."),
            (&n2, "Tweede keer. De werkdruk is hoog."),
        ],
    );
    let said = p.expect(0, &["import", file.to_str().unwrap()]);
    assert!(
        said.contains("2 sources, 1 new codes, 0 new cases, 2 codings"),
        "{said}"
    );
    let got = codings(&p.corpus());
    let mine: Vec<_> = got.iter().filter(|c| c.0 == "chris").collect();
    assert_eq!(mine.len(), 2, "{got:?}");
    assert_ne!(mine[0].1, mine[1].1, "two sources, not one");
    assert!(
        mine.iter().all(|c| c.3 == "De werkdruk is hoog"),
        "{mine:?}"
    );
    assert!(
        mine.iter().all(|c| c.1.starts_with("bron-")),
        "readable ids: {mine:?}"
    );
    p.expect(0, &["check"]);
}

/// QualCoder: CRLF in the text file, positions counted on LF text. Every coding lands on its
/// words (the convention is told from the data), none one character off.
#[test]
fn crlf_text_with_lf_positions() {
    let text = "Interviewer: hoi\r\nDeelnemer: hey there\r\nInterviewer: or: hey there\r\nDeelnemer: het rooster\r\nInterviewer: en de werkdruk\r\nDeelnemer: te hoog";
    let lf = text.replace("\r\n", "\n");
    let words = [
        "hey there",
        "or",
        "rooster",
        "werkdruk",
        "te hoog",
        "Deelnemer",
    ];
    let mut sels = String::new();
    for (i, w) in words.iter().enumerate() {
        let at = lf[..lf.find(w).unwrap()].chars().count();
        let end = at + w.chars().count();
        sels.push_str(&format!(
            r#"<PlainTextSelection guid="{}" startPosition="{at}" endPosition="{end}"><Coding guid="{}"><CodeRef targetGUID="{}"/></Coding></PlainTextSelection>"#,
            g(100 + i as u32), g(200 + i as u32), g(2)
        ));
    }
    let xml = format!(
        r#"{HEAD}<Project xmlns="urn:QDA-XML:project:1.0" name="QualCoder synthetisch" origin="QualCoder 3.5">
<CodeBook><Codes><Code guid="{c}" name="thema" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{s}" name="gesprek.txt" plainTextPath="relative://gesprek.txt">{sels}</TextSource></Sources></Project>"#,
        c = g(2),
        s = g(10)
    );
    let p = Project::shipped();
    let file = p.path().join("qualcoder.qdpx");
    qdpx(&file, &xml, &[("sources/gesprek.txt", text)]);
    let said = p.expect(0, &["import", file.to_str().unwrap()]);
    assert!(said.contains("6 codings"), "{said}");
    assert!(said.contains("CRLF counted as one"), "{said}");
    let quotes: Vec<String> = codings(&p.corpus())
        .into_iter()
        .filter(|c| c.1 == "gesprek")
        .map(|c| c.3)
        .collect();
    let mut want: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    want.sort();
    let mut quotes = quotes;
    quotes.sort();
    assert_eq!(quotes, want);
}

/// NVivo counts UTF-16 code units: after an emoji every position is one further on.
#[test]
fn utf16_positions_after_an_emoji() {
    let text = "Ze lachte 🙂 en zei: de werkdruk is hoog 😅 en het rooster ook.";
    let units = |w: &str| {
        let at = text.find(w).unwrap();
        let start = text[..at].encode_utf16().count();
        (start, start + w.encode_utf16().count())
    };
    let mut sels = String::new();
    for (i, w) in ["werkdruk is hoog", "rooster"].iter().enumerate() {
        let (s, e) = units(w);
        sels.push_str(&format!(
            r#"<PlainTextSelection guid="{}" startPosition="{s}" endPosition="{e}"><Coding guid="{}"><CodeRef targetGUID="{}"/></Coding></PlainTextSelection>"#,
            g(100 + i as u32), g(200 + i as u32), g(2)
        ));
    }
    let xml = format!(
        r#"{HEAD}<Project xmlns="urn:QDA-XML:project:1.0" name="NVivo synthetisch" origin="NVivo 15">
<CodeBook><Codes><Code guid="{c}" name="druk" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{s}" name="Interview 🙂"><PlainTextContent>{text}</PlainTextContent>{sels}</TextSource></Sources></Project>"#,
        c = g(2),
        s = g(10)
    );
    let p = Project::shipped();
    let file = p.path().join("nvivo.qdpx");
    qdpx(&file, &xml, &[]);
    let said = p.expect(0, &["import", file.to_str().unwrap()]);
    assert!(said.contains("UTF-16 units"), "{said}");
    let mut quotes: Vec<String> = codings(&p.corpus())
        .into_iter()
        .filter(|c| c.1 == "interview")
        .map(|c| c.3)
        .collect();
    quotes.sort();
    assert_eq!(quotes, ["rooster", "werkdruk is hoog"]);
}

/// A selection that no reading places with certainty is kept aside, not saved onto text.
#[test]
fn an_unplaceable_selection_is_kept_aside() {
    let xml = format!(
        r#"{HEAD}<Project xmlns="urn:QDA-XML:project:1.0" name="twijfel" origin="onbekend">
<CodeBook><Codes><Code guid="{c}" name="x" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{s}" name="twijfel" plainTextPath="relative://t.txt">
<PlainTextSelection guid="{x}" startPosition="3" endPosition="4"><Coding guid="{y}"><CodeRef targetGUID="{c}"/></Coding></PlainTextSelection>
<PlainTextSelection guid="{x2}" startPosition="40" endPosition="90"><Coding guid="{y2}"><CodeRef targetGUID="{c}"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>"#,
        c = g(2),
        s = g(10),
        x = g(11),
        y = g(12),
        x2 = g(13),
        y2 = g(14)
    );
    let p = Project::shipped();
    let file = p.path().join("twijfel.qdpx");
    qdpx(&file, &xml, &[("sources/t.txt", "a\r\nb c d")]);
    let said = p.expect(0, &["import", file.to_str().unwrap()]);
    assert!(said.contains("0 codings"), "{said}");
    assert!(said.contains("kept aside: 2 selections"), "{said}");
    let kept = std::fs::read_to_string(p.corpus().join("import/kept-aside-twijfel.toml")).unwrap();
    assert!(kept.contains("could not be told from the data"), "{kept}");
    assert!(kept.contains("outside its text"), "{kept}");
    p.expect(0, &["check"]);
}

/// Seven levels of codes, "citizenship" in three branches (as in an NVivo 15 export; made
/// here, synthetic): every code kept at its depth, same names distinct, and a re-export nests
/// them the same way. A coder named in another script gets a directory that loads.
#[test]
fn deep_trees_with_repeated_names_and_coders_in_any_script() {
    // Thema → a → b → c → d → e → f, citizenship under Thema, under c and under f.
    let mut tree = String::new();
    let names = ["a", "b", "c", "d", "e", "f"];
    tree.push_str(&format!(
        r#"<Code guid="{}" name="Thema" isCodable="false">"#,
        g(1)
    ));
    tree.push_str(&format!(
        r#"<Code guid="{}" name="citizenship" isCodable="true"/>"#,
        g(50)
    ));
    for (i, n) in names.iter().enumerate() {
        tree.push_str(&format!(
            r##"<Code guid="{}" name="{n}" isCodable="true" color="#00AA00">"##,
            g(10 + i as u32)
        ));
        if *n == "c" {
            tree.push_str(&format!(r#"<Code guid="{}" name="citizenship" isCodable="true"><Description>onder c</Description></Code>"#, g(51)));
        }
    }
    tree.push_str(&format!(
        r#"<Code guid="{}" name="citizenship" isCodable="true"/>"#,
        g(52)
    ));
    tree.push_str(&"</Code>".repeat(names.len() + 1));
    let sel = |n: u32, start: usize, end: usize, code: u32, user: u32| {
        format!(
            r#"<PlainTextSelection guid="{}" startPosition="{start}" endPosition="{end}" creatingUser="{}"><Coding guid="{}" creatingUser="{}"><CodeRef targetGUID="{}"/></Coding></PlainTextSelection>"#,
            g(300 + n),
            g(90),
            g(400 + n),
            g(user),
            g(code)
        )
    };
    let xml = format!(
        r#"{HEAD}<Project xmlns="urn:QDA-XML:project:1.0" name="Burgerschap" origin="NVivo 15">
<Users><User guid="{u1}" name="日本語"/><User guid="{u2}" name="Lotte"/><User guid="{u0}" name="selection owner"/></Users>
<CodeBook><Codes>{tree}</Codes></CodeBook>
<Sources><TextSource guid="{s}" name="Gesprek"><PlainTextContent>Over burgerschap en meedoen.</PlainTextContent>{a}{b}{c}</TextSource></Sources></Project>"#,
        u1 = g(91),
        u2 = g(92),
        u0 = g(90),
        s = g(60),
        a = sel(1, 5, 16, 50, 91),
        b = sel(2, 5, 16, 51, 92),
        c = sel(3, 20, 27, 52, 92)
    );
    let p = empty_project();
    let file = p.path().join("nvivo15.qdpx");
    qdpx(&file, &xml, &[]);
    let said = p.expect(0, &["import", file.to_str().unwrap()]);
    assert!(
        said.contains("1 sources, 9 new codes, 0 new cases, 3 codings"),
        "{said}"
    );
    let book = visgraat::corpus::codebook::Codebook::load_whole(&p.corpus().join("codebook.toml"))
        .unwrap();
    assert_eq!(book.groups.len(), 1, "Thema is the group; no extra parent");
    assert_eq!(book.groups[0].label, "Thema");
    let citizenship: Vec<_> = book
        .codes
        .iter()
        .filter(|c| c.label == "citizenship")
        .collect();
    assert_eq!(
        citizenship.len(),
        3,
        "same names in different branches stay distinct"
    );
    let depth = |id: &str| {
        let mut d = 0;
        let mut at = book.code(id).and_then(|c| c.parent.clone());
        while let Some(p) = at {
            d += 1;
            at = book.code(&p).and_then(|c| c.parent.clone());
        }
        d
    };
    let mut depths: Vec<usize> = citizenship.iter().map(|c| depth(&c.id)).collect();
    depths.sort();
    assert_eq!(depths, [0, 3, 6]);
    assert!(
        book.codes
            .iter()
            .all(|c| c.definition.is_empty() || c.definition == "onder c"),
        "no invented definitions"
    );
    assert!(
        book.codes.iter().all(|c| c.guid.is_some()),
        "foreign GUIDs kept"
    );
    // The coders: 日本語 has a directory of its own that loads; Coding@creatingUser counts.
    let got = codings(&p.corpus());
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(
        got.iter()
            .any(|c| c.0.starts_with("coder-") && c.3 == "burgerschap"),
        "{got:?}"
    );
    assert_eq!(got.iter().filter(|c| c.0 == "lotte").count(), 2, "{got:?}");
    p.expect(0, &["check"]);
    // Re-exported: the same GUIDs at the same depth, with no invented Description.
    let out = export(&p, "weer.qdpx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").unwrap(), &mut qde).unwrap();
    let deepest = qde.find(&g(52)).unwrap();
    let open = qde[..deepest].matches("<Code ").count() - qde[..deepest].matches("</Code>").count();
    assert_eq!(
        open, 8,
        "Thema, six levels and the deepest citizenship's own tag"
    );
    assert!(
        qde.contains(&format!("guid=\"{}\"", g(1))),
        "the group's GUID"
    );
    assert_eq!(
        qde.matches("<Description>").count(),
        2,
        "onder c and the source's own"
    );
}

/// A file source whose carried id is a shipped source's, with other text and another GUID,
/// becomes a new source; the shipped one is untouched. Same GUID, other text: reported, and
/// replaced only when asked.
#[test]
fn an_import_never_replaces_a_source_unless_asked() {
    let p = Project::shipped();
    let shipped = p.corpus().join("sources/intermezzo/intermezzo-intake.md");
    let before = std::fs::read(&shipped).unwrap();
    let xml = format!(
        r#"{HEAD}<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="ander">
<CodeBook><Codes><Code guid="{c}" name="y" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{s}" name="intake"><Description>intermezzo-intake (intermezzo: x)</Description><PlainTextContent>Andere tekst.</PlainTextContent>
<PlainTextSelection guid="{x}" startPosition="0" endPosition="6"><Coding guid="{y}"><CodeRef targetGUID="{c}"/></Coding></PlainTextSelection></TextSource></Sources></Project>"#,
        c = g(2),
        s = g(10),
        x = g(11),
        y = g(12)
    );
    let file = p.path().join("botsing.qdpx");
    qdpx(&file, &xml, &[]);
    let said = p.expect(0, &["import", file.to_str().unwrap()]);
    assert!(said.contains("1 sources"), "{said}");
    assert_eq!(
        std::fs::read(&shipped).unwrap(),
        before,
        "the shipped source is untouched"
    );
    assert!(
        p.corpus()
            .join("sources/intermezzo/intermezzo-intake-2.md")
            .exists()
    );
    p.expect(0, &["check"]);

    // The same source (its GUID) with other text: left alone and reported.
    let guid = visgraat::qdpx::ids::guid("source:intermezzo-intake");
    let same = xml.replace(&g(10), &guid);
    std::fs::remove_file(&file).unwrap();
    qdpx(&file, &same, &[]);
    let said = p.expect(0, &["import", file.to_str().unwrap()]);
    assert!(
        said.contains("conflict: source intermezzo-intake: the file has other text"),
        "{said}"
    );
    assert!(said.contains("kept aside: 1 selections"), "{said}");
    assert_eq!(std::fs::read(&shipped).unwrap(), before);
    let said = p.expect(0, &["import", "--replace", file.to_str().unwrap()]);
    assert!(said.contains("1 sources"), "{said}");
    assert!(
        std::fs::read_to_string(&shipped)
            .unwrap()
            .ends_with("Andere tekst.\n")
            || std::fs::read_to_string(&shipped)
                .unwrap()
                .contains("Andere tekst.")
    );
}

/// Comments in codebook.toml and cases.toml survive an import; what is skipped is listed in
/// plain text (no escapes), Sets and Links included.
#[test]
fn comments_survive_and_skips_are_plain_text() {
    let p = Project::shipped();
    for name in ["codebook.toml", "cases.toml"] {
        let path = p.corpus().join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("# Synthetisch commentaar bovenaan.\n{text}")).unwrap();
    }
    let before: Vec<String> = ["codebook.toml", "cases.toml"]
        .iter()
        .map(|n| std::fs::read_to_string(p.corpus().join(n)).unwrap())
        .collect();
    let xml = format!(
        r#"{HEAD}<Project xmlns="urn:QDA-XML:project:1.0" name="Pay de Limón" origin="MAXQDA 24">
<CodeBook><Codes><Code guid="{c}" name="Pay de Limo&#x301;n · smaak" isCodable="true"/></Codes></CodeBook>
<Cases><Case guid="{k}" name="Team Limón"><SourceRef targetGUID="{s}"/></Case></Cases>
<Sources><TextSource guid="{s}" name="Limón"><PlainTextContent>Pay de limón.</PlainTextContent></TextSource>
<PictureSource guid="{pic}" name="Pay de Limo&#x301;n foto"/></Sources>
<Sets><Set guid="{set}" name="Recepten"><MemberCode targetGUID="{c}"/></Set></Sets>
<Links><Link guid="{l}" name="verband"/></Links></Project>"#,
        c = g(2),
        k = g(3),
        s = g(4),
        pic = g(5),
        set = g(6),
        l = g(7)
    );
    let file = p.path().join("maxqda.qdpx");
    qdpx(&file, &xml, &[]);
    let said = p.expect(0, &["import", file.to_str().unwrap()]);
    // The name as the file spells it (o and a combining accent), not escaped.
    assert!(
        said.contains("skipped: PictureSource \"Pay de Limo\u{301}n foto\""),
        "{said}"
    );
    assert!(
        said.contains("skipped: set \"Recepten\" (1 codes, 0 sources)"),
        "{said}"
    );
    assert!(said.contains("skipped: Link \"verband\""), "{said}");
    assert!(!said.contains("\\u{"), "{said}");
    for (name, old) in ["codebook.toml", "cases.toml"].iter().zip(before) {
        let now = std::fs::read_to_string(p.corpus().join(name)).unwrap();
        assert!(
            now.starts_with(old.trim_end()),
            "{name} kept as it was, then grew"
        );
        assert!(now.len() > old.len(), "{name} grew");
    }
    let source = std::fs::read_to_string(p.corpus().join("sources/transcript/limon.md")).unwrap();
    assert!(source.contains("case = \"team-limon\""), "{source}");
    p.expect(0, &["check"]);
}

/// requal's test project (real file, MIT; see SOURCES.md), zipped as requal's test does.
#[test]
fn requals_test_project_imports_with_what_it_skips_listed() {
    let p = empty_project();
    let dir = fixture("requal-test-project");
    let file = p.path().join("requal.qdpx");
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    qdpx(
        &file,
        &read("project.qde"),
        &[("doc1.txt", &read("doc1.txt"))],
    );
    let said = p.expect(0, &["import", file.to_str().unwrap()]);
    println!("{said}");
    assert!(
        said.contains("1 sources, 2 new codes, 0 new cases, 2 codings, 0 memos"),
        "{said}"
    );
    assert!(
        said.contains("skipped: set \"Test Category\" (2 codes, 0 sources)"),
        "{said}"
    );
    assert!(
        said.contains("skipped: selection 65..83 in \"Document 1\": no code on it"),
        "{said}"
    );
    assert_eq!(
        said.matches("not attached to a code, source or case")
            .count(),
        2,
        "{said}"
    );
    let got = codings(&p.corpus());
    assert_eq!(got.len(), 2);
    assert!(
        got.iter()
            .all(|c| c.0 == "admin-user" && c.1 == "document-1"),
        "{got:?}"
    );
    let book = std::fs::read_to_string(p.corpus().join("codebook.toml")).unwrap();
    assert!(
        book.contains("definition = \"First theme\"") && book.contains("flat = true"),
        "{book}"
    );
    assert!(
        book.contains("guid = \"code-001-aaaa-bbbb-cccc-ddddeeeeffff\""),
        "{book}"
    );
    p.expect(0, &["check"]);
    // Exported again, the two codes stand at the top of the tree with their own GUIDs.
    let out = export(&p, "terug.qdpx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").unwrap(), &mut qde).unwrap();
    let codes = &qde[qde.find("<Codes>").unwrap()..qde.find("</Codes>").unwrap()];
    assert_eq!(
        codes.matches("<Code ").count(),
        2,
        "no extra parent: {codes}"
    );
    assert!(codes.contains("guid=\"code-002-aaaa-bbbb-cccc-ddddeeeeffff\""));
}

/// A code book from ATLAS.ti (.qdc, real file, MIT) into the shipped project, and the
/// shipped code book out as .qdc and into an empty project.
#[test]
fn qdc_code_books_in_and_out() {
    let p = Project::shipped();
    let said = p.expect(
        0,
        &[
            "import",
            fixture("atlasti-23-codebook.qdc").to_str().unwrap(),
        ],
    );
    assert!(said.contains("1 new codes"), "{said}");
    assert!(
        said.contains("skipped: set \"code group 1\" (1 codes)"),
        "{said}"
    );
    let book = std::fs::read_to_string(p.corpus().join("codebook.toml")).unwrap();
    assert!(
        book.contains("label = \"code1\"") && book.contains("color = \"#46AA00\""),
        "{book}"
    );
    assert!(book.contains("guid = \"1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294\""));
    p.expect(0, &["check"]);
    // Again: nothing new.
    let said = p.expect(
        0,
        &[
            "import",
            fixture("atlasti-23-codebook.qdc").to_str().unwrap(),
        ],
    );
    assert!(said.contains("0 new codes"), "{said}");

    let out = p.path().join("codes.qdc");
    p.expect(
        0,
        &["export", "--format", "qdc", "-o", out.to_str().unwrap()],
    );
    let qdc = std::fs::read_to_string(&out).unwrap();
    assert!(qdc.contains("xmlns=\"urn:QDA-XML:codebook:1.0\""), "{qdc}");
    let q = empty_project();
    let said = q.expect(0, &["import", out.to_str().unwrap()]);
    assert!(said.contains("33 new codes"), "{said}");
    let (a, _) = visgraat::corpus::codebook::Codebook::load(&p.corpus().join("codebook.toml"));
    let (b, _) = visgraat::corpus::codebook::Codebook::load(&q.corpus().join("codebook.toml"));
    let labels = |k: &visgraat::corpus::codebook::Codebook| {
        let mut v: Vec<_> = k
            .codes
            .iter()
            .map(|c| (c.label.clone(), c.level, c.valence, c.definition.clone()))
            .collect();
        v.sort_by(|x, y| x.0.cmp(&y.0));
        v
    };
    assert_eq!(labels(&a), labels(&b));
    // Valid against the code book schema.
    common::qdpx::assert_valid(&out, "Codebook.xsd");
}
