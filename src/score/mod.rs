//! The scoring engine: a pure function of a rubric and a sheet of findings.
//!
//! [`score`] does no I/O and uses exact [`Points`] arithmetic. The order of the steps:
//!
//! 1. Each finding's base deduction: all the node's points (pass/fail), the whole item
//!    (forfeit), count × amount (per occurrence / per missing element) or the chosen amount
//!    (range, catch-all). The raw count is kept for statistics.
//! 2. Caps, "扣完为止": a node's deductions stop at its points, an item's at its points, a
//!    category's at its `max_deduction` (or points).
//! 3. 不适用: items marked N/A count in full (`full_marks`) or drop out and the earned points
//!    are rescaled to the total (`rescale`, rounded half up to 0.01).
//! 4. Bonus (capped by the rubric's `bonus_cap`) is added; 从重 extra deductions (findings
//!    marked as repeats, outside the item caps: ×multiplier − 1 of the capped finding, or a
//!    fixed extra per occurrence) are subtracted; the total is clamped to [0, ceiling]; a
//!    `zero_total` veto sets it to 0.
//! 5. Grade = the worst of the band the total falls in, every grade cap that fired and, if any
//!    veto fired, the lowest grade. A decided grade (集体讨论) is kept beside it, never instead.

mod check;
#[cfg(test)]
mod tests;

pub use check::{FindingError, check_finding};

use crate::lang::Lang;
use crate::points::Points;
use crate::rubric::{Aggravation, FindingKind, NaPolicy, Rubric, Rule, Scorable, VetoEffect};
use crate::shared::SharedStr;
use serde::Serialize;
// foldhash: the maps are keyed by short ids and hashed per finding; SipHash was a tenth of the report.
use foldhash::HashMap;
use std::collections::BTreeSet;

/// What one reviewer recorded on one case: the input of [`score`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    /// The findings, in any order.
    pub findings: Vec<Finding>,
    /// Ids of items or categories marked 不适用.
    pub not_applicable: BTreeSet<String>,
    /// The grade decided after collective discussion, if any.
    pub decision: Option<Decision>,
}

/// One finding as the engine sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The scorable node (item or sub-item) id.
    pub node: SharedStr,
    /// How much: nothing more, a count, or an amount.
    pub quantity: Quantity,
    /// A repeat of a problem fed back before (从重).
    pub repeat: bool,
}

/// The size of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// The finding is all there is (pass/fail, forfeit, veto, grade cap).
    One,
    /// Occurrences or missing elements.
    Count(u32),
    /// A chosen deduction (range, catch-all).
    Amount(Points),
}

impl Quantity {
    fn count(self) -> i64 {
        match self {
            Quantity::Count(n) => i64::from(n),
            _ => 1,
        }
    }
}

/// A grade decided by people (集体讨论), with why and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The decided grade.
    pub grade: String,
    /// Why (mandatory).
    pub reason: String,
    /// Who decided (person or body, e.g. 评查组集体讨论).
    pub decider: String,
}

/// The engine's result for one sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreSheet {
    /// Per category, in rubric order.
    pub categories: Vec<CategoryScore>,
    /// Full marks minus category deductions, after N/A handling.
    pub base: Points,
    /// Bonus before the cap.
    pub bonus_raw: Points,
    /// Bonus counted.
    pub bonus: Points,
    /// 从重 extra deductions.
    pub extra: Points,
    /// The total (never below 0, never above the ceiling).
    pub total: Points,
    /// The computed grade.
    pub grade: String,
    /// Why the computed grade is what it is: the band first, then every veto and cap.
    pub reasons: Vec<GradeReason>,
    /// The decided grade, kept beside the computed one.
    pub decision: Option<Decision>,
    /// Number of deducting findings (问题数), on applicable items.
    pub problems: u32,
    /// Bonus findings (加分), counted apart from problems.
    pub bonuses: u32,
    /// Veto findings (一票否决), counted apart from problems.
    pub vetoes: u32,
    /// Grade-cap findings (限等), counted apart from problems.
    pub grade_caps: u32,
    /// Findings on nodes this rubric does not have (scored against another version).
    pub unknown_nodes: Vec<String>,
}

