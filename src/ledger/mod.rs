//! The rectification ledger (整改台账): every problem found is fed back to the handling unit,
//! rectified by a deadline, checked and closed (反馈—整改—督查—销号).
//!
//! - [`sync`] makes one entry per finding of each case's counting sheet (the sheet
//!   [`crate::report::counting_sheet`] picks, so the ledger and the reports agree), with an id
//!   derived from the finding's, so every laptop that syncs makes the same entries.
//! - [`transition`] is the pure state machine; [`apply`] turns a requested [`Change`] into the
//!   new row and its history event without touching the store, and [`set`] writes it.
//! - [`form::export`] writes the fill-in sheet for the units; [`import`] reads it back, all
//!   rows or none.
//! - [`repeat`] brings an earlier round's fed-back problems into a new round and says when a
//!   finding repeats one for the same unit (从重 applied automatically).
//! - Entries merge like every other record (last writer wins); the history is a grow-only set.

mod date;
mod error;
pub mod form;
mod import;
pub mod repeat;
mod state;
#[cfg(test)]
mod tests;

pub use date::{parse_date, today};
pub use error::LedgerError;
pub use import::{RowError, RowProblem, import};
pub use state::{Action, State, transition};

use crate::report::counting_sheet;
use crate::store::{LedgerEvent, LedgerRow, Store, ids};

/// A ledger entry with its state read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The stored row.
    pub row: LedgerRow,
    /// Its state.
    pub state: State,
    /// The case number (案号).
    pub case_no: String,
}

impl Entry {
    /// Overdue on `today` (`YYYY-MM-DD`): a deadline before today and not closed.
    pub fn is_overdue(&self, today: &str) -> bool {
        self.state != State::Closed && self.row.deadline.as_deref().is_some_and(|d| d < today)
    }
}

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this handling unit.
    pub unit: Option<String>,
    /// Only this state.
    pub state: Option<State>,
    /// Only entries overdue on this day (`YYYY-MM-DD`).
    pub overdue_on: Option<String>,
}

impl Filter {
    /// Whether an entry passes.
    pub fn accepts(&self, entry: &Entry) -> bool {
        self.unit.as_deref().is_none_or(|u| entry.row.unit == u.trim())
            && self.state.is_none_or(|s| entry.state == s)
            && self.overdue_on.as_deref().is_none_or(|d| entry.is_overdue(d))
    }
}

/// What someone asks to change on an entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// The state change, if any.
    pub action: Option<Action>,
    /// Why (mandatory for 退回 and 销号).
    pub note: String,
    /// Who makes the change.
    pub by: String,
    /// A new deadline (`YYYY-MM-DD`).
    pub deadline: Option<String>,
    /// New 整改措施.
    pub measures: Option<String>,
    /// New 佐证材料.
    pub evidence: Option<String>,
}

/// Adds an entry for every finding of a counting sheet that the ledger does not have yet;
/// returns how many were added. Running it again adds nothing.
pub fn sync(store: &mut Store) -> Result<usize, LedgerError> {
    let new = unsynced(store)?;
    if new.is_empty() {
        return Ok(0);
    }
    Ok(store.add_ledger_rows(&new)?)
}

/// The entries [`sync`] would add, without writing anything: one for every finding of a
/// counting sheet that the ledger does not have yet.
pub fn unsynced(store: &Store) -> Result<Vec<LedgerRow>, LedgerError> {
    let known: std::collections::HashSet<String> = store.ledger_rows()?.into_iter().map(|r| r.id).collect();
    let mut new = Vec::new();
    for case in store.cases()? {
        let sheets = store.sheets_of_case(&case.id)?;
        let Some((sheet, _)) = counting_sheet(&sheets) else {
            continue;
        };
        let rubric = store.rubric_by_hash(&sheet.rubric_hash)?;
        for f in store.findings(&sheet.id)? {
            let id = ids::ledger_entry_id(&f.id);
            if known.contains(&id) {
                continue;
            }
            let problem = f
                .problem
                .as_deref()
                .and_then(|code| rubric.scorable(&f.node)?.problems().find(|p| p.code == code))
                .map(|p| p.text.clone())
                .unwrap_or_default();
            new.push(LedgerRow {
                id,
                finding_id: f.id,
                case_id: case.id.clone(),
                unit: case.field("unit").to_owned(),
                handler: case.field("handler").to_owned(),
                problem_code: f.problem,
                problem,
                note: f.note,
                deadline: None,
                state: State::Pending.name().to_owned(),
                measures: String::new(),
                evidence: String::new(),
                verifier: String::new(),
                verified_on: None,
                hlc: 0,
            });
        }
    }
    Ok(new)
}

