//! The canonical JSON dump: every merged record, sorted, in a stable layout.
//!
//! Two files with the same records give byte-identical dumps whatever order the records were
//! written or merged in, so merges are compared through this.

use crate::store::{Result, Store};
use serde_json::{Map, Value};

/// Format marker at the top of the dump.
pub const FORMAT: &str = "pingcha-canonical";
/// Version of the dump layout.
pub const VERSION: i64 = 1;

/// The canonical dump of a store as pretty JSON with sorted keys and a final newline.
pub fn canonical(store: &Store) -> Result<String> {
    let mut top = Map::new();
    top.insert("format".into(), Value::from(FORMAT));
    top.insert("version".into(), Value::from(VERSION));
    for table in store.dump()? {
        top.insert(
            table.name.into(),
            Value::Array(table.rows.into_iter().map(Value::Object).collect()),
        );
    }
    let mut out = serde_json::to_string_pretty(&Value::Object(top)).unwrap_or_default();
    out.push('\n');
    Ok(out)
}
