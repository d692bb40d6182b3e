//! The hand-in copy for the USB stick.
//!
//! A plain copy of a live `.db` without its `-wal` loses the newest writes, so the copy is made
//! with SQLite's online backup API, synced, renamed into place, then opened again and checked:
//! SQLite's full integrity check, and the sha256 of the canonical dump compared with the
//! source's. USB sticks acknowledge writes they have not made; only reading back tells.

use super::MergeError;
use super::load::{open_checked, open_live_checked};
use crate::lang::Localized;
use crate::output::{self, Built, OutputError, Rules};
use crate::store::clock::format_beijing;
use crate::store::{Store, StoreError};
use crate::vocab::CaseId;
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A verified copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packed {
    /// Where it was written.
    pub path: PathBuf,
    /// sha256 of its canonical dump, equal to the source's.
    pub hash: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// The sha256 (hex) of a store's canonical dump.
pub fn content_hash(store: &Store) -> Result<String, MergeError> {
    let text = crate::export::json::canonical(store)?;
    Ok(Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The file name of a hand-in copy: round name, reviewer(s) and the file's last stamp (not this
/// machine's clock), with characters file systems reject replaced.
pub fn file_name(round: &str, reviewer: &str, last_ms: i64) -> String {
    let time: String = format_beijing(last_ms)
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>();
    let (date, hm) = time.split_at(time.len().min(8));
    let clean = |s: &str| -> String {
        s.trim()
            .chars()
            .map(|c| {
                if "/\\:*?\"<>|".contains(c) || c.is_whitespace() || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect()
    };
    format!("{}-{}-{date}-{hm}.db", clean(round), clean(reviewer))
}

/// Writes a verified copy of `source` into `dir`, named by [`file_name`]. `reviewer` names the
/// hand-in; without it the reviewers who wrote to the file on its machines are used. An
/// existing file of that name is replaced only with `force`, and never a SQLite file.
///
/// The source may be open and written meanwhile (the reviewer's screen, a command): it is read
/// as SQLite shares it, and the name, the content hash and every page of the copy come from one
/// read transaction, so the copy is one consistent state of it. The copy is verified under its
/// temporary name and takes the hand-in name only when it verified, so a failure leaves
/// nothing under that name; errors name the side that failed (the source or the copy).
pub fn pack(source: &Path, dir: &Path, reviewer: Option<&str>, force: bool) -> Result<Packed, MergeError> {
    pack_with(source, dir, reviewer, None, force)
}

/// [`pack`] for need-to-know rounds: the copy holds only the cases whose ids are in `keep`.
/// Every record of another case (the case, its metadata and their history, its assignments and
/// withdrawal, its sheets with their findings, marks and decisions, its ledger entries with
/// their history, and this machine's draft and cursor on it) is left out of the copy, and the
/// copy is rebuilt so no deleted page still holds them. The copy merges back: a file that does
/// not hold a case at all is taken not to know that case's records (see the merge's
/// cloned-replica check), never to have deleted them. Verified like [`pack`], against the
/// content hash of the copy as it was written (the source's records less those left out).
pub fn pack_only(
    source: &Path,
    dir: &Path,
    reviewer: &str,
    keep: &BTreeSet<CaseId>,
    force: bool,
) -> Result<Packed, MergeError> {
    pack_with(source, dir, Some(reviewer), Some(keep), force)
}

/// [`pack`], or [`pack_only`] with `keep`.
fn pack_with(
    source: &Path,
    dir: &Path,
    reviewer: Option<&str>,
    keep: Option<&BTreeSet<CaseId>>,
    force: bool,
) -> Result<Packed, MergeError> {
    let src = open_live_checked(source)?;
    let source_err = |e| MergeError::Store(StoreError::Sqlite(source.to_path_buf(), e));
    src.conn().execute_batch("BEGIN").map_err(source_err)?;
    let packed = (|| {
        let round = src.round()?;
        let who = match reviewer {
            Some(r) if !r.trim().is_empty() => r.trim().to_owned(),
            _ => local_reviewers(&src)?,
        };
        let last = src.last_stamp()?;
        let path = dir.join(file_name(&round.name, &who, last.millis()));
        let rules = Rules::new(force, &[source]);
        super::apply::refuse_live_wal(&path)?;
        let expected = content_hash(&src)?;
        output::build(&path, &rules, |tmp| {
            copy(&src, tmp, &path)?;
            match keep {
                None => verify_as(tmp, &expected, &path),
                Some(keep) => {
                    withhold(tmp, keep, &path)?;
                    let expected = content_hash(&open_checked(tmp)?)?;
                    verify_as(tmp, &expected, &path)
                }
            }
        })
        .map_err(|e| {
            // A full stick: the copy needs about as much room as the source file takes.
            let needed = std::fs::metadata(source).ok().map(|m| m.len());
            let full = |path: PathBuf| MergeError::Store(StoreError::Output(OutputError::Full { path, needed }));
            match e {
                Built::Output(OutputError::Full { path, .. }) => full(path),
                Built::Output(e) => MergeError::Store(StoreError::Output(e)),
                Built::Fill(MergeError::Store(StoreError::Sqlite(p, e)))
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) =>
                {
                    full(p)
                }
                Built::Fill(e) => e,
            }
        })
    })();
    let _ = src.conn().execute_batch("COMMIT");
    packed
}

/// Copies every page of `src` (inside its read transaction) into the empty file `tmp` in one
/// backup step and makes it one self-contained file. Failures name the source when reading it
/// failed and the hand-in copy (`shown`) otherwise.
fn copy(src: &Store, tmp: &Path, shown: &Path) -> Result<(), MergeError> {
    let to_copy = |e| MergeError::Store(StoreError::Sqlite(shown.to_path_buf(), e));
    let mut dst = Connection::open(tmp).map_err(to_copy)?;
    {
        let backup = rusqlite::backup::Backup::new(src.conn(), &mut dst).map_err(to_copy)?;
        match backup.step(-1) {
            Ok(rusqlite::backup::StepResult::Done) => {}
            Ok(other) => {
                return Err(MergeError::Store(StoreError::Sqlite(
                    src.path().to_path_buf(),
                    rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                        Some(format!("backup did not finish ({other:?})")),
                    ),
                )));
            }
            Err(e) if copy_side(&e) => return Err(to_copy(e)),
            Err(e) => return Err(MergeError::Store(StoreError::Sqlite(src.path().to_path_buf(), e))),
        }
    }
    // One self-contained file: no -wal to lose on the way, and readers create none.
    dst.pragma_update(None, "journal_mode", "DELETE").map_err(to_copy)?;
    dst.close().map_err(|(_, e)| to_copy(e))
}

/// Every table holding records of one case, with how a row names its case: `case_id`, the
/// case's own `id`, or through the sheet or ledger entry it belongs to.
const BY_CASE: &[(&str, &str)] = &[
    (
        "ledger_history",
        "entry_id IN (SELECT id FROM ledger_entry WHERE case_id NOT IN (SELECT id FROM temp.kept))",
    ),
    ("ledger_entry", "case_id NOT IN (SELECT id FROM temp.kept)"),
    (
        "decision",
        "sheet_id IN (SELECT id FROM sheet WHERE case_id NOT IN (SELECT id FROM temp.kept))",
    ),
    (
        "finding",
        "sheet_id IN (SELECT id FROM sheet WHERE case_id NOT IN (SELECT id FROM temp.kept))",
    ),
    (
        "mark",
        "sheet_id IN (SELECT id FROM sheet WHERE case_id NOT IN (SELECT id FROM temp.kept))",
    ),
    ("sheet", "case_id NOT IN (SELECT id FROM temp.kept)"),
    ("assignment", "case_id NOT IN (SELECT id FROM temp.kept)"),
    ("case_withdrawal", "case_id NOT IN (SELECT id FROM temp.kept)"),
    ("case_field_history", "case_id NOT IN (SELECT id FROM temp.kept)"),
    ("case_field", "case_id NOT IN (SELECT id FROM temp.kept)"),
    ("case_record", "id NOT IN (SELECT id FROM temp.kept)"),
    ("local_draft", "case_id NOT IN (SELECT id FROM temp.kept)"),
    ("local_cursor", "case_id NOT IN (SELECT id FROM temp.kept)"),
];

/// Deletes every record of the cases not in `keep` from the copy at `tmp` (named `shown` in
/// messages), then rebuilds the file (`VACUUM`) so that no free page keeps their text.
fn withhold(tmp: &Path, keep: &BTreeSet<CaseId>, shown: &Path) -> Result<(), MergeError> {
    let err = |e| MergeError::Store(StoreError::Sqlite(shown.to_path_buf(), e));
    let conn = Connection::open(tmp).map_err(err)?;
    conn.execute_batch("PRAGMA secure_delete = ON; CREATE TEMP TABLE kept (id TEXT PRIMARY KEY); BEGIN")
        .map_err(err)?;
    {
        let mut insert = conn
            .prepare("INSERT OR IGNORE INTO temp.kept (id) VALUES (?1)")
            .map_err(err)?;
        for id in keep {
            insert.execute([id]).map_err(err)?;
        }
    }
    for (table, gone) in BY_CASE {
        conn.execute(&format!("DELETE FROM main.{table} WHERE {gone}"), [])
            .map_err(err)?;
    }
    conn.execute_batch("COMMIT; DROP TABLE temp.kept; VACUUM")
        .map_err(err)?;
    conn.close().map_err(|(_, e)| err(e))
}

/// Whether a backup error is the copy's (its medium full, unwritable, failing) rather than the
/// source's.
fn copy_side(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::*;
    matches!(
        e.sqlite_error_code(),
        Some(DiskFull | SystemIoFailure | CannotOpen | ReadOnly | PermissionDenied)
    )
}

/// Opens a copy again, runs the full integrity check and compares its content hash.
pub fn verify(path: &Path, expected: &str) -> Result<Packed, MergeError> {
    verify_as(path, expected, path)
}

/// [`verify`] of the file at `path`, named `shown` in messages (the hand-in name of a copy
/// still under its temporary name).
fn verify_as(path: &Path, expected: &str, shown: &Path) -> Result<Packed, MergeError> {
    let mismatch = |detail: String| MergeError::PackMismatch {
        path: shown.to_path_buf(),
        detail,
    };
    let copy = open_checked(path).map_err(|e| mismatch(e.localized(crate::lang::Lang::En)))?;
    let check: String = copy
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| mismatch(e.to_string()))?;
    if check != "ok" {
        return Err(mismatch(check));
    }
    let hash = content_hash(&copy)?;
    if hash != expected {
        return Err(mismatch(format!(
            "sha256 {} ≠ {}",
            super::short(&hash),
            super::short(expected)
        )));
    }
    let bytes = std::fs::metadata(path)
        .map_err(|e| MergeError::Io(shown.to_path_buf(), e))?
        .len();
    Ok(Packed {
        path: shown.to_path_buf(),
        hash,
        bytes,
    })
}

/// The reviewers who wrote to this file, joined with "+" ("未署名" when none).
fn local_reviewers(store: &Store) -> Result<String, MergeError> {
    let mut stmt = store
        .conn()
        .prepare("SELECT DISTINCT reviewer FROM local_replica WHERE reviewer <> '组织者' ORDER BY reviewer")
        .map_err(|e| MergeError::Store(StoreError::Sqlite(store.path().to_path_buf(), e)))?;
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| MergeError::Store(StoreError::Sqlite(store.path().to_path_buf(), e)))?;
    Ok(if names.is_empty() {
        "未署名".to_owned()
    } else {
        names.join("+")
    })
}
