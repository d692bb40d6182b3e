//! Ledger entries merge like every other record: the later change wins, the histories of both
//! laptops are kept, and the merge order does not matter.

use pingcha::ledger::{self, Action, Change, Filter, State};
use pingcha::merge::{Output, merge_files};
use pingcha::store::{Identity, Store};
use std::path::Path;

fn open(path: &Path, machine: &str) -> Store {
    let id = Identity {
        machine_id: machine.into(),
        reviewer: "督查员".into(),
    };
    Store::open(path, &id).expect("open")
}

fn advance(store: &mut Store, id: &str, by: &str) {
    let change = Change {
        action: Some(Action::Advance),
        by: by.into(),
        ..Change::default()
    };
    ledger::set(store, id, &change).expect("advance");
}

#[test]
fn two_laptops_ledgers_merge_order_independently() {
    let dir = tempfile::tempdir().expect("tempdir");
    let round = dir.path().join("round.db");
    pingcha::demo::create(&round, "org")
        .expect("demo")
        .close()
        .expect("close");
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    std::fs::copy(&round, &a).expect("copy");
    std::fs::copy(&round, &b).expect("copy");

    let mut sa = open(&a, "laptop-a");
    let added = ledger::sync(&mut sa).expect("sync a").added;
    let id = ledger::list(&sa, &Filter::default()).expect("list")[0]
        .row
        .id
        .to_string();
    advance(&mut sa, &id, "甲");
    sa.close().expect("close");

    let mut sb = open(&b, "laptop-b");
    assert_eq!(
        ledger::sync(&mut sb).expect("sync b").added,
        added,
        "same findings, same entries"
    );
    advance(&mut sb, &id, "乙");
    advance(&mut sb, &id, "乙");
    sb.close().expect("close");

    let (ab, ba) = (dir.path().join("ab.db"), dir.path().join("ba.db"));
    merge_files(&[a.clone(), b.clone()], Output::New(ab.clone()), &[]).expect("merge ab");
    merge_files(&[b, a], Output::New(ba.clone()), &[]).expect("merge ba");
    let canonical = |p: &Path| {
        let store = Store::open_read_only(p).expect("open merged");
        pingcha::export::json::canonical(&store).expect("dump")
    };
    assert_eq!(canonical(&ab), canonical(&ba));

    let merged = Store::open_read_only(&ab).expect("open merged");
    let entries = ledger::list(&merged, &Filter::default()).expect("list");
    assert_eq!(entries.len(), added);
    let entry = ledger::find(&merged, &id).expect("entry");
    assert_eq!(entry.row.state, State::AwaitingCheck, "the later change wins");
    let who: Vec<String> = merged
        .ledger_history(&entry.row.id)
        .expect("history")
        .into_iter()
        .map(|e| e.who)
        .collect();
    assert_eq!(who.len(), 3, "both laptops' history is kept: {who:?}");
}
