//! The reviewer's screen against a real round file: undo keeps one finding under one id, a
//! correction is a new version of the same finding and merges as one.

mod common;

use common::{app, demo, goto, keys};
use pingcha::lang::Lang;
use pingcha::tui::model::{Mode, Status};

#[test]
fn delete_undo_undo_brings_back_the_same_finding_then_takes_it_away() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let mut app = app(&path, "王五", Lang::Zh);
    goto(&mut app, "sszj.sfcl");
    // The first finding of the case has no 卷/页 to remember: the form asks once.
    keys(&mut app, "<Enter>1<Tab><C-s>");
    let Mode::Entry(e) = &app.model.mode else {
        panic!("the form asks before saving without 卷/页")
    };
    assert!(e.error.as_deref().unwrap().contains("未填写卷页"));
    keys(&mut app, "<C-s>");
    let id = app.model.data.as_ref().unwrap().findings[0].id.clone();
    keys(&mut app, "x");
    assert!(app.model.selected_findings().is_empty());
    keys(&mut app, "u");
    let Status::Saved(said) = &app.model.status else {
        panic!("{:?}", app.model.status)
    };
    assert!(said.starts_with("已撤销：删除"), "{said}");
    let findings = &app.model.data.as_ref().unwrap().findings;
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].id, id, "the same finding, not a copy");
    // The add below the delete is still undoable: its id is still the finding's.
    keys(&mut app, "u");
    assert!(
        matches!(&app.model.status, Status::Saved(s) if s.starts_with("已撤销：记录")),
        "{:?}",
        app.model.status
    );
    assert!(app.model.data.as_ref().unwrap().findings.is_empty());
    assert!(!matches!(app.model.mode, Mode::Entry(_)));
}

#[test]
fn a_corrected_finding_keeps_its_id_and_merges_as_a_newer_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let mut app = app(&path, "王五", Lang::Zh);
    goto(&mut app, "sszj.sfcl");
    keys(&mut app, "<Enter>1<Tab><Enter>1<Enter>3<Enter>");
    let before = app.model.data.as_ref().unwrap().findings[0].clone();
    app.close().unwrap();
    // A copy taken before the correction: another laptop, say.
    let old = dir.path().join("old.db");
    std::fs::copy(&path, &old).unwrap();

    let mut app = common::app(&path, "王五", Lang::Zh);
    goto(&mut app, "sszj.sfcl");
    // r opens it; 2 occurrences, a detail added to the note, page 4.
    keys(&mut app, "r<Up>2<Down>（另一处在第4页）<Enter><Enter>4<Enter>");
    assert!(
        matches!(&app.model.status, Status::Saved(s) if s.starts_with("已更正")),
        "{:?}",
        app.model.status
    );
    let findings = app.model.data.as_ref().unwrap().findings.clone();
    assert_eq!(findings.len(), 1, "corrected, not added");
    let after = &findings[0];
    assert_eq!(after.id, before.id);
    assert!(after.hlc > before.hlc, "a later version");
    assert_eq!(after.note, format!("{}（另一处在第4页）", before.note));
    assert_eq!(
        (after.quantity, after.page),
        (pingcha::score::Quantity::Count(2), Some(4))
    );
    app.close().unwrap();

    // Merged with the copy from before, the newer version wins, under the one id.
    let merged = dir.path().join("merged.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pingcha"))
        .args(["merge"])
        .arg(&old)
        .arg(&path)
        .arg("-o")
        .arg(&merged)
        .env("PINGCHA_DATA_DIR", dir.path().join("lead"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = pingcha::store::Store::open_read_only(&merged).unwrap();
    let found = store.finding(before.id.as_str()).unwrap();
    assert_eq!((found.note.as_str(), found.page), (after.note.as_str(), Some(4)));
    let sheet = store.sheet_by_id(&found.sheet_id).unwrap().unwrap();
    assert_eq!(store.findings(&sheet.id).unwrap().len(), 1);
}