impl ScoreSheet {
    /// The grade that counts: the decided one when there is one, else the computed one.
    pub fn final_grade(&self) -> &str {
        self.decision.as_ref().map_or(&self.grade, |d| &d.grade)
    }
}

/// One category's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryScore {
    /// Category id.
    pub id: SharedStr,
    /// Category name.
    pub name: SharedStr,
    /// Its points.
    pub points: Points,
    /// Sum of item deductions before the category cap.
    pub raw_deduction: Points,
    /// Deduction after the category cap.
    pub deduction: Points,
    /// Per item, in rubric order.
    pub items: Vec<ItemScore>,
}

/// One item's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemScore {
    /// Item id.
    pub id: SharedStr,
    /// Item name.
    pub name: SharedStr,
    /// Its points.
    pub points: Points,
    /// Marked 不适用.
    pub not_applicable: bool,
    /// Number of findings on the item and its sub-items.
    pub findings: u32,
    /// Raw occurrences (counts summed), kept even past the cap.
    pub occurrences: i64,
    /// Deductions before the item cap.
    pub raw_deduction: Points,
    /// Deduction after the cap (扣完为止).
    pub deduction: Points,
    /// 从重 extra deduction, outside the cap.
    pub extra: Points,
    /// Bonus points recorded on it.
    pub bonus: Points,
}

/// One reason behind the computed grade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum GradeReason {
    /// The total falls in this band.
    Band {
        /// The band's grade.
        grade: String,
        /// Its inclusive lower bound.
        min: Points,
        /// The total.
        total: Points,
    },
    /// A veto fired.
    Veto {
        /// The node.
        node: String,
        /// Its name.
        name: String,
        /// What it does.
        effect: VetoEffectName,
    },
    /// A grade cap fired.
    Cap {
        /// The node.
        node: String,
        /// Its name.
        name: String,
        /// The best grade still possible.
        grade: String,
    },
}

impl GradeReason {
    /// The reason in words, e.g. "总分 87.5 ≥ 80，属「合格」档".
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (GradeReason::Band { grade, min, total }, Lang::Zh) => {
                format!("总分 {total} ≥ {min}，属「{grade}」档")
            }
            (GradeReason::Band { grade, min, total }, Lang::En) => {
                format!("total {total} ≥ {min}: band {grade}")
            }
            (GradeReason::Veto { name, effect, .. }, Lang::Zh) => format!(
                "一票否决：{name}（{}）",
                match effect {
                    VetoEffectName::LowestGrade => "直接评为最低等次",
                    VetoEffectName::ZeroTotal => "全案不得分",
                }
            ),
            (GradeReason::Veto { name, effect, .. }, Lang::En) => format!(
                "veto: {name} ({})",
                match effect {
                    VetoEffectName::LowestGrade => "lowest grade",
                    VetoEffectName::ZeroTotal => "total set to 0",
                }
            ),
            (GradeReason::Cap { name, grade, .. }, Lang::Zh) => {
                format!("限等：{name}（不得高于「{grade}」）")
            }
            (GradeReason::Cap { name, grade, .. }, Lang::En) => {
                format!("cap: {name} (no better than {grade})")
            }
        }
    }
}

/// A veto's effect, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VetoEffectName {
    /// Grade forced to the lowest.
    LowestGrade,
    /// Total set to 0.
    ZeroTotal,
}

impl From<VetoEffect> for VetoEffectName {
    fn from(e: VetoEffect) -> Self {
        match e {
            VetoEffect::LowestGrade => VetoEffectName::LowestGrade,
            VetoEffect::ZeroTotal => VetoEffectName::ZeroTotal,
        }
    }
}

