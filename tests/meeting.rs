//! Meeting tools through the real binary: `disagreements` leaves settled cases out, `pending`
//! lists the 待议 marks, `final --agreed` settles exactly the cases whose reviewers agree, and
//! `ledger set` over a selection changes every selected entry in one transaction.

mod common;

use common::sha256 as sha;
use common::{Env, court_round};
use pingcha::store::{Standing, Store};
use std::path::Path;

/// Runs a command that must be refused and checks the file is byte-identical after it.
fn refused(env: &Env, db: &str, args: &[&str]) -> String {
    let before = sha(db);
    let out = env.run(args);
    assert!(!out.status.success(), "pingcha {args:?} should be refused");
    assert_eq!(sha(db), before, "pingcha {args:?} was refused but changed the file");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn add(env: &Env, db: &str, case: &str, who: &str, count: &str, note: &str) {
    env.ok(&[
        "finding",
        "add",
        "--db",
        db,
        "--case",
        case,
        "--reviewer",
        who,
        "--item",
        "cpws.cl",
        "--count",
        count,
        "--note",
        note,
    ]);
}

/// Cases A (张三 and 李四 record the same problem, in different words), B (they differ: one
/// deduction against two) and C (张三 only, settled as the only reviewer's).
fn round(env: &Env) -> String {
    let db = court_round(env, &[("A", 3), ("B", 3), ("C", 3)], &[]);
    add(env, &db, "A", "张三", "1", "判决书说理不充分");
    add(env, &db, "A", "李四", "1", "说理欠缺");
    add(env, &db, "B", "张三", "1", "说理不充分");
    add(env, &db, "B", "李四", "2", "说理不充分，两处");
    add(env, &db, "C", "张三", "1", "说理不充分");
    db
}

fn standing(db: &str, case_no: &str) -> Standing {
    let store = Store::open_read_only(Path::new(db)).unwrap();
    let case = store.require_case(case_no).unwrap();
    store.standing(&case.id).unwrap()
}

#[test]
fn disagreements_leave_settled_cases_out() {
    let env = Env::new();
    let db = round(&env);
    let before = env.ok(&["disagreements", "--db", &db]);
    assert!(before.lines().any(|l| l.starts_with("B ")), "{before}");
    env.ok(&[
        "final",
        "--db",
        &db,
        "--case",
        "B",
        "--from",
        "李四",
        "--reviewer",
        "组长",
    ]);
    assert!(matches!(standing(&db, "B"), Standing::Settled { .. }));
    let after = env.ok(&["disagreements", "--db", &db]);
    assert!(
        !after.lines().any(|l| l.starts_with("B ")),
        "a settled case is still listed:\n{after}"
    );
    assert!(after.contains("已定稿的案件不列出"), "{after}");
}

#[test]
fn pending_lists_notes_and_authors_by_case() {
    let env = Env::new();
    let db = round(&env);
    assert!(env.ok(&["pending", "--db", &db]).contains("没有标为待议的事项"));
    env.ok(&[
        "mark",
        "--db",
        &db,
        "--case",
        "B",
        "--item",
        "cpws.cl",
        "--pending",
        "--note",
        "扣一次还是两次需讨论",
        "--reviewer",
        "李四",
    ]);
    env.ok(&[
        "mark",
        "--db",
        &db,
        "--case",
        "A",
        "--pending",
        "--note",
        "整案送达存疑",
        "--reviewer",
        "张三",
    ]);
    let out = env.ok(&["pending", "--db", &db]);
    let lines: Vec<&str> = out.lines().collect();
    let a = lines.iter().position(|l| l.contains("整案送达存疑")).expect(&out);
    let b = lines
        .iter()
        .position(|l| l.contains("扣一次还是两次需讨论"))
        .expect(&out);
    assert!(a < b, "by case-list order:\n{out}");
    assert!(
        lines[a].starts_with("A ") && lines[a].contains("张三（初评）") && lines[a].contains("（整案）"),
        "{out}"
    );
    assert!(
        lines[b].starts_with("B ") && lines[b].contains("李四（初评）") && lines[b].contains("cpws.cl"),
        "{out}"
    );
    assert!(out.contains("待议 2 处，涉及 2 件"), "{out}");
}

#[test]
fn final_agreed_settles_exactly_the_identical_cases_and_refuses_when_none() {
    let env = Env::new();
    let db = round(&env);
    assert!(matches!(standing(&db, "A"), Standing::Unsettled { .. }));
    let out = env.ok(&["final", "--db", &db, "--agreed", "--reviewer", "组长"]);
    assert!(out.contains("已定稿 1 件"), "{out}");
    let listed: Vec<&str> = out
        .lines()
        .skip(3)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(listed, ["A"], "{out}");
    match standing(&db, "A") {
        Standing::Settled { sheet, .. } => assert_eq!(sheet.stage.name(), "终评"),
        other => panic!("A is not settled: {other:?}"),
    }
    assert!(
        matches!(standing(&db, "B"), Standing::Unsettled { .. }),
        "B's sheets differ"
    );
    // Nothing left to settle: refused, and the file is untouched.
    let err = refused(&env, &db, &["final", "--db", &db, "--agreed", "--reviewer", "组长"]);
    assert!(err.contains("没有各评查人评查表一致的未定稿案件"), "{err}");
}

#[test]
fn final_agreed_is_all_or_none_a_failure_on_the_second_case_leaves_the_file_byte_identical() {
    let env = Env::new();
    let db = court_round(&env, &[("A", 3), ("B", 3), ("D", 3)], &[]);
    for case in ["A", "D"] {
        add(&env, &db, case, "张三", "1", "判决书说理不充分");
        add(&env, &db, case, "李四", "1", "说理欠缺");
    }
    // The second 终评 sheet cannot be written (as if the disk failed half way).
    let fail = "CREATE TRIGGER fail_second BEFORE INSERT ON sheet
                WHEN NEW.stage = '终评' AND (SELECT COUNT(*) FROM sheet WHERE stage = '终评') >= 1
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END;";
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(fail).unwrap();
    drop(conn);
    let err = refused(&env, &db, &["final", "--db", &db, "--agreed", "--reviewer", "组长"]);
    assert!(err.contains("injected failure"), "{err}");
    for case in ["A", "D"] {
        assert!(
            matches!(standing(&db, case), Standing::Unsettled { .. }),
            "{case} was settled by a refused command"
        );
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER fail_second").unwrap();
    drop(conn);
    let out = env.ok(&["final", "--db", &db, "--agreed", "--reviewer", "组长"]);
    assert!(out.contains("已定稿 2 件"), "{out}");
    for case in ["A", "D"] {
        assert!(matches!(standing(&db, case), Standing::Settled { .. }), "{case}: {out}");
    }
}

/// The demo round with its ledger synced.
fn ledger_round(env: &Env) -> String {
    let db = common::demo(env.dir.path()).display().to_string();
    env.ok(&["ledger", "sync", "--db", &db, "--by", "督查员"]);
    db
}

fn listed(env: &Env, db: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["ledger", "list", "--db", db, "--json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&env.ok(&args)).expect("ledger list --json parses")
}

#[test]
fn ledger_list_json_parses_and_set_over_a_unit_changes_them_all_at_once() {
    let env = Env::new();
    let db = ledger_round(&env);
    let all = listed(&env, &db, &[]);
    assert_eq!(all.len(), 14);
    let unit = "河西乡纪委";
    let of_unit = all.iter().filter(|e| e["unit"] == unit).count();
    assert!(of_unit > 0 && of_unit < all.len());
    assert!(
        all.iter()
            .all(|e| e["state"] == "待整改" && e["case_no"].is_string() && e["deadline"].is_null())
    );

    // Refusals write nothing: a 销号 without a note, and a selection of no entry.
    let err = refused(
        &env,
        &db,
        &[
            "ledger",
            "set",
            "--db",
            &db,
            "--unit",
            unit,
            "--action",
            "close",
            "--by",
            "督查员",
        ],
    );
    assert!(err.contains("销号"), "{err}");
    let err = refused(
        &env,
        &db,
        &[
            "ledger",
            "set",
            "--db",
            &db,
            "--unit",
            "无此单位",
            "--deadline",
            "2026-05-01",
            "--by",
            "x",
        ],
    );
    assert!(err.contains("没有符合条件"), "{err}");
    let err = refused(
        &env,
        &db,
        &["ledger", "set", "--db", &db, "--deadline", "2026-05-01", "--by", "x"],
    );
    assert!(!err.is_empty(), "neither an id nor a selection");

    let out = env.ok(&[
        "ledger",
        "set",
        "--db",
        &db,
        "--unit",
        unit,
        "--deadline",
        "2026-05-01",
        "--by",
        "督查员",
    ]);
    assert!(out.starts_with(&format!("已改动 {of_unit} 条")), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.contains("期限 无 → 2026-05-01")).count(),
        of_unit,
        "{out}"
    );
    let after = listed(&env, &db, &[]);
    for e in &after {
        let expected = if e["unit"] == unit {
            serde_json::json!("2026-05-01")
        } else {
            serde_json::Value::Null
        };
        assert_eq!(e["deadline"], expected, "{e}");
    }
    // One transaction: every changed entry carries the same stamp.
    let stamps: std::collections::BTreeSet<String> = after
        .iter()
        .filter(|e| e["unit"] == unit)
        .map(|e| e["hlc"].to_string())
        .collect();
    assert_eq!(stamps.len(), 1, "{stamps:?}");
    // Again: nothing to change, said so.
    let again = env.ok(&[
        "ledger",
        "set",
        "--db",
        &db,
        "--unit",
        unit,
        "--deadline",
        "2026-05-01",
        "--by",
        "督查员",
    ]);
    assert!(
        again.starts_with(&format!("已改动 0 条（另有 {of_unit} 条本已如此")),
        "{again}"
    );

    // --state and --all select too; --case one case's entries.
    let case_no = after[0]["case_no"].as_str().unwrap().to_owned();
    let of_case = after.iter().filter(|e| e["case_no"] == case_no.as_str()).count();
    let out = env.ok(&[
        "ledger",
        "set",
        "--db",
        &db,
        "--case",
        &case_no,
        "--action",
        "advance",
        "--by",
        "督查员",
    ]);
    assert!(out.starts_with(&format!("已改动 {of_case} 条")), "{out}");
    assert_eq!(listed(&env, &db, &["--state", "整改中"]).len(), of_case);
    let out = env.ok(&[
        "ledger",
        "set",
        "--db",
        &db,
        "--all",
        "--deadline",
        "2026-06-30",
        "--by",
        "督查员",
    ]);
    assert!(out.starts_with("已改动 14 条"), "{out}");
}

/// Two laptops (张明's and 李华's copies of one round) each score case 1 and set its 承办人.
fn two_laptops(env: &Env) -> (String, String) {
    let round = env.path("round.db").display().to_string();
    env.ok(&[
        "round",
        "new",
        "--rubric",
        &common::rubric("jjjc-lian.toml"),
        "--cases",
        concat!(env!("CARGO_MANIFEST_DIR"), "/rubrics/demo-cases.csv"),
        "--name",
        "2026年交叉评查",
        "-o",
        &round,
    ]);
    let mut files = Vec::new();
    for (who, handler) in [("张明", "吴敏"), ("李华", "吴敏、周强")] {
        let file = env.path(&format!("{who}.db")).display().to_string();
        std::fs::copy(&round, &file).unwrap();
        env.ok(&[
            "finding",
            "add",
            "--db",
            &file,
            "--case",
            "〔2026〕纪审字第001号",
            "--item",
            "sszj.sfcl",
            "--count",
            "1",
            "--note",
            "缺任职文件",
            "--reviewer",
            who,
        ]);
        env.ok(&[
            "case",
            "set",
            "--db",
            &file,
            "--case",
            "〔2026〕纪审字第001号",
            "--field",
            "handler",
            "--value",
            handler,
            "--reviewer",
            who,
        ]);
        files.push(file);
    }
    (files.remove(0), files.remove(0))
}

#[test]
fn a_merge_conflict_names_the_field_label_and_the_reviewers() {
    let env = Env::new();
    let (a, b) = two_laptops(&env);
    let ab = env.path("ab.db").display().to_string();
    let out = env.ok(&["merge", &a, &b, "-o", &ab]);
    let line = out.lines().find(|l| l.contains("两处改为不同的值")).expect(&out);
    assert!(line.contains("的承办人："), "{line}");
    assert!(!line.contains("handler") && !line.contains("副本"), "{line}");
    assert!(line.contains("张明的笔记本") && line.contains("李华的笔记本"), "{line}");
    // The file keeps them: `conflicts` lists the field by label, both values and who wrote each.
    let listed = env.ok(&["conflicts", "--db", &ab]);
    let row = listed
        .lines()
        .find(|l| l.starts_with("〔2026〕纪审字第001号"))
        .expect(&listed);
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[1], "承办人", "{listed}");
    let (kept, lost) = if cells[2] == "吴敏" {
        ("吴敏", "吴敏、周强")
    } else {
        ("吴敏、周强", "吴敏")
    };
    let by = |v: &str| if v == "吴敏" { "张明" } else { "李华" };
    assert_eq!(&cells[2..], [kept, by(kept), lost, by(lost)], "{listed}");
    assert!(listed.contains("共 1 处"), "{listed}");
    assert!(env.ok(&["conflicts", "--db", &a]).contains("没有记录冲突"));
    let en = env.ok(&[
        "--lang",
        "en",
        "merge",
        &b,
        &a,
        "-o",
        &env.path("ba.db").display().to_string(),
    ]);
    assert!(
        en.contains("承办人") && en.contains("张明's laptop") && en.contains("李华's laptop"),
        "{en}"
    );
}

#[test]
fn a_misspelled_volumes_header_is_refused_with_the_suggestion() {
    let env = Env::new();
    let cases = env.path("cases.csv");
    std::fs::write(
        &cases,
        "案号,案由,案件类型,办案部门,主审法官,结案日期,卷册数（册）\nA,合同纠纷,民事,民一庭,法官甲,2026-03-01,3\n",
    )
    .unwrap();
    let db = env.path("round.db");
    let err = env.fails(&[
        "round",
        "new",
        "--rubric",
        &common::rubric("fy-xingmin.toml"),
        "--cases",
        &cases.display().to_string(),
        "--name",
        "测试轮次",
        "-o",
        &db.display().to_string(),
    ]);
    assert!(
        err.contains("无法识别列名「卷册数（册）」：您是否指「卷册数」？"),
        "{err}"
    );
    assert!(!db.exists(), "a refused round new writes nothing");
    // Spelled right, the same list is taken.
    std::fs::write(
        &cases,
        std::fs::read_to_string(&cases)
            .unwrap()
            .replace("卷册数（册）", "卷册数"),
    )
    .unwrap();
    env.ok(&[
        "round",
        "new",
        "--rubric",
        &common::rubric("fy-xingmin.toml"),
        "--cases",
        &cases.display().to_string(),
        "--name",
        "测试轮次",
        "-o",
        &db.display().to_string(),
    ]);
}

#[test]
fn a_title_row_above_the_header_is_accepted_and_rows_keep_their_numbers() {
    let env = Env::new();
    let cases = env.path("cases.csv");
    let header = "案号,案由,案件类型,办案部门,主审法官,结案日期,卷册数";
    std::fs::write(
        &cases,
        format!("2026年案件质量评查案件清单,,,,,,\n{header}\nA,合同纠纷,民事,民一庭,法官甲,2026-03-01,3\nB,合同纠纷,民事,民一庭,法官乙,2026-13-01,2\n"),
    )
    .unwrap();
    let db = env.path("round.db").display().to_string();
    let args = |cases: &str| {
        [
            "round",
            "new",
            "--rubric",
            &common::rubric("fy-xingmin.toml"),
            "--cases",
            cases,
            "--name",
            "测试轮次",
            "-o",
            &db,
        ]
        .map(String::from)
    };
    let c = cases.display().to_string();
    let bad = args(&c);
    let err = env.fails(&bad.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        err.contains("第 4 行"),
        "the bad date is reported at the row the spreadsheet shows:\n{err}"
    );
    std::fs::write(
        &cases,
        std::fs::read_to_string(&cases)
            .unwrap()
            .replace("2026-13-01", "2026-03-02"),
    )
    .unwrap();
    let ok = args(&c);
    env.ok(&ok.iter().map(String::as_str).collect::<Vec<_>>());
    let list = env.ok(&["case", "list", "--db", &db]);
    assert!(
        list.contains("A") && list.contains("B") && !list.contains("案件清单"),
        "{list}"
    );
}
