//! Store tests against real SQLite files in temp dirs.

use super::*;
use crate::score::Quantity;

const RUBRIC: &str = include_str!("../../rubrics/fy-xingmin.toml");

fn who(machine: &str, reviewer: &str) -> Identity {
    Identity {
        machine_id: machine.into(),
        reviewer: reviewer.into(),
    }
}

fn new_round(dir: &Path) -> PathBuf {
    let path = dir.join("round.db");
    Store::create(&path, &who("m-organiser", "组织者"), |s| {
        s.init_round(
            &NewRound {
                name: "测试".into(),
                kind: crate::vocab::RoundKind::Routine,
                method: crate::vocab::Method::Cross,
                require_final: false,
            },
            RUBRIC,
        )?;
        s.add_cases(&[CaseRow {
            case_no: "（2026）民初1号".into(),
            fields: [
                ("case_no".into(), "（2026）民初1号".into()),
                ("volumes".into(), "2".into()),
            ]
            .into(),
        }])
    })
    .unwrap()
    .close()
    .unwrap();
    path
}

fn add(store: &mut Store, note: &str) -> FindingRecord {
    let case = store.require_case("(2026)民初1号").unwrap();
    let sheet = store.sheet(&case.id, Stage::Initial).unwrap();
    store
        .add_finding(
            &sheet,
            &NewFinding {
                node: "jzgd.blqm".into(),
                quantity: Quantity::Count(1),
                note: note.into(),
                volume: Some(1),
                page: Some(3),
                problem: None,
                repeat: crate::vocab::Repeat::No,
            },
        )
        .unwrap()
}

#[test]
fn a_newer_schema_is_refused_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_round(dir.path());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path, &who("m1", "张三")).err().unwrap();
    assert!(matches!(err, StoreError::NewerSchema { found: 99, .. }), "{err}");
    assert!(matches!(
        Store::open_read_only(&path),
        Err(StoreError::NewerSchema { .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn another_sqlite_file_is_refused_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    assert!(matches!(
        Store::open(&path, &who("m1", "张三")),
        Err(StoreError::NotPingcha(_))
    ));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(matches!(
        Store::open(&dir.path().join("missing.db"), &who("m1", "张三")),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn create_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_round(dir.path());
    let before = std::fs::read(&path).unwrap();
    let err = Store::create(&path, &who("m", "r"), |_| Ok(())).err().unwrap();
    assert!(
        matches!(err, StoreError::Output(crate::output::OutputError::IsDatabase(_))),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn round_files_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = new_round(dir.path());
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn copies_take_their_own_replica_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_round(dir.path());
    let copy = dir.path().join("laptop2.db");
    std::fs::copy(&path, &copy).unwrap();

    // Opening writes nothing: the replica id is recorded with the first write.
    let before = std::fs::read(&path).unwrap();
    Store::open(&path, &who("m1", "张三")).unwrap().close().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before, "opening wrote to the file");
    let mut a = Store::open(&path, &who("m1", "张三")).unwrap();
    a.add_reviewers(&[NewReviewer::named("张三")]).unwrap();
    let ra = a.replica_id().unwrap().to_owned();
    a.close().unwrap();
    let a_again = Store::open(&path, &who("m1", "张三")).unwrap();
    assert_eq!(
        a_again.replica_id(),
        Some(ra.as_str()),
        "same machine, reviewer and file: same replica"
    );
    a_again.close().unwrap();

    let other_reviewer = Store::open(&path, &who("m1", "李四")).unwrap();
    let other_machine = Store::open(&copy, &who("m2", "张三")).unwrap();
    let same_machine_copy = Store::open(&copy, &who("m1", "张三")).unwrap();
    let ids = [
        ra,
        other_reviewer.replica_id().unwrap().to_owned(),
        other_machine.replica_id().unwrap().to_owned(),
        same_machine_copy.replica_id().unwrap().to_owned(),
    ];
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), 4, "{ids:?}");
}

#[test]
fn the_clock_never_goes_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_round(dir.path());
    let far_future = Stamp::from_millis(clock::wall_millis() + 10 * 365 * 86_400_000);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE local_clock SET last = ?1", [far_future.0])
        .unwrap();
    let mut store = Store::open(&path, &who("m1", "张三")).unwrap();
    let first = add(&mut store, "一");
    let second = add(&mut store, "二");
    assert!(Stamp(first.hlc) > far_future);
    assert!(second.hlc > first.hlc);
    assert_eq!(store.last_stamp().unwrap(), Stamp(second.hlc));
}

#[test]
fn after_close_the_db_file_alone_holds_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_round(dir.path());
    let mut store = Store::open(&path, &who("m1", "张三")).unwrap();
    let f = add(&mut store, "笔录未签名");
    store.close().unwrap();
    let alone = dir.path().join("alone.db");
    std::fs::copy(&path, &alone).unwrap();
    let store = Store::open_read_only(&alone).unwrap();
    assert_eq!(store.finding(f.id.as_str()).unwrap().note, "笔录未签名");
}

#[test]
fn deletes_are_tombstones() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_round(dir.path());
    let mut store = Store::open(&path, &who("m1", "张三")).unwrap();
    let f = add(&mut store, "x");
    store.delete_finding(f.id.short()).unwrap();
    assert!(matches!(
        store.finding(f.id.as_str()),
        Err(StoreError::FindingNotFound(_))
    ));
    let dump = store.dump().unwrap();
    let findings = dump.iter().find(|t| t.name == "finding").unwrap();
    assert_eq!(findings.rows.len(), 1);
    assert_eq!(findings.rows[0]["deleted"], 1);
    assert!(findings.rows[0]["hlc"].as_i64().unwrap() > f.hlc);
}

