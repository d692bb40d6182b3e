//! The rectification ledger (整改台账): every problem found is fed back to the handling unit,
//! rectified by a deadline, checked and closed (反馈—整改—督查—销号).
//!
//! - [`sync`] makes one entry per problem (not a bonus, veto or grade cap, not on a 不适用
//!   item: [`crate::score::counts_as`]) of each settled case's sheet (the one
//!   [`Store::standing`] picks, so the ledger and the reports agree), with an id
//!   derived from the finding's, so every laptop that syncs makes the same entries.
//! - [`transition`] is the pure state machine; [`apply`] turns a requested [`Change`] into the
//!   new row and its history event without touching the store, and [`set`] writes it.
//! - [`form::export`] writes the fill-in sheet for the units; [`import`] reads it back, all
//!   rows or none.
//! - [`rectification`] computes the round report's 整改情况 section (rates per unit, overdue
//!   list) from the entries and their history; [`rectification_report`] reads them first.
//! - [`repeat`] brings an earlier round's fed-back problems into a new round and says when a
//!   finding repeats one for the same unit (从重 applied automatically).
//! - Entries merge like every other record (last writer wins); the history is a grow-only set.

mod date;
mod error;
pub mod form;
mod import;
mod rectification;
pub mod repeat;
mod state;
#[cfg(test)]
mod tests;

pub use date::today;
pub use error::LedgerError;
pub use import::{RowError, RowProblem, import};
pub use rectification::{rectification, rectification_report};
pub use state::{Action, State, transition};

use crate::lang::{Lang, Localized};
use crate::rubric::FindingKind;
use crate::score::counts_as;
use crate::store::{Case, LedgerEvent, LedgerRow, Store, ids};
use crate::text::What;
use crate::vocab::{CaseId, Date, EntryId, FindingId};

/// A ledger entry with its case number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The stored row.
    pub row: LedgerRow,
    /// The case number (案号).
    pub case_no: String,
}

impl Entry {
    /// The problem as lists show it: code and standard wording, else the finding's note.
    pub fn wording(&self) -> String {
        let row = &self.row;
        match (&row.problem_code, row.problem.is_empty()) {
            (Some(code), false) => format!("{code} {}", row.problem),
            (Some(code), true) if row.note.is_empty() => code.clone(),
            (Some(code), true) => format!("{code} {}", row.note),
            (None, false) => row.problem.clone(),
            (None, true) => row.note.clone(),
        }
    }

    /// Overdue on `today`: a deadline before today and neither closed nor withdrawn.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.row.state.is_open() && self.row.deadline.is_some_and(|d| d < today)
    }

    /// How the entry stands against its deadline on `today`, warning `due_days` ahead.
    ///
    /// A closed entry is on time when it was verified on or before its deadline, or has no
    /// deadline (nothing to be late for) or no verification date (nothing says it was late).
    /// An open entry without a deadline is [`Timeliness::Open`].
    pub fn timeliness(&self, today: Date, due_days: u32) -> Timeliness {
        let deadline = self.row.deadline;
        if self.row.state == State::Closed {
            return match (deadline, self.row.verified_on) {
                (Some(d), Some(v)) if d.days_until(v) > 0 => Timeliness::ClosedLate(d.days_until(v)),
                _ => Timeliness::ClosedOnTime,
            };
        }
        let Some(left) = deadline.map(|d| today.days_until(d)) else {
            return Timeliness::Open;
        };
        if left < 0 {
            Timeliness::Overdue(-left)
        } else if left <= i64::from(due_days) {
            Timeliness::DueSoon(left)
        } else {
            Timeliness::Open
        }
    }
}

/// An entry against its deadline: what the ledger view colours it by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// Not closed, the deadline passed this many days ago (逾期).
    Overdue(i64),
    /// Not closed, the deadline is this many days away (0: today), within the warning window.
    DueSoon(i64),
    /// Not closed, no deadline or one further off.
    Open,
    /// Closed on or before the deadline (按期销号).
    ClosedOnTime,
    /// Closed this many days after the deadline.
    ClosedLate(i64),
}

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this handling unit.
    pub unit: Option<String>,
    /// Only this state (without one: every state but 已撤销).
    pub state: Option<State>,
    /// Only entries overdue on this day.
    pub overdue_on: Option<Date>,
}

