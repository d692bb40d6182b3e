//! The counting rule and every output agree, for generated rounds: 1–3 reviewers per case at
//! 初评 or 复核, sometimes a 终评 sheet, decided grades, empty sheets and sheets only marked
//! done, with or without "require 终评". The report's per-case totals are `pingcha score`'s
//! totals of the sheet the rule (restated here from the README) picks, the 未定稿 and 未评查
//! cases are the rule's, and the ledger holds exactly the problems (no bonus, veto or grade
//! cap) of the settled cases.

mod common;

use common::kinds::RUBRIC;
use pingcha::score::{Decision, Quantity};
use pingcha::store::{CaseRow, Identity, MarkKind, NewFinding, NewRound, Stage, Store};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// One finding as generated: its node and quantity.
fn finding() -> impl Strategy<Value = (&'static str, Quantity)> {
    prop_oneof![
        (1..4u32).prop_map(|n| ("cx.sd", Quantity::Count(n))),
        Just(("cx.gz", Quantity::One)),
        (1..6i64).prop_map(|n| ("st.zj", Quantity::Amount(pingcha::points::Points::whole(n)))),
        Just(("jf.jp", Quantity::Count(1))),
        Just(("xd.wzg", Quantity::One)),
        Just(("fj.hb", Quantity::One)),
    ]
}

