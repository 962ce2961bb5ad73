//! The suggestions' writes through the workspace: a run of the model stored as the machine
//! coder's codings, a suggestion accepted (it becomes the reviewer's own coding, and the
//! review log says so) or rejected (remembered, never proposed again). Each is one locked,
//! atomic write of the codings, and can be undone like any edit.

use crate::coding::history::Edit;
use crate::coding::machine::{MachineMark, SUGGESTIONS_CODER};
use crate::coding::{self, Placed, review_log};
use crate::error::{Error, Result};
use crate::suggest::{self, Proposal, rejected};

use super::Workspace;

impl Workspace {
    /// Propose codings (see `suggest::propose`) and store them as the machine coder's,
    /// replacing the open suggestions of the sources looked at.
    pub fn suggest(&mut self, options: &suggest::Options) -> Result<Vec<Proposal>> {
        if let Some(id) = &options.source
            && self.corpus.source(id).is_none()
        {
            return Err(Error::Usage(format!("no source {id:?} in the corpus")));
        }
        if let Some(code) = &options.code
            && self.corpus.codebook.code(code).is_none()
        {
            return Err(Error::Usage(format!("unknown code {code:?}")));
        }
        let rejections = rejected::load_file(&self.corpus.root)?;
        let placed = rejected::Rejected::place(&self.corpus, &rejections);
        let proposals = suggest::propose(&self.corpus, &self.codings, &placed, options);
        let sources: Vec<&str> = self
            .corpus
            .sources
            .iter()
            .map(|s| s.meta.id.as_str())
            .filter(|id| options.source.as_deref().is_none_or(|s| s == *id))
            .collect();
        let mut taught_by: Vec<String> =
            suggest::examples(&self.corpus, &self.codings, &options.from_coders)
                .into_iter()
                .map(|e| e.coder)
                .collect();
        taught_by.sort();
        taught_by.dedup();
        let mark = MachineMark {
            made_by: "visgraat suggest".into(),
            method: options.method.as_str().into(),
            taught_by,
            made: coding::time::now(),
        };
        suggest::store::replace(&self.corpus, &sources, &proposals, &mark)?;
        self.reload_codings();
        Ok(proposals)
    }

    /// The open suggestion `id`.
    pub fn suggestion(&self, id: &str) -> Result<&Placed> {
        self.codings
            .machine
            .iter()
            .find(|p| p.coding.id == id)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "no open suggestion {id:?}: `visgraat suggest` lists them (it may have been accepted or rejected)"
                ))
            })
    }

    /// Accept suggestion `id` as `reviewer`'s own coding: the machine's goes, the person's
    /// comes, in one write; the review log records it. Returns the edit (for undo).
    pub fn accept_suggestion(&mut self, id: &str, reviewer: &str) -> Result<Edit> {
        if self.codings.is_machine(reviewer) {
            return Err(Error::Usage(format!(
                "{reviewer:?} is the machine coder: accept as a person (--coder NAME)"
            )));
        }
        crate::corpus::source::validate_id(reviewer)
            .map_err(|m| Error::Usage(format!("coder: {m}")))?;
        let machine = self.suggestion(id)?.clone();
        let source = self
            .corpus
            .source(&machine.source)
            .ok_or_else(|| Error::Usage(format!("no source {:?}", machine.source)))?;
        if source
            .slice(machine.coding.start, machine.coding.end)
            .as_deref()
            != Some(machine.coding.quote.as_str())
        {
            return Err(Error::Usage(format!(
                "suggestion {id}: its passage in {} changed since; run `visgraat suggest` again",
                machine.source
            )));
        }
        let paragraph = paragraph_of(source, machine.coding.start);
        let score = self.codings.reasons.get(id).map_or(0.0, |r| r.score);
        let created = coding::time::now();
        let mut own = machine.coding.clone();
        own.id = coding::coding_id(
            reviewer,
            &machine.source,
            own.start,
            own.end,
            &own.code,
            &created.to_string(),
        );
        own.created = created;
        let person = Placed {
            coder: reviewer.to_string(),
            source: machine.source.clone(),
            coding: own,
        };
        self.apply_codings(&[
            coding::Change::Remove(&machine),
            coding::Change::Add(&person),
        ])?;
        let decision = self.log_decision(review_log::Decision {
            id: String::new(),
            at: created,
            by: reviewer.to_string(),
            coders: [SUGGESTIONS_CODER.to_string(), reviewer.to_string()],
            source: machine.source.clone(),
            paragraph,
            code: machine.coding.code.clone(),
            decision: format!("accepted suggestion {id} (score {score:.2}) as {reviewer}'s coding"),
            text: String::new(),
        })?;
        Ok(Edit::Group(vec![
            Edit::Removed(machine),
            Edit::Added(person),
            decision,
        ]))
    }

    /// Reject suggestion `id`: it goes, and is remembered so that it is never proposed
    /// again for that passage and code. Returns the edit (for undo).
    pub fn reject_suggestion(&mut self, id: &str, reviewer: &str) -> Result<Edit> {
        let machine = self.suggestion(id)?.clone();
        let rejection = rejected::Rejection {
            source: machine.source.clone(),
            code: machine.coding.code.clone(),
            start: machine.coding.start,
            end: machine.coding.end,
            quote: machine.coding.quote.clone(),
            by: reviewer.to_string(),
            at: coding::time::now(),
        };
        rejected::add(&self.corpus.root, rejection.clone())?;
        self.apply_codings(&[coding::Change::Remove(&machine)])?;
        Ok(Edit::Group(vec![
            Edit::Removed(machine),
            Edit::Rejected(rejection),
        ]))
    }
}

fn paragraph_of(source: &crate::corpus::source::Source, start: usize) -> u32 {
    source
        .segments()
        .iter()
        .find(|s| s.start <= start && start < s.end)
        .map_or(0, |s| s.ordinal)
}
