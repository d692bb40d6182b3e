//! Organiser benchmarks at ten times the largest field round: 2,230 cases, 340 reviewers in 20
//! groups (one unit each), two reviewers per case.
//!
//! - `assign_plan`: the pure cross-group plan with avoidance, balanced by 卷册数.
//! - `assign_total`: what `pingcha assign --cross-groups --per-case 2` does after opening the
//!   file: read roster and cases, plan, and write the 4,460 assignments in one transaction.
//! - `agreement_total`: what `pingcha agreement` does after opening the file: score both sheets
//!   of every case and compute the alphas and deviations.
//!
//! Run with `cargo bench --bench organiser` (building the round takes a while: 4,460 sheets
//! and 8,920 findings, each a durable write).

use pingcha::organise::assign::{self, Avoidance, Rule};
use pingcha::organise::{agreement, assign_by_rule};
use pingcha::score::Quantity;
use pingcha::store::{CaseRow, Identity, NewFinding, NewReviewer, NewRound, Stage, Store};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const CASES: usize = 2230;
const REVIEWERS: usize = 340;
const GROUPS: usize = 20;

fn main() {
    divan::main();
}

fn round() -> &'static Path {
    static ROUND: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &ROUND.get_or_init(build_round).1
}

fn identity(who: &str) -> Identity {
    Identity {
        machine_id: "bench".into(),
        reviewer: who.into(),
    }
}

fn build_round() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let rows: Vec<CaseRow> = (0..CASES)
        .map(|i| {
            let case_no = format!("〔2026〕纪审字第{:04}号", i + 1);
            let fields = [
                ("case_no", case_no.clone()),
                ("title", format!("被审查人{i}")),
                ("unit", format!("单位{}", i % REVIEWERS + 1)),
                ("handler", format!("承办人{}", i % 36 + 1)),
                ("volumes", (1 + i * 5 % 9).to_string()),
            ];
            CaseRow {
                case_no,
                fields: fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            }
        })
        .collect();
    let roster: Vec<NewReviewer> = (0..REVIEWERS)
        .map(|r| NewReviewer {
            name: format!("评查员{:03}", r + 1),
            unit: format!("单位{}", r + 1),
            group: format!("第{:02}组", r % GROUPS + 1),
            leader: r < GROUPS,
        })
        .collect();
    let mut store = Store::create(&path, &identity("组织者"), |s| {
        s.init_round(
            &NewRound {
                name: "基准轮次".into(),
                kind: pingcha::vocab::RoundKind::Full,
                method: pingcha::vocab::Method::Cross,
                require_final: false,
            },
            pingcha::demo::RUBRIC,
        )?;
        s.add_cases(&rows)?;
        s.add_reviewers(&roster)
    })
    .unwrap();
    assign_by_rule(&mut store, Rule::CrossGroups, 2).unwrap();
    let assignments = store.assignments().unwrap();
    let nodes: Vec<String> = store
        .rubric()
        .unwrap()
        .scorables()
        .filter(|s| s.rule().deducts() && matches!(s.rule().quantity_kind(), pingcha::rubric::QuantityKind::Count))
        .map(|s| s.id().to_owned())
        .collect();
    store.close().unwrap();
    let mut by_reviewer: std::collections::BTreeMap<String, Vec<pingcha::vocab::CaseId>> = Default::default();
    for a in assignments {
        by_reviewer.entry(a.reviewer).or_default().push(a.case_id);
    }
    for (r, (who, cases)) in by_reviewer.iter().enumerate() {
        let mut store = Store::open(&path, &identity(who)).unwrap();
        for (i, case_id) in cases.iter().enumerate() {
            let sheet = store.sheet(case_id, Stage::Initial).unwrap();
            for k in 0..2 {
                let new = NewFinding {
                    node: nodes[(r * 3 + i * 7 + k * 5) % nodes.len()].clone(),
                    quantity: Quantity::Count(1),
                    note: format!("第{k}处问题"),
                    volume: None,
                    page: None,
                    problem: None,
                    repeat: pingcha::vocab::Repeat::No,
                };
                store.add_finding(&sheet, &new).unwrap();
            }
        }
        store.close().unwrap();
    }
    (dir, path)
}

#[divan::bench(sample_count = 10)]
fn assign_plan(bencher: divan::Bencher) {
    let store = Store::open_read_only(round()).unwrap();
    let (reviewers, cases) = (store.reviewers().unwrap(), store.cases().unwrap());
    bencher.bench_local(|| {
        assign::plan(Rule::CrossGroups, 2, &reviewers, &cases, &Avoidance::default())
            .unwrap()
            .len()
    });
}

#[divan::bench(sample_count = 5)]
fn assign_total(bencher: divan::Bencher) {
    let mut store = Store::open(round(), &identity("组织者")).unwrap();
    bencher.bench_local(|| assign_by_rule(&mut store, Rule::CrossGroups, 2).unwrap());
}

#[divan::bench(sample_count = 5)]
fn agreement_total(bencher: divan::Bencher) {
    let store = Store::open_read_only(round()).unwrap();
    bencher.bench_local(|| {
        let a = agreement::agreement(&store, 5).unwrap();
        assert_eq!(a.cases, CASES);
        a.items.len()
    });
}
