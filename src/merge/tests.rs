//! Unit tests of the pure parts: winners, history, conflicts, replica checks, clock windows.

use super::MergeError;
use super::clock::{ClockFix, Window, check_and_fix, resolve};
use super::conflict::Conflict;
use super::model::{Row, Snapshot, TABLES, table_index};
use super::plan::plan;
use crate::store::Stamp;
use rusqlite::types::Value;
use std::path::PathBuf;

const DAY: i64 = 86_400_000;
const T0: i64 = 1_790_000_000_000;

fn snap(name: &str) -> Snapshot {
    let mut s = Snapshot::empty(PathBuf::from(name));
    s.round_id = "round".into();
    s.round_stamp = Stamp::from_millis(T0).0;
    s
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn field(s: &mut Snapshot, value: &str, ms: i64, replica: &str) {
    let t = table_index("case_field").expect("table");
    let row = Row {
        values: vec![
            text("c1"),
            text("unit"),
            text(value),
            Value::Integer(Stamp::from_millis(T0 + ms).0),
            text(replica),
        ],
    };
    s.tables[t].insert(row.key(&TABLES[t]), row);
}

/// The one case field a test snapshot holds, as its history would keep it.
fn only_field(s: &Snapshot) -> Row {
    s.tables[table_index("case_field").expect("table")]
        .values()
        .next()
        .expect("a case field")
        .clone()
}

fn finding(s: &mut Snapshot, id: &str, deleted: bool, ms: i64, replica: &str) {
    let t = table_index("finding").expect("table");
    let row = Row {
        values: vec![
            text(id),
            text("sheet"),
            text("sszj.sz"),
            Value::Integer(1),
            Value::Null,
            text("note"),
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Integer(0),
            Value::Integer(i64::from(deleted)),
            text(""),
            Value::Integer(Stamp::from_millis(T0 + ms).0),
            text(replica),
        ],
    };
    s.tables[t].insert(row.key(&TABLES[t]), row);
}

#[test]
fn the_greater_stamp_wins_and_a_newer_tombstone_beats_an_older_copy() {
    let mut a = snap("a.db");
    let mut b = snap("b.db");
    finding(&mut a, "f1", false, 10, "ra");
    finding(&mut b, "f1", true, 20, "rb");
    for inputs in [[a.clone(), b.clone()], [b, a]] {
        let p = plan(inputs.to_vec()).expect("plan");
        let t = table_index("finding").expect("table");
        let row = p.result.tables[t].values().next().expect("row");
        assert_eq!(row.int(&TABLES[t], "deleted"), 1);
        assert_eq!(p.max_stamp, Stamp::from_millis(T0 + 20).0);
    }
}

#[test]
fn concurrent_field_edits_are_a_conflict_sequential_ones_are_not() {
    let mut a = snap("a.db");
    let mut b = snap("b.db");
    field(&mut a, "第一室", 10, "ra");
    field(&mut b, "第二室", 20, "rb");
    let p = plan(vec![a.clone(), b.clone()]).expect("plan");
    assert!(matches!(&p.conflicts[..], [Conflict::Field { kept, lost, .. }] if kept == "第二室" && lost == "第一室"));
    let h = table_index("case_field_history").expect("table");
    assert_eq!(p.result.tables[h].len(), 1);
    // B had seen A's value (it is in B's history) before overwriting it: no conflict.
    let mut b_saw = b.clone();
    b_saw.put(h, only_field(&a));
    let p = plan(vec![a, b_saw]).expect("plan");
    assert!(p.conflicts.is_empty(), "{:?}", p.conflicts);
}

#[test]
fn a_stale_copy_is_fine_but_a_diverged_clone_is_refused() {
    let mut old = snap("old.db");
    finding(&mut old, "f1", false, 10, "ra");
    let mut new = old.clone();
    new.path = PathBuf::from("new.db");
    finding(&mut new, "f1", true, 20, "ra");
    finding(&mut new, "f2", false, 30, "ra");
    assert!(plan(vec![old.clone(), new.clone()]).is_ok());
    let mut clone = old.clone();
    clone.path = PathBuf::from("clone.db");
    finding(&mut clone, "f3", false, 20, "ra");
    match plan(vec![new, clone]) {
        Err(MergeError::ClonedReplica { replica, first, second }) => {
            assert_eq!(replica, "ra");
            assert_eq!((first, second), (PathBuf::from("new.db"), PathBuf::from("clone.db")));
        }
        other => panic!("expected a clone refusal, got {other:?}"),
    }
}

#[test]
fn clock_fixes_parse_resolve_and_shift_only_implausible_stamps() {
    assert!("abc=+3".parse::<ClockFix>().is_ok());
    assert_eq!("abc=-1826".parse::<ClockFix>().map(|f| f.days).ok(), Some(-1826));
    for bad in ["abc", "=3", "abc=x", "abc=0"] {
        assert!(bad.parse::<ClockFix>().is_err(), "{bad}");
    }
    let w = Window::of_round(Stamp::from_millis(T0).0);
    assert!(w.contains(Stamp::from_millis(T0 + 89 * DAY).0));
    assert!(!w.contains(Stamp::from_millis(T0 + 91 * DAY).0));
    let mut s = snap("skewed.db");
    finding(&mut s, "ok", false, DAY, "skewed-replica");
    finding(&mut s, "late", false, 1000 * DAY + 5, "skewed-replica");
    let none = resolve(&[], std::slice::from_ref(&s)).expect("resolve");
    assert!(matches!(
        check_and_fix(&mut s.clone(), &none),
        Err(MergeError::ClockOutOfRange(_))
    ));
    let not_enough = resolve(&["skewed=-30".parse().expect("fix")], std::slice::from_ref(&s)).expect("resolve");
    assert!(matches!(
        check_and_fix(&mut s.clone(), &not_enough),
        Err(MergeError::ClockOutOfRange(o)) if o.fix_days == Some(-30)
    ));
    let fixes = resolve(&["skewed=-999".parse().expect("fix")], std::slice::from_ref(&s)).expect("resolve");
    check_and_fix(&mut s, &fixes).expect("fixed");
    let t = table_index("finding").expect("t");
    let stamps: Vec<i64> = s.tables[t].values().map(|r| r.hlc(&TABLES[t])).collect();
    assert!(stamps.iter().all(|h| w.contains(*h)));
    assert!(
        stamps.contains(&Stamp::from_millis(T0 + DAY).0),
        "a plausible stamp is left alone"
    );
    let cf = table_index("clock_fix").expect("t");
    assert_eq!(s.tables[cf].len(), 1);
    assert!(resolve(&["nobody=+1".parse().expect("fix")], &[s.clone()]).is_err());
    // The recorded fix is found again; two files recording different fixes give none.
    assert_eq!(
        super::clock::recorded(&[s.clone()]).into_iter().collect::<Vec<_>>(),
        vec![("skewed-replica".to_owned(), -999)]
    );
    let mut other = snap("other");
    other.put(
        cf,
        Row {
            values: vec![text("skewed-replica"), Value::Integer(-998)],
        },
    );
    assert!(super::clock::recorded(&[s, other]).is_empty());
}

#[test]
fn hand_in_names_are_safe_file_names() {
    let name = super::pack::file_name("2026/第四季度: 评查", "张 明", T0);
    assert!(!name.contains(['/', ':', ' ']), "{name}");
    assert!(
        name.starts_with("2026_第四季度__评查-张_明-") && name.ends_with(".db"),
        "{name}"
    );
}

#[test]
fn ledger_history_stamps_are_checked_and_a_fix_is_recorded_beside_them() {
    let t = table_index("ledger_history").expect("table");
    let mut s = snap("skewed.db");
    finding(&mut s, "ok", false, DAY, "skewed-replica");
    let late = Stamp::from_millis(T0 + 1000 * DAY).0;
    s.put(
        t,
        Row {
            values: vec![
                text("e1"),
                text("李华"),
                text("待整改"),
                text("整改中"),
                text(""),
                Value::Integer(late),
                text("skewed-replica"),
            ],
        },
    );
    let none = resolve(&[], std::slice::from_ref(&s)).expect("resolve");
    assert!(matches!(
        check_and_fix(&mut s.clone(), &none),
        Err(MergeError::ClockOutOfRange(_))
    ));
    // Not enough: still refused.
    let short = resolve(&["skewed=-10".parse().expect("fix")], std::slice::from_ref(&s)).expect("resolve");
    assert!(check_and_fix(&mut s.clone(), &short).is_err());
    let fixes = resolve(&["skewed=-999".parse().expect("fix")], std::slice::from_ref(&s)).expect("resolve");
    let used = check_and_fix(&mut s, &fixes).expect("fixed");
    assert_eq!(used.get("skewed-replica"), Some(&-999));
    // The history line keeps the date its writer saw; the fix is recorded beside it.
    let hlc_col = TABLES[t].col("hlc").expect("hlc");
    let stamps: Vec<&Value> = s.tables[t].values().filter_map(|r| r.values.get(hlc_col)).collect();
    assert_eq!(stamps, vec![&Value::Integer(late)]);
    let fix_table = table_index("clock_fix").expect("table");
    assert_eq!(s.tables[fix_table].len(), 1);
}

#[test]
fn ledger_records_are_plausible_until_the_latest_deadline_and_a_margin() {
    use super::clock::{LEDGER_MARGIN_DAYS, PLAUSIBLE_DAYS};
    let at = |days: i64| Stamp::from_millis(T0 + days * DAY).0;
    let mut s = snap("ledger.db");
    let w = Window::of_snapshot(&s);
    assert!(w.contains(at(PLAUSIBLE_DAYS)) && !w.contains(at(PLAUSIBLE_DAYS + 1)));
    assert!(w.contains_in("ledger_history", at(150)) && w.contains_in("ledger_entry", at(150)));
    assert!(!w.contains_in("finding", at(150)));
    let last = PLAUSIBLE_DAYS + LEDGER_MARGIN_DAYS;
    assert!(w.contains_in("ledger_entry", at(last)) && !w.contains_in("ledger_entry", at(last + 1)));
    // A deadline a year after the round moves the ledger's end to a year plus the margin.
    let t = table_index("ledger_entry").expect("table");
    let spec = &TABLES[t];
    let deadline = crate::store::clock::format_beijing(T0 + 365 * DAY)[..10].to_owned();
    let values = spec
        .columns()
        .iter()
        .map(|c| match c.as_str() {
            "deadline" => text(&deadline),
            "hlc" => Value::Integer(at(1)),
            "replica" => text("r"),
            _ => text("x"),
        })
        .collect();
    s.put(t, Row { values });
    let w = Window::of_snapshot(&s);
    assert!(w.contains_in("ledger_history", at(365 + LEDGER_MARGIN_DAYS)));
    assert!(!w.contains_in("ledger_history", at(367 + LEDGER_MARGIN_DAYS)));
    assert!(
        !w.contains_in("finding", at(PLAUSIBLE_DAYS + 1)),
        "review records keep their window"
    );
}

#[test]
fn an_input_copied_with_its_live_log_is_read_with_the_log_and_nothing_is_created_beside_it() {
    use crate::score::Quantity;
    use crate::store::{NewFinding, Stage, Store};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut live = crate::demo::create(&dir.path().join("live.db"), "m-laptop").expect("demo");
    let case = live.cases().expect("cases").into_iter().next().expect("a case");
    let sheet = live.sheet(&case.id, Stage::Initial).expect("sheet");
    let added = live
        .add_finding(
            &sheet,
            &NewFinding {
                node: "sszj.sz".into(),
                quantity: Quantity::Count(1),
                note: "只在日志里".into(),
                volume: None,
                page: None,
                problem: None,
                repeat: crate::vocab::Repeat::No,
            },
        )
        .expect("add");
    // A plain copy while the program still runs: the newest write is only in the -wal.
    let stick = dir.path().join("stick");
    std::fs::create_dir(&stick).expect("mkdir");
    for suffix in ["", "-wal"] {
        std::fs::copy(
            dir.path().join(format!("live.db{suffix}")),
            stick.join(format!("copy.db{suffix}")),
        )
        .expect("copy");
    }
    drop(live);
    let copy = stick.join("copy.db");
    assert!(crate::store::reading::has_log(&copy), "the copy should carry a log");
    let out = dir.path().join("team.db");
    super::merge_files(std::slice::from_ref(&copy), super::Output::New(out.clone()), &[]).expect("merge");
    let team = Store::open_read_only(&out).expect("open");
    let notes: Vec<crate::vocab::FindingId> = team
        .findings(&sheet.id)
        .expect("findings")
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert!(notes.contains(&added.id), "the write only in the log was lost");

    // Without a log, nothing at all appears beside the input.
    let plain = dir.path().join("plain");
    std::fs::create_dir(&plain).expect("mkdir");
    std::fs::copy(&out, plain.join("team.db")).expect("copy");
    super::merge_files(
        &[plain.join("team.db")],
        super::Output::New(dir.path().join("again.db")),
        &[],
    )
    .expect("merge");
    let names: Vec<_> = std::fs::read_dir(&plain)
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("team.db")]);
}

