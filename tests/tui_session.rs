//! Drives a whole case through the TUI's update loop by keystrokes, against a real SQLite
//! file, and checks the file afterwards and that the score equals `pingcha score --json`; the
//! same for the rectification ledger view.

mod common;

use common::{LEDGER_TODAY, app, demo, goto, keys, ledger_fixture};
use pingcha::lang::{Lang, Localized};
use pingcha::ledger::{self, Action, Entry, Filter, LedgerError, State, Timeliness};
use pingcha::points::Points;
use pingcha::score::Quantity;
use pingcha::store::{MarkKind, Stage, Store, ids};
use pingcha::tui::model::{Mode, Status};
use std::process::Command;

const REVIEWER: &str = "王五";

#[test]
fn a_whole_case_by_keystrokes() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let mut app = app(&path, REVIEWER, Lang::Zh);
    assert_eq!(app.model.case_index, 0);
    let case_id = app.model.cases[0].id.clone();
    let case_no = app.model.cases[0].case_no.clone();

    // Per-missing item: j j reaches it; count 2, Tab picks the first common problem, 卷 1 页 12.
    keys(&mut app, "jj");
    assert_eq!(app.model.selected_row().unwrap().id, "sszj.sfcl");
    keys(&mut app, "<Enter>2<Tab>");
    let Mode::Entry(entry) = &app.model.mode else {
        panic!("entry form expected")
    };
    assert_eq!(entry.note.text(), "以被审查调查人自述代替干部履历表等原始身份材料");
    keys(&mut app, "，另缺任职文件<Enter>1<Enter>12<Enter>");
    assert!(matches!(app.model.mode, Mode::Browse));
    assert!(matches!(app.model.status, Status::Saved(_)));
    let data = app.model.data.as_ref().unwrap();
    assert_eq!(data.findings.len(), 1);
    let f = &data.findings[0];
    assert_eq!(f.quantity, Quantity::Count(2));
    assert_eq!(f.problem.as_deref(), Some("SZ-01"));
    assert_eq!((f.volume, f.page), (Some(1), Some(12)));
    assert_eq!(f.note, "以被审查调查人自述代替干部履历表等原始身份材料，另缺任职文件");

    // Range item by pinyin filter; amount 2.5, a typed Chinese note; 卷 remembered, 页 30.
    goto(&mut app, "dxcl.lj");
    keys(&mut app, "<Enter>2.5<Enter>量纪明显偏轻<Enter><Enter>30<Enter>");
    let data = app.model.data.as_ref().unwrap();
    assert_eq!(data.findings.len(), 2);
    assert_eq!(
        data.findings[1].quantity,
        Quantity::Amount("2.5".parse::<Points>().unwrap())
    );
    assert_eq!((data.findings[1].volume, data.findings[1].page), (Some(1), Some(30)));
    assert_eq!(data.score.total, "95.5".parse::<Points>().unwrap());

    // An amount outside the rule is refused by the engine before the note is asked.
    goto(&mut app, "dxcl.lj");
    keys(&mut app, "<Enter>9<Enter>");
    let Mode::Entry(entry) = &app.model.mode else {
        panic!("entry form expected")
    };
    assert!(entry.error.is_some());
    // Esc on typed text asks; a second Esc discards.
    keys(&mut app, "<Esc><Esc>");

    // 不适用 on 涉案财物 (found by its pinyin initials).
    keys(&mut app, "/<C-u>sacwdj<Enter>");
    assert_eq!(app.model.selected_row().unwrap().id, "cfzx.sacw");
    // The reason is optional: Enter marks it without one.
    keys(&mut app, "n<Enter>");
    assert!(app.model.data.as_ref().unwrap().not_applicable.contains("cfzx.sacw"));

    // Veto: v jumps to the first veto item; Tab takes its wording; 卷/页 are remembered.
    keys(&mut app, "v<Tab><Enter><Enter><Enter>");
    let data = app.model.data.as_ref().unwrap();
    assert_eq!(data.findings.len(), 3);
    assert_eq!(data.score.grade, "不合格");

    // Undo removes the veto finding again.
    keys(&mut app, "u");
    let data = app.model.data.as_ref().unwrap();
    assert_eq!(data.findings.len(), 2);
    assert_eq!(data.score.grade, "优秀");
    let expected = serde_json::to_value(&data.score).unwrap();

    // Next case.
    keys(&mut app, "]");
    assert_eq!(app.model.case_index, 1);
    assert_eq!(app.model.data.as_ref().unwrap().case.id, app.model.cases[1].id);
    keys(&mut app, "q");
    assert!(app.model.quit);
    app.close().unwrap();

    // The file: two live findings, one tombstone, the N/A mark.
    let store = Store::open_read_only(&path).unwrap();
    let sheet = store
        .sheet_by_id(&ids::sheet_id(&case_id, REVIEWER, Stage::Initial.name()))
        .unwrap()
        .unwrap();
    assert_eq!(store.findings(&sheet.id).unwrap().len(), 2);
    assert_eq!(
        store.marked(&sheet.id, MarkKind::NotApplicable).unwrap(),
        vec!["cfzx.sacw".to_owned()]
    );
    assert_eq!(serde_json::to_value(store.score(&sheet).unwrap()).unwrap(), expected);
    drop(store);

    // And the CLI agrees.
    let out = Command::new(env!("CARGO_BIN_EXE_pingcha"))
        .args(["score", "--json", "--db"])
        .arg(&path)
        .args(["--case", &case_no])
        .env("PINGCHA_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mine = all
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["reviewer"] == REVIEWER)
        .expect("the reviewer's sheet");
    assert_eq!(mine["score"], expected);
}

