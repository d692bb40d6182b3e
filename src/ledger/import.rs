//! Reading the units' fill-in sheet back: rows matched by entry id, only the fill-in columns
//! applied, every row that cannot be applied reported by its row number, and nothing applied
//! unless every row can be.

use super::form::{BASE_COLUMNS, FILL_COLUMNS, ID_COLUMN, LOCKED_COLUMNS, locked};
use super::{Action, Change, Entry, Filter, LedgerError, State, apply, list, transition};
use crate::spreadsheet::SheetError;
use crate::store::{LedgerEvent, LedgerRow, Store};
use crate::vocab::EntryId;
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
    BadRequest {
        /// What the row asks for.
        value: String,
        /// The entry's state.
        state: State,
        /// The states the unit may ask for from it (none once it awaits the check).
        allowed: Vec<State>,
    },
    /// The unit changed a fill-in cell that the ledger also changed, differently, after the
    /// sheet was written: applying it would undo that change.
    ChangedSinceExport,
}

/// One refused row: its row number as the spreadsheet shows it, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Row number as the spreadsheet shows it.
    pub row: usize,
    /// Why.
    pub problem: RowProblem,
}

/// Applies a filled-in sheet as `by`; returns how many entries changed. A file that is not
/// the ledger sheet, or any row that cannot be applied, leaves the ledger untouched.
pub fn import(store: &mut Store, path: &Path, by: &str) -> Result<usize, LedgerError> {
    let (first_row, rows) = read(path)?;
    let Some((header_at, columns)) = rows
        .iter()
        .enumerate()
        .find_map(|(i, r)| Columns::find(r).map(|c| (i, c)))
    else {
        return Err(LedgerError::NotLedgerSheet(path.to_path_buf()));
    };
    let body = &rows[header_at + 1..];
    let with_base = columns.base.is_some();
    let entries: HashMap<EntryId, Entry> = list(store, &Filter::default())?
        .into_iter()
        .map(|e| (e.row.id.clone(), e))
        .collect();
    let today = super::today();
    let mut seen = HashMap::new();
    let mut errors = Vec::new();
    let mut changes: Vec<(LedgerRow, Option<LedgerEvent>)> = Vec::new();
    for (i, cells) in body.iter().enumerate() {
        let row = first_row + header_at + 1 + i;
        let cell = |c: usize| cells.get(c).map_or("", |s| s.trim());
        let base_cell = |k: usize| columns.base.map_or("", |b| cell(b[k]));
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let id = cell(columns.id);
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
        let [measures_col, evidence_col, request_col] = columns.fill;
        // The entry changed in the ledger since the sheet was written: its locked cells show
        // the old values, which is not the unit's doing.
        let changed_since = with_base && base_cell(0) != entry.row.hlc.to_string();
        let base = |k: usize, current: &str| {
            if with_base {
                base_cell(k).to_owned()
            } else {
                current.trim().to_owned()
            }
        };
        let (Some(measures), Some(evidence)) = (
            merge_cell(&base(1, &entry.row.measures), cell(measures_col), &entry.row.measures),
            merge_cell(&base(2, &entry.row.evidence), cell(evidence_col), &entry.row.evidence),
        ) else {
            errors.push(RowError {
                row,
                problem: RowProblem::ChangedSinceExport,
            });
            continue;
        };
        if let Some((column, _, _)) = LOCKED_COLUMNS
            .iter()
            .zip(&columns.locked)
            .find(|((_, read, _), c)| !changed_since && cell(**c) != read(entry).trim())
            .map(|(col, _)| col)
        {
            errors.push(RowError {
                row,
                problem: RowProblem::LockedEdited { column },
            });
            continue;
        }
        let steps = match requested(entry.row.state, cell(request_col)) {
            Ok(steps) => steps,
            Err(problem) => {
                errors.push(RowError { row, problem });
                continue;
            }
        };
        // The fill-in cells go with the first step; each further step is its own history line.
        let mut change = Change {
            action: None,
            note: String::new(),
            by: by.to_owned(),
            deadline: None,
            measures: Some(measures),
            evidence: Some(evidence),
        };
        if steps.is_empty() {
            let (new, event) = apply(entry, &change, today)?;
            if new != entry.row || event.is_some() {
                changes.push((new, event));
            }
            continue;
        }
        let mut current = entry.clone();
        for action in steps {
            change.action = Some(action);
            let (new, event) = apply(&current, &change, today)?;
            current = Entry {
                case_no: entry.case_no.clone(),
                row: new.clone(),
            };
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
    let entries: std::collections::HashSet<&str> = changes.iter().map(|(r, _)| r.id.as_str()).collect();
    Ok(entries.len())
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

/// The 推进 steps a unit's state request asks for: none when blank or unchanged, one or two
/// when it names a later state the unit can reach (待整改 may ask for 已整改待核 straight away:
/// both steps are recorded); units cannot 退回 or 销号.
fn requested(state: State, cell: &str) -> Result<Vec<Action>, RowProblem> {
    if cell.is_empty() {
        return Ok(Vec::new());
    }
    let reachable = unit_reachable(state);
    let bad = || RowProblem::BadRequest {
        value: cell.to_owned(),
        state,
        allowed: reachable.clone(),
    };
    let wanted = State::parse(cell).map_err(|_| bad())?;
    if wanted == state {
        return Ok(Vec::new());
    }
    let steps = reachable.iter().position(|s| *s == wanted).ok_or_else(bad)?;
    Ok(vec![Action::Advance; steps + 1])
}

/// The states a unit can ask for from `state`: those 推进 leads to, one step after another.
fn unit_reachable(state: State) -> Vec<State> {
    std::iter::successors(transition(state, Action::Advance).ok(), |s| {
        transition(*s, Action::Advance).ok()
    })
    .collect()
}

/// Where each column of the fill-in sheet is, found by its header: sheets are read whatever
/// the order of their columns (the id came first before the title block existed) and with or
/// without the base columns (added later).
struct Columns {
    /// The id.
    id: usize,
    /// The locked columns, in [`LOCKED_COLUMNS`] order.
    locked: Vec<usize>,
    /// Measures, evidence, requested state.
    fill: [usize; 3],
    /// The base columns, when the sheet has them.
    base: Option<[usize; 3]>,
}

impl Columns {
    /// The columns when `row` is the header row of a fill-in sheet.
    fn find(row: &[String]) -> Option<Columns> {
        let at = |name: &str| row.iter().position(|c| c.trim() == name);
        let locked_columns = LOCKED_COLUMNS
            .iter()
            .map(|(name, _, _)| at(&locked(name)))
            .collect::<Option<Vec<usize>>>()?;
        let [m, e, r] = FILL_COLUMNS.map(|(name, _)| at(name));
        let [a, b, c] = BASE_COLUMNS.map(at);
        Some(Columns {
            id: at(&locked(ID_COLUMN))?,
            locked: locked_columns,
            fill: [m?, e?, r?],
            base: a.zip(b).zip(c).map(|((a, b), c)| [a, b, c]),
        })
    }
}

/// The first sheet's cells as text, with the spreadsheet row number of the first.
fn read(path: &Path) -> Result<(usize, Vec<Vec<String>>), LedgerError> {
    let unreadable = |e: String| LedgerError::Unreadable(path.to_path_buf(), e);
    let rows = crate::spreadsheet::first_sheet(path).map_err(|e| match e {
        SheetError::Unreadable(e) => unreadable(e),
        SheetError::NoSheet => LedgerError::NotLedgerSheet(path.to_path_buf()),
        e @ SheetError::TooLarge { .. } => LedgerError::TooLarge(path.to_path_buf(), e),
    })?;
    // The sheet's first row is row 1 (the title, or the header of an older sheet).
    Ok((
        1,
        rows.iter()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::Empty | Data::Error(_) => String::new(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect(),
    ))
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
