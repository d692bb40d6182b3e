//! Reading the units' fill-in sheet back: rows matched by entry id, only the fill-in columns
//! applied, every row that cannot be applied reported by its row number, and nothing applied
//! unless every row can be.

use super::form::{LOCKED_COLUMNS, headers};
use super::{Action, Change, Entry, Filter, LedgerError, State, apply, list, transition};
use crate::store::{LedgerEvent, LedgerRow, Store};
use calamine::{Data, Reader};
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
    if head.iter().map(|s| s.trim()).ne(headers().iter().map(String::as_str)) {
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
        if let Some((column, _)) = LOCKED_COLUMNS
            .iter()
            .enumerate()
            .find(|(c, (_, read))| cell(*c) != read(entry).trim())
            .map(|(_, col)| col)
        {
            errors.push(RowError {
                row,
                problem: RowProblem::LockedEdited { column },
            });
            continue;
        }
        let fill = LOCKED_COLUMNS.len();
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
            measures: Some(cell(fill).to_owned()),
            evidence: Some(cell(fill + 1).to_owned()),
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
    let mut book = calamine::open_workbook_auto(path).map_err(|e| unreadable(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| LedgerError::NotLedgerSheet(path.to_path_buf()))?
        .map_err(|e| unreadable(e.to_string()))?;
    Ok(range
        .rows()
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
