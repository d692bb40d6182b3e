//! Every merged record in a stable order, for the canonical export and merge comparisons.

use super::tables::TABLES;
use super::{Result, Store};
use serde_json::{Map, Value};

/// A merged table: its name and its rows, each a map from column to value, sorted by key.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Table name.
    pub name: &'static str,
    /// Rows in primary-key order.
    pub rows: Vec<Map<String, Value>>,
}

impl Store {
    /// Every merged record, table by table ([`TABLES`], columns as the schema has them), rows
    /// in primary-key order.
    pub fn dump(&self) -> Result<Vec<Table>> {
        TABLES
            .iter()
            .map(|spec| {
                let name = spec.name;
                let mut stmt = self
                    .conn
                    .prepare(&format!(
                        "SELECT {} FROM {name} ORDER BY {}",
                        spec.columns().join(", "),
                        spec.key.join(", ")
                    ))
                    .map_err(self.err())?;
                let columns: Vec<String> = stmt.column_names().map(String::from).collect();
                let rows = stmt
                    .query_map([], |r| {
                        let mut row = Map::new();
                        for (i, c) in columns.iter().enumerate() {
                            let v = match r.get_ref(i)? {
                                rusqlite::types::ValueRef::Null => Value::Null,
                                rusqlite::types::ValueRef::Integer(n) => Value::from(n),
                                rusqlite::types::ValueRef::Real(x) => Value::from(x),
                                rusqlite::types::ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t)),
                                rusqlite::types::ValueRef::Blob(b) => Value::from(b.to_vec()),
                            };
                            row.insert(c.clone(), v);
                        }
                        Ok(row)
                    })
                    .map_err(self.err())?
                    .collect::<rusqlite::Result<_>>()
                    .map_err(self.err())?;
                Ok(Table { name, rows })
            })
            .collect()
    }
}
