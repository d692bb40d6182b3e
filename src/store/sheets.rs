//! Sheets (one reviewer's scoring of one case at one stage), their findings, marks and
//! decided grades.

use super::{Result, Store, StoreError, ids};
use crate::points::Points;
use crate::score::{self, Decision, Finding, Quantity, ScoreSheet, Sheet};
use crate::shared::SharedStr;
use crate::text::{self, What};
use crate::vocab::{CaseId, FindingId, SheetId};
pub use crate::vocab::{Repeat, Stage};
use foldhash::HashMap;
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::BTreeMap;

/// A stored sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetRecord {
    /// Stable id (case × reviewer × stage).
    pub id: SheetId,
    /// The case.
    pub case_id: CaseId,
    /// The reviewer.
    pub reviewer: String,
    /// The stage.
    pub stage: Stage,
    /// The rubric version it is scored against.
    pub rubric_hash: String,
}

/// A finding as the reviewer enters it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFinding {
    /// Scorable node id.
    pub node: String,
    /// Count or amount, as the node's rule needs.
    pub quantity: Quantity,
    /// What exactly is wrong (mandatory).
    pub note: String,
    /// Volume (卷) where it was seen.
    pub volume: Option<u32>,
    /// Page (页) where it was seen.
    pub page: Option<u32>,
    /// Common-problem code.
    pub problem: Option<String>,
    /// 从重: by hand, or the removal of an automatic one with its reason (see
    /// [`crate::ledger::repeat::record`], which settles it against the problems fed back before).
    pub repeat: Repeat,
}

/// A stored finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRecord {
    /// Stable id.
    pub id: FindingId,
    /// The sheet it belongs to.
    pub sheet_id: SheetId,
    /// Scorable node id (shared: a round's findings name a few dozen nodes).
    pub node: SharedStr,
    /// Count or amount.
    pub quantity: Quantity,
    /// The note.
    pub note: String,
    /// Volume.
    pub volume: Option<u32>,
    /// Page.
    pub page: Option<u32>,
    /// Common-problem code.
    pub problem: Option<SharedStr>,
    /// 从重, as recorded.
    #[serde(flatten)]
    pub repeat: Repeat,
    /// Clock stamp of the last write.
    pub hlc: i64,
}

/// A mark as the reviewer asks for it ([`Store::mark`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The category or item (`""` for the whole case).
    pub node: String,
    /// Which mark.
    pub kind: MarkKind,
    /// Set or clear.
    pub on: bool,
    /// Why, if said.
    pub note: String,
    /// Mark 不适用 even though findings on the node then stop counting.
    pub force: bool,
}

/// What a mark says about a node of a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// 不适用.
    NotApplicable,
    /// 待议: to raise at the group meeting.
    Pending,
    /// 已完成: the reviewer has finished the sheet (set on the whole case, node `""`).
    Done,
}

impl MarkKind {
    /// The kind as stored in the `mark` table.
    pub fn key(self) -> &'static str {
        match self {
            MarkKind::NotApplicable => "na",
            MarkKind::Pending => "pending",
            MarkKind::Done => "done",
        }
    }
}

pub(super) const FINDING_COLUMNS: &str =
    "id, sheet_id, node, count, amount, note, volume, page, problem, repeat, hlc, repeat_waived";

/// Reads finding rows ([`FINDING_COLUMNS`]), keeping one copy of each sheet id, node id and
/// problem code they repeat: a round's 12,000 findings name 300 sheets, a few dozen nodes and
/// fewer codes, and the copies were half the allocations of reading a round.
#[derive(Default)]
pub(super) struct FindingRows {
    /// By their bytes: a text read before is not checked as UTF-8 again.
    seen: HashMap<Box<[u8]>, SharedStr>,
}

