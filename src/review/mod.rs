//! Several reviewers on one case (交叉互评, 自评 → 初评 → 复核 → 终评): comparing their sheets
//! item by item, listing the round's disagreements, and starting the final sheet (终评).
//!
//! Pure reads of the store except [`start_final`], which writes the lead's final sheet, and
//! [`decide`], which records a decided grade on the sheet that counts.

use crate::lang::Lang;
use crate::points::Points;
use crate::score::{Decision, GradeReason, Quantity, ScoreSheet};
use crate::shared::SharedStr;
use crate::store::{Case, MarkKind, NewFinding, SheetRecord, Stage, Standing, Store, StoreError};
use std::collections::BTreeSet;

mod error;
pub use error::ReviewError;

/// One sheet as a column of a comparison.
#[derive(Debug, Clone)]
pub struct Column {
    /// The sheet.
    pub sheet: SheetRecord,
    /// Its score.
    pub score: ScoreSheet,
}

/// What one sheet says about one item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    /// Deduction after the item cap.
    pub deduction: Points,
    /// 从重 extra deduction.
    pub extra: Points,
    /// Bonus.
    pub bonus: Points,
    /// Marked 不适用.
    pub not_applicable: bool,
    /// A veto (一票否决) fired on it.
    pub veto: bool,
    /// Findings recorded on it.
    pub findings: u32,
    /// Their notes with 卷 and 页 (note, volume, page); the place is worded by
    /// [`crate::vocab::place`] in the reader's language.
    pub notes_at: Vec<(String, Option<u32>, Option<u32>)>,
}

impl Cell {
    /// Whether two cells score the item differently (points, N/A or veto).
    pub fn differs(&self, other: &Cell) -> bool {
        (self.deduction, self.extra, self.bonus, self.not_applicable, self.veto)
            != (
                other.deduction,
                other.extra,
                other.bonus,
                other.not_applicable,
                other.veto,
            )
    }

    /// The cell as a reviewer reads it: `否决`, `不适用`, `-2`, `从重-1`, `+1`, `0` (a finding that
    /// deducts nothing), or empty.
    pub fn text(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if self.veto {
            parts.push(lang.pick("否决", "veto").to_owned());
        }
        if self.not_applicable {
            parts.push(lang.pick("不适用", "N/A").to_owned());
        }
        if self.deduction > Points::ZERO {
            parts.push(format!("-{}", self.deduction));
        }
        if self.extra > Points::ZERO {
            parts.push(format!("{}-{}", lang.pick("从重", "extra "), self.extra));
        }
        if self.bonus > Points::ZERO {
            parts.push(format!("+{}", self.bonus));
        }
        if parts.is_empty() && self.findings > 0 {
            parts.push("0".into());
        }
        parts.join(" ")
    }

    /// Whether the sheet says nothing about the item: no finding, not N/A, no veto.
    pub fn is_blank(&self) -> bool {
        self.findings == 0 && !self.not_applicable && !self.veto
    }
}

/// One item across the sheets.
#[derive(Debug, Clone)]
pub struct ItemRow {
    /// Item id.
    pub id: String,
    /// Item name.
    pub name: String,
    /// Category name.
    pub category: String,
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// Whether the sheets disagree on it.
    pub differs: bool,
}

/// The sheets of one case side by side.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The case.
    pub case: Case,
    /// The sheets, final sheets last.
    pub columns: Vec<Column>,
    /// Items any sheet scored, marked or vetoed ([`compare_all`]: every item), in rubric order.
    pub items: Vec<ItemRow>,
    /// Highest minus lowest total of the non-final sheets.
    pub spread: Points,
    /// Whether the non-final sheets end in different grades.
    pub grades_differ: bool,
}

/// Compares every live sheet of a case item by item, over the items any sheet says something
/// about.
pub fn compare(store: &Store, case_no: &str) -> Result<Comparison, StoreError> {
    compare_items(store, case_no, false)
}

/// Compares every live sheet of a case over every item of the rubric, blank ones included (the
/// TUI's "show all" toggle).
pub fn compare_all(store: &Store, case_no: &str) -> Result<Comparison, StoreError> {
    compare_items(store, case_no, true)
}

