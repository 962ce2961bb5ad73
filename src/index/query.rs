//! The search syntax a non-expert types: words (all must match), "phrases", OR, NOT or
//! -word, and parentheses. Parsing never panics: a malformed query is an error that says
//! what to change.

use crate::error::{Error, Result};

/// What is wrong with a query, as data: the command line prints it in English (Display),
/// the TUI says it in the user's language from its catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    UnclosedQuote,
    OrNeedsWords,
    NothingToWorkOn,
    NotNeedsWord,
    MissingClose,
    StrayClose,
    ExpectedWord,
    TooLong,
    Empty,
    OnlyExcluded,
    /// The words have no letters or digits (only punctuation).
    NoLetters,
    /// An evidence claim with function words or numbers only.
    NoContentWords,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Problem::UnclosedQuote => "unclosed quote: add a closing \" to end the phrase",
            Problem::OrNeedsWords => "OR needs a word on both sides",
            Problem::NothingToWorkOn => {
                "expected a word here (an operator or bracket has nothing to work on)"
            }
            Problem::NotNeedsWord => "NOT (or -) must be followed by a word",
            Problem::MissingClose => "unbalanced brackets: add a closing )",
            Problem::StrayClose => "unbalanced brackets: a ) without its (",
            Problem::ExpectedWord => "expected a word",
            Problem::TooLong => return write!(f, "query too long: at most {MAX_CHARS} characters"),
            Problem::Empty => "empty query: type one or more words",
            Problem::OnlyExcluded => {
                "a query needs at least one word that is not excluded with NOT or -"
            }
            Problem::NoLetters => "nothing to search for: the query has no letters or digits",
            Problem::NoContentWords => {
                "the claim has no content words to look for (only function words or numbers)"
            }
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Word(String),
    Phrase(String),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Phrase(String),
    Open,
    Close,
    Or,
    And,
    Not,
}

/// Longest query accepted, in chars: longer input is not a search but a pasted document.
pub const MAX_CHARS: usize = 1000;

fn lex(input: &str) -> Result<Vec<Tok>> {
    let mut out = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push(Tok::Open);
            i += 1;
        } else if c == ')' {
            out.push(Tok::Close);
            i += 1;
        } else if matches!(c, '"' | '“' | '”') {
            let close = chars[i + 1..]
                .iter()
                .position(|&d| matches!(d, '"' | '”' | '“'));
            let Some(len) = close else {
                return Err(Error::Query(Problem::UnclosedQuote));
            };
            out.push(Tok::Phrase(chars[i + 1..i + 1 + len].iter().collect()));
            i += len + 2;
        } else if c == '-'
            && chars.get(i + 1).is_some_and(|n| !n.is_whitespace())
            && (i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(')
        {
            out.push(Tok::Not);
            i += 1;
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')' | '"' | '“' | '”')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(match word.as_str() {
                "OR" => Tok::Or,
                "AND" => Tok::And,
                "NOT" => Tok::Not,
                _ => Tok::Word(word.trim_start_matches('+').to_string()),
            });
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn or_expr(&mut self) -> Result<Node> {
        let mut items = vec![self.and_expr()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::Close | Tok::Or)) {
                return Err(Error::Query(Problem::OrNeedsWords));
            }
            items.push(self.and_expr()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Or(items)
        })
    }

    fn and_expr(&mut self) -> Result<Node> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Close | Tok::Or) => break,
                Some(Tok::And) => {
                    self.pos += 1;
                }
                _ => items.push(self.unary()?),
            }
        }
        match items.len() {
            0 => Err(Error::Query(Problem::NothingToWorkOn)),
            1 => Ok(items.remove(0)),
            _ => Ok(Node::And(items)),
        }
    }

    fn unary(&mut self) -> Result<Node> {
        if self.peek() == Some(&Tok::Not) {
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And)) {
                return Err(Error::Query(Problem::NotNeedsWord));
            }
            return Ok(Node::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Node> {
        let tok = self.toks.get(self.pos).cloned();
        self.pos += 1;
        match tok {
            Some(Tok::Word(w)) => Ok(Node::Word(w)),
            Some(Tok::Phrase(p)) => Ok(Node::Phrase(p)),
            Some(Tok::Open) => {
                let inner = self.or_expr()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(Error::Query(Problem::MissingClose));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(Tok::Close) => Err(Error::Query(Problem::StrayClose)),
            _ => Err(Error::Query(Problem::ExpectedWord)),
        }
    }
}

/// Parse a user query.
pub fn parse(input: &str) -> Result<Node> {
    if input.chars().count() > MAX_CHARS {
        return Err(Error::Query(Problem::TooLong));
    }
    let toks = lex(input)?;
    if toks.is_empty() {
        return Err(Error::Query(Problem::Empty));
    }
    let mut parser = Parser { toks, pos: 0 };
    let node = parser.or_expr()?;
    if parser.pos < parser.toks.len() {
        return Err(Error::Query(Problem::StrayClose));
    }
    if !has_positive(&node) {
        return Err(Error::Query(Problem::OnlyExcluded));
    }
    Ok(node)
}

fn has_positive(node: &Node) -> bool {
    match node {
        Node::Word(_) | Node::Phrase(_) => true,
        Node::Not(_) => false,
        Node::And(items) => items.iter().any(has_positive),
        Node::Or(items) => items.iter().all(has_positive),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Node {
        Node::Word(s.into())
    }

    #[test]
    fn words_and_phrases_and_operators() {
        assert_eq!(
            parse("werkdruk welzijn").unwrap(),
            Node::And(vec![w("werkdruk"), w("welzijn")])
        );
        assert_eq!(
            parse("\"warme landing\" OR intake -avg").unwrap(),
            Node::Or(vec![
                Node::Phrase("warme landing".into()),
                Node::And(vec![w("intake"), Node::Not(Box::new(w("avg")))])
            ])
        );
        assert_eq!(
            parse("(a OR b) NOT c").unwrap(),
            Node::And(vec![
                Node::Or(vec![w("a"), w("b")]),
                Node::Not(Box::new(w("c")))
            ])
        );
        assert_eq!(parse("mbo-instellingen").unwrap(), w("mbo-instellingen"));
    }

    #[test]
    fn malformed_queries_are_errors_not_panics() {
        for q in [
            "",
            "   ",
            "\"open",
            "(a",
            "a)",
            "OR",
            "a OR",
            "NOT",
            "-a",
            "NOT a",
            "()",
            "((((",
            ")))",
            "AND",
            "a OR OR b",
        ] {
            assert!(parse(q).is_err(), "{q:?} should be an error");
        }
        assert!(parse(&"x ".repeat(600)).is_err());
    }
}
