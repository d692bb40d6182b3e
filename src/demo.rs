//! The built-in demo round: the shipped 纪检监察 rubric, twenty sample cases and some findings,
//! so a reviewer can try pingcha before their organiser hands out a real round file.

use crate::caselist;
use crate::rubric::{QuantityKind, Rule};
use crate::score::Quantity;
use crate::store::{Identity, NewFinding, NewRound, Result, Stage, Store, StoreError};
use std::path::{Path, PathBuf};

/// The demo's rubric source (纪检监察 立案件).
pub const RUBRIC: &str = include_str!("../rubrics/jjjc-lian.toml");
/// The demo's case list.
pub const CASES: &str = include_str!("../rubrics/demo-cases.csv");
/// The demo reviewers: two, so cross review has something to compare.
pub const REVIEWERS: [&str; 2] = ["张明", "李华"];

/// Where the demo round lives inside a data directory.
pub fn path_in(dir: &Path) -> PathBuf {
    dir.join("demo.db")
}

/// Creates the demo round at `path` (refusing to overwrite) and returns it open as the first
/// demo reviewer. `machine_id` is this machine's id.
pub fn create(path: &Path, machine_id: &str) -> Result<Store> {
    let organiser = Identity {
        machine_id: machine_id.to_owned(),
        reviewer: "组织者".into(),
    };
    Store::create(path, &organiser, |store| {
        store.init_round(
            &NewRound {
                name: "2026年度纪检监察案件质量评查（演示）".into(),
                kind: crate::vocab::RoundKind::Full,
                method: crate::vocab::Method::Cross,
                require_final: false,
            },
            RUBRIC,
        )?;
        let table = caselist::parse_csv(CASES.as_bytes()).map_err(|e| demo_broken(&format!("{e:?}")))?;
        let list = caselist::parse(&table, store.rubric()?).map_err(|e| demo_broken(&format!("{e:?}")))?;
        store.add_cases(&list.rows)?;
        let roster: Vec<_> = REVIEWERS.iter().map(|r| crate::store::NewReviewer::named(r)).collect();
        store.add_reviewers(&roster)
    })?
    .close()?;
    for (r, reviewer) in REVIEWERS.iter().enumerate() {
        let mut store = Store::open(
            path,
            &Identity {
                machine_id: machine_id.to_owned(),
                reviewer: (*reviewer).into(),
            },
        )?;
        add_sample_findings(&mut store, r)?;
        store.close()?;
    }
    Store::open(
        path,
        &Identity {
            machine_id: machine_id.to_owned(),
            reviewer: REVIEWERS[0].into(),
        },
    )
}

fn demo_broken(why: &str) -> StoreError {
    StoreError::Io(PathBuf::from("demo-cases.csv"), std::io::Error::other(why.to_owned()))
}

/// A node to put sample findings on: id, rule and its first common problem (code, wording).
type SampleNode = (String, Rule, Option<(String, String)>);

/// Scores the first eight cases (and, for the second reviewer, the first three again, so they
/// differ), picking nodes deterministically and using each node's common-problem wording.
fn add_sample_findings(store: &mut Store, reviewer_index: usize) -> Result<()> {
    let cases = store.cases()?;
    let nodes: Vec<SampleNode> = store
        .rubric()?
        .scorables()
        .filter(|s| s.rule().deducts())
        .map(|s| {
            let problem = s.problems().next().map(|p| (p.code.clone(), p.text.to_string()));
            (s.id().to_owned(), s.rule().clone(), problem)
        })
        .collect();
    let count = if reviewer_index == 0 { 8 } else { 3 };
    for (i, case) in cases.iter().take(count).enumerate() {
        let sheet = store.sheet(&case.id, Stage::Initial)?;
        let volumes = case.volumes().unwrap_or(1).max(1);
        for k in 0..(i % 4 + 1) {
            let (node, rule, problem) = &nodes[(i * 7 + k * 5 + reviewer_index * 3) % nodes.len()];
            let quantity = match (rule, rule.quantity_kind()) {
                (Rule::Range { min, .. }, _) => Quantity::Amount(*min),
                (Rule::CatchAll { step }, _) => Quantity::Amount(*step * 2),
                (_, QuantityKind::Count) => Quantity::Count((k % 2 + 1) as u32),
                _ => Quantity::One,
            };
            let (code, text) = problem.clone().unwrap_or_else(|| (String::new(), "示例问题".into()));
            store.add_finding(
                &sheet,
                &NewFinding {
                    node: node.clone(),
                    quantity,
                    note: text,
                    volume: Some((k as u32 % volumes) + 1),
                    page: Some((i * 13 + k * 7 + 3) as u32),
                    problem: (!code.is_empty()).then_some(code),
                    repeat: crate::vocab::Repeat::No,
                },
            )?;
        }
    }
    Ok(())
}
