//! End to end: a round file in use by more than one program, a write whose tidy-up fails after
//! its commit, and damaged files. Every test drives the real binary.

mod common;

use common::Env;
use common::sha256 as sha;
use std::path::Path;
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const CASE: &str = "〔2026〕纪审字第001号";
const ITEM: &str = "sszj.bl";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `finding add` of one occurrence on the demo's first case.
fn add(env: &Env, db: &Path, reviewer: &str, note: &str) -> Output {
    env.run(&[
        "finding",
        "add",
        "--db",
        s(db),
        "--case",
        CASE,
        "--item",
        ITEM,
        "--count",
        "1",
        "--note",
        note,
        "--reviewer",
        reviewer,
    ])
}

/// Live findings of the file whose note starts with `prefix`, read without pingcha.
fn notes(db: &Path, prefix: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT note FROM finding WHERE deleted = 0 AND note LIKE ?1 || '%' ORDER BY note")
        .unwrap();
    stmt.query_map([prefix], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The demo round (checkpointed, no log beside it) and a laptop's copy with one finding of 李华.
fn team_and_laptop(env: &Env) -> (std::path::PathBuf, std::path::PathBuf) {
    let team = common::demo(env.dir.path());
    let laptop = env.path("laptop2.db");
    std::fs::copy(&team, &laptop).unwrap();
    let out = add(env, &laptop, "李华", "笔记本二的问题");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (team, laptop)
}

/// Sets the flag when dropped.
struct Stop<'a>(&'a AtomicBool);

impl Drop for Stop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[test]
fn merge_into_while_a_command_loop_writes_loses_no_acknowledged_finding() {
    let env = Env::new();
    let (team, laptop) = team_and_laptop(&env);
    let runs = 100;
    let done = Arc::new(AtomicBool::new(false));
    let acknowledged = std::thread::scope(|scope| {
        let _stop = Stop(&done);
        let writer = scope.spawn(|| {
            let mut ok = Vec::new();
            for i in 0..runs {
                let note = format!("循环{i:03}");
                if add(&env, &team, "张明", &note).status.success() {
                    ok.push(note);
                }
            }
            done.store(true, Ordering::Relaxed);
            ok
        });
        let mut merges = 0;
        while !done.load(Ordering::Relaxed) {
            let _ = env.run(&["merge", "--into", s(&team), s(&laptop)]);
            merges += 1;
        }
        assert!(merges > 1, "the merges should overlap the writes");
        writer.join().unwrap()
    });
    assert!(!acknowledged.is_empty(), "no write succeeded at all");
    assert_eq!(
        notes(&team, "循环"),
        acknowledged,
        "every acknowledged finding is in the file, and nothing else"
    );
    let out = env.run(&["merge", "--into", s(&team), s(&laptop)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(notes(&team, "笔记本二"), ["笔记本二的问题"]);
}

#[test]
fn pack_of_a_file_being_written_succeeds_or_fails_leaving_nothing() {
    let env = Env::new();
    let team = common::demo(env.dir.path());
    let done = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let (packed, failures) = std::thread::scope(|scope| {
        // Stops the writer however this thread leaves the scope (a failed assertion included).
        let _stop = Stop(&done);
        scope.spawn(|| {
            let mut i = 0;
            while !done.load(Ordering::Relaxed) {
                let _ = add(&env, &team, "张明", &format!("写入中{i}"));
                i += 1;
            }
        });
        let mut packed = 0;
        let mut failures = Vec::new();
        for n in 0..20 {
            let stick = env.path(&format!("stick{n}"));
            std::fs::create_dir(&stick).unwrap();
            let out = env.run(&["pack", s(&team), "-o", s(&stick), "--reviewer", "张明"]);
            let left: Vec<_> = std::fs::read_dir(&stick).unwrap().map(|e| e.unwrap().path()).collect();
            if out.status.success() {
                packed += 1;
                assert_eq!(left.len(), 1, "{left:?}");
            } else {
                assert!(left.is_empty(), "a failed pack left {left:?}");
                failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
            }
            if start.elapsed() > Duration::from_secs(25) {
                break;
            }
        }
        (packed, failures)
    });
    assert!(
        failures.is_empty(),
        "{packed} packs succeeded, {} failed: {failures:#?}",
        failures.len()
    );
}

#[test]
fn a_writer_waits_briefly_for_a_replacement_then_says_who_holds_the_file() {
    let env = Env::new();
    let team = common::demo(env.dir.path());
    let before = sha(&team);
    let held = pingcha::store::lock::Lock::take(&team, pingcha::store::lock::Mode::Exclusive, "组织者", Duration::ZERO)
        .unwrap();
    let start = Instant::now();
    let out = add(&env, &team, "张明", "等待中");
    let waited = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(waited >= pingcha::store::lock::WAIT, "gave up after {waited:?}");
    assert!(
        stderr.contains("正在使用中") && stderr.contains("组织者") && stderr.contains(&std::process::id().to_string()),
        "{stderr}"
    );
    assert_eq!(sha(&team), before, "nothing was written");
    drop(held);
    let out = add(&env, &team, "张明", "等待中");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Runs `finding add` with the size of any file it writes limited to `limit` bytes (SIGXFSZ
/// ignored, so a write beyond it fails as on a full disk).
#[cfg(unix)]
fn add_with_file_limit(env: &Env, db: &Path, note: &str, limit: u64) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = env.cmd();
    cmd.args([
        "finding",
        "add",
        "--db",
        s(db),
        "--case",
        CASE,
        "--item",
        ITEM,
        "--count",
        "1",
        "--note",
        note,
        "--reviewer",
        "张明",
    ]);
    // SAFETY: only async-signal-safe calls (signal, setrlimit) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().unwrap()
}

#[cfg(unix)]
#[test]
fn a_finding_committed_before_the_checkpoint_fails_is_reported_saved() {
    let env = Env::new();
    let team = common::demo(env.dir.path());
    let size = std::fs::metadata(&team).unwrap().len();
    // The log may grow, the round file may not: the finding commits, folding it in fails.
    let note = format!("满盘{}", "长".repeat(3000));
    let out = add_with_file_limit(&env, &team, &note, size);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the finding is committed, so the command succeeds: {stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("已保存"));
    assert!(stderr.contains("警告"), "the failed checkpoint is a warning: {stderr}");
    assert_eq!(notes(&team, "满盘").len(), 1);
    let ok = env.ok(&["finding", "list", "--db", s(&team), "--case", CASE]);
    assert!(ok.contains("满盘"));
}

/// Sets `user_version` directly, as a damaged or hand-edited file would have it.
fn set_version(db: &Path, v: i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.pragma_update(None, "user_version", v).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
}

#[test]
fn damaged_files_are_refused_for_writing_without_raw_sql_and_left_unchanged() {
    let env = Env::new();
    let team = common::demo(env.dir.path());
    for (v, what) in [(-1, "negative"), (3, "older than its tables")] {
        let db = env.path(&format!("v{}.db", v + 10));
        std::fs::copy(&team, &db).unwrap();
        set_version(&db, v);
        let before = sha(&db);
        let out = add(&env, &db, "张明", "不应写入");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
        assert!(
            stderr.contains("损坏") || stderr.contains("格式版本"),
            "{what}: {stderr}"
        );
        for sql in ["CREATE", "SELECT", "INSERT", "ALTER", " offset "] {
            assert!(!stderr.contains(sql), "{what}: raw SQL in {stderr}");
        }
        assert_eq!(sha(&db), before, "{what}: the refused file changed");
    }

    // A page SQLite's quick_check rejects, in a table `finding add` never reads.
    let db = env.path("broken.db");
    std::fs::copy(&team, &db).unwrap();
    let (root, page_size): (i64, i64) = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        (
            conn.query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'clock_fix'", [], |r| {
                r.get(0)
            })
            .unwrap(),
            conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap(),
        )
    };
    let mut bytes = std::fs::read(&db).unwrap();
    let at = ((root - 1) * page_size) as usize;
    bytes[at] = 0x7f;
    std::fs::write(&db, &bytes).unwrap();
    let before = sha(&db);
    let out = add(&env, &db, "张明", "不应写入");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "a file failing quick_check: {stderr}");
    assert!(stderr.contains("损坏"), "{stderr}");
    assert_eq!(sha(&db), before, "the refused file changed");
}
