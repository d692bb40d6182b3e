//! Reading a roster (评查人员名单) from CSV or XLSX: columns 姓名 (required), 单位, 评查组, 组长.

use super::{CaseListError, CaseListErrorKind, CaseListErrors, Cell, cell, clean_header};
use crate::store::NewReviewer;
use std::path::Path;

/// The roster's columns: name, unit, group, leader.
const COLUMNS: [&str; 4] = ["姓名", "单位", "评查组", "组长"];

/// Reads a `.csv` or `.xlsx` roster; a 组长 cell of 是/组长/√/1/Y marks a leader.
pub fn read_roster(path: &Path) -> Result<Vec<NewReviewer>, CaseListErrors> {
    let file = path.display().to_string();
    let fail = |row, column: Option<&str>, kind| CaseListErrors {
        file: file.clone(),
        errors: vec![CaseListError {
            row,
            column: column.map(str::to_owned),
            kind,
        }],
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let table = match ext.as_str() {
        "csv" | "txt" => cell::read_csv(path),
        "xlsx" | "xlsm" | "xls" | "ods" => cell::read_spreadsheet(path),
        _ => Err(CaseListErrorKind::UnsupportedFormat(ext)),
    }
    .map_err(|kind| fail(0, None, kind))?;
    parse_roster(&table).map_err(|(row, column, kind)| fail(row, column, kind))
}

/// Validates a roster table (header row first).
fn parse_roster(table: &[Vec<Cell>]) -> Result<Vec<NewReviewer>, (usize, Option<&'static str>, CaseListErrorKind)> {
    let header = table.first().ok_or((0, None, CaseListErrorKind::Empty))?;
    let header: Vec<String> = header.iter().map(|c| clean_header(&c.text())).collect();
    let at = |name: &str| header.iter().position(|h| h == name);
    let [name, unit, group, leader] = COLUMNS.map(at);
    let name = name.ok_or((1, Some(COLUMNS[0]), CaseListErrorKind::MissingColumn))?;
    let text = |row: &[Cell], col: Option<usize>| {
        col.and_then(|c| row.get(c))
            .map(|c| c.text().trim().to_owned())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for (i, row) in table.iter().enumerate().skip(1) {
        if row.iter().all(Cell::is_blank) {
            continue;
        }
        let who = text(row, Some(name));
        if who.is_empty() {
            return Err((i + 1, Some(COLUMNS[0]), CaseListErrorKind::Required));
        }
        out.push(NewReviewer {
            name: who,
            unit: text(row, unit),
            group: text(row, group),
            leader: is_yes(&text(row, leader)),
        });
    }
    if out.is_empty() {
        return Err((0, None, CaseListErrorKind::Empty));
    }
    Ok(out)
}

fn is_yes(cell: &str) -> bool {
    matches!(
        cell.to_lowercase().as_str(),
        "是" | "组长" | "√" | "✓" | "1" | "y" | "yes" | "true"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roster_reads_names_units_groups_and_leaders() {
        let table =
            cell::parse_csv("姓名,单位,评查组,组长\n张明,第一室,第一组,是\n李华,,第一组,\n\n".as_bytes()).unwrap();
        let roster = parse_roster(&table).unwrap();
        assert_eq!(roster.len(), 2);
        assert!(roster[0].leader && !roster[1].leader);
        assert_eq!(
            (roster[0].unit.as_str(), roster[1].group.as_str()),
            ("第一室", "第一组")
        );
    }

    #[test]
    fn a_roster_without_names_is_refused() {
        let table = cell::parse_csv("单位\n第一室\n".as_bytes()).unwrap();
        assert_eq!(parse_roster(&table).unwrap_err().2, CaseListErrorKind::MissingColumn);
    }
}
