//! Refusing a replica id that two diverging copies of one file wrote under.

use super::MergeError;
use super::model::{Kind, Snapshot, TABLES};
use rusqlite::types::Value;
use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

/// Refuses two inputs in which one replica id wrote diverging histories.
///
/// A replica writes one linear history, so any file holding its write at stamp `t` knows all
/// its earlier writes (as they are, or superseded by a greater version). For every record a
/// replica wrote in file B at a stamp no later than the newest stamp of that replica in file A,
/// A must hold the same record or a greater version of it. A stale copy passes; a cloned file
/// edited in two places does not. Replicas whose records are identical in both files are
/// skipped by comparing a fingerprint first.
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
            if spec.kind != Kind::Versioned {
                continue;
            }
            for row in table.values() {
                let e = m.entry(row.replica(spec)).or_insert(Seen {
                    max: i64::MIN,
                    count: 0,
                    print: 0,
                });
                e.max = e.max.max(row.hlc(spec));
                e.count += 1;
                if shared.contains(row.replica(spec)) {
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
                if spec.kind != Kind::Versioned {
                    continue;
                }
                for (key, row) in &sb.tables[t] {
                    let replica = row.replica(spec);
                    if !suspects.contains(replica) {
                        continue;
                    }
                    let max_a = seen[a].get(replica).map_or(i64::MIN, |s| s.max);
                    if row.hlc(spec) > max_a {
                        continue;
                    }
                    let fine = sa.tables[t].get(key).is_some_and(|other| {
                        let by_stamp = (other.hlc(spec), other.replica(spec)).cmp(&(row.hlc(spec), replica));
                        by_stamp == Ordering::Greater || (by_stamp == Ordering::Equal && other == row)
                    });
                    if !fine {
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
