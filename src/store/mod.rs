//! The round file: one SQLite file per laptop, built to be merged.
//!
//! - The file marks itself with `PRAGMA application_id` and its schema version with
//!   `user_version`; [`Store::open`] inspects both read-only first, so a foreign or newer file is
//!   refused without a single byte written.
//! - WAL with `synchronous = FULL`: when a write returns, it is on disk. [`Store::finish`]
//!   checkpoints the WAL so the `.db` file alone holds everything.
//! - A file opened for writing is first checked (`quick_check`, its tables against its schema
//!   version) and held with a shared [`lock`], so no merge replaces it while it is open.
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
pub mod lock;
mod prior;
pub mod reading;
mod recorded;
mod review;
mod reviewers;
mod round;
mod schema;
mod settled;
mod sheets;
pub mod tables;

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
pub use recorded::Recorded;
pub use review::{NoteHit, PendingMark, Progress, SheetFigures, Superseded};
pub use reviewers::{NewReviewer, Reviewer};
pub use round::{NewRound, Round, content_hash};
pub(crate) use schema::init as init_schema;
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use settled::{SettledBy, SheetFacts, Standing, standing};
pub use sheets::{FindingRecord, Mark, MarkKind, NewFinding, Repeat, SheetRecord, Stage};

use crate::output::{self, Rules};
use crate::rubric::Rubric;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The page cache of an open file, in KiB (SQLite's negative `cache_size`): memory is only
/// taken as pages are read, so a small round costs no more than before.
const PAGE_CACHE_KIB: i64 = -32 * 1024;

/// An open round file.
///
/// Opening a file for writing writes nothing: the replica id of a writer new to the file, a
/// sheet asked for with [`Store::sheet`] and the clock are all written in the one transaction
/// of the first record, so a command refused after opening leaves the file byte-identical.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    writer: Option<Writer>,
    rubrics: OnceCell<HashMap<String, Rubric>>,
    /// Sheets handed out by [`Store::sheet`] that no record has been written on yet, by id.
    planned: HashMap<crate::vocab::SheetId, SheetRecord>,
    /// Whether the next finding added is this writer's draft, deleted in its transaction.
    finishing_draft: bool,
    /// SQLite's `data_version` when last asked ([`Store::changed_by_others`]).
    data_version: Option<i64>,
    /// Held while the store is open for writing; dropped after the connection.
    lock: Option<lock::Lock>,
}

