//! The bulk path of a merge: the large tables (sheets, decisions, findings, marks) are never
//! read into memory; SQLite copies them from each input, attached read-only, into the output
//! with `INSERT … SELECT … ON CONFLICT DO UPDATE WHERE newer`.
//!
//! It is taken only when it gives exactly what the in-memory [`super::plan`] would:
//!
//! - no clock fix was asked for and no stamp of any input is outside its round's window (the
//!   in-memory path would fix or refuse, and is taken instead);
//! - no replica id is suspect: every file holding records of a replica holds the same number
//!   of them, the same newest stamp and the same content fingerprint (what
//!   [`super::replicas`] checks before it looks at records one by one). Then two versions of
//!   one record with the same (stamp, replica) have the same content, so "the greater
//!   (stamp, replica) wins" is the whole rank and the SQL union is order-independent;
//! - every input is a file of the current schema (an older one is read through a migrated
//!   copy in memory, which cannot be attached).
//!
//! The small tables (round, rubrics, reviewers, cases, case fields and their history, clock
//! fixes) are read into memory and planned exactly as before: the field conflicts, the history
//! and the case-number and rubric conflicts come from there.

use super::MergeError;
use super::apply::Progress;
use super::clock::{ReplicaRange, Window};
use super::conflict::{Conflict, derived_conflicts};
use super::model::{Kind, Row, Snapshot, TABLES, table_index};
use crate::store::reading::{self, Access};
use crate::store::{Store, StoreError};
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// The tables copied by SQLite rather than read into memory (all versioned).
pub(super) const BULK: &[&str] = &["sheet", "decision", "finding", "mark"];

/// Whether a table is copied in bulk.
pub(super) fn is_bulk(name: &str) -> bool {
    BULK.contains(&name)
}

/// One replica's records in the bulk tables of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stat {
    /// Oldest stamp.
    pub min: i64,
    /// Newest stamp.
    pub max: i64,
    /// Records.
    pub count: usize,
}

/// Per replica, its records in the bulk tables of an open file.
pub(super) fn bulk_stats(store: &Store) -> Result<BTreeMap<String, Stat>, MergeError> {
    let conn = store.conn();
    let sql = sql_err(store.path());
    let mut out: BTreeMap<String, Stat> = BTreeMap::new();
    for name in BULK {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT replica, MIN(hlc), MAX(hlc), COUNT(*) FROM {name} GROUP BY replica"
            ))
            .map_err(&sql)?;
        let mut rows = stmt.query([]).map_err(&sql)?;
        while let Some(r) = rows.next().map_err(&sql)? {
            let replica: String = r.get(0).map_err(&sql)?;
            let (min, max, count): (i64, i64, i64) = (
                r.get(1).map_err(&sql)?,
                r.get(2).map_err(&sql)?,
                r.get(3).map_err(&sql)?,
            );
            let e = out.entry(replica).or_insert(Stat { min, max, count: 0 });
            e.min = e.min.min(min);
            e.max = e.max.max(max);
            e.count += usize::try_from(count).unwrap_or(0);
        }
    }
    Ok(out)
}

fn sql_err(path: &Path) -> impl Fn(rusqlite::Error) -> MergeError + '_ {
    move |e| MergeError::Store(StoreError::Sqlite(path.to_path_buf(), e))
}

/// [`super::clock::ranges`] of a file read without its bulk tables, completed by their stats.
pub(super) fn ranges(snap: &Snapshot, bulk: &BTreeMap<String, Stat>, window: Window) -> Vec<ReplicaRange> {
    let mut by: BTreeMap<String, ReplicaRange> = super::clock::ranges(snap, window)
        .into_iter()
        .map(|r| (r.replica.clone(), r))
        .collect();
    for (replica, s) in bulk {
        let r = by.entry(replica.clone()).or_insert_with(|| ReplicaRange {
            path: snap.path.clone(),
            replica: replica.clone(),
            first: s.min,
            last: s.max,
            records: 0,
            plausible: true,
        });
        r.first = r.first.min(s.min);
        r.last = r.last.max(s.max);
        r.records += s.count;
        r.plausible &= window.contains(s.min) && window.contains(s.max);
    }
    by.into_values().collect()
}