#[test]
fn copies_of_one_round_agree_on_case_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_round(dir.path());
    let copy = dir.path().join("copy.db");
    std::fs::copy(&path, &copy).unwrap();
    let row = CaseRow {
        case_no: "(2026)民初2号".into(),
        fields: [("case_no".into(), "(2026)民初2号".into())].into(),
    };
    let mut a = Store::open(&path, &who("m1", "张三")).unwrap();
    let mut b = Store::open(&copy, &who("m2", "李四")).unwrap();
    a.add_cases(std::slice::from_ref(&row)).unwrap();
    b.add_cases(&[CaseRow {
        case_no: "（2026）民初２号".into(),
        ..row
    }])
    .unwrap();
    assert_eq!(
        a.require_case("(2026)民初2号").unwrap().id,
        b.require_case("(2026)民初2号").unwrap().id
    );
    assert!(matches!(
        a.add_cases(&[CaseRow {
            case_no: "(2026) 民初2号".into(),
            fields: Default::default(),
        }]),
        Err(StoreError::DuplicateCase(_))
    ));
}

#[test]
fn read_only_handles_cannot_write_and_do_not_touch_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_round(dir.path());
    let before = std::fs::read(&path).unwrap();
    let mut store = Store::open_read_only(&path).unwrap();
    let case = store.require_case("(2026)民初1号").unwrap();
    assert!(matches!(
        store.sheet(&case.id, Stage::Initial),
        Err(StoreError::ReadOnly)
    ));
    assert!(matches!(
        store.set_case_field(&case.id, "title", "x"),
        Err(StoreError::ReadOnly)
    ));
    store.close().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn sheets_name_the_rubric_they_were_scored_with() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_round(dir.path());
    let mut store = Store::open(&path, &who("m1", "张三")).unwrap();
    let case = store.require_case("(2026)民初1号").unwrap();
    let sheet = store.sheet(&case.id, Stage::Initial).unwrap();
    assert_eq!(sheet.rubric_hash, round::content_hash(RUBRIC));
    assert_eq!(store.rubric_by_hash(&sheet.rubric_hash).unwrap().id, "fy-xingmin");
}