/// A row of `table` from (column, value) pairs; other columns are 0, or "" for text keys.
fn row_of(table: &str, values: &[(&str, Value)]) -> (usize, Row) {
    let t = table_index(table).expect("table");
    let row = Row {
        values: TABLES[t]
            .columns()
            .iter()
            .map(|c| {
                values
                    .iter()
                    .find(|(name, _)| name == c)
                    .map_or(Value::Integer(0), |(_, v)| v.clone())
            })
            .collect(),
    };
    (t, row)
}

fn put(s: &mut Snapshot, (t, row): (usize, Row)) {
    s.tables[t].insert(row.key(&TABLES[t]), row);
}

/// A case record and one metadata field of it, written by `replica` at `ms`.
fn case_with_field(s: &mut Snapshot, id: &str, ms: i64, replica: &str) {
    let hlc = || Value::Integer(Stamp::from_millis(T0 + ms).0);
    put(
        s,
        row_of(
            "case_record",
            &[
                ("id", text(id)),
                ("case_no", text(id)),
                ("hlc", hlc()),
                ("replica", text(replica)),
            ],
        ),
    );
    put(
        s,
        row_of(
            "case_field",
            &[
                ("case_id", text(id)),
                ("key", text("unit")),
                ("value", text("一室")),
                ("hlc", hlc()),
                ("replica", text(replica)),
            ],
        ),
    );
}

