//! The merge is a state-based CRDT: commutative, associative, idempotent, compared through the
//! canonical JSON byte for byte; and a delete is never undone by an older copy.

use pingcha::merge::apply;
use pingcha::merge::model::{Row, Snapshot, TABLES, table_index};
use pingcha::merge::{Output, load, merge_files, plan::plan};
use pingcha::score::Quantity;
use pingcha::store::{Identity, MarkKind, NewFinding, Stage, Stamp, Store};
use proptest::prelude::*;
use rusqlite::types::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const CASE1: &str = "〔2026〕纪审字第001号";

fn canonical(path: &Path) -> String {
    let store = Store::open_read_only(path).expect("open");
    pingcha::export::json::canonical(&store).expect("dump")
}

/// A real round file (the demo rubric and cases), made once and read into memory.
fn base() -> &'static Snapshot {
    static BASE: OnceLock<Snapshot> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("round.db");
        make_round(&path);
        load::load(&path).expect("load base")
    })
}

fn make_round(path: &Path) {
    pingcha::demo::create(path, "organiser-pc")
        .expect("demo round")
        .close()
        .expect("close");
}

#[derive(Debug, Clone)]
enum Op {
    /// A replica writes a version of a record at a wall time (seconds after the round).
    Write {
        replica: usize,
        table: usize,
        key: u8,
        value: u8,
        deleted: bool,
        wall: i64,
    },
    /// `to` receives `from`'s file and merges it into its own.
    Sync { from: usize, to: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize, 0..9usize, 0..3u8, 0..3u8, any::<bool>(), 0..600i64).prop_map(
            |(replica, table, key, value, deleted, wall)| Op::Write { replica, table, key, value, deleted, wall }
        ),
        1 => (0..3usize, 0..3usize).prop_map(|(from, to)| Op::Sync { from, to }),
    ]
}

struct Replica {
    id: String,
    snap: Snapshot,
    clock: i64,
}

fn t(name: &str) -> usize {
    table_index(name).expect("table")
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// Applies one write as the store would: the next hybrid-clock stamp, a tombstone or a value.
fn write(r: &mut Replica, round_ms: i64, table: usize, key: u8, value: u8, deleted: bool, wall: i64) {
    let stamp = Stamp::next(Stamp(r.clock), round_ms + wall * 1000).0;
    r.clock = stamp;
    let (hlc, rep) = (Value::Integer(stamp), text(r.id.clone()));
    let del = Value::Integer(i64::from(deleted));
    let (name, values) = match table {
        0 => (
            "finding",
            vec![
                text(format!("finding-{key}")),
                text("sheet-1"),
                text("sszj.sz"),
                Value::Integer(i64::from(value) + 1),
                Value::Null,
                text(format!("note {value}")),
                Value::Integer(1),
                Value::Integer(i64::from(value) * 7 + 1),
                Value::Null,
                Value::Integer(0),
                del,
                text(if value.is_multiple_of(3) {
                    format!("理由 {value}")
                } else {
                    String::new()
                }),
                hlc,
                rep,
            ],
        ),
        1 => {
            let f = t("case_field");
            let k = Row {
                values: vec![
                    text("case-1"),
                    text(format!("field-{key}")),
                    text(""),
                    Value::Integer(0),
                    text(""),
                ],
            }
            .key(&TABLES[f]);
            let new = format!("value {value}");
            if let Some(old) = r.snap.tables[f].get(&k).cloned()
                && old.text(&TABLES[f], "value") != new
            {
                r.snap.put(t("case_field_history"), old);
            }
            (
                "case_field",
                vec![text("case-1"), text(format!("field-{key}")), text(new), hlc, rep],
            )
        }
        2 => (
            "mark",
            vec![
                text("sheet-1"),
                text(format!("node-{key}")),
                text("na"),
                Value::Integer(i64::from(!deleted)),
                text(format!("mark {value}")),
                hlc,
                rep,
            ],
        ),
        // The organiser's records: assignments, related units, withdrawn cases, the roster.
        4 => (
            "assignment",
            vec![
                text(format!("case-{key}")),
                text(format!("reviewer {}", value % 2)),
                text(if value == 2 { "理由" } else { "" }),
                del,
                hlc,
                rep,
            ],
        ),
        5 => (
            "related_unit",
            vec![
                text(format!("unit-{key}")),
                text(format!("unit-{value}")),
                del,
                hlc,
                rep,
            ],
        ),
        6 => (
            "case_withdrawal",
            vec![
                text(format!("case-{key}")),
                text(format!("A{key}")),
                text(format!("误抽 {value}")),
                del,
                hlc,
                rep,
            ],
        ),
        7 => (
            "reviewer",
            vec![
                text(format!("reviewer-{key}")),
                text(format!("评查员{key}")),
                text(format!("第{value}组")),
                text(format!("单位{value}")),
                Value::Integer(i64::from(value == 1)),
                Value::Integer(1),
                del,
                hlc,
                rep,
            ],
        ),
        // A case added after hand-out, or withdrawn (its record a tombstone).
        8 => (
            "case_record",
            vec![
                text(format!("case-{key}")),
                text(format!("A{key}")),
                Value::Integer(100 + i64::from(key)),
                del,
                hlc,
                rep,
            ],
        ),
        _ => (
            "sheet",
            vec![
                text(format!("sheet-{key}")),
                text("case-1"),
                text(format!("reviewer {value}")),
                text("初评"),
                text("hash"),
                del,
                hlc,
                rep,
            ],
        ),
    };
    let ti = t(name);
    let row = Row { values };
    r.snap.tables[ti].insert(row.key(&TABLES[ti]), row);
}

/// Plays the operations and writes each replica's final file.
fn play(ops: &[Op], dir: &Path) -> Vec<PathBuf> {
    let base = base();
    let round_ms = Stamp(base.round_stamp).millis();
    let mut replicas: Vec<Replica> = (0..3)
        .map(|i| Replica {
            id: format!("replica-{i}"),
            snap: base.clone(),
            clock: base.round_stamp,
        })
        .collect();
    for op in ops {
        match *op {
            Op::Write {
                replica,
                table,
                key,
                value,
                deleted,
                wall,
            } => write(&mut replicas[replica], round_ms, table, key, value, deleted, wall),
            Op::Sync { from, to } if from != to => {
                let p =
                    plan(vec![replicas[to].snap.clone(), replicas[from].snap.clone()]).expect("sync is a legal merge");
                replicas[to].snap = p.result;
                replicas[to].clock = replicas[to].clock.max(p.max_stamp);
            }
            Op::Sync { .. } => {}
        }
    }
    replicas
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let path = dir.join(format!("laptop{i}.db"));
            apply::write(&path, &r.snap, r.clock, &pingcha::output::Rules::default(), &mut |_| {})
                .expect("write laptop file");
            path
        })
        .collect()
}

