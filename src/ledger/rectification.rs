//! The rectification figures of the round report (整改情况), computed from the ledger:
//! [`rectification`] is a pure function of the entries, their history and the report day;
//! [`rectification_report`] reads them from the store. The figures' meaning is stated in
//! [`crate::report::DEFINITIONS`].

use super::{Entry, Filter, LedgerError, State, list};
use crate::report::{OverdueEntry, OverdueUnit, Rectification, Tally, UNFILLED, UnitTally};
use crate::store::{LedgerEvent, Store};
use crate::vocab::Date;
use std::collections::{BTreeMap, HashSet};

/// The rectification section on `today` from every entry (已撤销 ones left
/// out) and the history
/// events of the ledger (an entry counts as returned when one of its events is a 退回:
/// 已整改待核 → 整改中).
pub fn rectification(entries: &[Entry], history: &[LedgerEvent], today: Date) -> Rectification {
    let returned: HashSet<&str> = history
        .iter()
        .filter(|e| e.from == State::AwaitingCheck && e.to == State::InProgress)
        .map(|e| e.entry_id.as_str())
        .collect();
    let mut total = Tally::default();
    let mut units: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut overdue: BTreeMap<&str, Vec<OverdueEntry>> = BTreeMap::new();
    // A withdrawn entry was never a problem to rectify (its finding no longer counts).
    for entry in entries.iter().filter(|e| e.row.state != State::Withdrawn) {
        let unit = match entry.row.unit.trim() {
            "" => UNFILLED,
            u => u,
        };
        let was_returned = returned.contains(entry.row.id.as_str());
        count(&mut total, entry, was_returned, today);
        count(units.entry(unit).or_default(), entry, was_returned, today);
        if let (true, Some(deadline)) = (entry.is_overdue(today), entry.row.deadline) {
            overdue.entry(unit).or_default().push(OverdueEntry {
                entry_id: entry.row.id.clone(),
                case_no: entry.case_no.clone(),
                problem: entry.wording(),
                handler: entry.row.handler.clone(),
                days: deadline.days_until(today),
                deadline,
                state: entry.row.state,
            });
        }
    }
    let mut units: Vec<UnitTally> = units
        .into_iter()
        .map(|(unit, tally)| UnitTally {
            unit: unit.to_owned(),
            tally,
        })
        .collect();
    units.sort_by(|a, b| {
        b.tally
            .pass_rate()
            .cmp_exact(a.tally.pass_rate())
            .then(b.tally.entries.cmp(&a.tally.entries))
            .then_with(|| a.unit.cmp(&b.unit))
    });
    let mut overdue: Vec<OverdueUnit> = overdue
        .into_iter()
        .map(|(unit, mut entries)| {
            entries.sort_by(|a, b| {
                b.days
                    .cmp(&a.days)
                    .then_with(|| a.case_no.cmp(&b.case_no))
                    .then_with(|| a.entry_id.cmp(&b.entry_id))
            });
            OverdueUnit {
                unit: unit.to_owned(),
                entries,
            }
        })
        .collect();
    overdue.sort_by(|a, b| b.entries.len().cmp(&a.entries.len()).then_with(|| a.unit.cmp(&b.unit)));
    Rectification {
        today,
        total,
        units,
        overdue,
    }
}

/// Adds one entry to a tally.
fn count(tally: &mut Tally, entry: &Entry, returned: bool, today: Date) {
    tally.entries += 1;
    match entry.row.state {
        State::Pending => tally.pending += 1,
        State::InProgress => tally.in_progress += 1,
        State::AwaitingCheck => tally.awaiting_check += 1,
        State::Closed => tally.closed += 1,
        // Left out by the caller.
        State::Withdrawn => {}
    }
    let closed = entry.row.state == State::Closed;
    match entry.row.deadline {
        None => tally.no_deadline += 1,
        Some(deadline) => {
            let overdue = entry.is_overdue(today);
            tally.overdue += usize::from(overdue);
            tally.due += usize::from(closed || overdue);
            let on_time = closed && entry.row.verified_on.is_some_and(|v| v <= deadline);
            tally.closed_on_time += usize::from(on_time);
        }
    }
    tally.returned += usize::from(returned);
}

