//! A deterministic generator of large synthetic corpora in visgraat's own format, for the
//! benchmark harness (`visgraat generate`, `cargo bench --bench scale`).
//!
//! The text is Dutch-like: words are drawn with the frequencies they have in the shipped
//! corpus (so the distribution is Zipf-like, with the corpus's own function words at the
//! top), and the vocabulary keeps growing with size as real text does (Heaps' law,
//! V(n) = K·n^β): new compounds, names and inflected forms keep appearing, and once coined
//! they recur. Transcripts have speaker turns, belong to cases, hold some quoted speech, and a
//! few percent of their paragraphs are coded. Same seed and size, same corpus, byte for byte.
//!
//! Every generated file says it is synthetic; nothing here is research data.

use std::collections::HashMap;
use std::path::Path;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use unicode_segmentation::UnicodeSegmentation;

use crate::coding::{Coding, CodingFile};
use crate::corpus::Corpus;
use crate::corpus::cases::{AttrValue, Attributes, Case, Cases};
use crate::corpus::quotes::{self, Voice};
use crate::corpus::source::{self, SourceKind, SourceMeta};
use crate::error::{Error, Result};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Text bytes to generate (source bodies), approximately.
    pub bytes: u64,
    pub seed: u64,
}

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub transcripts: usize,
    pub cases: usize,
    pub paragraphs: usize,
    pub words: u64,
    pub vocabulary: usize,
    pub body_bytes: u64,
    pub quotes: usize,
    pub codings: usize,
}

/// Average transcript size: 2 000 transcripts make 100 MB.
const TRANSCRIPT_BYTES: u64 = 50_000;
/// Heaps' law parameters: about 400 000 word types after 16 million words, in line with
/// Dutch newspaper and transcript corpora of that size.
const HEAPS_K: f64 = 19.0;
const HEAPS_BETA: f64 = 0.6;
/// Share of paragraphs coded, and of turns that quote someone.
const CODED_SHARE: f64 = 0.03;
const QUOTE_SHARE: f64 = 0.02;
const CODERS: [&str; 2] = ["synth-a", "synth-b"];

/// Parse a size such as `1MB`, `10MB`, `100MB`, `500KB` or a plain byte count.
pub fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim().to_ascii_uppercase();
    let (number, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => t.split_at(at),
        None => (t.as_str(), ""),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?}: a size is a number with KB, MB or GB"))?;
    let factor = match unit {
        "" | "B" => 1,
        "KB" | "K" => 1_000,
        "MB" | "M" => 1_000_000,
        "GB" | "G" => 1_000_000_000,
        _ => return Err(format!("{text:?}: a size is a number with KB, MB or GB")),
    };
    Ok(n * factor)
}

/// The word distribution of the shipped corpus, and the words coined since.
struct Vocabulary {
    words: Vec<String>,
    /// Cumulative counts, for sampling by frequency.
    cumulative: Vec<u64>,
    /// Content words (long, lowercase) to build compounds and forms from.
    stems: Vec<usize>,
    coined: Vec<String>,
}

impl Vocabulary {
    fn from_corpus(corpus: &Corpus) -> Vocabulary {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for src in &corpus.sources {
            for word in src.body.unicode_words() {
                if word.chars().any(|c| c.is_alphabetic()) {
                    *counts.entry(word.to_lowercase()).or_default() += 1;
                }
            }
        }
        let mut words: Vec<(String, u64)> = counts.into_iter().collect();
        // By frequency, then alphabetically: independent of hash order.
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut cumulative = Vec::with_capacity(words.len());
        let mut total = 0;
        for (_, n) in &words {
            total += n;
            cumulative.push(total);
        }
        let stems = words
            .iter()
            .enumerate()
            .filter(|(_, (w, _))| w.chars().count() >= 5 && w.chars().all(char::is_lowercase))
            .map(|(i, _)| i)
            .collect();
        Vocabulary {
            words: words.into_iter().map(|(w, _)| w).collect(),
            cumulative,
            stems,
            coined: Vec::new(),
        }
    }