/// Every entry that passes the filter, by unit, then case.
pub fn list(store: &Store, filter: &Filter) -> Result<Vec<Entry>, LedgerError> {
    let case_nos: std::collections::HashMap<String, String> =
        store.cases()?.into_iter().map(|c| (c.id, c.case_no)).collect();
    let mut out = Vec::new();
    for row in store.ledger_rows()? {
        let entry = Entry {
            state: State::parse(&row.state)?,
            case_no: case_nos.get(&row.case_id).cloned().unwrap_or_default(),
            row,
        };
        if filter.accepts(&entry) {
            out.push(entry);
        }
    }
    Ok(out)
}

/// The entry with this id or unique id prefix.
pub fn find(store: &Store, id: &str) -> Result<Entry, LedgerError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(LedgerError::EntryNotFound(id.to_owned()));
    }
    let mut found: Vec<Entry> = list(store, &Filter::default())?
        .into_iter()
        .filter(|e| e.row.id.starts_with(id))
        .collect();
    match found.len() {
        0 => Err(LedgerError::EntryNotFound(id.to_owned())),
        1 => Ok(found.remove(0)),
        _ => Err(LedgerError::AmbiguousEntry(id.to_owned())),
    }
}

/// The entry after `change`, and the history event when its state changes; refuses a change
/// the state machine does not allow, 退回 or 销号 without a note, a change without who makes
/// it, and a bad deadline. `today` (`YYYY-MM-DD`) becomes the verification date on 销号.
pub fn apply(entry: &Entry, change: &Change, today: &str) -> Result<(LedgerRow, Option<LedgerEvent>), LedgerError> {
    let by = change.by.trim();
    if by.is_empty() {
        return Err(LedgerError::NoActor);
    }
    let note = change.note.trim();
    let mut row = entry.row.clone();
    if let Some(d) = &change.deadline {
        row.deadline = Some(parse_date(d)?);
    }
    if let Some(m) = &change.measures {
        row.measures = m.trim().to_owned();
    }
    if let Some(e) = &change.evidence {
        row.evidence = e.trim().to_owned();
    }
    let Some(action) = change.action else {
        return Ok((row, None));
    };
    let to = transition(entry.state, action)?;
    if action.needs_note() && note.is_empty() {
        return Err(LedgerError::NoteRequired(action));
    }
    row.state = to.name().to_owned();
    if action == Action::Close {
        row.verifier = by.to_owned();
        row.verified_on = Some(today.to_owned());
    }
    let event = LedgerEvent {
        entry_id: row.id.clone(),
        who: by.to_owned(),
        from: entry.state.name().to_owned(),
        to: to.name().to_owned(),
        note: note.to_owned(),
        hlc: 0,
    };
    Ok((row, Some(event)))
}

/// Applies `change` to the entry with this id (or unique prefix) and writes it (nothing is
/// written when it changes nothing); returns the entry as it now is.
pub fn set(store: &mut Store, id: &str, change: &Change) -> Result<Entry, LedgerError> {
    let entry = find(store, id)?;
    let (row, event) = apply(&entry, change, &today())?;
    if row == entry.row && event.is_none() {
        return Ok(entry);
    }
    let hlc = store.update_ledger_rows(&[(row.clone(), event)])?;
    Ok(Entry {
        state: State::parse(&row.state)?,
        case_no: entry.case_no,
        row: LedgerRow { hlc, ..row },
    })
}
