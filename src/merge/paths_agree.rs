//! The two ways a merge is carried out — the bulk path ([`super::fast`], SQLite copying the
//! large tables) and the in-memory path ([`super::plan`] over every table) — give the same
//! file: a property test over generated laptops, compared through the canonical JSON byte for
//! byte.

use super::model::{Row, Snapshot, TABLES, table_index};
use super::{Merge, Output, apply, fast, load};
use crate::store::{Stamp, Store};
use proptest::prelude::*;
use rusqlite::types::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The demo round read into memory, made once.
fn base() -> &'static Snapshot {
    static BASE: OnceLock<Snapshot> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("round.db");
        crate::demo::create(&path, "organiser-pc")
            .expect("demo")
            .close()
            .expect("close");
        load::load(&path).expect("load")
    })
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// One write on a laptop: table (finding, mark, sheet, decision, case field), key, value,
/// tombstone, seconds after the round began.
type Write = (usize, u8, u8, bool, i64);

fn row(table: usize, key: u8, value: u8, deleted: bool, hlc: i64, replica: &str) -> (&'static str, Vec<Value>) {
    let (hlc, rep, del) = (Value::Integer(hlc), text(replica), Value::Integer(i64::from(deleted)));
    let sheet = text(format!("sheet-{}", key % 2));
    match table {
        0 => (
            "finding",
            vec![
                text(format!("finding-{key}")),
                sheet,
                text("sszj.sz"),
                Value::Integer(i64::from(value) + 1),
                Value::Null,
                text(format!("问题 {value}")),
                Value::Integer(1),
                Value::Integer(i64::from(value) + 1),
                Value::Null,
                Value::Integer(i64::from(value % 2)),
                del,
                text(""),
                hlc,
                rep,
            ],
        ),
        1 => (
            "mark",
            vec![
                sheet,
                text(format!("node-{key}")),
                text("na"),
                Value::Integer(i64::from(!deleted)),
                text(format!("mark {value}")),
                hlc,
                rep,
            ],
        ),
        2 => (
            "sheet",
            vec![
                sheet,
                text("case-1"),
                text(format!("评查人 {value}")),
                text("初评"),
                text("hash"),
                del,
                hlc,
                rep,
            ],
        ),
        3 => (
            "decision",
            vec![
                sheet,
                text("合格"),
                text(format!("理由 {value}")),
                text("评查组"),
                del,
                hlc,
                rep,
            ],
        ),
        _ => (
            "case_field",
            vec![
                text("case-1"),
                text(format!("field-{key}")),
                text(format!("值 {value}")),
                hlc,
                rep,
            ],
        ),
    }
}

/// Writes each laptop's file: the base plus its own replica's writes.
fn laptops(writes: &[Vec<Write>], dir: &Path) -> Vec<PathBuf> {
    let base = base();
    let round_ms = Stamp(base.round_stamp).millis();
    writes
        .iter()
        .enumerate()
        .map(|(i, list)| {
            let replica = format!("laptop-{i}");
            let mut snap = base.clone();
            let mut clock = base.round_stamp;
            for &(table, key, value, deleted, wall) in list {
                clock = Stamp::next(Stamp(clock), round_ms + wall * 1000).0;
                let (name, values) = row(table, key, value, deleted, clock, &replica);
                let t = table_index(name).expect("table");
                let row = Row { values };
                snap.tables[t].insert(row.key(&TABLES[t]), row);
            }
            let path = dir.join(format!("laptop{i}.db"));
            apply::write(&path, &snap, clock, &crate::output::Rules::default(), &mut |_| {}).expect("write laptop");
            path
        })
        .collect()
}

fn canonical(path: &Path) -> String {
    crate::export::json::canonical(&Store::open_read_only(path).expect("open")).expect("dump")
}

fn write_strategy() -> impl Strategy<Value = Write> {
    (0..5usize, 0..4u8, 0..4u8, any::<bool>(), 0..3600i64)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn the_bulk_and_the_in_memory_paths_write_the_same_file(
        writes in prop::collection::vec(prop::collection::vec(write_strategy(), 0..12), 1..4)
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let inputs = laptops(&writes, dir.path());
        let (bulk_out, memory_out) = (dir.path().join("bulk.db"), dir.path().join("memory.db"));

        let bulk = Merge::prepare(&inputs, Output::New(bulk_out.clone()), &mut |_| {}).expect("prepare");
        prop_assert!(
            fast::eligible(&bulk.stores, &bulk.inputs, &bulk.bulk, false).expect("eligible").is_some(),
            "the bulk path must be taken for the comparison to mean anything"
        );
        bulk.run(&[], &mut |_| {}).expect("bulk merge");

        let mut memory = Merge::prepare(&inputs, Output::New(memory_out.clone()), &mut |_| {}).expect("prepare");
        memory.read_in_full().expect("read");
        memory.run(&[], &mut |_| {}).expect("in-memory merge");

        prop_assert_eq!(canonical(&bulk_out), canonical(&memory_out));
    }
}
