//! The round's result is right whatever people do: the sheet that counts is one rule
//! (终评, a decided grade or the only reviewer), deciding never empties a result, `final
//! --union` merges the same problem once, bonuses are not problems, `mark --done` marks done
//! and N/A over findings asks first. Each test reproduces a defect of the earlier code.

mod common;

use common::kinds::RUBRIC;
use common::sha256 as sha;
use common::xlsx::{number, row_of, sheet, text};
use common::{Env, app, keys};
use pingcha::lang::Lang;
use pingcha::store::{MarkKind, Progress};
use std::path::Path;

/// A round of [`RUBRIC`] with cases A, B, C (two volumes each); returns its path.
pub fn round(env: &Env, extra: &[&str]) -> String {
    let rubric = env.path("rubric.toml");
    std::fs::write(&rubric, RUBRIC).unwrap();
    let cases = env.path("cases.csv");
    std::fs::write(
        &cases,
        "案号,承办单位,承办人,卷册数\nA,一室,张三,2\nB,二室,李四,2\nC,一室,王五,2\n",
    )
    .unwrap();
    let db = env.path("round.db").display().to_string();
    let mut args = vec![
        "round",
        "new",
        "--rubric",
        rubric.to_str().unwrap(),
        "--cases",
        cases.to_str().unwrap(),
        "--name",
        "测试轮次",
        "--reviewers",
        "甲,乙,组长",
        "-o",
        &db,
    ];
    args.extend_from_slice(extra);
    env.ok(&args);
    db
}

/// Records a finding as `reviewer` at 初评.
fn finding(env: &Env, db: &str, reviewer: &str, case: &str, item: &str, extra: &[&str]) {
    let mut args = vec![
        "finding",
        "add",
        "--db",
        db,
        "--case",
        case,
        "--item",
        item,
        "--reviewer",
        reviewer,
    ];
    args.extend_from_slice(extra);
    env.ok(&args);
}

/// The round report's workbook.
fn report(env: &Env, db: &str) -> std::path::PathBuf {
    let out = env.path("report.xlsx");
    env.ok(&["report", "--db", db, "--force", "-o", out.to_str().unwrap()]);
    out
}

/// (total, grade, problems) of a case in the report's 案件明细 sheet, if it is there.
fn case_row(xlsx: &Path, case_no: &str) -> Option<(f64, String, f64)> {
    let cases = sheet(xlsx, "案件明细");
    let end = cases.end().map_or(0, |e| e.0 + 1);
    (1..end)
        .find(|&r| text(&cases, r, 0) == case_no)
        .map(|r| (number(&cases, r, 6), text(&cases, r, 7), number(&cases, r, 8)))
}

#[test]
fn deciding_before_the_final_sheet_leaves_the_case_figures_unchanged() {
    let env = Env::new();
    let db = round(&env, &[]);
    finding(
        &env,
        &db,
        "甲",
        "A",
        "cx.sd",
        &["--count", "3", "--note", "三处缺签名", "--problem", "SD-01"],
    );
    let before = case_row(&report(&env, &db), "A").unwrap();
    assert_eq!(before, (94.0, "优秀".to_owned(), 1.0));

    let out = env.ok(&[
        "decide",
        "--db",
        &db,
        "--case",
        "A",
        "--grade",
        "合格",
        "--reason",
        "评查组集体讨论",
        "--reviewer",
        "组长",
    ]);
    let decided = case_row(&report(&env, &db), "A").unwrap();
    assert_eq!(
        decided,
        (94.0, "合格".to_owned(), 1.0),
        "the decision lands on the settled sheet"
    );
    assert!(out.contains("甲（初评）"), "{out}");

    env.ok(&[
        "final",
        "--db",
        &db,
        "--case",
        "A",
        "--from",
        "甲",
        "--reviewer",
        "组长",
    ]);
    let after = case_row(&report(&env, &db), "A").unwrap();
    assert_eq!(
        after, decided,
        "the final sheet keeps the figures and the decided grade"
    );
    let entries = env.ok(&["ledger", "sync", "--db", &db, "--by", "组长"]);
    assert!(entries.contains('1'), "{entries}");
}

