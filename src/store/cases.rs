//! Cases and their metadata, one last-writer-wins register per field.

use super::{Result, Store, StoreError, ids};
use crate::vocab::CaseId;
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// One case to import: its number and its metadata by field key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    /// 案号.
    pub case_no: String,
    /// Field values by key (including `case_no`).
    pub fields: BTreeMap<String, String>,
}

/// A stored case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// Stable id.
    pub id: CaseId,
    /// 案号 as first imported.
    pub case_no: String,
    /// Position in the case list.
    pub seq: i64,
    /// Metadata by field key.
    pub fields: BTreeMap<String, String>,
}

impl Case {
    /// The number of volumes (卷册数), when known.
    pub fn volumes(&self) -> Option<u32> {
        self.fields.get(crate::rubric::VOLUMES)?.trim().parse().ok()
    }

    /// A field's value, or "" when unset.
    pub fn field(&self, key: &str) -> &str {
        self.fields.get(key).map_or("", String::as_str)
    }
}

impl Store {
    /// Adds cases in one transaction: all of them or none. Case numbers must be unique.
    pub fn add_cases(&mut self, rows: &[CaseRow]) -> Result<()> {
        let round_id = self.round()?.id;
        let next_seq: i64 = self
            .conn
            .query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM case_record", [], |r| r.get(0))
            .map_err(self.err())?;
        let mut seen = HashSet::new();
        for row in rows {
            crate::text::check(crate::text::What::Field("case_no".into()), &row.case_no)?;
            for (key, value) in &row.fields {
                crate::text::check(crate::text::What::Field(key.clone()), value)?;
            }
            if !seen.insert(ids::normalise_case_no(&row.case_no))
                || self.case(&row.case_no)?.is_some()
                || self.is_withdrawn(&ids::case_id(&round_id, &row.case_no))?
            {
                return Err(StoreError::DuplicateCase(row.case_no.clone()));
            }
        }
        self.write(|tx, w| {
            for (i, row) in rows.iter().enumerate() {
                let id = ids::case_id(&round_id, &row.case_no);
                tx.execute(
                    "INSERT INTO case_record (id, case_no, seq, hlc, replica) VALUES (?1, ?2, ?3, ?4, ?5)",
                    (&id, row.case_no.trim(), next_seq + i as i64, w.stamp.0, w.replica),
                )
                .map_err(w.err())?;
                for (key, value) in &row.fields {
                    tx.execute(
                        "INSERT INTO case_field (case_id, key, value, hlc, replica) VALUES (?1, ?2, ?3, ?4, ?5)",
                        (&id, key, value, w.stamp.0, w.replica),
                    )
                    .map_err(w.err())?;
                }
            }
            Ok(())
        })
    }

    /// Sets one metadata field of a case. A different value it replaces is kept in the field's
    /// history, so a later merge knows this laptop saw it (and does not report a conflict).
    pub fn set_case_field(&mut self, case_id: &CaseId, key: &str, value: &str) -> Result<()> {
        crate::text::check(crate::text::What::Field(key.to_owned()), value.trim())?;
        self.write(|tx, w| {
            tx.execute(
                "INSERT OR IGNORE INTO case_field_history (case_id, key, value, hlc, replica)
                 SELECT case_id, key, value, hlc, replica FROM case_field
                 WHERE case_id = ?1 AND key = ?2 AND value <> ?3",
                (case_id, key, value.trim()),
            )
            .map_err(w.err())?;
            tx.execute(
                "INSERT INTO case_field (case_id, key, value, hlc, replica) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (case_id, key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc, replica = excluded.replica",
                (case_id, key, value.trim(), w.stamp.0, w.replica),
            )
            .map_err(w.err())?;
            Ok(())
        })
    }

    /// The ids of every live case, in case-list order: for a pass over the round that needs no
    /// case's metadata.
    pub fn case_ids(&self) -> Result<Vec<CaseId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM case_record WHERE deleted = 0 ORDER BY seq, case_no")
            .map_err(self.err())?;
        stmt.query_map([], |r| r.get(0))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())
    }

    /// Every live case, in case-list order.
    pub fn cases(&self) -> Result<Vec<Case>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, case_no, seq FROM case_record WHERE deleted = 0 ORDER BY seq, case_no")
            .map_err(self.err())?;
        let mut cases: Vec<Case> = stmt
            .query_map([], |r| {
                Ok(Case {
                    id: r.get(0)?,
                    case_no: r.get(1)?,
                    seq: r.get(2)?,
                    fields: BTreeMap::new(),
                })
            })
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())?;
        // Each field row is filed under its case by the id's text: no id is allocated per row.
        let at: foldhash::HashMap<CaseId, usize> = cases.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
        let mut fields = self
            .conn
            .prepare_cached("SELECT case_id, key, value FROM case_field")
            .map_err(self.err())?;
        let mut rows = fields.query([]).map_err(self.err())?;
        while let Some(r) = rows.next().map_err(self.err())? {
            let case_id = r.get_ref(0).and_then(|v| Ok(v.as_str()?)).map_err(self.err())?;
            if let Some(&i) = at.get(case_id) {
                let (key, value) = (r.get(1).map_err(self.err())?, r.get(2).map_err(self.err())?);
                cases[i].fields.insert(key, value);
            }
        }
        Ok(cases)
    }

    /// The superseded values of a case's field, oldest first: (value, stamp, replica).
    pub fn case_field_history(&self, case_id: &CaseId, key: &str) -> Result<Vec<(String, i64, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT value, hlc, replica FROM case_field_history WHERE case_id = ?1 AND key = ?2 ORDER BY hlc, replica")
            .map_err(self.err())?;
        stmt.query_map((case_id, key), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())
    }

    /// The live case with this number (compared in normalised form), if any.
    pub fn case(&self, case_no: &str) -> Result<Option<Case>> {
        let id = ids::case_id(&self.round()?.id, case_no);
        let found: Option<CaseId> = self
            .conn
            .query_row("SELECT id FROM case_record WHERE id = ?1 AND deleted = 0", [&id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.err())?;
        let Some(id) = found else { return Ok(None) };
        let (case_no, seq) = self
            .conn
            .query_row("SELECT case_no, seq FROM case_record WHERE id = ?1", [&id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })
            .map_err(self.err())?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM case_field WHERE case_id = ?1")
            .map_err(self.err())?;
        let fields = stmt
            .query_map([&id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())?;
        Ok(Some(Case {
            id,
            case_no,
            seq,
            fields,
        }))
    }

    /// The live case with this number, or an error saying it is not in the round.
    pub fn require_case(&self, case_no: &str) -> Result<Case> {
        self.case(case_no)?
            .ok_or_else(|| StoreError::CaseNotFound(case_no.trim().to_owned()))
    }
}
