//! Pure planning: which version of every record wins, what is kept in history, what is
//! reported. No I/O; the inputs are [`Snapshot`]s.
//!
//! The rule is a state-based CRDT's: the union of records by primary key, and for one key the
//! version with the greater (stamp, replica) wins. A delete is a version like any other, so a
//! newer tombstone beats older copies and an older copy never brings a record back. Set tables
//! (rubrics by hash, field history, clock fixes) are plain unions. Max and union are
//! commutative, associative and idempotent, so the result does not depend on the order, the
//! grouping or repeats of the inputs.

use super::MergeError;
use super::conflict::{Conflict, derived_conflicts};
use super::model::{Key, Kind, Row, Snapshot, TABLES, TableSpec, table_index};
use super::replicas::check_replicas;
use rusqlite::types::Value;
use std::cmp::Ordering;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Added / updated / unchanged counts of one kind of record of the result, relative to the
/// inputs as a set: every record falls in exactly one, and the counts depend neither on the
/// order of the inputs nor on repeats of one (a count relative to the first input would change
/// with the order the files were given in).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Missing from at least one input: the merge adds it there.
    pub added: usize,
    /// In every input, in at least one with an older version: the merge updates it there.
    pub updated: usize,
    /// In every input as is.
    pub unchanged: usize,
}

impl Counts {
    /// The count for one record of the result, held by `seen` of `inputs` inputs, `same` of
    /// them in its winning version.
    pub(super) fn count(&mut self, seen: usize, same: usize, inputs: usize) {
        if seen < inputs {
            self.added += 1;
        } else if same < inputs {
            self.updated += 1;
        } else {
            self.unchanged += 1;
        }
    }
}

/// What the merge did, relative to its inputs as a set (see [`Counts`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Input files, the base included.
    pub files: usize,
    /// Cases.
    pub cases: Counts,
    /// Sheets.
    pub sheets: Counts,
    /// Findings.
    pub findings: Counts,
}

/// The planned result.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Every record of the result.
    pub result: Snapshot,
    /// What to report.
    pub conflicts: Vec<Conflict>,
    /// Counts for the summary.
    pub stats: Stats,
    /// The greatest stamp in the result: the output's clock starts there.
    pub max_stamp: i64,
}

/// Plans the merge of `inputs` (the first names the result's path).
///
/// Refuses inputs of different rounds and a replica id used by two diverging copies. The
/// inputs are consumed: their rows move into the result without copying.
pub fn plan(mut inputs: Vec<Snapshot>) -> Result<Plan, MergeError> {
    let first = inputs.first().ok_or(MergeError::NoInputs)?;
    for s in &inputs {
        same_round(first, s)?;
    }
    check_replicas(&inputs)?;
    let mut result = Snapshot::empty(first.path.clone());
    result.round_id = first.round_id.clone();
    result.round_stamp = inputs.iter().map(|s| s.round_stamp).min().unwrap_or(0);
    let mut conflicts = Vec::new();
    let field = table_index("case_field");
    let history = table_index("case_field_history");
    if let (Some(f), Some(h)) = (field, history) {
        merge_fields(&inputs, &mut result, f, h, &mut conflicts);
    }
    let files = inputs.len();
    let mut stats = Stats {
        files,
        ..Stats::default()
    };
    for (t, spec) in TABLES.iter().enumerate() {
        if Some(t) == field {
            continue;
        }
        let counts = match spec.name {
            "case_record" => Some(&mut stats.cases),
            "sheet" => Some(&mut stats.sheets),
            "finding" => Some(&mut stats.findings),
            _ => None,
        };
        let mut taken: Vec<BTreeMap<Key, Row>> = inputs.iter_mut().map(|s| std::mem::take(&mut s.tables[t])).collect();
        // Rows already planned for this table (the field history's losers) join the union.
        taken.push(std::mem::take(&mut result.tables[t]));
        union_table(spec, taken, &mut result.tables[t], counts.map(|c| (c, files)));
    }
    derived_conflicts(&result, &mut conflicts);
    let max_stamp = TABLES
        .iter()
        .zip(&result.tables)
        .filter(|(spec, _)| spec.kind == Kind::Versioned)
        .flat_map(|(spec, table)| table.values().map(|r| r.hlc(spec)))
        .chain([result.round_stamp])
        .max()
        .unwrap_or(0);
    Ok(Plan {
        result,
        conflicts,
        stats,
        max_stamp,
    })
}

/// The union of one table's inputs into `out` (greatest version wins), counting each record
/// of the result against `n` inputs when `counts` is given (see [`Counts`]).
fn union_table(
    spec: &TableSpec,
    inputs: Vec<BTreeMap<Key, Row>>,
    out: &mut BTreeMap<Key, Row>,
    counts: Option<(&mut Counts, usize)>,
) {
    // Per key: the winner so far, how many inputs hold the key, how many hold the winner.
    let mut merged: BTreeMap<Key, (Row, usize, usize)> = BTreeMap::new();
    for table in inputs {
        for (key, row) in table {
            match merged.entry(key) {
                Entry::Vacant(v) => {
                    v.insert((row, 1, 1));
                }
                Entry::Occupied(mut o) => {
                    let (old, seen, same) = o.get_mut();
                    *seen += 1;
                    match row.rank(old, spec) {
                        Ordering::Greater => {
                            *old = row;
                            *same = 1;
                        }
                        Ordering::Equal => *same += 1,
                        Ordering::Less => {}
                    }
                }
            }
        }
    }
    if let Some((c, n)) = counts {
        for (_, seen, same) in merged.values() {
            c.count(*seen, *same, n);
        }
    }
    // Already in key order: collecting builds the map in bulk.
    *out = merged.into_iter().map(|(key, (row, _, _))| (key, row)).collect();
}

