//! The round report (评查情况报告): coverage, summary, per unit and handler, common problems,
//! categories. Every figure but the coverage is over settled cases (已定稿) only: a 未定稿 case
//! is listed with each reviewer's result and counted nowhere else.

use super::case::{CaseReport, CaseStanding, UnsettledCase, standings};
use crate::lang::Lang;
use crate::points::Points;
use crate::score::GradeReason;
use crate::store::{Recorded, Result, Reviewer, Round, Store, Withdrawal};
use foldhash::HashMap;
use std::collections::BTreeMap;

/// Everything the round report shows, computed once from the store.
#[derive(Debug, Clone)]
pub struct RoundReport {
    /// The round.
    pub round: Round,
    /// The round rubric's name and version.
    pub rubric: String,
    /// The round's reviewers.
    pub reviewers: Vec<Reviewer>,
    /// Grade names in the rubric's order (best first), then any other grade met.
    pub grades: Vec<String>,
    /// Every settled case (已定稿), in case-list order: the figures are over these.
    pub cases: Vec<CaseReport>,
    /// Every 未定稿 case, in case-list order, with each reviewer's result.
    pub unsettled: Vec<UnsettledCase>,
    /// Cases in the round with nothing recorded yet (未评查).
    pub unreviewed: usize,
    /// The headline figures.
    pub summary: Summary,
    /// Per handling unit (承办部门), best average first.
    pub units: Vec<GroupStats>,
    /// Per handler (承办人), best average first.
    pub handlers: Vec<GroupStats>,
    /// Common problems (共性问题): found in at least [`COMMON_MIN_CASES`] cases, most
    /// widespread first.
    pub common_problems: Vec<CommonProblem>,
    /// Vetoed, capped and lowest-grade (不合格) cases, in case-list order, with why.
    pub flagged: Vec<FlaggedCase>,
    /// Per category of the round rubric, in rubric order.
    pub categories: Vec<CategoryStats>,
    /// Cases withdrawn after hand-out (撤出), with their reasons: listed, never counted.
    pub withdrawn: Vec<Withdrawal>,
    /// Assignments that break avoidance (不回避): (case number, reviewer, the organiser's reason).
    pub overrides: Vec<(String, String, String)>,
    /// The institution's words for its documents (the round rubric's `[document]`).
    pub words: crate::rubric::DocumentWords,
}

/// The headline figures of a round.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Settled cases (已定稿), the ones every figure below is over.
    pub cases: usize,
    /// Cases reviewed but not settled (未定稿), left out of every figure below.
    pub unsettled: usize,
    /// Cases with nothing recorded yet (未评查).
    pub unreviewed: usize,
    /// Average total, rounded half up to 0.01 (None without cases).
    pub average: Option<Points>,
    /// Lowest total.
    pub min: Option<Points>,
    /// Highest total.
    pub max: Option<Points>,
    /// Count per grade, in [`RoundReport::grades`] order.
    pub grade_counts: Vec<usize>,
    /// Problems in all settled cases (bonuses, vetoes and grade caps are not problems).
    pub problems: u32,
    /// Bonus findings (加分).
    pub bonuses: u32,
    /// Veto findings (一票否决).
    pub vetoes: u32,
    /// Grade-cap findings (限等).
    pub grade_caps: u32,
    /// 案均问题数, rounded half up to 0.01.
    pub problems_per_case: Option<Points>,
}

impl Summary {
    /// The share of cases with grade number `i`, between 0 and 1.
    pub fn share(&self, i: usize) -> f64 {
        match self.cases {
            0 => 0.0,
            n => self.grade_counts.get(i).copied().unwrap_or(0) as f64 / n as f64,
        }
    }
}

/// Figures for one handling unit or handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupStats {
    /// The unit's or handler's name (未填 when the field is empty).
    pub name: String,
    /// Cases reviewed.
    pub cases: usize,
    /// Average total, rounded half up to 0.01.
    pub average: Points,
    /// Count per grade, in [`RoundReport::grades`] order.
    pub grade_counts: Vec<usize>,
    /// Problems found.
    pub problems: u32,
}

