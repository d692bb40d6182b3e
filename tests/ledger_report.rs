//! The rectification figures in the round report, through the real binary: the demo round's
//! ledger synced, entries given deadlines and moved through 整改—核查—销号 (one returned, then
//! closed), `pingcha report --today …` written as XLSX and DOCX and read back.

mod common;

use calamine::Data;
use common::Env;
use common::xlsx::{date, number, row_of, sheet, text};
use std::path::Path;

const TODAY: &str = "2026-04-15";
/// Far enough ahead that closing today is on time, whenever the test runs.
const FUTURE: &str = "2999-12-31";
/// Far enough back that closing today is late.
const PAST: &str = "2000-01-01";

/// The ids (unique 8-character prefixes, as `ledger list` shows them) of one unit's entries.
fn ids_of(env: &Env, db: &str, unit: &str) -> Vec<String> {
    env.ok(&["ledger", "list", "--db", db, "--unit", unit])
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect()
}

fn set(env: &Env, db: &str, id: &str, args: &[&str]) {
    let mut all = vec!["ledger", "set", "--db", db, id, "--by", "王核"];
    all.extend_from_slice(args);
    env.ok(&all);
}

fn deadline(env: &Env, db: &str, id: &str, day: &str) {
    set(env, db, id, &["--deadline", day]);
}

fn advance(env: &Env, db: &str, id: &str) {
    set(env, db, id, &["--action", "advance"]);
}

fn close(env: &Env, db: &str, id: &str) {
    set(env, db, id, &["--action", "close", "--note", "经核查已整改"]);
}

/// Columns 1–10 (the counts) of a row of the per-unit table.
fn counts(range: &calamine::Range<Data>, row: u32) -> Vec<f64> {
    (1..=10).map(|c| number(range, row, c)).collect()
}

/// The text of word/document.xml in a DOCX, tags removed.
fn docx_text(path: &Path) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

fn report(env: &Env, db: &str, format: &str, name: &str) -> std::path::PathBuf {
    let out = env.path(name);
    env.ok(&[
        "report",
        "--db",
        db,
        "--today",
        TODAY,
        "--format",
        format,
        "-o",
        &out.display().to_string(),
    ]);
    out
}

