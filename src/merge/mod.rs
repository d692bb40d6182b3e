//! Merging laptops' round files into the team's result, order-independently.
//!
//! The layer sits above [`crate::store`] (which knows nothing of it) and is split into:
//!
//! - [`model`]: the merged tables, keys and versions, and a file read into memory.
//! - [`load`]: opening inputs read-only, checking them, reading them.
//! - [`clock`]: the plausible dates of a round and explicit per-replica corrections.
//! - [`plan`]: the pure core — which version wins, what goes to history, what is reported
//!   (conflicts in `conflict`, the cloned-replica check in `replicas`).
//! - [`apply`]: writing the result to a temporary file and renaming it into place.
//! - `fast`: when it gives the same result, the large tables are not read into memory but
//!   copied by SQLite from the inputs attached read-only (the small ones are planned as above).
//! - [`pack`]: the verified hand-in copy for the USB stick.
//!
//! [`Merge`] strings them together for the command line and the tests.

pub mod apply;
pub mod clock;
mod conflict;
mod error;
mod fast;
pub mod load;
pub mod model;
pub mod pack;
#[cfg(test)]
mod paths_agree;
pub mod plan;
mod replicas;
#[cfg(test)]
mod tests;

pub use apply::Progress;
pub use clock::{ClockFix, ReplicaRange, Window};
pub use conflict::Conflict;
pub use error::{MergeError, OutOfRange, short};
pub use plan::{Counts, Plan, Stats};

use crate::store::lock::{self, Lock};
use model::{Snapshot, TABLES};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::mpsc;

/// Where the result goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A new file (refused if it exists).
    New(PathBuf),
    /// A new file replacing an existing file that is not a SQLite file nor an input (`--force`).
    Overwrite(PathBuf),
    /// An existing result that the inputs are folded into (it is also the base).
    Into(PathBuf),
}

/// A merge whose inputs are read and checked, ready to run.
pub struct Merge {
    /// The inputs in memory; while `stores` is not empty, without the [`fast::BULK`] tables.
    inputs: Vec<Snapshot>,
    /// The inputs still open (read-only) for the bulk path; empty once read in full.
    stores: Vec<crate::store::Store>,
    /// Per input, its replicas' records in the bulk tables.
    bulk: Vec<BTreeMap<String, fast::Stat>>,
    output: Output,
    /// What writing the output may replace.
    rules: crate::output::Rules,
    /// With [`Output::Into`], the file held exclusively from reading it to replacing it, so no
    /// writer has it open meanwhile (see [`crate::store::lock`]).
    lock: Option<Lock>,
}

/// One input opened and read without its bulk tables.
type Loaded = (crate::store::Store, Snapshot, BTreeMap<String, fast::Stat>);

/// What a finished merge did.
#[derive(Debug, Clone)]
pub struct Report {
    /// The file written.
    pub output: PathBuf,
    /// Counts relative to the inputs as a set (see [`Counts`]).
    pub stats: Stats,
    /// What people should look at.
    pub conflicts: Vec<Conflict>,
    /// Clock corrections applied, by replica.
    pub clock_fixes: BTreeMap<String, i64>,
}

