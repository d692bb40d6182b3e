//! Schema versions and migrations.

use super::error::sqlite_words;
use super::reading::{self, Access};
use super::{Result, StoreError};
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

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
    include_str!("migrations/0008_organiser.sql"),
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
    if app != i64::from(APPLICATION_ID) {
        return Err(StoreError::NotPingcha(path.to_path_buf()));
    }
    if version <= 0 {
        return Err(StoreError::BadVersion {
            path: path.to_path_buf(),
            found: version,
        });
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
    let done = usize::try_from(current).unwrap_or(MIGRATIONS.len());
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
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

/// One column as `PRAGMA table_info` describes it: name, declared type, NOT NULL, default,
/// position in the primary key (0 when not part of it).
type Column = (String, String, bool, Option<String>, i64);

/// The tables and columns of a schema, read from SQLite itself.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Shape {
    tables: BTreeMap<String, Vec<Column>>,
    names: BTreeMap<String, Vec<String>>,
}

impl Shape {
    fn read(conn: &Connection) -> rusqlite::Result<Shape> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")?;
        let names: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut tables = BTreeMap::new();
        for name in names {
            let mut info = conn.prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1)")?;
            let columns: Vec<Column> = info
                .query_map([&name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
                .collect::<rusqlite::Result<_>>()?;
            tables.insert(name, columns);
        }
        let names = tables
            .iter()
            .map(|(t, cols)| (t.clone(), cols.iter().map(|c| c.0.clone()).collect()))
            .collect();
        Ok(Shape { tables, names })
    }

    /// The tables, by name.
    #[cfg(test)]
    pub(crate) fn tables(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    /// A table's column names in schema order (empty for a table the schema lacks).
    pub(crate) fn columns(&self, table: &str) -> &[String] {
        self.names.get(table).map_or(&[], Vec::as_slice)
    }

    /// A table's primary-key columns in key order.
    #[cfg(test)]
    pub(crate) fn primary_key(&self, table: &str) -> Vec<&str> {
        let mut key: Vec<(i64, &str)> = self
            .tables
            .get(table)
            .into_iter()
            .flatten()
            .filter(|c| c.4 > 0)
            .map(|c| (c.4, c.0.as_str()))
            .collect();
        key.sort();
        key.into_iter().map(|(_, n)| n).collect()
    }

    /// The first difference from `want` (a table missing, or different columns), in words.
    fn differs_from(&self, want: &Shape) -> Option<String> {
        want.tables
            .iter()
            .find_map(|(name, columns)| match self.tables.get(name) {
                None => Some(format!("table {name} is missing")),
                Some(have) if have != columns => Some(format!("table {name} has other columns")),
                Some(_) => None,
            })
    }
}

/// The schema the migrations build, read once from a fresh database in memory: the one source
/// of the merged tables' columns ([`super::tables`]).
pub(crate) fn fresh() -> &'static Shape {
    static FRESH: LazyLock<Shape> = LazyLock::new(|| {
        let build = || -> rusqlite::Result<Shape> {
            let mut conn = Connection::open_in_memory()?;
            init(&mut conn)?;
            Shape::read(&conn)
        };
        // The migrations are part of this program; they build a schema or nothing works.
        build().unwrap_or_else(|e| panic!("the shipped migrations do not build a schema: {e}"))
    });
    &FRESH
}

/// What SQLite's `quick_check` finds wrong with the open file (its first three findings), or
/// `None` when it is sound. Reads the pages through a memory map rather than one read() each.
pub(super) fn integrity_problems(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let _ = conn.pragma_update(None, "mmap_size", super::reading::MAP_BYTES);
    let mut stmt = conn.prepare("PRAGMA quick_check")?;
    let problems: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(match problems.as_slice() {
        [ok] if ok == "ok" => None,
        _ => Some(problems.into_iter().take(3).collect::<Vec<_>>().join("; ")),
    })
}

/// Refuses, before anything is written, a file that is not sound enough to write to: one
/// failing SQLite's `quick_check`, or whose tables are not what its schema version says
/// (checked on a migrated copy in memory when the file is older). Reads only.
pub(super) fn check_for_writing(path: &Path, version: i64) -> Result<()> {
    let damaged = |detail: String| StoreError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    let sql = |e: rusqlite::Error| damaged(sqlite_words(&e));
    let conn = reading::open(path, Access::Shared).map_err(sql)?;
    if let Some(problems) = integrity_problems(&conn).map_err(sql)? {
        return Err(damaged(problems));
    }
    let shape = if version < SCHEMA_VERSION {
        let mut mem = Connection::open_in_memory().map_err(sql)?;
        rusqlite::backup::Backup::new(&conn, &mut mem)
            .and_then(|b| b.run_to_completion(256, std::time::Duration::ZERO, None))
            .map_err(sql)?;
        migrate(&mut mem).map_err(sql)?;
        Shape::read(&mem).map_err(sql)?
    } else {
        Shape::read(&conn).map_err(sql)?
    };
    match shape.differs_from(fresh()) {
        Some(d) => Err(damaged(d)),
        None => Ok(()),
    }
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
        store.set_case_field(&"c".into(), "unit", "第二室").expect("set");
        assert_eq!(
            store.case_field_history(&"c".into(), "unit").expect("history"),
            vec![("第一室".to_owned(), 65536, "org".to_owned())]
        );
        store.close().expect("close");
        assert_eq!(inspect(&path, Access::Shared).expect("inspect"), SCHEMA_VERSION);
    }
}