fn compare_items(store: &Store, case_no: &str, all: bool) -> Result<Comparison, StoreError> {
    let case = store.require_case(case_no)?;
    let mut columns = Vec::new();
    for sheet in store.sheets_of_case(&case.id)? {
        let score = store.score(&sheet)?;
        columns.push(Column { sheet, score });
    }
    columns.sort_by_key(|c| (c.sheet.stage == Stage::Final, c.sheet.reviewer.clone()));
    let mut items: Vec<ItemRow> = Vec::new();
    for (ci, col) in columns.iter().enumerate() {
        let rubric = store.rubric_by_hash(&col.sheet.rubric_hash)?;
        let vetoed: BTreeSet<String> = col
            .score
            .reasons
            .iter()
            .filter_map(|r| match r {
                GradeReason::Veto { node, .. } => rubric.scorable(node).map(|s| s.item.id.to_string()),
                _ => None,
            })
            .collect();
        let findings = store.findings(&col.sheet.id)?;
        for cat in &col.score.categories {
            for item in &cat.items {
                let mine: Vec<_> = findings
                    .iter()
                    .filter(|f| rubric.scorable(&f.node).is_some_and(|s| s.item.id == item.id))
                    .collect();
                let notes_at = mine.iter().map(|f| (f.note.clone(), f.volume, f.page)).collect();
                let cell = Cell {
                    deduction: item.deduction,
                    extra: item.extra,
                    bonus: item.bonus,
                    not_applicable: item.not_applicable,
                    veto: vetoed.contains(item.id.as_str()),
                    findings: item.findings,
                    notes_at,
                };
                if !all && cell.is_blank() && !items.iter().any(|r| r.id == item.id) {
                    continue;
                }
                let pos = match items.iter().position(|r| r.id == item.id) {
                    Some(p) => p,
                    None => {
                        items.push(ItemRow {
                            id: item.id.to_string(),
                            name: item.name.to_string(),
                            category: cat.name.to_string(),
                            cells: vec![Cell::default(); columns.len()],
                            differs: false,
                        });
                        items.len() - 1
                    }
                };
                if let Some(c) = items[pos].cells.get_mut(ci) {
                    *c = cell;
                }
            }
        }
    }
    let order: Vec<String> = match columns.first() {
        Some(c) => store
            .rubric_by_hash(&c.sheet.rubric_hash)?
            .item_ids()
            .map(str::to_owned)
            .collect(),
        None => Vec::new(),
    };
    items.sort_by_key(|r| order.iter().position(|id| *id == r.id).unwrap_or(usize::MAX));
    for row in &mut items {
        row.differs = row
            .cells
            .iter()
            .any(|c| row.cells.first().is_some_and(|f| f.differs(c)));
    }
    let (spread, grades_differ) = spread(columns.iter().filter(|c| !is_final(&c.sheet)).map(|c| &c.score));
    Ok(Comparison {
        case,
        columns,
        items,
        spread,
        grades_differ,
    })
}

fn is_final(sheet: &SheetRecord) -> bool {
    sheet.stage == Stage::Final
}

/// The spread of totals and whether grades differ over some scored sheets.
fn spread<'a>(scores: impl Iterator<Item = &'a ScoreSheet>) -> (Points, bool) {
    let scores: Vec<&ScoreSheet> = scores.collect();
    let max = scores.iter().map(|s| s.total).max();
    let min = scores.iter().map(|s| s.total).min();
    let grades: BTreeSet<&str> = scores.iter().map(|s| s.final_grade()).collect();
    match (max, min) {
        (Some(max), Some(min)) => (max - min, grades.len() > 1),
        _ => (Points::ZERO, false),
    }
}

/// A case whose reviewers disagree.
#[derive(Debug, Clone)]
pub struct Disagreement {
    /// The case.
    pub case: Case,
    /// Highest minus lowest total.
    pub spread: Points,
    /// Whether the grades differ.
    pub grades_differ: bool,
    /// (reviewer, stage, total, grade) of each non-final sheet.
    pub sheets: Vec<(String, String, Points, String)>,
}

