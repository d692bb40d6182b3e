//! Foundation benchmarks.
//!
//! - `add_finding`: one durable finding (its own transaction, WAL + synchronous=FULL) through
//!   the library, as the CLI and TUI write them.
//! - `score_120_items_200_findings`: the pure engine on a generated 120-item rubric.
//! - `open_for_writing_300_cases`: what every writing command and the reviewer's screen pay
//!   once before their first write — the lock, `quick_check`, the schema comparison, the replica
//!   — and the closing checkpoint, on a round of 300 cases × 40 findings;
//!   `quick_check_300_cases` is SQLite's check alone on the same file.
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
        node: node.id().into(),
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

fn who() -> Identity {
    Identity {
        machine_id: "bench".into(),
        reviewer: "基准".into(),
    }
}

/// A round of the big rubric with cases B1…B`cases`, open for writing.
fn round(path: &std::path::Path, cases: usize) -> Store {
    let source = big_rubric_source();
    Store::create(path, &who(), |s| {
        s.init_round(
            &NewRound {
                name: "基准".into(),
                kind: pingcha::vocab::RoundKind::Routine,
                method: pingcha::vocab::Method::Cross,
                require_final: false,
            },
            &source,
        )?;
        let rows: Vec<CaseRow> = (1..=cases)
            .map(|i| CaseRow {
                case_no: format!("B{i}"),
                fields: [("case_no".into(), format!("B{i}"))].into(),
            })
            .collect();
        s.add_cases(&rows)
    })
    .unwrap()
}

/// A round of 300 cases with 40 findings each (a finished review), closed.
fn round_300(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("round300.db");
    let mut store = round(&path, 300);
    let rubric = store.rubric().unwrap().clone();
    for c in 1..=300 {
        let case = store.require_case(&format!("B{c}")).unwrap();
        let sheet = store.sheet(&case.id, Stage::Initial).unwrap();
        for n in 0..40 {
            let f = finding_for(&rubric, c * 40 + n);
            let node = rubric.scorable(&f.node).unwrap();
            let new = NewFinding {
                node: f.node.to_string(),
                // One occurrence or one missing element fits every rule of the rubric.
                quantity: match f.quantity {
                    Quantity::Count(_) => Quantity::Count(1),
                    q => q,
                },
                note: format!("第{c}案第{n}条：笔录未签名，页码不连续"),
                volume: None,
                page: Some(1 + n as u32),
                problem: node.problems().next().map(|p| p.code.clone()),
                repeat: pingcha::vocab::Repeat::No,
            };
            store.add_finding(&sheet, &new).unwrap();
        }
    }
    store.close().unwrap();
    path
}

#[divan::bench(sample_count = 20)]
fn open_for_writing_300_cases(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let path = round_300(dir.path());
    bencher.bench_local(|| Store::open(&path, &who()).unwrap().finish().is_none());
}

#[divan::bench(sample_count = 20)]
fn quick_check_300_cases(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let path = round_300(dir.path());
    let conn = rusqlite::Connection::open(&path).unwrap();
    // As the check on opening for writing reads it: through a memory map.
    conn.pragma_update(None, "mmap_size", 1i64 << 30).unwrap();
    bencher.bench_local(|| {
        conn.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0))
            .unwrap()
    });
}

#[divan::bench(sample_count = 200)]
fn add_finding(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let mut store = round(&path, 1);
    let case = store.require_case("B1").unwrap();
    let sheet = store.sheet(&case.id, Stage::Initial).unwrap();
    let new = NewFinding {
        node: "c0.i1".into(),
        quantity: Quantity::Count(1),
        note: "笔录未签名".into(),
        volume: None,
        page: Some(12),
        problem: Some("P0-1".into()),
        repeat: pingcha::vocab::Repeat::No,
    };
    bencher.bench_local(|| store.add_finding(&sheet, &new).unwrap().hlc);
    assert!(Points::ZERO <= store.score(&sheet).unwrap().total);
}
