//! Writing a planned result to a new file with [`crate::output::build`]: under a temporary
//! name in the output's directory, synced, and renamed into place only when complete.

use super::MergeError;
use super::model::{Snapshot, TABLES};
use crate::output::{self, Built, Rules};
use crate::store::{StoreError, init_schema};
use rusqlite::Connection;
use std::path::Path;

/// Progress of a long merge, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Read `done` of `total` input files.
    Reading {
        /// Files read.
        done: u64,
        /// Files in all.
        total: u64,
    },
    /// Wrote `done` of `total` records.
    Writing {
        /// Records written.
        done: u64,
        /// Records in all.
        total: u64,
    },
}

/// Writes `result` as a complete round file at `path`, its clock at `max_stamp`, under the
/// output `rules` (an existing result is replaced only with [`Rules::replaces_round`]). Either
/// way a failure leaves `path` as it was.
pub fn write(
    path: &Path,
    result: &Snapshot,
    max_stamp: i64,
    rules: &Rules,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), MergeError> {
    write_with(path, result, max_stamp, rules, progress, &mut |_, _| Ok(()))
}

/// Extra work on the temporary output after `result` is written and committed (the bulk
/// union of [`super::fast`]), before it is closed, synced and renamed.
pub(super) type Extra<'a> = dyn FnMut(&mut Connection, &mut dyn FnMut(Progress)) -> Result<(), MergeError> + 'a;

/// [`write`], with `extra` run on the filled temporary file before it is synced and renamed.
pub(super) fn write_with(
    path: &Path,
    result: &Snapshot,
    max_stamp: i64,
    rules: &Rules,
    progress: &mut dyn FnMut(Progress),
    extra: &mut Extra<'_>,
) -> Result<(), MergeError> {
    refuse_live_wal(path)?;
    output::build(path, rules, |tmp| {
        fill(tmp, result, max_stamp, progress, extra)?;
        // A log that appeared meanwhile belongs to a program writing the target.
        refuse_live_wal(path)
    })
    .map_err(|e| match e {
        Built::Output(e) => MergeError::Store(StoreError::Output(e)),
        // Name the output in messages, not the temporary file the user never asked for.
        Built::Fill(MergeError::Io(_, e)) => {
            MergeError::Store(StoreError::Output(output::OutputError::from_io(path, e, None)))
        }
        Built::Fill(MergeError::Store(e)) => MergeError::Store(relabel_any(e, path)),
        Built::Fill(other) => other,
    })
}

/// A store error on the temporary output, reported on `path`.
fn relabel_any(e: StoreError, path: &Path) -> StoreError {
    match e {
        StoreError::Sqlite(_, e) => StoreError::Sqlite(path.to_path_buf(), e),
        other => other,
    }
}

fn fill(
    tmp: &Path,
    result: &Snapshot,
    max_stamp: i64,
    progress: &mut dyn FnMut(Progress),
    extra: &mut Extra<'_>,
) -> Result<(), MergeError> {
    let sql = |e| MergeError::Store(crate::store::StoreError::Sqlite(tmp.to_path_buf(), e));
    let mut conn = Connection::open(tmp).map_err(sql)?;
    // A temporary file that is thrown away on failure needs no journal while it is filled:
    // durability comes from the fsync in `output::build` before the atomic rename.
    conn.pragma_update(None, "journal_mode", "OFF").map_err(sql)?;
    conn.pragma_update(None, "synchronous", "OFF").map_err(sql)?;
    conn.pragma_update(None, "cache_size", -262_144).map_err(sql)?;
    init_schema(&mut conn).map_err(sql)?;
    let total: u64 = result.tables.iter().map(|t| t.len() as u64).sum();
    let step = (total / 100).max(1);
    let mut done = 0u64;
    let tx = conn.transaction().map_err(sql)?;
    for (spec, table) in TABLES.iter().zip(&result.tables) {
        let marks = vec!["?"; spec.columns().len()].join(", ");
        let mut stmt = tx
            .prepare(&format!(
                "INSERT INTO {} ({}) VALUES ({marks})",
                spec.name,
                spec.columns().join(", ")
            ))
            .map_err(sql)?;
        for row in table.values() {
            for (i, v) in row.values.iter().enumerate() {
                stmt.raw_bind_parameter(i + 1, v).map_err(sql)?;
            }
            stmt.raw_execute().map_err(sql)?;
            done += 1;
            if done.is_multiple_of(step) {
                progress(Progress::Writing { done, total });
            }
        }
    }
    tx.execute("UPDATE local_clock SET last = MAX(last, ?1) WHERE id = 1", [max_stamp])
        .map_err(sql)?;
    for (machine, reviewer, path, replica) in &result.local_replicas {
        tx.execute(
            "INSERT OR IGNORE INTO local_replica (machine_id, reviewer, path, replica_id) VALUES (?1, ?2, ?3, ?4)",
            (machine, reviewer, path, replica),
        )
        .map_err(sql)?;
    }
    tx.commit().map_err(sql)?;
    extra(&mut conn, progress)?;
    progress(Progress::Writing { done: total, total });
    // Rollback-journal mode, so readers leave no -wal/-shm beside it; a writer's
    // `Store::open` switches it to WAL.
    conn.pragma_update(None, "journal_mode", "DELETE").map_err(sql)?;
    conn.close().map_err(|(_, e)| sql(e))?;
    Ok(())
}

/// Refuses an output with a non-empty `-wal` log beside it (see [`MergeError::LiveWal`]).
pub fn refuse_live_wal(path: &Path) -> Result<(), MergeError> {
    if crate::store::reading::has_log(path) {
        return Err(MergeError::LiveWal(path.to_path_buf()));
    }
    Ok(())
}
