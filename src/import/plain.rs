//! Plain-text and Markdown transcripts, and the paragraphs of Word files: a turn per label
//! (see `label`), wrapped lines joined to their turn, a line that is not a turn after a blank
//! line a paragraph of its own, header lines (`Datum: …`) header paragraphs, Otter.ai's
//! `Name  0:05` lines with the text below them. A file without blank lines whose lines end
//! like sentences has one paragraph per line.

use super::label::{Labels, is_header_line};
use super::paragraphs::Paragraph;

/// Builds paragraphs from lines; shared by plain text and Word files.
pub struct Reader {
    labels: Labels,
    /// Every line is a paragraph (Word paragraphs; text files with one turn per line).
    one_per_line: bool,
    done: Vec<Paragraph>,
    current: Option<Paragraph>,
}

impl Reader {
    pub fn new(labels: Labels, one_per_line: bool) -> Reader {
        Reader {
            labels,
            one_per_line,
            done: Vec::new(),
            current: None,
        }
    }

    pub fn line(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() {
            self.flush();
            return;
        }
        if is_header_line(line) {
            self.flush();
            self.current = Some(Paragraph::Plain {
                text: line.to_string(),
                header: true,
            });
            if self.one_per_line {
                self.flush();
            }
            return;
        }
        if let Some((label, time)) = self.labels.otter(line) {
            self.flush();
            self.current = Some(Paragraph::turn(Some(time), label, ""));
            return;
        }
        if let Some(turn) = self.labels.turn(line) {
            self.flush();
            self.current = Some(Paragraph::turn(turn.time, turn.label, &turn.text));
            return;
        }
        match &mut self.current {
            // The text under an Otter header belongs to it, also line by line.
            Some(p @ Paragraph::Turn { .. }) if p.text().is_empty() => p.extend(line),
            Some(p) if !self.one_per_line => p.extend(line),
            _ => {
                self.flush();
                self.current = Some(Paragraph::plain(line));
            }
        }
    }

    /// A paragraph from elsewhere (a Word table's row).
    pub fn paragraph(&mut self, p: Paragraph) {
        self.flush();
        self.done.push(p);
    }

    /// Text that goes on with the turn before (a table row with an empty speaker cell).
    pub fn continue_turn(&mut self, text: &str) {
        self.flush();
        match self.done.last_mut() {
            Some(p @ Paragraph::Turn { .. }) => p.extend(text),
            _ => self.done.push(Paragraph::plain(text)),
        }
    }

    pub fn flush(&mut self) {
        if let Some(p) = self.current.take() {
            self.done.push(p);
        }
    }

    pub fn finish(mut self) -> Vec<Paragraph> {
        self.flush();
        self.done
    }
}

/// The paragraphs of a plain-text or Markdown transcript.
pub fn read(text: &str) -> Vec<Paragraph> {
    let mut reader = Reader::new(Labels::of(text.lines()), one_per_line(text));
    for line in text.lines() {
        reader.line(line);
    }
    reader.finish()
}

/// True for a file of several lines without a blank line between them, most of which end
/// like a sentence: one paragraph per line, not one paragraph wrapped over many lines.
fn one_per_line(text: &str) -> bool {
    let lines: Vec<&str> = text.trim().lines().map(str::trim).collect();
    let sentence_ends = lines
        .iter()
        .filter(|l| l.ends_with(['.', '?', '!', '…', '"', '”', '\'', ')']))
        .count();
    lines.len() >= 3 && !lines.iter().any(|l| l.is_empty()) && sentence_ends * 3 >= lines.len() * 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::paragraphs::render;

    #[test]
    fn the_forms_transcribers_write_become_one() {
        let text = "Focusgroep team A (synthetisch)\n\n\
                    [00:12:03] Moderator: Wat helpt?\n\
                    00:12:10 Docent 1: Korte lijnen,\nzeker met de zorgcoördinator.\n\
                    (12:30) P3: Ja.\n\
                    [Noor] Dat vind ik ook.\n\
                    @Sam: En de AVG?\n\
                    INTERVIEWER 1: Nog iets?\n\
                    **Docent 2:** Meer tijd.\n\
                    __Noor__: Ja.\n\n\
                    Einde opname.\n";
        assert_eq!(
            render(&read(text)),
            "Focusgroep team A (synthetisch)\n\n\
             [00:12:03] Moderator: Wat helpt?\n\n\
             [00:12:10] Docent 1: Korte lijnen, zeker met de zorgcoördinator.\n\n\
             [12:30] P3: Ja.\n\n\
             Noor: Dat vind ik ook.\n\n\
             Sam: En de AVG?\n\n\
             INTERVIEWER 1: Nog iets?\n\n\
             Docent 2: Meer tijd.\n\n\
             Noor: Ja.\n\n\
             Einde opname.\n"
        );
    }

    #[test]
    fn otter_headers_and_lines_of_their_own() {
        let otter = "Petra Jansen  0:05\nDank je wel.\nFijn.\n\nBram  0:09\nGraag.\n";
        assert_eq!(
            render(&read(otter)),
            "[0:05] Petra Jansen: Dank je wel. Fijn.\n\n[0:09] Bram: Graag.\n"
        );
        let lines =
            "Datum: 4 april 2024\nHet begon goed.\nDaarna werd het lastig.\nToen stopte ik.\n";
        assert_eq!(
            render(&read(lines)),
            "Datum: 4 april 2024\n\nHet begon goed.\n\nDaarna werd het lastig.\n\nToen stopte ik.\n"
        );
    }
}
