//! Checking stamps against the round's dates, and explicit per-replica corrections.
//!
//! The merge never reads the merging machine's clock. The only trusted date is the round's own
//! creation stamp, carried by every copy of the file. A stamp is *plausible* when it lies in
//! `[round creation, round creation + PLAUSIBLE_DAYS]`: copies are made from the round file, so
//! their hybrid clocks start at its creation stamp and cannot legitimately be earlier, and a
//! review session with its reconciliation is over well within three months. A laptop whose date
//! was set to 2031 stamps everything years ahead, and those stamps would beat every honest edit,
//! so the merge refuses them until the operator passes `--clock-fix REPLICA=±DAYS`. The fix
//! shifts only that replica's implausible stamps (so applying it to a file already corrected
//! changes nothing) and is recorded in the `clock_fix` table of the result.
//!
//! The rectification ledger lives longer than the review: units rectify by deadlines months
//! after the round, and checkers close entries after that. Ledger records (entries and their
//! history) are plausible from the round's creation to the latest rectification deadline in
//! the file plus [`LEDGER_MARGIN_DAYS`] (and never less than the review's window plus that
//! margin), so normal ledger work merges without flags. A history line is what a person saw
//! and did on a day: a clock correction never moves its stamp. It orders the records that
//! win by stamp (the entry itself), and the history line stays as it was written, the
//! correction recorded beside it in `clock_fix`.

use super::MergeError;
use super::model::{Kind, Row, Snapshot, TABLES, table_index};
use crate::store::Stamp;
use crate::store::clock::format_beijing;
use rusqlite::types::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// How many days after the round's creation a stamp is still plausible.
pub const PLAUSIBLE_DAYS: i64 = 90;

/// How many days after the latest rectification deadline (or after the review's window, when
/// no deadline is later) ledger records are still plausible: time for the check and 销号 of
/// the last entries, and for the checker's laptop to be merged.
pub const LEDGER_MARGIN_DAYS: i64 = 180;

/// The tables of the rectification ledger, whose records live as long as the rectification.
const LEDGER_TABLES: &[&str] = &["ledger_entry", "ledger_history"];

/// The history tables whose lines are shown with their stamp's date: a correction is recorded
/// beside them, never applied to them.
const DATED_HISTORY: &[&str] = &["ledger_history"];

const DAY_MS: i64 = 86_400_000;

/// The plausible stamps of a round, in wall-clock milliseconds, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The round's creation.
    pub from_ms: i64,
    /// [`PLAUSIBLE_DAYS`] later: the end for review records.
    pub to_ms: i64,
    /// The end for ledger records: the latest deadline (or `to_ms`) plus [`LEDGER_MARGIN_DAYS`].
    pub ledger_to_ms: i64,
}

impl Window {
    /// The window of a round created at `round_stamp`, before any deadline is known.
    pub fn of_round(round_stamp: i64) -> Window {
        let from_ms = Stamp(round_stamp).millis();
        let to_ms = from_ms + PLAUSIBLE_DAYS * DAY_MS;
        Window {
            from_ms,
            to_ms,
            ledger_to_ms: to_ms + LEDGER_MARGIN_DAYS * DAY_MS,
        }
    }

    /// The window of one file: its round's, with the ledger's end after the latest deadline of
    /// any of its ledger entries.
    pub fn of_snapshot(snap: &Snapshot) -> Window {
        Window::of_round(snap.round_stamp).until(latest_deadline_ms(snap))
    }

    /// The window with the ledger's end moved to `deadline_ms` plus the margin if that is later.
    pub fn until(self, deadline_ms: Option<i64>) -> Window {
        let end = deadline_ms.map_or(self.ledger_to_ms, |d| d + LEDGER_MARGIN_DAYS * DAY_MS);
        Window {
            ledger_to_ms: self.ledger_to_ms.max(end),
            ..self
        }
    }

    /// Whether a stamp of a review record is plausible.
    pub fn contains(&self, stamp: i64) -> bool {
        (self.from_ms..=self.to_ms).contains(&Stamp(stamp).millis())
    }

    /// Whether a stamp of a record of `table` is plausible (ledger records have the longer
    /// window).
    pub fn contains_in(&self, table: &str, stamp: i64) -> bool {
        if LEDGER_TABLES.contains(&table) {
            (self.from_ms..=self.ledger_to_ms).contains(&Stamp(stamp).millis())
        } else {
            self.contains(stamp)
        }
    }

    /// The window as Beijing dates.
    pub fn dates(&self) -> (String, String) {
        (format_beijing(self.from_ms), format_beijing(self.to_ms))
    }

