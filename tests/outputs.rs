//! The files people hand over, produced through the real binary from the demo round and read
//! back: XLSX with calamine, CSV as bytes; every number compared with the engine's.

mod common;

use calamine::Data;
use common::Env;
use common::xlsx::{number, row_of, sheet, text};
use pingcha::points::Points;
use pingcha::score::ScoreSheet;
use pingcha::store::{Case, Store};
use std::path::{Path, PathBuf};

/// The demo round in the test's directory.
fn demo(env: &Env) -> PathBuf {
    let dir = env.path("demo");
    env.ok(&["demo", "--dir", &dir.display().to_string()]);
    pingcha::demo::path_in(&dir)
}

/// Every reviewed case with the engine's score of the sheet that counts.
fn engine(db: &Path) -> Vec<(Case, ScoreSheet)> {
    let store = Store::open_read_only(db).unwrap();
    let mut out = Vec::new();
    for case in store.cases().unwrap() {
        if let Some(sheet) = store.standing(&case.id).unwrap().sheet() {
            let score = store.score(sheet).unwrap();
            out.push((case, score));
        }
    }
    out
}

fn mean(values: &[Points]) -> f64 {
    values.iter().map(|p| p.as_f64()).sum::<f64>() / values.len() as f64
}

#[test]
fn the_round_report_workbook_holds_the_engines_numbers() {
    let env = Env::new();
    let db = demo(&env);
    let out = env.path("评查情况报告.xlsx");
    env.ok(&[
        "report",
        "--db",
        &db.display().to_string(),
        "-o",
        &out.display().to_string(),
    ]);
    let scored = engine(&db);
    let totals: Vec<Points> = scored.iter().map(|(_, s)| s.total).collect();
    assert_eq!(
        scored.len(),
        5,
        "the demo's three cases with two 初评 sheets are 未定稿"
    );

    let summary = sheet(&out, "汇总");
    assert_eq!(number(&summary, row_of(&summary, "评查案件数"), 1), 5.0);
    let average = number(&summary, row_of(&summary, "平均分"), 1);
    assert!(
        (average - mean(&totals)).abs() < 0.006,
        "{average} vs {}",
        mean(&totals)
    );
    let max = totals.iter().max().unwrap().as_f64();
    let min = totals.iter().min().unwrap().as_f64();
    assert_eq!(number(&summary, row_of(&summary, "最高分"), 1), max);
    assert_eq!(number(&summary, row_of(&summary, "最低分"), 1), min);
    let problems: u32 = scored.iter().map(|(_, s)| s.problems).sum();
    assert_eq!(number(&summary, row_of(&summary, "问题总数"), 1), f64::from(problems));

    let rubric = pingcha::rubric::load(pingcha::demo::RUBRIC, "demo").unwrap();
    let header = row_of(&summary, "等次");
    for (i, band) in rubric.grades.iter().enumerate() {
        let row = header + 1 + i as u32;
        assert_eq!(text(&summary, row, 0), band.name, "grades in the rubric's order");
        let count = scored.iter().filter(|(_, s)| s.final_grade() == band.name).count();
        assert_eq!(number(&summary, row, 1), count as f64, "{}", band.name);
        assert!((number(&summary, row, 2) - count as f64 / 5.0).abs() < 1e-9);
    }

    let units = sheet(&out, "承办部门");
    let mut expected: Vec<(String, f64)> = Vec::new();
    for (case, _) in &scored {
        let unit = case.field("unit").to_owned();
        if !expected.iter().any(|(u, _)| *u == unit) {
            let group: Vec<Points> = scored
                .iter()
                .filter(|(c, _)| c.field("unit") == unit)
                .map(|(_, s)| s.total)
                .collect();
            expected.push((unit, mean(&group)));
        }
    }
    expected.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (i, (unit, avg)) in expected.iter().enumerate() {
        let row = 1 + i as u32;
        assert_eq!(number(&units, row, 0), (i + 1) as f64);
        assert_eq!(&text(&units, row, 1), unit, "ranking order");
        assert!((number(&units, row, 3) - avg).abs() < 0.006);
    }

    let cases = sheet(&out, "案件明细");
    for (i, (case, s)) in scored.iter().enumerate() {
        let row = 1 + i as u32;
        assert_eq!(text(&cases, row, 0), case.case_no);
        assert_eq!(number(&cases, row, 6), s.total.as_f64());
        assert_eq!(text(&cases, row, 7), s.final_grade());
    }
    let by_category = sheet(&out, "类别");
    let category_problems: f64 = (1..=rubric.categories.len() as u32)
        .map(|r| number(&by_category, r, 4))
        .sum();
    assert_eq!(category_problems, f64::from(problems));
    let common = sheet(&out, "共性问题");
    assert_eq!(text(&common, 0, 2), "问题表述");
    let counts: Vec<f64> = (1..common.end().unwrap().0 + 1)
        .map(|r| number(&common, r, 5))
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "ranked by cases affected");
}