#[test]
fn texts_beyond_the_limit_are_refused_by_every_writer_and_nothing_is_written() {
    use crate::text::{MAX_CHARS, TooLong, What};
    let dir = tempfile::tempdir().unwrap();
    let path = new_round(dir.path());
    let mut store = Store::open(&path, &who("m", "张三")).unwrap();
    let case = store.require_case("(2026)民初1号").unwrap();
    let sheet = store.sheet(&case.id, Stage::Initial).unwrap();
    let before = store.last_stamp().unwrap();
    let long = "长".repeat(MAX_CHARS + 1);
    let too_long = |what| {
        StoreError::TooLong(TooLong {
            what,
            chars: MAX_CHARS + 1,
        })
    };
    let finding = NewFinding {
        node: "jzgd.blqm".into(),
        quantity: Quantity::Count(1),
        note: long.clone(),
        volume: None,
        page: None,
        problem: None,
        repeat: crate::vocab::Repeat::No,
    };
    let e = store.add_finding(&sheet, &finding).unwrap_err();
    assert_eq!(e.to_string(), too_long(What::Note).to_string());
    let e = store
        .set_mark(&sheet.id, "", MarkKind::Pending, true, &long)
        .unwrap_err();
    assert_eq!(e.to_string(), too_long(What::Note).to_string());
    let e = store.set_case_field(&case.id, "volumes", &long).unwrap_err();
    assert_eq!(e.to_string(), too_long(What::Field("volumes".into())).to_string());
    assert_eq!(store.last_stamp().unwrap(), before, "nothing was written");
    assert!(store.findings(&sheet.id).unwrap().is_empty());
}

#[test]
fn the_round_read_and_the_per_sheet_reads_agree() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_round(dir.path());
    let mut store = Store::open(&path, &who("m1", "张三")).unwrap();
    let kept = add(&mut store, "笔录未签名");
    let gone = add(&mut store, "卷宗缺页");
    add(&mut store, "送达回证缺失");
    store.delete_finding(gone.id.as_str()).unwrap();
    let case = store.require_case("(2026)民初1号").unwrap();
    let sheet = store.sheet_by_id(&kept.sheet_id).unwrap().unwrap();
    store
        .set_mark(&sheet.id, "", MarkKind::Pending, true, "组内讨论")
        .unwrap();
    store.set_mark(&sheet.id, "", MarkKind::Done, true, "").unwrap();
    let decision = crate::score::Decision {
        grade: store.rubric().unwrap().grades[0].name.clone(),
        reason: "讨论".into(),
        decider: "评查组".into(),
    };
    store.decide(&sheet, &decision).unwrap();
    for recorded in [store.recorded().unwrap(), store.recorded_case(&case.id).unwrap()] {
        assert_eq!(recorded.round(), &store.round().unwrap());
        assert_eq!(
            recorded.sheets_of_case(&case.id),
            store.sheets_of_case(&case.id).unwrap()
        );
        assert_eq!(recorded.findings(&sheet.id), store.findings(&sheet.id).unwrap());
        assert_eq!(recorded.findings(&sheet.id).len(), 2, "the deleted finding is left out");
        for kind in [MarkKind::NotApplicable, MarkKind::Pending, MarkKind::Done] {
            let marked: Vec<&str> = recorded.marked(&sheet.id, kind).collect();
            assert_eq!(marked, store.marked(&sheet.id, kind).unwrap());
        }
        assert_eq!(recorded.decision(&sheet.id), Some(&decision));
        assert_eq!(recorded.sheet_input(&sheet.id), store.sheet_input(&sheet.id).unwrap());
        assert_eq!(recorded.standing(&case.id), store.standing(&case.id).unwrap());
        assert_eq!(
            store.score_recorded(&recorded, &sheet).unwrap(),
            store.score(&sheet).unwrap()
        );
    }
}