/// The path SQLite has a store open at, or `None` when it reads a copy in memory.
fn attachable(store: &Store) -> Option<String> {
    store.conn().path().filter(|p| !p.is_empty()).map(str::to_owned)
}

fn hash_ref(h: &mut DefaultHasher, v: ValueRef<'_>) {
    match v {
        ValueRef::Null => 0u8.hash(h),
        ValueRef::Integer(n) => (1u8, n).hash(h),
        ValueRef::Real(x) => (2u8, x.to_bits()).hash(h),
        ValueRef::Text(s) => (3u8, s).hash(h),
        ValueRef::Blob(b) => (4u8, b).hash(h),
    }
}

/// Per replica: (records, newest stamp, fingerprint) over every versioned table of one file.
type Seen = BTreeMap<String, (usize, i64, u64)>;

/// What [`super::replicas::check_replicas`] compares first, for one file: fingerprints only
/// for the replicas in `shared`.
fn seen(
    store: &Store,
    snap: &Snapshot,
    bulk: &BTreeMap<String, Stat>,
    shared: &BTreeSet<String>,
) -> Result<Seen, MergeError> {
    let mut out: Seen = BTreeMap::new();
    for (spec, table) in TABLES.iter().zip(&snap.tables) {
        if spec.kind != Kind::Versioned || is_bulk(spec.name) {
            continue;
        }
        for row in table.values() {
            let replica = row.replica(spec);
            let e = out.entry(replica.to_owned()).or_insert((0, i64::MIN, 0));
            e.0 += 1;
            e.1 = e.1.max(row.hlc(spec));
            if shared.contains(replica) {
                let mut h = DefaultHasher::new();
                spec.name.hash(&mut h);
                for v in &row.values {
                    hash_ref(&mut h, ValueRef::from(v));
                }
                e.2 = e.2.wrapping_add(h.finish());
            }
        }
    }
    for (replica, s) in bulk {
        let e = out.entry(replica.clone()).or_insert((0, i64::MIN, 0));
        e.0 += s.count;
        e.1 = e.1.max(s.max);
    }
    let mine: Vec<&String> = shared.iter().filter(|r| bulk.contains_key(*r)).collect();
    if mine.is_empty() {
        return Ok(out);
    }
    let sql = sql_err(store.path());
    let marks = vec!["?"; mine.len()].join(", ");
    for spec in TABLES.iter().filter(|s| is_bulk(s.name)) {
        let n = spec.columns().len();
        let mut stmt = store
            .conn()
            .prepare(&format!(
                "SELECT {} FROM {} WHERE replica IN ({marks})",
                spec.columns().join(", "),
                spec.name
            ))
            .map_err(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(mine.iter())).map_err(&sql)?;
        while let Some(r) = rows.next().map_err(&sql)? {
            let mut h = DefaultHasher::new();
            spec.name.hash(&mut h);
            for i in 0..n {
                hash_ref(&mut h, r.get_ref(i).map_err(&sql)?);
            }
            if let ValueRef::Text(rep) = r.get_ref(n - 1).map_err(&sql)?
                && let Some(e) = out.get_mut(String::from_utf8_lossy(rep).as_ref())
            {
                e.2 = e.2.wrapping_add(h.finish());
            }
        }
    }
    Ok(out)
}

