//! The reader: one source, a cursor that moves by grapheme, word, sentence, paragraph and
//! coded span, and a selection to code. The source is wrapped once per width and text, not
//! per keystroke or frame.

use std::sync::Arc;

use crate::coding::Placed;
use crate::corpus::source::{Segment, Source};
use crate::tui::action::Action;
use crate::tui::layout;
use crate::tui::popups::{MemoPurpose, PickPurpose, Popup};
use crate::tui::text::{self, Unit, WrappedLine};

use super::{Command, Ctx};

#[derive(Debug, Clone, PartialEq)]
pub struct Reader {
    /// Index into the corpus's sources; `source_id` finds it again after a reload.
    pub source: usize,
    pub source_id: String,
    /// Char offset of the cursor in the body.
    pub cursor: usize,
    /// Where a selection started (`v`), if one is being made.
    pub anchor: Option<usize>,
    /// First visible wrapped line.
    pub top: usize,
    /// The source wrapped at `wrapped_for.0` columns, for text generation `wrapped_for.1`;
    /// its paragraphs and length, computed with it (each is a walk of the whole text).
    lines: Arc<Vec<WrappedLine>>,
    segments: Arc<Vec<Segment>>,
    len: usize,
    wrapped_for: (usize, u64),
}

impl Reader {
    pub fn open(source: &Source, index: usize, at: usize) -> Reader {
        Reader {
            source: index,
            source_id: source.meta.id.clone(),
            cursor: at,
            anchor: None,
            top: 0,
            lines: Arc::default(),
            segments: Arc::default(),
            len: 0,
            wrapped_for: (0, u64::MAX),
        }
    }

    /// The wrapped lines as last wrapped (see `wrap`).
    pub fn lines(&self) -> &[WrappedLine] {
        &self.lines
    }

    /// The source's paragraphs, as last wrapped.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Wrap the source for `width` columns unless it is wrapped so already; `generation`
    /// changes whenever the sources were read again.
    pub fn wrap(&mut self, source: &Source, width: usize, generation: u64) {
        if self.wrapped_for.1 != generation || self.segments.is_empty() {
            self.segments = Arc::new(source.segments());
            self.len = source.char_len();
        }
        if self.wrapped_for != (width, generation) {
            self.lines = Arc::new(wrap_segments(&self.segments, width));
            self.wrapped_for = (width, generation);
        }
        let len = self.len;
        self.cursor = self.cursor.min(len.saturating_sub(1));
        self.anchor = self.anchor.map(|a| a.min(len.saturating_sub(1)));
    }

    /// Scroll so the cursor's line is on screen.
    pub fn keep_cursor_visible(&mut self, height: usize) {
        let height = height.max(1);
        let line = line_of(&self.lines, self.cursor);
        if line < self.top {
            self.top = line;
        } else if line >= self.top + height {
            self.top = line + 1 - height;
        }
    }

    /// Show some context above the cursor (after opening at a passage).
    pub fn show_context(&mut self) {
        self.top = line_of(&self.lines, self.cursor).saturating_sub(2);
    }

    /// The selected span, end-exclusive and grapheme-complete.
    pub fn selection(&self, body: &str) -> Option<(usize, usize)> {
        let anchor = self.anchor?;
        let (a, b) = (anchor.min(self.cursor), anchor.max(self.cursor));
        Some((a, text::grapheme_end(body, b)))
    }

    /// The active coder's innermost coding at the cursor.
    pub fn coding_under_cursor(&self, ctx: &Ctx) -> Option<Placed> {
        ctx.ws
            .codings
            .overlapping(&self.source_id, self.cursor, self.cursor + 1)
            .filter(|c| c.coder == ctx.coder())
            .min_by_key(|c| c.coding.end - c.coding.start)
            .cloned()
    }