/// A problem found across cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommonProblem {
    /// The common-problem code, or None when findings on the item carry none.
    pub code: Option<String>,
    /// The standard wording, or the item name without a code.
    pub wording: String,
    /// Category name.
    pub category: String,
    /// Item name.
    pub item: String,
    /// Cases where it was found.
    pub cases: usize,
    /// Findings recording it.
    pub occurrences: usize,
    /// The 案号 of those cases, in case-list order.
    pub case_numbers: Vec<String>,
    /// Their handling units, each once, in case-list order.
    pub units: Vec<String>,
    /// One typical note: the longest a reviewer wrote for it (ties: the first).
    pub typical: String,
}

/// A case the receiving office asks about by name: vetoed, capped or graded lowest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlaggedCase {
    /// 案号.
    pub case_no: String,
    /// Handling unit.
    pub unit: String,
    /// Total.
    pub total: Points,
    /// The grade that counts.
    pub grade: String,
    /// Why, in words: every veto and cap, or the band.
    pub why: Vec<String>,
}

/// The fewest cases a problem must be found in to be a 共性问题 by default.
pub const COMMON_MIN_CASES: usize = 2;

/// Choices of the round report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundOptions {
    /// The fewest cases a problem must be found in to be listed as a 共性问题.
    pub common_min_cases: usize,
}

impl Default for RoundOptions {
    fn default() -> Self {
        RoundOptions {
            common_min_cases: COMMON_MIN_CASES,
        }
    }
}

/// Figures for one category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryStats {
    /// Category id.
    pub id: String,
    /// Category name.
    pub name: String,
    /// Its points.
    pub points: Points,
    /// Deductions summed over the cases (after caps, as the engine counts them).
    pub deduction: Points,
    /// Problems found in it.
    pub problems: u32,
    /// Cases with at least one problem in it.
    pub cases: usize,
}

/// The label used for an empty unit or handler field.
pub const UNFILLED: &str = "未填";

/// Builds the round report from the store with the default [`RoundOptions`].
pub fn round_report(store: &Store) -> Result<RoundReport> {
    round_report_with(store, &RoundOptions::default())
}

/// Builds the round report from the store: every case's standing
/// ([`super::case_standings`]), the settled ones scored by the engine. Every sheet is read
/// once ([`Store::recorded`]).
pub fn round_report_with(store: &Store, options: &RoundOptions) -> Result<RoundReport> {
    round_report_from(store, store.recorded()?, options)
}

/// [`round_report_with`] from the round read already (taken, since the settled sheets'
/// findings move into the report), so an output that also needs the read for something else
/// (the agreement tables of the round workbook) reads the round once.
pub fn round_report_from(store: &Store, recorded: Recorded, options: &RoundOptions) -> Result<RoundReport> {
    let round = recorded.round().clone();
    let rubric = store.rubric_by_hash(&round.rubric_hash)?;
    let mut cases = Vec::new();
    let mut unsettled = Vec::new();
    let mut unreviewed = 0;
    for standing in standings(store, recorded, store.cases()?)? {
        match standing {
            CaseStanding::Settled(r) => cases.push(*r),
            CaseStanding::Unsettled(u) => unsettled.push(u),
            CaseStanding::Unreviewed => unreviewed += 1,
        }
    }
    let mut grades: Vec<String> = rubric.grades.iter().map(|g| g.name.clone()).collect();
    for c in &cases {
        if !grades.iter().any(|g| g == c.grade()) {
            grades.push(c.grade().to_owned());
        }
    }
    let summary = summary(&cases, &grades, unsettled.len(), unreviewed);
    let units = groups(&cases, &grades, "unit");
    let handlers = groups(&cases, &grades, "handler");
    let mut common_problems = common_problems(&cases);
    common_problems.retain(|p| p.cases >= options.common_min_cases.max(1));
    let lowest = rubric.grades.last().map(|g| g.name.as_str());
    let flagged = cases.iter().filter_map(|c| flag(c, lowest)).collect();
    // Zero-point categories (否决项, 限等项, 加分项) deduct nothing: they are named with the
    // flagged cases instead.
    let counted: Vec<&crate::rubric::Category> = rubric
        .categories
        .iter()
        .filter(|cat| cat.points > Points::ZERO)
        .collect();
    let at: HashMap<&str, usize> = counted
        .iter()
        .enumerate()
        .map(|(i, cat)| (cat.id.as_str(), i))
        .collect();
    let mut categories: Vec<CategoryStats> = counted
        .iter()
        .map(|cat| CategoryStats {
            id: cat.id.to_string(),
            name: cat.name.to_string(),
            points: cat.points,
            deduction: Points::ZERO,
            problems: 0,
            cases: 0,
        })
        .collect();
    for c in &cases {
        for cs in &c.score.categories {
            if let Some(&i) = at.get(cs.id.as_str()) {
                categories[i].deduction += cs.deduction;
            }
        }
        let mut problems = vec![0u32; categories.len()];
        for f in c.findings.iter().filter(|f| f.is_problem) {
            if let Some(&i) = at.get(f.category_id.as_str()) {
                problems[i] += 1;
            }
        }
        for (stats, n) in categories.iter_mut().zip(problems) {
            stats.problems += n;
            stats.cases += usize::from(n > 0);
        }
    }
    Ok(RoundReport {
        round,
        rubric: format!("{} {}", rubric.name, rubric.version),
        reviewers: store.reviewers()?,
        grades,
        cases,
        unsettled,
        unreviewed,
        summary,
        units,
        handlers,
        common_problems,
        flagged,
        categories,
        withdrawn: store.withdrawn_cases()?,
        overrides: overrides(store)?,
        words: rubric.document.clone(),
    })
}

