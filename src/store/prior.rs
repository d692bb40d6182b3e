//! Problems earlier rounds fed back to the handling units, as stored in this round's file.
//! The ledger layer ([`crate::ledger`]) decides what they are and when a finding repeats one.

use super::{Result, Store};
use crate::vocab::State;
use serde::Serialize;

/// One problem an earlier round fed back to a handling unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriorProblem {
    /// The earlier round's id.
    pub round_id: String,
    /// The ledger entry id in the earlier round.
    pub entry_id: String,
    /// The earlier round's name.
    pub round_name: String,
    /// The case number (案号) in the earlier round.
    pub case_no: String,
    /// 承办单位 the problem was fed back to (trimmed).
    pub unit: String,
    /// The common-problem code, when the reviewer picked one.
    pub problem_code: Option<String>,
    /// The problem wording (the common problem's standard text, or "").
    pub problem: String,
    /// The reviewer's note.
    pub note: String,
    /// The entry's state (待整改 … 已销号) when it was brought in.
    pub state: State,
}

const COLUMNS: &str = "round_id, entry_id, round_name, case_no, unit, problem_code, problem, note, state";

impl Store {
    /// Adds problems of earlier rounds, in one transaction; one already there (same round and
    /// entry) is left as it is. Returns how many were added.
    pub fn add_prior_problems(&mut self, rows: &[PriorProblem]) -> Result<usize> {
        self.write(|tx, w| {
            let mut stmt = tx
                .prepare(&format!(
                    "INSERT OR IGNORE INTO prior_problem ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                ))
                .map_err(w.err())?;
            let mut added = 0;
            for p in rows {
                added += stmt
                    .execute(rusqlite::params![
                        p.round_id,
                        p.entry_id,
                        p.round_name,
                        p.case_no,
                        p.unit,
                        p.problem_code,
                        p.problem,
                        p.note,
                        p.state
                    ])
                    .map_err(w.err())?;
            }
            Ok(added)
        })
    }

    /// Every problem of earlier rounds, by round name, case number and entry.
    pub fn prior_problems(&self) -> Result<Vec<PriorProblem>> {
        self.query_prior("", [])
    }

    /// The problems of earlier rounds fed back to this unit (stored trimmed: give it trimmed),
    /// by round name, case number and entry.
    pub fn prior_problems_of_unit(&self, unit: &str) -> Result<Vec<PriorProblem>> {
        self.query_prior("WHERE unit = ?1", [unit])
    }

    fn query_prior<P: rusqlite::Params>(&self, filter: &str, params: P) -> Result<Vec<PriorProblem>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM prior_problem {filter} ORDER BY round_name, round_id, case_no, entry_id"
            ))
            .map_err(self.err())?;
        stmt.query_map(params, |r| {
            Ok(PriorProblem {
                round_id: r.get(0)?,
                entry_id: r.get(1)?,
                round_name: r.get(2)?,
                case_no: r.get(3)?,
                unit: r.get(4)?,
                problem_code: r.get(5)?,
                problem: r.get(6)?,
                note: r.get(7)?,
                state: r.get(8)?,
            })
        })
        .map_err(self.err())?
        .collect::<rusqlite::Result<_>>()
        .map_err(self.err())
    }
}
