//! What is wrong with a query, in the UI language: the library names the problem
//! (`index::query::Problem`), the command line prints its English Display.

use super::Lang;
use crate::error::Error;
use crate::index::query::{MAX_CHARS, Problem};

/// `problem` in `lang`.
pub fn problem(lang: Lang, problem: Problem) -> String {
    let nl = match problem {
        Problem::UnclosedQuote => "aanhalingsteken niet gesloten: zet een \" achter de woordgroep",
        Problem::OrNeedsWords => "OR vraagt een woord aan beide kanten",
        Problem::NothingToWorkOn => {
            "hier hoort een woord (een operator of haakje heeft niets om op te werken)"
        }
        Problem::NotNeedsWord => "na NOT (of -) hoort een woord",
        Problem::MissingClose => "haakjes kloppen niet: zet er een ) achter",
        Problem::StrayClose => "haakjes kloppen niet: een ) zonder (",
        Problem::ExpectedWord => "hier hoort een woord",
        Problem::TooLong => return format!("zoekvraag te lang: hooguit {MAX_CHARS} tekens"),
        Problem::Empty => "lege zoekvraag: typ een of meer woorden",
        Problem::OnlyExcluded => {
            "een zoekvraag vraagt minstens één woord dat niet met NOT of - is uitgesloten"
        }
        Problem::NoLetters => "niets om te zoeken: de zoekvraag heeft geen letters of cijfers",
        Problem::NoContentWords => {
            "de bewering heeft geen inhoudswoorden om te zoeken (alleen functiewoorden of getallen)"
        }
    };
    match lang {
        Lang::Nl => nl.to_string(),
        Lang::En => problem.to_string(),
    }
}

/// A search's or evidence question's failure as the TUI shows it: a query problem in the
/// UI language; other errors (a file, the index) as the library words them, since they
/// name a path.
pub fn failure(lang: Lang, error: &Error) -> String {
    match error {
        Error::Query(p) => format!("{}: {}", query_word(lang), problem(lang, *p)),
        other => other.to_string(),
    }
}

fn query_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "zoekvraag",
        Lang::En => "query",
    }
}

/// The searcher is gone (the index could not be opened).
pub fn no_index(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "de index kon niet worden geopend: zie de statusregel",
        Lang::En => "the index could not be opened: see the status line",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_has_its_own_dutch_text() {
        let all = [
            Problem::UnclosedQuote,
            Problem::OrNeedsWords,
            Problem::NothingToWorkOn,
            Problem::NotNeedsWord,
            Problem::MissingClose,
            Problem::StrayClose,
            Problem::ExpectedWord,
            Problem::TooLong,
            Problem::Empty,
            Problem::OnlyExcluded,
            Problem::NoLetters,
            Problem::NoContentWords,
        ];
        let mut nl: Vec<String> = all.iter().map(|p| problem(Lang::Nl, *p)).collect();
        for (p, text) in all.iter().zip(&nl) {
            assert_ne!(*text, p.to_string(), "{p:?} is not translated");
        }
        nl.sort();
        nl.dedup();
        assert_eq!(nl.len(), all.len());
    }
}
