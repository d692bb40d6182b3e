//! The report workbook's 评查一致性 sheet holds the tables `pingcha agreement` prints, computed
//! by the same library function: read back with calamine and compared number by number.

mod common;

use calamine::Data;
use common::xlsx::{number, row_of, sheet, text};
use common::{Env, rubric};
use serde_json::Value;

/// Six cases, two reviewers (of units no case belongs to) scoring every case at 初评.
fn round(env: &Env) -> String {
    let mut csv = String::from("案号,案由,案件类型,办案部门,主审法官,结案日期,卷册数\n");
    for i in 0..6 {
        csv.push_str(&format!("案{i:03},合同纠纷,民事,民一庭,法官{i},2026-03-01,2\n"));
    }
    std::fs::write(env.path("cases.csv"), csv).unwrap();
    std::fs::write(
        env.path("名单.csv"),
        "姓名,单位,评查组,组长\n评查员01,审管办,第1组,是\n评查员02,审管办,第1组,\n",
    )
    .unwrap();
    let db = env.path("r.db").display().to_string();
    env.ok(&[
        "round",
        "new",
        "--rubric",
        &rubric("fy-xingmin.toml"),
        "--cases",
        env.path("cases.csv").to_str().unwrap(),
        "--name",
        "一致性轮次",
        "--reviewers-file",
        env.path("名单.csv").to_str().unwrap(),
        "-o",
        &db,
    ]);
    db
}

/// A cell that is a number equal to `want`, or the withheld "—" when `want` is null.
fn same(range: &calamine::Range<Data>, row: u32, col: u32, want: &Value, what: &str) {
    match want.as_f64() {
        Some(x) => assert!(
            (number(range, row, col) - x).abs() < 1e-9,
            "{what}: sheet {} ≠ agreement {x}",
            number(range, row, col)
        ),
        None => assert_eq!(text(range, row, col), "—", "{what}: withheld"),
    }
}

/// Marks `who`'s 初评 sheet of `case` done (the sheet exists, with nothing found).
fn mark_done(db: &str, case: &str, who: &str) {
    let identity = pingcha::store::Identity {
        machine_id: "test-machine".into(),
        reviewer: who.into(),
    };
    let mut store = pingcha::store::Store::open(std::path::Path::new(db), &identity).unwrap();
    let case = store.require_case(case).unwrap();
    let sheet = store.sheet(&case.id, pingcha::store::Stage::Initial).unwrap();
    store
        .set_mark(&sheet.id, "", pingcha::store::MarkKind::Done, true, "")
        .unwrap();
    store.close().unwrap();
}

#[test]
fn the_report_workbook_has_the_agreement_tables_with_the_same_numbers() {
    let env = Env::new();
    let db = round(&env);
    let add = |case: &str, who: &str, item: &str, count: &str| {
        env.ok(&[
            "finding",
            "add",
            "--db",
            &db,
            "--case",
            case,
            "--item",
            item,
            "--count",
            count,
            "--note",
            "问题",
            "--reviewer",
            who,
        ]);
    };
    for (case, who, item, count) in [
        ("案000", "评查员01", "cpws.cl", "1"),
        ("案000", "评查员02", "cpws.cl", "1"),
        ("案001", "评查员01", "cpws.cl", "2"),
        ("案001", "评查员02", "cpws.cl", "1"),
        ("案002", "评查员01", "cpws.cl", "1"),
        ("案003", "评查员02", "cxyx.sd", "1"),
        ("案004", "评查员01", "cxyx.sd", "1"),
        ("案004", "评查员02", "cxyx.sd", "1"),
        ("案005", "评查员02", "cpws.cl", "1"),
        ("案005", "评查员01", "cxyx.sd", "2"),
    ] {
        add(case, who, item, count);
    }
    // Every case scored by both: the sheets without findings are marked done.
    for (case, who) in [("案002", "评查员02"), ("案003", "评查员01")] {
        mark_done(&db, case, who);
    }
    let json: Value = serde_json::from_str(&env.ok(&["agreement", "--db", &db, "--json"])).unwrap();
    let xlsx = env.path("报告.xlsx");
    env.ok(&["report", "--db", &db, "-o", xlsx.to_str().unwrap()]);
    let ws = sheet(&xlsx, "评查一致性");
    assert_eq!(text(&ws, 1, 0), "编号");
    assert_eq!(text(&ws, 1, 3), "α 扣分（等距）");

    let items = json["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for (row, item) in (2..).zip(items) {
        let id = item["id"].as_str().unwrap();
        assert_eq!(text(&ws, row, 0), id);
        assert_eq!(text(&ws, row, 1), item["name"].as_str().unwrap());
        assert_eq!(number(&ws, row, 2), item["cases"].as_f64().unwrap(), "{id}");
        same(&ws, row, 3, &item["deduction_alpha"], id);
        same(&ws, row, 4, &item["found_alpha"], id);
        same(&ws, row, 5, &item["percent"], id);
    }
    // The items this round scored have coefficients; the ones nobody found have none to give.
    let cl = items.iter().find(|i| i["id"] == "cpws.cl").unwrap();
    assert!(cl["deduction_alpha"].is_f64(), "{cl}");
    assert!(items.iter().any(|i| i["deduction_alpha"].is_null()));

    let cases_row = row_of(&ws, "两名及以上评查人评查的案件");
    assert_eq!(number(&ws, cases_row, 2), 6.0);
    assert_eq!(number(&ws, cases_row, 2), json["cases"].as_f64().unwrap());
    let min_row = row_of(&ws, "少于此数的项目不计算系数");
    assert_eq!(number(&ws, min_row, 2), json["min_cases"].as_f64().unwrap());
    same(
        &ws,
        row_of(&ws, "等次一致性（有序 α）"),
        2,
        &json["grade_alpha"],
        "grades",
    );

    let head = row_of(&ws, "评查人");
    assert_eq!(text(&ws, head, 3), "较他人平均多扣（分）");
    let deviations = json["deviations"].as_array().unwrap();
    assert!(!deviations.is_empty());
    for (row, d) in (head + 1..).zip(deviations) {
        assert_eq!(text(&ws, row, 0), d["reviewer"].as_str().unwrap());
        assert_eq!(text(&ws, row, 1), d["name"].as_str().unwrap());
        assert_eq!(number(&ws, row, 2), d["cases"].as_f64().unwrap());
        same(&ws, row, 3, &d["mean"], "deviation");
    }
    let archive = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    let charts: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.starts_with("xl/charts/chart"))
        .map(|n| n.into_owned())
        .collect();
    assert!(
        charts
            .iter()
            .any(|n| common::xlsx::part(&xlsx, n).contains("各项目扣分一致性")),
        "the sheet has its chart"
    );
}