/// Cases with two or more non-final sheets whose grades differ or whose totals differ by more
/// than `min_spread`, largest spread first. Cases already settled by the counting rule
/// ([`Store::standing`]: a 终评 sheet or a decided grade) are left out: the meeting has
/// nothing more to discuss on them.
pub fn disagreements(store: &Store, min_spread: Points) -> Result<Vec<Disagreement>, StoreError> {
    let mut out = Vec::new();
    let recorded = store.recorded()?;
    for case in store.cases()? {
        if matches!(recorded.standing(&case.id), Standing::Settled { .. }) {
            continue;
        }
        let mut sheets = Vec::new();
        let mut scores = Vec::new();
        for sheet in recorded.sheets_of_case(&case.id).iter().filter(|s| !is_final(s)) {
            let score = store.score_recorded(&recorded, sheet)?;
            sheets.push((
                sheet.reviewer.clone(),
                sheet.stage.name().to_owned(),
                score.total,
                score.final_grade().to_owned(),
            ));
            scores.push(score);
        }
        if scores.len() < 2 {
            continue;
        }
        let (spread, grades_differ) = spread(scores.iter());
        if grades_differ || spread > min_spread {
            out.push(Disagreement {
                case,
                spread,
                grades_differ,
                sheets,
            });
        }
    }
    out.sort_by(|a, b| b.spread.cmp(&a.spread).then(a.case.seq.cmp(&b.case.seq)));
    Ok(out)
}

/// Where the final sheet starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinalFrom {
    /// One reviewer's sheet (their latest stage before 终评).
    Reviewer(String),
    /// The union of every reviewer's findings, the same problem once (see [`union`]); an item
    /// is 不适用 only when every sheet marks it so.
    Union,
}

/// A problem several sheets recorded, merged into one finding of the final sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The node.
    pub node: String,
    /// The common-problem code, if any.
    pub problem: Option<String>,
    /// 卷 and 页.
    pub place: (Option<u32>, Option<u32>),
    /// How many findings became this one.
    pub findings: usize,
}

/// Findings of the same item and problem code at different places: maybe one problem seen
/// twice, maybe two; all are kept for the leader to remove what is not wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearDuplicate {
    /// The node.
    pub node: String,
    /// The common-problem code.
    pub problem: String,
    /// The places (卷, 页), in the order the findings were copied.
    pub places: Vec<(Option<u32>, Option<u32>)>,
}

/// What [`start_final`] did.
#[derive(Debug, Clone)]
pub struct FinalStarted {
    /// The final sheet.
    pub sheet: SheetRecord,
    /// Findings written to it.
    pub copied: usize,
    /// Findings of several sheets written once.
    pub merged: Vec<Merged>,
    /// Same item and code at different places, all kept.
    pub near: Vec<NearDuplicate>,
}

/// One finding of the union and the findings it stands for.
struct Group {
    new: NewFinding,
    notes: Vec<String>,
    findings: usize,
}

/// The union of several sheets' findings (each sheet's own order, sheet after sheet), the same
/// problem once: findings on one pass/fail node, or with the same node, problem code and 卷/页,
/// are one finding keeping every distinct note (joined by "；"), the larger quantity and 从重
/// if any had it. Findings without a code merge only when identical.
pub fn union(
    rubric: &crate::rubric::Rubric,
    sheets: &[Vec<NewFinding>],
) -> (Vec<NewFinding>, Vec<Merged>, Vec<NearDuplicate>) {
    let same = |a: &NewFinding, b: &NewFinding| {
        if a.node != b.node {
            return false;
        }
        let pass_fail = rubric
            .scorable(&a.node)
            .is_some_and(|n| *n.rule() == crate::rubric::Rule::PassFail);
        pass_fail
            || (a.problem.is_some() && a.problem == b.problem && (a.volume, a.page) == (b.volume, b.page))
            || a == b
    };
    let mut groups: Vec<Group> = Vec::new();
    for new in sheets.iter().flatten() {
        match groups.iter_mut().find(|g| same(&g.new, new)) {
            Some(g) => {
                g.findings += 1;
                if !g.notes.contains(&new.note) {
                    g.notes.push(new.note.clone());
                }
                g.new.quantity = larger(g.new.quantity, new.quantity);
                if new.repeat.applies() && !g.new.repeat.applies() {
                    g.new.repeat = new.repeat.clone();
                }
            }
            None => groups.push(Group {
                new: new.clone(),
                notes: vec![new.note.clone()],
                findings: 1,
            }),
        }
    }
    let merged = groups
        .iter()
        .filter(|g| g.findings > 1)
        .map(|g| Merged {
            node: g.new.node.clone(),
            problem: g.new.problem.clone(),
            place: (g.new.volume, g.new.page),
            findings: g.findings,
        })
        .collect();
    let mut near: Vec<NearDuplicate> = Vec::new();
    for g in &groups {
        let Some(code) = &g.new.problem else { continue };
        let place = (g.new.volume, g.new.page);
        match near.iter_mut().find(|n| n.node == g.new.node && &n.problem == code) {
            Some(n) => n.places.push(place),
            None => near.push(NearDuplicate {
                node: g.new.node.clone(),
                problem: code.clone(),
                places: vec![place],
            }),
        }
    }
    near.retain(|n| n.places.len() > 1);
    let findings = groups
        .into_iter()
        .map(|g| NewFinding {
            note: g.notes.join("；"),
            ..g.new
        })
        .collect();
    (findings, merged, near)
}

