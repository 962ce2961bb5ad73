//! The problems list (`!`): files that could not be read, with file and line, then codings
//! whose text is gone or waits for review; Enter opens one where it was, `a` accepts a
//! review's proposed place.

use crate::coding::Placed;
use crate::tui::action::Action;
use crate::tui::i18n;
use crate::tui::pages::{Command, Ctx};

use super::Popup;

/// One line of the problems list; orphaned codings can be opened where they were.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemItem {
    pub label: String,
    pub at: Option<(usize, usize)>,
    /// A coding that waits for review of its re-anchoring: `a` places it as proposed.
    pub review: Option<Placed>,
}

pub fn problem_items(ctx: &Ctx) -> Vec<ProblemItem> {
    let ws = ctx.ws;
    let m = ctx.msg();
    // Paths relative to the project: shorter, and what the user sees in the file tree.
    let root = &ws.corpus.root;
    let mut items: Vec<ProblemItem> = ws
        .problems
        .iter()
        .map(|p| ProblemItem {
            label: relative_to_project(&p.to_string(), root),
            at: None,
            review: None,
        })
        .collect();
    // Codes gone from the code book (deleted by hand, lost in a merge) while codings use
    // them, one line per code, as `visgraat check` has them; a code whose entry could not
    // be read is named among the file problems above.
    let mut unknown: std::collections::BTreeMap<&str, usize> = Default::default();
    for p in &ws.codings.codings {
        let code = p.coding.code.as_str();
        let book = &ws.corpus.codebook;
        if book.code(code).is_none() && book.missing_because(code).is_none() {
            *unknown.entry(code).or_default() += 1;
        }
    }
    items.extend(unknown.into_iter().map(|(code, n)| ProblemItem {
        label: format!("{}: {code} · {n}×", m.unknown_code),
        at: None,
        review: None,
    }));
    for p in ws.codings.codings.iter().filter(|c| c.coding.orphaned) {
        let source = ws.corpus.source_index(&p.source);
        let quote: String = p.coding.quote.chars().take(60).collect();
        let clamp = |s: usize, a: usize| (s, a.min(ctx.source(s).char_len()));
        if let Some(review) = &p.coding.review {
            let now: String = review.text.chars().take(60).collect();
            let at = review.start.or(Some(p.coding.start));
            items.push(ProblemItem {
                label: format!(
                    "{}: {} · {}/{} · {} · “{quote}” → “{now}”",
                    m.needs_review,
                    i18n::doubt(ctx.lang, review.doubt),
                    p.coder,
                    p.source,
                    p.coding.code
                ),
                at: source.zip(at).map(|(s, a)| clamp(s, a)),
                review: Some(p.clone()),
            });
            continue;
        }
        items.push(ProblemItem {
            label: format!(
                "{} · {}/{} · {} · “{quote}”",
                m.orphaned_coding, p.coder, p.source, p.coding.code
            ),
            at: source.map(|s| clamp(s, p.coding.start)),
            review: None,
        });
    }
    items
}

pub(super) fn update(selected: usize, action: &Action, ctx: &Ctx) -> (Option<Popup>, Vec<Command>) {
    let items = problem_items(ctx);
    let selected = match action {
        Action::Back | Action::Problems | Action::Quit => return (None, Vec::new()),
        Action::Up | Action::ScrollUp => selected.saturating_sub(1),
        Action::Down | Action::ScrollDown => (selected + 1).min(items.len().saturating_sub(1)),
        Action::Enter => {
            if let Some((source, at)) = items.get(selected).and_then(|p| p.at) {
                return (None, vec![Command::Open { source, at }]);
            }
            selected
        }
        Action::ToggleHelp => {
            // The keys are in the title; `?` says them where a user looks for an answer.
            return (
                Some(Popup::Problems { selected }),
                vec![Command::Info(ctx.msg().problems_keys.to_string())],
            );
        }
        Action::AcceptReview => {
            if let Some(old) = items.get(selected).and_then(|p| p.review.clone()) {
                let keep_open = Popup::Problems {
                    selected: selected.min(items.len().saturating_sub(2)),
                };
                return (Some(keep_open), vec![Command::AcceptReview(old)]);
            }
            selected
        }
        _ => selected,
    };
    (Some(Popup::Problems { selected }), Vec::new())
}

/// `text` with the project's directory (the corpus's parent) taken off its paths: shorter,
/// and what the user sees in the file tree. A relative corpus ("corpus") has an empty
/// parent, and then nothing is taken off (taking off "/" dropped every slash).
fn relative_to_project(text: &str, corpus_root: &std::path::Path) -> String {
    match corpus_root.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(project) => text.replace(&format!("{}/", project.display()), ""),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn problem_paths_keep_their_slashes() {
        use std::path::Path;
        let problem = "corpus/codings/voorbeeld/x.toml:3: malformed TOML";
        assert_eq!(
            super::relative_to_project(problem, Path::new("corpus")),
            problem
        );
        assert_eq!(
            super::relative_to_project(
                "/home/a/p/corpus/codings/voorbeeld/x.toml:3: malformed TOML",
                Path::new("/home/a/p/corpus")
            ),
            problem
        );
    }
}