#[test]
fn the_half_typed_note_and_cursor_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let mut first = app(&path, REVIEWER, Lang::Zh);
    keys(&mut first, "]]");
    goto(&mut first, "dxcl.lj");
    keys(&mut first, "<Enter>3<Enter>处分偏轻，未说明");
    // No close: as if the process were killed here.
    drop(first);

    let second = app(&path, REVIEWER, Lang::Zh);
    assert_eq!(second.model.case_index, 2);
    assert_eq!(second.model.selected_row().unwrap().id, "dxcl.lj");
    let Mode::Entry(entry) = &second.model.mode else {
        panic!("the draft should reopen the entry form")
    };
    assert_eq!(entry.note.text(), "处分偏轻，未说明");
    assert_eq!(entry.quantity.text(), "3");
}

#[test]
fn marks_deletes_metadata_grade_and_round_lists() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let mut app = app(&path, "张明", Lang::Zh);
    // The demo gave 张明 one finding on case 1, under 事实证据.
    keys(&mut app, "j");
    assert_eq!(app.model.selected_findings().len(), 1);
    keys(&mut app, "x");
    assert_eq!(app.model.selected_findings().len(), 0);
    keys(&mut app, "u");
    assert_eq!(app.model.selected_findings().len(), 1);

    // 待议 on the category and on the whole case, then the round-wide list.
    keys(&mut app, "!<Enter>");
    keys(&mut app, "g!<Enter>");
    assert!(app.model.data.as_ref().unwrap().pending.contains(""));
    keys(&mut app, "p");
    assert_eq!(app.model.pending.len(), 2);
    keys(&mut app, "<Esc>");

    // Metadata: 卷册数 is the last field; set it to 2, then a volume of 5 is refused.
    keys(&mut app, "e");
    let volumes = app.model.rubric.fields.iter().position(|f| f.key == "volumes").unwrap();
    for _ in 0..volumes {
        keys(&mut app, "j");
    }
    keys(&mut app, "<Enter><C-u>两卷<Enter>");
    let Mode::Meta(form) = &app.model.mode else {
        panic!("still in the form")
    };
    assert!(form.error.as_deref().unwrap().contains("不是整数"), "{:?}", form.error);
    keys(&mut app, "<C-u>2<Enter><Esc>");
    assert_eq!(app.model.case().unwrap().field("volumes"), "2");
    goto(&mut app, "sszj.sfcl");
    keys(&mut app, "<Enter>1<Tab><Down>5<Enter>3<Enter>");
    let Mode::Entry(entry) = &app.model.mode else {
        panic!("refused finding keeps the form")
    };
    assert!(entry.error.as_deref().unwrap().contains('5'), "{:?}", entry.error);
    keys(&mut app, "<Esc><Esc>");

    // Ctrl-R marks a finding as a repeat (从重): the rubric doubles its deduction.
    let before = app.model.data.as_ref().unwrap().score.total;
    goto(&mut app, "sszj.sfcl");
    keys(&mut app, "<Enter>1<Tab><C-r><Down><C-u>1<Enter><Enter>");
    let data = app.model.data.as_ref().unwrap();
    assert!(data.findings.iter().any(|f| f.repeat.applies()));
    assert_eq!(before - data.score.total, "2".parse().unwrap());

    // Grade decision needs a reason.
    keys(&mut app, "G<Tab><Enter>");
    assert!(matches!(app.model.mode, Mode::Grade(_)));
    keys(&mut app, "经评查组集体讨论<Enter>");
    assert!(matches!(app.model.mode, Mode::Browse));
    let decided = app.model.data.as_ref().unwrap().score.decision.clone().unwrap();
    assert_eq!(decided.grade, "合格");

    // Note search across the round, and the case list's fuzzy search.
    keys(&mut app, "s自述");
    assert!(!app.model.hits.is_empty());
    keys(&mut app, "<Esc>c005<Enter>");
    assert_eq!(app.model.case().unwrap().case_no, "〔2026〕纪审字第005号");
}

