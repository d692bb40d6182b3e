//! The validated rubric tree.

use crate::points::Points;
use crate::shared::SharedStr;
use serde::Serialize;

/// A validated rubric.
#[derive(Debug, Clone, Serialize)]
pub struct Rubric {
    /// Stable id across versions, e.g. `jjjc-lian`.
    pub id: String,
    /// Display name, e.g. 纪检监察立案件审理质量评查标准.
    pub name: String,
    /// Version label, e.g. `2026.1`.
    pub version: String,
    /// Full marks (usually 100).
    pub total: Points,
    /// The highest total a case can reach with bonuses (defaults to `total`).
    pub ceiling: Points,
    /// The most bonus points a case can receive.
    pub bonus_cap: Points,
    /// How items marked 不适用 count.
    pub na_policy: NaPolicy,
    /// Grade bands, best first; the last one starts at 0.
    pub grades: Vec<GradeBand>,
    /// The 从重 rule applied to findings marked as repeats of problems fed back before.
    pub aggravation: Option<Aggravation>,
    /// Case metadata fields the rubric asks for.
    pub fields: Vec<Field>,
    /// The categories (大项).
    pub categories: Vec<Category>,
    /// The words the institution's documents use (`[document]`).
    pub document: DocumentWords,
}

/// The words of an institution that its documents use, from the rubric's `[document]` table, so
/// that a procuratorate's opinion never names a commission's office or period. Without the
/// table every value falls back to neutral wording ([`DocumentWords::default`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentWords {
    /// The organ that runs the review (评查组织机关), e.g. ××市纪委监委: the documents' author
    /// and the first words of the 落款; empty when the rubric does not say.
    pub organ: String,
    /// Who receives the written rectification reports, e.g. 案件审理室.
    pub report_to: String,
    /// Days allowed for rectification, from receipt of the opinion, when the ledger sets no
    /// deadline.
    pub rectify_days: u32,
    /// The 回头看 sentence that closes the rectification requirements; empty for none.
    pub follow_up: String,
    /// The opinion's 文号 with `{n}` for the case's place in the case list and `{year}`; empty
    /// for an opinion without one.
    pub number: String,
}

impl DocumentWords {
    /// The 落款 of the documents: the organ's 案件质量评查组.
    pub fn signature(&self) -> String {
        format!("{}案件质量评查组", self.organ)
    }

    /// The author property of the documents: the organ, or the 评查组 when the rubric names
    /// none, so no file says "unknown" or nobody.
    pub fn author(&self) -> String {
        if self.organ.is_empty() {
            self.signature()
        } else {
            self.organ.clone()
        }
    }
}

impl Default for DocumentWords {
    fn default() -> Self {
        DocumentWords {
            organ: String::new(),
            report_to: "评查组织部门".to_owned(),
            rectify_days: 30,
            follow_up: String::new(),
            number: String::new(),
        }
    }
}

/// What 不适用 (not applicable) means for the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NaPolicy {
    /// The item keeps its full points (common on paper sheets).
    FullMarks,
    /// The item is removed and the score is rescaled to the rubric total.
    Rescale,
}

/// A grade (等次) with its inclusive lower bound.
#[derive(Debug, Clone, Serialize)]
pub struct GradeBand {
    /// Grade name, e.g. 优秀.
    pub name: String,
    /// Inclusive lower bound of the total.
    pub min: Points,
}

/// How a repeated problem (fed back before and found again) is deducted more heavily.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "mode", content = "value")]
pub enum Aggravation {
    /// The finding's deduction is multiplied by this factor (2 = doubled).
    Multiplier(i64),
    /// This many extra points per repeated finding.
    Extra(Points),
}

/// A case metadata field (案号, 承办单位, …).
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Machine key, e.g. `case_no`.
    pub key: String,
    /// Label shown to people and used to match case-list columns, e.g. 案号.
    pub label: String,
    /// What kind of value it holds.
    pub kind: FieldKind,
    /// Whether a case list must fill it.
    pub required: bool,
    /// For a date: the key of another date field this one may not be earlier than (审结日期 not
    /// before 立案日期), checked wherever a case's fields are entered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
}

