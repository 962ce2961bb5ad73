//! Excel workbooks for the report's tables: each framework matrix as a sheet (per cell the
//! summaries and the number of supporting codings) followed by a sheet of its supporting
//! quotes, and counts matrices (co-occurrence, bone × case) as sheets of numbers.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::analysis::framework::FrameworkMatrix;
use crate::analysis::matrix::Matrix;
use crate::error::{Error, Result};

/// Excel's limit on a sheet name, and the characters it refuses in one.
const SHEET_NAME_MAX: usize = 31;
const SHEET_NAME_FORBIDDEN: &[char] = &['[', ']', ':', '*', '?', '/', '\\'];

/// A valid sheet name for `title`, unique among `taken` (which it joins).
fn sheet_name(title: &str, taken: &mut Vec<String>) -> String {
    let clean: String = title
        .chars()
        .map(|c| {
            if SHEET_NAME_FORBIDDEN.contains(&c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    let mut name: String = clean.chars().take(SHEET_NAME_MAX).collect();
    let mut n = 2;
    // Excel compares sheet names without regard to case.
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        let suffix = format!(" {n}");
        name = clean
            .chars()
            .take(SHEET_NAME_MAX - suffix.chars().count())
            .collect::<String>()
            + &suffix;
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// The text of a framework cell: the summary (each author's, named when there are several)
/// and the count of supporting codings.
pub fn cell_text(cell: &crate::analysis::framework::Cell) -> String {
    let mut lines: Vec<String> = match cell.summaries.as_slice() {
        [one] => vec![one.text.clone()],
        many => many
            .iter()
            .map(|s| format!("{}: {}", s.author, s.text))
            .collect(),
    };
    if !cell.codings.is_empty() {
        lines.push(format!("[{} codering(en)]", cell.codings.len()));
    }
    lines.join("\n")
}

fn framework_sheet(
    sheet: &mut Worksheet,
    m: &FrameworkMatrix,
    bold: &Format,
    wrap: &Format,
) -> std::result::Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, &m.title, bold)?;
    sheet.set_column_width(0, 40)?;
    for (c, column) in m.columns.iter().enumerate() {
        let col = (c + 1) as u16;
        sheet.write_string_with_format(0, col, &column.label, bold)?;
        sheet.set_column_width(col, 36)?;
    }
    for (r, row) in m.rows.iter().enumerate() {
        let at = (r + 1) as u32;
        sheet.write_string_with_format(at, 0, &row.label, bold)?;
        for (c, cell) in m.cells[r].iter().enumerate() {
            let text = cell_text(cell);
            if !text.is_empty() {
                sheet.write_string_with_format(at, (c + 1) as u16, text, wrap)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

fn quotes_sheet(
    sheet: &mut Worksheet,
    m: &FrameworkMatrix,
    bold: &Format,
    wrap: &Format,
) -> std::result::Result<(), XlsxError> {
    let head = [
        "rij", "kolom", "code", "coder", "bron", "codering", "citaat",
    ];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, bold)?;
    }
    sheet.set_column_width(6, 80)?;
    let mut at = 1u32;
    for (r, row) in m.rows.iter().enumerate() {
        for (c, cell) in m.cells[r].iter().enumerate() {
            for s in &cell.codings {
                let values = [
                    row.id.as_str(),
                    m.columns[c].id.as_str(),
                    &s.code,
                    &s.coder,
                    &s.source,
                    &s.coding,
                ];
                for (k, v) in values.iter().enumerate() {
                    sheet.write_string(at, k as u16, *v)?;
                }
                sheet.write_string_with_format(at, 6, &s.quote, wrap)?;
                at += 1;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn counts_sheet(
    sheet: &mut Worksheet,
    m: &Matrix,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, &m.title, bold)?;
    sheet.set_column_width(0, 30)?;
    for (c, column) in m.columns.iter().enumerate() {
        sheet.write_string_with_format(0, (c + 1) as u16, column, bold)?;
    }
    for (r, row) in m.rows.iter().enumerate() {
        sheet.write_string_with_format((r + 1) as u32, 0, row, bold)?;
        for (c, n) in m.cells[r].iter().enumerate() {
            sheet.write_number((r + 1) as u32, (c + 1) as u16, *n as f64)?;
        }
    }
    if let Some(note) = &m.note {
        sheet.write_string((m.rows.len() + 2) as u32, 0, note)?;
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

/// The workbook's bytes: every framework matrix and its quotes, then every counts matrix.
pub fn workbook(framework: &[FrameworkMatrix], counts: &[Matrix]) -> Result<Vec<u8>> {
    let fail = |e: XlsxError| Error::Usage(format!("writing the workbook: {e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let mut taken = Vec::new();
    for m in framework {
        let name = sheet_name(&m.title, &mut taken);
        let sheet = book.add_worksheet();
        sheet.set_name(&name).map_err(fail)?;
        framework_sheet(sheet, m, &bold, &wrap).map_err(fail)?;
        let quotes = sheet_name(&format!("{} citaten", m.title), &mut taken);
        let sheet = book.add_worksheet();
        sheet.set_name(&quotes).map_err(fail)?;
        quotes_sheet(sheet, m, &bold, &wrap).map_err(fail)?;
    }
    for m in counts {
        let name = sheet_name(&m.title, &mut taken);
        let sheet = book.add_worksheet();
        sheet.set_name(&name).map_err(fail)?;
        counts_sheet(sheet, m, &bold).map_err(fail)?;
    }
    if framework.is_empty() && counts.is_empty() {
        book.add_worksheet();
    }
    book.save_to_buffer().map_err(fail)
}

/// [`workbook`], written to `path` atomically.
pub fn write(
    path: &std::path::Path,
    framework: &[FrameworkMatrix],
    counts: &[Matrix],
) -> Result<()> {
    crate::atomic::write(path, &workbook(framework, counts)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(sheet_name("case × code", &mut taken), "case × code");
        assert_eq!(sheet_name("Case × Code", &mut taken), "Case × Code 2");
        let long = sheet_name(&"a/b".repeat(20), &mut taken);
        assert_eq!(long.chars().count(), 31);
        assert!(!long.contains('/'));
    }
}
