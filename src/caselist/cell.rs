//! Cells as read from CSV or a spreadsheet, and their conversion to field values.

use super::CaseListErrorKind;
use crate::spreadsheet::SheetError;
use crate::vocab::{Date, days_from_civil};
use calamine::Data;
use std::path::Path;

/// One cell of a case list.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text (everything from CSV).
    Text(String),
    /// A spreadsheet number.
    Number(f64),
    /// A spreadsheet date, as days since 1970-01-01.
    Date(i64),
}

impl Cell {
    /// True when the cell holds nothing but white space.
    pub fn is_blank(&self) -> bool {
        matches!(self, Cell::Text(t) if t.trim().is_empty())
    }

    /// The cell as text.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => format_date(*d),
        }
    }

    /// The cell as a `YYYY-MM-DD` date: accepts 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日,
    /// 20240305 and spreadsheet dates.
    pub fn date(&self) -> Option<String> {
        match self {
            Cell::Date(d) => Some(format_date(*d)),
            Cell::Number(n) if n.fract() == 0.0 && (19_000_101.0..=21_001_231.0).contains(n) => {
                parse_date(&self.text())
            }
            Cell::Number(_) => None,
            Cell::Text(t) => parse_date(t.trim()),
        }
    }

    /// The cell as a non-negative whole number ("3", "3册" and "3卷" all give 3).
    pub fn number(&self) -> Option<String> {
        let t = self.text();
        let t = t.trim().trim_end_matches(['册', '卷', '本']).trim();
        t.parse::<u32>().ok().map(|n| n.to_string())
    }
}

fn format_date(days: i64) -> String {
    Date::from_days(days).to_string()
}

fn parse_date(t: &str) -> Option<String> {
    Date::parse_loose(t).map(|d| d.to_string())
}

/// Reads a CSV file (UTF-8, with or without BOM) into rows of text cells.
pub fn read_csv(path: &Path) -> Result<Vec<Vec<Cell>>, CaseListErrorKind> {
    let bytes = std::fs::read(path).map_err(|e| CaseListErrorKind::Io(e.to_string()))?;
    parse_csv(&bytes)
}

/// Parses CSV bytes into rows of text cells: UTF-8 (with or without BOM), or GBK/GB18030 as
/// Excel and WPS save "CSV" on Chinese Windows.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, CaseListErrorKind> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(text) => text,
            None => return Err(CaseListErrorKind::UnknownEncoding),
        },
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|rec| rec.iter().map(|s| Cell::Text(s.to_owned())).collect())
                .map_err(|e| CaseListErrorKind::Unreadable(e.to_string()))
        })
        .collect()
}

/// The first sheet of a spreadsheet as cells.
pub fn read_spreadsheet(path: &Path) -> Result<Vec<Vec<Cell>>, CaseListErrorKind> {
    let rows = crate::spreadsheet::first_sheet(path).map_err(sheet_error)?;
    Ok(to_cells(&rows))
}

/// A sheet read as cells, whether the test accepted it, and the names of the sheets looked at.
pub type Chosen = (Vec<Vec<Cell>>, bool, Vec<String>);

/// The first sheet of a spreadsheet whose cells `accept` takes (else the first sheet), with
/// whether one was accepted and the names of the sheets looked at.
pub fn read_chosen_sheet(path: &Path, accept: &dyn Fn(&[Vec<Cell>]) -> bool) -> Result<Chosen, CaseListErrorKind> {
    let chosen = crate::spreadsheet::choose_sheet(path, &mut |rows| {
        // The header is looked for in the top ten rows (see `header_row`).
        accept(&to_cells(&rows[..rows.len().min(10)]))
    })
    .map_err(sheet_error)?;
    Ok((to_cells(&chosen.rows), chosen.accepted, chosen.looked_at))
}

fn sheet_error(e: SheetError) -> CaseListErrorKind {
    match e {
        SheetError::Unreadable(e) => CaseListErrorKind::Unreadable(e),
        SheetError::NoSheet => CaseListErrorKind::Empty,
        e @ SheetError::TooLarge { .. } => CaseListErrorKind::TooLarge(e),
    }
}

fn to_cells(rows: &[Vec<Data>]) -> Vec<Vec<Cell>> {
    rows.iter()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Int(n) => Cell::Number(*n as f64),
                    Data::Float(x) => Cell::Number(*x),
                    // Excel's day 0 is 1899-12-30 (counting its phantom 1900-02-29).
                    Data::DateTime(dt) => Cell::Date(dt.as_f64().floor() as i64 + days_from_civil(1899, 12, 30)),
                    Data::DateTimeIso(s) => Cell::Text(s.get(..10).unwrap_or(s).to_owned()),
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Bool(b) => Cell::Text(b.to_string()),
                    Data::DurationIso(s) => Cell::Text(s.clone()),
                    Data::Error(_) | Data::Empty => Cell::Text(String::new()),
                })
                .collect()
        })
        .collect()
}
