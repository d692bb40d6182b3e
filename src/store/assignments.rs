//! Who reviews which case (分案), units related for avoidance (回避), and cases withdrawn after
//! hand-out (撤出). All three merge like every other record: last writer wins, deletes are
//! tombstones.

use super::{Result, Store, StoreError};
use crate::vocab::CaseId;
use rusqlite::OptionalExtension;
use serde::Serialize;

/// One reviewer assigned to one case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Assignment {
    /// The case's id.
    pub case_id: CaseId,
    /// The reviewer's name.
    pub reviewer: String,
    /// Why the organiser broke avoidance for it, or "" when it holds.
    pub override_reason: String,
}

/// A case taken out of the round after hand-out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withdrawal {
    /// The case's id.
    pub case_id: CaseId,
    /// Its number.
    pub case_no: String,
    /// Why.
    pub reason: String,
}

impl Store {
    /// Every live assignment, by case then reviewer.
    pub fn assignments(&self) -> Result<Vec<Assignment>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.case_id, a.reviewer, a.override FROM assignment a
                 JOIN case_record c ON c.id = a.case_id AND c.deleted = 0
                 WHERE a.deleted = 0 ORDER BY a.case_id, a.reviewer",
            )
            .map_err(self.err())?;
        stmt.query_map([], |r| {
            Ok(Assignment {
                case_id: r.get(0)?,
                reviewer: r.get(1)?,
                override_reason: r.get(2)?,
            })
        })
        .map_err(self.err())?
        .collect::<rusqlite::Result<_>>()
        .map_err(self.err())
    }

    /// Records assignments in one transaction. With `replace`, every other live assignment is
    /// withdrawn (an assignment by rule replaces the previous one).
    pub fn assign(&mut self, assignments: &[Assignment], replace: bool) -> Result<()> {
        self.write(|tx, w| {
            if replace {
                tx.execute(
                    "UPDATE assignment SET deleted = 1, hlc = ?1, replica = ?2 WHERE deleted = 0",
                    (w.stamp.0, w.replica),
                )
                .map_err(w.err())?;
            }
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO assignment (case_id, reviewer, override, deleted, hlc, replica) VALUES (?1, ?2, ?3, 0, ?4, ?5)
                     ON CONFLICT (case_id, reviewer) DO UPDATE SET override = excluded.override, deleted = 0,
                       hlc = excluded.hlc, replica = excluded.replica",
                )
                .map_err(w.err())?;
            for a in assignments {
                stmt.execute((&a.case_id, a.reviewer.trim(), a.override_reason.trim(), w.stamp.0, w.replica))
                    .map_err(w.err())?;
            }
            Ok(())
        })
    }

    /// Takes reviewers off a case (tombstones).
    pub fn unassign(&mut self, case_id: &CaseId, reviewers: &[String]) -> Result<()> {
        self.write(|tx, w| {
            for r in reviewers {
                tx.execute(
                    "UPDATE assignment SET deleted = 1, hlc = ?3, replica = ?4 WHERE case_id = ?1 AND reviewer = ?2 AND deleted = 0",
                    (case_id, r.trim(), w.stamp.0, w.replica),
                )
                .map_err(w.err())?;
            }
            Ok(())
        })
    }

    /// The pairs of units the organiser declared related, each once (smaller name first).
    pub fn related_units(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT unit, related FROM related_unit WHERE deleted = 0 ORDER BY unit, related")
            .map_err(self.err())?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())
    }

    /// Declares two units related: reviewers of either never get the other's cases.
    pub fn relate_units(&mut self, a: &str, b: &str) -> Result<()> {
        let (a, b) = (a.trim(), b.trim());
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.write(|tx, w| {
            tx.execute(
                "INSERT INTO related_unit (unit, related, deleted, hlc, replica) VALUES (?1, ?2, 0, ?3, ?4)
                 ON CONFLICT (unit, related) DO UPDATE SET deleted = 0, hlc = excluded.hlc, replica = excluded.replica",
                (a, b, w.stamp.0, w.replica),
            )
            .map_err(w.err())?;
            Ok(())
        })
    }

    /// Withdraws a case: the case record becomes a tombstone (so it leaves every list, output
    /// and statistic, in every copy it merges into), its sheets stay, and the reason is kept.
    pub fn withdraw_case(&mut self, case_no: &str, reason: &str) -> Result<Withdrawal> {
        let case = self.require_case(case_no)?;
        if reason.trim().is_empty() {
            return Err(StoreError::ReasonRequired);
        }
        self.write(|tx, w| {
            tx.execute(
                "UPDATE case_record SET deleted = 1, hlc = ?2, replica = ?3 WHERE id = ?1",
                (&case.id, w.stamp.0, w.replica),
            )
            .map_err(w.err())?;
            tx.execute(
                "INSERT INTO case_withdrawal (case_id, case_no, reason, deleted, hlc, replica) VALUES (?1, ?2, ?3, 0, ?4, ?5)
                 ON CONFLICT (case_id) DO UPDATE SET reason = excluded.reason, deleted = 0, hlc = excluded.hlc, replica = excluded.replica",
                (&case.id, &case.case_no, reason.trim(), w.stamp.0, w.replica),
            )
            .map_err(w.err())?;
            Ok(())
        })?;
        Ok(Withdrawal {
            case_id: case.id,
            case_no: case.case_no,
            reason: reason.trim().to_owned(),
        })
    }

    /// The withdrawn cases, by number.
    pub fn withdrawn_cases(&self) -> Result<Vec<Withdrawal>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT case_id, case_no, reason FROM case_withdrawal WHERE deleted = 0 ORDER BY case_no")
            .map_err(self.err())?;
        stmt.query_map([], |r| {
            Ok(Withdrawal {
                case_id: r.get(0)?,
                case_no: r.get(1)?,
                reason: r.get(2)?,
            })
        })
        .map_err(self.err())?
        .collect::<rusqlite::Result<_>>()
        .map_err(self.err())
    }

    /// Whether a case id was withdrawn.
    pub fn is_withdrawn(&self, case_id: &CaseId) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM case_withdrawal WHERE case_id = ?1 AND deleted = 0",
                [case_id],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(self.err())
    }
}

impl Store {
    /// Whether this is a calibration round (统一评查尺度): practice cases every reviewer scores
    /// before the real round; never reported and never in the ledger.
    pub fn is_calibration(&self) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT calibration FROM round ORDER BY hlc DESC, replica DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .map_err(self.err())
    }

    /// Marks the round as a calibration round (written with a new stamp, so it merges).
    pub fn set_calibration(&mut self) -> Result<()> {
        self.write(|tx, w| {
            tx.execute(
                "UPDATE round SET calibration = 1, hlc = ?1, replica = ?2",
                (w.stamp.0, w.replica),
            )
            .map_err(w.err())?;
            Ok(())
        })
    }
}
