use super::*;
use crate::store::{Identity, Store};
use crate::vocab::{Date, EntryId};

#[test]
fn every_allowed_transition_leads_where_the_process_says() {
    use Action::*;
    use State::*;
    let allowed = [
        (Pending, Advance, InProgress),
        (InProgress, Advance, AwaitingCheck),
        (AwaitingCheck, Return, InProgress),
        (AwaitingCheck, Close, Closed),
    ];
    for (from, action, to) in allowed {
        assert_eq!(transition(from, action).unwrap(), to, "{from} {action:?}");
    }
    for from in State::ALL {
        for action in Action::ALL {
            if allowed.iter().any(|(f, a, _)| *f == from && *a == action) {
                continue;
            }
            match transition(from, action) {
                Err(LedgerError::Refused { state, action: a }) => assert_eq!((state, a), (from, action)),
                other => panic!("{from} {action:?} was not refused: {other:?}"),
            }
        }
    }
}

#[test]
fn states_read_back_from_their_names() {
    for s in State::ALL {
        assert_eq!(State::parse(s.name()).unwrap(), s);
    }
    assert_eq!(State::parse("closed").unwrap(), State::Closed);
    assert!(State::parse("完成").is_err());
}

/// A date of the tests.
fn d(s: &str) -> Date {
    Date::parse(s).expect("a date")
}

