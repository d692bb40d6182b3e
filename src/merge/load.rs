//! Reading input files: opened read-only, checked, and read into a [`Snapshot`].

use super::MergeError;
use super::model::{Key, Row, Snapshot, TABLES};
use crate::store::{Store, StoreError};
use std::collections::BTreeMap;
use std::path::Path;

/// Opens an input read-only and runs SQLite's quick integrity check on it.
///
/// Refuses (naming the file) a missing file, a file that is not pingcha's, one of a newer
/// schema and a damaged one. Nothing is ever written to the file.
pub fn open_checked(path: &Path) -> Result<Store, MergeError> {
    checked(Store::open_untouched(path)?)
}

/// [`open_checked`] for a file that may be open and written by another program (the source of
/// a hand-in copy): read as SQLite shares it, never as an unchanging file.
pub fn open_live_checked(path: &Path) -> Result<Store, MergeError> {
    let store = match Store::open_read_only(path) {
        Ok(store) => store,
        // Shared reading needs a `-shm` beside the file; on a read-only medium, where nobody
        // can be writing the file either, read it as unchanging instead.
        Err(crate::store::StoreError::Sqlite(..)) => Store::open_untouched(path)?,
        Err(e) => return Err(e.into()),
    };
    checked(store)
}

fn checked(store: Store) -> Result<Store, MergeError> {
    match store.verify() {
        Ok(()) => Ok(store),
        Err(StoreError::Unsound { path, detail }) => Err(MergeError::Corrupt { path, detail }),
        Err(e) => Err(e.into()),
    }
}

/// Reads every merged record of an open file into memory.
pub fn snapshot(store: &Store) -> Result<Snapshot, MergeError> {
    snapshot_of(store, &|_| true)
}

/// Reads the records of the tables `wanted` accepts (by name); the others stay empty.
pub(super) fn snapshot_of(store: &Store, wanted: &dyn Fn(&str) -> bool) -> Result<Snapshot, MergeError> {
    let path = store.path().to_path_buf();
    let round = store.round()?;
    let conn = store.conn();
    let sql = |e: rusqlite::Error| MergeError::Store(crate::store::StoreError::Sqlite(path.clone(), e));
    let mut snap = Snapshot::empty(path.clone());
    snap.round_id = round.id.clone();
    snap.round_stamp = conn
        .query_row("SELECT MIN(hlc) FROM round WHERE id = ?1", [&round.id], |r| r.get(0))
        .map_err(sql)?;
    for (spec, table) in TABLES.iter().zip(snap.tables.iter_mut()) {
        if !wanted(spec.name) {
            continue;
        }
        let mut stmt = conn
            .prepare(&format!("SELECT {} FROM {}", spec.columns().join(", "), spec.name))
            .map_err(sql)?;
        let n = spec.columns().len();
        let positions = spec.key_positions();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, rusqlite::types::Value>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(sql)?;
        let mut list: Vec<(Key, Row)> = Vec::new();
        for values in rows {
            let row = Row {
                values: values.map_err(sql)?,
            };
            list.push((row.key_at(&positions), row));
        }
        // Collecting sorts once and builds the map in bulk, faster than inserting one by one.
        *table = list.into_iter().collect::<BTreeMap<Key, Row>>();
    }
    let mut stmt = conn
        .prepare("SELECT machine_id, reviewer, path, replica_id FROM local_replica ORDER BY replica_id")
        .map_err(sql)?;
    snap.local_replicas = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .map_err(sql)?
        .collect::<rusqlite::Result<_>>()
        .map_err(sql)?;
    Ok(snap)
}

/// Opens, checks and reads one input.
pub fn load(path: &Path) -> Result<Snapshot, MergeError> {
    let store = open_checked(path)?;
    snapshot(&store)
}