impl Merge {
    /// Opens and reads every input read-only (and, with [`Output::Into`], the existing
    /// result first). Refuses a bad or foreign file before anything is written.
    pub fn prepare(paths: &[PathBuf], output: Output, progress: &mut dyn FnMut(Progress)) -> Result<Merge, MergeError> {
        if paths.is_empty() {
            return Err(MergeError::NoInputs);
        }
        let mut all: Vec<&Path> = Vec::new();
        let inputs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        let mut held = None;
        let rules = match &output {
            Output::New(_) => crate::output::Rules::new(false, &inputs),
            Output::Overwrite(p) => {
                // Replacing a round file someone may have open, like folding into it.
                if p.is_file() {
                    held = Some(Lock::take(p, lock::Mode::Exclusive, "", lock::WAIT)?);
                }
                crate::output::Rules::new(true, &inputs)
            }
            Output::Into(p) => {
                // A missing base is refused below without a lock file made beside it.
                if p.is_file() {
                    held = Some(Lock::take(p, lock::Mode::Exclusive, "", lock::WAIT)?);
                }
                all.push(p);
                crate::output::Rules {
                    replaces_round: true,
                    ..crate::output::Rules::new(false, &inputs)
                }
            }
        };
        let target = output.path();
        // Refused before any input is read.
        crate::output::check(target, &rules).map_err(|e| MergeError::Store(crate::store::StoreError::Output(e)))?;
        apply::refuse_live_wal(target)?;
        all.extend(inputs);
        let loaded = load_parallel(&all, progress);
        let mut inputs: Vec<Snapshot> = Vec::with_capacity(all.len());
        let mut stores = Vec::with_capacity(all.len());
        let mut bulk = Vec::with_capacity(all.len());
        // Refusals are reported in input order, whichever thread finished first.
        for loaded in loaded {
            let (store, snap, stats) = loaded?;
            if let Some(first) = inputs.first() {
                plan::same_round(first, &snap)?;
            }
            inputs.push(snap);
            stores.push(store);
            bulk.push(stats);
        }
        Ok(Merge {
            inputs,
            stores,
            bulk,
            output,
            rules,
            lock: held,
        })
    }

    /// Each replica's stamp range in each input (judged by its file's window), with the round's
    /// plausible window (its ledger part reaching the latest deadline of any input).
    pub fn ranges(&self) -> (Window, Vec<ReplicaRange>) {
        let stamp = self.inputs.iter().map(|s| s.round_stamp).min().unwrap_or(0);
        let ledger_to = self.inputs.iter().map(|s| Window::of_snapshot(s).ledger_to_ms).max();
        let window = Window::of_round(stamp);
        let window = Window {
            ledger_to_ms: ledger_to.unwrap_or(window.ledger_to_ms).max(window.ledger_to_ms),
            ..window
        };
        (
            window,
            if self.stores.is_empty() {
                self.inputs
                    .iter()
                    .flat_map(|s| clock::ranges(s, Window::of_snapshot(s)))
                    .collect()
            } else {
                self.inputs
                    .iter()
                    .zip(&self.bulk)
                    .flat_map(|(s, b)| fast::ranges(s, b, Window::of_snapshot(s)))
                    .collect()
            },
        )
    }

    /// Reads the bulk tables too, for the in-memory path.
    fn read_in_full(&mut self) -> Result<(), MergeError> {
        for (store, snap) in self.stores.iter().zip(self.inputs.iter_mut()) {
            let rest = load::snapshot_of(store, &fast::is_bulk)?;
            for (spec, (mine, theirs)) in TABLES.iter().zip(snap.tables.iter_mut().zip(rest.tables)) {
                if fast::is_bulk(spec.name) {
                    *mine = theirs;
                }
            }
        }
        self.stores.clear();
        self.bulk.clear();
        Ok(())
    }

    /// The bulk path (see [`fast`]): small tables planned in memory, bulk tables copied by
    /// SQLite from the inputs attached read-only.
    fn run_bulk(mut self, paths: &[String], progress: &mut dyn FnMut(Progress)) -> Result<Report, MergeError> {
        // The inputs are attached by path from here on; no handle stays open on them.
        self.stores.clear();
        let (plan, path) = plan_for(self.inputs, self.output)?;
        let mut copied = None;
        let result = &plan.result;
        apply::write_with(
            &path,
            result,
            plan.max_stamp,
            &self.rules,
            progress,
            &mut |conn, progress| {
                let out = fast::copy_bulk(conn, paths, result, progress)
                    .map_err(|e| MergeError::Store(crate::store::StoreError::Sqlite(path.clone(), e)))?;
                copied = Some(out);
                Ok(())
            },
        )?;
        let mut stats = plan.stats;
        let mut conflicts = plan.conflicts;
        if let Some((counts, _, sheet_conflicts)) = copied {
            if let Some(c) = counts.get("sheet") {
                stats.sheets = *c;
            }
            if let Some(c) = counts.get("finding") {
                stats.findings = *c;
            }
            conflicts.extend(sheet_conflicts);
        }
        Ok(Report {
            output: path,
            stats,
            conflicts,
            clock_fixes: BTreeMap::new(),
        })
    }

