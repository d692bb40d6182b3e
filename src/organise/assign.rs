//! Assignment (分案) by rule, with avoidance (回避): pure planning, no I/O.
//!
//! - Avoidance: a reviewer never gets a case of their own unit, nor of a unit the organiser
//!   declared related to it.
//! - Cross review between groups (交叉评查, rotated as 联查联审 rotations are): groups in name
//!   order; group k takes the cases of the units that belong to group k+1 (the last group
//!   takes the first's). A unit belongs to the group of its reviewers; a case of a unit no
//!   group holds may go to any group.
//! - Balance by 卷册数 (the real workload; a case without it counts as one volume): cases in
//!   decreasing volumes, then case-list order, each to the `per_case` eligible reviewers with
//!   the least volumes so far (then fewest cases, then name). No randomness: the same roster
//!   and cases always give the same assignment.

use crate::store::{Case, Reviewer};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// How reviewers are drawn for a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// From the group the rotation gives the case's unit.
    CrossGroups,
    /// From every reviewer on the roster.
    Anyone,
}

/// Why a rule could not assign the round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssignError {
    /// Fewer eligible reviewers than the case needs.
    TooFewReviewers {
        /// The case.
        case_no: String,
        /// How many it needs.
        needed: usize,
        /// How many may review it.
        eligible: usize,
    },
    /// Cross review needs at least two groups.
    TooFewGroups(usize),
}

/// Which units each unit must be kept away from (itself and the declared relations).
#[derive(Debug, Clone, Default)]
pub struct Avoidance {
    related: HashMap<String, HashSet<String>>,
}

impl Avoidance {
    /// From the organiser's related pairs.
    pub fn new(pairs: &[(String, String)]) -> Avoidance {
        let mut related: HashMap<String, HashSet<String>> = HashMap::new();
        for (a, b) in pairs {
            related.entry(a.clone()).or_default().insert(b.clone());
            related.entry(b.clone()).or_default().insert(a.clone());
        }
        Avoidance { related }
    }

    /// Whether a reviewer of `reviewer_unit` must not review a case of `case_unit`. A
    /// reviewer or case without a unit conflicts with nothing.
    pub fn conflicts(&self, reviewer_unit: &str, case_unit: &str) -> bool {
        let (r, c) = (reviewer_unit.trim(), case_unit.trim());
        !r.is_empty() && !c.is_empty() && (r == c || self.related.get(r).is_some_and(|s| s.contains(c)))
    }
}

/// The workload a case counts for: its 卷册数, or one volume when unknown.
pub fn weight(case: &Case) -> u64 {
    u64::from(case.volumes().unwrap_or(1).max(1))
}

/// The case's unit (the handling unit the avoidance rule looks at).
pub fn case_unit(case: &Case) -> &str {
    case.field("unit").trim()
}