#[test]
fn a_common_problem_at_the_remembered_place_takes_three_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let mut app = app(&path, REVIEWER, Lang::Zh);
    goto(&mut app, "sszj.sfcl");
    keys(&mut app, "<Enter>1<Tab><Enter>2<Enter>17<Enter>");
    assert!(matches!(app.model.status, Status::Saved(_)));

    goto(&mut app, "cxsx.cs");
    let before = app.model.data.as_ref().unwrap().findings.len();
    keys(&mut app, "<Enter><Tab><C-s>");
    assert!(matches!(app.model.mode, Mode::Browse));
    assert!(matches!(app.model.status, Status::Saved(_)));
    let data = app.model.data.as_ref().unwrap();
    assert_eq!(data.findings.len(), before + 1);
    let f = data.findings.last().unwrap();
    assert_eq!((f.node.as_str(), f.quantity), ("cxsx.cs", Quantity::Count(1)));
    assert_eq!((f.volume, f.page), (Some(2), Some(17)), "the remembered 卷/页");
    assert!(f.problem.is_some() && !f.note.is_empty(), "the first common problem");

    // Ctrl-S with an empty note is refused by the store and keeps the form open.
    goto(&mut app, "cxsx.cs");
    keys(&mut app, "<Enter><C-s>");
    assert!(matches!(app.model.mode, Mode::Entry(_)));
}

#[test]
fn the_case_list_opens_the_comparison_of_the_reviewers_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let mut app = app(&path, "张明", Lang::Zh);
    let case_no = app.model.cases[0].case_no.clone();
    let store = Store::open_read_only(&path).unwrap();
    let expected = pingcha::review::compare(&store, &case_no).unwrap();
    let differing = |rows: Vec<&pingcha::review::ItemRow>| -> Vec<String> {
        rows.into_iter().filter(|r| r.differs).map(|r| r.id.clone()).collect()
    };
    let expected_differing = differing(expected.items.iter().collect());
    assert!(
        !expected_differing.is_empty(),
        "the demo's first case is scored differently"
    );

    // From the case list, `=` compares the highlighted case (the first).
    keys(&mut app, "c=");
    assert!(matches!(app.model.mode, Mode::Compare(_)));
    let cmp = app.model.comparison.as_ref().unwrap();
    assert_eq!(cmp.case.case_no, case_no);
    let reviewers: Vec<&str> = cmp.columns.iter().map(|c| c.sheet.reviewer.as_str()).collect();
    assert_eq!(reviewers, ["张明", "李华"]);
    let rows: Vec<String> = app.model.compare_rows().iter().map(|r| r.id.clone()).collect();
    let expected_rows: Vec<String> = expected.items.iter().map(|r| r.id.clone()).collect();
    assert_eq!(
        rows, expected_rows,
        "by default only items some sheet says something about"
    );
    assert_eq!(differing(app.model.compare_rows()), expected_differing);
    assert_eq!(
        (cmp.spread, cmp.grades_differ),
        (expected.spread, expected.grades_differ)
    );

    // j k move within the rows; `a` shows every item of the rubric, and back.
    keys(&mut app, "jjjjk");
    let Mode::Compare(view) = &app.model.mode else {
        panic!("compare view expected")
    };
    assert_eq!(view.selected, (expected_rows.len() - 1).min(4).saturating_sub(1));
    keys(&mut app, "a");
    let all = app.model.rubric.item_ids().count();
    assert_eq!(app.model.compare_rows().len(), all);
    assert_eq!(differing(app.model.compare_rows()), expected_differing);
    keys(&mut app, "a");
    assert_eq!(app.model.compare_rows().len(), expected_rows.len());

    // Esc goes back to the case list, still on the same case; Esc again to the tree.
    keys(&mut app, "<Esc>");
    let Mode::Cases(picker) = &app.model.mode else {
        panic!("case list expected")
    };
    assert_eq!(picker.selected, 0);
    keys(&mut app, "<Esc>");
    assert!(matches!(app.model.mode, Mode::Browse));

    // `=` while browsing compares the case on screen; Esc returns to the tree.
    keys(&mut app, "=");
    assert!(matches!(app.model.mode, Mode::Compare(_)));
    keys(&mut app, "<Esc>");
    assert!(matches!(app.model.mode, Mode::Browse));
}