    /// Applies clock fixes, plans, and writes the result.
    pub fn run(mut self, fixes: &[ClockFix], progress: &mut dyn FnMut(Progress)) -> Result<Report, MergeError> {
        // Released when the result has replaced the file (or the merge failed).
        let _held = self.lock.take();
        if !self.stores.is_empty() {
            if let Some(paths) = fast::eligible(&self.stores, &self.inputs, &self.bulk, !fixes.is_empty())? {
                return self.run_bulk(&paths, progress);
            }
            self.read_in_full()?;
        }
        let mut all = clock::recorded(&self.inputs);
        all.extend(clock::resolve(fixes, &self.inputs)?);
        let mut clock_fixes = BTreeMap::new();
        for snap in &mut self.inputs {
            clock_fixes.extend(clock::check_and_fix(snap, &all)?);
        }
        let (plan, path) = plan_for(self.inputs, self.output)?;
        apply::write(&path, &plan.result, plan.max_stamp, &self.rules, progress)?;
        Ok(Report {
            output: path,
            stats: plan.stats,
            conflicts: plan.conflicts,
            clock_fixes,
        })
    }
}

/// Plans the inputs (keeping the base's local replicas when folding into it); returns the plan
/// and the file it goes to.
fn plan_for(inputs: Vec<Snapshot>, output: Output) -> Result<(plan::Plan, PathBuf), MergeError> {
    let local_replicas = match &output {
        Output::Into(_) => inputs.first().map(|s| s.local_replicas.clone()).unwrap_or_default(),
        Output::New(_) | Output::Overwrite(_) => Vec::new(),
    };
    let mut plan = plan::plan(inputs)?;
    plan.result.local_replicas = local_replicas;
    let path = output.path().to_path_buf();
    Ok((plan, path))
}

impl Output {
    /// The file the result goes to.
    pub fn path(&self) -> &Path {
        match self {
            Output::New(p) | Output::Overwrite(p) | Output::Into(p) => p,
        }
    }
}

/// Reads the files on as many threads as the machine has cores (each with its own read-only
/// connection), returning the results in input order.
fn load_parallel(paths: &[&Path], progress: &mut dyn FnMut(Progress)) -> Vec<Result<Loaded, MergeError>> {
    let total = paths.len();
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(total)
        .max(1);
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Result<Loaded, MergeError>)>();
    let mut out: Vec<Option<Result<Loaded, MergeError>>> = (0..total).map(|_| None).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, AtomicOrdering::Relaxed);
                    let Some(path) = paths.get(i) else { break };
                    if tx.send((i, load_light(path))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (done, (i, result)) in rx.iter().enumerate() {
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(result);
            }
            progress(Progress::Reading {
                done: done as u64 + 1,
                total: total as u64,
            });
        }
    });
    out.into_iter()
        .zip(paths)
        .map(|(r, p)| r.unwrap_or_else(|| Err(MergeError::Io(p.to_path_buf(), std::io::Error::other("not read")))))
        .collect()
}

/// Opens, checks and reads one input without its bulk tables (see [`fast`]).
fn load_light(path: &Path) -> Result<Loaded, MergeError> {
    let store = load::open_checked(path)?;
    let snap = load::snapshot_of(&store, &|t| !fast::is_bulk(t))?;
    let stats = fast::bulk_stats(&store)?;
    Ok((store, snap, stats))
}

/// Merges files into `output` in one call (no fixes printed in between): for tests and tools.
pub fn merge_files(paths: &[PathBuf], output: Output, fixes: &[ClockFix]) -> Result<Report, MergeError> {
    Merge::prepare(paths, output, &mut |_| {})?.run(fixes, &mut |_| {})
}
