//! One case's report: the sheet that counts, its score and its findings with names and wording.

use crate::lang::Lang;
use crate::points::Points;
use crate::rubric::{DocumentWords, FieldKind, GradeBand, Rubric, Rule};
use crate::score::{Quantity, ScoreSheet, finding_points};
use crate::store::clock::format_beijing;
use crate::store::{Case, FindingRecord, MarkKind, Result, SheetRecord, Stage, Stamp, Store};

/// What a case's problem list and review opinion are made of.
#[derive(Debug, Clone)]
pub struct CaseReport {
    /// The case and its metadata.
    pub case: Case,
    /// The sheet that counts (see [`counting_sheet`]).
    pub sheet: SheetRecord,
    /// Every sheet of the case as "reviewer（stage）", in stage then reviewer order.
    pub reviewers: Vec<String>,
    /// 未定稿: several reviewers share the highest stage and no 终评 settles it.
    pub provisional: bool,
    /// The engine's result for the sheet.
    pub score: ScoreSheet,
    /// The rubric version the sheet is scored against: its name and version.
    pub rubric: String,
    /// The case metadata, in the rubric's field order.
    pub metadata: Vec<MetaField>,
    /// The findings, in rubric order (category, item, node), then by 卷/页.
    pub findings: Vec<FindingLine>,
    /// The first and last day findings were recorded on (Beijing time, `YYYY-MM-DD`), as the
    /// laptops' clocks said; None without findings.
    pub review_dates: Option<(String, String)>,
    /// The rubric's grade bands, best first: the opinion names the band a total falls in and
    /// praises only a case in one of the two best.
    pub bands: Vec<GradeBand>,
    /// The institution's words for its documents (the rubric's `[document]`).
    pub words: DocumentWords,
    /// Items marked 不适用 on the sheet, as "category／item", in rubric order.
    pub not_applicable: Vec<String>,
    /// Nodes the reviewer marked 待议 (to raise at the group meeting), by name; 全案 for the
    /// whole case.
    pub pending: Vec<String>,
}

/// One metadata field of a case, with its kind so spreadsheets write numbers and dates as such.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaField {
    /// The rubric's label (案号, 承办单位, …).
    pub label: String,
    /// The value as stored ("" when unset; dates as `YYYY-MM-DD`).
    pub value: String,
    /// The field's kind.
    pub kind: FieldKind,
}

/// What a finding does, by its node's rule: the opinion says each kind in its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// It deducts points (a problem when the item applies).
    Deducts,
    /// 一票否决.
    Veto,
    /// 限等: the grade can be no better than the cap.
    GradeCap,
    /// 加分.
    Bonus,
    /// On a node the rubric lacks.
    Unknown,
}

/// One finding as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingLine {
    /// Category id.
    pub category_id: String,
    /// Category name.
    pub category: String,
    /// Item id.
    pub item_id: String,
    /// Item name, with the sub-item after a slash when the finding is on one.
    pub item: String,
    /// The common-problem code, when the reviewer picked one.
    pub problem_code: Option<String>,
    /// The problem wording: the common problem's standard text, or "" without a code.
    pub problem: String,
    /// The reviewer's note.
    pub note: String,
    /// 卷.
    pub volume: Option<u32>,
    /// 页.
    pub page: Option<u32>,
    /// Points this finding deducts by its rule (before the item and category caps).
    pub deduction: Points,
    /// True when the finding counts as a problem (问题数): a deducting rule on an applicable item.
    pub is_problem: bool,
    /// A repeat of a problem fed back before (从重).
    pub repeat: bool,
    /// Why the automatic 从重 was removed, if it was.
    pub repeat_waived: Option<String>,
    /// 处数: occurrences (or missing elements) the finding counts, 1 when it has no count.
    pub occurrences: u32,
    /// What the finding does.
    pub kind: FindingKind,
    /// The node (item or sub-item) id the finding is on.
    pub node: String,
}

/// The 从重 column of a finding: 不从重：理由 where the reviewer removed an automatic 从重, 从重
/// where it applies, or empty.
pub fn repeat_mark(repeat: bool, waived: Option<&str>, lang: Lang) -> String {
    match (waived, repeat) {
        (Some(why), _) => format!("{}{why}", lang.pick("不从重：", "removed: ")),
        (None, true) => lang.pick("从重", "yes").to_owned(),
        (None, false) => String::new(),
    }
}

