//! Refusing a replica id that two diverging copies of one file wrote under.

use super::MergeError;
use super::model::{Key, Kind, Row, Snapshot, TABLES, TableSpec, table_index};
use rusqlite::types::Value;
use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

/// The grow-only tables that keep superseded versions of another (versioned) table, each with
/// the table it keeps them for. Their rows carry the stamp and replica of the version kept, not
/// of a write of their own; they are checked with their table (see [`known_in`]).
const VERSION_HISTORIES: &[(&str, &str)] = &[("case_field", "case_field_history")];

/// The stamp and replica of the write a row records: every versioned record, and every row of
/// a grow-only set that records one write of its own (a ledger entry's history line). `None`
/// for sets without a writer (rubrics, clock fixes, prior problems) and for kept versions.
fn written<'a>(spec: &TableSpec, row: &'a Row) -> Option<(i64, &'a str)> {
    if spec.kind == Kind::Versioned {
        return Some((row.hlc(spec), row.replica(spec)));
    }
    if VERSION_HISTORIES.iter().any(|(_, h)| *h == spec.name) {
        return None;
    }
    match (spec.col("hlc"), spec.col("replica")) {
        (Some(h), Some(r)) => match (row.values.get(h), row.values.get(r)) {
            (Some(Value::Integer(hlc)), Some(Value::Text(replica))) => Some((*hlc, replica.as_str())),
            _ => None,
        },
        _ => None,
    }
}

