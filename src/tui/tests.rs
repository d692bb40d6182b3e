//! `update` alone: keys in, effects out, no terminal and no database.

use super::model::{CaseData, Mode, Model, Options, Status, Step, Write};
use super::update::{Effect, Event, update};
use crate::lang::Lang;
use crate::score::{self, Quantity, Sheet};
use crate::store::{Case, Cursor, Draft, MarkKind, PriorProblem, Progress, Repeat, Round, Stage};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

pub(super) fn model() -> Model {
    let rubric = crate::rubric::load(crate::demo::RUBRIC, "demo").unwrap();
    let cases = (1..=3)
        .map(|n| Case {
            id: format!("case-{n}").into(),
            case_no: format!("〔2026〕纪审字第00{n}号"),
            seq: n,
            fields: BTreeMap::from([
                ("title".to_owned(), format!("张{n}")),
                ("volumes".to_owned(), "4".to_owned()),
            ]),
        })
        .collect::<Vec<_>>();
    let round = Round {
        id: "r".into(),
        name: "轮次".into(),
        rubric_hash: "h".into(),
        kind: crate::vocab::RoundKind::Full,
        method: crate::vocab::Method::Cross,
        require_final: false,
    };
    let opts = Options {
        lang: Lang::Zh,
        reviewer: "张明".into(),
        stage: Stage::Initial,
        due_days: 7,
    };
    let mut model = Model::new(opts, round, rubric, cases);
    let data = CaseData {
        case: model.cases[0].clone(),
        findings: Vec::new(),
        not_applicable: Default::default(),
        pending: Default::default(),
        pending_why: Default::default(),
        na_why: Default::default(),
        score: score::score(&model.rubric, &Sheet::default()),
        progress: Progress::NotStarted,
        earlier: BTreeMap::new(),
    };
    update(&mut model, Event::CaseLoaded(Box::new(data)));
    model
}

pub(super) fn press(model: &mut Model, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in keys.chars() {
        let key = match c {
            '\n' => KeyEvent::from(KeyCode::Enter),
            '\t' => KeyEvent::from(KeyCode::Tab),
            '\u{1b}' => KeyEvent::from(KeyCode::Esc),
            c => KeyEvent::from(KeyCode::Char(c)),
        };
        effects = update(model, Event::Key(key));
    }
    effects
}