impl Filter {
    /// Whether an entry passes.
    pub fn accepts(&self, entry: &Entry) -> bool {
        self.unit.as_deref().is_none_or(|u| entry.row.unit == u.trim())
            && self
                .state
                .map_or(entry.row.state != State::Withdrawn, |s| entry.row.state == s)
            && self.overdue_on.is_none_or(|d| entry.is_overdue(d))
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
    /// A new deadline.
    pub deadline: Option<Date>,
    /// New 整改措施.
    pub measures: Option<String>,
    /// New 佐证材料.
    pub evidence: Option<String>,
}

/// What [`sync`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synced {
    /// Entries added for findings the ledger did not have.
    pub added: usize,
    /// 待整改 entries never acted on whose finding no longer counts, now 已撤销.
    pub withdrawn: usize,
    /// 已撤销 entries whose finding counts again, back to 待整改.
    pub restored: usize,
    /// Entries already being dealt with whose finding no longer counts: left as they are for
    /// the organiser to decide (the unit may have rectified already).
    pub stranded: Vec<Entry>,
}

impl Localized for Synced {
    /// "新增 N 条整改问题", with the withdrawn and restored counts when there are any.
    fn localized(&self, lang: Lang) -> String {
        let (added, withdrawn, restored) = (self.added, self.withdrawn, self.restored);
        let mut line = match lang {
            Lang::Zh => format!("新增 {added} 条整改问题"),
            Lang::En => format!("{added} entries added"),
        };
        if withdrawn > 0 {
            line.push_str(&match lang {
                Lang::Zh => format!("，撤销 {withdrawn} 条（来源问题已不计分）"),
                Lang::En => format!(", {withdrawn} withdrawn (their findings no longer count)"),
            });
        }
        if restored > 0 {
            line.push_str(&match lang {
                Lang::Zh => format!("，恢复 {restored} 条"),
                Lang::En => format!(", {restored} restored"),
            });
        }
        line
    }
}

/// Why [`sync`] withdraws an entry (its history note).
const WITHDRAWN_NOTE: &str = "来源问题已不在计分评查表中（已删除，或被终评取代）";
/// Why [`sync`] restores an entry.
const RESTORED_NOTE: &str = "来源问题重新计入计分评查表";

/// Brings the ledger in line with the counting sheets: adds an entry for every finding of a
/// counting sheet that has none, withdraws (已撤销) untouched 待整改 entries whose finding no
/// longer counts (deleted, or its sheet superseded by a 终评 started after an earlier sync), and
/// restores withdrawn ones whose finding counts again. Entries already acted on are never
/// withdrawn; they are returned as stranded. Running it again changes nothing.
pub fn sync(store: &mut Store) -> Result<Synced, LedgerError> {
    let plan = plan_sync(store)?;
    let mut synced = plan.synced;
    if !plan.new.is_empty() || !plan.changes.is_empty() {
        synced.added = store.sync_ledger_rows(&plan.new, &plan.changes)?;
    }
    Ok(synced)
}

/// The entries the ledger would hold after a [`sync`], 已撤销 ones left out, computed without
/// writing anything (what an earlier round fed back, for `round new --previous`).
pub fn as_synced(store: &Store) -> Result<Vec<LedgerRow>, LedgerError> {
    let plan = plan_sync(store)?;
    let changed: std::collections::HashMap<&str, &LedgerRow> =
        plan.changes.iter().map(|(r, _)| (r.id.as_str(), r)).collect();
    let mut rows: Vec<LedgerRow> = plan
        .rows
        .iter()
        .map(|r| changed.get(r.id.as_str()).map_or_else(|| r.clone(), |c| (*c).clone()))
        .collect();
    rows.extend(plan.new);
    rows.retain(|r| r.state != State::Withdrawn);
    Ok(rows)
}

/// What a [`sync`] is to write.
struct SyncPlan {
    /// The entries the ledger has now.
    rows: Vec<LedgerRow>,
    /// Entries to add.
    new: Vec<LedgerRow>,
    /// Entries withdrawn or restored, with their history events.
    changes: Vec<(LedgerRow, Option<LedgerEvent>)>,
    /// The counts (`added` is filled in by the write) and the stranded entries.
    synced: Synced,
}

