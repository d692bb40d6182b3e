//! Several reviewers on one case (交叉互评, 自评 → 初评 → 复核 → 终评): comparing their sheets
//! item by item, listing the round's disagreements, and starting the final sheet (终评).
//!
//! Pure reads of the store except [`start_final`], which writes the lead's final sheet.

use crate::lang::Lang;
use crate::merge::MergeError;
use crate::points::Points;
use crate::score::{GradeReason, ScoreSheet};
use crate::store::{Case, MarkKind, NewFinding, SheetRecord, Stage, Store, StoreError};
use std::collections::BTreeSet;

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
    /// Their notes, with volume/page.
    pub notes: Vec<String>,
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
    columns.sort_by_key(|c| {
        (
            Stage::parse(&c.sheet.stage).ok() == Some(Stage::Final),
            c.sheet.reviewer.clone(),
        )
    });
    let mut items: Vec<ItemRow> = Vec::new();
    for (ci, col) in columns.iter().enumerate() {
        let rubric = store.rubric_by_hash(&col.sheet.rubric_hash)?;
        let vetoed: BTreeSet<String> = col
            .score
            .reasons
            .iter()
            .filter_map(|r| match r {
                GradeReason::Veto { node, .. } => rubric.scorable(node).map(|s| s.item.id.clone()),
                _ => None,
            })
            .collect();
        let findings = store.findings(&col.sheet.id)?;
        for cat in &col.score.categories {
            for item in &cat.items {
                let notes = findings
                    .iter()
                    .filter(|f| rubric.scorable(&f.node).is_some_and(|s| s.item.id == item.id))
                    .map(|f| match (f.volume, f.page) {
                        (Some(v), Some(p)) => format!("{}（{v}/{p}）", f.note),
                        (Some(v), None) => format!("{}（{v}/）", f.note),
                        (None, Some(p)) => format!("{}（/{p}）", f.note),
                        (None, None) => f.note.clone(),
                    })
                    .collect();
                let cell = Cell {
                    deduction: item.deduction,
                    extra: item.extra,
                    bonus: item.bonus,
                    not_applicable: item.not_applicable,
                    veto: vetoed.contains(&item.id),
                    findings: item.findings,
                    notes,
                };
                if !all && cell.is_blank() && !items.iter().any(|r| r.id == item.id) {
                    continue;
                }
                let pos = match items.iter().position(|r| r.id == item.id) {
                    Some(p) => p,
                    None => {
                        items.push(ItemRow {
                            id: item.id.clone(),
                            name: item.name.clone(),
                            category: cat.name.clone(),
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
    Stage::parse(&sheet.stage).ok() == Some(Stage::Final)
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
/// than `min_spread`, largest spread first.
pub fn disagreements(store: &Store, min_spread: Points) -> Result<Vec<Disagreement>, StoreError> {
    let mut out = Vec::new();
    for case in store.cases()? {
        let mut sheets = Vec::new();
        let mut scores = Vec::new();
        for sheet in store.sheets_of_case(&case.id)?.into_iter().filter(|s| !is_final(s)) {
            let score = store.score(&sheet)?;
            sheets.push((sheet.reviewer, sheet.stage, score.total, score.final_grade().to_owned()));
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
    /// The union of every reviewer's findings (identical findings once); an item is 不适用
    /// only when every sheet marks it so.
    Union,
}

/// Starts the writer's (the group lead's) final sheet of a case from other sheets, returning
/// it and how many findings were copied. Refused when the final sheet already has findings.
pub fn start_final(store: &mut Store, case_no: &str, from: &FinalFrom) -> Result<(SheetRecord, usize), MergeError> {
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
            .max_by_key(|s| Stage::parse(&s.stage).ok())
            .into_iter()
            .collect(),
        FinalFrom::Union => candidates,
    };
    if sources.is_empty() {
        return Err(MergeError::NoSheet {
            case_no: case.case_no.clone(),
            reviewer: match from {
                FinalFrom::Reviewer(r) => r.clone(),
                FinalFrom::Union => String::new(),
            },
        });
    }
    let final_sheet = store.sheet(&case.id, Stage::Final)?;
    if !store.findings(&final_sheet.id)?.is_empty() {
        return Err(MergeError::FinalNotEmpty {
            case_no: case.case_no.clone(),
        });
    }
    let mut copied: Vec<NewFinding> = Vec::new();
    let mut na: Option<BTreeSet<String>> = None;
    for source in &sources {
        for f in store.findings(&source.id)? {
            let new = NewFinding {
                node: f.node,
                quantity: f.quantity,
                note: f.note,
                volume: f.volume,
                page: f.page,
                problem: f.problem,
                repeat: f.repeat,
                repeat_waived: f.repeat_waived,
            };
            if !copied.contains(&new) {
                copied.push(new);
            }
        }
        let marked: BTreeSet<String> = store.marked(&source.id, MarkKind::NotApplicable)?.into_iter().collect();
        na = Some(match na {
            None => marked,
            Some(prev) => prev.intersection(&marked).cloned().collect(),
        });
    }
    let na: Vec<String> = na.unwrap_or_default().into_iter().collect();
    store.fill_sheet(&final_sheet, &copied, &na)?;
    Ok((final_sheet, copied.len()))
}