#[test]
fn a_finding_is_typed_then_written_as_one_effect_and_drafted_on_every_key() {
    let mut m = model();
    press(&mut m, "jj");
    assert_eq!(press(&mut m, "\n").len(), 1, "starting an entry saves an empty draft");
    let effects = press(&mut m, "2\t");
    let Some(Effect::SaveDraft(Draft { quantity, problem, .. })) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!((quantity.as_str(), problem.as_deref()), ("2", Some("SZ-01")));
    let effects = press(&mut m, "\n3\n12\n");
    let [
        Effect::Write {
            write: Write::AddFinding { case_id, finding },
            undoable: true,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(case_id, "case-1");
    assert_eq!(finding.quantity, Quantity::Count(2));
    assert_eq!((finding.volume, finding.page), (Some(3), Some(12)));
    assert!(
        matches!(m.mode, Mode::Entry(ref e) if e.saving),
        "the form waits for the store"
    );
    // Keys are ignored until the store answers.
    assert!(press(&mut m, "x").is_empty());
}

#[test]
fn tab_on_the_count_means_one_occurrence_of_the_first_common_problem() {
    let mut m = model();
    press(&mut m, "jj\n\t");
    let Mode::Entry(e) = &m.mode else { panic!() };
    assert_eq!(e.quantity.text(), "1");
    assert_eq!(e.problem, Some(0));
    assert!(!e.note.text().is_empty());
}

#[test]
fn a_count_above_nine_is_typed_by_going_back_to_the_count() {
    let mut m = model();
    // sszj.sz counts occurrences (sszj.sfcl lists only five missing elements).
    press(&mut m, "jjjj\n1");
    // ↑ selects the count, so the whole number is typed over it.
    update(&mut m, Event::Key(KeyEvent::from(KeyCode::Up)));
    press(&mut m, "12");
    let Mode::Entry(e) = &m.mode else { panic!() };
    assert_eq!((e.quantity.text(), e.step), ("12", super::model::Step::Quantity));
    press(&mut m, "\n");
    let Mode::Entry(e) = &m.mode else { panic!() };
    assert_eq!(e.step, super::model::Step::Note);
}

#[test]
fn ctrl_c_quits_from_a_form_and_keeps_the_draft() {
    let mut m = model();
    press(&mut m, "jj\n2");
    let effects = update(
        &mut m,
        Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert!(m.quit);
    assert!(effects.iter().all(|e| *e != Effect::ClearDraft));
}

#[test]
fn escape_drops_the_draft_and_quit_saves_the_cursor() {
    let mut m = model();
    press(&mut m, "jj\n");
    assert_eq!(press(&mut m, "\u{1b}"), vec![Effect::ClearDraft]);
    assert!(matches!(m.mode, Mode::Browse));
    let effects = press(&mut m, "q");
    assert!(m.quit);
    assert_eq!(
        effects,
        vec![Effect::SaveCursor(Cursor {
            case_id: "case-1".into(),
            node: "sszj.sfcl".into()
        })]
    );
}

#[test]
fn folding_filtering_and_marks() {
    let mut m = model();
    let all = m.visible.len();
    press(&mut m, "jh");
    assert!(m.visible.len() < all, "h folds the category");
    press(&mut m, "l");
    assert_eq!(m.visible.len(), all);
    press(&mut m, "/sszj\n");
    assert_eq!(m.selected_row().unwrap().id, "sszj");
    // n asks for an optional reason first (typed through an input method), Enter marks.
    assert!(press(&mut m, "n").is_empty());
    assert!(matches!(m.mode, Mode::MarkReason(_)));
    let effects = press(&mut m, "本案无此环节\n");
    assert_eq!(
        effects,
        vec![Effect::Write {
            write: Write::SetMark {
                case_id: "case-1".into(),
                node: "sszj".into(),
                kind: MarkKind::NotApplicable,
                on: true,
                note: "本案无此环节".into(),
            },
            undoable: true
        }]
    );
    assert!(matches!(m.mode, Mode::Browse));
}

#[test]
fn undo_reverses_the_last_write_and_case_keys_load_cases() {
    let mut m = model();
    let write = Write::SetMark {
        case_id: "case-1".into(),
        node: "".into(),
        kind: MarkKind::Pending,
        on: true,
        note: String::new(),
    };
    update(
        &mut m,
        Event::Saved {
            write,
            finding: None,
            undoable: true,
        },
    );
    let effects = press(&mut m, "u");
    assert!(
        matches!(
            &effects[..],
            [Effect::Write {
                write: Write::SetMark { on: false, .. },
                undoable: false
            }]
        ),
        "{effects:?}"
    );
    let effects = press(&mut m, "]");
    assert_eq!(effects[0], Effect::LoadCase("case-2".into()));
    assert!(
        press(&mut m, "[[").iter().all(|e| !matches!(e, Effect::LoadCase(_))),
        "no case before the first"
    );
}

#[test]
fn a_restored_draft_reopens_its_case_item_and_note() {
    let mut m = model();
    let draft = Draft {
        case_id: "case-3".into(),
        node: "dxcl.lj".into(),
        quantity: "2".into(),
        note: "量纪偏轻".into(),
        ..Draft::default()
    };
    let effects = update(
        &mut m,
        Event::Restore {
            cursor: None,
            draft: Some(draft),
        },
    );
    assert_eq!(effects, vec![Effect::LoadCase("case-3".into())]);
    let Mode::Entry(e) = &m.mode else { panic!() };
    assert_eq!(e.note.text(), "量纪偏轻");
    let ctrl_n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL);
    update(&mut m, Event::Key(ctrl_n));
    let Mode::Entry(e) = &m.mode else { panic!() };
    assert_eq!(e.problem, Some(0));
}

fn ledger_entry(id: &str, unit: &str, state: crate::ledger::State, deadline: Option<&str>) -> crate::ledger::Entry {
    crate::ledger::Entry {
        row: crate::store::LedgerRow {
            id: id.into(),
            finding_id: format!("f-{id}").into(),
            case_id: "case-1".into(),
            unit: unit.into(),
            handler: "王五".into(),
            problem_code: None,
            problem: String::new(),
            note: format!("问题{id}"),
            deadline: deadline.map(|d| d.parse().expect("a date")),
            state,
            measures: String::new(),
            evidence: String::new(),
            verifier: String::new(),
            verified_on: None,
            hlc: 1,
        },
        case_no: "〔2026〕纪审字第001号".into(),
    }
}

/// The model with the ledger view open on three entries of two units, judged on 2026-04-01.
fn ledger_model() -> Model {
    use crate::ledger::State::*;
    let mut m = model();
    m.today = "2026-04-01".parse().expect("a date");
    assert_eq!(press(&mut m, "L"), vec![Effect::LoadLedger]);
    let entries = vec![
        ledger_entry("e1", "一室", Pending, Some("2026-03-01")),
        ledger_entry("e2", "二室", AwaitingCheck, None),
        ledger_entry("e3", "一室", InProgress, Some("2026-05-01")),
    ];
    let effects = update(&mut m, Event::Ledger(entries));
    assert_eq!(effects, vec![Effect::LoadLedgerHistory("e1".into())], "ordered by unit");
    m
}

fn shown(m: &Model) -> Vec<&str> {
    m.ledger_rows().iter().map(|e| e.row.id.as_str()).collect()
}

#[test]
fn ledger_filters_cycle_through_units_and_states_and_back_to_all() {
    let mut m = ledger_model();
    assert_eq!(shown(&m), ["e1", "e3", "e2"]);
    press(&mut m, "u");
    assert_eq!(shown(&m), ["e1", "e3"]);
    press(&mut m, "u");
    assert_eq!(shown(&m), ["e2"]);
    assert_eq!(
        press(&mut m, "u"),
        vec![Effect::LoadLedgerHistory("e2".into())],
        "the selected entry stays selected"
    );
    assert_eq!(shown(&m), ["e1", "e3", "e2"], "after the last unit: all");
    press(&mut m, "U");
    assert_eq!(shown(&m), ["e2"], "U goes backwards");
    press(&mut m, "x");
    press(&mut m, "ss");
    assert_eq!(shown(&m), ["e3"], "整改中");
    press(&mut m, "xo");
    assert_eq!(shown(&m), ["e1"], "overdue on 2026-04-01");
    press(&mut m, "o");
    assert_eq!(shown(&m), ["e1", "e3", "e2"]);
}

#[test]
fn a_ledger_note_is_mandatory_and_the_change_goes_out_as_one_effect() {
    use crate::ledger::{Action, Change};
    let mut m = ledger_model();
    // 销号 of a 待整改 entry is refused before any note is asked.
    assert!(press(&mut m, "c").is_empty());
    assert!(matches!(&m.status, Status::Error(e) if e.contains("不能销号")));
    assert!(matches!(&m.mode, Mode::Ledger(v) if v.form.is_none()));
    // 推进 with an empty note: refused in the view, no effect.
    assert!(press(&mut m, "a \n").is_empty());
    assert!(matches!(&m.status, Status::Error(e) if e.contains("推进须填写说明")));
    let effects = press(&mut m, "开始整改\n");
    assert_eq!(
        effects,
        vec![Effect::SetLedger {
            id: "e1".into(),
            change: Change {
                action: Some(Action::Advance),
                note: "开始整改".into(),
                by: "张明".into(),
                ..Change::default()
            },
            today: "2026-04-01".parse().expect("a date"),
        }]
    );
    assert!(press(&mut m, "x").is_empty(), "keys wait for the store");
    update(&mut m, Event::Failed("写入失败".into()));
    let Mode::Ledger(v) = &m.mode else { panic!() };
    let form = v.form.as_ref().unwrap();
    assert_eq!((form.saving, form.error.as_deref()), (false, Some("写入失败")));
    assert_eq!(form.text.text(), " 开始整改", "what was typed is kept");
    press(&mut m, "\u{1b}\u{1b}");
    assert!(matches!(m.mode, Mode::Browse));
}

#[test]
fn the_ledger_view_reopens_with_the_filters_it_was_left_with() {
    let mut m = ledger_model();
    press(&mut m, "uo");
    press(&mut m, "\u{1b}");
    assert!(matches!(m.mode, Mode::Browse));
    assert_eq!(press(&mut m, "L"), vec![Effect::LoadLedger]);
    let Mode::Ledger(v) = &m.mode else { panic!() };
    assert_eq!((v.unit.as_deref(), v.state, v.overdue), (Some("一室"), None, true));
    press(&mut m, "x\u{1b}L");
    let Mode::Ledger(v) = &m.mode else { panic!() };
    assert_eq!(
        (v.unit.as_deref(), v.overdue),
        (None, false),
        "cleared filters stay cleared"
    );
}

#[test]
fn measures_and_evidence_are_edited_from_what_the_entry_has_and_may_be_cleared() {
    use crate::ledger::Change;
    let mut m = ledger_model();
    assert!(press(&mut m, "m").is_empty());
    let Mode::Ledger(v) = &m.mode else { panic!() };
    assert_eq!(v.form.as_ref().map(|f| f.ask), Some(super::model::LedgerAsk::Measures));
    let effects = press(&mut m, "补送决定书\n");
    assert_eq!(
        effects,
        vec![Effect::SetLedger {
            id: "e1".into(),
            change: Change {
                measures: Some("补送决定书".into()),
                by: "张明".into(),
                ..Change::default()
            },
            today: "2026-04-01".parse().expect("a date"),
        }]
    );
    // Empty evidence is a clearing, not a missing field.
    let mut m = ledger_model();
    press(&mut m, "v");
    let Some(Effect::SetLedger { change, .. }) = press(&mut m, "\n").pop() else {
        panic!("an empty 佐证材料 is saved as cleared")
    };
    assert_eq!((change.evidence.as_deref(), change.measures), (Some(""), None));
}

/// The test model, its first case of 第一审查调查室, to which an earlier round fed back SZ-01.
fn model_with_earlier() -> Model {
    let mut m = model();
    let data = m.data.as_mut().expect("loaded");
    data.case.fields.insert("unit".into(), " 第一审查调查室 ".into());
    let prior = PriorProblem {
        round_id: "r0".into(),
        entry_id: "e0".into(),
        round_name: "2025年度评查".into(),
        case_no: "〔2025〕纪审字第007号".into(),
        unit: "第一审查调查室".into(),
        problem_code: Some("SZ-01".into()),
        problem: "以被审查调查人自述代替干部履历表等原始身份材料".into(),
        note: String::new(),
        state: crate::ledger::State::Closed,
    };
    data.earlier = BTreeMap::from([("SZ-01".to_owned(), vec![prior])]);
    m
}

pub(super) fn ctrl(m: &mut Model, c: char) -> Vec<Effect> {
    update(m, Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)))
}