#[test]
fn dates_must_be_real_days() {
    assert_eq!(Date::parse(" 2026-02-28 ").unwrap().to_string(), "2026-02-28");
    for bad in [
        "2026-02-30",
        "2026-13-01",
        "2026-1-01",
        "26-01-01",
        "2026/01/01",
        "",
        "2026-01-01-01",
    ] {
        assert!(Date::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(Date::parse(&today().to_string()).unwrap(), today());
}

fn entry(state: State) -> Entry {
    Entry {
        row: LedgerRow {
            id: "e1".into(),
            finding_id: "f1".into(),
            case_id: "c".into(),
            unit: "第一室".into(),
            handler: "王五".into(),
            problem_code: None,
            problem: String::new(),
            note: "未附送达回证".into(),
            deadline: Some(d("2026-06-30")),
            state,
            measures: String::new(),
            evidence: String::new(),
            verifier: String::new(),
            verified_on: None,
            hlc: 1,
        },
        case_no: "A1".into(),
    }
}

fn change(action: Action, note: &str) -> Change {
    Change {
        action: Some(action),
        note: note.into(),
        by: "李华".into(),
        ..Change::default()
    }
}

#[test]
fn return_and_close_need_a_note_and_close_records_the_verifier() {
    let waiting = entry(State::AwaitingCheck);
    for action in [Action::Return, Action::Close] {
        assert!(matches!(
            apply(&waiting, &change(action, "  "), d("2026-07-01")),
            Err(LedgerError::NoteRequired(a)) if a == action
        ));
    }
    let (row, event) = apply(&waiting, &change(Action::Close, "已补齐"), d("2026-07-01")).unwrap();
    assert_eq!((row.state, row.verifier.as_str()), (State::Closed, "李华"));
    assert_eq!(row.verified_on, Some(d("2026-07-01")));
    let event = event.unwrap();
    assert_eq!(
        (event.from, event.to, event.note.as_str()),
        (State::AwaitingCheck, State::Closed, "已补齐")
    );
    let (row, event) = apply(&entry(State::Pending), &change(Action::Advance, ""), d("2026-07-01")).unwrap();
    assert_eq!((row.state, event.unwrap().note.as_str()), (State::InProgress, ""));
}

#[test]
fn a_change_needs_who_and_may_leave_the_state() {
    let e = entry(State::InProgress);
    let no_one = Change {
        by: " ".into(),
        ..change(Action::Advance, "")
    };
    assert!(matches!(apply(&e, &no_one, d("2026-07-01")), Err(LedgerError::NoActor)));
    let fill = Change {
        action: None,
        deadline: Some(d("2026-08-01")),
        measures: Some("补充送达回证".into()),
        evidence: Some("回证扫描件".into()),
        ..change(Action::Advance, "")
    };
    let (row, event) = apply(&e, &fill, d("2026-07-01")).unwrap();
    assert!(event.is_none());
    assert_eq!(row.state, State::InProgress);
    assert_eq!(
        (row.measures.as_str(), row.evidence.as_str()),
        ("补充送达回证", "回证扫描件")
    );
    assert_eq!(row.deadline, Some(d("2026-08-01")));
}

#[test]
fn overdue_means_a_past_deadline_and_not_closed() {
    assert!(entry(State::InProgress).is_overdue(d("2026-07-01")));
    assert!(!entry(State::InProgress).is_overdue(d("2026-06-30")));
    assert!(!entry(State::Closed).is_overdue(d("2026-07-01")));
    let mut none = entry(State::Pending);
    none.row.deadline = None;
    assert!(!none.is_overdue(d("2099-01-01")));
}

#[test]
fn timeliness_colours_open_entries_by_deadline_and_closed_ones_by_verification_date() {
    let at = |state: State, deadline: Option<&str>, verified: Option<&str>| {
        let mut e = entry(state);
        e.row.deadline = deadline.map(d);
        e.row.verified_on = verified.map(d);
        e.timeliness(d("2026-06-25"), 7)
    };
    let open = State::InProgress;
    assert_eq!(at(open, Some("2026-06-24"), None), Timeliness::Overdue(1));
    assert_eq!(at(open, Some("2026-05-26"), None), Timeliness::Overdue(30));
    assert_eq!(at(open, Some("2026-06-25"), None), Timeliness::DueSoon(0));
    assert_eq!(at(open, Some("2026-07-02"), None), Timeliness::DueSoon(7));
    assert_eq!(at(open, Some("2026-07-03"), None), Timeliness::Open);
    assert_eq!(at(open, None, None), Timeliness::Open);
    let shut = State::Closed;
    assert_eq!(
        at(shut, Some("2026-06-01"), Some("2026-06-01")),
        Timeliness::ClosedOnTime
    );
    assert_eq!(
        at(shut, Some("2026-06-01"), Some("2026-06-04")),
        Timeliness::ClosedLate(3)
    );
    assert_eq!(at(shut, None, Some("2026-06-04")), Timeliness::ClosedOnTime);
    assert_eq!(at(shut, Some("2026-06-01"), None), Timeliness::ClosedOnTime);
    // Overdue agrees with `is_overdue` across a month and a year boundary.
    for (deadline, today) in [("2026-01-31", "2026-02-01"), ("2025-12-31", "2026-01-01")] {
        let mut e = entry(open);
        e.row.deadline = Some(d(deadline));
        assert!(e.is_overdue(d(today)));
        assert_eq!(e.timeliness(d(today), 0), Timeliness::Overdue(1));
    }
}

/// Puts the store's writer (督查员) on the demo's roster as a leader, so they may start a 终评.
fn on_roster_as_leader(store: &mut Store) {
    let name = store.reviewer().unwrap().to_owned();
    store
        .add_reviewers(&[crate::store::NewReviewer {
            leader: true,
            ..crate::store::NewReviewer::named(&name)
        }])
        .unwrap();
}

fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::demo::path_in(dir.path());
    crate::demo::create(&path, "test-machine").unwrap().close().unwrap();
    let id = Identity {
        machine_id: "test-machine".into(),
        reviewer: "督查员".into(),
    };
    let store = Store::open(&path, &id).unwrap();
    (dir, store)
}

#[test]
fn sync_takes_every_finding_of_the_counting_sheets_once() {
    let (_dir, mut store) = demo();
    let mut expected = 0;
    for case in store.cases().unwrap() {
        if let Some(sheet) = store.standing(&case.id).unwrap().sheet() {
            expected += store.score(sheet).unwrap().problems as usize;
        }
    }
    assert!(expected > 0, "the demo round has findings");
    assert_eq!(sync(&mut store).unwrap().added, expected);
    let stamp = store.last_stamp().unwrap();
    assert_eq!(sync(&mut store).unwrap(), Synced::default());
    assert_eq!(store.last_stamp().unwrap(), stamp, "a second sync writes nothing");
    let all = list(&store, &Filter::default()).unwrap();
    assert_eq!(all.len(), expected);
    assert!(
        all.iter()
            .all(|e| e.row.state == State::Pending && !e.case_no.is_empty())
    );
    let unit = all[0].row.unit.clone();
    let of_unit = list(
        &store,
        &Filter {
            unit: Some(unit.clone()),
            ..Filter::default()
        },
    )
    .unwrap();
    assert!(!of_unit.is_empty() && of_unit.iter().all(|e| e.row.unit == unit));
}

#[test]
fn set_writes_the_change_and_its_history() {
    let (_dir, mut store) = demo();
    sync(&mut store).unwrap();
    let id = list(&store, &Filter::default()).unwrap()[0].row.id.clone();
    let refused = set(&mut store, id.as_str(), &change(Action::Close, "好"));
    assert!(matches!(refused, Err(LedgerError::Refused { .. })));
    set(&mut store, id.short(), &change(Action::Advance, "")).unwrap();
    let done = set(&mut store, id.as_str(), &change(Action::Advance, "已整改")).unwrap();
    assert_eq!(done.row.state, State::AwaitingCheck);
    let history = store.ledger_history(&id).unwrap();
    let steps: Vec<(State, State)> = history.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(
        steps,
        [
            (State::Pending, State::InProgress),
            (State::InProgress, State::AwaitingCheck)
        ]
    );
    assert!(history[0].hlc < history[1].hlc);
    let stamp = store.last_stamp().unwrap();
    let nothing = Change {
        by: "李华".into(),
        ..Change::default()
    };
    assert_eq!(set(&mut store, id.as_str(), &nothing).unwrap(), done);
    assert_eq!(store.last_stamp().unwrap(), stamp, "a change of nothing writes nothing");
    assert!(matches!(find(&store, "zzz"), Err(LedgerError::EntryNotFound(_))));
    assert!(matches!(find(&store, ""), Err(LedgerError::EntryNotFound(_))));
}

#[test]
fn a_final_sheet_started_after_a_sync_withdraws_untouched_entries_and_strands_worked_ones() {
    use crate::review::{FinalFrom, start_final};
    let (_dir, mut store) = demo();
    sync(&mut store).unwrap();
    let before = list(&store, &Filter::default()).unwrap();
    let case_no = before[0].case_no.clone();
    let of_case: Vec<&Entry> = before.iter().filter(|e| e.case_no == case_no).collect();
    let worked = of_case[0].row.id.clone();
    set(&mut store, worked.as_str(), &change(Action::Advance, "")).unwrap();

    // The lead's 终评 now counts: its findings are copies with ids of their own.
    on_roster_as_leader(&mut store);
    let copied = start_final(&mut store, &case_no, &FinalFrom::Union).unwrap().copied;
    assert!(copied > 0);
    let synced = sync(&mut store).unwrap();
    assert_eq!(synced.added, copied);
    assert_eq!(synced.withdrawn, of_case.len() - 1, "every untouched entry of the case");
    assert_eq!(synced.restored, 0);
    assert_eq!(
        synced.stranded.iter().map(|e| e.row.id.as_str()).collect::<Vec<_>>(),
        [worked.as_str()]
    );

    // Withdrawn entries leave the default list (and so the fill-in sheet and the report), but
    // are still there, with the reason in their history.
    let now = list(&store, &Filter::default()).unwrap();
    assert_eq!(now.len(), before.len() - (of_case.len() - 1) + copied);
    let withdrawn = list(
        &store,
        &Filter {
            state: Some(State::Withdrawn),
            ..Filter::default()
        },
    )
    .unwrap();
    assert_eq!(withdrawn.len(), of_case.len() - 1);
    let event = &store.ledger_history(&withdrawn[0].row.id).unwrap()[0];
    assert_eq!(
        (event.from, event.to, event.who.as_str()),
        (State::Pending, State::Withdrawn, "督查员")
    );
    assert!(!withdrawn[0].is_overdue(d("2999-01-01")));
    assert!(matches!(
        set(&mut store, withdrawn[0].row.id.as_str(), &change(Action::Advance, "")),
        Err(LedgerError::Refused { .. })
    ));

    // Syncing again changes nothing.
    let stamp = store.last_stamp().unwrap();
    let again = sync(&mut store).unwrap();
    assert_eq!(
        (again.added, again.withdrawn, again.restored, again.stranded.len()),
        (0, 0, 0, 1)
    );
    assert_eq!(store.last_stamp().unwrap(), stamp);
}

#[test]
fn a_withdrawn_entry_whose_finding_counts_again_is_restored() {
    let (_dir, mut store) = demo();
    sync(&mut store).unwrap();
    let entry = list(&store, &Filter::default()).unwrap().remove(0);
    let row = LedgerRow {
        state: State::Withdrawn,
        ..entry.row.clone()
    };
    store.update_ledger_rows(&[(row, None)]).unwrap();
    let synced = sync(&mut store).unwrap();
    assert_eq!((synced.added, synced.withdrawn, synced.restored), (0, 0, 1));
    assert_eq!(find(&store, entry.row.id.as_str()).unwrap().row.state, State::Pending);
}

#[test]
fn set_on_dates_the_close_on_the_given_day() {
    let (_dir, mut store) = demo();
    sync(&mut store).unwrap();
    let id = list(&store, &Filter::default()).unwrap()[0].row.id.clone();
    set(&mut store, id.as_str(), &change(Action::Advance, "")).unwrap();
    set(&mut store, id.as_str(), &change(Action::Advance, "")).unwrap();
    let closed = set_on(
        &mut store,
        id.as_str(),
        &change(Action::Close, "已核实"),
        d("2026-04-01"),
    )
    .unwrap();
    assert_eq!(closed.row.verified_on, Some(d("2026-04-01")));
    assert_eq!(find(&store, id.as_str()).unwrap(), closed);
}

#[test]
fn as_synced_is_the_ledger_a_sync_would_leave_and_reading_it_writes_nothing() {
    use crate::review::{FinalFrom, start_final};
    let (_dir, mut store) = demo();
    let live = |store: &Store| -> Vec<(EntryId, State)> {
        let mut v: Vec<(EntryId, State)> = list(store, &Filter::default())
            .unwrap()
            .into_iter()
            .map(|e| (e.row.id, e.row.state))
            .collect();
        v.sort();
        v
    };
    let predicted = |store: &Store| -> Vec<(EntryId, State)> {
        let mut v: Vec<(EntryId, State)> = as_synced(store).unwrap().into_iter().map(|r| (r.id, r.state)).collect();
        v.sort();
        v
    };
    let before = crate::export::json::canonical(&store).unwrap();
    let first = predicted(&store);
    assert!(!first.is_empty());
    assert_eq!(
        crate::export::json::canonical(&store).unwrap(),
        before,
        "nothing written"
    );
    sync(&mut store).unwrap();
    assert_eq!(live(&store), first);
    // After a 终评 replaces a case's counting sheet: the stale entries are left out, the new
    // ones are in, before any sync; and the sync agrees.
    let case_no = list(&store, &Filter::default()).unwrap()[0].case_no.clone();
    on_roster_as_leader(&mut store);
    start_final(&mut store, &case_no, &FinalFrom::Union).unwrap();
    let second = predicted(&store);
    assert_ne!(second, first);
    sync(&mut store).unwrap();
    assert_eq!(live(&store), second);
}

fn prior(round: &str, case_no: &str) -> crate::store::PriorProblem {
    crate::store::PriorProblem {
        round_id: format!("id-{round}"),
        entry_id: format!("{round}-{case_no}"),
        round_name: round.into(),
        case_no: case_no.into(),
        unit: "河西乡纪委".into(),
        problem_code: Some("CX-07".into()),
        problem: String::new(),
        note: String::new(),
        state: State::Closed,
    }
}

#[test]
fn the_notice_names_the_unit_and_each_earlier_round_with_its_cases() {
    use crate::lang::Lang;
    use crate::vocab::Repeat;
    let mut notice = repeat::Notice {
        unit: "河西乡纪委".into(),
        earlier: vec![prior("2025年评查", "A1"), prior("2025年评查", "A2")],
    };
    assert_eq!(
        notice.said(&Repeat::Automatic, Lang::Zh),
        "该问题上一轮已向河西乡纪委反馈（2025年评查，案号 A1、A2），按从重扣分"
    );
    notice.earlier.push(prior("2024年评查", "Z9"));
    let waived = Repeat::Waived("已整改".into());
    assert_eq!(
        notice.said(&waived, Lang::Zh),
        "该问题此前已向河西乡纪委反馈（2025年评查，案号 A1、A2；2024年评查，案号 Z9），已不从重，理由：已整改"
    );
    assert_eq!(
        notice.said(&waived, Lang::En),
        "this problem was fed back to 河西乡纪委 before (2025年评查, case A1, A2; 2024年评查, case Z9); 从重 removed because: 已整改"
    );
}
