//! Content that breaks things, made harmless: formulas in CSV cells, notes too long for a
//! spreadsheet, escape sequences in stored text, a spreadsheet with one cell far away,
//! duplicate column headers, more missing elements than a rule lists.

mod common;

use common::{Env, court_round};

fn add(env: &Env, db: &str, case: &str, note: &str) -> std::process::Output {
    let note = format!("--note={note}");
    env.run(&[
        "finding",
        "add",
        "--db",
        db,
        "--case",
        case,
        "--reviewer",
        "张三",
        "--item",
        "cpws.cl",
        "--count",
        "1",
        &note,
    ])
}

#[test]
fn csv_cells_that_look_like_formulas_are_written_as_text() {
    let env = Env::new();
    let db = court_round(&env, &[("A", 3)], &[]);
    let hostile = [
        "=HYPERLINK(\"http://example.invalid\",\"点此\")",
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-2+3",
        "@SUM(1,2)",
    ];
    for note in hostile {
        assert!(add(&env, &db, "A", note).status.success(), "{note}");
    }
    let out = env.path("a.csv");
    env.ok(&[
        "export",
        "--db",
        &db,
        "--format",
        "csv",
        "--case",
        "A",
        "-o",
        &out.display().to_string(),
    ]);
    let bytes = std::fs::read(&out).expect("read");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let notes: Vec<String> = reader
        .records()
        .map(|r| r.expect("row").get(6).expect("note column").to_owned())
        .collect();
    assert_eq!(notes.len(), hostile.len());
    for note in &notes {
        assert!(note.starts_with('\''), "{note}");
        assert!(hostile.contains(&&note[1..]), "{note}: the text itself is kept");
    }
    // Numbers pingcha writes stay numbers (the deduction column is not quoted).
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let first = reader.records().next().expect("row").expect("row");
    assert!(!first.get(9).expect("deduction").starts_with('\''), "{first:?}");
}

#[test]
fn a_note_beyond_the_limit_is_refused_at_entry_and_one_at_the_limit_exports() {
    let env = Env::new();
    let db = court_round(&env, &[("A", 3)], &[]);
    let max = pingcha::text::MAX_CHARS;
    // Windows caps a whole command line at 32,767 UTF-16 units, so a pasted 40,000 characters
    // cannot reach the program there at all; 30,000 still can.
    let pasted = if cfg!(windows) { 30_000 } else { 40_000 };
    for chars in [max + 1, pasted] {
        let out = add(&env, &db, "A", &"长".repeat(chars));
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("问题描述过长") && err.contains(&chars.to_string()),
            "{err}"
        );
    }
    let list = env.ok(&["finding", "list", "--db", &db, "--case", "A"]);
    assert!(!list.contains('长'), "nothing was saved: {list}");
    assert!(add(&env, &db, "A", &"长".repeat(max)).status.success());
    for (format, name) in [("xlsx", "a.xlsx"), ("docx", "a.docx"), ("csv", "a.csv")] {
        let o = env.path(name).display().to_string();
        env.ok(&["export", "--db", &db, "--format", format, "--case", "A", "-o", &o]);
    }
    env.ok(&["ledger", "sync", "--db", &db, "--by", "组织者"]);
    let o = env.path("ledger.xlsx").display().to_string();
    env.ok(&["ledger", "export", "--db", &db, "-o", &o]);
}

#[test]
fn escape_sequences_in_stored_text_never_reach_the_terminal() {
    let env = Env::new();
    let csv = "案号,案由,案件类型,办案部门,主审法官,结案日期,卷册数\nA,合同\x1b]0;owned\x07纠纷,民事,民一庭,法官\x1b[2J,2026-03-01,3\n";
    std::fs::write(env.path("cases.csv"), csv).expect("write");
    let db = env.path("round.db").display().to_string();
    let rubric = common::rubric("fy-xingmin.toml");
    let cases = env.path("cases.csv").display().to_string();
    env.ok(&[
        "round", "new", "--rubric", &rubric, "--cases", &cases, "--name", "x", "-o", &db,
    ]);
    assert!(
        add(&env, &db, "A", "说理\x1b]0;title\x07不足\x1b[2J\x1b[H\r第二行\u{202E}")
            .status
            .success()
    );
    for args in [
        vec!["finding", "list", "--db", &db, "--case", "A"],
        vec!["case", "list", "--db", &db],
        vec!["score", "--db", &db, "--case", "A"],
        vec!["score", "--db", &db],
        vec!["compare", "--db", &db, "--case", "A"],
    ] {
        let out = env.ok(&args);
        assert!(
            !out.chars().any(|c| (c.is_control() && c != '\n') || c == '\u{202E}'),
            "{args:?}: {out:?}"
        );
    }
    let list = env.ok(&["finding", "list", "--db", &db, "--case", "A"]);
    assert!(list.contains("说理]0;title不足"), "the text is still readable: {list}");
}

