//! Round trip through the real binary: a round from a CSV, 30 findings through the CLI, and
//! the score JSON checked against totals and grades computed by hand from the court rubric.

mod common;

use common::{Env, court_cases, court_round, rubric};
use serde_json::Value;

/// (case, reviewer, item, --count or --amount or "", vol, page)
const FINDINGS: &[(&str, &str, &str, &str, u32, u32)] = &[
    // Case A, 张三: 13 deducted → 87 合格.
    ("A", "张三", "cpws.cl", "--count=1", 1, 12), // 3
    ("A", "张三", "cpws.cl", "--count=1", 1, 15), // +3 → capped at 5 (每处扣3分 on 5 points)
    ("A", "张三", "cxyx.sd", "--count=2", 2, 3),  // 2
    ("A", "张三", "cxyx.sd", "--count=2", 2, 9),  // +2 → capped at 3
    ("A", "张三", "stcl.ss", "--amount=2.5", 1, 40),
    ("A", "张三", "jzgd.blqm", "--count=3", 3, 2), // 1.5
    ("A", "张三", "lacx.gz", "", 1, 1),            // 1
    // Case B: veto with a high score → 99 but 不合格.
    ("B", "张三", "fj.hb", "", 1, 5),
    ("B", "张三", "jzgd.zd", "--count=1", 1, 1),
    // Case C: exactly 90 → 优秀 (inclusive band).
    ("C", "张三", "stcl.ss", "--amount=6", 1, 20),
    ("C", "张三", "cpws.sl", "--amount=2", 1, 30),
    ("C", "张三", "jzgd.qx", "", 1, 31),
    // Case D: 31 deducted → 69 合格.
    ("D", "张三", "stcl.fl", "--count=1", 1, 10), // 2
    ("D", "张三", "stcl.fl", "--count=2", 1, 11), // +4 → 6 (cap 6)
    ("D", "张三", "stcl.pj", "--count=1", 1, 12), // 2
    ("D", "张三", "stcl.qt", "--amount=3.5", 1, 13),
    ("D", "张三", "cxyx.zz", "", 1, 14),          // 5
    ("D", "张三", "cxyx.bg", "--count=1", 1, 15), // 1
    ("D", "张三", "cxyx.zj", "--count=2", 1, 16), // 2
    ("D", "张三", "cxyx.qt", "--amount=1.5", 1, 17),
    ("D", "张三", "cpws.gs", "", 1, 18),            // 1
    ("D", "张三", "cpws.dsr", "", 1, 19),           // 1
    ("D", "张三", "jzgd.blgs", "--count=1", 1, 20), // 1
    ("D", "张三", "jzgd.dzjz", "--count=4", 1, 21), // 4 → capped at 3
    ("D", "张三", "lacx.qx", "", 1, 22),            // 1
    ("D", "张三", "jzgd.py", "", 1, 23),            // 3
    // Case A again, 李四 (cross review): 10.5 deducted → 89.5 合格, just below 优秀.
    ("A", "李四", "cpws.cl", "--count=2", 1, 12), // 6 → capped at 5
    ("A", "李四", "cpws.sl", "--amount=0.5", 1, 13),
    ("A", "李四", "jzgd.blqm", "--count=9", 3, 2), // 4.5 → capped at 4
    ("A", "李四", "lacx.sl", "", 1, 1),            // 1
];