/// Whether the bulk path gives exactly the in-memory result (see the module comment); when it
/// does, the paths to attach, in input order.
pub(super) fn eligible(
    stores: &[Store],
    inputs: &[Snapshot],
    bulk: &[BTreeMap<String, Stat>],
    any_fix: bool,
) -> Result<Option<Vec<String>>, MergeError> {
    if any_fix || stores.len() != inputs.len() || bulk.len() != inputs.len() {
        return Ok(None);
    }
    let Some(paths) = stores.iter().map(attachable).collect::<Option<Vec<String>>>() else {
        return Ok(None);
    };
    // Any implausible stamp: the in-memory path refuses it (or fixes it) exactly as before.
    let history = table_index("case_field_history");
    for (snap, stats) in inputs.iter().zip(bulk) {
        let window = Window::of_snapshot(snap);
        for (t, (spec, table)) in TABLES.iter().zip(&snap.tables).enumerate() {
            if spec.kind != Kind::Versioned && Some(t) != history {
                continue;
            }
            let hlc = spec.col("hlc");
            for row in table.values() {
                if let Some(rusqlite::types::Value::Integer(h)) = hlc.and_then(|i| row.values.get(i))
                    && !window.contains_in(spec.name, *h)
                {
                    return Ok(None);
                }
            }
        }
        if stats
            .values()
            .any(|s| !window.contains(s.min) || !window.contains(s.max))
        {
            return Ok(None);
        }
    }
    // Replicas that write in more than one input are the only ones that can diverge.
    let mut files: BTreeMap<String, usize> = BTreeMap::new();
    for (snap, stats) in inputs.iter().zip(bulk) {
        let mut here: BTreeSet<String> = snap.replicas();
        here.extend(stats.keys().cloned());
        for r in here {
            *files.entry(r).or_default() += 1;
        }
    }
    let shared: BTreeSet<String> = files.into_iter().filter(|(_, n)| *n > 1).map(|(r, _)| r).collect();
    if shared.is_empty() {
        return Ok(Some(paths));
    }
    let mut first: BTreeMap<String, (usize, i64, u64)> = BTreeMap::new();
    for ((store, snap), stats) in stores.iter().zip(inputs).zip(bulk) {
        for (replica, s) in seen(store, snap, stats, &shared)? {
            if !shared.contains(&replica) {
                continue;
            }
            match first.get(&replica) {
                Some(f) if *f != s => return Ok(None),
                Some(_) => {}
                None => {
                    first.insert(replica, s);
                }
            }
        }
    }
    Ok(Some(paths))
}