#[test]
fn a_file_without_a_case_does_not_know_its_records_but_one_holding_it_must() {
    let mut organiser = snap("organiser.db");
    case_with_field(&mut organiser, "c1", 1, "org");
    case_with_field(&mut organiser, "c2", 2, "org");
    case_with_field(&mut organiser, "c3", 3, "org");
    // A need-to-know copy: c2 left out entirely, though it holds the organiser's later writes.
    let mut copy = organiser.clone();
    copy.path = PathBuf::from("copy.db");
    for (table, key) in [
        ("case_record", vec![text("c2")]),
        ("case_field", vec![text("c2"), text("unit")]),
    ] {
        let t = table_index(table).expect("table");
        assert!(copy.tables[t].remove(&super::model::Key(key)).is_some());
    }
    assert!(plan(vec![organiser.clone(), copy.clone()]).is_ok());
    assert!(plan(vec![copy.clone(), organiser.clone()]).is_ok());
    // A file that holds c2 but not its field has diverged: still refused.
    let mut diverged = organiser.clone();
    diverged.path = PathBuf::from("diverged.db");
    let t = table_index("case_field").expect("table");
    diverged.tables[t].remove(&super::model::Key(vec![text("c2"), text("unit")]));
    assert!(matches!(
        plan(vec![organiser, diverged]),
        Err(MergeError::ClonedReplica { .. })
    ));
}