#[test]
fn deciding_an_unsettled_case_is_refused_with_what_to_do_and_writes_nothing() {
    let env = Env::new();
    let db = round(&env, &[]);
    finding(&env, &db, "甲", "A", "cx.sd", &["--count", "1", "--note", "缺签名"]);
    finding(&env, &db, "乙", "A", "cx.gz", &["--note", "未告知"]);
    let decide = [
        "decide",
        "--db",
        &db,
        "--case",
        "A",
        "--grade",
        "合格",
        "--reason",
        "讨论",
        "--reviewer",
        "组长",
    ];
    let err = env.fails(&decide);
    assert!(
        err.contains("未定稿") && err.contains("pingcha final --from 姓名 或 --union"),
        "{err}"
    );
    assert!(err.contains("甲（初评）") && err.contains("乙（初评）"), "{err}");
    // The first open as 组长 records this laptop's replica for them; from then on a refused
    // decision writes nothing at all.
    let hash = sha(&db);
    env.fails(&decide);
    assert_eq!(sha(&db), hash, "a refused decision leaves the file byte-identical");
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["score", "--db", &db, "--json"])).unwrap();
    assert!(
        json.as_array().unwrap().iter().all(|s| s["stage"] == "初评"),
        "no 终评 sheet: {json:#}"
    );
}