/// The kind of a metadata field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "choices")]
pub enum FieldKind {
    /// Free text.
    Text,
    /// A calendar date, stored as `YYYY-MM-DD`.
    Date,
    /// A whole number (e.g. 卷册数).
    Number,
    /// One of a fixed list.
    Choice(Vec<String>),
}

/// The well-known field key that identifies a case.
pub const CASE_NO: &str = "case_no";
/// The well-known field key holding the number of volumes (卷册数), used to check 卷/页.
pub const VOLUMES: &str = "volumes";

/// A category (大项).
#[derive(Debug, Clone, Serialize)]
pub struct Category {
    /// Stable id.
    pub id: SharedStr,
    /// Name, e.g. 事实证据.
    pub name: SharedStr,
    /// Points (the sum of its items' points).
    pub points: Points,
    /// Optional ceiling on the category's deductions, below its points.
    pub max_deduction: Option<Points>,
    /// The items (小项).
    pub items: Vec<Item>,
}

/// An item (小项). Either it has a rule itself, or its sub-items have rules.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Stable id.
    pub id: SharedStr,
    /// What the item checks.
    pub name: SharedStr,
    /// Points; deductions on the item and its sub-items are capped here (扣完为止).
    pub points: Points,
    /// The rule when the item has no sub-items.
    pub rule: Option<Rule>,
    /// Sub-items (细则), each with its own rule.
    pub subitems: Vec<SubItem>,
    /// Common problems (常见问题) reviewers pick wording from.
    pub problems: Vec<Problem>,
    /// Whether a finding on it is found on a page of the file, so 卷/页 are expected (`paged =
    /// false` in the rubric for items judged on the file as a whole, e.g. a document missing).
    #[serde(skip_serializing_if = "is_true")]
    pub paged: bool,
}

fn is_true(b: &bool) -> bool {
    *b
}

/// A sub-item (细则) under an item.
#[derive(Debug, Clone, Serialize)]
pub struct SubItem {
    /// Stable id.
    pub id: SharedStr,
    /// What the sub-item checks.
    pub name: SharedStr,
    /// Its own cap, at most the item's points (defaults to them).
    pub points: Points,
    /// How a finding on it counts.
    pub rule: Rule,
    /// Common problems for this sub-item.
    pub problems: Vec<Problem>,
}

/// A common problem with its standard wording.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// Short code, stable across versions, e.g. `SZ-03`.
    pub code: String,
    /// Standard wording.
    pub text: SharedStr,
}

/// How findings on a node count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Rule {
    /// All or nothing: one finding deducts all the node's points.
    PassFail,
    /// 每处扣X分，扣完为止: each occurrence deducts `amount`, capped at the node's points.
    PerOccurrence {
        /// Points per occurrence.
        amount: Points,
    },
    /// 缺一项扣X分: each missing element of the checklist deducts `amount`, capped.
    PerMissing {
        /// Points per missing element.
        amount: Points,
        /// The required elements.
        elements: Vec<String>,
    },
    /// 扣X–Y分: the reviewer picks a deduction in `[min, max]` at `step`.
    Range {
        /// Smallest deduction.
        min: Points,
        /// Largest deduction.
        max: Points,
        /// Step between allowed values.
        step: Points,
    },
    /// 该项不得分: a finding forfeits the whole item's points.
    Forfeit,
    /// 其他: a free deduction of any amount up to the node's points.
    CatchAll {
        /// Step between allowed amounts.
        step: Points,
    },
    /// 一票否决: the case fails whatever its score.
    Veto {
        /// What the veto does to the result.
        effect: VetoEffect,
    },
    /// 不得评为…: the grade can be no better than `grade`.
    GradeCap {
        /// The best grade still possible.
        grade: String,
    },
    /// 加分: each finding adds `amount` (times its count), capped by the rubric's bonus cap.
    Bonus {
        /// Points per occurrence.
        amount: Points,
    },
}

/// What a veto does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VetoEffect {
    /// The score stands but the grade is forced to the lowest.
    LowestGrade,
    /// The total is set to 0 (全案不得分), and so the grade is the lowest.
    ZeroTotal,
}

