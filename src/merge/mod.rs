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
//! - [`pack`]: the verified hand-in copy for the USB stick.
//!
//! [`Merge`] strings them together for the command line and the tests.

pub mod apply;
pub mod clock;
mod conflict;
mod error;
pub mod load;
pub mod model;
pub mod pack;
pub mod plan;
mod replicas;
#[cfg(test)]
mod tests;

pub use apply::Progress;
pub use clock::{ClockFix, ReplicaRange, Window};
pub use conflict::Conflict;
pub use error::{MergeError, OutOfRange, short};
pub use plan::{Counts, Plan, Stats};

use model::Snapshot;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::mpsc;

/// Where the result goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A new file (refused if it exists).
    New(PathBuf),
    /// An existing result that the inputs are folded into (it is also the base).
    Into(PathBuf),
}

/// A merge whose inputs are read and checked, ready to run.
pub struct Merge {
    inputs: Vec<Snapshot>,
    output: Output,
}

/// What a finished merge did.
#[derive(Debug, Clone)]
pub struct Report {
    /// The file written.
    pub output: PathBuf,
    /// Counts relative to the base.
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
        match &output {
            Output::New(p) if p.exists() => return Err(MergeError::OutputExists(p.clone())),
            Output::New(p) => apply::refuse_live_wal(p)?,
            Output::Into(p) => {
                apply::refuse_live_wal(p)?;
                all.push(p);
            }
        }
        all.extend(paths.iter().map(PathBuf::as_path));
        let loaded = load_parallel(&all, progress);
        let mut inputs: Vec<Snapshot> = Vec::with_capacity(all.len());
        // Refusals are reported in input order, whichever thread finished first.
        for snap in loaded {
            let snap = snap?;
            if let Some(first) = inputs.first() {
                plan::same_round(first, &snap)?;
            }
            inputs.push(snap);
        }
        Ok(Merge { inputs, output })
    }

    /// Each replica's stamp range in each input, with the round's plausible window.
    pub fn ranges(&self) -> (Window, Vec<ReplicaRange>) {
        let stamp = self.inputs.iter().map(|s| s.round_stamp).min().unwrap_or(0);
        let window = Window::of_round(stamp);
        (
            window,
            self.inputs.iter().flat_map(|s| clock::ranges(s, window)).collect(),
        )
    }

    /// Applies clock fixes, plans, and writes the result.
    pub fn run(mut self, fixes: &[ClockFix], progress: &mut dyn FnMut(Progress)) -> Result<Report, MergeError> {
        let fixes = clock::resolve(fixes, &self.inputs)?;
        for snap in &mut self.inputs {
            clock::check_and_fix(snap, &fixes)?;
        }
        let local_replicas = match &self.output {
            Output::Into(_) => self
                .inputs
                .first()
                .map(|s| s.local_replicas.clone())
                .unwrap_or_default(),
            Output::New(_) => Vec::new(),
        };
        let mut plan = plan::plan(self.inputs)?;
        plan.result.local_replicas = local_replicas;
        let (path, replace) = match self.output {
            Output::New(p) => (p, false),
            Output::Into(p) => (p, true),
        };
        apply::write(&path, &plan.result, plan.max_stamp, replace, progress)?;
        let clock_fixes = model::table_index("clock_fix")
            .map(|t| {
                plan.result.tables[t]
                    .values()
                    .map(|r| {
                        (
                            r.text(&model::TABLES[t], "replica").to_owned(),
                            r.int(&model::TABLES[t], "days"),
                        )
                    })
                    .filter(|(r, _)| fixes.contains_key(r))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Report {
            output: path,
            stats: plan.stats,
            conflicts: plan.conflicts,
            clock_fixes,
        })
    }
}

/// Reads the files on as many threads as the machine has cores (each with its own read-only
/// connection), returning the results in input order.
fn load_parallel(paths: &[&Path], progress: &mut dyn FnMut(Progress)) -> Vec<Result<Snapshot, MergeError>> {
    let total = paths.len();
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(total)
        .max(1);
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Result<Snapshot, MergeError>)>();
    let mut out: Vec<Option<Result<Snapshot, MergeError>>> = (0..total).map(|_| None).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, AtomicOrdering::Relaxed);
                    let Some(path) = paths.get(i) else { break };
                    if tx.send((i, load::load(path))).is_err() {
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

/// Merges files into `output` in one call (no fixes printed in between): for tests and tools.
pub fn merge_files(paths: &[PathBuf], output: Output, fixes: &[ClockFix]) -> Result<Report, MergeError> {
    Merge::prepare(paths, output, &mut |_| {})?.run(fixes, &mut |_| {})
}
