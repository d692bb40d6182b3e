//! Reading the units' fill-in sheet back: rows matched by entry id, only the fill-in columns
//! applied, every row that cannot be applied reported by its row number, and nothing applied
//! unless every row can be.

use super::form::{BASE_COLUMNS, LOCKED_COLUMNS, headers};
use super::{Action, Change, Entry, Filter, LedgerError, State, apply, list, transition};
use crate::spreadsheet::SheetError;
use crate::store::{LedgerEvent, LedgerRow, Store};
use calamine::Data;
use std::collections::HashMap;
use std::path::Path;

/// Why one row of the sheet cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// No entry with the row's id.
    UnknownId(String),
    /// The id appears on an earlier row too.
    DuplicateId(String),
    /// A locked column differs from the ledger.
    LockedEdited {
        /// The column's name.
        column: &'static str,
    },
    /// The requested state is not one the unit can ask for from the current one.
    BadRequest(String),
    /// The unit changed a fill-in cell that the ledger also changed, differently, after the
    /// sheet was written: applying it would undo that change.
    ChangedSinceExport,
}

/// One refused row: its row number as the spreadsheet shows it, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Row number (the header is row 1).
    pub row: usize,
    /// Why.
    pub problem: RowProblem,
}

/// Applies a filled-in sheet as `by`; returns how many entries changed. A file that is not
/// the ledger sheet, or any row that cannot be applied, leaves the ledger untouched.
pub fn import(store: &mut Store, path: &Path, by: &str) -> Result<usize, LedgerError> {
    let rows = read(path)?;
    let Some((head, body)) = rows.split_first() else {
        return Err(LedgerError::NotLedgerSheet(path.to_path_buf()));
    };
    // Sheets written before the base columns existed are read without them.
    let expected = headers();
    let head: Vec<&str> = head.iter().map(|s| s.trim()).collect();
    let with_base = head == expected;
    if !with_base && head.as_slice() != &expected[..expected.len() - BASE_COLUMNS.len()] {
        return Err(LedgerError::NotLedgerSheet(path.to_path_buf()));
    }
    let entries: HashMap<String, Entry> = list(store, &Filter::default())?
        .into_iter()
        .map(|e| (e.row.id.clone(), e))
        .collect();
    let today = super::today();
    let mut seen = HashMap::new();
    let mut errors = Vec::new();
    let mut changes: Vec<(LedgerRow, Option<LedgerEvent>)> = Vec::new();
    for (i, cells) in body.iter().enumerate() {
        let row = i + 2;
        let cell = |c: usize| cells.get(c).map_or("", |s| s.trim());
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let id = cell(0);
        let Some(entry) = entries.get(id) else {
            errors.push(RowError {
                row,
                problem: RowProblem::UnknownId(id.to_owned()),
            });
            continue;
        };
        if seen.insert(id.to_owned(), row).is_some() {
            errors.push(RowError {
                row,
                problem: RowProblem::DuplicateId(id.to_owned()),
            });
            continue;
        }
        let fill = LOCKED_COLUMNS.len();
        // The entry changed in the ledger since the sheet was written: its locked cells show
        // the old values, which is not the unit's doing.
        let changed_since = with_base && cell(fill + 3) != entry.row.hlc.to_string();
        let base = |c: usize, current: &str| {
            if with_base {
                cell(c).to_owned()
            } else {
                current.trim().to_owned()
            }
        };
        let (Some(measures), Some(evidence)) = (
            merge_cell(&base(fill + 4, &entry.row.measures), cell(fill), &entry.row.measures),
            merge_cell(
                &base(fill + 5, &entry.row.evidence),
                cell(fill + 1),
                &entry.row.evidence,
            ),
        ) else {
            errors.push(RowError {
                row,
                problem: RowProblem::ChangedSinceExport,
            });
            continue;
        };
        if let Some((column, _)) = LOCKED_COLUMNS
            .iter()
            .enumerate()
            .find(|(c, (_, read))| !changed_since && cell(*c) != read(entry).trim())
            .map(|(_, col)| col)
        {
            errors.push(RowError {
                row,
                problem: RowProblem::LockedEdited { column },
            });
            continue;
        }
        let action = match requested(entry.state, cell(fill + 2)) {
            Ok(a) => a,
            Err(problem) => {
                errors.push(RowError { row, problem });
                continue;
            }
        };
        let change = Change {
            action,
            note: String::new(),
            by: by.to_owned(),
            deadline: None,
            measures: Some(measures),
            evidence: Some(evidence),
        };
        let (new, event) = apply(entry, &change, &today)?;
        if new != entry.row || event.is_some() {
            changes.push((new, event));
        }
    }
    if !errors.is_empty() {
        return Err(LedgerError::Rows(path.to_path_buf(), errors));
    }
    if changes.is_empty() {
        return Ok(0);
    }
    store.update_ledger_rows(&changes)?;
    Ok(changes.len())
}

/// A fill-in cell merged with the ledger: what the unit wrote where only the unit changed it,
/// what the ledger holds where only the ledger did (or both agree), `None` where both changed it
/// differently (`base` is the value when the sheet was written).
fn merge_cell(base: &str, sheet: &str, ledger: &str) -> Option<String> {
    let (base, sheet, ledger) = (base.trim(), sheet.trim(), ledger.trim());
    if sheet == base || sheet == ledger {
        Some(ledger.to_owned())
    } else if ledger == base {
        Some(sheet.to_owned())
    } else {
        None
    }
}

/// The action a unit's state request asks for: none when blank or unchanged, one 推进 when it
/// names the next state; units cannot 退回 or 销号.
fn requested(state: State, cell: &str) -> Result<Option<Action>, RowProblem> {
    if cell.is_empty() {
        return Ok(None);
    }
    let bad = || RowProblem::BadRequest(cell.to_owned());
    let wanted = State::parse(cell).map_err(|_| bad())?;
    if wanted == state {
        return Ok(None);
    }
    match transition(state, Action::Advance) {
        Ok(next) if next == wanted => Ok(Some(Action::Advance)),
        _ => Err(bad()),
    }
}

/// The first sheet's cells as text.
fn read(path: &Path) -> Result<Vec<Vec<String>>, LedgerError> {
    let unreadable = |e: String| LedgerError::Unreadable(path.to_path_buf(), e);
    let rows = crate::spreadsheet::first_sheet(path).map_err(|e| match e {
        SheetError::Unreadable(e) => unreadable(e),
        SheetError::NoSheet => LedgerError::NotLedgerSheet(path.to_path_buf()),
        e @ SheetError::TooLarge { .. } => LedgerError::TooLarge(path.to_path_buf(), e),
    })?;
    Ok(rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty | Data::Error(_) => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::merge_cell;

    #[test]
    fn a_cell_takes_whichever_side_changed_and_refuses_two_different_changes() {
        assert_eq!(merge_cell("", "", "").as_deref(), Some(""));
        assert_eq!(
            merge_cell("", "单位填写", "").as_deref(),
            Some("单位填写"),
            "only the unit"
        );
        assert_eq!(
            merge_cell("", "", "督查员填写").as_deref(),
            Some("督查员填写"),
            "only the ledger"
        );
        assert_eq!(merge_cell("旧", "新", "新").as_deref(), Some("新"), "the same change");
        assert_eq!(merge_cell("旧", "", "旧").as_deref(), Some(""), "the unit cleared it");
        assert_eq!(merge_cell("旧", "单位", "督查员"), None);
    }
}
