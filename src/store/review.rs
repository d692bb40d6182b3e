//! Round-wide questions a reviewer asks during a session: how far each case is, what is marked
//! 待议, and which finding said what.

use super::{Case, MarkKind, Result, Stage, Store, ids};
use crate::vocab::{CaseId, SheetId};
use rusqlite::OptionalExtension;
use std::collections::HashMap;

/// How far one sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Progress {
    /// No finding and no mark yet.
    NotStarted,
    /// Something recorded, not marked done.
    InProgress,
    /// Marked done ([`MarkKind::Done`]) or its grade decided.
    Done,
}

/// A node (or whole case, node `""`) marked 待议 on some sheet of the round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingMark {
    /// The case.
    pub case_id: CaseId,
    /// Its number.
    pub case_no: String,
    /// Who marked it.
    pub reviewer: String,
    /// At which stage.
    pub stage: String,
    /// The node, or `""` for the whole case.
    pub node: String,
    /// Why, if said.
    pub note: String,
}

/// A sheet in three figures, for a list of cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetFigures {
    /// The total.
    pub total: crate::points::Points,
    /// The final grade: the decided one, else the computed one.
    pub grade: String,
    /// How many live findings it has.
    pub findings: usize,
}

/// A finding whose note matched a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteHit {
    /// The case.
    pub case_id: CaseId,
    /// Its number.
    pub case_no: String,
    /// Who recorded it.
    pub reviewer: String,
    /// The node.
    pub node: String,
    /// The note.
    pub note: String,
    /// Volume.
    pub volume: Option<u32>,
    /// Page.
    pub page: Option<u32>,
}

/// A value of a case's field that another laptop's value replaced (a merge conflict or a
/// later edit elsewhere), kept in the field's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Superseded {
    /// 案号.
    pub case_no: String,
    /// Field key.
    pub key: String,
    /// The value the case has now.
    pub current: String,
    /// Who wrote it (reviewers of sheets its replica wrote; empty when none).
    pub current_by: Vec<String>,
    /// The value replaced.
    pub lost: String,
    /// Who wrote that.
    pub lost_by: Vec<String>,
    /// The replica that wrote it, for when no name is known.
    pub lost_replica: String,
}