#[test]
fn thirty_findings_through_the_cli_score_as_computed_by_hand() {
    let env = Env::new();
    let cases = court_cases(&env, &[("A", 3), ("B", 1), ("C", 2), ("D", 5)]);
    let db = env.path("round.db").display().to_string();
    let out = env.ok(&[
        "round",
        "new",
        "--rubric",
        &rubric("fy-xingmin.toml"),
        "--cases",
        &cases,
        "--name",
        "测试轮次",
        "-o",
        &db,
    ]);
    assert!(out.contains("4 件案件"), "{out}");

    assert_eq!(FINDINGS.len(), 30);
    for (case, reviewer, item, qty, vol, page) in FINDINGS {
        let (vol, page) = (vol.to_string(), page.to_string());
        let note = format!("{item} 第{page}页存在问题");
        let mut args = vec![
            "finding",
            "add",
            "--db",
            &db,
            "--case",
            case,
            "--item",
            item,
            "--note",
            &note,
            "--vol",
            &vol,
            "--page",
            &page,
            "--reviewer",
            reviewer,
        ];
        if !qty.is_empty() {
            args.push(qty);
        }
        env.ok(&args);
    }

    let json: Value = serde_json::from_str(&env.ok(&["score", "--db", &db, "--json"])).unwrap();
    let got: Vec<(String, String, f64, String)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["case_no"].as_str().unwrap().to_owned(),
                s["reviewer"].as_str().unwrap().to_owned(),
                s["score"]["total"].as_f64().unwrap(),
                s["score"]["grade"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expect = |c: &str, r: &str, t: f64, g: &str| (c.to_owned(), r.to_owned(), t, g.to_owned());
    assert_eq!(
        got,
        vec![
            expect("A", "张三", 87.0, "合格"),
            expect("A", "李四", 89.5, "合格"),
            expect("B", "张三", 99.0, "不合格"),
            expect("C", "张三", 90.0, "优秀"),
            expect("D", "张三", 69.0, "合格"),
        ]
    );
    // Raw occurrences are kept beside the capped deduction.
    let a = &json[0]["score"]["categories"];
    let cl = a
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["items"].as_array().unwrap())
        .find(|i| i["id"] == "cpws.cl")
        .unwrap();
    assert_eq!(
        (
            cl["occurrences"].as_i64(),
            cl["raw_deduction"].as_f64(),
            cl["deduction"].as_f64()
        ),
        (Some(2), Some(6.0), Some(5.0))
    );
    // The veto is named as the reason for case B's grade.
    let reasons = json[2]["score"]["reasons"].as_array().unwrap();
    assert!(reasons.iter().any(|r| r["kind"] == "veto" && r["node"] == "fj.hb"));

    // The text view of one case lines up and shows the basis of the grade.
    let text = env.ok(&["score", "--db", &db, "--case", "B"]);
    assert!(text.contains("一票否决：审判组织严重违反回避规定"), "{text}");
    let list = env.ok(&["finding", "list", "--db", &db, "--case", "D"]);
    assert_eq!(list.lines().count(), 2 + 14, "{list}");
}

#[test]
fn bad_findings_are_refused_with_reasons_and_nothing_is_saved() {
    let env = Env::new();
    let db = court_round(&env, &[("A", 3)], &[]);
    let add = |extra: &[&str]| {
        let mut args = vec!["finding", "add", "--db", &db, "--case", "A", "--reviewer", "张三"];
        args.extend_from_slice(extra);
        env.fails(&args)
    };
    assert!(add(&["--item", "cpws.cl", "--count", "1"]).contains("需填写具体扣分原因"));
    assert!(
        add(&["--item", "cpws.cl", "--count", "1", "--note", "x", "--vol", "4"])
            .contains("第 4 卷超出本案卷册数（共 3 卷）")
    );
    assert!(add(&["--item", "stcl.ss", "--amount", "0.5", "--note", "x"]).contains("1 至 6"));
    assert!(add(&["--item", "nope", "--note", "x"]).contains("没有可打分的项目"));
    assert!(add(&["--item", "cpws.cl", "--note", "x", "--problem", "NOPE"]).contains("NOPE"));
    let stderr = env.fails(&[
        "finding",
        "add",
        "--db",
        &db,
        "--case",
        "Z",
        "--item",
        "cpws.cl",
        "--note",
        "x",
        "--reviewer",
        "张三",
    ]);
    assert!(stderr.contains("没有案号为「Z」"), "{stderr}");
    let en = env.fails(&[
        "--lang",
        "en",
        "finding",
        "add",
        "--db",
        &db,
        "--case",
        "A",
        "--item",
        "cpws.cl",
        "--reviewer",
        "张三",
    ]);
    assert!(en.contains("needs a note"), "{en}");
    let list = env.ok(&["finding", "list", "--db", &db]);
    assert_eq!(list.lines().count(), 2, "only the header: {list}");
}