pub(super) fn entry(m: &Model) -> &super::model::Entry {
    match &m.mode {
        Mode::Entry(e) => e,
        other => panic!("not in the entry form: {other:?}"),
    }
}

#[test]
fn picking_a_problem_fed_back_before_applies_repeat_and_says_where() {
    let mut m = model_with_earlier();
    press(&mut m, "jj\n\t");
    let e = entry(&m);
    assert_eq!(
        e.repeat,
        Repeat::Automatic,
        "SZ-01 was fed back to this unit: 从重 applies"
    );
    let said = e.auto.notice.as_ref().expect("a notice").said(&e.repeat, Lang::Zh);
    assert_eq!(
        said,
        "该问题上一轮已向第一审查调查室反馈（2025年度评查，案号 〔2025〕纪审字第007号），按从重扣分"
    );
    assert_eq!(m.status, Status::Info(said));
    press(&mut m, "\t");
    let e = entry(&m);
    assert_eq!(e.problem, Some(1));
    assert!(
        e.repeat == Repeat::No && e.auto.notice.is_none(),
        "SZ-02 was not fed back"
    );
    update(&mut m, Event::Key(KeyEvent::from(KeyCode::BackTab)));
    assert_eq!(entry(&m).repeat, Repeat::Automatic, "back on SZ-01");
}

