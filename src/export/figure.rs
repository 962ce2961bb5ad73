//! The fishbone as a figure for the report: an Ishikawa diagram drawn from the same model
//! as the TUI's Visgraat view (`analysis::fishbone`). The head at the right end of the spine,
//! a diagonal bone per level (beleid, team, individu above; doelgroep, maatschappij below),
//! the factor codes as horizontal ribs with + / − and their counts, and for one team its own
//! sheet beside its talk (● ◇ ○). Text never overlaps: every label's box is computed from
//! its wrapped lines, ribs are stacked by the height their labels need, and bones are spaced
//! by the width theirs need. SVG is written here; PNG is the SVG rendered by resvg.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use crate::analysis::fishbone::{Diagram, Presence, Rib, Side};
use crate::corpus::codebook::Level;
use crate::error::{Error, Result};

const FONT: f64 = 13.0;
const LINE: f64 = 17.0;
/// Width of one terminal cell of text at `FONT` in DejaVu Sans, generously: wide letters
/// (m, W) are about this wide, most are narrower, so real text fits inside its box.
const CELL: f64 = 8.0;
/// Labels wrap at this many cells.
const WRAP: usize = 30;
const MARGIN: f64 = 24.0;
/// Horizontal run of a bone per unit of distance from the spine (about 63°).
const SLOPE: f64 = 0.5;
/// Distance of the first rib from the spine, and between a bone's last rib and its end.
const SPINE_GAP: f64 = 20.0;
const RIB_GAP: f64 = 8.0;
const BONE_GAP: f64 = 28.0;
const FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";

/// A piece of text's box in the figure, for the test that nothing overlaps.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// What the text is: a code id, "bone:LEVEL", "head", "caption".
    pub what: String,
}

impl LabelBox {
    pub fn overlaps(&self, other: &LabelBox) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }
}

/// The text the figure needs in the UI language.
pub struct Words<'a> {
    /// Under the figure: which material it draws ("Alle casussen · alle codeurs").
    pub caption: &'a str,
    /// For one team: what ● ◇ ○ mean.
    pub legend: Option<&'a str>,
}

pub struct Figure {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<LabelBox>,
    pub svg: String,
}

/// `text` broken between words into lines of at most `width` cells (a longer word stands
/// alone on its line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn text_width(lines: &[String]) -> f64 {
    lines.iter().map(|l| l.width()).max().unwrap_or(0) as f64 * CELL
}

fn level_colour(level: Level) -> &'static str {
    match level {
        Level::Beleid => "#2b6cb0",
        Level::Team => "#2f855a",
        Level::Individu => "#97266d",
        Level::Doelgroep => "#b7791f",
        Level::Maatschappij => "#c53030",
        // A code book's own levels: colours the five do not use, in turn.
        other => ["#2c7a7b", "#6b46c1", "#975a16", "#4a5568"][other.rank() % 4],
    }
}

fn presence_colour(presence: Presence) -> &'static str {
    match presence {
        Presence::Both => "#1a202c",
        Presence::SheetOnly => "#c05621",
        Presence::CodingOnly => "#718096",
    }
}

fn rib_text(rib: &Rib) -> String {
    let mark = rib
        .presence
        .map_or(String::new(), |p| format!("{} ", p.glyph()));
    let counts = match rib.presence {
        Some(_) => format!("({})", rib.passages),
        None => format!("({}·{}·{})", rib.passages, rib.cases_coded, rib.sheets),
    };
    format!("{mark}{} {} {counts}", rib.valence.glyph(), rib.label)
}

/// One rib laid out relative to its bone's joint on the spine (x = 0), distances measured
/// away from the spine.
struct PlacedRib {
    lines: Vec<String>,
    /// Band of distances from the spine the rib takes.
    near: f64,
    far: f64,
    width: f64,
}

/// One bone relative to its joint: its ribs, its end and its horizontal extent.
struct PlacedBone {
    level: Level,
    side: Side,
    title: String,
    ribs: Vec<(PlacedRib, Rib)>,
    end: f64,
    left: f64,
    right: f64,
}

fn place_bone(bone: &crate::analysis::fishbone::Bone) -> PlacedBone {
    let title = format!(
        "{} (+{} −{})",
        bone.level.as_str(),
        bone.passages_plus,
        bone.passages_minus
    );
    // Ribs from the spine outward; above the spine the first rib is the farthest, so the
    // list reads from top to bottom on both sides.
    let order: Vec<&Rib> = match bone.side {
        Side::Above => bone.ribs.iter().rev().collect(),
        Side::Below => bone.ribs.iter().collect(),
    };
    let mut at = SPINE_GAP;
    let mut ribs = Vec::new();
    for rib in order {
        let lines = wrap(&rib_text(rib), WRAP);
        let height = lines.len() as f64 * LINE + RIB_GAP;
        let width = text_width(&lines);
        ribs.push((
            PlacedRib {
                lines,
                near: at,
                far: at + height,
                width,
            },
            rib.clone(),
        ));
        at += height;
    }
    let end = at + SPINE_GAP;
    let title_width = text_width(std::slice::from_ref(&title));
    // Each label's right edge stays left of the bone where the bone is farthest out along
    // the label's band (the bone leans left as it leaves the spine).
    let mut left = -end * SLOPE - title_width / 2.0;
    let mut right = (-end * SLOPE + title_width / 2.0).max(0.0);
    for (p, _) in &ribs {
        left = left.min(-p.far * SLOPE - 6.0 - p.width);
        right = right.max(0.0);
    }
    if matches!(bone.side, Side::Above) {
        ribs.reverse();
    }
    PlacedBone {
        level: bone.level,
        side: bone.side,
        title,
        ribs,
        end,
        left,
        right,
    }
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).to_string()
}

