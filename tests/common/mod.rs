//! Shared helpers for the integration tests: a throw-away copy of the shipped corpus (so
//! tests never touch corpus/), and a way to run the real `visgraat` binary on it.

#![allow(dead_code)]

pub mod qdpx;
pub mod tmux;
pub mod tui;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary project: a copy of the shipped corpus, its own index and config.toml.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn shipped() -> Project {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo_root().join("corpus"), &dir.path().join("corpus"));
        std::fs::write(
            dir.path().join("config.toml"),
            "corpus = \"corpus\"\nindex = \"index\"\ncoder = \"tester\"\n",
        )
        .unwrap();
        Project { dir }
    }

    /// The shipped corpus plus the synthetic transcript fixture (speaker turns).
    pub fn shipped_with_transcript() -> Project {
        let p = Project::shipped();
        let target = p.corpus().join("sources/transcript");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::copy(
            repo_root().join("tests/fixtures/synthetic-focusgroep-transcript.md"),
            target.join("synthetic-focusgroep-transcript.md"),
        )
        .unwrap();
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn corpus(&self) -> PathBuf {
        self.path().join("corpus")
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_visgraat"))
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            // The user's own config (coder = …) must not reach a test.
            .env("XDG_CONFIG_HOME", self.path().join(".user-config"))
            .env_remove("VISGRAAT_CODER")
            .output()
            .expect("the visgraat binary runs")
    }

    /// Run, expecting exit code `code`; return stdout.
    pub fn expect(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(
            out.status.code(),
            Some(code),
            "visgraat {args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        stdout
    }

    pub fn stderr(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "visgraat {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).to_string()
    }

    /// `search … --json`, parsed.
    pub fn search(&self, args: &[&str]) -> Vec<serde_json::Value> {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.push("--json");
        let out = self.run(&all);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "search {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout)
            .expect("search --json prints a JSON array")
    }
}

pub fn text(hit: &serde_json::Value) -> String {
    hit["text"].as_str().unwrap_or_default().to_string()
}

pub fn key(hit: &serde_json::Value) -> String {
    hit["key"].as_str().unwrap_or_default().to_string()
}

/// A small deterministic generator (no extra crate for a test's random delays).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}