#[test]
fn a_two_reviewer_case_is_unsettled_in_the_report_and_left_out_of_its_averages() {
    let env = Env::new();
    let db = round(&env, &[]);
    finding(&env, &db, "甲", "A", "cx.sd", &["--count", "5", "--note", "多处缺签名"]);
    finding(&env, &db, "乙", "A", "cx.gz", &["--note", "未告知"]);
    finding(&env, &db, "甲", "B", "cx.sd", &["--count", "1", "--note", "缺签名"]);
    let xlsx = report(&env, &db);
    assert_eq!(case_row(&xlsx, "A"), None, "an unsettled case has no result row");
    assert_eq!(case_row(&xlsx, "B").unwrap().0, 98.0);
    let summary = sheet(&xlsx, "汇总");
    assert_eq!(number(&summary, row_of(&summary, "评查案件数"), 1), 1.0);
    assert_eq!(number(&summary, row_of(&summary, "平均分"), 1), 98.0, "B alone");
    let coverage = sheet(&xlsx, "定稿情况");
    assert_eq!(number(&coverage, row_of(&coverage, "已定稿"), 1), 1.0);
    assert_eq!(number(&coverage, row_of(&coverage, "未定稿"), 1), 1.0);
    assert_eq!(number(&coverage, row_of(&coverage, "未评查"), 1), 1.0);
    let listed: Vec<(String, String, f64, String)> = (0..coverage.end().unwrap().0 + 1)
        .filter(|&r| matches!(coverage.get_value((r, 0)), Some(calamine::Data::String(s)) if s == "A"))
        .map(|r| {
            (
                text(&coverage, r, 2),
                text(&coverage, r, 3),
                number(&coverage, r, 4),
                text(&coverage, r, 5),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("乙".to_owned(), "初评".to_owned(), 70.0, "合格".to_owned()),
            ("甲".to_owned(), "初评".to_owned(), 90.0, "优秀".to_owned()),
        ]
    );
    let docx = env.path("report.docx");
    env.ok(&["report", "--db", &db, "--format", "docx", "-o", docx.to_str().unwrap()]);

    // Neither the ledger nor a problem list takes the unsettled case.
    let synced = env.ok(&["ledger", "sync", "--db", &db, "--by", "组长"]);
    let list = env.ok(&["ledger", "list", "--db", &db]);
    assert!(
        !list.contains("多处缺签名") && !list.contains("未告知") && list.contains("缺签名"),
        "{synced}\n{list}"
    );
    let csv = env.path("a.csv");
    let err = env.fails(&[
        "export",
        "--db",
        &db,
        "--case",
        "A",
        "--format",
        "csv",
        "-o",
        csv.to_str().unwrap(),
    ]);
    assert!(err.contains("未定稿") && err.contains("pingcha final"), "{err}");
    assert!(!csv.exists());

    // The 终评 sheet settles it.
    env.ok(&[
        "final",
        "--db",
        &db,
        "--case",
        "A",
        "--from",
        "乙",
        "--reviewer",
        "组长",
    ]);
    assert_eq!(case_row(&report(&env, &db), "A").unwrap().0, 70.0);
}

#[test]
fn a_round_requiring_final_leaves_single_reviewer_cases_unsettled() {
    let env = Env::new();
    let db = round(&env, &["--require-final"]);
    let show = env.ok(&["round", "show", "--db", &db]);
    assert!(show.contains("每件须有终评表"), "{show}");
    finding(&env, &db, "甲", "B", "cx.sd", &["--count", "1", "--note", "缺签名"]);
    let xlsx = report(&env, &db);
    assert_eq!(case_row(&xlsx, "B"), None);
    let coverage = sheet(&xlsx, "定稿情况");
    assert_eq!(number(&coverage, row_of(&coverage, "未定稿"), 1), 1.0);
    env.ok(&[
        "final",
        "--db",
        &db,
        "--case",
        "B",
        "--from",
        "甲",
        "--reviewer",
        "组长",
    ]);
    assert_eq!(case_row(&report(&env, &db), "B").unwrap().0, 98.0);
}

#[test]
fn final_union_merges_the_same_problem_once_and_lists_near_duplicates() {
    let env = Env::new();
    let db = round(&env, &[]);
    let at = |v: &'static str, p: &'static str| ["--vol", v, "--page", p];
    let sd = |note: &'static str| ["--count", "1", "--problem", "SD-01", "--note", note];
    finding(
        &env,
        &db,
        "甲",
        "A",
        "cx.sd",
        &[&sd("第3页送达回证无签名")[..], &at("1", "3")[..]].concat(),
    );
    finding(
        &env,
        &db,
        "乙",
        "A",
        "cx.sd",
        &[&sd("送达回证缺受送达人签名")[..], &at("1", "3")[..]].concat(),
    );
    finding(
        &env,
        &db,
        "乙",
        "A",
        "cx.sd",
        &[&sd("第5页同样缺签名")[..], &at("1", "5")[..]].concat(),
    );
    finding(&env, &db, "甲", "A", "cx.gz", &["--note", "未告知权利"]);
    finding(
        &env,
        &db,
        "乙",
        "A",
        "cx.gz",
        &["--note", "权利告知书缺失", "--problem", "GZ-01"],
    );
    let out = env.ok(&["final", "--db", &db, "--case", "A", "--union", "--reviewer", "组长"]);
    assert!(out.contains("复制问题记录 3 条"), "{out}");
    assert!(out.contains("合并：cx.sd 送达合法 SD-01（1/3）2 条记为 1 条"), "{out}");
    assert!(out.contains("合并：cx.gz 权利告知"), "{out}");
    assert!(
        out.contains("请核对：cx.sd 送达合法 SD-01 在不同卷页各记一条（1/3、1/5）"),
        "{out}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["finding", "list", "--db", &db, "--case", "A", "--json"])).unwrap();
    let finals: Vec<&serde_json::Value> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["stage"] == "终评")
        .map(|f| &f["finding"])
        .collect();
    assert_eq!(finals.len(), 3, "{json:#}");
    let merged = finals.iter().find(|f| f["node"] == "cx.sd" && f["page"] == 3).unwrap();
    let note = merged["note"].as_str().unwrap();
    assert!(
        note.contains("第3页送达回证无签名") && note.contains("送达回证缺受送达人签名"),
        "{note}"
    );
    let xlsx = report(&env, &db);
    // 2 + 2 on 送达, 30 on the pass/fail 告知: 66, not 64 as with the copy twice.
    assert_eq!(case_row(&xlsx, "A").unwrap(), (66.0, "合格".to_owned(), 3.0));
}

#[test]
fn a_bonus_never_reaches_the_ledger_or_the_problem_list() {
    let env = Env::new();
    let db = round(&env, &[]);
    finding(
        &env,
        &db,
        "甲",
        "A",
        "cx.sd",
        &["--count", "1", "--note", "缺签名", "--problem", "SD-01"],
    );
    finding(
        &env,
        &db,
        "甲",
        "A",
        "jf.jp",
        &["--count", "1", "--note", "本案被评为精品案件"],
    );
    finding(&env, &db, "甲", "A", "xd.wzg", &["--note", "前次问题再次出现"]);
    env.ok(&["ledger", "sync", "--db", &db, "--by", "组长"]);
    let list = env.ok(&["ledger", "list", "--db", &db]);
    assert!(list.contains("SD-01"), "{list}");
    assert!(
        !list.contains("精品案件") && !list.contains("前次问题再次出现"),
        "{list}"
    );

    let csv = env.path("a.csv");
    env.ok(&[
        "export",
        "--db",
        &db,
        "--case",
        "A",
        "--format",
        "csv",
        "-o",
        csv.to_str().unwrap(),
    ]);
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(csv.lines().count(), 2, "the header and the one problem:\n{csv}");
    assert!(!csv.contains("精品案件"), "{csv}");

    let json: serde_json::Value = serde_json::from_str(&env.ok(&["score", "--db", &db, "--json"])).unwrap();
    let score = &json.as_array().unwrap()[0]["score"];
    assert_eq!(
        (
            &score["problems"],
            &score["bonuses"],
            &score["grade_caps"],
            &score["vetoes"]
        ),
        (&1.into(), &1.into(), &1.into(), &0.into())
    );
    let cases = env.ok(&["case", "list", "--db", &db]);
    let row = cases.lines().find(|l| l.contains(" A ")).unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[cells.len() - 5..], ["已定稿", "1", "1", "0", "1"], "{cases}");

    let docx = env.path("a.docx");
    env.ok(&[
        "export",
        "--db",
        &db,
        "--case",
        "A",
        "--format",
        "docx",
        "-o",
        docx.to_str().unwrap(),
    ]);
    let xlsx = report(&env, &db);
    assert_eq!(case_row(&xlsx, "A").unwrap().2, 1.0);
}