fn merged(dir: &Path, name: &str, inputs: &[&PathBuf]) -> PathBuf {
    let out = dir.join(name);
    let inputs: Vec<PathBuf> = inputs.iter().map(|p| (*p).clone()).collect();
    merge_files(&inputs, Output::New(out.clone()), &[]).expect("merge");
    out
}

/// The merge's counts of `files` taken in `order` (a fresh output each time).
fn stats(files: &[PathBuf], order: &[usize]) -> pingcha::merge::Stats {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs: Vec<PathBuf> = order.iter().map(|&i| files[i].clone()).collect();
    merge_files(&inputs, Output::New(dir.path().join("out.db")), &[])
        .expect("merge")
        .stats
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn merge_is_commutative_associative_and_idempotent(ops in prop::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let files = play(&ops, d);
        let (a, b, c) = (&files[0], &files[1], &files[2]);
        let ab = merged(d, "ab.db", &[a, b]);
        let ba = merged(d, "ba.db", &[b, a]);
        prop_assert_eq!(canonical(&ab), canonical(&ba));
        let bc = merged(d, "bc.db", &[b, c]);
        let a_bc = merged(d, "a_bc.db", &[a, &bc]);
        let ab_c = merged(d, "ab_c.db", &[&ab, c]);
        prop_assert_eq!(canonical(&a_bc), canonical(&ab_c));
        let abc = merged(d, "abc.db", &[c, a, b]);
        prop_assert_eq!(canonical(&abc), canonical(&a_bc));
        let aa = merged(d, "aa.db", &[a, a]);
        prop_assert_eq!(canonical(&aa), canonical(a));
        let again = merged(d, "again.db", &[&abc, &ab]);
        prop_assert_eq!(canonical(&again), canonical(&abc));
        // The summary's counts are a function of the set of inputs: the same in every order,
        // with the file's path or the in-memory plan alone, and with an input repeated.
        let snaps: Vec<Snapshot> = files.iter().map(|f| load::load(f).expect("load")).collect();
        let expected = stats(&files, &[0, 1, 2]);
        for order in [[0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
            prop_assert_eq!(&stats(&files, &order), &expected, "order {:?}", order);
            let planned = plan(order.iter().map(|&i| snaps[i].clone()).collect()).expect("plan").stats;
            prop_assert_eq!(&planned, &expected, "in memory, order {:?}", order);
        }
        let twice = stats(&files, &[1, 0, 1, 2]);
        prop_assert_eq!((twice.cases, twice.sheets, twice.findings), (expected.cases, expected.sheets, expected.findings));
    }
}

/// Adds a finding on `case_no` as the open store's reviewer.
fn add_finding(store: &mut Store, case_no: &str, note: &str) -> String {
    let case = store.require_case(case_no).expect("case");
    let sheet = store.sheet(&case.id, Stage::Initial).expect("sheet");
    store
        .add_finding(
            &sheet,
            &NewFinding {
                node: "sszj.sz".into(),
                quantity: Quantity::Count(2),
                note: note.into(),
                volume: Some(1),
                page: Some(5),
                problem: None,
                repeat: pingcha::vocab::Repeat::No,
            },
        )
        .expect("add")
        .id
        .to_string()
}

fn open(path: &Path, machine: &str, reviewer: &str) -> Store {
    Store::open(
        path,
        &Identity {
            machine_id: machine.into(),
            reviewer: reviewer.into(),
        },
    )
    .expect("open")
}

#[test]
fn create_merge_delete_merge_recreate_merge_never_resurrects() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let round = d.join("round.db");
    make_round(&round);
    let copy = |from: &Path, name: &str| {
        let p = d.join(name);
        std::fs::copy(from, &p).expect("copy");
        p
    };
    let (a, b, c) = (copy(&round, "a.db"), copy(&round, "b.db"), copy(&round, "c.db"));

    // 1. A creates a finding and marks an item N/A; a copy of A's file is kept (stale).
    let mut sa = open(&a, "laptop-a", "张明");
    let f = add_finding(&mut sa, CASE1, "书证未盖章");
    let case = sa.require_case(CASE1).expect("case");
    let sheet_a = sa.sheet(&case.id, Stage::Initial).expect("sheet");
    sa.set_mark(&sheet_a.id, "dxcl.tk", MarkKind::NotApplicable, true, "")
        .expect("mark");
    sa.close().expect("close");
    let stale = copy(&a, "a-stale.db");
    let team1 = merged(d, "team1.db", &[&a, &b, &c]);

    // 2. On a copy of the team file on laptop B, its author deletes the finding and clears
    //    the mark (only the author may delete a finding).
    let b2 = copy(&team1, "b2.db");
    let mut sb = open(&b2, "laptop-b", "张明");
    sb.delete_finding(&f).expect("delete");
    sb.set_mark(&sheet_a.id, "dxcl.tk", MarkKind::NotApplicable, false, "")
        .expect("clear");
    sb.close().expect("close");
    let team2 = merged(d, "team2.db", &[&team1, &b2, &c]);

    // 3. C, on a copy of that, records the problem again (a new finding) and re-marks the item.
    let c2 = copy(&team2, "c2.db");
    let mut sc = open(&c2, "laptop-c", "李华");
    let f2 = add_finding(&mut sc, CASE1, "书证未盖章（复核后重新记录）");
    sc.set_mark(&sheet_a.id, "dxcl.tk", MarkKind::NotApplicable, true, "")
        .expect("re-mark");
    sc.close().expect("close");
    let team3 = merged(d, "team3.db", &[&team2, &c2]);

    // 4. The stale pre-delete copy of A's file arrives last, in every position.
    let last = merged(d, "last.db", &[&team3, &stale]);
    let first = merged(d, "first.db", &[&stale, &c2, &b2, &team1]);
    let mixed = merged(d, "mixed.db", &[&c2, &stale, &a, &team2]);
    let expected = canonical(&last);
    assert_eq!(canonical(&first), expected);
    assert_eq!(canonical(&mixed), expected);
    assert_eq!(canonical(&team3), expected, "the stale copy added nothing");
    let store = Store::open_read_only(&last).expect("open");
    assert!(store.finding(&f).is_err(), "the deleted finding came back");
    assert!(store.finding(&f2).is_ok(), "the re-created finding is there");
    assert_eq!(
        store.marked(&sheet_a.id, MarkKind::NotApplicable).expect("marks"),
        vec!["dxcl.tk".to_owned()]
    );
    let rows = finding_rows(&last);
    assert!(rows.contains(&(f.clone(), 1)), "the delete survives as a tombstone");
    assert!(rows.contains(&(f2.clone(), 0)));
}

/// (id, deleted) of every finding in a file, tombstones included.
fn finding_rows(path: &Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    let mut stmt = conn.prepare("SELECT id, deleted FROM finding").expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

#[test]
fn the_merged_clock_is_at_least_every_stamp_seen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let round = d.join("round.db");
    make_round(&round);
    let team = merged(d, "team.db", &[&round]);
    let max: i64 = {
        let conn = rusqlite::Connection::open(&round).expect("open");
        conn.query_row("SELECT MAX(hlc) FROM finding", [], |r| r.get(0))
            .expect("max")
    };
    let store = open(&team, "lead-pc", "组长");
    assert!(store.last_stamp().expect("clock").0 >= max);
}