/// Lay out and draw `diagram`.
pub fn figure(diagram: &Diagram, words: &Words) -> Figure {
    let bones: Vec<PlacedBone> = diagram.bones.iter().map(place_bone).collect();
    let above: Vec<&PlacedBone> = bones.iter().filter(|b| b.side == Side::Above).collect();
    let below: Vec<&PlacedBone> = bones.iter().filter(|b| b.side == Side::Below).collect();
    let title_h = LINE + 6.0;
    let top_depth = above.iter().map(|b| b.end).fold(0.0, f64::max) + title_h;
    let bottom_depth = below.iter().map(|b| b.end).fold(0.0, f64::max) + title_h;
    let spine_y = MARGIN + top_depth;

    // Joints left to right: each bone starts where the one before it ends, plus a gap.
    let joints = |row: &[&PlacedBone]| -> Vec<f64> {
        let mut out = Vec::new();
        let mut reach = MARGIN;
        for b in row {
            let joint = reach - b.left;
            out.push(joint);
            reach = joint + b.right + BONE_GAP;
        }
        out
    };
    let top_joints = joints(&above);
    let bottom_joints = joints(&below);
    let row_end = |row: &[&PlacedBone], js: &[f64]| {
        row.iter()
            .zip(js)
            .map(|(b, j)| j + b.right)
            .fold(MARGIN, f64::max)
    };
    let spine_end = row_end(&above, &top_joints).max(row_end(&below, &bottom_joints)) + BONE_GAP;
    let head_lines = wrap(&diagram.head, 18);
    let head_w = text_width(&head_lines) + 24.0;
    let head_h = head_lines.len() as f64 * LINE + 16.0;
    let width_needed = spine_end + head_w + MARGIN;

    let mut boxes = Vec::new();
    let mut body = String::new();
    // The spine and the head.
    let _ = writeln!(
        body,
        r##"<line class="spine" x1="{MARGIN:.1}" y1="{spine_y:.1}" x2="{spine_end:.1}" y2="{spine_y:.1}" stroke="#1a202c" stroke-width="3"/>"##
    );
    let head_x = spine_end;
    let head_y = spine_y - head_h / 2.0;
    let _ = writeln!(
        body,
        r##"<rect class="head" x="{head_x:.1}" y="{head_y:.1}" width="{head_w:.1}" height="{head_h:.1}" rx="6" fill="#edf2f7" stroke="#1a202c" stroke-width="2"/>"##
    );
    body.push_str(&text_element(
        "head",
        None,
        head_x + 12.0,
        head_y + 8.0 + FONT,
        &head_lines,
        "#1a202c",
        true,
        "start",
    ));
    boxes.push(LabelBox {
        x: head_x,
        y: head_y,
        w: head_w,
        h: head_h,
        what: "head".into(),
    });

    for (row, js) in [(&above, &top_joints), (&below, &bottom_joints)] {
        for (b, &joint) in row.iter().zip(js) {
            draw_bone(b, joint, spine_y, &mut body, &mut boxes);
        }
    }

    // Caption and legend under the figure.
    let mut y = spine_y + bottom_depth + LINE;
    let mut max_x = width_needed;
    for (what, text) in [("caption", Some(words.caption)), ("legend", words.legend)] {
        let Some(text) = text else { continue };
        let lines = wrap(text, 110);
        let w = text_width(&lines);
        body.push_str(&text_element(
            what,
            None,
            MARGIN,
            y + FONT,
            &lines,
            "#4a5568",
            false,
            "start",
        ));
        boxes.push(LabelBox {
            x: MARGIN,
            y,
            w,
            h: lines.len() as f64 * LINE,
            what: what.into(),
        });
        max_x = max_x.max(MARGIN + w + MARGIN);
        y += lines.len() as f64 * LINE + 4.0;
    }
    let width = max_x.ceil();
    let height = (y + MARGIN).ceil();
    let svg = format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FAMILY}" font-size="{FONT}">
<title>{}</title>
<rect width="100%" height="100%" fill="#ffffff"/>
{body}</svg>
"##,
        escape(&diagram.head)
    );
    Figure {
        width,
        height,
        boxes,
        svg,
    }
}