/// The deduction one finding asks for before any cap.
fn base_deduction(node: &Scorable<'_>, q: Quantity) -> Points {
    match node.rule() {
        Rule::PassFail => node.points(),
        Rule::Forfeit => node.item.points,
        Rule::PerOccurrence { amount } | Rule::PerMissing { amount, .. } => *amount * q.count(),
        Rule::Range { .. } | Rule::CatchAll { .. } => match q {
            Quantity::Amount(a) => a,
            _ => Points::ZERO,
        },
        Rule::Veto { .. } | Rule::GradeCap { .. } | Rule::Bonus { .. } => Points::ZERO,
    }
}

/// The cap one node's deductions stop at.
fn node_cap(node: &Scorable<'_>) -> Points {
    match node.rule() {
        Rule::Forfeit => node.item.points,
        _ => node.points(),
    }
}

/// What one finding says on its own, for showing beside it: the deduction its node's rule asks
/// for, capped at the node's points (item and category caps act on all findings together, later);
/// for a bonus node, the points it adds; 0 for veto and grade-cap nodes.
pub fn finding_points(node: &Scorable<'_>, quantity: Quantity) -> Points {
    match node.rule() {
        Rule::Bonus { amount } => *amount * quantity.count(),
        _ => base_deduction(node, quantity).min(node_cap(node)),
    }
}

/// What a finding on `node` counts as on a sheet with these 不适用 marks: its node's kind, or
/// `None` when its item or category is 不适用 or the rubric lacks the node (it counts for
/// nothing). The engine's counts, the reports and the ledger all ask this.
pub fn counts_as(rubric: &Rubric, not_applicable: &BTreeSet<String>, node: &str) -> Option<FindingKind> {
    node_counts_as(&rubric.scorable(node)?, not_applicable)
}

/// [`counts_as`] for a node already looked up in the rubric.
pub fn node_counts_as(node: &Scorable<'_>, not_applicable: &BTreeSet<String>) -> Option<FindingKind> {
    let na = not_applicable.contains(node.item.id.as_str()) || not_applicable.contains(node.category.id.as_str());
    (!na).then(|| node.rule().finding_kind())
}