    /// The window of records of `table` as Beijing dates.
    pub fn dates_in(&self, table: &str) -> (String, String) {
        if LEDGER_TABLES.contains(&table) {
            (format_beijing(self.from_ms), format_beijing(self.ledger_to_ms))
        } else {
            self.dates()
        }
    }

    /// The end of the ledger's window as a Beijing date.
    pub fn ledger_end(&self) -> String {
        format_beijing(self.ledger_to_ms)
    }
}

/// The day count since 1970-01-01 of a stored `YYYY-MM-DD` date.
fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let (y, m, d) = (
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    );
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| crate::vocab::days_from_civil(y, m, d))
}

/// The end (Beijing midnight after it) of the latest rectification deadline any version of a
/// ledger entry in the file names, in wall-clock milliseconds.
fn latest_deadline_ms(snap: &Snapshot) -> Option<i64> {
    let t = table_index("ledger_entry")?;
    let spec = &TABLES[t];
    snap.tables[t]
        .values()
        .filter_map(|row| day_number(row.text(spec, "deadline")))
        .max()
        .map(|days| (days + 1) * DAY_MS - 8 * 3_600_000)
}

/// The stamps one replica wrote in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaRange {
    /// The file.
    pub path: PathBuf,
    /// The replica.
    pub replica: String,
    /// Its earliest stamp.
    pub first: i64,
    /// Its latest stamp.
    pub last: i64,
    /// How many records carry its stamps.
    pub records: usize,
    /// Whether every stamp is plausible.
    pub plausible: bool,
}

impl ReplicaRange {
    /// The range as Beijing dates.
    pub fn dates(&self) -> (String, String) {
        (
            format_beijing(Stamp(self.first).millis()),
            format_beijing(Stamp(self.last).millis()),
        )
    }
}

/// Each replica's stamp range in a file, by replica id.
pub fn ranges(snap: &Snapshot, window: Window) -> Vec<ReplicaRange> {
    let mut by: BTreeMap<&str, ReplicaRange> = BTreeMap::new();
    for (spec, table) in TABLES.iter().zip(&snap.tables) {
        if spec.kind != Kind::Versioned {
            continue;
        }
        for row in table.values() {
            let (hlc, replica) = (row.hlc(spec), row.replica(spec));
            let r = by.entry(replica).or_insert_with(|| ReplicaRange {
                path: snap.path.clone(),
                replica: replica.to_owned(),
                first: hlc,
                last: hlc,
                records: 0,
                plausible: true,
            });
            r.first = r.first.min(hlc);
            r.last = r.last.max(hlc);
            r.records += 1;
            r.plausible &= window.contains_in(spec.name, hlc);
        }
    }
    by.into_values().collect()
}

/// An operator's correction: shift `replica`'s implausible stamps by `days`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockFix {
    /// The replica id, or a prefix of it as printed.
    pub replica: String,
    /// Days to add (negative to go back).
    pub days: i64,
}

impl std::str::FromStr for ClockFix {
    type Err = MergeError;

    /// Reads `REPLICA=+DAYS` or `REPLICA=-DAYS`.
    fn from_str(s: &str) -> Result<ClockFix, MergeError> {
        let bad = || MergeError::BadClockFix(s.to_owned());
        let (replica, days) = s.split_once('=').ok_or_else(bad)?;
        let days: i64 = days.trim().trim_start_matches('+').parse().map_err(|_| bad())?;
        if replica.trim().is_empty() || days == 0 || days.abs() > 365 * 100 {
            return Err(bad());
        }
        Ok(ClockFix {
            replica: replica.trim().to_owned(),
            days,
        })
    }
}

/// Resolves each fix's replica (a unique prefix of a replica in the inputs) to its full id.
pub fn resolve(fixes: &[ClockFix], inputs: &[Snapshot]) -> Result<BTreeMap<String, i64>, MergeError> {
    let replicas: std::collections::BTreeSet<String> = inputs.iter().flat_map(Snapshot::replicas).collect();
    let mut out = BTreeMap::new();
    for fix in fixes {
        let mut matching = replicas.iter().filter(|r| r.starts_with(&fix.replica));
        match (matching.next(), matching.next()) {
            (Some(r), None) => {
                out.insert(r.clone(), fix.days);
            }
            _ => return Err(MergeError::BadClockFix(format!("{}={:+}", fix.replica, fix.days))),
        }
    }
    Ok(out)
}