#[test]
fn a_cases_problem_list_as_xlsx_and_csv() {
    let env = Env::new();
    let db = demo(&env);
    let (case, score) = engine(&db).into_iter().nth(3).unwrap();
    let xlsx = env.path("case.xlsx");
    let db_arg = db.display().to_string();
    env.ok(&[
        "export",
        "--db",
        &db_arg,
        "--case",
        &case.case_no,
        "--format",
        "xlsx",
        "-o",
        &xlsx.display().to_string(),
    ]);
    let list = sheet(&xlsx, "问题清单");
    assert!(text(&list, 0, 0).contains(&case.case_no));
    let score_row = row_of(&list, "得分");
    assert_eq!(number(&list, score_row, 1), score.total.as_f64());
    assert_eq!(text(&list, score_row, 4), score.final_grade());
    let header = row_of(&list, "序号");
    let numbered = (header + 1..list.end().unwrap().0 + 1)
        .filter(|&r| matches!(list.get_value((r, 0)), Some(Data::Float(_))))
        .count();
    let store = Store::open_read_only(&db).unwrap();
    let findings = store
        .findings(&store.standing(&case.id).unwrap().sheet().unwrap().id)
        .unwrap();
    assert_eq!(numbered, findings.len());
    let by_page = sheet(&xlsx, "按卷页");
    let header = row_of(&by_page, "卷");
    let places: Vec<(f64, f64)> = (header + 1..header + 1 + findings.len() as u32)
        .map(|r| (number(&by_page, r, 0), number(&by_page, r, 1)))
        .collect();
    assert!(places.windows(2).all(|w| w[0] <= w[1]), "{places:?}");

    let csv = env.path("case.csv");
    env.ok(&[
        "export",
        "--db",
        &db_arg,
        "--case",
        &case.case_no,
        "--format",
        "csv",
        "-o",
        &csv.display().to_string(),
    ]);
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel and WPS");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(&reader.headers().unwrap()[0], "案号");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), findings.len());
    assert!(rows.iter().all(|r| r[11] == score.total.to_string()));
}

#[test]
fn all_cases_write_one_file_each_and_refusals_are_clear() {
    let env = Env::new();
    let db = demo(&env);
    let db_arg = db.display().to_string();
    let dir = env.path("out");
    env.ok(&[
        "export",
        "--db",
        &db_arg,
        "--all-cases",
        "--format",
        "xlsx",
        "-o",
        &dir.display().to_string(),
    ]);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let expected: Vec<String> = engine(&db)
        .iter()
        .map(|(c, _)| format!("{}.xlsx", pingcha::export::file_stem(&c.case_no)))
        .collect();
    let mut sorted = expected.clone();
    sorted.sort();
    assert_eq!(names, sorted);

    let store = Store::open_read_only(&db).unwrap();
    let unreviewed = store.cases().unwrap().pop().unwrap();
    let err = env.fails(&[
        "export",
        "--db",
        &db_arg,
        "--case",
        &unreviewed.case_no,
        "--format",
        "csv",
        "-o",
        "x.csv",
    ]);
    assert!(err.contains("尚无评查表"), "{err}");
    let out = env.run(&["export", "--db", &db_arg, "--case", &unreviewed.case_no, "-o", "x.json"]);
    assert_eq!(out.status.code(), Some(2), "json takes no --case");
}

/// The text of word/document.xml in a DOCX, tags removed.
fn docx_text(path: &Path) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert!(
        xml.contains("仿宋_GB2312") && xml.contains("黑体"),
        "Chinese fonts named in the document"
    );
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