/// One generated sheet.
#[derive(Debug, Clone)]
struct GenSheet {
    reviewer: &'static str,
    stage: Stage,
    findings: Vec<(&'static str, Quantity)>,
    done: bool,
    decided: bool,
}

fn sheet(reviewer: &'static str, stage: impl Strategy<Value = Stage>) -> impl Strategy<Value = GenSheet> {
    (
        stage,
        prop::collection::vec(finding(), 0..4),
        any::<bool>(),
        prop::bool::weighted(0.3),
    )
        .prop_map(move |(stage, findings, done, decided)| GenSheet {
            reviewer,
            stage,
            findings,
            done,
            decided,
        })
}

/// The sheets of one case: 1–3 reviewers at 初评 or 复核, and maybe the leader's 终评.
fn case() -> impl Strategy<Value = Vec<GenSheet>> {
    let stage = || prop_oneof![Just(Stage::Initial), Just(Stage::Recheck)];
    (
        sheet("甲", stage()),
        prop::option::of(sheet("乙", stage())),
        prop::option::of(sheet("丙", stage())),
        prop::option::weighted(0.25, sheet("组长", Just(Stage::Final))),
    )
        .prop_map(|(a, b, c, f)| std::iter::once(a).chain(b).chain(c).chain(f).collect())
}

/// The rule as the README states it, over the generated sheets: the index of the sheet that
/// counts, or `Err(true)` for 未定稿 and `Err(false)` for 未评查.
fn rule(sheets: &[GenSheet], require_final: bool) -> Result<usize, bool> {
    let live: Vec<usize> = (0..sheets.len())
        .filter(|&i| !sheets[i].findings.is_empty() || sheets[i].done)
        .collect();
    let Some(top) = live.iter().map(|&i| sheets[i].stage).max() else {
        return Err(false);
    };
    let at_top: Vec<usize> = live.into_iter().filter(|&i| sheets[i].stage == top).collect();
    if at_top.len() == 1 && (top == Stage::Final || !require_final) {
        return Ok(at_top[0]);
    }
    let decided: Vec<usize> = at_top.iter().copied().filter(|&i| sheets[i].decided).collect();
    if decided.len() == 1 && (top == Stage::Final || !require_final) {
        return Ok(decided[0]);
    }
    Err(true)
}

fn identity(reviewer: &str) -> Identity {
    Identity {
        machine_id: "laws".into(),
        reviewer: reviewer.into(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn the_counting_rule_and_every_output_agree(
        cases in prop::collection::vec(case(), 1..5),
        require_final in prop::bool::weighted(0.3),
    ) {
        let env = common::Env::new();
        let path = env.path("round.db");
        let rows: Vec<CaseRow> = (0..cases.len())
            .map(|i| CaseRow {
                case_no: format!("K{i}"),
                fields: BTreeMap::from([
                    ("case_no".to_owned(), format!("K{i}")),
                    ("unit".to_owned(), format!("单位{}", i % 2)),
                    ("volumes".to_owned(), "2".to_owned()),
                ]),
            })
            .collect();
        let new = NewRound { name: "性质".into(), kind: pingcha::vocab::RoundKind::Routine, method: pingcha::vocab::Method::Cross, require_final };
        Store::create(&path, &identity("组织者"), |s| {
            s.init_round(&new, RUBRIC)?;
            s.add_cases(&rows)
        })
        .unwrap()
        .close()
        .unwrap();

        // Write every sheet; remember each finding id with whether it is a problem.
        let mut ids: Vec<Vec<Vec<(pingcha::vocab::FindingId, bool)>>> = Vec::new();
            for (ci, sheets) in cases.iter().enumerate() {
            let mut of_case = Vec::new();
            for s in sheets {
                let mut store = Store::open(&path, &identity(s.reviewer)).unwrap();
                let case = store.require_case(&format!("K{ci}")).unwrap();
                let sheet = store.sheet(&case.id, s.stage).unwrap();
                let mut written = Vec::new();
                for (n, (node, quantity)) in s.findings.iter().enumerate() {
                    let new = NewFinding {
                        node: (*node).to_owned(),
                        quantity: *quantity,
                        note: format!("{} {node} {n}", s.reviewer),
                        volume: None,
                        page: None,
                        problem: None,
                        repeat: pingcha::vocab::Repeat::No,
                    };
                    let f = store.add_finding(&sheet, &new).unwrap();
                    written.push((f.id, matches!(*node, "cx.sd" | "cx.gz" | "st.zj")));
                }
                if s.done {
                    store.set_mark(&sheet.id, "", MarkKind::Done, true, "").unwrap();
                }
                if s.decided {
                    let decision = Decision { grade: "合格".into(), reason: "讨论".into(), decider: "组".into() };
                    store.decide(&sheet, &decision).unwrap();
                }
                store.close().unwrap();
                of_case.push(written);
            }
            ids.push(of_case);
        }

        // `pingcha score --json`: every sheet's total, and which one counts.
        let json: serde_json::Value = serde_json::from_str(
            &env.ok(&["score", "--db", path.to_str().unwrap(), "--json"]),
        )
        .unwrap();
        let mut totals: BTreeMap<(String, String, String), (String, bool)> = BTreeMap::new();
        for s in json.as_array().unwrap() {
            let key = (
                s["case_no"].as_str().unwrap().to_owned(),
                s["reviewer"].as_str().unwrap().to_owned(),
                s["stage"].as_str().unwrap().to_owned(),
            );
            totals.insert(key, (s["score"]["total"].to_string(), s["counts"].as_bool().unwrap()));
        }

        let mut store = Store::open(&path, &identity("督查员")).unwrap();
        let report = pingcha::report::round_report(&store).unwrap();
        let mut expected_ledger = BTreeSet::new();
        let (mut unsettled, mut unreviewed) = (BTreeSet::new(), 0);
        for (ci, sheets) in cases.iter().enumerate() {
            let case_no = format!("K{ci}");
            match rule(sheets, require_final) {
                Ok(i) => {
                    let s = &sheets[i];
                    let key = (case_no.clone(), s.reviewer.to_owned(), s.stage.name().to_owned());
                    let (total, counts) = totals[&key].clone();
                    prop_assert!(counts, "score --json marks the sheet the rule picks: {key:?}");
                    let line = report.cases.iter().find(|c| c.case.case_no == case_no);
                    prop_assert!(line.is_some(), "{case_no} is settled");
                    let line = line.unwrap();
                    prop_assert_eq!(serde_json::to_value(line.score.total).unwrap().to_string(), total);
                    prop_assert_eq!(line.sheet.reviewer.as_str(), s.reviewer);
                    expected_ledger.extend(ids[ci][i].iter().filter(|(_, p)| *p).map(|(id, _)| id.clone()));
                }
                Err(true) => {
                    unsettled.insert(case_no);
                }
                Err(false) => unreviewed += 1,
            }
        }
        // The round read once and each case read on its own agree, and so do the reports
        // built from them.
        let round = store.recorded().unwrap();
        let standings = pingcha::report::case_standings(&store).unwrap();
        let cases = store.cases().unwrap();
        prop_assert_eq!(standings.len(), cases.len());
        for (case, standing) in cases.into_iter().zip(standings) {
            let own = store.recorded_case(&case.id).unwrap();
            prop_assert_eq!(round.standing(&case.id), own.standing(&case.id));
            prop_assert_eq!(round.sheets_of_case(&case.id), own.sheets_of_case(&case.id));
            for sheet in own.sheets_of_case(&case.id) {
                prop_assert_eq!(round.findings(&sheet.id), own.findings(&sheet.id));
                prop_assert_eq!(round.sheet_input(&sheet.id), own.sheet_input(&sheet.id));
                prop_assert_eq!(
                    round.marked(&sheet.id, MarkKind::Done).collect::<Vec<_>>(),
                    own.marked(&sheet.id, MarkKind::Done).collect::<Vec<_>>()
                );
            }
            let alone = pingcha::report::case_standing(&store, &case).unwrap();
            prop_assert_eq!(format!("{standing:?}"), format!("{alone:?}"));
        }

        let counted = totals.values().filter(|(_, c)| *c).count();
        prop_assert_eq!(counted, report.cases.len(), "one counting sheet per settled case");
        let listed: BTreeSet<String> = report.unsettled.iter().map(|u| u.case.case_no.clone()).collect();
        prop_assert_eq!(listed, unsettled);
        prop_assert_eq!(report.unreviewed, unreviewed);
        prop_assert_eq!(report.summary.grade_counts.iter().sum::<usize>(), report.cases.len());

        pingcha::ledger::sync(&mut store).unwrap();
        let ledger: BTreeSet<pingcha::vocab::FindingId> = pingcha::ledger::list(&store, &pingcha::ledger::Filter::default())
            .unwrap()
            .into_iter()
            .map(|e| e.row.finding_id)
            .collect();
        prop_assert_eq!(ledger, expected_ledger);
    }
}
