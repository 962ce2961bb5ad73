//! A code book with a bad entry, or one that does not parse: the entry is skipped and named,
//! the rest (codes, codings, search) keeps working, and nothing saves over the bad file.

use crate::common::Project;
use crate::{LETTER, summary};
use visgraat::config::Config;
use visgraat::tui::app::App;
use visgraat::workspace::Workspace;

/// The shipped code book with the entry of its first team code changed by `change`; the
/// code's id and how many codings use it.
fn break_first_team_code(p: &Project, change: impl Fn(&str) -> String) -> (String, usize) {
    let path = p.corpus().join("codebook.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let level = text.find("level = \"team\"").unwrap();
    let entry = text[..level].rfind("[[code]]").unwrap();
    let end = entry + 8 + text[entry + 8..].find("[[code]]").unwrap();
    let id = text[entry..end]
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .unwrap()
        .trim_end_matches('"')
        .to_string();
    let changed = format!(
        "{}{}{}",
        &text[..entry],
        change(&text[entry..end]),
        &text[end..]
    );
    std::fs::write(&path, changed).unwrap();
    let (set, _) = visgraat::coding::CodingSet::load(&p.corpus());
    let uses = set.codings.iter().filter(|c| c.coding.code == id).count();
    (id, uses)
}

#[test]
fn a_bad_code_book_entry_is_skipped_and_the_rest_kept() {
    let p = Project::shipped();
    let (codes, codings, coders) = summary(&p.expect(0, &["check"]));
    let (id, uses) = break_first_team_code(&p, |entry| {
        entry.replace("level = \"team\"", "level = \"teamm\"")
    });
    assert!(uses > 0, "the test needs a code in use");
    let out = p.expect(2, &["check"]);
    let line = std::fs::read_to_string(p.corpus().join("codebook.toml"))
        .unwrap()
        .lines()
        .position(|l| l == "level = \"teamm\"")
        .unwrap()
        + 1;
    assert!(
        out.contains(&format!(
            "codebook.toml:{line}: code \"{id}\" skipped: unknown level \"teamm\""
        )),
        "{out}"
    );
    // One problem for the code's codings, not one per coding; and only these two.
    assert!(
        out.contains(&format!(
            "{uses} coding(s) use code \"{id}\", which is missing"
        )),
        "{out}"
    );
    assert!(!out.contains("uses unknown code"), "{out}");
    assert!(out.contains("2 problem(s)"), "{out}");
    assert_eq!(summary(&out), (codes - 1, codings, coders));

    // Searching and coding with the other codes go on.
    assert!(!p.search(&["werkdruk"]).is_empty());
    let out = p.expect(
        0,
        &["code", LETTER, "0", "8", "team-tekort-aan-tijd-en-docenten"],
    );
    assert!(out.starts_with("coded"), "{out}");
    let err = p.stderr(2, &["code", LETTER, "0", "8", &id]);
    assert!(err.contains("is bad and was skipped"), "{err}");

    // A missing field and a duplicate id: the same, each with its line.
    let p = Project::shipped();
    let (id, _) = break_first_team_code(&p, |entry| {
        let id = entry
            .lines()
            .find(|l| l.starts_with("id = "))
            .unwrap()
            .to_string();
        let without: Vec<&str> = entry
            .lines()
            .filter(|l| !l.starts_with("definition = "))
            .collect();
        let without = without
            .join("\n")
            .replace(&id, "id = \"team-zonder-definitie\"");
        format!("{entry}\n{entry}\n{without}\n\n")
    });
    let out = p.expect(2, &["check"]);
    assert!(
        // definition may be absent for codes from other tools (they keep their GUID); a
        // visgraat code without one is still skipped, with its line.
        out.contains("code \"team-zonder-definitie\" has no definition: coders need one; skipped"),
        "{out}"
    );
    assert!(
        out.contains(&format!("duplicate code id \"{id}\"; skipped")),
        "{out}"
    );
    assert!(
        !out.contains("coding(s) use code"),
        "the first entry of the id is kept: {out}"
    );
    assert!(out.contains("2 problem(s)"), "{out}");
}

