//! The organiser's side of a round: assignment with avoidance, progress, agreement between
//! reviewers. Reads and writes through [`crate::store`]; the planning is pure
//! ([`assign::plan`], [`agreement`]).

pub mod agreement;
pub mod assign;
mod error;
pub mod progress;

pub use error::OrganiseError;

use crate::store::{Assignment, Store};
use assign::{Avoidance, Rule};
use serde::Serialize;
use std::collections::BTreeMap;

/// Results of organiser operations.
pub type Result<T> = std::result::Result<T, OrganiseError>;

/// Assigns the whole round by rule, replacing any previous assignment (overrides included);
/// returns how many (case, reviewer) pairs were recorded.
pub fn assign_by_rule(store: &mut Store, rule: Rule, per_case: usize) -> Result<usize> {
    let reviewers = store.reviewers()?;
    if reviewers.is_empty() {
        return Err(OrganiseError::NoRoster);
    }
    let cases = store.cases()?;
    let avoidance = Avoidance::new(&store.related_units()?);
    let plan = assign::plan(rule, per_case, &reviewers, &cases, &avoidance)?;
    let rows: Vec<Assignment> = plan
        .into_iter()
        .flat_map(|(case_id, names)| {
            names.into_iter().map(move |reviewer| Assignment {
                case_id: case_id.clone(),
                reviewer,
                override_reason: String::new(),
            })
        })
        .collect();
    store.assign(&rows, true)?;
    Ok(rows.len())
}

/// Assigns named reviewers to one case. A name off the roster, or one that breaks avoidance
/// without an override reason, refuses the whole command and writes nothing.
pub fn assign_by_hand(store: &mut Store, case_no: &str, names: &[String], override_reason: Option<&str>) -> Result<()> {
    let case = store.require_case(case_no)?;
    let avoidance = Avoidance::new(&store.related_units()?);
    let reason = override_reason.map(str::trim).unwrap_or("");
    if override_reason.is_some() && reason.is_empty() {
        return Err(OrganiseError::OverrideWithoutReason);
    }
    let mut rows = Vec::new();
    for name in names {
        let reviewer = store.check_reviewer(name)?.ok_or(OrganiseError::NoRoster)?;
        let conflict = avoidance.conflicts(&reviewer.unit, assign::case_unit(&case));
        if conflict && reason.is_empty() {
            return Err(OrganiseError::Avoidance {
                reviewer: reviewer.name,
                unit: reviewer.unit,
                case_unit: assign::case_unit(&case).to_owned(),
                case_no: case.case_no,
            });
        }
        rows.push(Assignment {
            case_id: case.id.clone(),
            reviewer: reviewer.name,
            override_reason: if conflict { reason.to_owned() } else { String::new() },
        });
    }
    store.assign(&rows, false)?;
    Ok(())
}

/// One hand-out copy: whose it is and, for a need-to-know copy, the ids of the only cases it
/// holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoutCopy {
    /// The reviewer it is named after.
    pub reviewer: String,
    /// `None`: every case; otherwise the reviewer's assigned cases, the only ones in the copy.
    pub cases: Option<std::collections::BTreeSet<crate::vocab::CaseId>>,
}

/// The copies a hand-out writes: one per roster reviewer, with every case or (`only_assigned`)
/// only their assigned live cases. Refused before any copy is written when there is no roster,
/// or when only assigned cases are asked for and some reviewer has none.
pub fn handout(store: &Store, only_assigned: bool) -> Result<Vec<HandoutCopy>> {
    let reviewers = store.reviewers()?;
    if reviewers.is_empty() {
        return Err(OrganiseError::NoRoster);
    }
    if !only_assigned {
        return Ok(reviewers
            .into_iter()
            .map(|r| HandoutCopy {
                reviewer: r.name,
                cases: None,
            })
            .collect());
    }
    let mut mine: BTreeMap<String, std::collections::BTreeSet<crate::vocab::CaseId>> = BTreeMap::new();
    for a in store.assignments()? {
        mine.entry(a.reviewer).or_default().insert(a.case_id);
    }
    let idle: Vec<String> = reviewers
        .iter()
        .filter(|r| !mine.contains_key(&r.name))
        .map(|r| r.name.clone())
        .collect();
    if !idle.is_empty() {
        return Err(OrganiseError::NothingAssigned(idle));
    }
    Ok(reviewers
        .into_iter()
        .map(|r| HandoutCopy {
            cases: mine.remove(&r.name),
            reviewer: r.name,
        })
        .collect())
}

/// The ids of the live cases assigned to `reviewer` (我的案件).
pub fn assigned_to(
    store: &Store,
    reviewer: &str,
) -> crate::store::Result<std::collections::BTreeSet<crate::vocab::CaseId>> {
    Ok(store
        .assignments()?
        .into_iter()
        .filter(|a| a.reviewer == reviewer.trim())
        .map(|a| a.case_id)
        .collect())
}

/// The cases with the reviewer's assigned ones (我的案件) first, each part in list order; every
/// case stays in the list.
pub fn mine_first(
    store: &Store,
    reviewer: &str,
    cases: Vec<crate::store::Case>,
) -> crate::store::Result<Vec<crate::store::Case>> {
    let mine = assigned_to(store, reviewer)?;
    let (mut first, rest): (Vec<_>, Vec<_>) = cases.into_iter().partition(|c| mine.contains(&c.id));
    first.extend(rest);
    Ok(first)
}

/// One reviewer's line of the assignment table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Load {
    /// Name.
    pub reviewer: String,
    /// Group.
    pub group: String,
    /// Their unit.
    pub unit: String,
    /// Case numbers assigned, in case-list order.
    pub cases: Vec<String>,
    /// Their volumes (卷册数, one for a case without it).
    pub volumes: u64,
}

/// An assignment that breaks avoidance, with the organiser's reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Override {
    /// The case.
    pub case_no: String,
    /// The reviewer.
    pub reviewer: String,
    /// Why.
    pub reason: String,
}

/// The assignment as the organiser reads it: one line per roster reviewer (and per assigned
/// name no longer on it), and the overrides.
pub fn loads(store: &Store) -> Result<(Vec<Load>, Vec<Override>)> {
    let cases = store.cases()?;
    let by_id: BTreeMap<&str, &crate::store::Case> = cases.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut lines: BTreeMap<String, Load> = store
        .reviewers()?
        .into_iter()
        .map(|r| {
            (
                r.name.clone(),
                Load {
                    reviewer: r.name,
                    group: r.group,
                    unit: r.unit,
                    cases: Vec::new(),
                    volumes: 0,
                },
            )
        })
        .collect();
    let mut overrides = Vec::new();
    let mut assignments = store.assignments()?;
    assignments.sort_by_key(|a| by_id.get(a.case_id.as_str()).map(|c| c.seq));
    for a in assignments {
        let Some(case) = by_id.get(a.case_id.as_str()) else {
            continue;
        };
        let line = lines.entry(a.reviewer.clone()).or_insert_with(|| Load {
            reviewer: a.reviewer.clone(),
            group: String::new(),
            unit: String::new(),
            cases: Vec::new(),
            volumes: 0,
        });
        line.cases.push(case.case_no.clone());
        line.volumes += assign::weight(case);
        if !a.override_reason.is_empty() {
            overrides.push(Override {
                case_no: case.case_no.clone(),
                reviewer: a.reviewer,
                reason: a.override_reason,
            });
        }
    }
    let mut lines: Vec<Load> = lines.into_values().collect();
    lines.sort_by(|a, b| a.group.cmp(&b.group).then(a.reviewer.cmp(&b.reviewer)));
    Ok((lines, overrides))
}
