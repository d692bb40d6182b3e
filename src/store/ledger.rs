//! Rows of the rectification ledger (整改台账) as stored, with their states and dates typed
//! ([`State`], [`Date`]); the ledger layer ([`crate::ledger`]) owns the rules for changing them.

use super::{Result, Stamped, Store};
use crate::vocab::{CaseId, Date, EntryId, FindingId, State};
use serde::Serialize;

/// One stored ledger entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerRow {
    /// Stable id (derived from the finding's id).
    pub id: EntryId,
    /// The finding it rectifies.
    pub finding_id: FindingId,
    /// The case.
    pub case_id: CaseId,
    /// 承办单位, from the case metadata when the entry was made.
    pub unit: String,
    /// 承办人, from the case metadata when the entry was made.
    pub handler: String,
    /// The common-problem code, when the reviewer picked one.
    pub problem_code: Option<String>,
    /// The problem wording (the common problem's standard text, or "").
    pub problem: String,
    /// The reviewer's note on the finding.
    pub note: String,
    /// 整改期限.
    pub deadline: Option<Date>,
    /// Where the entry stands (待整改 … 已撤销).
    pub state: State,
    /// 整改措施 the unit reports.
    pub measures: String,
    /// 佐证材料 the unit gives.
    pub evidence: String,
    /// Who verified the rectification (核查人).
    pub verifier: String,
    /// 核查日期.
    pub verified_on: Option<Date>,
    /// Clock stamp of the last write (0 for a row not yet written).
    pub hlc: i64,
}

/// One state change of a ledger entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerEvent {
    /// The entry.
    pub entry_id: EntryId,
    /// Who made the change.
    pub who: String,
    /// The state before.
    pub from: State,
    /// The state after.
    pub to: State,
    /// Why (mandatory for 退回 and 销号).
    pub note: String,
    /// Clock stamp of the change (0 for an event not yet written).
    pub hlc: i64,
}

const ENTRY_COLUMNS: &str = "id, finding_id, case_id, unit, handler, problem_code, problem, note, deadline, state, \
     measures, evidence, verifier, verified_on, hlc";

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LedgerRow> {
    Ok(LedgerRow {
        id: r.get(0)?,
        finding_id: r.get(1)?,
        case_id: r.get(2)?,
        unit: r.get(3)?,
        handler: r.get(4)?,
        problem_code: r.get(5)?,
        problem: r.get(6)?,
        note: r.get(7)?,
        deadline: r.get(8)?,
        state: r.get(9)?,
        measures: r.get(10)?,
        evidence: r.get(11)?,
        verifier: r.get(12)?,
        verified_on: r.get(13)?,
        hlc: r.get(14)?,
    })
}

