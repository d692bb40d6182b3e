//! Killing a process (SIGKILL on Unix, TerminateProcess on Windows) in the middle of a stream
//! of `finding add` commands loses no finding whose command returned.

mod common;

use common::{Env, court_round};
use std::process::Stdio;
use std::time::Duration;

#[test]
fn kill_9_mid_stream_loses_no_returned_finding() {
    let env = Env::new();
    let db = court_round(&env, &[("A", 3)], &[]);

    let mut returned = Vec::new();
    let mut killed = 0;
    for i in 0..40u64 {
        let note = format!("第{i}处笔录未签名");
        let mut child = env
            .cmd()
            .args([
                "finding",
                "add",
                "--db",
                &db,
                "--case",
                "A",
                "--item",
                "jzgd.blqm",
                "--note",
                &note,
                "--reviewer",
                "张三",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if i % 3 == 2 {
            // Kill at a varying moment: before start-up, mid-write or after the commit.
            std::thread::sleep(Duration::from_micros((i * 997) % 15_000));
            let _ = child.kill();
            killed += 1;
        }
        let out = child.wait_with_output().unwrap();
        if out.status.success() {
            let stdout = String::from_utf8(out.stdout).unwrap();
            let id = stdout.lines().next().unwrap().trim_start_matches("已保存 ").to_owned();
            returned.push(id);
        }
    }
    assert!(
        killed > 10 && returned.len() >= 26,
        "killed {killed}, returned {}",
        returned.len()
    );

    let json: serde_json::Value = serde_json::from_str(&env.ok(&["finding", "list", "--db", &db, "--json"])).unwrap();
    let stored: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["finding"]["id"].as_str().unwrap())
        .collect();
    for id in &returned {
        assert!(stored.contains(&id.as_str()), "finding {id} returned but was lost");
    }
    // The file is intact after the kills.
    let check = rusqlite::Connection::open(&db).unwrap();
    let ok: String = check.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
}