#[test]
fn case_list_errors_name_rows_and_import_nothing() {
    let env = Env::new();
    let csv = env.path("bad.csv");
    std::fs::write(
        &csv,
        "案号,案由,案件类型,主审法官,结案日期,卷册数\nA,纠纷,民事,甲,2026-02-30,2\nB,纠纷,军事,乙,2026-01-01,2\nA,纠纷,民事,丙,2026-01-01,二\n",
    )
    .unwrap();
    let db = env.path("round.db");
    let err = env.fails(&[
        "round",
        "new",
        "--rubric",
        &rubric("fy-xingmin.toml"),
        "--cases",
        &csv.display().to_string(),
        "--name",
        "t",
        "-o",
        &db.display().to_string(),
    ]);
    for expected in [
        "第 2 行：「结案日期」",
        "第 3 行：「案件类型」的值「军事」",
        "第 4 行：「卷册数」",
        "第 4 行：案号「A」与第 2 行重复",
    ] {
        assert!(err.contains(expected), "missing {expected} in:\n{err}");
    }
    assert!(!db.exists(), "nothing half-imported");
    assert_eq!(
        std::fs::read_dir(env.dir.path()).unwrap().count(),
        1,
        "no temp files left behind"
    );
}

#[test]
fn rubric_check_passes_shipped_rubrics_and_points_at_line_and_column() {
    let env = Env::new();
    let out = env.ok(&[
        "rubric",
        "check",
        &rubric("jjjc-lian.toml"),
        &rubric("jcy-2026.toml"),
        &rubric("fy-xingmin.toml"),
    ]);
    assert_eq!(out.matches("通过").count(), 3, "{out}");

    let broken = std::fs::read_to_string(rubric("fy-xingmin.toml"))
        .unwrap()
        .replacen(
            "rule = { kind = \"per_occurrence\", amount = 3 }",
            "rule = { kind = \"per_occurence\", amount = 3 }",
            1,
        )
        .replacen("id = \"lacx.gz\"", "id = \"lacx.sl\"", 1);
    let path = env.path("broken.toml");
    std::fs::write(&path, &broken).unwrap();
    let line_of = |needle: &str| broken.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let err = env.fails(&["rubric", "check", &path.display().to_string()]);
    let dup_line = broken
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("id = \"lacx.sl\""))
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert!(
        err.contains(&format!("broken.toml:{dup_line}:6: 编号 `lacx.sl` 重复")),
        "{err}"
    );
    assert!(
        err.contains(&format!("broken.toml:{}:", line_of("per_occurence"))),
        "{err}"
    );
    assert!(err.contains("未知的规则类型 `per_occurence`"), "{err}");
    let en = env.fails(&["--lang", "en", "rubric", "check", &path.display().to_string()]);
    assert!(en.contains("unknown rule kind `per_occurence`"), "{en}");

    let unknown_key = "[rubric]\nid = \"x\"\nname = \"x\"\nversion = \"1\"\ntotal = 100\ncolour = \"red\"\n";
    std::fs::write(&path, unknown_key).unwrap();
    let err = env.fails(&["rubric", "check", &path.display().to_string()]);
    assert!(err.contains("broken.toml:6:1: 未知的键 `colour`"), "{err}");
}

