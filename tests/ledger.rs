//! The rectification ledger through the real binary: sync, list filters, and every state
//! change allowed or refused, a refusal leaving the round file's records unchanged.

mod common;

use common::Env;
use pingcha::store::Store;
use std::path::Path;

fn canonical(path: &Path) -> String {
    let store = Store::open_read_only(path).expect("open");
    pingcha::export::json::canonical(&store).expect("dump")
}

/// The demo round with its ledger synced; returns the env, the file, and the listing.
fn synced() -> (Env, String, String) {
    let env = Env::new();
    let db = common::demo(env.dir.path()).display().to_string();
    let out = env.ok(&["ledger", "sync", "--db", &db, "--by", "督查员"]);
    assert!(out.starts_with("新增 20 条"), "{out}");
    let list = env.ok(&["ledger", "list", "--db", &db]);
    (env, db, list)
}

/// The entry ids of a listing (first column, after the header and the rule).
fn ids(list: &str) -> Vec<String> {
    list.lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect()
}

#[test]
fn sync_is_idempotent_and_list_filters_by_unit_and_state() {
    let (env, db, list) = synced();
    assert_eq!(ids(&list).len(), 20);
    let before = canonical(Path::new(&db));
    let again = env.ok(&["ledger", "sync", "--db", &db, "--by", "督查员"]);
    assert!(again.starts_with("新增 0 条"), "{again}");
    assert_eq!(canonical(Path::new(&db)), before, "a second sync changes nothing");

    let unit = env.ok(&["ledger", "list", "--db", &db, "--unit", "河西乡纪委"]);
    let rows: Vec<&str> = unit.lines().skip(2).collect();
    assert!(!rows.is_empty() && rows.len() < 20, "{unit}");
    assert!(rows.iter().all(|r| r.contains("河西乡纪委")), "{unit}");
    let pending = env.ok(&["ledger", "list", "--db", &db, "--state", "pending"]);
    assert_eq!(ids(&pending).len(), 20);
    let closed = env.ok(&["ledger", "list", "--db", &db, "--state", "已销号"]);
    assert!(closed.contains("没有符合条件"), "{closed}");
    let bad = env.fails(&["ledger", "list", "--db", &db, "--state", "完成"]);
    assert!(bad.contains("待整改、整改中、已整改待核、已销号"), "{bad}");
}

#[test]
fn overdue_means_a_past_deadline_and_not_closed() {
    let (env, db, list) = synced();
    let listed = ids(&list);
    let (late, done) = (&listed[0], &listed[1]);
    for id in [late, done] {
        env.ok(&[
            "ledger",
            "set",
            "--db",
            &db,
            id,
            "--by",
            "李华",
            "--deadline",
            "2026-03-31",
        ]);
    }
    for action in ["advance", "advance"] {
        env.ok(&["ledger", "set", "--db", &db, done, "--action", action, "--by", "李华"]);
    }
    env.ok(&[
        "ledger",
        "set",
        "--db",
        &db,
        done,
        "--action",
        "close",
        "--note",
        "已补正",
        "--by",
        "王核",
    ]);
    let on = |today: &str| env.ok(&["ledger", "list", "--db", &db, "--overdue", "--today", today]);
    let overdue = on("2026-04-01");
    assert_eq!(ids(&overdue), vec![late.clone()], "{overdue}");
    assert!(overdue.contains("逾期"));
    assert!(
        on("2026-03-31").contains("没有符合条件"),
        "the deadline day itself is not overdue"
    );
    let bad = env.fails(&["ledger", "list", "--db", &db, "--overdue", "--today", "2026-04-31"]);
    assert!(bad.contains("YYYY-MM-DD"), "{bad}");
}

#[test]
fn every_action_is_allowed_or_refused_as_the_process_says() {
    let (env, db, list) = synced();
    let id = ids(&list)[0].clone();
    let set = |action: &str, note: &str| -> std::process::Output {
        env.run(&[
            "ledger", "set", "--db", &db, &id, "--action", action, "--note", note, "--by", "李华",
        ])
    };
    let refuse = |action: &str, note: &str, says: &str| {
        let before = canonical(Path::new(&db));
        let out = set(action, note);
        assert_eq!(out.status.code(), Some(1), "{action} should be refused");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{action}: {err}");
        assert_eq!(canonical(Path::new(&db)), before, "a refused {action} changed the file");
    };
    let allow = |action: &str, note: &str, state: &str| {
        let out = set(action, note);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && stdout.contains(state), "{action}: {stdout}");
    };
    // 待整改
    refuse("return", "理由", "不能退回");
    refuse("close", "理由", "不能销号");
    allow("advance", "", "整改中");
    // 整改中
    refuse("return", "理由", "不能退回");
    refuse("close", "理由", "不能销号");
    allow("advance", "", "已整改待核");
    // 已整改待核
    refuse("advance", "", "不能推进");
    refuse("return", "", "必须说明理由");
    refuse("close", " ", "必须说明理由");
    allow("return", "回证仍缺签名", "整改中");
    allow("advance", "", "已整改待核");
    allow("close", "已补齐", "已销号");
    // 已销号
    for action in ["advance", "return", "close"] {
        refuse(action, "理由", "已销号的问题不能再改动状态");
    }
    let missing = env.fails(&["ledger", "set", "--db", &db, "ffffffff", "--by", "李华"]);
    assert!(missing.contains("ledger list"), "{missing}");
}
