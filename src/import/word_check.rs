//! Nothing lost, by construction: the words an import writes must be the words it read, in
//! order, apart from what it moves on purpose. Times are left out on both sides (they are
//! normalised into turn headers), a speaker's label may stand once for several of its cues
//! or lines (and be repeated where a long turn is split), and labels compare in any case
//! (`interviewer` is written `Interviewer`). Everything else must match word for word; the
//! first place where it does not is reported, and the importer writes nothing.

use unicode_normalization::UnicodeNormalization;

use super::paragraphs::Paragraph;

/// A word and the line of the file it stands on (1-based).
#[derive(Debug, Clone, PartialEq)]
struct Word {
    text: String,
    line: usize,
}

/// The words (runs of letters and digits) of `text`, times (`12:03`, `00:12:03.500`) left
/// out, NFC so that composed and decomposed letters compare equal.
fn words(text: &str) -> Vec<Word> {
    let text: Vec<char> = text.nfc().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if c == '\n' {
            line += 1;
        }
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        if let Some(end) = time_at(&text, i) {
            i = end;
            continue;
        }
        let start = i;
        while i < text.len() && text[i].is_alphanumeric() {
            i += 1;
        }
        out.push(Word {
            text: text[start..i].iter().collect(),
            line,
        });
    }
    out
}

/// The end of a time starting at `i` (`d:dd`, `dd:dd:dd`, with `.mmm` or `,mmm`), if one does.
fn time_at(text: &[char], i: usize) -> Option<usize> {
    if i > 0 && text[i - 1].is_alphanumeric() {
        return None;
    }
    let digits = |from: usize| {
        let mut j = from;
        while j < text.len() && text[j].is_ascii_digit() {
            j += 1;
        }
        j - from
    };
    let first = digits(i);
    if !(1..=2).contains(&first) {
        return None;
    }
    let mut j = i + first;
    let mut groups = 0;
    while groups < 2 && text.get(j) == Some(&':') && digits(j + 1) == 2 {
        j += 3;
        groups += 1;
    }
    if groups == 0 {
        return None;
    }
    if matches!(text.get(j), Some('.' | ',')) && (1..=3).contains(&digits(j + 1)) {
        j += 1 + digits(j + 1);
    }
    (!text.get(j).is_some_and(|c| c.is_alphanumeric())).then_some(j)
}

/// How many words went in and came out.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Tally {
    pub words_in: usize,
    pub words_out: usize,
}

/// Where what would be written first differs from what was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// The line of the file.
    pub line: usize,
    /// A few words read from there on (empty: the file ends).
    pub read: String,
    /// A few words that would be written instead (empty: nothing more).
    pub written: String,
}

/// An output word: its text and, for a speaker label, which paragraph's label it is part of.
struct Out {
    text: String,
    label: Option<usize>,
}

