//! Schema versions and migrations.

use super::reading::{self, Access};
use super::{Result, StoreError};
use rusqlite::Connection;
use std::path::Path;

/// `PRAGMA application_id` of every pingcha file: "PCHA".
pub const APPLICATION_ID: i32 = 0x5043_4841;

/// Migrations in order; file N brings the schema from version N-1 to N.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_tui.sql"),
    include_str!("migrations/0003_merge.sql"),
    include_str!("migrations/0004_ledger.sql"),
    include_str!("migrations/0005_repeat.sql"),
    include_str!("migrations/0006_draft_repeat.sql"),
    include_str!("migrations/0007_result.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Checks, without writing, that `path` is a pingcha file this build can read; returns its
/// schema version.
pub(super) fn inspect(path: &Path, access: Access) -> Result<i64> {
    if !path.is_file() {
        return Err(StoreError::NotFound(path.to_path_buf()));
    }
    let conn = reading::open(path, access).map_err(|_| StoreError::NotPingcha(path.to_path_buf()))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Identity, Store};

    /// A file as schema 1 left it: only the first migration, with one case field set.
    fn schema_one_file(path: &Path) {
        let conn = Connection::open(path).expect("create");
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .expect("mark");
        conn.execute_batch(MIGRATIONS[0]).expect("schema 1");
        conn.pragma_update(None, "user_version", 1).expect("version");
        conn.execute_batch(
            "INSERT INTO round VALUES ('r', '旧轮次', 'h', '日常', '交叉', 65536, 'org');
             INSERT INTO case_record VALUES ('c', 'A1', 1, 0, 65536, 'org');
             INSERT INTO case_field VALUES ('c', 'unit', '第一室', 65536, 'org');",
        )
        .expect("rows");
    }

    #[test]
    fn a_schema_one_file_reads_without_change_and_migrates_when_opened_for_writing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("old.db");
        schema_one_file(&path);
        let before = std::fs::read(&path).expect("read");
        let ro = Store::open_read_only(&path).expect("read-only open of an older file");
        assert!(
            crate::export::json::canonical(&ro)
                .expect("dump")
                .contains("case_field_history")
        );
        drop(ro);
        assert_eq!(
            std::fs::read(&path).expect("read"),
            before,
            "a read-only open migrated the file"
        );
        let id = Identity {
            machine_id: "m".into(),
            reviewer: "张明".into(),
        };
        let mut store = Store::open(&path, &id).expect("open and migrate");
        store.set_case_field("c", "unit", "第二室").expect("set");
        assert_eq!(
            store.case_field_history("c", "unit").expect("history"),
            vec![("第一室".to_owned(), 65536, "org".to_owned())]
        );
        store.close().expect("close");
        assert_eq!(inspect(&path, Access::Shared).expect("inspect"), SCHEMA_VERSION);
    }
}
