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

fn put(s: &mut Snapshot, table: &str, values: Vec<Value>) {
    let t = table_index(table).expect("table");
    let row = Row { values };
    s.tables[t].insert(row.key(&TABLES[t]), row);
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
            vec![
                text(&hash),
                text("jjjc-lian"),
                text("2026"),
                text("评查标准"),
                text(source),
            ],
        );
        put(
            &mut base,
            "round",
            vec![
                text("round-1"),
                text("基准测试轮次"),
                text(&hash),
                text("全面"),
                text("交叉"),
                stamp(0),
                text("org"),
            ],
        );
        for c in 0..CASES {
            let id = format!("case-{c:04}");
            put(
                &mut base,
                "case_record",
                vec![
                    text(&id),
                    text(format!("〔2026〕纪审字第{c:03}号")),
                    Value::Integer(c as i64),
                    Value::Integer(0),
                    stamp(1),
                    text("org"),
                ],
            );
            for key in ["title", "unit", "handler", "case_type", "volumes"] {
                put(
                    &mut base,
                    "case_field",
                    vec![text(&id), text(key), text(format!("{key} {c}")), stamp(1), text("org")],
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
                    vec![
                        text(&sheet),
                        text(format!("case-{c:04}")),
                        text(&reviewer),
                        text("初评"),
                        text(&hash),
                        Value::Integer(0),
                        stamp(t),
                        text(&replica),
                    ],
                );
                for k in 0..FINDINGS_PER_CASE {
                    put(
                        &mut s,
                        "finding",
                        vec![
                            text(format!("finding-{f:02}-{c:04}-{k:02}")),
                            text(&sheet),
                            text("sszj.sz"),
                            Value::Integer(1),
                            Value::Null,
                            text("书证、物证未做到“三注明一盖章”"),
                            Value::Integer(1),
                            Value::Integer(k as i64 + 1),
                            Value::Null,
                            Value::Integer(0),
                            text(""),
                            Value::Integer(0),
                            stamp(t + k as i64 * 1000 + 1),
                            text(&replica),
                        ],
                    );
                }
            }
            let path = dir.path().join(format!("laptop{f:02}.db"));
            apply::write(&path, &s, 0, false, &mut |_| {}).expect("write input");
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
                    let cols = spec.columns.join(", ");
                    let sql = match spec.kind {
                        Kind::Set => format!(
                            "INSERT OR IGNORE INTO main.{0} ({cols}) SELECT {cols} FROM src.{0}",
                            spec.name
                        ),
                        Kind::Versioned => {
                            let set: Vec<String> = spec.columns.iter().map(|c| format!("{c} = excluded.{c}")).collect();
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
