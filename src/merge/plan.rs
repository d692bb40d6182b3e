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
use super::model::{Key, Kind, Row, Snapshot, TABLES, TableSpec, table_index};
use crate::lang::{Lang, Localized};
use crate::store::ids::normalise_case_no;
use rusqlite::types::Value;
use std::cmp::Ordering;
use std::collections::btree_map::Entry;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

/// Something the merge resolved but people should look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// Two laptops set one metadata field of a case to different values without seeing each
    /// other's edit. The newer value is kept; the other is in the field's history.
    Field {
        /// 案号.
        case_no: String,
        /// Field key.
        key: String,
        /// The value kept.
        kept: String,
        /// The replica that wrote it.
        kept_replica: String,
        /// The value that lost.
        lost: String,
        /// The replica that wrote it.
        lost_replica: String,
    },
    /// One case number under several case ids.
    CaseNumber {
        /// The normalised case number.
        case_no: String,
        /// The ids.
        ids: Vec<String>,
    },
    /// One rubric id stored with different contents.
    RubricContent {
        /// The rubric id.
        rubric_id: String,
        /// (content hash, version) of each content.
        versions: Vec<(String, String)>,
    },
    /// Sheets of one case scored against different rubric versions.
    SheetRubrics {
        /// 案号.
        case_no: String,
        /// (reviewer, stage, rubric version) of each sheet.
        sheets: Vec<(String, String, String)>,
    },
}

impl Localized for Conflict {
    fn localized(&self, lang: Lang) -> String {
        use super::error::short;
        let zh = lang == Lang::Zh;
        match self {
            Conflict::Field {
                case_no,
                key,
                kept,
                kept_replica,
                lost,
                lost_replica,
            } if zh => format!(
                "案件「{case_no}」字段 {key}：两处改为不同的值，保留较新的「{kept}」（副本 {}），「{lost}」（副本 {}）已存入历史",
                short(kept_replica),
                short(lost_replica)
            ),
            Conflict::Field {
                case_no,
                key,
                kept,
                kept_replica,
                lost,
                lost_replica,
            } => format!(
                "case {case_no}, field {key}: set to different values on two laptops; kept the newer `{kept}` (replica {}), `{lost}` (replica {}) is in the history",
                short(kept_replica),
                short(lost_replica)
            ),
            Conflict::CaseNumber { case_no, ids } if zh => {
                format!(
                    "案号「{case_no}」对应多个案件编号：{}",
                    ids.iter().map(|i| short(i)).collect::<Vec<_>>().join("、")
                )
            }
            Conflict::CaseNumber { case_no, ids } => format!(
                "case number {case_no} has several case ids: {}",
                ids.iter().map(|i| short(i)).collect::<Vec<_>>().join(", ")
            ),
            Conflict::RubricContent { rubric_id, versions } => {
                let list = versions
                    .iter()
                    .map(|(h, v)| format!("{v} ({})", short(h)))
                    .collect::<Vec<_>>()
                    .join(if zh { "、" } else { ", " });
                if zh {
                    format!("评查标准 {rubric_id} 有不同内容的多个文本：{list}")
                } else {
                    format!("rubric {rubric_id} is stored with different contents: {list}")
                }
            }
            Conflict::SheetRubrics { case_no, sheets } => {
                let list = sheets
                    .iter()
                    .map(|(r, s, v)| format!("{r}（{s}）{v}"))
                    .collect::<Vec<_>>()
                    .join(if zh { "、" } else { ", " });
                if zh {
                    format!("案件「{case_no}」的评查表依据了不同版本的评查标准：{list}")
                } else {
                    format!("case {case_no} has sheets scored against different rubric versions: {list}")
                }
            }
        }
    }
}

/// Added / updated / unchanged counts of one kind of record, relative to the base file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Not in the base file.
    pub added: usize,
    /// In the base file with another version.
    pub updated: usize,
    /// In the base file as is.
    pub unchanged: usize,
}

/// What the merge did, relative to its base (the first input, or the file folded into).
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

/// Plans the merge of `inputs`; the first is the base the counts are relative to.
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
    let mut stats = Stats {
        files: inputs.len(),
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
        union_table(spec, taken, &mut result.tables[t], counts);
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

/// Where a record of the result stands relative to the base.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Base,
    BaseReplaced,
    Added,
}

