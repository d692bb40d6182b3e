//! A refusal writes nothing: every refused command, and every refused write the TUI makes
//! through the library, leaves the round file byte-identical (sha256 of the file, and no
//! write-ahead log left beside it that would change it).

mod common;

use common::Env;
use common::sha256 as sha;
use pingcha::ledger::{self, Action, Change};
use pingcha::score::Decision;
use pingcha::store::{Identity, MarkKind, NewFinding, Stage, Store};
use std::path::Path;

/// A case 张明 scored and 李华 did not (李华 has no sheet on it).
const UNSCORED_BY_LI: &str = "〔2026〕纪审字第005号";
/// A case both scored.
const SCORED: &str = "〔2026〕纪审字第001号";

/// The log beside the file, if one is left with content in it.
fn live_log(path: &Path) -> Option<u64> {
    let wal = format!("{}-wal", path.display());
    std::fs::metadata(wal).ok().map(|m| m.len()).filter(|n| *n > 0)
}

/// Runs a command that must be refused, and checks the file did not change.
fn refused(env: &Env, db: &str, args: &[&str]) -> String {
    let path = Path::new(db);
    let before = sha(path);
    let out = env.run(args);
    assert!(
        !out.status.success(),
        "pingcha {args:?} should be refused:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(sha(path), before, "pingcha {args:?} was refused but changed the file");
    assert_eq!(live_log(path), None, "pingcha {args:?} left a log beside the file");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn demo(env: &Env) -> String {
    common::demo(env.dir.path()).display().to_string()
}

fn add(db: &str, case: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["finding", "add", "--db", db, "--case", case]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn refused_finding_add_writes_nothing() {
    let env = Env::new();
    let db = demo(&env);
    let li = ["--reviewer", "李华"];
    let cases: Vec<Vec<&str>> = vec![
        // The defect as reported: no note, by a reviewer without a sheet on the case.
        vec!["--item", "sszj.sz", "--count", "1", "--note", ""],
        vec!["--item", "nosuch.item", "--count", "1", "--note", "某处"],
        vec!["--item", "sszj.sz", "--count", "1", "--note", "某处", "--vol", "99"],
        vec!["--item", "sszj.sz", "--count", "1", "--note", "某处", "--page", "0"],
        vec![
            "--item",
            "sszj.sz",
            "--count",
            "1",
            "--note",
            "某处",
            "--problem",
            "XX-99",
        ],
        vec!["--item", "sszj.ssrd", "--amount", "abc", "--note", "某处"],
        vec!["--item", "sszj.ssrd", "--amount", "99", "--note", "某处"],
        vec!["--item", "sszj.sz", "--count", "1", "--note", "某处", "--stage", "中评"],
    ];
    for extra in cases {
        let mut extra = extra;
        extra.extend_from_slice(&li);
        let args = add(&db, UNSCORED_BY_LI, &extra);
        refused(&env, &db, &strs(&args));
        // The same on a sheet that exists already.
        let args = add(&db, SCORED, &extra);
        refused(&env, &db, &strs(&args));
    }
    let args = add(
        &db,
        "〔2026〕纪审字第999号",
        &["--item", "sszj.sz", "--note", "某处", "--reviewer", "李华"],
    );
    refused(&env, &db, &strs(&args));
    // Nothing of 李华's appeared on the case: `score` still lists 张明's sheet only.
    let score = env.ok(&["score", "--db", &db, "--case", UNSCORED_BY_LI]);
    assert!(!score.contains("李华"), "{score}");
}

#[test]
fn refused_finding_rm_mark_decide_and_final_write_nothing() {
    let env = Env::new();
    let db = demo(&env);
    refused(
        &env,
        &db,
        &["finding", "rm", "--db", &db, "ffffffff", "--reviewer", "李华"],
    );
    refused(&env, &db, &["finding", "rm", "--db", &db, "", "--reviewer", "李华"]);
    for case in [UNSCORED_BY_LI, SCORED] {
        let base = ["--db", &db, "--case", case, "--reviewer", "李华"];
        let mark = |extra: &[&'static str]| -> Vec<&str> { [&["mark"][..], &base[..], extra].concat() };
        refused(&env, &db, &mark(&["--pending", "--item", "nosuch"]));
        refused(&env, &db, &mark(&["--na", "--item", "nosuch"]));
        refused(&env, &db, &mark(&["--na"]));
        refused(&env, &db, &mark(&["--pending", "--stage", "中评"]));
        let decide = |extra: &[&'static str]| -> Vec<&str> { [&["decide"][..], &base[..], extra].concat() };
        refused(&env, &db, &decide(&["--grade", "超优", "--reason", "集体讨论"]));
        refused(&env, &db, &decide(&["--grade", "优秀", "--reason", " "]));
        let fin = |extra: &[&'static str]| -> Vec<&str> { [&["final"][..], &base[..], extra].concat() };
        refused(&env, &db, &fin(&["--from", "王五"]));
    }
    // A copy that cannot be made whole (张明's second finding on case 002 is on volume 2, and
    // the case now has one volume) is refused before anything of the final sheet is written.
    env.ok(&[
        "case",
        "set",
        "--db",
        &db,
        "--case",
        "〔2026〕纪审字第002号",
        "--field",
        "卷册数",
        "--value",
        "1",
        "--reviewer",
        "李华",
    ]);
    let err = refused(
        &env,
        &db,
        &[
            "final",
            "--db",
            &db,
            "--case",
            "〔2026〕纪审字第002号",
            "--from",
            "张明",
            "--reviewer",
            "李华",
        ],
    );
    assert!(err.contains('2'), "{err}");
    // A final sheet with findings already: starting it again is refused.
    env.ok(&[
        "final",
        "--db",
        &db,
        "--case",
        SCORED,
        "--from",
        "张明",
        "--reviewer",
        "李华",
    ]);
    refused(
        &env,
        &db,
        &[
            "final",
            "--db",
            &db,
            "--case",
            SCORED,
            "--from",
            "张明",
            "--reviewer",
            "李华",
        ],
    );
    let score = env.ok(&["score", "--db", &db, "--case", UNSCORED_BY_LI]);
    assert!(!score.contains("李华"), "{score}");
}

#[test]
fn refused_case_set_writes_nothing() {
    let env = Env::new();
    let db = demo(&env);
    let set = |case: &str, field: &str, value: &str| {
        [
            "case",
            "set",
            "--db",
            &db,
            "--case",
            case,
            "--field",
            field,
            "--value",
            value,
            "--reviewer",
            "李华",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
    };
    for args in [
        set(SCORED, "nosuch", "x"),
        set("〔2026〕纪审字第999号", "unit", "x"),
        set(SCORED, "volumes", "abc"),
        set(SCORED, "卷册数", "三"),
        set(SCORED, "filed_on", "2026-02-30"),
        set(SCORED, "case_type", "不是类型"),
        set(SCORED, "审结日期", "2025-12-31"),
        set(SCORED, "立案日期", "2026-12-31"),
        set(SCORED, "title", ""),
    ] {
        refused(&env, &db, &strs(&args));
    }
}

#[test]
fn refused_ledger_commands_write_nothing() {
    let env = Env::new();
    let db = demo(&env);
    env.ok(&["ledger", "sync", "--db", &db, "--by", "督查员"]);
    let list = env.ok(&["ledger", "list", "--db", &db]);
    let id = list
        .lines()
        .nth(2)
        .and_then(|l| l.split_whitespace().next())
        .expect("an entry")
        .to_owned();
    let set = |extra: &[&'static str]| -> Vec<&str> {
        [&["ledger", "set", "--db", &db, &id, "--by", "核查员"][..], extra].concat()
    };
    refused(&env, &db, &set(&["--action", "close", "--note", "已核实"]));
    refused(&env, &db, &set(&["--action", "return", "--note", "不行"]));
    refused(&env, &db, &set(&["--deadline", "2026-02-30"]));
    refused(&env, &db, &set(&["--action", "close", "--note", ""]));
    refused(
        &env,
        &db,
        &[
            "ledger",
            "set",
            "--db",
            &db,
            "zzzzzzzz",
            "--by",
            "核查员",
            "--action",
            "advance",
        ],
    );
    let missing = env.path("none.xlsx").display().to_string();
    refused(
        &env,
        &db,
        &["ledger", "import", "--db", &db, &missing, "--by", "核查员"],
    );
    let not_a_sheet = env.path("not.xlsx");
    std::fs::write(&not_a_sheet, "not a spreadsheet").expect("write");
    refused(
        &env,
        &db,
        &[
            "ledger",
            "import",
            "--db",
            &db,
            &not_a_sheet.display().to_string(),
            "--by",
            "核查员",
        ],
    );
}

#[test]
fn refused_merge_into_and_round_new_onto_the_file_write_nothing() {
    let env = Env::new();
    let db = demo(&env);
    let junk = env.path("junk.db");
    std::fs::write(&junk, "not a round file").expect("write");
    refused(&env, &db, &["merge", "--into", &db, &junk.display().to_string()]);
    let rubric = common::rubric("jjjc-lian.toml");
    let cases = env.path("cases.csv");
    std::fs::write(&cases, pingcha::demo::CASES).expect("write");
    refused(
        &env,
        &db,
        &[
            "round",
            "new",
            "--rubric",
            &rubric,
            "--cases",
            &cases.display().to_string(),
            "--name",
            "x",
            "-o",
            &db,
        ],
    );
}

/// What the TUI writes goes through these library calls; each refused one leaves the file as
/// it was, even when the writer is new to the file (no replica recorded yet).
#[test]
fn refused_library_writes_of_the_tui_write_nothing() {
    let env = Env::new();
    let path = common::demo(env.dir.path());
    let before = sha(&path);
    let identity = Identity {
        machine_id: "another-machine".into(),
        reviewer: "李华".into(),
    };
    let mut store = Store::open(&path, &identity).expect("open");
    let case = store.require_case(UNSCORED_BY_LI).expect("case");
    let empty_note = NewFinding {
        node: "sszj.sz".into(),
        quantity: pingcha::score::Quantity::Count(1),
        note: " ".into(),
        volume: None,
        page: None,
        problem: None,
        repeat: pingcha::vocab::Repeat::No,
    };
    assert!(ledger::repeat::record(&mut store, &case.id, Stage::Initial, &empty_note).is_err());
    let far = NewFinding {
        note: "某处".into(),
        volume: Some(99),
        ..empty_note.clone()
    };
    assert!(ledger::repeat::record(&mut store, &case.id, Stage::Initial, &far).is_err());
    let sheet = store.sheet(&case.id, Stage::Initial).expect("sheet");
    assert!(
        store
            .set_mark(&sheet.id, "nosuch", MarkKind::NotApplicable, true, "")
            .is_err()
    );
    let bad_grade = Decision {
        grade: "超优".into(),
        reason: "集体讨论".into(),
        decider: "李华".into(),
    };
    assert!(store.decide(&sheet, &bad_grade).is_err());
    assert!(store.draft().expect("draft").is_none());
    let change = Change {
        action: Some(Action::Close),
        note: "已核实".into(),
        by: "李华".into(),
        ..Change::default()
    };
    assert!(ledger::set_on(&mut store, "zzzzzzzz", &change, "2026-04-01".parse().expect("a date")).is_err());
    store.close().expect("close");
    assert_eq!(sha(&path), before, "a refused write changed the file");
    assert_eq!(live_log(&path), None);
}

/// The reviewer's screen, driven by keys as 李华 on a case she has no sheet on: every refused
/// action leaves the round's records and its clock as they were (the screen itself only keeps
/// where the cursor is, in a local table that is never merged).
#[test]
fn refused_actions_on_the_screen_write_no_record_and_no_stamp() {
    use common::{app, goto, keys};
    use pingcha::tui::model::Mode;
    let env = Env::new();
    let path = common::demo(env.dir.path());
    let records = || {
        let store = Store::open_read_only(&path).expect("open");
        pingcha::export::json::canonical(&store).expect("dump")
    };
    let clock = || -> i64 {
        rusqlite::Connection::open(&path)
            .expect("open")
            .query_row("SELECT last FROM local_clock", [], |r| r.get(0))
            .expect("clock")
    };
    let (before, stamp) = (records(), clock());
    let mut app = app(&path, "李华", pingcha::lang::Lang::Zh);
    keys(&mut app, "c005<Enter>");
    assert_eq!(app.model.case().expect("case").case_no, UNSCORED_BY_LI);
    // 审结日期 before 立案日期 (2026-01-20), and volumes that are not a number.
    let fields = app.model.rubric.fields.clone();
    let field = |key: &str| fields.iter().position(|f| f.key == key).expect("field");
    for (key, value, says) in [("closed_on", "2026-01-19", "早于"), ("volumes", "两卷", "不是整数")] {
        keys(&mut app, "e");
        for _ in 0..field(key) {
            keys(&mut app, "j");
        }
        keys(&mut app, &format!("<Enter><C-u>{value}<Enter>"));
        let Mode::Meta(form) = &app.model.mode else {
            panic!("a refused value keeps the form")
        };
        assert!(form.error.as_deref().unwrap_or("").contains(says), "{:?}", form.error);
        keys(&mut app, "<Esc><Esc>");
    }
    // A finding on volume 99 of a case of 9 volumes.
    goto(&mut app, "sszj.sfcl");
    keys(&mut app, "<Enter>1<Tab><Down>99<Enter>3<Enter>");
    let Mode::Entry(entry) = &app.model.mode else {
        panic!("a refused finding keeps the form")
    };
    assert!(entry.error.as_deref().unwrap_or("").contains("99"), "{:?}", entry.error);
    keys(&mut app, "<Esc>");
    drop(app);
    assert_eq!(records(), before, "a refused action on the screen wrote a record");
    assert_eq!(clock(), stamp, "a refused action on the screen issued a stamp");
}