/// The case with why, when a veto or cap fired or its grade is the rubric's lowest.
fn flag(c: &CaseReport, lowest: Option<&str>) -> Option<FlaggedCase> {
    let fired: Vec<String> = c
        .score
        .reasons
        .iter()
        .filter(|r| !matches!(r, GradeReason::Band { .. }))
        .map(|r| r.describe(Lang::Zh))
        .collect();
    if fired.is_empty() && Some(c.grade()) != lowest {
        return None;
    }
    let mut why = fired;
    if why.is_empty() {
        why = c.score.reasons.iter().map(|r| r.describe(Lang::Zh)).collect();
    }
    if let Some(d) = &c.score.decision {
        why.push(format!("{}确定为“{}”：{}", d.decider, d.grade, d.reason));
    }
    Some(FlaggedCase {
        case_no: c.case.case_no.clone(),
        unit: c.case.field("unit").to_owned(),
        total: c.score.total,
        grade: c.grade().to_owned(),
        why,
    })
}

/// The assignments that break avoidance, by case number then reviewer.
fn overrides(store: &Store) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    for a in store
        .assignments()?
        .into_iter()
        .filter(|a| !a.override_reason.is_empty())
    {
        if let Some(case) = store.case_by_id(&a.case_id)? {
            out.push((case.case_no, a.reviewer, a.override_reason));
        }
    }
    out.sort();
    Ok(out)
}

/// `sum / n` rounded half up to 0.01.
fn mean(sum: Points, n: usize) -> Points {
    let n = n.max(1) as i64;
    Points::from_hundredths((2 * sum.hundredths() + n).div_euclid(2 * n))
}

fn grade_counts(cases: &[&CaseReport], grades: &[String]) -> Vec<usize> {
    grades
        .iter()
        .map(|g| cases.iter().filter(|c| c.grade() == g).count())
        .collect()
}

fn summary(cases: &[CaseReport], grades: &[String], unsettled: usize, unreviewed: usize) -> Summary {
    let all: Vec<&CaseReport> = cases.iter().collect();
    let totals = cases.iter().map(|c| c.score.total);
    let problems: u32 = cases.iter().map(|c| c.score.problems).sum();
    let n = cases.len();
    Summary {
        cases: n,
        unsettled,
        unreviewed,
        average: (n > 0).then(|| mean(totals.clone().sum(), n)),
        min: totals.clone().min(),
        max: totals.max(),
        grade_counts: grade_counts(&all, grades),
        problems,
        bonuses: cases.iter().map(|c| c.score.bonuses).sum(),
        vetoes: cases.iter().map(|c| c.score.vetoes).sum(),
        grade_caps: cases.iter().map(|c| c.score.grade_caps).sum(),
        problems_per_case: (n > 0).then(|| mean(Points::whole(i64::from(problems)), n)),
    }
}

