//! The round file: one SQLite file per laptop, built to be merged.
//!
//! - The file marks itself with `PRAGMA application_id` and its schema version with
//!   `user_version`; [`Store::open`] inspects both read-only first, so a foreign or newer file is
//!   refused without a single byte written.
//! - WAL with `synchronous = FULL`: when a write returns, it is on disk. [`Store::close`]
//!   checkpoints the WAL so the `.db` file alone holds everything.
//! - Every merged record has a stable id, the [`Stamp`] of its last write and the replica that
//!   wrote it; deletes are tombstones. See [`identity`] for how replicas are assigned.

mod assignments;
mod cases;
pub mod clock;
mod drafts;
mod dump;
mod error;
pub mod identity;
pub mod ids;
mod ledger;
mod prior;
pub mod reading;
mod review;
mod reviewers;
mod round;
mod schema;
mod sheets;

pub use assignments::{Assignment, Withdrawal};
pub use cases::{Case, CaseRow};
pub use clock::Stamp;
pub use drafts::{Cursor, Draft};
pub use dump::Table;
pub use error::{Result, StoreError};
pub use identity::Identity;
pub use ledger::{LedgerEvent, LedgerRow};
pub use prior::PriorProblem;
pub use reading::Access;
pub use review::{NoteHit, PendingMark, Progress};
pub use reviewers::{NewReviewer, Reviewer};
pub use round::{NewRound, Round, content_hash};
pub(crate) use schema::init as init_schema;
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use sheets::{FindingRecord, MarkKind, NewFinding, SheetRecord, Stage};

use crate::rubric::Rubric;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// An open round file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    writer: Option<Writer>,
    rubrics: OnceCell<HashMap<String, Rubric>>,
}

/// The replica and reviewer this handle writes as.
#[derive(Debug, Clone)]
struct Writer {
    replica: String,
    reviewer: String,
}

impl Store {
    /// Opens an existing round file for writing as `identity`, migrating it if it is older.
    pub fn open(path: &Path, identity: &Identity) -> Result<Store> {
        if identity.reviewer.trim().is_empty() {
            return Err(StoreError::NoReviewer);
        }
        schema::inspect(path, Access::Shared)?;
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(StoreError::sqlite(path))?;
        let mut store = Store::configure(conn, path)?;
        schema::migrate(&mut store.conn).map_err(StoreError::sqlite(path))?;
        store.writer = Some(store.assign_replica(identity)?);
        Ok(store)
    }