#[test]
fn mark_done_marks_done_and_the_tui_case_list_shows_it() {
    let env = Env::new();
    let db = round(&env, &[]);
    let out = env.ok(&["mark", "--db", &db, "--case", "B", "--done", "--reviewer", "甲"]);
    assert!(out.contains("已标记完成"), "{out}");
    let store = pingcha::store::Store::open_read_only(Path::new(&db)).unwrap();
    let case = store.require_case("B").unwrap();
    let sheet = &store.sheets_of_case(&case.id).unwrap()[0];
    assert_eq!(store.marked(&sheet.id, MarkKind::Done).unwrap(), [""]);
    assert!(store.pending_marks().unwrap().is_empty(), "marking done is not 待议");
    drop(store);
    let mut tui = app(Path::new(&db), "甲", Lang::Zh);
    assert_eq!(tui.model.progress[1], Progress::Done);
    keys(&mut tui, "c");
    let screen = common::draw(&tui, 100, 24);
    let line = screen
        .lines()
        .find(|l| l.contains(" B ") || l.contains("B "))
        .unwrap_or_default();
    assert!(line.contains("已完成"), "{screen}");
}

#[test]
fn na_over_findings_is_refused_without_force_and_findings_cannot_go_on_an_na_item() {
    let env = Env::new();
    let db = round(&env, &[]);
    finding(&env, &db, "甲", "A", "cx.sd", &["--count", "2", "--note", "缺签名"]);
    let hash = sha(&db);
    let mark = [
        "mark",
        "--db",
        &db,
        "--case",
        "A",
        "--item",
        "cx.sd",
        "--na",
        "--reviewer",
        "甲",
    ];
    let err = env.fails(&mark);
    assert!(err.contains("1 条问题记录") && err.contains("--force"), "{err}");
    assert_eq!(sha(&db), hash, "the refusal leaves the file byte-identical");
    let forced = env.ok(&[&mark[..], &["--force"]].concat());
    assert!(
        forced.contains("已标记不适用") && forced.contains("1 条问题记录，现不再计分"),
        "{forced}"
    );

    let hash = sha(&db);
    let err = env.fails(&[
        "finding",
        "add",
        "--db",
        &db,
        "--case",
        "A",
        "--item",
        "cx.sd",
        "--count",
        "1",
        "--note",
        "又一处",
        "--reviewer",
        "甲",
    ]);
    assert!(err.contains("不适用"), "{err}");
    assert_eq!(sha(&db), hash);
}

#[test]
fn the_tui_asks_before_na_over_findings_and_refuses_findings_on_an_na_item() {
    let env = Env::new();
    let db = round(&env, &[]);
    finding(&env, &db, "甲", "A", "cx.sd", &["--count", "2", "--note", "缺签名"]);
    let mut tui = app(Path::new(&db), "甲", Lang::Zh);
    common::goto(&mut tui, "cx.sd");
    keys(&mut tui, "n");
    let asked = common::draw(&tui, 120, 30);
    assert!(asked.contains("再按 n 确认"), "{asked}");
    assert!(!tui.model.data.as_ref().unwrap().not_applicable.contains("cx.sd"));
    keys(&mut tui, "n<Enter>");
    assert!(tui.model.data.as_ref().unwrap().not_applicable.contains("cx.sd"));
    let screen = common::draw(&tui, 120, 30);
    assert!(screen.contains("不适用：本项问题记录不计分"), "{screen}");
    keys(&mut tui, "<Enter>");
    let screen = common::draw(&tui, 120, 30);
    assert!(screen.contains("不能记录问题"), "{screen}");
}
