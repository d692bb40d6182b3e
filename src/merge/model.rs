//! Records as the merge sees them: tables, keys, versions, and a file's contents in memory.

use rusqlite::types::Value;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// How a table merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Records with a stamp and a replica: the greater (stamp, replica) wins.
    Versioned,
    /// A grow-only set: the key names the content (rubric by hash, history by version).
    Set,
}

/// One merged table: name, key columns, every column in schema order, and how it merges.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    /// Table name.
    pub name: &'static str,
    /// Primary-key columns.
    pub key: &'static [&'static str],
    /// Every column, in the order rows are held.
    pub columns: &'static [&'static str],
    /// How versions of one key are reconciled.
    pub kind: Kind,
}

impl TableSpec {
    /// Position of a column in a row.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == name)
    }

    /// Positions of the primary-key columns in a row.
    pub fn key_positions(&self) -> Vec<usize> {
        self.key.iter().filter_map(|k| self.col(k)).collect()
    }
}

const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

// [`Row::hlc`] and [`Row::replica`] read the last two columns of a versioned table without
// looking their names up: every versioned table must end with (hlc, replica).
const _: () = {
    let mut t = 0;
    while t < TABLES.len() {
        let spec = &TABLES[t];
        if matches!(spec.kind, Kind::Versioned) {
            let n = spec.columns.len();
            assert!(n >= 2 && same_str(spec.columns[n - 2], "hlc") && same_str(spec.columns[n - 1], "replica"));
        }
        t += 1;
    }
};

/// Every merged table of the current schema. `local_*` tables never merge.
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "round",
        key: &["id"],
        columns: &[
            "id",
            "name",
            "rubric_hash",
            "kind",
            "method",
            "require_final",
            "hlc",
            "replica",
        ],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "rubric",
        key: &["hash"],
        columns: &["hash", "rubric_id", "version", "name", "source"],
        kind: Kind::Set,
    },
    TableSpec {
        name: "reviewer",
        key: &["id"],
        columns: &["id", "name", "grp", "deleted", "hlc", "replica"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "case_record",
        key: &["id"],
        columns: &["id", "case_no", "seq", "deleted", "hlc", "replica"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "case_field",
        key: &["case_id", "key"],
        columns: &["case_id", "key", "value", "hlc", "replica"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "case_field_history",
        key: &["case_id", "key", "hlc", "replica"],
        columns: &["case_id", "key", "value", "hlc", "replica"],
        kind: Kind::Set,
    },
    TableSpec {
        name: "sheet",
        key: &["id"],
        columns: &[
            "id",
            "case_id",
            "reviewer",
            "stage",
            "rubric_hash",
            "deleted",
            "hlc",
            "replica",
        ],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "decision",
        key: &["sheet_id"],
        columns: &["sheet_id", "grade", "reason", "decider", "deleted", "hlc", "replica"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "finding",
        key: &["id"],
        columns: &[
            "id",
            "sheet_id",
            "node",
            "count",
            "amount",
            "note",
            "volume",
            "page",
            "problem",
            "repeat",
            "repeat_waived",
            "deleted",
            "hlc",
            "replica",
        ],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "mark",
        key: &["sheet_id", "node", "kind"],
        columns: &["sheet_id", "node", "kind", "value", "note", "hlc", "replica"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "clock_fix",
        key: &["replica", "days"],
        columns: &["replica", "days"],
        kind: Kind::Set,
    },
    TableSpec {
        name: "ledger_entry",
        key: &["id"],
        columns: &[
            "id",
            "finding_id",
            "case_id",
            "unit",
            "handler",
            "problem_code",
            "problem",
            "note",
            "deadline",
            "state",
            "measures",
            "evidence",
            "verifier",
            "verified_on",
            "hlc",
            "replica",
        ],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "ledger_history",
        key: &["entry_id", "hlc", "replica"],
        columns: &["entry_id", "who", "from_state", "to_state", "note", "hlc", "replica"],
        kind: Kind::Set,
    },
    TableSpec {
        name: "prior_problem",
        key: &["round_id", "entry_id"],
        columns: &[
            "round_id",
            "entry_id",
            "round_name",
            "case_no",
            "unit",
            "problem_code",
            "problem",
            "note",
            "state",
        ],
        kind: Kind::Set,
    },
];

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
        // Versioned tables end with (hlc, replica): checked at compile time below.
        if spec.kind != Kind::Versioned {
            return 0;
        }
        match spec.columns.len().checked_sub(2).and_then(|i| self.values.get(i)) {
            Some(Value::Integer(n)) => *n,
            _ => 0,
        }
    }

    /// The replica that wrote it ("" for set tables).
    pub fn replica<'a>(&'a self, spec: &TableSpec) -> &'a str {
        if spec.kind != Kind::Versioned {
            return "";
        }
        match spec.columns.len().checked_sub(1).and_then(|i| self.values.get(i)) {
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
