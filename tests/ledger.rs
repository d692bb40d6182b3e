//! The rectification ledger through the real binary: sync, list filters, and every state
//! change allowed or refused, a refusal leaving the round file's records unchanged.

mod common;

use common::Env;
use pingcha::store::Store;
use std::path::Path;

fn canonical(path: &Path) -> String {
    let store = Store::open_read_only(path).expect("open");
    pingcha::export::json::canonical(&store).expect("dump")
}

/// The demo round with its ledger synced; returns the env, the file, and the listing.
fn synced() -> (Env, String, String) {
    let env = Env::new();
    let db = common::demo(env.dir.path()).display().to_string();
    let out = env.ok(&["ledger", "sync", "--db", &db, "--by", "督查员"]);
    // 14: the problems of the demo's five settled cases (its three cases with two 初评 sheets
    // are 未定稿 and have no entries).
    assert!(out.starts_with("新增 14 条"), "{out}");
    let list = env.ok(&["ledger", "list", "--db", &db]);
    (env, db, list)
}

/// The entry ids of a listing (first column, after the header and the rule).
fn ids(list: &str) -> Vec<String> {
    list.lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect()
}

#[test]
fn sync_is_idempotent_and_list_filters_by_unit_and_state() {
    let (env, db, list) = synced();
    assert_eq!(ids(&list).len(), 14);
    let before = canonical(Path::new(&db));
    let again = env.ok(&["ledger", "sync", "--db", &db, "--by", "督查员"]);
    assert!(again.starts_with("新增 0 条"), "{again}");
    assert_eq!(canonical(Path::new(&db)), before, "a second sync changes nothing");

    let unit = env.ok(&["ledger", "list", "--db", &db, "--unit", "河西乡纪委"]);
    let rows: Vec<&str> = unit.lines().skip(2).collect();
    assert!(!rows.is_empty() && rows.len() < 14, "{unit}");
    assert!(rows.iter().all(|r| r.contains("河西乡纪委")), "{unit}");
    let pending = env.ok(&["ledger", "list", "--db", &db, "--state", "pending"]);
    assert_eq!(ids(&pending).len(), 14);
    let closed = env.ok(&["ledger", "list", "--db", &db, "--state", "已销号"]);
    assert!(closed.contains("没有符合条件"), "{closed}");
    let bad = env.fails(&["ledger", "list", "--db", &db, "--state", "完成"]);
    assert!(bad.contains("待整改、整改中、已整改待核、已销号"), "{bad}");
}

#[test]
fn overdue_means_a_past_deadline_and_not_closed() {
    let (env, db, list) = synced();
    let listed = ids(&list);
    let (late, done) = (&listed[0], &listed[1]);
    for id in [late, done] {
        env.ok(&[
            "ledger",
            "set",
            "--db",
            &db,
            id,
            "--by",
            "李华",
            "--deadline",
            "2026-03-31",
        ]);
    }
    for action in ["advance", "advance"] {
        env.ok(&["ledger", "set", "--db", &db, done, "--action", action, "--by", "李华"]);
    }
    env.ok(&[
        "ledger",
        "set",
        "--db",
        &db,
        done,
        "--action",
        "close",
        "--note",
        "已补正",
        "--by",
        "王核",
    ]);
    let on = |today: &str| env.ok(&["ledger", "list", "--db", &db, "--overdue", "--today", today]);
    let overdue = on("2026-04-01");
    assert_eq!(ids(&overdue), vec![late.clone()], "{overdue}");
    assert!(overdue.contains("逾期"));
    assert!(
        on("2026-03-31").contains("没有符合条件"),
        "the deadline day itself is not overdue"
    );
    let bad = env.fails(&["ledger", "list", "--db", &db, "--overdue", "--today", "2026-04-31"]);
    assert!(bad.contains("YYYY-MM-DD"), "{bad}");
}