#[test]
fn the_report_counts_the_ledger_per_unit_and_lists_overdue_entries() {
    let env = Env::new();
    let db = common::demo(env.dir.path()).display().to_string();
    env.ok(&["ledger", "sync", "--db", &db, "--by", "督查员"]);
    let hx = ids_of(&env, &db, "河西乡纪委");
    let yi = ids_of(&env, &db, "第一审查调查室");
    // The problems of the demo's five settled cases (its three 未定稿 cases have none).
    assert_eq!((hx.len(), yi.len()), (3, 4), "the demo round's problems per unit");
    let listing = env.ok(&["ledger", "list", "--db", &db]);
    assert_eq!(listing.lines().skip(2).count(), 14);

    // 河西乡纪委: h0 overdue 14 days at 待整改; h1 returned once, then closed on time; h2
    // overdue 31 days at 已整改待核.
    deadline(&env, &db, &hx[0], "2026-04-01");
    deadline(&env, &db, &hx[1], FUTURE);
    advance(&env, &db, &hx[1]);
    advance(&env, &db, &hx[1]);
    set(&env, &db, &hx[1], &["--action", "return", "--note", "回证缺本人签名"]);
    advance(&env, &db, &hx[1]);
    close(&env, &db, &hx[1]);
    deadline(&env, &db, &hx[2], "2026-03-15");
    advance(&env, &db, &hx[2]);
    advance(&env, &db, &hx[2]);
    // 第一审查调查室: y0 closed late; y1 整改中 with a deadline still to come; y2 overdue 1
    // day; y3 due on the report day itself (not overdue).
    deadline(&env, &db, &yi[0], PAST);
    advance(&env, &db, &yi[0]);
    advance(&env, &db, &yi[0]);
    close(&env, &db, &yi[0]);
    deadline(&env, &db, &yi[1], FUTURE);
    advance(&env, &db, &yi[1]);
    deadline(&env, &db, &yi[2], "2026-04-14");
    deadline(&env, &db, &yi[3], TODAY);

    let xlsx = report(&env, &db, "xlsx", "报告.xlsx");
    let s = sheet(&xlsx, "整改情况");
    assert!(text(&s, 0, 0).contains("整改情况"), "the title row");
    assert_eq!(text(&s, 1, 0), "承办单位");
    assert_eq!(text(&s, 1, 11), "整改合格率");
    assert_eq!(text(&s, 1, 12), "按期整改率");
    // 应整改 待整改 整改中 已整改待核 已销号 按期销号 到期应完成 逾期未销号 曾退回 未定期限
    let hx_row = row_of(&s, "河西乡纪委");
    assert_eq!(hx_row, 2, "best 整改合格率 first (1/3)");
    assert_eq!(counts(&s, hx_row), [3., 1., 0., 1., 1., 1., 3., 2., 1., 0.]);
    assert_eq!((number(&s, hx_row, 11), number(&s, hx_row, 12)), (0.333, 0.333));
    let yi_row = row_of(&s, "第一审查调查室");
    assert_eq!(yi_row, 3, "then 1/4");
    assert_eq!(counts(&s, yi_row), [4., 2., 1., 0., 1., 0., 2., 1., 0., 0.]);
    assert_eq!((number(&s, yi_row, 11), number(&s, yi_row, 12)), (0.25, 0.0));
    let total_row = row_of(&s, "合计");
    assert_eq!(counts(&s, total_row), [14., 10., 1., 1., 2., 1., 5., 3., 1., 7.]);
    assert_eq!((number(&s, total_row, 11), number(&s, total_row, 12)), (0.143, 0.2));
    // The other units: nothing closed, nothing due; 按期整改率 undefined.
    let mut others = 0.0;
    for row in 4..total_row {
        let unit = text(&s, row, 0);
        assert_eq!(number(&s, row, 1), ids_of(&env, &db, &unit).len() as f64, "{unit}");
        others += number(&s, row, 1);
        assert_eq!((number(&s, row, 11), text(&s, row, 12)), (0.0, "—".into()), "{unit}");
    }
    assert_eq!(others, 7.0);
    assert!(
        (0..total_row + 10)
            .any(|r| matches!(s.get_value((r, 0)), Some(Data::String(t)) if t == "统计日期：2026-04-15"))
    );

    let title = (0..s.end().unwrap().0)
        .find(|&r| matches!(s.get_value((r, 0)), Some(Data::String(t)) if t.starts_with("逾期未销号问题（截至2026-04-15")))
        .expect("the overdue list");
    let header = title + 1;
    assert_eq!(
        [0, 1, 7, 8, 9, 10].map(|c| text(&s, header, c)),
        ["案号", "问题", "承办人", "整改期限", "逾期天数", "状态"]
    );
    assert_eq!(
        text(&s, header + 1, 0),
        "河西乡纪委（逾期2条）",
        "most overdue entries first"
    );
    let line = |r: u32| (date(&s, r, 8), number(&s, r, 9), text(&s, r, 10));
    assert_eq!(line(header + 2), ("2026-03-15".into(), 31.0, "已整改待核".into()));
    assert_eq!(line(header + 3), ("2026-04-01".into(), 14.0, "待整改".into()));
    assert_eq!(text(&s, header + 4, 0), "第一审查调查室（逾期1条）");
    assert_eq!(line(header + 5), ("2026-04-14".into(), 1.0, "待整改".into()));
    assert!(text(&s, header + 5, 0).contains("纪审字"), "the case number");
    assert!(!text(&s, header + 5, 1).is_empty(), "the problem");
    assert_eq!(s.end().unwrap().0, header + 5, "nothing else is overdue");

    let docx = report(&env, &db, "docx", "报告.docx");
    let text = docx_text(&docx);
    let at = text.find("八、整改落实情况").expect("the section");
    assert!(text[at..].contains("九、整改工作要求"));
    for said in [
        "截至2026年4月15日，整改台账共有问题14个，其中已销号2个（按期销号1个）、已整改待核1个、整改中1个、待整改10个；",
        "逾期未销号3个，核查中曾被退回1个，未定整改期限7个。整改合格率14.3%，按期整改率20.0%。",
        "1. 河西乡纪委：应整改3个，已销号1个，逾期未销号2个，整改合格率33.3%，按期整改率33.3%。",
        "2. 第一审查调查室：应整改4个，已销号1个，逾期未销号1个，整改合格率25.0%，按期整改率0.0%。",
        "尚无到期应完成的问题",
        "河西乡纪委（逾期2个）：",
        "整改期限2026年3月15日，逾期31天，现为已整改待核。",
        "第一审查调查室（逾期1个）：",
        "注：整改合格率 = 已销号问题数 ÷ 应整改问题数",
    ] {
        assert!(text[at..].contains(said), "missing “{said}” in\n{}", &text[at..]);
    }
}

#[test]
fn an_empty_ledger_says_so_and_a_bad_day_is_refused() {
    let env = Env::new();
    let db = common::demo(env.dir.path()).display().to_string();
    let xlsx = report(&env, &db, "xlsx", "报告.xlsx");
    let s = sheet(&xlsx, "整改情况");
    assert_eq!(text(&s, 1, 0), "整改台账中尚无问题。");
    assert_eq!(text(&s, 2, 0), "统计日期：2026-04-15");
    let docx = report(&env, &db, "docx", "报告.docx");
    assert!(docx_text(&docx).contains("八、整改落实情况截至2026年4月15日，整改台账中尚无问题。"));

    let out = env.path("x.xlsx").display().to_string();
    let bad = env.fails(&["report", "--db", &db, "--today", "2026-02-30", "-o", &out]);
    assert!(bad.contains("YYYY-MM-DD"), "{bad}");
    assert!(!Path::new(&out).exists(), "nothing written");
    env.ok(&["report", "--db", &db, "-o", &out]);
    let today = text(&sheet(Path::new(&out), "整改情况"), 2, 0);
    assert_eq!(
        today,
        format!("统计日期：{}", pingcha::ledger::today()),
        "today by default"
    );
}