/// The larger of two quantities of the same node (same kind by the node's rule).
fn larger(a: Quantity, b: Quantity) -> Quantity {
    match (a, b) {
        (Quantity::Count(x), Quantity::Count(y)) => Quantity::Count(x.max(y)),
        (Quantity::Amount(x), Quantity::Amount(y)) => Quantity::Amount(x.max(y)),
        (a, _) => a,
    }
}

/// Starts the writer's (the group lead's) final sheet of a case from other sheets. Refused
/// when the final sheet already has findings. A grade decided on the sheet that counted until
/// now is carried over, so starting the final sheet never changes a decided result.
pub fn start_final(store: &mut Store, case_no: &str, from: &FinalFrom) -> Result<FinalStarted, ReviewError> {
    let case = store.require_case(case_no)?;
    let candidates: Vec<SheetRecord> = store
        .sheets_of_case(&case.id)?
        .into_iter()
        .filter(|s| !is_final(s))
        .collect();
    let sources: Vec<SheetRecord> = match from {
        FinalFrom::Reviewer(name) => candidates
            .into_iter()
            .filter(|s| s.reviewer == name.trim())
            .max_by_key(|s| s.stage)
            .into_iter()
            .collect(),
        FinalFrom::Union => candidates,
    };
    if sources.is_empty() {
        return Err(ReviewError::NoSheet {
            case_no: case.case_no.clone(),
            reviewer: match from {
                FinalFrom::Reviewer(r) => r.clone(),
                FinalFrom::Union => String::new(),
            },
        });
    }
    let decided = match store.standing(&case.id)?.sheet() {
        Some(sheet) => store.decision(&sheet.id)?,
        None => None,
    };
    let final_sheet = store.sheet(&case.id, Stage::Final)?;
    if !store.findings(&final_sheet.id)?.is_empty() {
        return Err(ReviewError::FinalNotEmpty {
            case_no: case.case_no.clone(),
        });
    }
    let mut per_sheet: Vec<Vec<NewFinding>> = Vec::new();
    let mut na: Option<BTreeSet<String>> = None;
    for source in &sources {
        per_sheet.push(
            store
                .findings(&source.id)?
                .into_iter()
                .map(|f| NewFinding {
                    node: f.node.into(),
                    quantity: f.quantity,
                    note: f.note,
                    volume: f.volume,
                    page: f.page,
                    problem: f.problem.map(String::from),
                    repeat: f.repeat,
                })
                .collect(),
        );
        let marked: BTreeSet<String> = store.marked(&source.id, MarkKind::NotApplicable)?.into_iter().collect();
        na = Some(match na {
            None => marked,
            Some(prev) => prev.intersection(&marked).cloned().collect(),
        });
    }
    let (copied, merged, near) = union(store.rubric_by_hash(&final_sheet.rubric_hash)?, &per_sheet);
    let na: Vec<String> = na.unwrap_or_default().into_iter().collect();
    store.fill_sheet(&final_sheet, &copied, &na)?;
    if let Some(decision) = decided
        && store.decision(&final_sheet.id)?.is_none()
    {
        store.decide(&final_sheet, &decision)?;
    }
    Ok(FinalStarted {
        sheet: final_sheet,
        copied: copied.len(),
        merged,
        near,
    })
}

/// What sets two sheets' scores apart: their items with quantities and 从重 (as a sorted
/// list, so order and notes do not matter), their 不适用 items and their rubric.
type Content = (String, Vec<(SharedStr, Quantity, bool)>, BTreeSet<String>);

fn content(store: &Store, sheet: &SheetRecord) -> Result<Content, StoreError> {
    let mut items: Vec<(SharedStr, Quantity, bool)> = store
        .findings(&sheet.id)?
        .into_iter()
        .map(|f| (f.node, f.quantity, f.repeat.applies()))
        .collect();
    items.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    let na = store.marked(&sheet.id, MarkKind::NotApplicable)?.into_iter().collect();
    Ok((sheet.rubric_hash.clone(), items, na))
}