/// How much a finding on a node says: nothing more, a count, or an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityKind {
    /// The finding itself is all (pass/fail, forfeit, veto, grade cap).
    None,
    /// A whole number of occurrences or missing elements.
    Count,
    /// A point amount (range, catch-all).
    Amount,
}

/// What a finding is, by its node's rule: only a problem (问题) is fed back for rectification
/// and counted as 问题数; bonuses, vetoes and grade caps are counted apart, each by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A deduction: a problem of the case.
    Problem,
    /// 加分: a merit, not a problem.
    Bonus,
    /// 一票否决.
    Veto,
    /// 限等 (不得评为…).
    GradeCap,
}

impl FindingKind {
    /// The kind's name as lists show it.
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        lang.pick(
            match self {
                FindingKind::Problem => "问题",
                FindingKind::Bonus => "加分",
                FindingKind::Veto => "一票否决",
                FindingKind::GradeCap => "限等",
            },
            match self {
                FindingKind::Problem => "problem",
                FindingKind::Bonus => "bonus",
                FindingKind::Veto => "veto",
                FindingKind::GradeCap => "grade cap",
            },
        )
    }
}

impl Rule {
    /// What a finding under this rule is (the one classification every count uses).
    pub fn finding_kind(&self) -> FindingKind {
        match self {
            Rule::Veto { .. } => FindingKind::Veto,
            Rule::GradeCap { .. } => FindingKind::GradeCap,
            Rule::Bonus { .. } => FindingKind::Bonus,
            _ => FindingKind::Problem,
        }
    }

    /// What quantity a finding under this rule carries.
    pub fn quantity_kind(&self) -> QuantityKind {
        match self {
            Rule::PerOccurrence { .. } | Rule::PerMissing { .. } | Rule::Bonus { .. } => QuantityKind::Count,
            Rule::Range { .. } | Rule::CatchAll { .. } => QuantityKind::Amount,
            Rule::PassFail | Rule::Forfeit | Rule::Veto { .. } | Rule::GradeCap { .. } => QuantityKind::None,
        }
    }

    /// True for rules whose points are part of the rubric total (not veto, cap or bonus).
    pub fn deducts(&self) -> bool {
        self.finding_kind() == FindingKind::Problem
    }

    /// The rule's kind as written in the TOML file.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Rule::PassFail => "pass_fail",
            Rule::PerOccurrence { .. } => "per_occurrence",
            Rule::PerMissing { .. } => "per_missing",
            Rule::Range { .. } => "range",
            Rule::Forfeit => "forfeit",
            Rule::CatchAll { .. } => "catch_all",
            Rule::Veto { .. } => "veto",
            Rule::GradeCap { .. } => "grade_cap",
            Rule::Bonus { .. } => "bonus",
        }
    }

    /// A short human description, e.g. "每处扣1分，扣完为止".
    pub fn describe(&self, lang: crate::lang::Lang) -> String {
        use crate::lang::Lang::*;
        match (self, lang) {
            (Rule::PassFail, Zh) => "不符合即扣该项全部分值".into(),
            (Rule::PassFail, En) => "all or nothing".into(),
            (Rule::PerOccurrence { amount }, Zh) => format!("每处扣{amount}分，扣完为止"),
            (Rule::PerOccurrence { amount }, En) => format!("{amount} per occurrence, capped"),
            (Rule::PerMissing { amount, elements }, Zh) => {
                format!("缺一项扣{amount}分（{}）", elements.join("、"))
            }
            (Rule::PerMissing { amount, elements }, En) => {
                format!("{amount} per missing element ({})", elements.join(", "))
            }
            (Rule::Range { min, max, step }, Zh) => format!("酌情扣{min}–{max}分（步长{step}）"),
            (Rule::Range { min, max, step }, En) => format!("deduct {min}–{max} (step {step})"),
            (Rule::Forfeit, Zh) => "该项不得分".into(),
            (Rule::Forfeit, En) => "the whole item is forfeited".into(),
            (Rule::CatchAll { .. }, Zh) => "其他情形，酌情扣分，扣完为止".into(),
            (Rule::CatchAll { .. }, En) => "other problems, free deduction up to the item".into(),
            (
                Rule::Veto {
                    effect: VetoEffect::LowestGrade,
                },
                Zh,
            ) => "一票否决（直接评为最低等次）".into(),
            (
                Rule::Veto {
                    effect: VetoEffect::ZeroTotal,
                },
                Zh,
            ) => "一票否决（全案不得分）".into(),
            (
                Rule::Veto {
                    effect: VetoEffect::LowestGrade,
                },
                En,
            ) => "veto (lowest grade)".into(),
            (
                Rule::Veto {
                    effect: VetoEffect::ZeroTotal,
                },
                En,
            ) => "veto (total set to 0)".into(),
            (Rule::GradeCap { grade }, Zh) => format!("不得评为{grade}以上等次"),
            (Rule::GradeCap { grade }, En) => format!("grade no better than {grade}"),
            (Rule::Bonus { amount }, Zh) => format!("每项加{amount}分"),
            (Rule::Bonus { amount }, En) => format!("bonus {amount} each"),
        }
    }
}