/// Cases grouped by a metadata field, ranked by average descending, then by name.
fn groups(cases: &[CaseReport], grades: &[String], key: &str) -> Vec<GroupStats> {
    let mut by: BTreeMap<String, Vec<&CaseReport>> = BTreeMap::new();
    for c in cases {
        let name = c.case.field(key).trim();
        let name = if name.is_empty() { UNFILLED } else { name };
        by.entry(name.to_owned()).or_default().push(c);
    }
    let mut out: Vec<GroupStats> = by
        .into_iter()
        .map(|(name, group)| GroupStats {
            cases: group.len(),
            average: mean(group.iter().map(|c| c.score.total).sum(), group.len()),
            grade_counts: grade_counts(&group, grades),
            problems: group.iter().map(|c| c.score.problems).sum(),
            name,
        })
        .collect();
    out.sort_by(|a, b| b.average.cmp(&a.average).then_with(|| a.name.cmp(&b.name)));
    out
}

/// Problems by code (or by item when a finding has no code), ranked by cases affected, then
/// occurrences, then category and wording.
fn common_problems(cases: &[CaseReport]) -> Vec<CommonProblem> {
    // Keyed by (item id when there is no code, code); each with the last case (by position in
    // `cases`) it was counted in, so each case counts once, and its typical note's length.
    type Key<'a> = (&'a str, Option<&'a str>);
    // Looked up by the one string that varies: the code, or the item id without one.
    let (mut by_code, mut by_item): (HashMap<&str, usize>, HashMap<&str, usize>) = Default::default();
    let mut by: Vec<(Key<'_>, CommonProblem, usize, usize)> = Vec::new();
    for (case_at, c) in cases.iter().enumerate() {
        for f in c.findings.iter().filter(|f| f.is_problem) {
            let key = match &f.problem_code {
                Some(code) => ("", Some(code.as_str())),
                None => (f.item_id.as_str(), None),
            };
            let at = match key {
                (_, Some(code)) => by_code.entry(code),
                (item, None) => by_item.entry(item),
            };
            let i = *at.or_insert_with(|| {
                let wording = if f.problem.is_empty() { &f.item } else { &f.problem };
                let problem = CommonProblem {
                    code: f.problem_code.as_deref().map(str::to_owned),
                    wording: wording.to_string(),
                    category: f.category.to_string(),
                    item: f.item.to_string(),
                    cases: 0,
                    occurrences: 0,
                    case_numbers: Vec::new(),
                    units: Vec::new(),
                    typical: String::new(),
                };
                by.push((key, problem, usize::MAX, 0));
                by.len() - 1
            });
            let (_, p, last_case, typical_length) = &mut by[i];
            p.occurrences += 1;
            if *last_case != case_at {
                *last_case = case_at;
                p.cases += 1;
                p.case_numbers.push(c.case.case_no.clone());
                let unit = c.case.field("unit").trim();
                let unit = if unit.is_empty() { UNFILLED } else { unit };
                if !p.units.iter().any(|u| u == unit) {
                    p.units.push(unit.to_owned());
                }
            }
            // A note has no more characters than bytes: most need no counting.
            let length = if f.note.len() > *typical_length {
                f.note.chars().count()
            } else {
                0
            };
            if length > *typical_length {
                *typical_length = length;
                p.typical = f.note.clone();
            }
        }
    }
    // In key order before ranking: problems ranked equal stay in key order.
    by.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<CommonProblem> = by.into_iter().map(|(_, p, _, _)| p).collect();
    out.sort_by(|a, b| {
        b.cases
            .cmp(&a.cases)
            .then(b.occurrences.cmp(&a.occurrences))
            .then_with(|| a.category.cmp(&b.category))
            .then_with(|| a.wording.cmp(&b.wording))
    });
    out
}
