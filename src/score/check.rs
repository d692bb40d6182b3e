//! Checking one finding against its rule before it is stored.

use super::{Finding, Quantity};
use crate::lang::{Lang, Localized};
use crate::points::Points;
use crate::rubric::{QuantityKind, Rubric, Rule};

/// Why a finding does not fit its rubric node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingError {
    /// No scorable node with this id.
    UnknownNode(String),
    /// The node's rule needs a count (`--count`).
    NeedsCount(String),
    /// The node's rule needs an amount (`--amount`).
    NeedsAmount(String),
    /// The node's rule takes neither a count nor an amount.
    TakesNothing(String),
    /// A count of zero.
    ZeroCount,
    /// More missing elements than a 缺一项 rule lists.
    TooManyMissing {
        /// The count given.
        count: u32,
        /// The elements the rule lists.
        elements: usize,
    },
    /// An amount outside what the rule allows.
    AmountOutOfRange {
        /// Smallest allowed.
        min: Points,
        /// Largest allowed.
        max: Points,
        /// Step.
        step: Points,
    },
}

impl Localized for FindingError {
    fn localized(&self, lang: Lang) -> String {
        use FindingError::*;
        let zh = lang == Lang::Zh;
        match self {
            UnknownNode(id) if zh => {
                format!("评查标准中没有可打分的项目 `{id}`（有细则的小项请记在细则上）")
            }
            UnknownNode(id) => {
                format!("the rubric has no scorable node `{id}` (record findings on sub-items where an item has them)")
            }
            NeedsCount(id) if zh => format!("`{id}` 按处/项计扣分，请给出处数"),
            NeedsCount(id) => format!("`{id}` deducts per occurrence; give the count"),
            NeedsAmount(id) if zh => {
                format!("`{id}` 需由评查人确定扣分值，请给出分值")
            }
            NeedsAmount(id) => format!("`{id}` needs the amount to deduct"),
            TakesNothing(id) if zh => {
                format!("`{id}` 的规则不需要处数或分值")
            }
            TakesNothing(id) => {
                format!("`{id}` takes neither a count nor an amount")
            }
            ZeroCount if zh => "处数须至少为 1".into(),
            ZeroCount => "the count must be at least 1".into(),
            AmountOutOfRange { min, max, step } if zh => {
                format!("扣分值须在 {min} 至 {max} 之间，且为 {step} 的整数倍")
            }
            AmountOutOfRange { min, max, step } => {
                format!("the amount must be between {min} and {max}, in steps of {step}")
            }
            TooManyMissing { count, elements } if zh => {
                format!("该项规则只列了 {elements} 个要素，缺少的不能是 {count} 个；请核对处数")
            }
            TooManyMissing { count, elements } => {
                format!("the rule lists {elements} elements, so {count} cannot be missing; check the count")
            }
        }
    }
}

impl std::fmt::Display for FindingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for FindingError {}

/// Checks that a finding names a scorable node and carries the quantity its rule needs.
pub fn check_finding(rubric: &Rubric, finding: &Finding) -> Result<(), FindingError> {
    let node = rubric
        .scorable(&finding.node)
        .ok_or_else(|| FindingError::UnknownNode(finding.node.to_string()))?;
    let id = || finding.node.to_string();
    let within = |a: Points, min: Points, max: Points, step: Points| {
        if a < min || a > max || !a.is_multiple_of(step) {
            Err(FindingError::AmountOutOfRange { min, max, step })
        } else {
            Ok(())
        }
    };
    match (node.rule(), finding.quantity) {
        (Rule::Range { min, max, step }, Quantity::Amount(a)) => within(a, *min, *max, *step),
        (Rule::CatchAll { step }, Quantity::Amount(a)) => within(a, *step, node.points(), *step),
        (Rule::PerMissing { elements, .. }, Quantity::Count(count))
            if !elements.is_empty() && count as usize > elements.len() =>
        {
            Err(FindingError::TooManyMissing {
                count,
                elements: elements.len(),
            })
        }
        (rule, q) => match (rule.quantity_kind(), q) {
            (QuantityKind::None, Quantity::One) => Ok(()),
            (QuantityKind::None, _) => Err(FindingError::TakesNothing(id())),
            (QuantityKind::Count, Quantity::Count(0)) => Err(FindingError::ZeroCount),
            (QuantityKind::Count, Quantity::Count(_)) => Ok(()),
            (QuantityKind::Count, _) => Err(FindingError::NeedsCount(id())),
            (QuantityKind::Amount, _) => Err(FindingError::NeedsAmount(id())),
        },
    }
}