#[test]
fn every_action_is_allowed_or_refused_as_the_process_says() {
    let (env, db, list) = synced();
    let id = ids(&list)[0].clone();
    let set = |action: &str, note: &str| -> std::process::Output {
        env.run(&[
            "ledger", "set", "--db", &db, &id, "--action", action, "--note", note, "--by", "李华",
        ])
    };
    let refuse = |action: &str, note: &str, says: &str| {
        let before = canonical(Path::new(&db));
        let out = set(action, note);
        assert_eq!(out.status.code(), Some(1), "{action} should be refused");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{action}: {err}");
        assert_eq!(canonical(Path::new(&db)), before, "a refused {action} changed the file");
    };
    let allow = |action: &str, note: &str, state: &str| {
        let out = set(action, note);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && stdout.contains(state), "{action}: {stdout}");
    };
    // 待整改
    refuse("return", "理由", "不能退回");
    refuse("close", "理由", "不能销号");
    allow("advance", "", "整改中");
    // 整改中
    refuse("return", "理由", "不能退回");
    refuse("close", "理由", "不能销号");
    allow("advance", "", "已整改待核");
    // 已整改待核
    refuse("advance", "", "不能推进");
    refuse("return", "", "必须说明理由");
    refuse("close", " ", "必须说明理由");
    // The Chinese names are the same actions.
    allow("退回", "回证仍缺签名", "整改中");
    allow("推进", "", "已整改待核");
    allow("close", "已补齐", "已销号");
    // 已销号
    for action in ["advance", "return", "close"] {
        refuse(action, "理由", "已销号的问题不能再改动状态");
    }
    let before = canonical(Path::new(&db));
    let unknown = env.run(&["ledger", "set", "--db", &db, &id, "--action", "完成", "--by", "李华"]);
    assert_eq!(unknown.status.code(), Some(2), "an unknown action is a usage error");
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(err.contains("advance") && err.contains("完成"), "{err}");
    assert_eq!(canonical(Path::new(&db)), before);
    let missing = env.fails(&["ledger", "set", "--db", &db, "ffffffff", "--by", "李华"]);
    assert!(missing.contains("ledger list"), "{missing}");
}