/// The transaction one write runs in: its own, or a savepoint of [`Store::all_or_none`]'s.
enum Step<'a> {
    Transaction(Transaction<'a>),
    Savepoint(rusqlite::Savepoint<'a>),
}

/// The replica and reviewer this handle writes as.
#[derive(Debug, Clone)]
struct Writer {
    replica: String,
    reviewer: String,
    /// Set while `replica` is not yet recorded in `local_replica` (a writer new to this file):
    /// the first write records it.
    unclaimed: Option<Claim>,
}

/// The `local_replica` key a new replica id is recorded under.
#[derive(Debug, Clone)]
struct Claim {
    machine_id: String,
    path: String,
}

impl Store {
    /// Opens an existing round file for writing as `identity`, migrating it if it is older.
    pub fn open(path: &Path, identity: &Identity) -> Result<Store> {
        if identity.reviewer.trim().is_empty() {
            return Err(StoreError::NoReviewer);
        }
        schema::inspect(path, Access::Shared)?;
        let lock = lock::Lock::take(path, lock::Mode::Shared, identity.reviewer.trim(), lock::WAIT)?;
        // Under the lock, so the file checked is the file written.
        let version = schema::inspect(path, Access::Shared)?;
        schema::check_for_writing(path, version)?;
        // No SQLite mutex: a `Connection` is never shared between threads (it is not `Sync`),
        // and taking the mutex on each column read cost a third of handing over a round's
        // 12,000 findings (8.5 ms against 5.6 ms, read-only, which already opened this way).
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(StoreError::sqlite(path))?;
        let mut store = Store::configure(conn, path)?;
        store.lock = Some(lock);
        schema::migrate(&mut store.conn).map_err(StoreError::sqlite(path))?;
        store.writer = Some(store.assign_replica(identity)?);
        Ok(store)
    }

    /// Others holding the file alongside this store (the reviewer's screen tells its reviewer
    /// when another screen has the same file open).
    pub fn other_holders(&self) -> &[lock::Holder] {
        self.lock.as_ref().map_or(&[], |l| l.others.as_slice())
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

    /// Runs SQLite's quick integrity check on the open file, so a hand-in copy or an earlier
    /// round's file is read only once it is sound. Writes nothing.
    pub fn verify(&self) -> Result<()> {
        let unsound = |detail: String| StoreError::Unsound {
            path: self.path.to_path_buf(),
            detail,
        };
        match schema::integrity_problems(&self.conn).map_err(|e| unsound(error::sqlite_words(&e)))? {
            None => Ok(()),
            Some(problems) => Err(unsound(problems)),
        }
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
            return Ok(Store::plain(mem, path));
        }
        Ok(Store::plain(conn, path))
    }

    fn plain(conn: Connection, path: &Path) -> Store {
        // SQLite's default page cache (2 MiB) is smaller than a round of a few hundred cases,
        // so every report would read the file again; 32 MiB keeps a round's pages between reads.
        let _ = conn.pragma_update(None, "cache_size", PAGE_CACHE_KIB);
        Store {
            conn,
            path: path.to_path_buf(),
            writer: None,
            rubrics: OnceCell::new(),
            planned: HashMap::new(),
            finishing_draft: false,
            data_version: None,
            lock: None,
        }
    }

    /// Creates a new round file at `path` (refusing to overwrite) and fills it with `fill`.
    pub fn create(path: &Path, identity: &Identity, fill: impl FnOnce(&mut Store) -> Result<()>) -> Result<Store> {
        Store::create_with(path, &Rules::default(), identity, fill)
    }

    /// [`Store::create`] with the output `rules` (the inputs it was made from, `--force`).
    ///
    /// The file is built by [`output::build`] under a temporary name in the same directory and
    /// renamed into place only when `fill` succeeded, so a failed import leaves nothing behind.
    pub fn create_with(
        path: &Path,
        rules: &Rules,
        identity: &Identity,
        fill: impl FnOnce(&mut Store) -> Result<()>,
    ) -> Result<Store> {
        output::build(path, rules, |tmp| {
            Store::create_at(tmp, identity)
                .and_then(|mut store| {
                    fill(&mut store)?;
                    // A new file must be complete on its own before it takes the real name.
                    store.close()
                })
                .map_err(|e| e.relabel(tmp, path))
        })?;
        Store::open(path, identity)
    }

    /// Makes a round file in the empty file at `path`.
    fn create_at(path: &Path, identity: &Identity) -> Result<Store> {
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
        Ok(Store::plain(conn, path))
    }

    /// The replica id of this (machine, reviewer, file path): the recorded one, or a fresh one
    /// that the first write records (reading only, so opening writes nothing).
    fn assign_replica(&mut self, identity: &Identity) -> Result<Writer> {
        let path = std::fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone());
        let claim = Claim {
            machine_id: identity.machine_id.clone(),
            path: path.to_string_lossy().into_owned(),
        };
        let reviewer = identity.reviewer.trim().to_owned();
        let existing = recorded_replica(&self.conn, &claim, &reviewer).map_err(self.err())?;
        Ok(match existing {
            Some(replica) => Writer {
                replica,
                reviewer,
                unclaimed: None,
            },
            None => Writer {
                replica: ids::random_id(),
                reviewer,
                unclaimed: Some(claim),
            },
        })
    }

    /// Records this writer's replica id if it is not yet, inside `tx`; returns the id to write
    /// under (another process of the same writer may have recorded one meanwhile).
    fn claim_replica(tx: &Connection, writer: &Writer) -> rusqlite::Result<String> {
        let Some(claim) = &writer.unclaimed else {
            return Ok(writer.replica.clone());
        };
        if let Some(replica) = recorded_replica(tx, claim, &writer.reviewer)? {
            return Ok(replica);
        }
        tx.execute(
            "INSERT INTO local_replica (machine_id, reviewer, path, replica_id) VALUES (?1, ?2, ?3, ?4)",
            (&claim.machine_id, &writer.reviewer, &claim.path, &writer.replica),
        )?;
        Ok(writer.replica.clone())
    }

    /// Marks the writer's replica as recorded under `replica` (after the commit that did it).
    fn claimed(&mut self, replica: String) {
        if let Some(w) = self.writer.as_mut() {
            w.replica = replica;
            w.unclaimed = None;
        }
    }

    /// The replica id, recorded in the file first if it is not yet (for local tables keyed by
    /// it, such as the TUI's draft).
    fn recorded_replica_id(&mut self) -> Result<String> {
        let writer = self.writer.clone().ok_or(StoreError::ReadOnly)?;
        if writer.unclaimed.is_none() {
            return Ok(writer.replica);
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::sqlite(&path))?;
        let replica = Store::claim_replica(&tx, &writer).map_err(StoreError::sqlite(&path))?;
        tx.commit().map_err(StoreError::sqlite(&path))?;
        self.claimed(replica.clone());
        Ok(replica)
    }

    /// Runs `f` in one immediate transaction with a fresh clock stamp; commits on success.
    /// Inside [`Store::all_or_none`] it is a savepoint of that transaction instead.
    fn write<T>(&mut self, f: impl FnOnce(&Connection, &Stamped<'_>) -> Result<T>) -> Result<T> {
        let writer = self.writer.clone().ok_or(StoreError::ReadOnly)?;
        let path = self.path.clone();
        let nested = !self.conn.is_autocommit();
        let (out, replica) = {
            let mut tx = if nested {
                Step::Savepoint(self.conn.savepoint().map_err(StoreError::sqlite(&path))?)
            } else {
                Step::Transaction(
                    self.conn
                        .transaction_with_behavior(TransactionBehavior::Immediate)
                        .map_err(StoreError::sqlite(&path))?,
                )
            };
            let conn: &Connection = match &mut tx {
                Step::Savepoint(sp) => sp,
                Step::Transaction(t) => t,
            };
            let replica = Store::claim_replica(conn, &writer).map_err(StoreError::sqlite(&path))?;
            let last: i64 = conn
                .query_row("SELECT last FROM local_clock WHERE id = 1", [], |r| r.get(0))
                .map_err(StoreError::sqlite(&path))?;
            let stamp = Stamp::next(Stamp(last), clock::wall_millis());
            conn.execute("UPDATE local_clock SET last = ?1 WHERE id = 1", [stamp.0])
                .map_err(StoreError::sqlite(&path))?;
            let stamped = Stamped {
                stamp,
                replica: &replica,
                path: &path,
            };
            let out = f(conn, &stamped)?;
            match tx {
                Step::Savepoint(sp) => sp.commit(),
                Step::Transaction(t) => t.commit(),
            }
            .map_err(StoreError::sqlite(&path))?;
            (out, replica)
        };
        self.claimed(replica);
        Ok(out)
    }

    /// Runs `f` with every write it makes in one transaction: all of them or none. On an error
    /// the file is left as it was (a command settling many cases at once must not stop half
    /// way) and this handle's state is restored.
    pub fn all_or_none<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if self.writer.is_none() {
            return Err(StoreError::ReadOnly.into());
        }
        let path = self.path.clone();
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(StoreError::sqlite(&path))?;
        let (writer, planned) = (self.writer.clone(), self.planned.clone());
        match f(self) {
            Ok(out) => {
                self.conn.execute_batch("COMMIT").map_err(StoreError::sqlite(&path))?;
                Ok(out)
            }
            Err(e) => {
                // A failed rollback leaves SQLite to roll the journal back when the file is
                // next opened; the error reported is the first one.
                let _ = self.conn.execute_batch("ROLLBACK");
                self.writer = writer;
                self.planned = planned;
                Err(e)
            }
        }
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

    /// Checkpoints the WAL into the main file and closes it, failing if that fails (for
    /// files that must be complete on their own, and tests).
    pub fn close(self) -> Result<()> {
        self.finish().map_or(Ok(()), Err)
    }

    /// Closes the file after its writes: folds the WAL into the main file and closes it.
    ///
    /// Every write was committed when it was made, so nothing that fails now loses anything;
    /// it is returned as a warning ([`StoreError::NotFolded`]) to show, never as a failure —
    /// a command reporting failure for a committed finding gets it recorded twice on retry.
    #[must_use = "a failed tidy-up is a warning to show"]
    pub fn finish(self) -> Option<StoreError> {
        let path = self.path.clone();
        let folded = if self.writer.is_some() {
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .err()
        } else {
            None
        };
        let closed = self.conn.close().err().map(|(_, e)| e);
        folded.or(closed).map(|e| StoreError::NotFolded(path, e))
    }

    /// Runs `f` with the next finding it adds taken as this writer's draft: the finding and the
    /// deletion of the draft commit in one transaction, so a crash can never leave both (the
    /// draft would come back and be saved a second time).
    pub fn finishing_draft<T>(&mut self, f: impl FnOnce(&mut Store) -> T) -> T {
        self.finishing_draft = true;
        let out = f(self);
        self.finishing_draft = false;
        out
    }

    /// Whether another connection has committed to the file since this one last asked
    /// (SQLite's `data_version`); the reviewer's screen polls it to show others' writes.
    pub fn changed_by_others(&mut self) -> Result<bool> {
        let now: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(StoreError::sqlite(&self.path))?;
        let seen = self.data_version.replace(now);
        Ok(seen.is_some_and(|s| s != now))
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

/// The context every write carries: its stamp, replica and file.
struct Stamped<'a> {
    stamp: Stamp,
    replica: &'a str,
    path: &'a Path,
}

impl Stamped<'_> {
    fn err(&self) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
        StoreError::sqlite(self.path)
    }
}

/// The replica id recorded for this writer, if any.
fn recorded_replica(conn: &Connection, claim: &Claim, reviewer: &str) -> rusqlite::Result<Option<String>> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        "SELECT replica_id FROM local_replica WHERE machine_id = ?1 AND reviewer = ?2 AND path = ?3",
        (&claim.machine_id, reviewer, &claim.path),
        |r| r.get(0),
    )
    .optional()
}

#[cfg(test)]
mod tests;
