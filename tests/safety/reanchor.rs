//! An edit to a coded passage and its undoing: a coding whose words changed waits for a
//! person with the place its passage most likely has now, and when the text comes back (an
//! editor's undo, `git checkout`) the coding is as it was, to the byte.

use super::common::Project;

const SOURCE: &str = "sources/intermezzo/intermezzo-definitie-passend-onderwijs.md";
pub(crate) const QUOTE: &str = "docenten niet altijd precies weten wat passend onderwijs inhoudt";

/// The shipped project with `QUOTE` coded by "tester": the codings file and what it holds.
pub(crate) fn coded() -> (Project, std::path::PathBuf, String) {
    let p = Project::shipped();
    p.expect(
        0,
        &[
            "code",
            "intermezzo-definitie-passend-onderwijs",
            "--match",
            QUOTE,
            "individu-onduidelijk-wat-passend-onderwijs-is",
            "--coder",
            "tester",
        ],
    );
    let file = p
        .corpus()
        .join("codings/tester/intermezzo-definitie-passend-onderwijs.toml");
    let stored = std::fs::read_to_string(&file).unwrap();
    (p, file, stored)
}

/// Replace `from` with `to` in the coded source, as a hand edit does; returns the text it
/// had, to put back.
fn edit_source(p: &Project, from: &str, to: &str) -> String {
    let src = p.corpus().join(SOURCE);
    let original = std::fs::read_to_string(&src).unwrap();
    assert!(original.contains(from));
    std::fs::write(&src, original.replace(from, to)).unwrap();
    original
}

/// How many codings `codes list` counts for the coded code.
fn listed(p: &Project) -> u64 {
    let codes: serde_json::Value =
        serde_json::from_str(&p.expect(0, &["codes", "list", "--json"])).unwrap();
    codes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "individu-onduidelijk-wat-passend-onderwijs-is")
        .unwrap()["coded"]
        .as_u64()
        .unwrap()
}

#[test]
fn a_replaced_word_is_proposed_for_review_and_undoing_it_restores_the_coding() {
    let (p, file, stored) = coded();
    let counted = listed(&p);
    let src = p.corpus().join(SOURCE);
    // "precies" → "van tevoren": more than a typo (more than one edit in ten chars, so
    // beyond what re-anchoring places by itself), yet plainly the same passage.
    let original = edit_source(&p, "altijd precies weten", "altijd van tevoren weten");
    let out = p.expect(2, &["check"]);
    assert!(
        out.contains("needs review: words were added, removed or changed inside it")
            && out.contains("now perhaps at")
            && out.contains("“docenten niet altijd van tevoren weten"),
        "{out}"
    );
    // A command that writes what re-anchoring found flags it on disk.
    p.search(&["onderwijs"]);
    let flagged = std::fs::read_to_string(&file).unwrap();
    // Waiting for review it counts nowhere, in `codes list` as in stats (found in a
    // new-user trial: codes list still counted it).
    let (set, _) = visgraat::coding::CodingSet::load(&p.corpus());
    let live = set
        .codings
        .iter()
        .filter(|c| c.coding.code == "individu-onduidelijk-wat-passend-onderwijs-is")
        .filter(|c| !c.coding.orphaned)
        .count() as u64;
    assert!(live < counted, "the edit took codings out of the count");
    assert_eq!(listed(&p), live);
    assert!(
        flagged.contains("orphaned = true") && flagged.contains("[coding.review]"),
        "{flagged}"
    );

    std::fs::write(&src, &original).unwrap();
    p.expect(0, &["check"]);
    p.search(&["onderwijs"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stored);
}

#[test]
fn a_typo_placed_by_itself_and_then_undone_leaves_the_coding_as_it_was() {
    let (p, file, stored) = coded();
    let src = p.corpus().join(SOURCE);
    let original = edit_source(&p, "altijd precies weten", "altijd precis weten");
    p.search(&["onderwijs"]);
    let moved = std::fs::read_to_string(&file).unwrap();
    assert!(
        moved.contains("quote = \"docenten niet altijd precis weten")
            && moved.contains(&format!("original_quote = \"{QUOTE}\"")),
        "{moved}"
    );

    std::fs::write(&src, &original).unwrap();
    p.search(&["onderwijs"]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        stored,
        "no original_quote equal to the quote is left behind"
    );
}

/// A proposal accepted, then the edit undone: the coding goes back onto its first text by
/// itself, to the byte (found in a new-user trial: after `git checkout` the accepted
/// codings waited for review again, counted nowhere).
#[test]
fn an_accepted_proposal_goes_back_onto_the_first_text_when_it_returns() {
    let (p, file, stored) = coded();
    let src = p.corpus().join(SOURCE);
    let original = edit_source(&p, "altijd precies weten", "altijd van tevoren weten");
    let id = visgraat::coding::load_file(&file).unwrap().codings[0]
        .id
        .clone();
    let accepted = p.expect(2, &["check", "--accept", &id]);
    assert!(
        accepted.contains(&format!("placed coding {id}")),
        "{accepted}"
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("altijd van tevoren weten"),
        "accepted onto the new text"
    );

    std::fs::write(&src, &original).unwrap();
    p.search(&["onderwijs"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stored);
    assert_eq!(p.search(&["precies", "--coder", "tester"]).len(), 1);
}
