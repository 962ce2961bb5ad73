//! The index's catalogue of the sources, from which the TUI draws its first frame before the
//! workspace is loaded: written by an index build, read back as the corpus has it, refused
//! once a source was added, removed or renamed or the cases changed (and written anew by the
//! next refresh), and `first-frame` showing what it should either way.

mod common;

use common::Project;
use visgraat::config::Config;
use visgraat::corpus::Corpus;
use visgraat::index::catalogue::{self, Catalogue};

fn config(p: &Project) -> Config {
    Config::load(&p.path().join("config.toml")).unwrap()
}

fn fresh(p: &Project) -> Option<Catalogue> {
    let c = config(p);
    catalogue::load_fresh(&c.corpus, &c.index)
}

fn catalogue_file(p: &Project) -> std::path::PathBuf {
    p.path().join("index/visgraat-catalogue")
}

#[test]
fn an_index_build_writes_the_catalogue_of_the_corpus() {
    let p = Project::shipped_with_transcript();
    assert_eq!(fresh(&p), None, "no index, no catalogue");
    p.expect(0, &["index", "--quiet"]);
    let read = fresh(&p).expect("the build wrote a catalogue that matches");
    let corpus = Corpus::load(&p.corpus()).unwrap();
    assert_eq!(read, Catalogue::of(&corpus));
    assert_eq!(read.sources.len(), corpus.sources.len());
    let kinds: std::collections::BTreeSet<_> = read.sources.iter().map(|e| e.kind).collect();
    assert!(kinds.len() > 1, "{kinds:?}");
    // Every case a source names has its label from cases.toml.
    for case in read.sources.iter().filter_map(|e| e.case.as_deref()) {
        let label = corpus.cases.get(case).map(|c| c.label.as_str());
        assert_eq!(Some(read.case_label(case)), label.or(Some(case)));
    }
}

#[test]
fn a_source_added_removed_or_renamed_or_changed_cases_refuse_the_catalogue() {
    type Change = (&'static str, fn(&Project));
    let changes: [Change; 4] = [
        ("added", |p| {
            let dir = p.corpus().join("sources/letter");
            let any = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap();
            let text = std::fs::read_to_string(any.path()).unwrap();
            let text = text.replacen("id = \"", "id = \"kopie-", 1);
            std::fs::write(dir.join("kopie.md"), text).unwrap();
        }),
        ("removed", |p| {
            let dir = p.corpus().join("sources/report");
            let any = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap();
            std::fs::remove_file(any.path()).unwrap();
        }),
        ("renamed", |p| {
            let dir = p.corpus().join("sources/intermezzo");
            let any = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap();
            std::fs::rename(any.path(), dir.join("hernoemd.md")).unwrap();
        }),
        ("cases changed", |p| {
            let path = p.corpus().join("cases.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, format!("{text}\n# een regel meer\n")).unwrap();
        }),
    ];
    for (what, change) in changes {
        let p = Project::shipped();
        p.expect(0, &["index", "--quiet"]);
        assert!(fresh(&p).is_some(), "{what}: before the change");
        change(&p);
        assert_eq!(fresh(&p), None, "{what}: the catalogue is refused");
        let frame = p.expect(0, &["first-frame", "--width", "80", "--height", "24"]);
        assert!(
            frame.contains("Het project wordt geladen"),
            "{what}:\n{frame}"
        );
        // The next refresh writes it anew, as the corpus is now.
        p.expect(0, &["index", "--quiet"]);
        let corpus = Corpus::load(&p.corpus()).unwrap();
        assert_eq!(
            fresh(&p),
            Some(Catalogue::of(&corpus)),
            "{what}: after a refresh"
        );
    }
}

#[test]
fn first_frame_shows_the_tree_at_once_and_the_loaded_page_with_loaded() {
    let p = Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    let read = fresh(&p).unwrap();
    // The tree is 30 columns wide: the start of the first title.
    let title: String = read.sources[0].title.chars().take(15).collect();
    let frame = p.expect(0, &["first-frame"]);
    assert!(frame.contains("LADEN"), "{frame}");
    assert!(frame.contains(&title), "{frame}");
    let loaded = p.expect(0, &["first-frame", "--loaded"]);
    assert!(
        loaded.contains("NORMAAL") && !loaded.contains("LADEN"),
        "{loaded}"
    );
    assert!(loaded.contains(&title), "{loaded}");
    // Only the status line tells them apart.
    let lines = |s: &str| {
        s.lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (a, b) = (lines(&frame), lines(&loaded));
    assert_eq!(a.len(), b.len());
    assert_eq!(a[..a.len() - 1], b[..b.len() - 1]);
}

#[test]
fn the_tui_writes_a_missing_catalogue_once_it_has_loaded_the_corpus() {
    let p = Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    std::fs::remove_file(catalogue_file(&p)).unwrap();
    let plain = p.expect(0, &["first-frame"]);
    assert!(plain.contains("Het project wordt geladen"), "{plain}");
    // The index is fresh, so no refresh writes it; the loaded workspace does.
    p.expect(0, &["first-frame", "--loaded"]);
    let corpus = Corpus::load(&p.corpus()).unwrap();
    assert_eq!(fresh(&p), Some(Catalogue::of(&corpus)));
}