    fn known(&self, rng: &mut ChaCha8Rng) -> &str {
        let total = *self.cumulative.last().unwrap_or(&1);
        let x = rng.random_range(0..total);
        let i = self.cumulative.partition_point(|&c| c <= x);
        &self.words[i.min(self.words.len() - 1)]
    }

    fn stem(&self, rng: &mut ChaCha8Rng) -> &str {
        &self.words[self.stems[rng.random_range(0..self.stems.len())]]
    }

    /// A word that has not been seen: a compound, a name or an inflected form.
    fn coin(&mut self, rng: &mut ChaCha8Rng) -> String {
        let word = match rng.random_range(0..10) {
            0..=4 => {
                let (a, b) = (self.stem(rng).to_string(), self.stem(rng).to_string());
                let link = ["", "s", "en", ""][rng.random_range(0..4)];
                format!("{a}{link}{b}")
            }
            5..=6 => name(rng),
            _ => {
                let suffix = ["en", "heid", "ing", "tje", "s", "e", "er", "ste", "lijk"]
                    [rng.random_range(0..9)];
                format!("{}{suffix}", self.stem(rng))
            }
        };
        self.coined.push(word.clone());
        word
    }

    /// A coined word again: early coinages recur most, as with real new words.
    fn recur(&self, rng: &mut ChaCha8Rng) -> Option<&str> {
        if self.coined.is_empty() {
            return None;
        }
        let u: f64 = rng.random();
        let i = ((u * u * u) * self.coined.len() as f64) as usize;
        Some(&self.coined[i.min(self.coined.len() - 1)])
    }
}

fn name(rng: &mut ChaCha8Rng) -> String {
    const START: [&str; 12] = [
        "Ber", "Dew", "Fen", "Gij", "Hal", "Jo", "Kro", "Lie", "Mar", "Noor", "Ruy", "Wes",
    ];
    const MIDDLE: [&str; 8] = ["en", "er", "in", "ak", "ol", "um", "ie", "aa"];
    const END: [&str; 8] = ["dijk", "hof", "sma", "man", "ink", "stra", "veld", "berg"];
    format!(
        "{}{}{}",
        START[rng.random_range(0..START.len())],
        MIDDLE[rng.random_range(0..MIDDLE.len())],
        END[rng.random_range(0..END.len())]
    )
}

/// The generator's running state: the vocabulary and how many words have been written.
struct Writer {
    vocab: Vocabulary,
    rng: ChaCha8Rng,
    words: u64,
}

impl Writer {
    fn word(&mut self) -> String {
        self.words += 1;
        let target = HEAPS_K * (self.words as f64).powf(HEAPS_BETA);
        let types = (self.vocab.words.len() + self.vocab.coined.len()) as f64;
        if types < target {
            return self.vocab.coin(&mut self.rng);
        }
        if self.rng.random_bool(0.04)
            && let Some(w) = self.vocab.recur(&mut self.rng)
        {
            return w.to_string();
        }
        self.vocab.known(&mut self.rng).to_string()
    }

    fn sentence(&mut self) -> String {
        let n = self.rng.random_range(4..22);
        let mut s = String::new();
        for i in 0..n {
            let w = self.word();
            if i == 0 {
                let mut chars = w.chars();
                if let Some(c) = chars.next() {
                    s.extend(c.to_uppercase());
                    s.push_str(chars.as_str());
                }
            } else {
                s.push(' ');
                s.push_str(&w);
                if i + 1 < n && self.rng.random_bool(0.06) {
                    s.push(',');
                }
            }
        }
        s.push(if self.rng.random_bool(0.12) { '?' } else { '.' });
        s
    }
}

/// Generate a corpus of about `options.bytes` of text into `out` (which must not exist or be
/// empty): `out/corpus/…` and `out/config.toml`. `shipped` gives the word frequencies and
/// the code book.
pub fn generate(shipped: &Corpus, out: &Path, options: Options) -> Result<Report> {
    generate_with(shipped, out, options, &crate::progress::Silent)
}

