use super::*;
use crate::lang::{Lang, Localized};

fn rules(force: bool, inputs: &[&Path]) -> Rules {
    Rules::new(force, inputs)
}

#[test]
fn a_new_file_is_written_private_and_an_existing_one_only_with_force() {
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("out.json");
    write(&out, &rules(false, &[]), b"one").expect("new");
    assert_eq!(std::fs::read(&out).expect("read"), b"one");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(matches!(
        write(&out, &rules(false, &[]), b"two"),
        Err(OutputError::Exists(_))
    ));
    assert_eq!(std::fs::read(&out).expect("read"), b"one");
    write(&out, &rules(true, &[]), b"two").expect("forced");
    assert_eq!(std::fs::read(&out).expect("read"), b"two");
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("ls").collect();
    assert_eq!(left.len(), 1, "no temporary file left behind");
}

#[test]
fn inputs_and_sqlite_files_are_never_replaced_even_with_force() {
    let dir = tempfile::tempdir().expect("dir");
    let input = dir.path().join("cases.csv");
    std::fs::write(&input, b"a,b\n").expect("write");
    let spelled = dir.path().join(".").join("cases.csv");
    assert!(matches!(
        write(&spelled, &rules(true, &[&input]), b"x"),
        Err(OutputError::IsInput(_))
    ));
    let db = dir.path().join("other.bin");
    std::fs::write(&db, b"SQLite format 3\0rest").expect("write");
    assert!(matches!(
        write(&db, &rules(true, &[]), b"x"),
        Err(OutputError::IsDatabase(_))
    ));
    assert_eq!(std::fs::read(&input).expect("read"), b"a,b\n");
}

#[cfg(unix)]
#[test]
fn a_symlink_is_not_followed_and_a_folder_is_not_replaced() {
    let dir = tempfile::tempdir().expect("dir");
    let real = dir.path().join("real.txt");
    std::fs::write(&real, b"keep").expect("write");
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    assert!(matches!(
        write(&link, &rules(true, &[]), b"x"),
        Err(OutputError::Symlink(_))
    ));
    assert_eq!(std::fs::read(&real).expect("read"), b"keep");
    assert!(matches!(
        write(dir.path(), &rules(true, &[]), b"x"),
        Err(OutputError::NotRegular(_))
    ));
}

#[test]
fn a_folder_is_built_all_or_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("cases");
    let failed: Result<(), Built<&str>> = build_folder(&out, &rules(false, &[]), |f| {
        write_private(&f.join("a.csv"), b"a").map_err(|_| "io")?;
        Err("second case failed")
    });
    assert!(matches!(failed, Err(Built::Fill(_))));
    assert!(!out.exists(), "nothing under the target");
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("ls").count(),
        0,
        "no temporary folder left"
    );
    build_folder(&out, &rules(false, &[]), |f| write_private(&f.join("a.csv"), b"a")).expect("built");
    let again = build_folder(&out, &rules(false, &[]), |f| write_private(&f.join("b.csv"), b"b"));
    assert!(matches!(again, Err(Built::Output(OutputError::Exists(_)))));
    build_folder(&out, &rules(true, &[]), |f| write_private(&f.join("b.csv"), b"b")).expect("forced");
    assert!(!out.join("a.csv").exists() && out.join("b.csv").exists());
    std::fs::write(out.join("team.db"), b"SQLite format 3\0").expect("db");
    let holds = build_folder(&out, &rules(true, &[]), |f| write_private(&f.join("c.csv"), b"c"));
    assert!(matches!(holds, Err(Built::Output(OutputError::FolderHolds { .. }))));
    assert!(out.join("team.db").exists());
}

#[test]
fn media_errors_are_named_by_what_to_do() {
    let p = Path::new("/媒体/报告.xlsx");
    let full = OutputError::from_io(
        p,
        std::io::Error::from(std::io::ErrorKind::StorageFull),
        Some(3 * 1024 * 1024),
    );
    let msg = full.localized(Lang::Zh);
    assert!(
        msg.contains("磁盘空间不足") && msg.contains("报告.xlsx") && msg.contains("3.0 MB"),
        "{msg}"
    );
    let ro = OutputError::from_io(p, std::io::Error::from(std::io::ErrorKind::ReadOnlyFilesystem), None);
    assert!(ro.localized(Lang::Zh).contains("只读"));
    assert!(
        OutputError::InUse(p.to_path_buf())
            .localized(Lang::Zh)
            .contains("请先在 Excel/WPS 中关闭「/媒体/报告.xlsx」后重试")
    );
}