/// Copies the bulk tables of every input (attached one at a time) into the output open on
/// `conn`, the greater (stamp, replica) winning; returns the (added, updated, unchanged)
/// counts of `sheet` and `finding` against the inputs as a set (see [`super::Counts`]), the newest stamp copied and the
/// "sheets on different rubric versions" conflicts (the only conflicts the bulk tables give).
pub(super) fn copy_bulk(
    conn: &mut Connection,
    paths: &[String],
    result: &Snapshot,
    progress: &mut dyn FnMut(Progress),
) -> rusqlite::Result<(BTreeMap<&'static str, super::Counts>, i64, Vec<Conflict>)> {
    let specs: Vec<_> = TABLES.iter().filter(|s| is_bulk(s.name)).collect();
    let statements: Vec<String> = specs
        .iter()
        .map(|spec| {
            let cols = spec.columns().join(", ");
            let set: Vec<String> = spec.columns().iter().map(|c| format!("{c} = excluded.{c}")).collect();
            debug_assert!(spec.kind == Kind::Versioned);
            format!(
                "INSERT INTO main.{0} ({cols}) SELECT {cols} FROM src.{0} WHERE true
                 ON CONFLICT ({1}) DO UPDATE SET {2}
                 WHERE (excluded.hlc, excluded.replica) > ({0}.hlc, {0}.replica)",
                spec.name,
                spec.key.join(", "),
                set.join(", ")
            )
        })
        .collect();
    // Per counted record: the winning (stamp, replica) so far, how many inputs hold the record
    // and how many hold the winner (the counts of `super::Counts`, kept while copying).
    let counted: Vec<&str> = specs
        .iter()
        .map(|s| s.name)
        .filter(|n| *n == "sheet" || *n == "finding")
        .collect();
    let mut tallies = Vec::new();
    for spec in specs.iter().filter(|s| counted.contains(&s.name)) {
        let keys = spec.key.join(", ");
        conn.execute_batch(&format!(
            "CREATE TEMP TABLE tally_{0} AS SELECT {keys}, hlc, replica, 0 AS seen, 0 AS same FROM main.{0} WHERE false;
             CREATE UNIQUE INDEX temp.tally_{0}_key ON tally_{0} ({keys});",
            spec.name
        ))?;
        tallies.push(format!(
            "INSERT INTO temp.tally_{0} ({keys}, hlc, replica, seen, same)
             SELECT {keys}, hlc, replica, 1, 1 FROM src.{0} WHERE true
             ON CONFLICT ({keys}) DO UPDATE SET
               seen = seen + 1,
               same = CASE WHEN (excluded.hlc, excluded.replica) > (hlc, replica) THEN 1
                           WHEN (excluded.hlc, excluded.replica) = (hlc, replica) THEN same + 1
                           ELSE same END,
               hlc = CASE WHEN (excluded.hlc, excluded.replica) > (hlc, replica) THEN excluded.hlc ELSE hlc END,
               replica = CASE WHEN (excluded.hlc, excluded.replica) > (hlc, replica) THEN excluded.replica ELSE replica END",
            spec.name
        ));
    }
    let total = paths.len() as u64;
    for (i, path) in paths.iter().enumerate() {
        // ATTACH cannot run inside a transaction: one transaction per input. The output is a
        // temporary file with no journal, thrown away on failure and synced before the rename.
        conn.execute("ATTACH ?1 AS src", [reading::uri(Path::new(path), Access::Untouched)])?;
        let copied = (|| {
            let tx = conn.transaction()?;
            for sql in statements.iter().chain(&tallies) {
                tx.execute(sql, [])?;
            }
            tx.commit()
        })();
        conn.execute("DETACH src", [])?;
        copied?;
        progress(Progress::Writing {
            done: i as u64 + 1,
            total,
        });
    }
    let mut counts = BTreeMap::new();
    let n = paths.len();
    for name in counted {
        let mut c = super::Counts::default();
        {
            let mut stmt = conn.prepare(&format!("SELECT seen, same FROM temp.tally_{name}"))?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (seen, same) = row?;
                let n_of = |x: i64| usize::try_from(x).unwrap_or(0);
                c.count(n_of(seen), n_of(same), n);
            }
        }
        conn.execute_batch(&format!("DROP TABLE temp.tally_{name}"))?;
        counts.insert(name, c);
    }
    let mut max_stamp = i64::MIN;
    for spec in &specs {
        let m: Option<i64> = conn.query_row(&format!("SELECT MAX(hlc) FROM main.{}", spec.name), [], |r| r.get(0))?;
        if let Some(m) = m {
            max_stamp = max_stamp.max(m);
        }
    }
    if max_stamp > i64::MIN {
        conn.execute("UPDATE local_clock SET last = MAX(last, ?1) WHERE id = 1", [max_stamp])?;
    }
    // Sheets of one case on different rubric versions: the merged sheets with the result's
    // cases and rubrics.
    let mut view = Snapshot::empty(result.path.clone());
    let mut conflicts = Vec::new();
    if let (Some(c), Some(r), Some(sh)) = (table_index("case_record"), table_index("rubric"), table_index("sheet")) {
        view.tables[c].clone_from(&result.tables[c]);
        view.tables[r].clone_from(&result.tables[r]);
        let spec = &TABLES[sh];
        let n = spec.columns().len();
        let mut stmt = conn.prepare(&format!("SELECT {} FROM main.sheet", spec.columns().join(", ")))?;
        let rows = stmt.query_map([], |r| {
            (0..n)
                .map(|i| r.get::<_, rusqlite::types::Value>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        let positions = spec.key_positions();
        for values in rows {
            let row = Row { values: values? };
            view.tables[sh].insert(row.key_at(&positions), row);
        }
        derived_conflicts(&view, &mut conflicts);
        conflicts.retain(|c| matches!(c, Conflict::SheetRubrics { .. }));
    }
    Ok((counts, max_stamp, conflicts))
}