impl FindingRows {
    /// One row as a record.
    pub(super) fn read(&mut self, r: &rusqlite::Row<'_>) -> rusqlite::Result<FindingRecord> {
        let count: Option<u32> = r.get(3)?;
        let amount: Option<i64> = r.get(4)?;
        Ok(FindingRecord {
            id: r.get(0)?,
            sheet_id: self.shared(r, 1)?.into(),
            node: self.shared(r, 2)?,
            quantity: match (count, amount) {
                (_, Some(a)) => Quantity::Amount(Points::from_hundredths(a)),
                (Some(n), None) => Quantity::Count(n),
                (None, None) => Quantity::One,
            },
            note: r.get(5)?,
            volume: r.get(6)?,
            page: r.get(7)?,
            problem: match r.get_ref(8)? {
                rusqlite::types::ValueRef::Null => None,
                _ => Some(self.shared(r, 8)?),
            },
            repeat: Repeat::from_columns(r.get(9)?, r.get(11)?),
            hlc: r.get(10)?,
        })
    }

    /// The text in column `at`, the copy read before when there is one.
    fn shared(&mut self, r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<SharedStr> {
        let value = r.get_ref(at)?;
        let rusqlite::types::ValueRef::Text(bytes) = value else {
            return Err(rusqlite::Error::InvalidColumnType(at, String::new(), value.data_type()));
        };
        if let Some(seen) = self.seen.get(bytes) {
            return Ok(seen.clone());
        }
        let text = std::str::from_utf8(bytes).map_err(|e| rusqlite::Error::Utf8Error(at, e))?;
        let new = SharedStr::from(text);
        self.seen.insert(new.as_bytes().into(), new.clone());
        Ok(new)
    }
}

impl Store {
    /// The writer's sheet for a case at a stage. A new one (against the round's rubric) is only
    /// planned: it is written, with its reviewer, in the transaction of the first finding, mark
    /// or decision put on it, so asking for a sheet and then being refused writes nothing.
    pub fn sheet(&mut self, case_id: &CaseId, stage: Stage) -> Result<SheetRecord> {
        let reviewer = self.reviewer().ok_or(StoreError::ReadOnly)?.to_owned();
        let id = ids::sheet_id(case_id, &reviewer, stage.name());
        if let Some(sheet) = self.sheet_by_id(&id)? {
            return Ok(sheet);
        }
        // Only roster names write sheets: a near-miss name would start a second reviewer.
        self.check_reviewer(&reviewer)?;
        let sheet = SheetRecord {
            id: id.clone(),
            case_id: case_id.to_owned(),
            reviewer,
            stage,
            rubric_hash: self.round()?.rubric_hash,
        };
        self.planned.insert(id, sheet.clone());
        Ok(sheet)
    }

    /// The sheet with this id as a write sees it: the live one, or one [`Store::sheet`] planned.
    fn sheet_to_write(&self, id: &SheetId) -> Result<Option<SheetRecord>> {
        Ok(self.sheet_by_id(id)?.or_else(|| self.planned.get(id).cloned()))
    }

    /// What a write on `sheet` must also write: the sheet's row and its reviewer's when the
    /// sheet is not live yet (with the round id the reviewer's id derives from).
    fn unwritten(&self, sheet: &SheetRecord) -> Result<Option<(SheetRecord, String)>> {
        if self.sheet_by_id(&sheet.id)?.is_some() {
            return Ok(None);
        }
        Ok(Some((sheet.clone(), self.round()?.id)))
    }

    /// The live sheet with this id.
    pub fn sheet_by_id(&self, id: &SheetId) -> Result<Option<SheetRecord>> {
        self.conn
            .query_row(
                "SELECT id, case_id, reviewer, stage, rubric_hash FROM sheet WHERE id = ?1 AND deleted = 0",
                [id],
                sheet_from_row,
            )
            .optional()
            .map_err(self.err())
    }