/// Scores a sheet against a rubric. Pure: the same inputs always give the same result, and the
/// order of the findings does not matter.
pub fn score(rubric: &Rubric, sheet: &Sheet) -> ScoreSheet {
    let na = &sheet.not_applicable;
    let mut vetoed: BTreeSet<(String, String, VetoEffect)> = BTreeSet::new();
    let mut caps: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut bonus_raw = Points::ZERO;
    let mut extra_total = Points::ZERO;
    let mut problems = 0u32;
    let (mut bonuses, mut vetoes, mut grade_caps) = (0u32, 0u32, 0u32);
    let mut na_points = Points::ZERO;

    // Each node's findings are taken out as the rubric is walked: what is left is on nodes
    // the rubric does not have (node ids are unique in a rubric). A node's findings are a
    // chain through `next` from its first, so grouping costs two allocations, not one per node.
    let mut by_node: HashMap<&str, usize> = HashMap::with_capacity_and_hasher(sheet.findings.len(), Default::default());
    let mut next: Vec<Option<usize>> = vec![None; sheet.findings.len()];
    for (i, f) in sheet.findings.iter().enumerate().rev() {
        next[i] = by_node.insert(f.node.as_str(), i);
    }
    let chain = |first: Option<usize>| std::iter::successors(first, |&i| next[i]).map(|i| &sheet.findings[i]);

    let mut categories = Vec::with_capacity(rubric.categories.len());
    for category in &rubric.categories {
        let mut items = Vec::with_capacity(category.items.len());
        for item in &category.items {
            let item_na = na.contains(item.id.as_str()) || na.contains(category.id.as_str());
            let mut s = ItemScore {
                id: item.id.clone(),
                name: item.name.clone(),
                points: item.points,
                not_applicable: item_na,
                findings: 0,
                occurrences: 0,
                raw_deduction: Points::ZERO,
                deduction: Points::ZERO,
                extra: Points::ZERO,
                bonus: Points::ZERO,
            };
            if item_na {
                na_points += item.points;
            }
            let mut capped_sum = Points::ZERO;
            for node in item.scorables(category) {
                let mut node_raw = Points::ZERO;
                for f in chain(by_node.remove(node.id())) {
                    s.findings += 1;
                    s.occurrences += f.quantity.count();
                    if item_na {
                        continue;
                    }
                    let base = base_deduction(&node, f.quantity);
                    node_raw += base;
                    match node.rule() {
                        Rule::Veto { effect } => {
                            vetoed.insert((node.id().to_owned(), node.name().to_owned(), *effect));
                            vetoes += 1;
                        }
                        Rule::GradeCap { grade } => {
                            caps.insert((node.id().to_owned(), node.name().to_owned(), grade.clone()));
                            grade_caps += 1;
                        }
                        Rule::Bonus { amount } => {
                            s.bonus += *amount * f.quantity.count();
                            bonuses += 1;
                        }
                        _ => {
                            problems += 1;
                            if f.repeat {
                                s.extra += match rubric.aggravation {
                                    Some(Aggravation::Multiplier(m)) => base.min(node_cap(&node)) * (m - 1),
                                    Some(Aggravation::Extra(e)) => e * f.quantity.count(),
                                    None => Points::ZERO,
                                };
                            }
                        }
                    }
                }
                s.raw_deduction += node_raw;
                capped_sum += node_raw.min(node_cap(&node));
            }
            s.deduction = capped_sum.min(item.points);
            bonus_raw += s.bonus;
            extra_total += s.extra;
            items.push(s);
        }
        let raw_deduction: Points = items.iter().map(|i| i.deduction).sum();
        let deduction = raw_deduction.min(category.max_deduction.unwrap_or(category.points));
        categories.push(CategoryScore {
            id: category.id.clone(),
            name: category.name.clone(),
            points: category.points,
            raw_deduction,
            deduction,
            items,
        });
    }

    let unknown_nodes: Vec<String> = by_node
        .into_keys()
        .map(str::to_owned)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    let deductions: Points = categories.iter().map(|c| c.deduction).sum();
    let base = match rubric.na_policy {
        NaPolicy::FullMarks => rubric.total - deductions,
        NaPolicy::Rescale => {
            let applicable = rubric.total - na_points;
            if applicable > Points::ZERO {
                (applicable - deductions).scale(rubric.total, applicable)
            } else {
                rubric.total
            }
        }
    };
    let bonus = bonus_raw.min(rubric.bonus_cap);
    let mut total = (base + bonus - extra_total).max(Points::ZERO).min(rubric.ceiling);
    if vetoed.iter().any(|(_, _, e)| *e == VetoEffect::ZeroTotal) {
        total = Points::ZERO;
    }

    let band_rank = rubric
        .grades
        .iter()
        .position(|g| total >= g.min)
        .unwrap_or(rubric.grades.len() - 1);
    let band = &rubric.grades[band_rank];
    let mut rank = band_rank;
    let mut reasons = vec![GradeReason::Band {
        grade: band.name.clone(),
        min: band.min,
        total,
    }];
    for (node, name, effect) in vetoed {
        rank = rubric.grades.len() - 1;
        reasons.push(GradeReason::Veto {
            node,
            name,
            effect: effect.into(),
        });
    }
    for (node, name, grade) in caps {
        if let Some(r) = rubric.grade_rank(&grade) {
            rank = rank.max(r);
        }
        reasons.push(GradeReason::Cap { node, name, grade });
    }

    ScoreSheet {
        categories,
        base,
        bonus_raw,
        bonus,
        extra: extra_total,
        total,
        grade: rubric.grades[rank].name.clone(),
        reasons,
        decision: sheet.decision.clone(),
        problems,
        bonuses,
        vetoes,
        grade_caps,
        unknown_nodes,
    }
}
