//! The ledger lives longer than the review: ledger work months after the round merges without
//! `--clock-fix` and its history shows the dates people worked on; a clock correction never
//! moves a history line's date; a unit may ask for 已整改待核 straight from 待整改 in one sheet.

mod common;

use common::Env;
use pingcha::store::clock::{Stamp, format_beijing};
use pingcha::store::{LedgerEvent, Store};
use std::path::Path;

const DAY_MS: i64 = 86_400_000;

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Moves every stamp of the file (every record, history line and the clock) by `days`, as if
/// all of it had been written that much earlier or later.
fn age(path: &Path, days: i64, only_replica: Option<&str>) {
    let c = rusqlite::Connection::open(path).expect("open");
    let shift = Stamp::from_millis(days * DAY_MS).0;
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names");
    for t in tables {
        let has = |col: &str| c.prepare(&format!("SELECT {col} FROM {t} LIMIT 0")).is_ok();
        if !has("hlc") {
            continue;
        }
        match only_replica {
            Some(r) if has("replica") => {
                c.execute(&format!("UPDATE {t} SET hlc = hlc + ?1 WHERE replica = ?2"), (shift, r))
                    .expect("shift");
            }
            Some(_) => {}
            None => {
                c.execute(&format!("UPDATE {t} SET hlc = hlc + ?1"), [shift])
                    .expect("shift");
            }
        }
    }
    if only_replica.is_none() {
        c.execute("UPDATE local_clock SET last = last + ?1", [shift])
            .expect("clock");
    }
}

/// The day (Beijing) `days` from today, `YYYY-MM-DD`.
fn day(days: i64) -> String {
    format_beijing(pingcha::store::clock::wall_millis() + days * DAY_MS)[..10].to_owned()
}

fn first_entry(env: &Env, db: &str) -> String {
    let list = env.ok(&["ledger", "list", "--db", db]);
    list.lines()
        .nth(2)
        .and_then(|l| l.split_whitespace().next())
        .expect("an entry")
        .to_owned()
}

fn history(db: &Path, prefix: &str) -> (String, Vec<LedgerEvent>) {
    let store = Store::open_read_only(db).expect("open");
    let entry = pingcha::ledger::find(&store, prefix).expect("entry");
    let events = store.ledger_history(&entry.row.id).expect("history");
    (entry.row.verified_on.map(|d| d.to_string()).unwrap_or_default(), events)
}

fn date_of(e: &LedgerEvent) -> String {
    format_beijing(Stamp(e.hlc).millis())[..10].to_owned()
}

/// A round created 150 days ago whose ledger was synced then, with a rectification deadline
/// 50 days ago; the checker's laptop is a copy of it. Returns (env, team file, checker's file,
/// entry id prefix).
fn round_150_days_old() -> (Env, std::path::PathBuf, std::path::PathBuf, String) {
    let env = Env::new();
    let team = common::demo(env.dir.path());
    env.ok(&["ledger", "sync", "--db", &s(&team), "--by", "督查员"]);
    let id = first_entry(&env, &s(&team));
    env.ok(&[
        "ledger",
        "set",
        "--db",
        &s(&team),
        &id,
        "--deadline",
        &day(-50),
        "--by",
        "督查员",
    ]);
    age(&team, -150, None);
    let checker = env.path("checker.db");
    std::fs::copy(&team, &checker).expect("copy");
    (env, team, checker, id)
}

