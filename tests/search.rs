//! Searching the shipped corpus through the real binary: Dutch stemming that keeps beleid
//! and begeleiding apart, accents, phrases, compounds, every filter, quotes with voices and
//! the JSON shape.

mod common;

use common::{Project, key, text};

#[test]
fn search_keeps_beleid_and_begeleiding_apart() {
    let p = Project::shipped();
    let beleid = p.search(&["beleid", "--limit", "500"]);
    assert!(
        beleid.len() >= 10,
        "beleid should be found often, got {}",
        beleid.len()
    );
    for hit in &beleid {
        assert!(
            text(hit).to_lowercase().contains("beleid"),
            "{} has no 'beleid': {}",
            key(hit),
            text(hit)
        );
    }
    // Passages that speak only of begeleiding (and not of beleid) must not come back.
    let begeleiding = p.search(&["begeleiding", "--limit", "500"]);
    let only_begeleiding: Vec<String> = begeleiding
        .iter()
        .filter(|h| {
            !text(h)
                .to_lowercase()
                .replace("begeleid", "")
                .contains("beleid")
        })
        .map(key)
        .collect();
    assert!(only_begeleiding.len() >= 10);
    let beleid_keys: Vec<String> = beleid.iter().map(key).collect();
    for k in &only_begeleiding {
        assert!(
            !beleid_keys.contains(k),
            "{k} is about begeleiding only, yet found for beleid"
        );
    }
}

#[test]
fn search_finds_stemmed_forms() {
    let p = Project::shipped();
    // "begeleiden" (verb) finds passages with the noun "begeleiding".
    let hits = p.search(&["begeleiden", "--limit", "200"]);
    assert!(hits.iter().any(|h| text(h).contains("begeleiding")));
    // Plural and singular meet: grenzen → grens (reviewed override).
    let hits = p.search(&["grens", "--kind", "intermezzo"]);
    assert!(hits.iter().any(|h| text(h).contains("grenzen")));
}

