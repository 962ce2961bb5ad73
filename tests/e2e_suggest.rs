//! End to end in a real terminal (tmux): suggest from the command line, review the
//! suggestions in the Vergelijken view, accept one, skip one, reject one, quit; start again
//! and the rejected one stays gone, in the TUI and for a new `suggest` run.

mod common;

use common::Project;
use common::tmux::{self, Tmux};

#[test]
fn suggest_review_accept_reject_and_the_rejection_outlives_a_restart() {
    if !tmux::available() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let p = Project::shipped();
    let made: Vec<serde_json::Value> =
        serde_json::from_str(&p.expect(0, &["suggest", "--limit", "3", "--json"])).unwrap();
    assert_eq!(made.len(), 3);

    let tmux = Tmux::start(p.path(), 140, 40);
    tmux.wait_for("Bronnen");
    tmux.keys(&["6"]);
    tmux.wait_for("Verschillen voorbeeld ↔ voorbeeld-2");
    tmux.keys(&["f"]);
    let first = tmux.wait_for("tester ↔ suggesties (3)");
    assert!(
        first.contains("lijkt op"),
        "the reasons are shown:\n{first}"
    );
    tmux.keys(&["a"]);
    tmux.wait_for("suggestie overgenomen als jouw codering");
    tmux.wait_for("tester ↔ suggesties (2)");
    tmux.keys(&["s", "d"]);
    tmux.wait_for("suggestie afgewezen: komt niet terug");
    tmux.wait_for("tester ↔ suggesties (1)");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED 0");
    drop(tmux);

    let rejected = std::fs::read_to_string(p.corpus().join("suggestions/rejected.toml")).unwrap();
    assert!(rejected.contains("by = \"tester\""), "{rejected}");
    let log = std::fs::read_to_string(p.corpus().join("review.toml")).unwrap();
    assert!(log.contains("accepted suggestion"), "{log}");

    // A restart: one suggestion open. Tester has a coding now, so the view opens on tester
    // and the first other coder; `f` goes on to voorbeeld-2, then to the suggestions.
    let tmux = Tmux::start(p.path(), 140, 40);
    tmux.wait_for("Bronnen");
    tmux.keys(&["6"]);
    tmux.wait_for("Verschillen tester ↔ voorbeeld ");
    tmux.keys(&["f"]);
    tmux.wait_for("Verschillen tester ↔ voorbeeld-2");
    tmux.keys(&["f"]);
    tmux.wait_for("tester ↔ suggesties (1)");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED 0");
    drop(tmux);

    // A new run proposes neither the accepted nor the rejected one again.
    let again: Vec<serde_json::Value> =
        serde_json::from_str(&p.expect(0, &["suggest", "--limit", "50", "--json"])).unwrap();
    let ids: Vec<&str> = again.iter().map(|s| s["id"].as_str().unwrap()).collect();
    let decided: Vec<&str> = made
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .filter(|id| !ids.contains(id))
        .collect();
    assert_eq!(decided.len(), 2, "accepted and rejected stay gone: {ids:?}");
}