/// Refuses two inputs in which one replica id wrote diverging histories.
///
/// A replica writes one linear history, so any file holding its write at stamp `t` knows all
/// its earlier writes (as they are, or superseded by a greater version). For every record a
/// replica wrote in file B at a stamp no later than the newest stamp of that replica in file A,
/// A must know it: hold the same record; or, for a versioned record, a greater version of it,
/// which for a case field must also keep B's value (in the field or its history, where every
/// overwritten or merged-away value goes); or, for a grow-only set, the same row. A stale copy
/// passes; a cloned file edited in two places does not, whichever merged table the edits are in.
/// A record of a case A does not hold at all is not asked of A (a need-to-know copy, see
/// [`super::pack::pack_only`]): absence is "not known", never a deletion. Replicas whose records are identical in both files are skipped by comparing a fingerprint
/// first.
pub(super) fn check_replicas(inputs: &[Snapshot]) -> Result<(), MergeError> {
    struct Seen {
        max: i64,
        count: usize,
        print: u64,
    }
    // Only replicas that write in more than one input can diverge; fingerprint only those.
    let mut in_files: HashMap<String, usize> = HashMap::new();
    for s in inputs {
        for r in s.replicas() {
            *in_files.entry(r).or_default() += 1;
        }
    }
    let shared: BTreeSet<String> = in_files.into_iter().filter(|(_, n)| *n > 1).map(|(r, _)| r).collect();
    let mut seen: Vec<HashMap<&str, Seen>> = Vec::with_capacity(inputs.len());
    for s in inputs {
        let mut m: HashMap<&str, Seen> = HashMap::new();
        for (spec, table) in TABLES.iter().zip(&s.tables) {
            for row in table.values() {
                let Some((hlc, replica)) = written(spec, row) else {
                    continue;
                };
                let e = m.entry(replica).or_insert(Seen {
                    max: i64::MIN,
                    count: 0,
                    print: 0,
                });
                e.max = e.max.max(hlc);
                e.count += 1;
                if shared.contains(replica) {
                    e.print = e.print.wrapping_add(fingerprint(spec.name, &row.values));
                }
            }
        }
        seen.push(m);
    }
    for (b, sb) in inputs.iter().enumerate() {
        for (a, sa) in inputs.iter().enumerate() {
            if a == b {
                continue;
            }
            let suspects: BTreeSet<&str> = seen[b]
                .iter()
                .filter(|(r, x)| {
                    seen[a]
                        .get(*r)
                        .is_some_and(|y| (x.count, x.print, x.max) != (y.count, y.print, y.max))
                })
                .map(|(r, _)| *r)
                .collect();
            if suspects.is_empty() {
                continue;
            }
            for (t, spec) in TABLES.iter().enumerate() {
                for (key, row) in &sb.tables[t] {
                    let Some((hlc, replica)) = written(spec, row) else {
                        continue;
                    };
                    if !suspects.contains(replica) {
                        continue;
                    }
                    let max_a = seen[a].get(replica).map_or(i64::MIN, |s| s.max);
                    if hlc > max_a {
                        continue;
                    }
                    if !known_in(sa, t, key, row) && !withheld_from(sa, sb, t, row) {
                        let (first, second) = if a < b { (sa, sb) } else { (sb, sa) };
                        return Err(MergeError::ClonedReplica {
                            replica: replica.to_owned(),
                            first: first.path.clone(),
                            second: second.path.clone(),
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

/// Whether file `a` knows `row` (key `key` of table `t`), written in another file by a replica
/// whose later writes `a` holds (see [`check_replicas`]).
fn known_in(a: &Snapshot, t: usize, key: &Key, row: &Row) -> bool {
    let spec = &TABLES[t];
    let Some(other) = a.tables[t].get(key) else {
        return false;
    };
    if spec.kind != Kind::Versioned {
        return other == row;
    }
    let by_stamp = (other.hlc(spec), other.replica(spec)).cmp(&(row.hlc(spec), row.replica(spec)));
    match by_stamp {
        Ordering::Equal => other == row,
        Ordering::Less => false,
        Ordering::Greater => match VERSION_HISTORIES.iter().find(|(f, _)| *f == spec.name) {
            None => true,
            Some((_, history)) => keeps_value(a, spec, history, other, row),
        },
    }
}

/// Whether `row` (of table `t` in file `b`) is a record of a case that file `a` does not hold at
/// all: a copy handed out for need-to-know leaves other cases out entirely, and such a file
/// does not know those cases' records rather than having diverged from them. A file holding
/// the case (even withdrawn: its record is a tombstone) is checked as before.
fn withheld_from(a: &Snapshot, b: &Snapshot, t: usize, row: &Row) -> bool {
    let spec = &TABLES[t];
    let text_key = |s: &str| Key(vec![Value::Text(s.to_owned())]);
    let via = |table: &str, id: &str| -> Option<String> {
        let i = table_index(table)?;
        let owner = b.tables[i].get(&text_key(id))?;
        Some(owner.text(&TABLES[i], "case_id").to_owned())
    };
    let case = match spec.name {
        "case_record" => Some(row.text(spec, "id").to_owned()),
        "decision" | "finding" | "mark" => via("sheet", row.text(spec, "sheet_id")),
        "ledger_history" => via("ledger_entry", row.text(spec, "entry_id")),
        _ if spec.col("case_id").is_some() => Some(row.text(spec, "case_id").to_owned()),
        _ => None,
    };
    let Some(case) = case.filter(|c| !c.is_empty()) else {
        return false;
    };
    table_index("case_record").is_some_and(|c| !a.tables[c].contains_key(&text_key(&case)))
}

/// Whether a file whose case field is at `newer` still has the value of the older version
/// `row`: in the field itself, or in the field's history at `row`'s stamp or later. An
/// overwrite by the same value writes no history, so a later version with that value counts
/// too, whoever wrote it: a laptop that merged `row` and saved the field unchanged holds the
/// value under its own replica, and once that version is merged away, the history keeps it
/// under that replica.
fn keeps_value(a: &Snapshot, spec: &TableSpec, history: &str, newer: &Row, row: &Row) -> bool {
    let value = row.text(spec, "value");
    if newer.text(spec, "value") == value {
        return true;
    }
    let Some(h) = table_index(history) else {
        return true;
    };
    let hist = &TABLES[h];
    let (case_id, field) = (row.text(spec, "case_id"), row.text(spec, "key"));
    a.tables[h].values().any(|kept| {
        kept.text(hist, "case_id") == case_id
            && kept.text(hist, "key") == field
            && kept.text(hist, "value") == value
            && kept.int(hist, "hlc") >= row.hlc(spec)
    })
}

/// A hash of one record (deterministic across runs).
fn fingerprint(table: &str, values: &[Value]) -> u64 {
    let mut h = DefaultHasher::new();
    table.hash(&mut h);
    for v in values {
        match v {
            Value::Null => 0u8.hash(&mut h),
            Value::Integer(n) => (1u8, n).hash(&mut h),
            Value::Real(x) => (2u8, x.to_bits()).hash(&mut h),
            Value::Text(s) => (3u8, s).hash(&mut h),
            Value::Blob(b) => (4u8, b).hash(&mut h),
        }
    }
    h.finish()
}