fn plan_sync(store: &Store) -> Result<SyncPlan, LedgerError> {
    let rows = store.ledger_rows()?;
    let cases = store.cases()?;
    let (new, counting) = scan(store, &cases, &rows)?;
    let who = store.reviewer().unwrap_or_default().to_owned();
    let case_nos: std::collections::HashMap<&str, &str> =
        cases.iter().map(|c| (c.id.as_str(), c.case_no.as_str())).collect();
    let mut synced = Synced::default();
    let mut changes = Vec::new();
    for row in &rows {
        let state = row.state;
        let counts = counting.contains(&row.finding_id);
        let (to, note) = match (state, counts) {
            (State::Pending, false) if store.ledger_history(&row.id)?.is_empty() => (State::Withdrawn, WITHDRAWN_NOTE),
            (State::Withdrawn, true) => (State::Pending, RESTORED_NOTE),
            (State::Pending | State::Withdrawn, _) | (_, true) => continue,
            (_, false) => {
                synced.stranded.push(Entry {
                    case_no: case_nos
                        .get(row.case_id.as_str())
                        .copied()
                        .unwrap_or_default()
                        .to_owned(),
                    row: row.clone(),
                });
                continue;
            }
        };
        if to == State::Withdrawn {
            synced.withdrawn += 1;
        } else {
            synced.restored += 1;
        }
        let event = LedgerEvent {
            entry_id: row.id.clone(),
            who: who.clone(),
            from: state,
            to,
            note: note.to_owned(),
            hlc: 0,
        };
        changes.push((
            LedgerRow {
                state: to,
                ..row.clone()
            },
            Some(event),
        ));
    }
    Ok(SyncPlan {
        rows,
        new,
        changes,
        synced,
    })
}

/// The entries missing (beside the ledger's `rows`) for findings of the counting sheets of
/// `cases`, and every finding that counts.
fn scan(
    store: &Store,
    cases: &[Case],
    rows: &[LedgerRow],
) -> Result<(Vec<LedgerRow>, std::collections::HashSet<FindingId>), LedgerError> {
    let known: std::collections::HashSet<&EntryId> = rows.iter().map(|r| &r.id).collect();
    let mut counting = std::collections::HashSet::new();
    let mut new = Vec::new();
    let recorded = store.recorded()?;
    for case in cases {
        let standing = recorded.standing(&case.id);
        let Some(sheet) = standing.sheet() else {
            continue;
        };
        let rubric = store.rubric_by_hash(&sheet.rubric_hash)?;
        let not_applicable = recorded.sheet_input(&sheet.id).not_applicable;
        for f in recorded.findings(&sheet.id).iter().cloned() {
            if counts_as(rubric, &not_applicable, &f.node) != Some(FindingKind::Problem) {
                continue;
            }
            counting.insert(f.id.clone());
            let id = ids::ledger_entry_id(&f.id);
            if known.contains(&id) {
                continue;
            }
            let problem = f
                .problem
                .as_deref()
                .and_then(|code| rubric.scorable(&f.node)?.problems().find(|p| p.code == code))
                .map(|p| p.text.to_string())
                .unwrap_or_default();
            new.push(LedgerRow {
                id,
                finding_id: f.id,
                case_id: case.id.clone(),
                unit: case.field("unit").to_owned(),
                handler: case.field("handler").to_owned(),
                problem_code: f.problem.map(String::from),
                problem,
                note: f.note,
                deadline: None,
                state: State::Pending,
                measures: String::new(),
                evidence: String::new(),
                verifier: String::new(),
                verified_on: None,
                hlc: 0,
            });
        }
    }
    Ok((new, counting))
}

/// Every entry that passes the filter, by unit, then case.
pub fn list(store: &Store, filter: &Filter) -> Result<Vec<Entry>, LedgerError> {
    list_where(store, &|e| filter.accepts(e))
}

/// Every entry in any state (已撤销 too), by unit, then case.
pub fn all(store: &Store) -> Result<Vec<Entry>, LedgerError> {
    list_where(store, &|_| true)
}

/// Every entry `keep` accepts, by unit, then case.
fn list_where(store: &Store, keep: &dyn Fn(&Entry) -> bool) -> Result<Vec<Entry>, LedgerError> {
    let rows = store.ledger_rows()?;
    // Before the ledger is synced (every round report until then) the cases need no reading.
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let case_nos: std::collections::HashMap<CaseId, String> =
        store.cases()?.into_iter().map(|c| (c.id, c.case_no)).collect();
    let mut out = Vec::new();
    for row in rows {
        let entry = Entry {
            case_no: case_nos.get(&row.case_id).cloned().unwrap_or_default(),
            row,
        };
        if keep(&entry) {
            out.push(entry);
        }
    }
    Ok(out)
}

/// The entry with this id or unique id prefix (in any state, 已撤销 too).
pub fn find(store: &Store, id: &str) -> Result<Entry, LedgerError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(LedgerError::EntryNotFound(id.to_owned()));
    }
    let mut found: Vec<Entry> = list_where(store, &|e| e.row.id.as_str().starts_with(id))?;
    match found.len() {
        0 => Err(LedgerError::EntryNotFound(id.to_owned())),
        1 => Ok(found.remove(0)),
        _ => Err(LedgerError::AmbiguousEntry(id.to_owned())),
    }
}