/// Applies the fixes to implausible stamps and refuses any implausible stamp left.
///
/// Deterministic: the result depends only on the rows, the round and the fixes, so every merge
/// order shifts the same records the same way. A fix that shifted something is recorded in the
/// snapshot's `clock_fix` table and returned.
pub fn check_and_fix(snap: &mut Snapshot, fixes: &BTreeMap<String, i64>) -> Result<BTreeMap<String, i64>, MergeError> {
    let window = Window::of_snapshot(snap);
    // History sets carry the stamps of the versions they keep, so their stamps are checked too.
    let histories = [table_index("case_field_history"), table_index("ledger_history")];
    let mut used: BTreeMap<String, i64> = BTreeMap::new();
    for (t, spec) in TABLES.iter().enumerate() {
        if spec.kind != Kind::Versioned && !histories.contains(&Some(t)) {
            continue;
        }
        let (Some(hlc_col), Some(rep_col)) = (spec.col("hlc"), spec.col("replica")) else {
            continue;
        };
        let stamp_of = |row: &Row| match (row.values.get(hlc_col), row.values.get(rep_col)) {
            (Some(Value::Integer(h)), Some(Value::Text(r))) => Some((*h, r.clone())),
            _ => None,
        };
        let mut bad: Vec<Row> = Vec::new();
        for row in snap.tables[t].values() {
            // Only the stamp is looked at here: no copy of the replica id per row.
            if let (Some(Value::Integer(hlc)), Some(Value::Text(_))) =
                (row.values.get(hlc_col), row.values.get(rep_col))
                && !window.contains_in(spec.name, *hlc)
            {
                bad.push(row.clone());
            }
        }
        for mut row in bad {
            let Some((hlc, replica)) = stamp_of(&row) else { continue };
            let refuse = |fix_days| {
                let same: Vec<i64> = snap_stamps(snap, &replica, window, hlc);
                let first = same.iter().min().copied().unwrap_or(hlc);
                let last = same.iter().max().copied().unwrap_or(hlc);
                MergeError::ClockOutOfRange(Box::new(super::OutOfRange {
                    path: snap.path.clone(),
                    replica: replica.clone(),
                    first: format_beijing(Stamp(first).millis()),
                    last: format_beijing(Stamp(last).millis()),
                    window: window.dates_in(spec.name),
                    fix_days,
                }))
            };
            let Some(&days) = fixes.get(&replica) else {
                return Err(refuse(None));
            };
            let shifted = hlc.saturating_add(Stamp::from_millis(days * DAY_MS).0);
            if !window.contains_in(spec.name, shifted) {
                return Err(refuse(Some(days)));
            }
            used.insert(replica, days);
            if DATED_HISTORY.contains(&spec.name) {
                // The line keeps the date its writer saw; the fix is recorded beside it.
                continue;
            }
            // Replace the row (a history row's key holds its stamp, so remove it first).
            snap.tables[t].remove(&row.key(spec));
            if let Some(v) = row.values.get_mut(hlc_col) {
                *v = Value::Integer(shifted);
            }
            snap.put(t, row);
        }
    }
    if let Some(t) = table_index("clock_fix") {
        for (replica, days) in &used {
            snap.put(
                t,
                Row {
                    values: vec![Value::Text(replica.clone()), Value::Integer(*days)],
                },
            );
        }
    }
    Ok(used)
}

/// The corrections earlier merges recorded in the inputs, so a file from a laptop whose clock
/// was corrected once needs no `--clock-fix` when it is folded in again. A replica recorded
/// with different corrections gets none: the operator chooses with `--clock-fix`.
pub fn recorded(inputs: &[Snapshot]) -> BTreeMap<String, i64> {
    let Some(t) = table_index("clock_fix") else {
        return BTreeMap::new();
    };
    let spec = &TABLES[t];
    let mut seen: BTreeMap<String, Option<i64>> = BTreeMap::new();
    for row in inputs.iter().flat_map(|s| s.tables[t].values()) {
        let (replica, days) = (row.text(spec, "replica").to_owned(), row.int(spec, "days"));
        seen.entry(replica)
            .and_modify(|d| {
                if *d != Some(days) {
                    *d = None;
                }
            })
            .or_insert(Some(days));
    }
    seen.into_iter().filter_map(|(r, d)| Some((r, d?))).collect()
}

/// Every implausible stamp of one replica in a file (for the refusal message), with the one
/// being refused (which may be a history line's).
fn snap_stamps(snap: &Snapshot, replica: &str, window: Window, refused: i64) -> Vec<i64> {
    TABLES
        .iter()
        .zip(&snap.tables)
        .filter(|(spec, _)| spec.kind == Kind::Versioned)
        .flat_map(|(spec, table)| {
            table
                .values()
                .filter(move |r| r.replica(spec) == replica && !window.contains_in(spec.name, r.hlc(spec)))
                .map(move |r| r.hlc(spec))
        })
        .chain(std::iter::once(refused))
        .collect()
}