/// Refuses `other` when it belongs to another round than `first`.
pub fn same_round(first: &Snapshot, other: &Snapshot) -> Result<(), MergeError> {
    if other.round_id == first.round_id {
        return Ok(());
    }
    let name = |s: &Snapshot| {
        table_index("round")
            .and_then(|t| {
                s.tables[t]
                    .values()
                    .next()
                    .map(|r| r.text(&TABLES[t], "name").to_owned())
            })
            .unwrap_or_default()
    };
    Err(MergeError::DifferentRound {
        path: other.path.clone(),
        name: name(other),
        first: first.path.clone(),
        first_name: name(first),
    })
}

/// Case fields: the newest version wins; every other version goes to the history; two values
/// that did not see each other are reported.
fn merge_fields(inputs: &[Snapshot], result: &mut Snapshot, f: usize, h: usize, conflicts: &mut Vec<Conflict>) {
    let spec = &TABLES[f];
    let mut versions: BTreeMap<&Key, Vec<(usize, &Row)>> = BTreeMap::new();
    for (i, s) in inputs.iter().enumerate() {
        for (k, row) in &s.tables[f] {
            versions.entry(k).or_default().push((i, row));
        }
    }
    let case_nos = case_numbers(inputs);
    let labels = field_labels(inputs);
    let names = replica_names(inputs);
    let by = |replica: &str| {
        names
            .get(replica)
            .map(|n| n.iter().cloned().collect())
            .unwrap_or_default()
    };
    let hist = &TABLES[h];
    let mut reported = BTreeSet::new();
    for (key, list) in versions {
        let Some(&(_, winner)) = list.iter().max_by(|a, b| a.1.rank(b.1, spec)) else {
            continue;
        };
        result.put(f, winner.clone());
        let holders: Vec<usize> = list.iter().filter(|(_, r)| *r == winner).map(|(i, _)| *i).collect();
        for &(_, loser) in &list {
            if loser.rank(winner, spec) == Ordering::Equal {
                continue;
            }
            let history_row = Row {
                values: hist.columns().iter().map(|c| column(spec, loser, c)).collect(),
            };
            let known = holders
                .iter()
                .any(|&i| inputs[i].tables[h].contains_key(&history_row.key(hist)));
            let (kept, lost) = (winner.text(spec, "value"), loser.text(spec, "value"));
            if !known
                && kept != lost
                && winner.replica(spec) != loser.replica(spec)
                && reported.insert((key.clone(), loser.hlc(spec), loser.replica(spec).to_owned()))
            {
                let case_id = winner.text(spec, "case_id");
                let field = winner.text(spec, "key");
                conflicts.push(Conflict::Field {
                    case_no: case_nos.get(case_id).cloned().unwrap_or_else(|| case_id.to_owned()),
                    key: field.to_owned(),
                    label: labels.get(field).cloned().unwrap_or_else(|| field.to_owned()),
                    kept: kept.to_owned(),
                    kept_replica: winner.replica(spec).to_owned(),
                    kept_by: by(winner.replica(spec)),
                    lost: lost.to_owned(),
                    lost_replica: loser.replica(spec).to_owned(),
                    lost_by: by(loser.replica(spec)),
                });
            }
            result.put(h, history_row);
        }
    }
}

fn column(spec: &TableSpec, row: &Row, name: &str) -> Value {
    spec.col(name)
        .and_then(|i| row.values.get(i))
        .cloned()
        .unwrap_or(Value::Null)
}

/// Field key → its label (承办人 for `handler`) in the inputs' rubrics, so a conflict names
/// the field as people know it. A rubric that does not load is skipped (the key is shown).
fn field_labels(inputs: &[Snapshot]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if let Some(t) = table_index("rubric") {
        for s in inputs {
            for row in s.tables[t].values() {
                if let Ok(rubric) = crate::rubric::load(row.text(&TABLES[t], "source"), "") {
                    for f in &rubric.fields {
                        out.entry(f.key.clone()).or_insert_with(|| f.label.clone());
                    }
                }
            }
        }
    }
    out
}

/// Replica id → who wrote under it: the reviewer each input file records for its own replicas
/// (its `local_replica`), and the reviewers of sheets the replica wrote (when the sheets are
/// in memory). A replica neither names is shown by id.
fn replica_names(inputs: &[Snapshot]) -> HashMap<String, BTreeSet<String>> {
    let mut out: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (_, reviewer, _, replica) in inputs.iter().flat_map(|s| &s.local_replicas) {
        if !reviewer.trim().is_empty() {
            out.entry(replica.clone())
                .or_default()
                .insert(reviewer.trim().to_owned());
        }
    }
    if let Some(t) = table_index("sheet") {
        let spec = &TABLES[t];
        for s in inputs {
            for row in s.tables[t].values() {
                out.entry(row.replica(spec).to_owned())
                    .or_default()
                    .insert(row.text(spec, "reviewer").to_owned());
            }
        }
    }
    out
}

/// Case id → case number over all inputs.
fn case_numbers(inputs: &[Snapshot]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if let Some(t) = table_index("case_record") {
        for s in inputs {
            for row in s.tables[t].values() {
                out.insert(
                    row.text(&TABLES[t], "id").to_owned(),
                    row.text(&TABLES[t], "case_no").to_owned(),
                );
            }
        }
    }
    out
}