    pub fn update(&mut self, action: &Action, ctx: &Ctx) -> Vec<Command> {
        let source = ctx.source(self.source);
        let body = source.body.as_str();
        let len = self.len;
        let segments = self.segments.clone();
        let height = layout::reader_height(ctx.size);
        let cursor = self.cursor;
        let last = len.saturating_sub(1);
        let mut out = Vec::new();
        let new_cursor = match action {
            Action::Left => Some(text::prev(body, cursor, Unit::Grapheme)),
            Action::Right => Some(text::next(body, cursor, Unit::Grapheme).min(last)),
            Action::WordNext => Some(text::next(body, cursor, Unit::Word).min(last)),
            Action::WordPrev => Some(text::prev(body, cursor, Unit::Word)),
            Action::SentenceNext => Some(text::next(body, cursor, Unit::Sentence).min(last)),
            Action::SentencePrev => Some(text::prev(body, cursor, Unit::Sentence)),
            Action::Up => Some(vertical(&self.lines, cursor, -1)),
            Action::Down => Some(vertical(&self.lines, cursor, 1)),
            Action::PageUp => Some(vertical(&self.lines, cursor, -(height as isize - 1))),
            Action::PageDown => Some(vertical(&self.lines, cursor, height as isize - 1)),
            Action::Top => Some(0),
            Action::Bottom => Some(last),
            Action::ParagraphNext | Action::ParagraphPrev => {
                let segs = &segments;
                let target = if *action == Action::ParagraphNext {
                    segs.iter().find(|s| s.start > cursor).map(|s| s.start)
                } else {
                    segs.iter()
                        .rev()
                        .find(|s| s.start < cursor)
                        .map(|s| s.start)
                };
                target.or(Some(cursor))
            }
            Action::NextCoded | Action::PrevCoded => {
                let mut starts: Vec<usize> = ctx
                    .ws
                    .codings
                    .in_source(&self.source_id)
                    .filter(|c| ctx.shown_coder.is_none_or(|k| c.coder == k))
                    .map(|c| c.coding.start)
                    .collect();
                starts.sort();
                starts.dedup();
                let target = if *action == Action::NextCoded {
                    starts.into_iter().find(|&s| s > cursor)
                } else {
                    starts.into_iter().rev().find(|&s| s < cursor)
                };
                target.or(Some(cursor))
            }
            Action::ScrollDown => {
                self.top = (self.top + 3).min(self.lines.len().saturating_sub(1));
                None
            }
            Action::ScrollUp => {
                self.top = self.top.saturating_sub(3);
                None
            }
            Action::ToggleSelect => {
                self.anchor = match self.anchor {
                    Some(_) => None,
                    None => Some(self.cursor),
                };
                None
            }
            Action::Code => {
                match self.selection(body) {
                    Some((start, end)) => {
                        out.push(Command::Popup(Popup::picker(PickPurpose::Add {
                            source: self.source,
                            start,
                            end,
                        })))
                    }
                    None => out.push(Command::Error(ctx.msg().select_first.into())),
                }
                None
            }
            Action::Recode | Action::Memo | Action::RemoveCoding => {
                match self.coding_under_cursor(ctx) {
                    Some(placed) => out.push(match action {
                        Action::Recode => {
                            Command::Popup(Popup::picker(PickPurpose::Recode(placed)))
                        }
                        Action::Memo => Command::Popup(Popup::Memo {
                            text: placed.coding.memo.clone(),
                            purpose: MemoPurpose::Edit(placed),
                        }),
                        _ => Command::Record(
                            crate::coding::history::Edit::Removed(placed),
                            ctx.msg().removed.into(),
                        ),
                    }),
                    None => out.push(Command::Error(ctx.msg().no_coding_here.into())),
                }
                None
            }
            Action::AcceptSuggestion | Action::RejectSuggestion => {
                let here = ctx.ws.codings.machine.iter().find(|p| {
                    p.source == source.meta.id && p.coding.start <= cursor && cursor < p.coding.end
                });
                if let Some(p) = here {
                    let id = p.coding.id.clone();
                    out.push(if *action == Action::AcceptSuggestion {
                        Command::AcceptSuggestion(id)
                    } else {
                        Command::RejectSuggestion(id)
                    });
                }
                None
            }
            Action::CopyCitation | Action::AppendCitation => {
                let (start, end) = self.selection(body).unwrap_or_else(|| {
                    segments
                        .iter()
                        .find(|s| s.start <= cursor && cursor <= s.end)
                        .map_or((cursor, cursor), |s| (s.start, s.end))
                });
                out.push(Command::Cite {
                    source: self.source,
                    start,
                    end,
                    append: *action == Action::AppendCitation,
                });
                None
            }
            _ => None,
        };
        if let Some(mut c) = new_cursor {
            // While selecting, a forward word/sentence/paragraph motion extends the selection
            // to the end of the next unit, not onto the first letter of the one after it.
            if self.anchor.is_some() && c > cursor {
                let unit = match action {
                    Action::WordNext => Some(Unit::Word),
                    Action::SentenceNext => Some(Unit::Sentence),
                    Action::ParagraphNext => None,
                    _ => Some(Unit::Grapheme),
                };
                if !matches!(unit, Some(Unit::Grapheme)) {
                    let from = skip_spaces(body, text::grapheme_end(body, cursor));
                    let next_start = match unit {
                        Some(u) => text::next(body, from, u),
                        None => segments
                            .iter()
                            .find(|s| s.start > from)
                            .map_or(len, |s| s.start),
                    };
                    c = last_visible_before(body, next_start).max(cursor);
                }
            }
            self.cursor = into_paragraph(&segments, c.min(last), c >= cursor);
            self.keep_cursor_visible(height);
        }
        out
    }

