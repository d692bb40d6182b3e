//! Schema versions and migrations.

use super::{Result, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// `PRAGMA application_id` of every pingcha file: "PCHA".
pub const APPLICATION_ID: i32 = 0x5043_4841;

/// Migrations in order; file N brings the schema from version N-1 to N.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_merge.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Checks, without writing, that `path` is a pingcha file this build can read; returns its
/// schema version.
pub(super) fn inspect(path: &Path) -> Result<i64> {
    if !path.is_file() {
        return Err(StoreError::NotFound(path.to_path_buf()));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|_| StoreError::NotPingcha(path.to_path_buf()))?;
    let read =
        |pragma: &str| -> rusqlite::Result<i64> { conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0)) };
    let (app, version) = match (read("application_id"), read("user_version")) {
        (Ok(a), Ok(v)) => (a, v),
        (Err(e), _) | (_, Err(e)) => {
            return Err(match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) | None => StoreError::NotPingcha(path.to_path_buf()),
                Some(_) => StoreError::Sqlite(path.to_path_buf(), e),
            });
        }
    };
    if app != i64::from(APPLICATION_ID) || version == 0 {
        return Err(StoreError::NotPingcha(path.to_path_buf()));
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(version)
}

/// Applies every migration the file has not had yet, each in its own transaction.
pub(super) fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Marks a fresh, empty database as a pingcha file and brings it to the current schema (the
/// merge writes its output this way).
pub(crate) fn init(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    migrate(conn)
}
