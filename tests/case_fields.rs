//! Case fields are checked the same way everywhere: `case set` by the field's kind exactly as
//! `round new` checks a case list, by key or label, and against the date orders the rubric
//! declares (审结日期 not before 立案日期).

mod common;

use common::Env;

const CASE: &str = "〔2026〕纪审字第001号";

fn set(env: &Env, db: &str, field: &str, value: &str) -> std::process::Output {
    env.run(&[
        "case",
        "set",
        "--db",
        db,
        "--case",
        CASE,
        "--field",
        field,
        "--value",
        value,
        "--reviewer",
        "张明",
    ])
}

fn stderr(out: &std::process::Output) -> String {
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn field_of(db: &str, key: &str) -> String {
    let store = pingcha::store::Store::open_read_only(std::path::Path::new(db)).expect("open");
    store.require_case(CASE).expect("case").field(key).to_owned()
}

#[test]
fn case_set_checks_the_value_by_kind_and_keeps_vol_checks_meaningful() {
    let env = Env::new();
    let db = common::demo(env.dir.path()).display().to_string();
    let err = stderr(&set(&env, &db, "volumes", "abc"));
    assert!(
        err.contains("卷册数") && err.contains("abc") && err.contains("不是整数"),
        "{err}"
    );
    let err = stderr(&set(&env, &db, "立案日期", "2026-02-30"));
    assert!(err.contains("不是有效日期"), "{err}");
    let err = stderr(&set(&env, &db, "案件类型", "受贿"));
    assert!(err.contains("不在可选范围内") && err.contains("违纪"), "{err}");
    let err = stderr(&set(&env, &db, "nosuch", "x"));
    assert!(
        err.contains("nosuch") && err.contains("不是本评查标准的案件信息字段"),
        "{err}"
    );
    // The case still has 6 volumes: volume 99 is refused, volume 6 is fine.
    assert_eq!(field_of(&db, "volumes"), "6");
    let add = |vol: &str| {
        env.run(&[
            "finding",
            "add",
            "--db",
            &db,
            "--case",
            CASE,
            "--item",
            "sszj.sz",
            "--count",
            "1",
            "--note",
            "某页",
            "--vol",
            vol,
            "--reviewer",
            "张明",
        ])
    };
    let err = stderr(&add("99"));
    assert!(err.contains("99"), "{err}");
    assert!(add("6").status.success());
    // Values are normalised as a case list's are.
    assert!(set(&env, &db, "卷册数", "7册").status.success());
    assert_eq!(field_of(&db, "volumes"), "7");
}

#[test]
fn case_set_takes_the_label_as_well_as_the_key() {
    let env = Env::new();
    let db = common::demo(env.dir.path()).display().to_string();
    let out = set(&env, &db, "承办人", "王五");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("承办人"));
    assert_eq!(field_of(&db, "handler"), "王五");
    assert!(set(&env, &db, "handler", "赵六").status.success());
    assert_eq!(field_of(&db, "handler"), "赵六");
}

#[test]
fn a_closing_date_before_the_filing_date_is_refused_everywhere() {
    let env = Env::new();
    let db = common::demo(env.dir.path()).display().to_string();
    // The demo case was filed on 2026-01-08 and closed on 2026-05-20.
    let err = stderr(&set(&env, &db, "审结日期", "2026-01-07"));
    assert!(
        err.contains("审结日期") && err.contains("早于") && err.contains("立案日期"),
        "{err}"
    );
    let err = stderr(&set(&env, &db, "filed_on", "2026-06-01"));
    assert!(err.contains("2026-05-20"), "{err}");
    assert!(set(&env, &db, "审结日期", "2026-01-08").status.success());
    // round new refuses the same in a case list.
    let cases = env.path("cases.csv");
    let list = pingcha::demo::CASES.replacen("2026-01-08,2026-05-20", "2026-01-08,2025-05-20", 1);
    std::fs::write(&cases, list).expect("write");
    let out = env.run(&[
        "round",
        "new",
        "--rubric",
        &common::rubric("jjjc-lian.toml"),
        "--cases",
        &cases.display().to_string(),
        "--name",
        "x",
        "-o",
        &env.path("new.db").display().to_string(),
    ]);
    let err = stderr(&out);
    assert!(err.contains("第 2 行") && err.contains("早于"), "{err}");
    assert!(!env.path("new.db").exists());
}

#[test]
fn rubric_check_refuses_an_order_that_names_no_date_field() {
    let env = Env::new();
    let src = std::fs::read_to_string(common::rubric("jjjc-lian.toml")).expect("read");
    let bad = src.replacen("not_before = \"filed_on\"", "not_before = \"handler\"", 1);
    assert_ne!(bad, src);
    let path = env.path("bad.toml");
    std::fs::write(&path, bad).expect("write");
    let err = env.fails(&["rubric", "check", &path.display().to_string()]);
    assert!(err.contains("not_before") && err.contains("handler"), "{err}");
}
