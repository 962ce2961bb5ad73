//! Colours and styles. With NO_COLOR set, no colour at all: valence is carried by the + and −
//! glyphs and coded text by underlining, never by colour alone.

use ratatui::style::{Color, Modifier, Style};

use crate::corpus::codebook::Level;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn level(&self, level: Option<Level>) -> Style {
        if !self.color {
            return Style::default();
        }
        let c = match level {
            Some(Level::Beleid) => Color::Blue,
            Some(Level::Team) => Color::Green,
            Some(Level::Individu) => Color::Magenta,
            Some(Level::Doelgroep) => Color::Yellow,
            Some(Level::Maatschappij) => Color::Red,
            Some(_) | None => Color::Cyan,
        };
        Style::default().fg(c)
    }

    pub fn coded(&self, level: Option<Level>) -> Style {
        self.level(level).add_modifier(Modifier::UNDERLINED)
    }

    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn cursor(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn highlight(&self) -> Style {
        if self.color {
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }

    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }

    pub fn focus_border(&self, focused: bool) -> Style {
        if focused && self.color {
            Style::default().fg(Color::Cyan)
        } else if focused {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        }
    }
}