#[test]
fn a_review_opinion_and_the_narrative_report_as_docx() {
    let env = Env::new();
    let db = demo(&env);
    let db_arg = db.display().to_string();
    let scored = engine(&db);
    let (case, score) = &scored[3];
    let opinion = env.path("opinion.docx");
    env.ok(&[
        "export",
        "--db",
        &db_arg,
        "--case",
        &case.case_no,
        "--format",
        "docx",
        "-o",
        &opinion.display().to_string(),
    ]);
    let text = docx_text(&opinion);
    let sections = [
        "一、案件基本情况",
        "二、评查工作开展情况",
        "三、发现的问题",
        "四、评查得分及等次",
        "五、整改要求",
    ];
    let mut at = 0;
    for section in sections {
        at += text[at..]
            .find(section)
            .unwrap_or_else(|| panic!("{section} missing or out of order"));
    }
    assert!(text.contains(&case.case_no));
    assert!(
        text.contains("评查人：张明（初评）；本意见依据张明（初评）的评查表"),
        "{text}"
    );
    assert!(text.contains(&format!("评查得分{}分", score.total)), "{text}");
    assert!(text.contains(&format!("计算等次为{}", score.grade)));
    let rubric = pingcha::rubric::load(pingcha::demo::RUBRIC, "demo").unwrap();
    let store = Store::open_read_only(&db).unwrap();
    let findings = store
        .findings(&store.standing(&case.id).unwrap().sheet().unwrap().id)
        .unwrap();
    let touched: Vec<&str> = findings
        .iter()
        .filter_map(|f| rubric.scorable(&f.node).map(|n| n.category.name.as_str()))
        .collect();
    let untouched = rubric
        .categories
        .iter()
        .filter(|c| !touched.contains(&c.name.as_str()))
        .count();
    assert!(untouched > 0);
    assert_eq!(
        text.matches("未发现问题。").count(),
        untouched,
        "a category with none says so"
    );

    let report = env.path("report.docx");
    env.ok(&[
        "report",
        "--db",
        &db_arg,
        "--format",
        "docx",
        "-o",
        &report.display().to_string(),
    ]);
    let text = docx_text(&report);
    assert!(text.contains("已定稿案件5件，未定稿3件，未评查12件"), "{text}");
    assert!(text.contains("以下数据仅统计已定稿案件"), "{text}");
    let problems: u32 = scored.iter().map(|(_, s)| s.problems).sum();
    assert!(text.contains(&format!("共发现问题{problems}个")));
    for section in [
        "一、基本情况",
        "二、评查结果",
        "三、各承办部门评查情况",
        "四、发现的共性问题",
        "五、各类别扣分情况",
    ] {
        assert!(text.contains(section), "{section}");
    }
}

#[test]
fn produced_files_convert_to_pdf_with_libreoffice() {
    let Some(office) = ["libreoffice", "soffice"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!("libreoffice not installed: skipping PDF conversion check");
        return;
    };
    let env = Env::new();
    let db = demo(&env);
    let db_arg = db.display().to_string();
    let xlsx = env.path("report.xlsx");
    env.ok(&["report", "--db", &db_arg, "-o", &xlsx.display().to_string()]);
    let docx = env.path("narrative.docx");
    env.ok(&[
        "report",
        "--db",
        &db_arg,
        "--format",
        "docx",
        "-o",
        &docx.display().to_string(),
    ]);
    let pdf_dir = env.path("pdf");
    for (file, pdf) in [(&xlsx, "report.pdf"), (&docx, "narrative.pdf")] {
        let status = std::process::Command::new(office)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&pdf_dir)
            .arg(file)
            .env("HOME", env.path("home"))
            .status()
            .unwrap();
        assert!(status.success());
        assert!(std::fs::metadata(pdf_dir.join(pdf)).unwrap().len() > 1000, "{pdf}");
    }
}

#[test]
fn a_final_sheet_settles_a_provisional_case() {
    let env = Env::new();
    let db = demo(&env);
    let db_arg = db.display().to_string();
    let case_no = "〔2026〕纪审字第001号";
    let report = env.path("before.xlsx");
    env.ok(&["report", "--db", &db_arg, "-o", &report.display().to_string()]);
    let cases = sheet(&report, "案件明细");
    assert_ne!(text(&cases, 1, 0), case_no, "an unsettled case has no result row");
    let coverage = sheet(&report, "定稿情况");
    let listed: Vec<String> = (7..9).map(|r| text(&coverage, r, 0) + &text(&coverage, r, 2)).collect();
    assert_eq!(listed, [format!("{case_no}张明"), format!("{case_no}李华")]);

    env.ok(&["reviewer", "add", "--db", &db_arg, "王主任", "--leader"]);
    env.ok(&[
        "finding",
        "add",
        "--db",
        &db_arg,
        "--case",
        case_no,
        "--reviewer",
        "王主任",
        "--stage",
        "终评",
        "--item",
        "cxsx.la",
        "--note",
        "立案审批表缺少审批人签字",
        "--vol",
        "1",
        "--page",
        "2",
    ]);
    let report = env.path("after.xlsx");
    env.ok(&["report", "--db", &db_arg, "-o", &report.display().to_string()]);
    let cases = sheet(&report, "案件明细");
    assert_eq!(text(&cases, 1, 0), case_no);
    assert_eq!(
        (text(&cases, 1, 4), text(&cases, 1, 5)),
        ("王主任".into(), "终评".into())
    );
    assert_eq!(text(&cases, 1, 9), "已定稿");
    let (_, score) = engine(&db).into_iter().next().unwrap();
    assert_eq!(number(&cases, 1, 6), score.total.as_f64());
    assert_eq!(score.problems, 1);
}