/// [`generate`], reporting each transcript to `progress`. The corpus is written into a
/// hidden directory beside its final place and renamed into place when complete, so an
/// interrupted or failed run leaves no half corpus behind (and the next run can start).
pub fn generate_with(
    shipped: &Corpus,
    out: &Path,
    options: Options,
    progress: &dyn crate::progress::Progress,
) -> Result<Report> {
    let finished = out.join("corpus");
    if finished.exists() {
        return Err(Error::Usage(format!(
            "{} exists: generate into a new directory",
            finished.display()
        )));
    }
    let partial = out.join(format!(".corpus.partial-{}", std::process::id()));
    let result = write_corpus(shipped, &partial, options, progress);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
        return result;
    }
    std::fs::rename(&partial, &finished).map_err(|e| Error::io(&finished, e))?;
    write(
        &out.join("config.toml"),
        "# A synthetic corpus made by `visgraat generate` for benchmarks.\ncorpus = \"corpus\"\nindex = \"index\"\ncoder = \"bench\"\n",
    )?;
    result
}

fn write_corpus(
    shipped: &Corpus,
    corpus: &Path,
    options: Options,
    progress: &dyn crate::progress::Progress,
) -> Result<Report> {
    let mut w = Writer {
        vocab: Vocabulary::from_corpus(shipped),
        rng: ChaCha8Rng::seed_from_u64(options.seed),
        words: 0,
    };
    let codes: Vec<String> = shipped
        .codebook
        .codes
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let transcripts = options.bytes.div_ceil(TRANSCRIPT_BYTES).max(1) as usize;
    let per_transcript = options.bytes / transcripts as u64;
    let mut report = Report {
        transcripts,
        ..Report::default()
    };

    write(
        &corpus.join("project.toml"),
        &format!(
            "title = \"Synthetic benchmark corpus\"\nlanguage = \"nl\"\nprovenance = \"Generated by visgraat generate (seed {}, {} bytes): Dutch-like text with the word frequencies of the shipped corpus. Synthetic: not research data.\"\ncitation = \"{{source}}, {{location}}. Synthetic.\"\n",
            options.seed, options.bytes
        ),
    )?;
    write(
        &corpus.join("codebook.toml"),
        &toml::to_string(&shipped.codebook).map_err(|e| Error::Usage(e.to_string()))?,
    )?;

    let mut cases = Cases::default();
    let mut case_of_transcript = Vec::with_capacity(transcripts);
    while case_of_transcript.len() < transcripts {
        let n = cases.cases.len() + 1;
        let id = format!("synth-team-{n:04}");
        let sessions = w.rng.random_range(1..=4);
        for _ in 0..sessions {
            case_of_transcript.push(id.clone());
        }
        cases.cases.push(Case {
            id: id.clone(),
            label: format!("Synthetisch team {n}"),
            attributes: Attributes(vec![
                ("team".into(), text(format!("team {}", name(&mut w.rng)))),
                (
                    "institution".into(),
                    text(format!("ROC {}", name(&mut w.rng))),
                ),
                (
                    "level".into(),
                    text(
                        ["niveau 1", "niveau 2", "niveau 3", "niveau 4"][w.rng.random_range(0..4)]
                            .into(),
                    ),
                ),
                (
                    "sector".into(),
                    text(
                        ["zorg en welzijn", "techniek", "economie", "groen"]
                            [w.rng.random_range(0..4)]
                        .into(),
                    ),
                ),
            ]),
            fishbone: None,
            passages: Vec::new(),
        });
    }
    report.cases = cases.cases.len();
    write(
        &corpus.join("cases.toml"),
        &format!(
            "# Synthetic cases for benchmarks.\n{}",
            toml::to_string(&cases).map_err(|e| Error::Usage(e.to_string()))?
        ),
    )?;

    let created: toml::value::Datetime = "2026-01-01T00:00:00Z".parse().expect("a datetime");
    progress.stage(crate::progress::Stage::Generating, transcripts as u64);
    for (t, case) in case_of_transcript.iter().enumerate().take(transcripts) {
        crate::progress::check(progress)?;
        let id = format!("synth-transcript-{:05}", t + 1);
        let participants: Vec<String> = (1..=w.rng.random_range(3..=8))
            .map(|i| match i % 4 {
                0 => format!("Student {i}"),
                1 => format!("Docent {i}"),
                2 => format!("Begeleider {i}"),
                _ => format!("Teamleider {i}"),
            })
            .collect();
        let mut body = String::new();
        let mut codings: [Vec<Coding>; 2] = [Vec::new(), Vec::new()];
        let mut char_len = 0usize;
        while (body.len() as u64) < per_transcript {
            if !body.is_empty() {
                body.push_str("\n\n");
                char_len += 2;
            }
            let moderator = body.is_empty() || w.rng.random_bool(0.2);
            let speaker = if moderator {
                "Moderator".to_string()
            } else {
                participants[w.rng.random_range(0..participants.len())].clone()
            };
            let mut turn = format!("{speaker}:");
            let sentences = if moderator {
                1
            } else {
                w.rng.random_range(1..7)
            };
            let mut spans = Vec::new();
            for _ in 0..sentences {
                turn.push(' ');
                let start = turn.chars().count();
                let mut s = w.sentence();
                if !moderator && w.rng.random_bool(QUOTE_SHARE) {
                    s = format!("Een collega zei: “{s}”");
                }
                turn.push_str(&s);
                spans.push((start, turn.chars().count()));
            }
            if !moderator && w.rng.random_bool(CODED_SHARE) {
                let (s, e) = spans[w.rng.random_range(0..spans.len())];
                let coder = w.rng.random_range(0..2);
                let n = report.codings + 1;
                let quote: String = turn.chars().skip(s).take(e - s).collect();
                codings[coder].push(Coding {
                    id: format!("c-synth{n:07}"),
                    code: codes[w.rng.random_range(0..codes.len())].clone(),
                    start: char_len + s,
                    end: char_len + e,
                    quote,
                    memo: "Synthetic coding for benchmarks.".into(),
                    created,
                    orphaned: false,
                    prefix: String::new(),
                    suffix: String::new(),
                    original_quote: None,
                    review: None,
                });
                report.codings += 1;
            }
            char_len += turn.chars().count();
            body.push_str(&turn);
            report.paragraphs += 1;
        }
        body.push('\n');
        report.body_bytes += body.len() as u64;
        let meta = SourceMeta {
            id: id.clone(),
            kind: SourceKind::Transcript,
            title: format!("Synthetische focusgroep {}", t + 1),
            case: Some(case.clone()),
            date: Some(format!(
                "2024-{:02}-{:02}",
                w.rng.random_range(1..=12),
                w.rng.random_range(1..=28)
            )),
            provenance: format!("synthetic (visgraat generate, seed {})", options.seed),
            pages: Vec::new(),
        };
        write(
            &corpus.join("sources/transcript").join(format!("{id}.md")),
            &source::render(&meta, &body),
        )?;
        let found = quotes::extract(
            &id,
            &body,
            Some((
                Voice::Focusgroep,
                "synthetic: a participant quotes a colleague",
            )),
            &[],
        );
        if !found.is_empty() {
            report.quotes += found.len();
            write(
                &corpus.join("quotes").join(format!("{id}.toml")),
                &quotes::render(&found),
            )?;
        }
        for (coder, list) in CODERS.iter().zip(codings) {
            if list.is_empty() {
                continue;
            }
            let file = CodingFile {
                codings: list,
                ..CodingFile::default()
            };
            write(
                &crate::coding::file_path(corpus, coder, &id),
                &toml::to_string(&file).map_err(|e| Error::Usage(e.to_string()))?,
            )?;
        }
        progress.advance(1);
    }
    report.words = w.words;
    report.vocabulary = w.vocab.words.len() + w.vocab.coined.len();
    Ok(report)
}

fn write(path: &Path, text: &str) -> Result<()> {
    crate::atomic::write(path, text.as_bytes())
}

/// A text attribute of a synthetic case.
fn text(value: String) -> AttrValue {
    AttrValue::Text(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("1MB"), Ok(1_000_000));
        assert_eq!(parse_size("100mb"), Ok(100_000_000));
        assert_eq!(parse_size("500KB"), Ok(500_000));
        assert!(parse_size("veel").is_err());
    }
}
