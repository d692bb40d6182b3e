//! Next-round repeat detection through the real binary: round 1's fed-back problems come into
//! round 2 with `round new --previous`; a finding with a problem code fed back to the same unit
//! gets the rubric's 从重 automatically (checked against the engine's numbers), the reviewer
//! can remove it only with a reason, which is stored and merged; a bad previous file is
//! refused with nothing written. The TUI's entry form is driven by keys on the same files.

mod common;

use common::{Env, app, draw, goto, keys};
use pingcha::lang::Lang;
use pingcha::rubric::Aggravation;
use pingcha::store::{Repeat, Store};
use pingcha::tui::model::{Mode, Status, Step};
use serde_json::Value;
use std::path::{Path, PathBuf};

const ROUND1: &str = "2025年度案件质量评查";

fn canonical(path: &Path) -> String {
    let store = Store::open_read_only(path).expect("open");
    pingcha::export::json::canonical(&store).expect("dump")
}

/// A jjjc-lian case list with these (case number, 承办单位) rows.
fn cases(env: &Env, name: &str, rows: &[(&str, &str)]) -> String {
    let mut csv = String::from("案号,被审查调查人,承办单位\n");
    for (i, (no, unit)) in rows.iter().enumerate() {
        csv.push_str(&format!("{no},被审查人{i},{unit}\n"));
    }
    let path = env.path(name);
    std::fs::write(&path, csv).expect("write cases");
    path.display().to_string()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Round 1: three findings with problem codes, two of them synced into the ledger and the
/// third added after the sync (so only a sync would make its entry).
fn round_one(env: &Env) -> PathBuf {
    let db = env.path("round1.db");
    let list = cases(env, "r1.csv", &[("A1", "第一审查调查室"), ("A2", "第二审查调查室")]);
    env.ok(&[
        "round",
        "new",
        "--rubric",
        &common::rubric("jjjc-lian.toml"),
        "--cases",
        &list,
        "--name",
        ROUND1,
        "-o",
        s(&db),
    ]);
    let add = |case: &str, item: &str, problem: &str| {
        env.ok(&[
            "finding",
            "add",
            "--db",
            s(&db),
            "--case",
            case,
            "--item",
            item,
            "--problem",
            problem,
            "--note",
            "问题",
            "--reviewer",
            "组长",
            "--stage",
            "终评",
        ]);
    };
    add("A1", "sszj.sfcl", "SZ-01");
    add("A2", "sszj.bl", "SZ-12");
    let synced = env.ok(&["ledger", "sync", "--db", s(&db), "--by", "督查员"]);
    assert!(synced.starts_with("新增 2 条"), "{synced}");
    add("A1", "sszj.sz", "SZ-09");
    db
}

/// Round 2 made with `--previous` round 1: B1 of the same unit as A1, B2 as A2, B3 of another.
fn round_two(env: &Env, previous: &Path) -> (PathBuf, String) {
    let db = env.path("round2.db");
    let list = cases(
        env,
        "r2.csv",
        &[
            ("B1", "第一审查调查室"),
            ("B2", "第二审查调查室"),
            ("B3", "第三审查调查室"),
        ],
    );
    let out = env.ok(&[
        "round",
        "new",
        "--rubric",
        &common::rubric("jjjc-lian.toml"),
        "--cases",
        &list,
        "--name",
        "2026年度案件质量评查",
        "--previous",
        s(previous),
        "-o",
        s(&db),
    ]);
    (db, out)
}

/// `finding add` on round 2 as `reviewer`, with extra arguments; returns the output.
fn add(env: &Env, db: &Path, reviewer: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec![
        "finding",
        "add",
        "--db",
        s(db),
        "--note",
        "又发现",
        "--reviewer",
        reviewer,
    ];
    all.extend_from_slice(args);
    env.run(&all)
}

fn stdout(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `pingcha score --json --case` for one reviewer's sheet: (total, 从重 extra).
fn score(env: &Env, db: &Path, case: &str, reviewer: &str) -> (Value, Value) {
    let out = env.ok(&["score", "--db", s(db), "--case", case, "--json"]);
    let sheets: Vec<Value> = serde_json::from_str(&out).expect("json");
    let sheet = sheets
        .iter()
        .find(|x| x["reviewer"] == reviewer)
        .unwrap_or_else(|| panic!("no sheet of {reviewer}: {out}"));
    (sheet["score"]["total"].clone(), sheet["score"]["extra"].clone())
}

/// `pingcha finding list --json` rows of one reviewer on one case.
fn findings(env: &Env, db: &Path, case: &str, reviewer: &str) -> Vec<Value> {
    let out = env.ok(&["finding", "list", "--db", s(db), "--case", case, "--json"]);
    let rows: Vec<Value> = serde_json::from_str(&out).expect("json");
    rows.into_iter()
        .filter(|r| r["reviewer"] == reviewer)
        .map(|r| r["finding"].clone())
        .collect()
}

#[test]
fn the_rubric_used_here_doubles_a_repeat() {
    let (rubric, _) = pingcha::rubric::load_file(Path::new(&common::rubric("jjjc-lian.toml"))).expect("rubric");
    assert_eq!(rubric.aggravation, Some(Aggravation::Multiplier(2)));
}

#[test]
fn a_problem_fed_back_to_the_same_unit_is_deducted_more_heavily() {
    let env = Env::new();
    let r1 = round_one(&env);
    let r1_bytes = std::fs::read(&r1).expect("read");
    let (r2, said) = round_two(&env, &r1);
    assert!(
        said.contains("带入已反馈的问题 3 个") && said.contains(ROUND1),
        "{said}"
    );
    assert!(said.contains("涉及承办单位 2 个"), "{said}");
    assert_eq!(
        std::fs::read(&r1).expect("read"),
        r1_bytes,
        "the previous file was written to"
    );
    let ledger1 = env.ok(&["ledger", "list", "--db", s(&r1)]);
    assert_eq!(
        ledger1.lines().count(),
        2 + 2,
        "round 1's ledger not synced by --previous: {ledger1}"
    );

    // B1 is 第一审查调查室's, like A1, where SZ-01 was fed back: 从重 applies by itself.
    // sszj.sfcl deducts 1 per missing element; 2 missing = 2; jjjc-lian doubles a repeat
    // (×2: one more time the capped 2), so 100 − 2 − 2 = 96.
    let out = stdout(&add(
        &env,
        &r2,
        "张明",
        &[
            "--case",
            "B1",
            "--item",
            "sszj.sfcl",
            "--count",
            "2",
            "--problem",
            "SZ-01",
        ],
    ));
    assert!(
        out.contains("该问题上一轮已向第一审查调查室反馈") && out.contains("案号 A1") && out.contains("按从重扣分"),
        "{out}"
    );
    assert_eq!(score(&env, &r2, "B1", "张明"), (Value::from(96), Value::from(2)));
    assert_eq!(findings(&env, &r2, "B1", "张明")[0]["repeat"], Value::Bool(true));
    assert_eq!(
        findings(&env, &r2, "B1", "张明")[0]["repeat_by"],
        Value::from("automatic")
    );

    // SZ-09 reached round 1's ledger only through the entries a sync would make: it counts.
    // sszj.sz: 0.5 per occurrence, doubled: 100 − 0.5 − 0.5 = 99.
    let out = stdout(&add(
        &env,
        &r2,
        "赵磊",
        &[
            "--case",
            "B1",
            "--item",
            "sszj.sz",
            "--count",
            "1",
            "--problem",
            "SZ-09",
        ],
    ));
    assert!(out.contains("按从重扣分"), "{out}");
    assert_eq!(score(&env, &r2, "B1", "赵磊"), (Value::from(99), Value::from(0.5)));

    // B3's unit had nothing fed back: the normal deduction, 100 − 2 = 98.
    let out = stdout(&add(
        &env,
        &r2,
        "张明",
        &[
            "--case",
            "B3",
            "--item",
            "sszj.sfcl",
            "--count",
            "2",
            "--problem",
            "SZ-01",
        ],
    ));
    assert!(!out.contains("从重"), "{out}");
    assert_eq!(score(&env, &r2, "B3", "张明"), (Value::from(98), Value::from(0)));
    assert_eq!(findings(&env, &r2, "B3", "张明")[0]["repeat"], Value::Bool(false));

    // B2's unit had SZ-12 fed back, not SZ-01: codes match exactly.
    stdout(&add(
        &env,
        &r2,
        "张明",
        &[
            "--case",
            "B2",
            "--item",
            "sszj.sfcl",
            "--count",
            "1",
            "--problem",
            "SZ-01",
        ],
    ));
    assert_eq!(score(&env, &r2, "B2", "张明"), (Value::from(99), Value::from(0)));
    // … and SZ-12 (sszj.bl, 1 per occurrence) is a repeat there: 99 − 1 − 1 = 97.
    let out = stdout(&add(
        &env,
        &r2,
        "张明",
        &[
            "--case",
            "B2",
            "--item",
            "sszj.bl",
            "--count",
            "1",
            "--problem",
            "SZ-12",
        ],
    ));
    assert!(out.contains("第二审查调查室") && out.contains("案号 A2"), "{out}");
    assert_eq!(score(&env, &r2, "B2", "张明"), (Value::from(97), Value::from(1)));

    // --repeat still marks a repeat by hand where nothing was fed back: 98 − 2 (×2) = 96 … on
    // another reviewer's sheet of B3: 100 − 2 − 2.
    stdout(&add(
        &env,
        &r2,
        "李华",
        &[
            "--case",
            "B3",
            "--item",
            "sszj.sfcl",
            "--count",
            "2",
            "--problem",
            "SZ-01",
            "--repeat",
        ],
    ));
    assert_eq!(score(&env, &r2, "B3", "李华"), (Value::from(96), Value::from(2)));
    let by_hand = &findings(&env, &r2, "B3", "李华")[0];
    assert_eq!(
        (&by_hand["repeat"], &by_hand["repeat_by"]),
        (&Value::Bool(true), &Value::from("hand"))
    );
}

#[test]
fn removing_the_automatic_repeat_needs_a_reason_which_is_kept() {
    let env = Env::new();
    let r1 = round_one(&env);
    let (r2, _) = round_two(&env, &r1);
    let finding = [
        "--case",
        "B1",
        "--item",
        "sszj.sfcl",
        "--count",
        "2",
        "--problem",
        "SZ-01",
    ];

    // Without a reason: refused, nothing written.
    let before = canonical(&r2);
    let mut args = finding.to_vec();
    args.push("--no-repeat");
    let out = add(&env, &r2, "李华", &args);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("须写明理由") && err.contains("--reason") && err.contains("案号 A1"),
        "{err}"
    );
    assert_eq!(canonical(&r2), before, "a refused finding changed the file");
    let mut blank = args.clone();
    blank.extend_from_slice(&["--reason", "  "]);
    assert_eq!(add(&env, &r2, "李华", &blank).status.code(), Some(1), "a blank reason");
    let en = env.run(&[
        "--lang",
        "en",
        "finding",
        "add",
        "--db",
        s(&r2),
        "--note",
        "x",
        "--reviewer",
        "李华",
        "--case",
        "B1",
        "--item",
        "sszj.sfcl",
        "--problem",
        "SZ-01",
        "--no-repeat",
    ]);
    assert!(
        String::from_utf8_lossy(&en.stderr).contains("say why"),
        "{}",
        String::from_utf8_lossy(&en.stderr)
    );

    // With a reason: the normal deduction (100 − 2), the reason stored and listed.
    args.extend_from_slice(&["--reason", "该室已整改，本案为整改前办理"]);
    let out = stdout(&add(&env, &r2, "李华", &args));
    assert!(out.contains("已不从重，理由：该室已整改，本案为整改前办理"), "{out}");
    assert_eq!(score(&env, &r2, "B1", "李华"), (Value::from(98), Value::from(0)));
    let listed = findings(&env, &r2, "B1", "李华");
    assert_eq!(listed[0]["repeat"], Value::Bool(false));
    assert_eq!(listed[0]["repeat_waived"], Value::from("该室已整改，本案为整改前办理"));
    let table = env.ok(&["finding", "list", "--db", s(&r2), "--case", "B1"]);
    assert!(table.contains("不从重：该室已整改，本案为整改前办理"), "{table}");
    // The problem lists handed over say so too (CSV and both XLSX sheets, column 从重).
    let csv = env.path("b1.csv");
    env.ok(&[
        "export",
        "--db",
        s(&r2),
        "--case",
        "B1",
        "--format",
        "csv",
        "-o",
        s(&csv),
    ]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("不从重：该室已整改，本案为整改前办理"), "{text}");
    let xlsx = env.path("b1.xlsx");
    env.ok(&[
        "export",
        "--db",
        s(&r2),
        "--case",
        "B1",
        "--format",
        "xlsx",
        "-o",
        s(&xlsx),
    ]);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    for name in ["问题清单", "按卷页"] {
        use calamine::{DataType, Reader};
        let range = book.worksheet_range(name).unwrap();
        let header = range
            .rows()
            .position(|r| r.iter().any(|c| c.as_string().as_deref() == Some("从重")))
            .unwrap();
        let column = range
            .rows()
            .nth(header)
            .unwrap()
            .iter()
            .position(|c| c.as_string().as_deref() == Some("从重"))
            .unwrap();
        let marks: Vec<String> = range
            .rows()
            .skip(header + 1)
            .filter_map(|r| r.get(column))
            .map(|c| c.to_string())
            .collect();
        assert!(
            marks.contains(&"不从重：该室已整改，本案为整改前办理".to_owned()),
            "{name}: {marks:?}"
        );
    }

    // --no-repeat where nothing was fed back needs no reason and stores none.
    let out = stdout(&add(
        &env,
        &r2,
        "李华",
        &[
            "--case",
            "B3",
            "--item",
            "sszj.sfcl",
            "--problem",
            "SZ-01",
            "--no-repeat",
        ],
    ));
    assert!(!out.contains("从重"), "{out}");
    assert_eq!(findings(&env, &r2, "B3", "李华")[0]["repeat_waived"], Value::Null);
}

#[test]
fn prior_problems_and_a_reason_survive_merging_two_copies() {
    let env = Env::new();
    let r1 = round_one(&env);
    let (r2, _) = round_two(&env, &r1);
    let (a, b) = (env.path("a.db"), env.path("b.db"));
    std::fs::copy(&r2, &a).expect("copy");
    std::fs::copy(&r2, &b).expect("copy");
    stdout(&add(
        &env,
        &a,
        "李华",
        &[
            "--case",
            "B1",
            "--item",
            "sszj.sfcl",
            "--count",
            "2",
            "--problem",
            "SZ-01",
            "--no-repeat",
            "--reason",
            "已整改",
        ],
    ));
    stdout(&add(
        &env,
        &b,
        "张明",
        &[
            "--case",
            "B1",
            "--item",
            "sszj.sfcl",
            "--count",
            "2",
            "--problem",
            "SZ-01",
        ],
    ));
    let (ab, ba) = (env.path("ab.db"), env.path("ba.db"));
    env.ok(&["merge", s(&a), s(&b), "-o", s(&ab)]);
    env.ok(&["merge", s(&b), s(&a), "-o", s(&ba)]);
    assert_eq!(canonical(&ab), canonical(&ba), "merge order matters");

    let merged = Store::open_read_only(&ab).expect("open");
    let prior = merged.prior_problems().expect("prior");
    assert_eq!(prior.len(), 3, "{prior:?}");
    assert_eq!(
        prior,
        Store::open_read_only(&r2)
            .expect("open")
            .prior_problems()
            .expect("prior")
    );
    let waived = findings(&env, &ab, "B1", "李华");
    assert_eq!(waived[0]["repeat_waived"], Value::from("已整改"));
    assert_eq!(score(&env, &ab, "B1", "李华"), (Value::from(98), Value::from(0)));
    assert_eq!(score(&env, &ab, "B1", "张明"), (Value::from(96), Value::from(2)));

    // The merged file still knows what was fed back: a new finding there repeats too.
    let out = stdout(&add(
        &env,
        &ab,
        "王芳",
        &[
            "--case",
            "B1",
            "--item",
            "sszj.sfcl",
            "--count",
            "2",
            "--problem",
            "SZ-01",
        ],
    ));
    assert!(out.contains("按从重扣分"), "{out}");
}

#[test]
fn a_round_three_sees_problems_round_one_fed_back_through_round_two() {
    let env = Env::new();
    let r1 = round_one(&env);
    let (r2, _) = round_two(&env, &r1);
    let db = env.path("round3.db");
    let list = cases(&env, "r3.csv", &[("C1", "第一审查调查室")]);
    let said = env.ok(&[
        "round",
        "new",
        "--rubric",
        &common::rubric("jjjc-lian.toml"),
        "--cases",
        &list,
        "--name",
        "2027年度案件质量评查",
        "--previous",
        s(&r2),
        "-o",
        s(&db),
    ]);
    assert!(said.contains("含更早轮次的 3 个"), "{said}");
    let out = stdout(&add(
        &env,
        &db,
        "张明",
        &["--case", "C1", "--item", "sszj.sfcl", "--problem", "SZ-01"],
    ));
    assert!(out.contains(ROUND1) && out.contains("案号 A1"), "{out}");
}

#[test]
fn a_bad_previous_file_is_refused_naming_it_with_nothing_written() {
    let env = Env::new();
    let r1 = round_one(&env);
    let list = cases(&env, "r2.csv", &[("B1", "第一审查调查室")]);
    let dir = env.dir.path();
    let refuse = |previous: &Path, says: &str| {
        let listing = |d: &Path| -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(d)
                .expect("read dir")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
                .collect();
            names.sort();
            names
        };
        let before = listing(dir);
        let prev_bytes = std::fs::read(previous).ok();
        let out = env.path("out.db");
        let err = env.fails(&[
            "round",
            "new",
            "--rubric",
            &common::rubric("jjjc-lian.toml"),
            "--cases",
            &list,
            "--name",
            "第二轮",
            "--previous",
            s(previous),
            "-o",
            s(&out),
        ]);
        let name = previous.file_name().expect("name").to_string_lossy();
        assert!(err.contains(name.as_ref()) && err.contains("新轮次未创建"), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(!out.exists(), "an output was written");
        assert_eq!(listing(dir), before, "a file was left behind");
        assert_eq!(std::fs::read(previous).ok(), prev_bytes, "the previous file changed");
    };

    refuse(&env.path("missing.db"), "找不到文件");
    let text = env.path("notes.db");
    std::fs::write(&text, "这不是数据库").expect("write");
    refuse(&text, "不是 pingcha 评查文件");
    let plain = env.path("plain.sqlite");
    rusqlite::Connection::open(&plain)
        .and_then(|c| c.execute_batch("CREATE TABLE t (x)"))
        .expect("sqlite");
    refuse(&plain, "不是 pingcha 评查文件");
    let newer = env.path("newer.db");
    std::fs::copy(&r1, &newer).expect("copy");
    rusqlite::Connection::open(&newer)
        .and_then(|c| c.pragma_update(None, "user_version", 99))
        .expect("bump");
    refuse(&newer, "较新版本");
    let corrupt = env.path("corrupt.db");
    let mut bytes = std::fs::read(&r1).expect("read");
    let page = 4096;
    assert!(bytes.len() > 4 * page, "round file too small to corrupt");
    for b in &mut bytes[2 * page..3 * page] {
        *b = 0xA5;
    }
    std::fs::write(&corrupt, &bytes).expect("write");
    refuse(&corrupt, "已损坏");

    let en = env.run(&[
        "--lang",
        "en",
        "round",
        "new",
        "--rubric",
        &common::rubric("jjjc-lian.toml"),
        "--cases",
        &list,
        "--name",
        "第二轮",
        "--previous",
        s(&corrupt),
        "-o",
        s(&env.path("out.db")),
    ]);
    let err = String::from_utf8_lossy(&en.stderr);
    assert!(
        err.contains("corrupt.db") && err.contains("damaged") && err.contains("No round was created"),
        "{err}"
    );
}

#[test]
fn the_entry_form_applies_the_repeat_and_asks_why_before_removing_it() {
    let env = Env::new();
    let r1 = round_one(&env);
    let (r2, _) = round_two(&env, &r1);

    let mut tui = app(&r2, "张明", Lang::Zh);
    assert_eq!(tui.model.case().map(|c| c.case_no.as_str()), Some("B1"));
    goto(&mut tui, "sszj.sfcl");
    keys(&mut tui, "<Enter>2<Tab>");
    let Mode::Entry(e) = &tui.model.mode else {
        panic!("entry form expected")
    };
    assert_eq!(e.repeat, Repeat::Automatic, "picking SZ-01 applies 从重");
    let Status::Info(said) = &tui.model.status else {
        panic!("{:?}", tui.model.status)
    };
    assert!(said.contains("第一审查调查室") && said.contains("案号 A1"), "{said}");
    // No 卷/页: the first Ctrl-S asks, the second saves.
    keys(&mut tui, "<C-s><C-s>");
    assert!(matches!(tui.model.status, Status::Saved(_)));
    let data = tui.model.data.as_ref().expect("data");
    assert_eq!(data.findings[0].repeat, Repeat::Automatic, "stored as automatic");
    assert_eq!(data.score.total, "96".parse().expect("points"), "100 − 2 − 2 (×2)");

    // Ctrl-R on the automatic 从重 asks why; an empty reason is refused; the given one is kept.
    goto(&mut tui, "sszj.sfcl");
    keys(&mut tui, "<Enter>1<Tab><C-r>");
    let Mode::Entry(e) = &tui.model.mode else { panic!() };
    assert_eq!(e.step, Step::Reason);
    keys(&mut tui, "<Enter>");
    let Mode::Entry(e) = &tui.model.mode else { panic!() };
    assert!(e.error.is_some() && e.step == Step::Reason);
    keys(&mut tui, "本案办理早于整改<Enter><C-s><C-s>");
    assert!(matches!(tui.model.status, Status::Saved(_)));
    let data = tui.model.data.as_ref().expect("data");
    let f = &data.findings[1];
    assert_eq!(f.repeat, Repeat::Waived("本案办理早于整改".into()));
    assert_eq!(data.score.total, "95".parse().expect("points"), "96 − 1, no 从重");

    // The finding detail shows the reason of the selected finding.
    keys(&mut tui, "J");
    let screen = draw(&tui, 120, 40);
    assert!(screen.contains("不从重理由：本案办理早于整改"), "{screen}");
    tui.close().expect("close");
}

#[test]
fn the_entry_form_shows_where_the_problem_was_fed_back_at_80x24() {
    let env = Env::new();
    let r1 = round_one(&env);
    let (r2, _) = round_two(&env, &r1);
    let mut tui = app(&r2, "张明", Lang::Zh);
    goto(&mut tui, "sszj.sfcl");
    keys(&mut tui, "<Enter>2<Tab>");
    insta::assert_snapshot!("entry_repeat_80x24", draw(&tui, 80, 24));
    keys(&mut tui, "<C-r>整改前办理");
    insta::assert_snapshot!("entry_repeat_reason_80x24", draw(&tui, 80, 24));
}

/// The finding on `node` that the selection is on, and the sheet's total.
fn selected_finding(tui: &pingcha::tui::App) -> (pingcha::store::FindingRecord, String) {
    let findings = tui.model.selected_findings();
    let f = findings[tui.model.finding_cursor.min(findings.len() - 1)].clone();
    let total = tui.model.data.as_ref().expect("data").score.total.to_string();
    (f, total)
}

#[test]
fn a_correction_keeps_the_id_and_the_automatic_repeat_and_its_removal() {
    let env = Env::new();
    let r1 = round_one(&env);
    let (r2, _) = round_two(&env, &r1);
    let mut tui = app(&r2, "张明", Lang::Zh);
    goto(&mut tui, "sszj.sfcl");
    // SZ-01 was fed back to B1's unit: 从重, 2 × 1 doubled.
    keys(&mut tui, "<Enter>2<Tab><C-s><C-s>");
    let (first, total) = selected_finding(&tui);
    assert_eq!((first.repeat.clone(), total.as_str()), (Repeat::Automatic, "96"));

    // r: the form says 从重 applies and where it was fed back; a detail typed in the note
    // (full-width, as an input method sends it) is saved on the same finding, still 从重.
    keys(&mut tui, "r");
    let Mode::Entry(e) = &tui.model.mode else {
        panic!("correction form expected")
    };
    assert_eq!(e.correcting.as_ref(), Some(&first.id));
    assert_eq!(e.repeat, Repeat::Automatic);
    assert!(e.auto.notice.is_some(), "where it was fed back is shown");
    keys(&mut tui, "，补记第二处<C-s><C-s>");
    assert!(
        matches!(&tui.model.status, Status::Saved(s) if s.starts_with("已更正")),
        "{:?}",
        tui.model.status
    );
    let (f, total) = selected_finding(&tui);
    assert_eq!(f.id, first.id);
    assert_eq!(f.note, format!("{}，补记第二处", first.note));
    assert_eq!((f.repeat.clone(), total.as_str()), (Repeat::Automatic, "96"));
    assert_eq!(tui.model.data.as_ref().unwrap().findings.len(), 1);

    // A lone Esc (an input method's) while the reason is asked keeps the 从重; then the
    // removal with a reason is a correction too, and the reason comes back on the next r.
    keys(&mut tui, "r<C-r><Esc>");
    let Mode::Entry(e) = &tui.model.mode else {
        panic!("still correcting")
    };
    assert_eq!(e.repeat, Repeat::Automatic);
    keys(&mut tui, "<C-r>整改前已办结<Enter><C-s><C-s>");
    let (f, total) = selected_finding(&tui);
    assert_eq!(f.id, first.id);
    assert_eq!(
        (f.repeat.clone(), total.as_str()),
        (Repeat::Waived("整改前已办结".into()), "98")
    );
    keys(&mut tui, "r");
    let Mode::Entry(e) = &tui.model.mode else {
        panic!("correction form expected")
    };
    assert_eq!(e.repeat, Repeat::Waived("整改前已办结".into()));
    assert_eq!(e.auto.reason.text(), "整改前已办结");
    let screen = draw(&tui, 120, 40);
    assert!(
        screen.contains("不从重理由：整改前已办结"),
        "the form shows the kept reason\n{screen}"
    );
    // Ctrl-R gives the 从重 back.
    keys(&mut tui, "<C-r><C-s><C-s>");
    let (f, total) = selected_finding(&tui);
    assert_eq!(
        (f.id.clone(), f.repeat.clone(), total.as_str()),
        (first.id.clone(), Repeat::Automatic, "96")
    );

    // u reverses the last correction only: the removal with its reason is back, same id.
    keys(&mut tui, "u");
    let (f, total) = selected_finding(&tui);
    assert_eq!(f.id, first.id);
    assert_eq!(
        (f.repeat.clone(), total.as_str()),
        (Repeat::Waived("整改前已办结".into()), "98")
    );
    tui.close().expect("close");
}

#[test]
fn a_correction_cut_short_leaves_no_draft_and_a_restored_draft_is_corrected_later() {
    let env = Env::new();
    let r1 = round_one(&env);
    let (r2, _) = round_two(&env, &r1);
    let mut tui = app(&r2, "张明", Lang::Zh);
    goto(&mut tui, "sszj.sfcl");
    keys(&mut tui, "<Enter>2<Tab><C-s><C-s>");
    let (first, _) = selected_finding(&tui);
    // A correction half typed when the process dies: nothing of it comes back as a new finding.
    keys(&mut tui, "r，改了一半");
    drop(tui);
    let mut tui = app(&r2, "张明", Lang::Zh);
    assert!(
        matches!(tui.model.mode, Mode::Browse),
        "no form: a correction keeps no draft"
    );
    let findings = &tui.model.data.as_ref().unwrap().findings;
    assert_eq!(findings.len(), 1);
    assert_eq!((&findings[0].id, &findings[0].note), (&first.id, &first.note));

    // A new finding half typed when the process dies comes back as a draft, 从重 applied once
    // the case's earlier problems are known; saved, then corrected: one id, still 从重.
    goto(&mut tui, "sszj.sfcl");
    keys(&mut tui, "<Enter>1<Tab>，另一份");
    drop(tui);
    let mut tui = app(&r2, "张明", Lang::Zh);
    let Mode::Entry(e) = &tui.model.mode else {
        panic!("the draft reopens the form")
    };
    assert!(e.correcting.is_none());
    assert_eq!(e.repeat, Repeat::Automatic);
    keys(&mut tui, "<C-s><C-s>");
    assert!(matches!(tui.model.mode, Mode::Browse));
    let findings = tui.model.data.as_ref().unwrap().findings.clone();
    assert_eq!(findings.len(), 2);
    let second = findings
        .iter()
        .find(|f| f.id != first.id)
        .expect("the restored one")
        .clone();
    assert_eq!(second.repeat, Repeat::Automatic);
    goto(&mut tui, "sszj.sfcl");
    let (selected, _) = selected_finding(&tui);
    assert_eq!(selected.id, second.id, "the newest is selected");
    keys(&mut tui, "r<Up>３<C-s><C-s>");
    let findings = tui.model.data.as_ref().unwrap().findings.clone();
    assert_eq!(findings.len(), 2, "corrected, not added");
    let after = findings.iter().find(|f| f.id == second.id).expect("same id");
    assert_eq!(after.quantity, pingcha::score::Quantity::Count(3));
    assert_eq!(after.repeat, Repeat::Automatic);
    assert!(after.hlc > second.hlc);
    tui.close().expect("close");
}