    /// Records a finding on a sheet after checking it against the rubric and the case.
    ///
    /// Refused: no note; a quantity that does not fit the node's rule; a volume beyond the
    /// case's 卷册数; page 0; a problem code the node does not list; an item (or category)
    /// marked 不适用 on the sheet.
    pub fn add_finding(&mut self, sheet: &SheetRecord, new: &NewFinding) -> Result<FindingRecord> {
        let record = self.checked_finding(sheet, new)?;
        let new_sheet = self.unwritten(sheet)?;
        let finishing_draft = std::mem::take(&mut self.finishing_draft);
        let hlc = self.write(|tx, w| {
            put_sheet(tx, w, &new_sheet)?;
            if finishing_draft {
                tx.execute(
                    "DELETE FROM local_draft WHERE replica = ?1 AND case_id = ?2 AND node = ?3",
                    (w.replica, &sheet.case_id, &new.node),
                )
                .map_err(w.err())?;
            }
            insert_finding(tx, w, &record)?;
            Ok(w.stamp.0)
        })?;
        Ok(FindingRecord { hlc, ..record })
    }

    /// Records findings and 不适用 marks on a sheet in one transaction, all of them or none:
    /// every finding is checked as [`Store::add_finding`] checks it and every node as
    /// [`Store::set_mark`] does before anything is written (a 终评 started from the reviewers'
    /// sheets is copied this way, so a refused copy leaves no half-made sheet). With nothing to
    /// record, nothing is written (a sheet exists with its first record).
    pub fn fill_sheet(
        &mut self,
        sheet: &SheetRecord,
        findings: &[NewFinding],
        not_applicable: &[String],
    ) -> Result<Vec<FindingRecord>> {
        let records = findings
            .iter()
            .map(|new| self.checked_finding(sheet, new))
            .collect::<Result<Vec<_>>>()?;
        for node in not_applicable {
            self.check_mark(sheet, node, MarkKind::NotApplicable)?;
        }
        if records.is_empty() && not_applicable.is_empty() {
            return Ok(Vec::new());
        }
        let new_sheet = self.unwritten(sheet)?;
        let hlc = self.write(|tx, w| {
            put_sheet(tx, w, &new_sheet)?;
            for record in &records {
                insert_finding(tx, w, record)?;
            }
            for node in not_applicable {
                put_mark(tx, w, &sheet.id, node, MarkKind::NotApplicable, true, "")?;
            }
            Ok(w.stamp.0)
        })?;
        Ok(records.into_iter().map(|r| FindingRecord { hlc, ..r }).collect())
    }

    /// A finding as it will be stored, after the checks of [`Store::add_finding`] (which
    /// [`Store::correct_finding`] makes too).
    fn checked_finding(&self, sheet: &SheetRecord, new: &NewFinding) -> Result<FindingRecord> {
        let note = new.note.trim();
        if note.is_empty() {
            return Err(StoreError::NoteRequired);
        }
        text::check(What::Note, note)?;
        let rubric = self.rubric_by_hash(&sheet.rubric_hash)?;
        let engine_view = Finding {
            node: new.node.as_str().into(),
            quantity: new.quantity,
            repeat: new.repeat.applies(),
        };
        score::check_finding(rubric, &engine_view).map_err(StoreError::Finding)?;
        if let Some(code) = &new.problem {
            let node = rubric
                .scorable(&new.node)
                .ok_or_else(|| StoreError::UnknownProblem(code.clone()))?;
            if !node.problems().any(|p| &p.code == code) {
                return Err(StoreError::UnknownProblem(code.clone()));
            }
        }
        self.check_location(&sheet.case_id, new.volume, new.page)?;
        if let Some(node) = rubric.scorable(&new.node) {
            let na = self.marked(&sheet.id, MarkKind::NotApplicable)?;
            if na.iter().any(|n| *n == node.item.id || *n == node.category.id) {
                return Err(StoreError::ItemNotApplicable(format!(
                    "{} {}",
                    node.item.id, node.item.name
                )));
            }
        }
        Ok(FindingRecord {
            id: ids::random_id().into(),
            sheet_id: sheet.id.clone(),
            node: new.node.as_str().into(),
            quantity: new.quantity,
            note: note.to_owned(),
            volume: new.volume,
            page: new.page,
            problem: new.problem.as_deref().map(SharedStr::from),
            repeat: new.repeat.trimmed(),
            hlc: 0,
        })
    }

