//! End to end, the reviewer's screen in a pseudo-terminal beside other programs on the same
//! round file: a merge folding into it, a second screen, another program's writes, and a
//! crash between the finding and the deletion of its draft.

#![cfg(unix)]

use expectrl::Expect;
use expectrl::session::{OsSession as Session, Session as Spawn};
use std::path::Path;
use std::process::{Command, Output};
use std::thread::sleep;
use std::time::{Duration, Instant};

const REVIEWER: &str = "王五";
/// Leaves the alternate screen: the terminal was restored.
const RESTORED: &str = "\u{1b}[?1049l";
/// The finding the tests type: 2 missing elements, first common problem plus text, 卷1 页12.
const TYPED: &str = "jj\r2\t，另缺任职文件\r1\r12\r";
const TYPED_NOTE: &str = "以被审查调查人自述代替干部履历表等原始身份材料，另缺任职文件";

fn pingcha(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pingcha"));
    cmd.env("PINGCHA_DATA_DIR", data)
        .env("PINGCHA_REVIEWER", REVIEWER)
        .env_remove("PINGCHA_LANG")
        .env("TERM", "xterm-256color");
    cmd
}

/// Starts the reviewer's screen on the demo round of `data` and waits for the first case.
fn spawn(data: &Path) -> Session {
    let mut session = Spawn::spawn(pingcha(data)).expect("spawn pingcha in a pty");
    session.get_process_mut().set_window_size(120, 40).expect("window size");
    session.set_expect_timeout(Some(Duration::from_secs(60)));
    session.expect("\u{1b}[6n").expect("cursor position query");
    session.send("\u{1b}[1;1R").expect("answer the query");
    session.expect("1/20").expect("the first case is drawn");
    session
}

fn send(session: &mut Session, keys: &str) {
    for c in keys.chars() {
        session.send(c.encode_utf8(&mut [0; 4])).expect("send key");
        drain(session);
    }
}

/// Reads what the screen printed so far (so the pty never fills), as lossy text.
fn drain(session: &mut Session) -> String {
    let mut buf = [0u8; 8192];
    let mut out = Vec::new();
    sleep(Duration::from_millis(30));
    while let Ok(n) = session.try_read(&mut buf) {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query(db: &Path, sql: &str) -> Option<String> {
    rusqlite::Connection::open(db)
        .ok()
        .and_then(|c| c.query_row(sql, [], |r| r.get(0)).ok())
}

/// Polls the round file until `sql` returns `want`.
fn wait_for(session: &mut Session, db: &Path, sql: &str, want: &str) {
    let start = Instant::now();
    loop {
        let got = query(db, sql);
        if got.as_deref() == Some(want) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{sql}: got {got:?}, want {want}"
        );
        drain(session);
        sleep(Duration::from_millis(100));
    }
}

/// Waits until the screen prints `text` (ASCII or whole words drawn in one run).
fn wait_screen(session: &mut Session, text: &str) -> String {
    let start = Instant::now();
    let mut seen = String::new();
    loop {
        seen.push_str(&drain(session));
        if seen.contains(text) {
            return seen;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "never drawn: {text}");
    }
}

fn quit(mut session: Session) {
    session.send("q").expect("send q");
    session.expect(RESTORED).expect("the terminal is restored on quit");
}

fn live_notes(reviewer: &str) -> String {
    format!(
        "SELECT count(*) || ':' || ifnull(group_concat(note, '|'), '') FROM finding f JOIN sheet s ON s.id = f.sheet_id \
         WHERE s.reviewer = '{reviewer}' AND f.deleted = 0"
    )
}

fn run(data: &Path, args: &[&str]) -> Output {
    pingcha(data).args(args).output().unwrap()
}

/// A laptop's copy of the demo round with one finding of 李华.
fn laptop(data: &Path, db: &Path) -> std::path::PathBuf {
    let laptop = data.join("laptop2.db");
    std::fs::copy(db, &laptop).unwrap();
    let out = run(
        data,
        &[
            "finding",
            "add",
            "--db",
            laptop.to_str().unwrap(),
            "--case",
            "〔2026〕纪审字第001号",
            "--item",
            "sszj.bl",
            "--count",
            "1",
            "--note",
            "笔记本二的问题",
            "--reviewer",
            "李华",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    laptop
}

#[test]
fn merge_into_a_file_open_on_the_screen_is_refused_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    // Once, so the reviewer's replica exists and opening again writes nothing.
    quit(spawn(dir.path()));
    let laptop = laptop(dir.path(), &db);
    let mut session = spawn(dir.path());

    let out = run(
        dir.path(),
        &["merge", "--into", db.to_str().unwrap(), laptop.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "merging into an open file must be refused: {stderr}"
    );
    assert!(stderr.contains(REVIEWER) && stderr.contains("评查界面"), "{stderr}");

    send(&mut session, TYPED);
    wait_for(&mut session, &db, &live_notes(REVIEWER), &format!("1:{TYPED_NOTE}"));
    quit(session);

    let out = run(
        dir.path(),
        &["merge", "--into", db.to_str().unwrap(), laptop.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(query(&db, &live_notes(REVIEWER)).unwrap(), format!("1:{TYPED_NOTE}"));
    assert_eq!(
        query(
            &db,
            "SELECT count(*) || '' FROM finding WHERE note = '笔记本二的问题' AND deleted = 0"
        )
        .unwrap(),
        "1",
        "the laptop's finding was merged in"
    );
}

#[test]
fn a_second_screen_is_told_and_the_first_shows_other_programs_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut first = spawn(dir.path());
    let mut second = spawn(dir.path());
    // Told on its status line, which names the first screen's process.
    wait_screen(&mut second, &first.get_process().pid().as_raw().to_string());
    quit(second);

    // Another program writes to the case on screen: the screen reloads it by itself.
    let out = run(
        dir.path(),
        &[
            "finding",
            "add",
            "--db",
            db.to_str().unwrap(),
            "--case",
            "〔2026〕纪审字第001号",
            "--item",
            "sszj.bl",
            "--count",
            "1",
            "--note",
            "ZZ-from-cli",
            "--reviewer",
            REVIEWER,
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    wait_screen(&mut first, "ZZ-from-cli");
    quit(first);
}

#[test]
fn a_crash_between_the_finding_and_its_draft_deletion_leaves_no_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    quit(spawn(dir.path()));
    // The deletion of the draft fails, as if the program died right before it.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("CREATE TRIGGER die BEFORE DELETE ON local_draft BEGIN SELECT RAISE(ABORT, 'killed'); END;")
        .unwrap();
    drop(conn);
    let mut session = spawn(dir.path());
    send(&mut session, TYPED);
    sleep(Duration::from_secs(1));
    drain(&mut session);
    let pid = session.get_process().pid().as_raw().to_string();
    assert!(Command::new("kill").args(["-KILL", &pid]).status().unwrap().success());
    drop(session);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("DROP TRIGGER die;")
        .unwrap();

    // Restarted: the draft is back (or the finding was saved); saving it records it once.
    let mut session = spawn(dir.path());
    session.send("\u{13}").expect("Ctrl-S");
    drain(&mut session);
    sleep(Duration::from_millis(500));
    drain(&mut session);
    wait_for(&mut session, &db, &live_notes(REVIEWER), &format!("1:{TYPED_NOTE}"));
    sleep(Duration::from_millis(500));
    assert_eq!(query(&db, &live_notes(REVIEWER)).unwrap(), format!("1:{TYPED_NOTE}"));
    quit(session);
}
