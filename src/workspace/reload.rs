//! Changes on disk under a running workspace — another visgraat, `git pull`, a person editing
//! a source in their editor — are read back in here, so the workspace never acts on a stale
//! copy: sources included, codings re-anchored against the text as it is now.

use crate::coding::CodingSet;
use crate::coding::anchor;
use crate::corpus::Corpus;
use crate::corpus::cases::Cases;
use crate::corpus::codebook::Codebook;
use crate::error::Error;

use super::Workspace;

/// What a reload found.
#[derive(Debug, Default)]
pub struct Reloaded {
    /// The sources were read again (some changed, came or went).
    pub sources: bool,
    /// Codings whose text moved and that were put back on it, or flagged for review.
    pub healed: usize,
    /// The first problem found, if any (all are in `Workspace::problems`).
    pub first_problem: Option<String>,
}

impl Workspace {
    /// Read back whatever changed on disk. With `sources`, the sources too: then every
    /// coding is re-anchored against the text as it is now, and what that finds is written
    /// (as opening a workspace does), so no later write starts from offsets into old text.
    pub fn reload(&mut self, sources: bool) -> Reloaded {
        if !sources {
            let first_problem = self.reload_project_files().first().map(|e| e.to_string());
            return Reloaded {
                first_problem,
                ..Reloaded::default()
            };
        }
        let corpus = match Corpus::load(&self.config.corpus) {
            Ok(c) => c,
            Err(e) => {
                return Reloaded {
                    first_problem: Some(e.to_string()),
                    ..Reloaded::default()
                };
            }
        };
        let mut corpus = corpus;
        self.problems = std::mem::take(&mut corpus.problems);
        self.corpus_problems = self.problems.len();
        self.corpus = corpus;
        let (mut codings, problems) = CodingSet::load(&self.config.corpus);
        self.problems.extend(problems);
        let healed = anchor::heal(&self.corpus, &mut codings);
        self.codings = codings;
        self.sources_read += 1;
        let moved = healed.iter().filter(|h| h.changed).count();
        self.healed = healed;
        if let Err(e) = self.write_healing(false) {
            self.problems.push(e);
        }
        Reloaded {
            sources: true,
            healed: moved,
            first_problem: self.problems.first().map(|e| e.to_string()),
        }
    }

    /// Read the code book, the cases, the memos and the codings again (after an edit of
    /// their files, here or elsewhere). Returns the problems found on the way.
    pub fn reload_project_files(&mut self) -> Vec<Error> {
        let root = self.corpus.root.clone();
        let mut found = Vec::new();
        let (book, problems) = Codebook::load(&root.join("codebook.toml"));
        self.corpus.codebook = book;
        found.extend(problems);
        let cases_path = root.join("cases.toml");
        if cases_path.exists() {
            match Cases::load(&cases_path) {
                Ok(c) => self.corpus.cases = c,
                Err(e) => found.push(e),
            }
        }
        match crate::coding::memos::load(&root) {
            Ok(m) => self.corpus.memos = m,
            Err(e) => found.push(e),
        }
        self.reload_codings();
        found
    }
}
