//! Merging 40 laptops' files of 300 cases × 40 findings each (480,000 findings), against the
//! floor of doing the same union with plain SQL in one process (ATTACH + INSERT … SELECT …
//! ON CONFLICT DO UPDATE WHERE newer).
//!
//! Run with `cargo bench --bench merge`. The 40 input files are generated once, outside the
//! timings, directly from records (the store's per-write fsync would make that take minutes).

use pingcha::merge::model::{Kind, Row, Snapshot, TABLES, table_index};
use pingcha::merge::{Output, apply, merge_files};
use pingcha::store::Stamp;
use rusqlite::types::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

const FILES: usize = 40;
const CASES: usize = 300;
const FINDINGS_PER_CASE: usize = 40;
const T0: i64 = 1_790_000_000_000;

fn main() {
    divan::main();
}

struct Fixture {
    _dir: tempfile::TempDir,
    files: Vec<PathBuf>,
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// Puts a record given column by column; every column of the table must be given, by name, so
/// a column added to the schema fails here loudly rather than shifting values.
fn put(s: &mut Snapshot, table: &str, cells: &[(&str, Value)]) {
    let t = table_index(table).expect("table");
    let spec = &TABLES[t];
    assert_eq!(
        cells.len(),
        spec.columns().len(),
        "{table}: give every column of {:?}",
        spec.columns()
    );
    let values = spec
        .columns()
        .iter()
        .map(|c| {
            cells
                .iter()
                .find(|(name, _)| name == c)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("{table}: no value for column {c}"))
        })
        .collect();
    let row = Row { values };
    s.tables[t].insert(row.key(spec), row);
}

fn stamp(ms: i64) -> Value {
    Value::Integer(Stamp::from_millis(T0 + ms).0)
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut base = Snapshot::empty(dir.path().join("round.db"));
        let source = pingcha::demo::RUBRIC;
        let hash = pingcha::store::content_hash(source);
        put(
            &mut base,
            "rubric",
            &[
                ("hash", text(&hash)),
                ("rubric_id", text("jjjc-lian")),
                ("version", text("2026")),
                ("name", text("评查标准")),
                ("source", text(source)),
            ],
        );
        put(
            &mut base,
            "round",
            &[
                ("id", text("round-1")),
                ("name", text("基准测试轮次")),
                ("rubric_hash", text(&hash)),
                ("kind", text("全面")),
                ("method", text("交叉")),
                ("hlc", stamp(0)),
                ("replica", text("org")),
            ],
        );
        for c in 0..CASES {
            let id = format!("case-{c:04}");
            put(
                &mut base,
                "case_record",
                &[
                    ("id", text(&id)),
                    ("case_no", text(format!("〔2026〕纪审字第{c:03}号"))),
                    ("seq", Value::Integer(c as i64)),
                    ("deleted", Value::Integer(0)),
                    ("hlc", stamp(1)),
                    ("replica", text("org")),
                ],
            );
            for key in ["title", "unit", "handler", "case_type", "volumes"] {
                put(
                    &mut base,
                    "case_field",
                    &[
                        ("case_id", text(&id)),
                        ("key", text(key)),
                        ("value", text(format!("{key} {c}"))),
                        ("hlc", stamp(1)),
                        ("replica", text("org")),
                    ],
                );
            }
        }
        let mut files = Vec::new();
        for f in 0..FILES {
            let mut s = base.clone();
            let replica = format!("replica-{f:02}");
            let reviewer = format!("评查人{f:02}");
            for c in 0..CASES {
                let sheet = format!("sheet-{f:02}-{c:04}");
                let t = 3_600_000 + (c * FINDINGS_PER_CASE) as i64 * 1000;
                put(
                    &mut s,
                    "sheet",
                    &[
                        ("id", text(&sheet)),
                        ("case_id", text(format!("case-{c:04}"))),
                        ("reviewer", text(&reviewer)),
                        ("stage", text("初评")),
                        ("rubric_hash", text(&hash)),
                        ("deleted", Value::Integer(0)),
                        ("hlc", stamp(t)),
                        ("replica", text(&replica)),
                    ],
                );
                for k in 0..FINDINGS_PER_CASE {
                    put(
                        &mut s,
                        "finding",
                        &[
                            ("id", text(format!("finding-{f:02}-{c:04}-{k:02}"))),
                            ("sheet_id", text(&sheet)),
                            ("node", text("sszj.sz")),
                            ("count", Value::Integer(1)),
                            ("amount", Value::Null),
                            ("note", text("书证、物证未做到“三注明一盖章”")),
                            ("volume", Value::Integer(1)),
                            ("page", Value::Integer(k as i64 + 1)),
                            ("problem", Value::Null),
                            ("repeat", Value::Integer(0)),
                            ("repeat_waived", text("")),
                            ("deleted", Value::Integer(0)),
                            ("hlc", stamp(t + k as i64 * 1000 + 1)),
                            ("replica", text(&replica)),
                        ],
                    );
                }
            }
            let path = dir.path().join(format!("laptop{f:02}.db"));
            apply::write(&path, &s, 0, &pingcha::output::Rules::default(), &mut |_| {}).expect("write input");
            files.push(path);
        }
        Fixture { _dir: dir, files }
    })
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn pingcha_merge(bencher: divan::Bencher) {
    let fx = fixture();
    bencher
        .with_inputs(|| tempfile::tempdir().expect("tempdir"))
        .bench_local_values(|out| {
            merge_files(&fx.files, Output::New(out.path().join("team.db")), &[]).expect("merge");
            out
        });
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn sql_floor(bencher: divan::Bencher) {
    let fx = fixture();
    bencher
        .with_inputs(|| {
            let out = tempfile::tempdir().expect("tempdir");
            let team = out.path().join("team.db");
            std::fs::copy(&fx.files[0], &team).expect("copy");
            (out, team)
        })
        .bench_local_values(|(out, team)| {
            let conn = rusqlite::Connection::open(&team).expect("open");
            conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN")
                .expect("begin");
            for file in &fx.files[1..] {
                conn.execute("ATTACH ?1 AS src", [file.to_string_lossy()])
                    .expect("attach");
                for spec in TABLES {
                    let cols = spec.columns().join(", ");
                    let sql = match spec.kind {
                        Kind::Set => format!(
                            "INSERT OR IGNORE INTO main.{0} ({cols}) SELECT {cols} FROM src.{0}",
                            spec.name
                        ),
                        Kind::Versioned => {
                            let set: Vec<String> =
                                spec.columns().iter().map(|c| format!("{c} = excluded.{c}")).collect();
                            format!(
                                "INSERT INTO main.{0} ({cols}) SELECT {cols} FROM src.{0} WHERE true
                                 ON CONFLICT ({1}) DO UPDATE SET {2}
                                 WHERE (excluded.hlc, excluded.replica) > ({0}.hlc, {0}.replica)",
                                spec.name,
                                spec.key.join(", "),
                                set.join(", ")
                            )
                        }
                    };
                    conn.execute(&sql, []).expect("union");
                }
                conn.execute_batch("COMMIT; DETACH src; BEGIN").expect("detach");
            }
            conn.execute_batch("COMMIT").expect("commit");
            drop(conn);
            out
        });
}
