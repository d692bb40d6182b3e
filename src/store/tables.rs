//! The merged tables: which there are, their keys and how each merges. Their columns are not
//! written here but read from the schema the migrations build ([`TableSpec::columns`]), so a
//! column a migration adds is merged, dumped and compared without being listed again; a test
//! ties this list to the schema (every merged table listed, keys equal to the primary keys).
//! `local_*` tables never merge.

use super::schema;
use std::sync::LazyLock;

/// How a table merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Records with a stamp and a replica: the greater (stamp, replica) wins. Such a table's
    /// last two columns are `hlc, replica`.
    Versioned,
    /// A grow-only set: the key names the content (rubric by hash, history by version).
    Set,
}

/// One merged table: name, key columns and how it merges; its columns come from the schema.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    /// Table name.
    pub name: &'static str,
    /// Primary-key columns, in the order rows are sorted by.
    pub key: &'static [&'static str],
    /// How versions of one key are reconciled.
    pub kind: Kind,
}

impl TableSpec {
    /// Every column as the migrations built it, in the order rows are held in: the schema's,
    /// with a versioned table's `hlc, replica` moved last (a migration may add columns after
    /// them) so that [`Kind::Versioned`] rows find them without a lookup.
    pub fn columns(&self) -> &'static [String] {
        static HELD: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| TABLES.iter().map(held_order).collect());
        TABLES
            .iter()
            .position(|t| t.name == self.name)
            .and_then(|i| HELD.get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// Position of a column in a row.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.columns().iter().position(|c| c == name)
    }

    /// Positions of the primary-key columns in a row.
    pub fn key_positions(&self) -> Vec<usize> {
        self.key.iter().filter_map(|k| self.col(k)).collect()
    }
}

/// The schema's columns of `spec`, a versioned table's `hlc, replica` last.
fn held_order(spec: &TableSpec) -> Vec<String> {
    let mut columns = schema::fresh().columns(spec.name).to_vec();
    if spec.kind == Kind::Versioned {
        columns.retain(|c| c != "hlc" && c != "replica");
        columns.extend(["hlc".to_owned(), "replica".to_owned()]);
    }
    columns
}

/// Every merged table of the current schema, in the order they are dumped and merged.
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "round",
        key: &["id"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "rubric",
        key: &["hash"],
        kind: Kind::Set,
    },
    TableSpec {
        name: "reviewer",
        key: &["id"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "case_record",
        key: &["id"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "case_field",
        key: &["case_id", "key"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "case_field_history",
        key: &["case_id", "key", "hlc", "replica"],
        kind: Kind::Set,
    },
    TableSpec {
        name: "sheet",
        key: &["id"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "decision",
        key: &["sheet_id"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "finding",
        key: &["id"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "mark",
        key: &["sheet_id", "node", "kind"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "clock_fix",
        key: &["replica", "days"],
        kind: Kind::Set,
    },
    TableSpec {
        name: "ledger_entry",
        key: &["id"],
        kind: Kind::Versioned,
    },
    TableSpec {
        name: "ledger_history",
        key: &["entry_id", "hlc", "replica"],
        kind: Kind::Set,
    },
    TableSpec {
        name: "prior_problem",
        key: &["round_id", "entry_id"],
        kind: Kind::Set,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_agrees_with_the_migrated_schema() {
        let fresh = schema::fresh();
        let merged: Vec<&str> = fresh.tables().filter(|t| !t.starts_with("local_")).collect();
        let listed: std::collections::BTreeSet<&str> = TABLES.iter().map(|t| t.name).collect();
        assert_eq!(
            merged.iter().copied().collect::<std::collections::BTreeSet<_>>(),
            listed,
            "every table the migrations create merges (or is local_*), and only those"
        );
        for spec in TABLES {
            assert!(!spec.columns().is_empty(), "{}", spec.name);
            assert_eq!(
                fresh.primary_key(spec.name),
                spec.key,
                "{}: the key is the table's primary key",
                spec.name
            );
            let schema_order: std::collections::BTreeSet<&String> = fresh.columns(spec.name).iter().collect();
            assert_eq!(
                spec.columns().iter().collect::<std::collections::BTreeSet<_>>(),
                schema_order,
                "{}: rows hold exactly the schema's columns",
                spec.name
            );
            if spec.kind == Kind::Versioned {
                assert!(
                    schema_order.contains(&"hlc".to_owned()) && schema_order.contains(&"replica".to_owned()),
                    "{}: a versioned table has (hlc, replica)",
                    spec.name
                );
            }
        }
    }
}