    /// Corrects a live finding — note, quantity, 卷/页, problem code, 从重 — as a new version of
    /// the same finding (same id, a later stamp), checked like [`Store::add_finding`]: the merge
    /// keeps the newer version, and the ledger entry and any reference to the id stay one.
    /// The node stays the finding's own. Returns the finding as it was before.
    pub fn correct_finding(&mut self, id: &str, new: &NewFinding) -> Result<FindingRecord> {
        let before = self.finding(id)?;
        let sheet = self
            .sheet_by_id(&before.sheet_id)?
            .ok_or_else(|| StoreError::FindingNotFound(id.to_owned()))?;
        let new = NewFinding {
            node: before.node.to_string(),
            ..new.clone()
        };
        let checked = self.checked_finding(&sheet, &new)?;
        let (flag, waived) = checked.repeat.columns();
        let (count, amount) = match new.quantity {
            Quantity::One => (None, None),
            Quantity::Count(n) => (Some(n), None),
            Quantity::Amount(a) => (None, Some(a.hundredths())),
        };
        self.write(|tx, w| {
            tx.execute(
                "UPDATE finding SET count = ?2, amount = ?3, note = ?4, volume = ?5, page = ?6, problem = ?7,
                 repeat = ?8, repeat_waived = ?9, hlc = ?10, replica = ?11 WHERE id = ?1",
                rusqlite::params![
                    before.id,
                    count,
                    amount,
                    new.note.trim(),
                    new.volume,
                    new.page,
                    new.problem,
                    flag,
                    waived,
                    w.stamp.0,
                    w.replica
                ],
            )
            .map_err(w.err())?;
            Ok(())
        })?;
        Ok(before)
    }

    fn check_location(&self, case_id: &CaseId, volume: Option<u32>, page: Option<u32>) -> Result<()> {
        if page == Some(0) {
            return Err(StoreError::BadPage);
        }
        let Some(volume) = volume else { return Ok(()) };
        let volumes: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM case_field WHERE case_id = ?1 AND key = ?2",
                (case_id, crate::rubric::VOLUMES),
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        match volumes.and_then(|v| v.trim().parse::<u32>().ok()) {
            Some(volumes) if volume > volumes || volume == 0 => Err(StoreError::VolumeOutOfRange { volume, volumes }),
            None if volume == 0 => Err(StoreError::VolumeOutOfRange { volume, volumes: 0 }),
            _ => Ok(()),
        }
    }

    /// Deletes a finding (a tombstone, so the delete merges too). `id` may be a unique prefix.
    ///
    /// Only the finding's author (its sheet's reviewer) may delete it, or a group leader when
    /// the sheet is a 终评.
    pub fn delete_finding(&mut self, id: &str) -> Result<FindingRecord> {
        let record = self.finding(id)?;
        let by = self.reviewer().ok_or(StoreError::ReadOnly)?.to_owned();
        if let Some(sheet) = self.sheet_by_id(&record.sheet_id)?
            && sheet.reviewer != by
        {
            let leader = sheet.stage == Stage::Final && self.check_reviewer(&by)?.is_some_and(|r| r.leader);
            if !leader {
                return Err(StoreError::NotTheAuthor {
                    author: sheet.reviewer,
                    by,
                });
            }
        }
        self.write(|tx, w| {
            tx.execute(
                "UPDATE finding SET deleted = 1, hlc = ?2, replica = ?3 WHERE id = ?1",
                (&record.id, w.stamp.0, w.replica),
            )
            .map_err(w.err())?;
            Ok(())
        })?;
        Ok(record)
    }

