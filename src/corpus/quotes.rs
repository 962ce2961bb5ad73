//! Quoted speech as first-class records: “…”, ‘…’ and "…" spans of a few words or more,
//! each pointing at its exact char range in a source body, with the voice the surrounding
//! text gives it. Voices are never guessed: a quote gets one only from a reviewed rule that
//! cites the report's own words, or from its source (the intermezzos report focus groups).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Who speaks in a quote, as far as the text says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Voice {
    /// A teacher or team member in one of the focus groups.
    Focusgroep,
    /// A student answering the survey.
    Student,
    /// A municipal respondent (gemeente).
    Gemeente,
    /// A respondent for an mbo institution (policy staff in the institution survey).
    Instelling,
    Onbekend,
}

impl Voice {
    pub const ALL: [Voice; 5] = [
        Voice::Focusgroep,
        Voice::Student,
        Voice::Gemeente,
        Voice::Instelling,
        Voice::Onbekend,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Voice::Focusgroep => "focusgroep",
            Voice::Student => "student",
            Voice::Gemeente => "gemeente",
            Voice::Instelling => "instelling",
            Voice::Onbekend => "onbekend",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    pub id: String,
    /// Char offsets into the source body of the quoted words (marks excluded), end-exclusive.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub voice: Voice,
    /// The words of the source that justify the voice.
    pub evidence: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteFile {
    #[serde(default, rename = "quote")]
    pub quotes: Vec<Quote>,
}

/// A reviewed rule: the quote that starts with `starts` gets `voice`, justified by
/// `evidence`; or, with `not_speech`, it is no quote at all (a question's wording, a term).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceRule {
    pub starts: String,
    #[serde(default)]
    pub voice: Option<Voice>,
    #[serde(default)]
    pub evidence: Option<String>,
    #[serde(default)]
    pub not_speech: Option<String>,
}

/// Fewer words than this is a term in scare quotes (‘warme landing’), not speech.
pub const MIN_WORDS: usize = 4;

/// A quoted span found in a body: char offsets of the inner text.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotedSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Find quoted spans of at least `MIN_WORDS` words. A quote may run over a paragraph break
/// (the report sets long quotes as several paragraphs) but not over more than two.
pub fn find_quoted(body: &str) -> Vec<QuotedSpan> {
    let chars: Vec<char> = body.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let close = match chars[i] {
            '“' => Some('”'),
            '‘' => Some('’'),
            '"' if i == 0 || !chars[i - 1].is_alphanumeric() => Some('"'),
            _ => None,
        };
        let Some(close) = close else {
            i += 1;
            continue;
        };
        let mut breaks = 0;
        let mut j = i + 1;
        let mut found = None;
        while j < chars.len() {
            let c = chars[j];
            if c == '\n' && j + 1 < chars.len() && chars[j + 1] == '\n' {
                breaks += 1;
                if breaks > 1 {
                    break;
                }
            }
            // ’ between two letters is an apostrophe (collega’s), not a closing quote.
            let is_apostrophe = c == '’'
                && j + 1 < chars.len()
                && chars[j + 1].is_alphabetic()
                && chars[j - 1].is_alphabetic();
            if c == close && !is_apostrophe {
                found = Some(j);
                break;
            }
            j += 1;
        }
        match found {
            Some(end) => {
                let text: String = chars[i + 1..end].iter().collect();
                if text.split_whitespace().count() >= MIN_WORDS {
                    out.push(QuotedSpan {
                        start: i + 1,
                        end,
                        text,
                    });
                    i = end + 1;
                } else {
                    i += 1;
                }
            }
            None => i += 1,
        }
    }
    out
}

/// Quote records for one source: voice from the first matching rule, else the default
/// (with its evidence), else `onbekend`.
pub fn extract(
    source_id: &str,
    body: &str,
    default: Option<(Voice, &str)>,
    rules: &[VoiceRule],
) -> Vec<Quote> {
    let mut quotes = Vec::new();
    for span in find_quoted(body) {
        let rule = rules
            .iter()
            .find(|r| span.text.starts_with(r.starts.as_str()));
        if rule.is_some_and(|r| r.not_speech.is_some()) {
            continue;
        }
        let (voice, evidence) = match (rule, default) {
            (Some(r), _) if r.voice.is_some() => (
                r.voice.unwrap_or(Voice::Onbekend),
                r.evidence.clone().unwrap_or_default(),
            ),
            (_, Some((voice, evidence))) => (voice, evidence.to_string()),
            _ => (Voice::Onbekend, String::new()),
        };
        quotes.push(Quote {
            id: format!("{source_id}-q{}", quotes.len() + 1),
            start: span.start,
            end: span.end,
            text: span.text,
            voice,
            evidence,
        });
    }
    quotes
}

pub fn load(path: &Path) -> Result<Vec<Quote>> {
    let text = crate::text_file::read(path)?;
    let file: QuoteFile = toml::from_str(&text).map_err(|e| Error::toml(path, &text, &e))?;
    Ok(file.quotes)
}

pub fn render(quotes: &[Quote]) -> String {
    let file = QuoteFile {
        quotes: quotes.to_vec(),
    };
    toml::to_string(&file).expect("quotes always serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_speech_but_not_scare_quotes_or_apostrophes() {
        let body =
            "Een ‘warme landing’ helpt. “Ik gooi reddingsboeien naar collega’s, elke dag.” Klaar.";
        let found = find_quoted(body);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].text,
            "Ik gooi reddingsboeien naar collega’s, elke dag."
        );
        let inner: String = body
            .chars()
            .skip(found[0].start)
            .take(found[0].end - found[0].start)
            .collect();
        assert_eq!(inner, found[0].text);
    }

    #[test]
    fn rule_sets_voice_or_drops_non_speech() {
        let body = "Studenten: ‘Begrip dat je wat vaker aanwezig bent’. Vraag: ‘het realiseren van de basisondersteuning’.";
        let rules = vec![
            VoiceRule {
                starts: "Begrip".into(),
                voice: Some(Voice::Student),
                evidence: Some("studenten".into()),
                not_speech: None,
            },
            VoiceRule {
                starts: "het realiseren".into(),
                voice: None,
                evidence: None,
                not_speech: Some("question wording".into()),
            },
        ];
        let q = extract("s", body, None, &rules);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].voice, Voice::Student);
        assert_eq!(q[0].id, "s-q1");
    }
}
