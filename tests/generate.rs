//! The benchmark corpus generator: same seed, same bytes; a corpus that visgraat itself finds
//! sound; a vocabulary that keeps growing with size.

mod common;

use std::path::Path;
use std::process::Command;

fn generate(out: &Path, size: &str, seed: &str) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_visgraat"))
        .args(["generate", "--size", size, "--seed", seed])
        .arg(out)
        .current_dir(common::repo_root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn types(summary: &str) -> u64 {
    let at = summary.find(" word types").unwrap();
    let open = summary[..at].rfind('(').unwrap();
    summary[open + 1..at].parse().unwrap()
}

#[test]
fn same_seed_same_corpus_and_visgraat_finds_it_sound() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let summary = generate(&a, "300KB", "7");
    generate(&b, "300KB", "7");
    generate(&c, "300KB", "8");
    assert!(summary.contains("6 transcripts"), "{summary}");
    let (fa, fb, fc) = (files(&a), files(&b), files(&c));
    assert!(fa.len() > 10);
    assert_eq!(fa, fb, "byte for byte");
    assert_ne!(fa, fc, "another seed, another corpus");

    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_visgraat"))
            .arg("--config")
            .arg(a.join("config.toml"))
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let check = run(&["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let hits = run(&["search", "werkdruk", "--json"]);
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&hits.stdout).unwrap();
    assert!(!hits.is_empty());
    assert_eq!(hits[0]["kind"], "transcript");
    assert!(hits[0]["speaker"].is_string(), "speaker turns");
    let filtered = run(&["search", "de", "--coder", "synth-a", "--json"]);
    let filtered: Vec<serde_json::Value> = serde_json::from_slice(&filtered.stdout).unwrap();
    assert!(!filtered.is_empty(), "codings exist and filter");
    let quotes = run(&["search", "de", "--quotes", "--json"]);
    let quotes: Vec<serde_json::Value> = serde_json::from_slice(&quotes.stdout).unwrap();
    assert!(!quotes.is_empty(), "quoted speech became quote records");
}

#[test]
fn vocabulary_keeps_growing_with_size() {
    let tmp = tempfile::tempdir().unwrap();
    let small = types(&generate(&tmp.path().join("s"), "200KB", "1"));
    let large = types(&generate(&tmp.path().join("l"), "2MB", "1"));
    // Heaps' law with beta 0.6: ten times the text, about four times the word types.
    let ratio = large as f64 / small as f64;
    assert!((2.5..6.0).contains(&ratio), "{small} → {large}");
}