/// The state of ledger entry `id` and its history as (who, from, to, note), read from the file.
fn ledger_entry(path: &std::path::Path, id: &str) -> (Entry, Vec<(String, String, String, String)>) {
    let store = Store::open_read_only(path).unwrap();
    let entry = ledger::find(&store, id).unwrap();
    let history = store
        .ledger_history(&entry.row.id)
        .unwrap()
        .into_iter()
        .map(|e| (e.who, e.from.name().to_owned(), e.to.name().to_owned(), e.note))
        .collect();
    (entry, history)
}

fn selected_id(app: &pingcha::tui::App) -> String {
    app.model.selected_ledger_entry().unwrap().row.id.to_string()
}

#[test]
fn the_ledger_view_filters_and_moves_entries_with_mandatory_notes() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let ids = ledger_fixture(&path);
    let mut app = app(&path, "王核", Lang::Zh);
    app.model.today = LEDGER_TODAY.parse().expect("a date");

    // L opens the view on every entry, in the fixture's order.
    keys(&mut app, "L");
    assert!(matches!(app.model.mode, Mode::Ledger(_)));
    let shown: Vec<String> = app.model.ledger_rows().iter().map(|e| e.row.id.to_string()).collect();
    assert_eq!(shown, ids);
    assert_eq!(selected_id(&app), ids[0]);
    assert_eq!(
        app.model.ledger_history.as_ref().map(|(id, _)| id.as_str()),
        Some(ids[0].as_str())
    );

    // Filters: the first unit, then 待整改 too, then overdue only; the library agrees.
    let store = Store::open_read_only(&path).unwrap();
    let expect = |filter: Filter| -> Vec<String> {
        let mut v: Vec<String> = ledger::list(&store, &filter)
            .unwrap()
            .into_iter()
            .map(|e| e.row.id.to_string())
            .collect();
        v.sort();
        v
    };
    let shown = |app: &pingcha::tui::App| -> Vec<String> {
        let mut v: Vec<String> = app.model.ledger_rows().iter().map(|e| e.row.id.to_string()).collect();
        v.sort();
        v
    };
    keys(&mut app, "u");
    let unit = app.model.ledger_units()[0].to_owned();
    let of_unit = Filter {
        unit: Some(unit.clone()),
        ..Filter::default()
    };
    assert_eq!(shown(&app), expect(of_unit.clone()));
    assert!(shown(&app).len() < ids.len());
    keys(&mut app, "s");
    let pending = Filter {
        state: Some(State::Pending),
        ..of_unit.clone()
    };
    assert_eq!(shown(&app), expect(pending));
    keys(&mut app, "sss");
    let withdrawn = Filter {
        state: Some(State::Withdrawn),
        ..of_unit.clone()
    };
    keys(&mut app, "s");
    assert_eq!(shown(&app), expect(withdrawn), "已撤销 comes last");
    keys(&mut app, "s");
    assert_eq!(shown(&app), expect(of_unit), "s cycles back to every state");
    keys(&mut app, "Uo");
    let overdue = expect(Filter {
        overdue_on: Some(LEDGER_TODAY.parse().expect("a date")),
        ..Filter::default()
    });
    assert_eq!(shown(&app), overdue);
    assert_eq!(overdue.len(), 2, "the fixture has two overdue entries");
    keys(&mut app, "x");
    assert_eq!(shown(&app).len(), ids.len());
    drop(store);

    // 推进 the 待整改 entry (second) with a note: written as the reviewer, history kept.
    keys(&mut app, "gj");
    assert_eq!(selected_id(&app), ids[1]);
    keys(&mut app, "a已通知承办单位<Enter>");
    assert!(matches!(app.model.status, Status::Saved(_)));
    let (entry, history) = ledger_entry(&path, &ids[1]);
    assert_eq!(entry.row.state, State::InProgress);
    assert_eq!(
        history.last().unwrap(),
        &("王核".into(), "待整改".into(), "整改中".into(), "已通知承办单位".into())
    );
    assert_eq!(selected_id(&app), ids[1], "the entry stays selected");

    // An empty note is refused in the view: nothing is written, the form stays open.
    let before = pingcha::export::json::canonical(&Store::open_read_only(&path).unwrap()).unwrap();
    keys(&mut app, "a   <Enter>");
    let Status::Error(message) = &app.model.status else {
        panic!("an error expected, got {:?}", app.model.status)
    };
    assert!(message.contains("须填写说明"), "{message}");
    assert!(matches!(&app.model.mode, Mode::Ledger(v) if v.form.is_some()));
    let after = pingcha::export::json::canonical(&Store::open_read_only(&path).unwrap()).unwrap();
    assert_eq!(before, after, "nothing written");
    keys(&mut app, "<Esc>");

    // A transition the ledger refuses: no form, the ledger's own words.
    keys(&mut app, "c");
    let refused = LedgerError::Refused {
        state: State::InProgress,
        action: Action::Close,
    }
    .localized(Lang::Zh);
    assert_eq!(app.model.status, Status::Error(refused));
    assert!(matches!(&app.model.mode, Mode::Ledger(v) if v.form.is_none()));

    // 推进 to 已整改待核, 退回 with a note, 推进 again, 销号 with a note.
    keys(&mut app, "a已补齐材料<Enter>r回证缺本人签名<Enter>");
    let (entry, history) = ledger_entry(&path, &ids[1]);
    assert_eq!(entry.row.state, State::InProgress);
    assert_eq!(
        history.last().unwrap(),
        &(
            "王核".into(),
            "已整改待核".into(),
            "整改中".into(),
            "回证缺本人签名".into()
        )
    );
    keys(&mut app, "a已补签<Enter>c已核实<Enter>");
    let (entry, history) = ledger_entry(&path, &ids[1]);
    assert_eq!(entry.row.state, State::Closed);
    assert_eq!(
        (
            entry.row.verifier.as_str(),
            entry.row.verified_on.map(|d| d.to_string())
        ),
        ("王核", Some(LEDGER_TODAY.to_owned()))
    );
    let steps: Vec<(&str, &str)> = history.iter().map(|h| (h.1.as_str(), h.2.as_str())).collect();
    assert_eq!(
        steps,
        [
            ("待整改", "整改中"),
            ("整改中", "已整改待核"),
            ("已整改待核", "整改中"),
            ("整改中", "已整改待核"),
            ("已整改待核", "已销号")
        ]
    );
    // Closed by its deadline (2026-04-05): the view now counts it on time.
    assert_eq!(
        app.model
            .selected_ledger_entry()
            .unwrap()
            .timeliness(LEDGER_TODAY.parse().expect("a date"), 7),
        Timeliness::ClosedOnTime
    );
    assert_eq!(
        app.model.ledger_history.as_ref().unwrap().1.len(),
        5,
        "history reloaded"
    );

    // A deadline: a bad date is refused by the ledger and kept in the form; a good one saved.
    keys(&mut app, "d<C-u>2026-13-01<Enter>");
    let Mode::Ledger(view) = &app.model.mode else { panic!() };
    let error = view.form.as_ref().and_then(|f| f.error.clone()).unwrap();
    assert!(error.contains("2026-13-01"), "{error}");
    keys(&mut app, "<C-u>2026-04-30<Enter>");
    assert_eq!(
        ledger_entry(&path, &ids[1])
            .0
            .row
            .deadline
            .map(|d| d.to_string())
            .as_deref(),
        Some("2026-04-30")
    );

    // 整改措施 and 佐证材料, starting from what the entry has.
    keys(&mut app, "m<C-u>补送处分决定书<Enter>v送达回证<Enter>");
    let row = ledger_entry(&path, &ids[1]).0.row;
    assert_eq!(
        (row.measures.as_str(), row.evidence.as_str()),
        ("补送处分决定书", "送达回证")
    );
    keys(&mut app, "m<C-u><Enter>");
    assert_eq!(
        ledger_entry(&path, &ids[1]).0.row.measures,
        "",
        "an empty field clears them"
    );

    // S asks first (Esc, as an input method may send, cancels only the question); S S syncs
    // (nothing new here); Esc goes back to the rubric tree.
    let before = app.model.ledger.clone();
    keys(&mut app, "S");
    assert!(matches!(&app.model.status, Status::Info(s) if s.starts_with("再按 S 同步")));
    keys(&mut app, "<Esc>");
    assert_eq!(app.model.status, Status::Info("未同步".into()));
    assert!(
        matches!(app.model.mode, Mode::Ledger(_)),
        "the lone Esc stays in the ledger"
    );
    assert_eq!(app.model.ledger, before);
    keys(&mut app, "SS");
    assert_eq!(app.model.status, Status::Info("新增 0 条整改问题".into()));
    keys(&mut app, "<Esc>");
    assert!(matches!(app.model.mode, Mode::Browse));
}

