//! End to end: the real binary in a pseudo-terminal. Types keys including Chinese text,
//! kills the process with SIGKILL in the middle of a note, starts it again, and finds every
//! confirmed finding plus the half-typed note. Also: SIGTERM and SIGHUP restore the terminal.

#![cfg(unix)]

use expectrl::Expect;
use expectrl::session::{OsSession as Session, Session as Spawn};
use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

const REVIEWER: &str = "王五";
/// Leaves the alternate screen: the terminal was restored.
const RESTORED: &str = "\u{1b}[?1049l";

fn spawn(data: &Path) -> Session {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pingcha"));
    cmd.env("PINGCHA_DATA_DIR", data)
        .env("PINGCHA_REVIEWER", REVIEWER)
        .env("TERM", "xterm-256color");
    let mut session = Spawn::spawn(cmd).expect("spawn pingcha in a pty");
    session.get_process_mut().set_window_size(120, 40).expect("window size");
    session.set_expect_timeout(Some(Duration::from_secs(60)));
    // ratatui asks where the cursor is (DSR); answer as a terminal would.
    session.expect("\u{1b}[6n").expect("cursor position query");
    session.send("\u{1b}[1;1R").expect("answer the query");
    // Wide characters are drawn cell by cell with cursor moves in between, so wait for ASCII.
    session.expect("1/20").expect("the first case is drawn");
    session
}

/// Sends keys one at a time, reading the screen output in between so the pty never fills.
fn send(session: &mut Session, keys: &str) {
    for c in keys.chars() {
        session.send(c.encode_utf8(&mut [0; 4])).expect("send key");
        drain(session);
    }
}

fn drain(session: &mut Session) {
    let mut buf = [0u8; 8192];
    sleep(Duration::from_millis(30));
    while let Ok(n) = session.try_read(&mut buf) {
        if n == 0 {
            break;
        }
    }
}

/// Polls the round file until `query` returns `want` (the app writes from its own process).
fn wait_for(session: &mut Session, db: &Path, query: &str, want: &str) {
    let start = Instant::now();
    loop {
        let got: Option<String> = rusqlite::Connection::open(db)
            .ok()
            .and_then(|c| c.query_row(query, [], |r| r.get(0)).ok());
        if got.as_deref() == Some(want) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{query}: got {got:?}, want {want}"
        );
        drain(session);
        sleep(Duration::from_millis(100));
    }
}

fn sh(args: &[&str]) {
    assert!(
        Command::new(args[0]).args(&args[1..]).status().unwrap().success(),
        "{args:?}"
    );
}

#[test]
fn sigkill_mid_note_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut session = spawn(dir.path());

    // A confirmed finding: 2 missing elements, first common problem plus Chinese text, 卷1 页12.
    send(&mut session, "jj\r2\t，另缺任职文件\r1\r12\r");
    let confirmed = "以被审查调查人自述代替干部履历表等原始身份材料，另缺任职文件";
    let live_findings = "SELECT group_concat(note, '|') FROM finding f JOIN sheet s ON s.id = f.sheet_id \
         WHERE s.reviewer = '王五' AND f.deleted = 0 ORDER BY f.hlc";
    wait_for(&mut session, &db, live_findings, confirmed);

    // Half a note on the next (range) item, then SIGKILL.
    send(&mut session, "j\r3\r未说明理由的半截");
    wait_for(&mut session, &db, "SELECT note FROM local_draft", "未说明理由的半截");
    let pid = session.get_process().pid().as_raw().to_string();
    sh(&["kill", "-KILL", &pid]);
    drop(session);

    // Restart: the draft is back in the entry form (focused on the note); finish it, keep the
    // remembered 卷 and 页 (Enter, Enter) and save.
    let mut session = spawn(dir.path());
    send(&mut session, "，续写\r\r\r");
    wait_for(
        &mut session,
        &db,
        live_findings,
        &format!("{confirmed}|未说明理由的半截，续写"),
    );
    wait_for(&mut session, &db, "SELECT count(*) || '' FROM local_draft", "0");
    session.send("q").expect("send q");
    session.expect(RESTORED).expect("the terminal is restored on quit");
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for signal in ["-TERM", "-HUP"] {
        let dir = tempfile::tempdir().unwrap();
        let mut session = spawn(dir.path());
        let pid = session.get_process().pid().as_raw().to_string();
        sh(&["kill", signal, &pid]);
        session
            .expect(RESTORED)
            .expect("the terminal is restored on the signal");
    }
}

#[test]
fn a_long_chinese_note_is_edited_in_the_middle_of_its_wrapped_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut session = spawn(dir.path());
    // Three rows of note at 120×40; then the cursor goes back into the second row.
    let head = "询问笔录缺少询问人签名，且第三页有涂改未按手印确认，询问时间与审批表记载的时间不一致，";
    let tail = "另缺少被询问人对笔录内容的确认意见，笔录末页无“以上笔录我看过，与我说的相符”字样";
    send(&mut session, &format!("jjjj\r1{head}{tail}"));
    for _ in 0..tail.chars().count() {
        session.send("\u{1b}[D").expect("send ←");
        drain(&mut session);
    }
    send(&mut session, "（补）");
    // 卷 2, 页 9, saved.
    send(&mut session, "\r2\r9\r");
    let note = format!("{head}（补）{tail}");
    wait_for(
        &mut session,
        &db,
        "SELECT group_concat(note, '|') FROM finding f JOIN sheet s ON s.id = f.sheet_id \
         WHERE s.reviewer = '王五' AND f.deleted = 0",
        &note,
    );
    session.send("q").expect("send q");
    session.expect(RESTORED).expect("the terminal is restored on quit");
}
