//! The files people hand over, produced through the real binary from the demo round and read
//! back: XLSX with calamine, CSV as bytes; every number compared with the engine's.

mod common;

use calamine::Data;
use common::Env;
use common::xlsx::{assert_authored_by, number, part, row_heights, row_of, sheet, text};
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
    // One problem in two settled cases, so the 共性问题 sheet has a line.
    for case in ["〔2026〕纪审字第005号", "〔2026〕纪审字第006号"] {
        env.ok(&[
            "finding",
            "add",
            "--db",
            &db.display().to_string(),
            "--case",
            case,
            "--item",
            "sszj.bl",
            "--problem",
            "SZ-12",
            "--count",
            "1",
            "--note",
            "笔录未逐页签名",
            "--reviewer",
            "张明",
        ]);
    }
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

    assert_authored_by(&out, "纪委监委");
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

    let units = sheet(&out, "承办单位");
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
        let row = 2 + i as u32;
        assert_eq!(number(&units, row, 0), (i + 1) as f64);
        assert_eq!(&text(&units, row, 1), unit, "ranking order");
        assert!((number(&units, row, 3) - avg).abs() < 0.006);
    }

    let cases = sheet(&out, "案件明细");
    for (i, (case, s)) in scored.iter().enumerate() {
        let row = 2 + i as u32;
        assert_eq!(text(&cases, row, 0), case.case_no);
        assert_eq!(number(&cases, row, 6), s.total.as_f64());
        assert_eq!(text(&cases, row, 7), s.final_grade());
    }
    let by_category = sheet(&out, "类别");
    let scoring = rubric.categories.iter().filter(|c| c.points.hundredths() > 0).count() as u32;
    assert_eq!(
        text(&by_category, 1 + scoring, 0),
        rubric.categories[scoring as usize - 1].name
    );
    assert!(
        by_category
            .get_value((2 + scoring, 0))
            .is_none_or(|v| *v == Data::Empty),
        "zero-point categories left out"
    );
    let category_problems: f64 = (2..2 + scoring).map(|r| number(&by_category, r, 4)).sum();
    assert_eq!(category_problems, f64::from(problems));
    let common = sheet(&out, "共性问题");
    assert_eq!(text(&common, 1, 2), "问题表述");
    let counts: Vec<f64> = (2..common.end().unwrap().0 + 1)
        .map(|r| number(&common, r, 4))
        .collect();
    assert!(!counts.is_empty());
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "ranked by cases affected");
    assert!(
        counts.iter().all(|&n| n >= 2.0),
        "only problems of two cases or more: {counts:?}"
    );
    for r in 2..2 + counts.len() as u32 {
        let listed = text(&common, r, 6);
        assert_eq!(listed.lines().count() as f64, number(&common, r, 4), "{listed}");
        assert!(
            listed.lines().all(|no| scored.iter().any(|(c, _)| c.case_no == no)),
            "{listed}"
        );
    }
    // Every sheet has a title row and a numbered footer; the charts' value axes start at 0 and
    // the pie repeats the table's percentages to a tenth.
    for i in 1..=8 {
        let xml = part(&out, &format!("xl/worksheets/sheet{i}.xml"));
        assert!(xml.contains("&amp;P 页 / 共 &amp;N 页"), "sheet {i}");
    }
    let charts: Vec<String> = (1..=4)
        .map(|i| part(&out, &format!("xl/charts/chart{i}.xml")))
        .collect();
    assert!(charts[0].contains(r#"formatCode="0.0%""#), "{}", charts[0]);
    for chart in &charts[1..] {
        assert!(chart.contains(r#"<c:min val="0"/>"#), "{chart}");
    }
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
    assert_authored_by(&xlsx, "纪委监委");
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

    // Typed cells: 卷, 页, 处数 and 卷册数 are numbers, 立案日期 a date; 处数 and 问题编码 columns.
    let list_header = row_of(&list, "序号");
    let titles: Vec<String> = (0..11).map(|c| text(&list, list_header, c)).collect();
    assert_eq!(titles[3], "问题编码");
    assert_eq!(titles[8], "处数");
    let first = (list_header + 1..)
        .find(|&r| matches!(list.get_value((r, 0)), Some(Data::Float(_))))
        .unwrap();
    for col in [6, 7, 8, 9] {
        number(&list, first, col);
    }
    assert_eq!(
        number(&list, row_of(&list, "卷册数"), 1),
        case.volumes().unwrap() as f64
    );
    let label = Data::String("立案日期".into());
    let opened = list
        .cells()
        .find(|(_, _, v)| **v == label)
        .map(|(r, c, _)| (r as u32, c as u32))
        .unwrap();
    assert!(
        matches!(list.get_value((opened.0, opened.1 + 1)), Some(Data::DateTime(_))),
        "{:?}",
        list.get_value((opened.0, opened.1 + 1))
    );
    // Only the header row (under the title row) is frozen and printed on every page; wrapped
    // rows are as tall as their lines; a page header and a numbered footer.
    let xml = part(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"<pane ySplit="2" topLeftCell="A3""#), "{xml}");
    assert!(xml.contains("&amp;P 页 / 共 &amp;N 页"), "page x/y in the footer");
    let workbook = part(&xlsx, "xl/workbook.xml");
    assert!(workbook.contains("问题清单!$2:$2"), "{workbook}");
    assert!(
        !xml.contains("Calibri") && !part(&xlsx, "xl/styles.xml").contains("Calibri"),
        "one font family"
    );
    let heights = row_heights(&xml);
    assert!(
        heights.iter().any(|&(r, h)| r > 2 && h >= 30.0),
        "wrapped rows grow: {heights:?}"
    );

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
    assert_eq!(&reader.headers().unwrap()[9], "处数");
    assert!(rows.iter().all(|r| r[12] == score.total.to_string()));

    // A case with a sheet and no findings keeps its score and grade in one row.
    let clean = "〔2026〕纪审字第009号";
    env.ok(&["mark", "--db", &db_arg, "--case", clean, "--done", "--reviewer", "张明"]);
    let csv = env.path("clean.csv");
    let csv_arg = csv.display().to_string();
    env.ok(&[
        "export", "--db", &db_arg, "--case", clean, "--format", "csv", "-o", &csv_arg,
    ]);
    let bytes = std::fs::read(&csv).unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(&bytes[3..])
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!((&rows[0][0], &rows[0][12], &rows[0][13]), (clean, "100", "优秀"));
    let xlsx = env.path("clean.xlsx");
    let xlsx_arg = xlsx.display().to_string();
    env.ok(&[
        "export", "--db", &db_arg, "--case", clean, "--format", "xlsx", "-o", &xlsx_arg,
    ]);
    let list = sheet(&xlsx, "问题清单");
    assert_eq!(text(&list, 2, 0), "本案未记录问题。");
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
        "一、被评查案件基本情况",
        "二、评查工作开展情况",
        "三、评查发现的问题",
        "四、评查小组联席会议情况",
        "五、结果等次建议及评定依据",
        "六、其他需要说明的问题",
    ];
    let mut at = 0;
    for section in sections {
        at += text[at..]
            .find(section)
            .unwrap_or_else(|| panic!("{section} missing or out of order"));
    }
    assert!(text.contains(&case.case_no));
    assert!(
        text.contains("评查人员张明（初评）") && text.contains("本意见依据张明（初评）的评查表形成"),
        "{text}"
    );
    assert!(text.contains(&format!("本案评查得分{}分", score.total)), "{text}");
    assert!(text.contains(&format!("建议本案等次评定为“{}”", score.grade)));
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
    for category in rubric.categories.iter().filter(|c| !touched.contains(&c.name.as_str())) {
        assert!(
            !text.contains(&format!("）{}", category.name)),
            "only categories with problems"
        );
    }
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&opinion).unwrap()).unwrap();
    let mut core = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("docProps/core.xml").unwrap(), &mut core).unwrap();
    assert!(core.contains("<dc:creator>纪委监委</dc:creator>"), "{core}");
    assert!(!core.contains("1970-01-01"), "created now: {core}");
    let mut fonts = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/fontTable.xml").unwrap(), &mut fonts).unwrap();
    assert!(
        fonts.contains(r#"w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#),
        "{fonts}"
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
    assert!(
        text.contains("本轮抽取案件20件，其中已定稿5件、未定稿3件、尚未评查12件"),
        "{text}"
    );
    assert!(text.contains("以下数据仅统计已定稿案件"), "{text}");
    let problems: u32 = scored.iter().map(|(_, s)| s.problems).sum();
    assert!(text.contains(&format!("共发现问题{problems}个")));
    for section in [
        "一、基本情况",
        "二、评查结果",
        "三、发现的共性问题",
        "四、一票否决、限等和评为最低等次的案件",
        "五、各承办单位评查情况",
        "六、各承办人评查情况",
        "七、各类别扣分情况",
        "八、整改落实情况",
        "九、整改工作要求",
    ] {
        assert!(text.contains(section), "{section}");
    }
    assert!(!text.contains("承办部门"), "one word for the unit");
    assert!(text.contains("纪委监委案件质量评查组"), "落款");
}

/// LibreOffice (`libreoffice` or `soffice`), when installed.
fn office() -> Option<&'static str> {
    ["libreoffice", "soffice"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Converts `files` to PDF in one LibreOffice run (each start costs seconds) and returns each
/// PDF's text (pdftotext, or "" where poppler is missing).
fn to_pdf_text(env: &Env, office: &str, files: &[&Path]) -> Vec<String> {
    let pdf_dir = env.path("pdf");
    let status = std::process::Command::new(office)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&pdf_dir)
        .args(files)
        .env("HOME", env.path("home"))
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    files
        .iter()
        .map(|file| {
            let pdf = pdf_dir.join(file.with_extension("pdf").file_name().unwrap());
            assert!(std::fs::metadata(&pdf).unwrap().len() > 1000, "{}", pdf.display());
            std::process::Command::new("pdftotext")
                .arg("-raw")
                .arg(&pdf)
                .arg("-")
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                .unwrap_or_default()
        })
        .collect()
}

/// A procuratorate (jcy-2026) round with one reviewed case; returns its path.
fn procuratorate_round(env: &Env) -> String {
    let cases = env.path("jcy-cases.csv");
    std::fs::write(
        &cases,
        "部门受案号,案件名称,承办部门,承办检察官\n某检刑诉〔2026〕1号,张某盗窃案,第一检察部,李检察官\n",
    )
    .unwrap();
    let db = env.path("jcy.db").display().to_string();
    env.ok(&[
        "round",
        "new",
        "--rubric",
        &common::rubric("jcy-2026.toml"),
        "--cases",
        &cases.display().to_string(),
        "--name",
        "2026年度刑事案件质量评查",
        "-o",
        &db,
    ]);
    env.ok(&[
        "finding",
        "add",
        "--db",
        &db,
        "--case",
        "某检刑诉〔2026〕1号",
        "--item",
        "zjcx.xs",
        "--count",
        "1",
        "--note",
        "讯问笔录未记载起止时间",
        "--reviewer",
        "张明",
    ]);
    db
}

#[test]
fn produced_files_convert_to_pdf_with_libreoffice() {
    let Some(office) = office() else {
        eprintln!("libreoffice not installed: skipping PDF conversion check");
        return;
    };
    let env = Env::new();
    let db = demo(&env);
    let db_arg = db.display().to_string();
    let vetoed = "〔2026〕纪审字第005号";
    env.ok(&[
        "finding",
        "add",
        "--db",
        &db_arg,
        "--case",
        vetoed,
        "--item",
        "fj.ffqz",
        "--note",
        "关键证人证言系以引诱方式取得",
        "--vol",
        "2",
        "--page",
        "14",
        "--reviewer",
        "张明",
    ]);
    for case in ["〔2026〕纪审字第006号", "〔2026〕纪审字第007号"] {
        env.ok(&[
            "finding",
            "add",
            "--db",
            &db_arg,
            "--case",
            case,
            "--item",
            "sszj.bl",
            "--problem",
            "SZ-12",
            "--count",
            "1",
            "--note",
            "笔录未逐页签名",
            "--reviewer",
            "张明",
        ]);
    }
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
    let opinion = env.path("vetoed.docx");
    let opinion_arg = opinion.display().to_string();
    env.ok(&[
        "export",
        "--db",
        &db_arg,
        "--case",
        vetoed,
        "--format",
        "docx",
        "-o",
        &opinion_arg,
    ]);
    let jcy = procuratorate_round(&env);
    let jcy_opinion = env.path("jcy.docx");
    let jcy_arg = jcy_opinion.display().to_string();
    env.ok(&[
        "export",
        "--db",
        &jcy,
        "--case",
        "某检刑诉〔2026〕1号",
        "--format",
        "docx",
        "-o",
        &jcy_arg,
    ]);

    let texts = to_pdf_text(&env, office, &[&xlsx, &docx, &opinion, &jcy_opinion]);
    let [_, narrative_text, vetoed_text, jcy_text] = &texts[..] else {
        unreachable!()
    };
    if vetoed_text.is_empty() {
        eprintln!("pdftotext not installed: skipping the PDF text checks");
        return;
    }
    // pdftotext breaks lines where the page does; compare without them.
    let flat = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let (vetoed_text, jcy_text) = (flat(vetoed_text), flat(jcy_text));
    // 共性问题: only problems of two cases or more, each with its case numbers.
    let narrative = flat(narrative_text);
    let common = &narrative[narrative.find("三、发现的共性问题").unwrap()..narrative.find("四、").unwrap()];
    assert!(common.contains("谈话笔录无被谈话人逐页签名捺印"), "{common}");
    assert!(
        common.contains("〔2026〕纪审字第006号") && common.contains("〔2026〕纪审字第007号"),
        "{common}"
    );
    let report = pingcha::report::round_report(&Store::open_read_only(&db).unwrap()).unwrap();
    for c in &report.cases {
        for f in c.findings.iter().filter(|f| f.is_problem && !f.problem.is_empty()) {
            let cases = report
                .cases
                .iter()
                .filter(|o| {
                    o.findings
                        .iter()
                        .any(|g| g.is_problem && g.problem_code == f.problem_code)
                })
                .count();
            if cases < 2 {
                assert!(
                    !common.contains(&flat(&f.problem)),
                    "{} is in one case only: {common}",
                    f.problem
                );
            }
        }
    }
    // The narrative's charts are drawn from its tables: the grade shares, the units' averages
    // on an axis from 0 to 100, the categories' deductions.
    for title in ["各等次案件数占比", "各承办单位平均分", "各类别扣分合计"] {
        assert!(narrative.contains(title), "chart {title} rendered: {narrative}");
    }
    assert!(!vetoed_text.contains("继续保持"), "{vetoed_text}");
    assert!(vetoed_text.contains("一票否决，全案不得分"), "{vetoed_text}");
    assert!(
        vetoed_text.contains("以威胁、引诱、欺骗等非法方法收集证据并作为定案依据"),
        "names the veto"
    );
    assert!(!jcy_text.contains("案件审理室"), "{jcy_text}");
    assert!(
        jcy_text.contains("案件管理部门") && jcy_text.contains("人民检察院案件质量评查组"),
        "{jcy_text}"
    );
    for text in [&vetoed_text, &jcy_text] {
        assert!(!text.contains("评查评查"), "{text}");
        assert!(text.contains("—1—"), "page numbers: {text}");
        let tail: String = text
            .chars()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let date = tail.find("年").zip(tail.find("月")).zip(tail.find("日"));
        assert!(
            matches!(date, Some(((y, m), d)) if y < m && m < d),
            "落款 date in 年月日: {tail}"
        );
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
    assert_ne!(text(&cases, 2, 0), case_no, "an unsettled case has no result row");
    let coverage = sheet(&report, "定稿情况");
    let listed: Vec<String> = (9..11)
        .map(|r| text(&coverage, r, 0) + &text(&coverage, r, 2))
        .collect();
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
    assert_eq!(text(&cases, 2, 0), case_no);
    assert_eq!(
        (text(&cases, 2, 4), text(&cases, 2, 5)),
        ("王主任".into(), "终评".into())
    );
    assert_eq!(text(&cases, 2, 9), "已定稿");
    let (_, score) = engine(&db).into_iter().next().unwrap();
    assert_eq!(number(&cases, 2, 6), score.total.as_f64());
    assert_eq!(score.problems, 1);
}

/// The members of a zip package (DOCX and XLSX are zips), or none for anything else.
fn zip_members(path: &Path) -> Vec<String> {
    let Ok(file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    match zip::ZipArchive::new(file) {
        Ok(zip) => zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn the_output_name_says_the_format_and_a_contradicting_format_is_refused() {
    let env = Env::new();
    let db = demo(&env);
    let db_arg = db.display().to_string();
    // `report -o 报告.docx` writes the Word report, not a workbook under a .docx name.
    let docx = env.path("报告.docx");
    env.ok(&["report", "--db", &db_arg, "-o", &docx.display().to_string()]);
    assert!(zip_members(&docx).iter().any(|m| m == "word/document.xml"));
    let xlsx = env.path("报告.XLSX");
    env.ok(&["report", "--db", &db_arg, "-o", &xlsx.display().to_string()]);
    assert!(zip_members(&xlsx).iter().any(|m| m == "xl/workbook.xml"));
    // export: the extension picks the problem list's format; json stays the default.
    let case = "〔2026〕纪审字第004号";
    let list = env.path("清单.xlsx");
    env.ok(&[
        "export",
        "--db",
        &db_arg,
        "--case",
        case,
        "-o",
        &list.display().to_string(),
    ]);
    assert!(zip_members(&list).iter().any(|m| m == "xl/workbook.xml"));
    let dump = env.path("dump");
    env.ok(&["export", "--db", &db_arg, "-o", &dump.display().to_string()]);
    assert!(std::fs::read_to_string(&dump).unwrap().trim_start().starts_with('{'));
    // A format that contradicts the name is refused before anything is written.
    let wrong = env.path("报告2.xlsx");
    let before = common::sha256(&db);
    let out = env.run(&[
        "report",
        "--db",
        &db_arg,
        "--format",
        "docx",
        "-o",
        &wrong.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(".xlsx") && err.contains("--format docx"), "{err}");
    assert!(!wrong.exists(), "nothing written");
    assert_eq!(common::sha256(&db), before);
}