#[test]
fn a_code_book_that_does_not_parse_leaves_search_working() {
    for (broken, says) in [
        (
            &b"[[code]\nid = \"x\"\n"[..],
            "codebook.toml:1: malformed TOML, column 8",
        ),
        (
            &b"[[group]]\nid = \"\xff\"\n"[..],
            "codebook.toml:2: not valid UTF-8",
        ),
    ] {
        let p = Project::shipped();
        std::fs::write(p.corpus().join("codebook.toml"), broken).unwrap();
        let out = p.expect(2, &["check"]);
        assert!(out.contains(says), "{out}");
        // One problem per code its codings use, not one per coding.
        let per_code = out
            .lines()
            .filter(|l| l.contains("coding(s) use code"))
            .count();
        let (set, _) = visgraat::coding::CodingSet::load(&p.corpus());
        let mut used: Vec<&str> = set.codings.iter().map(|c| c.coding.code.as_str()).collect();
        used.sort();
        used.dedup();
        assert_eq!(per_code, used.len(), "{out}");

        let out = p.run(&["search", "werkdruk", "--json"]);
        assert_eq!(out.status.code(), Some(0));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("warning") && err.contains(says), "{err}");
        let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert!(!hits.is_empty());
        // A code filter still finds the codings by their code id.
        let out = p.run(&["search", "werkdruk", "--code", used[0], "--json"]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("is not in the code book as read"),
            "{out:?}"
        );
        let err = p.stderr(2, &["code", LETTER, "0", "8", used[0]]);
        assert!(err.contains("the code book could not be read"), "{err}");
    }
}

#[test]
fn the_tui_does_not_save_a_code_book_with_skipped_entries() {
    use visgraat::tui::action::{Action, ViewId};
    let p = Project::shipped();
    break_first_team_code(&p, |entry| {
        entry.replace("level = \"team\"", "level = \"teamm\"")
    });
    let path = p.corpus().join("codebook.toml");
    let before = std::fs::read_to_string(&path).unwrap();
    let ws = Workspace::open(Config::load(&p.path().join("config.toml")).unwrap()).unwrap();
    let mut app = App::new(ws, (100, 30), false);
    app.update(Action::Show(ViewId::Codes));
    app.update(Action::RenameCode);
    for c in "Nieuw".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Enter);
    let (message, error) = app.message.clone().unwrap();
    assert!(
        error && message.contains("fix codebook.toml first"),
        "{message}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        before,
        "nothing lost"
    );
}

/// A code's entry deleted by hand (or lost in a merge) while codings use it: every part of
/// visgraat says so the same way. `check` and the TUI's `!` list name it; the counting
/// analyses (stats, saturation) leave its codings out and say so; a citations export
/// lists them by code id and says so (found in a new-user trial: saturation counted the
/// code, the export said nothing, `!` said "no problems").
#[test]
fn a_code_deleted_by_hand_is_named_everywhere_and_counted_nowhere() {
    let p = Project::shipped();
    let before: serde_json::Value =
        serde_json::from_str(&p.expect(0, &["saturation", "--json"])).unwrap();
    let (id, uses) = break_first_team_code(&p, |_| String::new());
    assert!(uses > 0, "the test needs a code in use");
    let out = p.expect(2, &["check"]);
    assert!(
        out.contains(&format!("uses unknown code \"{id}\"")),
        "{out}"
    );

    let saturation = p.run(&["saturation", "--json"]);
    let stderr = String::from_utf8_lossy(&saturation.stderr);
    assert!(
        stderr.contains(&format!(
            "{uses} coding(s) with a code not in the code book are not counted"
        )),
        "{stderr}"
    );
    let after: serde_json::Value = serde_json::from_slice(&saturation.stdout).unwrap();
    assert_eq!(after["left_out"]["unknown_code_codings"], uses);
    let codes = |s: &serde_json::Value| s["total_codes"].as_u64().unwrap();
    assert!(codes(&after) < codes(&before), "{after}");
    assert!(!after.to_string().contains(&format!("\"{id}\"")), "{after}");

    let export = p.run(&["export", "--format", "md", "-o", "citaten.md"]);
    assert!(
        String::from_utf8_lossy(&export.stderr).contains(&format!(
            "{uses} coding(s) with a code not in the code book are written by their code id"
        )),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );

    let ws = Workspace::open(Config::load(&p.path().join("config.toml")).unwrap()).unwrap();
    let items = App::new(ws, (140, 40), false).problem_items();
    assert!(
        items
            .iter()
            .any(|i| i.label
                == format!("code niet in het codeboek (niet meegeteld): {id} · {uses}×")),
        "{items:?}"
    );
}
