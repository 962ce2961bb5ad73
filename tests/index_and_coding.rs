//! Indexing is incremental and heals; a coding made with `visgraat code` shows at once in
//! stats and filtered search; `check` names file and line for every problem.

mod common;

use common::{Project, key};

#[test]
fn incremental_indexing_does_only_the_work_needed() {
    let p = Project::shipped();
    let first = p.expect(0, &["index"]);
    assert!(first.contains("index rebuilt (no index yet)"), "{first}");
    let second = p.expect(0, &["index"]);
    assert!(
        second.contains("index up to date: nothing changed"),
        "{second}"
    );

    // Change one source: only it is re-indexed, and search sees the new words.
    let path = p.corpus().join("sources/intermezzo/intermezzo-intake.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("warme landing", "warme overdracht")).unwrap();
    let third = p.expect(0, &["index"]);
    assert!(third.contains("0 added, 1 updated, 0 removed"), "{third}");
    assert!(third.contains("updated intermezzo-intake"), "{third}");
    assert_eq!(p.search(&["\"warme overdracht\""]).len(), 1);
    assert!(p.search(&["\"warme landing\""]).is_empty());

    // A removed source leaves the index.
    std::fs::remove_file(
        p.corpus()
            .join("sources/letter/nota-publicatie-monitor-passend-onderwijs-mbo.md"),
    )
    .unwrap();
    let fourth = p.expect(0, &["index"]);
    assert!(fourth.contains("1 removed"), "{fourth}");

    // --rebuild starts over.
    let fifth = p.expect(0, &["index", "--rebuild"]);
    assert!(
        fifth.contains("index rebuilt (--rebuild was asked for)"),
        "{fifth}"
    );
}

#[test]
fn search_refreshes_a_stale_index_itself() {
    let p = Project::shipped();
    p.expect(0, &["index"]);
    let path = p.corpus().join("sources/intermezzo/intermezzo-intake.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("Entreestudenten", "Entreestudenten (zebravink)"),
    )
    .unwrap();
    let hits = p.search(&["zebravink"]);
    assert_eq!(hits.len(), 1);
}

#[test]
fn missing_or_damaged_index_is_rebuilt() {
    let p = Project::shipped();
    p.expect(0, &["index"]);
    std::fs::remove_dir_all(p.path().join("index")).unwrap();
    assert!(
        !p.search(&["werkdruk"]).is_empty(),
        "search rebuilds a missing index"
    );

    // Garble every segment file: the next index run notices and rebuilds.
    for entry in std::fs::read_dir(p.path().join("index")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "store") {
            std::fs::write(&path, b"garbage").unwrap();
        }
    }
    let out = p.expect(0, &["index"]);
    assert!(out.contains("index rebuilt (the index is damaged"), "{out}");
    assert!(!p.search(&["werkdruk"]).is_empty());

    // A truncated meta.json, then a missing segment file: found, rebuilt.
    let meta = p.path().join("index/meta.json");
    let bytes = std::fs::read(&meta).unwrap();
    std::fs::write(&meta, &bytes[..bytes.len() / 2]).unwrap();
    let out = p.expect(0, &["index"]);
    assert!(out.contains("index rebuilt ("), "{out}");
    let idx = std::fs::read_dir(p.path().join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .unwrap();
    std::fs::remove_file(idx).unwrap();
    let out = p.expect(0, &["index"]);
    assert!(out.contains("index rebuilt ("), "{out}");
    assert!(!p.search(&["werkdruk"]).is_empty());

    // An index from another schema or analysis version is rebuilt.
    let manifest = p.path().join("index/visgraat-manifest.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let old = text
        .lines()
        .find(|l| l.starts_with("fingerprint"))
        .unwrap()
        .to_string();
    std::fs::write(&manifest, text.replace(&old, "fingerprint = \"old\"")).unwrap();
    let out = p.expect(0, &["index"]);
    assert!(
        out.contains("the schema or Dutch analysis changed"),
        "{out}"
    );
}

#[test]
fn code_match_is_visible_at_once_in_stats_and_search() {
    let p = Project::shipped();
    let before: serde_json::Value =
        serde_json::from_str(&p.expect(0, &["stats", "--json"])).unwrap();
    let bone = |stats: &serde_json::Value| {
        stats["bones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["level"] == "doelgroep" && b["valence"] == "belemmerend")
            .unwrap()["codings"]
            .as_u64()
            .unwrap()
    };
    p.expect(1, &["search", "afhankelijk", "--coder", "tester"]);
    let out = p.expect(
        0,
        &[
            "code",
            "intermezzo-intake",
            "--match",
            "Ze zijn tijdens de intake afhankelijk van wat de student zelf deelt",
            "doelgroep-behoeften-niet-kenbaar",
            "--memo",
            "De student bepaalt wat het team weet.",
        ],
    );
    assert!(
        out.contains("coded intermezzo-intake as doelgroep-behoeften-niet-kenbaar by tester"),
        "{out}"
    );
    // The same again is refused, not counted twice (found in a new-user trial).
    let again = p.stderr(
        2,
        &[
            "code",
            "intermezzo-intake",
            "--match",
            "Ze zijn tijdens de intake afhankelijk van wat de student zelf deelt",
            "doelgroep-behoeften-niet-kenbaar",
        ],
    );
    assert!(
        again.contains("tester coded this text with doelgroep-behoeften-niet-kenbaar already"),
        "{again}"
    );
    let after: serde_json::Value =
        serde_json::from_str(&p.expect(0, &["stats", "--json"])).unwrap();
    assert_eq!(bone(&after), bone(&before) + 1);
    let hits = p.search(&["afhankelijk", "--factor", "doelgroep", "--coder", "tester"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(key(&hits[0]), "intermezzo-intake#3");
    assert_eq!(hits[0]["codes"][0], "doelgroep-behoeften-niet-kenbaar");

    let saved =
        std::fs::read_to_string(p.corpus().join("codings/tester/intermezzo-intake.toml")).unwrap();
    assert!(saved.contains(
        "quote = \"Ze zijn tijdens de intake afhankelijk van wat de student zelf deelt\""
    ));
    assert!(saved.contains("memo = \"De student bepaalt wat het team weet.\""));
    p.expect(0, &["check"]);
}

#[test]
fn code_by_offsets_and_bad_code_input() {
    let p = Project::shipped();
    p.expect(
        0,
        &[
            "code",
            "intermezzo-intake",
            "0",
            "18",
            "beleid-intake-met-open-gesprek",
        ],
    );
    let saved =
        std::fs::read_to_string(p.corpus().join("codings/tester/intermezzo-intake.toml")).unwrap();
    assert!(saved.contains("quote = \"Intermezzo: intake\""));
    let err = p.stderr(
        2,
        &[
            "code",
            "intermezzo-intake",
            "--match",
            "studenten",
            "doelgroep-verzwaring",
        ],
    );
    assert!(err.contains("occurs") && err.contains("times"), "{err}");
    let err = p.stderr(
        2,
        &[
            "code",
            "intermezzo-intake",
            "0",
            "999999",
            "doelgroep-verzwaring",
        ],
    );
    assert!(err.contains("lies outside"), "{err}");
    let err = p.stderr(
        2,
        &["code", "no-such-source", "0", "5", "doelgroep-verzwaring"],
    );
    assert!(err.contains("unknown source"), "{err}");
    let err = p.stderr(2, &["code", "intermezzo-intake", "0", "5", "werkdruk"]);
    assert!(err.contains("unknown code"), "{err}");
}

#[test]
fn stats_counts_per_case_and_coder() {
    let p = Project::shipped();
    let out = p.expect(0, &["stats", "--by-case", "--by-coder"]);
    assert!(out.contains("Fishbone: uitvoering passend onderwijs (all coders)"));
    assert!(out.contains("Docententeam Startcollege"), "{out}");
    assert!(out.contains("voorbeeld"));
    let json: serde_json::Value =
        serde_json::from_str(&p.expect(0, &["stats", "--json", "--coder", "voorbeeld"])).unwrap();
    assert_eq!(json["bones"].as_array().unwrap().len(), 10);
    let startcollege = &json["by_case"]["docententeam-groot-roc-startcollege"];
    assert_eq!(
        startcollege["team/bevorderend"], 1,
        "only the Entree team's own coding counts for its case"
    );
    // The factor table's heads stand over their numbers (they stood 18 columns left of
    // them); widths in characters, as a terminal shows them.
    let lines: Vec<&str> = out.lines().collect();
    let head = lines
        .iter()
        .position(|l| l.starts_with("Factor codes"))
        .expect("the factor table");
    let ends = |line: &str| -> Vec<usize> {
        let chars: Vec<char> = line.chars().collect();
        (0..chars.len())
            .filter(|&i| chars[i] != ' ' && chars.get(i + 1).is_none_or(|c| *c == ' '))
            .map(|i| i + 1)
            .collect()
    };
    let head_ends = ends(lines[head]);
    let row = lines[head + 1];
    let row_ends = ends(row);
    assert_eq!(
        head_ends[head_ends.len() - 3..],
        row_ends[row_ends.len() - 3..],
        "{}\n{row}",
        lines[head]
    );
}

#[test]
fn check_names_file_and_line_of_each_problem() {
    let p = Project::shipped();
    let codings = p.corpus().join("codings/voorbeeld/intermezzo-intake.toml");
    let text = std::fs::read_to_string(&codings).unwrap();
    std::fs::write(
        &codings,
        text.replacen(
            "code = \"beleid-intake-met-open-gesprek\"",
            "code = \"beleid-bestaat-niet\"",
            1,
        ),
    )
    .unwrap();
    let src = p
        .corpus()
        .join("sources/intermezzo/intermezzo-definitie-passend-onderwijs.md");
    let body = std::fs::read_to_string(&src).unwrap();
    std::fs::write(
        &src,
        body.replace("Uit de gesprekken", "Uit de vele gesprekken"),
    )
    .unwrap();
    let out = p.expect(2, &["check"]);
    assert!(out.contains("intermezzo-intake.toml:2: coding c-"), "{out}");
    assert!(
        out.contains("unknown code \"beleid-bestaat-niet\""),
        "{out}"
    );
    // The edited sentence: a word was added inside the coded text, so its coding is not
    // moved by itself but waits for review, with where its text may be now; the quote
    // record of the changed source is reported for re-import.
    assert!(
        out.contains("intermezzo-definitie-passend-onderwijs.toml: coding c-")
            && out.contains("needs review: words were added, removed or changed inside it"),
        "{out}"
    );
    assert!(
        out.contains("now perhaps at 41..166: “Uit de vele gesprekken"),
        "{out}"
    );
    assert!(
        out.contains("quotes/intermezzo-definitie-passend-onderwijs.toml:2: quote"),
        "{out}"
    );

    // Malformed TOML: file, line and column; the rest of the app keeps working.
    std::fs::write(
        p.corpus().join("codings/voorbeeld/intermezzo-intake.toml"),
        "[[coding]]\nid = \"x\"\ncode = = 3\n",
    )
    .unwrap();
    let out = p.expect(2, &["check"]);
    assert!(
        out.contains("intermezzo-intake.toml:3: malformed TOML, column 8"),
        "{out}"
    );
    assert!(!p.search(&["werkdruk"]).is_empty(), "search still works");
    let err = p.stderr(0, &["stats"]);
    assert!(err.contains("warning"), "{err}");
}

#[test]
fn bad_source_files_are_reported_and_skipped() {
    let p = Project::shipped();
    let dir = p.corpus().join("sources/letter");
    std::fs::write(dir.join("zonder-front-matter.md"), "Gewoon tekst.\n").unwrap();
    std::fs::write(
        dir.join("niet-utf8.md"),
        b"+++\nid = \"x\"\n\xff\xfe\n+++\n",
    )
    .unwrap();
    std::fs::write(dir.join("leeg.md"), b"").unwrap();
    let out = p.expect(2, &["check"]);
    assert!(
        out.contains("zonder-front-matter.md:1: a source must start with a `+++` line"),
        "{out}"
    );
    assert!(out.contains("niet-utf8.md:3: not valid UTF-8"), "{out}");
    assert!(out.contains("leeg.md:1:"), "{out}");
    assert!(!p.search(&["werkdruk"]).is_empty());
}

#[test]
fn codings_follow_edited_sources_or_are_kept_as_orphans() {
    let p = Project::shipped();
    let src = p
        .corpus()
        .join("sources/intermezzo/intermezzo-werkdruk-en-docentenwelzijn.md");
    let text = std::fs::read_to_string(&src).unwrap();
    // A paragraph inserted before everything, and one coded sentence deleted.
    let edited = text
        .replacen("+++\nIntermezzo:", "+++\nEen nieuwe eerste alinea, ingevoegd bij een herziening.\n\nIntermezzo:", 1)
        .replace("Verschillende teams geven aan dat passend onderwijs voor hen eigenlijk niet haalbaar is vanwege het tekort aan tijd en docenten. ", "");
    std::fs::write(&src, edited).unwrap();
    let out = p.expect(2, &["check"]);
    assert!(
        out.contains("re-anchored coding") && out.contains("its text moved"),
        "{out}"
    );
    assert!(
        out.contains("(team-tekort-aan-tijd-en-docenten) is orphaned"),
        "{out}"
    );
    // Both example coders had coded the deleted sentence, with the same code.
    assert_eq!(out.matches("is orphaned").count(), 2, "{out}");
    // `check` reports; it rewrites nothing until asked.
    let file = p
        .corpus()
        .join("codings/voorbeeld/intermezzo-werkdruk-en-docentenwelzijn.toml");
    let before = std::fs::read_to_string(&file).unwrap();
    assert!(!before.contains("orphaned = true"));
    assert!(out.contains("`visgraat check --fix` writes them"), "{out}");
    let fixed = p.expect(2, &["check", "--fix"]);
    assert!(fixed.contains("wrote "), "{fixed}");
    // Orphans are kept in the file, marked, and count nowhere.
    let codings = std::fs::read_to_string(&file).unwrap();
    assert!(codings.contains("orphaned = true"));
    assert_eq!(codings.matches("[[coding]]").count(), 8);
    let stats: serde_json::Value =
        serde_json::from_str(&p.expect(0, &["stats", "--json", "--coder", "voorbeeld"])).unwrap();
    let team_minus = stats["bones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["level"] == "team" && b["valence"] == "belemmerend")
        .unwrap();
    assert_eq!(team_minus["codings"], 4);
    // Every moved coding still covers its own words.
    let hits = p.search(&["reddingsboeien", "--code", "team-collegiale-steun"]);
    assert_eq!(hits.len(), 1);
}