/// A node a finding can be recorded on: an item without sub-items, or a sub-item.
#[derive(Debug, Clone, Copy)]
pub struct Scorable<'a> {
    /// The category it belongs to.
    pub category: &'a Category,
    /// The item it belongs to (itself when it has no sub-items).
    pub item: &'a Item,
    /// The sub-item, when the node is one.
    pub subitem: Option<&'a SubItem>,
}

impl<'a> Scorable<'a> {
    /// The node's id.
    pub fn id(&self) -> &'a str {
        self.subitem.map_or(&self.item.id, |s| &s.id)
    }

    /// The node's name.
    pub fn name(&self) -> &'a str {
        self.subitem.map_or(&self.item.name, |s| &s.name)
    }

    /// The node's cap.
    pub fn points(&self) -> Points {
        self.subitem.map_or(self.item.points, |s| s.points)
    }

    /// The node's rule.
    pub fn rule(&self) -> &'a Rule {
        match self.subitem {
            Some(s) => &s.rule,
            None => self.item.rule.as_ref().unwrap_or(&Rule::PassFail),
        }
    }

    /// Whether 卷/页 are expected on a finding here (the item's `paged`).
    pub fn paged(&self) -> bool {
        self.item.paged
    }

    /// The node's common problems (a sub-item's own, then its item's).
    pub fn problems(&self) -> impl Iterator<Item = &'a Problem> {
        self.subitem
            .into_iter()
            .flat_map(|s| s.problems.iter())
            .chain(self.item.problems.iter())
    }
}

impl Item {
    /// The nodes findings on this item go on: the item itself, or its sub-items.
    pub fn scorables<'a>(&'a self, category: &'a Category) -> impl Iterator<Item = Scorable<'a>> {
        let own = self.subitems.is_empty().then_some(Scorable {
            category,
            item: self,
            subitem: None,
        });
        own.into_iter().chain(self.subitems.iter().map(move |s| Scorable {
            category,
            item: self,
            subitem: Some(s),
        }))
    }
}

impl Rubric {
    /// Every node a finding can be recorded on, in rubric order.
    pub fn scorables(&self) -> impl Iterator<Item = Scorable<'_>> {
        self.categories
            .iter()
            .flat_map(|category| category.items.iter().flat_map(move |item| item.scorables(category)))
    }

    /// The scorable node with this id.
    pub fn scorable(&self, id: &str) -> Option<Scorable<'_>> {
        self.scorables().find(|s| s.id() == id)
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<(&Category, &Item)> {
        self.categories
            .iter()
            .flat_map(|c| c.items.iter().map(move |i| (c, i)))
            .find(|(_, i)| i.id == id)
    }

    /// The position of a grade among the bands (0 is best), if it is one.
    pub fn grade_rank(&self, grade: &str) -> Option<usize> {
        self.grades.iter().position(|g| g.name == grade)
    }

    /// The lowest grade (the last band).
    pub fn lowest_grade(&self) -> &GradeBand {
        self.grades
            .last()
            .expect("a validated rubric has at least one grade band")
    }

    /// The metadata field with this key.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Every item id, in rubric order.
    pub fn item_ids(&self) -> impl Iterator<Item = &str> {
        self.categories
            .iter()
            .flat_map(|c| c.items.iter().map(|i| i.id.as_str()))
    }
}