impl FindingLine {
    /// The 从重 column as the handed-over problem lists show it (see [`repeat_mark`]).
    pub fn repeat_mark(&self) -> String {
        repeat_mark(self.repeat, self.repeat_waived.as_deref(), Lang::Zh)
    }

    /// "卷2第15页"-style location, or "" when neither is known.
    pub fn location(&self) -> String {
        match (self.volume, self.page) {
            (Some(v), Some(p)) => format!("第{v}卷第{p}页"),
            (Some(v), None) => format!("第{v}卷"),
            (None, Some(p)) => format!("第{p}页"),
            (None, None) => String::new(),
        }
    }
}

impl CaseReport {
    /// The findings ordered by 卷/页 (unknown locations last), for the feedback meeting.
    pub fn by_page(&self) -> Vec<&FindingLine> {
        let mut lines: Vec<&FindingLine> = self.findings.iter().collect();
        lines.sort_by_key(|f| (f.volume.is_none(), f.volume, f.page.is_none(), f.page));
        lines
    }

    /// The grade that counts: the decided one when there is one.
    pub fn grade(&self) -> &str {
        self.score.final_grade()
    }
}

/// The sheet that counts for a case and whether the case is provisional (未定稿).
///
/// The 终评 sheet if there is one, else the sheet of the highest stage present. When several
/// reviewers share that stage, the first by reviewer name is taken and the case is provisional.
pub fn counting_sheet(sheets: &[SheetRecord]) -> Option<(&SheetRecord, bool)> {
    let stage_of = |s: &SheetRecord| Stage::parse(&s.stage).ok();
    let top = sheets.iter().filter_map(stage_of).max()?;
    let mut at_top: Vec<&SheetRecord> = sheets.iter().filter(|s| stage_of(s) == Some(top)).collect();
    at_top.sort_by(|a, b| a.reviewer.cmp(&b.reviewer));
    let first = at_top.first()?;
    Some((first, at_top.len() > 1))
}

/// Builds the report of one case, or `None` when it has no sheet yet.
pub fn case_report(store: &Store, case: &Case) -> Result<Option<CaseReport>> {
    let sheets = store.sheets_of_case(&case.id)?;
    let Some((sheet, provisional)) = counting_sheet(&sheets) else {
        return Ok(None);
    };
    let rubric = store.rubric_by_hash(&sheet.rubric_hash)?;
    let score = store.score(sheet)?;
    let records = store.findings(&sheet.id)?;
    let day = |hlc: i64| format_beijing(Stamp(hlc).millis()).chars().take(10).collect::<String>();
    let first = records.iter().map(|f| f.hlc).min();
    let last = records.iter().map(|f| f.hlc).max();
    let review_dates = first.zip(last).map(|(a, b)| (day(a), day(b)));
    let findings = finding_lines(rubric, &score, records);
    let not_applicable = rubric
        .categories
        .iter()
        .flat_map(|c| c.items.iter().map(move |i| (c, i)))
        .filter(|(_, i)| {
            score
                .categories
                .iter()
                .flat_map(|c| &c.items)
                .any(|s| s.id == i.id && s.not_applicable)
        })
        .map(|(c, i)| format!("{}／{}", c.name, i.name))
        .collect();
    let pending = store
        .marked(&sheet.id, MarkKind::Pending)?
        .iter()
        .map(|node| node_name(rubric, node))
        .collect();
    Ok(Some(CaseReport {
        case: case.clone(),
        sheet: sheet.clone(),
        reviewers: sheets
            .iter()
            .map(|s| format!("{}（{}）", s.reviewer, s.stage))
            .collect(),
        provisional,
        score,
        rubric: format!("{} {}", rubric.name, rubric.version),
        metadata: rubric
            .fields
            .iter()
            .map(|f| MetaField {
                label: f.label.clone(),
                value: case.field(&f.key).to_owned(),
                kind: f.kind.clone(),
            })
            .collect(),
        findings,
        review_dates,
        bands: rubric.grades.clone(),
        words: rubric.document.clone(),
        not_applicable,
        pending,
    }))
}