    /// Opens an existing round file read-only: nothing is ever written to it.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        Store::open_reading(path, Access::Shared)
    }

    /// Opens a file nobody is writing (a merge input) read-only, creating nothing beside it
    /// (see [`reading`]).
    pub fn open_untouched(path: &Path) -> Result<Store> {
        Store::open_reading(path, Access::Untouched)
    }

    fn open_reading(path: &Path, access: Access) -> Result<Store> {
        let version = schema::inspect(path, access)?;
        let conn = reading::open(path, access).map_err(StoreError::sqlite(path))?;
        if version < SCHEMA_VERSION {
            // An older file would need migrating, which a read-only handle must not do: read a
            // migrated copy in memory instead.
            let mut mem = Connection::open_in_memory().map_err(StoreError::sqlite(path))?;
            {
                let backup = rusqlite::backup::Backup::new(&conn, &mut mem).map_err(StoreError::sqlite(path))?;
                backup
                    .run_to_completion(256, std::time::Duration::ZERO, None)
                    .map_err(StoreError::sqlite(path))?;
            }
            schema::migrate(&mut mem).map_err(StoreError::sqlite(path))?;
            return Ok(Store {
                conn: mem,
                path: path.to_path_buf(),
                writer: None,
                rubrics: OnceCell::new(),
            });
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            writer: None,
            rubrics: OnceCell::new(),
        })
    }

    /// Creates a new round file at `path` (refusing to overwrite) and fills it with `fill`.
    ///
    /// The file is built under a temporary name in the same directory and renamed into place
    /// only when `fill` succeeded, so a failed import leaves nothing behind.
    pub fn create(path: &Path, identity: &Identity, fill: impl FnOnce(&mut Store) -> Result<()>) -> Result<Store> {
        if path.exists() {
            return Err(StoreError::AlreadyExists(path.to_path_buf()));
        }
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{file_name}.{}.tmp", ids::random_id()));
        let result = Store::create_at(&tmp, identity).and_then(|mut store| {
            fill(&mut store)?;
            store.close()
        });
        let finish = result.and_then(|()| {
            if path.exists() {
                return Err(StoreError::AlreadyExists(path.to_path_buf()));
            }
            std::fs::rename(&tmp, path).map_err(|e| StoreError::Io(path.to_path_buf(), e))
        });
        if let Err(e) = finish {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
            }
            return Err(e);
        }
        Store::open(path, identity)
    }

    fn create_at(path: &Path, identity: &Identity) -> Result<Store> {
        create_private_file(path).map_err(|e| StoreError::Io(path.to_path_buf(), e))?;
        let conn = Connection::open(path).map_err(StoreError::sqlite(path))?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(StoreError::sqlite(path))?;
        let mut store = Store::configure(conn, path)?;
        schema::migrate(&mut store.conn).map_err(StoreError::sqlite(path))?;
        store.writer = Some(store.assign_replica(identity)?);
        Ok(store)
    }

    fn configure(conn: Connection, path: &Path) -> Result<Store> {
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(StoreError::sqlite(path))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(StoreError::sqlite(path))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(StoreError::sqlite(path))?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            writer: None,
            rubrics: OnceCell::new(),
        })
    }

    /// Finds or creates the replica id of this (machine, reviewer, file path).
    fn assign_replica(&mut self, identity: &Identity) -> Result<Writer> {
        let path = std::fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone());
        let path = path.to_string_lossy().into_owned();
        let reviewer = identity.reviewer.trim().to_owned();
        let p = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::sqlite(&p))?;
        let existing: Option<String> = tx
            .query_row(
                "SELECT replica_id FROM local_replica WHERE machine_id = ?1 AND reviewer = ?2 AND path = ?3",
                (&identity.machine_id, &reviewer, &path),
                |r| r.get(0),
            )
            .ok();
        let replica = match existing {
            Some(r) => r,
            None => {
                let r = ids::random_id();
                tx.execute(
                    "INSERT INTO local_replica (machine_id, reviewer, path, replica_id) VALUES (?1, ?2, ?3, ?4)",
                    (&identity.machine_id, &reviewer, &path, &r),
                )
                .map_err(StoreError::sqlite(&p))?;
                r
            }
        };
        tx.commit().map_err(StoreError::sqlite(&p))?;
        Ok(Writer { replica, reviewer })
    }

    /// Runs `f` in one immediate transaction with a fresh clock stamp; commits on success.
    fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>, &Stamped<'_>) -> Result<T>) -> Result<T> {
        let writer = self.writer.clone().ok_or(StoreError::ReadOnly)?;
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::sqlite(&path))?;
        let last: i64 = tx
            .query_row("SELECT last FROM local_clock WHERE id = 1", [], |r| r.get(0))
            .map_err(StoreError::sqlite(&path))?;
        let stamp = Stamp::next(Stamp(last), clock::wall_millis());
        tx.execute("UPDATE local_clock SET last = ?1 WHERE id = 1", [stamp.0])
            .map_err(StoreError::sqlite(&path))?;
        let stamped = Stamped {
            stamp,
            replica: &writer.replica,
            reviewer: &writer.reviewer,
            path: &path,
        };
        let out = f(&tx, &stamped)?;
        tx.commit().map_err(StoreError::sqlite(&path))?;
        Ok(out)
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The replica id this handle writes under, if it can write.
    pub fn replica_id(&self) -> Option<&str> {
        self.writer.as_ref().map(|w| w.replica.as_str())
    }

    /// The reviewer this handle writes as, if it can write.
    pub fn reviewer(&self) -> Option<&str> {
        self.writer.as_ref().map(|w| w.reviewer.as_str())
    }

    /// The highest clock stamp this file has issued.
    pub fn last_stamp(&self) -> Result<Stamp> {
        self.conn
            .query_row("SELECT last FROM local_clock WHERE id = 1", [], |r| r.get(0))
            .map(Stamp)
            .map_err(StoreError::sqlite(&self.path))
    }

    /// Checkpoints the WAL into the main file and closes it.
    pub fn close(self) -> Result<()> {
        if self.writer.is_some() {
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .map_err(StoreError::sqlite(&self.path))?;
        }
        self.conn
            .close()
            .map_err(|(_, e)| StoreError::Sqlite(self.path.clone(), e))
    }

    /// The underlying connection, for layers above that read or copy whole tables (merge,
    /// pack). They must not write through it.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    fn err(&self) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
        StoreError::sqlite(&self.path)
    }
}

/// The context every write carries: its stamp, replica, reviewer and file.
struct Stamped<'a> {
    stamp: Stamp,
    replica: &'a str,
    reviewer: &'a str,
    path: &'a Path,
}

impl Stamped<'_> {
    fn err(&self) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
        StoreError::sqlite(self.path)
    }
}

/// Creates an empty file readable and writable by its owner only (0600 on Unix).
pub(crate) fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

#[cfg(test)]
mod tests;