/// The cells of a sheet's first worksheet as text.
fn cells(path: &Path) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).expect("open xlsx");
    let range = book.worksheet_range_at(0).expect("a sheet").expect("read sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// Writes cells as a plain workbook, as a unit's spreadsheet program would save them.
fn write_cells(path: &Path, rows: &[Vec<String>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in (0..).zip(rows) {
        for (c, cell) in (0..).zip(row) {
            ws.write_string(r, c, cell).expect("write cell");
        }
    }
    wb.save(path).expect("save");
}

/// The row of the fill-in sheet's header (under its title block).
fn header_row(rows: &[Vec<String>]) -> usize {
    rows.iter()
        .position(|r| r.iter().any(|c| c == "编号（锁定）"))
        .expect("a header row")
}

/// The cells of a fill-in sheet in the layout sheets had before the title block: the header
/// in row 1, the id first, then the other columns in their order of that time.
fn older_layout(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    let header = header_row(rows);
    let names = &rows[header];
    let at = |name: &str| names.iter().position(|c| c == name).expect(name);
    let order: Vec<usize> = [
        "编号（锁定）",
        "案号（锁定）",
        "承办单位（锁定）",
        "承办人（锁定）",
        "问题代码（锁定）",
        "问题（锁定）",
        "具体情况（锁定）",
        "整改期限（锁定）",
        "当前状态（锁定）",
        "整改措施",
        "佐证材料",
        "申请状态（整改中/已整改待核）",
        "台账版本（勿改）",
        "导出时整改措施（勿改）",
        "导出时佐证材料（勿改）",
    ]
    .map(at)
    .to_vec();
    rows[header..]
        .iter()
        .map(|r| order.iter().map(|&c| r.get(c).cloned().unwrap_or_default()).collect())
        .collect()
}

/// The round synced, the fill-in sheet exported and read back into cells of the older layout
/// (which `ledger import` still reads; the sheet as written is tested on its own below).
fn exported() -> (Env, String, Vec<Vec<String>>) {
    let (env, db, _) = synced();
    let out = env.path("ledger.xlsx");
    let said = env.ok(&["ledger", "export", "--db", &db, "-o", out.to_str().expect("utf-8")]);
    assert!(said.contains("14"), "{said}");
    let rows = older_layout(&cells(&out));
    assert_eq!(rows.len(), 15);
    assert!(
        rows[0][0].contains("编号") && rows[0][0].contains("锁定"),
        "{:?}",
        rows[0]
    );
    (env, db, rows)
}

/// One part of an XLSX package as text.
fn part(path: &Path, name: &str) -> String {
    common::xlsx::part(path, name)
}

#[test]
fn the_fill_in_sheet_prints_guides_the_unit_and_reads_back_as_written() {
    let (env, db, list) = synced();
    let closed = ids(&list)[0].clone();
    for action in ["advance", "advance", "close"] {
        env.ok(&[
            "ledger",
            "set",
            "--db",
            &db,
            &closed,
            "--action",
            action,
            "--note",
            "已补正",
            "--by",
            "王核",
        ]);
    }
    let out = env.path("form.xlsx");
    let out_arg = out.to_str().expect("utf-8");
    env.ok(&[
        "ledger",
        "export",
        "--db",
        &db,
        "--return-by",
        "2026-12-20",
        "-o",
        out_arg,
    ]);
    common::xlsx::assert_authored_by(&out, "纪委监委");
    let rows = cells(&out);
    let header = header_row(&rows);
    assert!(
        rows[..header].concat().concat().contains("报送期限：2026-12-20"),
        "{:?}",
        &rows[..header]
    );
    assert!(rows[..header].concat().concat().contains("填表说明"));
    let names = &rows[header];
    let col = |name: &str| names.iter().position(|c| c == name).expect(name);
    assert_eq!(col("案号（锁定）"), 0, "the case first");
    assert!(
        col("编号（锁定）") > col("申请状态（整改中/已整改待核）"),
        "the id after the fill-in columns"
    );

    let sheet = part(&out, "xl/worksheets/sheet1.xml");
    let id_col = col("编号（锁定）") + 1;
    let id_tag = sheet
        .split(&format!(r#"<col min="{id_col}""#))
        .nth(1)
        .expect("the id column");
    assert!(
        id_tag[..id_tag.find('>').unwrap()].contains(r#"hidden="1""#),
        "{id_tag}"
    );
    let request = (b'A' + col("申请状态（整改中/已整改待核）") as u8) as char;
    let first = header + 2;
    assert!(
        sheet.contains(&format!(r#"sqref="{request}{first}:{request}{}""#, rows.len())),
        "a drop-down on 申请状态: {sheet}"
    );
    assert!(sheet.contains("<formula1>\"整改中,已整改待核\"</formula1>"), "{sheet}");
    let setup = sheet.split("<pageSetup").nth(1).expect("page set-up");
    let setup = &setup[..setup.find("/>").unwrap()];
    for attr in [r#"paperSize="9""#, r#"orientation="landscape""#, r#"fitToHeight="0""#] {
        assert!(setup.contains(attr), "{attr}: {setup}");
    }
    assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#));
    // A closed entry's fill-in cells wear the locked style of its case number; an open one's do not.
    let style = |cell: &str| {
        let tag = format!(r#"<c r="{cell}" s=""#);
        let at = sheet.find(&tag).expect(cell) + tag.len();
        sheet[at..].split('"').next().unwrap().to_owned()
    };
    let measures = (b'A' + col("整改措施") as u8) as char;
    let closed_row = (header + 1..rows.len())
        .find(|&r| rows[r][col("编号（锁定）")].starts_with(&closed))
        .unwrap()
        + 1;
    let open_row = if closed_row == first { first + 1 } else { first };
    assert_eq!(
        style(&format!("{measures}{closed_row}")),
        style(&format!("A{closed_row}"))
    );
    assert_ne!(style(&format!("{measures}{open_row}")), style(&format!("A{open_row}")));
    let protection = sheet.split("<sheetProtection").nth(1).expect("protected");
    for allowed in [r#"formatColumns="0""#, r#"formatRows="0""#, r#"autoFilter="0""#] {
        assert!(protection.contains(allowed), "{allowed}: {protection}");
    }
    let workbook = part(&out, "xl/workbook.xml");
    assert!(
        workbook.contains(&format!("整改台账!$A$1:$K${}", rows.len())),
        "print area: {workbook}"
    );
    assert!(
        workbook.contains(&format!("整改台账!${0}:${0}", header + 1)),
        "print titles: {workbook}"
    );

    // Filled in where it stands (title block and all), it applies; a closed entry's cells are
    // locked, and a bad request names the row the unit sees.
    let mut filled = rows.clone();
    let open_row = (header + 1..rows.len())
        .find(|&r| !rows[r][col("编号（锁定）")].starts_with(&closed))
        .unwrap();
    filled[open_row][col("整改措施")] = "补送处分决定书".into();
    filled[open_row][col("申请状态（整改中/已整改待核）")] = "整改中".into();
    let out = import(&env, &db, &filled, "filled.xlsx");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 条"));
    let before = canonical(Path::new(&db));
    let mut bad = rows.clone();
    bad[header + 3][col("申请状态（整改中/已整改待核）")] = "已销号".into();
    let out = import(&env, &db, &bad, "bad.xlsx");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("第 {} 行：申请状态“已销号”不可用", header + 4)),
        "{err}"
    );
    assert_eq!(canonical(Path::new(&db)), before);
}

fn import(env: &Env, db: &str, rows: &[Vec<String>], name: &str) -> std::process::Output {
    let path = env.path(name);
    write_cells(&path, rows);
    env.run(&[
        "ledger",
        "import",
        "--db",
        db,
        path.to_str().expect("utf-8"),
        "--by",
        "单位联络员",
    ])
}

#[test]
fn a_filled_in_sheet_applies_measures_evidence_and_state_requests() {
    let (env, db, mut rows) = exported();
    let (measures, evidence, request) = (9, 10, 11);
    rows[1][measures] = "补送处分决定书".into();
    rows[1][evidence] = "送达回证".into();
    rows[1][request] = "整改中".into();
    rows[2][request] = "整改中".into();
    let out = import(&env, &db, &rows, "good.xlsx");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 条"));
    let in_progress = env.ok(&["ledger", "list", "--db", &db, "--state", "整改中"]);
    assert_eq!(ids(&in_progress).len(), 2, "{in_progress}");
    let store = Store::open_read_only(Path::new(&db)).expect("open");
    let entry = pingcha::ledger::find(&store, &rows[1][0]).expect("entry");
    assert_eq!(
        (entry.row.measures.as_str(), entry.row.evidence.as_str()),
        ("补送处分决定书", "送达回证")
    );
    let history = store.ledger_history(&rows[1][0].as_str().into()).expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].who, "单位联络员");
}

#[test]
fn a_bad_sheet_is_refused_whole_naming_every_bad_row() {
    let (env, db, rows) = exported();
    let before = canonical(Path::new(&db));
    let mut bad = rows.clone();
    bad[1][9] = "已整改".into(); // a good row, not applied because others are bad
    bad[2][2] = "另一个单位".into(); // locked column edited
    bad[3][0] = "00000000-0000-0000-0000-000000000000".into(); // unknown id
    bad[4][11] = "已销号".into(); // units cannot close
    let out = import(&env, &db, &bad, "bad.xlsx");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 行无法导入"), "{err}");
    assert!(err.contains("第 3 行：锁定列“承办单位”被改动"), "{err}");
    assert!(err.contains("第 4 行：台账中没有编号"), "{err}");
    assert!(err.contains("第 5 行：申请状态“已销号”不可用"), "{err}");
    assert!(!err.contains("第 2 行"), "{err}");
    assert_eq!(canonical(Path::new(&db)), before, "a refused import changed the file");

    let mut renamed = rows.clone();
    renamed[0][9] = "备注".into();
    let err = String::from_utf8_lossy(&import(&env, &db, &renamed, "renamed.xlsx").stderr).into_owned();
    assert!(err.contains("不是整改台账填报表"), "{err}");
    let not_xlsx = env.fails(&["ledger", "import", "--db", &db, &db, "--by", "单位联络员"]);
    assert!(not_xlsx.contains("无法读取"), "{not_xlsx}");
    assert_eq!(canonical(Path::new(&db)), before, "a wrong file changed the file");
}

#[test]
fn a_sheet_filled_in_while_the_ledger_changed_merges_cell_by_cell_and_never_overwrites() {
    let (env, db, rows) = exported();
    let width = rows[0].len();
    assert_eq!(
        rows[0][width - 3..],
        ["台账版本（勿改）", "导出时整改措施（勿改）", "导出时佐证材料（勿改）"]
    );
    let (first, second) = (rows[1][0].clone(), rows[2][0].clone());
    // After the export, the organiser records measures for the first entry and moves the
    // second one's deadline.
    env.ok(&[
        "ledger",
        "set",
        "--db",
        &db,
        &first,
        "--by",
        "督查员",
        "--measures",
        "已当面督促",
    ]);
    env.ok(&[
        "ledger",
        "set",
        "--db",
        &db,
        &second,
        "--by",
        "督查员",
        "--deadline",
        "2026-12-31",
    ]);
    let before = canonical(Path::new(&db));

    // The unit writes other measures for the first: both changed it, so the sheet is refused.
    let mut filled = rows.clone();
    filled[1][9] = "补送处分决定书".into();
    filled[2][9] = "已整改".into();
    let out = import(&env, &db, &filled, "both.xlsx");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("第 2 行：此表导出后，台账中该问题的整改措施或佐证材料已被改为其他内容"),
        "{err}"
    );
    assert!(
        err.contains("1 行无法导入"),
        "the second row's old deadline is not the unit's doing: {err}"
    );
    assert_eq!(canonical(Path::new(&db)), before);

    // Leaving the first row as exported keeps the organiser's measures; the second row's
    // measures apply and its new deadline stays.
    filled[1][9] = rows[1][9].clone();
    let out = import(&env, &db, &filled, "merged.xlsx");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = Store::open_read_only(Path::new(&db)).expect("open");
    let one = pingcha::ledger::find(&store, &first).expect("entry");
    let two = pingcha::ledger::find(&store, &second).expect("entry");
    assert_eq!(one.row.measures, "已当面督促");
    assert_eq!(
        (two.row.measures.as_str(), two.row.deadline.map(|d| d.to_string())),
        ("已整改", Some("2026-12-31".to_owned()))
    );

    // A sheet of the older layout (no base columns) is still read, and checked as before.
    let old_layout: Vec<Vec<String>> = rows.iter().map(|r| r[..width - 3].to_vec()).collect();
    let out = import(&env, &db, &old_layout, "old.xlsx");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("第 3 行：锁定列“整改期限”被改动"));
}

#[test]
fn due_days_belongs_to_the_reviewers_screen_only() {
    let env = Env::new();
    let db = common::demo(env.dir.path()).display().to_string();
    let out = env.run(&["--due-days", "3", "ledger", "list", "--db", &db]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--due-days 只用于评查界面"), "{err}");
    let help = env.ok(&["open", "--help"]);
    assert!(help.contains("--due-days"), "{help}");
}