/// The entry after `change`, and the history event when its state changes; refuses a change
/// the state machine does not allow, 退回 or 销号 without a note, a change without who makes
/// it. `today` becomes the verification date on 销号.
pub fn apply(entry: &Entry, change: &Change, today: Date) -> Result<(LedgerRow, Option<LedgerEvent>), LedgerError> {
    let by = change.by.trim();
    if by.is_empty() {
        return Err(LedgerError::NoActor);
    }
    let note = change.note.trim();
    let long = |what, text: &str| crate::text::check(what, text).map_err(|e| LedgerError::Store(e.into()));
    long(What::Note, note)?;
    long(What::Name, by)?;
    let mut row = entry.row.clone();
    if let Some(d) = change.deadline {
        row.deadline = Some(d);
    }
    if let Some(m) = &change.measures {
        long(What::Measures, m.trim())?;
        row.measures = m.trim().to_owned();
    }
    if let Some(e) = &change.evidence {
        long(What::Evidence, e.trim())?;
        row.evidence = e.trim().to_owned();
    }
    let Some(action) = change.action else {
        return Ok((row, None));
    };
    let to = transition(entry.row.state, action)?;
    if action.needs_note() && note.is_empty() {
        return Err(LedgerError::NoteRequired(action));
    }
    row.state = to;
    if action == Action::Close {
        row.verifier = by.to_owned();
        row.verified_on = Some(today);
    }
    let event = LedgerEvent {
        entry_id: row.id.clone(),
        who: by.to_owned(),
        from: entry.row.state,
        to,
        note: note.to_owned(),
        hlc: 0,
    };
    Ok((row, Some(event)))
}

/// Applies `change` to the entry with this id (or unique prefix) and writes it (nothing is
/// written when it changes nothing); returns the entry as it now is. A 销号 is dated today.
pub fn set(store: &mut Store, id: &str, change: &Change) -> Result<Entry, LedgerError> {
    set_on(store, id, change, today())
}

/// [`set`] on a given day, the verification date of a 销号: the TUI passes the day it judges
/// deadlines by, so what it shows and what it records agree.
pub fn set_on(store: &mut Store, id: &str, change: &Change, today: Date) -> Result<Entry, LedgerError> {
    let entry = find(store, id)?;
    let (row, event) = apply(&entry, change, today)?;
    if row == entry.row && event.is_none() {
        return Ok(entry);
    }
    let hlc = store.update_ledger_rows(&[(row.clone(), event)])?;
    Ok(Entry {
        case_no: entry.case_no,
        row: LedgerRow { hlc, ..row },
    })
}

/// What [`set_many_on`] did: each changed entry as it was and as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetMany {
    /// (before, after) of every entry the change altered, in ledger order.
    pub changed: Vec<(Entry, Entry)>,
    /// Selected entries the change left as they were (the value was already set).
    pub unchanged: usize,
}

/// Applies one `change` to every entry `keep` selects, in one transaction: when any selected
/// entry refuses it (a state change its state does not allow, say), nothing is written and
/// that refusal is returned; a selection of no entry is refused ([`LedgerError::NoneSelected`]).
/// A unit's 1,660 deadlines are one write, not 1,660.
pub fn set_many_on(
    store: &mut Store,
    keep: &dyn Fn(&Entry) -> bool,
    change: &Change,
    today: Date,
) -> Result<SetMany, LedgerError> {
    let selected = list_where(store, keep)?;
    if selected.is_empty() {
        return Err(LedgerError::NoneSelected);
    }
    let mut writes = Vec::new();
    let mut changed = Vec::new();
    for entry in selected.iter() {
        let (row, event) = apply(entry, change, today)?;
        if row == entry.row && event.is_none() {
            continue;
        }
        writes.push((row, event));
        changed.push(entry.clone());
    }
    let unchanged = selected.len() - changed.len();
    if writes.is_empty() {
        return Ok(SetMany {
            changed: Vec::new(),
            unchanged,
        });
    }
    let hlc = store.update_ledger_rows(&writes)?;
    let mut pairs = Vec::with_capacity(changed.len());
    for (before, (row, _)) in changed.into_iter().zip(writes) {
        let after = Entry {
            case_no: before.case_no.clone(),
            row: LedgerRow { hlc, ..row },
        };
        pairs.push((before, after));
    }
    Ok(SetMany {
        changed: pairs,
        unchanged,
    })
}