/// The rectification section of the round file's ledger on `today`.
pub fn rectification_report(store: &Store, today: Date) -> Result<Rectification, LedgerError> {
    let entries = list(store, &Filter::default())?;
    Ok(rectification(&entries, &store.all_ledger_history()?, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Rate;
    use crate::store::LedgerRow;

    const TODAY: &str = "2026-07-01";

    fn d(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    fn entry(id: &str, unit: &str, state: State, deadline: Option<&str>, verified_on: Option<&str>) -> Entry {
        Entry {
            row: LedgerRow {
                id: id.into(),
                finding_id: format!("f-{id}").into(),
                case_id: format!("c-{id}").into(),
                unit: unit.into(),
                handler: "王五".into(),
                problem_code: Some("SZ-01".into()),
                problem: "身份材料不全".into(),
                note: "缺干部履历表".into(),
                deadline: deadline.map(d),
                state,
                measures: String::new(),
                evidence: String::new(),
                verifier: String::new(),
                verified_on: verified_on.map(d),
                hlc: 1,
            },
            case_no: format!("案{id}"),
        }
    }

    fn event(id: &str, from: State, to: State) -> LedgerEvent {
        LedgerEvent {
            entry_id: id.into(),
            who: "王核".into(),
            from,
            to,
            note: String::new(),
            hlc: 1,
        }
    }

    /// Ten entries in three units, on 2026-07-01 (figures worked out by hand in the test).
    fn fixture() -> (Vec<Entry>, Vec<LedgerEvent>) {
        use State::*;
        let entries = vec![
            entry("a1", "第一室", Pending, Some("2026-06-30"), None),
            entry("a2", "第一室", InProgress, Some("2026-07-01"), None),
            entry("a3", "第一室", Closed, Some("2026-06-30"), Some("2026-06-30")),
            entry("a4", "第一室", Closed, Some("2026-06-20"), Some("2026-06-25")),
            entry("a5", "第一室", AwaitingCheck, Some("2026-05-31"), None),
            entry("a6", "第一室", Closed, None, Some("2026-06-01")),
            entry("b1", "第二室", InProgress, Some("2026-06-01"), None),
            entry("b2", "第二室", Pending, None, None),
            entry("b3", "第二室", Closed, Some("2026-07-15"), Some("2026-06-28")),
            entry("c1", " ", Pending, Some("2026-06-30"), None),
        ];
        let history = vec![
            event("a2", Pending, InProgress),
            // a4: returned once, then closed.
            event("a4", Pending, InProgress),
            event("a4", InProgress, AwaitingCheck),
            event("a4", AwaitingCheck, InProgress),
            event("a4", InProgress, AwaitingCheck),
            event("a4", AwaitingCheck, Closed),
            // a5: returned twice, waiting again: counted once.
            event("a5", AwaitingCheck, InProgress),
            event("a5", AwaitingCheck, InProgress),
            event("a3", AwaitingCheck, Closed),
            // history of an entry not in the list counts for nothing.
            event("zz", AwaitingCheck, InProgress),
        ];
        (entries, history)
    }

    #[test]
    fn every_category_is_counted_for_the_whole_ledger() {
        let (entries, history) = fixture();
        let r = rectification(&entries, &history, d(TODAY));
        assert_eq!(r.today, d(TODAY));
        let expected = Tally {
            entries: 10,
            pending: 3,     // a1 b2 c1
            in_progress: 2, // a2 b1
            awaiting_check: 1,
            closed: 4,         // a3 a4 a6 b3
            closed_on_time: 2, // a3 (on the deadline day) b3; a4 late, a6 without a deadline
            due: 7,            // a1 a3 a4 a5 b1 b3 c1; a2 is due today, not yet
            overdue: 4,        // a1 a5 b1 c1
            returned: 2,       // a4 a5
            no_deadline: 2,    // a6 b2
        };
        assert_eq!(r.total, expected);
        assert_eq!(r.total.pass_rate(), Rate::new(4, 10));
        assert_eq!(r.total.pass_rate().to_string(), "40.0%");
        assert_eq!(r.total.on_time_rate().to_string(), "28.6%", "2/7 = 28.571…%");
        assert!(!r.is_empty());
    }

    #[test]
    fn units_are_counted_apart_and_ranked_by_pass_rate() {
        let (entries, history) = fixture();
        let r = rectification(&entries, &history, d(TODAY));
        let names: Vec<&str> = r.units.iter().map(|u| u.unit.as_str()).collect();
        assert_eq!(names, ["第一室", "第二室", UNFILLED], "50.0% > 33.3% > 0.0%");
        let first = &r.units[0].tally;
        assert_eq!(
            (
                first.entries,
                first.pending,
                first.in_progress,
                first.awaiting_check,
                first.closed
            ),
            (6, 1, 1, 1, 3)
        );
        assert_eq!(
            (
                first.closed_on_time,
                first.due,
                first.overdue,
                first.returned,
                first.no_deadline
            ),
            (1, 4, 2, 2, 1)
        );
        assert_eq!(
            (first.pass_rate().to_string(), first.on_time_rate().to_string()),
            ("50.0%".into(), "25.0%".into())
        );
        let second = &r.units[1].tally;
        assert_eq!(
            (
                second.entries,
                second.closed,
                second.closed_on_time,
                second.due,
                second.overdue
            ),
            (3, 1, 1, 2, 1)
        );
        assert_eq!(
            (second.pass_rate().to_string(), second.on_time_rate().to_string()),
            ("33.3%".into(), "50.0%".into())
        );
        let unfilled = &r.units[2].tally;
        assert_eq!((unfilled.entries, unfilled.due, unfilled.overdue), (1, 1, 1));
        assert_eq!(unfilled.pass_rate().to_string(), "0.0%");
        let sum: usize = r.units.iter().map(|u| u.tally.entries).sum();
        assert_eq!(sum, r.total.entries);
    }

    #[test]
    fn the_overdue_list_goes_by_unit_most_overdue_first() {
        let (entries, history) = fixture();
        let r = rectification(&entries, &history, d(TODAY));
        let units: Vec<(&str, usize)> = r.overdue.iter().map(|u| (u.unit.as_str(), u.entries.len())).collect();
        assert_eq!(
            units,
            [("第一室", 2), (UNFILLED, 1), ("第二室", 1)],
            "ties by name: 未 (U+672A) before 第 (U+7B2C)"
        );
        let first: Vec<(&str, i64, State)> = r.overdue[0]
            .entries
            .iter()
            .map(|e| (e.case_no.as_str(), e.days, e.state))
            .collect();
        assert_eq!(first, [("案a5", 31, State::AwaitingCheck), ("案a1", 1, State::Pending)]);
        let b1 = &r.overdue[2].entries[0];
        assert_eq!(
            (b1.deadline, b1.days, b1.problem.as_str(), b1.handler.as_str()),
            (d("2026-06-01"), 30, "SZ-01 身份材料不全", "王五")
        );
    }

    #[test]
    fn the_deadline_day_is_not_overdue_and_a_day_later_is() {
        let (entries, history) = fixture();
        let before = rectification(&entries, &history, d("2026-06-30"));
        assert!(
            before
                .overdue
                .iter()
                .flat_map(|u| &u.entries)
                .all(|e| e.case_no != "案a1")
        );
        let after = rectification(&entries, &history, d("2026-07-02"));
        assert_eq!(after.total.overdue, 5, "a2's deadline has passed too");
        assert_eq!(after.total.due, 8);
    }

    #[test]
    fn an_empty_ledger_gives_an_empty_section() {
        let r = rectification(&[], &[], d(TODAY));
        assert!(r.is_empty());
        assert_eq!(r, crate::report::Rectification::empty(d(TODAY)));
        assert_eq!(r.total.pass_rate().to_string(), "—");
        assert_eq!(r.total.on_time_rate().to_string(), "—");
    }

    #[test]
    fn the_wording_falls_back_to_the_note() {
        let mut e = entry("x", "第一室", State::Pending, None, None);
        assert_eq!(e.wording(), "SZ-01 身份材料不全");
        e.row.problem.clear();
        assert_eq!(e.wording(), "SZ-01 缺干部履历表");
        e.row.problem_code = None;
        assert_eq!(e.wording(), "缺干部履历表");
    }

    #[test]
    fn days_count_calendar_days() {
        assert_eq!(d("2026-02-28").days_until(d("2026-03-01")), 1);
        assert_eq!(d("2024-02-28").days_until(d("2024-03-01")), 2, "leap year");
        assert_eq!(d("2026-07-01").days_until(d("2026-06-30")), -1);
        assert!(Date::parse("2026-02-30").is_err());
    }
}