#[test]
fn removing_an_automatic_repeat_asks_why_and_the_reason_goes_with_the_finding() {
    let mut m = model_with_earlier();
    press(&mut m, "jj\n\t");
    ctrl(&mut m, 'r');
    assert_eq!(entry(&m).step, Step::Reason, "Ctrl-R asks why");
    assert_eq!(
        entry(&m).repeat,
        Repeat::Automatic,
        "still 从重 until a reason is given"
    );
    press(&mut m, "\n");
    assert_eq!(entry(&m).step, Step::Reason);
    assert!(entry(&m).error.as_deref().unwrap_or("").contains("须写明理由"));
    press(&mut m, "\u{1b}");
    let e = entry(&m);
    assert!(
        e.repeat.applies() && e.step == Step::Note,
        "Esc keeps the 从重 and the form"
    );

    ctrl(&mut m, 'r');
    press(&mut m, "系统性问题已整改\n");
    let e = entry(&m);
    assert_eq!(e.step, Step::Note);
    assert_eq!(e.repeat, Repeat::Waived("系统性问题已整改".into()));
    ctrl(&mut m, 'r');
    assert_eq!(
        entry(&m).repeat,
        Repeat::Automatic,
        "Ctrl-R on a removed 从重 restores it, no reason needed"
    );

    ctrl(&mut m, 'r');
    press(&mut m, "新情形");
    // Without 卷/页 the first Ctrl-S asks.
    assert!(ctrl(&mut m, 's').is_empty());
    let effects = ctrl(&mut m, 's');
    let [
        Effect::Write {
            write: Write::AddFinding { finding, .. },
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(finding.repeat, Repeat::Waived("新情形".into()));
    assert_eq!(finding.problem.as_deref(), Some("SZ-01"));
}

#[test]
fn a_restored_draft_keeps_its_repeat_and_the_reason_for_removing_it() {
    let restored = |mut m: Model, draft: &Draft| -> Model {
        let data = m.data.clone().expect("loaded");
        let effects = update(
            &mut m,
            Event::Restore {
                cursor: None,
                draft: Some(draft.clone()),
            },
        );
        assert_eq!(effects, vec![Effect::LoadCase(data.case.id.clone())]);
        update(&mut m, Event::CaseLoaded(Box::new(data)));
        m
    };
    let last_draft = |effects: Vec<Effect>| -> Draft {
        match effects.as_slice() {
            [Effect::SaveDraft(d)] => d.clone(),
            other => panic!("{other:?}"),
        }
    };

    // SZ-01 was fed back: 从重 applies; removed with a reason, and the draft says so.
    let mut m = model_with_earlier();
    press(&mut m, "jj\n\t");
    ctrl(&mut m, 'r');
    let draft = last_draft(press(&mut m, "已整改\n"));
    assert_eq!(draft.repeat, Repeat::Waived("已整改".into()));
    let back = restored(model_with_earlier(), &draft);
    let e = entry(&back);
    assert_eq!(
        e.repeat,
        Repeat::Waived("已整改".into()),
        "still removed after the restart"
    );

    // A reason half typed: 从重 still on, the words there to finish with Ctrl-R.
    let mut m = model_with_earlier();
    press(&mut m, "jj\n\t");
    ctrl(&mut m, 'r');
    let draft = last_draft(press(&mut m, "半句"));
    assert_eq!(
        (&draft.repeat, draft.reason_typed.as_str()),
        (&Repeat::Automatic, "半句")
    );
    let mut back = restored(model_with_earlier(), &draft);
    assert_eq!(entry(&back).repeat, Repeat::Automatic);
    ctrl(&mut back, 'r');
    assert_eq!(
        (entry(&back).step, entry(&back).auto.reason.text()),
        (Step::Reason, "半句")
    );

    // 从重 set by hand on a problem never fed back stays set.
    let mut m = model();
    press(&mut m, "jj\n");
    let draft = last_draft(ctrl(&mut m, 'r'));
    assert_eq!(draft.repeat, Repeat::ByHand);
    assert_eq!(entry(&restored(model(), &draft)).repeat, Repeat::ByHand);
}
