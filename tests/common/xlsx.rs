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

/// One part of the XLSX package as text (e.g. `xl/workbook.xml`), for what calamine does not
/// read: row heights, panes, print titles, data validation, protection.
pub fn part(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut xml).unwrap();
    xml
}

/// Asserts that an XLSX file names `author` as its author and was created now, not at some
/// fixed date: what Excel and WPS show under the file's properties.
pub fn assert_authored_by(path: &Path, author: &str) {
    let core = part(path, "docProps/core.xml");
    assert!(core.contains(&format!("<dc:creator>{author}</dc:creator>")), "{core}");
    let year = core
        .split("<dcterms:created xsi:type=\"dcterms:W3CDTF\">")
        .nth(1)
        .and_then(|rest| rest.get(..4))
        .and_then(|y| y.parse::<u32>().ok())
        .unwrap_or_else(|| panic!("no created date: {core}"));
    assert!(year >= 2026, "created now: {core}");
}

/// The custom heights of rows (1-based row number → points) in a worksheet part.
pub fn row_heights(sheet_xml: &str) -> Vec<(u32, f64)> {
    sheet_xml
        .split("<row ")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            let attr = |name: &str| {
                let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
                tag[start..].split('"').next()
            };
            Some((attr("r")?.parse().ok()?, attr("ht")?.parse().ok()?))
        })
        .collect()
}

/// The date cell at (row, col) as `YYYY-MM-DD`; panics if the cell holds anything else.
pub fn date(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::DateTime(d)) => {
            // Excel's day 25569 is 1970-01-01.
            pingcha::vocab::Date::from_days(d.as_f64() as i64 - 25569).to_string()
        }
        other => panic!("({row}, {col}) holds {other:?}, not a date"),
    }
}
