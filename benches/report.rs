//! Report benchmarks on a round of 300 cases × 40 findings (the demo's 纪检监察 rubric,
//! 12 handling units, 36 handlers).
//!
//! - `round_report_model`: reading every case's counting sheet and scoring it (the report model).
//! - `round_report_read`: the read alone (`Store::recorded`: sheets, findings, marks, decisions).
//! - `round_report_xlsx`: rendering that model to the round workbook, charts included.
//! - `round_report_total`: both, what `pingcha report` does after opening the file: one read
//!   of the round for the report and its agreement tables, and the rectification figures
//!   (this round's ledger is not synced, so they are empty).
//! - `round_report_cli`: `pingcha report` itself, end to end: the process starting, opening
//!   the file (SQLite's cache cold, the system's warm), all of the above, and the workbook
//!   written and fsynced through a temporary file.
//!
//! After the benchmarks, the tables of the round workbook are written to
//! `target/report-bench-tables.json` and, when `python3` with openpyxl is there,
//! `benches/openpyxl_report.py` writes the same sheets with openpyxl and prints its time.
//!
//! With `PINGCHA_BENCH_ROUND=FILE` set, the round is also copied to `FILE`, so that the real
//! `pingcha report` can be timed on it, process start and the written file included.
//!
//! Allocations are counted too (divan's `AllocProfiler`): unlike times, their counts do not
//! depend on how busy the machine is.
//!
//! Run with `cargo bench --bench report`.

use pingcha::export::xlsx::round_workbook;
use pingcha::report::{Rectification, RoundOptions, RoundReport, round_report, round_report_from};
use pingcha::rubric::{QuantityKind, Rule};
use pingcha::score::Quantity;
use pingcha::store::{CaseRow, Identity, NewFinding, NewRound, Stage, Store};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

const CASES: usize = 300;
const FINDINGS: usize = 40;
/// The report day of the rectification figures.
const TODAY: &str = "2026-07-01";

fn main() {
    divan::main();
    compare_with_openpyxl();
}

/// The round file, built once per run (12,000 durable writes take a few seconds).
fn round() -> &'static Path {
    static ROUND: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &ROUND.get_or_init(build_round).1
}

fn build_round() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let who = Identity {
        machine_id: "bench".into(),
        reviewer: "评查人甲".into(),
    };
    let rows: Vec<CaseRow> = (0..CASES)
        .map(|i| {
            let case_no = format!("〔2026〕纪审字第{:03}号", i + 1);
            let fields = [
                ("case_no", case_no.clone()),
                ("title", format!("被审查人{i}")),
                ("unit", format!("第{}审查调查室", i % 12 + 1)),
                ("handler", format!("承办人{}", i % 36 + 1)),
                ("volumes", "8".to_owned()),
            ];
            CaseRow {
                case_no,
                fields: fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            }
        })
        .collect();
    let mut store = Store::create(&path, &who, |s| {
        s.init_round(
            &NewRound {
                name: "基准轮次".into(),
                kind: pingcha::vocab::RoundKind::Full,
                method: pingcha::vocab::Method::Cross,
                require_final: false,
            },
            pingcha::demo::RUBRIC,
        )?;
        s.add_cases(&rows)
    })
    .unwrap();
    let nodes: Vec<(String, Rule, Option<String>)> = store
        .rubric()
        .unwrap()
        .scorables()
        .filter(|s| s.rule().deducts())
        .map(|s| {
            (
                s.id().to_owned(),
                s.rule().clone(),
                s.problems().next().map(|p| p.code.clone()),
            )
        })
        .collect();
    for (i, case) in store.cases().unwrap().iter().enumerate() {
        let sheet = store.sheet(&case.id, Stage::Initial).unwrap();
        for k in 0..FINDINGS {
            let (node, rule, code) = &nodes[(i * 7 + k * 5) % nodes.len()];
            let quantity = match (rule, rule.quantity_kind()) {
                (Rule::Range { min, .. }, _) => Quantity::Amount(*min),
                (Rule::CatchAll { step }, _) => Quantity::Amount(*step),
                (_, QuantityKind::Count) => Quantity::Count(1),
                _ => Quantity::One,
            };
            let new = NewFinding {
                node: node.clone(),
                quantity,
                note: format!("第{k}处问题：笔录未逐页签名捺印"),
                volume: Some((k % 8) as u32 + 1),
                page: Some((k * 7 + 1) as u32),
                problem: code.clone(),
                repeat: pingcha::vocab::Repeat::No,
            };
            store.add_finding(&sheet, &new).unwrap();
        }
    }
    store.close().unwrap();
    if let Some(keep) = std::env::var_os("PINGCHA_BENCH_ROUND") {
        std::fs::copy(&path, &keep).unwrap();
        println!("round kept at {}", Path::new(&keep).display());
    }
    (dir, path)
}

/// The agreement tables the report's 评查一致性 sheet shows.
fn agreement_of(store: &Store) -> pingcha::organise::agreement::Agreement {
    use pingcha::organise::agreement::{DEFAULT_MIN_CASES, agreement};
    agreement(store, DEFAULT_MIN_CASES).unwrap()
}