    /// Brings a deleted finding back under its own id, as a newer version (a later stamp), so
    /// an undone delete merges like any other write and its ledger entry stays the same one.
    pub fn restore_finding(&mut self, id: &FindingId) -> Result<FindingRecord> {
        let deleted: Option<bool> = self
            .conn
            .query_row("SELECT deleted FROM finding WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(self.err())?;
        if deleted != Some(true) {
            return Err(StoreError::FindingNotFound(id.to_string()));
        }
        self.write(|tx, w| {
            tx.execute(
                "UPDATE finding SET deleted = 0, hlc = ?2, replica = ?3 WHERE id = ?1",
                (id, w.stamp.0, w.replica),
            )
            .map_err(w.err())?;
            Ok(())
        })?;
        self.finding(id.as_str())
    }

    /// The live finding with this id or unique id prefix.
    pub fn finding(&self, id: &str) -> Result<FindingRecord> {
        let id = id.trim();
        if id.is_empty() {
            return Err(StoreError::FindingNotFound(id.to_owned()));
        }
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {FINDING_COLUMNS} FROM finding WHERE deleted = 0 AND substr(id, 1, length(?1)) = ?1 LIMIT 2"
            ))
            .map_err(self.err())?;
        let mut found: Vec<FindingRecord> = stmt
            .query_map([id], |r| FindingRows::default().read(r))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())?;
        match found.len() {
            0 => Err(StoreError::FindingNotFound(id.to_owned())),
            1 => Ok(found.remove(0)),
            _ => Err(StoreError::AmbiguousFinding(id.to_owned())),
        }
    }

    /// The live findings of a sheet, oldest first.
    pub fn findings(&self, sheet_id: &SheetId) -> Result<Vec<FindingRecord>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {FINDING_COLUMNS} FROM finding WHERE sheet_id = ?1 AND deleted = 0 ORDER BY hlc, id"
            ))
            .map_err(self.err())?;
        let mut rows = FindingRows::default();
        stmt.query_map([sheet_id], |r| rows.read(r))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())
    }

    /// Sets or clears a mark on the writer's sheet of a case at a stage (created if new): the
    /// one way the command line and the TUI mark. Marking 不适用 an item or category that has
    /// findings is refused unless `mark.force`; returns how many findings stopped counting.
    pub fn mark(&mut self, case_id: &CaseId, stage: Stage, mark: &Mark) -> Result<usize> {
        let reviewer = self.reviewer().ok_or(StoreError::ReadOnly)?.to_owned();
        let existing = self.sheet_by_id(&ids::sheet_id(case_id, &reviewer, stage.name()))?;
        let dropped = match (&existing, mark.kind, mark.on) {
            (Some(sheet), MarkKind::NotApplicable, true) => self.findings_under(sheet, &mark.node)?,
            _ => 0,
        };
        if dropped > 0 && !mark.force {
            return Err(StoreError::NotApplicableHasFindings {
                node: mark.node.clone(),
                findings: dropped,
            });
        }
        let sheet = match existing {
            Some(sheet) => sheet,
            None => self.sheet(case_id, stage)?,
        };
        self.set_mark(&sheet.id, &mark.node, mark.kind, mark.on, &mark.note)?;
        Ok(dropped)
    }

    /// How many live findings of a sheet lie under an item or category.
    fn findings_under(&self, sheet: &SheetRecord, node: &str) -> Result<usize> {
        let rubric = self.rubric_by_hash(&sheet.rubric_hash)?;
        Ok(self
            .findings(&sheet.id)?
            .iter()
            .filter(|f| {
                rubric
                    .scorable(&f.node)
                    .is_some_and(|s| s.item.id == node || s.category.id == node)
            })
            .count())
    }

    /// Sets or clears a mark on a node of a sheet: 不适用 on a category or item; 待议 on those,
    /// a sub-item or "" (the whole case); 已完成 on "" only.
    pub fn set_mark(&mut self, sheet_id: &SheetId, node: &str, kind: MarkKind, on: bool, note: &str) -> Result<()> {
        text::check(What::Note, note.trim())?;
        let sheet = self
            .sheet_to_write(sheet_id)?
            .ok_or_else(|| StoreError::UnknownNode(sheet_id.to_string()))?;
        self.check_mark(&sheet, node, kind)?;
        let new_sheet = self.unwritten(&sheet)?;
        self.write(|tx, w| {
            put_sheet(tx, w, &new_sheet)?;
            put_mark(tx, w, sheet_id, node, kind, on, note)
        })
    }

    /// Refuses a mark on a node the kind of mark does not go on (see [`Store::set_mark`]).
    fn check_mark(&self, sheet: &SheetRecord, node: &str, kind: MarkKind) -> Result<()> {
        let rubric = self.rubric_by_hash(&sheet.rubric_hash)?;
        let known = match kind {
            MarkKind::NotApplicable => rubric.categories.iter().any(|c| c.id == node) || rubric.item(node).is_some(),
            MarkKind::Done => node.is_empty(),
            MarkKind::Pending => {
                node.is_empty()
                    || rubric.categories.iter().any(|c| c.id == node)
                    || rubric.item(node).is_some()
                    || rubric.scorable(node).is_some()
            }
        };
        if known {
            Ok(())
        } else {
            Err(StoreError::UnknownNode(node.to_owned()))
        }
    }

    /// The nodes of a sheet that carry a mark of this kind.
    pub fn marked(&self, sheet_id: &SheetId, kind: MarkKind) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT node FROM mark WHERE sheet_id = ?1 AND kind = ?2 AND value = 1 ORDER BY node")
            .map_err(self.err())?;
        stmt.query_map((sheet_id, kind.key()), |r| r.get(0))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())
    }

    /// The reasons given for the marks of this kind a sheet carries: node → note, only the
    /// nodes marked with a non-empty one.
    pub fn mark_notes(&self, sheet_id: &SheetId, kind: MarkKind) -> Result<BTreeMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT node, note FROM mark WHERE sheet_id = ?1 AND kind = ?2 AND value = 1 AND note <> '' ORDER BY node",
            )
            .map_err(self.err())?;
        stmt.query_map((sheet_id, kind.key()), |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())
    }

    /// Records the grade decided after collective discussion (集体讨论), with why and by whom.
    pub fn decide(&mut self, sheet: &SheetRecord, decision: &Decision) -> Result<()> {
        if decision.reason.trim().is_empty() || decision.decider.trim().is_empty() {
            return Err(StoreError::DecisionIncomplete);
        }
        text::check(What::Reason, decision.reason.trim())?;
        text::check(What::Name, decision.decider.trim())?;
        if self
            .rubric_by_hash(&sheet.rubric_hash)?
            .grade_rank(&decision.grade)
            .is_none()
        {
            return Err(StoreError::UnknownGrade(decision.grade.clone()));
        }
        let new_sheet = self.unwritten(sheet)?;
        self.write(|tx, w| {
            put_sheet(tx, w, &new_sheet)?;
            tx.execute(
                "INSERT INTO decision (sheet_id, grade, reason, decider, deleted, hlc, replica) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)
                 ON CONFLICT (sheet_id) DO UPDATE SET grade = excluded.grade, reason = excluded.reason,
                 decider = excluded.decider, deleted = 0, hlc = excluded.hlc, replica = excluded.replica",
                (&sheet.id, &decision.grade, decision.reason.trim(), decision.decider.trim(), w.stamp.0, w.replica),
            )
            .map_err(w.err())?;
            Ok(())
        })
    }

    /// The decided grade of a sheet, if any.
    pub fn decision(&self, sheet_id: &SheetId) -> Result<Option<Decision>> {
        self.conn
            .query_row(
                "SELECT grade, reason, decider FROM decision WHERE sheet_id = ?1 AND deleted = 0",
                [sheet_id],
                |r| {
                    Ok(Decision {
                        grade: r.get(0)?,
                        reason: r.get(1)?,
                        decider: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(self.err())
    }

    /// The engine's input for a sheet: its findings, N/A marks and decision.
    pub fn sheet_input(&self, sheet_id: &SheetId) -> Result<Sheet> {
        Ok(Sheet {
            findings: self
                .findings(sheet_id)?
                .iter()
                .map(|f| Finding {
                    node: f.node.clone(),
                    quantity: f.quantity,
                    repeat: f.repeat.applies(),
                })
                .collect(),
            not_applicable: self.marked(sheet_id, MarkKind::NotApplicable)?.into_iter().collect(),
            decision: self.decision(sheet_id)?,
        })
    }

    /// Scores a sheet against the rubric version it names.
    pub fn score(&self, sheet: &SheetRecord) -> Result<ScoreSheet> {
        let rubric = self.rubric_by_hash(&sheet.rubric_hash)?;
        Ok(score::score(rubric, &self.sheet_input(&sheet.id)?))
    }
}

pub(super) fn sheet_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SheetRecord> {
    Ok(SheetRecord {
        id: r.get(0)?,
        case_id: r.get(1)?,
        reviewer: r.get(2)?,
        stage: r.get(3)?,
        rubric_hash: r.get(4)?,
    })
}

/// Writes a sheet that is not live yet, and its reviewer, in the transaction of the record
/// being put on it.
fn put_sheet(tx: &rusqlite::Connection, w: &super::Stamped<'_>, new: &Option<(SheetRecord, String)>) -> Result<()> {
    let Some((sheet, round_id)) = new else {
        return Ok(());
    };
    tx.execute(
        "INSERT OR IGNORE INTO reviewer (id, name, grp, listed, hlc, replica) VALUES (?1, ?2, '', 0, ?3, ?4)",
        (
            ids::reviewer_id(round_id, &sheet.reviewer),
            &sheet.reviewer,
            w.stamp.0,
            w.replica,
        ),
    )
    .map_err(w.err())?;
    tx.execute(
        "INSERT INTO sheet (id, case_id, reviewer, stage, rubric_hash, hlc, replica) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET deleted = 0, hlc = excluded.hlc, replica = excluded.replica",
        (&sheet.id, &sheet.case_id, &sheet.reviewer, &sheet.stage, &sheet.rubric_hash, w.stamp.0, w.replica),
    )
    .map_err(w.err())?;
    Ok(())
}

/// Inserts a checked finding with the write's stamp.
fn insert_finding(tx: &rusqlite::Connection, w: &super::Stamped<'_>, record: &FindingRecord) -> Result<()> {
    let (count, amount) = match record.quantity {
        Quantity::One => (None, None),
        Quantity::Count(n) => (Some(n), None),
        Quantity::Amount(a) => (None, Some(a.hundredths())),
    };
    let (flag, waived) = record.repeat.columns();
    tx.execute(
        "INSERT INTO finding (id, sheet_id, node, count, amount, note, volume, page, problem, repeat,
         repeat_waived, hlc, replica) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        rusqlite::params![
            record.id,
            record.sheet_id,
            record.node,
            count,
            amount,
            record.note,
            record.volume,
            record.page,
            record.problem,
            flag,
            waived,
            w.stamp.0,
            w.replica
        ],
    )
    .map_err(w.err())?;
    Ok(())
}

/// Sets or clears a checked mark with the write's stamp.
fn put_mark(
    tx: &rusqlite::Connection,
    w: &super::Stamped<'_>,
    sheet_id: &SheetId,
    node: &str,
    kind: MarkKind,
    on: bool,
    note: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO mark (sheet_id, node, kind, value, note, hlc, replica) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (sheet_id, node, kind) DO UPDATE
         SET value = excluded.value, note = excluded.note, hlc = excluded.hlc, replica = excluded.replica",
        (sheet_id, node, kind.key(), on, note.trim(), w.stamp.0, w.replica),
    )
    .map_err(w.err())?;
    Ok(())
}
