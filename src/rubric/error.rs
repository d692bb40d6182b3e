//! Rubric errors: each names the file, line and column, and says what to do.

use crate::lang::{Lang, Localized};
use crate::points::Points;
use std::fmt;

/// One problem in a rubric file, with its position (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricError {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub kind: RubricErrorKind,
}

/// What is wrong in a rubric file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RubricErrorKind {
    /// The file could not be read.
    Io(String),
    /// A key the format does not know.
    UnknownKey {
        /// The key.
        key: String,
        /// The keys allowed here.
        expected: String,
    },
    /// A required key is missing.
    MissingKey(String),
    /// Any other TOML syntax or type error (the parser's own words).
    Syntax(String),
    /// A point value with more than two decimals, or not a number.
    BadPoints(String),
    /// An id used twice.
    DuplicateId {
        /// The id.
        id: String,
        /// Line of the first use.
        first_line: usize,
    },
    /// A node's points differ from the sum of its children's.
    PointsDoNotAddUp {
        /// Which node ("rubric" or a category id).
        node: String,
        /// The declared points.
        declared: Points,
        /// The children's sum.
        sum: Points,
    },
    /// Grade bands are not strictly decreasing.
    BandsOutOfOrder {
        /// The band that is not lower than the one before.
        grade: String,
    },
    /// The lowest band does not start at 0.
    LowestBandNotZero(String),
    /// A band above the ceiling can never be reached.
    BandAboveCeiling(String),
    /// No grade bands at all.
    NoGrades,
    /// A grade name used twice.
    DuplicateGrade(String),
    /// A grade name that is not one of the bands.
    UnknownGrade(String),
    /// A grade cap to the best grade caps nothing.
    CapToBestGrade(String),
    /// An unknown rule kind.
    UnknownRuleKind(String),
    /// An unknown value for an enumerated key.
    UnknownValue {
        /// The key.
        key: String,
        /// The value written.
        value: String,
        /// The allowed values.
        allowed: &'static str,
    },
    /// A rule lacks a parameter it needs.
    RuleParamMissing {
        /// The rule kind.
        kind: String,
        /// The parameter.
        param: &'static str,
    },
    /// A rule has a parameter it does not use.
    RuleParamUnused {
        /// The rule kind.
        kind: String,
        /// The parameter.
        param: &'static str,
    },
    /// An item has neither a rule nor sub-items.
    NoRule(String),
    /// An item has both a rule and sub-items.
    RuleAndSubitems(String),
    /// A deducting rule on a node worth nothing.
    ZeroPoints(String),
    /// A veto, grade cap or bonus with points (they sit outside the total).
    PointsOnNonDeducting {
        /// The node id.
        node: String,
        /// The rule kind.
        kind: String,
    },
    /// A per-occurrence amount larger than the node's points.
    AmountExceedsPoints {
        /// The node id.
        node: String,
        /// The amount.
        amount: Points,
        /// The node's points.
        points: Points,
    },
    /// An amount, step or bound that must be positive is not.
    NotPositive(&'static str),
    /// A range with min > max, max over the node's points, or a step that does not fit.
    BadRange(String),
    /// A per-missing checklist with no elements.
    EmptyChecklist(String),
    /// A sub-item worth more than its item.
    SubitemExceedsItem(String),
    /// A category max deduction above its points.
    MaxDeductionTooLarge(String),
    /// The ceiling is below the total.
    CeilingBelowTotal,
    /// A bonus larger than the bonus cap, or a bonus rule with no cap.
    BonusOverCap(String),
    /// A choice field without choices, or choices on another kind.
    BadChoices(String),
    /// The rubric has no `case_no` field.
    NoCaseNumberField,
    /// `not_before` on a field that is not a date, or naming a field that is not another date
    /// field: (the field, the key it names).
    BadOrder(String, String),
    /// Aggravation must give exactly one of multiplier or extra.
    BadAggravation,
    /// A required text value is empty.
    Empty(&'static str),
    /// A 文号 template without the `{n}` that numbers the cases.
    NumberWithoutPlaceholder,
}

impl Localized for RubricErrorKind {
    fn localized(&self, lang: Lang) -> String {
        use RubricErrorKind::*;
        let zh = lang == Lang::Zh;
        match self {
            Io(e) if zh => format!("无法读取文件：{e}"),
            Io(e) => format!("cannot read the file: {e}"),
            UnknownKey { key, expected } if zh => {
                format!("未知的键 `{key}`。请检查拼写；此处可用的键：{expected}")
            }
            UnknownKey { key, expected } => {
                format!("unknown key `{key}`. Check the spelling; keys allowed here: {expected}")
            }
            MissingKey(k) if zh => format!("缺少必填的键 `{k}`，请补上"),
            MissingKey(k) => format!("required key `{k}` is missing; add it"),
            Syntax(m) if zh => format!("TOML 格式错误：{m}"),
            Syntax(m) => format!("TOML error: {m}"),
            BadPoints(m) if zh => format!("分值写法不对（{m}）：分值须为数字，最多两位小数，如 5、0.5、2.25"),
            BadPoints(m) => {
                format!("bad point value ({m}): write a number with at most two decimals, e.g. 5, 0.5, 2.25")
            }
            DuplicateId { id, first_line } if zh => {
                format!("编号 `{id}` 重复（第 {first_line} 行已用过）。每个节点的编号须唯一且跨版本稳定，请改用新编号")
            }
            DuplicateId { id, first_line } => {
                format!(
                    "id `{id}` is used twice (first on line {first_line}). Every node needs a unique id that stays stable across versions"
                )
            }
            PointsDoNotAddUp { node, declared, sum } if zh => {
                format!("`{node}` 的分值为 {declared}，但其下各项合计 {sum}。请调整分值使两者相等")
            }
            PointsDoNotAddUp { node, declared, sum } => {
                format!("`{node}` is worth {declared} but its parts add up to {sum}; make them equal")
            }
            BandsOutOfOrder { grade } if zh => {
                format!("等次「{grade}」的下限不低于上一个等次。等次须从高到低排列，下限严格递减")
            }
            BandsOutOfOrder { grade } => {
                format!(
                    "grade `{grade}` does not start below the one before it; list grades best first with strictly decreasing lower bounds"
                )
            }
            LowestBandNotZero(g) if zh => format!("最低等次「{g}」的下限须为 0，否则低分案件将没有等次"),
            LowestBandNotZero(g) => format!("the lowest grade `{g}` must start at 0, or low totals get no grade"),
            BandAboveCeiling(g) if zh => format!("等次「{g}」的下限高于最高得分，永远无法达到"),
            BandAboveCeiling(g) => format!("grade `{g}` starts above the ceiling and can never be reached"),
            NoGrades if zh => "未定义等次。请用 [[grade]] 从高到低列出等次名称及下限（含）".into(),
            NoGrades => "no grades: list them best first with [[grade]] name = … min = …".into(),
            DuplicateGrade(g) if zh => format!("等次名称「{g}」重复"),
            DuplicateGrade(g) => format!("grade name `{g}` is used twice"),
            UnknownGrade(g) if zh => format!("「{g}」不是本标准定义的等次，请使用 [[grade]] 中的名称"),
            UnknownGrade(g) => format!("`{g}` is not one of this rubric's grades"),
            CapToBestGrade(g) if zh => format!("封顶等次「{g}」已是最高等次，该规则不起作用，请改为较低等次"),
            CapToBestGrade(g) => format!("a cap at `{g}`, the best grade, has no effect; name a lower grade"),
            UnknownRuleKind(k) if zh => format!(
                "未知的规则类型 `{k}`。可用：pass_fail、per_occurrence、per_missing、range、forfeit、catch_all、veto、grade_cap、bonus"
            ),
            UnknownRuleKind(k) => format!(
                "unknown rule kind `{k}`; use one of pass_fail, per_occurrence, per_missing, range, forfeit, catch_all, veto, grade_cap, bonus"
            ),
            UnknownValue { key, value, allowed } if zh => format!("`{key}` 的值 `{value}` 无效，可用：{allowed}"),
            UnknownValue { key, value, allowed } => format!("`{value}` is not valid for `{key}`; use one of {allowed}"),
            RuleParamMissing { kind, param } if zh => format!("规则 {kind} 需要参数 `{param}`"),
            RuleParamMissing { kind, param } => format!("rule {kind} needs `{param}`"),
            RuleParamUnused { kind, param } if zh => format!("规则 {kind} 不使用参数 `{param}`，请删除"),
            RuleParamUnused { kind, param } => format!("rule {kind} does not use `{param}`; remove it"),
            NoRule(id) if zh => format!("`{id}` 既没有 rule 也没有细则（subitem），请为它指定扣分规则"),
            NoRule(id) => format!("`{id}` has neither a rule nor sub-items; give it a rule"),
            RuleAndSubitems(id) if zh => format!("`{id}` 同时有 rule 和细则。有细则时规则写在各细则上"),
            RuleAndSubitems(id) => format!("`{id}` has both a rule and sub-items; put rules on the sub-items"),
            ZeroPoints(id) if zh => {
                format!("`{id}` 分值为 0，扣分规则无从扣起。请给出分值，或改用 veto/grade_cap/bonus")
            }
            ZeroPoints(id) => format!(
                "`{id}` is worth 0, so its deduction rule can deduct nothing; give it points or use veto/grade_cap/bonus"
            ),
            PointsOnNonDeducting { node, kind } if zh => {
                format!("`{node}` 的规则 {kind} 不计入总分，分值须为 0（加分上限见 bonus_cap）")
            }
            PointsOnNonDeducting { node, kind } => {
                format!("`{node}`: rule {kind} sits outside the total, so its points must be 0")
            }
            AmountExceedsPoints { node, amount, points } if zh => {
                format!("`{node}` 每处扣 {amount} 分，超过其分值 {points}。一处即扣完的请用 pass_fail 或 forfeit")
            }
            AmountExceedsPoints { node, amount, points } => format!(
                "`{node}` deducts {amount} per occurrence, more than its {points} points; use pass_fail or forfeit"
            ),
            NotPositive(what) if zh => format!("`{what}` 须大于 0"),
            NotPositive(what) => format!("`{what}` must be greater than 0"),
            BadRange(why) if zh => format!("扣分区间不合理：{why}"),
            BadRange(why) => format!("bad range: {why}"),
            EmptyChecklist(id) if zh => format!("`{id}` 的 per_missing 规则须在 elements 中列出应有要素"),
            EmptyChecklist(id) => format!("`{id}`: per_missing needs the required elements in `elements`"),
            SubitemExceedsItem(id) if zh => format!("细则 `{id}` 的分值超过所属小项的分值"),
            SubitemExceedsItem(id) => format!("sub-item `{id}` is worth more than its item"),
            MaxDeductionTooLarge(id) if zh => format!("类别 `{id}` 的 max_deduction 超过其分值，请删除或调低"),
            MaxDeductionTooLarge(id) => format!("category `{id}`: max_deduction exceeds its points"),
            CeilingBelowTotal if zh => "ceiling（最高得分）不能低于 total（总分）".into(),
            CeilingBelowTotal => "ceiling must not be below total".into(),
            BonusOverCap(id) if zh => {
                format!("加分项 `{id}` 的分值超过 bonus_cap（加分上限）；请在 [rubric] 中设置 bonus_cap")
            }
            BonusOverCap(id) => format!("bonus `{id}` exceeds bonus_cap; set bonus_cap in [rubric]"),
            BadChoices(k) if zh => format!("字段 `{k}`：choice 类型须给出 choices，其他类型不得有 choices"),
            BadChoices(k) => format!("field `{k}`: a choice field needs choices, and only it may have them"),
            BadOrder(k, other) if zh => {
                format!("字段 `{k}`：not_before = \"{other}\" 须是本字段以外的另一个日期字段，且本字段也须是日期")
            }
            BadOrder(k, other) => {
                format!("field `{k}`: not_before = \"{other}\" must name another date field, on a date field")
            }
            NoCaseNumberField if zh => {
                "缺少案号字段：请添加 [[field]] key = \"case_no\" label = \"案号\" required = true".into()
            }
            NoCaseNumberField => {
                "no case-number field: add [[field]] key = \"case_no\" label = \"案号\" required = true".into()
            }
            BadAggravation if zh => {
                "aggravation（从重规则）须且只能给出 multiplier（倍数，≥2）或 extra（加扣分值）之一".into()
            }
            BadAggravation => "aggravation needs exactly one of multiplier (≥ 2) or extra (points)".into(),
            Empty(what) if zh => format!("`{what}` 不能为空"),
            Empty(what) => format!("`{what}` must not be empty"),
            NumberWithoutPlaceholder if zh => {
                "`document.number` 须含 {n}（案件序号），如 \"评查〔{year}〕{n}号\"".into()
            }
            NumberWithoutPlaceholder => {
                "`document.number` needs {n} (the case's number), e.g. \"评查〔{year}〕{n}号\"".into()
            }
        }
    }
}

impl Localized for RubricError {
    fn localized(&self, lang: Lang) -> String {
        format!(
            "{}:{}:{}: {}",
            self.file,
            self.line,
            self.column,
            self.kind.localized(lang)
        )
    }
}

/// All problems found in one rubric file, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricErrors(pub Vec<RubricError>);

impl Localized for RubricErrors {
    fn localized(&self, lang: Lang) -> String {
        self.0.iter().map(|e| e.localized(lang)).collect::<Vec<_>>().join("\n")
    }
}

impl fmt::Display for RubricErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for RubricErrors {}
