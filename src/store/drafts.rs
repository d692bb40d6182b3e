//! What the TUI keeps for this writer on this machine only: the half-typed finding and the
//! cursor. Both live in `local_*` tables, so they are never merged or exported, and are written
//! without a clock stamp.
//!
//! They are saved on every keystroke, so they are committed without waiting for the disk
//! (`synchronous = NORMAL` for that one statement): the data is handed to the operating system
//! before the next key is read, so a crash or `kill -9` of pingcha loses nothing, while a power
//! cut can lose the keystrokes since the last confirmed (fully synced) write.

use super::{Result, Store};
use crate::vocab::{CaseId, Repeat};
use rusqlite::OptionalExtension;

/// A finding being typed, saved as it is typed (every field as the reviewer typed it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// The case it is for.
    pub case_id: CaseId,
    /// The scorable node it is for.
    pub node: String,
    /// The count or amount as typed.
    pub quantity: String,
    /// The note as typed.
    pub note: String,
    /// The common-problem code picked, if any.
    pub problem: Option<String>,
    /// The volume as typed.
    pub volume: String,
    /// The page as typed.
    pub page: String,
    /// 从重 as set on the form (by hand, automatically for a problem fed back before, or that
    /// removed with a confirmed reason).
    pub repeat: Repeat,
    /// A reason for removing the automatic 从重 being typed, not confirmed yet.
    pub reason_typed: String,
}

/// Where the writer was: a case and a node (`""` for the whole case).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    /// The case.
    pub case_id: CaseId,
    /// The node.
    pub node: String,
}

impl Store {
    /// Runs one statement on a local table without syncing, then restores full syncing.
    fn local_write(&self, sql: &str, params: impl rusqlite::Params) -> Result<()> {
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(self.err())?;
        let result = self.conn.execute(sql, params).map(drop).map_err(self.err());
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(self.err())?;
        result
    }

    /// Saves (replaces) this writer's draft.
    pub fn save_draft(&mut self, draft: &Draft) -> Result<()> {
        let replica = self.recorded_replica_id()?;
        // The removal reason, confirmed or being typed, shares one column; the last one says which.
        let (flag, waived) = draft.repeat.columns();
        let reason = if waived.is_empty() {
            draft.reason_typed.as_str()
        } else {
            waived
        };
        self.local_write(
            "INSERT INTO local_draft (replica, case_id, node, quantity, note, problem, volume, page,
                 repeat, repeat_reason, repeat_waived)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (replica) DO UPDATE SET case_id = excluded.case_id, node = excluded.node,
                 quantity = excluded.quantity, note = excluded.note, problem = excluded.problem,
                 volume = excluded.volume, page = excluded.page, repeat = excluded.repeat,
                 repeat_reason = excluded.repeat_reason, repeat_waived = excluded.repeat_waived",
            rusqlite::params![
                replica,
                draft.case_id,
                draft.node,
                draft.quantity,
                draft.note,
                draft.problem,
                draft.volume,
                draft.page,
                flag,
                reason,
                !waived.is_empty()
            ],
        )
    }

    /// This writer's draft, if one is saved.
    pub fn draft(&self) -> Result<Option<Draft>> {
        let Some(replica) = self.replica_id() else {
            return Ok(None);
        };
        self.conn
            .query_row(
                "SELECT case_id, node, quantity, note, problem, volume, page, repeat, repeat_reason, repeat_waived
                 FROM local_draft WHERE replica = ?1",
                [replica],
                |r| {
                    let (flag, reason, confirmed): (i64, String, bool) = (r.get(7)?, r.get(8)?, r.get(9)?);
                    let (repeat, reason_typed) = match confirmed {
                        true => (Repeat::from_columns(flag, reason), String::new()),
                        false => (Repeat::from_columns(flag, String::new()), reason),
                    };
                    Ok(Draft {
                        case_id: r.get(0)?,
                        node: r.get(1)?,
                        quantity: r.get(2)?,
                        note: r.get(3)?,
                        problem: r.get(4)?,
                        volume: r.get(5)?,
                        page: r.get(6)?,
                        repeat,
                        reason_typed,
                    })
                },
            )
            .optional()
            .map_err(self.err())
    }

    /// Drops this writer's draft (after the finding was saved or the entry abandoned).
    pub fn clear_draft(&mut self) -> Result<()> {
        let replica = self.recorded_replica_id()?;
        self.local_write("DELETE FROM local_draft WHERE replica = ?1", [replica])
    }

    /// Saves where this writer is.
    pub fn save_cursor(&mut self, cursor: &Cursor) -> Result<()> {
        let replica = self.recorded_replica_id()?;
        self.local_write(
            "INSERT INTO local_cursor (replica, case_id, node) VALUES (?1, ?2, ?3)
                 ON CONFLICT (replica) DO UPDATE SET case_id = excluded.case_id, node = excluded.node",
            (replica, &cursor.case_id, &cursor.node),
        )
    }

    /// Where this writer was last, if saved.
    pub fn cursor(&self) -> Result<Option<Cursor>> {
        let Some(replica) = self.replica_id() else {
            return Ok(None);
        };
        self.conn
            .query_row(
                "SELECT case_id, node FROM local_cursor WHERE replica = ?1",
                [replica],
                |r| {
                    Ok(Cursor {
                        case_id: r.get(0)?,
                        node: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(self.err())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Identity;

    fn demo(dir: &std::path::Path, reviewer: &str) -> Store {
        let path = dir.join("demo.db");
        if !path.exists() {
            crate::demo::create(&path, "m").unwrap().close().unwrap();
        }
        Store::open(
            &path,
            &Identity {
                machine_id: "m".into(),
                reviewer: reviewer.into(),
            },
        )
        .unwrap()
    }

    #[test]
    fn drafts_and_cursors_are_per_writer_and_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = demo(dir.path(), "张明");
        assert_eq!(a.draft().unwrap(), None);
        let draft = Draft {
            case_id: "c".into(),
            node: "sszj.sfcl".into(),
            quantity: "2".into(),
            note: "笔录未签名".into(),
            problem: Some("SZ-01".into()),
            volume: "1".into(),
            page: "".into(),
            repeat: Repeat::Waived("该室已整改".into()),
            reason_typed: String::new(),
        };
        a.save_draft(&draft).unwrap();
        a.save_cursor(&Cursor {
            case_id: "c".into(),
            node: "sszj".into(),
        })
        .unwrap();
        drop(a);
        let b = demo(dir.path(), "李华");
        assert_eq!(b.draft().unwrap(), None, "another writer has no draft");
        drop(b);
        let mut a = demo(dir.path(), "张明");
        assert_eq!(a.draft().unwrap(), Some(draft));
        assert_eq!(a.cursor().unwrap().unwrap().node, "sszj");
        a.clear_draft().unwrap();
        assert_eq!(a.draft().unwrap(), None);
    }
}
