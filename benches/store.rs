//! Foundation benchmarks.
//!
//! - `add_finding`: one durable finding (its own transaction, WAL + synchronous=FULL) through
//!   the library, as the CLI and TUI write them.
//! - `score_120_items_200_findings`: the pure engine on a generated 120-item rubric.
//!
//! Run with `cargo bench --bench store`.

use pingcha::points::Points;
use pingcha::rubric::{Rubric, Rule, load};
use pingcha::score::{Finding, Quantity, Sheet, score};
use pingcha::store::{CaseRow, Identity, NewFinding, NewRound, Stage, Store};

fn main() {
    divan::main();
}

/// A 100-point rubric of 8 categories × 15 items with a mix of rule kinds.
fn big_rubric_source() -> String {
    let mut s = String::from(
        "[rubric]\nid = \"bench\"\nname = \"基准\"\nversion = \"1\"\ntotal = 120\nbonus_cap = 5\n\
         aggravation = { multiplier = 2 }\n\
         [[grade]]\nname = \"优秀\"\nmin = 108\n[[grade]]\nname = \"合格\"\nmin = 72\n[[grade]]\nname = \"不合格\"\nmin = 0\n\
         [[field]]\nkey = \"case_no\"\nlabel = \"案号\"\nkind = \"text\"\nrequired = true\n",
    );
    for c in 0..8 {
        s.push_str(&format!(
            "[[category]]\nid = \"c{c}\"\nname = \"类别{c}\"\npoints = 15\nmax_deduction = 12\n"
        ));
        for i in 0..15 {
            let rule = match i % 5 {
                0 => "{ kind = \"pass_fail\" }",
                1 => "{ kind = \"per_occurrence\", amount = 0.5 }",
                2 => "{ kind = \"range\", min = 0.5, max = 1, step = 0.5 }",
                3 => "{ kind = \"per_missing\", amount = 0.5, elements = [\"甲\", \"乙\"] }",
                _ => "{ kind = \"catch_all\", step = 0.5 }",
            };
            s.push_str(&format!(
                "[[category.item]]\nid = \"c{c}.i{i}\"\nname = \"项目{c}-{i}\"\npoints = 1\nrule = {rule}\n\
                 problems = [{{ code = \"P{c}-{i}\", text = \"常见问题{c}-{i}\" }}]\n"
            ));
        }
    }
    s
}

fn finding_for(rubric: &Rubric, n: usize) -> Finding {
    let nodes: Vec<_> = rubric.scorables().collect();
    let node = nodes[(n * 7919) % nodes.len()];
    let quantity = match node.rule() {
        Rule::Range { min, .. } => Quantity::Amount(*min),
        Rule::CatchAll { step } => Quantity::Amount(*step),
        Rule::PerOccurrence { .. } | Rule::PerMissing { .. } => Quantity::Count(1 + (n % 3) as u32),
        _ => Quantity::One,
    };
    Finding {
        node: node.id().to_owned(),
        quantity,
        repeat: n.is_multiple_of(17),
    }
}

#[divan::bench]
fn score_120_items_200_findings(bencher: divan::Bencher) {
    let rubric = load(&big_rubric_source(), "bench").unwrap();
    assert_eq!(rubric.item_ids().count(), 120);
    let sheet = Sheet {
        findings: (0..200).map(|n| finding_for(&rubric, n)).collect(),
        ..Sheet::default()
    };
    bencher.bench(|| score(divan::black_box(&rubric), divan::black_box(&sheet)).total);
}

#[divan::bench(sample_count = 200)]
fn add_finding(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let source = big_rubric_source();
    let who = Identity {
        machine_id: "bench".into(),
        reviewer: "基准".into(),
    };
    let mut store = Store::create(&path, &who, |s| {
        s.init_round(
            &NewRound {
                name: "基准".into(),
                kind: "日常".into(),
                method: "交叉".into(),
                require_final: false,
            },
            &source,
        )?;
        s.add_cases(&[CaseRow {
            case_no: "B1".into(),
            fields: [("case_no".into(), "B1".into())].into(),
        }])
    })
    .unwrap();
    let case = store.require_case("B1").unwrap();
    let sheet = store.sheet(&case.id, Stage::Initial).unwrap();
    let new = NewFinding {
        node: "c0.i1".into(),
        quantity: Quantity::Count(1),
        note: "笔录未签名".into(),
        volume: None,
        page: Some(12),
        problem: Some("P0-1".into()),
        repeat: false,
        repeat_waived: None,
    };
    bencher.bench_local(|| store.add_finding(&sheet, &new).unwrap().hlc);
    assert!(Points::ZERO <= store.score(&sheet).unwrap().total);
}