#[test]
fn an_empty_ledger_is_filled_from_the_view() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let mut app = app(&path, "王核", Lang::Zh);
    keys(&mut app, "L");
    assert_eq!(app.model.ledger.as_ref().map(Vec::len), Some(0));
    assert!(app.model.selected_ledger_entry().is_none());
    keys(&mut app, "a");
    assert!(
        matches!(&app.model.mode, Mode::Ledger(v) if v.form.is_none()),
        "nothing to change"
    );
    keys(&mut app, "S");
    assert_eq!(app.model.ledger_rows().len(), 0, "the first S only asks");
    keys(&mut app, "S");
    // The problems of the demo's five settled cases (three are 未定稿).
    assert_eq!(app.model.status, Status::Info("新增 14 条整改问题".into()));
    assert_eq!(app.model.ledger_rows().len(), 14);
    let store = Store::open_read_only(&path).unwrap();
    assert_eq!(ledger::list(&store, &Filter::default()).unwrap().len(), 14);
}

#[test]
fn the_case_list_finds_a_unit_by_its_pinyin_initials() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let mut app = app(&path, REVIEWER, Lang::Zh);
    // 河西乡纪委 by hxx, as an input method in English mode sends it; Enter opens its case.
    keys(&mut app, "chxx<Enter>");
    let case = app.model.case().unwrap();
    assert_eq!(case.field("unit"), "河西乡纪委", "{}", case.case_no);
    // The title's initials still work.
    keys(&mut app, "czw<Enter>");
    assert_eq!(app.model.case().unwrap().field("title"), "张伟");
}