#[test]
fn a_hit_of_more_than_one_line_keeps_its_indent() {
    // A code's snippet is its label and, on the next line, its definition.
    let p = Project::shipped();
    let out = p.expect(0, &["search", "--codes", "werkdruk"]);
    let body: Vec<&str> = out
        .lines()
        .filter(|l| !l.is_empty() && !l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert!(body.len() >= 4, "{out}");
    for line in body {
        assert!(line.starts_with("    "), "{line:?} in\n{out}");
    }
}

#[test]
fn search_is_accent_insensitive() {
    let p = Project::shipped();
    let hits = p.search(&["financiele", "--limit", "50"]);
    assert!(
        hits.iter().any(|h| text(h).contains("financiële")),
        "financiele should find financiële"
    );
    let hits = p.search(&["geevalueerd"]);
    assert!(hits.iter().any(|h| text(h).contains("geëvalueerd")));
}

#[test]
fn search_finds_phrases_in_order_only() {
    let p = Project::shipped();
    let hits = p.search(&["\"warme landing\""]);
    assert_eq!(hits.len(), 1);
    assert_eq!(key(&hits[0]), "intermezzo-intake#3");
    p.expect(1, &["search", "\"landing warme\""]);
}

#[test]
fn search_finds_compounds_ranked_below_exact_words() {
    let p = Project::shipped();
    let hits = p.search(&["welzijn", "--limit", "50"]);
    let keys: Vec<String> = hits.iter().map(key).collect();
    // The intermezzo heading says only "docentenwelzijn".
    let compound = keys
        .iter()
        .position(|k| k == "intermezzo-werkdruk-en-docentenwelzijn#1")
        .expect("welzijn finds docentenwelzijn");
    let exact = keys
        .iter()
        .position(|k| k == "intermezzo-werkdruk-en-docentenwelzijn#2")
        .expect("welzijn finds the plain word");
    assert!(
        exact < compound,
        "exact match should rank above the compound: {keys:?}"
    );
    let hits = p.search(&["behoefte", "--limit", "50"]);
    assert!(
        hits.iter()
            .any(|h| text(h).contains("ondersteuningsbehoefte"))
    );
}

#[test]
fn search_understands_or_and_not() {
    let p = Project::shipped();
    let either = p.search(&["reddingsboeien OR kennisboom"]);
    assert_eq!(either.len(), 2);
    let without = p.search(&["AVG -kennisboom", "--kind", "intermezzo"]);
    assert!(!without.is_empty());
    assert!(without.iter().all(|h| !text(h).contains("kennisboom")));
}

#[test]
fn malformed_queries_get_a_message_not_a_panic() {
    let p = Project::shipped();
    for q in ["\"open", "((", "a)", "", "NOT werkdruk", "OR", "—"] {
        let err = p.stderr(2, &["search", q]);
        assert!(err.contains("query"), "{q:?}: {err}");
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn filters_kind_case_and_speaker() {
    let p = Project::shipped_with_transcript();
    let hits = p.search(&["werkdruk", "--kind", "intermezzo"]);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["kind"] == "intermezzo"));
    let hits = p.search(&["klassen", "--case", "docententeam-groot-roc-startcollege"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(key(&hits[0]), "intermezzo-intake#2");
    let hits = p.search(&["werkdruk", "--speaker", "docent 2"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["speaker"], "Docent 2");
    assert_eq!(hits[0]["case"], "docententeam-aoc-groen");
    p.expect(1, &["search", "werkdruk", "--speaker", "Moderator"]);
    let err = p.stderr(2, &["search", "werkdruk", "--case", "no-such-team"]);
    assert!(err.contains("unknown case"));
}

#[test]
fn filters_by_factor_valence_code_and_coder() {
    let p = Project::shipped();
    let hits = p.search(&["werkdruk", "--factor", "individu", "--valence", "-"]);
    assert!(!hits.is_empty());
    for hit in &hits {
        let codes: Vec<&str> = hit["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert!(
            codes.iter().any(|c| c.starts_with("individu-")),
            "{codes:?}"
        );
    }
    let hits = p.search(&["AVG", "--code", "beleid-avg-bemoeilijkt-warme-overdracht"]);
    assert_eq!(hits.len(), 2, "two passages hold the three AVG codings");
    let hits = p.search(&["intake", "--valence", "+", "--factor", "beleid"]);
    assert_eq!(key(&hits[0]), "intermezzo-intake#2");
    assert!(!p.search(&["werkdruk", "--coder", "voorbeeld"]).is_empty());
    let err = p.stderr(1, &["search", "werkdruk", "--coder", "nobody"]);
    assert!(
        err.contains("coder \"nobody\" has made no codings (the coders are voorbeeld"),
        "not only \"no hits\": {err}"
    );
    let err = p.stderr(0, &["search", "werkdruk", "--coder", "voorbeeld"]);
    assert!(!err.contains("no codings"), "{err}");
    let err = p.stderr(2, &["search", "x", "--code", "beleid-avg"]);
    assert!(
        err.contains("did you mean beleid-avg-bemoeilijkt-warme-overdracht"),
        "{err}"
    );
}

#[test]
fn quotes_only_with_voice() {
    let p = Project::shipped();
    let hits = p.search(&["reddingsboeien", "--quotes"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["doc_type"], "quote");
    assert_eq!(hits[0]["voice"], "focusgroep");
    assert!(text(&hits[0]).starts_with("Ik gooi reddingsboeien naar collega’s"));
    let students = p.search(&[
        "ik OR begrip OR extra OR plek OR meer",
        "--voice",
        "student",
    ]);
    assert_eq!(students.len(), 6, "the six student answers quoted in §3.3");
    assert!(students.iter().all(|h| h["voice"] == "student"));
    let municipal = p.search(&["zorg", "--voice", "gemeente"]);
    assert_eq!(municipal.len(), 1);
    // A passage search does not return quote records.
    assert!(
        p.search(&["reddingsboeien"])
            .iter()
            .all(|h| h["doc_type"] == "segment")
    );
}

#[test]
fn json_has_the_documented_shape() {
    let p = Project::shipped();
    let hits = p.search(&["werkdruk", "--limit", "3"]);
    assert_eq!(hits.len(), 3);
    for field in [
        "source", "title", "kind", "case", "speaker", "voice", "page", "ordinal", "start", "end",
        "score", "snippet", "text", "codes",
    ] {
        assert!(
            hits[0].get(field).is_some(),
            "hit lacks {field}: {}",
            hits[0]
        );
    }
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "ranked: {scores:?}"
    );
}

#[test]
fn report_passages_carry_pages() {
    let p = Project::shipped();
    let query = "\"Samenwerking tussen mbo en sociaal domein\"";
    let hits = p.search(&[query, "--kind", "report", "--limit", "100"]);
    let heading = hits
        .iter()
        .find(|h| {
            h["source"] == "rapport-5-samenwerking-tussen-mbo-en-sociaal-domein"
                && text(h) == "5. Samenwerking tussen mbo en sociaal domein"
        })
        .unwrap();
    // Chapter 5 opens on page 31 (the page number is in the PDF text), exactly.
    assert_eq!(heading["page"], 31);
    assert!(heading["page_max"].is_null());
}

#[test]
fn human_output_names_title_location_and_codes() {
    let p = Project::shipped();
    let out = p.expect(0, &["search", "reddingsboeien"]);
    assert!(out.contains("Intermezzo: werkdruk en docentenwelzijn"));
    assert!(out.contains("team + Collega's vangen elkaar op"), "{out}");
    assert!(!out.contains('\x1b'), "no colour codes when piped");
}

/// The shipped project, indexed, opened as the TUI opens it (the project's folder lives as
/// long as the first value).
fn shipped_workspace() -> (Project, visgraat::workspace::Workspace) {
    let p = Project::shipped();
    p.expect(0, &["index"]);
    let config = visgraat::config::Config::load(&p.path().join("config.toml")).unwrap();
    let ws = visgraat::workspace::Workspace::open(config).unwrap();
    (p, ws)
}

/// The TUI's worker asks with the codings grouped by source (`search_indexed`): every hit,
/// score and code is what a search over the plain codings gives, also for one coder.
#[test]
fn a_search_over_grouped_codings_answers_as_over_the_plain_ones() {
    use std::sync::Arc;
    use visgraat::coding::by_source::IndexedCodings;
    use visgraat::index::search::Request;
    let (_p, ws) = shipped_workspace();
    let searcher = ws.searcher().unwrap();
    let grouped = IndexedCodings::new(Arc::new(ws.codings.clone()));
    let mut coded = 0;
    for (query, coder) in [
        ("werkdruk", None),
        ("intake OR toelating", None),
        ("studenten", Some("voorbeeld")),
        ("docenten", Some("voorbeeld-2")),
    ] {
        let request = Request {
            query: query.into(),
            coder: coder.map(str::to_string),
            limit: 50,
            ..Request::default()
        };
        let plain = searcher
            .search(&request, &ws.codings, &ws.corpus.codebook)
            .unwrap();
        let indexed = searcher
            .search_indexed(&request, &grouped, &ws.corpus.codebook)
            .unwrap();
        assert_eq!(indexed, plain, "{query} {coder:?}");
        coded += plain.iter().filter(|h| !h.codes.is_empty()).count();
    }
    assert!(
        coded > 0,
        "some hits carry codes, so the comparison means something"
    );
}

/// A coding filter asked again of the same snapshot reuses its selection; a new snapshot
/// (a coding written, removed or changed) is selected anew, so a filter never answers from
/// codings that are gone.
#[test]
fn a_filter_over_a_new_snapshot_sees_its_codings() {
    use std::sync::Arc;
    use visgraat::coding::by_source::IndexedCodings;
    use visgraat::corpus::level::Level;
    use visgraat::index::search::Request;
    let (_p, ws) = shipped_workspace();
    let searcher = ws.searcher().unwrap();
    let request = Request {
        query: "studenten OR docenten OR werkdruk".into(),
        level: Some(Level::parse("team").unwrap()),
        limit: 200,
        ..Request::default()
    };
    let keys = |hits: Vec<visgraat::index::search::Hit>| -> Vec<String> {
        hits.into_iter().map(|h| h.key).collect()
    };
    let first = IndexedCodings::new(Arc::new(ws.codings.clone()));
    let before = keys(
        searcher
            .search_indexed(&request, &first, &ws.corpus.codebook)
            .unwrap(),
    );
    let again = keys(
        searcher
            .search_indexed(&request, &first, &ws.corpus.codebook)
            .unwrap(),
    );
    assert!(!before.is_empty(), "the shipped codings code team factors");
    assert_eq!(again, before);
    // The next snapshot without the team codings: the filter finds nothing any more.
    let mut fewer = ws.codings.clone();
    fewer.codings.retain(|placed| {
        ws.corpus
            .codebook
            .code(&placed.coding.code)
            .is_none_or(|code| code.level != request.level)
    });
    assert!(fewer.codings.len() < ws.codings.codings.len());
    let second = IndexedCodings::new(Arc::new(fewer.clone()));
    let after = searcher
        .search_indexed(&request, &second, &ws.corpus.codebook)
        .unwrap();
    let plain = searcher
        .search(&request, &fewer, &ws.corpus.codebook)
        .unwrap();
    assert!(after.is_empty(), "{:?}", keys(after));
    assert!(plain.is_empty());
    // And back: the first snapshot again is selected anew and finds them again.
    let third = IndexedCodings::new(Arc::new(ws.codings.clone()));
    let back = keys(
        searcher
            .search_indexed(&request, &third, &ws.corpus.codebook)
            .unwrap(),
    );
    assert_eq!(back, before);
}

/// A search with a coding filter reads only the coded spans it needs (the filter's, then its
/// hits' sources') and keeps the passages a filter selects beside the index, yet each hit
/// carries every code on its passage, as without the filter — also when what was kept is
/// garbled.
#[test]
fn a_filtered_hit_carries_all_its_codes() {
    let p = Project::shipped();
    p.expect(0, &["index"]);
    let codes_of = |args: &[&str]| -> std::collections::BTreeMap<String, Vec<String>> {
        p.search(args)
            .iter()
            .map(|h| {
                let codes = h["codes"].as_array().unwrap();
                (
                    key(h),
                    codes
                        .iter()
                        .map(|c| c.as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect()
    };
    let all = codes_of(&["intake", "--limit", "100"]);
    // Three times: the first run writes the coded spans' cache and the filter's sets
    // (index/visgraat-filters), the second reads them, the third finds them garbled.
    for run in 0..3 {
        if run == 2 {
            let kept = p.path().join("index/visgraat-filters");
            let files: Vec<_> = std::fs::read_dir(&kept).unwrap().flatten().collect();
            assert!(!files.is_empty(), "the filter's sets are kept");
            for file in files {
                let mut bytes = std::fs::read(file.path()).unwrap();
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0xff;
                std::fs::write(file.path(), bytes).unwrap();
            }
        }
        let filtered = codes_of(&["intake", "--limit", "100", "--factor", "beleid"]);
        assert!(!filtered.is_empty());
        for (hit, codes) in &filtered {
            assert!(
                codes.iter().any(|c| c.starts_with("beleid")),
                "{hit}: {codes:?}"
            );
            assert_eq!(Some(codes), all.get(hit), "{hit}");
        }
        assert!(
            filtered
                .values()
                .any(|c| c.iter().any(|c| !c.starts_with("beleid"))),
            "some hit also has a code of another level, so the comparison means something"
        );
    }
}

#[test]
fn a_search_that_refreshes_for_a_new_code_says_the_code_book_was_re_indexed() {
    let p = Project::shipped();
    p.search(&["werkdruk"]);
    p.expect(
        0,
        &[
            "codes",
            "add",
            "Koffiepauze",
            "--level",
            "team",
            "--valence",
            "+",
            "--definition",
            "Synthetisch: een pauze samen",
        ],
    );
    // The code book's comments stay (they went, but for its leading block; found in a
    // new-user trial): the file differs from the shipped one by the new entry alone.
    let shipped =
        std::fs::read_to_string(common::repo_root().join("corpus/codebook.toml")).unwrap();
    let now = std::fs::read_to_string(p.corpus().join("codebook.toml")).unwrap();
    let comments = |t: &str| t.lines().filter(|l| l.starts_with('#')).count();
    assert_eq!(comments(&now), comments(&shipped), "{now}");
    assert!(now.contains("# --- beleid ---"), "{now}");
    let said = p.stderr(0, &["search", "werkdruk", "--limit", "1"]);
    assert!(
        said.contains("index refreshed (0 added, 0 updated, 0 removed, code book re-indexed)"),
        "{said}"
    );
}
