//! A careless `-o`, a full disk, a read-only stick: through the real binary, nothing the user
//! had is destroyed and the message says what happened.

mod common;

use common::sha256 as sha;
use common::{Env, court_round};
use std::path::Path;

/// A round with one finding on case A (so it has a sheet to export).
fn reviewed(env: &Env) -> String {
    let db = court_round(env, &[("A", 3), ("B", 1)], &[]);
    env.ok(&[
        "finding",
        "add",
        "--db",
        &db,
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
    db
}

#[test]
fn no_output_lands_on_the_round_file_or_another_round_file() {
    let env = Env::new();
    let db = reviewed(&env);
    let before = sha(Path::new(&db));
    let attempts: Vec<Vec<&str>> = vec![
        vec!["export", "--db", &db, "--format", "json", "-o", &db],
        vec![
            "export", "--db", &db, "--format", "csv", "--case", "A", "-o", &db, "--force",
        ],
        vec!["report", "--db", &db, "-o", &db, "--force"],
        vec!["ledger", "export", "--db", &db, "-o", &db],
    ];
    for args in &attempts {
        let err = env.fails(args);
        assert!(err.contains("本次读取的文件"), "{args:?}: {err}");
        assert_eq!(sha(Path::new(&db)), before, "{args:?} changed the round file");
    }
    // Another laptop's round file is recognised by its header, whatever it is called.
    let other = env.path("laptop2.json");
    std::fs::copy(&db, &other).expect("copy");
    let theirs = sha(&other);
    let err = env.fails(&["export", "--db", &db, "-o", &other.display().to_string(), "--force"]);
    assert!(err.contains("数据库文件"), "{err}");
    assert_eq!(sha(&other), theirs);
    let err = env.fails(&["merge", &db, "-o", &other.display().to_string(), "--force"]);
    assert!(err.contains("数据库文件") && err.contains("--into"), "{err}");
    assert_eq!(sha(&other), theirs);
}

#[test]
fn no_output_lands_on_an_input_and_an_existing_file_needs_force() {
    let env = Env::new();
    let db = reviewed(&env);
    let cases = env.path("cases.csv");
    let before = sha(&cases);
    let rubric = common::rubric("fy-xingmin.toml");
    let c = cases.display().to_string();
    let err = env.fails(&[
        "round", "new", "--rubric", &rubric, "--cases", &c, "--name", "x", "-o", &c, "--force",
    ]);
    assert!(err.contains("本次读取的文件"), "{err}");
    assert_eq!(sha(&cases), before);

    let out = env.path("a.csv");
    std::fs::write(&out, b"earlier export").expect("write");
    let o = out.display().to_string();
    let err = env.fails(&["export", "--db", &db, "--format", "csv", "--case", "A", "-o", &o]);
    assert!(err.contains("已存在") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(&out).expect("read"), b"earlier export");
    for args in [
        vec!["report", "--db", &db, "-o", &o],
        vec!["ledger", "export", "--db", &db, "-o", &o],
        vec!["merge", &db, "-o", &o],
    ] {
        assert!(env.fails(&args).contains("已存在"), "{args:?}");
        assert_eq!(std::fs::read(&out).expect("read"), b"earlier export", "{args:?}");
    }
    env.ok(&[
        "export", "--db", &db, "--format", "csv", "--case", "A", "-o", &o, "--force",
    ]);
    let csv = std::fs::read_to_string(&out).expect("read");
    assert!(csv.contains("说理不充分"), "{csv}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "case data is private");
    }
    // No temporary file is left in the folder.
    let stray: Vec<_> = std::fs::read_dir(env.dir.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn dash_writes_text_to_standard_output_and_binary_formats_are_refused() {
    let env = Env::new();
    let db = reviewed(&env);
    let json = env.ok(&["export", "--db", &db, "--format", "json", "-o", "-"]);
    assert!(json.starts_with('{') && json.contains("说理不充分"), "{json}");
    let csv = env.ok(&["export", "--db", &db, "--format", "csv", "--case", "A", "-o", "-"]);
    assert!(csv.contains("说理不充分"), "{csv}");
    assert!(!env.path("-").exists(), "no file named -");
    for args in [
        vec!["report", "--db", &db, "-o", "-"],
        vec!["export", "--db", &db, "--format", "xlsx", "--case", "A", "-o", "-"],
        vec!["ledger", "export", "--db", &db, "-o", "-"],
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

#[cfg(unix)]
#[test]
fn a_device_is_written_to_not_replaced_and_a_symlink_is_not_followed() {
    use std::os::unix::fs::FileTypeExt;
    let env = Env::new();
    let db = reviewed(&env);
    let node = env.path("null");
    let c = std::ffi::CString::new(node.display().to_string()).expect("path");
    // SAFETY: a valid path; makes a character device like /dev/null (1, 3).
    let made = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) } == 0;
    if made {
        let n = node.display().to_string();
        env.ok(&["report", "--db", &db, "-o", &n]);
        env.ok(&["export", "--db", &db, "-o", &n]);
        let kind = std::fs::symlink_metadata(&node).expect("meta").file_type();
        assert!(kind.is_char_device(), "the device node is still a device");
    } else {
        eprintln!("skipped: mknod is not permitted here");
    }
    let real = env.path("real.xlsx");
    std::fs::write(&real, b"keep").expect("write");
    let link = env.path("link.xlsx");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let err = env.fails(&["report", "--db", &db, "-o", &link.display().to_string(), "--force"]);
    assert!(err.contains("符号链接"), "{err}");
    assert_eq!(std::fs::read(&real).expect("read"), b"keep");
    assert!(std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
}

#[test]
fn all_cases_goes_to_a_new_folder_whole_or_not_at_all() {
    let env = Env::new();
    let db = reviewed(&env);
    let folder = env.path("问题清单");
    let f = folder.display().to_string();
    env.ok(&["export", "--db", &db, "--format", "csv", "--all-cases", "-o", &f]);
    assert_eq!(std::fs::read_dir(&folder).expect("ls").count(), 1);
    let err = env.fails(&["export", "--db", &db, "--format", "csv", "--all-cases", "-o", &f]);
    assert!(err.contains("已存在"), "{err}");
    env.ok(&[
        "export",
        "--db",
        &db,
        "--format",
        "xlsx",
        "--all-cases",
        "-o",
        &f,
        "--force",
    ]);
    let names: Vec<String> = std::fs::read_dir(&folder)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1);
    assert!(names[0].ends_with(".xlsx"), "{names:?}");
    // A folder holding a round file is never replaced.
    std::fs::copy(&db, folder.join("team.db")).expect("copy");
    let err = env.fails(&[
        "export",
        "--db",
        &db,
        "--format",
        "csv",
        "--all-cases",
        "-o",
        &f,
        "--force",
    ]);
    assert!(err.contains("team.db"), "{err}");
    assert!(folder.join("team.db").exists());
}