/// A node's name as people read it: "category／item／sub-item", 全案 for the whole case (`""`),
/// the id itself for a node the rubric lacks.
fn node_name(rubric: &Rubric, node: &str) -> String {
    if node.is_empty() {
        return "全案".to_owned();
    }
    if let Some(c) = rubric.categories.iter().find(|c| c.id == node) {
        return c.name.clone();
    }
    match rubric.scorable(node) {
        Some(s) => match s.subitem {
            Some(sub) => format!("{}／{}／{}", s.category.name, s.item.name, sub.name),
            None => format!("{}／{}", s.category.name, s.item.name),
        },
        None => rubric
            .item(node)
            .map_or_else(|| node.to_owned(), |(c, i)| format!("{}／{}", c.name, i.name)),
    }
}

/// What a finding on a node with this rule does.
fn kind_of(rule: &Rule) -> FindingKind {
    match rule {
        Rule::Veto { .. } => FindingKind::Veto,
        Rule::GradeCap { .. } => FindingKind::GradeCap,
        Rule::Bonus { .. } => FindingKind::Bonus,
        _ => FindingKind::Deducts,
    }
}

/// 处数 of a finding: its count, or 1.
fn occurrences(q: Quantity) -> u32 {
    match q {
        Quantity::Count(n) => n,
        _ => 1,
    }
}

/// Names, wording and deductions for the findings of a sheet, in rubric order then by 卷/页.
/// Findings on nodes the rubric lacks are kept at the end, named by their node id.
fn finding_lines(rubric: &Rubric, score: &ScoreSheet, records: Vec<FindingRecord>) -> Vec<FindingLine> {
    let order: Vec<&str> = rubric.scorables().map(|s| s.id()).collect();
    let not_applicable = |item_id: &str| {
        score
            .categories
            .iter()
            .flat_map(|c| &c.items)
            .any(|i| i.id == item_id && i.not_applicable)
    };
    let mut keyed: Vec<(usize, FindingLine)> = records
        .into_iter()
        .map(|f| {
            let rank = order.iter().position(|id| *id == f.node).unwrap_or(order.len());
            let line = match rubric.scorable(&f.node) {
                Some(node) => {
                    let wording = f
                        .problem
                        .as_deref()
                        .and_then(|code| node.problems().find(|p| p.code == code))
                        .map_or(String::new(), |p| p.text.clone());
                    let item = match node.subitem {
                        Some(sub) => format!("{}／{}", node.item.name, sub.name),
                        None => node.item.name.clone(),
                    };
                    FindingLine {
                        category_id: node.category.id.clone(),
                        category: node.category.name.clone(),
                        item_id: node.item.id.clone(),
                        item,
                        problem_code: f.problem.clone(),
                        problem: wording,
                        note: f.note,
                        volume: f.volume,
                        page: f.page,
                        deduction: if node.rule().deducts() {
                            finding_points(&node, f.quantity)
                        } else {
                            Points::ZERO
                        },
                        occurrences: occurrences(f.quantity),
                        kind: kind_of(node.rule()),
                        node: f.node.clone(),
                        is_problem: node.rule().deducts() && !not_applicable(&node.item.id),
                        repeat: f.repeat,
                        repeat_waived: f.repeat_waived.clone(),
                    }
                }
                None => FindingLine {
                    category_id: String::new(),
                    category: String::new(),
                    item_id: f.node.clone(),
                    item: f.node.clone(),
                    problem_code: f.problem.clone(),
                    problem: String::new(),
                    note: f.note,
                    volume: f.volume,
                    page: f.page,
                    deduction: Points::ZERO,
                    occurrences: occurrences(f.quantity),
                    kind: FindingKind::Unknown,
                    node: f.node.clone(),
                    is_problem: false,
                    repeat: f.repeat,
                    repeat_waived: f.repeat_waived.clone(),
                },
            };
            (rank, line)
        })
        .collect();
    keyed.sort_by_key(|(rank, f)| (*rank, f.volume.is_none(), f.volume, f.page.is_none(), f.page));
    keyed.into_iter().map(|(_, f)| f).collect()
}