fn model() -> RoundReport {
    round_report(&Store::open_read_only(round()).unwrap()).unwrap()
}

#[divan::bench(sample_count = 10)]
fn round_report_model(bencher: divan::Bencher) {
    let store = Store::open_read_only(round()).unwrap();
    bencher.bench_local(|| round_report(&store).unwrap().summary.cases);
}

#[divan::bench(sample_count = 10)]
fn round_report_read(bencher: divan::Bencher) {
    let store = Store::open_read_only(round()).unwrap();
    bencher.bench_local(|| store.recorded().unwrap());
}

#[divan::bench(sample_count = 10)]
fn round_report_xlsx(bencher: divan::Bencher) {
    let report = model();
    assert_eq!(report.summary.cases, CASES);
    let rectification = Rectification::empty(TODAY.parse().expect("a date"));
    let agreement = agreement_of(&Store::open_read_only(round()).unwrap());
    bencher.bench_local(|| {
        round_workbook(divan::black_box(&report), &rectification, &agreement)
            .unwrap()
            .len()
    });
}

#[divan::bench(sample_count = 10)]
fn round_report_total(bencher: divan::Bencher) {
    let store = Store::open_read_only(round()).unwrap();
    bencher.bench_local(|| {
        use pingcha::organise::agreement::{DEFAULT_MIN_CASES, agreement_of};
        let rectification = pingcha::ledger::rectification_report(&store, TODAY.parse().expect("a date")).unwrap();
        let recorded = store.recorded().unwrap();
        let agreement = agreement_of(&store, &recorded, DEFAULT_MIN_CASES).unwrap();
        let report = round_report_from(&store, recorded, &RoundOptions::default()).unwrap();
        round_workbook(&report, &rectification, &agreement).unwrap().len()
    });
}

#[divan::bench(sample_count = 10)]
fn round_report_cli(bencher: divan::Bencher) {
    let out = tempfile::tempdir().unwrap();
    let xlsx = out.path().join("report.xlsx");
    let report = || {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_pingcha"))
            .args(["report", "--force", "--today", TODAY, "--db"])
            .arg(round())
            .arg("-o")
            .arg(&xlsx)
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    };
    bencher.bench_local(report);
}

/// The workbook's tables as JSON rows, for the openpyxl script to write the same sheets.
fn tables(report: &RoundReport) -> serde_json::Value {
    use serde_json::json;
    let s = &report.summary;
    let points = |p: Option<pingcha::points::Points>| p.map_or(0.0, |p| p.as_f64());
    let groups = |groups: &[pingcha::report::GroupStats]| -> Vec<serde_json::Value> {
        groups
            .iter()
            .map(|g| json!([g.name, g.cases, g.average.as_f64(), g.grade_counts, g.problems]))
            .collect()
    };
    json!({
        "grades": report.grades,
        "summary": [
            ["评查案件数", s.cases], ["平均分", points(s.average)], ["最高分", points(s.max)],
            ["最低分", points(s.min)], ["问题总数", s.problems], ["案均问题数", points(s.problems_per_case)],
        ],
        "grade_counts": s.grade_counts,
        "units": groups(&report.units),
        "handlers": groups(&report.handlers),
        "common": report.common_problems.iter()
            .map(|p| json!([p.code, p.wording, p.category, p.item, p.cases, p.occurrences]))
            .collect::<Vec<_>>(),
        "categories": report.categories.iter()
            .map(|c| json!([c.name, c.points.as_f64(), c.deduction.as_f64(), c.problems, c.cases]))
            .collect::<Vec<_>>(),
        "cases": report.cases.iter()
            .map(|c| json!([
                c.case.case_no, c.case.field("title"), c.case.field("unit"), c.case.field("handler"),
                c.sheet.reviewer, c.sheet.stage, c.score.total.as_f64(), c.grade(), c.score.problems,
            ]))
            .collect::<Vec<_>>(),
    })
}

/// Writes the tables for the openpyxl script and runs it when Python and openpyxl are there.
fn compare_with_openpyxl() {
    let report = model();
    let mut times = Vec::new();
    let mut bytes = Vec::new();
    let agreement = agreement_of(&Store::open_read_only(round()).unwrap());
    for _ in 0..5 {
        let start = std::time::Instant::now();
        bytes = round_workbook(
            &report,
            &Rectification::empty(TODAY.parse().expect("a date")),
            &agreement,
        )
        .unwrap();
        times.push(start.elapsed());
    }
    times.sort();
    let rust = times[2];
    let json = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-bench-tables.json");
    std::fs::write(&json, tables(&report).to_string()).unwrap();
    println!(
        "\nrust_xlsxwriter: round workbook, {CASES} cases × {FINDINGS} findings, {} bytes, median {:.1} ms of 5 runs",
        bytes.len(),
        rust.as_secs_f64() * 1e3
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/openpyxl_report.py");
    match std::process::Command::new("python3").arg(&script).arg(&json).output() {
        Ok(out) if out.status.success() => print!("{}", String::from_utf8_lossy(&out.stdout)),
        Ok(out) => println!(
            "openpyxl comparison not run: {}",
            String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("")
        ),
        Err(e) => println!("openpyxl comparison not run: python3: {e}"),
    }
}
