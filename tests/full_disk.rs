//! A full disk and a read-only medium, on a small tmpfs mounted by the test (as root; skipped
//! with a notice where mounting is not allowed): every writing command says 磁盘空间不足 or
//! 只读, leaves no partial output, and what was recorded before stays intact; the read-only
//! commands keep working.

#![cfg(target_os = "linux")]

mod common;

use common::{Env, court_round};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs mounted on a folder of the test's temp dir, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    fn new(at: PathBuf, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(&at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&at)
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then_some(Mount(at))
    }

    fn remount(&self, how: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{how}")])
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "remount {how}");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the file system holding `dir` to the last byte with one file; returns it.
fn fill(dir: &Path) -> PathBuf {
    let filler = dir.join("filler");
    let mut f = std::fs::File::create(&filler).expect("filler");
    let block = vec![0u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    let small = [0u8; 512];
    while f.write_all(&small).is_ok() {}
    while f.write_all(&[0u8]).is_ok() {}
    let _ = f.sync_all();
    filler
}

/// Entries of `dir` other than the filler and the files named.
fn others(dir: &Path, known: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "filler" && !known.contains(&n.as_str()))
        .collect()
}

#[test]
fn a_full_disk_is_named_leaves_nothing_half_written_and_loses_nothing() {
    let env = Env::new();
    let Some(mount) = Mount::new(env.path("stick"), "3m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let stick = mount.0.clone();
    let db0 = court_round(&env, &[("A", 3), ("B", 1)], &[]);
    let db = stick.join("round.db");
    std::fs::copy(&db0, &db).expect("copy onto the stick");
    let d = db.display().to_string();
    env.ok(&[
        "finding",
        "add",
        "--db",
        &d,
        "--case",
        "A",
        "--reviewer",
        "张三",
        "--item",
        "cpws.cl",
        "--count",
        "1",
        "--note",
        "说理不充分",
    ]);
    let before = env.ok(&["finding", "list", "--db", &d, "--case", "A"]);
    // Something earlier to keep: an export that a failed one must not destroy.
    let earlier = stick.join("earlier.json");
    env.ok(&["export", "--db", &d, "-o", &earlier.display().to_string()]);
    let earlier_bytes = std::fs::read(&earlier).expect("read");
    let hand_in = stick.join("交回");
    std::fs::create_dir(&hand_in).expect("mkdir");

    let filler = fill(&stick);
    let s = |name: &str| stick.join(name).display().to_string();
    let h = hand_in.display().to_string();
    let rubric = common::rubric("fy-xingmin.toml");
    let cases = env.path("cases.csv").display().to_string();
    let attempts: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "finding",
                "add",
                "--db",
                &d,
                "--case",
                "B",
                "--reviewer",
                "张三",
                "--item",
                "cpws.cl",
                "--count",
                "1",
                "--note",
                "第二条",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            "round.db",
        ),
        (
            vec!["export".into(), "--db".into(), d.clone(), "-o".into(), s("out.json")],
            "out.json",
        ),
        (
            vec![
                "export",
                "--db",
                &d,
                "--format",
                "xlsx",
                "--all-cases",
                "-o",
                &s("清单"),
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            "清单",
        ),
        (
            vec!["report".into(), "--db".into(), d.clone(), "-o".into(), s("report.xlsx")],
            "report.xlsx",
        ),
        (
            vec![
                "ledger".into(),
                "export".into(),
                "--db".into(),
                d.clone(),
                "-o".into(),
                s("ledger.xlsx"),
            ],
            "ledger.xlsx",
        ),
        (vec!["merge".into(), d.clone(), "-o".into(), s("team.db")], "team.db"),
        (vec!["pack".into(), d.clone(), "-o".into(), h.clone()], "交回"),
        (
            vec![
                "round",
                "new",
                "--rubric",
                &rubric,
                "--cases",
                &cases,
                "--name",
                "新一轮",
                "-o",
                &s("new.db"),
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            "new.db",
        ),
    ];
    for (args, target) in &attempts {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = env.fails(&args);
        assert!(err.contains("磁盘空间不足"), "{args:?}: {err}");
        assert!(err.contains(target), "{args:?} names the output: {err}");
        assert!(!err.contains("stick/."), "{args:?} names no temporary file: {err}");
        assert_eq!(
            others(
                &stick,
                &[
                    "round.db",
                    "round.db-wal",
                    "round.db-shm",
                    "round.db.lock",
                    "earlier.json",
                    "交回"
                ]
            ),
            Vec::<String>::new(),
            "{args:?} left something behind"
        );
        assert_eq!(std::fs::read_dir(&hand_in).expect("ls").count(), 0, "{args:?}");
    }
    assert_eq!(std::fs::read(&earlier).expect("read"), earlier_bytes);
    // Where the size is known, the message says how much room was needed.
    let err = env.fails(&["pack", &d, "-o", &h]);
    assert!(err.contains("约需"), "{err}");
    let err = env.fails(&["report", "--db", &d, "-o", &s("report.xlsx")]);
    assert!(err.contains("约需") && err.contains("KB"), "{err}");
    // Replacing the earlier export on a full disk keeps it whole.
    let err = env.fails(&["export", "--db", &d, "-o", &earlier.display().to_string(), "--force"]);
    assert!(err.contains("磁盘空间不足"), "{err}");
    assert_eq!(std::fs::read(&earlier).expect("read"), earlier_bytes);

    // Reading works on the full disk.
    assert_eq!(env.ok(&["finding", "list", "--db", &d, "--case", "A"]), before);
    env.ok(&["case", "list", "--db", &d]);
    env.ok(&["score", "--db", &d, "--case", "A"]);
    env.ok(&["round", "show", "--db", &d]);

    // With room again the finding recorded before is there, once.
    std::fs::remove_file(&filler).expect("free");
    assert_eq!(env.ok(&["finding", "list", "--db", &d, "--case", "A"]), before);

    // A read-only medium: named as such; reading works.
    mount.remount("ro");
    let err = env.fails(&[
        "finding",
        "add",
        "--db",
        &d,
        "--case",
        "B",
        "--reviewer",
        "张三",
        "--item",
        "cpws.cl",
        "--count",
        "1",
        "--note",
        "第二条",
    ]);
    assert!(err.contains("只读"), "{err}");
    let err = env.fails(&["export", "--db", &d, "-o", &s("ro.json")]);
    assert!(err.contains("只读"), "{err}");
    assert_eq!(env.ok(&["finding", "list", "--db", &d, "--case", "A"]), before);
    env.ok(&["case", "list", "--db", &d]);
    env.ok(&["score", "--db", &d, "--case", "A"]);
    env.ok(&["round", "show", "--db", &d]);
    env.ok(&["export", "--db", &d, "-o", "-"]);
}

#[test]
fn reading_works_on_a_full_disk_and_a_read_only_medium_with_nothing_beside_the_file() {
    let env = Env::new();
    let Some(mount) = Mount::new(env.path("stick"), "2m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let db0 = court_round(&env, &[("A", 3), ("B", 1)], &[]);
    env.ok(&[
        "finding",
        "add",
        "--db",
        &db0,
        "--case",
        "A",
        "--reviewer",
        "张三",
        "--item",
        "cpws.cl",
        "--count",
        "1",
        "--note",
        "说理不充分",
    ]);
    let before = env.ok(&["finding", "list", "--db", &db0, "--case", "A"]);
    let db = mount.0.join("round.db");
    std::fs::copy(&db0, &db).expect("copy");
    let d = db.display().to_string();
    let read = |what: &str| {
        assert_eq!(
            env.ok(&["finding", "list", "--db", &d, "--case", "A"]),
            before,
            "{what}"
        );
        env.ok(&["case", "list", "--db", &d]);
        env.ok(&["score", "--db", &d, "--case", "A"]);
        env.ok(&["round", "show", "--db", &d]);
        env.ok(&["export", "--db", &d, "-o", "-"]);
    };
    let filler = fill(&mount.0);
    read("full disk");
    std::fs::remove_file(filler).expect("free");
    for companion in ["round.db-wal", "round.db-shm"] {
        let _ = std::fs::remove_file(mount.0.join(companion));
    }
    mount.remount("ro");
    read("read-only medium");
}

#[test]
fn a_hand_in_with_its_log_on_a_write_protected_stick_is_read_and_merged_whole() {
    let env = Env::new();
    let Some(mount) = Mount::new(env.path("stick"), "4m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let db0 = court_round(&env, &[("A", 3)], &[]);
    // A laptop that was switched off mid-session: the newest write is only in the -wal log.
    let conn = rusqlite::Connection::open(&db0).expect("open");
    conn.pragma_update(None, "wal_autocheckpoint", 0)
        .expect("no checkpoint");
    conn.execute(
        "UPDATE case_field SET value = 'WAL中的修改' WHERE rowid = (SELECT MIN(rowid) FROM case_field)",
        [],
    )
    .expect("write");
    let mut wal = std::ffi::OsString::from(&db0);
    wal.push("-wal");
    assert!(std::fs::metadata(&wal).expect("wal").len() > 0);
    let db = mount.0.join("hand-in.db");
    std::fs::copy(&db0, &db).expect("copy");
    std::fs::copy(&wal, mount.0.join("hand-in.db-wal")).expect("copy wal");
    std::mem::forget(conn);
    mount.remount("ro");
    let d = db.display().to_string();
    let dump = env.ok(&["export", "--db", &d, "-o", "-"]);
    assert!(dump.contains("WAL中的修改"), "the log's write is read");
    let team = env.path("team.db").display().to_string();
    env.ok(&["merge", &d, "-o", &team]);
    assert!(env.ok(&["export", "--db", &team, "-o", "-"]).contains("WAL中的修改"));
    assert!(
        !mount.0.join("hand-in.db-shm").exists(),
        "nothing was created on the stick"
    );
}