#[test]
fn a_note_search_hit_on_another_reviewers_sheet_opens_it_read_only_and_says_whose() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let mut app = app(&path, "张明", Lang::Zh);
    // 李华's notes are the demo's common-problem wordings too: search for one of them.
    keys(&mut app, "s笔录");
    let at = app
        .model
        .hits
        .iter()
        .position(|h| h.reviewer == "李华")
        .expect("a hit on 李华's sheet");
    let hit = app.model.hits[at].clone();
    keys(&mut app, &"<Down>".repeat(at));
    keys(&mut app, "<Enter>");
    // Not the own (empty) sheet of that case: the comparison, on the hit's item, read-only.
    let Mode::Compare(view) = &app.model.mode else {
        panic!("the comparison expected, got {:?}", app.model.mode)
    };
    let rows = app.model.compare_rows();
    let item = app.model.rubric.scorable(&hit.node).unwrap().item.id.clone();
    assert_eq!(rows[view.selected].id, item);
    assert_eq!(app.model.comparison.as_ref().unwrap().case.case_no, hit.case_no);
    assert!(
        matches!(&app.model.status, Status::Info(s) if s.contains("李华的评查表") && s.contains("只读")),
        "{:?}",
        app.model.status
    );
    // The own hits still open the own sheet there.
    keys(&mut app, "<Esc>s笔录");
    let own = app
        .model
        .hits
        .iter()
        .position(|h| h.reviewer == "张明")
        .expect("an own hit");
    let hit = app.model.hits[own].clone();
    keys(&mut app, &"<Tab>".repeat(own));
    keys(&mut app, "<Enter>");
    assert!(matches!(app.model.mode, Mode::Browse));
    assert_eq!(app.model.case().unwrap().case_no, hit.case_no);
}