#[test]
fn a_foreign_file_is_refused_and_left_untouched() {
    let env = Env::new();
    let path = env.path("notes.db");
    std::fs::write(&path, "这不是数据库").unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = env.fails(&["score", "--db", &path.display().to_string()]);
    assert!(err.contains("不是 pingcha 评查文件"), "{err}");
    let err = env.fails(&[
        "finding",
        "add",
        "--db",
        &path.display().to_string(),
        "--case",
        "A",
        "--item",
        "x",
        "--note",
        "n",
        "--reviewer",
        "r",
    ]);
    assert!(err.contains("不是 pingcha 评查文件"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn demo_creates_a_round_in_the_data_dir() {
    let env = Env::new();
    let out = env.ok(&["demo"]);
    let db = env.path("data").join("demo.db");
    assert!(out.contains(&db.display().to_string()), "{out}");
    let scores = env.ok(&["score", "--db", &db.display().to_string()]);
    assert!(scores.contains("〔2026〕纪审字第001号"), "{scores}");
    let again = env.ok(&["demo"]);
    assert_eq!(out, again, "a second run reuses the demo round");
}

#[test]
fn marks_and_round_overview() {
    let env = Env::new();
    let db = court_round(&env, &[("A", 3)], &["--reviewers", "张三，李四"]);
    let w = ["--reviewer", "张三"];
    let add = |item: &str| {
        let mut args = vec![
            "finding",
            "add",
            "--db",
            &db,
            "--case",
            "A",
            "--item",
            item,
            "--note",
            "未采取保全却有保全裁定",
        ];
        args.extend_from_slice(&w);
        env.ok(&args)
    };
    assert!(add("lacx.bq").contains("现得分 99"));
    let mark = |extra: &[&'static str]| -> Vec<String> {
        let mut args = vec!["mark", "--db", &db, "--case", "A"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&w);
        args.into_iter().map(String::from).collect()
    };
    fn strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    // 不适用 under full_marks: the item counts in full, its findings no longer deduct (which
    // needs --force: the item has a finding).
    assert!(
        env.ok(&strs(&mark(&["--item", "lacx.bq", "--na", "--force"])))
            .contains("现得分 100")
    );
    assert!(
        env.ok(&strs(&mark(&["--item", "lacx.bq", "--na", "--off"])))
            .contains("现得分 99")
    );
    // 待议 changes no score.
    assert!(
        env.ok(&strs(&mark(&["--pending", "--note", "送达问题需集体讨论"])))
            .contains("现得分 99")
    );
    assert!(
        env.fails(&strs(&mark(&["--item", "nope", "--na"])))
            .contains("没有编号为 `nope`")
    );

    let show = env.ok(&["round", "show", "--db", &db]);
    for expected in ["测试轮次", "fy-xingmin", "1 / 1 件已开始评查", "张三、李四"] {
        assert!(show.contains(expected), "missing {expected}:\n{show}");
    }
}

#[test]
fn command_line_mistakes_are_explained_in_chinese_with_exit_code_2() {
    let env = Env::new();
    let out = env.run(&["finding", "add", "--db", "x.db"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("错误：缺少必填参数：--case"), "{err}");
    let out = env.run(&["round", "new", "--kind", "周期"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("参数 --kind <KIND> 的值「周期」无效，可用：日常、全面、专项"),
        "{err}"
    );
    let out = env.run(&["--lang", "en", "finding", "add", "--db", "x.db"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("error: the following required arguments"), "{err}");
}

#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_an_error_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let half_a_character = std::ffi::OsStr::from_bytes(b"x\xe4\xb8");
    let out = env
        .cmd()
        .args(["finding", "add", "--db"])
        .arg(half_a_character)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[cfg(unix)]
#[test]
fn output_to_a_reader_that_went_away_ends_quietly_not_in_a_panic() {
    use std::os::unix::process::ExitStatusExt;
    let env = Env::new();
    env.ok(&["demo", "--dir", env.path("d").to_str().unwrap()]);
    let db = env.path("d").join("demo.db");
    env.ok(&["ledger", "sync", "--db", db.to_str().unwrap(), "--by", "督查员"]);
    // `pingcha ledger list | head -0`: the reader is gone before the first line is written.
    let mut child = env
        .cmd()
        .args(["ledger", "list", "--db", db.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    const SIGPIPE: i32 = 13;
    assert!(
        out.status.success() || out.status.signal() == Some(SIGPIPE),
        "{:?}",
        out.status
    );
}

#[cfg(windows)]
#[test]
fn output_to_a_reader_that_went_away_ends_quietly_on_windows_too() {
    let env = Env::new();
    env.ok(&["demo", "--dir", env.path("d").to_str().unwrap()]);
    let db = env.path("d").join("demo.db");
    env.ok(&["ledger", "sync", "--db", db.to_str().unwrap(), "--by", "督查员"]);
    // No SIGPIPE: the write fails with a broken pipe (os error 232), which must not panic.
    let mut child = env
        .cmd()
        .args(["ledger", "list", "--db", db.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(141), "{stderr}");
}
