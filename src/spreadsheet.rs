//! Reading a sheet of a spreadsheet someone sent (a case list, a filled-in ledger sheet)
//! within bounds: the first, or the first a test accepts (a case list below instructions).
//!
//! A sheet's cells are read into a dense grid spanning its used extent, so one cell far out
//! (a value at XFD1048576) would ask for billions of cells and abort the program. An XLSX
//! sheet is therefore read cell by cell ([`calamine::Xlsx::worksheet_cells_reader`]): its
//! declared dimension and every cell are checked against [`MAX_ROWS`] and [`MAX_COLUMNS`]
//! before anything is allocated. Other formats are read whole and checked after; the old
//! binary `.xls` cannot be larger than 65,536 × 256 cells.

use calamine::{Data, Reader, Xlsx};
use std::path::Path;

/// The most rows a sheet may span: far more than any case list or ledger.
pub const MAX_ROWS: u32 = 100_000;
/// The most columns a sheet may span.
pub const MAX_COLUMNS: u32 = 200;

/// Why a sheet was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetError {
    /// Not a spreadsheet calamine can read, with its message.
    Unreadable(String),
    /// The workbook has no sheet.
    NoSheet,
    /// The sheet spans more rows or columns than [`MAX_ROWS`] × [`MAX_COLUMNS`].
    TooLarge {
        /// The last row it spans (1-based).
        rows: u32,
        /// The last column it spans (1-based).
        columns: u32,
    },
}

impl crate::lang::Localized for SheetError {
    fn localized(&self, lang: crate::lang::Lang) -> String {
        use crate::lang::Lang;
        match (self, lang) {
            (SheetError::Unreadable(e), _) => e.clone(),
            (SheetError::NoSheet, Lang::Zh) => "表格中没有工作表".into(),
            (SheetError::NoSheet, Lang::En) => "the workbook has no sheet".into(),
            (SheetError::TooLarge { rows, columns }, Lang::Zh) => format!(
                "表格范围过大（到第 {rows} 行、第 {columns} 列；最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列），未读取。请删去远处的单元格或只复制需要的部分到新表格"
            ),
            (SheetError::TooLarge { rows, columns }, Lang::En) => format!(
                "the sheet spans too far (to row {rows}, column {columns}; at most {MAX_ROWS} rows and {MAX_COLUMNS} columns); it was not read. Delete the far cells or copy what is needed into a new sheet"
            ),
        }
    }
}

/// The first sheet's cells as rows, from its first used row and column (as calamine's
/// `Range` has them), refusing a sheet beyond the bounds.
pub fn first_sheet(path: &Path) -> Result<Vec<Vec<Data>>, SheetError> {
    Ok(choose_sheet(path, &mut |_| true)?.rows)
}

/// A sheet picked from a workbook by [`choose_sheet`].
#[derive(Debug, Clone, PartialEq)]
pub struct Chosen {
    /// Its cells as rows (as [`first_sheet`] gives them).
    pub rows: Vec<Vec<Data>>,
    /// Whether the test accepted it (else it is the first sheet, none being accepted).
    pub accepted: bool,
    /// The names of the sheets looked at, in workbook order (every sheet when none was
    /// accepted): an error can say where the program looked.
    pub looked_at: Vec<String>,
}

/// The first sheet, in workbook order, whose rows `accept` takes (a case list below an
/// instructions sheet); else the first sheet. Sheets after the one accepted are not read, so
/// one far beyond the bounds does not stop a workbook whose earlier sheet is the one wanted.
pub fn choose_sheet(path: &Path, accept: &mut dyn FnMut(&[Vec<Data>]) -> bool) -> Result<Chosen, SheetError> {
    let unreadable = |e: String| SheetError::Unreadable(e);
    let mut first = None;
    let mut looked_at = Vec::new();
    let mut pick = |name: String, rows: Vec<Vec<Data>>, first: &mut Option<Vec<Vec<Data>>>| {
        looked_at.push(name);
        if accept(&rows) {
            return Some(rows);
        }
        if first.is_none() {
            *first = Some(rows);
        }
        None
    };
    if let Ok(mut book) = calamine::open_workbook::<Xlsx<_>, _>(path) {
        for name in book.sheet_names() {
            let mut cells = Vec::new();
            {
                let mut reader = book
                    .worksheet_cells_reader(&name)
                    .map_err(|e| unreadable(e.to_string()))?;
                let declared = reader.dimensions();
                within(declared.end)?;
                while let Some(cell) = reader.next_cell().map_err(|e| unreadable(e.to_string()))? {
                    let value = Data::from(cell.get_value().clone());
                    if value == Data::Empty {
                        continue;
                    }
                    let at = cell.get_position();
                    within(at)?;
                    cells.push((at, value));
                }
            }
            if let Some(rows) = pick(name, dense(cells), &mut first) {
                return Ok(Chosen {
                    rows,
                    accepted: true,
                    looked_at,
                });
            }
        }
    } else {
        let mut book = calamine::open_workbook_auto(path).map_err(|e| unreadable(e.to_string()))?;
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).map_err(|e| unreadable(e.to_string()))?;
            if let Some(end) = range.end() {
                within(end)?;
            }
            let rows = range.rows().map(<[Data]>::to_vec).collect();
            if let Some(rows) = pick(name, rows, &mut first) {
                return Ok(Chosen {
                    rows,
                    accepted: true,
                    looked_at,
                });
            }
        }
    }
    let rows = first.ok_or(SheetError::NoSheet)?;
    Ok(Chosen {
        rows,
        accepted: false,
        looked_at,
    })
}

/// Refuses a (row, column) position beyond the bounds.
fn within((row, column): (u32, u32)) -> Result<(), SheetError> {
    if row >= MAX_ROWS || column >= MAX_COLUMNS {
        return Err(SheetError::TooLarge {
            rows: row.saturating_add(1),
            columns: column.saturating_add(1),
        });
    }
    Ok(())
}

/// Sparse cells (all within bounds) as dense rows over their extent.
fn dense(cells: Vec<((u32, u32), Data)>) -> Vec<Vec<Data>> {
    let Some(top) = cells.iter().map(|((r, _), _)| *r).min() else {
        return Vec::new();
    };
    let left = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    let bottom = cells.iter().map(|((r, _), _)| *r).max().unwrap_or(top);
    let right = cells.iter().map(|((_, c), _)| *c).max().unwrap_or(left);
    let width = (right - left + 1) as usize;
    let mut rows = vec![vec![Data::Empty; width]; (bottom - top + 1) as usize];
    for ((r, c), v) in cells {
        rows[(r - top) as usize][(c - left) as usize] = v;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_come_as_calamine_ranges_have_them_from_the_first_used_cell() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("offset.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(1, 1, "案号").expect("cell");
        ws.write_string(1, 3, "卷册数").expect("cell");
        ws.write_number(3, 1, 7.0).expect("cell");
        wb.save(&path).expect("save");
        let ours = first_sheet(&path).expect("read");
        let mut book = calamine::open_workbook_auto(&path).expect("open");
        let range = book.worksheet_range_at(0).expect("sheet").expect("range");
        let theirs: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(ours, theirs);
        assert_eq!(ours.len(), 3);
    }

    #[test]
    fn a_far_cell_is_refused_by_its_position() {
        assert!(within((MAX_ROWS - 1, MAX_COLUMNS - 1)).is_ok());
        assert_eq!(
            within((1_048_575, 16_383)),
            Err(SheetError::TooLarge {
                rows: 1_048_576,
                columns: 16_384
            })
        );
    }
}