    /// A click at column `col` of visible line `row` of the text area: the cursor goes there.
    pub fn click(&mut self, row: usize, col: usize) {
        let Some(line) = self.lines.get(self.top + row) else {
            return;
        };
        let mut used = 0;
        let mut at = line.start;
        for cell in &line.cells {
            if used + cell.width > col {
                break;
            }
            used += cell.width;
            at = cell.at + cell.chars;
        }
        self.cursor = at.min(line.end.saturating_sub(1).max(line.start));
    }
}

/// The first char offset at or after `pos` that is not white space.
fn skip_spaces(body: &str, pos: usize) -> usize {
    body.chars()
        .skip(pos)
        .position(|c| !c.is_whitespace())
        .map_or(pos, |n| pos + n)
}

/// The start of the last non-space grapheme before char offset `pos`.
fn last_visible_before(body: &str, pos: usize) -> usize {
    let mut at = text::prev(body, pos, Unit::Grapheme);
    while at > 0 {
        let g =
            crate::corpus::source::char_slice(body, at, text::grapheme_end(body, at)).unwrap_or("");
        if !g.chars().all(char::is_whitespace) {
            break;
        }
        at = text::prev(body, at, Unit::Grapheme);
    }
    at
}

/// Wrapped lines of a whole source: its paragraphs with a blank line between them.
pub fn lines_of(source: &Source, width: usize) -> Vec<WrappedLine> {
    wrap_segments(&source.segments(), width)
}

fn wrap_segments(segments: &[Segment], width: usize) -> Vec<WrappedLine> {
    let mut out = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        if i > 0 {
            out.push(WrappedLine {
                start: seg.start,
                end: seg.start,
                cells: Vec::new(),
                paragraph: None,
            });
        }
        out.extend(text::wrap(&seg.text, seg.start, width, i));
    }
    out
}

/// `at`, or where the cursor goes instead when `at` lies between paragraphs (on the blank
/// line, where nothing is shown and a selection would take the line breaks in: a coding of
/// "\n\nDe"): on to the next paragraph moving forward, back to the end of the one before
/// moving back (or past the last one).
fn into_paragraph(segments: &[Segment], at: usize, forward: bool) -> usize {
    let text = |s: &&Segment| s.end > s.start;
    if segments.is_empty() || segments.iter().any(|s| s.start <= at && at < s.end) {
        return at;
    }
    let next = segments.iter().filter(text).find(|s| s.start > at);
    let before = segments.iter().filter(text).rev().find(|s| s.end <= at);
    match (next, before) {
        (Some(n), None) => n.start,
        (Some(n), Some(_)) if forward => n.start,
        (_, Some(b)) => b.end - 1,
        (None, None) => at,
    }
}

/// The index of the line that holds char offset `at`.
pub fn line_of(lines: &[WrappedLine], at: usize) -> usize {
    lines
        .iter()
        .position(|l| l.paragraph.is_some() && l.start <= at && at < l.end.max(l.start + 1))
        .or_else(|| {
            lines
                .iter()
                .rposition(|l| l.paragraph.is_some() && l.start <= at)
        })
        .unwrap_or(0)
}

/// Move `at` by `delta` screen lines, keeping the column; separators are skipped.
fn vertical(lines: &[WrappedLine], at: usize, delta: isize) -> usize {
    // A source without text has no lines to move over.
    if lines.is_empty() {
        return at;
    }
    let from = line_of(lines, at);
    let line = &lines[from];
    let col: usize = line
        .cells
        .iter()
        .take_while(|c| c.at < at)
        .map(|c| c.width)
        .sum();
    let mut target = (from as isize + delta).clamp(0, lines.len() as isize - 1) as usize;
    while lines[target].paragraph.is_none() {
        let step = if delta >= 0 { 1 } else { -1 };
        let next = target as isize + step;
        if next < 0 || next >= lines.len() as isize {
            break;
        }
        target = next as usize;
    }
    let dest = &lines[target];
    let mut used = 0;
    for cell in &dest.cells {
        if used + cell.width > col {
            return cell.at;
        }
        used += cell.width;
    }
    dest.cells.last().map_or(dest.start, |c| c.at)
}