/// Plans an assignment: for each case (by id), the names of its reviewers, sorted.
pub fn plan(
    rule: Rule,
    per_case: usize,
    reviewers: &[Reviewer],
    cases: &[Case],
    avoidance: &Avoidance,
) -> Result<BTreeMap<crate::vocab::CaseId, Vec<String>>, AssignError> {
    let groups: Vec<&str> = reviewers
        .iter()
        .map(|r| r.group.trim())
        .filter(|g| !g.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if rule == Rule::CrossGroups && groups.len() < 2 {
        return Err(AssignError::TooFewGroups(groups.len()));
    }
    let group_index: HashMap<&str, usize> = groups.iter().enumerate().map(|(i, g)| (*g, i)).collect();
    // A unit belongs to the first group (in name order) any of its reviewers sits in.
    let mut unit_group: HashMap<&str, usize> = HashMap::new();
    for r in reviewers {
        if let Some(&g) = group_index.get(r.group.trim())
            && !r.unit.trim().is_empty()
        {
            let e = unit_group.entry(r.unit.trim()).or_insert(g);
            *e = (*e).min(g);
        }
    }
    // Reviewers in a fixed order; loads kept by index.
    let mut pool: Vec<&Reviewer> = reviewers.iter().collect();
    pool.sort_by(|a, b| a.name.cmp(&b.name));
    let members: Vec<Vec<usize>> = (0..groups.len())
        .map(|g| {
            (0..pool.len())
                .filter(|&i| group_index.get(pool[i].group.trim()) == Some(&g))
                .collect()
        })
        .collect();
    let everyone: Vec<usize> = match rule {
        // Cross review draws only from groups.
        Rule::CrossGroups => (0..pool.len())
            .filter(|&i| group_index.contains_key(pool[i].group.trim()))
            .collect(),
        Rule::Anyone => (0..pool.len()).collect(),
    };
    let mut load: Vec<(u64, usize)> = vec![(0, 0); pool.len()];
    let mut order: Vec<&Case> = cases.iter().collect();
    order.sort_by(|a, b| {
        weight(b)
            .cmp(&weight(a))
            .then(a.seq.cmp(&b.seq))
            .then(a.case_no.cmp(&b.case_no))
    });
    let mut out = BTreeMap::new();
    for case in order {
        let unit = case_unit(case);
        let candidates: &[usize] = match (rule, unit_group.get(unit)) {
            (Rule::CrossGroups, Some(&home)) => &members[(home + groups.len() - 1) % groups.len()],
            _ => &everyone,
        };
        let mut eligible: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| !avoidance.conflicts(&pool[i].unit, unit))
            .collect();
        if eligible.len() < per_case {
            return Err(AssignError::TooFewReviewers {
                case_no: case.case_no.clone(),
                needed: per_case,
                eligible: eligible.len(),
            });
        }
        eligible.sort_by_key(|&i| (load[i], &pool[i].name));
        let mut chosen: Vec<String> = Vec::with_capacity(per_case);
        for &i in &eligible[..per_case] {
            load[i].0 += weight(case);
            load[i].1 += 1;
            chosen.push(pool[i].name.clone());
        }
        chosen.sort();
        out.insert(case.id.clone(), chosen);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reviewer(name: &str, unit: &str, group: &str) -> Reviewer {
        Reviewer {
            id: name.into(),
            name: name.into(),
            group: group.into(),
            unit: unit.into(),
            leader: false,
        }
    }

    fn case(no: &str, seq: i64, unit: &str, volumes: u32) -> Case {
        Case {
            id: no.into(),
            case_no: no.into(),
            seq,
            fields: [
                ("unit".to_owned(), unit.to_owned()),
                ("volumes".to_owned(), volumes.to_string()),
            ]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn group_k_takes_the_cases_of_group_k_plus_one_and_never_its_own_units() {
        let reviewers = [
            reviewer("甲", "一室", "A组"),
            reviewer("乙", "二室", "A组"),
            reviewer("丙", "三室", "B组"),
            reviewer("丁", "四室", "B组"),
        ];
        let cases = [
            case("1", 1, "一室", 2),
            case("2", 2, "三室", 5),
            case("3", 3, "四室", 1),
        ];
        let plan = plan(Rule::CrossGroups, 1, &reviewers, &cases, &Avoidance::default()).unwrap();
        assert!(["丙", "丁"].contains(&plan["1"][0].as_str()), "B takes A's units");
        assert!(["甲", "乙"].contains(&plan["2"][0].as_str()), "A takes B's units");
        assert_ne!(
            plan["2"], plan["3"],
            "the second B case goes to the less loaded reviewer"
        );
    }

    #[test]
    fn related_units_are_avoided_both_ways() {
        let avoid = Avoidance::new(&[("一室".into(), "二室".into())]);
        assert!(avoid.conflicts("二室", "一室") && avoid.conflicts("一室", "二室") && avoid.conflicts("一室", "一室"));
        assert!(!avoid.conflicts("一室", "三室") && !avoid.conflicts("", "一室"));
        let reviewers = [reviewer("甲", "一室", ""), reviewer("乙", "三室", "")];
        let cases = [case("1", 1, "二室", 1)];
        let p = plan(Rule::Anyone, 1, &reviewers, &cases, &avoid).unwrap();
        assert_eq!(p["1"], ["乙"]);
        assert_eq!(
            plan(Rule::Anyone, 2, &reviewers, &cases, &avoid),
            Err(AssignError::TooFewReviewers {
                case_no: "1".into(),
                needed: 2,
                eligible: 1
            })
        );
    }
}
