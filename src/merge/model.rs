//! Records as the merge sees them: tables, keys, versions, and a file's contents in memory.

use rusqlite::types::Value;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

pub use crate::store::tables::{Kind, TABLES, TableSpec};

/// Index of a table in [`TABLES`].
pub fn table_index(name: &str) -> Option<usize> {
    TABLES.iter().position(|t| t.name == name)
}

/// A primary key: the key columns' values, compared in a total order.
#[derive(Debug, Clone, PartialEq)]
pub struct Key(pub Vec<Value>);

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_values(&self.0, &other.0)
    }
}

/// One version of a record: every column, plus where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Column values in [`TableSpec::columns`] order.
    pub values: Vec<Value>,
}

impl Row {
    /// The clock stamp (0 for set tables).
    pub fn hlc(&self, spec: &TableSpec) -> i64 {
        // Versioned tables end with (hlc, replica): tested in `store::tables`.
        if spec.kind != Kind::Versioned {
            return 0;
        }
        match spec.columns().len().checked_sub(2).and_then(|i| self.values.get(i)) {
            Some(Value::Integer(n)) => *n,
            _ => 0,
        }
    }

    /// The replica that wrote it ("" for set tables).
    pub fn replica<'a>(&'a self, spec: &TableSpec) -> &'a str {
        if spec.kind != Kind::Versioned {
            return "";
        }
        match spec.columns().len().checked_sub(1).and_then(|i| self.values.get(i)) {
            Some(Value::Text(s)) => s,
            _ => "",
        }
    }

    /// A text column's value, or "".
    pub fn text<'a>(&'a self, spec: &TableSpec, column: &str) -> &'a str {
        match spec.col(column).and_then(|i| self.values.get(i)) {
            Some(Value::Text(s)) => s,
            _ => "",
        }
    }

    /// An integer column's value, or 0.
    pub fn int(&self, spec: &TableSpec, column: &str) -> i64 {
        match spec.col(column).and_then(|i| self.values.get(i)) {
            Some(Value::Integer(n)) => *n,
            _ => 0,
        }
    }

    /// The row's primary key.
    pub fn key(&self, spec: &TableSpec) -> Key {
        self.key_at(&spec.key_positions())
    }

    /// The row's primary key from the key columns' positions ([`TableSpec::key_positions`]),
    /// for loops over many rows of one table.
    pub fn key_at(&self, positions: &[usize]) -> Key {
        Key(positions.iter().filter_map(|&i| self.values.get(i)).cloned().collect())
    }

    /// The order versions of one key are ranked in: (stamp, replica), then content, so that
    /// even a broken pair (same stamp and replica, different content) resolves the same way
    /// in every merge order.
    pub fn rank(&self, other: &Row, spec: &TableSpec) -> Ordering {
        self.hlc(spec)
            .cmp(&other.hlc(spec))
            .then_with(|| self.replica(spec).cmp(other.replica(spec)))
            .then_with(|| cmp_values(&self.values, &other.values))
    }
}

/// A total order on SQLite values: NULL < integers < reals < text < blobs.
pub fn cmp_value(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Null => 0,
            Value::Integer(_) => 1,
            Value::Real(_) => 2,
            Value::Text(_) => 3,
            Value::Blob(_) => 4,
        }
    }
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => x.cmp(y),
        (Value::Real(x), Value::Real(y)) => x.total_cmp(y),
        (Value::Text(x), Value::Text(y)) => x.cmp(y),
        (Value::Blob(x), Value::Blob(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// Lexicographic [`cmp_value`] over two rows.
pub fn cmp_values(a: &[Value], b: &[Value]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = cmp_value(x, y);
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

/// Everything one input file holds that merges, read into memory.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The file it was read from (for messages).
    pub path: PathBuf,
    /// The round id the file belongs to.
    pub round_id: String,
    /// The round's creation stamp (the round record's stamp).
    pub round_stamp: i64,
    /// Rows per table, in [`TABLES`] order, keyed by primary key.
    pub tables: Vec<BTreeMap<Key, Row>>,
    /// The file's own replica ids (its `local_replica`), kept when folding into an existing file.
    pub local_replicas: Vec<(String, String, String, String)>,
}

impl Snapshot {
    /// An empty snapshot with one map per table.
    pub fn empty(path: PathBuf) -> Snapshot {
        Snapshot {
            path,
            tables: vec![BTreeMap::new(); TABLES.len()],
            ..Snapshot::default()
        }
    }

    /// The replicas that wrote records in this file.
    pub fn replicas(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (spec, table) in TABLES.iter().zip(&self.tables) {
            if spec.kind == Kind::Versioned {
                for row in table.values() {
                    let replica = row.replica(spec);
                    if !out.contains(replica) {
                        out.insert(replica.to_owned());
                    }
                }
            }
        }
        out
    }

    /// Inserts a row, keeping the higher-ranked version if the key is already there.
    pub fn put(&mut self, table: usize, row: Row) {
        let spec = &TABLES[table];
        let key = row.key(spec);
        match self.tables[table].get(&key) {
            Some(old) if old.rank(&row, spec) != Ordering::Less => {}
            _ => {
                self.tables[table].insert(key, row);
            }
        }
    }
}