/// A workbook with the court rubric's columns, one case, and a value in the sheet's last cell.
fn far_cell_workbook(path: &std::path::Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let header = ["案号", "案由", "案件类型", "办案部门", "主审法官", "结案日期", "卷册数"];
    let row = ["A", "合同纠纷", "民事", "民一庭", "法官", "2026-03-01", "3"];
    for (c, (h, v)) in header.iter().zip(row).enumerate() {
        ws.write_string(0, c as u16, *h).expect("cell");
        ws.write_string(1, c as u16, v).expect("cell");
    }
    ws.write_string(1_048_575, 16_383, "远").expect("far cell");
    wb.save(path).expect("save");
}

#[test]
fn a_spreadsheet_reaching_its_last_cell_is_refused_not_allocated() {
    let env = Env::new();
    let far = env.path("far.xlsx");
    far_cell_workbook(&far);
    let rubric = common::rubric("fy-xingmin.toml");
    let db = env.path("round.db").display().to_string();
    let f = far.display().to_string();
    let started = std::time::Instant::now();
    let err = env.fails(&[
        "round", "new", "--rubric", &rubric, "--cases", &f, "--name", "x", "-o", &db,
    ]);
    assert!(err.contains("范围过大"), "{err}");
    assert!(!std::path::Path::new(&db).exists());
    let db = court_round(&env, &[("A", 3)], &[]);
    let err = env.fails(&["ledger", "import", "--db", &db, &f, "--by", "单位联络员"]);
    assert!(err.contains("范围过大"), "{err}");
    assert!(
        started.elapsed().as_secs() < 20,
        "refused without reading billions of cells"
    );
}

#[test]
fn a_column_header_given_twice_is_refused() {
    let env = Env::new();
    let csv =
        "案号,案由,案件类型,办案部门,主审法官,主审法官,结案日期,卷册数\nA,合同纠纷,民事,民一庭,甲,乙,2026-03-01,3\n";
    std::fs::write(env.path("cases.csv"), csv).expect("write");
    let db = env.path("round.db").display().to_string();
    let rubric = common::rubric("fy-xingmin.toml");
    let cases = env.path("cases.csv").display().to_string();
    let err = env.fails(&[
        "round", "new", "--rubric", &rubric, "--cases", &cases, "--name", "x", "-o", &db,
    ]);
    assert!(err.contains("主审法官") && err.contains("两次"), "{err}");
    assert!(!std::path::Path::new(&db).exists());
}

#[test]
fn a_count_beyond_the_elements_a_rule_lists_is_refused() {
    let env = Env::new();
    let dir = env.path("demo");
    env.ok(&["demo", "--dir", &dir.display().to_string()]);
    let db = pingcha::demo::path_in(&dir).display().to_string();
    let add = |count: &str| {
        env.run(&[
            "finding",
            "add",
            "--db",
            &db,
            "--case",
            "〔2026〕纪审字第001号",
            "--reviewer",
            "张明",
            "--item",
            "sszj.sfcl",
            "--count",
            count,
            "--note",
            "缺身份材料",
        ])
    };
    let out = add("6");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("5 个要素"), "{err}");
    assert!(add("5").status.success());
}

#[test]
fn a_case_list_cell_beyond_the_limit_is_refused_naming_its_row_and_column() {
    let env = Env::new();
    let long = "长".repeat(pingcha::text::MAX_CHARS + 1);
    let csv = format!(
        "案号,案由,案件类型,办案部门,主审法官,结案日期,卷册数\nA,合同纠纷,民事,民一庭,甲,2026-03-01,3\nB,{long},民事,民一庭,乙,2026-03-02,1\n"
    );
    std::fs::write(env.path("cases.csv"), csv).expect("write");
    let db = env.path("round.db").display().to_string();
    let rubric = common::rubric("fy-xingmin.toml");
    let cases = env.path("cases.csv").display().to_string();
    let err = env.fails(&[
        "round", "new", "--rubric", &rubric, "--cases", &cases, "--name", "x", "-o", &db,
    ]);
    assert!(
        err.contains("过长") && err.contains("案由") && err.contains('3'),
        "{err}"
    );
    assert!(!std::path::Path::new(&db).exists());
}
