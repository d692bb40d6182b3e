//! Library errors say what is missing in the user's words and name no command-line flag (the
//! screen shows the same messages); the command line adds the flag that supplies it.

mod common;

use common::Env;
use pingcha::lang::{Lang, Localized};
use pingcha::ledger::{Action, LedgerError};
use pingcha::merge::MergeError;
use pingcha::organise::OrganiseError;
use pingcha::score::FindingError;
use pingcha::store::StoreError;
use pingcha::vocab::{Stage, UnknownWord, Word};

#[test]
fn library_messages_name_no_flag() {
    let messages: Vec<Box<dyn Localized>> = vec![
        Box::new(StoreError::NoteRequired),
        Box::new(StoreError::NoReviewer),
        Box::new(StoreError::Finding(FindingError::NeedsCount("a.1".into()))),
        Box::new(StoreError::Finding(FindingError::NeedsAmount("a.1".into()))),
        Box::new(StoreError::Finding(FindingError::TakesNothing("a.1".into()))),
        Box::new(LedgerError::NoteRequired(Action::Close)),
        Box::new(LedgerError::NoActor),
        Box::new(MergeError::BadClockFix("x".into())),
        Box::new(OrganiseError::Calibration),
        Box::new(UnknownWord::new(Word::Stage, "终审")),
    ];
    for m in &messages {
        for lang in [Lang::Zh, Lang::En] {
            let text = m.localized(lang);
            assert!(!text.contains("--"), "{text}");
        }
    }
}

#[test]
fn the_command_line_adds_the_flag_and_the_vocabulary_lists_what_it_takes() {
    let env = Env::new();
    let db = common::demo(env.dir.path()).display().to_string();
    let case = "〔2026〕纪审字第001号";
    let add = |extra: &[&str]| {
        let mut args = vec![
            "finding", "add", "--db", &db, "--case", case, "--item", "sszj.sz", "--count", "1",
        ];
        args.extend_from_slice(extra);
        env.fails(&args)
    };
    let err = add(&["--note", " ", "--reviewer", "张明"]);
    assert!(err.contains("需填写具体扣分原因") && err.contains("--note"), "{err}");
    let err = add(&["--note", "某处", "--reviewer", "张明", "--stage", "终审"]);
    assert!(
        err.contains("未知的评查阶段「终审」") && err.contains("自评、初评、复核、终评"),
        "{err}"
    );
    assert_eq!(Stage::parse("final"), Ok(Stage::Final));
}
