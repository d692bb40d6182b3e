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
    keys(&mut app, "<Enter>1<Tab><C-s>");
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
