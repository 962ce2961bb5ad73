//! What an importer finds in a file: paragraphs that are turns (a speaker label, perhaps a
//! time, what was said) or plain paragraphs (headers, notes), and the body visgraat writes
//! from them, in the form `crate::corpus::turn` reads back.

use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, PartialEq)]
pub enum Paragraph {
    /// `label` as it will be written: the speaker, perhaps a title before and a note in
    /// brackets after it (`Sanne de Boer (ROC Oost)`).
    Turn {
        time: Option<String>,
        label: String,
        text: String,
    },
    /// A paragraph nobody says; `header` for a line about the recording (date, place, …).
    Plain { text: String, header: bool },
}

impl Paragraph {
    pub fn turn(time: Option<String>, label: String, text: &str) -> Paragraph {
        Paragraph::Turn {
            time,
            label,
            text: text.trim().to_string(),
        }
    }

    pub fn plain(text: &str) -> Paragraph {
        Paragraph::Plain {
            text: text.trim().to_string(),
            header: false,
        }
    }

    /// Add a wrapped line (or the next cue) to this paragraph.
    pub fn extend(&mut self, more: &str) {
        let text = match self {
            Paragraph::Turn { text, .. } | Paragraph::Plain { text, .. } => text,
        };
        let more = more.trim();
        if more.is_empty() {
            return;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(more);
    }

    pub fn text(&self) -> &str {
        match self {
            Paragraph::Turn { text, .. } | Paragraph::Plain { text, .. } => text,
        }
    }

    /// The speaker label, for a turn.
    pub fn label(&self) -> Option<&str> {
        match self {
            Paragraph::Turn { label, .. } => Some(label),
            Paragraph::Plain { .. } => None,
        }
    }

    fn render(&self) -> String {
        match self {
            Paragraph::Turn { time, label, text } => {
                let time = time.as_ref().map(|t| format!("[{t}] ")).unwrap_or_default();
                if text.is_empty() {
                    format!("{time}{label}:")
                } else {
                    format!("{time}{label}: {text}")
                }
            }
            Paragraph::Plain { text, .. } => text.clone(),
        }
    }
}

/// The body of a transcript: one paragraph per turn (and per other block), NFC, LF.
pub fn render(paragraphs: &[Paragraph]) -> String {
    let mut body = paragraphs
        .iter()
        .filter(|p| !p.text().is_empty() || p.label().is_some())
        .map(Paragraph::render)
        .collect::<Vec<_>>()
        .join("\n\n");
    body.push('\n');
    body.nfc().collect()
}