impl Store {
    /// Every ledger entry, by unit, then case, then id.
    pub fn ledger_rows(&self) -> Result<Vec<LedgerRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM ledger_entry ORDER BY unit, case_id, finding_id"
            ))
            .map_err(self.err())?;
        stmt.query_map([], entry_from_row)
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())
    }

    /// Adds entries that are not in the ledger yet, in one transaction; an entry already there
    /// (by id) is left as it is. Returns how many were added.
    pub fn add_ledger_rows(&mut self, rows: &[LedgerRow]) -> Result<usize> {
        self.write(|tx, w| insert_entries(tx, w, rows))
    }

    /// Writes changed entries and their state changes in one transaction: all or none. Every
    /// row and event gets the same fresh stamp, which is returned.
    pub fn update_ledger_rows(&mut self, changes: &[(LedgerRow, Option<LedgerEvent>)]) -> Result<i64> {
        self.write(|tx, w| {
            update_entries(tx, w, changes)?;
            Ok(w.stamp.0)
        })
    }

    /// Adds new entries and writes changed ones in one transaction (a ledger sync); returns how
    /// many were added.
    pub fn sync_ledger_rows(
        &mut self,
        new: &[LedgerRow],
        changes: &[(LedgerRow, Option<LedgerEvent>)],
    ) -> Result<usize> {
        self.write(|tx, w| {
            let added = insert_entries(tx, w, new)?;
            update_entries(tx, w, changes)?;
            Ok(added)
        })
    }

    /// The state changes of an entry, oldest first.
    pub fn ledger_history(&self, entry_id: &EntryId) -> Result<Vec<LedgerEvent>> {
        self.history_where("WHERE entry_id = ?1", [entry_id])
    }

    /// The state changes of every entry, by entry, oldest first.
    pub fn all_ledger_history(&self) -> Result<Vec<LedgerEvent>> {
        self.history_where("", [])
    }

    fn history_where(&self, filter: &str, params: impl rusqlite::Params) -> Result<Vec<LedgerEvent>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT entry_id, who, from_state, to_state, note, hlc FROM ledger_history
                 {filter} ORDER BY entry_id, hlc, replica"
            ))
            .map_err(self.err())?;
        stmt.query_map(params, |r| {
            Ok(LedgerEvent {
                entry_id: r.get(0)?,
                who: r.get(1)?,
                from: r.get(2)?,
                to: r.get(3)?,
                note: r.get(4)?,
                hlc: r.get(5)?,
            })
        })
        .map_err(self.err())?
        .collect::<rusqlite::Result<_>>()
        .map_err(self.err())
    }
}

/// Inserts entries the ledger does not have yet; returns how many.
fn insert_entries(tx: &rusqlite::Connection, w: &Stamped<'_>, rows: &[LedgerRow]) -> Result<usize> {
    let mut added = 0;
    for row in rows {
        added += tx
            .execute(
                &format!(
                    "INSERT OR IGNORE INTO ledger_entry ({ENTRY_COLUMNS}, replica)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
                ),
                rusqlite::params![
                    row.id,
                    row.finding_id,
                    row.case_id,
                    row.unit,
                    row.handler,
                    row.problem_code,
                    row.problem,
                    row.note,
                    row.deadline,
                    row.state,
                    row.measures,
                    row.evidence,
                    row.verifier,
                    row.verified_on,
                    w.stamp.0,
                    w.replica
                ],
            )
            .map_err(w.err())?;
    }
    Ok(added)
}

/// Writes changed entries and their history events with the write's stamp. Several changes of
/// one entry in one write (a unit asking for two steps at once) keep one history line each:
/// the later ones are stamped one tick after another, and the clock is moved past them.
fn update_entries(
    tx: &rusqlite::Connection,
    w: &Stamped<'_>,
    changes: &[(LedgerRow, Option<LedgerEvent>)],
) -> Result<()> {
    let mut events_of: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
    let mut last = w.stamp.0;
    for (row, event) in changes {
        tx.execute(
            "UPDATE ledger_entry SET deadline = ?2, state = ?3, measures = ?4, evidence = ?5,
                 verifier = ?6, verified_on = ?7, hlc = ?8, replica = ?9 WHERE id = ?1",
            rusqlite::params![
                row.id,
                row.deadline,
                row.state,
                row.measures,
                row.evidence,
                row.verifier,
                row.verified_on,
                w.stamp.0,
                w.replica
            ],
        )
        .map_err(w.err())?;
        if let Some(e) = event {
            let earlier = events_of.entry(row.id.as_str()).or_default();
            let hlc = w.stamp.0 + *earlier;
            *earlier += 1;
            last = last.max(hlc);
            tx.execute(
                "INSERT INTO ledger_history (entry_id, who, from_state, to_state, note, hlc, replica)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                (&row.id, &e.who, &e.from, &e.to, &e.note, hlc, w.replica),
            )
            .map_err(w.err())?;
        }
    }
    if last > w.stamp.0 {
        tx.execute("UPDATE local_clock SET last = MAX(last, ?1) WHERE id = 1", [last])
            .map_err(w.err())?;
    }
    Ok(())
}