fn draw_bone(
    b: &PlacedBone,
    joint: f64,
    spine_y: f64,
    body: &mut String,
    boxes: &mut Vec<LabelBox>,
) {
    let colour = level_colour(b.level);
    // y of a point at distance d from the spine.
    let y_at = |d: f64| match b.side {
        Side::Above => spine_y - d,
        Side::Below => spine_y + d,
    };
    let x_at = |d: f64| joint - d * SLOPE;
    let _ = writeln!(
        body,
        r#"<line class="bone" data-level="{}" x1="{joint:.1}" y1="{spine_y:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2.5"/>"#,
        b.level.as_str(),
        x_at(b.end),
        y_at(b.end)
    );
    // The bone's name beyond its end.
    let title = std::slice::from_ref(&b.title);
    let tw = text_width(title);
    let tx = x_at(b.end) - tw / 2.0;
    let ty = match b.side {
        Side::Above => y_at(b.end) - LINE - 4.0,
        Side::Below => y_at(b.end) + 4.0,
    };
    body.push_str(&text_element(
        "bone-label",
        Some(b.level.as_str()),
        tx,
        ty + FONT,
        title,
        colour,
        true,
        "start",
    ));
    boxes.push(LabelBox {
        x: tx,
        y: ty,
        w: tw,
        h: LINE,
        what: format!("bone:{}", b.level.as_str()),
    });
    for (p, rib) in &b.ribs {
        // The band's edge nearer the spine and farther from it, in y; the label sits on
        // the rib line, which runs along the band's lower edge to the bone.
        let (top, bottom) = match b.side {
            Side::Above => (y_at(p.far), y_at(p.near)),
            Side::Below => (y_at(p.near), y_at(p.far)),
        };
        let line_y = bottom - RIB_GAP / 2.0;
        let line_d = match b.side {
            Side::Above => p.near + RIB_GAP / 2.0,
            Side::Below => p.far - RIB_GAP / 2.0,
        };
        let right = x_at(p.far) - 6.0;
        let left = right - p.width;
        let rib_colour = rib.presence.map_or("#1a202c", presence_colour);
        let _ = writeln!(
            body,
            r#"<line class="rib-line" x1="{:.1}" y1="{line_y:.1}" x2="{:.1}" y2="{line_y:.1}" stroke="{colour}" stroke-width="1.2"/>"#,
            left - 2.0,
            x_at(line_d)
        );
        let text_h = p.lines.len() as f64 * LINE;
        let text_top = line_y - 2.0 - text_h;
        body.push_str(&text_element(
            "rib",
            Some(&rib.code),
            left,
            text_top + FONT,
            &p.lines,
            rib_colour,
            rib.presence == Some(Presence::Both),
            "start",
        ));
        boxes.push(LabelBox {
            x: left,
            y: text_top.max(top),
            w: p.width,
            h: text_h,
            what: rib.code.clone(),
        });
    }
}

/// One `<text>` element of `lines` (a `<tspan>` each), its first baseline at `y`.
#[allow(clippy::too_many_arguments)]
fn text_element(
    class: &str,
    key: Option<&str>,
    x: f64,
    y: f64,
    lines: &[String],
    colour: &str,
    bold: bool,
    anchor: &str,
) -> String {
    let mut out = format!(
        r#"<text class="{class}"{} x="{x:.1}" y="{y:.1}" fill="{colour}" text-anchor="{anchor}"{}>"#,
        key.map_or(String::new(), |k| format!(r#" data-key="{}""#, escape(k))),
        if bold { r#" font-weight="bold""# } else { "" }
    );
    for (i, line) in lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { LINE };
        let _ = write!(
            out,
            r#"<tspan x="{x:.1}" dy="{dy:.1}">{}</tspan>"#,
            escape(line)
        );
    }
    out.push_str("</text>\n");
    out
}

/// The figure as PNG, rendered by resvg at `scale` with the system's fonts.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>> {
    use resvg::{tiny_skia, usvg};
    let mut options = usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    if options.fontdb.is_empty() {
        return Err(Error::Usage(
            "no fonts found to draw the figure's text: install one (Debian: apt-get install fonts-dejavu-core), or export --format svg".into(),
        ));
    }
    let tree = usvg::Tree::from_str(svg, &options)
        .map_err(|e| Error::Usage(format!("the figure's SVG: {e}")))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| Error::Usage("the figure is too large to draw as PNG".into()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| Error::Usage("the figure is too large to draw as PNG".into()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| Error::Usage(format!("PNG: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_between_words_and_keeps_long_words_whole() {
        assert_eq!(
            wrap("AVG remt de overdracht", 10),
            ["AVG remt", "de", "overdracht"]
        );
        assert_eq!(
            wrap("ondersteuningsbehoeften", 10),
            ["ondersteuningsbehoeften"]
        );
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn boxes_know_when_they_overlap() {
        let a = LabelBox {
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
            what: "a".into(),
        };
        let mut b = a.clone();
        b.x = 9.0;
        assert!(a.overlaps(&b));
        b.x = 10.0;
        assert!(!a.overlaps(&b));
    }
}