/// The cases a meeting need not discuss: 未定稿 with two or more reviewers' sheets at the top
/// stage (below 终评) identical in items, quantities, 从重 and 不适用 (notes and 卷/页 may
/// differ). Each is given with the reviewer whose sheet the final one starts from (the first
/// by name; any would give the same score). In case-list order.
pub fn agreed(store: &Store) -> Result<Vec<(Case, String)>, StoreError> {
    let mut out = Vec::new();
    for case in store.cases()? {
        let Standing::Unsettled { sheets } = store.standing(&case.id)? else {
            continue;
        };
        if sheets.len() < 2 || sheets.iter().any(is_final) {
            continue;
        }
        let first = content(store, &sheets[0])?;
        let mut same = true;
        for other in &sheets[1..] {
            if content(store, other)? != first {
                same = false;
                break;
            }
        }
        if same {
            let from = sheets[0].reviewer.clone();
            out.push((case, from));
        }
    }
    Ok(out)
}

/// Records a decided grade (集体讨论) on the sheet that counts for the case (its 终评 sheet,
/// or the one settled sheet): the case's figures stay those of that sheet. Refused, writing
/// nothing, when the case is 未定稿 or has nothing recorded ([`StoreError::Unsettled`]).
pub fn decide(store: &mut Store, case_no: &str, decision: &Decision) -> Result<SheetRecord, StoreError> {
    let case = store.require_case(case_no)?;
    match store.standing(&case.id)? {
        Standing::Settled { sheet, .. } => {
            store.decide(&sheet, decision)?;
            Ok(sheet)
        }
        Standing::Unsettled { sheets } => Err(StoreError::Unsettled {
            case_no: case.case_no,
            sheets: sheets
                .iter()
                .map(|s| format!("{}（{}）", s.reviewer, s.stage))
                .collect(),
        }),
        Standing::Unreviewed => Err(StoreError::Unsettled {
            case_no: case.case_no,
            sheets: Vec::new(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Repeat;

    fn found(node: &str, code: Option<&str>, page: Option<u32>, count: u32, note: &str) -> NewFinding {
        NewFinding {
            node: node.into(),
            quantity: Quantity::Count(count),
            note: note.into(),
            volume: page.map(|_| 1),
            page,
            problem: code.map(str::to_owned),
            repeat: Repeat::No,
        }
    }

    #[test]
    fn the_union_writes_the_same_problem_once_and_lists_the_same_code_elsewhere() {
        let rubric = crate::rubric::load(crate::demo::RUBRIC, "demo").unwrap();
        let a = vec![
            found("sszj.sz", Some("SZ-09"), Some(3), 1, "甲：未注明来源"),
            found("sszj.sz", None, None, 1, "无代码"),
        ];
        let mut b = vec![
            found("sszj.sz", Some("SZ-09"), Some(3), 2, "乙：来源缺失"),
            found("sszj.sz", Some("SZ-09"), Some(7), 1, "第7页同样"),
            found("sszj.sz", None, None, 1, "无代码"),
            found("sszj.sz", None, None, 1, "另一处无代码"),
        ];
        b[0].repeat = Repeat::ByHand;
        let (findings, merged, near) = union(&rubric, &[a, b]);
        assert_eq!(findings.len(), 4, "{findings:#?}");
        let one = &findings[0];
        assert_eq!(one.note, "甲：未注明来源；乙：来源缺失");
        assert_eq!(
            (one.quantity, one.repeat.clone()),
            (Quantity::Count(2), Repeat::ByHand),
            "the larger count, 从重 kept"
        );
        assert_eq!(
            merged
                .iter()
                .map(|m| (m.problem.as_deref(), m.place, m.findings))
                .collect::<Vec<_>>(),
            [(Some("SZ-09"), (Some(1), Some(3)), 2), (None, (None, None), 2)]
        );
        assert_eq!(near.len(), 1);
        assert_eq!(near[0].places, [(Some(1), Some(3)), (Some(1), Some(7))]);
    }

    #[test]
    fn findings_on_one_pass_fail_item_are_one_problem() {
        let rubric = crate::rubric::load(crate::demo::RUBRIC, "demo").unwrap();
        let node = rubric
            .scorables()
            .find(|s| *s.rule() == crate::rubric::Rule::PassFail)
            .unwrap()
            .id()
            .to_owned();
        let one = |note: &str| NewFinding {
            quantity: Quantity::One,
            ..found(&node, None, None, 1, note)
        };
        let (findings, merged, near) = union(&rubric, &[vec![one("甲说")], vec![one("乙说")]]);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].note, "甲说；乙说");
        assert_eq!((merged.len(), near.len()), (1, 0));
    }
}