impl Store {
    /// Every field value in the history written on another laptop than the value kept (the
    /// case list's own values, written with the case record, left out): what merges
    /// resolved, with the losing values. The file does not record whether two writes saw each
    /// other, so an edit on one laptop later corrected on another is listed too. By case-list
    /// order, then field, then stamp.
    pub fn superseded(&self) -> Result<Vec<Superseded>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.case_no, h.key, f.value, f.replica, h.value, h.replica
                 FROM case_field_history h
                 JOIN case_field f ON f.case_id = h.case_id AND f.key = h.key
                 JOIN case_record c ON c.id = h.case_id
                 WHERE h.replica <> f.replica AND h.value <> f.value AND c.deleted = 0
                   AND NOT (h.replica = c.replica AND h.hlc <= c.hlc)
                 ORDER BY c.seq, h.key, h.hlc, h.replica",
            )
            .map_err(self.err())?;
        let rows: Vec<(String, String, String, String, String, String)> = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())?;
        let mut out = Vec::with_capacity(rows.len());
        for (case_no, key, current, current_replica, lost, lost_replica) in rows {
            out.push(Superseded {
                case_no,
                key,
                current,
                current_by: self.replica_reviewers(&current_replica)?,
                lost,
                lost_by: self.replica_reviewers(&lost_replica)?,
                lost_replica,
            });
        }
        Ok(out)
    }

    /// The reviewers whose sheets a replica wrote, or its own reviewer when it is this file's.
    fn replica_reviewers(&self, replica: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT reviewer FROM sheet WHERE replica = ?1
                 UNION SELECT reviewer FROM local_replica WHERE replica_id = ?1 AND reviewer <> ''
                 ORDER BY 1",
            )
            .map_err(self.err())?;
        stmt.query_map([replica], |r| r.get(0))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())
    }

    /// What `reviewer`'s sheet at `stage` comes to, for every case that has one (by case id):
    /// its total, final grade (the decided one, else the computed one) and live findings.
    pub fn sheet_figures(&self, reviewer: &str, stage: Stage) -> Result<HashMap<CaseId, SheetFigures>> {
        let mut out = HashMap::new();
        for case in self.cases()? {
            let Some(sheet) = self.sheet_by_id(&ids::sheet_id(&case.id, reviewer.trim(), stage.name()))? else {
                continue;
            };
            let score = self.score(&sheet)?;
            let figures = SheetFigures {
                total: score.total,
                grade: score.final_grade().to_owned(),
                findings: self.findings(&sheet.id)?.len(),
            };
            out.insert(case.id, figures);
        }
        Ok(out)
    }

    /// How far `reviewer`'s sheet at `stage` is, for every case of the round (by case id).
    pub fn progress(&self, reviewer: &str, stage: Stage) -> Result<HashMap<CaseId, Progress>> {
        let mut out = HashMap::new();
        for case in self.cases()? {
            let progress = self.sheet_progress(&ids::sheet_id(&case.id, reviewer.trim(), stage.name()))?;
            out.insert(case.id, progress);
        }
        Ok(out)
    }

    /// How far one sheet is (not started when it does not exist).
    pub fn sheet_progress(&self, sheet_id: &SheetId) -> Result<Progress> {
        let row: Option<(bool, bool)> = self
            .conn
            .query_row(
                "SELECT
                    EXISTS (SELECT 1 FROM finding f WHERE f.sheet_id = s.id AND f.deleted = 0)
                    OR EXISTS (SELECT 1 FROM mark m WHERE m.sheet_id = s.id AND m.value = 1),
                    EXISTS (SELECT 1 FROM mark m WHERE m.sheet_id = s.id AND m.value = 1 AND m.kind = ?1)
                    OR EXISTS (SELECT 1 FROM decision d WHERE d.sheet_id = s.id AND d.deleted = 0)
                 FROM sheet s WHERE s.id = ?2 AND s.deleted = 0",
                (MarkKind::Done.key(), sheet_id),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.err())?;
        Ok(match row {
            Some((_, true)) => Progress::Done,
            Some((true, false)) => Progress::InProgress,
            _ => Progress::NotStarted,
        })
    }

    /// The live case with this id, if any.
    pub fn case_by_id(&self, id: &CaseId) -> Result<Option<Case>> {
        let found: Option<(String, i64)> = self
            .conn
            .query_row(
                "SELECT case_no, seq FROM case_record WHERE id = ?1 AND deleted = 0",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.err())?;
        let Some((case_no, seq)) = found else { return Ok(None) };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM case_field WHERE case_id = ?1")
            .map_err(self.err())?;
        let fields = stmt
            .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())?;
        Ok(Some(Case {
            id: id.to_owned(),
            case_no,
            seq,
            fields,
        }))
    }

    /// Everything marked 待议 in the round, by case-list order then node.
    pub fn pending_marks(&self) -> Result<Vec<PendingMark>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.case_no, s.reviewer, s.stage, m.node, m.note
                 FROM mark m JOIN sheet s ON s.id = m.sheet_id JOIN case_record c ON c.id = s.case_id
                 WHERE m.kind = ?1 AND m.value = 1 AND s.deleted = 0 AND c.deleted = 0
                 ORDER BY c.seq, m.node, s.reviewer",
            )
            .map_err(self.err())?;
        stmt.query_map([MarkKind::Pending.key()], |r| {
            Ok(PendingMark {
                case_id: r.get(0)?,
                case_no: r.get(1)?,
                reviewer: r.get(2)?,
                stage: r.get(3)?,
                node: r.get(4)?,
                note: r.get(5)?,
            })
        })
        .map_err(self.err())?
        .collect::<rusqlite::Result<_>>()
        .map_err(self.err())
    }

    /// Live findings of the round whose note contains `text` (case-insensitive for ASCII),
    /// at most `limit`, in case-list order.
    pub fn search_notes(&self, text: &str, limit: usize) -> Result<Vec<NoteHit>> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.case_no, s.reviewer, f.node, f.note, f.volume, f.page
                 FROM finding f JOIN sheet s ON s.id = f.sheet_id JOIN case_record c ON c.id = s.case_id
                 WHERE f.deleted = 0 AND s.deleted = 0 AND c.deleted = 0 AND instr(lower(f.note), lower(?1)) > 0
                 ORDER BY c.seq, f.hlc LIMIT ?2",
            )
            .map_err(self.err())?;
        stmt.query_map((text, limit as i64), |r| {
            Ok(NoteHit {
                case_id: r.get(0)?,
                case_no: r.get(1)?,
                reviewer: r.get(2)?,
                node: r.get(3)?,
                note: r.get(4)?,
                volume: r.get(5)?,
                page: r.get(6)?,
            })
        })
        .map_err(self.err())?
        .collect::<rusqlite::Result<_>>()
        .map_err(self.err())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Identity;

    #[test]
    fn progress_pending_and_note_search_over_the_demo_round() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        crate::demo::create(&path, "m").unwrap().close().unwrap();
        let mut store = Store::open(
            &path,
            &Identity {
                machine_id: "m".into(),
                reviewer: "张明".into(),
            },
        )
        .unwrap();
        let cases = store.cases().unwrap();
        let progress = store.progress("张明", Stage::Initial).unwrap();
        assert_eq!(
            progress[&cases[0].id],
            Progress::InProgress,
            "the demo scored the first eight"
        );
        assert_eq!(progress[&cases[10].id], Progress::NotStarted);

        let sheet = store.sheet(&cases[0].id, Stage::Initial).unwrap();
        store.set_mark(&sheet.id, "", MarkKind::Done, true, "").unwrap();
        store
            .set_mark(&sheet.id, "sszj", MarkKind::Pending, true, "请组长定")
            .unwrap();
        assert_eq!(store.sheet_progress(&sheet.id).unwrap(), Progress::Done);
        let pending = store.pending_marks().unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(
            (pending[0].node.as_str(), pending[0].note.as_str()),
            ("sszj", "请组长定")
        );

        let first_note = store.findings(&sheet.id).unwrap()[0].note.clone();
        let needle: String = first_note.chars().skip(2).take(4).collect();
        let hits = store.search_notes(&needle, 100).unwrap();
        assert!(hits.iter().any(|h| h.case_id == cases[0].id && h.note == first_note));
        assert!(store.search_notes("  ", 100).unwrap().is_empty());

        assert_eq!(store.case_by_id(&cases[3].id).unwrap().unwrap(), cases[3]);
        assert_eq!(store.case_by_id(&"nope".into()).unwrap(), None);
    }
}