#[test]
fn reasons_for_pending_and_not_applicable_are_asked_kept_shown_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let mut app = app(&path, REVIEWER, Lang::Zh);
    goto(&mut app, "dxcl.lj");
    // ！ as a Chinese input method sends it; a lone Esc (the input method's) keeps the text.
    keys(&mut app, "！量纪是否适当<Esc>，请组内讨论<Enter>");
    assert!(matches!(app.model.mode, Mode::Browse));
    let data = app.model.data.as_ref().unwrap();
    assert!(data.pending.contains("dxcl.lj"));
    assert_eq!(
        data.pending_why.get("dxcl.lj").map(String::as_str),
        Some("量纪是否适当，请组内讨论")
    );
    let screen = common::draw(&app, 120, 40);
    assert!(screen.contains("待议：量纪是否适当，请组内讨论"), "{screen}");
    // The round's 待议 list says why.
    keys(&mut app, "p");
    let list = common::draw(&app, 120, 40);
    assert!(list.contains("量纪是否适当，请组内讨论"), "{list}");
    keys(&mut app, "<Esc>");

    // 不适用 with its reason, shown in the detail; Esc Esc leaves an item unmarked.
    goto(&mut app, "cfzx.sacw");
    keys(&mut app, "n无涉案财物<Esc><Esc>");
    assert!(!app.model.data.as_ref().unwrap().not_applicable.contains("cfzx.sacw"));
    keys(&mut app, "n本案未扣押财物<Enter>");
    let screen = common::draw(&app, 120, 40);
    assert!(screen.contains("不适用理由：本案未扣押财物"), "{screen}");

    // Clearing 待议 and undoing that brings the reason back.
    goto(&mut app, "dxcl.lj");
    keys(&mut app, "!");
    assert!(!app.model.data.as_ref().unwrap().pending.contains("dxcl.lj"));
    keys(&mut app, "u");
    let data = app.model.data.as_ref().unwrap();
    assert_eq!(
        data.pending_why.get("dxcl.lj").map(String::as_str),
        Some("量纪是否适当，请组内讨论")
    );
    app.close().unwrap();
    let store = Store::open_read_only(&path).unwrap();
    let marks = store.pending_marks().unwrap();
    assert!(
        marks
            .iter()
            .any(|m| m.node == "dxcl.lj" && m.note == "量纪是否适当，请组内讨论")
    );
}

#[test]
fn the_case_list_shows_each_sheets_total_grade_and_findings() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let mut app = app(&path, "张明", Lang::Zh);
    keys(&mut app, "c");
    let list = common::draw(&app, 120, 40);
    let row = |no: &str| list.lines().find(|l| l.contains(no)).unwrap_or_default().to_owned();
    // The demo gave 张明 one finding on case 1 and two on case 2; case 20 has no sheet.
    assert!(
        row("第001号").contains("99 优秀") && row("第001号").contains("●1 "),
        "{list}"
    );
    assert!(row("第002号").contains("●2"), "{list}");
    assert!(!row("第020号").contains('●'), "{list}");
    // A finding recorded on case 2 shows at once, the next time the list opens.
    keys(&mut app, "<Esc>]");
    goto(&mut app, "sszj.bl");
    keys(&mut app, "<Enter>1<Tab><Enter>1<Enter>3<Enter>");
    assert!(matches!(app.model.status, Status::Saved(_)), "{:?}", app.model.status);
    keys(&mut app, "c");
    let list = common::draw(&app, 120, 40);
    let row = list.lines().find(|l| l.contains("第002号")).unwrap_or_default();
    assert!(row.contains("●3"), "{list}");
}