/// Runs pingcha as the checker on the checker's own laptop (its own machine id).
fn on_checker_laptop(env: &Env, args: &[&str]) -> String {
    let out = env
        .cmd()
        .env("PINGCHA_DATA_DIR", env.path("checker-data"))
        .args(args)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn close_on_checker_laptop(env: &Env, checker: &Path, id: &str) {
    let db = s(checker);
    for (action, note) in [("advance", ""), ("advance", "已补送"), ("close", "已核实")] {
        on_checker_laptop(
            env,
            &[
                "ledger",
                "set",
                "--db",
                &db,
                id,
                "--action",
                action,
                "--note",
                note,
                "--by",
                "核查员",
            ],
        );
    }
}

#[test]
fn ledger_work_on_day_150_merges_without_a_clock_fix_and_keeps_its_true_dates() {
    let (env, team, checker, id) = round_150_days_old();
    close_on_checker_laptop(&env, &checker, &id);
    let merged = env.path("merged.db");
    let out = env.ok(&["merge", &s(&team), &s(&checker), "-o", &s(&merged)]);
    assert!(out.contains("整改台账记录至"), "{out}");
    assert!(!out.contains("超出范围"), "{out}");
    let (verified_on, events) = history(&merged, &id);
    let today = pingcha::ledger::today().to_string();
    assert_eq!(verified_on, today);
    assert_eq!(events.len(), 3, "{events:?}");
    for e in &events {
        assert_eq!(date_of(e), today, "the history shows the day the checker worked: {e:?}");
    }
    // Folding the checker's file into the team file works the same way.
    env.ok(&["merge", "--into", &s(&team), &s(&checker)]);
    assert_eq!(history(&team, &id).1, events);
}

#[test]
fn a_clock_correction_never_changes_the_date_a_history_line_shows() {
    let (env, team, checker, id) = round_150_days_old();
    close_on_checker_laptop(&env, &checker, &id);
    // The checker's laptop was set five years ahead: everything it wrote says 2031.
    let replica: String = {
        let c = rusqlite::Connection::open(&checker).expect("open");
        c.query_row(
            "SELECT replica FROM ledger_history ORDER BY hlc DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("replica")
    };
    age(&checker, 1826, Some(&replica));
    let seen: Vec<String> = history(&checker, &id).1.iter().map(date_of).collect();
    assert!(seen.iter().all(|d| d.as_str() > "2030"), "{seen:?}");
    let merged = env.path("merged.db");
    let refused = env.run(&["merge", &s(&team), &s(&checker), "-o", &s(&merged)]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--clock-fix"));
    let fix = format!("{}=-1826", &replica[..8]);
    env.ok(&["merge", &s(&team), &s(&checker), "-o", &s(&merged), "--clock-fix", &fix]);
    let (_, events) = history(&merged, &id);
    let shown: Vec<String> = events.iter().map(date_of).collect();
    assert_eq!(shown, seen, "the history shows what the checker's laptop showed");
    // The correction is recorded beside the stamps, and the entry itself is ordered by the
    // corrected stamp (within the ledger's window).
    let json = {
        let store = Store::open_read_only(&merged).expect("open");
        pingcha::export::json::canonical(&store).expect("dump")
    };
    assert!(json.contains("\"days\": -1826"), "the fix is recorded");
    let store = Store::open_read_only(&merged).expect("open");
    let entry = pingcha::ledger::find(&store, &id).expect("entry");
    assert!(
        format_beijing(Stamp(entry.row.hlc).millis()).as_str() < "2030",
        "{}",
        entry.row.hlc
    );
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

#[test]
fn one_fill_in_sheet_takes_an_entry_from_pending_to_awaiting_check() {
    let env = Env::new();
    let db = s(&common::demo(env.dir.path()));
    env.ok(&["ledger", "sync", "--db", &db, "--by", "督查员"]);
    let sheet = env.path("ledger.xlsx");
    env.ok(&["ledger", "export", "--db", &db, "-o", &s(&sheet)]);
    let mut rows = cells(&sheet);
    // The fill-in sheet's header row (under its title block) names the columns.
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| c == "编号（锁定）"))
        .expect("a header row");
    let col = |name: &str| rows[header].iter().position(|c| c == name).expect(name);
    let (measures, request, id) = (
        col("整改措施"),
        col("申请状态（整改中/已整改待核）"),
        col("编号（锁定）"),
    );
    let first = header + 1;
    rows[first][measures] = "补送处分决定书".into();
    rows[first][request] = "已整改待核".into();
    let filled = env.path("filled.xlsx");
    write_cells(&filled, &rows);
    let out = env.ok(&["ledger", "import", "--db", &db, &s(&filled), "--by", "单位联络员"]);
    assert!(out.contains("1 条"), "{out}");
    let (_, events) = history(Path::new(&db), &rows[first][id]);
    let steps: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| (e.from.name(), e.to.name(), e.who.as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            ("待整改", "整改中", "单位联络员"),
            ("整改中", "已整改待核", "单位联络员")
        ]
    );
    let awaiting = env.ok(&["ledger", "list", "--db", &db, "--state", "已整改待核"]);
    assert!(awaiting.contains(&rows[first][id][..8]), "{awaiting}");

    // Every refusal names the real allowed values.
    let sheet = env.path("again.xlsx");
    env.ok(&["ledger", "export", "--db", &db, "-o", &s(&sheet)]);
    let mut rows = cells(&sheet);
    let awaiting_row = rows
        .iter()
        .position(|r| r.get(id).map(String::as_str) == Some(events[0].entry_id.as_str()))
        .expect("row");
    let pending_row = if awaiting_row == first { first + 1 } else { first };
    rows[pending_row][request] = "已销号".into();
    rows[awaiting_row][request] = "整改中".into();
    let bad = env.path("bad.xlsx");
    write_cells(&bad, &rows);
    let err = env.fails(&["ledger", "import", "--db", &db, &s(&bad), "--by", "单位联络员"]);
    assert!(
        err.contains(&format!(
            "第 {} 行：申请状态“已销号”不可用；此问题当前为“待整改”，可填：整改中、已整改待核，或留空",
            pending_row + 1
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "第 {} 行：申请状态“整改中”不可用；此问题当前为“已整改待核”，单位不能再申请改变状态",
            awaiting_row + 1
        )),
        "{err}"
    );
    assert!(!err.contains("只能填当前状态的下一步"), "{err}");
}