/// Compare the words of `read` (the file's text, with what the form's syntax holds removed)
/// with the words of `paragraphs`.
pub fn check(read: &str, paragraphs: &[Paragraph]) -> Result<Tally, Difference> {
    let input = words(read);
    let mut output: Vec<Out> = Vec::new();
    for (n, p) in paragraphs.iter().enumerate() {
        if let Some(label) = p.label() {
            output.extend(words(label).into_iter().map(|w| Out {
                text: w.text,
                label: Some(n),
            }));
        }
        output.extend(words(p.text()).into_iter().map(|w| Out {
            text: w.text,
            label: None,
        }));
    }
    let lower = |s: &str| s.to_lowercase();
    // The input starts with `label` at `i`.
    let starts_with = |i: usize, label: &[String]| {
        !label.is_empty()
            && input.len() >= i + label.len()
            && input[i..i + label.len()]
                .iter()
                .zip(label)
                .all(|(w, l)| lower(&w.text) == *l)
    };
    let differ = |i: usize, o: usize| {
        let show = |ws: Vec<&str>| ws.join(" ");
        Difference {
            line: input.get(i).or(input.last()).map_or(1, |w: &Word| w.line),
            read: show(
                input
                    .iter()
                    .skip(i)
                    .take(6)
                    .map(|w| w.text.as_str())
                    .collect(),
            ),
            written: show(
                output
                    .iter()
                    .skip(o)
                    .take(6)
                    .map(|w| w.text.as_str())
                    .collect(),
            ),
        }
    };
    let (mut i, mut o) = (0, 0);
    let mut current: Vec<String> = Vec::new();
    while o < output.len() {
        if let Some(n) = output[o].label {
            let len = output[o..]
                .iter()
                .take_while(|w| w.label == Some(n))
                .count();
            let label: Vec<String> = output[o..o + len].iter().map(|w| lower(&w.text)).collect();
            // The new label here, followed by the words written after it: read it so,
            // even where the speaker before's longer label would match too (`Interviewer 1`
            // before `Interviewer` with the word `1`, `<v Interviewer 1></v><v interviewer>1`).
            let label_then_words = |i: usize| {
                starts_with(i, &label)
                    && output.get(o + len).is_some_and(|next| {
                        next.label.is_none()
                            && input.get(i + len).is_some_and(|w| w.text == next.text)
                    })
            };
            // The speaker before may have had more cues or lines, each with its label.
            // (The longer label first, when one starts the other: `Interviewer 1`, `Interviewer`.)
            while current != label
                && starts_with(i, &current)
                && (!starts_with(i, &label)
                    || (current.len() > label.len() && !label_then_words(i)))
            {
                i += current.len();
            }
            // The same speaker's label, written again where a long turn is split, need not
            // be in the file: where the words written after it follow here, the file's word
            // is the first of them, not the label (`<v interviewer>ja` then a cue of the same
            // voice, split off by its time, that says `interviewer:`).
            let words_follow = |i: usize| {
                output.get(o + len).is_some_and(|next| {
                    next.label.is_none() && input.get(i).is_some_and(|w| w.text == next.text)
                })
            };
            let repeat_not_read = label == current && !label_then_words(i) && words_follow(i);
            if starts_with(i, &label) && !repeat_not_read {
                i += len;
            } else if label != current {
                // A label that is not in the file here, nor the speaker's own label again.
                return Err(differ(i, o));
            }
            current = label;
            o += len;
        } else if i < input.len() && input[i].text == output[o].text {
            i += 1;
            o += 1;
        } else if starts_with(i, &current) {
            // The speaker's label again, for a cue or line of the same turn.
            i += current.len();
        } else {
            return Err(differ(i, o));
        }
    }
    while i < input.len() {
        if starts_with(i, &current) {
            i += current.len();
        } else {
            return Err(differ(i, o));
        }
    }
    Ok(Tally {
        words_in: input.len(),
        words_out: output.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(label: &str, text: &str) -> Paragraph {
        Paragraph::turn(Some("00:00:05".into()), label.into(), text)
    }

    #[test]
    fn times_and_repeated_labels_are_moved_words_are_not() {
        let read = "Moderator: Welkom om 10:30.\n\nModerator: Nog even.";
        let ok = check(read, &[turn("Moderator", "Welkom om 10:30. Nog even.")]);
        assert_eq!(ok.map(|t| t.words_in), Ok(6));
        // A word dropped is found, with its line.
        let lost = check(read, &[turn("Moderator", "Welkom om. Nog.")]).unwrap_err();
        assert_eq!((lost.line, lost.read.as_str()), (3, "even"));
        // A label that was never in the file is no move but a change.
        let made_up = check("Welkom.", &[turn("Moderator", "Welkom.")]).unwrap_err();
        assert_eq!(made_up.written, "Moderator Welkom");
        // A label in another case is the same label.
        assert!(check("interviewer: ja", &[turn("Interviewer", "ja")]).is_ok());
        // Words changed in case are not.
        assert!(check("interviewer: ja", &[turn("Interviewer", "Ja")]).is_err());
        // The file goes on after what was written.
        let cut = check("A: een twee", &[turn("A", "een")]).unwrap_err();
        assert_eq!((cut.read.as_str(), cut.written.as_str()), ("twee", ""));
    }

    #[test]
    fn a_shorter_label_followed_by_its_words_is_not_taken_for_the_longer_one_again() {
        // Found by `webvtt_keeps_every_word`: `<v INTERVIEWER 1></v>` then
        // `<v interviewer>1</v>` — "interviewer 1" is the second voice and its word "1",
        // not the first voice's label again.
        let read = "INTERVIEWER 1\ninterviewer 1";
        let written = [turn("Interviewer 1", ""), turn("Interviewer", "1")];
        assert!(check(read, &written).is_ok());
        // Where no word follows that fits, the longer label is still read as a repeat.
        let repeat = "Interviewer 1: ja\nInterviewer 1: nee\nInterviewer: goed";
        let written = [turn("Interviewer 1", "ja nee"), turn("Interviewer", "goed")];
        assert!(check(repeat, &written).is_ok());
    }

    #[test]
    fn a_repeated_label_is_not_taken_for_the_same_word_said() {
        // Found by `webvtt_keeps_every_word`: a voice's turn split by a pause, the label
        // written again, and the cue after the pause saying the label's word.
        let read = "interviewer werkdruk\ninterviewer:";
        let written = [
            turn("Interviewer", "werkdruk"),
            turn("Interviewer", "interviewer:"),
        ];
        assert!(check(read, &written).is_ok());
        // The label again in the file, before its words, is still read as the label.
        let again = "Interviewer: werkdruk\nInterviewer: ja";
        let written = [turn("Interviewer", "werkdruk"), turn("Interviewer", "ja")];
        assert!(check(again, &written).is_ok());
        // And a word lost after a repeated label is still found.
        let read = "interviewer werkdruk\ninterviewer: interviewer zegt";
        let lost = check(
            read,
            &[
                turn("Interviewer", "werkdruk"),
                turn("Interviewer", "interviewer"),
            ],
        )
        .unwrap_err();
        assert_eq!(lost.read, "zegt");
    }

    #[test]
    fn times_are_not_words() {
        let w: Vec<String> = words("[00:12:03] 0:05 12:30,5 om 10 uur: 3:4 a1:20")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(w, ["om", "10", "uur", "3", "4", "a1", "20"]);
    }
}
