//! Writing a planned result to a new file: under a temporary name in the output's directory,
//! synced, and renamed into place only when complete.

use super::MergeError;
use super::model::{Snapshot, TABLES};
use crate::store::{create_private_file, ids, init_schema};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

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

/// Writes `result` as a complete round file at `path`, its clock at `max_stamp`.
///
/// With `replace` false an existing `path` is refused; with it true (folding into an existing
/// result) the old file is replaced atomically. Either way a failure leaves `path` as it was.
pub fn write(
    path: &Path,
    result: &Snapshot,
    max_stamp: i64,
    replace: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), MergeError> {
    write_with(path, result, max_stamp, replace, progress, &mut |_, _| Ok(()))
}

/// Extra work on the temporary output after `result` is written and committed (the bulk
/// union of [`super::fast`]), before it is closed, synced and renamed.
pub(super) type Extra<'a> = dyn FnMut(&mut Connection, &mut dyn FnMut(Progress)) -> Result<(), MergeError> + 'a;

/// [`write`], with `extra` run on the filled temporary file before it is synced and renamed.
pub(super) fn write_with(
    path: &Path,
    result: &Snapshot,
    max_stamp: i64,
    replace: bool,
    progress: &mut dyn FnMut(Progress),
    extra: &mut Extra<'_>,
) -> Result<(), MergeError> {
    if !replace && path.exists() {
        return Err(MergeError::OutputExists(path.to_path_buf()));
    }
    refuse_live_wal(path)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = temp_beside(path, "merge");
    // Name the output in messages, not the temporary file the user never asked for.
    let filled = fill(&tmp, result, max_stamp, progress, extra).map_err(|e| match e {
        MergeError::Io(_, e) => MergeError::Io(path.to_path_buf(), e),
        MergeError::Store(crate::store::StoreError::Sqlite(_, e)) => {
            MergeError::Store(crate::store::StoreError::Sqlite(path.to_path_buf(), e))
        }
        other => other,
    });
    let outcome = filled.and_then(|()| {
        if !replace && path.exists() {
            return Err(MergeError::OutputExists(path.to_path_buf()));
        }
        refuse_live_wal(path)?;
        std::fs::rename(&tmp, path).map_err(|e| MergeError::Io(path.to_path_buf(), e))?;
        sync_dir(dir);
        Ok(())
    });
    if outcome.is_err() {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
        }
    }
    outcome
}

fn fill(
    tmp: &Path,
    result: &Snapshot,
    max_stamp: i64,
    progress: &mut dyn FnMut(Progress),
    extra: &mut Extra<'_>,
) -> Result<(), MergeError> {
    let io = |e| MergeError::Io(tmp.to_path_buf(), e);
    let sql = |e| MergeError::Store(crate::store::StoreError::Sqlite(tmp.to_path_buf(), e));
    create_private_file(tmp).map_err(io)?;
    let mut conn = Connection::open(tmp).map_err(sql)?;
    // A temporary file that is thrown away on failure needs no journal while it is filled:
    // durability comes from the explicit fsync (`sync_file`) before the atomic rename.
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
    sync_file(tmp).map_err(io)
}

/// Refuses an output with a non-empty `-wal` log beside it (see [`MergeError::LiveWal`]).
pub fn refuse_live_wal(path: &Path) -> Result<(), MergeError> {
    if crate::store::reading::has_log(path) {
        return Err(MergeError::LiveWal(path.to_path_buf()));
    }
    Ok(())
}

/// Flushes a file's bytes to the device.
pub fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)?
        .sync_all()
}

/// Flushes a directory entry (the rename) to the device where the platform allows it.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    {
        // Windows has no directory handle to sync; the rename is flushed with the volume.
        let _ = dir;
    }
}

/// A path beside `path` for temporary work.
pub fn temp_beside(path: &Path, tag: &str) -> PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.{}.{tag}.tmp", ids::random_id()))
}
