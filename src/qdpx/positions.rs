//! Where a REFI-QDA selection lies in visgraat's text. Tools count differently: CRLF as one
//! position or two, characters as code points or as UTF-16 units (NVivo), and no file says
//! which. The convention is found from the data: the reading under which the selections fall
//! on word boundaries and match the text the file carries with them (a selection's name) wins.
//! A selection that the best readings place differently, or that none places on its carried
//! text, is not placed at all: it is kept aside, never saved onto other text.

/// How a tool counts positions in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Convention {
    /// CR LF counts as two positions (else as one, the LF).
    pub(crate) crlf_is_two: bool,
    /// Positions count UTF-16 code units (else Unicode code points).
    pub(crate) utf16: bool,
}

impl Convention {
    pub(crate) const ALL: [Convention; 4] = [
        Convention {
            crlf_is_two: false,
            utf16: false,
        },
        Convention {
            crlf_is_two: true,
            utf16: false,
        },
        Convention {
            crlf_is_two: false,
            utf16: true,
        },
        Convention {
            crlf_is_two: true,
            utf16: true,
        },
    ];
}

/// What the best readings agree on, in words: the unit when they share it, how CR LF counts
/// when they share that (and the data could tell). None when they agree on nothing.
fn describe(winners: &[Convention]) -> Option<String> {
    let all = |f: fn(&Convention) -> bool| winners.iter().all(f) || !winners.iter().any(f);
    let mut parts = Vec::new();
    if all(|c| c.utf16) && winners.len() < Convention::ALL.len() {
        parts.push(if winners[0].utf16 {
            "UTF-16 units"
        } else {
            "characters"
        });
    }
    if all(|c| c.crlf_is_two) && winners.len() < Convention::ALL.len() {
        parts.push(if winners[0].crlf_is_two {
            "CRLF counted as two"
        } else {
            "CRLF counted as one"
        });
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A source's text with LF line ends, and for each convention a map from the tool's
/// positions to char positions in that text (None inside a character or a CR LF pair).
pub(crate) struct Placer {
    pub(crate) text: String,
    chars: Vec<char>,
    maps: Vec<Vec<Option<usize>>>,
}

/// What one selection is under one convention: its char span, if it has one.
type Span = Option<(usize, usize)>;

impl Placer {
    pub(crate) fn new(raw: &str) -> Placer {
        let mut text = String::with_capacity(raw.len());
        let mut maps: Vec<Vec<Option<usize>>> = Convention::ALL
            .iter()
            .map(|_| Vec::with_capacity(raw.len() + 1))
            .collect();
        let mut chars = raw.chars().peekable();
        let mut n = 0;
        while let Some(c) = chars.next() {
            let is_cr_of_crlf = c == '\r' && chars.peek() == Some(&'\n');
            for (map, conv) in maps.iter_mut().zip(Convention::ALL) {
                if is_cr_of_crlf {
                    if conv.crlf_is_two {
                        map.push(Some(n));
                    }
                    continue;
                }
                let units = if conv.utf16 { c.len_utf16() } else { 1 };
                map.push(Some(n));
                for _ in 1..units {
                    map.push(None);
                }
            }
            if !is_cr_of_crlf {
                text.push(c);
                n += 1;
            }
        }
        for map in &mut maps {
            map.push(Some(n));
        }
        let chars = text.chars().collect();
        Placer { text, chars, maps }
    }

    fn span(&self, conv: usize, start: usize, end: usize) -> Span {
        let map = &self.maps[conv];
        match (
            map.get(start).copied().flatten(),
            map.get(end).copied().flatten(),
        ) {
            (Some(s), Some(e)) if s < e => Some((s, e)),
            _ => None,
        }
    }

    /// The text of a char span.
    pub(crate) fn slice(&self, (start, end): (usize, usize)) -> String {
        self.chars[start..end].iter().collect()
    }

    fn is_boundary(&self, at: usize) -> bool {
        let word = |i: usize| self.chars.get(i).is_some_and(|c| c.is_alphanumeric());
        at == 0 || at >= self.chars.len() || !word(at - 1) || !word(at)
    }

    /// Whether the span's text is what the selection's name carries (its start, as tools
    /// shorten long names), whitespace aside.
    fn carries(&self, span: (usize, usize), name: &str) -> bool {
        let name = squash(name.trim_end_matches(['…', '.']));
        !name.is_empty() && squash(&self.slice(span)).starts_with(&name)
    }
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One selection to place: the source it is in, its positions and the name it carries.
pub(crate) struct Wanted<'a> {
    pub(crate) source: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) name: &'a str,
}

/// Where each selection lands, or why it is kept aside; and how the tool counted, as far as
/// the data told it (readings that agree on every selection are not told apart, nor need be).
pub(crate) struct Placement {
    pub(crate) counting: Option<String>,
    pub(crate) spans: Vec<Result<(usize, usize), String>>,
}

/// Find the convention of a whole project (a tool counts one way throughout) and place
/// every selection by it.
pub(crate) fn place(placers: &[Placer], wanted: &[Wanted]) -> Placement {
    let n = Convention::ALL.len();
    // Per selection and convention: its span, and whether it lands on its carried text.
    let mut spans: Vec<Vec<Span>> = Vec::with_capacity(wanted.len());
    let mut scores = vec![0usize; n];
    for w in wanted {
        let p = &placers[w.source];
        let row: Vec<Span> = (0..n).map(|c| p.span(c, w.start, w.end)).collect();
        for (c, span) in row.iter().enumerate() {
            if let Some(span) = *span {
                scores[c] += 1
                    + usize::from(p.is_boundary(span.0))
                    + usize::from(p.is_boundary(span.1))
                    + 4 * usize::from(p.carries(span, w.name));
            }
        }
        spans.push(row);
    }
    let best = scores.iter().copied().max().unwrap_or(0);
    let winners: Vec<usize> = (0..n).filter(|&c| scores[c] == best).collect();
    let counting = describe(
        &winners
            .iter()
            .map(|&c| Convention::ALL[c])
            .collect::<Vec<_>>(),
    );
    let placed = wanted
        .iter()
        .zip(&spans)
        .map(|(w, row)| {
            let p = &placers[w.source];
            let chosen: Vec<Span> = winners.iter().map(|&c| row[c]).collect();
            let Some(span) = chosen[0] else {
                return Err("outside its text".to_string());
            };
            if chosen.iter().any(|s| *s != Some(span)) {
                return Err(
                    "the exporting tool's way of counting could not be told from the data, and the readings put it on different text".into(),
                );
            }
            let carried_somewhere = row.iter().flatten().any(|&s| p.carries(s, w.name));
            if carried_somewhere && !p.carries(span, w.name) {
                return Err(format!(
                    "its text \"{}\" is not where the project's way of counting puts it",
                    w.name
                ));
            }
            Ok(span)
        })
        .collect();
    Placement {
        counting,
        spans: placed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(raw: &str, sels: &[(usize, usize, &str)]) -> Vec<Result<String, String>> {
        let placers = vec![Placer::new(raw)];
        let wanted: Vec<Wanted> = sels
            .iter()
            .map(|&(start, end, name)| Wanted {
                source: 0,
                start,
                end,
                name,
            })
            .collect();
        place(&placers, &wanted)
            .spans
            .into_iter()
            .map(|r| r.map(|s| placers[0].slice(s)))
            .collect()
    }

    #[test]
    fn crlf_text_with_lf_positions_lands_on_the_words() {
        // QualCoder: CRLF in the file, positions counted on LF text.
        let raw = "Interviewer: hoi\r\nDeelnemer: hey there\r\nInterviewer: or: hey there";
        let lf = raw.replace("\r\n", "\n");
        let at = lf.find("hey there").unwrap();
        let got = one(raw, &[(at, at + 9, ""), (at - 11, at - 1, "")]);
        assert_eq!(got[0].as_deref(), Ok("hey there"));
        assert_eq!(got[1].as_deref(), Ok("Deelnemer:"));
    }

    #[test]
    fn utf16_positions_after_an_emoji_are_found() {
        let raw = "Ze zei 🙂 en toen: de werkdruk is hoog.";
        let at16 = raw.encode_utf16().count() - "werkdruk is hoog.".len();
        let got = one(raw, &[(at16, at16 + 8, "werkdruk")]);
        assert_eq!(got[0].as_deref(), Ok("werkdruk"));
    }

    #[test]
    fn an_undecidable_selection_is_kept_aside() {
        // One selection, no carried text, both readings on word boundaries: no way to know.
        let raw = "a\r\nb c d";
        let got = one(raw, &[(3, 4, "")]);
        assert!(got[0].is_err(), "{got:?}");
    }
}
