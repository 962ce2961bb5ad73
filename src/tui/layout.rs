//! Screen geometry shared by rendering and by `update` (scrolling and mouse clicks need to
//! know where things are): tabs on the first row, a status line on the last.

use ratatui::layout::Rect;

use super::action::ViewId;

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
pub const TAB_WIDTH: u16 = 14;
const TREE_WIDTH: u16 = 30;
const SIDE_WIDTH: u16 = 36;
/// Margin left of the reader text: coding stripes and a gap.
pub const MARGIN: u16 = 4;

pub fn too_small(size: (u16, u16)) -> bool {
    size.0 < MIN_WIDTH || size.1 < MIN_HEIGHT
}

pub fn main_area(size: (u16, u16)) -> Rect {
    Rect::new(0, 1, size.0, size.1.saturating_sub(2))
}

pub fn has_tree(size: (u16, u16)) -> bool {
    size.0 >= 90
}

pub fn has_side(size: (u16, u16)) -> bool {
    size.0 >= 120
}

pub fn tree_area(size: (u16, u16)) -> Rect {
    let main = main_area(size);
    Rect::new(0, main.y, TREE_WIDTH.min(main.width), main.height)
}

/// The reader's block (with border).
pub fn reader_area(size: (u16, u16), with_tree: bool) -> Rect {
    let main = main_area(size);
    let left = if with_tree { TREE_WIDTH } else { 0 };
    let right = if has_side(size) { SIDE_WIDTH } else { 0 };
    Rect::new(
        left,
        main.y,
        main.width.saturating_sub(left + right),
        main.height,
    )
}

pub fn side_area(size: (u16, u16)) -> Rect {
    let main = main_area(size);
    Rect::new(
        main.width.saturating_sub(SIDE_WIDTH),
        main.y,
        SIDE_WIDTH.min(main.width),
        main.height,
    )
}

/// Where the reader's text goes: inside the border, right of the margin.
pub fn reader_text_area(size: (u16, u16), with_tree: bool) -> Rect {
    let block = reader_area(size, with_tree);
    Rect::new(
        block.x + 1 + MARGIN,
        block.y + 1,
        block.width.saturating_sub(2 + MARGIN),
        block.height.saturating_sub(2),
    )
}

pub fn reader_text_width(size: (u16, u16), with_tree: bool) -> usize {
    reader_text_area(size, with_tree).width.max(10) as usize
}

pub fn reader_height(size: (u16, u16)) -> usize {
    main_area(size).height.saturating_sub(2) as usize
}

pub fn query_area(size: (u16, u16)) -> Rect {
    let main = main_area(size);
    Rect::new(0, main.y, main.width, 3)
}

/// The filter bar: `rows` rows under the query (it wraps on a narrow terminal).
pub fn filter_area(size: (u16, u16), rows: u16) -> Rect {
    let main = main_area(size);
    Rect::new(0, main.y + 3, main.width, rows)
}

/// The result list (with border) under a filter bar of `filter_rows`; the preview takes the
/// rest of the width on wide screens.
pub fn results_area(size: (u16, u16), filter_rows: u16) -> Rect {
    let main = main_area(size);
    let width = if size.0 >= 100 {
        main.width * 3 / 5
    } else {
        main.width
    };
    let top = 3 + filter_rows;
    Rect::new(0, main.y + top, width, main.height.saturating_sub(top))
}

pub fn preview_area(size: (u16, u16), filter_rows: u16) -> Option<Rect> {
    let results = results_area(size, filter_rows);
    let main = main_area(size);
    (results.width < main.width).then(|| {
        Rect::new(
            results.width,
            results.y,
            main.width - results.width,
            results.height,
        )
    })
}

pub const VIEWS: [ViewId; 7] = [
    ViewId::Documents,
    ViewId::Search,
    ViewId::Fishbone,
    ViewId::Codes,
    ViewId::Matrix,
    ViewId::Review,
    ViewId::Saturation,
];

/// Tabs share the first row; on a narrow terminal they shrink so that all of them show.
/// The width of each tab: its label and a gap when all fit the row, else an equal share.
pub fn tab_widths(labels: &[usize], width: u16) -> Vec<u16> {
    let natural: usize = labels.iter().sum();
    if natural + labels.len() <= width as usize {
        labels.iter().map(|w| (w + 1) as u16).collect()
    } else if natural <= width as usize {
        // Labels start with a space: they still read apart without the gap.
        labels.iter().map(|w| *w as u16).collect()
    } else {
        let share = TAB_WIDTH.min(width / labels.len().max(1) as u16).max(1);
        vec![share; labels.len()]
    }
}

/// The view whose tab is at column `x`, for tabs of `widths`.
pub fn tab_at(x: u16, widths: &[u16]) -> Option<ViewId> {
    let mut right = 0;
    for (view, w) in VIEWS.iter().zip(widths) {
        right += w;
        if x < right {
            return Some(*view);
        }
    }
    None
}

/// A centred popup of at most `w` × `h`.
pub fn popup_area(size: (u16, u16), w: u16, h: u16) -> Rect {
    let w = w.min(size.0.saturating_sub(4));
    let h = h.min(size.1.saturating_sub(4));
    Rect::new((size.0 - w) / 2, (size.1 - h) / 2, w, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_keep_their_labels_while_they_fit_and_clicks_find_them() {
        let labels = [13, 9, 11, 8, 9, 14, 14]; // " 1 Documenten" … " 7 Verzadiging"
        let wide = tab_widths(&labels, 120);
        assert_eq!(wide, [14, 10, 12, 9, 10, 15, 15]);
        assert_eq!(tab_widths(&labels, 80), [13, 9, 11, 8, 9, 14, 14]);
        assert_eq!(tab_widths(&labels, 60), [8; 7]);
        assert_eq!(tab_at(0, &wide), Some(ViewId::Documents));
        assert_eq!(tab_at(13, &wide), Some(ViewId::Documents));
        assert_eq!(tab_at(14, &wide), Some(ViewId::Search));
        assert_eq!(tab_at(84, &wide), Some(ViewId::Saturation));
        assert_eq!(tab_at(85, &wide), None);
    }
}