/// Found by `merge_laws` (its regression file keeps the seed): a laptop that re-saves a field
/// with the value it already had writes no history, so when that version is later merged away
/// the value is kept under this laptop's replica, not the first writer's. The first writer's
/// file and a file holding that kept value must still merge: nothing diverged.
#[test]
fn a_value_kept_under_a_later_writer_is_known_to_a_file_of_the_first() {
    let h = table_index("case_field_history").expect("table");
    // Every laptop starts from the round file the organiser handed out.
    let mut handed_out = snap("round.db");
    case_with_field(&mut handed_out, "c1", 1, "org");
    // The organiser changes the case's unit, then writes something else (its newest stamp is
    // later than the field's).
    let mut organiser = handed_out.clone();
    organiser.path = PathBuf::from("organiser.db");
    field(&mut organiser, "第一室", 10, "org");
    finding(&mut organiser, "f1", false, 20, "org");
    // Laptop A merges the organiser's file, then saves the unit again unchanged: no history.
    let mut a = organiser.clone();
    a.path = PathBuf::from("a.db");
    field(&mut a, "第一室", 55, "ra");
    // Laptop B never had the organiser's change; it sets another unit at the same moment (the
    // value it replaces goes to its history) and merges A's file: A's version is merged away
    // into B's history, under A's replica.
    let mut b = handed_out.clone();
    b.path = PathBuf::from("b.db");
    let replaced = only_field(&b);
    b.put(h, replaced);
    field(&mut b, "第二室", 55, "rb");
    let mut b = plan(vec![b, a]).expect("B merges A").result;
    b.path = PathBuf::from("b.db");
    assert!(
        b.tables[h]
            .values()
            .any(|kept| kept.text(&TABLES[h], "value") == "第一室" && kept.text(&TABLES[h], "replica") == "ra"),
        "the organiser's value is kept under A's replica"
    );
    for inputs in [vec![b.clone(), organiser.clone()], vec![organiser, b]] {
        let p = plan(inputs);
        assert!(p.is_ok(), "{:?}", p.err());
    }
}
