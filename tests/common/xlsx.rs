//! Reading cells of exported workbooks back (calamine).

use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::Path;

/// A worksheet of an XLSX file.
pub fn sheet(path: &Path, name: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.worksheet_range(name).unwrap()
}

/// The text at (row, col); panics if the cell holds anything else.
pub fn text(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({row}, {col}) holds {other:?}, not text"),
    }
}

/// The number at (row, col); panics if the cell holds anything else.
pub fn number(range: &calamine::Range<Data>, row: u32, col: u32) -> f64 {
    match range.get_value((row, col)) {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("({row}, {col}) holds {other:?}, not a number"),
    }
}

/// The row whose first cell is `label`.
pub fn row_of(range: &calamine::Range<Data>, label: &str) -> u32 {
    (0..range.end().map_or(0, |e| e.0 + 1))
        .find(|&r| matches!(range.get_value((r, 0)), Some(Data::String(s)) if s == label))
        .unwrap_or_else(|| panic!("no row labelled {label}"))
}