/// The union of one table's inputs into `out` (greatest version wins), counting against the
/// first input.
fn union_table(
    spec: &TableSpec,
    inputs: Vec<BTreeMap<Key, Row>>,
    out: &mut BTreeMap<Key, Row>,
    counts: Option<&mut Counts>,
) {
    let mut merged: BTreeMap<Key, (Row, Origin)> = BTreeMap::new();
    for (i, table) in inputs.into_iter().enumerate() {
        for (key, row) in table {
            match merged.entry(key) {
                Entry::Vacant(v) => {
                    v.insert((row, if i == 0 { Origin::Base } else { Origin::Added }));
                }
                Entry::Occupied(mut o) => {
                    let (old, origin) = o.get_mut();
                    if row.rank(old, spec) == Ordering::Greater {
                        *old = row;
                        if *origin == Origin::Base {
                            *origin = Origin::BaseReplaced;
                        }
                    }
                }
            }
        }
    }
    if let Some(c) = counts {
        for (_, origin) in merged.values() {
            match origin {
                Origin::Base => c.unchanged += 1,
                Origin::BaseReplaced => c.updated += 1,
                Origin::Added => c.added += 1,
            }
        }
    }
    // Already in key order: collecting builds the map in bulk.
    *out = merged.into_iter().map(|(key, (row, _))| (key, row)).collect();
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
                values: hist.columns.iter().map(|c| column(spec, loser, c)).collect(),
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
                conflicts.push(Conflict::Field {
                    case_no: case_nos.get(case_id).cloned().unwrap_or_else(|| case_id.to_owned()),
                    key: winner.text(spec, "key").to_owned(),
                    kept: kept.to_owned(),
                    kept_replica: winner.replica(spec).to_owned(),
                    lost: lost.to_owned(),
                    lost_replica: loser.replica(spec).to_owned(),
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

/// Conflicts visible in the merged records themselves.
fn derived_conflicts(result: &Snapshot, out: &mut Vec<Conflict>) {
    let (Some(c), Some(r), Some(sh)) = (table_index("case_record"), table_index("rubric"), table_index("sheet")) else {
        return;
    };
    let (cs, rs, ss) = (&TABLES[c], &TABLES[r], &TABLES[sh]);
    let live = |spec, row: &Row| row.int(spec, "deleted") == 0;
    let mut by_no: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut case_no: HashMap<&str, &str> = HashMap::new();
    for row in result.tables[c].values().filter(|r| live(cs, r)) {
        by_no
            .entry(normalise_case_no(row.text(cs, "case_no")))
            .or_default()
            .push(row.text(cs, "id").to_owned());
        case_no.insert(row.text(cs, "id"), row.text(cs, "case_no"));
    }
    for (no, ids) in by_no.into_iter().filter(|(_, ids)| ids.len() > 1) {
        out.push(Conflict::CaseNumber { case_no: no, ids });
    }
    let mut by_rubric: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    let mut version: HashMap<&str, &str> = HashMap::new();
    for row in result.tables[r].values() {
        by_rubric
            .entry(row.text(rs, "rubric_id"))
            .or_default()
            .push((row.text(rs, "hash").to_owned(), row.text(rs, "version").to_owned()));
        version.insert(row.text(rs, "hash"), row.text(rs, "version"));
    }
    for (id, versions) in by_rubric.into_iter().filter(|(_, v)| v.len() > 1) {
        out.push(Conflict::RubricContent {
            rubric_id: id.to_owned(),
            versions,
        });
    }
    let mut by_case: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in result.tables[sh].values().filter(|r| live(ss, r)) {
        by_case.entry(row.text(ss, "case_id")).or_default().push(row);
    }
    for (case, sheets) in by_case {
        let hashes: BTreeSet<&str> = sheets.iter().map(|s| s.text(ss, "rubric_hash")).collect();
        if hashes.len() > 1 {
            out.push(Conflict::SheetRubrics {
                case_no: case_no.get(case).copied().unwrap_or(case).to_owned(),
                sheets: sheets
                    .iter()
                    .map(|s| {
                        let h = s.text(ss, "rubric_hash");
                        (
                            s.text(ss, "reviewer").to_owned(),
                            s.text(ss, "stage").to_owned(),
                            version.get(h).map_or_else(|| h.to_owned(), |v| (*v).to_owned()),
                        )
                    })
                    .collect(),
            });
        }
    }
}

/// Refuses two inputs in which one replica id wrote diverging histories.
///
/// A replica writes one linear history, so any file holding its write at stamp `t` knows all
/// its earlier writes (as they are, or superseded by a greater version). For every record a
/// replica wrote in file B at a stamp no later than the newest stamp of that replica in file A,
/// A must hold the same record or a greater version of it. A stale copy passes; a cloned file
/// edited in two places does not. Replicas whose records are identical in both files are
/// skipped by comparing a fingerprint first.
fn check_replicas(inputs: &[Snapshot]) -> Result<(), MergeError> {
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
