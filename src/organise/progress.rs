//! Progress of a round (评查进度) for the organiser and group leaders: per reviewer, group or
//! unit, how many assigned cases are not started, in progress or done, with findings, 待议
//! marks and 未定稿 cases. Works on any file (a laptop's or the merged one).

use super::Result;
use crate::store::{Progress, Standing, Store};
use crate::vocab::CaseId;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What a progress line adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// One line per reviewer.
    Reviewer,
    /// One line per review group.
    Group,
    /// One line per handling unit of the cases.
    Unit,
}

/// One line of the progress table. Counts are of (case, reviewer) pairs, except 未定稿, which
/// counts cases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The reviewer, group or unit ("" for none).
    pub name: String,
    /// Assigned pairs (or, in a round without assignments, pairs with a sheet).
    pub assigned: usize,
    /// No sheet, or nothing recorded yet.
    pub not_started: usize,
    /// Something recorded, not marked done.
    pub in_progress: usize,
    /// Marked done (or a grade decided).
    pub done: usize,
    /// Live findings on these pairs' sheets.
    pub findings: usize,
    /// 待议 marks on these pairs' sheets.
    pub pending: usize,
    /// Cases among these that are 未定稿 (several reviewers at the top stage, no 终评).
    pub unsettled: usize,
}

/// The progress table, lines in name order.
pub fn progress(store: &Store, by: By) -> Result<Vec<Line>> {
    let cases = store.cases()?;
    let roster: BTreeMap<String, String> = store.reviewers()?.into_iter().map(|r| (r.name, r.group)).collect();
    let assignments = store.assignments()?;
    let mut pairs: BTreeSet<(CaseId, String)> = assignments
        .iter()
        .map(|a| (a.case_id.clone(), a.reviewer.clone()))
        .collect();
    let mut pending: BTreeMap<(CaseId, String), usize> = BTreeMap::new();
    for m in store.pending_marks()? {
        *pending.entry((m.case_id, m.reviewer)).or_default() += 1;
    }
    let mut lines: BTreeMap<String, Line> = BTreeMap::new();
    let mut unsettled: BTreeMap<String, BTreeSet<CaseId>> = BTreeMap::new();
    let recorded = store.recorded()?;
    for case in &cases {
        let sheets = recorded.sheets_of_case(&case.id);
        if assignments.is_empty() {
            pairs.extend(sheets.iter().map(|s| (case.id.clone(), s.reviewer.clone())));
        }
        let open = matches!(recorded.standing(&case.id), Standing::Unsettled { .. });
        let reviewers: Vec<String> = pairs
            .range((case.id.clone(), String::new())..)
            .take_while(|(c, _)| *c == case.id)
            .map(|(_, r)| r.clone())
            .collect();
        for reviewer in reviewers {
            let mine: Vec<_> = sheets.iter().filter(|s| s.reviewer == reviewer).collect();
            let mut state = Progress::NotStarted;
            let mut findings = 0;
            for s in &mine {
                findings += recorded.findings(&s.id).len();
                state = match (state, store.sheet_progress(&s.id)?) {
                    (_, Progress::Done) | (Progress::Done, _) => Progress::Done,
                    (_, Progress::InProgress) | (Progress::InProgress, _) => Progress::InProgress,
                    _ => Progress::NotStarted,
                };
            }
            let name = match by {
                By::Reviewer => reviewer.clone(),
                By::Group => roster.get(&reviewer).cloned().unwrap_or_default(),
                By::Unit => case.field("unit").trim().to_owned(),
            };
            let line = lines.entry(name.clone()).or_insert_with(|| Line {
                name: name.clone(),
                ..Line::default()
            });
            line.assigned += 1;
            match state {
                Progress::NotStarted => line.not_started += 1,
                Progress::InProgress => line.in_progress += 1,
                Progress::Done => line.done += 1,
            }
            line.findings += findings;
            line.pending += pending.get(&(case.id.clone(), reviewer)).copied().unwrap_or(0);
            if open {
                unsettled.entry(name).or_default().insert(case.id.clone());
            }
        }
    }
    for (name, set) in unsettled {
        if let Some(line) = lines.get_mut(&name) {
            line.unsettled = set.len();
        }
    }
    Ok(lines.into_values().collect())
}
